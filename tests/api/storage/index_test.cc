// Acceptance tests of indexes: JetCreateIndex (1-4, A and W), JetDeleteIndex,
// JetSetCurrentIndex (A and W), JetGetCurrentIndex, key descriptions ("+a\0-b\0\0"), unique and
// primary indexes, null handling.
//
// Sources: learn.microsoft.com pages of JetCreateIndex, JET_INDEXCREATE, JetDeleteIndex,
// JetSetCurrentIndex; ESE's source where noted.
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "storage_fixture.h"

namespace esent_test {
namespace {

class IndexTest : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    dbid_ = CreateDatabase();
    tableid_ = CreateTable(dbid_, "Indexed");
    a_ = AddColumn(tableid_, "A", JET_coltypLong);
    b_ = AddColumn(tableid_, "B", JET_coltypLong);
    text_ = AddColumn(tableid_, "Text", JET_coltypText, 0, 100, kCodePageAscii);
  }

  JET_ERR Insert(std::int32_t a, std::int32_t b, const std::string& text = "") {
    JET_ERR err = JetPrepareUpdate(sesid_, tableid_, JET_prepInsert);
    if (err < JET_errSuccess) {
      return err;
    }
    EXPECT_EQ(JET_errSuccess, SetInt32(tableid_, a_, a));
    EXPECT_EQ(JET_errSuccess, SetInt32(tableid_, b_, b));
    if (!text.empty()) {
      EXPECT_EQ(JET_errSuccess, SetString(tableid_, text_, text));
    }
    err = JetUpdate(sesid_, tableid_, nullptr, 0, nullptr);
    if (err < JET_errSuccess) {
      static_cast<void>(JetPrepareUpdate(sesid_, tableid_, JET_prepCancel));
    }
    return err;
  }

  std::string CurrentIndex() {
    char name[JET_cbNameMost + 1] = {};
    EXPECT_EQ(JET_errSuccess, JetGetCurrentIndexA(sesid_, tableid_, name, sizeof(name)));
    return name;
  }

  JET_DBID dbid_ = kNilDbid;
  JET_TABLEID tableid_ = kNilTableid;
  JET_COLUMNID a_ = 0;
  JET_COLUMNID b_ = 0;
  JET_COLUMNID text_ = 0;
};

TEST_F(IndexTest, PrimaryIndexOrdersTheRows) {
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "primary", JET_bitIndexPrimary, {"+A"}));
  for (std::int32_t a : {5, 1, 4, 2, 3}) {
    ASSERT_EQ(JET_errSuccess, Insert(a, 0));
  }
  EXPECT_EQ((std::vector<std::int32_t>{1, 2, 3, 4, 5}), ScanInt32(tableid_, a_));
}

// JetCreateIndex docs: a "-" prefix sorts the segment descending.
TEST_F(IndexTest, DescendingSegmentReversesTheOrder) {
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "primary", JET_bitIndexPrimary, {"-A"}));
  for (std::int32_t a : {2, 9, -4, 0}) {
    ASSERT_EQ(JET_errSuccess, Insert(a, 0));
  }
  EXPECT_EQ((std::vector<std::int32_t>{9, 2, 0, -4}), ScanInt32(tableid_, a_));
}

// JetCreateIndex docs: a segment without a "+" or "-" prefix is ascending.
TEST_F(IndexTest, SegmentWithoutPrefixIsAscending) {
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "primary", JET_bitIndexPrimary, {"A"}));
  for (std::int32_t a : {3, -1, 2}) {
    ASSERT_EQ(JET_errSuccess, Insert(a, 0));
  }
  EXPECT_EQ((std::vector<std::int32_t>{-1, 2, 3}), ScanInt32(tableid_, a_));
}

// Signed integers sort numerically (ESE flips the sign bit in the normalized key).
TEST_F(IndexTest, SignedValuesSortNumerically) {
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "byA", 0, {"+A"}));
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "byA"));
  for (std::int32_t a : {INT32_MAX, -1, INT32_MIN, 0, 1}) {
    ASSERT_EQ(JET_errSuccess, Insert(a, 0));
  }
  EXPECT_EQ((std::vector<std::int32_t>{INT32_MIN, -1, 0, 1, INT32_MAX}), ScanInt32(tableid_, a_));
}

TEST_F(IndexTest, TwoSegmentKeyOrdersByBothColumns) {
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "ab", 0, {"+A", "-B"}));
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "ab"));
  ASSERT_EQ(JET_errSuccess, Insert(1, 1));
  ASSERT_EQ(JET_errSuccess, Insert(2, 1));
  ASSERT_EQ(JET_errSuccess, Insert(1, 3));
  ASSERT_EQ(JET_errSuccess, Insert(1, 2));
  EXPECT_EQ((std::vector<std::int32_t>{3, 2, 1, 1}), ScanInt32(tableid_, b_));
  EXPECT_EQ((std::vector<std::int32_t>{1, 1, 1, 2}), ScanInt32(tableid_, a_));
}

// JetCreateIndex docs: JET_errIndexHasPrimary "The table already has a primary index".
TEST_F(IndexTest, SecondPrimaryIndexIsIndexHasPrimary) {
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "primary", JET_bitIndexPrimary, {"+A"}));
  EXPECT_EQ(JET_errIndexHasPrimary, CreateIndex(tableid_, "other", JET_bitIndexPrimary, {"+B"}));
}

// JetCreateIndex docs: JET_errIndexDuplicate "An index with the same name already exists".
TEST_F(IndexTest, ExistingIndexNameIsIndexDuplicate) {
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "byA", 0, {"+A"}));
  EXPECT_EQ(JET_errIndexDuplicate, CreateIndex(tableid_, "byA", 0, {"+B"}));
}

// JetCreateIndex docs: JET_errColumnNotFound for a key segment naming a missing column.
TEST_F(IndexTest, KeyOnAMissingColumnIsColumnNotFound) {
  EXPECT_EQ(JET_errColumnNotFound, CreateIndex(tableid_, "byMissing", 0, {"+Missing"}));
}

// JetCreateIndex docs: JET_errIndexInvalidDef for a malformed key description. UNVERIFIED: ESE's
// key parser reports both "no segment" and "not double-NUL terminated within cbKey" so.
TEST_F(IndexTest, MalformedKeyDescriptionIsIndexInvalidDef) {
  const char empty[] = "\0";
  EXPECT_EQ(JET_errIndexInvalidDef, JetCreateIndexA(sesid_, tableid_, "empty", 0, empty, 2, 100));
  const char unterminated[] = "+A";
  EXPECT_EQ(JET_errIndexInvalidDef,
            JetCreateIndexA(sesid_, tableid_, "unterminated", 0, unterminated, 2, 100));
}

TEST_F(IndexTest, InvalidIndexNameIsInvalidName) {
  EXPECT_EQ(JET_errInvalidName, CreateIndex(tableid_, "", 0, {"+A"}));
  EXPECT_EQ(JET_errInvalidName, CreateIndex(tableid_, "bad.name", 0, {"+A"}));
}

// JetUpdate docs: JET_errKeyDuplicate when the record would duplicate a key of a unique index.
TEST_F(IndexTest, DuplicateKeyInAUniqueIndexIsKeyDuplicate) {
  ASSERT_EQ(JET_errSuccess,
            CreateIndex(tableid_, "primary", JET_bitIndexPrimary | JET_bitIndexUnique, {"+A"}));
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "uniqueB", JET_bitIndexUnique, {"+B"}));
  ASSERT_EQ(JET_errSuccess, Insert(1, 10));
  EXPECT_EQ(JET_errKeyDuplicate, Insert(1, 11));
  EXPECT_EQ(JET_errKeyDuplicate, Insert(2, 10));
  EXPECT_EQ(JET_errSuccess, Insert(2, 11));
  EXPECT_EQ((std::vector<std::int32_t>{1, 2}), ScanInt32(tableid_, a_));
}

// UNVERIFIED: ESE makes a primary index unique even without JET_bitIndexUnique (the clustered
// key identifies the record), so equal keys are JET_errKeyDuplicate.
TEST_F(IndexTest, PrimaryIndexIsAlwaysUnique) {
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "primary", JET_bitIndexPrimary, {"+A"}));
  ASSERT_EQ(JET_errSuccess, Insert(7, 1));
  EXPECT_EQ(JET_errKeyDuplicate, Insert(7, 2));
}

TEST_F(IndexTest, NonUniqueSecondaryIndexKeepsEqualKeys) {
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "byB", 0, {"+B"}));
  ASSERT_EQ(JET_errSuccess, Insert(1, 5));
  ASSERT_EQ(JET_errSuccess, Insert(2, 5));
  ASSERT_EQ(JET_errSuccess, Insert(3, 5));
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "byB"));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  std::uint32_t count = 0;
  ASSERT_EQ(JET_errSuccess, JetIndexRecordCount(sesid_, tableid_, &count, 0));
  EXPECT_EQ(3u, count);
}

// A secondary index created over existing rows indexes them all; a unique one over duplicates
// fails with JET_errKeyDuplicate and is not created.
TEST_F(IndexTest, IndexCreatedOverExistingRowsIndexesThem) {
  for (std::int32_t a = 0; a < 20; ++a) {
    ASSERT_EQ(JET_errSuccess, Insert(a, 100 - a));
  }
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "byB", 0, {"+B"}));
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "byB"));
  const std::vector<std::int32_t> bs = ScanInt32(tableid_, b_);
  ASSERT_EQ(20u, bs.size());
  EXPECT_EQ(81, bs.front());
  EXPECT_EQ(100, bs.back());
}

TEST_F(IndexTest, UniqueIndexOverDuplicateRowsIsKeyDuplicate) {
  ASSERT_EQ(JET_errSuccess, Insert(1, 5));
  ASSERT_EQ(JET_errSuccess, Insert(2, 5));
  EXPECT_EQ(JET_errKeyDuplicate, CreateIndex(tableid_, "uniqueB", JET_bitIndexUnique, {"+B"}));
  EXPECT_EQ(JET_errIndexNotFound, JetSetCurrentIndexA(sesid_, tableid_, "uniqueB"));
}

// UNVERIFIED: ESE cannot change the clustered index of a table that has records
// (ErrIsamCreateIndex: JET_errTableNotEmpty for a primary index on a non-empty table).
TEST_F(IndexTest, PrimaryIndexOnANonEmptyTableIsTableNotEmpty) {
  ASSERT_EQ(JET_errSuccess, Insert(1, 1));
  EXPECT_EQ(JET_errTableNotEmpty, CreateIndex(tableid_, "primary", JET_bitIndexPrimary, {"+A"}));
}

// JET_INDEXCREATE docs: with JET_bitIndexDisallowNull a record whose key column is NULL cannot be
// inserted: JetUpdate returns JET_errNullKeyDisallowed.
TEST_F(IndexTest, DisallowNullRejectsNullKeyColumns) {
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "strictB", JET_bitIndexDisallowNull, {"+B"}));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
  ASSERT_EQ(JET_errSuccess, SetInt32(tableid_, a_, 1));
  EXPECT_EQ(JET_errNullKeyDisallowed, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
}

TEST_F(IndexTest, IgnoreNullLeavesNullRowsOutOfTheIndex) {
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "sparseText", JET_bitIndexIgnoreNull, {"+Text"}));
  ASSERT_EQ(JET_errSuccess, Insert(1, 1, "one"));
  ASSERT_EQ(JET_errSuccess, Insert(2, 2));
  ASSERT_EQ(JET_errSuccess, Insert(3, 3, "three"));
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "sparseText"));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  std::uint32_t count = 0;
  ASSERT_EQ(JET_errSuccess, JetIndexRecordCount(sesid_, tableid_, &count, 0));
  EXPECT_EQ(2u, count);
}

// Without JET_bitIndexIgnoreNull, NULL keys are indexed and sort first (ESE's normalized NULL
// key sorts before any value in an ascending segment).
TEST_F(IndexTest, NullKeysAreIndexedAndSortFirst) {
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "byText", 0, {"+Text"}));
  ASSERT_EQ(JET_errSuccess, Insert(1, 1, "b"));
  ASSERT_EQ(JET_errSuccess, Insert(2, 2));
  ASSERT_EQ(JET_errSuccess, Insert(3, 3, "a"));
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "byText"));
  EXPECT_EQ((std::vector<std::int32_t>{2, 3, 1}), ScanInt32(tableid_, a_));
}

// UNVERIFIED: ESE normalizes non-Unicode text keys case-insensitively (upper-cased), so a unique
// index treats "abc" and "ABC" as the same key.
TEST_F(IndexTest, AsciiTextKeysAreCaseInsensitive) {
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "uniqueText", JET_bitIndexUnique, {"+Text"}));
  ASSERT_EQ(JET_errSuccess, Insert(1, 1, "abc"));
  EXPECT_EQ(JET_errKeyDuplicate, Insert(2, 2, "ABC"));
}

// --- JetCreateIndex2/3/4 --------------------------------------------------------------------

TEST_F(IndexTest, CreateIndex2CreatesSeveralIndexes) {
  std::string key_a = KeyDescription({"+A"});
  std::string key_b = KeyDescription({"-B"});
  char name_a[] = "primary";
  char name_b[] = "byB";
  JET_INDEXCREATE_A indexes[2] = {};
  indexes[0].cbStruct = sizeof(JET_INDEXCREATE_A);
  indexes[0].szIndexName = name_a;
  indexes[0].szKey = key_a.data();
  indexes[0].cbKey = static_cast<std::uint32_t>(key_a.size());
  indexes[0].grbit = JET_bitIndexPrimary;
  indexes[0].ulDensity = 100;
  indexes[0].err = JET_errInvalidParameter;
  indexes[1].cbStruct = sizeof(JET_INDEXCREATE_A);
  indexes[1].szIndexName = name_b;
  indexes[1].szKey = key_b.data();
  indexes[1].cbKey = static_cast<std::uint32_t>(key_b.size());
  indexes[1].ulDensity = 100;
  indexes[1].err = JET_errInvalidParameter;
  ASSERT_EQ(JET_errSuccess, JetCreateIndex2A(sesid_, tableid_, indexes, 2));
  EXPECT_EQ(JET_errSuccess, indexes[0].err);
  EXPECT_EQ(JET_errSuccess, indexes[1].err);
  EXPECT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "byB"));
}

TEST_F(IndexTest, CreateIndex2WideEntryPoint) {
  std::u16string key = WideKeyDescription({"+B"});
  char16_t name[] = u"byB";
  JET_INDEXCREATE_W index{};
  index.cbStruct = sizeof(index);
  index.szIndexName = name;
  index.szKey = key.data();
  index.cbKey = static_cast<std::uint32_t>(key.size() * sizeof(char16_t));
  index.ulDensity = 100;
  ASSERT_EQ(JET_errSuccess, JetCreateIndex2W(sesid_, tableid_, &index, 1));
  EXPECT_EQ(JET_errSuccess, JetSetCurrentIndexW(sesid_, tableid_, u"byB"));
}

TEST_F(IndexTest, CreateIndex3And4AcceptTheirStructures) {
  std::string key = KeyDescription({"+A"});
  char name3[] = "three";
  JET_INDEXCREATE2_A index3{};
  index3.cbStruct = sizeof(index3);
  index3.szIndexName = name3;
  index3.szKey = key.data();
  index3.cbKey = static_cast<std::uint32_t>(key.size());
  index3.ulDensity = 100;
  ASSERT_EQ(JET_errSuccess, JetCreateIndex3A(sesid_, tableid_, &index3, 1));
  EXPECT_EQ(JET_errSuccess, index3.err);

  std::u16string wide_key = WideKeyDescription({"+B"});
  char16_t name4[] = u"four";
  JET_INDEXCREATE3_W index4{};
  index4.cbStruct = sizeof(index4);
  index4.szIndexName = name4;
  index4.szKey = wide_key.data();
  index4.cbKey = static_cast<std::uint32_t>(wide_key.size() * sizeof(char16_t));
  index4.ulDensity = 100;
  ASSERT_EQ(JET_errSuccess, JetCreateIndex4W(sesid_, tableid_, &index4, 1));
  EXPECT_EQ(JET_errSuccess, index4.err);
  EXPECT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "three"));
  EXPECT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "four"));
}

// ESE checks JET_INDEXCREATE.cbStruct: a size that matches no version is JET_errInvalidParameter.
TEST_F(IndexTest, CreateIndex2WithWrongCbStructIsInvalidParameter) {
  std::string key = KeyDescription({"+A"});
  char name[] = "bad";
  JET_INDEXCREATE_A index{};
  index.cbStruct = sizeof(index) - 8;
  index.szIndexName = name;
  index.szKey = key.data();
  index.cbKey = static_cast<std::uint32_t>(key.size());
  EXPECT_EQ(JET_errInvalidParameter, JetCreateIndex2A(sesid_, tableid_, &index, 1));
}

// --- JetDeleteIndex ---------------------------------------------------------------------------

TEST_F(IndexTest, DeleteIndexRemovesIt) {
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "byB", 0, {"+B"}));
  EXPECT_EQ(JET_errSuccess, JetDeleteIndexA(sesid_, tableid_, "byB"));
  EXPECT_EQ(JET_errIndexNotFound, JetSetCurrentIndexA(sesid_, tableid_, "byB"));
  EXPECT_EQ(JET_errIndexNotFound, JetDeleteIndexW(sesid_, tableid_, u"byB"));
}

// JetDeleteIndex docs: JET_errIndexMustStay "The clustered index of a table cannot be deleted".
TEST_F(IndexTest, DeletingThePrimaryIndexIsIndexMustStay) {
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "primary", JET_bitIndexPrimary, {"+A"}));
  EXPECT_EQ(JET_errIndexMustStay, JetDeleteIndexA(sesid_, tableid_, "primary"));
}

// --- JetSetCurrentIndex -----------------------------------------------------------------------

// JetSetCurrentIndex docs: JET_errIndexNotFound for a missing index; a NULL name selects the
// primary (clustered) index.
TEST_F(IndexTest, SetCurrentIndexSelectsByNameAndNullMeansPrimary) {
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "primary", JET_bitIndexPrimary, {"+A"}));
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "byB", 0, {"+B"}));
  ASSERT_EQ(JET_errSuccess, Insert(1, 30));
  ASSERT_EQ(JET_errSuccess, Insert(2, 20));
  ASSERT_EQ(JET_errSuccess, Insert(3, 10));
  EXPECT_EQ(JET_errIndexNotFound, JetSetCurrentIndexA(sesid_, tableid_, "nope"));
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "byB"));
  EXPECT_EQ("byB", CurrentIndex());
  EXPECT_EQ((std::vector<std::int32_t>{3, 2, 1}), ScanInt32(tableid_, a_));
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, nullptr));
  EXPECT_EQ("primary", CurrentIndex());
  EXPECT_EQ((std::vector<std::int32_t>{1, 2, 3}), ScanInt32(tableid_, a_));
}

// JetSetCurrentIndex docs: the cursor is positioned on the first record of the new index.
TEST_F(IndexTest, SetCurrentIndexPositionsOnTheFirstEntry) {
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "primary", JET_bitIndexPrimary, {"+A"}));
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "byB", 0, {"+B"}));
  ASSERT_EQ(JET_errSuccess, Insert(1, 30));
  ASSERT_EQ(JET_errSuccess, Insert(2, 10));
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexW(sesid_, tableid_, u"byB"));
  EXPECT_EQ(2, RetrieveInt32(tableid_, a_));
}

// JetSetCurrentIndex2 docs: JET_bitNoMove keeps the current record when switching indexes.
TEST_F(IndexTest, SetCurrentIndex2NoMoveKeepsTheRecord) {
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "primary", JET_bitIndexPrimary, {"+A"}));
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "byB", 0, {"+B"}));
  ASSERT_EQ(JET_errSuccess, Insert(1, 30));
  ASSERT_EQ(JET_errSuccess, Insert(2, 20));
  ASSERT_EQ(JET_errSuccess, Insert(3, 10));
  ASSERT_EQ(JET_errSuccess, SeekInt32(tableid_, 2, JET_bitSeekEQ));
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndex2A(sesid_, tableid_, "byB", JET_bitNoMove));
  EXPECT_EQ(2, RetrieveInt32(tableid_, a_));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveNext, 0));
  EXPECT_EQ(1, RetrieveInt32(tableid_, a_));
}

// Without a primary index ESE orders records by an internal sequential key (insertion order).
TEST_F(IndexTest, TableWithoutPrimaryIndexKeepsInsertionOrder) {
  for (std::int32_t a : {9, 3, 7}) {
    ASSERT_EQ(JET_errSuccess, Insert(a, 0));
  }
  EXPECT_EQ((std::vector<std::int32_t>{9, 3, 7}), ScanInt32(tableid_, a_));
}

}  // namespace
}  // namespace esent_test
