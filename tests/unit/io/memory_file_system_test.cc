// MemoryFileSystem beyond the shared conformance suite: path resolution and limits.
#include <gtest/gtest.h>

#include "io/memory_file_system.h"
#include "io_test_util.h"

namespace esent::io {
namespace {

TEST(MemoryFileSystemTest, RelativePathsResolveAgainstTheWorkingDirectory) {
  MemoryFileSystem file_system("/work/dir");
  EXPECT_EQ(file_system.current_directory().value(), "/work/dir");
  ASSERT_TRUE(file_system.create_directories("/work/dir").ok());
  test_util::write_file(file_system, "data.edb", "relative");
  EXPECT_EQ(test_util::read_file(file_system, "/work/dir/data.edb"), "relative");
  EXPECT_EQ(test_util::read_file(file_system, "/work/./dir/../dir//data.edb"), "relative");
  EXPECT_EQ(test_util::read_file(file_system, "../dir/data.edb"), "relative");
  EXPECT_EQ(file_system.list_directory("/work").value(), std::vector<std::string>{"dir"});
}

TEST(MemoryFileSystemTest, RootIsADirectoryThatCannotBeOpenedOrRemoved) {
  auto file_system = memory_file_system();
  EXPECT_TRUE(file_system->directory_exists("/").value());
  EXPECT_EQ(file_system->open_file("/", OpenOptions{}).status().error(), Error::kFileAccessDenied);
  EXPECT_EQ(file_system->remove_directory("/").error(), Error::kFileAccessDenied);
  EXPECT_TRUE(file_system->list_directory("/").value().empty());
}

TEST(MemoryFileSystemTest, WriteBeyondTheSizeLimitIsDiskFull) {
  auto file_system = memory_file_system();
  auto file = test_util::open_for_write(*file_system, "/big");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file.value()->write_at(MemoryFileSystem::kMaxFileSizeBytes, test_util::as_bytes("x"))
                .error(),
            Error::kDiskFull);
  EXPECT_EQ(file.value()->truncate(MemoryFileSystem::kMaxFileSizeBytes + 1).error(),
            Error::kDiskFull);
  EXPECT_EQ(file.value()->size().value(), 0u);
}

TEST(MemoryFileSystemTest, FileOutlivesItsFileSystem) {
  auto file_system = memory_file_system();
  auto file = test_util::open_for_write(*file_system, "/f");
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(file.value()->lock(true).ok());
  file_system.reset();
  ASSERT_TRUE(file.value()->write_at(0, test_util::as_bytes("ok")).ok());
  EXPECT_EQ(test_util::read_all(*file.value()), "ok");
}

TEST(MemoryFileSystemTest, LocksFollowTheFileNotThePath) {
  auto file_system = memory_file_system();
  test_util::write_file(*file_system, "/a", "");
  auto holder = file_system->open_file("/a", OpenOptions{.write = true});
  ASSERT_TRUE(holder.ok());
  ASSERT_TRUE(holder.value()->lock(true).ok());
  ASSERT_TRUE(file_system->rename("/a", "/b").ok());
  auto other = file_system->open_file("/b", OpenOptions{.write = true});
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other.value()->lock(true).error(), Error::kFileAccessDenied);
  test_util::write_file(*file_system, "/a", "");
  auto fresh = file_system->open_file("/a", OpenOptions{.write = true});
  ASSERT_TRUE(fresh.ok());
  EXPECT_TRUE(fresh.value()->lock(true).ok());
}

}  // namespace
}  // namespace esent::io
