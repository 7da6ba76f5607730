// Database::open_for_recovery / finish_recovery: after a crash whose space maps are torn and
// whose header lost its next object id, the space and the id are rebuilt from what the trees
// reach; the checker passes, the same pages are in use, and the database works normally.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "cache/buffer_cache.h"
#include "catalog/catalog_format.h"
#include "catalog/cursor.h"
#include "catalog/cursor_flags.h"
#include "catalog/database.h"
#include "io/memory_file_system.h"
#include "page/page_format.h"

namespace esent::catalog {
namespace {

constexpr std::uint32_t kPageSize = 4096;
const std::string kPath = "/recover.edb";

std::span<const std::byte> bytes_of(const void* data, std::size_t size) {
  return {static_cast<const std::byte*>(data), size};
}

class DatabaseRecoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_system_ = std::make_shared<io::MemoryFileSystem>();
    cache_ = std::make_unique<cache::BufferCache>(64);
    Result<std::shared_ptr<Database>> db = Database::create(*file_system_, *cache_, kPath, {});
    ASSERT_TRUE(db.ok()) << db.status().to_string();
    database_ = std::move(db).value();
  }
  void TearDown() override {
    if (database_ != nullptr) database_->abandon();
  }

  // Key (Long, primary), Value (Long, index "ByValue"), Name (Text, index "ByName"),
  // Blob (Long Binary).
  std::shared_ptr<Table> MakeTable(const std::string& name) {
    TableDef def;
    def.name = name;
    def.columns.push_back(ColumnDef{"Key", 0, ColumnType::kLong, 0, column_flags::kNotNULL, 0, "", false});
    def.columns.push_back(ColumnDef{"Value", 0, ColumnType::kLong, 0, 0, 0, "", false});
    def.columns.push_back(ColumnDef{"Name", 0, ColumnType::kText, 0, 0, 0, "", false});
    def.columns.push_back(ColumnDef{"Blob", 0, ColumnType::kLongBinary, 0, 0, 0, "", false});
    IndexDef primary;
    primary.name = "ByKey";
    primary.flags = index_flags::kPrimary | index_flags::kUnique;
    primary.segments = {IndexSegment{1, false}};
    IndexDef by_value;
    by_value.name = "ByValue";
    by_value.segments = {IndexSegment{2, false}};
    def.indexes = {primary, by_value};
    Result<std::shared_ptr<Table>> table = database_->create_table(def);
    EXPECT_TRUE(table.ok()) << table.status().to_string();
    return table.ok() ? table.value() : nullptr;
  }

  static Status Insert(Cursor& cursor, const TableSchema& schema, std::int32_t key,
                       const std::string& name, std::size_t blob_bytes) {
    const std::int32_t value = 1000 - key;
    ESENT_RETURN_IF_ERROR(cursor.prepare_update(prepare_kind::kInsert));
    ESENT_RETURN_IF_ERROR(cursor.set_column(schema.column("Key")->column_id, bytes_of(&key, 4), 0, 1, 0));
    ESENT_RETURN_IF_ERROR(cursor.set_column(schema.column("Value")->column_id, bytes_of(&value, 4), 0, 1, 0));
    ESENT_RETURN_IF_ERROR(cursor.set_column(schema.column("Name")->column_id,
                                            bytes_of(name.data(), name.size()), 0, 1, 0));
    if (blob_bytes > 0) {
      std::string blob(blob_bytes, static_cast<char>('a' + key % 26));
      ESENT_RETURN_IF_ERROR(cursor.set_column(schema.column("Blob")->column_id,
                                              bytes_of(blob.data(), blob.size()), 0, 1, 0));
    }
    return cursor.update().status();
  }

  // Two tables with records, index entries and long values; some records (and so some long
  // values) erased again, so the free space has holes.
  void Populate() {
    for (const char* name : {"Alpha", "Beta"}) {
      std::shared_ptr<Table> table = MakeTable(name);
      ASSERT_NE(table, nullptr);
      Result<std::unique_ptr<Cursor>> cursor = Cursor::open(table, false, false);
      ASSERT_TRUE(cursor.ok()) << cursor.status().to_string();
      const TableSchema& schema = *table->schema();
      for (std::int32_t key = 0; key < 300; ++key) {
        const std::size_t blob = key % 50 == 0 ? 20000 : 0;
        ASSERT_TRUE(Insert(**cursor, schema, key, "name-" + std::to_string(key * 7919 % 1000), blob).ok());
      }
      // Erase every record with a long value but the first, and a stretch of others.
      for (std::int32_t key = 50; key < 300; key += 50) ASSERT_TRUE(Erase(**cursor, key).ok());
      for (std::int32_t key = 101; key < 140; ++key) ASSERT_TRUE(Erase(**cursor, key).ok());
    }
  }

  static Status Erase(Cursor& cursor, std::int32_t key) {
    ESENT_RETURN_IF_ERROR(cursor.make_key(bytes_of(&key, 4), make_key_flags::kNewKey));
    ESENT_RETURN_IF_ERROR(cursor.seek(seek_flags::kEqual));
    return cursor.erase().status();
  }

  // Flushes every page, then "crashes": the header's next object id goes back to the first
  // table id, the database is dropped without close (DirtyShutdown) and its space map is torn.
  void CrashWithStaleSpace() {
    ASSERT_TRUE(database_->file().flush().ok());
    ASSERT_TRUE(database_->file()
                    .update_header([](page::DatabaseHeader& header) {
                      header.next_object_id = catalog_format::kFirstTableObjectId;
                    })
                    .ok());
    database_->abandon();
    database_.reset();
    io::OpenOptions options;
    options.write = true;
    Result<std::unique_ptr<io::File>> file = file_system_->open_file(kPath, options);
    ASSERT_TRUE(file.ok());
    std::vector<std::byte> map(kPageSize);
    const std::uint64_t offset = std::uint64_t{page::kFirstSpaceMapPage} * kPageSize;
    ASSERT_TRUE((*file)->read_at(offset, map).ok());
    for (std::size_t i = 100; i < 900; ++i) map[i] = std::byte{0xA5};  // torn
    ASSERT_TRUE((*file)->write_at(offset, map).ok());
    // An ordinary open refuses the dirty database.
    EXPECT_EQ(Database::open(*file_system_, *cache_, kPath, {}).status().error(),
              Error::kDatabaseDirtyShutdown);
  }

  void OpenForRecovery() {
    Result<std::shared_ptr<Database>> db =
        Database::open_for_recovery(*file_system_, *cache_, kPath, {});
    ASSERT_TRUE(db.ok()) << db.status().to_string();
    database_ = std::move(db).value();
  }

  std::uint32_t LargestObjectId() {
    std::uint32_t largest = 0;
    Result<std::vector<std::string>> names = database_->table_names();
    EXPECT_TRUE(names.ok());
    for (const std::string& name : names.value()) {
      Result<std::shared_ptr<Table>> table = database_->open_table(name);
      EXPECT_TRUE(table.ok());
      const TableSchema& schema = *(*table)->schema();
      largest = std::max({largest, schema.object_id, schema.long_value_object_id});
      for (std::uint32_t id : schema.index_object_ids) largest = std::max(largest, id);
    }
    return largest;
  }

  std::shared_ptr<io::MemoryFileSystem> file_system_;
  std::unique_ptr<cache::BufferCache> cache_;
  std::shared_ptr<Database> database_;
};

TEST_F(DatabaseRecoveryTest, FinishRecoveryRebuildsSpaceAndObjectIdsFromTheTrees) {
  Populate();
  Result<CheckReport> before = database_->check();
  ASSERT_TRUE(before.ok()) << before.status().to_string();
  ASSERT_GT(before->free_pages, 0U);  // the erasures left holes
  Result<std::vector<page::Pgno>> free_before = database_->file().free_pages();
  ASSERT_TRUE(free_before.ok());
  const std::uint32_t largest = LargestObjectId();
  ASSERT_GE(largest, catalog_format::kFirstTableObjectId + 4);
  CrashWithStaleSpace();

  OpenForRecovery();
  EXPECT_TRUE(database_->file().recovering());
  // Redo can reach pages (here: the catalog's root, left unchanged).
  Result<cache::RedoPage> redo =
      database_->file().get_for_redo(database_->file().header().catalog_root);
  ASSERT_TRUE(redo.ok()) << redo.status().to_string();
  EXPECT_FALSE(redo->torn);
  redo->page.release();
  // Nothing can allocate before the space is rebuilt.
  TableDef early;
  early.name = "Early";
  early.columns.push_back(ColumnDef{"C", 0, ColumnType::kLong, 0, 0, 0, "", false});
  EXPECT_EQ(database_->create_table(early).status().error(), Error::kInternalError);

  ASSERT_TRUE(database_->finish_recovery().ok());
  EXPECT_FALSE(database_->file().recovering());
  Result<CheckReport> after = database_->check();
  ASSERT_TRUE(after.ok()) << after.status().to_string();
  EXPECT_EQ(after->pages, before->pages);
  EXPECT_EQ(after->free_pages, before->free_pages);
  EXPECT_EQ(after->records, before->records);
  EXPECT_EQ(after->trees, before->trees);
  Result<std::vector<page::Pgno>> free_after = database_->file().free_pages();
  ASSERT_TRUE(free_after.ok());
  EXPECT_EQ(free_after.value(), free_before.value());
  EXPECT_GT(database_->file().header().next_object_id, largest);
  EXPECT_EQ(database_->finish_recovery().error(), Error::kInternalError);  // only once

  // New tables and records work, with fresh object ids, on the lowest free pages.
  std::shared_ptr<Table> fresh = MakeTable("Gamma");
  ASSERT_NE(fresh, nullptr);
  EXPECT_GT(fresh->schema()->object_id, largest);
  {
    Result<std::unique_ptr<Cursor>> cursor = Cursor::open(fresh, false, false);
    ASSERT_TRUE(cursor.ok());
    for (std::int32_t key = 0; key < 100; ++key) {
      ASSERT_TRUE(Insert(**cursor, *fresh->schema(), key, "g", key == 7 ? 9000 : 0).ok());
    }
  }
  {
    Result<std::shared_ptr<Table>> alpha = database_->open_table("Alpha");
    ASSERT_TRUE(alpha.ok());
    Result<std::unique_ptr<Cursor>> cursor = Cursor::open(*alpha, false, false);
    ASSERT_TRUE(cursor.ok());
    ASSERT_TRUE(Insert(**cursor, *(*alpha)->schema(), 5000, "late", 12000).ok());
  }
  Result<CheckReport> grown = database_->check();
  ASSERT_TRUE(grown.ok()) << grown.status().to_string();
  EXPECT_EQ(grown->tables, 3U);
  EXPECT_EQ(grown->records, before->records + 101);

  // A clean close; an ordinary open finds every table and passes the checker.
  ASSERT_TRUE(database_->close().ok());
  database_.reset();
  Result<std::shared_ptr<Database>> reopened = Database::open(*file_system_, *cache_, kPath, {});
  ASSERT_TRUE(reopened.ok()) << reopened.status().to_string();
  database_ = std::move(reopened).value();
  Result<CheckReport> final_report = database_->check();
  ASSERT_TRUE(final_report.ok()) << final_report.status().to_string();
  EXPECT_EQ(final_report->records, grown->records);
  EXPECT_EQ(final_report->free_pages, grown->free_pages);
}

TEST_F(DatabaseRecoveryTest, FinishRecoveryReportsADamagedTreeAndAllocatesNothing) {
  std::shared_ptr<Table> table = MakeTable("Alpha");
  ASSERT_NE(table, nullptr);
  const page::Pgno root = table->schema()->primary_root;
  table.reset();
  CrashWithStaleSpace();
  {
    io::OpenOptions options;
    options.write = true;
    Result<std::unique_ptr<io::File>> file = file_system_->open_file(kPath, options);
    ASSERT_TRUE(file.ok());
    std::vector<std::byte> garbage(256, std::byte{0x3C});
    ASSERT_TRUE((*file)->write_at(std::uint64_t{root} * kPageSize + 1000, garbage).ok());
  }
  OpenForRecovery();
  Status finished = database_->finish_recovery();
  EXPECT_EQ(finished.error(), Error::kDatabaseCorrupted) << finished.to_string();
  EXPECT_TRUE(database_->file().recovering());
  EXPECT_EQ(database_->file().allocate().status().error(), Error::kInternalError);
}

TEST_F(DatabaseRecoveryTest, RecoveryOfACleanDatabaseChangesNothing) {
  Populate();
  Result<CheckReport> before = database_->check();
  ASSERT_TRUE(before.ok()) << before.status().to_string();
  const std::uint32_t next_id = database_->file().header().next_object_id;
  ASSERT_TRUE(database_->close().ok());
  database_.reset();
  OpenForRecovery();
  ASSERT_TRUE(database_->finish_recovery().ok());
  EXPECT_EQ(database_->file().header().next_object_id, next_id);  // never lowered
  Result<CheckReport> after = database_->check();
  ASSERT_TRUE(after.ok()) << after.status().to_string();
  EXPECT_EQ(after->free_pages, before->free_pages);
  EXPECT_EQ(after->records, before->records);
}

TEST_F(DatabaseRecoveryTest, OnlyARecoveringOpenCanFinishRecovery) {
  EXPECT_EQ(database_->finish_recovery().error(), Error::kInternalError);
  ASSERT_TRUE(database_->close().ok());
  database_.reset();
  DatabaseOptions read_only;
  read_only.read_only = true;
  EXPECT_EQ(Database::open_for_recovery(*file_system_, *cache_, kPath, read_only).status().error(),
            Error::kInvalidParameter);
}

}  // namespace
}  // namespace esent::catalog
