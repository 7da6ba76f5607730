// CrashFileSystem: what survives crash() is exactly the durable state of file_system.h's
// contract, with torn last sectors and kept unsynced changes only when asked for.
#include <gtest/gtest.h>

#include <set>

#include "io/crash_file_system.h"
#include "io_test_util.h"

namespace esent::io {
namespace {

using test_util::as_bytes;
using test_util::open_for_write;
using test_util::read_all;
using test_util::read_file;
using test_util::write_file;

class CrashFileSystemTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(fs_->create_directories("/db").ok()); }

  // Creates `path` with `text`, file and directory entry both durable.
  void durable_file(const std::string& path, const std::string& text) {
    write_file(*fs_, path, text, /*sync=*/true);
    ASSERT_TRUE(fs_->sync_directory("/db").ok());
  }

  bool exists(const std::string& path) { return fs_->file_exists(path).value(); }

  std::shared_ptr<CrashFileSystem> fs_ = std::make_shared<CrashFileSystem>();
};

TEST_F(CrashFileSystemTest, CreateDirectoriesIsDurable) {
  ASSERT_TRUE(fs_->create_directories("/a/b/c").ok());
  fs_->crash();
  EXPECT_TRUE(fs_->directory_exists("/a/b/c").value());
  EXPECT_TRUE(fs_->directory_exists("/db").value());
}

TEST_F(CrashFileSystemTest, UnsyncedWritesAreLostSyncedKept) {
  durable_file("/db/data", "durable");
  auto file = fs_->open_file("/db/data", OpenOptions{.write = true});
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(file.value()->write_at(0, as_bytes("VOLATILE-AND-LONGER")).ok());
  EXPECT_EQ(read_file(*fs_, "/db/data"), "VOLATILE-AND-LONGER");
  fs_->crash();
  EXPECT_EQ(read_file(*fs_, "/db/data"), "durable");
  EXPECT_EQ(fs_->file_size("/db/data").value(), 7u);
}

TEST_F(CrashFileSystemTest, SyncMakesEveryEarlierWriteDurable) {
  durable_file("/db/data", "");
  auto file = fs_->open_file("/db/data", OpenOptions{.write = true});
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(file.value()->write_at(0, as_bytes("one")).ok());
  ASSERT_TRUE(file.value()->write_at(3, as_bytes("two")).ok());
  ASSERT_TRUE(file.value()->sync().ok());
  ASSERT_TRUE(file.value()->write_at(6, as_bytes("three")).ok());
  fs_->crash();
  EXPECT_EQ(read_file(*fs_, "/db/data"), "onetwo");
}

TEST_F(CrashFileSystemTest, TruncateIsDurableOnlyAfterSync) {
  durable_file("/db/data", "0123456789");
  auto file = fs_->open_file("/db/data", OpenOptions{.write = true});
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(file.value()->truncate(4).ok());
  fs_->crash();
  EXPECT_EQ(read_file(*fs_, "/db/data"), "0123456789");

  auto again = fs_->open_file("/db/data", OpenOptions{.write = true});
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE(again.value()->truncate(4).ok());
  ASSERT_TRUE(again.value()->sync().ok());
  fs_->crash();
  EXPECT_EQ(read_file(*fs_, "/db/data"), "0123");
}

TEST_F(CrashFileSystemTest, NewFileNeedsItsDirectorySynced) {
  write_file(*fs_, "/db/new", "synced data", /*sync=*/true);
  fs_->crash();
  EXPECT_FALSE(exists("/db/new")) << "the file's bytes were synced, its directory entry was not";

  write_file(*fs_, "/db/new", "synced data", /*sync=*/true);
  ASSERT_TRUE(fs_->sync_directory("/db").ok());
  fs_->crash();
  EXPECT_EQ(read_file(*fs_, "/db/new"), "synced data");
}

TEST_F(CrashFileSystemTest, DurableEntryWithUnsyncedDataIsEmpty) {
  write_file(*fs_, "/db/new", "never synced");
  ASSERT_TRUE(fs_->sync_directory("/db").ok());
  fs_->crash();
  EXPECT_TRUE(exists("/db/new"));
  EXPECT_EQ(fs_->file_size("/db/new").value(), 0u);
}

TEST_F(CrashFileSystemTest, UnsyncedRenameIsReverted) {
  durable_file("/db/edb.tmp", "new checkpoint");
  durable_file("/db/edb.chk", "old checkpoint");
  ASSERT_TRUE(fs_->rename("/db/edb.tmp", "/db/edb.chk").ok());
  fs_->crash();
  EXPECT_EQ(read_file(*fs_, "/db/edb.chk"), "old checkpoint");
  EXPECT_EQ(read_file(*fs_, "/db/edb.tmp"), "new checkpoint");

  ASSERT_TRUE(fs_->rename("/db/edb.tmp", "/db/edb.chk").ok());
  ASSERT_TRUE(fs_->sync_directory("/db").ok());
  fs_->crash();
  EXPECT_EQ(read_file(*fs_, "/db/edb.chk"), "new checkpoint");
  EXPECT_FALSE(exists("/db/edb.tmp"));
}

TEST_F(CrashFileSystemTest, UnsyncedRemoveIsReverted) {
  durable_file("/db/old.log", "log records");
  ASSERT_TRUE(fs_->remove_file("/db/old.log").ok());
  fs_->crash();
  EXPECT_EQ(read_file(*fs_, "/db/old.log"), "log records");

  ASSERT_TRUE(fs_->remove_file("/db/old.log").ok());
  ASSERT_TRUE(fs_->sync_directory("/db").ok());
  fs_->crash();
  EXPECT_FALSE(exists("/db/old.log"));
}

TEST_F(CrashFileSystemTest, UnsyncedDirectoryRemovalAndEntriesInsideRevert) {
  ASSERT_TRUE(fs_->create_directories("/db/logs").ok());
  write_file(*fs_, "/db/logs/a.log", "a", /*sync=*/true);
  fs_->crash();
  EXPECT_TRUE(fs_->directory_exists("/db/logs").value());
  EXPECT_TRUE(fs_->list_directory("/db/logs").value().empty());

  ASSERT_TRUE(fs_->remove_directory("/db/logs").ok());
  fs_->crash();
  EXPECT_TRUE(fs_->directory_exists("/db/logs").value());
}

TEST_F(CrashFileSystemTest, RenameAcrossDirectoriesFollowsEachDirectorysSync) {
  ASSERT_TRUE(fs_->create_directories("/db/archive").ok());
  durable_file("/db/e01.log", "generation 1");
  ASSERT_TRUE(fs_->rename("/db/e01.log", "/db/archive/e01.log").ok());
  ASSERT_TRUE(fs_->sync_directory("/db").ok());  // only the source directory
  auto lost = fs_->clone_durable();
  EXPECT_FALSE(lost->file_exists("/db/e01.log").value());
  EXPECT_FALSE(lost->file_exists("/db/archive/e01.log").value());

  ASSERT_TRUE(fs_->sync_directory("/db/archive").ok());
  fs_->crash();
  EXPECT_FALSE(exists("/db/e01.log"));
  EXPECT_EQ(read_file(*fs_, "/db/archive/e01.log"), "generation 1");
}

TEST_F(CrashFileSystemTest, FilesOpenedBeforeACrashFailWithDiskIO) {
  durable_file("/db/data", "content");
  auto old_file = fs_->open_file("/db/data", OpenOptions{.write = true});
  ASSERT_TRUE(old_file.ok());
  ASSERT_TRUE(old_file.value()->lock(true).ok());
  EXPECT_EQ(fs_->crash_count(), 0u);
  fs_->crash();
  EXPECT_EQ(fs_->crash_count(), 1u);
  File& dead = *old_file.value();
  std::vector<std::byte> buffer(4);
  EXPECT_EQ(dead.read_at(0, buffer).status().error(), Error::kDiskIO);
  EXPECT_EQ(dead.write_at(0, as_bytes("x")).error(), Error::kDiskIO);
  EXPECT_EQ(dead.sync().error(), Error::kDiskIO);
  EXPECT_EQ(dead.size().status().error(), Error::kDiskIO);
  EXPECT_EQ(dead.truncate(0).error(), Error::kDiskIO);
  EXPECT_EQ(dead.lock(false).error(), Error::kDiskIO);
  EXPECT_EQ(dead.path(), "/db/data");
  // The reboot: new opens work, and the dead File's lock is gone.
  auto new_file = fs_->open_file("/db/data", OpenOptions{.write = true});
  ASSERT_TRUE(new_file.ok());
  EXPECT_TRUE(new_file.value()->lock(true).ok());
  EXPECT_EQ(read_all(*new_file.value()), "content");
  ASSERT_TRUE(new_file.value()->write_at(0, as_bytes("C")).ok());
  EXPECT_EQ(read_all(*new_file.value()), "Content");
}

TEST_F(CrashFileSystemTest, CrashWithKeepProbabilityOneKeepsUnsyncedData) {
  durable_file("/db/data", "aaaa");
  auto file = fs_->open_file("/db/data", OpenOptions{.write = true});
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(file.value()->write_at(4, as_bytes("bbbb")).ok());
  ASSERT_TRUE(file.value()->truncate(6).ok());
  CrashOptions options;
  options.keep_unsynced_probability = 1.0;
  fs_->crash(options);
  EXPECT_EQ(read_file(*fs_, "/db/data"), "aaaabb");
  // What survived is now durable.
  fs_->crash();
  EXPECT_EQ(read_file(*fs_, "/db/data"), "aaaabb");
}

TEST_F(CrashFileSystemTest, KeepProbabilityKeepsASubsetInOrder) {
  durable_file("/db/data", std::string(8, '.'));
  auto file = fs_->open_file("/db/data", OpenOptions{.write = true});
  ASSERT_TRUE(file.ok());
  for (std::uint64_t index = 0; index < 8; ++index) {
    ASSERT_TRUE(file.value()->write_at(index, as_bytes("x")).ok());
  }
  std::set<std::string> outcomes;
  for (std::uint64_t seed = 0; seed < 32; ++seed) {
    CrashOptions options;
    options.seed = seed;
    options.keep_unsynced_probability = 0.5;
    std::string content = read_file(*fs_->clone_crashed(options), "/db/data");
    ASSERT_EQ(content.size(), 8u) << "seed " << seed;
    for (char byte : content) ASSERT_TRUE(byte == '.' || byte == 'x') << "seed " << seed;
    outcomes.insert(content);
  }
  EXPECT_GT(outcomes.size(), 8u) << "different seeds keep different subsets";
}

TEST_F(CrashFileSystemTest, TornLastSectorKeepsASectorAlignedPrefix) {
  constexpr std::size_t kPageBytes = 8192;
  constexpr std::size_t kSector = CrashFileSystem::kSectorSizeBytes;
  durable_file("/db/page", std::string(2 * kPageBytes, 'o'));
  auto file = fs_->open_file("/db/page", OpenOptions{.write = true});
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(file.value()->write_at(0, as_bytes(std::string(kPageBytes, 'A'))).ok());
  ASSERT_TRUE(file.value()->write_at(kPageBytes, as_bytes(std::string(kPageBytes, 'n'))).ok());
  std::set<std::size_t> prefixes;
  for (std::uint64_t seed = 0; seed < 64; ++seed) {
    CrashOptions options;
    options.seed = seed;
    options.tear_last_sector = true;
    auto crashed = fs_->clone_crashed(options);
    std::string content = read_file(*crashed, "/db/page");
    ASSERT_EQ(content.size(), 2 * kPageBytes) << "seed " << seed;
    // The earlier unsynced write is dropped whole.
    EXPECT_EQ(content.substr(0, kPageBytes), std::string(kPageBytes, 'o')) << "seed " << seed;
    std::string last = content.substr(kPageBytes);
    std::size_t kept = last.find_first_not_of('n');
    if (kept == std::string::npos) kept = kPageBytes;
    EXPECT_EQ(kept % kSector, 0u) << "seed " << seed;
    EXPECT_EQ(last.substr(kept), std::string(kPageBytes - kept, 'o')) << "seed " << seed;
    prefixes.insert(kept);
    // The same seed gives the same crash.
    EXPECT_EQ(read_file(*fs_->clone_crashed(options), "/db/page"), content) << "seed " << seed;
  }
  EXPECT_GT(prefixes.size(), 4u);
  auto torn = std::count_if(prefixes.begin(), prefixes.end(),
                            [](std::size_t kept) { return kept > 0 && kept < kPageBytes; });
  EXPECT_GT(torn, 0) << "at least one seed tears the page in the middle";
}

TEST_F(CrashFileSystemTest, TornWriteBeyondTheEndGrowsOnlyByTheKeptSectors) {
  durable_file("/db/log", std::string(512, 'h'));
  auto file = fs_->open_file("/db/log", OpenOptions{.write = true});
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(file.value()->write_at(512, as_bytes(std::string(4096, 'r'))).ok());
  std::set<std::uint64_t> sizes;
  for (std::uint64_t seed = 0; seed < 32; ++seed) {
    CrashOptions options;
    options.seed = seed;
    options.tear_last_sector = true;
    auto crashed = fs_->clone_crashed(options);
    std::uint64_t size = crashed->file_size("/db/log").value();
    EXPECT_EQ(size % 512, 0u);
    EXPECT_GE(size, 512u);
    EXPECT_LE(size, 512u + 4096u);
    sizes.insert(size);
  }
  EXPECT_GT(sizes.size(), 2u);
}

TEST_F(CrashFileSystemTest, CloneDurableIsIndependent) {
  durable_file("/db/data", "durable");
  auto file = fs_->open_file("/db/data", OpenOptions{.write = true});
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(file.value()->write_at(0, as_bytes("VOLATILE")).ok());
  write_file(*fs_, "/db/unsynced-entry", "x", /*sync=*/true);

  auto clone = fs_->clone_durable();
  EXPECT_EQ(read_file(*clone, "/db/data"), "durable");
  EXPECT_FALSE(clone->file_exists("/db/unsynced-entry").value());
  // The original is unchanged and its Files still work.
  EXPECT_EQ(read_file(*fs_, "/db/data"), "VOLATILE");
  EXPECT_TRUE(file.value()->sync().ok());
  EXPECT_EQ(fs_->crash_count(), 0u);
  // Changes to one are not seen by the other.
  write_file(*clone, "/db/data", "clone", /*sync=*/true);
  EXPECT_EQ(read_file(*fs_, "/db/data"), "VOLATILE");
  // The clone is crashable in its turn.
  clone->crash();
  EXPECT_EQ(read_file(*clone, "/db/data"), "clone");
}

}  // namespace
}  // namespace esent::io
