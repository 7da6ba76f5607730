// Shared helpers of the fuzz targets (tests/fuzz/README.md).
//
// Each <name>_fuzz.cc defines one entry point, `extern "C" int ESENT_FUZZ_ENTRY(data, size)`.
// In a libFuzzer build ESENT_FUZZ_ENTRY is LLVMFuzzerTestOneInput; fuzz_replay_tests compiles
// every target again with -DESENT_FUZZ_ENTRY=esent_fuzz_<name> so that one GoogleTest binary
// runs all of them over their corpus and regression files.
//
// Contracts every target keeps: no state survives a call (everything lives in a fresh
// io::MemoryFileSystem or on the stack; the API target terminates its instances); an
// invariant that does not hold is reported by fail(), which prints and aborts, so libFuzzer
// records the input as a crash and the replay test dies.
//
// The file container (decode_files / encode_files) lets one input describe several files:
//   repeated { u8 name_length; name; u32 data_length; data; u32 zero_tail_length }
// little-endian, each length clamped to what is left (zero tails to kMaxZeroTailBytes), so a
// seed can store a 64 KiB log file as its few used sectors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

#include "io/memory_file_system.h"
#include "log/log_format.h"
#include "page/database_header.h"
#include "page/page.h"
#include "util/checksum.h"

#ifndef ESENT_FUZZ_ENTRY
#define ESENT_FUZZ_ENTRY LLVMFuzzerTestOneInput
#endif

namespace esent_fuzz {

[[noreturn]] inline void fail(const char* target, const std::string& what) {
  std::fprintf(stderr, "fuzz %s: invariant broken: %s\n", target, what.c_str());
  std::fflush(stderr);
  std::abort();
}

// With ESENT_FUZZ_TRACE set, prints one line of what a target did (to check that seeds reach
// deep; silent otherwise, so fuzzing stays fast).
inline void trace(const char* target, const std::string& what) {
  static const bool enabled = std::getenv("ESENT_FUZZ_TRACE") != nullptr;
  if (enabled) std::fprintf(stderr, "fuzz %s: %s\n", target, what.c_str());
}

inline std::span<const std::byte> as_bytes(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const std::byte*>(data), size};
}

// Reads the input front to back; past the end every read yields zeros (never fails).
class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::size_t remaining() const { return size_ - position_; }
  bool empty() const { return position_ >= size_; }
  std::uint8_t u8() { return position_ < size_ ? data_[position_++] : 0; }
  std::uint16_t u16() {
    return static_cast<std::uint16_t>(u8() | (static_cast<unsigned>(u8()) << 8));
  }
  std::uint32_t u32() {
    std::uint32_t low = u16();
    return low | (static_cast<std::uint32_t>(u16()) << 16);
  }
  std::uint64_t u64() {
    std::uint64_t low = u32();
    return low | (static_cast<std::uint64_t>(u32()) << 32);
  }
  // Up to `count` bytes (fewer at the end).
  std::span<const std::byte> take(std::size_t count) {
    if (count > remaining()) count = remaining();
    std::span<const std::byte> out(reinterpret_cast<const std::byte*>(data_ + position_), count);
    position_ += count;
    return out;
  }
  std::span<const std::byte> rest() { return take(remaining()); }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t position_ = 0;
};

struct FileImage {
  std::string name;  // relative, checked by is_safe_name
  std::vector<std::byte> bytes;
};

inline constexpr std::size_t kMaxZeroTailBytes = 1u << 20;
inline constexpr std::size_t kMaxFiles = 16;

// Letters, digits, '.', '_', '-' and '/' separators; no empty, "." or ".." component.
inline bool is_safe_name(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.back() == '/') return false;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    std::string component = name.substr(start, end - start);
    if (component.empty() || component == "." || component == "..") return false;
    for (char c : component) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == '-';
      if (!ok) return false;
    }
    start = end + 1;
  }
  return true;
}

// Files of the container; entries with an unsafe name are dropped, at most kMaxFiles.
inline std::vector<FileImage> decode_files(Input& input) {
  std::vector<FileImage> files;
  while (!input.empty() && files.size() < kMaxFiles) {
    std::size_t name_length = input.u8();
    auto name_bytes = input.take(name_length);
    std::string name(reinterpret_cast<const char*>(name_bytes.data()), name_bytes.size());
    std::size_t data_length = input.u32();
    auto data = input.take(data_length);
    std::size_t zero_tail = input.u32();
    if (zero_tail > kMaxZeroTailBytes) zero_tail = kMaxZeroTailBytes;
    if (!is_safe_name(name)) continue;
    FileImage file{name, std::vector<std::byte>(data.begin(), data.end())};
    file.bytes.resize(file.bytes.size() + zero_tail);
    files.push_back(std::move(file));
  }
  return files;
}

// The container holding `files`, each stored with its trailing zeros as a zero tail.
inline std::string encode_files(const std::vector<FileImage>& files) {
  std::string out;
  auto put32 = [&out](std::size_t value) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
  };
  for (const FileImage& file : files) {
    std::size_t used = file.bytes.size();
    while (used > 0 && file.bytes[used - 1] == std::byte{0}) --used;
    out.push_back(static_cast<char>(file.name.size()));
    out += file.name;
    put32(used);
    out.append(reinterpret_cast<const char*>(file.bytes.data()), used);
    put32(file.bytes.size() - used);
  }
  return out;
}

// Writes each file as root/name (root absolute, ending in '/'), creating its folders. Returns
// false when the file system refused (the caller then has nothing to test).
inline bool write_files(esent::io::FileSystem& file_system, const std::string& root,
                        const std::vector<FileImage>& files) {
  for (const FileImage& file : files) {
    std::string path = root + file.name;
    std::string folder = path.substr(0, path.rfind('/'));
    if (!file_system.create_directories(folder).ok()) return false;
    esent::io::OpenOptions options;
    options.create = true;
    options.write = true;
    auto opened = file_system.open_file(path, options);
    if (!opened.ok()) return false;
    if (!opened.value()->truncate(0).ok()) return false;
    if (!file.bytes.empty() && !opened.value()->write_at(0, file.bytes).ok()) return false;
  }
  return true;
}

inline bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Makes the checksums of a log file right again after a mutation, so the fuzzer reaches the
// structure behind them: the header's checksum (its generation field as identity), and every
// data sector that is not all zero, sealed as sector i of that generation with its own data
// count (clamped) and known flags. Zero sectors stay zero (the end of the log).
inline void reseal_log(std::vector<std::byte>& bytes) {
  using namespace esent::log;
  if (bytes.size() < kHeaderBytes) return;
  std::byte* p = bytes.data();
  std::uint32_t generation = load_u32(p + kHeaderGenerationOffset);
  store_u64(p + kHeaderChecksumOffset,
            esent::checksum64(p + 8, kHeaderBytes - 8, sector_identity(generation, 0)));
  std::size_t sectors = bytes.size() / esent::log::kSectorBytes;
  if (sectors > 65536) sectors = 65536;
  for (std::size_t i = kHeaderSectors; i < sectors; ++i) {
    std::span<std::byte> sector(p + i * kSectorBytes, kSectorBytes);
    bool zero = true;
    for (std::byte b : sector) zero = zero && b == std::byte{0};
    if (zero) continue;
    std::uint16_t data_bytes = load_u16(sector.data() + kSectorDataBytesOffset);
    if (data_bytes > kSectorDataBytes) data_bytes = static_cast<std::uint16_t>(kSectorDataBytes);
    std::uint16_t flags =
        static_cast<std::uint16_t>(load_u16(sector.data() + kSectorFlagsOffset) & kSectorKnownFlags);
    seal_sector(sector, generation, static_cast<std::uint16_t>(i), data_bytes, flags);
  }
}

// Seals every page that is not all zero as page i, with the page size the first page claims
// (nothing when it claims none that is valid): the database header copies, data pages and a
// backup image's trailer then verify, and the decoders behind the checksum are reached.
inline void reseal_pages(std::vector<std::byte>& bytes) {
  using namespace esent::page;
  std::uint32_t page_size = claimed_page_size(bytes);
  if (!valid_page_size(page_size)) return;
  std::size_t pages = bytes.size() / page_size;
  for (std::size_t i = 0; i < pages; ++i) {
    std::span<std::byte> p(bytes.data() + i * page_size, page_size);
    if (is_all_zero(p)) continue;
    seal(p, static_cast<Pgno>(i));
  }
}

}  // namespace esent_fuzz
