// Helpers for the log tests: small configurations, deterministic payloads, reading a whole log
// back, and raw sector access for corruption tests.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "io/file_system.h"
#include "log/log_format.h"
#include "log/log_reader.h"
#include "log/log_writer.h"

namespace esent::log::test_util {

inline LogConfig small_config(std::string directory = "/logs") {
  LogConfig config;
  config.directory = std::move(directory);
  config.file_size_bytes = 64 * 1024;
  config.buffer_bytes = 16 * kSectorBytes;
  return config;
}

// A payload whose bytes are a function of (index, size): a read-back mismatch names its record.
inline std::vector<std::byte> payload_for(std::uint64_t index, std::size_t size) {
  std::vector<std::byte> payload(size);
  std::uint64_t state = index * 0x9E3779B97F4A7C15ull + size;
  for (std::size_t i = 0; i < size; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    payload[i] = static_cast<std::byte>(state >> 56);
  }
  return payload;
}

struct RecordCopy {
  Lgpos start;
  Lgpos end;
  std::uint8_t type = 0;
  std::vector<std::byte> payload;
};

struct ReadResult {
  Status status;  // of scan, open or the first failing next()
  std::vector<RecordCopy> records;
  std::optional<ReadEnd> end;  // when the stream ended cleanly
  LogSet set;
};

// Scans config.directory and reads every record from `start` (null: the first present).
inline ReadResult read_log(io::FileSystem& file_system, const LogConfig& config,
                           Lgpos start = {}) {
  ReadResult result;
  auto set = scan(file_system, config);
  if (!set.ok()) {
    result.status = set.status();
    return result;
  }
  result.set = *set;
  auto reader = LogReader::open(file_system, *set, start);
  if (!reader.ok()) {
    result.status = reader.status();
    return result;
  }
  while (true) {
    auto record = (*reader)->next();
    if (!record.ok()) {
      result.status = record.status();
      return result;
    }
    if (!record->has_value()) break;
    const Record& r = **record;
    result.records.push_back(
        RecordCopy{r.start, r.end, r.type, std::vector<std::byte>(r.payload.begin(), r.payload.end())});
  }
  result.end = (*reader)->end();
  return result;
}

// Reads or overwrites one raw sector of a file.
inline std::vector<std::byte> read_sector(io::FileSystem& file_system, const std::string& path,
                                          std::uint32_t sector) {
  std::vector<std::byte> bytes(kSectorBytes);
  auto file = file_system.open_file(path, io::OpenOptions{});
  EXPECT_TRUE(file.ok());
  if (!file.ok()) return bytes;
  auto read = (*file)->read_at(std::uint64_t{sector} * kSectorBytes, bytes);
  EXPECT_TRUE(read.ok());
  return bytes;
}

inline void write_sector(io::FileSystem& file_system, const std::string& path,
                         std::uint32_t sector, const std::vector<std::byte>& bytes) {
  auto file = file_system.open_file(path, io::OpenOptions{.write = true});
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE((*file)->write_at(std::uint64_t{sector} * kSectorBytes, bytes).ok());
  ASSERT_TRUE((*file)->sync().ok());
}

inline std::string log_path(const LogConfig& config, const std::string& name) {
  return join_log_path(config.directory, name);
}

}  // namespace esent::log::test_util
