// UTF-8 <-> UTF-16 conversion for the A (UTF-8) and W (UTF-16) faces of the API.
// Both directions reject ill-formed input (unpaired surrogates, overlong or truncated UTF-8)
// with Error::kInvalidParameter rather than guessing.
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace esent {

Result<std::u16string> utf8_to_utf16(std::string_view text);
Result<std::string> utf16_to_utf8(std::u16string_view text);

// Length of a NUL-terminated UTF-16 string, reading at most `limit` code units.
std::size_t utf16_length(const char16_t* text, std::size_t limit);

}  // namespace esent
