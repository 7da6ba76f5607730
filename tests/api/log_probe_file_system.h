// A test FileSystem for the log's internal tests: it wraps another file system and
// - counts the fsyncs of log files (names ending in ".log" or ".jtx": the current, archived and
//   temporary logs, not the checkpoint, the reserve logs or databases);
// - can make each of those fsyncs slow (so concurrent commits overlap and group commit shows);
// - can simulate a full log disk: while it is on, any write or truncate that would grow a file
//   under `full_directory` fails with kDiskFull (overwriting bytes already allocated still works,
//   as on a real volume that has run out of free blocks).
//
// Thread-safety: every call may run concurrently (counters are atomic, switches are atomic).
// Files opened here share the switches with the file system and may outlive it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "io/file_system.h"
#include "util/status.h"

namespace esent_test {

class LogProbeFileSystem final : public esent::io::FileSystem {
  template <typename T>
  using Result = esent::Result<T>;

 public:
  struct Switches {
    std::atomic<std::uint64_t> log_syncs{0};
    std::atomic<std::int64_t> log_sync_delay_microseconds{0};
    std::atomic<bool> disk_full{false};
    std::atomic<std::uint64_t> disk_full_refusals{0};
    std::string full_directory;  // set once, before any file is opened
  };

  LogProbeFileSystem(std::shared_ptr<esent::io::FileSystem> base, std::string full_directory)
      : base_(std::move(base)), switches_(std::make_shared<Switches>()) {
    switches_->full_directory = std::move(full_directory);
  }

  std::uint64_t log_syncs() const { return switches_->log_syncs.load(); }
  void set_log_sync_delay(std::chrono::microseconds delay) {
    switches_->log_sync_delay_microseconds = delay.count();
  }
  void set_disk_full(bool full) { switches_->disk_full = full; }
  std::uint64_t disk_full_refusals() const { return switches_->disk_full_refusals.load(); }

  Result<std::string> current_directory() override { return base_->current_directory(); }
  Result<bool> directory_exists(const std::string& path) override {
    return base_->directory_exists(path);
  }
  esent::Status create_directories(const std::string& path) override {
    return base_->create_directories(path);
  }
  Result<std::unique_ptr<esent::io::File>> open_file(
      const std::string& path, const esent::io::OpenOptions& options) override {
    auto opened = base_->open_file(path, options);
    if (!opened.ok()) return opened.status();
    return std::unique_ptr<esent::io::File>(
        std::make_unique<ProbeFile>(std::move(opened).value(), switches_));
  }
  Result<bool> file_exists(const std::string& path) override { return base_->file_exists(path); }
  Result<std::uint64_t> file_size(const std::string& path) override {
    return base_->file_size(path);
  }
  esent::Status remove_file(const std::string& path) override { return base_->remove_file(path); }
  esent::Status rename(const std::string& from, const std::string& to) override {
    return base_->rename(from, to);
  }
  esent::Status sync_directory(const std::string& path) override {
    return base_->sync_directory(path);
  }
  Result<std::vector<std::string>> list_directory(const std::string& path) override {
    return base_->list_directory(path);
  }
  esent::Status remove_directory(const std::string& path) override {
    return base_->remove_directory(path);
  }
  esent::Result<bool> is_symbolic_link(const std::string& path) override {
    return base_->is_symbolic_link(path);
  }

 private:
  static bool ends_with(const std::string& text, const char* suffix) {
    const std::string tail(suffix);
    return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
  }

  class ProbeFile final : public esent::io::File {
   public:
    ProbeFile(std::unique_ptr<esent::io::File> base, std::shared_ptr<Switches> switches)
        : base_(std::move(base)), switches_(std::move(switches)) {
      const std::string& name = base_->path();
      log_ = ends_with(name, ".log") || ends_with(name, ".jtx");
      on_full_volume_ = !switches_->full_directory.empty() &&
                        name.rfind(switches_->full_directory, 0) == 0;
    }

    Result<std::size_t> read_at(std::uint64_t offset, std::span<std::byte> buffer) override {
      return base_->read_at(offset, buffer);
    }
    esent::Status write_at(std::uint64_t offset, std::span<const std::byte> data) override {
      ESENT_RETURN_IF_ERROR(refuse_growth(offset + data.size()));
      return base_->write_at(offset, data);
    }
    esent::Status sync() override {
      if (log_) {
        switches_->log_syncs.fetch_add(1);
        const std::int64_t delay = switches_->log_sync_delay_microseconds.load();
        if (delay > 0) std::this_thread::sleep_for(std::chrono::microseconds(delay));
      }
      return base_->sync();
    }
    Result<std::uint64_t> size() override { return base_->size(); }
    esent::Status truncate(std::uint64_t size_bytes) override {
      ESENT_RETURN_IF_ERROR(refuse_growth(size_bytes));
      return base_->truncate(size_bytes);
    }
    esent::Status lock(bool exclusive) override { return base_->lock(exclusive); }
    const std::string& path() const override { return base_->path(); }

   private:
    esent::Status refuse_growth(std::uint64_t new_end) {
      if (!on_full_volume_ || !switches_->disk_full.load()) return esent::Status::success();
      auto size = base_->size();
      if (!size.ok()) return size.status();
      if (new_end <= *size) return esent::Status::success();
      switches_->disk_full_refusals.fetch_add(1);
      return esent::Status(esent::Error::kDiskFull, base_->path() + ": the log volume is full");
    }

    std::unique_ptr<esent::io::File> base_;
    std::shared_ptr<Switches> switches_;
    bool log_ = false;
    bool on_full_volume_ = false;
  };

  std::shared_ptr<esent::io::FileSystem> base_;
  std::shared_ptr<Switches> switches_;
};

}  // namespace esent_test
