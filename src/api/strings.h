// Strings at the C boundary. A functions take UTF-8 (`char`), W functions UTF-16
// (`JET_WCHAR`, 16-bit); inside the library every string is UTF-8. Sizes handed with
// buffers are in bytes, for both faces.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "api/jet.h"
#include "catalog/schema.h"
#include "util/status.h"
#include "util/utf.h"

namespace esent::api {

// What a client string is, for the error an ill-formed one gets: a name (table, column,
// index, object) is JET_errInvalidName, a file or folder path JET_errInvalidPath, any other
// text (instance names, user names, locale names, parameter text) JET_errInvalidParameter.
enum class TextKind { kText, kName, kPath };

inline Status ill_formed(TextKind kind) {
  switch (kind) {
    case TextKind::kName: return Status(Error::kInvalidName, "name is not well-formed UTF-8 / UTF-16");
    case TextKind::kPath: return Status(Error::kInvalidPath, "path is not well-formed UTF-8 / UTF-16");
    case TextKind::kText: break;
  }
  return Status(Error::kInvalidParameter, "text is not well-formed UTF-8 / UTF-16");
}

// A client string as UTF-8. nullptr becomes "" (callers that must reject NULL check first).
// The A face takes UTF-8 (on Windows it is the ANSI code page; see docs/compat.md), the W face
// UTF-16; ill-formed input of either (a stray byte, a lone surrogate) is ill_formed(kind).
inline Result<std::string> input_string(const char* text, TextKind kind = TextKind::kText) {
  if (text == nullptr) return std::string();
  std::string utf8(text);
  if (!utf8_to_utf16(utf8).ok()) return ill_formed(kind);
  return utf8;
}
inline Result<std::string> input_string(const JET_WCHAR* text, TextKind kind = TextKind::kText) {
  if (text == nullptr) return std::string();
  const auto* units = reinterpret_cast<const char16_t*>(text);
  Result<std::string> utf8 = utf16_to_utf8(std::u16string_view(units, utf16_length(units, SIZE_MAX)));
  if (!utf8.ok()) return ill_formed(kind);
  return utf8;
}
// A table, column or index name: ill-formed, too long or with a character ESE forbids
// (catalog::validate_object_name) is kInvalidName, before any lookup. NULL and "" come back
// as "" unchecked: each caller gives them their meaning (the primary index, all objects, or an
// error of its own).
template <typename Char>
Result<std::string> input_name(const Char* text) {
  Result<std::string> utf8 = input_string(text, TextKind::kName);
  if (!utf8.ok() || utf8->empty()) return utf8;
  ESENT_RETURN_IF_ERROR(catalog::validate_object_name(utf8.value()));
  return utf8;
}

// A file or folder path: ill-formed is kInvalidPath.
template <typename Char>
Result<std::string> input_path(const Char* text) {
  return input_string(text, TextKind::kPath);
}

// Size in bytes, terminator included, of `utf8` in the Char encoding.
template <typename Char>
Result<std::size_t> encoded_size_bytes(const std::string& utf8) {
  if constexpr (sizeof(Char) == 1) {
    return utf8.size() + 1;
  } else {
    Result<std::u16string> wide = utf8_to_utf16(utf8);
    if (!wide.ok()) return wide.status();
    return (wide->size() + 1) * sizeof(Char);
  }
}

// Writes `utf8` NUL-terminated into `buffer` (cb_max bytes) in the Char encoding.
// kBufferTooSmall when it does not fit; nothing is written then.
template <typename Char>
Status output_string(const std::string& utf8, Char* buffer, std::size_t cb_max) {
  if constexpr (sizeof(Char) == 1) {
    if (utf8.size() + 1 > cb_max) return Error::kBufferTooSmall;
    std::memcpy(buffer, utf8.c_str(), utf8.size() + 1);
  } else {
    Result<std::u16string> wide = utf8_to_utf16(utf8);
    if (!wide.ok()) return wide.status();
    std::size_t bytes = (wide->size() + 1) * sizeof(Char);
    if (bytes > cb_max) return Error::kBufferTooSmall;
    std::memcpy(buffer, wide->c_str(), bytes);
  }
  return Status::success();
}

}  // namespace esent::api
