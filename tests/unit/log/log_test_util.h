// Helpers for the log tests: small configurations, deterministic payloads, reading a whole log
// back, and raw sector access for corruption tests.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <thread>
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

// Wraps a FileSystem: each File::sync takes `sync_delay` (as a disk's does), and cut() ends
// the process's access at one instant, as a power loss does: every later call, on the file
// system or on a File, fails with kDiskIO without reaching the base. cut(action) runs
// `action` (for example CrashFileSystem::crash) while no call is in flight, so a writer thread
// still running after the simulated power loss cannot touch the post-crash state.
class GateFileSystem : public io::FileSystem {
 public:
  explicit GateFileSystem(std::shared_ptr<io::FileSystem> base,
                          std::chrono::microseconds sync_delay = {})
      : base_(std::move(base)), state_(std::make_shared<State>()), sync_delay_(sync_delay) {}

  void cut(const std::function<void()>& action = {}) {
    std::unique_lock lock(state_->mutex);
    state_->dead = true;
    if (action) action();
  }

  Result<std::string> current_directory() override {
    return call([&] { return base_->current_directory(); });
  }
  Result<bool> directory_exists(const std::string& p) override {
    return call([&] { return base_->directory_exists(p); });
  }
  Status create_directories(const std::string& p) override {
    return call([&] { return base_->create_directories(p); });
  }
  Result<std::unique_ptr<io::File>> open_file(const std::string& p,
                                              const io::OpenOptions& options) override {
    return call([&]() -> Result<std::unique_ptr<io::File>> {
      auto opened = base_->open_file(p, options);
      if (!opened.ok()) return opened.status();
      return std::unique_ptr<io::File>(
          std::make_unique<GateFile>(std::move(*opened), state_, sync_delay_));
    });
  }
  Result<bool> file_exists(const std::string& p) override {
    return call([&] { return base_->file_exists(p); });
  }
  Result<std::uint64_t> file_size(const std::string& p) override {
    return call([&] { return base_->file_size(p); });
  }
  Status remove_file(const std::string& p) override {
    return call([&] { return base_->remove_file(p); });
  }
  Status rename(const std::string& from, const std::string& to) override {
    return call([&] { return base_->rename(from, to); });
  }
  Status sync_directory(const std::string& p) override {
    return call([&] { return base_->sync_directory(p); });
  }
  Result<std::vector<std::string>> list_directory(const std::string& p) override {
    return call([&] { return base_->list_directory(p); });
  }
  Status remove_directory(const std::string& p) override {
    return call([&] { return base_->remove_directory(p); });
  }
  Result<bool> is_symbolic_link(const std::string& p) override {
    return call([&] { return base_->is_symbolic_link(p); });
  }

 private:
  struct State {
    std::shared_mutex mutex;
    bool dead = false;
  };

  template <typename F>
  static auto call_with(State& state, F&& f) -> decltype(f()) {
    std::shared_lock lock(state.mutex);
    if (state.dead) return Status(Error::kDiskIO, "power cut");
    return f();
  }
  template <typename F>
  auto call(F&& f) -> decltype(f()) {
    return call_with(*state_, std::forward<F>(f));
  }

  class GateFile : public io::File {
   public:
    GateFile(std::unique_ptr<io::File> base, std::shared_ptr<State> state,
             std::chrono::microseconds sync_delay)
        : base_(std::move(base)), state_(std::move(state)), sync_delay_(sync_delay) {}
    Result<std::size_t> read_at(std::uint64_t offset, std::span<std::byte> buffer) override {
      return call_with(*state_, [&] { return base_->read_at(offset, buffer); });
    }
    Status write_at(std::uint64_t offset, std::span<const std::byte> data) override {
      return call_with(*state_, [&] { return base_->write_at(offset, data); });
    }
    Status sync() override {
      if (sync_delay_.count() > 0) std::this_thread::sleep_for(sync_delay_);
      return call_with(*state_, [&] { return base_->sync(); });
    }
    Result<std::uint64_t> size() override {
      return call_with(*state_, [&] { return base_->size(); });
    }
    Status truncate(std::uint64_t size_bytes) override {
      return call_with(*state_, [&] { return base_->truncate(size_bytes); });
    }
    Status lock(bool exclusive) override {
      return call_with(*state_, [&] { return base_->lock(exclusive); });
    }
    const std::string& path() const override { return base_->path(); }

   private:
    std::unique_ptr<io::File> base_;
    std::shared_ptr<State> state_;
    std::chrono::microseconds sync_delay_;
  };

  std::shared_ptr<io::FileSystem> base_;
  std::shared_ptr<State> state_;
  std::chrono::microseconds sync_delay_;
};

inline std::string log_path(const LogConfig& config, const std::string& name) {
  return join_log_path(config.directory, name);
}

}  // namespace esent::log::test_util
