// Acceptance tests of snapshot isolation between two sessions on one table (issue 4).
//
// Contract: docs/transactions.md, "Snapshots", "Outside a transaction" and "Cursors follow their
// session": beginning level 1 fixes the session's snapshot; later commits of other sessions and
// uncommitted changes of other sessions are invisible through every index; a session sees its
// own changes; at level 0 every call reads the latest committed state; a cursor on a record that
// became invisible gets JET_errRecordDeleted. ESE behaves so (learn.microsoft.com, "Extensible
// Storage Engine" transaction overview: snapshot isolation as of JetBeginTransaction).
//
// Every test seeds rows 10..50 with Value = 10 * Key (so "byValue" order equals key order) and
// Name "row<Key>".
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "two_sessions.h"

namespace esent_test {
namespace {

class IsolationTest : public TwoSessionTest {
 protected:
  void SetUp() override {
    TwoSessionTest::SetUp();
    ASSERT_FALSE(HasFailure());
    Seed({10, 20, 30, 40, 50});
  }

  static Rows Original() { return {{10, 100}, {20, 200}, {30, 300}, {40, 400}, {50, 500}}; }
};

// --- inserts ------------------------------------------------------------------------------------

TEST_F(IsolationTest, UncommittedInsertIsInvisibleToAnotherTransaction) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Insert(25, 250, "new"));

  EXPECT_EQ(Original(), b_.Rows("primary"));
  EXPECT_EQ(Original(), b_.Rows("byValue"));
  EXPECT_EQ(JET_errRecordNotFound, b_.SeekPrimary(25));
  EXPECT_EQ(JET_errRecordNotFound, b_.SeekByValue(250));
  EXPECT_EQ(5u, b_.Count("primary"));
  EXPECT_EQ(5u, b_.Count("byValue"));

  // A sees its own insert everywhere.
  EXPECT_EQ(std::optional<std::int32_t>(250), a_.ValueOf(25));
  EXPECT_EQ(std::optional<std::int32_t>(25), a_.KeyByValue(250));
  EXPECT_EQ(6u, a_.Count("primary"));
  EXPECT_EQ(6u, a_.Count("byValue"));
}

TEST_F(IsolationTest, InsertCommittedAfterTheSnapshotStaysInvisibleUntilANewTransaction) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Insert(25, 250, "new"));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));

  EXPECT_EQ(JET_errRecordNotFound, b_.SeekPrimary(25));
  EXPECT_EQ(JET_errRecordNotFound, b_.SeekByValue(250));
  EXPECT_EQ(Original(), b_.Rows("byValue"));
  EXPECT_EQ(5u, b_.Count("primary"));

  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(b_.sesid, 0));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  EXPECT_EQ(std::optional<std::int32_t>(250), b_.ValueOf(25));
  EXPECT_EQ("new", b_.CurrentName());
  EXPECT_EQ(std::optional<std::int32_t>(25), b_.KeyByValue(250));
  EXPECT_EQ(6u, b_.Count("primary"));
  EXPECT_EQ(6u, b_.Count("byValue"));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(b_.sesid, 0));
}

// At level 0, B reads the latest committed state: never A's uncommitted insert, but A's commit at
// once.
TEST_F(IsolationTest, OutsideATransactionUncommittedInsertIsInvisibleAndCommittedIsVisible) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Insert(25, 250));
  EXPECT_EQ(JET_errRecordNotFound, b_.SeekPrimary(25));
  EXPECT_EQ(JET_errRecordNotFound, b_.SeekByValue(250));
  EXPECT_EQ(Original(), b_.Rows("primary"));
  EXPECT_EQ(5u, b_.Count("byValue"));

  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));
  EXPECT_EQ(std::optional<std::int32_t>(250), b_.ValueOf(25));
  EXPECT_EQ(std::optional<std::int32_t>(25), b_.KeyByValue(250));
  EXPECT_EQ(6u, b_.Count("primary"));
}

TEST_F(IsolationTest, RolledBackInsertIsNeverVisibleToAnotherSession) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Insert(25, 250));
  EXPECT_EQ(JET_errRecordNotFound, b_.SeekPrimary(25));
  ASSERT_EQ(JET_errSuccess, JetRollback(a_.sesid, 0));
  EXPECT_EQ(JET_errRecordNotFound, b_.SeekPrimary(25));
  EXPECT_EQ(JET_errRecordNotFound, a_.SeekPrimary(25));
  EXPECT_EQ(Original(), b_.Rows("byValue"));
}

// --- replaces -----------------------------------------------------------------------------------

TEST_F(IsolationTest, UncommittedReplaceShowsTheOldValuesToAnotherTransaction) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Replace(20, 999, JET_prepReplace, "changed"));

  EXPECT_EQ(std::optional<std::int32_t>(200), b_.ValueOf(20));
  EXPECT_EQ("row20", b_.CurrentName());
  EXPECT_EQ(std::optional<std::int32_t>(20), b_.KeyByValue(200));
  EXPECT_EQ(JET_errRecordNotFound, b_.SeekByValue(999));
  EXPECT_EQ(Original(), b_.Rows("byValue"));
  EXPECT_EQ(5u, b_.Count("byValue"));

  EXPECT_EQ(std::optional<std::int32_t>(999), a_.ValueOf(20));
  EXPECT_EQ("changed", a_.CurrentName());
  EXPECT_EQ(JET_errRecordNotFound, a_.SeekByValue(200));
  EXPECT_EQ(std::optional<std::int32_t>(20), a_.KeyByValue(999));
  EXPECT_EQ((Rows{{10, 100}, {30, 300}, {40, 400}, {50, 500}, {20, 999}}), a_.Rows("byValue"));
  EXPECT_EQ(5u, a_.Count("byValue"));
}

TEST_F(IsolationTest, ReplaceCommittedAfterTheSnapshotShowsTheOldValuesUntilANewTransaction) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Replace(20, 999, JET_prepReplace, "changed"));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));

  EXPECT_EQ(std::optional<std::int32_t>(200), b_.ValueOf(20));
  EXPECT_EQ("row20", b_.CurrentName());
  EXPECT_EQ(std::optional<std::int32_t>(20), b_.KeyByValue(200));
  EXPECT_EQ(JET_errRecordNotFound, b_.SeekByValue(999));
  EXPECT_EQ(Original(), b_.Rows("byValue"));

  // Rolling back (not only committing) ends the snapshot too.
  ASSERT_EQ(JET_errSuccess, JetRollback(b_.sesid, 0));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  EXPECT_EQ(std::optional<std::int32_t>(999), b_.ValueOf(20));
  EXPECT_EQ("changed", b_.CurrentName());
  EXPECT_EQ(JET_errRecordNotFound, b_.SeekByValue(200));
  EXPECT_EQ(std::optional<std::int32_t>(20), b_.KeyByValue(999));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(b_.sesid, 0));
}

TEST_F(IsolationTest, OutsideATransactionUncommittedReplaceIsInvisibleAndCommittedIsVisible) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Replace(20, 999));
  EXPECT_EQ(std::optional<std::int32_t>(200), b_.ValueOf(20));
  EXPECT_EQ(std::optional<std::int32_t>(20), b_.KeyByValue(200));
  EXPECT_EQ(JET_errRecordNotFound, b_.SeekByValue(999));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));
  EXPECT_EQ(std::optional<std::int32_t>(999), b_.ValueOf(20));
  EXPECT_EQ(std::optional<std::int32_t>(20), b_.KeyByValue(999));
  EXPECT_EQ(JET_errRecordNotFound, b_.SeekByValue(200));
}

// --- deletes ------------------------------------------------------------------------------------

TEST_F(IsolationTest, UncommittedDeleteLeavesTheRecordToAnotherTransaction) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Delete(30));

  EXPECT_EQ(std::optional<std::int32_t>(300), b_.ValueOf(30));
  EXPECT_EQ("row30", b_.CurrentName());
  EXPECT_EQ(std::optional<std::int32_t>(30), b_.KeyByValue(300));
  EXPECT_EQ(Original(), b_.Rows("primary"));
  EXPECT_EQ(Original(), b_.Rows("byValue"));
  EXPECT_EQ(5u, b_.Count("primary"));
  EXPECT_EQ(5u, b_.Count("byValue"));

  EXPECT_EQ(JET_errRecordNotFound, a_.SeekPrimary(30));
  EXPECT_EQ(JET_errRecordNotFound, a_.SeekByValue(300));
  EXPECT_EQ(4u, a_.Count("primary"));
  EXPECT_EQ(4u, a_.Count("byValue"));
}

TEST_F(IsolationTest, DeleteCommittedAfterTheSnapshotLeavesTheRecordUntilANewTransaction) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Delete(30));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));

  EXPECT_EQ(std::optional<std::int32_t>(300), b_.ValueOf(30));
  EXPECT_EQ(std::optional<std::int32_t>(30), b_.KeyByValue(300));
  EXPECT_EQ(Original(), b_.Rows("byValue"));
  EXPECT_EQ(5u, b_.Count("primary"));

  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(b_.sesid, 0));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  EXPECT_EQ(JET_errRecordNotFound, b_.SeekPrimary(30));
  EXPECT_EQ(JET_errRecordNotFound, b_.SeekByValue(300));
  EXPECT_EQ(4u, b_.Count("primary"));
  EXPECT_EQ(4u, b_.Count("byValue"));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(b_.sesid, 0));
}

TEST_F(IsolationTest, OutsideATransactionUncommittedDeleteIsInvisibleAndCommittedIsVisible) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Delete(30));
  EXPECT_EQ(std::optional<std::int32_t>(300), b_.ValueOf(30));
  EXPECT_EQ(std::optional<std::int32_t>(30), b_.KeyByValue(300));
  EXPECT_EQ(5u, b_.Count("primary"));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));
  EXPECT_EQ(JET_errRecordNotFound, b_.SeekPrimary(30));
  EXPECT_EQ(JET_errRecordNotFound, b_.SeekByValue(300));
  EXPECT_EQ(4u, b_.Count("primary"));
}

// --- the snapshot is fixed at the level-0 begin ---------------------------------------------------

// B begins and reads nothing; A's implicit (level-0) transactions commit an insert, a replace and
// a delete. B's snapshot predates all three.
TEST_F(IsolationTest, SnapshotIsFixedWhenLevelOneBeginsNotAtTheFirstRead) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Insert(25, 250));
  ASSERT_EQ(JET_errSuccess, a_.Replace(20, 999));
  ASSERT_EQ(JET_errSuccess, a_.Delete(30));
  ASSERT_EQ((Rows{{10, 100}, {20, 999}, {25, 250}, {40, 400}, {50, 500}}), a_.Rows("primary"));

  EXPECT_EQ(Original(), b_.Rows("primary"));
  EXPECT_EQ(Original(), b_.Rows("byValue"));
  EXPECT_EQ(5u, b_.Count("primary"));
  EXPECT_EQ(5u, b_.Count("byValue"));
  EXPECT_EQ(JET_errRecordNotFound, b_.SeekByValue(999));
  EXPECT_EQ(JET_errRecordNotFound, b_.SeekByValue(250));
  EXPECT_EQ(std::optional<std::int32_t>(30), b_.KeyByValue(300));

  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(b_.sesid, 0));
  EXPECT_EQ((Rows{{10, 100}, {20, 999}, {25, 250}, {40, 400}, {50, 500}}), b_.Rows("primary"));
  EXPECT_EQ((Rows{{10, 100}, {25, 250}, {40, 400}, {50, 500}, {20, 999}}), b_.Rows("byValue"));
}

// A nested level does not take a new snapshot: only the level-0 begin does.
TEST_F(IsolationTest, NestedBeginKeepsTheSnapshotOfLevelOne) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  EXPECT_EQ(Original(), b_.Rows("primary"));
  ASSERT_EQ(JET_errSuccess, a_.Insert(25, 250));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  EXPECT_EQ(JET_errRecordNotFound, b_.SeekPrimary(25));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(b_.sesid, 0));
  EXPECT_EQ(JET_errRecordNotFound, b_.SeekPrimary(25));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(b_.sesid, 0));
  EXPECT_EQ(std::optional<std::int32_t>(250), b_.ValueOf(25));
}

// Cursors have no snapshot of their own: a cursor B opened at level 0, before its transaction, and
// one it opens inside it read the same snapshot.
TEST_F(IsolationTest, EveryCursorOfASessionReadsTheSessionSnapshot) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Insert(25, 250));
  const KeyedCursor b_second = SecondCursor(b_);
  EXPECT_EQ(Original(), b_.Rows("primary"));
  EXPECT_EQ(Original(), b_second.Rows("primary"));
  EXPECT_EQ(Original(), b_second.Rows("byValue"));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(b_.sesid, 0));
  EXPECT_EQ(std::optional<std::int32_t>(250), b_second.ValueOf(25));
  EXPECT_EQ(JET_errSuccess, JetCloseTable(b_second.sesid, b_second.tableid));
}

// --- own changes --------------------------------------------------------------------------------

// A session sees its own uncommitted changes, of every open level, through every cursor and index.
TEST_F(IsolationTest, ASessionSeesItsOwnUncommittedChangesOfEveryLevel) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Insert(25, 250));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Replace(20, 999));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Delete(30));

  const Rows expected_primary{{10, 100}, {20, 999}, {25, 250}, {40, 400}, {50, 500}};
  const Rows expected_by_value{{10, 100}, {25, 250}, {40, 400}, {50, 500}, {20, 999}};
  EXPECT_EQ(expected_primary, a_.Rows("primary"));
  EXPECT_EQ(expected_by_value, a_.Rows("byValue"));
  EXPECT_EQ(5u, a_.Count("primary"));
  EXPECT_EQ(5u, a_.Count("byValue"));
  const KeyedCursor a_second = SecondCursor(a_);
  EXPECT_EQ(expected_primary, a_second.Rows("primary"));
  EXPECT_EQ(expected_by_value, a_second.Rows("byValue"));
  EXPECT_EQ(JET_errSuccess, JetCloseTable(a_second.sesid, a_second.tableid));

  EXPECT_EQ(Original(), b_.Rows("primary"));
  EXPECT_EQ(Original(), b_.Rows("byValue"));
  ASSERT_EQ(JET_errSuccess, JetRollback(a_.sesid, JET_bitRollbackAll));
  EXPECT_EQ(Original(), a_.Rows("primary"));
}

// JetIndexRecordCount counts the entries the calling session sees, on each index.
TEST_F(IsolationTest, IndexRecordCountCountsWhatTheSessionSees) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Insert(25, 250));
  ASSERT_EQ(JET_errSuccess, a_.Insert(35, 350));
  ASSERT_EQ(JET_errSuccess, a_.Delete(10));
  EXPECT_EQ(6u, a_.Count("primary"));
  EXPECT_EQ(6u, a_.Count("byValue"));
  EXPECT_EQ(5u, b_.Count("primary"));
  EXPECT_EQ(5u, b_.Count("byValue"));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(a_.sesid, 0));
  EXPECT_EQ(5u, b_.Count("primary"));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(b_.sesid, 0));
  EXPECT_EQ(6u, b_.Count("primary"));
  EXPECT_EQ(6u, b_.Count("byValue"));

  // A count from the middle counts the visible entries from the current one on.
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Insert(45, 450));
  ASSERT_EQ(JET_errSuccess, b_.SeekPrimary(30));
  std::uint32_t count = 0;
  ASSERT_EQ(JET_errSuccess, JetIndexRecordCount(b_.sesid, b_.tableid, &count, 0));
  EXPECT_EQ(4u, count) << "30, 35, 40, 50 (45 committed after B's snapshot)";
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(b_.sesid, 0));
}

// --- cursors on records that become invisible ---------------------------------------------------

TEST_F(IsolationTest, CursorOnARecordWhoseInsertIsRolledBackGetsRecordDeleted) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(a_.sesid));
  ASSERT_EQ(JET_errSuccess, a_.Insert(25, 250));
  const KeyedCursor a_second = SecondCursor(a_);
  ASSERT_EQ(JET_errSuccess, a_.SeekPrimary(25));
  ASSERT_EQ(JET_errSuccess, a_second.SeekByValue(250));
  ASSERT_EQ(JET_errSuccess, JetRollback(a_.sesid, 0));

  std::int32_t read = 0;
  EXPECT_EQ(JET_errRecordDeleted, a_.Read(a_.value, &read));
  EXPECT_EQ(JET_errRecordDeleted, a_second.Read(a_second.key, &read));
  // Moving on from it works.
  ASSERT_EQ(JET_errSuccess, JetMove(a_.sesid, a_.tableid, kMoveNext, 0));
  EXPECT_EQ((std::pair<std::int32_t, std::int32_t>{30, 300}), a_.Current());
  ASSERT_EQ(JET_errSuccess, JetMove(a_second.sesid, a_second.tableid, kMovePrevious, 0));
  EXPECT_EQ((std::pair<std::int32_t, std::int32_t>{20, 200}), a_second.Current());
  EXPECT_EQ(JET_errSuccess, JetCloseTable(a_second.sesid, a_second.tableid));
}

// Outside a transaction, a record another session deletes becomes invisible under the cursor.
TEST_F(IsolationTest, CursorOutsideATransactionOnARecordAnotherSessionDeletesGetsRecordDeleted) {
  ASSERT_EQ(JET_errSuccess, b_.SeekPrimary(30));
  ASSERT_EQ(JET_errSuccess, a_.Delete(30));
  std::int32_t read = 0;
  EXPECT_EQ(JET_errRecordDeleted, b_.Read(b_.value, &read));
  ASSERT_EQ(JET_errSuccess, JetMove(b_.sesid, b_.tableid, kMoveNext, 0));
  EXPECT_EQ((std::pair<std::int32_t, std::int32_t>{40, 400}), b_.Current());
}

// Inside a transaction the same cursor keeps reading the record of its snapshot.
TEST_F(IsolationTest, CursorInsideATransactionKeepsReadingARecordAnotherSessionDeletes) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(b_.sesid));
  ASSERT_EQ(JET_errSuccess, b_.SeekPrimary(30));
  ASSERT_EQ(JET_errSuccess, a_.Delete(30));
  std::int32_t read = 0;
  EXPECT_EQ(JET_errSuccess, b_.Read(b_.value, &read));
  EXPECT_EQ(300, read);
  ASSERT_EQ(JET_errSuccess, JetMove(b_.sesid, b_.tableid, kMoveNext, 0));
  EXPECT_EQ((std::pair<std::int32_t, std::int32_t>{40, 400}), b_.Current());
  ASSERT_EQ(JET_errSuccess, JetMove(b_.sesid, b_.tableid, kMovePrevious, 0));
  EXPECT_EQ((std::pair<std::int32_t, std::int32_t>{30, 300}), b_.Current());
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(b_.sesid, 0));
}

}  // namespace
}  // namespace esent_test
