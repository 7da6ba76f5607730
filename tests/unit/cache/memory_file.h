// A tiny in-memory File and FileSystem for the cache tests, with switches to fail writes and
// syncs and counters of every call. Thread-safe.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "io/file_system.h"

namespace esent::cache::testing {

struct MemoryFileData {
  std::mutex mutex;
  std::vector<std::byte> bytes;
  int exclusive_locks = 0;
  int shared_locks = 0;
};

class MemoryFile : public io::File {
 public:
  MemoryFile(std::shared_ptr<MemoryFileData> data, std::string path)
      : data_(std::move(data)), path_(std::move(path)) {}
  ~MemoryFile() override {
    std::lock_guard lock(data_->mutex);
    if (locked_ == 1) --data_->shared_locks;
    if (locked_ == 2) --data_->exclusive_locks;
  }

  Result<std::size_t> read_at(std::uint64_t offset, std::span<std::byte> buffer) override {
    ++reads;
    std::lock_guard lock(data_->mutex);
    if (offset >= data_->bytes.size()) return std::size_t{0};
    std::size_t count = std::min<std::size_t>(buffer.size(), data_->bytes.size() - offset);
    std::copy_n(data_->bytes.begin() + static_cast<std::ptrdiff_t>(offset), count, buffer.begin());
    return count;
  }
  Status write_at(std::uint64_t offset, std::span<const std::byte> data) override {
    if (fail_writes.load()) return Error::kDiskIO;
    ++writes;
    std::lock_guard lock(data_->mutex);
    if (data_->bytes.size() < offset + data.size()) data_->bytes.resize(offset + data.size());
    std::copy(data.begin(), data.end(), data_->bytes.begin() + static_cast<std::ptrdiff_t>(offset));
    return Status::success();
  }
  Status sync() override {
    ++syncs;
    if (fail_syncs.load()) return Error::kDiskIO;
    return Status::success();
  }
  Result<std::uint64_t> size() override {
    std::lock_guard lock(data_->mutex);
    return static_cast<std::uint64_t>(data_->bytes.size());
  }
  Status truncate(std::uint64_t size_bytes) override {
    if (fail_writes.load()) return Error::kDiskIO;
    std::lock_guard lock(data_->mutex);
    data_->bytes.resize(size_bytes);
    return Status::success();
  }
  Status lock(bool exclusive) override {
    std::lock_guard lock(data_->mutex);
    if (data_->exclusive_locks > 0 || (exclusive && data_->shared_locks > 0)) {
      return Error::kFileAccessDenied;
    }
    if (exclusive) { ++data_->exclusive_locks; locked_ = 2; } else { ++data_->shared_locks; locked_ = 1; }
    return Status::success();
  }
  const std::string& path() const override { return path_; }

  std::vector<std::byte> snapshot() {
    std::lock_guard lock(data_->mutex);
    return data_->bytes;
  }

  std::atomic<bool> fail_writes{false};
  std::atomic<bool> fail_syncs{false};
  std::atomic<int> reads{0};
  std::atomic<int> writes{0};
  std::atomic<int> syncs{0};

 private:
  std::shared_ptr<MemoryFileData> data_;
  std::string path_;
  int locked_ = 0;
};

// Files by path; every opened MemoryFile is remembered (last_opened) so a test can inject
// failures into the file a DatabaseFile is using.
class MemoryFileSystem : public io::FileSystem {
 public:
  Result<std::string> current_directory() override { return std::string("/"); }
  Result<bool> directory_exists(const std::string&) override { return true; }
  Status create_directories(const std::string&) override { return Status::success(); }
  Result<std::unique_ptr<io::File>> open_file(const std::string& path,
                                              const io::OpenOptions& options) override {
    std::lock_guard lock(mutex_);
    auto it = files_.find(path);
    if (it == files_.end()) {
      if (!options.create) return Status(Error::kFileNotFound);
      it = files_.emplace(path, std::make_shared<MemoryFileData>()).first;
    } else if (options.create && options.exclusive) {
      return Status(Error::kFileAlreadyExists);
    }
    if (options.truncate) {
      std::lock_guard data_lock(it->second->mutex);
      it->second->bytes.clear();
    }
    auto file = std::make_unique<MemoryFile>(it->second, path);
    last_opened = file.get();
    return std::unique_ptr<io::File>(std::move(file));
  }
  Result<bool> file_exists(const std::string& path) override {
    std::lock_guard lock(mutex_);
    return files_.count(path) != 0;
  }
  Result<std::uint64_t> file_size(const std::string& path) override {
    std::lock_guard lock(mutex_);
    auto it = files_.find(path);
    if (it == files_.end()) return Status(Error::kFileNotFound);
    return static_cast<std::uint64_t>(it->second->bytes.size());
  }
  Status remove_file(const std::string& path) override {
    std::lock_guard lock(mutex_);
    return files_.erase(path) ? Status::success() : Status(Error::kFileNotFound);
  }
  Status rename(const std::string&, const std::string&) override {
    return Error::kFeatureNotAvailable;
  }
  Status sync_directory(const std::string&) override {
    ++directory_syncs;
    return Status::success();
  }
  Result<std::vector<std::string>> list_directory(const std::string&) override {
    return Status(Error::kFeatureNotAvailable);
  }
  Status remove_directory(const std::string&) override { return Error::kFeatureNotAvailable; }
  Result<bool> is_symbolic_link(const std::string&) override { return false; }

  std::vector<std::byte> contents(const std::string& path) {
    std::lock_guard lock(mutex_);
    auto data = files_.at(path);
    std::lock_guard data_lock(data->mutex);
    return data->bytes;
  }
  void set_contents(const std::string& path, std::vector<std::byte> bytes) {
    std::lock_guard lock(mutex_);
    auto data = files_.at(path);
    std::lock_guard data_lock(data->mutex);
    data->bytes = std::move(bytes);
  }

  MemoryFile* last_opened = nullptr;
  std::atomic<int> directory_syncs{0};

 private:
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<MemoryFileData>> files_;
};

}  // namespace esent::cache::testing
