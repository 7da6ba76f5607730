#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <algorithm>
#include <cstring>

#include "io/file_system.h"

namespace esent::io {

namespace {

Status errno_status(int error_number, const std::string& what) {
  return Status(error_from_errno(error_number), what + ": " + std::strerror(error_number));
}

Status sync_directory_at(const std::string& path) {
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
    return sync_directory_at(parent);
  }

  Result<std::unique_ptr<File>> open_file(const std::string& path,
                                          const OpenOptions& options) override;

  Result<bool> file_exists(const std::string& path) override {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) return false;
      return errno_status(errno, "stat " + path);
    }
    return S_ISREG(info.st_mode);
  }

  Result<std::uint64_t> file_size(const std::string& path) override {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return open_errno_status(errno, path);
    return static_cast<std::uint64_t>(info.st_size);
  }

  Status remove_file(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return open_errno_status(errno, path);
    return Status::success();
  }

  Status rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return open_errno_status(errno, from);
    return Status::success();
  }

  Status sync_directory(const std::string& path) override { return sync_directory_at(path); }

  Result<std::vector<std::string>> list_directory(const std::string& path) override {
    DIR* directory = ::opendir(path.c_str());
    if (directory == nullptr) return open_errno_status(errno, path);
    std::vector<std::string> names;
    errno = 0;
    while (struct dirent* entry = ::readdir(directory)) {
      std::string name = entry->d_name;
      if (name != "." && name != "..") names.push_back(std::move(name));
    }
    int saved = errno;
    ::closedir(directory);
    if (saved != 0) return errno_status(saved, "readdir " + path);
    std::sort(names.begin(), names.end());
    return names;
  }

  Status remove_directory(const std::string& path) override {
    if (::rmdir(path.c_str()) != 0) return open_errno_status(errno, path);
    return Status::success();
  }

 private:
  // ENOENT on a path: a missing file, or a missing directory on the way to it.
  Status open_errno_status(int error_number, const std::string& path) {
    if (error_number == ENOENT || error_number == ENOTDIR) {
      Result<bool> parent = directory_exists(parent_of(path));
      Error error = parent.ok() && parent.value() ? Error::kFileNotFound : Error::kInvalidPath;
      return Status(error, path + ": " + std::strerror(error_number));
    }
    if (error_number == EEXIST) return Status(Error::kFileAlreadyExists, path);
    return errno_status(error_number, path);
  }

};

class PosixFile final : public File {
 public:
  PosixFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PosixFile() override { ::close(fd_); }
  PosixFile(const PosixFile&) = delete;
  PosixFile& operator=(const PosixFile&) = delete;

  Result<std::size_t> read_at(std::uint64_t offset, std::span<std::byte> buffer) override {
    std::size_t done = 0;
    while (done < buffer.size()) {
      ssize_t count = ::pread(fd_, buffer.data() + done, buffer.size() - done,
                              static_cast<off_t>(offset + done));
      if (count < 0) {
        if (errno == EINTR) continue;
        return errno_status(errno, "pread " + path_);
      }
      if (count == 0) break;
      done += static_cast<std::size_t>(count);
    }
    return done;
  }

  Status write_at(std::uint64_t offset, std::span<const std::byte> data) override {
    std::size_t done = 0;
    while (done < data.size()) {
      ssize_t count = ::pwrite(fd_, data.data() + done, data.size() - done,
                               static_cast<off_t>(offset + done));
      if (count < 0) {
        if (errno == EINTR) continue;
        return errno_status(errno, "pwrite " + path_);
      }
      if (count == 0) return Status(Error::kDiskIO, "pwrite wrote nothing: " + path_);
      done += static_cast<std::size_t>(count);
    }
    return Status::success();
  }

  Status sync() override {
    if (::fsync(fd_) != 0) return errno_status(errno, "fsync " + path_);
    return Status::success();
  }

  Result<std::uint64_t> size() override {
    struct stat info {};
    if (::fstat(fd_, &info) != 0) return errno_status(errno, "fstat " + path_);
    return static_cast<std::uint64_t>(info.st_size);
  }

  Status truncate(std::uint64_t size_bytes) override {
    if (::ftruncate(fd_, static_cast<off_t>(size_bytes)) != 0) {
      return errno_status(errno, "ftruncate " + path_);
    }
    return Status::success();
  }

  Status lock(bool exclusive) override {
    struct flock request {};
    request.l_type = static_cast<short>(exclusive ? F_WRLCK : F_RDLCK);
    request.l_whence = SEEK_SET;
    request.l_start = 0;
    request.l_len = 0;
    if (::fcntl(fd_, F_OFD_SETLK, &request) != 0) {
      if (errno == EAGAIN || errno == EACCES) {
        return Status(Error::kFileAccessDenied, "locked elsewhere: " + path_);
      }
      return errno_status(errno, "lock " + path_);
    }
    return Status::success();
  }

  const std::string& path() const override { return path_; }

 private:
  int fd_;
  std::string path_;
};

Result<std::unique_ptr<File>> PosixFileSystem::open_file(const std::string& path,
                                                         const OpenOptions& options) {
  int flags = O_CLOEXEC | (options.write ? O_RDWR : O_RDONLY);
  if (options.create) flags |= O_CREAT;
  if (options.create && options.exclusive) flags |= O_EXCL;
  if (options.write && options.truncate) flags |= O_TRUNC;
  int fd = ::open(path.c_str(), flags, 0644);
  if (fd < 0) return open_errno_status(errno, path);
  struct stat info {};
  if (::fstat(fd, &info) == 0 && !S_ISREG(info.st_mode)) {
    ::close(fd);
    return Status(Error::kFileAccessDenied, "not a regular file: " + path);
  }
  return std::unique_ptr<File>(std::make_unique<PosixFile>(fd, path));
}

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
