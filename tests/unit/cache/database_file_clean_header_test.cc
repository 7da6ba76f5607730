// DatabaseFile::close() writes ESE's clean header: no generation required or committed, no
// logtimeGenMaxCreate, and lgposConsistent = lgposDetach from the consistent-position source
// (asked after the pages are on disk); a failing source leaves the header dirty; without a source
// the positions stay as they were.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "cache/database_file.h"
#include "cache/header_io.h"
#include "page/page.h"
#include "unit/cache/memory_file.h"

namespace esent::cache {
namespace {

using page::DatabaseState;

constexpr std::uint32_t kPageSize = 4096;

page::LogPosition position(std::int32_t generation, std::uint16_t sector, std::uint16_t byte) {
  return page::LogPosition{byte, sector, generation};
}

class DatabaseFileCleanHeaderTest : public ::testing::Test {
 protected:
  // A created database whose header says it is attached in generation 7 (as the engine's attach
  // writes it), with one page written.
  std::unique_ptr<DatabaseFile> create_attached() {
    CreateOptions options;
    options.page_size_bytes = kPageSize;
    options.initial_size_pages = 16;
    Result<std::unique_ptr<DatabaseFile>> db = DatabaseFile::create(fs_, cache_, path_, options);
    EXPECT_TRUE(db.ok()) << db.status().to_string();
    if (!db.ok()) return nullptr;
    EXPECT_TRUE((*db)->update_header([](page::DatabaseHeader& h) {
                       h.generation_min_required = 7;
                       h.generation_max_required = 7;
                       h.generation_committed = 7;
                       h.generation_max_create_time = page::LogTime::from_unix_milliseconds(1000);
                       h.attach_position = position(7, 8, 16);
                       h.consistent_position = position(5, 1, 2);  // stale: a source replaces it
                       h.detach_position = position(5, 1, 2);
                     }).ok());
    Result<PageRef> ref = (*db)->allocate();
    EXPECT_TRUE(ref.ok());
    if (ref.ok()) {
      page::initialize(ref->mutable_bytes(), ref->pgno(), page::PageType::kBtreeLeaf, 1, 0);
      page::set_dbtime(ref->mutable_bytes(), (*db)->next_dbtime());
      ref->mark_dirty(0);
    }
    return std::move(db).value();
  }

  page::DatabaseHeader on_disk() {
    io::OpenOptions options;
    Result<std::unique_ptr<io::File>> file = fs_.open_file(path_, options);
    EXPECT_TRUE(file.ok());
    if (!file.ok()) return {};
    Result<page::DatabaseHeader> header = read_database_header(**file, 0);
    EXPECT_TRUE(header.ok());
    return header.ok() ? header.value() : page::DatabaseHeader{};
  }

  static void expect_no_generation(const page::DatabaseHeader& h) {
    EXPECT_EQ(0u, h.generation_min_required);
    EXPECT_EQ(0u, h.generation_max_required);
    EXPECT_EQ(0u, h.generation_committed);
    EXPECT_EQ(page::LogTime{}, h.generation_max_create_time);
    EXPECT_TRUE(h.consistent_time.is_set());
    EXPECT_EQ(h.consistent_time, h.detach_time);
  }

  testing::MemoryFileSystem fs_;
  BufferCache cache_{64};
  const std::string path_ = "/clean.edb";
};

TEST_F(DatabaseFileCleanHeaderTest, CloseStoresTheSourcesPositionAndNoGeneration) {
  std::unique_ptr<DatabaseFile> db = create_attached();
  ASSERT_NE(nullptr, db);
  const Pgno written = 3;
  bool page_was_on_disk = false;
  db->set_consistent_position_source([&]() -> Result<page::LogPosition> {
    // Asked once the pages are durable: the page is on disk already.
    const std::vector<std::byte> bytes = fs_.contents(path_);
    page_was_on_disk = bytes.size() >= (written + 1) * kPageSize &&
                       page::verify(std::span<const std::byte>(bytes).subspan(written * kPageSize, kPageSize),
                                    written)
                           .ok();
    return position(9, 40, 100);
  });
  ASSERT_TRUE(db->close().ok());
  EXPECT_TRUE(page_was_on_disk);
  const page::DatabaseHeader h = on_disk();
  EXPECT_EQ(DatabaseState::kCleanShutdown, h.state);
  expect_no_generation(h);
  EXPECT_EQ(position(9, 40, 100), h.consistent_position);
  EXPECT_EQ(position(9, 40, 100), h.detach_position);
  EXPECT_EQ(position(7, 8, 16), h.attach_position);
}

TEST_F(DatabaseFileCleanHeaderTest, AFailingSourceFailsTheCloseAndTheHeaderStaysDirty) {
  std::unique_ptr<DatabaseFile> db = create_attached();
  ASSERT_NE(nullptr, db);
  db->set_consistent_position_source(
      []() -> Result<page::LogPosition> { return Status(Error::kLogWriteFail, "test"); });
  EXPECT_EQ(Error::kLogWriteFail, db->close().error());
  const page::DatabaseHeader h = on_disk();
  EXPECT_EQ(DatabaseState::kDirtyShutdown, h.state);
  EXPECT_EQ(7u, h.generation_min_required);
  EXPECT_EQ(position(5, 1, 2), h.consistent_position);
}

TEST_F(DatabaseFileCleanHeaderTest, WithoutASourceThePositionsStayAsTheyWere) {
  std::unique_ptr<DatabaseFile> db = create_attached();
  ASSERT_NE(nullptr, db);
  ASSERT_TRUE(db->close().ok());
  const page::DatabaseHeader h = on_disk();
  EXPECT_EQ(DatabaseState::kCleanShutdown, h.state);
  expect_no_generation(h);
  EXPECT_EQ(position(5, 1, 2), h.consistent_position);
  EXPECT_EQ(position(5, 1, 2), h.detach_position);
}

}  // namespace
}  // namespace esent::cache
