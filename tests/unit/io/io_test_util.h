// Helpers for the io tests: byte strings and whole-file reads and writes through the seam.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "io/file_system.h"

namespace esent::io::test_util {

inline std::span<const std::byte> as_bytes(const std::string& text) {
  return std::as_bytes(std::span<const char>(text.data(), text.size()));
}

// The whole content of an open file, as a string (empty on error, which fails the test).
inline std::string read_all(File& file) {
  Result<std::uint64_t> size = file.size();
  EXPECT_TRUE(size.ok()) << size.status().to_string();
  if (!size.ok()) return {};
  std::string text(static_cast<std::size_t>(size.value()), '\0');
  Result<std::size_t> count =
      file.read_at(0, std::as_writable_bytes(std::span<char>(text.data(), text.size())));
  EXPECT_TRUE(count.ok()) << count.status().to_string();
  if (!count.ok()) return {};
  text.resize(count.value());
  return text;
}

inline Result<std::unique_ptr<File>> open_for_write(FileSystem& file_system,
                                                    const std::string& path) {
  return file_system.open_file(path, OpenOptions{.write = true, .create = true});
}

// The content of the file at `path`, or "<error: Name>".
inline std::string read_file(FileSystem& file_system, const std::string& path) {
  Result<std::unique_ptr<File>> file = file_system.open_file(path, OpenOptions{});
  if (!file.ok()) return std::string("<error: ") + error_name(file.status().error()) + ">";
  return read_all(*file.value());
}

// Creates (or replaces the content of) `path` with `text`; syncs the file when `sync`.
inline void write_file(FileSystem& file_system, const std::string& path, const std::string& text,
                       bool sync = false) {
  Result<std::unique_ptr<File>> file = file_system.open_file(
      path, OpenOptions{.write = true, .create = true, .truncate = true});
  ASSERT_TRUE(file.ok()) << path << ": " << file.status().to_string();
  ASSERT_TRUE(file.value()->write_at(0, as_bytes(text)).ok());
  if (sync) {
    ASSERT_TRUE(file.value()->sync().ok());
  }
}

}  // namespace esent::io::test_util
