// A FileSystem that wraps another and injects failures, for tests of error paths.
//
// Every call, on the file system or on a File it opened (Files are wrapped too), is counted per
// Operation. fail_at(operation, nth, fault) arms a rule: the nth call of `operation` from now on
// (1-based, counting only calls whose path contains FailOptions::path_substring) fails with
// `fault` instead of reaching the base; with FailOptions::sticky every later matching call fails
// too. A rule that is not sticky disarms after it fires. Several rules may be armed at once; the
// first armed (in arming order) that fires decides the fault.
//
// Faults: kIoError → kDiskIO; kNoSpace → kDiskFull; kShortWrite, on kWrite, writes a prefix of the
// data to the base (FailOptions::short_write_bytes, default half) and then returns kDiskFull (on
// any other operation it is kDiskFull without a base call).
//
// Thread-safety: every call may run concurrently; counters are atomic and the rules are guarded
// by a mutex. Files opened here may outlive this object.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "io/file_system.h"

namespace esent::io {

// How a rule armed by FaultFileSystem::fail_at matches and fails.
struct FaultOptions {
  // Keep failing every matching call after the nth.
  bool sticky = false;
  // Only calls whose path (either path of a rename; the File's path) contains this substring
  // are counted towards nth and can fail. Empty: every call.
  std::string path_substring;
  // kShortWrite: how many bytes reach the base (capped at the write's size). Default: half.
  std::optional<std::size_t> short_write_bytes;
};

class FaultFileSystem : public FileSystem {
 public:
  enum class Operation : std::uint8_t {
    // FileSystem calls.
    kCurrentDirectory,
    kDirectoryExists,
    kCreateDirectories,
    kOpen,
    kFileExists,
    kFileSize,
    kRemove,
    kRename,
    kSyncDirectory,
    kList,
    kRemoveDirectory,
    kIsSymbolicLink,
    // File calls.
    kRead,
    kWrite,
    kSync,
    kSize,
    kTruncate,
    kLock,
  };
  static constexpr std::size_t kOperationCount = static_cast<std::size_t>(Operation::kLock) + 1;

  enum class Fault : std::uint8_t {
    kIoError,     // kDiskIO
    kNoSpace,     // kDiskFull
    kShortWrite,  // part of the data is written, then kDiskFull
  };

  using FailOptions = FaultOptions;

  explicit FaultFileSystem(std::shared_ptr<FileSystem> base);
  ~FaultFileSystem() override;
  FaultFileSystem(const FaultFileSystem&) = delete;
  FaultFileSystem& operator=(const FaultFileSystem&) = delete;

  // Calls of `operation` since construction or the last reset_counts(), failed ones included.
  std::uint64_t count(Operation operation) const;
  void reset_counts();

  // Arms a rule (see above). `nth` ≥ 1.
  void fail_at(Operation operation, std::uint64_t nth, Fault fault, FailOptions options = {});
  // Disarms every rule.
  void clear_faults();
  // Called first in every call (on the file system or a File), in the calling thread, with the
  // operation and its path; it may block, to hold a call at a chosen point. Empty: none.
  using CallObserver = std::function<void(Operation operation, const std::string& path)>;
  void set_call_observer(CallObserver observer);
  // Faults injected since construction.
  std::uint64_t injected_count() const;

  const std::shared_ptr<FileSystem>& base() const;

  Result<std::string> current_directory() override;
  Result<bool> directory_exists(const std::string& path) override;
  Status create_directories(const std::string& path) override;
  Result<std::unique_ptr<File>> open_file(const std::string& path,
                                          const OpenOptions& options) override;
  Result<bool> file_exists(const std::string& path) override;
  Result<std::uint64_t> file_size(const std::string& path) override;
  Status remove_file(const std::string& path) override;
  Status rename(const std::string& from, const std::string& to) override;
  Status sync_directory(const std::string& path) override;
  Result<std::vector<std::string>> list_directory(const std::string& path) override;
  Status remove_directory(const std::string& path) override;
  Result<bool> is_symbolic_link(const std::string& path) override;

  // Implementation detail (public only so the wrapped Files can reach it): the counters and rules
  // shared by the file system and its Files.
  struct Injector;

 private:
  std::shared_ptr<FileSystem> base_;
  std::shared_ptr<Injector> injector_;
};

const char* operation_name(FaultFileSystem::Operation operation);

}  // namespace esent::io
