// DatabaseFile during crash recovery: the recovering open (any state, space maps not loaded,
// allocation refused), get_for_redo (intact, torn, misplaced, never-written and beyond-the-size
// pages; header and map pages refused), rebuild_space (maps formatted anew from a used set,
// whatever the old maps held) and raise_dbtime.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <vector>

#include "cache/database_file.h"
#include "cache/header_io.h"
#include "page/page.h"
#include "page/space_map_format.h"
#include "unit/cache/memory_file.h"

namespace esent::cache {
namespace {

using page::DatabaseState;

constexpr std::uint32_t kPageSize = 4096;
constexpr std::uint32_t kInitialPages = 64;

class DatabaseFileRecoveryTest : public ::testing::Test {
 protected:
  Result<std::unique_ptr<DatabaseFile>> create(CreateOptions options = {}) {
    options.page_size_bytes = kPageSize;
    if (options.initial_size_pages == kDefaultInitialSizePages) {
      options.initial_size_pages = kInitialPages;
    }
    return DatabaseFile::create(fs_, cache_, path_, options);
  }
  Result<std::unique_ptr<DatabaseFile>> open(OpenOptions options = {}) {
    return DatabaseFile::open(fs_, cache_, path_, options);
  }
  Result<std::unique_ptr<DatabaseFile>> open_recovering() {
    OpenOptions options;
    options.recovering = true;
    return open(options);
  }
  Result<std::unique_ptr<DatabaseFile>> open_clean_only() {
    OpenOptions options;
    options.require_clean_shutdown = true;
    return open(options);
  }

  // Writes `bytes` at page `pgno` of the file on "disk", behind the cache's back.
  void overwrite_on_disk(Pgno pgno, const std::vector<std::byte>& bytes) {
    io::OpenOptions options;
    options.write = true;
    Result<std::unique_ptr<io::File>> file = fs_.open_file(path_, options);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->write_at(std::uint64_t{pgno} * kPageSize, bytes).ok());
  }
  std::vector<std::byte> page_on_disk(Pgno pgno) {
    std::vector<std::byte> all = fs_.contents(path_);
    const auto begin = all.begin() + static_cast<std::ptrdiff_t>(std::size_t{pgno} * kPageSize);
    return std::vector<std::byte>(begin, begin + kPageSize);
  }
  page::DatabaseHeader header_on_disk() {
    io::OpenOptions options;
    Result<std::unique_ptr<io::File>> file = fs_.open_file(path_, options);
    EXPECT_TRUE(file.ok());
    Result<page::DatabaseHeader> header = read_database_header(**file, 0);
    EXPECT_TRUE(header.ok()) << header.status().to_string();
    return header.ok() ? header.value() : page::DatabaseHeader{};
  }

  // Makes `bytes` a recognisable leaf page holding `value`.
  static void fill_page(std::span<std::byte> bytes, Pgno pgno, std::uint32_t value,
                        std::uint64_t dbtime) {
    page::initialize(bytes, pgno, page::PageType::kBtreeLeaf, value, 0);
    page::set_dbtime(bytes, dbtime);
    std::memcpy(bytes.data() + 100, &value, sizeof value);
  }
  static std::uint32_t value_of(std::span<const std::byte> bytes) {
    std::uint32_t value = 0;
    std::memcpy(&value, bytes.data() + 100, sizeof value);
    return value;
  }

  // A database whose pages 3..3+count-1 hold values 1000+pgno, flushed and then left dirty
  // (destroyed without close, as in a crash).
  void make_crashed_database(std::uint32_t count, CreateOptions options = {}) {
    auto db = create(options);
    ASSERT_TRUE(db.ok()) << db.status().to_string();
    for (std::uint32_t i = 0; i < count; ++i) {
      Result<PageRef> ref = (*db)->allocate();
      ASSERT_TRUE(ref.ok()) << ref.status().to_string();
      fill_page(ref->mutable_bytes(), ref->pgno(), 1000 + ref->pgno(), (*db)->next_dbtime());
      ref->mark_dirty(0);
    }
    ASSERT_TRUE((*db)->flush().ok());
  }

  static std::vector<Pgno> complement(std::uint32_t size, const std::set<Pgno>& used,
                                      const DatabaseFile& db) {
    std::vector<Pgno> free;
    for (Pgno pgno = 2; pgno < size; ++pgno) {
      if (!db.is_space_map_page(pgno) && used.count(pgno) == 0) free.push_back(pgno);
    }
    return free;
  }

  testing::MemoryFileSystem fs_;
  BufferCache cache_{64};
  const std::string path_ = "/recovery.edb";
};

TEST_F(DatabaseFileRecoveryTest, RecoveringOpenAcceptsADirtyDatabaseAndKeepsItDirty) {
  make_crashed_database(4);
  ASSERT_EQ(header_on_disk().state, DatabaseState::kDirtyShutdown);
  EXPECT_EQ(open_clean_only().status().error(), Error::kDatabaseDirtyShutdown);
  OpenOptions read_only;
  read_only.read_only = true;
  read_only.recovering = true;
  EXPECT_EQ(open(read_only).status().error(), Error::kInvalidParameter);

  OpenOptions options;
  options.recovering = true;
  options.require_clean_shutdown = true;  // ignored while recovering
  auto db = open(options);
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  EXPECT_TRUE((*db)->recovering());
  EXPECT_EQ((*db)->header_at_open().state, DatabaseState::kDirtyShutdown);
  EXPECT_EQ((*db)->header().state, DatabaseState::kDirtyShutdown);
  // Closing before the space is rebuilt must not call the database clean.
  ASSERT_TRUE((*db)->close().ok());
  EXPECT_EQ(header_on_disk().state, DatabaseState::kDirtyShutdown);
  EXPECT_EQ(open_clean_only().status().error(), Error::kDatabaseDirtyShutdown);
}

TEST_F(DatabaseFileRecoveryTest, RecoveringOpenStillVerifiesBothHeaderCopies) {
  make_crashed_database(1);
  auto damage = [this](Pgno pgno) {
    std::vector<std::byte> bytes = page_on_disk(pgno);
    for (std::size_t i = 300; i < 340; ++i) bytes[i] ^= std::byte{0x5A};
    overwrite_on_disk(pgno, bytes);
  };
  damage(0);
  {
    auto db = open_recovering();  // copy 1 still verifies
    ASSERT_TRUE(db.ok()) << db.status().to_string();
    ASSERT_TRUE((*db)->close().ok());  // rewrites both copies (still dirty)
  }
  damage(0);
  damage(1);
  EXPECT_EQ(open_recovering().status().error(), Error::kDatabaseCorrupted);
}

TEST_F(DatabaseFileRecoveryTest, AllocationIsRefusedWhileRecovering) {
  make_crashed_database(4);
  auto db = open_recovering();
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  EXPECT_EQ((*db)->allocate().status().error(), Error::kInternalError);
  EXPECT_EQ((*db)->free(3).error(), Error::kInternalError);
  EXPECT_EQ((*db)->free_pages().status().error(), Error::kInternalError);
  // Outside recovery, redo and rebuilding are refused.
  ASSERT_TRUE((*db)->rebuild_space({3, 4, 5, 6}).ok());
  EXPECT_FALSE((*db)->recovering());
  EXPECT_EQ((*db)->get_for_redo(3).status().error(), Error::kInternalError);
  EXPECT_EQ((*db)->rebuild_space({3}).error(), Error::kInternalError);
  EXPECT_TRUE((*db)->allocate().ok());
}

TEST_F(DatabaseFileRecoveryTest, GetForRedoReturnsAnIntactPageLatchedExclusively) {
  make_crashed_database(4);
  auto db = open_recovering();
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  Result<RedoPage> redo = (*db)->get_for_redo(5);
  ASSERT_TRUE(redo.ok()) << redo.status().to_string();
  EXPECT_FALSE(redo->torn);
  EXPECT_TRUE(redo->page.exclusive());
  EXPECT_EQ(redo->page.pgno(), 5u);
  EXPECT_EQ(value_of(redo->page.bytes()), 1005u);
  EXPECT_EQ(page::type(redo->page.bytes()), page::PageType::kBtreeLeaf);
}

TEST_F(DatabaseFileRecoveryTest, GetForRedoZeroFillsATornPage) {
  make_crashed_database(4);
  std::vector<std::byte> torn = page_on_disk(4);
  for (std::size_t i = 2000; i < 2100; ++i) torn[i] = std::byte{0xEE};  // a half-written sector
  overwrite_on_disk(4, torn);
  {
    auto db = open_recovering();
    ASSERT_TRUE(db.ok()) << db.status().to_string();
    // The page really fails verification through the ordinary path.
    EXPECT_EQ((*db)->get(4, LatchMode::kShared).status().error(), Error::kReadVerifyFailure);
    Result<RedoPage> redo = (*db)->get_for_redo(4);
    ASSERT_TRUE(redo.ok()) << redo.status().to_string();
    EXPECT_TRUE(redo->torn);
    EXPECT_TRUE(redo->page.exclusive());
    EXPECT_TRUE(page::is_all_zero(redo->page.bytes()));
    // Redo rebuilds it from a page image.
    fill_page(redo->page.mutable_bytes(), 4, 4444, (*db)->next_dbtime());
    redo->page.mark_dirty(0);
    redo->page.release();
    // A neighbour is untouched.
    Result<RedoPage> intact = (*db)->get_for_redo(3);
    ASSERT_TRUE(intact.ok());
    EXPECT_FALSE(intact->torn);
    EXPECT_EQ(value_of(intact->page.bytes()), 1003u);
    intact->page.release();
    ASSERT_TRUE((*db)->rebuild_space({3, 4, 5, 6}).ok());
    ASSERT_TRUE((*db)->close().ok());
  }
  auto db = open_clean_only();
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  Result<PageRef> page = (*db)->get(4, LatchMode::kShared);
  ASSERT_TRUE(page.ok()) << page.status().to_string();
  EXPECT_EQ(value_of(page->bytes()), 4444u);
}

TEST_F(DatabaseFileRecoveryTest, GetForRedoTreatsAMisplacedPageAsTorn) {
  make_crashed_database(4);
  overwrite_on_disk(6, page_on_disk(5));  // page 5's bytes, valid for page 5, in slot 6
  auto db = open_recovering();
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  Result<RedoPage> redo = (*db)->get_for_redo(6);
  ASSERT_TRUE(redo.ok()) << redo.status().to_string();
  EXPECT_TRUE(redo->torn);
  EXPECT_TRUE(page::is_all_zero(redo->page.bytes()));
}

TEST_F(DatabaseFileRecoveryTest, GetForRedoReturnsANeverWrittenPageAsItIs) {
  make_crashed_database(4);
  auto db = open_recovering();
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  Result<RedoPage> redo = (*db)->get_for_redo(40);  // inside the size, never written
  ASSERT_TRUE(redo.ok()) << redo.status().to_string();
  EXPECT_FALSE(redo->torn);
  EXPECT_TRUE(page::is_all_zero(redo->page.bytes()));
}

TEST_F(DatabaseFileRecoveryTest, HeaderAndSpaceMapPagesAreNeverRedoTargets) {
  make_crashed_database(4);
  auto db = open_recovering();
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  EXPECT_EQ((*db)->get_for_redo(0).status().error(), Error::kDatabaseCorrupted);
  EXPECT_EQ((*db)->get_for_redo(1).status().error(), Error::kDatabaseCorrupted);
  EXPECT_EQ((*db)->get_for_redo(page::kFirstSpaceMapPage).status().error(),
            Error::kDatabaseCorrupted);
  const Pgno second_map = page::kFirstSpaceMapPage + page::space_map_interval_pages(kPageSize);
  ASSERT_TRUE((*db)->is_space_map_page(second_map));
  EXPECT_EQ((*db)->get_for_redo(second_map).status().error(), Error::kDatabaseCorrupted);
  EXPECT_EQ((*db)->size_pages(), kInitialPages);  // nothing grew for the refused map page
}

TEST_F(DatabaseFileRecoveryTest, GetForRedoBeyondTheSizeGrowsInWholeExtensionSteps) {
  make_crashed_database(4);
  OpenOptions options;
  options.recovering = true;
  options.extension_size_pages = 100;
  auto db = open(options);
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  const Pgno target = kInitialPages + 150;  // needs two steps of 100
  Result<RedoPage> redo = (*db)->get_for_redo(target);
  ASSERT_TRUE(redo.ok()) << redo.status().to_string();
  EXPECT_FALSE(redo->torn);
  EXPECT_TRUE(page::is_all_zero(redo->page.bytes()));
  EXPECT_EQ((*db)->size_pages(), kInitialPages + 200);
  EXPECT_GE(fs_.contents(path_).size(), std::size_t{kInitialPages + 200} * kPageSize);
  fill_page(redo->page.mutable_bytes(), target, 7777, (*db)->next_dbtime());
  redo->page.mark_dirty(0);
  redo->page.release();
  // A page inside the grown range needs no further growth.
  ASSERT_TRUE((*db)->get_for_redo(kInitialPages + 10).ok());
  EXPECT_EQ((*db)->size_pages(), kInitialPages + 200);

  ASSERT_TRUE((*db)->rebuild_space({3, 4, 5, 6, target}).ok());
  EXPECT_EQ((*db)->free_page_count(), kInitialPages + 200 - 3u - 5u);
  ASSERT_TRUE((*db)->close().ok());
  auto reopened = open_clean_only();
  ASSERT_TRUE(reopened.ok()) << reopened.status().to_string();
  EXPECT_EQ((*reopened)->size_pages(), kInitialPages + 200);
  EXPECT_EQ((*reopened)->free_page_count(), kInitialPages + 200 - 3u - 5u);
  Result<PageRef> page = (*reopened)->get(target, LatchMode::kShared);
  ASSERT_TRUE(page.ok()) << page.status().to_string();
  EXPECT_EQ(value_of(page->bytes()), 7777u);
}

TEST_F(DatabaseFileRecoveryTest, GetForRedoNeverGrowsBeyondTheMaximumSize) {
  CreateOptions create_options;
  create_options.max_size_pages = 100;
  make_crashed_database(4, create_options);
  auto db = open_recovering();
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  EXPECT_EQ((*db)->get_for_redo(100).status().error(), Error::kOutOfDatabaseSpace);
  EXPECT_EQ((*db)->size_pages(), kInitialPages);
  Result<RedoPage> last = (*db)->get_for_redo(99);
  ASSERT_TRUE(last.ok()) << last.status().to_string();
  EXPECT_EQ((*db)->size_pages(), 100u);  // one step of 256, clamped to the maximum
}

TEST_F(DatabaseFileRecoveryTest, RebuildSpaceIgnoresTornMapsAndFreesExactlyTheComplement) {
  make_crashed_database(10);  // pages 3..12 in use
  std::vector<std::byte> torn_map = page_on_disk(page::kFirstSpaceMapPage);
  for (std::size_t i = 80; i < 600; ++i) torn_map[i] = std::byte{0xFF};
  overwrite_on_disk(page::kFirstSpaceMapPage, torn_map);
  // The maps are really unusable: an ordinary open fails on them.
  EXPECT_EQ(open().status().error(), Error::kReadVerifyFailure);

  const std::set<Pgno> used = {3, 5, 7, 12, 40};
  {
    auto db = open_recovering();
    ASSERT_TRUE(db.ok()) << db.status().to_string();
    ASSERT_TRUE((*db)->rebuild_space(std::vector<Pgno>(used.rbegin(), used.rend())).ok());
    EXPECT_FALSE((*db)->recovering());
    Result<std::vector<Pgno>> free = (*db)->free_pages();
    ASSERT_TRUE(free.ok()) << free.status().to_string();
    EXPECT_EQ(free.value(), complement(kInitialPages, used, **db));
    EXPECT_EQ((*db)->free_page_count(), free->size());
    // Allocation takes the lowest free page; free works again.
    Result<PageRef> allocated = (*db)->allocate();
    ASSERT_TRUE(allocated.ok()) << allocated.status().to_string();
    EXPECT_EQ(allocated->pgno(), 4u);
    fill_page(allocated->mutable_bytes(), 4, 1, (*db)->next_dbtime());
    allocated->mark_dirty(0);
    allocated->release();
    ASSERT_TRUE((*db)->free(40).ok());
    ASSERT_TRUE((*db)->close().ok());
  }
  EXPECT_EQ(header_on_disk().state, DatabaseState::kCleanShutdown);
  auto db = open_clean_only();
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  const std::set<Pgno> now_used = {3, 4, 5, 7, 12};
  Result<std::vector<Pgno>> free = (*db)->free_pages();
  ASSERT_TRUE(free.ok()) << free.status().to_string();
  EXPECT_EQ(free.value(), complement(kInitialPages, now_used, **db));
  Result<PageRef> map = (*db)->get(page::kFirstSpaceMapPage, LatchMode::kShared);
  ASSERT_TRUE(map.ok()) << map.status().to_string();
  EXPECT_EQ(page::type(map->bytes()), page::PageType::kSpaceMap);
}

TEST_F(DatabaseFileRecoveryTest, RebuildSpaceFormatsAZeroedMap) {
  make_crashed_database(6);
  overwrite_on_disk(page::kFirstSpaceMapPage, std::vector<std::byte>(kPageSize));
  EXPECT_EQ(open().status().error(), Error::kDatabaseCorrupted);  // a never-written map
  {
    auto db = open_recovering();
    ASSERT_TRUE(db.ok()) << db.status().to_string();
    ASSERT_TRUE((*db)->rebuild_space({}).ok());
    EXPECT_EQ((*db)->free_page_count(), kInitialPages - 3u);
    Result<PageRef> allocated = (*db)->allocate();
    ASSERT_TRUE(allocated.ok());
    EXPECT_EQ(allocated->pgno(), 3u);
    allocated->release();
    ASSERT_TRUE((*db)->close().ok());
  }
  auto db = open_clean_only();
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  EXPECT_EQ((*db)->free_page_count(), kInitialPages - 4u);
}

TEST_F(DatabaseFileRecoveryTest, RebuildSpaceRejectsImpossibleUsedSetsAndStaysRecovering) {
  make_crashed_database(4);
  auto db = open_recovering();
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  EXPECT_EQ((*db)->rebuild_space({3, 1}).error(), Error::kDatabaseCorrupted);
  EXPECT_EQ((*db)->rebuild_space({3, page::kFirstSpaceMapPage}).error(),
            Error::kDatabaseCorrupted);
  EXPECT_EQ((*db)->rebuild_space({3, kInitialPages}).error(), Error::kDatabaseCorrupted);
  EXPECT_EQ((*db)->rebuild_space({3, 4, 3}).error(), Error::kDatabaseCorrupted);
  EXPECT_TRUE((*db)->recovering());
  EXPECT_EQ((*db)->allocate().status().error(), Error::kInternalError);
  ASSERT_TRUE((*db)->rebuild_space({3, 4, 5, 6}).ok());
  EXPECT_EQ((*db)->free_page_count(), kInitialPages - 3u - 4u);
}

TEST_F(DatabaseFileRecoveryTest, RebuildSpaceSpreadsUsedPagesOverSeveralMaps) {
  const std::uint32_t interval = page::space_map_interval_pages(kPageSize);
  CreateOptions options;
  options.initial_size_pages = 2 + interval + 20;  // two maps
  make_crashed_database(2, options);
  const Pgno second_map = 2 + interval;
  const std::set<Pgno> used = {3, 4, 1000, second_map - 1, second_map + 1, second_map + 19};
  {
    auto db = open_recovering();
    ASSERT_TRUE(db.ok()) << db.status().to_string();
    ASSERT_TRUE((*db)->rebuild_space(std::vector<Pgno>(used.begin(), used.end())).ok());
    const std::uint32_t size = options.initial_size_pages;
    EXPECT_EQ((*db)->free_page_count(), size - 4u - used.size());
    Result<std::vector<Pgno>> free = (*db)->free_pages();
    ASSERT_TRUE(free.ok());
    EXPECT_EQ(free.value(), complement(size, used, **db));
    ASSERT_TRUE((*db)->close().ok());
  }
  auto db = open_clean_only();
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  EXPECT_EQ((*db)->free_page_count(), options.initial_size_pages - 4u - used.size());
}

TEST_F(DatabaseFileRecoveryTest, RaiseDbtimeContinuesAboveEveryDbtimeRedoSaw) {
  make_crashed_database(4);
  std::uint64_t seen = 0;
  {
    auto db = open_recovering();
    ASSERT_TRUE(db.ok()) << db.status().to_string();
    seen = (*db)->header().dbtime + 5 * kDbtimeReservation;
    Result<RedoPage> redo = (*db)->get_for_redo(3);
    ASSERT_TRUE(redo.ok());
    fill_page(redo->page.mutable_bytes(), 3, 3333, seen);  // a logged op's dbtime
    redo->page.mark_dirty(0);
    redo->page.release();
    (*db)->raise_dbtime(seen);
    (*db)->raise_dbtime(seen - 10);  // never lowers
    EXPECT_GT((*db)->next_dbtime(), seen);
    ASSERT_TRUE((*db)->flush().ok());
    // The header's mark is ahead of the page just written.
    EXPECT_GT(header_on_disk().dbtime, seen);
    // Crash again, before the space is rebuilt.
  }
  auto db = open_recovering();
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  EXPECT_GT((*db)->next_dbtime(), seen);
}

}  // namespace
}  // namespace esent::cache
