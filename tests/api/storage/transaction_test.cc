// Acceptance tests of transactions on one session: JetBeginTransaction(2),
// JetCommitTransaction(2), JetRollback; nesting; DDL under a transaction.
//
// Sources: learn.microsoft.com pages of JetBeginTransaction ("up to 7 levels"; deeper is
// JET_errTransTooDeep), JetCommitTransaction and JetRollback (JET_errNotInTransaction outside a
// transaction; JET_bitRollbackAll), JetEndSession (an open transaction is rolled back).
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "storage_fixture.h"

namespace esent_test {
namespace {

class TransactionTest : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    dbid_ = CreateDatabase();
    columns_ = CreateKeyedTable(dbid_);
    tableid_ = OpenTable(dbid_, "Keyed");
  }

  std::vector<std::int32_t> Keys() { return ScanInt32(tableid_, columns_.key); }

  JET_DBID dbid_ = kNilDbid;
  KeyedColumns columns_;
  JET_TABLEID tableid_ = kNilTableid;
};

TEST_F(TransactionTest, CommitOutsideATransactionIsNotInTransaction) {
  EXPECT_EQ(JET_errNotInTransaction, JetCommitTransaction(sesid_, 0));
  EXPECT_EQ(JET_errNotInTransaction, JetCommitTransaction(sesid_, JET_bitCommitLazyFlush));
}

TEST_F(TransactionTest, RollbackOutsideATransactionIsNotInTransaction) {
  EXPECT_EQ(JET_errNotInTransaction, JetRollback(sesid_, 0));
  EXPECT_EQ(JET_errNotInTransaction, JetRollback(sesid_, JET_bitRollbackAll));
}

TEST_F(TransactionTest, CommittedInsertStays) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 1));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0));
  EXPECT_EQ((std::vector<std::int32_t>{1}), Keys());
  EXPECT_EQ(JET_errNotInTransaction, JetCommitTransaction(sesid_, 0));
}

TEST_F(TransactionTest, RolledBackInsertIsUndone) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 1));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 2, 2));
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 3, 3));
  EXPECT_EQ((std::vector<std::int32_t>{1, 2, 3}), Keys()) << "own changes are visible";
  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
  EXPECT_EQ((std::vector<std::int32_t>{1}), Keys());
  // The key is free again.
  EXPECT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 2, 20));
}

TEST_F(TransactionTest, RolledBackReplaceIsUndone) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 100, "original"));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 1, JET_bitSeekEQ));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepReplace));
  ASSERT_EQ(JET_errSuccess, SetInt32(tableid_, columns_.value, 200));
  ASSERT_EQ(JET_errSuccess, SetString(tableid_, columns_.name, "changed"));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 1, JET_bitSeekEQ));
  EXPECT_EQ(100, RetrieveInt32(tableid_, columns_.value));
  EXPECT_EQ("original", RetrieveString(tableid_, columns_.name));
}

TEST_F(TransactionTest, RolledBackDeleteIsUndone) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 100));
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 2, 200));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 1, JET_bitSeekEQ));
  ASSERT_EQ(JET_errSuccess, JetDelete(sesid_, tableid_));
  EXPECT_EQ((std::vector<std::int32_t>{2}), Keys());
  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
  EXPECT_EQ((std::vector<std::int32_t>{1, 2}), Keys());
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 1, JET_bitSeekEQ));
  EXPECT_EQ(100, RetrieveInt32(tableid_, columns_.value));
}

// Secondary indexes are rolled back with the records.
TEST_F(TransactionTest, RollbackRestoresSecondaryIndexEntries) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 5));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 1, JET_bitSeekEQ));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepReplace));
  ASSERT_EQ(JET_errSuccess, SetInt32(tableid_, columns_.value, 9));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 2, 5));
  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "byValue"));
  EXPECT_EQ(JET_errRecordNotFound, SeekInt32(tableid_, 9, JET_bitSeekEQ));
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 5, JET_bitSeekEQ));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  std::uint32_t count = 0;
  ASSERT_EQ(JET_errSuccess, JetIndexRecordCount(sesid_, tableid_, &count, 0));
  EXPECT_EQ(1u, count);
}

// JetRollback docs: rolling back a nested level undoes only that level.
TEST_F(TransactionTest, InnerRollbackUndoesOnlyTheInnerLevel) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 1));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 2, 2));
  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0));
  EXPECT_EQ((std::vector<std::int32_t>{1}), Keys());
}

// An inner commit only merges into the outer level; rolling back the outer level undoes it.
TEST_F(TransactionTest, OuterRollbackUndoesACommittedInnerLevel) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 2, 2));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0));
  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
  EXPECT_EQ((std::vector<std::int32_t>{}), Keys());
}

// JetRollback docs: JET_bitRollbackAll rolls back every level.
TEST_F(TransactionTest, RollbackAllUndoesEveryLevel) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 1));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction2(sesid_, 0));
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 2, 2));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, JET_bitRollbackAll));
  EXPECT_EQ(JET_errNotInTransaction, JetRollback(sesid_, 0));
  EXPECT_EQ((std::vector<std::int32_t>{}), Keys());
}

// JetBeginTransaction docs: at most 7 nested levels; the eighth is JET_errTransTooDeep.
TEST_F(TransactionTest, EighthLevelIsTransTooDeep) {
  for (int level = 1; level <= 7; ++level) {
    ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_)) << level;
  }
  EXPECT_EQ(JET_errTransTooDeep, JetBeginTransaction(sesid_));
  for (int level = 7; level >= 1; --level) {
    EXPECT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0)) << level;
  }
  EXPECT_EQ(JET_errNotInTransaction, JetCommitTransaction(sesid_, 0));
}

TEST_F(TransactionTest, CommitTransaction2AndLazyFlushCommit) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 1));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, JET_bitCommitLazyFlush));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 2, 2));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction2(sesid_, 0, 0, nullptr));
  EXPECT_EQ((std::vector<std::int32_t>{1, 2}), Keys());
}

// A long value changed inside a rolled-back transaction comes back whole.
TEST_F(TransactionTest, RolledBackLongValueIsRestored) {
  JET_TABLEID tableid = CreateTable(dbid_, "Blobs");
  const JET_COLUMNID key = AddColumn(tableid, "Key", JET_coltypLong);
  const JET_COLUMNID blob = AddColumn(tableid, "Blob", JET_coltypLongBinary);
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid, "primary", JET_bitIndexPrimary, {"+Key"}));
  const std::string original(30000, 'o');
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid, JET_prepInsert));
  ASSERT_EQ(JET_errSuccess, SetInt32(tableid, key, 1));
  ASSERT_EQ(JET_errSuccess, SetString(tableid, blob, original));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid, nullptr, 0, nullptr));

  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid, 1, JET_bitSeekEQ));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid, JET_prepReplace));
  ASSERT_EQ(JET_errSuccess, SetString(tableid, blob, std::string(50000, 'n')));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid, nullptr, 0, nullptr));
  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid, 1, JET_bitSeekEQ));
  EXPECT_EQ(original, RetrieveString(tableid, blob));
}

// JetEndSession docs: ending a session with an open transaction rolls it back.
TEST_F(TransactionTest, EndSessionRollsBackTheOpenTransaction) {
  JET_SESID other = BeginSession(instance_);
  JET_DBID other_dbid = kNilDbid;
  ASSERT_EQ(JET_errSuccess,
            JetOpenDatabaseA(other, DatabasePath("test.edb").c_str(), nullptr, &other_dbid, 0));
  JET_TABLEID other_table = kNilTableid;
  ASSERT_EQ(JET_errSuccess, JetOpenTableA(other, other_dbid, "Keyed", nullptr, 0, 0, &other_table));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(other));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(other, other_table, JET_prepInsert));
  std::int32_t key = 42;
  ASSERT_EQ(JET_errSuccess, JetSetColumn(other, other_table, columns_.key, &key, sizeof(key), 0,
                                         nullptr));
  ASSERT_EQ(JET_errSuccess, JetUpdate(other, other_table, nullptr, 0, nullptr));
  ASSERT_EQ(JET_errSuccess, JetEndSession(other, 0));
  EXPECT_EQ((std::vector<std::int32_t>{}), Keys());
}

// ESE DDL is transactional: a table created inside a rolled-back transaction does not exist.
// UNVERIFIED: JetCreateTable inside a user transaction is rolled back with it (ESE runs the
// create in a nested transaction of the user's).
TEST_F(TransactionTest, RolledBackCreateTableIsUndone) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  JET_TABLEID tableid = CreateTable(dbid_, "Temporary");
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
  EXPECT_EQ(JET_errObjectNotFound,
            JetOpenTableA(sesid_, dbid_, "Temporary", nullptr, 0, 0, &tableid));
}

// ESE versioning: another session does not see changes that are not committed; after the commit
// it does.
TEST_F(TransactionTest, UncommittedInsertIsInvisibleToAnotherSession) {
  JET_SESID other = BeginSession(instance_);
  JET_DBID other_dbid = kNilDbid;
  ASSERT_EQ(JET_errSuccess,
            JetOpenDatabaseA(other, DatabasePath("test.edb").c_str(), nullptr, &other_dbid, 0));
  JET_TABLEID other_table = kNilTableid;
  ASSERT_EQ(JET_errSuccess, JetOpenTableA(other, other_dbid, "Keyed", nullptr, 0, 0, &other_table));

  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 1));
  EXPECT_EQ(JET_errNoCurrentRecord, JetMove(other, other_table, kMoveFirst, 0));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0));
  EXPECT_EQ(JET_errSuccess, JetMove(other, other_table, kMoveFirst, 0));
}

// ESE's schema changes are transactional: a rollback takes back a column added, an index created
// and an index deleted inside the transaction.
TEST_F(TransactionTest, RolledBackAddColumnIsUndone) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  JET_COLUMNDEF def{};
  def.cbStruct = sizeof(def);
  def.coltyp = JET_coltypLong;
  JET_COLUMNID added = 0;
  ASSERT_EQ(JET_errSuccess, JetAddColumnA(sesid_, tableid_, "Extra", &def, nullptr, 0, &added));
  JET_COLUMNDEF found{};
  ASSERT_EQ(JET_errSuccess, JetGetTableColumnInfoA(sesid_, tableid_, "Extra", &found, sizeof(found),
                                                   JET_ColInfo));
  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
  EXPECT_EQ(JET_errColumnNotFound, JetGetTableColumnInfoA(sesid_, tableid_, "Extra", &found,
                                                          sizeof(found), JET_ColInfo));
}

TEST_F(TransactionTest, RolledBackCreateIndexIsUndone) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 10, "one"));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "byName", 0, {"+Name"}));
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "byName"));
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, nullptr));
  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
  EXPECT_EQ(JET_errIndexNotFound, JetSetCurrentIndexA(sesid_, tableid_, "byName"));
}

TEST_F(TransactionTest, RolledBackDeleteIndexIsUndone) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 10));
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 2, 20));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, JetDeleteIndexA(sesid_, tableid_, "byValue"));
  EXPECT_EQ(JET_errIndexNotFound, JetSetCurrentIndexA(sesid_, tableid_, "byValue"));
  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "byValue"));
  EXPECT_EQ(JET_errSuccess, SeekInt32(tableid_, 20, JET_bitSeekEQ));
  EXPECT_EQ(2, RetrieveInt32(tableid_, columns_.key));
}

TEST_F(TransactionTest, RolledBackDeleteColumnIsUndone) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 10, "kept"));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, JetDeleteColumnA(sesid_, tableid_, "Name"));
  JET_COLUMNDEF found{};
  EXPECT_EQ(JET_errColumnNotFound, JetGetTableColumnInfoA(sesid_, tableid_, "Name", &found,
                                                          sizeof(found), JET_ColInfo));
  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
  ASSERT_EQ(JET_errSuccess, JetGetTableColumnInfoA(sesid_, tableid_, "Name", &found, sizeof(found),
                                                   JET_ColInfo));
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 1, JET_bitSeekEQ));
  EXPECT_EQ("kept", RetrieveString(tableid_, found.columnid));
}

// A table deleted inside a transaction is back after the rollback, with its records and with
// the changes made to it before the delete undone too; committed, it is gone.
TEST_F(TransactionTest, RolledBackDeleteTableIsUndone) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 10));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 2, 20));
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid_));
  tableid_ = kNilTableid;
  ASSERT_EQ(JET_errSuccess, JetDeleteTableA(sesid_, dbid_, "Keyed"));
  JET_TABLEID reopened = kNilTableid;
  EXPECT_EQ(JET_errObjectNotFound, JetOpenTableA(sesid_, dbid_, "Keyed", nullptr, 0, 0, &reopened));
  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
  ASSERT_EQ(JET_errSuccess, JetOpenTableA(sesid_, dbid_, "Keyed", nullptr, 0, 0, &tableid_));
  EXPECT_EQ(std::vector<std::int32_t>{1}, Keys());

  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid_));
  tableid_ = kNilTableid;
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, JetDeleteTableA(sesid_, dbid_, "Keyed"));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0));
  EXPECT_EQ(JET_errObjectNotFound, JetOpenTableA(sesid_, dbid_, "Keyed", nullptr, 0, 0, &reopened));
}

// A committed inner level is still undone by the outer level's rollback.
TEST_F(TransactionTest, OuterRollbackUndoesCommittedInnerLevel) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 5, 5));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0));
  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
  EXPECT_TRUE(Keys().empty());
}

}  // namespace
}  // namespace esent_test
