#include "util/utf.h"

#include <cstdint>

namespace esent {

namespace {

bool is_continuation(unsigned char byte) { return (byte & 0xC0U) == 0x80U; }

}  // namespace

Result<std::u16string> utf8_to_utf16(std::string_view text) {
  std::u16string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    auto lead = static_cast<unsigned char>(text[i]);
    std::uint32_t code_point = 0;
    std::size_t length = 0;
    std::uint32_t minimum = 0;
    if (lead < 0x80U) {
      code_point = lead;
      length = 1;
    } else if ((lead & 0xE0U) == 0xC0U) {
      code_point = lead & 0x1FU;
      length = 2;
      minimum = 0x80;
    } else if ((lead & 0xF0U) == 0xE0U) {
      code_point = lead & 0x0FU;
      length = 3;
      minimum = 0x800;
    } else if ((lead & 0xF8U) == 0xF0U) {
      code_point = lead & 0x07U;
      length = 4;
      minimum = 0x10000;
    } else {
      return Status(Error::kInvalidParameter, "invalid UTF-8 lead byte");
    }
    if (i + length > text.size()) return Status(Error::kInvalidParameter, "truncated UTF-8");
    for (std::size_t k = 1; k < length; ++k) {
      auto byte = static_cast<unsigned char>(text[i + k]);
      if (!is_continuation(byte)) return Status(Error::kInvalidParameter, "invalid UTF-8");
      code_point = (code_point << 6) | (byte & 0x3FU);
    }
    if (code_point < minimum || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return Status(Error::kInvalidParameter, "invalid UTF-8 code point");
    }
    if (code_point >= 0x10000) {
      code_point -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800U + (code_point >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00U + (code_point & 0x3FFU)));
    } else {
      out.push_back(static_cast<char16_t>(code_point));
    }
    i += length;
  }
  return out;
}

Result<std::string> utf16_to_utf8(std::u16string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    std::uint32_t code_point = text[i];
    if (code_point >= 0xD800 && code_point <= 0xDBFF) {
      if (i + 1 >= text.size() || text[i + 1] < 0xDC00 || text[i + 1] > 0xDFFF) {
        return Status(Error::kInvalidParameter, "unpaired UTF-16 surrogate");
      }
      code_point = 0x10000 + ((code_point - 0xD800U) << 10) + (text[i + 1] - 0xDC00U);
      ++i;
    } else if (code_point >= 0xDC00 && code_point <= 0xDFFF) {
      return Status(Error::kInvalidParameter, "unpaired UTF-16 surrogate");
    }
    if (code_point < 0x80) {
      out.push_back(static_cast<char>(code_point));
    } else if (code_point < 0x800) {
      out.push_back(static_cast<char>(0xC0U | (code_point >> 6)));
      out.push_back(static_cast<char>(0x80U | (code_point & 0x3FU)));
    } else if (code_point < 0x10000) {
      out.push_back(static_cast<char>(0xE0U | (code_point >> 12)));
      out.push_back(static_cast<char>(0x80U | ((code_point >> 6) & 0x3FU)));
      out.push_back(static_cast<char>(0x80U | (code_point & 0x3FU)));
    } else {
      out.push_back(static_cast<char>(0xF0U | (code_point >> 18)));
      out.push_back(static_cast<char>(0x80U | ((code_point >> 12) & 0x3FU)));
      out.push_back(static_cast<char>(0x80U | ((code_point >> 6) & 0x3FU)));
      out.push_back(static_cast<char>(0x80U | (code_point & 0x3FU)));
    }
  }
  return out;
}

std::size_t utf16_length(const char16_t* text, std::size_t limit) {
  std::size_t length = 0;
  while (length < limit && text[length] != 0) ++length;
  return length;
}

}  // namespace esent
