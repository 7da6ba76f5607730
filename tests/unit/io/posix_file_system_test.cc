// POSIX-only behaviour: locks conflict across processes, errno mapping.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "io/file_system.h"
#include "io_test_util.h"

namespace esent::io {
namespace {

class PosixFileSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "esent-io-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }

  // In a child process: opens `path` afresh and tries the lock. Exit code 0: the lock was denied
  // with kFileAccessDenied; 1: granted; 2: any other failure.
  int lock_in_child(const std::string& path, bool exclusive) {
    pid_t child = ::fork();
    if (child == 0) {
      auto file = posix_file_system()->open_file(path, OpenOptions{.write = true});
      if (!file.ok()) ::_exit(2);
      Status status = file.value()->lock(exclusive);
      if (status.ok()) ::_exit(1);
      ::_exit(status.error() == Error::kFileAccessDenied ? 0 : 2);
    }
    EXPECT_GT(child, 0);
    int wait_status = 0;
    EXPECT_EQ(::waitpid(child, &wait_status, 0), child);
    EXPECT_TRUE(WIFEXITED(wait_status));
    return WEXITSTATUS(wait_status);
  }

  std::string root_;
};

TEST_F(PosixFileSystemTest, ExclusiveLockConflictsWithAnotherProcess) {
  std::string path = root_ + "/locked.edb";
  test_util::write_file(*posix_file_system(), path, "x");
  auto file = posix_file_system()->open_file(path, OpenOptions{.write = true});
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(lock_in_child(path, true), 1) << "unlocked: another process may lock";
  ASSERT_TRUE(file.value()->lock(true).ok());
  EXPECT_EQ(lock_in_child(path, true), 0) << "exclusive held here: denied to another process";
  EXPECT_EQ(lock_in_child(path, false), 0) << "exclusive held here: shared denied too";
  file.value().reset();
  EXPECT_EQ(lock_in_child(path, true), 1) << "released when the File is destroyed";
}

TEST_F(PosixFileSystemTest, SharedLockAdmitsAnotherReaderOnly) {
  std::string path = root_ + "/shared.edb";
  test_util::write_file(*posix_file_system(), path, "x");
  auto file = posix_file_system()->open_file(path, OpenOptions{});
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(file.value()->lock(false).ok());
  EXPECT_EQ(lock_in_child(path, false), 1);
  EXPECT_EQ(lock_in_child(path, true), 0);
}

TEST(ErrorFromErrno, MapsTheDocumentedErrors) {
  EXPECT_EQ(error_from_errno(ENOENT), Error::kFileNotFound);
  EXPECT_EQ(error_from_errno(ENOTDIR), Error::kInvalidPath);
  EXPECT_EQ(error_from_errno(EEXIST), Error::kFileAlreadyExists);
  EXPECT_EQ(error_from_errno(EACCES), Error::kFileAccessDenied);
  EXPECT_EQ(error_from_errno(EPERM), Error::kFileAccessDenied);
  EXPECT_EQ(error_from_errno(EROFS), Error::kFileAccessDenied);
  EXPECT_EQ(error_from_errno(ENOSPC), Error::kDiskFull);
  EXPECT_EQ(error_from_errno(EDQUOT), Error::kDiskFull);
  EXPECT_EQ(error_from_errno(EIO), Error::kDiskIO);
  EXPECT_EQ(error_from_errno(EPROTO), Error::kDiskIO);
}

}  // namespace
}  // namespace esent::io
