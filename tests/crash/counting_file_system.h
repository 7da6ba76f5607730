// A FileSystem that forwards every call to another and records each File::write_at (path,
// offset, size), so a crash test can show which files were written — for example that the
// database file received no page write before a crash, so recovery alone restored the data.
//
// Thread-safety: every call may run concurrently (one mutex guards the record). Files opened
// here may outlive this object (they share the record).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
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

  // Every write since construction or the last clear_writes(), in order.
  std::vector<WriteRecord> writes() const {
    std::lock_guard lock(record_->mutex);
    return record_->writes;
  }
  void clear_writes() {
    std::lock_guard lock(record_->mutex);
    record_->writes.clear();
  }

  esent::Result<std::string> current_directory() override { return base_->current_directory(); }
  esent::Result<bool> directory_exists(const std::string& path) override { return base_->directory_exists(path); }
  esent::Status create_directories(const std::string& path) override { return base_->create_directories(path); }
  esent::Result<std::unique_ptr<esent::io::File>> open_file(const std::string& path,
                                                            const esent::io::OpenOptions& options) override {
    auto file = base_->open_file(path, options);
    if (!file.ok()) return file.status();
    return std::unique_ptr<esent::io::File>(new CountingFile(std::move(file).value(), record_));
  }
  esent::Result<bool> file_exists(const std::string& path) override { return base_->file_exists(path); }
  esent::Result<std::uint64_t> file_size(const std::string& path) override { return base_->file_size(path); }
  esent::Status remove_file(const std::string& path) override { return base_->remove_file(path); }
  esent::Status rename(const std::string& from, const std::string& to) override { return base_->rename(from, to); }
  esent::Status sync_directory(const std::string& path) override { return base_->sync_directory(path); }
  esent::Result<std::vector<std::string>> list_directory(const std::string& path) override {
    return base_->list_directory(path);
  }
  esent::Status remove_directory(const std::string& path) override { return base_->remove_directory(path); }

 private:
  struct Record {
    mutable std::mutex mutex;
    std::vector<WriteRecord> writes;
  };

  class CountingFile final : public esent::io::File {
   public:
    CountingFile(std::unique_ptr<esent::io::File> base, std::shared_ptr<Record> record)
        : base_(std::move(base)), record_(std::move(record)) {}
    esent::Result<std::size_t> read_at(std::uint64_t offset, std::span<std::byte> buffer) override {
      return base_->read_at(offset, buffer);
    }
    esent::Status write_at(std::uint64_t offset, std::span<const std::byte> data) override {
      {
        std::lock_guard lock(record_->mutex);
        record_->writes.push_back(WriteRecord{base_->path(), offset, data.size()});
      }
      return base_->write_at(offset, data);
    }
    esent::Status sync() override { return base_->sync(); }
    esent::Result<std::uint64_t> size() override { return base_->size(); }
    esent::Status truncate(std::uint64_t size_bytes) override { return base_->truncate(size_bytes); }
    esent::Status lock(bool exclusive) override { return base_->lock(exclusive); }
    const std::string& path() const override { return base_->path(); }

   private:
    std::unique_ptr<esent::io::File> base_;
    std::shared_ptr<Record> record_;
  };

  std::shared_ptr<esent::io::FileSystem> base_;
  std::shared_ptr<Record> record_;
};

}  // namespace esent_crash
