#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "io/file_system.h"

namespace esent::io {

namespace {

Status errno_status(int error_number, const std::string& what) {
  return Status(error_from_errno(error_number), what + ": " + std::strerror(error_number));
}

Status sync_directory(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno_status(errno, "open directory " + path);
  int result = ::fsync(fd);
  int saved = errno;
  ::close(fd);
  if (result != 0) return errno_status(saved, "fsync directory " + path);
  return Status::success();
}

std::string parent_of(const std::string& path) {
  std::size_t end = path.find_last_not_of('/');
  if (end == std::string::npos) return "/";
  std::size_t slash = path.find_last_of('/', end);
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

class PosixFileSystem final : public FileSystem {
 public:
  Result<std::string> current_directory() override {
    char buffer[PATH_MAX];
    if (::getcwd(buffer, sizeof buffer) == nullptr) return errno_status(errno, "getcwd");
    return std::string(buffer);
  }

  Result<bool> directory_exists(const std::string& path) override {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) return false;
      return errno_status(errno, "stat " + path);
    }
    return S_ISDIR(info.st_mode);
  }

  Status create_directories(const std::string& path) override {
    Result<bool> exists = directory_exists(path);
    if (!exists.ok()) return exists.status();
    if (exists.value()) return Status::success();
    std::string parent = parent_of(path);
    if (parent != path) ESENT_RETURN_IF_ERROR(create_directories(parent));
    if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
      return errno_status(errno, "mkdir " + path);
    }
    return sync_directory(parent);
  }
};

}  // namespace

std::shared_ptr<FileSystem> posix_file_system() {
  static const std::shared_ptr<FileSystem> instance = std::make_shared<PosixFileSystem>();
  return instance;
}

Error error_from_errno(int error_number) {
  switch (error_number) {
    case ENOENT:
    case ENOTDIR:
      return Error::kPathNotFound;
    case EACCES:
    case EPERM:
    case EROFS:
      return Error::kFileAccessDenied;
    case ENOSPC:
    case EDQUOT:
      return Error::kDiskFull;
    case ENOMEM:
      return Error::kOutOfMemory;
    default:
      return Error::kDiskIO;
  }
}

}  // namespace esent::io
