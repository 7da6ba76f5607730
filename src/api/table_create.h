// Conversion of the DDL structs at the C boundary (JET_COLUMNDEF, JET_COLUMNCREATE_A/W,
// JET_INDEXCREATE_A/W, JET_INDEXCREATE2_A/W, JET_INDEXCREATE3_A/W) into the catalog's
// ColumnDef / IndexDef, with ESE's checks of the struct itself (cbStruct, pointers, the
// features we refuse). The catalog then validates the definitions (names, types, flags).
//
// Strings: A structs carry UTF-8 (`char`), W structs UTF-16; index keys keep their embedded
// NULs ("+a\0-b\0\0"), and cbKey counts bytes in both faces.
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "api/jet.h"
#include "api/strings.h"
#include "catalog/schema.h"
#include "util/status.h"

namespace esent::api {

// JET_COLUMNDEF (+ default value) → ColumnDef, not yet validated. The cbStruct of the
// JET_COLUMNDEF is not checked (ESE's JetAddColumn does not check it either).
catalog::ColumnDef column_def_from(std::string name, const JET_COLUMNDEF& definition,
                                   const void* default_value, std::uint32_t default_size_bytes);

// An index key string "+a\0-b\0\0" of `size_bytes` bytes as UTF-8 (NULs kept). W keys are
// UTF-16 (size_bytes counts bytes; an odd size is kIndexInvalidDef). NULL with a non-zero size
// is kInvalidParameter; a key whose last character within the size is not NUL is
// kIndexInvalidDef (ESE requires at least the final terminator).
Result<std::string> input_key(const char* key, std::uint32_t size_bytes);
Result<std::string> input_key(const JET_WCHAR* key, std::uint32_t size_bytes);

// A JET_UNICODEINDEX2 locale name → LCID: NULL/"" → 0 (the default), a few common names;
// anything else kInvalidLanguageId (we have one collation: see docs/compat.md).
Result<std::uint32_t> lcid_from_locale_name(const JET_WCHAR* locale_name);

// JET_COLUMNCREATE_A/W → ColumnDef (cbStruct must be exact: kInvalidParameter).
template <typename ColumnCreate>
Result<catalog::ColumnDef> column_def_from_create(const ColumnCreate& create) {
  if (create.cbStruct != sizeof(ColumnCreate)) {
    return Status(Error::kInvalidParameter, "JET_COLUMNCREATE.cbStruct");
  }
  Result<std::string> name = input_name(create.szColumnName);
  if (!name.ok()) return name.status();
  JET_COLUMNDEF definition{};
  definition.coltyp = create.coltyp;
  definition.cbMax = create.cbMax;
  definition.grbit = create.grbit;
  if (create.cp > 0xFFFF) return Error::kInvalidCodePage;
  definition.cp = static_cast<JET_CP>(create.cp);
  return column_def_from(std::move(name).value(), definition, create.pvDefault, create.cbDefault);
}

// The generations of JET_INDEXCREATE, as the calls that take them see them.
template <typename IndexCreate>
inline constexpr bool kIsIndexCreate3 =
    std::is_same_v<IndexCreate, JET_INDEXCREATE3_A> || std::is_same_v<IndexCreate, JET_INDEXCREATE3_W>;
template <typename IndexCreate>
inline constexpr bool kIsIndexCreate2 =
    std::is_same_v<IndexCreate, JET_INDEXCREATE2_A> || std::is_same_v<IndexCreate, JET_INDEXCREATE2_W>;

// Whether `size_bytes` is the cbStruct of this generation (each call takes one size).
template <typename IndexCreate>
bool index_create_size_ok(std::uint32_t size_bytes) {
  return size_bytes == sizeof(IndexCreate);
}

// JET_INDEXCREATE* → IndexDef with its segments resolved through `lookup`; not yet validated
// against the table (the catalog does that). Errors: kInvalidParameter (cbStruct, NULL key),
// kIndexInvalidDef / kTooManyKeys / kColumnNotFound (key string), kFeatureNotAvailable
// (conditional columns, cbVarSegMac, tuple limits), kInvalidLanguageId.
template <typename IndexCreate>
Result<catalog::IndexDef> index_def_from_create(const IndexCreate& create,
                                                const catalog::ColumnLookup& lookup) {
  if (!index_create_size_ok<IndexCreate>(create.cbStruct)) {
    return Status(Error::kInvalidParameter, "JET_INDEXCREATE.cbStruct");
  }
  catalog::IndexDef index;
  Result<std::string> name = input_name(create.szIndexName);
  if (!name.ok()) return name.status();
  index.name = std::move(name).value();
  index.flags = create.grbit;
  index.density = create.ulDensity;
  if (create.cConditionalColumn != 0) {
    return Status(Error::kFeatureNotAvailable, "conditional columns");
  }
  if ((create.grbit & catalog::index_flags::kTupleLimits) == 0 && create.cbVarSegMac != 0) {
    return Status(Error::kFeatureNotAvailable, "cbVarSegMac");
  }
  if constexpr (kIsIndexCreate3<IndexCreate>) {
    if (create.pidxunicode != nullptr) {
      Result<std::uint32_t> lcid = lcid_from_locale_name(create.pidxunicode->szLocaleName);
      if (!lcid.ok()) return lcid.status();
      index.lcid = lcid.value();
    }
  } else {
    if ((create.grbit & catalog::index_flags::kUnicode) != 0) {
      if (create.pidxunicode == nullptr) return Status(Error::kInvalidParameter, "pidxunicode");
      index.lcid = create.pidxunicode->lcid;
    } else {
      index.lcid = create.lcid;
    }
  }
  if ((create.grbit & catalog::index_flags::kKeyMost) != 0) {
    index.max_key_bytes = create.cbKeyMost;
  }
  if (create.szKey == nullptr) return Status(Error::kInvalidParameter, "szKey");
  Result<std::string> key = input_key(create.szKey, create.cbKey);
  if (!key.ok()) return key.status();
  Result<std::vector<catalog::IndexSegment>> segments =
      catalog::parse_index_key(key->data(), static_cast<std::uint32_t>(key->size()), lookup);
  if (!segments.ok()) return segments.status();
  index.segments = std::move(segments).value();
  return index;
}

}  // namespace esent::api
