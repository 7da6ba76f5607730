// The version store's bound (docs/transactions.md): JET_paramMaxVerPages pages of
// JET_paramVerPageSize bytes. A change past it fails with JET_errVersionStoreOutOfMemory, changes
// nothing, and leaves the transaction usable; what no transaction needs any more is cleaned up,
// so the space comes back when the transaction (or a reader holding old versions) ends.
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "storage_fixture.h"

namespace esent_test {
namespace {

class VersionStoreTest : public StorageTest {
 protected:
  void SetUp() override {
    // One version page: 32 KiB at the default page size of the version store.
    instance_ = CreateInstance("small.versions");
    ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance_, 0, JET_paramRecovery, 0, "off"));
    ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance_, 0, JET_paramMaxVerPages, 1, nullptr));
    ASSERT_EQ(JET_errSuccess, JetInit(&instance_));
    sesid_ = BeginSession(instance_);
    dbid_ = CreateDatabase();
    columns_ = CreateKeyedTable(dbid_);
    tableid_ = OpenTable(dbid_, "Keyed");
  }

  // Inserts rows from `first` on until one fails; returns that code and how many went in.
  std::pair<JET_ERR, std::int32_t> InsertUntilFailure(std::int32_t first, std::int32_t most) {
    for (std::int32_t i = 0; i < most; ++i) {
      const JET_ERR err = InsertRow(tableid_, columns_, first + i, i, std::string(200, 'x'));
      if (err != JET_errSuccess) return {err, i};
    }
    return {JET_errSuccess, most};
  }

  JET_DBID dbid_ = kNilDbid;
  KeyedColumns columns_;
  JET_TABLEID tableid_ = kNilTableid;
};

TEST_F(VersionStoreTest, FullVersionStoreFailsTheChangeAndKeepsTheTransaction) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  auto [err, inserted] = InsertUntilFailure(1, 100000);
  EXPECT_EQ(JET_errVersionStoreOutOfMemory, err);
  ASSERT_GT(inserted, 0);
  // The transaction is still usable: its rows commit, the failed one is not there.
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0));
  EXPECT_EQ(static_cast<std::size_t>(inserted), ScanInt32(tableid_, columns_.key).size());
  // The commit gave the space back: another transaction as large fits again.
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  auto [again, count] = InsertUntilFailure(1000000, inserted);
  EXPECT_EQ(JET_errSuccess, again);
  EXPECT_EQ(inserted, count);
  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
}

// Outside a transaction every change commits at once, so the version store never fills unless a
// reader keeps old versions alive; when the reader ends, they go.
TEST_F(VersionStoreTest, LongReaderHoldsVersionsUntilItEnds) {
  const std::int32_t rows = 300;
  for (std::int32_t key = 1; key <= rows; ++key) {
    ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, key, key, std::string(200, 'y')));
  }
  JET_SESID reader = BeginSession(instance_);
  JET_DBID reader_db = kNilDbid;
  ASSERT_EQ(JET_errSuccess, JetOpenDatabaseA(reader, DatabasePath("test.edb").c_str(), nullptr, &reader_db, 0));
  JET_TABLEID reader_table = kNilTableid;
  ASSERT_EQ(JET_errSuccess, JetOpenTableA(reader, reader_db, "Keyed", nullptr, 0, 0, &reader_table));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(reader));
  ASSERT_EQ(JET_errSuccess, JetMove(reader, reader_table, kMoveFirst, 0));

  // Deleting keeps each record's image for the reader: the store fills before all are gone.
  JET_ERR err = JET_errSuccess;
  std::int32_t deleted = 0;
  for (std::int32_t key = 1; key <= rows && err == JET_errSuccess; ++key) {
    ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, key, JET_bitSeekEQ));
    err = JetDelete(sesid_, tableid_);
    if (err == JET_errSuccess) ++deleted;
  }
  EXPECT_EQ(JET_errVersionStoreOutOfMemory, err);
  EXPECT_LT(deleted, rows);
  // The reader still sees every row.
  std::int32_t seen = 0;
  JET_ERR moved = JetMove(reader, reader_table, kMoveFirst, 0);
  while (moved == JET_errSuccess) {
    ++seen;
    moved = JetMove(reader, reader_table, JET_MoveNext, 0);
  }
  EXPECT_EQ(rows, seen);

  // Once the reader ends its transaction, the rest can be deleted.
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(reader, 0));
  for (std::int32_t key = deleted + 1; key <= rows; ++key) {
    ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, key, JET_bitSeekEQ)) << key;
    ASSERT_EQ(JET_errSuccess, JetDelete(sesid_, tableid_)) << key;
  }
  EXPECT_TRUE(ScanInt32(tableid_, columns_.key).empty());
  EXPECT_EQ(JET_errSuccess, JetEndSession(reader, 0));
}

}  // namespace
}  // namespace esent_test
