// A FileSystem that forwards every call to another and records each File::write_at (path,
// offset, size), so a crash test can show which files were written — for example that the
// database file received no page write before a crash, so recovery alone restored the data.
//
// It also fences: fence(at_fence) runs `at_fence` (typically CrashFileSystem::crash) while no
// call is in progress here, and from then on every call, on the file system or on a File opened
// through it, fails with kDiskIO without reaching the base. A power loss kills the process; an
// in-process crash test must likewise stop the old instance from touching the post-crash files
// (opening a new log generation, writing a checkpoint file), so the old instance runs on a
// CountingFileSystem that is fenced at the crash, and recovery runs on another.
//
// Thread-safety: every call may run concurrently (a shared mutex: calls shared, fence
// exclusive; another guards the record). Files opened here may outlive this object (they share
// the state).
#pragma once

#include <cstdint>
#include <memory>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "io/file_system.h"

namespace esent_crash {

struct WriteRecord {
  std::string path;
  std::uint64_t offset = 0;
  std::uint64_t size_bytes = 0;
};

class CountingFileSystem final : public esent::io::FileSystem {
 public:
  explicit CountingFileSystem(std::shared_ptr<esent::io::FileSystem> base)
      : base_(std::move(base)), record_(std::make_shared<Record>()) {}

  // See above. `at_fence` runs exactly once, with no call in progress.
  void fence(const std::function<void()>& at_fence) {
    std::unique_lock lock(record_->gate);
    record_->fenced = true;
    at_fence();
  }

  // Runs `hook` with the file's path before each File::write_at from now on (empty: none),
  // outside every lock here, so it may block until another thread has done something.
  void set_write_hook(std::function<void(const std::string&)> hook) {
    std::lock_guard lock(record_->mutex);
    record_->write_hook = std::move(hook);
  }

  // Every write since construction or the last clear_writes(), in order.
  std::vector<WriteRecord> writes() const {
    std::lock_guard lock(record_->mutex);
    return record_->writes;
  }
  void clear_writes() {
    std::lock_guard lock(record_->mutex);
    record_->writes.clear();
  }

#define ESENT_CRASH_GATED(call)                     \
  std::shared_lock gate_lock(record_->gate);          \
  if (record_->fenced) return esent::Error::kDiskIO; \
  return call

  esent::Result<std::string> current_directory() override { ESENT_CRASH_GATED(base_->current_directory()); }
  esent::Result<bool> directory_exists(const std::string& path) override {
    ESENT_CRASH_GATED(base_->directory_exists(path));
  }
  esent::Status create_directories(const std::string& path) override {
    ESENT_CRASH_GATED(base_->create_directories(path));
  }
  esent::Result<std::unique_ptr<esent::io::File>> open_file(const std::string& path,
                                                            const esent::io::OpenOptions& options) override {
    std::shared_lock gate_lock(record_->gate);
    if (record_->fenced) return esent::Error::kDiskIO;
    auto file = base_->open_file(path, options);
    if (!file.ok()) return file.status();
    return std::unique_ptr<esent::io::File>(new CountingFile(std::move(file).value(), record_));
  }
  esent::Result<bool> file_exists(const std::string& path) override { ESENT_CRASH_GATED(base_->file_exists(path)); }
  esent::Result<std::uint64_t> file_size(const std::string& path) override {
    ESENT_CRASH_GATED(base_->file_size(path));
  }
  esent::Status remove_file(const std::string& path) override { ESENT_CRASH_GATED(base_->remove_file(path)); }
  esent::Status rename(const std::string& from, const std::string& to) override {
    ESENT_CRASH_GATED(base_->rename(from, to));
  }
  esent::Status sync_directory(const std::string& path) override { ESENT_CRASH_GATED(base_->sync_directory(path)); }
  esent::Result<std::vector<std::string>> list_directory(const std::string& path) override {
    ESENT_CRASH_GATED(base_->list_directory(path));
  }
  esent::Status remove_directory(const std::string& path) override {
    ESENT_CRASH_GATED(base_->remove_directory(path));
  }
  esent::Result<bool> is_symbolic_link(const std::string& path) override {
    ESENT_CRASH_GATED(base_->is_symbolic_link(path));
  }

 private:
  struct Record {
    std::shared_mutex gate;  // calls shared, fence() exclusive
    bool fenced = false;     // guarded by gate
    mutable std::mutex mutex;
    std::vector<WriteRecord> writes;  // guarded by mutex
    std::function<void(const std::string&)> write_hook;  // guarded by mutex
  };

  class CountingFile final : public esent::io::File {
   public:
    CountingFile(std::unique_ptr<esent::io::File> base, std::shared_ptr<Record> record)
        : base_(std::move(base)), record_(std::move(record)) {}
    esent::Result<std::size_t> read_at(std::uint64_t offset, std::span<std::byte> buffer) override {
      ESENT_CRASH_GATED(base_->read_at(offset, buffer));
    }
    esent::Status write_at(std::uint64_t offset, std::span<const std::byte> data) override {
      std::function<void(const std::string&)> hook;
      {
        std::lock_guard lock(record_->mutex);
        hook = record_->write_hook;
      }
      if (hook) hook(base_->path());
      std::shared_lock gate_lock(record_->gate);
      if (record_->fenced) return esent::Error::kDiskIO;
      {
        std::lock_guard lock(record_->mutex);
        record_->writes.push_back(WriteRecord{base_->path(), offset, data.size()});
      }
      return base_->write_at(offset, data);
    }
    esent::Status sync() override { ESENT_CRASH_GATED(base_->sync()); }
    esent::Result<std::uint64_t> size() override { ESENT_CRASH_GATED(base_->size()); }
    esent::Status truncate(std::uint64_t size_bytes) override { ESENT_CRASH_GATED(base_->truncate(size_bytes)); }
    esent::Status lock(bool exclusive) override { ESENT_CRASH_GATED(base_->lock(exclusive)); }
    const std::string& path() const override { return base_->path(); }

   private:
    std::unique_ptr<esent::io::File> base_;
    std::shared_ptr<Record> record_;
  };

#undef ESENT_CRASH_GATED

  std::shared_ptr<esent::io::FileSystem> base_;
  std::shared_ptr<Record> record_;
};

}  // namespace esent_crash
