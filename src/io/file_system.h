// The seam between libesent and the operating system: every file-system effect goes through a
// FileSystem, so tests can substitute an in-memory, fault-injecting or crashable one.
// Nothing outside src/io/ calls open, pread, pwrite, stat, mkdir, rename, fsync or getcwd.
//
// Durability contract (every implementation, and what the crashable one simulates):
// - bytes written with File::write_at are durable only after File::sync() returns success;
// - a created, renamed or removed directory entry is durable only after sync_directory() of the
//   directory that holds it returns success;
// - after a failed sync() nothing is known about the file: callers must treat it as lost
//   (sticky failure), never retry and call the data durable.
//
// Errors: ENOENT → kFileNotFound (kInvalidPath when a parent directory is missing), EEXIST →
// kFileAlreadyExists, EACCES/EPERM/EROFS → kFileAccessDenied, ENOSPC/EDQUOT → kDiskFull, EIO and
// anything unexpected → kDiskIO. A lock held elsewhere → kFileAccessDenied. Also, in every
// implementation: a directory where a regular file is expected (open_file, file_size,
// remove_file) → kFileAccessDenied; a non-empty directory (remove_directory, rename onto it) →
// kFileAccessDenied; a missing directory named by sync_directory / list_directory /
// remove_directory → kFileNotFound (kInvalidPath when its parent is missing).
//
// Test implementations: memory_file_system.h (in memory), fault_file_system.h (fails chosen
// calls), crash_file_system.h (simulates power loss per the durability contract).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "util/status.h"

namespace esent::io {

// An open file. Thread-safe: positional reads and writes may run concurrently from many threads.
// Closing is the destructor (it releases the file's lock).
class File {
 public:
  virtual ~File() = default;

  // Reads up to buffer.size() bytes at `offset`. Returns the count read: less than requested only
  // at end of file (0 at or beyond it).
  virtual Result<std::size_t> read_at(std::uint64_t offset, std::span<std::byte> buffer) = 0;

  // Writes all of `data` at `offset`, growing the file as needed (a hole reads as zeros). A short
  // write is an error (kDiskFull or kDiskIO); what reached the file is then unknown. A file opened
  // read-only → kFileAccessDenied.
  virtual Status write_at(std::uint64_t offset, std::span<const std::byte> data) = 0;

  // Makes every byte written so far, and the file's size, durable (fsync).
  virtual Status sync() = 0;

  virtual Result<std::uint64_t> size() = 0;

  // Sets the size: shrinks, or grows with zero bytes. Durable after sync(). Read-only →
  // kFileAccessDenied.
  virtual Status truncate(std::uint64_t size_bytes) = 0;

  // Takes an advisory lock on the whole file, without waiting: exclusive for writers, shared for
  // readers. Implemented with open-file-description locks (F_OFD_SETLK), so it conflicts between
  // processes and between two opens of the same file in one process (two instances), and is
  // released when this File is destroyed. A conflicting lock → kFileAccessDenied. Locking again
  // through the same File converts its lock. An exclusive lock needs a writable File
  // (kFileAccessDenied otherwise).
  virtual Status lock(bool exclusive) = 0;

  // The path the file was opened with.
  virtual const std::string& path() const = 0;
};

struct OpenOptions {
  bool write = false;      // open read-write (else read-only)
  bool create = false;     // create the file when missing (requires write: kInvalidParameter)
  bool exclusive = false;  // with create: fail with kFileAlreadyExists when the file exists
  bool truncate = false;   // with write: empty an existing file
  // The last component must not be a symbolic link (O_NOFOLLOW): one there → kFileAccessDenied
  // (with create + exclusive: kFileAlreadyExists, as for any existing entry), and the link and
  // its target are left alone. Links in the parent directories still resolve.
  bool no_follow = false;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // The process's working directory, absolute.
  virtual Result<std::string> current_directory() = 0;

  // Whether `path` names an existing directory.
  virtual Result<bool> directory_exists(const std::string& path) = 0;

  // Creates `path` and any missing parents; each creation is made durable by syncing the
  // parent directory. An existing directory is success; a file in the way → kFileAlreadyExists.
  virtual Status create_directories(const std::string& path) = 0;

  // Opens (or creates) a regular file. Creating does not sync the directory: call
  // sync_directory() on the parent to make the new entry durable.
  virtual Result<std::unique_ptr<File>> open_file(const std::string& path,
                                                  const OpenOptions& options) = 0;

  // Whether `path` names an existing regular file.
  virtual Result<bool> file_exists(const std::string& path) = 0;

  // The size of a file without opening it.
  virtual Result<std::uint64_t> file_size(const std::string& path) = 0;

  // Removes a file. Missing → kFileNotFound. Durable after sync_directory() of its parent.
  virtual Status remove_file(const std::string& path) = 0;

  // Atomically renames `from` to `to`, replacing `to` if it exists (files or empty directories).
  // Durable after sync_directory() of both parents. A file onto a directory or a directory onto a
  // file → kFileAccessDenied; a directory into its own subtree → kInvalidParameter.
  virtual Status rename(const std::string& from, const std::string& to) = 0;

  // Makes the directory's entries (creations, renames, removals) durable.
  virtual Status sync_directory(const std::string& path) = 0;

  // The names (not paths) of the entries in a directory, without "." and "..", sorted.
  virtual Result<std::vector<std::string>> list_directory(const std::string& path) = 0;

  // Removes an empty directory.
  virtual Status remove_directory(const std::string& path) = 0;

  // Whether `path` itself is a symbolic link, without following it (lstat): false when it is
  // anything else or is missing (or its parent is). A file system without links always says
  // false.
  virtual Result<bool> is_symbolic_link(const std::string& path) = 0;
};

// Opens `path` as a new, empty, writable file created by this call: a regular file already there
// (a stale file of the caller's own) is removed first; a symbolic link there is refused with
// kFileAccessDenied and left alone; a directory there → kFileAlreadyExists. The open is create +
// exclusive + no_follow, so anything planted between the removal and the open (a link, a file)
// is refused with kFileAlreadyExists rather than followed or truncated. Used for every
// staging file the engine writes into a folder someone else may also write to (backup folders,
// `<database>.restoring`).
Result<std::unique_ptr<File>> create_fresh_file(FileSystem& file_system, const std::string& path);

// The real file system (POSIX). Shared by every instance; thread-safe.
std::shared_ptr<FileSystem> posix_file_system();

// Maps an errno value to the engine's Error.
Error error_from_errno(int error_number);

}  // namespace esent::io
