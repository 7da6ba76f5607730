// The real file system: POSIX calls behind the FileSystem seam.
//
// Contracts kept here (see file_system.h):
// - every call that can be interrupted (open, pread, pwrite, ftruncate, fcntl) is retried on
//   EINTR; fsync is never retried (a failed fsync leaves the file's state unknown) and close is
//   never retried (on Linux the descriptor is gone even when close reports EINTR);
// - a path whose last component is missing gives kFileNotFound, one whose parent directory is
//   missing (or is not a directory) gives kInvalidPath;
// - a read-only File refuses write_at, truncate and an exclusive lock with kFileAccessDenied
//   without calling the OS;
// - locks are open-file-description locks (F_OFD_SETLK): they conflict between two Files of the
//   same path in one process and between processes, and die with the File;
// - new files get mode 0640 and new directories 0750 (then the umask): the databases, logs and
//   backups hold the data of the application, which is not for every user of the machine;
// - OpenOptions::no_follow opens with O_NOFOLLOW; its ELOOP on a final symbolic link (confirmed
//   with lstat) becomes kFileAccessDenied.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <limits>

#include "io/file_system.h"

namespace esent::io {

namespace {

constexpr mode_t kFileMode = 0640;
constexpr mode_t kDirectoryMode = 0750;

// Runs `call` until it does not fail with EINTR. `call` returns -1 and sets errno on failure.
template <typename Call>
auto retry_on_interrupt(Call call) {
  while (true) {
    auto result = call();
    if (result != -1 || errno != EINTR) return result;
  }
}

Status errno_status(int error_number, const std::string& what) {
  return Status(error_from_errno(error_number), what + ": " + std::strerror(error_number));
}

std::string parent_of(const std::string& path) {
  std::size_t end = path.find_last_not_of('/');
  if (end == std::string::npos) return "/";
  std::size_t slash = path.find_last_of('/', end);
  if (slash == std::string::npos) return ".";
  std::size_t parent_end = path.find_last_not_of('/', slash);
  return parent_end == std::string::npos ? "/" : path.substr(0, parent_end + 1);
}

// stat() that reports only existence and kind; errors other than "missing" are returned.
enum class Kind { kMissing, kFile, kDirectory, kOther };

Result<Kind> kind_of(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return Kind::kMissing;
    return errno_status(errno, "stat " + path);
  }
  if (S_ISREG(info.st_mode)) return Kind::kFile;
  if (S_ISDIR(info.st_mode)) return Kind::kDirectory;
  return Kind::kOther;
}

bool is_link(const std::string& path) {
  struct stat info {};
  return ::lstat(path.c_str(), &info) == 0 && S_ISLNK(info.st_mode);
}

bool is_directory(const std::string& path) {
  Result<Kind> kind = kind_of(path);
  return kind.ok() && kind.value() == Kind::kDirectory;
}

// The Status for a failed call on `path`: ENOENT/ENOTDIR become kFileNotFound when the parent
// directory exists, else kInvalidPath.
Status path_errno_status(int error_number, const std::string& what, const std::string& path) {
  if (error_number == ENOENT || error_number == ENOTDIR) {
    Error error = is_directory(parent_of(path)) ? Error::kFileNotFound : Error::kInvalidPath;
    return Status(error, what + " " + path + ": " + std::strerror(error_number));
  }
  return errno_status(error_number, what + " " + path);
}

Status sync_directory_at(const std::string& path) {
  int fd = retry_on_interrupt(
      [&] { return ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); });
  if (fd < 0) return path_errno_status(errno, "open directory", path);
  int result = ::fsync(fd);
  int saved = errno;
  ::close(fd);
  if (result != 0) return errno_status(saved, "fsync directory " + path);
  return Status::success();
}

class PosixFile final : public File {
 public:
  PosixFile(int fd, std::string path, bool writable)
      : fd_(fd), path_(std::move(path)), writable_(writable) {}
  ~PosixFile() override { ::close(fd_); }
  PosixFile(const PosixFile&) = delete;
  PosixFile& operator=(const PosixFile&) = delete;

  Result<std::size_t> read_at(std::uint64_t offset, std::span<std::byte> buffer) override {
    if (!fits_offset(offset, buffer.size())) return Status(Error::kInvalidParameter, path_);
    std::size_t done = 0;
    while (done < buffer.size()) {
      ssize_t count = retry_on_interrupt([&] {
        return ::pread(fd_, buffer.data() + done, buffer.size() - done,
                       static_cast<off_t>(offset + done));
      });
      if (count < 0) return errno_status(errno, "pread " + path_);
      if (count == 0) break;
      done += static_cast<std::size_t>(count);
    }
    return done;
  }

  Status write_at(std::uint64_t offset, std::span<const std::byte> data) override {
    if (!writable_) return Status(Error::kFileAccessDenied, "opened read-only: " + path_);
    if (!fits_offset(offset, data.size())) return Status(Error::kInvalidParameter, path_);
    std::size_t done = 0;
    while (done < data.size()) {
      ssize_t count = retry_on_interrupt([&] {
        return ::pwrite(fd_, data.data() + done, data.size() - done,
                        static_cast<off_t>(offset + done));
      });
      if (count < 0) return errno_status(errno, "pwrite " + path_);
      if (count == 0) return Status(Error::kDiskIO, "pwrite wrote nothing: " + path_);
      done += static_cast<std::size_t>(count);
    }
    return Status::success();
  }

  Status sync() override {
    // Never retried: after a failed fsync the kernel may have dropped the dirty pages.
    if (::fsync(fd_) != 0) return errno_status(errno, "fsync " + path_);
    return Status::success();
  }

  Result<std::uint64_t> size() override {
    struct stat info {};
    if (::fstat(fd_, &info) != 0) return errno_status(errno, "fstat " + path_);
    return static_cast<std::uint64_t>(info.st_size);
  }

  Status truncate(std::uint64_t size_bytes) override {
    if (!writable_) return Status(Error::kFileAccessDenied, "opened read-only: " + path_);
    if (!fits_offset(size_bytes, 0)) return Status(Error::kInvalidParameter, path_);
    if (retry_on_interrupt([&] { return ::ftruncate(fd_, static_cast<off_t>(size_bytes)); }) != 0) {
      return errno_status(errno, "ftruncate " + path_);
    }
    return Status::success();
  }

  Status lock(bool exclusive) override {
    if (exclusive && !writable_) {
      return Status(Error::kFileAccessDenied, "exclusive lock on a read-only file: " + path_);
    }
    struct flock request {};
    request.l_type = static_cast<short>(exclusive ? F_WRLCK : F_RDLCK);
    request.l_whence = SEEK_SET;
    request.l_start = 0;
    request.l_len = 0;
    if (retry_on_interrupt([&] { return ::fcntl(fd_, F_OFD_SETLK, &request); }) != 0) {
      if (errno == EAGAIN || errno == EACCES) {
        return Status(Error::kFileAccessDenied, "locked elsewhere: " + path_);
      }
      return errno_status(errno, "lock " + path_);
    }
    return Status::success();
  }

  const std::string& path() const override { return path_; }

 private:
  // Whether [offset, offset + length) is addressable with off_t.
  static bool fits_offset(std::uint64_t offset, std::size_t length) {
    constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<off_t>::max());
    return offset <= kMax && length <= kMax - offset;
  }

  int fd_;
  std::string path_;
  bool writable_;
};

class PosixFileSystem final : public FileSystem {
 public:
  Result<std::string> current_directory() override {
    char buffer[PATH_MAX];
    if (::getcwd(buffer, sizeof buffer) == nullptr) return errno_status(errno, "getcwd");
    return std::string(buffer);
  }

  Result<bool> directory_exists(const std::string& path) override {
    Result<Kind> kind = kind_of(path);
    if (!kind.ok()) return kind.status();
    return kind.value() == Kind::kDirectory;
  }

  Status create_directories(const std::string& path) override {
    Result<Kind> kind = kind_of(path);
    if (!kind.ok()) return kind.status();
    if (kind.value() == Kind::kDirectory) return Status::success();
    if (kind.value() != Kind::kMissing) {
      return Status(Error::kFileAlreadyExists, "not a directory: " + path);
    }
    std::string parent = parent_of(path);
    if (parent != path) ESENT_RETURN_IF_ERROR(create_directories(parent));
    if (::mkdir(path.c_str(), kDirectoryMode) != 0) {
      int saved = errno;
      // Lost a race with another creator: fine if what now exists is a directory.
      if (saved != EEXIST) return path_errno_status(saved, "mkdir", path);
      if (!is_directory(path)) return Status(Error::kFileAlreadyExists, "not a directory: " + path);
      return Status::success();
    }
    return sync_directory_at(parent);
  }

  Result<std::unique_ptr<File>> open_file(const std::string& path,
                                          const OpenOptions& options) override {
    if (options.create && !options.write) {
      return Status(Error::kInvalidParameter, "create without write: " + path);
    }
    int flags = O_CLOEXEC | (options.write ? O_RDWR : O_RDONLY);
    if (options.create) flags |= O_CREAT;
    if (options.create && options.exclusive) flags |= O_EXCL;
    if (options.write && options.truncate) flags |= O_TRUNC;
    if (options.no_follow) flags |= O_NOFOLLOW;
    int fd = retry_on_interrupt([&] { return ::open(path.c_str(), flags, kFileMode); });
    if (fd < 0) {
      int saved = errno;
      if (saved == EEXIST) return Status(Error::kFileAlreadyExists, path);
      if (saved == ELOOP && options.no_follow && is_link(path)) {
        return Status(Error::kFileAccessDenied, "a symbolic link, not followed: " + path);
      }
      return path_errno_status(saved, "open", path);
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
      int saved = errno;
      ::close(fd);
      return errno_status(saved, "fstat " + path);
    }
    if (!S_ISREG(info.st_mode)) {
      ::close(fd);
      return Status(Error::kFileAccessDenied, "not a regular file: " + path);
    }
    return std::unique_ptr<File>(std::make_unique<PosixFile>(fd, path, options.write));
  }

  Result<bool> file_exists(const std::string& path) override {
    Result<Kind> kind = kind_of(path);
    if (!kind.ok()) return kind.status();
    return kind.value() == Kind::kFile;
  }

  Result<std::uint64_t> file_size(const std::string& path) override {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return path_errno_status(errno, "stat", path);
    if (!S_ISREG(info.st_mode)) {
      return Status(Error::kFileAccessDenied, "not a regular file: " + path);
    }
    return static_cast<std::uint64_t>(info.st_size);
  }

  Status remove_file(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return path_errno_status(errno, "unlink", path);
    return Status::success();
  }

  Status rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) == 0) return Status::success();
    int saved = errno;
    std::string what = "rename " + from + " to " + to + ": " + std::strerror(saved);
    switch (saved) {
      case ENOENT:
      case ENOTDIR: {
        if (!is_directory(parent_of(from)) || !is_directory(parent_of(to))) {
          return Status(Error::kInvalidPath, what);
        }
        Result<Kind> kind = kind_of(from);
        if (kind.ok() && kind.value() == Kind::kMissing) return Status(Error::kFileNotFound, what);
        // A directory onto a file.
        return Status(Error::kFileAccessDenied, what);
      }
      case EINVAL:  // a directory into its own subtree
        return Status(Error::kInvalidParameter, what);
      default:
        return Status(error_from_errno(saved), what);
    }
  }

  Status sync_directory(const std::string& path) override { return sync_directory_at(path); }

  Result<std::vector<std::string>> list_directory(const std::string& path) override {
    DIR* directory = ::opendir(path.c_str());
    if (directory == nullptr) return path_errno_status(errno, "opendir", path);
    std::vector<std::string> names;
    int saved = 0;
    while (true) {
      errno = 0;
      struct dirent* entry = ::readdir(directory);
      if (entry == nullptr) {
        saved = errno;
        break;
      }
      std::string name = entry->d_name;
      if (name != "." && name != "..") names.push_back(std::move(name));
    }
    ::closedir(directory);
    if (saved != 0) return errno_status(saved, "readdir " + path);
    std::sort(names.begin(), names.end());
    return names;
  }

  Status remove_directory(const std::string& path) override {
    if (::rmdir(path.c_str()) != 0) return path_errno_status(errno, "rmdir", path);
    return Status::success();
  }

  Result<bool> is_symbolic_link(const std::string& path) override {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) return false;
      return errno_status(errno, "lstat " + path);
    }
    return S_ISLNK(info.st_mode);
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
      return Error::kFileNotFound;
    case ENOTDIR:
    case ENAMETOOLONG:
    case ELOOP:
      return Error::kInvalidPath;
    case EEXIST:
      return Error::kFileAlreadyExists;
    case EACCES:
    case EPERM:
    case EROFS:
    case EISDIR:
    case ENOTEMPTY:
    case EBUSY:
    case ETXTBSY:
      return Error::kFileAccessDenied;
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
      return Error::kDiskFull;
    case ENOMEM:
      return Error::kOutOfMemory;
    default:
      return Error::kDiskIO;
  }
}

}  // namespace esent::io
