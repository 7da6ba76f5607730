// Tables, records and cursors at the catalog layer, on an in-memory file system: the catalog
// persists schemas, records reach their indexes, cursors navigate, and the on-disk checker
// accepts what the workload leaves behind (and rejects a damaged tree).
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <random>
#include <string>

#include "cache/buffer_cache.h"
#include "catalog/cursor.h"
#include "catalog/cursor_flags.h"
#include "catalog/database.h"
#include "io/memory_file_system.h"

namespace esent::catalog {
namespace {

std::span<const std::byte> bytes_of(const void* data, std::size_t size) {
  return {static_cast<const std::byte*>(data), size};
}

class CatalogDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    file_system_ = std::make_shared<io::MemoryFileSystem>();
    cache_ = std::make_unique<cache::BufferCache>(64);
    Result<std::shared_ptr<Database>> db = Database::create(*file_system_, *cache_, "/db.edb", {});
    ASSERT_TRUE(db.ok()) << db.status().to_string();
    database_ = std::move(db).value();
  }

  void Reopen() {
    ASSERT_TRUE(database_->close().ok());
    database_.reset();
    Result<std::shared_ptr<Database>> db = Database::open(*file_system_, *cache_, "/db.edb", {});
    ASSERT_TRUE(db.ok()) << db.status().to_string();
    database_ = std::move(db).value();
  }

  // A table: Key (Long, primary), Value (Long, secondary index "ByValue"), Name (Text).
  std::shared_ptr<Table> MakeTable(const std::string& name) {
    TableDef def;
    def.name = name;
    def.columns.push_back(ColumnDef{"Key", 0, ColumnType::kLong, 0, column_flags::kNotNULL, 0, "", false});
    def.columns.push_back(ColumnDef{"Value", 0, ColumnType::kLong, 0, 0, 0, "", false});
    def.columns.push_back(ColumnDef{"Name", 0, ColumnType::kText, 0, 0, 0, "", false});
    IndexDef primary;
    primary.name = "ByKey";
    primary.flags = index_flags::kPrimary | index_flags::kUnique;
    def.indexes.push_back(primary);
    IndexDef secondary;
    secondary.name = "ByValue";
    def.indexes.push_back(secondary);
    // Segments need the column ids, assigned in order: Key 1, Value 2.
    def.indexes[0].segments = {IndexSegment{1, false}};
    def.indexes[1].segments = {IndexSegment{2, false}};
    Result<std::shared_ptr<Table>> table = database_->create_table(def);
    EXPECT_TRUE(table.ok()) << table.status().to_string();
    return table.ok() ? table.value() : nullptr;
  }

  static Status Insert(Cursor& cursor, std::int32_t key, std::int32_t value, const std::string& name) {
    ESENT_RETURN_IF_ERROR(cursor.prepare_update(prepare_kind::kInsert));
    ESENT_RETURN_IF_ERROR(cursor.set_column(1, bytes_of(&key, 4), 0, 1, 0));
    ESENT_RETURN_IF_ERROR(cursor.set_column(2, bytes_of(&value, 4), 0, 1, 0));
    ESENT_RETURN_IF_ERROR(cursor.set_column(128, bytes_of(name.data(), name.size()), 0, 1, 0));
    return cursor.update().status();
  }

  static std::int32_t ReadInt(Cursor& cursor, std::uint32_t column) {
    std::int32_t value = 0;
    Result<Cursor::Retrieved> got = cursor.retrieve_column(
        column, std::span<std::byte>(reinterpret_cast<std::byte*>(&value), 4), 0, 1, 0);
    EXPECT_TRUE(got.ok()) << got.status().to_string();
    return value;
  }

  std::shared_ptr<io::MemoryFileSystem> file_system_;
  std::unique_ptr<cache::BufferCache> cache_;
  std::shared_ptr<Database> database_;
};

TEST_F(CatalogDatabaseTest, SchemaSurvivesReopen) {
  ASSERT_NE(MakeTable("People"), nullptr);
  Reopen();
  Result<std::shared_ptr<Table>> table = database_->open_table("PEOPLE");
  ASSERT_TRUE(table.ok()) << table.status().to_string();
  std::shared_ptr<const TableSchema> schema = (*table)->schema();
  EXPECT_EQ(schema->name, "People");
  ASSERT_EQ(schema->columns.size(), 3U);
  EXPECT_EQ(schema->columns[2].name, "Name");
  EXPECT_EQ(schema->columns[2].column_id, 128U);
  ASSERT_EQ(schema->indexes.size(), 2U);
  EXPECT_NE(schema->primary_index(), nullptr);
  EXPECT_EQ(database_->open_table("Missing").status().error(), Error::kObjectNotFound);
  TableDef again;
  again.name = "people";
  EXPECT_EQ(database_->create_table(again).status().error(), Error::kTableDuplicate);
}

TEST_F(CatalogDatabaseTest, RecordsReachBothIndexesAndSurviveReopen) {
  std::shared_ptr<Table> table = MakeTable("T");
  ASSERT_NE(table, nullptr);
  {
    Result<std::unique_ptr<Cursor>> cursor = Cursor::open(table, false, false);
    ASSERT_TRUE(cursor.ok());
    for (std::int32_t key = 10; key > 0; --key) {
      ASSERT_TRUE(Insert(**cursor, key, 100 - key, "n" + std::to_string(key)).ok());
    }
    EXPECT_EQ(Insert(**cursor, 3, 0, "dup").error(), Error::kKeyDuplicate);
  }
  Reopen();
  Result<std::shared_ptr<Table>> reopened = database_->open_table("T");
  ASSERT_TRUE(reopened.ok());
  Result<std::unique_ptr<Cursor>> cursor = Cursor::open(*reopened, false, false);
  ASSERT_TRUE(cursor.ok());
  // Primary order: keys 1..10.
  ASSERT_TRUE((*cursor)->move_first().ok());
  for (std::int32_t key = 1; key <= 10; ++key) {
    EXPECT_EQ(ReadInt(**cursor, 1), key);
    Status moved = (*cursor)->move(1);
    EXPECT_EQ(moved.error(), key == 10 ? Error::kNoCurrentRecord : Error::kSuccess);
  }
  // Secondary order: values 90..99, so keys 10..1.
  ASSERT_TRUE((*cursor)->set_current_index("ByValue", true).ok());
  EXPECT_EQ(ReadInt(**cursor, 1), 10);
  std::int32_t target = 95;
  ASSERT_TRUE((*cursor)->make_key(bytes_of(&target, 4), make_key_flags::kNewKey).ok());
  ASSERT_TRUE((*cursor)->seek(seek_flags::kEqual).ok());
  EXPECT_EQ(ReadInt(**cursor, 1), 5);
  Result<CheckReport> report = database_->check();
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  EXPECT_EQ(report->records, 10U);
  EXPECT_EQ(report->tables, 1U);
}

TEST_F(CatalogDatabaseTest, RandomWorkloadMatchesAModelAndPassesTheChecker) {
  std::shared_ptr<Table> table = MakeTable("Model");
  ASSERT_NE(table, nullptr);
  const unsigned seed = std::random_device{}();
  std::printf("ESENT_TEST_SEED=%u\n", seed);
  std::mt19937 random(seed);
  std::map<std::int32_t, std::int32_t> model;
  Result<std::unique_ptr<Cursor>> opened = Cursor::open(table, false, false);
  ASSERT_TRUE(opened.ok());
  Cursor& cursor = **opened;
  for (int step = 0; step < 3000; ++step) {
    std::int32_t key = static_cast<std::int32_t>(random() % 500);
    std::int32_t value = static_cast<std::int32_t>(random() % 50);
    ASSERT_TRUE(cursor.make_key(bytes_of(&key, 4), make_key_flags::kNewKey).ok());
    // The primary index is current: seek the key.
    Status found = cursor.seek(seek_flags::kEqual);
    switch (random() % 3) {
      case 0:
        if (found.ok()) {
          ASSERT_EQ(model.count(key), 1U);
          ASSERT_TRUE(cursor.erase().ok());
          model.erase(key);
        } else {
          ASSERT_EQ(found.error(), Error::kRecordNotFound);
          ASSERT_EQ(model.count(key), 0U);
        }
        break;
      case 1:
        if (found.ok()) {
          ASSERT_TRUE(cursor.prepare_update(prepare_kind::kReplace).ok());
          ASSERT_TRUE(cursor.set_column(2, bytes_of(&value, 4), 0, 1, 0).ok());
          ASSERT_TRUE(cursor.update().ok());
          model[key] = value;
        }
        break;
      default:
        if (!found.ok()) {
          ASSERT_TRUE(Insert(cursor, key, value, std::string(static_cast<std::size_t>(random() % 40), 'x')).ok());
          model[key] = value;
        }
        break;
    }
  }
  Reopen();
  Result<std::shared_ptr<Table>> reopened = database_->open_table("Model");
  ASSERT_TRUE(reopened.ok());
  Result<std::unique_ptr<Cursor>> again = Cursor::open(*reopened, false, false);
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE((*again)->set_current_index("ByValue", true).ok());
  std::multimap<std::int32_t, std::int32_t> by_value;
  for (auto [key, value] : model) by_value.emplace(value, key);
  std::size_t count = 0;
  Status moved = model.empty() ? Status(Error::kNoCurrentRecord) : (*again)->move(0);
  while (moved.ok()) {
    std::int32_t value = ReadInt(**again, 2);
    std::int32_t key = ReadInt(**again, 1);
    ASSERT_EQ(model.at(key), value);
    ++count;
    moved = (*again)->move(1);
  }
  EXPECT_EQ(count, model.size());
  Result<CheckReport> report = database_->check();
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  EXPECT_EQ(report->records, model.size());
}

TEST_F(CatalogDatabaseTest, LongValuesAreChunkedAndReadAtOffsets) {
  TableDef def;
  def.name = "Blobs";
  def.columns.push_back(ColumnDef{"Data", 0, ColumnType::kLongBinary, 0, 0, 0, "", false});
  Result<std::shared_ptr<Table>> table = database_->create_table(def);
  ASSERT_TRUE(table.ok());
  Result<std::unique_ptr<Cursor>> cursor = Cursor::open(*table, false, false);
  ASSERT_TRUE(cursor.ok());
  std::string blob(100000, '\0');
  for (std::size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<char>(i * 7 + 3);
  ASSERT_TRUE((*cursor)->prepare_update(prepare_kind::kInsert).ok());
  const std::uint32_t column = (*table)->schema()->columns[0].column_id;
  ASSERT_TRUE((*cursor)->set_column(column, bytes_of(blob.data(), blob.size()), 0, 1, 0).ok());
  ASSERT_TRUE((*cursor)->update().ok());
  ASSERT_TRUE((*cursor)->move_first().ok());
  std::string part(5000, '\0');
  Result<Cursor::Retrieved> got = (*cursor)->retrieve_column(
      column, std::span<std::byte>(reinterpret_cast<std::byte*>(part.data()), part.size()), 0, 1, 43210);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->actual_bytes, blob.size() - 43210);
  EXPECT_EQ(got->warning.error(), Error::kWarnBufferTruncated);
  EXPECT_EQ(part, blob.substr(43210, 5000));
  Result<CheckReport> report = database_->check();
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  // Deleting the record outside any transaction is final and releases its long value: no page
  // is left behind in use.
  Result<Cursor::Change> erased = (*cursor)->erase();
  ASSERT_TRUE(erased.ok());
  report = database_->check();
  ASSERT_TRUE(report.ok()) << report.status().to_string();
}

}  // namespace
}  // namespace esent::catalog
