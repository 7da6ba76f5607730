// Acceptance tests of transaction levels (issue 4): JetBeginTransaction(2, 3), JetCommitTransaction(2)
// with their grbits, JetRollback, nesting, and what rollbacks undo (records, secondary index
// entries), seen from the session itself and from a second session.
//
// Contract: docs/transactions.md, "Levels". ESE sources: learn.microsoft.com pages of
// JetBeginTransaction2 (JET_bitTransactionReadOnly: "the transaction will not modify the
// database"; a change is JET_errTransReadOnly), JetCommitTransaction ("JET_bitWaitLastLevel0Commit
// ... can be used even if the session is not currently in a transaction. This option cannot be
// used in combination with any other option"), JetRollback (JET_bitRollbackAll), and ESE's
// ErrIsamCommitTransaction (microsoft/Extensible-Storage-Engine): WaitLastLevel0Commit with any
// other bit is JET_errInvalidGrbit, and it returns before the level-0 check.
//
// Every test seeds rows 10..50 with Value = 10 * Key.
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "two_sessions.h"

namespace esent_test {
namespace {

// A grbit no transaction function knows.
constexpr JET_GRBIT kUnknownGrbit = 0x40000000;

class TransactionLevelsTest : public TwoSessionTest {
 protected:
  void SetUp() override {
    TwoSessionTest::SetUp();
    ASSERT_FALSE(HasFailure());
    Seed({10, 20, 30, 40, 50});
  }

  static Rows Original() { return {{10, 100}, {20, 200}, {30, 300}, {40, 400}, {50, 500}}; }

  // True when session A is at level 0: a rollback there is JET_errNotInTransaction. (Only call
  // it where that is the expected state or where ending the transaction does no harm.)
  bool AtLevelZero() { return JetRollback(a_.sesid, 0) == JET_errNotInTransaction; }
};

// --- beginning and ending ------------------------------------------------------------------------

TEST_F(TransactionLevelsTest, EachBeginFunctionOpensALevel) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction2(a_.sesid, 0));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction3(a_.sesid, 1234, 0));
  EXPECT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));
  EXPECT_EQ(JET_errSuccess, JetCommitTransaction2(a_.sesid, 0, 0, nullptr));
  EXPECT_EQ(JET_errSuccess, JetRollback(a_.sesid, 0));
  EXPECT_EQ(JET_errNotInTransaction, JetCommitTransaction(a_.sesid, 0));
}

TEST_F(TransactionLevelsTest, EndingLevelZeroIsNotInTransaction) {
  EXPECT_EQ(JET_errNotInTransaction, JetCommitTransaction(a_.sesid, 0));
  EXPECT_EQ(JET_errNotInTransaction, JetCommitTransaction(a_.sesid, JET_bitCommitLazyFlush));
  EXPECT_EQ(JET_errNotInTransaction, JetCommitTransaction2(a_.sesid, 0, 0, nullptr));
  EXPECT_EQ(JET_errNotInTransaction,
            JetCommitTransaction2(a_.sesid, JET_bitCommitLazyFlush, 0, nullptr));
  EXPECT_EQ(JET_errNotInTransaction, JetRollback(a_.sesid, 0));
  EXPECT_EQ(JET_errNotInTransaction, JetRollback(a_.sesid, JET_bitRollbackAll));
  // After a transaction ended, level 0 again.
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, JetRollback(a_.sesid, 0));
  EXPECT_EQ(JET_errNotInTransaction, JetRollback(a_.sesid, 0));
  EXPECT_EQ(JET_errNotInTransaction, JetCommitTransaction2(a_.sesid, 0, 0, nullptr));
}

// Seven levels with every begin function; the eighth fails and changes nothing.
TEST_F(TransactionLevelsTest, SevenLevelsNestAndTheEighthIsTransTooDeep) {
  for (std::int32_t level = 1; level <= 7; ++level) {
    JET_ERR err = JET_errSuccess;
    if (level % 3 == 1) {
      err = JetBeginTransaction(a_.sesid);
    } else if (level % 3 == 2) {
      err = JetBeginTransaction2(a_.sesid, 0);
    } else {
      err = JetBeginTransaction3(a_.sesid, level, 0);
    }
    ASSERT_EQ(JET_errSuccess, err) << "level " << level;
    ASSERT_EQ(JET_errSuccess, a_.Insert(100 + level, level)) << "level " << level;
  }
  EXPECT_EQ(JET_errTransTooDeep, JetBeginTransaction(a_.sesid));
  EXPECT_EQ(JET_errTransTooDeep, JetBeginTransaction2(a_.sesid, 0));
  EXPECT_EQ(JET_errTransTooDeep, JetBeginTransaction3(a_.sesid, 8, 0));
  // Still at level 7 with every change: the eighth rollback would be level 0.
  EXPECT_EQ(12u, a_.Count("primary"));
  for (std::int32_t level = 7; level >= 2; --level) {
    EXPECT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0)) << "level " << level;
  }
  EXPECT_EQ(Original(), b_.Rows("primary")) << "inner commits are not visible to others";
  EXPECT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0)) << "level 1";
  EXPECT_EQ(JET_errNotInTransaction, JetCommitTransaction(a_.sesid, 0));
  EXPECT_EQ(12u, b_.Count("primary"));
}

TEST_F(TransactionLevelsTest, CommitTransaction2LazyFlushCommitsAndReturnsACommitId) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Insert(60, 600));
  JET_COMMIT_ID commit_id{};
  EXPECT_EQ(JET_errSuccess,
            JetCommitTransaction2(a_.sesid, JET_bitCommitLazyFlush, 0, &commit_id));
  EXPECT_TRUE(AtLevelZero());
  EXPECT_EQ(std::optional<std::int32_t>(600), b_.ValueOf(60));

  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Insert(70, 700));
  EXPECT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, JET_bitCommitLazyFlush));
  EXPECT_EQ(std::optional<std::int32_t>(700), b_.ValueOf(70));
}

// JetCommitTransaction docs: WaitLastLevel0Commit "can be used even if the session is not
// currently in a transaction"; it waits for earlier (lazy) commits and opens or ends nothing.
TEST_F(TransactionLevelsTest, WaitLastLevel0CommitSucceedsOutsideATransaction) {
  EXPECT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, JET_bitWaitLastLevel0Commit));
  EXPECT_EQ(JET_errSuccess, JetCommitTransaction2(a_.sesid, JET_bitWaitLastLevel0Commit, 0, nullptr));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Insert(60, 600));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, JET_bitCommitLazyFlush));
  EXPECT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, JET_bitWaitLastLevel0Commit));
  EXPECT_EQ(JET_errSuccess, JetCommitTransaction2(a_.sesid, JET_bitWaitLastLevel0Commit, 0, nullptr));
  EXPECT_TRUE(AtLevelZero());
  EXPECT_EQ(std::optional<std::int32_t>(600), b_.ValueOf(60));
}

// ESE's ErrIsamCommitTransaction: "no other grbits may be specified in conjunction with
// WaitLastLevel0Commit" (JET_errInvalidGrbit); the transaction stays open.
TEST_F(TransactionLevelsTest, WaitLastLevel0CommitWithAnotherBitIsInvalidGrbit) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Insert(60, 600));
  EXPECT_EQ(JET_errInvalidGrbit,
            JetCommitTransaction(a_.sesid, JET_bitWaitLastLevel0Commit | JET_bitCommitLazyFlush));
  EXPECT_EQ(JET_errInvalidGrbit,
            JetCommitTransaction2(a_.sesid, JET_bitWaitLastLevel0Commit | JET_bitCommitLazyFlush,
                                  0, nullptr));
  EXPECT_EQ(JET_errRecordNotFound, b_.SeekPrimary(60)) << "nothing was committed";
  ASSERT_EQ(JET_errSuccess, JetRollback(a_.sesid, 0));
  EXPECT_EQ(JET_errRecordNotFound, a_.SeekPrimary(60));
}

// ESE's ErrIsamCommitTransaction: JET_bitWaitLastLevel0Commit alone only waits for the session's
// last level-0 commit and returns; it is handled before the level check and commits nothing.
TEST_F(TransactionLevelsTest, WaitLastLevel0CommitInsideATransactionDoesNotEndIt) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Insert(60, 600));
  EXPECT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, JET_bitWaitLastLevel0Commit));
  EXPECT_EQ(JET_errSuccess, JetCommitTransaction2(a_.sesid, JET_bitWaitLastLevel0Commit, 0, nullptr));
  EXPECT_EQ(JET_errRecordNotFound, b_.SeekPrimary(60)) << "nothing was committed";
  ASSERT_EQ(JET_errSuccess, JetRollback(a_.sesid, 0));
  EXPECT_EQ(JET_errRecordNotFound, a_.SeekPrimary(60));
}

TEST_F(TransactionLevelsTest, UnknownGrbitsAreInvalidGrbitAndChangeNothing) {
  EXPECT_EQ(JET_errInvalidGrbit, JetBeginTransaction2(a_.sesid, kUnknownGrbit));
  EXPECT_EQ(JET_errInvalidGrbit, JetBeginTransaction3(a_.sesid, 1, kUnknownGrbit));
  EXPECT_TRUE(AtLevelZero()) << "no level was opened";

  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Insert(60, 600));
  EXPECT_EQ(JET_errInvalidGrbit, JetCommitTransaction(a_.sesid, kUnknownGrbit));
  EXPECT_EQ(JET_errInvalidGrbit, JetCommitTransaction2(a_.sesid, kUnknownGrbit, 0, nullptr));
  EXPECT_EQ(JET_errInvalidGrbit, JetRollback(a_.sesid, kUnknownGrbit));
  // Still in the transaction, with its change.
  EXPECT_EQ(JET_errRecordNotFound, b_.SeekPrimary(60));
  EXPECT_EQ(std::optional<std::int32_t>(600), a_.ValueOf(60));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));
  EXPECT_EQ(std::optional<std::int32_t>(600), b_.ValueOf(60));
  EXPECT_TRUE(AtLevelZero());
}

// --- read-only transactions ----------------------------------------------------------------------

TEST_F(TransactionLevelsTest, ReadOnlyTransactionRejectsInsertReplaceAndDelete) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction2(a_.sesid, JET_bitTransactionReadOnly));
  EXPECT_EQ(JET_errTransReadOnly, a_.Insert(60, 600));
  EXPECT_EQ(JET_errTransReadOnly, a_.Replace(20, 201, JET_prepReplace));
  EXPECT_EQ(JET_errTransReadOnly, a_.Replace(30, 301, JET_prepReplaceNoLock));
  EXPECT_EQ(JET_errTransReadOnly, a_.Delete(40));
  // Reading works, and nothing changed.
  EXPECT_EQ(Original(), a_.Rows("primary"));
  EXPECT_EQ(Original(), a_.Rows("byValue"));
  EXPECT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));
  EXPECT_EQ(Original(), b_.Rows("primary"));

  // Once it ended, the session writes again.
  EXPECT_EQ(JET_errSuccess, a_.Insert(60, 600));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction2(a_.sesid, 0));
  EXPECT_EQ(JET_errSuccess, a_.Replace(20, 201));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));
  EXPECT_EQ(std::optional<std::int32_t>(201), b_.ValueOf(20));
}

TEST_F(TransactionLevelsTest, ReadOnlyTransactionThroughBeginTransaction3) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction3(a_.sesid, 77, JET_bitTransactionReadOnly));
  EXPECT_EQ(JET_errTransReadOnly, a_.Insert(60, 600));
  EXPECT_EQ(JET_errTransReadOnly, a_.Delete(10));
  EXPECT_EQ(std::optional<std::int32_t>(100), a_.ValueOf(10));
  EXPECT_EQ(JET_errSuccess, JetRollback(a_.sesid, 0));
  EXPECT_EQ(Original(), b_.Rows("primary"));
}

// A read-only transaction reads a snapshot like any other.
TEST_F(TransactionLevelsTest, ReadOnlyTransactionReadsItsSnapshot) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction2(a_.sesid, JET_bitTransactionReadOnly));
  ASSERT_EQ(JET_errSuccess, b_.Insert(60, 600));
  ASSERT_EQ(JET_errSuccess, b_.Replace(20, 201));
  EXPECT_EQ(Original(), a_.Rows("primary"));
  EXPECT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));
  EXPECT_EQ(std::optional<std::int32_t>(201), a_.ValueOf(20));
}

// --- what commits and rollbacks of nested levels do ------------------------------------------------

TEST_F(TransactionLevelsTest, OuterRollbackUndoesACommittedInnerLevel) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Insert(15, 150));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Insert(25, 250));
  ASSERT_EQ(JET_errSuccess, a_.Replace(10, 101, JET_prepReplace, "changed"));
  ASSERT_EQ(JET_errSuccess, a_.Delete(30));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));
  EXPECT_EQ((Rows{{10, 101}, {15, 150}, {20, 200}, {25, 250}, {40, 400}, {50, 500}}),
            a_.Rows("primary"));
  ASSERT_EQ(JET_errSuccess, JetRollback(a_.sesid, 0));
  EXPECT_TRUE(AtLevelZero());
  EXPECT_EQ(Original(), a_.Rows("primary"));
  EXPECT_EQ(Original(), a_.Rows("byValue"));
  EXPECT_EQ(std::optional<std::int32_t>(100), a_.ValueOf(10));
  EXPECT_EQ("row10", a_.CurrentName());
  EXPECT_EQ(Original(), b_.Rows("primary"));
}

TEST_F(TransactionLevelsTest, InnerRollbackKeepsTheOuterLevelsChanges) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Insert(15, 150));
  ASSERT_EQ(JET_errSuccess, a_.Replace(10, 101));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Insert(25, 250));
  ASSERT_EQ(JET_errSuccess, a_.Replace(10, 102));  // the same record again
  ASSERT_EQ(JET_errSuccess, a_.Replace(15, 151));  // the outer level's insert
  ASSERT_EQ(JET_errSuccess, a_.Delete(20));
  ASSERT_EQ(JET_errSuccess, JetRollback(a_.sesid, 0));

  const Rows after_outer{{10, 101}, {15, 150}, {20, 200}, {30, 300}, {40, 400}, {50, 500}};
  EXPECT_EQ(after_outer, a_.Rows("primary"));
  EXPECT_EQ((Rows{{10, 101}, {15, 150}, {20, 200}, {30, 300}, {40, 400}, {50, 500}}),
            a_.Rows("byValue"));
  EXPECT_EQ(JET_errRecordNotFound, a_.SeekByValue(102));
  EXPECT_EQ(JET_errRecordNotFound, a_.SeekByValue(151));
  EXPECT_EQ(JET_errRecordNotFound, a_.SeekByValue(250));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));
  EXPECT_TRUE(AtLevelZero());
  EXPECT_EQ(after_outer, b_.Rows("primary"));
}

TEST_F(TransactionLevelsTest, RollbackAllUndoesEveryLevel) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Insert(15, 150));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction2(a_.sesid, 0));
  ASSERT_EQ(JET_errSuccess, a_.Replace(10, 101));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction3(a_.sesid, 3, 0));
  ASSERT_EQ(JET_errSuccess, a_.Delete(20));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, JetRollback(a_.sesid, JET_bitRollbackAll));
  EXPECT_TRUE(AtLevelZero());
  EXPECT_EQ(Original(), a_.Rows("primary"));
  EXPECT_EQ(Original(), a_.Rows("byValue"));
}

// Rolling back restores the record and every secondary index entry: the entries of new values go,
// the entries of old values come back, and index counts match.
TEST_F(TransactionLevelsTest, RollbackRestoresRecordsAndSecondaryIndexEntries) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Insert(25, 999));
  ASSERT_EQ(JET_errSuccess, a_.Replace(10, 600, JET_prepReplace, "changed"));
  ASSERT_EQ(JET_errSuccess, a_.Delete(30));
  EXPECT_EQ(std::optional<std::int32_t>(10), a_.KeyByValue(600));
  EXPECT_EQ(JET_errRecordNotFound, a_.SeekByValue(300));
  ASSERT_EQ(JET_errSuccess, JetRollback(a_.sesid, 0));

  EXPECT_EQ(JET_errRecordNotFound, a_.SeekByValue(999));
  EXPECT_EQ(JET_errRecordNotFound, a_.SeekByValue(600));
  EXPECT_EQ(std::optional<std::int32_t>(10), a_.KeyByValue(100));
  EXPECT_EQ("row10", a_.CurrentName());
  EXPECT_EQ(std::optional<std::int32_t>(30), a_.KeyByValue(300));
  EXPECT_EQ("row30", a_.CurrentName());
  EXPECT_EQ(Original(), a_.Rows("byValue"));
  EXPECT_EQ(5u, a_.Count("primary"));
  EXPECT_EQ(5u, a_.Count("byValue"));
  // The keys are usable again.
  EXPECT_EQ(JET_errSuccess, a_.Insert(25, 250));
  EXPECT_EQ(JET_errKeyDuplicate, a_.Insert(30, 301));
}

// An autoincrement value taken by a rolled-back insert may or may not be reused (ESE does not
// reuse it); the record is gone and the next insert gets a value no remaining record has.
TEST_F(TransactionLevelsTest, RollbackOfAnInsertWithAnAutoincrementColumn) {
  JET_TABLEID tableid = CreateTable(dbid_, "Counted");
  const JET_COLUMNID id = AddColumn(tableid, "Id", JET_coltypLong, JET_bitColumnAutoincrement);
  const JET_COLUMNID payload = AddColumn(tableid, "Payload", JET_coltypLong);
  ASSERT_EQ(JET_errSuccess,
            CreateIndex(tableid, "primary", JET_bitIndexPrimary | JET_bitIndexUnique, {"+Id"}));
  const auto insert = [&](std::int32_t value) {
    EXPECT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid, JET_prepInsert));
    EXPECT_EQ(JET_errSuccess, SetInt32(tableid, payload, value));
    EXPECT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid, nullptr, 0, nullptr));
  };
  insert(1);
  const std::vector<std::int32_t> committed = ScanInt32(tableid, id);
  ASSERT_EQ(1u, committed.size());
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  insert(2);
  EXPECT_EQ(2u, ScanInt32(tableid, id).size());
  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
  EXPECT_EQ(committed, ScanInt32(tableid, id));
  EXPECT_EQ((std::vector<std::int32_t>{1}), ScanInt32(tableid, payload));
  insert(3);
  const std::vector<std::int32_t> ids = ScanInt32(tableid, id);
  ASSERT_EQ(2u, ids.size());
  EXPECT_NE(ids[0], ids[1]);
  EXPECT_EQ((std::vector<std::int32_t>{1, 3}), ScanInt32(tableid, payload));
  EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
}

// Ending the session rolls back every open level; nothing of it was ever visible to others.
TEST_F(TransactionLevelsTest, EndSessionRollsBackEveryLevel) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  ASSERT_EQ(JET_errSuccess, b_.Insert(60, 600));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  ASSERT_EQ(JET_errSuccess, b_.Replace(10, 101));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(b_.sesid, 0));
  EXPECT_EQ(Original(), a_.Rows("primary"));
  ASSERT_EQ(JET_errSuccess, JetEndSession(b_.sesid, 0));
  EXPECT_EQ(Original(), a_.Rows("primary"));
  // Its locks went with it.
  EXPECT_EQ(JET_errSuccess, a_.Replace(10, 102));
}

// --- the version store bound ----------------------------------------------------------------------

// docs/transactions.md, "The version store": JET_paramMaxVerPages bounds it (units of
// JET_paramVerPageSize, 32 KiB by default); a change that would exceed it, after cleanup, fails
// with JET_errVersionStoreOutOfMemory (-1069), is not made, and leaves the transaction usable.
// Here the bound is one page: 32 KiB of old images.
class VersionStoreLimitTest : public StorageTest {
 protected:
  static constexpr std::int32_t kRows = 2000;

  void SetUp() override {
    instance_ = CreateInstance("small-version-store");
    ASSERT_NE(JET_INSTANCE{0}, instance_);
    ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance_, 0, JET_paramRecovery, 0, "off"));
    ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance_, 0, JET_paramMaxVerPages, 1, nullptr));
    ASSERT_EQ(JET_errSuccess, JetInit(&instance_));
    sesid_ = BeginSession(instance_);
    ASSERT_NE(JET_SESID{0}, sesid_);
    dbid_ = CreateDatabase();
    columns_ = CreateKeyedTable(dbid_);
    ASSERT_FALSE(HasFailure());
    cursor_.sesid = sesid_;
    cursor_.dbid = dbid_;
    cursor_.tableid = OpenTable(dbid_, "Keyed");
    cursor_.key = columns_.key;
    cursor_.value = columns_.value;
    cursor_.name = columns_.name;
    // Level-0 changes are transactions of their own: cleanup keeps the store from filling.
    for (std::int32_t key = 0; key < kRows; ++key) {
      ASSERT_EQ(JET_errSuccess, cursor_.Insert(key, key, std::string(200, 'a'))) << key;
    }
  }

  JET_DBID dbid_ = kNilDbid;
  KeyedColumns columns_;
  KeyedCursor cursor_;
};

TEST_F(VersionStoreLimitTest, ABigTransactionGetsVersionStoreOutOfMemoryAndStaysUsable) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  // 2,000 old images of more than 200 bytes each cannot fit in 32 KiB.
  std::int32_t failed_key = -1;
  for (std::int32_t key = 0; key < kRows && failed_key < 0; ++key) {
    const JET_ERR err = cursor_.Replace(key, -key, JET_prepReplace, std::string(250, 'b'));
    if (err != JET_errSuccess) {
      EXPECT_EQ(JET_errVersionStoreOutOfMemory, err) << "key " << key;
      failed_key = key;
    }
  }
  ASSERT_GT(failed_key, 0) << "no JET_errVersionStoreOutOfMemory in " << kRows << " replaces";
  // The failed change was not made; the earlier ones are there; the transaction reads on.
  EXPECT_EQ(std::optional<std::int32_t>(failed_key), cursor_.ValueOf(failed_key));
  EXPECT_EQ(std::optional<std::int32_t>(-(failed_key - 1)), cursor_.ValueOf(failed_key - 1));
  EXPECT_EQ(static_cast<std::uint32_t>(kRows), cursor_.Count("primary"));
  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
  EXPECT_EQ(std::optional<std::int32_t>(0), cursor_.ValueOf(0));

  // Afterwards, small transactions (whose total is far beyond the bound) all fit.
  for (std::int32_t batch = 0; batch < 100; ++batch) {
    ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
    for (std::int32_t i = 0; i < 20; ++i) {
      const std::int32_t key = batch * 20 + i;
      ASSERT_EQ(JET_errSuccess, cursor_.Replace(key, key + 1, JET_prepReplace, std::string(250, 'c')))
          << "batch " << batch << " key " << key;
    }
    ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0)) << "batch " << batch;
  }
  EXPECT_EQ(std::optional<std::int32_t>(kRows), cursor_.ValueOf(kRows - 1));
}

}  // namespace
}  // namespace esent_test
