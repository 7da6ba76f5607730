// The FileSystem contract (src/io/file_system.h), checked the same way against the POSIX file
// system (in a fresh temporary directory), the in-memory one and the crashable one.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <thread>

#include "io/crash_file_system.h"
#include "io/file_system.h"
#include "io/memory_file_system.h"
#include "io_test_util.h"

namespace esent::io {
namespace {

using test_util::as_bytes;
using test_util::open_for_write;
using test_util::read_all;
using test_util::read_file;
using test_util::write_file;

// A file system and an empty directory in it, removed again at the end.
struct PosixEnvironment {
  PosixEnvironment() {
    std::string pattern = (std::filesystem::temp_directory_path() / "esent-io-XXXXXX").string();
    char* created = ::mkdtemp(pattern.data());
    EXPECT_NE(created, nullptr);
    root = pattern;
    file_system = posix_file_system();
  }
  ~PosixEnvironment() {
    std::error_code ignored;
    std::filesystem::remove_all(root, ignored);
  }
  std::shared_ptr<FileSystem> file_system;
  std::string root;
};

struct MemoryEnvironment {
  MemoryEnvironment() : file_system(memory_file_system()), root("/test") {
    EXPECT_TRUE(file_system->create_directories(root).ok());
  }
  std::shared_ptr<FileSystem> file_system;
  std::string root;
};

struct CrashEnvironment {
  CrashEnvironment() : file_system(std::make_shared<CrashFileSystem>()), root("/test") {
    EXPECT_TRUE(file_system->create_directories(root).ok());
  }
  std::shared_ptr<FileSystem> file_system;
  std::string root;
};

template <typename Environment>
class FileSystemConformance : public ::testing::Test {
 protected:
  FileSystem& fs() { return *environment_.file_system; }
  std::string path(const std::string& name) const { return environment_.root + "/" + name; }

  Environment environment_;
};

using Environments = ::testing::Types<PosixEnvironment, MemoryEnvironment, CrashEnvironment>;

class EnvironmentNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    if constexpr (std::is_same_v<T, PosixEnvironment>) return "Posix";
    if constexpr (std::is_same_v<T, MemoryEnvironment>) return "Memory";
    return "Crash";
  }
};

TYPED_TEST_SUITE(FileSystemConformance, Environments, EnvironmentNames);

TYPED_TEST(FileSystemConformance, CreateWriteReadRoundTrip) {
  auto file = open_for_write(this->fs(), this->path("a.dat"));
  ASSERT_TRUE(file.ok()) << file.status().to_string();
  EXPECT_EQ(file.value()->path(), this->path("a.dat"));
  ASSERT_TRUE(file.value()->write_at(0, as_bytes("hello world")).ok());
  ASSERT_TRUE(file.value()->sync().ok());
  EXPECT_EQ(read_all(*file.value()), "hello world");
  EXPECT_EQ(read_file(this->fs(), this->path("a.dat")), "hello world");
  EXPECT_EQ(this->fs().file_size(this->path("a.dat")).value(), 11u);
}

TYPED_TEST(FileSystemConformance, OpenMissingFileIsFileNotFound) {
  auto file = this->fs().open_file(this->path("missing"), OpenOptions{});
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().error(), Error::kFileNotFound);
  auto writable = this->fs().open_file(this->path("missing"), OpenOptions{.write = true});
  EXPECT_EQ(writable.status().error(), Error::kFileNotFound);
}

TYPED_TEST(FileSystemConformance, MissingParentIsInvalidPath) {
  std::string inside_missing = this->path("no-such-dir/file");
  EXPECT_EQ(this->fs().open_file(inside_missing, OpenOptions{}).status().error(),
            Error::kInvalidPath);
  EXPECT_EQ(open_for_write(this->fs(), inside_missing).status().error(), Error::kInvalidPath);
  EXPECT_EQ(this->fs().file_size(inside_missing).status().error(), Error::kInvalidPath);
  EXPECT_EQ(this->fs().remove_file(inside_missing).error(), Error::kInvalidPath);
  EXPECT_EQ(this->fs().list_directory(inside_missing).status().error(), Error::kInvalidPath);
  write_file(this->fs(), this->path("present"), "x");
  EXPECT_EQ(this->fs().rename(this->path("present"), inside_missing).error(), Error::kInvalidPath);
  EXPECT_EQ(this->fs().rename(inside_missing, this->path("other")).error(), Error::kInvalidPath);
  // A regular file used as a directory is a bad path too.
  EXPECT_EQ(open_for_write(this->fs(), this->path("present/child")).status().error(),
            Error::kInvalidPath);
}

TYPED_TEST(FileSystemConformance, CreateRequiresWrite) {
  auto file = this->fs().open_file(this->path("new"), OpenOptions{.create = true});
  EXPECT_EQ(file.status().error(), Error::kInvalidParameter);
  EXPECT_FALSE(this->fs().file_exists(this->path("new")).value());
}

TYPED_TEST(FileSystemConformance, ExclusiveCreate) {
  OpenOptions exclusive{.write = true, .create = true, .exclusive = true};
  auto first = this->fs().open_file(this->path("x"), exclusive);
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  auto second = this->fs().open_file(this->path("x"), exclusive);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().error(), Error::kFileAlreadyExists);
  // Without exclusive, create opens the existing file and keeps its content.
  ASSERT_TRUE(first.value()->write_at(0, as_bytes("kept")).ok());
  auto again = open_for_write(this->fs(), this->path("x"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(read_all(*again.value()), "kept");
}

TYPED_TEST(FileSystemConformance, TruncateOnOpenEmptiesTheFile) {
  write_file(this->fs(), this->path("t"), "some content");
  auto file = this->fs().open_file(this->path("t"), OpenOptions{.write = true, .truncate = true});
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file.value()->size().value(), 0u);
  EXPECT_EQ(this->fs().file_size(this->path("t")).value(), 0u);
}

TYPED_TEST(FileSystemConformance, ReadAtIsShortOnlyAtEndOfFile) {
  write_file(this->fs(), this->path("r"), "0123456789");
  auto file = this->fs().open_file(this->path("r"), OpenOptions{});
  ASSERT_TRUE(file.ok());
  std::vector<std::byte> buffer(8);
  EXPECT_EQ(file.value()->read_at(0, buffer).value(), 8u);
  EXPECT_EQ(file.value()->read_at(6, buffer).value(), 4u);
  EXPECT_EQ(static_cast<char>(buffer[0]), '6');
  EXPECT_EQ(static_cast<char>(buffer[3]), '9');
  EXPECT_EQ(file.value()->read_at(10, buffer).value(), 0u);
  EXPECT_EQ(file.value()->read_at(1000, buffer).value(), 0u);
}

TYPED_TEST(FileSystemConformance, WriteBeyondEndGrowsWithZeroHole) {
  auto file = open_for_write(this->fs(), this->path("h"));
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(file.value()->write_at(0, as_bytes("ab")).ok());
  ASSERT_TRUE(file.value()->write_at(10000, as_bytes("cd")).ok());
  EXPECT_EQ(file.value()->size().value(), 10002u);
  std::string content = read_all(*file.value());
  ASSERT_EQ(content.size(), 10002u);
  EXPECT_EQ(content.substr(0, 2), "ab");
  EXPECT_EQ(content.substr(2, 9998), std::string(9998, '\0'));
  EXPECT_EQ(content.substr(10000), "cd");
  // Overwrite in the middle keeps the size.
  ASSERT_TRUE(file.value()->write_at(5000, as_bytes("zz")).ok());
  EXPECT_EQ(file.value()->size().value(), 10002u);
}

TYPED_TEST(FileSystemConformance, TruncateShrinksAndGrowsWithZeros) {
  auto file = open_for_write(this->fs(), this->path("s"));
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(file.value()->write_at(0, as_bytes("abcdefgh")).ok());
  ASSERT_TRUE(file.value()->truncate(3).ok());
  EXPECT_EQ(file.value()->size().value(), 3u);
  EXPECT_EQ(this->fs().file_size(this->path("s")).value(), 3u);
  ASSERT_TRUE(file.value()->truncate(6).ok());
  EXPECT_EQ(read_all(*file.value()), std::string("abc\0\0\0", 6));
}

TYPED_TEST(FileSystemConformance, ReadOnlyFileRefusesChanges) {
  write_file(this->fs(), this->path("ro"), "data");
  auto file = this->fs().open_file(this->path("ro"), OpenOptions{});
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file.value()->write_at(0, as_bytes("x")).error(), Error::kFileAccessDenied);
  EXPECT_EQ(file.value()->truncate(0).error(), Error::kFileAccessDenied);
  EXPECT_EQ(file.value()->lock(true).error(), Error::kFileAccessDenied);
  EXPECT_TRUE(file.value()->lock(false).ok());
  EXPECT_EQ(read_all(*file.value()), "data");
}

TYPED_TEST(FileSystemConformance, DirectoryIsNotARegularFile) {
  ASSERT_TRUE(this->fs().create_directories(this->path("dir")).ok());
  EXPECT_EQ(this->fs().open_file(this->path("dir"), OpenOptions{}).status().error(),
            Error::kFileAccessDenied);
  EXPECT_EQ(this->fs().file_size(this->path("dir")).status().error(), Error::kFileAccessDenied);
  EXPECT_EQ(this->fs().remove_file(this->path("dir")).error(), Error::kFileAccessDenied);
  EXPECT_FALSE(this->fs().file_exists(this->path("dir")).value());
  EXPECT_TRUE(this->fs().directory_exists(this->path("dir")).value());
}

TYPED_TEST(FileSystemConformance, ExistenceQueries) {
  write_file(this->fs(), this->path("f"), "12345");
  EXPECT_TRUE(this->fs().file_exists(this->path("f")).value());
  EXPECT_FALSE(this->fs().directory_exists(this->path("f")).value());
  EXPECT_FALSE(this->fs().file_exists(this->path("g")).value());
  EXPECT_FALSE(this->fs().directory_exists(this->path("g")).value());
  EXPECT_FALSE(this->fs().file_exists(this->path("g/h")).value());
  EXPECT_FALSE(this->fs().directory_exists(this->path("f/h")).value());
  EXPECT_EQ(this->fs().file_size(this->path("f")).value(), 5u);
  EXPECT_EQ(this->fs().file_size(this->path("g")).status().error(), Error::kFileNotFound);
  auto current = this->fs().current_directory();
  ASSERT_TRUE(current.ok());
  ASSERT_FALSE(current.value().empty());
  EXPECT_EQ(current.value()[0], '/');
}

// Without links in play every implementation agrees: nothing is a link, and no_follow opens
// plain files as usual (the POSIX-only link cases are in no_follow_test.cc).
TYPED_TEST(FileSystemConformance, IsSymbolicLinkIsFalseForPlainEntriesAndMissingOnes) {
  write_file(this->fs(), this->path("file"), "x");
  ASSERT_TRUE(this->fs().create_directories(this->path("dir")).ok());
  EXPECT_FALSE(this->fs().is_symbolic_link(this->path("file")).value());
  EXPECT_FALSE(this->fs().is_symbolic_link(this->path("dir")).value());
  EXPECT_FALSE(this->fs().is_symbolic_link(this->path("missing")).value());
  EXPECT_FALSE(this->fs().is_symbolic_link(this->path("missing/child")).value());
}

TYPED_TEST(FileSystemConformance, NoFollowOpensPlainFilesAndCreateFreshFileReplacesStaleOnes) {
  write_file(this->fs(), this->path("file"), "stale bytes");
  auto read = this->fs().open_file(this->path("file"), OpenOptions{.no_follow = true});
  ASSERT_TRUE(read.ok()) << read.status().to_string();
  EXPECT_EQ(read_all(*read.value()), "stale bytes");
  auto fresh = create_fresh_file(this->fs(), this->path("file"));
  ASSERT_TRUE(fresh.ok()) << fresh.status().to_string();
  EXPECT_EQ(fresh.value()->size().value(), 0u);
  EXPECT_EQ(read_all(*read.value()), "stale bytes") << "the old file lives on while open";
  ASSERT_TRUE(this->fs().create_directories(this->path("dir")).ok());
  EXPECT_EQ(create_fresh_file(this->fs(), this->path("dir")).status().error(), Error::kFileAlreadyExists);
  EXPECT_TRUE(this->fs().directory_exists(this->path("dir")).value());
}

TYPED_TEST(FileSystemConformance, RenameMovesAndReplaces) {
  write_file(this->fs(), this->path("from"), "new");
  write_file(this->fs(), this->path("to"), "old content");
  ASSERT_TRUE(this->fs().rename(this->path("from"), this->path("to")).ok());
  EXPECT_FALSE(this->fs().file_exists(this->path("from")).value());
  EXPECT_EQ(read_file(this->fs(), this->path("to")), "new");
  // Into another directory.
  ASSERT_TRUE(this->fs().create_directories(this->path("sub")).ok());
  ASSERT_TRUE(this->fs().rename(this->path("to"), this->path("sub/moved")).ok());
  EXPECT_EQ(read_file(this->fs(), this->path("sub/moved")), "new");
  // A directory, with its content.
  ASSERT_TRUE(this->fs().rename(this->path("sub"), this->path("sub2")).ok());
  EXPECT_EQ(read_file(this->fs(), this->path("sub2/moved")), "new");
  EXPECT_FALSE(this->fs().directory_exists(this->path("sub")).value());
}

TYPED_TEST(FileSystemConformance, RenameErrors) {
  EXPECT_EQ(this->fs().rename(this->path("missing"), this->path("x")).error(),
            Error::kFileNotFound);
  write_file(this->fs(), this->path("file"), "f");
  ASSERT_TRUE(this->fs().create_directories(this->path("full/inner")).ok());
  // A file cannot replace a directory, nor a directory a file, nor anything a non-empty directory.
  EXPECT_EQ(this->fs().rename(this->path("file"), this->path("full/inner")).error(),
            Error::kFileAccessDenied);
  EXPECT_EQ(this->fs().rename(this->path("full/inner"), this->path("file")).error(),
            Error::kFileAccessDenied);
  ASSERT_TRUE(this->fs().create_directories(this->path("empty")).ok());
  EXPECT_EQ(this->fs().rename(this->path("empty"), this->path("full")).error(),
            Error::kFileAccessDenied);
  // An empty directory can be replaced.
  ASSERT_TRUE(this->fs().rename(this->path("full"), this->path("empty")).ok());
  EXPECT_TRUE(this->fs().directory_exists(this->path("empty/inner")).value());
  // Not into its own subtree.
  EXPECT_EQ(this->fs().rename(this->path("empty"), this->path("empty/inner/x")).error(),
            Error::kInvalidParameter);
  // Renaming a file onto itself changes nothing.
  ASSERT_TRUE(this->fs().rename(this->path("file"), this->path("file")).ok());
  EXPECT_EQ(read_file(this->fs(), this->path("file")), "f");
}

TYPED_TEST(FileSystemConformance, RemoveFile) {
  write_file(this->fs(), this->path("gone"), "x");
  ASSERT_TRUE(this->fs().remove_file(this->path("gone")).ok());
  EXPECT_FALSE(this->fs().file_exists(this->path("gone")).value());
  EXPECT_EQ(this->fs().remove_file(this->path("gone")).error(), Error::kFileNotFound);
}

TYPED_TEST(FileSystemConformance, OpenFileOutlivesItsRemoval) {
  auto file = open_for_write(this->fs(), this->path("unlinked"));
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(file.value()->write_at(0, as_bytes("still here")).ok());
  ASSERT_TRUE(this->fs().remove_file(this->path("unlinked")).ok());
  EXPECT_EQ(read_all(*file.value()), "still here");
  ASSERT_TRUE(file.value()->write_at(0, as_bytes("STILL")).ok());
  EXPECT_EQ(read_all(*file.value()), "STILL here");
  EXPECT_FALSE(this->fs().file_exists(this->path("unlinked")).value());
}

TYPED_TEST(FileSystemConformance, ListDirectoryIsSortedNames) {
  ASSERT_TRUE(this->fs().create_directories(this->path("list")).ok());
  for (const char* name : {"b.log", "a.log", "c", "B", "edb.chk"}) {
    write_file(this->fs(), this->path("list/") + name, name);
  }
  ASSERT_TRUE(this->fs().create_directories(this->path("list/zdir")).ok());
  auto names = this->fs().list_directory(this->path("list"));
  ASSERT_TRUE(names.ok()) << names.status().to_string();
  EXPECT_EQ(names.value(),
            (std::vector<std::string>{"B", "a.log", "b.log", "c", "edb.chk", "zdir"}));
  EXPECT_EQ(this->fs().list_directory(this->path("list/zdir")).value(),
            std::vector<std::string>{});
  EXPECT_EQ(this->fs().list_directory(this->path("nothing")).status().error(),
            Error::kFileNotFound);
}

TYPED_TEST(FileSystemConformance, CreateDirectoriesMakesEveryLevel) {
  ASSERT_TRUE(this->fs().create_directories(this->path("a/b/c")).ok());
  EXPECT_TRUE(this->fs().directory_exists(this->path("a")).value());
  EXPECT_TRUE(this->fs().directory_exists(this->path("a/b/c")).value());
  // Existing is success; "//" and a trailing '/' name the same directory.
  ASSERT_TRUE(this->fs().create_directories(this->path("a/b/c")).ok());
  ASSERT_TRUE(this->fs().create_directories(this->path("a//b/c/")).ok());
  EXPECT_TRUE(this->fs().directory_exists(this->path("a//b/c/")).value());
  write_file(this->fs(), this->path("a//b/c/f"), "x");
  EXPECT_EQ(read_file(this->fs(), this->path("a/b/c/f")), "x");
  EXPECT_EQ(this->fs().list_directory(this->path("a/b/c/")).value(),
            std::vector<std::string>{"f"});
  // A file in the way.
  EXPECT_EQ(this->fs().create_directories(this->path("a/b/c/f")).error(),
            Error::kFileAlreadyExists);
  EXPECT_EQ(this->fs().create_directories(this->path("a/b/c/f/g")).error(),
            Error::kFileAlreadyExists);
}

TYPED_TEST(FileSystemConformance, RemoveDirectory) {
  ASSERT_TRUE(this->fs().create_directories(this->path("d/e")).ok());
  EXPECT_EQ(this->fs().remove_directory(this->path("d")).error(), Error::kFileAccessDenied);
  ASSERT_TRUE(this->fs().remove_directory(this->path("d/e")).ok());
  ASSERT_TRUE(this->fs().remove_directory(this->path("d")).ok());
  EXPECT_FALSE(this->fs().directory_exists(this->path("d")).value());
  EXPECT_EQ(this->fs().remove_directory(this->path("d")).error(), Error::kFileNotFound);
  EXPECT_EQ(this->fs().remove_directory(this->path("x/y")).error(), Error::kInvalidPath);
}

TYPED_TEST(FileSystemConformance, SyncDirectory) {
  write_file(this->fs(), this->path("f"), "x", /*sync=*/true);
  EXPECT_TRUE(this->fs().sync_directory(this->environment_.root).ok());
  EXPECT_EQ(this->fs().sync_directory(this->path("none")).error(), Error::kFileNotFound);
  EXPECT_EQ(this->fs().sync_directory(this->path("none/deeper")).error(), Error::kInvalidPath);
}

TYPED_TEST(FileSystemConformance, ExclusiveLocksConflict) {
  write_file(this->fs(), this->path("lock"), "");
  auto first = this->fs().open_file(this->path("lock"), OpenOptions{.write = true});
  auto second = this->fs().open_file(this->path("lock"), OpenOptions{.write = true});
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE(first.value()->lock(true).ok());
  // Locking again through the same File is not a conflict.
  EXPECT_TRUE(first.value()->lock(true).ok());
  EXPECT_EQ(second.value()->lock(true).error(), Error::kFileAccessDenied);
  EXPECT_EQ(second.value()->lock(false).error(), Error::kFileAccessDenied);
}

TYPED_TEST(FileSystemConformance, SharedLocksCoexistAndExcludeWriters) {
  write_file(this->fs(), this->path("lock"), "");
  auto reader1 = this->fs().open_file(this->path("lock"), OpenOptions{});
  auto reader2 = this->fs().open_file(this->path("lock"), OpenOptions{});
  auto writer = this->fs().open_file(this->path("lock"), OpenOptions{.write = true});
  ASSERT_TRUE(reader1.ok() && reader2.ok() && writer.ok());
  ASSERT_TRUE(reader1.value()->lock(false).ok());
  ASSERT_TRUE(reader2.value()->lock(false).ok());
  EXPECT_EQ(writer.value()->lock(true).error(), Error::kFileAccessDenied);
  // Released when the Files are destroyed.
  reader1.value().reset();
  EXPECT_EQ(writer.value()->lock(true).error(), Error::kFileAccessDenied);
  reader2.value().reset();
  ASSERT_TRUE(writer.value()->lock(true).ok());
  auto late_reader = this->fs().open_file(this->path("lock"), OpenOptions{});
  ASSERT_TRUE(late_reader.ok());
  EXPECT_EQ(late_reader.value()->lock(false).error(), Error::kFileAccessDenied);
}

TYPED_TEST(FileSystemConformance, LockIsReleasedWhenTheFileIsDestroyed) {
  write_file(this->fs(), this->path("lock"), "");
  {
    auto holder = this->fs().open_file(this->path("lock"), OpenOptions{.write = true});
    ASSERT_TRUE(holder.ok());
    ASSERT_TRUE(holder.value()->lock(true).ok());
    auto other = this->fs().open_file(this->path("lock"), OpenOptions{.write = true});
    ASSERT_TRUE(other.ok());
    EXPECT_EQ(other.value()->lock(true).error(), Error::kFileAccessDenied);
  }
  auto next = this->fs().open_file(this->path("lock"), OpenOptions{.write = true});
  ASSERT_TRUE(next.ok());
  EXPECT_TRUE(next.value()->lock(true).ok());
}

TYPED_TEST(FileSystemConformance, ConcurrentWritesToDistinctRanges) {
  auto file = open_for_write(this->fs(), this->path("parallel"));
  ASSERT_TRUE(file.ok());
  constexpr int kThreads = 4;
  constexpr int kBlocksPerThread = 64;
  constexpr std::size_t kBlockBytes = 512;
  std::vector<std::thread> threads;
  for (int thread = 0; thread < kThreads; ++thread) {
    threads.emplace_back([&, thread] {
      std::vector<std::byte> block(kBlockBytes, static_cast<std::byte>('a' + thread));
      for (int index = 0; index < kBlocksPerThread; ++index) {
        auto offset = static_cast<std::uint64_t>(index * kThreads + thread) * kBlockBytes;
        EXPECT_TRUE(file.value()->write_at(offset, block).ok());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::string content = read_all(*file.value());
  ASSERT_EQ(content.size(), kThreads * kBlocksPerThread * kBlockBytes);
  for (std::size_t block = 0; block < kThreads * kBlocksPerThread; ++block) {
    char expected = static_cast<char>('a' + block % kThreads);
    EXPECT_EQ(content.substr(block * kBlockBytes, kBlockBytes), std::string(kBlockBytes, expected))
        << "block " << block;
  }
}

}  // namespace
}  // namespace esent::io
