// Acceptance tests of cursor navigation: JetMove, JetMakeKey, JetSeek, JetSetIndexRange,
// JetGetBookmark / JetGotoBookmark, JetIndexRecordCount, JetGetRecordPosition, JetDupCursor and
// JetRetrieveKey.
//
// Sources: learn.microsoft.com pages of each function; ESE's source for JetSeek (ErrIsamSeek:
// JET_wrnSeekNotEqual only for an inexact JET_bitSeekGE / JET_bitSeekLE, JET_errRecordNotFound
// when nothing qualifies; JET_bitSeekGT / LT return plain success).
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "storage_fixture.h"

namespace esent_test {
namespace {

class NavigationTest : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    dbid_ = CreateDatabase();
    columns_ = CreateKeyedTable(dbid_);
    tableid_ = OpenTable(dbid_, "Keyed");
  }

  // Inserts keys 10, 20, ..., 10 * count with Value = key / 10 % 3.
  void InsertTens(std::int32_t count) {
    for (std::int32_t i = 1; i <= count; ++i) {
      ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, i * 10, i % 3));
    }
  }

  std::int32_t CurrentKey() { return RetrieveInt32(tableid_, columns_.key); }

  JET_DBID dbid_ = kNilDbid;
  KeyedColumns columns_;
  JET_TABLEID tableid_ = kNilTableid;
};

// --- JetMove ----------------------------------------------------------------------------------

// JetMove docs: JET_errNoCurrentRecord when there is no record to move to (empty table).
TEST_F(NavigationTest, MoveOnAnEmptyTableIsNoCurrentRecord) {
  EXPECT_EQ(JET_errNoCurrentRecord, JetMove(sesid_, tableid_, kMoveFirst, 0));
  EXPECT_EQ(JET_errNoCurrentRecord, JetMove(sesid_, tableid_, kMoveLast, 0));
  EXPECT_EQ(JET_errNoCurrentRecord, JetMove(sesid_, tableid_, kMoveNext, 0));
  EXPECT_EQ(JET_errNoCurrentRecord, JetMove(sesid_, tableid_, kMovePrevious, 0));
}

TEST_F(NavigationTest, MoveFirstLastNextPrevious) {
  InsertTens(5);
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  EXPECT_EQ(10, CurrentKey());
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveNext, 0));
  EXPECT_EQ(20, CurrentKey());
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveLast, 0));
  EXPECT_EQ(50, CurrentKey());
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMovePrevious, 0));
  EXPECT_EQ(40, CurrentKey());
}

// JetMove docs: moving past the last record is JET_errNoCurrentRecord and leaves the cursor after
// the last record, so JET_MovePrevious comes back to it.
TEST_F(NavigationTest, MovingPastTheEndsLeavesTheCursorJustOutside) {
  InsertTens(3);
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveLast, 0));
  EXPECT_EQ(JET_errNoCurrentRecord, JetMove(sesid_, tableid_, kMoveNext, 0));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMovePrevious, 0));
  EXPECT_EQ(30, CurrentKey());
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  EXPECT_EQ(JET_errNoCurrentRecord, JetMove(sesid_, tableid_, kMovePrevious, 0));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveNext, 0));
  EXPECT_EQ(10, CurrentKey());
}

// UNVERIFIED: a freshly opened cursor is (virtually) before the first record, so JET_MoveNext
// reaches the first record (ESE opens cursors with DIRBeforeFirst).
TEST_F(NavigationTest, FreshCursorMovesNextToTheFirstRecord) {
  InsertTens(3);
  JET_TABLEID fresh = OpenTable(dbid_, "Keyed");
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, fresh, kMoveNext, 0));
  EXPECT_EQ(10, RetrieveInt32(fresh, columns_.key));
}

// JetMove docs: cRow other than the special values moves that many records.
TEST_F(NavigationTest, MoveByCount) {
  InsertTens(10);
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, 4, 0));
  EXPECT_EQ(50, CurrentKey());
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, -3, 0));
  EXPECT_EQ(20, CurrentKey());
  EXPECT_EQ(JET_errNoCurrentRecord, JetMove(sesid_, tableid_, 100, 0));
}

// JetMove docs: JET_bitMoveKeyNE skips the entries whose key equals the current one.
TEST_F(NavigationTest, MoveKeyNotEqualSkipsDuplicateKeys) {
  InsertTens(9);  // Value cycles 1, 2, 0, ...: three entries per value
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "byValue"));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  EXPECT_EQ(0, RetrieveInt32(tableid_, columns_.value));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveNext, JET_bitMoveKeyNE));
  EXPECT_EQ(1, RetrieveInt32(tableid_, columns_.value));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveNext, JET_bitMoveKeyNE));
  EXPECT_EQ(2, RetrieveInt32(tableid_, columns_.value));
  EXPECT_EQ(JET_errNoCurrentRecord, JetMove(sesid_, tableid_, kMoveNext, JET_bitMoveKeyNE));
}

// Entries with equal secondary keys come in primary-key order (ESE appends the primary key to a
// non-unique secondary index entry).
TEST_F(NavigationTest, EqualSecondaryKeysComeInPrimaryKeyOrder) {
  InsertTens(9);
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "byValue"));
  EXPECT_EQ((std::vector<std::int32_t>{30, 60, 90, 10, 40, 70, 20, 50, 80}),
            ScanInt32(tableid_, columns_.key));
}

// --- JetMakeKey / JetSeek ---------------------------------------------------------------------

// JetSeek docs: JET_errKeyNotMade "JetMakeKey was not called before".
TEST_F(NavigationTest, SeekWithoutAKeyIsKeyNotMade) {
  InsertTens(3);
  EXPECT_EQ(JET_errKeyNotMade, JetSeek(sesid_, tableid_, JET_bitSeekEQ));
}

TEST_F(NavigationTest, SeekConsumesTheKey) {
  InsertTens(3);
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 20, JET_bitSeekEQ));
  EXPECT_EQ(JET_errKeyNotMade, JetSeek(sesid_, tableid_, JET_bitSeekEQ));
}

TEST_F(NavigationTest, SeekEqualFindsTheRecord) {
  InsertTens(5);
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 30, JET_bitSeekEQ));
  EXPECT_EQ(30, CurrentKey());
}

// JetSeek docs: JET_errRecordNotFound when no record matches.
TEST_F(NavigationTest, SeekEqualOnAMissingKeyIsRecordNotFound) {
  InsertTens(5);
  EXPECT_EQ(JET_errRecordNotFound, SeekInt32(tableid_, 35, JET_bitSeekEQ));
}

// ESE ErrIsamSeek: an inexact JET_bitSeekGE lands on the next greater entry with
// JET_wrnSeekNotEqual; an exact one is plain success.
TEST_F(NavigationTest, SeekGreaterOrEqual) {
  InsertTens(5);
  EXPECT_EQ(JET_errSuccess, SeekInt32(tableid_, 30, JET_bitSeekGE));
  EXPECT_EQ(30, CurrentKey());
  EXPECT_EQ(JET_wrnSeekNotEqual, SeekInt32(tableid_, 31, JET_bitSeekGE));
  EXPECT_EQ(40, CurrentKey());
  EXPECT_EQ(JET_wrnSeekNotEqual, SeekInt32(tableid_, -5, JET_bitSeekGE));
  EXPECT_EQ(10, CurrentKey());
  EXPECT_EQ(JET_errRecordNotFound, SeekInt32(tableid_, 51, JET_bitSeekGE));
}

TEST_F(NavigationTest, SeekLessOrEqual) {
  InsertTens(5);
  EXPECT_EQ(JET_errSuccess, SeekInt32(tableid_, 30, JET_bitSeekLE));
  EXPECT_EQ(30, CurrentKey());
  EXPECT_EQ(JET_wrnSeekNotEqual, SeekInt32(tableid_, 39, JET_bitSeekLE));
  EXPECT_EQ(30, CurrentKey());
  EXPECT_EQ(JET_wrnSeekNotEqual, SeekInt32(tableid_, 1000, JET_bitSeekLE));
  EXPECT_EQ(50, CurrentKey());
  EXPECT_EQ(JET_errRecordNotFound, SeekInt32(tableid_, 9, JET_bitSeekLE));
}

// ESE ErrIsamSeek: JET_bitSeekGT / JET_bitSeekLT return the result of the move (success), never
// JET_wrnSeekNotEqual; nothing beyond is JET_errRecordNotFound.
TEST_F(NavigationTest, SeekStrictlyGreaterAndLess) {
  InsertTens(5);
  EXPECT_EQ(JET_errSuccess, SeekInt32(tableid_, 30, JET_bitSeekGT));
  EXPECT_EQ(40, CurrentKey());
  EXPECT_EQ(JET_errSuccess, SeekInt32(tableid_, 35, JET_bitSeekGT));
  EXPECT_EQ(40, CurrentKey());
  EXPECT_EQ(JET_errRecordNotFound, SeekInt32(tableid_, 50, JET_bitSeekGT));
  EXPECT_EQ(JET_errSuccess, SeekInt32(tableid_, 30, JET_bitSeekLT));
  EXPECT_EQ(20, CurrentKey());
  EXPECT_EQ(JET_errSuccess, SeekInt32(tableid_, 25, JET_bitSeekLT));
  EXPECT_EQ(20, CurrentKey());
  EXPECT_EQ(JET_errRecordNotFound, SeekInt32(tableid_, 10, JET_bitSeekLT));
}

// On a non-unique index JET_bitSeekEQ lands on the first of the equal entries.
TEST_F(NavigationTest, SeekOnASecondaryIndexFindsTheFirstEqualEntry) {
  InsertTens(9);
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "byValue"));
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 1, JET_bitSeekEQ));
  EXPECT_EQ(10, CurrentKey());
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 2, JET_bitSeekGE));
  EXPECT_EQ(20, CurrentKey());
}

TEST_F(NavigationTest, SeekOnATextKey) {
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "byName", 0, {"+Name"}));
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 0, "apple"));
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 2, 0, "banana"));
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 3, 0, "cherry"));
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "byName"));
  const std::string probe = "b";
  ASSERT_EQ(JET_errSuccess, JetMakeKey(sesid_, tableid_, probe.data(),
                                       static_cast<std::uint32_t>(probe.size()), JET_bitNewKey));
  EXPECT_EQ(JET_wrnSeekNotEqual, JetSeek(sesid_, tableid_, JET_bitSeekGE));
  EXPECT_EQ("banana", RetrieveString(tableid_, columns_.name));
}

// --- JetSetIndexRange -------------------------------------------------------------------------

// JetSetIndexRange docs: JET_bitRangeUpperLimit | JET_bitRangeInclusive limits JetMove to keys
// up to and including the key made; moving beyond is JET_errNoCurrentRecord.
TEST_F(NavigationTest, InclusiveUpperRangeStopsAfterTheLimit) {
  InsertTens(10);
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 30, JET_bitSeekGE));
  ASSERT_EQ(JET_errSuccess, MakeInt32Key(tableid_, 60));
  ASSERT_EQ(JET_errSuccess, JetSetIndexRange(sesid_, tableid_,
                                             JET_bitRangeUpperLimit | JET_bitRangeInclusive));
  std::vector<std::int32_t> keys{CurrentKey()};
  while (JetMove(sesid_, tableid_, kMoveNext, 0) == JET_errSuccess) {
    keys.push_back(CurrentKey());
  }
  EXPECT_EQ((std::vector<std::int32_t>{30, 40, 50, 60}), keys);
}

TEST_F(NavigationTest, ExclusiveUpperRangeStopsBeforeTheLimit) {
  InsertTens(10);
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 30, JET_bitSeekGE));
  ASSERT_EQ(JET_errSuccess, MakeInt32Key(tableid_, 60));
  ASSERT_EQ(JET_errSuccess, JetSetIndexRange(sesid_, tableid_, JET_bitRangeUpperLimit));
  std::vector<std::int32_t> keys{CurrentKey()};
  while (JetMove(sesid_, tableid_, kMoveNext, 0) == JET_errSuccess) {
    keys.push_back(CurrentKey());
  }
  EXPECT_EQ((std::vector<std::int32_t>{30, 40, 50}), keys);
}

// JetSetIndexRange docs: JET_errNoCurrentRecord when the current record is already outside the
// range (the range is empty).
TEST_F(NavigationTest, EmptyRangeIsNoCurrentRecord) {
  InsertTens(10);
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 70, JET_bitSeekEQ));
  ASSERT_EQ(JET_errSuccess, MakeInt32Key(tableid_, 50));
  EXPECT_EQ(JET_errNoCurrentRecord,
            JetSetIndexRange(sesid_, tableid_, JET_bitRangeUpperLimit | JET_bitRangeInclusive));
}

TEST_F(NavigationTest, IndexRangeWithoutAKeyIsKeyNotMade) {
  InsertTens(3);
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  EXPECT_EQ(JET_errKeyNotMade, JetSetIndexRange(sesid_, tableid_, JET_bitRangeUpperLimit));
}

// JetSetIndexRange docs: JET_bitRangeRemove cancels the range; JetMove can then go beyond its end.
TEST_F(NavigationTest, RemovingTheRangeLetsTheCursorMoveOn) {
  InsertTens(5);
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 10, JET_bitSeekEQ));
  ASSERT_EQ(JET_errSuccess, MakeInt32Key(tableid_, 20));
  ASSERT_EQ(JET_errSuccess, JetSetIndexRange(sesid_, tableid_,
                                             JET_bitRangeUpperLimit | JET_bitRangeInclusive));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveNext, 0));
  EXPECT_EQ(20, CurrentKey());
  ASSERT_EQ(JET_errSuccess, JetSetIndexRange(sesid_, tableid_, JET_bitRangeRemove));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveNext, 0));
  EXPECT_EQ(30, CurrentKey());
}

// JetSetIndexRange docs: JET_bitRangeRemove with no range in effect fails with
// JET_errInvalidOperation.
TEST_F(NavigationTest, RemovingARangeThatIsNotThereIsInvalidOperation) {
  InsertTens(2);
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  EXPECT_EQ(JET_errInvalidOperation, JetSetIndexRange(sesid_, tableid_, JET_bitRangeRemove));
}

// JetSetIndexRange docs: JET_bitRangeInstantDuration removes the range as soon as it is set; the
// call only reports whether the range would hold an entry.
TEST_F(NavigationTest, InstantDurationRangeTestsForEntriesWithoutLimiting) {
  InsertTens(5);
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 20, JET_bitSeekEQ));
  ASSERT_EQ(JET_errSuccess, MakeInt32Key(tableid_, 30));
  ASSERT_EQ(JET_errSuccess,
            JetSetIndexRange(sesid_, tableid_, JET_bitRangeUpperLimit | JET_bitRangeInclusive |
                                                   JET_bitRangeInstantDuration));
  std::vector<std::int32_t> keys{CurrentKey()};
  while (JetMove(sesid_, tableid_, kMoveNext, 0) == JET_errSuccess) {
    keys.push_back(CurrentKey());
  }
  EXPECT_EQ((std::vector<std::int32_t>{20, 30, 40, 50}), keys);
}

// JetIndexRecordCount docs: counts from the current record forward, to the end of the index or
// of the index range; crecMax limits the count.
TEST_F(NavigationTest, IndexRecordCountCountsFromTheCurrentRecordToTheRangeEnd) {
  InsertTens(10);
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  std::uint32_t count = 0;
  ASSERT_EQ(JET_errSuccess, JetIndexRecordCount(sesid_, tableid_, &count, 0));
  EXPECT_EQ(10u, count);
  ASSERT_EQ(JET_errSuccess, JetIndexRecordCount(sesid_, tableid_, &count, 4));
  EXPECT_EQ(4u, count);
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 70, JET_bitSeekEQ));
  ASSERT_EQ(JET_errSuccess, JetIndexRecordCount(sesid_, tableid_, &count, 0));
  EXPECT_EQ(4u, count);
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 20, JET_bitSeekEQ));
  ASSERT_EQ(JET_errSuccess, MakeInt32Key(tableid_, 50));
  ASSERT_EQ(JET_errSuccess, JetSetIndexRange(sesid_, tableid_,
                                             JET_bitRangeUpperLimit | JET_bitRangeInclusive));
  ASSERT_EQ(JET_errSuccess, JetIndexRecordCount(sesid_, tableid_, &count, 0));
  EXPECT_EQ(4u, count);
}

// JetIndexRecordCount docs: "If the table is empty, then 0 will be returned".
TEST_F(NavigationTest, IndexRecordCountOfAnEmptyTableIsZero) {
  std::uint32_t count = 99;
  EXPECT_EQ(JET_errSuccess, JetIndexRecordCount(sesid_, tableid_, &count, 0));
  EXPECT_EQ(0u, count);
}

// JetIndexRecordCount docs: JET_errNoCurrentRecord "The cursor is not currently on a record and
// the table is not empty".
TEST_F(NavigationTest, IndexRecordCountOffARecordIsNoCurrentRecord) {
  InsertTens(3);
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveLast, 0));
  ASSERT_EQ(JET_errNoCurrentRecord, JetMove(sesid_, tableid_, kMoveNext, 0));
  std::uint32_t count = 0;
  EXPECT_EQ(JET_errNoCurrentRecord, JetIndexRecordCount(sesid_, tableid_, &count, 0));
}

// --- bookmarks --------------------------------------------------------------------------------

TEST_F(NavigationTest, BookmarkReturnsToTheRecord) {
  InsertTens(5);
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 40, JET_bitSeekEQ));
  unsigned char bookmark[JET_cbBookmarkMost] = {};
  std::uint32_t size = 0;
  ASSERT_EQ(JET_errSuccess, JetGetBookmark(sesid_, tableid_, bookmark, sizeof(bookmark), &size));
  EXPECT_GT(size, 0u);
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  ASSERT_EQ(JET_errSuccess, JetGotoBookmark(sesid_, tableid_, bookmark, size));
  EXPECT_EQ(40, CurrentKey());
}

// A bookmark is the record's primary key: it survives updates of other columns and works from
// another cursor, including one on a secondary index.
TEST_F(NavigationTest, BookmarkWorksFromAnotherCursor) {
  InsertTens(5);
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 20, JET_bitSeekEQ));
  unsigned char bookmark[JET_cbBookmarkMost] = {};
  std::uint32_t size = 0;
  ASSERT_EQ(JET_errSuccess, JetGetBookmark(sesid_, tableid_, bookmark, sizeof(bookmark), &size));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepReplace));
  ASSERT_EQ(JET_errSuccess, SetInt32(tableid_, columns_.value, 99));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  JET_TABLEID other = OpenTable(dbid_, "Keyed");
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, other, "byValue"));
  ASSERT_EQ(JET_errSuccess, JetGotoBookmark(sesid_, other, bookmark, size));
  EXPECT_EQ(20, RetrieveInt32(other, columns_.key));
  EXPECT_EQ(99, RetrieveInt32(other, columns_.value));
}

TEST_F(NavigationTest, GetBookmarkWithoutACurrentRecordIsNoCurrentRecord) {
  unsigned char bookmark[JET_cbBookmarkMost] = {};
  std::uint32_t size = 0;
  EXPECT_EQ(JET_errNoCurrentRecord,
            JetGetBookmark(sesid_, tableid_, bookmark, sizeof(bookmark), &size));
}

// JetGotoBookmark docs: JET_errRecordDeleted when the record was deleted.
TEST_F(NavigationTest, GotoBookmarkOfADeletedRecordIsRecordDeleted) {
  InsertTens(3);
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 20, JET_bitSeekEQ));
  unsigned char bookmark[JET_cbBookmarkMost] = {};
  std::uint32_t size = 0;
  ASSERT_EQ(JET_errSuccess, JetGetBookmark(sesid_, tableid_, bookmark, sizeof(bookmark), &size));
  ASSERT_EQ(JET_errSuccess, JetDelete(sesid_, tableid_));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  EXPECT_EQ(JET_errRecordDeleted, JetGotoBookmark(sesid_, tableid_, bookmark, size));
}

// ESE ErrIsamGetBookmark: a buffer smaller than the bookmark is JET_errBufferTooSmall (an error,
// unlike JetRetrieveKey's warning), with the needed size in *pcbActual.
TEST_F(NavigationTest, SmallBookmarkBufferIsBufferTooSmall) {
  InsertTens(1);
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  unsigned char bookmark[1] = {};
  std::uint32_t size = 0;
  EXPECT_EQ(JET_errBufferTooSmall,
            JetGetBookmark(sesid_, tableid_, bookmark, sizeof(bookmark), &size));
  EXPECT_GT(size, 1u);
}

// --- JetGetRecordPosition -----------------------------------------------------------------------

// JET_RECPOS docs: centriesLT entries before the current one, centriesTotal in the index; the
// values are approximate. UNVERIFIED: exact for a table that fits in one page.
TEST_F(NavigationTest, RecordPositionReportsEntriesBeforeAndTotal) {
  InsertTens(10);
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 40, JET_bitSeekEQ));
  JET_RECPOS position{};
  ASSERT_EQ(JET_errSuccess, JetGetRecordPosition(sesid_, tableid_, &position, sizeof(position)));
  EXPECT_EQ(3u, position.centriesLT);
  EXPECT_EQ(10u, position.centriesTotal);
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  ASSERT_EQ(JET_errSuccess, JetGetRecordPosition(sesid_, tableid_, &position, sizeof(position)));
  EXPECT_EQ(0u, position.centriesLT);
}

TEST_F(NavigationTest, RecordPositionWithoutACurrentRecordIsNoCurrentRecord) {
  JET_RECPOS position{};
  EXPECT_EQ(JET_errNoCurrentRecord,
            JetGetRecordPosition(sesid_, tableid_, &position, sizeof(position)));
}

// --- JetDupCursor -------------------------------------------------------------------------------

// JetDupCursor docs: a new, independent cursor on the same table.
TEST_F(NavigationTest, DuplicatedCursorMovesIndependently) {
  InsertTens(5);
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 30, JET_bitSeekEQ));
  JET_TABLEID dup = kNilTableid;
  ASSERT_EQ(JET_errSuccess, JetDupCursor(sesid_, tableid_, &dup, 0));
  EXPECT_NE(tableid_, dup);
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, dup, kMoveLast, 0));
  EXPECT_EQ(50, RetrieveInt32(dup, columns_.key));
  EXPECT_EQ(30, CurrentKey());
  EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, dup));
  EXPECT_EQ(30, CurrentKey());
}

TEST_F(NavigationTest, DupCursorOfAGarbageTableidIsInvalidTableId) {
  JET_TABLEID dup = kNilTableid;
  EXPECT_EQ(JET_errInvalidTableId, JetDupCursor(sesid_, kGarbageTableid, &dup, 0));
}

// --- JetRetrieveKey -----------------------------------------------------------------------------

// JetRetrieveKey docs: returns the normalized key of the current entry; with JET_bitRetrieveCopy
// the key being built by JetMakeKey. UNVERIFIED: ESE's normalized form of a non-NULL Long
// ascending segment is 0x7F followed by the value big-endian with the sign bit flipped.
TEST_F(NavigationTest, RetrieveKeyReturnsTheNormalizedKey) {
  InsertTens(2);
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 20, JET_bitSeekEQ));
  unsigned char key[JET_cbKeyMost] = {};
  std::uint32_t size = 0;
  ASSERT_EQ(JET_errSuccess, JetRetrieveKey(sesid_, tableid_, key, sizeof(key), &size, 0));
  ASSERT_EQ(5u, size);
  EXPECT_EQ(0x7F, key[0]);
  EXPECT_EQ((std::vector<unsigned char>{0x80, 0x00, 0x00, 0x14}),
            std::vector<unsigned char>(key + 1, key + 5));

  ASSERT_EQ(JET_errSuccess, MakeInt32Key(tableid_, 20));
  unsigned char made[JET_cbKeyMost] = {};
  std::uint32_t made_size = 0;
  ASSERT_EQ(JET_errSuccess,
            JetRetrieveKey(sesid_, tableid_, made, sizeof(made), &made_size, JET_bitRetrieveCopy));
  EXPECT_EQ(std::vector<unsigned char>(key, key + size),
            std::vector<unsigned char>(made, made + made_size));
}

// Normalized keys compare bytewise in index order.
TEST_F(NavigationTest, NormalizedKeysSortLikeTheValues) {
  for (std::int32_t key : {-100, -1, 0, 1, 100}) {
    ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, key, 0));
  }
  std::vector<std::string> keys;
  JET_ERR err = JetMove(sesid_, tableid_, kMoveFirst, 0);
  while (err == JET_errSuccess) {
    unsigned char key[JET_cbKeyMost] = {};
    std::uint32_t size = 0;
    ASSERT_EQ(JET_errSuccess, JetRetrieveKey(sesid_, tableid_, key, sizeof(key), &size, 0));
    keys.emplace_back(reinterpret_cast<const char*>(key), size);
    err = JetMove(sesid_, tableid_, kMoveNext, 0);
  }
  ASSERT_EQ(5u, keys.size());
  for (std::size_t i = 1; i < keys.size(); ++i) {
    EXPECT_LT(keys[i - 1], keys[i]) << i;
  }
}

// ESE ErrIsamRetrieveKey: a short buffer is JET_wrnBufferTruncated with the full size reported.
TEST_F(NavigationTest, RetrieveKeyWithASmallBufferIsBufferTruncated) {
  InsertTens(1);
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  unsigned char key[2] = {};
  std::uint32_t size = 0;
  EXPECT_EQ(JET_wrnBufferTruncated,
            JetRetrieveKey(sesid_, tableid_, key, sizeof(key), &size, 0));
  EXPECT_GT(size, 2u);
}

TEST_F(NavigationTest, RetrieveKeyWithoutACurrentRecordIsNoCurrentRecord) {
  unsigned char key[JET_cbKeyMost] = {};
  std::uint32_t size = 0;
  EXPECT_EQ(JET_errNoCurrentRecord, JetRetrieveKey(sesid_, tableid_, key, sizeof(key), &size, 0));
}

}  // namespace
}  // namespace esent_test
