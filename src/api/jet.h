// The public header as the api layer sees it: every Jet* function it declares is given
// default visibility (the rest of the library is built hidden), and the plain-name macros
// (JetFoo -> JetFooA/W) are available to the export helpers below.
#pragma once

// The library implements every generation of the API, so it sees every declaration,
// including those gated above the default JET_VERSION (JetIndexRecordCount2 is 0x0A01).
#define JET_VERSION 0x0A01
#pragma GCC visibility push(default)
#include <esent.h>
#include <esent_ext.h>
#pragma GCC visibility pop

// The header's nil handles are C casts; the api layer uses these typed equivalents.
constexpr JET_INSTANCE kInstanceNil = ~JET_INSTANCE{0};
constexpr JET_SESID kSesidNil = ~JET_SESID{0};

// Exports the undecorated name `plain` as an alias of the A function `ansi`, as esent.dll's
// export table does (JetInit3 -> JetInit3A). Must appear in the translation unit that defines
// `ansi`. The names are stringised before macro expansion, so the header's JetFoo -> JetFooA
// macros do not interfere.
#define ESENT_EXPORT_PLAIN_NAME(plain, ansi) \
  __asm__(".globl " #plain "\n.type " #plain ", @function\n.set " #plain ", " #ansi)
