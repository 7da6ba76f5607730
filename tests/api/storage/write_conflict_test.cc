// Acceptance tests of write conflicts and record locks between two sessions (issue 4).
//
// Contract: docs/transactions.md, "Write conflicts" and "Locks". Inside a transaction, a replace
// (at JetUpdate), a JetDelete and a JetPrepareUpdate(JET_prepReplace) of a record another session
// changed after this session's snapshot, committed or not, fail with JET_errWriteConflict
// (-1102); outside a transaction only uncommitted changes conflict. Inserting a key whose record
// exists in the latest state is JET_errKeyDuplicate; one another session deleted after the
// inserter's snapshot (or has not committed deleting) is JET_errWriteConflict; unique secondary
// keys follow the same rules. JET_prepReplace inside a transaction write-locks the record. A failed
// change changes nothing and leaves the transaction usable. ESE behaves so (learn.microsoft.com:
// JetUpdate, JetDelete and JetPrepareUpdate list JET_errWriteConflict; "JET_prepReplace ... the
// record is write-locked"; JET_prepReplaceNoLock takes no lock).
//
// Every test seeds rows 10..50 with Value = 10 * Key.
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "two_sessions.h"

namespace esent_test {
namespace {

class WriteConflictTest : public TwoSessionTest {
 protected:
  void SetUp() override {
    TwoSessionTest::SetUp();
    ASSERT_FALSE(HasFailure());
    Seed({10, 20, 30, 40, 50});
  }

  // B's replace of `key` with JET_prepReplaceNoLock, checking each step: the prepare and the set
  // succeed (no lock is asked for), JetUpdate gets `expected`.
  void ExpectNoLockReplaceUpdateGets(JET_ERR expected, std::int32_t key, std::int32_t value) {
    ASSERT_EQ(JET_errSuccess, b_.PrepareReplace(key, JET_prepReplaceNoLock));
    ASSERT_EQ(JET_errSuccess,
              JetSetColumn(b_.sesid, b_.tableid, b_.value, &value, sizeof(value), 0, nullptr));
    EXPECT_EQ(expected, JetUpdate(b_.sesid, b_.tableid, nullptr, 0, nullptr));
    b_.Cancel();
  }
};

// --- a record another session changed and has not committed -------------------------------------

TEST_F(WriteConflictTest, ChangingARecordAnotherTransactionReplacedConflictsInsideATransaction) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Replace(20, 201));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));

  ExpectNoLockReplaceUpdateGets(JET_errWriteConflict, 20, 202);
  EXPECT_EQ(JET_errWriteConflict, b_.Delete(20));
  EXPECT_EQ(JET_errWriteConflict, b_.PrepareReplace(20, JET_prepReplace));
  b_.Cancel();

  // Nothing of B's attempts happened.
  EXPECT_EQ(std::optional<std::int32_t>(200), b_.ValueOf(20));
  EXPECT_EQ(std::optional<std::int32_t>(201), a_.ValueOf(20));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));
  ASSERT_EQ(JET_errSuccess, JetRollback(b_.sesid, 0));
  EXPECT_EQ(std::optional<std::int32_t>(201), b_.ValueOf(20));
}

TEST_F(WriteConflictTest, ChangingARecordAnotherTransactionReplacedConflictsOutsideATransaction) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Replace(20, 201));

  ExpectNoLockReplaceUpdateGets(JET_errWriteConflict, 20, 202);
  EXPECT_EQ(JET_errWriteConflict, b_.Delete(20));
  EXPECT_EQ(std::optional<std::int32_t>(200), b_.ValueOf(20));

  // Once A commits, B's level-0 changes no longer conflict.
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));
  ExpectNoLockReplaceUpdateGets(JET_errSuccess, 20, 202);
  EXPECT_EQ(std::optional<std::int32_t>(202), a_.ValueOf(20));
  EXPECT_EQ(JET_errSuccess, b_.Delete(20));
  EXPECT_EQ(JET_errRecordNotFound, a_.SeekPrimary(20));
}

TEST_F(WriteConflictTest, ChangingARecordAnotherTransactionDeletedConflicts) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Delete(20));

  // B at level 0 still sees the record (its delete is not committed), but may not change it.
  ExpectNoLockReplaceUpdateGets(JET_errWriteConflict, 20, 202);
  EXPECT_EQ(JET_errWriteConflict, b_.Delete(20));

  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  ExpectNoLockReplaceUpdateGets(JET_errWriteConflict, 20, 202);
  EXPECT_EQ(JET_errWriteConflict, b_.Delete(20));
  EXPECT_EQ(JET_errWriteConflict, b_.PrepareReplace(20, JET_prepReplace));
  b_.Cancel();
  ASSERT_EQ(JET_errSuccess, JetRollback(b_.sesid, 0));

  ASSERT_EQ(JET_errSuccess, JetRollback(a_.sesid, 0));
  EXPECT_EQ(std::optional<std::int32_t>(200), b_.ValueOf(20));
  ExpectNoLockReplaceUpdateGets(JET_errSuccess, 20, 202);
}

// Other records of the same table are not affected by A's change.
TEST_F(WriteConflictTest, ConflictsAreAboutOneRecordOnly) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Replace(20, 201));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  EXPECT_EQ(JET_errSuccess, b_.Replace(10, 101, JET_prepReplace));
  EXPECT_EQ(JET_errSuccess, b_.Replace(30, 301, JET_prepReplaceNoLock));
  EXPECT_EQ(JET_errSuccess, b_.Delete(40));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(b_.sesid, 0));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));
  EXPECT_EQ((Rows{{10, 101}, {20, 201}, {30, 301}, {50, 500}}), a_.Rows("primary"));
}

// --- locks taken by JET_prepReplace -------------------------------------------------------------

TEST_F(WriteConflictTest, PrepareReplaceInsideATransactionLocksTheRecord) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.PrepareReplace(20, JET_prepReplace));

  // B outside a transaction.
  EXPECT_EQ(JET_errWriteConflict, b_.Delete(20));
  ExpectNoLockReplaceUpdateGets(JET_errWriteConflict, 20, 202);
  // B inside one.
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  EXPECT_EQ(JET_errWriteConflict, b_.Delete(20));
  EXPECT_EQ(JET_errWriteConflict, b_.PrepareReplace(20, JET_prepReplace));
  b_.Cancel();
  ExpectNoLockReplaceUpdateGets(JET_errWriteConflict, 20, 202);
  ASSERT_EQ(JET_errSuccess, JetRollback(b_.sesid, 0));

  // Cancelling the update does not release the lock: the transaction holds it.
  a_.Cancel();
  EXPECT_EQ(JET_errWriteConflict, b_.Delete(20));

  // The commit releases it.
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));
  EXPECT_EQ(std::optional<std::int32_t>(200), b_.ValueOf(20));
  EXPECT_EQ(JET_errSuccess, b_.Delete(20));
  EXPECT_EQ(JET_errRecordNotFound, a_.SeekPrimary(20));
}

TEST_F(WriteConflictTest, LockIsReleasedWhenTheLevelThatTookItRollsBack) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Replace(10, 101));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.PrepareReplace(20, JET_prepReplace));
  a_.Cancel();
  EXPECT_EQ(JET_errWriteConflict, b_.Delete(20));
  ASSERT_EQ(JET_errSuccess, JetRollback(a_.sesid, 0));  // level 2 only
  EXPECT_EQ(JET_errSuccess, b_.Delete(20));
  // Level 1's change is still held.
  EXPECT_EQ(JET_errWriteConflict, b_.Delete(10));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));
  EXPECT_EQ((Rows{{10, 101}, {30, 300}, {40, 400}, {50, 500}}), b_.Rows("primary"));
}

TEST_F(WriteConflictTest, LockTakenAtAnInnerLevelIsKeptWhenThatLevelCommits) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.PrepareReplace(20, JET_prepReplace));
  a_.Cancel();
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));  // level 2 into level 1
  EXPECT_EQ(JET_errWriteConflict, b_.Delete(20));
  ASSERT_EQ(JET_errSuccess, JetRollback(a_.sesid, 0));
  EXPECT_EQ(JET_errSuccess, b_.Delete(20));
}

// JET_prepReplaceNoLock takes no lock: B can still change the record until A's JetUpdate.
TEST_F(WriteConflictTest, PrepareReplaceNoLockTakesNoLock) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.PrepareReplace(20, JET_prepReplaceNoLock));
  EXPECT_EQ(JET_errSuccess, b_.Replace(20, 202));  // B at level 0: committed at once
  const std::int32_t value = 201;
  ASSERT_EQ(JET_errSuccess,
            JetSetColumn(a_.sesid, a_.tableid, a_.value, &value, sizeof(value), 0, nullptr));
  // B's change committed after A's snapshot: A's update conflicts.
  EXPECT_EQ(JET_errWriteConflict, JetUpdate(a_.sesid, a_.tableid, nullptr, 0, nullptr));
  a_.Cancel();
  ASSERT_EQ(JET_errSuccess, JetRollback(a_.sesid, 0));
  EXPECT_EQ(std::optional<std::int32_t>(202), a_.ValueOf(20));
}

// Outside a transaction JET_prepReplace takes no lock (ESE's ErrIsamPrepareUpdate turns it into
// JET_prepReplaceNoLock at level 0): B changes and deletes the record freely.
TEST_F(WriteConflictTest, PrepareReplaceOutsideATransactionTakesNoLock) {
  ASSERT_EQ(JET_errSuccess, a_.PrepareReplace(20, JET_prepReplace));
  EXPECT_EQ(JET_errSuccess, b_.Replace(20, 202, JET_prepReplace));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  EXPECT_EQ(JET_errSuccess, b_.Replace(20, 203, JET_prepReplace));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(b_.sesid, 0));
  a_.Cancel();
  EXPECT_EQ(std::optional<std::int32_t>(203), a_.ValueOf(20));
}

// Outside a transaction a replace prepared before another session's committed change is refused
// (ESE checks at JetUpdate that the record did not change since the prepare): no update is lost.
TEST_F(WriteConflictTest, ReplacePreparedBeforeAnotherCommitConflictsOutsideATransaction) {
  ASSERT_EQ(JET_errSuccess, a_.PrepareReplace(20, JET_prepReplaceNoLock));
  EXPECT_EQ(JET_errSuccess, b_.Replace(20, 202));
  const std::int32_t value = 201;
  ASSERT_EQ(JET_errSuccess,
            JetSetColumn(a_.sesid, a_.tableid, a_.value, &value, sizeof(value), 0, nullptr));
  EXPECT_EQ(JET_errWriteConflict, JetUpdate(a_.sesid, a_.tableid, nullptr, 0, nullptr));
  a_.Cancel();
  EXPECT_EQ(std::optional<std::int32_t>(202), a_.ValueOf(20));
  // Prepared again, from the new image, the replace goes through.
  EXPECT_EQ(JET_errSuccess, a_.Replace(20, 203));
  EXPECT_EQ(std::optional<std::int32_t>(203), b_.ValueOf(20));
}

// Seed 341775058758 of the snapshot differential test, reduced: B prepares a replace while A's
// change of the record is uncommitted (B copies the old image); A's change leaves the same bytes
// and commits; B's JetUpdate still conflicts, as ESE's version check does.
TEST_F(WriteConflictTest, ReplacePreparedBeforeAHiddenChangeCommittedConflicts) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Replace(20, 200));  // the value it already has
  ASSERT_EQ(JET_errSuccess, b_.PrepareReplace(20, JET_prepReplaceNoLock));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));
  const std::int32_t value = 201;
  ASSERT_EQ(JET_errSuccess,
            JetSetColumn(b_.sesid, b_.tableid, b_.value, &value, sizeof(value), 0, nullptr));
  EXPECT_EQ(JET_errWriteConflict, JetUpdate(b_.sesid, b_.tableid, nullptr, 0, nullptr));
  b_.Cancel();
  EXPECT_EQ(std::optional<std::int32_t>(200), b_.ValueOf(20));
}

// Two cursors of one session: the second replaces the record the first prepared to replace; the
// first's JetUpdate is JET_errSessionWriteConflict.
TEST_F(WriteConflictTest, TwoCursorsOfOneSessionReplacingOneRecordIsSessionWriteConflict) {
  KeyedCursor second = a_;
  ASSERT_EQ(JET_errSuccess, JetDupCursor(a_.sesid, a_.tableid, &second.tableid, 0));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.PrepareReplace(20, JET_prepReplaceNoLock));
  EXPECT_EQ(JET_errSuccess, second.Replace(20, 205));
  const std::int32_t value = 201;
  ASSERT_EQ(JET_errSuccess,
            JetSetColumn(a_.sesid, a_.tableid, a_.value, &value, sizeof(value), 0, nullptr));
  EXPECT_EQ(JET_errSessionWriteConflict, JetUpdate(a_.sesid, a_.tableid, nullptr, 0, nullptr));
  a_.Cancel();
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));
  EXPECT_EQ(std::optional<std::int32_t>(205), b_.ValueOf(20));
  EXPECT_EQ(JET_errSuccess, JetCloseTable(second.sesid, second.tableid));
}

// --- changes committed after the snapshot ---------------------------------------------------------

// The sequence an application runs: conflict, the other commits, still a conflict (the snapshot
// predates that commit), roll back, begin again, retry, success.
TEST_F(WriteConflictTest, ConflictPersistsAfterTheOtherCommitsUntilRollbackAndRetry) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Replace(20, 201));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  ExpectNoLockReplaceUpdateGets(JET_errWriteConflict, 20, 202);

  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));
  ExpectNoLockReplaceUpdateGets(JET_errWriteConflict, 20, 202);
  EXPECT_EQ(JET_errWriteConflict, b_.Delete(20));
  EXPECT_EQ(JET_errWriteConflict, b_.PrepareReplace(20, JET_prepReplace));
  b_.Cancel();
  EXPECT_EQ(std::optional<std::int32_t>(200), b_.ValueOf(20)) << "B still reads its snapshot";

  ASSERT_EQ(JET_errSuccess, JetRollback(b_.sesid, 0));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  EXPECT_EQ(std::optional<std::int32_t>(201), b_.ValueOf(20));
  EXPECT_EQ(JET_errSuccess, b_.Replace(20, 202, JET_prepReplace));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(b_.sesid, 0));
  EXPECT_EQ(std::optional<std::int32_t>(202), a_.ValueOf(20));
}

// A's level-0 (implicit) transactions commit at once; B's transaction began before them.
TEST_F(WriteConflictTest, LevelZeroChangesCommittedAfterTheSnapshotConflict) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  EXPECT_EQ(std::optional<std::int32_t>(200), b_.ValueOf(20));
  ASSERT_EQ(JET_errSuccess, a_.Replace(20, 201));
  ASSERT_EQ(JET_errSuccess, a_.Delete(30));

  ExpectNoLockReplaceUpdateGets(JET_errWriteConflict, 20, 202);
  EXPECT_EQ(JET_errWriteConflict, b_.Delete(20));
  EXPECT_EQ(JET_errWriteConflict, b_.PrepareReplace(20, JET_prepReplace));
  b_.Cancel();
  // 30 is still there for B, deleted after its snapshot.
  ExpectNoLockReplaceUpdateGets(JET_errWriteConflict, 30, 302);
  EXPECT_EQ(JET_errWriteConflict, b_.Delete(30));
  ASSERT_EQ(JET_errSuccess, JetRollback(b_.sesid, 0));
}

// Outside a transaction only uncommitted changes conflict: committed ones are simply the latest
// state B changes.
TEST_F(WriteConflictTest, OutsideATransactionCommittedChangesDoNotConflict) {
  ASSERT_EQ(JET_errSuccess, a_.Replace(20, 201));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Replace(30, 301));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));
  EXPECT_EQ(JET_errSuccess, b_.Replace(20, 202));
  EXPECT_EQ(JET_errSuccess, b_.Replace(30, 302));
  EXPECT_EQ((Rows{{10, 100}, {20, 202}, {30, 302}, {40, 400}, {50, 500}}), a_.Rows("primary"));
}

// --- inserts --------------------------------------------------------------------------------------

TEST_F(WriteConflictTest, InsertOfAKeyAnotherSessionInsertedUncommittedIsKeyDuplicate) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Insert(25, 250));
  EXPECT_EQ(JET_errKeyDuplicate, b_.Insert(25, 251));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  EXPECT_EQ(JET_errKeyDuplicate, b_.Insert(25, 251));
  ASSERT_EQ(JET_errSuccess, JetRollback(b_.sesid, 0));

  ASSERT_EQ(JET_errSuccess, JetRollback(a_.sesid, 0));
  EXPECT_EQ(JET_errSuccess, b_.Insert(25, 251));
  EXPECT_EQ(std::optional<std::int32_t>(251), a_.ValueOf(25));
}

// The record exists in the latest state though B's snapshot cannot see it.
TEST_F(WriteConflictTest, InsertOfAKeyCommittedAfterTheSnapshotIsKeyDuplicate) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Insert(25, 250));
  EXPECT_EQ(JET_errRecordNotFound, b_.SeekPrimary(25));
  EXPECT_EQ(JET_errKeyDuplicate, b_.Insert(25, 251));
  ASSERT_EQ(JET_errSuccess, JetRollback(b_.sesid, 0));
  EXPECT_EQ(std::optional<std::int32_t>(250), b_.ValueOf(25));
}

TEST_F(WriteConflictTest, InsertOfAKeyAnotherSessionDeletedUncommittedIsWriteConflict) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Delete(20));
  EXPECT_EQ(JET_errWriteConflict, b_.Insert(20, 202));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  EXPECT_EQ(JET_errWriteConflict, b_.Insert(20, 202));

  // A commits; B's snapshot predates the delete: still a conflict.
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));
  EXPECT_EQ(JET_errWriteConflict, b_.Insert(20, 202));
  ASSERT_EQ(JET_errSuccess, JetRollback(b_.sesid, 0));

  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  EXPECT_EQ(JET_errSuccess, b_.Insert(20, 202));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(b_.sesid, 0));
  EXPECT_EQ(std::optional<std::int32_t>(202), a_.ValueOf(20));
}

TEST_F(WriteConflictTest, LevelZeroInsertOfAKeyDeletedAndCommittedSucceeds) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Delete(20));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));
  EXPECT_EQ(JET_errSuccess, b_.Insert(20, 202));
  EXPECT_EQ(std::optional<std::int32_t>(202), a_.ValueOf(20));
}

// --- after a conflict ------------------------------------------------------------------------------

TEST_F(WriteConflictTest, AfterAWriteConflictTheTransactionStaysUsable) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Replace(20, 201));

  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  ASSERT_EQ(JET_errSuccess, b_.Insert(60, 600));
  ExpectNoLockReplaceUpdateGets(JET_errWriteConflict, 20, 202);
  EXPECT_EQ(JET_errWriteConflict, b_.Delete(20));
  EXPECT_EQ(JET_errKeyDuplicate, b_.Insert(20, 203));
  // The transaction goes on: more changes, then a commit of all of them.
  EXPECT_EQ(JET_errSuccess, b_.Replace(30, 301));
  EXPECT_EQ(JET_errSuccess, b_.Delete(40));
  EXPECT_EQ((Rows{{10, 100}, {20, 200}, {30, 301}, {50, 500}, {60, 600}}), b_.Rows("primary"));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(b_.sesid, 0));

  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));
  EXPECT_EQ((Rows{{10, 100}, {20, 201}, {30, 301}, {50, 500}, {60, 600}}), a_.Rows("primary"));
  EXPECT_EQ((Rows{{10, 100}, {20, 201}, {30, 301}, {50, 500}, {60, 600}}), a_.Rows("byValue"));
}

// --- unique secondary indexes -----------------------------------------------------------------

// "Coded": Key Long (primary), Code Long with the unique secondary index "byCode".
class UniqueSecondaryConflictTest : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    ASSERT_FALSE(HasFatalFailure());
    dbid_ = CreateDatabase();
    JET_TABLEID tableid = CreateTable(dbid_, "Coded");
    key_ = AddColumn(tableid, "Key", JET_coltypLong, JET_bitColumnNotNULL);
    code_ = AddColumn(tableid, "Code", JET_coltypLong);
    ASSERT_EQ(JET_errSuccess,
              CreateIndex(tableid, "primary", JET_bitIndexPrimary | JET_bitIndexUnique, {"+Key"}));
    ASSERT_EQ(JET_errSuccess, CreateIndex(tableid, "byCode", JET_bitIndexUnique, {"+Code"}));
    ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
    a_ = Open(sesid_, dbid_);
    other_ = BeginSession(instance_);
    JET_DBID other_dbid = kNilDbid;
    ASSERT_EQ(JET_errSuccess, JetOpenDatabaseA(other_, DatabasePath("test.edb").c_str(), nullptr,
                                               &other_dbid, 0));
    b_ = Open(other_, other_dbid);
    ASSERT_EQ(JET_errSuccess, Insert(sesid_, a_, 1, 7));
  }

  JET_TABLEID Open(JET_SESID sesid, JET_DBID dbid) {
    JET_TABLEID tableid = kNilTableid;
    EXPECT_EQ(JET_errSuccess, JetOpenTableA(sesid, dbid, "Coded", nullptr, 0, 0, &tableid));
    return tableid;
  }

  JET_ERR Insert(JET_SESID sesid, JET_TABLEID tableid, std::int32_t key, std::int32_t code) {
    JET_ERR err = JetPrepareUpdate(sesid, tableid, JET_prepInsert);
    if (err < JET_errSuccess) return err;
    err = JetSetColumn(sesid, tableid, key_, &key, sizeof(key), 0, nullptr);
    if (err >= JET_errSuccess) err = JetSetColumn(sesid, tableid, code_, &code, sizeof(code), 0, nullptr);
    if (err >= JET_errSuccess) err = JetUpdate(sesid, tableid, nullptr, 0, nullptr);
    if (err < JET_errSuccess) static_cast<void>(JetPrepareUpdate(sesid, tableid, JET_prepCancel));
    return err;
  }

  JET_ERR SeekKey(JET_SESID sesid, JET_TABLEID tableid, std::int32_t key) {
    JET_ERR err = JetSetCurrentIndexA(sesid, tableid, "primary");
    if (err >= JET_errSuccess) err = JetMakeKey(sesid, tableid, &key, sizeof(key), JET_bitNewKey);
    if (err >= JET_errSuccess) err = JetSeek(sesid, tableid, JET_bitSeekEQ);
    return err;
  }

  JET_ERR SeekCode(JET_SESID sesid, JET_TABLEID tableid, std::int32_t code) {
    JET_ERR err = JetSetCurrentIndexA(sesid, tableid, "byCode");
    if (err >= JET_errSuccess) err = JetMakeKey(sesid, tableid, &code, sizeof(code), JET_bitNewKey);
    if (err >= JET_errSuccess) err = JetSeek(sesid, tableid, JET_bitSeekEQ);
    return err;
  }

  JET_ERR ReplaceCode(JET_SESID sesid, JET_TABLEID tableid, std::int32_t key, std::int32_t code) {
    JET_ERR err = SeekKey(sesid, tableid, key);
    if (err >= JET_errSuccess) err = JetPrepareUpdate(sesid, tableid, JET_prepReplace);
    if (err >= JET_errSuccess) err = JetSetColumn(sesid, tableid, code_, &code, sizeof(code), 0, nullptr);
    if (err >= JET_errSuccess) err = JetUpdate(sesid, tableid, nullptr, 0, nullptr);
    if (err < JET_errSuccess) static_cast<void>(JetPrepareUpdate(sesid, tableid, JET_prepCancel));
    return err;
  }

  JET_DBID dbid_ = kNilDbid;
  JET_COLUMNID key_ = 0;
  JET_COLUMNID code_ = 0;
  JET_SESID other_ = 0;
  JET_TABLEID a_ = kNilTableid;  // on sesid_
  JET_TABLEID b_ = kNilTableid;  // on other_
};

TEST_F(UniqueSecondaryConflictTest, KeyHeldByAnUncommittedInsertIsKeyDuplicate) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, Insert(sesid_, a_, 2, 8));
  EXPECT_EQ(JET_errRecordNotFound, SeekCode(other_, b_, 8));
  EXPECT_EQ(JET_errKeyDuplicate, Insert(other_, b_, 3, 8));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(other_));
  EXPECT_EQ(JET_errKeyDuplicate, Insert(other_, b_, 3, 8));
  ASSERT_EQ(JET_errSuccess, JetRollback(other_, 0));
  EXPECT_EQ(JET_errRecordNotFound, SeekKey(other_, b_, 3));

  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
  EXPECT_EQ(JET_errSuccess, Insert(other_, b_, 3, 8));
  EXPECT_EQ(JET_errSuccess, SeekCode(sesid_, a_, 8));
}

TEST_F(UniqueSecondaryConflictTest, KeyHeldByARecordCommittedAfterTheSnapshotIsKeyDuplicate) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(other_));
  ASSERT_EQ(JET_errSuccess, Insert(sesid_, a_, 2, 8));
  EXPECT_EQ(JET_errRecordNotFound, SeekCode(other_, b_, 8));
  EXPECT_EQ(JET_errKeyDuplicate, Insert(other_, b_, 3, 8));
  ASSERT_EQ(JET_errSuccess, JetRollback(other_, 0));
}

TEST_F(UniqueSecondaryConflictTest, KeyFreedByAnUncommittedDeleteIsWriteConflict) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, SeekKey(sesid_, a_, 1));
  ASSERT_EQ(JET_errSuccess, JetDelete(sesid_, a_));
  EXPECT_EQ(JET_errWriteConflict, Insert(other_, b_, 2, 7));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(other_));
  EXPECT_EQ(JET_errWriteConflict, Insert(other_, b_, 2, 7));
  ASSERT_EQ(JET_errSuccess, JetRollback(other_, 0));

  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0));
  EXPECT_EQ(JET_errSuccess, Insert(other_, b_, 2, 7));
}

// A replace that moves the record off code 7 frees that key only when it commits.
TEST_F(UniqueSecondaryConflictTest, KeyFreedByAnUncommittedReplaceIsWriteConflict) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  ASSERT_EQ(JET_errSuccess, ReplaceCode(sesid_, a_, 1, 9));
  EXPECT_EQ(JET_errWriteConflict, Insert(other_, b_, 2, 7));
  // The new code is held by the uncommitted image: a duplicate.
  EXPECT_EQ(JET_errKeyDuplicate, Insert(other_, b_, 3, 9));
  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
  EXPECT_EQ(JET_errKeyDuplicate, Insert(other_, b_, 2, 7));
  EXPECT_EQ(JET_errSuccess, Insert(other_, b_, 3, 9));
}

}  // namespace
}  // namespace esent_test
