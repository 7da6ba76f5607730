// An in-memory FileSystem for tests: directories and regular files held in the process, with the
// same observable behaviour and errors as the POSIX one (see file_system.h), and nothing durable.
//
// Paths: '/'-separated; a relative path is taken against current_directory() ("/" unless given);
// repeated '/', a trailing '/', "." and ".." are resolved lexically. A missing last component gives
// kFileNotFound, a missing (or non-directory) parent gives kInvalidPath.
//
// Locks follow open-file-description semantics: a lock belongs to one open File; a conflicting
// lock requested through another File of the same file fails with kFileAccessDenied; a File's lock
// is released when it is destroyed. Locks are per file (they follow renames).
//
// Limits: a file is a contiguous byte vector (a write far beyond the end allocates the hole); a
// file larger than kMaxFileSizeBytes gives kDiskFull.
//
// Thread-safety: every FileSystem and File call may run concurrently from any thread; one mutex
// serialises them. A File may outlive the file system that opened it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/file_system.h"

namespace esent::io {

namespace detail {
struct MemoryState;
}  // namespace detail

class MemoryFileSystem : public FileSystem {
 public:
  static constexpr std::uint64_t kMaxFileSizeBytes = std::uint64_t{1} << 36;  // 64 GiB

  // `current_directory` must be absolute; it need not exist.
  explicit MemoryFileSystem(std::string current_directory = "/");
  ~MemoryFileSystem() override;
  MemoryFileSystem(const MemoryFileSystem&) = delete;
  MemoryFileSystem& operator=(const MemoryFileSystem&) = delete;

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
  // No links here: always false (OpenOptions::no_follow has nothing to refuse).
  Result<bool> is_symbolic_link(const std::string& path) override;

 protected:
  // For CrashFileSystem: `track_durability` keeps, beside the visible state, the durable one
  // (synced file bytes, synced directory entries).
  MemoryFileSystem(std::string current_directory, bool track_durability);

  // Shared with every File opened here (they keep it alive).
  std::shared_ptr<detail::MemoryState> state_;
};

// A new, empty in-memory file system whose working directory is "/".
std::shared_ptr<FileSystem> memory_file_system();

}  // namespace esent::io
