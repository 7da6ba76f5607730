// Acceptance tests of records: JetPrepareUpdate (insert, replace, cancel, insert copy, replace
// no lock), JetSetColumn(s), JetRetrieveColumn(s) with their warnings, long values with offsets,
// JetUpdate, JetUpdate2 and JetDelete.
//
// Sources: learn.microsoft.com pages of JetPrepareUpdate, JetSetColumn, JetSetColumns,
// JetRetrieveColumn, JetRetrieveColumns, JetUpdate, JetUpdate2, JetDelete and the JET_SETINFO /
// JET_RETINFO structures; ESE's source where noted.
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "storage_fixture.h"

namespace esent_test {
namespace {

class RecordTest : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    dbid_ = CreateDatabase();
    columns_ = CreateKeyedTable(dbid_);
    tableid_ = OpenTable(dbid_, "Keyed");
  }

  JET_DBID dbid_ = kNilDbid;
  KeyedColumns columns_;
  JET_TABLEID tableid_ = kNilTableid;
};

// --- JetPrepareUpdate / JetUpdate state machine ----------------------------------------------

TEST_F(RecordTest, InsertedRowIsReadBack) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 100, "first"));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  EXPECT_EQ(1, RetrieveInt32(tableid_, columns_.key));
  EXPECT_EQ(100, RetrieveInt32(tableid_, columns_.value));
  EXPECT_EQ("first", RetrieveString(tableid_, columns_.name));
}

// JetUpdate docs: JET_errUpdateNotPrepared "JetPrepareUpdate was not called"; JetSetColumn the
// same outside an update.
TEST_F(RecordTest, UpdateOrSetColumnWithoutPrepareIsUpdateNotPrepared) {
  EXPECT_EQ(JET_errUpdateNotPrepared, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  EXPECT_EQ(JET_errUpdateNotPrepared, SetInt32(tableid_, columns_.key, 1));
}

// UNVERIFIED: ESE returns JET_errUpdateNotPrepared for JET_prepCancel with no update prepared.
TEST_F(RecordTest, CancelWithoutPrepareIsUpdateNotPrepared) {
  EXPECT_EQ(JET_errUpdateNotPrepared, JetPrepareUpdate(sesid_, tableid_, JET_prepCancel));
}

// JetPrepareUpdate docs: JET_errAlreadyPrepared "an update is already prepared on the cursor".
TEST_F(RecordTest, PreparingTwiceIsAlreadyPrepared) {
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
  EXPECT_EQ(JET_errAlreadyPrepared, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
  EXPECT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepCancel));
  EXPECT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
}

// JetPrepareUpdate docs: JET_errNoCurrentRecord for a replace when the cursor is not on a record.
TEST_F(RecordTest, ReplaceWithoutACurrentRecordIsNoCurrentRecord) {
  EXPECT_EQ(JET_errNoCurrentRecord, JetPrepareUpdate(sesid_, tableid_, JET_prepReplace));
  EXPECT_EQ(JET_errNoCurrentRecord, JetPrepareUpdate(sesid_, tableid_, JET_prepInsertCopy));
}

TEST_F(RecordTest, CancelledInsertLeavesNoRecord) {
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
  ASSERT_EQ(JET_errSuccess, SetInt32(tableid_, columns_.key, 1));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepCancel));
  EXPECT_EQ(JET_errUpdateNotPrepared, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  EXPECT_EQ(JET_errNoCurrentRecord, JetMove(sesid_, tableid_, kMoveFirst, 0));
}

// ESE team blog "Inserting a record does NOT move the cursor" (laurionb): a new cursor is
// virtually on the first record, so the first insert into an empty table leaves it on the new
// record; later inserts do not move it.
TEST_F(RecordTest, InsertDoesNotMoveTheCursor) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 5, 50));
  EXPECT_EQ(5, RetrieveInt32(tableid_, columns_.key));
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 3, 30));
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 7, 70));
  EXPECT_EQ(5, RetrieveInt32(tableid_, columns_.key));
}

// JetUpdate2 docs: the bookmark of the inserted record is returned; JetGotoBookmark reaches it.
TEST_F(RecordTest, Update2ReturnsTheBookmarkOfTheNewRecord) {
  for (std::int32_t key : {10, 30}) {
    ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, key, key));
  }
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
  ASSERT_EQ(JET_errSuccess, SetInt32(tableid_, columns_.key, 20));
  ASSERT_EQ(JET_errSuccess, SetInt32(tableid_, columns_.value, 222));
  unsigned char bookmark[JET_cbBookmarkMost] = {};
  std::uint32_t bookmark_size = 0;
  ASSERT_EQ(JET_errSuccess,
            JetUpdate2(sesid_, tableid_, bookmark, sizeof(bookmark), &bookmark_size, 0));
  EXPECT_GT(bookmark_size, 0u);
  ASSERT_EQ(JET_errSuccess, JetGotoBookmark(sesid_, tableid_, bookmark, bookmark_size));
  EXPECT_EQ(222, RetrieveInt32(tableid_, columns_.value));
  // The same bookmark works through JetUpdate.
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
  ASSERT_EQ(JET_errSuccess, SetInt32(tableid_, columns_.key, 40));
  std::uint32_t second_size = 0;
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, bookmark, sizeof(bookmark), &second_size));
  ASSERT_EQ(JET_errSuccess, JetGotoBookmark(sesid_, tableid_, bookmark, second_size));
  EXPECT_EQ(40, RetrieveInt32(tableid_, columns_.key));
}

TEST_F(RecordTest, ReplaceChangesOnlyTheSetColumns) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 100, "before"));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepReplace));
  ASSERT_EQ(JET_errSuccess, SetString(tableid_, columns_.name, "after"));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  // The cursor stays on the replaced record.
  EXPECT_EQ("after", RetrieveString(tableid_, columns_.name));
  EXPECT_EQ(100, RetrieveInt32(tableid_, columns_.value));
}

TEST_F(RecordTest, ReplaceNoLockReplacesToo) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 100));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepReplaceNoLock));
  ASSERT_EQ(JET_errSuccess, SetInt32(tableid_, columns_.value, 5));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  EXPECT_EQ(5, RetrieveInt32(tableid_, columns_.value));
}

TEST_F(RecordTest, CancelledReplaceLeavesTheRecord) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 100));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepReplace));
  ASSERT_EQ(JET_errSuccess, SetInt32(tableid_, columns_.value, 5));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepCancel));
  EXPECT_EQ(100, RetrieveInt32(tableid_, columns_.value));
}

// ESE ErrRECReplace: a replace may not change the primary (clustered) key; JetUpdate fails with
// JET_errRecordPrimaryChanged and the record keeps its key.
TEST_F(RecordTest, ReplaceThatChangesThePrimaryKeyIsRecordPrimaryChanged) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 100));
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 1, JET_bitSeekEQ));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepReplace));
  ASSERT_EQ(JET_errSuccess, SetInt32(tableid_, columns_.key, 3));
  EXPECT_EQ(JET_errRecordPrimaryChanged, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  static_cast<void>(JetPrepareUpdate(sesid_, tableid_, JET_prepCancel));
  EXPECT_EQ((std::vector<std::int32_t>{1}), ScanInt32(tableid_, columns_.key));
}

// Setting the primary key column to the value it already has is not a change.
TEST_F(RecordTest, ReplaceThatRewritesTheSamePrimaryKeySucceeds) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 100));
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 1, JET_bitSeekEQ));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepReplace));
  ASSERT_EQ(JET_errSuccess, SetInt32(tableid_, columns_.key, 1));
  ASSERT_EQ(JET_errSuccess, SetInt32(tableid_, columns_.value, 7));
  EXPECT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  EXPECT_EQ(7, RetrieveInt32(tableid_, columns_.value));
}

// JetPrepareUpdate docs: JET_prepInsertCopyDeleteOriginal is the way to change a primary key: it
// inserts a copy (with the new key) and deletes the original in the same update.
TEST_F(RecordTest, InsertCopyDeleteOriginalMovesTheRecordToANewKey) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 100, "moved"));
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 2, 200));
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 1, JET_bitSeekEQ));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsertCopyDeleteOriginal));
  ASSERT_EQ(JET_errSuccess, SetInt32(tableid_, columns_.key, 3));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  EXPECT_EQ((std::vector<std::int32_t>{2, 3}), ScanInt32(tableid_, columns_.key));
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 3, JET_bitSeekEQ));
  EXPECT_EQ(100, RetrieveInt32(tableid_, columns_.value));
  EXPECT_EQ("moved", RetrieveString(tableid_, columns_.name));
}

// JetPrepareUpdate docs: JET_prepInsertCopy starts an insert whose copy buffer holds the current
// record's values.
TEST_F(RecordTest, InsertCopyStartsFromTheCurrentRecord) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 100, "template"));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsertCopy));
  EXPECT_EQ(100, RetrieveInt32(tableid_, columns_.value, JET_bitRetrieveCopy));
  ASSERT_EQ(JET_errSuccess, SetInt32(tableid_, columns_.key, 2));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 2, JET_bitSeekEQ));
  EXPECT_EQ(100, RetrieveInt32(tableid_, columns_.value));
  EXPECT_EQ("template", RetrieveString(tableid_, columns_.name));
  EXPECT_EQ((std::vector<std::int32_t>{1, 2}), ScanInt32(tableid_, columns_.key));
}

TEST_F(RecordTest, InsertCopyWithoutChangingTheKeyIsKeyDuplicate) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 100));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsertCopy));
  EXPECT_EQ(JET_errKeyDuplicate, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
}

// JetRetrieveColumn docs: JET_bitRetrieveCopy reads the value being prepared, not the stored one.
TEST_F(RecordTest, RetrieveCopySeesThePendingValue) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 100));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepReplace));
  ASSERT_EQ(JET_errSuccess, SetInt32(tableid_, columns_.value, 555));
  EXPECT_EQ(555, RetrieveInt32(tableid_, columns_.value, JET_bitRetrieveCopy));
  EXPECT_EQ(100, RetrieveInt32(tableid_, columns_.value));
}

// --- JetDelete ---------------------------------------------------------------------------------

// JetDelete docs: the cursor stays "on" the deleted record; reading it is JET_errRecordDeleted,
// JetMove goes on from there.
TEST_F(RecordTest, DeleteRemovesTheRecordAndLeavesTheCursorBetweenRecords) {
  for (std::int32_t key : {1, 2, 3}) {
    ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, key, key));
  }
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 2, JET_bitSeekEQ));
  ASSERT_EQ(JET_errSuccess, JetDelete(sesid_, tableid_));
  std::int32_t value = 0;
  std::uint32_t actual = 0;
  EXPECT_EQ(JET_errRecordDeleted, JetRetrieveColumn(sesid_, tableid_, columns_.key, &value,
                                                    sizeof(value), &actual, 0, nullptr));
  EXPECT_EQ(JET_errRecordDeleted, JetDelete(sesid_, tableid_));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveNext, 0));
  EXPECT_EQ(3, RetrieveInt32(tableid_, columns_.key));
  EXPECT_EQ((std::vector<std::int32_t>{1, 3}), ScanInt32(tableid_, columns_.key));
}

// JetDelete docs: JET_errNoCurrentRecord when the cursor is not on a record.
TEST_F(RecordTest, DeleteWithoutACurrentRecordIsNoCurrentRecord) {
  EXPECT_EQ(JET_errNoCurrentRecord, JetDelete(sesid_, tableid_));
}

// UNVERIFIED: ESE refuses JetDelete while an update is prepared on the cursor with
// JET_errAlreadyPrepared.
TEST_F(RecordTest, DeleteDuringAPreparedUpdateIsAlreadyPrepared) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 1));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepReplace));
  EXPECT_EQ(JET_errAlreadyPrepared, JetDelete(sesid_, tableid_));
}

TEST_F(RecordTest, DeletedKeyCanBeInsertedAgain) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 1));
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 1, JET_bitSeekEQ));
  ASSERT_EQ(JET_errSuccess, JetDelete(sesid_, tableid_));
  EXPECT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 2));
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 1, JET_bitSeekEQ));
  EXPECT_EQ(2, RetrieveInt32(tableid_, columns_.value));
}

// --- JetRetrieveColumn warnings ---------------------------------------------------------------

// JetRetrieveColumn docs: JET_wrnColumnNull for a NULL column, with *pcbActual 0.
TEST_F(RecordTest, NullColumnIsColumnNullWarningWithZeroSize) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 1));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  char buffer[16] = {};
  std::uint32_t actual = 77;
  EXPECT_EQ(JET_wrnColumnNull, JetRetrieveColumn(sesid_, tableid_, columns_.name, buffer,
                                                 sizeof(buffer), &actual, 0, nullptr));
  EXPECT_EQ(0u, actual);
}

// JetRetrieveColumn docs: JET_wrnBufferTruncated when the buffer is too small; the buffer holds
// the prefix and *pcbActual the full size.
TEST_F(RecordTest, SmallBufferIsBufferTruncatedWithTheFullSize) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 1, "abcdefghij"));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  char buffer[4] = {};
  std::uint32_t actual = 0;
  ASSERT_EQ(JET_wrnBufferTruncated, JetRetrieveColumn(sesid_, tableid_, columns_.name, buffer,
                                                      sizeof(buffer), &actual, 0, nullptr));
  EXPECT_EQ(10u, actual);
  EXPECT_EQ("abcd", std::string(buffer, sizeof(buffer)));
}

// The usual size probe: no buffer at all reports the size with JET_wrnBufferTruncated.
TEST_F(RecordTest, SizeProbeWithNoBufferReportsTheSize) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 1, "twelve chars"));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  std::uint32_t actual = 0;
  EXPECT_EQ(JET_wrnBufferTruncated,
            JetRetrieveColumn(sesid_, tableid_, columns_.name, nullptr, 0, &actual, 0, nullptr));
  EXPECT_EQ(12u, actual);
}

// JetRetrieveColumn docs: JET_errColumnNotFound for a columnid the table does not have.
TEST_F(RecordTest, RetrievingAnUnknownColumnIsColumnNotFound) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 1));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  std::int32_t value = 0;
  std::uint32_t actual = 0;
  EXPECT_EQ(JET_errColumnNotFound,
            JetRetrieveColumn(sesid_, tableid_, 0xFFFF, &value, sizeof(value), &actual, 0, nullptr));
}

// JetRetrieveColumn docs: JET_errNoCurrentRecord on a cursor not on a record.
TEST_F(RecordTest, RetrieveOnAnEmptyTableIsNoCurrentRecord) {
  std::int32_t value = 0;
  std::uint32_t actual = 0;
  EXPECT_EQ(JET_errNoCurrentRecord, JetRetrieveColumn(sesid_, tableid_, columns_.key, &value,
                                                      sizeof(value), &actual, 0, nullptr));
}

TEST_F(RecordTest, GarbageTableidIsInvalidTableId) {
  std::int32_t value = 0;
  std::uint32_t actual = 0;
  EXPECT_EQ(JET_errInvalidTableId, JetRetrieveColumn(sesid_, kGarbageTableid, columns_.key, &value,
                                                     sizeof(value), &actual, 0, nullptr));
  EXPECT_EQ(JET_errInvalidTableId, JetPrepareUpdate(sesid_, kGarbageTableid, JET_prepInsert));
  EXPECT_EQ(JET_errInvalidTableId, JetDelete(sesid_, kGarbageTableid));
}

// JetSetColumn docs: cbData 0 without JET_bitSetZeroLength sets NULL; with it, a zero-length
// value that is not NULL.
TEST_F(RecordTest, ZeroLengthValueIsNotNull) {
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
  ASSERT_EQ(JET_errSuccess, SetInt32(tableid_, columns_.key, 1));
  ASSERT_EQ(JET_errSuccess, SetValue(tableid_, columns_.name, "", 0, JET_bitSetZeroLength));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 2, 2));
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 1, JET_bitSeekEQ));
  char buffer[8];
  std::uint32_t actual = 5;
  EXPECT_EQ(JET_errSuccess, JetRetrieveColumn(sesid_, tableid_, columns_.name, buffer,
                                              sizeof(buffer), &actual, 0, nullptr));
  EXPECT_EQ(0u, actual);
}

TEST_F(RecordTest, SettingNullClearsAValue) {
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 1, 1, "name"));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepReplace));
  ASSERT_EQ(JET_errSuccess, SetValue(tableid_, columns_.name, nullptr, 0));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  EXPECT_EQ("", RetrieveString(tableid_, columns_.name, 0, JET_wrnColumnNull));
}

// --- JetSetColumns / JetRetrieveColumns --------------------------------------------------------

// JetSetColumns / JetRetrieveColumns docs: one call per array; each element's err holds its own
// result (warnings included).
TEST_F(RecordTest, SetColumnsAndRetrieveColumnsReportPerColumnResults) {
  std::int32_t key = 9;
  std::int32_t value = 90;
  const std::string name = "nine";
  JET_SETCOLUMN set[3] = {};
  set[0].columnid = columns_.key;
  set[0].pvData = &key;
  set[0].cbData = sizeof(key);
  set[1].columnid = columns_.value;
  set[1].pvData = &value;
  set[1].cbData = sizeof(value);
  set[2].columnid = columns_.name;
  set[2].pvData = name.data();
  set[2].cbData = static_cast<std::uint32_t>(name.size());
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
  ASSERT_EQ(JET_errSuccess, JetSetColumns(sesid_, tableid_, set, 3));
  for (const JET_SETCOLUMN& column : set) {
    EXPECT_EQ(JET_errSuccess, column.err);
  }
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  ASSERT_EQ(JET_errSuccess, InsertRow(tableid_, columns_, 10, 100));  // Name NULL
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 9, JET_bitSeekEQ));

  std::int32_t read_value = 0;
  char short_name[2] = {};
  JET_RETRIEVECOLUMN retrieve[2] = {};
  retrieve[0].columnid = columns_.value;
  retrieve[0].pvData = &read_value;
  retrieve[0].cbData = sizeof(read_value);
  retrieve[0].itagSequence = 1;
  retrieve[1].columnid = columns_.name;
  retrieve[1].pvData = short_name;
  retrieve[1].cbData = sizeof(short_name);
  retrieve[1].itagSequence = 1;
  // ESE ErrIsamRetrieveColumns returns JET_wrnBufferTruncated when any element was truncated and
  // success otherwise; other warnings (JET_wrnColumnNull) stay in the elements' err.
  EXPECT_EQ(JET_wrnBufferTruncated, JetRetrieveColumns(sesid_, tableid_, retrieve, 2));
  EXPECT_EQ(JET_errSuccess, retrieve[0].err);
  EXPECT_EQ(90, read_value);
  EXPECT_EQ(JET_wrnBufferTruncated, retrieve[1].err);
  EXPECT_EQ(4u, retrieve[1].cbActual);

  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 10, JET_bitSeekEQ));
  char name_buffer[16] = {};
  JET_RETRIEVECOLUMN null_name{};
  null_name.columnid = columns_.name;
  null_name.pvData = name_buffer;
  null_name.cbData = sizeof(name_buffer);
  null_name.itagSequence = 1;
  EXPECT_EQ(JET_errSuccess, JetRetrieveColumns(sesid_, tableid_, &null_name, 1));
  EXPECT_EQ(JET_wrnColumnNull, null_name.err);
  EXPECT_EQ(0u, null_name.cbActual);
}

TEST_F(RecordTest, SetColumnsStopsAtTheFirstFailure) {
  std::int32_t key = 1;
  std::int16_t wrong_size = 2;
  JET_SETCOLUMN set[2] = {};
  set[0].columnid = columns_.key;
  set[0].pvData = &key;
  set[0].cbData = sizeof(key);
  set[1].columnid = columns_.value;
  set[1].pvData = &wrong_size;
  set[1].cbData = sizeof(wrong_size);
  set[0].err = JET_errInvalidParameter;
  set[1].err = JET_errInvalidParameter;
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
  EXPECT_EQ(JET_errInvalidBufferSize, JetSetColumns(sesid_, tableid_, set, 2));
  // ESE ErrIsamSetColumns stores err only for the elements that succeeded and stops at the first
  // failure, whose err field it leaves untouched.
  EXPECT_EQ(JET_errSuccess, set[0].err);
  EXPECT_EQ(JET_errInvalidParameter, set[1].err);
}

// ESE ErrIsamSetColumn: a JET_SETINFO with a cbStruct smaller than the structure is
// JET_errInvalidParameter.
TEST_F(RecordTest, SetInfoWithASmallCbStructIsInvalidParameter) {
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
  std::int32_t key = 1;
  JET_SETINFO setinfo{sizeof(JET_SETINFO) - 1, 0, 1};
  EXPECT_EQ(JET_errInvalidParameter,
            JetSetColumn(sesid_, tableid_, columns_.key, &key, sizeof(key), 0, &setinfo));
}

// --- long values ------------------------------------------------------------------------------

class LongValueTest : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    dbid_ = CreateDatabase();
    tableid_ = CreateTable(dbid_, "Blobs");
    key_ = AddColumn(tableid_, "Key", JET_coltypLong);
    blob_ = AddColumn(tableid_, "Blob", JET_coltypLongBinary);
    ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "primary", JET_bitIndexPrimary, {"+Key"}));
  }

  static std::string Pattern(std::size_t size_bytes, std::uint32_t seed) {
    std::string data(size_bytes, '\0');
    std::uint32_t x = seed * 2654435761u + 1;
    for (char& c : data) {
      x = x * 1103515245u + 12345u;
      c = static_cast<char>(x >> 24);
    }
    return data;
  }

  void InsertBlob(std::int32_t key, const std::string& data) {
    ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
    ASSERT_EQ(JET_errSuccess, SetInt32(tableid_, key_, key));
    ASSERT_EQ(JET_errSuccess, SetString(tableid_, blob_, data));
    ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  }

  std::string ReadBlob(std::int32_t key) {
    EXPECT_EQ(JET_errSuccess, SeekInt32(tableid_, key, JET_bitSeekEQ));
    std::uint32_t size = 0;
    EXPECT_EQ(JET_wrnBufferTruncated,
              JetRetrieveColumn(sesid_, tableid_, blob_, nullptr, 0, &size, 0, nullptr));
    std::string data(size, '\0');
    std::uint32_t actual = 0;
    EXPECT_EQ(JET_errSuccess,
              JetRetrieveColumn(sesid_, tableid_, blob_, data.data(), size, &actual, 0, nullptr));
    EXPECT_EQ(size, actual);
    return data;
  }

  JET_DBID dbid_ = kNilDbid;
  JET_TABLEID tableid_ = kNilTableid;
  JET_COLUMNID key_ = 0;
  JET_COLUMNID blob_ = 0;
};

TEST_F(LongValueTest, LargeValuesRoundTrip) {
  const std::string small = Pattern(100, 1);
  const std::string page_sized = Pattern(9000, 2);
  const std::string large = Pattern(300000, 3);
  InsertBlob(1, small);
  InsertBlob(2, page_sized);
  InsertBlob(3, large);
  EXPECT_EQ(small, ReadBlob(1));
  EXPECT_EQ(page_sized, ReadBlob(2));
  EXPECT_EQ(large, ReadBlob(3));
}

// JET_RETINFO docs: ibLongValue is the offset into the long value where retrieval starts.
// UNVERIFIED: with a short buffer *pcbActual is the size remaining from the offset.
TEST_F(LongValueTest, RetrieveFromAnOffset) {
  const std::string data = Pattern(50000, 4);
  InsertBlob(1, data);
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 1, JET_bitSeekEQ));
  char buffer[100] = {};
  std::uint32_t actual = 0;
  JET_RETINFO retinfo{sizeof(JET_RETINFO), 20000, 1, 0};
  ASSERT_EQ(JET_wrnBufferTruncated, JetRetrieveColumn(sesid_, tableid_, blob_, buffer,
                                                      sizeof(buffer), &actual, 0, &retinfo));
  EXPECT_EQ(30000u, actual);
  EXPECT_EQ(data.substr(20000, 100), std::string(buffer, sizeof(buffer)));

  retinfo.ibLongValue = 49950;
  ASSERT_EQ(JET_errSuccess, JetRetrieveColumn(sesid_, tableid_, blob_, buffer, sizeof(buffer),
                                              &actual, 0, &retinfo));
  EXPECT_EQ(50u, actual);
  EXPECT_EQ(data.substr(49950), std::string(buffer, actual));
}

// UNVERIFIED: an offset at or past the end returns no data with JET_errSuccess and size 0.
TEST_F(LongValueTest, RetrievePastTheEndReturnsNothing) {
  InsertBlob(1, Pattern(1000, 5));
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 1, JET_bitSeekEQ));
  char buffer[10] = {};
  std::uint32_t actual = 99;
  JET_RETINFO retinfo{sizeof(JET_RETINFO), 5000, 1, 0};
  EXPECT_EQ(JET_errSuccess, JetRetrieveColumn(sesid_, tableid_, blob_, buffer, sizeof(buffer),
                                              &actual, 0, &retinfo));
  EXPECT_EQ(0u, actual);
}

// JetSetColumn docs: JET_bitSetAppendLV appends to the existing long value.
TEST_F(LongValueTest, AppendExtendsTheValue) {
  const std::string first = Pattern(7000, 6);
  const std::string second = Pattern(12000, 7);
  InsertBlob(1, first);
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 1, JET_bitSeekEQ));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepReplace));
  ASSERT_EQ(JET_errSuccess, SetString(tableid_, blob_, second, JET_bitSetAppendLV));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  EXPECT_EQ(first + second, ReadBlob(1));
}

// JetSetColumn docs: JET_bitSetOverwriteLV with JET_SETINFO.ibLongValue overwrites in place;
// JET_bitSetSizeLV sets the size (truncates or extends with zeros).
TEST_F(LongValueTest, OverwriteAtAnOffsetAndResize) {
  std::string data = Pattern(20000, 8);
  InsertBlob(1, data);
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 1, JET_bitSeekEQ));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepReplace));
  const std::string patch(300, 'Z');
  JET_SETINFO setinfo{sizeof(JET_SETINFO), 10000, 1};
  ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid_, tableid_, blob_, patch.data(),
                                         static_cast<std::uint32_t>(patch.size()),
                                         JET_bitSetOverwriteLV, &setinfo));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  data.replace(10000, patch.size(), patch);
  EXPECT_EQ(data, ReadBlob(1));

  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepReplace));
  ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid_, tableid_, blob_, nullptr, 5000, JET_bitSetSizeLV,
                                         nullptr));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  EXPECT_EQ(data.substr(0, 5000), ReadBlob(1));

  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepReplace));
  ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid_, tableid_, blob_, nullptr, 6000, JET_bitSetSizeLV,
                                         nullptr));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  EXPECT_EQ(data.substr(0, 5000) + std::string(1000, '\0'), ReadBlob(1));
}

TEST_F(LongValueTest, ReplacingAndDeletingLargeValuesKeepsOthersIntact) {
  const std::string a = Pattern(40000, 9);
  const std::string b = Pattern(40000, 10);
  InsertBlob(1, a);
  InsertBlob(2, b);
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 1, JET_bitSeekEQ));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepReplace));
  const std::string c = Pattern(1000, 11);
  ASSERT_EQ(JET_errSuccess, SetString(tableid_, blob_, c));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  EXPECT_EQ(c, ReadBlob(1));
  EXPECT_EQ(b, ReadBlob(2));
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 2, JET_bitSeekEQ));
  ASSERT_EQ(JET_errSuccess, JetDelete(sesid_, tableid_));
  EXPECT_EQ(c, ReadBlob(1));
}

// A long value survives detach and reattach unchanged (checks the separated
// long-value tree is flushed with the table).
TEST_F(LongValueTest, LargeValueSurvivesDetach) {
  const std::string data = Pattern(200000, 12);
  InsertBlob(1, data);
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid_));
  ASSERT_EQ(JET_errSuccess, JetCloseDatabase(sesid_, dbid_, 0));
  const std::string path = DatabasePath("test.edb");
  ASSERT_EQ(JET_errSuccess, JetDetachDatabaseA(sesid_, path.c_str()));
  ASSERT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid_, path.c_str(), 0));
  ASSERT_EQ(JET_errSuccess, JetOpenDatabaseA(sesid_, path.c_str(), nullptr, &dbid_, 0));
  tableid_ = OpenTable(dbid_, "Blobs");
  EXPECT_EQ(data, ReadBlob(1));
}

}  // namespace
}  // namespace esent_test
