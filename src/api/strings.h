// Strings at the C boundary. A functions take UTF-8 (`char`), W functions UTF-16
// (`JET_WCHAR`, 16-bit); inside the library every string is UTF-8. Sizes handed with
// buffers are in bytes, for both faces.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "api/jet.h"
#include "util/status.h"
#include "util/utf.h"

namespace esent::api {

// A client string as UTF-8. nullptr becomes "" (callers that must reject NULL check first).
inline Result<std::string> input_string(const char* text) {
  return text == nullptr ? std::string() : std::string(text);
}
inline Result<std::string> input_string(const JET_WCHAR* text) {
  if (text == nullptr) return std::string();
  const auto* units = reinterpret_cast<const char16_t*>(text);
  return utf16_to_utf8(std::u16string_view(units, utf16_length(units, SIZE_MAX)));
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
