// The seam between libesent and the operating system: every file-system effect goes through a
// FileSystem, so tests can substitute an in-memory, fault-injecting or crashable one.
// Nothing outside src/io/ calls open, stat, mkdir, fsync or getcwd.
//
// This first version holds what instance start-up needs (directories and the working
// directory); the storage layers extend it with files, reads, writes and syncs.
#pragma once

#include <memory>
#include <string>

#include "util/status.h"

namespace esent::io {

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // The process's working directory, absolute.
  virtual Result<std::string> current_directory() = 0;

  // Whether `path` names an existing directory.
  virtual Result<bool> directory_exists(const std::string& path) = 0;

  // Creates `path` and any missing parents; each creation is made durable by syncing the
  // parent directory. An existing directory is success.
  virtual Status create_directories(const std::string& path) = 0;
};

// The real file system (POSIX). Shared by every instance; thread-safe.
std::shared_ptr<FileSystem> posix_file_system();

// Maps an errno value to the engine's Error.
Error error_from_errno(int error_number);

}  // namespace esent::io
