// Little-endian byte formats (page ops, log records): appending fixed-size values and strings,
// and a bounds-checked reader that never reads past its span. The host is little-endian (x86-64
// and AArch64 Linux), so values are copied as they are in memory.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

namespace esent {

static_assert(std::endian::native == std::endian::little, "byte formats assume little-endian");

template <typename T>
void append_value(std::string& out, T value) {
  static_assert(std::is_trivially_copyable_v<T>);
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

// A u32 length, then the bytes.
inline void append_string(std::string& out, std::string_view s) {
  append_value<std::uint32_t>(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}

class ByteReader {
 public:
  explicit ByteReader(std::span<const std::byte> bytes) : bytes_(bytes) {}

  template <typename T>
  bool get(T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (bytes_.size() - at_ < sizeof(T)) return false;
    std::memcpy(&value, bytes_.data() + at_, sizeof(T));
    at_ += sizeof(T);
    return true;
  }
  // The next `n` bytes, as a view into the reader's span.
  bool take(std::size_t n, std::span<const std::byte>& out) {
    if (bytes_.size() - at_ < n) return false;
    out = bytes_.subspan(at_, n);
    at_ += n;
    return true;
  }
  // A string written by append_string (copied).
  bool get_string(std::string& out) {
    std::uint32_t size = 0;
    std::span<const std::byte> bytes;
    if (!get(size) || !take(size, bytes)) return false;
    out.assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return true;
  }
  std::span<const std::byte> rest() const { return bytes_.subspan(at_); }
  bool done() const { return at_ == bytes_.size(); }

 private:
  std::span<const std::byte> bytes_;
  std::size_t at_ = 0;
};

}  // namespace esent
