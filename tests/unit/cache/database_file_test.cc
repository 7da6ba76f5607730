// DatabaseFile: create/open/close, locks, the clean/dirty protocol, read-only opens, space
// management, dbtime and header updates.
#include "cache/database_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <cstring>
#include <fstream>
#include <set>
#include <thread>
#include <vector>

#include "cache/header_io.h"
#include "page/page.h"
#include "unit/cache/memory_file.h"

namespace esent::cache {
namespace {

using page::DatabaseState;

std::string unique_directory() {
  static std::atomic<int> counter{0};
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string dir = ::testing::TempDir() + "/esent_dbfile_" + std::to_string(::getpid()) + "_" +
                    std::to_string(counter++) + "_" + info->name();
  // A process id is reused over many runs: a folder left by an earlier process would hold a
  // test.edb that makes create() fail, so start from nothing.
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  EXPECT_TRUE(io::posix_file_system()->create_directories(dir).ok());
  return dir;
}

std::vector<std::byte> file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> bytes(chars.size());
  std::memcpy(bytes.data(), chars.data(), chars.size());
  return bytes;
}

Result<page::DatabaseHeader> header_on_disk(io::FileSystem& fs, const std::string& path) {
  io::OpenOptions options;
  Result<std::unique_ptr<io::File>> file = fs.open_file(path, options);
  if (!file.ok()) return file.status();
  return read_database_header(*file.value(), 0);
}

// Writes a recognisable page through a fresh allocation; returns its number.
Pgno write_new_page(DatabaseFile& db, std::uint32_t value) {
  Result<PageRef> ref = db.allocate();
  EXPECT_TRUE(ref.ok()) << ref.status().to_string();
  if (!ref.ok()) return page::kNoPage;
  auto bytes = ref->mutable_bytes();
  EXPECT_TRUE(page::is_all_zero(bytes));
  page::initialize(bytes, ref->pgno(), page::PageType::kBtreeLeaf, value, 0);
  page::set_dbtime(bytes, db.next_dbtime());
  std::memcpy(bytes.data() + 100, &value, sizeof value);
  ref->mark_dirty(0);
  return ref->pgno();
}

std::uint32_t read_value(DatabaseFile& db, Pgno pgno) {
  Result<PageRef> ref = db.get(pgno, LatchMode::kShared);
  EXPECT_TRUE(ref.ok()) << ref.status().to_string();
  if (!ref.ok()) return 0;
  std::uint32_t value;
  std::memcpy(&value, ref->bytes().data() + 100, sizeof value);
  return value;
}

class DatabaseFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = unique_directory();
    path_ = directory_ + "/test.edb";
  }
  Result<std::unique_ptr<DatabaseFile>> create(CreateOptions options = {}) {
    return DatabaseFile::create(*fs_, cache_, path_, options);
  }
  Result<std::unique_ptr<DatabaseFile>> open(OpenOptions options = {}) {
    return DatabaseFile::open(*fs_, cache_, path_, options);
  }

  std::shared_ptr<io::FileSystem> fs_ = io::posix_file_system();
  BufferCache cache_{64};
  std::string directory_;
  std::string path_;
};

TEST_F(DatabaseFileTest, CreateWritesBothHeadersAndOpenReadsThem) {
  CreateOptions options;
  options.page_size_bytes = 8192;
  options.initial_size_pages = 10;
  options.max_size_pages = 1000;
  auto db = create(options);
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  EXPECT_EQ(db.value()->page_size(), 8192u);
  EXPECT_EQ(db.value()->size_pages(), 10u);
  EXPECT_EQ(db.value()->header_at_open().state, DatabaseState::kJustCreated);
  EXPECT_EQ(db.value()->header().state, DatabaseState::kDirtyShutdown);
  EXPECT_EQ(file_bytes(path_).size(), 10u * 8192);
  const page::DatabaseHeader created = db.value()->header();
  EXPECT_NE(created.signature.random, 0u);
  EXPECT_TRUE(created.signature.created.is_set());
  ASSERT_TRUE(db.value()->close().ok());

  auto reopened = open();
  ASSERT_TRUE(reopened.ok()) << reopened.status().to_string();
  const page::DatabaseHeader& h = reopened.value()->header_at_open();
  EXPECT_EQ(h.state, DatabaseState::kCleanShutdown);
  EXPECT_EQ(h.page_size_bytes, 8192u);
  EXPECT_EQ(h.size_pages, 10u);
  EXPECT_EQ(h.max_size_pages, 1000u);
  EXPECT_TRUE(h.signature == created.signature);
  EXPECT_EQ(h.first_space_map, page::kFirstSpaceMapPage);
  ASSERT_TRUE(reopened.value()->close().ok());
}

TEST_F(DatabaseFileTest, CreateRefusesAnExistingFileUnlessOverwriting) {
  ASSERT_TRUE(create().ok());
  EXPECT_EQ(create().status().error(), Error::kFileAlreadyExists);
  CreateOptions overwrite;
  overwrite.overwrite = true;
  auto db = create(overwrite);
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  ASSERT_TRUE(db.value()->close().ok());
}

TEST_F(DatabaseFileTest, CreateRejectsBadOptions) {
  CreateOptions options;
  options.page_size_bytes = 1000;
  EXPECT_EQ(create(options).status().error(), Error::kInvalidParameter);
  options = {};
  options.initial_size_pages = 2;
  EXPECT_EQ(create(options).status().error(), Error::kInvalidParameter);
  options = {};
  options.initial_size_pages = 20;
  options.max_size_pages = 10;
  EXPECT_EQ(create(options).status().error(), Error::kInvalidParameter);
}

TEST_F(DatabaseFileTest, OpenMissingFile) {
  EXPECT_EQ(open().status().error(), Error::kFileNotFound);
}

TEST_F(DatabaseFileTest, SecondOpenOfTheSamePathIsDenied) {
  auto db = create();
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(open().status().error(), Error::kFileAccessDenied);
  OpenOptions read_only;
  read_only.read_only = true;
  EXPECT_EQ(open(read_only).status().error(), Error::kFileAccessDenied);
  ASSERT_TRUE(db.value()->close().ok());
  // Readers share; a writer is refused while they are there.
  auto reader1 = open(read_only);
  auto reader2 = open(read_only);
  ASSERT_TRUE(reader1.ok() && reader2.ok());
  EXPECT_EQ(open().status().error(), Error::kFileAccessDenied);
}

TEST_F(DatabaseFileTest, OpenChecksThePageSize) {
  ASSERT_TRUE(create().value()->close().ok());
  OpenOptions options;
  options.expected_page_size = 8192;
  EXPECT_EQ(open(options).status().error(), Error::kPageSizeMismatch);
  options.expected_page_size = 4096;
  EXPECT_TRUE(open(options).ok());
}

TEST_F(DatabaseFileTest, DestroyWithoutCloseLeavesTheHeaderDirty) {
  {
    auto db = create();
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db.value()->close().ok());
  }
  {
    auto db = open();
    ASSERT_TRUE(db.ok());
    write_new_page(*db.value(), 1);
    // Destroyed without close().
  }
  Result<page::DatabaseHeader> h = header_on_disk(*fs_, path_);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->state, DatabaseState::kDirtyShutdown);
  OpenOptions clean_only;
  clean_only.require_clean_shutdown = true;
  EXPECT_EQ(open(clean_only).status().error(), Error::kDatabaseDirtyShutdown);
  {
    auto db = open();
    ASSERT_TRUE(db.ok());
    EXPECT_EQ(db.value()->header_at_open().state, DatabaseState::kDirtyShutdown);
    ASSERT_TRUE(db.value()->close().ok());
  }
  EXPECT_EQ(header_on_disk(*fs_, path_)->state, DatabaseState::kCleanShutdown);
  EXPECT_TRUE(open(clean_only).ok());
}

TEST_F(DatabaseFileTest, DataSurvivesCloseAndReopen) {
  std::vector<Pgno> pages;
  {
    auto db = create();
    ASSERT_TRUE(db.ok());
    for (std::uint32_t i = 0; i < 200; ++i) pages.push_back(write_new_page(*db.value(), i + 1000));
    ASSERT_TRUE(db.value()->close().ok());
  }
  auto db = open();
  ASSERT_TRUE(db.ok());
  for (std::uint32_t i = 0; i < 200; ++i) EXPECT_EQ(read_value(*db.value(), pages[i]), i + 1000);
}

TEST_F(DatabaseFileTest, ReadOnlyOpenNeverWrites) {
  Pgno pgno;
  {
    auto db = create();
    ASSERT_TRUE(db.ok());
    pgno = write_new_page(*db.value(), 42);
    ASSERT_TRUE(db.value()->close().ok());
  }
  const std::vector<std::byte> before = file_bytes(path_);
  {
    OpenOptions read_only;
    read_only.read_only = true;
    auto db = open(read_only);
    ASSERT_TRUE(db.ok());
    EXPECT_TRUE(db.value()->read_only());
    EXPECT_EQ(read_value(*db.value(), pgno), 42u);
    EXPECT_EQ(db.value()->allocate().status().error(), Error::kDatabaseFileReadOnly);
    EXPECT_EQ(db.value()->free(pgno).error(), Error::kDatabaseFileReadOnly);
    EXPECT_EQ(db.value()->get(pgno, LatchMode::kExclusive).status().error(),
              Error::kDatabaseFileReadOnly);
    EXPECT_EQ(db.value()->set_size(1000).error(), Error::kDatabaseFileReadOnly);
    EXPECT_EQ(db.value()->update_header([](page::DatabaseHeader& h) { h.catalog_root = 9; })
                  .error(),
              Error::kDatabaseFileReadOnly);
    ASSERT_TRUE(db.value()->free_pages().ok());
    EXPECT_TRUE(db.value()->flush().ok());  // nothing to write
    ASSERT_TRUE(db.value()->close().ok());
  }
  EXPECT_TRUE(file_bytes(path_) == before);
}

TEST_F(DatabaseFileTest, CorruptionOnDiskIsReportedByGet) {
  Pgno first, second;
  {
    auto db = create();
    ASSERT_TRUE(db.ok());
    first = write_new_page(*db.value(), 1);
    second = write_new_page(*db.value(), 2);
    ASSERT_TRUE(db.value()->close().ok());
  }
  {
    std::fstream f(path_, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(first) * 4096 + 2000);
    f.put('\x7f');
    // Copy `first`'s page over `second`.
    std::vector<char> page_bytes(4096);
    f.seekg(static_cast<std::streamoff>(first - 1) * 4096);
    f.read(page_bytes.data(), 4096);
    f.seekp(static_cast<std::streamoff>(second) * 4096);
    f.write(page_bytes.data(), 4096);
  }
  auto db = open();
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(db.value()->get(first, LatchMode::kShared).status().error(),
            Error::kReadVerifyFailure);
  EXPECT_EQ(db.value()->get(second, LatchMode::kShared).status().error(),
            Error::kReadPgnoVerifyFailure);
}

TEST_F(DatabaseFileTest, GetOutsideTheDatabaseIsCorruption) {
  auto db = create();
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(db.value()->get(0, LatchMode::kShared).status().error(), Error::kDatabaseCorrupted);
  EXPECT_EQ(db.value()->get(1, LatchMode::kShared).status().error(), Error::kDatabaseCorrupted);
  EXPECT_EQ(db.value()->get(db.value()->size_pages(), LatchMode::kShared).status().error(),
            Error::kDatabaseCorrupted);
}

TEST_F(DatabaseFileTest, AllocationTakesTheLowestFreePageAndReusesFreedOnes) {
  CreateOptions options;
  options.initial_size_pages = 16;
  auto created = create(options);
  ASSERT_TRUE(created.ok());
  DatabaseFile& db = *created.value();
  EXPECT_EQ(db.free_page_count(), 13u);  // 16 - 2 headers - 1 map
  std::vector<Pgno> pages;
  for (int i = 0; i < 5; ++i) pages.push_back(write_new_page(db, 1));
  EXPECT_EQ(pages, (std::vector<Pgno>{3, 4, 5, 6, 7}));
  ASSERT_TRUE(db.free(5).ok());
  ASSERT_TRUE(db.free(3).ok());
  EXPECT_EQ(db.free(3).error(), Error::kDatabaseCorrupted);  // already free
  EXPECT_EQ(db.free(2).error(), Error::kDatabaseCorrupted);  // the space map
  EXPECT_EQ(db.free(1).error(), Error::kDatabaseCorrupted);  // a header copy
  EXPECT_EQ(db.free(16).error(), Error::kDatabaseCorrupted);  // beyond the size
  EXPECT_EQ(write_new_page(db, 2), 3u);
  EXPECT_EQ(write_new_page(db, 2), 5u);
  EXPECT_EQ(write_new_page(db, 2), 8u);
  EXPECT_TRUE(db.is_space_map_page(2));
  EXPECT_FALSE(db.is_space_map_page(3));
}

TEST_F(DatabaseFileTest, GrowsByTheExtensionSizeUpToTheMaximum) {
  CreateOptions options;
  options.initial_size_pages = 8;
  options.extension_size_pages = 16;
  options.max_size_pages = 30;
  auto created = create(options);
  ASSERT_TRUE(created.ok());
  DatabaseFile& db = *created.value();
  for (int i = 0; i < 5; ++i) write_new_page(db, 1);  // pages 3..7
  EXPECT_EQ(db.size_pages(), 8u);
  EXPECT_EQ(write_new_page(db, 1), 8u);
  EXPECT_EQ(db.size_pages(), 24u);
  EXPECT_EQ(file_bytes(path_).size(), 24u * 4096);
  for (Pgno expected = 9; expected < 30; ++expected) EXPECT_EQ(write_new_page(db, 1), expected);
  EXPECT_EQ(db.size_pages(), 30u);  // the last extension was clamped to the maximum
  EXPECT_EQ(db.allocate().status().error(), Error::kOutOfDatabaseSpace);
  EXPECT_EQ(db.set_size(31).error(), Error::kOutOfDatabaseSpace);
  ASSERT_TRUE(db.free(17).ok());
  EXPECT_EQ(write_new_page(db, 1), 17u);
  ASSERT_TRUE(db.close().ok());
  EXPECT_EQ(header_on_disk(*fs_, path_)->size_pages, 30u);
}

TEST_F(DatabaseFileTest, FreePagesAreEnumeratedAndSurviveReopen) {
  std::set<Pgno> expected_free;
  {
    CreateOptions options;
    options.initial_size_pages = 20;
    options.extension_size_pages = 50;
    auto created = create(options);
    ASSERT_TRUE(created.ok());
    DatabaseFile& db = *created.value();
    std::vector<Pgno> pages;
    for (int i = 0; i < 100; ++i) pages.push_back(write_new_page(db, static_cast<std::uint32_t>(i)));
    for (std::size_t i = 0; i < pages.size(); i += 3) ASSERT_TRUE(db.free(pages[i]).ok());
    for (Pgno p = 3; p < db.size_pages(); ++p) expected_free.insert(p);
    for (std::size_t i = 0; i < pages.size(); ++i) {
      if (i % 3 != 0) expected_free.erase(pages[i]);
    }
    Result<std::vector<Pgno>> free_pages = db.free_pages();
    ASSERT_TRUE(free_pages.ok());
    EXPECT_EQ(std::set<Pgno>(free_pages->begin(), free_pages->end()), expected_free);
    EXPECT_EQ(db.free_page_count(), expected_free.size());
    ASSERT_TRUE(db.close().ok());
  }
  auto db = open();
  ASSERT_TRUE(db.ok());
  Result<std::vector<Pgno>> free_pages = db.value()->free_pages();
  ASSERT_TRUE(free_pages.ok());
  EXPECT_EQ(std::vector<Pgno>(expected_free.begin(), expected_free.end()), free_pages.value());
  EXPECT_EQ(write_new_page(*db.value(), 1), *expected_free.begin());
}

TEST_F(DatabaseFileTest, ManySpaceMapsForALargeDatabase) {
  const std::uint32_t interval = page::space_map_interval_pages(4096);
  const std::uint32_t size = 2 + 2 * interval + 500;  // three maps
  {
    CreateOptions options;
    options.initial_size_pages = 100;
    auto created = create(options);
    ASSERT_TRUE(created.ok());
    ASSERT_TRUE(created.value()->set_size(size).ok());
    EXPECT_EQ(created.value()->free_page_count(), size - 2u - 3u);
    EXPECT_TRUE(created.value()->is_space_map_page(2 + interval));
    ASSERT_TRUE(created.value()->close().ok());
  }
  auto db = open();
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  EXPECT_EQ(db.value()->size_pages(), size);
  EXPECT_EQ(db.value()->free_page_count(), size - 2u - 3u);
  Result<std::vector<Pgno>> free_pages = db.value()->free_pages();
  ASSERT_TRUE(free_pages.ok());
  EXPECT_EQ(free_pages->size(), size - 5u);
  EXPECT_EQ(std::count(free_pages->begin(), free_pages->end(), 2 + 2 * interval), 0);
  Result<PageRef> map = db.value()->get(2 + 2 * interval, LatchMode::kShared);
  ASSERT_TRUE(map.ok());
  EXPECT_EQ(page::type(map->bytes()), page::PageType::kSpaceMap);
}

TEST_F(DatabaseFileTest, DbtimeResumesAboveEveryPageAfterACrash) {
  std::uint64_t last = 0;
  {
    BufferCache tiny(2);  // evictions write pages while the session runs
    auto created = DatabaseFile::create(*fs_, tiny, path_, {});
    ASSERT_TRUE(created.ok());
    for (int i = 0; i < 40; ++i) write_new_page(*created.value(), 1);
    last = created.value()->current_dbtime();
    EXPECT_EQ(last, 40u);
    // Crash: destroyed without close.
  }
  {
    auto db = open();
    ASSERT_TRUE(db.ok());
    EXPECT_GE(db.value()->current_dbtime(), last);
    const std::uint64_t resumed = db.value()->next_dbtime();
    for (Pgno p = 3; p < db.value()->size_pages(); ++p) {
      Result<PageRef> ref = db.value()->get(p, LatchMode::kShared);
      ASSERT_TRUE(ref.ok());
      EXPECT_LT(page::dbtime(ref->bytes()), resumed) << p;
    }
    last = db.value()->next_dbtime();
    ASSERT_TRUE(db.value()->close().ok());
  }
  // After a clean close the exact value is kept.
  auto db = open();
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(db.value()->current_dbtime(), last);
}

TEST_F(DatabaseFileTest, UpdateHeaderKeepsTheFieldsItDoesNotOwn) {
  {
    auto created = create();
    ASSERT_TRUE(created.ok());
    ASSERT_TRUE(created.value()
                    ->update_header([](page::DatabaseHeader& h) {
                      h.catalog_root = 4;
                      h.next_object_id = 77;
                      h.extra_roots[2] = 9;
                      h.repair_count = 12;
                      h.size_pages = 99999;        // owned by DatabaseFile: ignored
                      h.page_size_bytes = 32768;   // ignored
                      h.state = DatabaseState::kCleanShutdown;  // ignored
                    })
                    .ok());
    EXPECT_EQ(header_on_disk(*fs_, path_)->state, DatabaseState::kDirtyShutdown);
    EXPECT_EQ(header_on_disk(*fs_, path_)->catalog_root, 4u);
    ASSERT_TRUE(created.value()->close().ok());
  }
  OpenOptions read_only;
  read_only.read_only = true;
  auto db = open(read_only);
  ASSERT_TRUE(db.ok());
  const page::DatabaseHeader h = db.value()->header();
  EXPECT_EQ(h.catalog_root, 4u);
  EXPECT_EQ(h.next_object_id, 77u);
  EXPECT_EQ(h.extra_roots[2], 9u);
  EXPECT_EQ(h.repair_count, 12u);
  EXPECT_EQ(h.size_pages, kDefaultInitialSizePages);
  EXPECT_EQ(h.page_size_bytes, 4096u);
}

TEST_F(DatabaseFileTest, ConcurrentAllocationsAreDisjointAndAccountedFor) {
  CreateOptions options;
  options.initial_size_pages = 10;
  options.extension_size_pages = 7;
  auto created = create(options);
  ASSERT_TRUE(created.ok());
  DatabaseFile& db = *created.value();
  constexpr int kThreads = 4;
  constexpr int kPagesPerThread = 60;
  std::vector<std::vector<Pgno>> kept(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&db, &kept, t] {
      for (int i = 0; i < kPagesPerThread; ++i) {
        const Pgno pgno = write_new_page(db, static_cast<std::uint32_t>(t * 1000 + i));
        if (i % 2 == 0) {
          EXPECT_TRUE(db.free(pgno).ok());
        } else {
          kept[static_cast<std::size_t>(t)].push_back(pgno);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<Pgno> in_use;
  for (int t = 0; t < kThreads; ++t) {
    for (std::size_t i = 0; i < kept[static_cast<std::size_t>(t)].size(); ++i) {
      const Pgno pgno = kept[static_cast<std::size_t>(t)][i];
      EXPECT_TRUE(in_use.insert(pgno).second) << "page handed out twice: " << pgno;
      EXPECT_EQ(read_value(db, pgno), static_cast<std::uint32_t>(t) * 1000u + 2u * static_cast<std::uint32_t>(i) + 1u);
    }
  }
  Result<std::vector<Pgno>> free_pages = db.free_pages();
  ASSERT_TRUE(free_pages.ok());
  // Every page is a header, a map, free, or kept — exactly once.
  std::set<Pgno> accounted = in_use;
  for (Pgno p : free_pages.value()) EXPECT_TRUE(accounted.insert(p).second) << p;
  for (Pgno p = 0; p < db.size_pages(); ++p) {
    if (p < 2 || db.is_space_map_page(p)) {
      EXPECT_TRUE(accounted.insert(p).second) << p;
    }
  }
  EXPECT_EQ(accounted.size(), db.size_pages());
  ASSERT_TRUE(db.close().ok());
}

// With a file system whose writes can be made to fail.
TEST(DatabaseFileFailure, FailedCloseLeavesTheHeaderDirtyAndIsSticky) {
  testing::MemoryFileSystem fs;
  BufferCache cache(16);
  {
    auto db = DatabaseFile::create(fs, cache, "/db.edb", {});
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db.value()->close().ok());
  }
  auto db = DatabaseFile::open(fs, cache, "/db.edb", {});
  ASSERT_TRUE(db.ok());
  write_new_page(*db.value(), 5);
  fs.last_opened->fail_writes = true;
  EXPECT_EQ(db.value()->flush().error(), Error::kDiskIO);
  fs.last_opened->fail_writes = false;
  // Sticky: not retried, never reported durable.
  EXPECT_EQ(db.value()->failure().error(), Error::kDiskIO);
  EXPECT_EQ(db.value()->allocate().status().error(), Error::kDiskIO);
  EXPECT_EQ(db.value()->close().error(), Error::kDiskIO);
  io::OpenOptions options;
  auto file = fs.open_file("/db.edb", options);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(read_database_header(*file.value(), 0)->state, DatabaseState::kDirtyShutdown);
}

TEST(DatabaseFileFailure, FailedHeaderWriteIsSticky) {
  testing::MemoryFileSystem fs;
  BufferCache cache(16);
  auto db = DatabaseFile::create(fs, cache, "/db.edb", {});
  ASSERT_TRUE(db.ok());
  EXPECT_GE(fs.directory_syncs.load(), 1);  // the new directory entry was made durable
  const page::Pgno pgno = write_new_page(*db.value(), 5);
  fs.last_opened->fail_syncs = true;
  EXPECT_EQ(db.value()->update_header([](page::DatabaseHeader& h) { h.catalog_root = 5; })
                .error(),
            Error::kDiskIO);
  fs.last_opened->fail_syncs = false;
  EXPECT_EQ(db.value()->failure().error(), Error::kDiskIO);
  EXPECT_EQ(db.value()->get(pgno, LatchMode::kShared).status().error(), Error::kDiskIO);
  EXPECT_EQ(db.value()->flush().error(), Error::kDiskIO);
  EXPECT_EQ(db.value()->close().error(), Error::kDiskIO);
}

}  // namespace
}  // namespace esent::cache
