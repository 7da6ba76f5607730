// Acceptance tests of columns: JetAddColumn, JetDeleteColumn, JetGetTableColumnInfo and
// JetGetColumnInfo (A and W), every column type, fixed / variable / tagged / multi-valued,
// autoincrement, default values and NOT NULL.
//
// Sources: learn.microsoft.com pages of JetAddColumn, JET_COLUMNDEF, JET_COLTYP,
// JetGetTableColumnInfo, JET_COLUMNLIST; ESE's source for the size checks of JetSetColumn
// (ErrRECSetColumn: JET_errColumnTooBig over cbMax, JET_errInvalidBufferSize for a fixed-size
// type given another size).
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "storage_fixture.h"

namespace esent_test {
namespace {

class ColumnTest : public StorageTest {
 protected:
  void SetUp() override {
    StorageTest::SetUp();
    dbid_ = CreateDatabase();
    tableid_ = CreateTable(dbid_, "Columns");
  }

  JET_COLUMNDEF ColumnInfo(const std::string& name) {
    JET_COLUMNDEF def{};
    EXPECT_EQ(JET_errSuccess,
              JetGetTableColumnInfoA(sesid_, tableid_, name.c_str(), &def, sizeof(def), JET_ColInfo))
        << name;
    return def;
  }

  JET_DBID dbid_ = kNilDbid;
  JET_TABLEID tableid_ = kNilTableid;
};

// --- every column type round-trips ----------------------------------------------------------

struct TypeCase {
  const char* name;
  JET_COLTYP coltyp;
  std::uint32_t size_bytes;  // fixed size, or 0 for variable / long types
  std::uint16_t cp;
};

class ColumnTypeTest : public ColumnTest, public ::testing::WithParamInterface<TypeCase> {};

// JET_COLTYP docs give the fixed sizes: Bit and UnsignedByte 1, Short and UnsignedShort 2,
// Long, UnsignedLong and IEEESingle 4, LongLong, Currency, IEEEDouble and DateTime 8, GUID 16.
// UNVERIFIED: JET_ColInfo reports those sizes in cbMax for fixed-size types.
TEST_P(ColumnTypeTest, ValueRoundTripsAndColumnInfoReportsTheType) {
  const TypeCase& type = GetParam();
  const JET_COLUMNID columnid = AddColumn(tableid_, "Value", type.coltyp, 0, 0, type.cp);
  std::vector<unsigned char> value(type.size_bytes == 0 ? 37 : type.size_bytes);
  for (std::size_t i = 0; i < value.size(); ++i) {
    value[i] = static_cast<unsigned char>(type.coltyp == JET_coltypBit ? 0xFF : 0x41 + i % 26);
  }
  if (type.coltyp == JET_coltypText && type.cp == kCodePageUnicode) {
    value.resize(36);  // whole UTF-16 code units
  }
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
  ASSERT_EQ(JET_errSuccess, SetValue(tableid_, columnid, value.data(),
                                     static_cast<std::uint32_t>(value.size())));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  std::vector<unsigned char> read(value.size() + 8);
  std::uint32_t actual = 0;
  ASSERT_EQ(JET_errSuccess,
            JetRetrieveColumn(sesid_, tableid_, columnid, read.data(),
                              static_cast<std::uint32_t>(read.size()), &actual, 0, nullptr));
  ASSERT_EQ(value.size(), actual);
  read.resize(actual);
  if (type.coltyp == JET_coltypBit) {
    // ESE normalizes a bit column to 0x00 / 0xFF.
    EXPECT_EQ(0xFF, read[0]);
  } else {
    EXPECT_EQ(value, read);
  }

  const JET_COLUMNDEF def = ColumnInfo("Value");
  EXPECT_EQ(type.coltyp, def.coltyp);
  EXPECT_EQ(columnid, def.columnid);
  if (type.size_bytes != 0) {
    EXPECT_EQ(type.size_bytes, def.cbMax);
  }
  if (type.cp != 0) {
    EXPECT_EQ(type.cp, def.cp);
  }
}

INSTANTIATE_TEST_SUITE_P(
    AllTypes, ColumnTypeTest,
    ::testing::Values(TypeCase{"Bit", JET_coltypBit, 1, 0},
                      TypeCase{"UnsignedByte", JET_coltypUnsignedByte, 1, 0},
                      TypeCase{"Short", JET_coltypShort, 2, 0},
                      TypeCase{"UnsignedShort", JET_coltypUnsignedShort, 2, 0},
                      TypeCase{"Long", JET_coltypLong, 4, 0},
                      TypeCase{"UnsignedLong", JET_coltypUnsignedLong, 4, 0},
                      TypeCase{"LongLong", JET_coltypLongLong, 8, 0},
                      TypeCase{"Currency", JET_coltypCurrency, 8, 0},
                      TypeCase{"IEEESingle", JET_coltypIEEESingle, 4, 0},
                      TypeCase{"IEEEDouble", JET_coltypIEEEDouble, 8, 0},
                      TypeCase{"DateTime", JET_coltypDateTime, 8, 0},
                      TypeCase{"GUID", JET_coltypGUID, 16, 0},
                      TypeCase{"Binary", JET_coltypBinary, 0, 0},
                      TypeCase{"TextAscii", JET_coltypText, 0, kCodePageAscii},
                      TypeCase{"TextUnicode", JET_coltypText, 0, kCodePageUnicode},
                      TypeCase{"LongBinary", JET_coltypLongBinary, 0, 0},
                      TypeCase{"LongTextAscii", JET_coltypLongText, 0, kCodePageAscii},
                      TypeCase{"LongTextUnicode", JET_coltypLongText, 0, kCodePageUnicode}),
    [](const ::testing::TestParamInfo<TypeCase>& param_info) {
      return std::string(param_info.param.name);
    });

// ESE ErrRECSetColumn: a fixed-size type given any other non-zero size is
// JET_errInvalidBufferSize.
TEST_F(ColumnTest, SettingAFixedSizeTypeWithAnotherSizeIsInvalidBufferSize) {
  const JET_COLUMNID bit = AddColumn(tableid_, "Bit", JET_coltypBit);
  const JET_COLUMNID shorty = AddColumn(tableid_, "Short", JET_coltypShort);
  const JET_COLUMNID longy = AddColumn(tableid_, "Long", JET_coltypLong);
  const JET_COLUMNID guid = AddColumn(tableid_, "Guid", JET_coltypGUID);
  const unsigned char bytes[32] = {};
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
  EXPECT_EQ(JET_errInvalidBufferSize, SetValue(tableid_, bit, bytes, 2));
  EXPECT_EQ(JET_errInvalidBufferSize, SetValue(tableid_, shorty, bytes, 4));
  EXPECT_EQ(JET_errInvalidBufferSize, SetValue(tableid_, longy, bytes, 3));
  EXPECT_EQ(JET_errInvalidBufferSize, SetValue(tableid_, longy, bytes, 8));
  EXPECT_EQ(JET_errInvalidBufferSize, SetValue(tableid_, guid, bytes, 8));
  EXPECT_EQ(JET_errSuccess, SetValue(tableid_, longy, bytes, 4));
}

// ESE ErrRECSetColumn: a value longer than the column's cbMax is JET_errColumnTooBig.
TEST_F(ColumnTest, ValueLongerThanCbMaxIsColumnTooBig) {
  const JET_COLUMNID text = AddColumn(tableid_, "Short", JET_coltypText, 0, 10, kCodePageAscii);
  const JET_COLUMNID blob = AddColumn(tableid_, "Blob", JET_coltypLongBinary, 0, 100);
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
  EXPECT_EQ(JET_errColumnTooBig, SetString(tableid_, text, "eleven char"));
  EXPECT_EQ(JET_errSuccess, SetString(tableid_, text, "ten chars!"));
  EXPECT_EQ(JET_errColumnTooBig, SetString(tableid_, blob, std::string(101, 'b')));
  EXPECT_EQ(JET_errSuccess, SetString(tableid_, blob, std::string(100, 'b')));
}

// JET_COLUMNDEF docs: JET_coltypText / JET_coltypBinary hold at most JET_cbColumnMost (255)
// bytes. UNVERIFIED: a larger cbMax is JET_errInvalidParameter in ESE's ErrFILEIAddColumn.
// JetAddColumn docs: JET_wrnColumnMaxTruncated "the maximum length (cbMax) of a fixed or
// variable column was greater than JET_cbColumnMost"; the column is made with JET_cbColumnMost.
TEST_F(ColumnTest, ShortTextCbMaxAbove255IsTruncatedWithAWarning) {
  const JET_COLUMNDEF def = ColumnDef(JET_coltypText, 0, JET_cbColumnMost + 1, kCodePageAscii);
  JET_COLUMNID columnid = 0;
  EXPECT_EQ(JET_wrnColumnMaxTruncated,
            JetAddColumnA(sesid_, tableid_, "TooWide", &def, nullptr, 0, &columnid));
  JET_COLUMNDEF info{};
  info.cbStruct = sizeof(info);
  ASSERT_EQ(JET_errSuccess, JetGetTableColumnInfoA(sesid_, tableid_, "TooWide", &info, sizeof(info), JET_ColInfo));
  EXPECT_EQ(static_cast<JET_UINT32>(JET_cbColumnMost), info.cbMax);
}

// --- JetAddColumn errors ----------------------------------------------------------------------

// JetAddColumn docs: JET_errColumnDuplicate "There is already a column with the same name".
TEST_F(ColumnTest, AddingAnExistingColumnNameIsColumnDuplicate) {
  AddColumn(tableid_, "Dup", JET_coltypLong);
  const JET_COLUMNDEF def = ColumnDef(JET_coltypText, 0, 0, kCodePageAscii);
  JET_COLUMNID columnid = 0;
  EXPECT_EQ(JET_errColumnDuplicate, JetAddColumnA(sesid_, tableid_, "Dup", &def, nullptr, 0,
                                                  &columnid));
  EXPECT_EQ(JET_errColumnDuplicate, JetAddColumnW(sesid_, tableid_, u"DUP", &def, nullptr, 0,
                                                  &columnid))
      << "column names are case-insensitive";
}

// JetAddColumn docs: JET_errInvalidColumnType for a coltyp that is not a JET_coltyp value.
TEST_F(ColumnTest, UnknownColumnTypeIsInvalidColumnType) {
  JET_COLUMNID columnid = 0;
  for (JET_COLTYP coltyp : {JET_COLTYP{JET_coltypNil}, JET_COLTYP{JET_coltypMax}, JET_COLTYP{100}}) {
    const JET_COLUMNDEF def = ColumnDef(coltyp);
    EXPECT_EQ(JET_errInvalidColumnType,
              JetAddColumnA(sesid_, tableid_, "Odd", &def, nullptr, 0, &columnid))
        << coltyp;
  }
}

// JetAddColumn docs: column names follow the object name rules; violations are
// JET_errInvalidName.
TEST_F(ColumnTest, InvalidColumnNamesAreInvalidName) {
  const JET_COLUMNDEF def = ColumnDef(JET_coltypLong);
  JET_COLUMNID columnid = 0;
  for (const std::string& name : {std::string(""), std::string(" space"), std::string("a.b"),
                                  std::string("x!"), std::string(JET_cbNameMost + 1, 'c')}) {
    EXPECT_EQ(JET_errInvalidName,
              JetAddColumnA(sesid_, tableid_, name.c_str(), &def, nullptr, 0, &columnid))
        << "'" << name << "'";
  }
}

// JET_COLUMNDEF docs: JET_bitColumnMultiValued columns must be tagged; ESE returns
// JET_errMultiValuedColumnMustBeTagged when JET_bitColumnFixed is asked as well.
TEST_F(ColumnTest, FixedMultiValuedColumnIsMultiValuedColumnMustBeTagged) {
  const JET_COLUMNDEF def = ColumnDef(JET_coltypLong, JET_bitColumnFixed | JET_bitColumnMultiValued);
  JET_COLUMNID columnid = 0;
  EXPECT_EQ(JET_errMultiValuedColumnMustBeTagged,
            JetAddColumnA(sesid_, tableid_, "Multi", &def, nullptr, 0, &columnid));
}

// JET_COLUMNDEF docs: only one autoincrement column per table; ESE returns
// JET_errColumnRedundant for the second.
TEST_F(ColumnTest, SecondAutoincrementColumnIsColumnRedundant) {
  AddColumn(tableid_, "Auto1", JET_coltypLong, JET_bitColumnAutoincrement);
  const JET_COLUMNDEF def = ColumnDef(JET_coltypLong, JET_bitColumnAutoincrement);
  JET_COLUMNID columnid = 0;
  EXPECT_EQ(JET_errColumnRedundant,
            JetAddColumnA(sesid_, tableid_, "Auto2", &def, nullptr, 0, &columnid));
}

// JetAddColumn docs: JET_errInvalidgrbit when "JET_bitColumnAutoincrement was used on a column
// that was neither JET_coltypLong nor JET_coltypCurrency".
TEST_F(ColumnTest, AutoincrementOnTextIsInvalidGrbit) {
  const JET_COLUMNDEF def = ColumnDef(JET_coltypText, JET_bitColumnAutoincrement, 10, kCodePageAscii);
  JET_COLUMNID columnid = 0;
  EXPECT_EQ(JET_errInvalidGrbit,
            JetAddColumnA(sesid_, tableid_, "AutoText", &def, nullptr, 0, &columnid));
}

// --- autoincrement, defaults, NOT NULL ------------------------------------------------------

// JET_COLUMNDEF docs: an autoincrement column is set by the engine on insert; values start at 1
// and increase by one.
TEST_F(ColumnTest, AutoincrementNumbersInsertedRowsFromOne) {
  const JET_COLUMNID id = AddColumn(tableid_, "Id", JET_coltypLong, JET_bitColumnAutoincrement);
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "primary", JET_bitIndexPrimary, {"+Id"}));
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
    // The value is visible on the copy buffer before the update.
    EXPECT_EQ(i + 1, RetrieveInt32(tableid_, id, JET_bitRetrieveCopy));
    ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  }
  EXPECT_EQ((std::vector<std::int32_t>{1, 2, 3}), ScanInt32(tableid_, id));
}

// ESE ErrFLDSetOneColumn: JetSetColumn on the autoincrement column is JET_errInvalidColumnType.
TEST_F(ColumnTest, SettingAnAutoincrementColumnIsInvalidColumnType) {
  const JET_COLUMNID id = AddColumn(tableid_, "Id", JET_coltypLong, JET_bitColumnAutoincrement);
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
  EXPECT_EQ(JET_errInvalidColumnType, SetInt32(tableid_, id, 42));
}

// JetAddColumn docs: pvDefault is returned for a record where the column was never set.
TEST_F(ColumnTest, DefaultValueIsReturnedForUnsetColumns) {
  const std::int32_t default_number = 1234;
  const JET_COLUMNID number = AddColumn(tableid_, "Number", JET_coltypLong, 0, 0, 0,
                                        &default_number, sizeof(default_number));
  const std::string default_text = "hello";
  const JET_COLUMNID text = AddColumn(tableid_, "Text", JET_coltypText, 0, 100, kCodePageAscii,
                                      default_text.data(),
                                      static_cast<std::uint32_t>(default_text.size()));
  const JET_COLUMNID other = AddColumn(tableid_, "Other", JET_coltypLong);
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
  ASSERT_EQ(JET_errSuccess, SetInt32(tableid_, other, 1));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  EXPECT_EQ(1234, RetrieveInt32(tableid_, number));
  EXPECT_EQ("hello", RetrieveString(tableid_, text));
}

// JetSetColumn docs: JET_bitSetRevertToDefaultValue puts the default back.
TEST_F(ColumnTest, RevertToDefaultValueRestoresTheDefault) {
  const std::int32_t default_number = 77;
  const JET_COLUMNID number = AddColumn(tableid_, "Number", JET_coltypLong, 0, 0, 0,
                                        &default_number, sizeof(default_number));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
  ASSERT_EQ(JET_errSuccess, SetInt32(tableid_, number, 5));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  ASSERT_EQ(5, RetrieveInt32(tableid_, number));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepReplace));
  ASSERT_EQ(JET_errSuccess, SetValue(tableid_, number, nullptr, 0, JET_bitSetRevertToDefaultValue));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  EXPECT_EQ(77, RetrieveInt32(tableid_, number));
}

// JET_COLUMNDEF docs: JET_bitColumnNotNULL "The column must never be set to a NULL value";
// JetUpdate of a record that leaves it NULL is JET_errNullInvalid.
TEST_F(ColumnTest, InsertLeavingANotNullColumnNullIsNullInvalid) {
  AddColumn(tableid_, "Required", JET_coltypLong, JET_bitColumnNotNULL);
  const JET_COLUMNID optional = AddColumn(tableid_, "Optional", JET_coltypLong);
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
  ASSERT_EQ(JET_errSuccess, SetInt32(tableid_, optional, 3));
  EXPECT_EQ(JET_errNullInvalid, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  // UNVERIFIED: a failed JetUpdate leaves the update prepared (ESE keeps the copy buffer);
  // cancel it and the table is still empty.
  EXPECT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepCancel));
  EXPECT_EQ(JET_errNoCurrentRecord, JetMove(sesid_, tableid_, kMoveFirst, 0));
}

// ESE ErrRECISetIFixedColumn: setting a fixed NOT NULL column to NULL fails at JetSetColumn with
// JET_errNullInvalid.
TEST_F(ColumnTest, SettingAFixedNotNullColumnToNullIsNullInvalid) {
  const JET_COLUMNID required = AddColumn(tableid_, "Required", JET_coltypLong, JET_bitColumnNotNULL);
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
  ASSERT_EQ(JET_errSuccess, SetInt32(tableid_, required, 1));
  EXPECT_EQ(JET_errNullInvalid, SetValue(tableid_, required, nullptr, 0));
}

TEST_F(ColumnTest, SettingAVariableNotNullColumnToNullIsNullInvalid) {
  const JET_COLUMNID required =
      AddColumn(tableid_, "Required", JET_coltypText, JET_bitColumnNotNULL, 20, kCodePageAscii);
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
  ASSERT_EQ(JET_errSuccess, SetString(tableid_, required, "x"));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepReplace));
  // UNVERIFIED: for a variable column ESE may refuse the NULL at JetSetColumn or at JetUpdate; we
  // accept either, but one of them must be JET_errNullInvalid.
  const JET_ERR set = SetValue(tableid_, required, nullptr, 0);
  if (set == JET_errSuccess) {
    EXPECT_EQ(JET_errNullInvalid, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  } else {
    EXPECT_EQ(JET_errNullInvalid, set);
  }
}

// --- tagged and multi-valued ----------------------------------------------------------------

// JetSetColumn docs: itagSequence 0 (or JET_SETINFO absent) appends a new value to a
// multi-valued column; JetRetrieveColumn's JET_RETINFO.itagSequence picks the n-th (1-based).
TEST_F(ColumnTest, MultiValuedColumnKeepsEveryValueInOrder) {
  const JET_COLUMNID tags = AddColumn(tableid_, "Tags", JET_coltypText,
                                      JET_bitColumnTagged | JET_bitColumnMultiValued, 50,
                                      kCodePageAscii);
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
  for (const std::string value : {"red", "green", "blue"}) {
    JET_SETINFO setinfo{};
    setinfo.cbStruct = sizeof(setinfo);
    setinfo.itagSequence = 0;
    ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid_, tableid_, tags, value.data(),
                                           static_cast<std::uint32_t>(value.size()), 0, &setinfo));
  }
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  const char* expected[] = {"red", "green", "blue"};
  for (std::uint32_t tag = 1; tag <= 3; ++tag) {
    char buffer[64] = {};
    std::uint32_t actual = 0;
    JET_RETINFO retinfo{};
    retinfo.cbStruct = sizeof(retinfo);
    retinfo.itagSequence = tag;
    ASSERT_EQ(JET_errSuccess, JetRetrieveColumn(sesid_, tableid_, tags, buffer, sizeof(buffer),
                                                &actual, 0, &retinfo));
    EXPECT_EQ(expected[tag - 1], std::string(buffer, actual));
  }
  // Past the last value: NULL.
  char buffer[64] = {};
  std::uint32_t actual = 99;
  JET_RETINFO retinfo{};
  retinfo.cbStruct = sizeof(retinfo);
  retinfo.itagSequence = 4;
  EXPECT_EQ(JET_wrnColumnNull, JetRetrieveColumn(sesid_, tableid_, tags, buffer, sizeof(buffer),
                                                 &actual, 0, &retinfo));
  EXPECT_EQ(0u, actual);
}

// JetSetColumn docs: setting an existing itagSequence replaces that value; setting it to NULL
// (pvData NULL, cbData 0) removes it and the later values move down.
TEST_F(ColumnTest, MultiValuedReplaceAndRemoveByTag) {
  const JET_COLUMNID values = AddColumn(tableid_, "Values", JET_coltypLong,
                                        JET_bitColumnTagged | JET_bitColumnMultiValued);
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
  for (std::int32_t v : {10, 20, 30}) {
    JET_SETINFO setinfo{sizeof(JET_SETINFO), 0, 0};
    ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid_, tableid_, values, &v, sizeof(v), 0, &setinfo));
  }
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepReplace));
  std::int32_t replacement = 25;
  JET_SETINFO second{sizeof(JET_SETINFO), 0, 2};
  ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid_, tableid_, values, &replacement,
                                         sizeof(replacement), 0, &second));
  JET_SETINFO first{sizeof(JET_SETINFO), 0, 1};
  ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid_, tableid_, values, nullptr, 0, 0, &first));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));

  std::vector<std::int32_t> read;
  for (std::uint32_t tag = 1;; ++tag) {
    std::int32_t v = 0;
    std::uint32_t actual = 0;
    JET_RETINFO retinfo{sizeof(JET_RETINFO), 0, tag, 0};
    const JET_ERR err =
        JetRetrieveColumn(sesid_, tableid_, values, &v, sizeof(v), &actual, 0, &retinfo);
    if (err == JET_wrnColumnNull) {
      break;
    }
    ASSERT_EQ(JET_errSuccess, err);
    read.push_back(v);
    ASSERT_LT(tag, 10u);
  }
  EXPECT_EQ((std::vector<std::int32_t>{25, 30}), read);
}

// JET_RETRIEVECOLUMN docs: itagSequence 0 asks for the number of values, returned in
// itagSequence.
TEST_F(ColumnTest, RetrieveColumnsWithTagZeroCountsTheValues) {
  const JET_COLUMNID values = AddColumn(tableid_, "Values", JET_coltypLong,
                                        JET_bitColumnTagged | JET_bitColumnMultiValued);
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
  for (std::int32_t v : {1, 2, 3, 4}) {
    JET_SETINFO setinfo{sizeof(JET_SETINFO), 0, 0};
    ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid_, tableid_, values, &v, sizeof(v), 0, &setinfo));
  }
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  JET_RETRIEVECOLUMN count{};
  count.columnid = values;
  count.itagSequence = 0;
  ASSERT_EQ(JET_errSuccess, JetRetrieveColumns(sesid_, tableid_, &count, 1));
  EXPECT_EQ(4u, count.itagSequence);
}

// --- JetDeleteColumn ------------------------------------------------------------------------

TEST_F(ColumnTest, DeleteColumnRemovesIt) {
  AddColumn(tableid_, "Gone", JET_coltypLong);
  AddColumn(tableid_, "Stays", JET_coltypLong);
  EXPECT_EQ(JET_errSuccess, JetDeleteColumnA(sesid_, tableid_, "Gone"));
  JET_COLUMNDEF def{};
  EXPECT_EQ(JET_errColumnNotFound,
            JetGetTableColumnInfoA(sesid_, tableid_, "Gone", &def, sizeof(def), JET_ColInfo));
  EXPECT_EQ(JET_coltypLong, ColumnInfo("Stays").coltyp);
  EXPECT_EQ(JET_errSuccess, JetDeleteColumnW(sesid_, tableid_, u"Stays"));
}

// JetDeleteColumn docs: JET_errColumnNotFound for a missing column.
TEST_F(ColumnTest, DeletingAMissingColumnIsColumnNotFound) {
  EXPECT_EQ(JET_errColumnNotFound, JetDeleteColumnA(sesid_, tableid_, "Never"));
}

// JetDeleteColumn docs: JET_errColumnInUse "The column is part of an index".
TEST_F(ColumnTest, DeletingAnIndexedColumnIsColumnInUse) {
  AddColumn(tableid_, "Indexed", JET_coltypLong);
  ASSERT_EQ(JET_errSuccess, CreateIndex(tableid_, "byIndexed", 0, {"+Indexed"}));
  EXPECT_EQ(JET_errColumnInUse, JetDeleteColumnA(sesid_, tableid_, "Indexed"));
  ASSERT_EQ(JET_errSuccess, JetDeleteIndexA(sesid_, tableid_, "byIndexed"));
  EXPECT_EQ(JET_errSuccess, JetDeleteColumnA(sesid_, tableid_, "Indexed"));
}

// A column added to a table with rows is NULL (or its default) in the existing rows.
TEST_F(ColumnTest, ColumnAddedLaterIsNullOrDefaultInExistingRows) {
  const JET_COLUMNID first = AddColumn(tableid_, "First", JET_coltypLong);
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
  ASSERT_EQ(JET_errSuccess, SetInt32(tableid_, first, 1));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  const JET_COLUMNID later = AddColumn(tableid_, "Later", JET_coltypText, 0, 20, kCodePageAscii);
  const std::int32_t nine = 9;
  const JET_COLUMNID with_default =
      AddColumn(tableid_, "WithDefault", JET_coltypLong, 0, 0, 0, &nine, sizeof(nine));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, kMoveFirst, 0));
  EXPECT_EQ("", RetrieveString(tableid_, later, 0, JET_wrnColumnNull));
  EXPECT_EQ(9, RetrieveInt32(tableid_, with_default));
}

// --- column information ---------------------------------------------------------------------

// ESE's column-info code reports JET_bitColumnFixed / JET_bitColumnTagged from the column's
// storage class and JET_bitColumnNotNULL / Autoincrement / MultiValued from its flags (plus
// JET_bitColumnUpdatable on an updatable cursor, hence the masks). UNVERIFIED: a fixed-size type
// added without flags is stored as a fixed column, and Long* types as tagged columns.
TEST_F(ColumnTest, ColumnInfoReportsTheStorageClassAndFlags) {
  AddColumn(tableid_, "Fixed", JET_coltypLong, JET_bitColumnNotNULL);
  AddColumn(tableid_, "Variable", JET_coltypBinary, 0, 200);
  AddColumn(tableid_, "Tagged", JET_coltypLongText, 0, 0, kCodePageUnicode);
  AddColumn(tableid_, "Multi", JET_coltypLong, JET_bitColumnTagged | JET_bitColumnMultiValued);
  AddColumn(tableid_, "Auto", JET_coltypLong, JET_bitColumnAutoincrement);

  const JET_COLUMNDEF fixed = ColumnInfo("Fixed");
  EXPECT_EQ(sizeof(JET_COLUMNDEF), fixed.cbStruct);
  EXPECT_NE(0u, fixed.grbit & JET_bitColumnFixed);
  EXPECT_NE(0u, fixed.grbit & JET_bitColumnNotNULL);
  const JET_COLUMNDEF variable = ColumnInfo("Variable");
  EXPECT_EQ(0u, variable.grbit & (JET_bitColumnFixed | JET_bitColumnTagged));
  EXPECT_EQ(200u, variable.cbMax);
  const JET_COLUMNDEF tagged = ColumnInfo("Tagged");
  EXPECT_NE(0u, tagged.grbit & JET_bitColumnTagged);
  EXPECT_EQ(kCodePageUnicode, tagged.cp);
  const JET_COLUMNDEF multi = ColumnInfo("Multi");
  EXPECT_NE(0u, multi.grbit & JET_bitColumnMultiValued);
  EXPECT_NE(0u, multi.grbit & JET_bitColumnTagged);
  const JET_COLUMNDEF autoincrement = ColumnInfo("Auto");
  EXPECT_NE(0u, autoincrement.grbit & JET_bitColumnAutoincrement);
}

TEST_F(ColumnTest, ColumnInfoOfAMissingColumnIsColumnNotFound) {
  JET_COLUMNDEF def{};
  EXPECT_EQ(JET_errColumnNotFound,
            JetGetTableColumnInfoA(sesid_, tableid_, "Nope", &def, sizeof(def), JET_ColInfo));
  EXPECT_EQ(JET_errColumnNotFound,
            JetGetTableColumnInfoW(sesid_, tableid_, u"Nope", &def, sizeof(def), JET_ColInfo));
  EXPECT_EQ(JET_errColumnNotFound, JetGetColumnInfoA(sesid_, dbid_, "Columns", "Nope", &def,
                                                     sizeof(def), JET_ColInfo));
}

// JetGetTableColumnInfo docs: JET_ColInfoByColid takes a pointer to the JET_COLUMNID in place of
// the column name.
TEST_F(ColumnTest, ColumnInfoByColidFindsTheColumn) {
  const JET_COLUMNID columnid = AddColumn(tableid_, "ById", JET_coltypIEEEDouble);
  JET_COLUMNDEF def{};
  ASSERT_EQ(JET_errSuccess,
            JetGetTableColumnInfoA(sesid_, tableid_, reinterpret_cast<const char*>(&columnid), &def,
                                   sizeof(def), JET_ColInfoByColid));
  EXPECT_EQ(JET_coltypIEEEDouble, def.coltyp);
  EXPECT_EQ(columnid, def.columnid);
}

// JetGetColumnInfo docs: the same information by database and table name, table not open.
TEST_F(ColumnTest, GetColumnInfoByTableNameMatchesTheOpenTable) {
  const JET_COLUMNID columnid = AddColumn(tableid_, "Named", JET_coltypLongLong);
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid_));
  JET_COLUMNDEF def{};
  ASSERT_EQ(JET_errSuccess, JetGetColumnInfoA(sesid_, dbid_, "Columns", "Named", &def,
                                              sizeof(def), JET_ColInfo));
  EXPECT_EQ(columnid, def.columnid);
  EXPECT_EQ(JET_coltypLongLong, def.coltyp);
  JET_COLUMNDEF wide{};
  ASSERT_EQ(JET_errSuccess, JetGetColumnInfoW(sesid_, dbid_, u"Columns", u"Named", &wide,
                                              sizeof(wide), JET_ColInfo));
  EXPECT_EQ(columnid, wide.columnid);
  EXPECT_EQ(JET_errObjectNotFound, JetGetColumnInfoA(sesid_, dbid_, "NoTable", "Named", &def,
                                                     sizeof(def), JET_ColInfo));
}

// JetGetTableColumnInfo docs: JET_ColInfo needs a JET_COLUMNDEF-sized buffer; ESE's code
// (ErrInfoGetTableColumnInfo) answers a smaller cbMax with JET_errInvalidParameter.
TEST_F(ColumnTest, ColumnInfoWithASmallBufferIsInvalidParameter) {
  AddColumn(tableid_, "Small", JET_coltypLong);
  JET_COLUMNDEF def{};
  EXPECT_EQ(JET_errInvalidParameter,
            JetGetTableColumnInfoA(sesid_, tableid_, "Small", &def, sizeof(def) - 1, JET_ColInfo));
}

// JET_COLUMNLIST docs: JET_ColInfoList returns a temporary table, one row per column, with the
// name in columnidcolumnname, the JET_COLUMNID in columnidcolumnid and the JET_COLTYP in
// columnidcoltyp; cRecord is the number of rows.
TEST_F(ColumnTest, ColumnInfoListIsATemporaryTableOfTheColumns) {
  std::map<std::string, std::pair<JET_COLUMNID, JET_COLTYP>> expected;
  expected["Alpha"] = {AddColumn(tableid_, "Alpha", JET_coltypLong), JET_coltypLong};
  expected["Beta"] = {AddColumn(tableid_, "Beta", JET_coltypText, 0, 30, kCodePageAscii),
                      JET_coltypText};
  expected["Gamma"] = {AddColumn(tableid_, "Gamma", JET_coltypLongBinary), JET_coltypLongBinary};

  JET_COLUMNLIST list{};
  ASSERT_EQ(JET_errSuccess,
            JetGetTableColumnInfoA(sesid_, tableid_, nullptr, &list, sizeof(list), JET_ColInfoList));
  EXPECT_EQ(sizeof(JET_COLUMNLIST), list.cbStruct);
  EXPECT_EQ(3u, list.cRecord);
  std::map<std::string, std::pair<JET_COLUMNID, JET_COLTYP>> found;
  JET_ERR err = JetMove(sesid_, list.tableid, kMoveFirst, 0);
  while (err >= JET_errSuccess) {
    const std::string name = RetrieveString(list.tableid, list.columnidcolumnname);
    JET_COLUMNID columnid = 0;
    JET_COLTYP coltyp = 0;
    std::uint32_t actual = 0;
    EXPECT_EQ(JET_errSuccess, JetRetrieveColumn(sesid_, list.tableid, list.columnidcolumnid,
                                                &columnid, sizeof(columnid), &actual, 0, nullptr));
    EXPECT_EQ(JET_errSuccess, JetRetrieveColumn(sesid_, list.tableid, list.columnidcoltyp, &coltyp,
                                                sizeof(coltyp), &actual, 0, nullptr));
    found[name] = {columnid, coltyp};
    err = JetMove(sesid_, list.tableid, kMoveNext, 0);
  }
  EXPECT_EQ(JET_errNoCurrentRecord, err);
  EXPECT_EQ(expected, found);
  EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, list.tableid));
}

TEST_F(ColumnTest, ColumnInfoListThroughGetColumnInfoW) {
  AddColumn(tableid_, "Only", JET_coltypLong);
  JET_COLUMNLIST list{};
  ASSERT_EQ(JET_errSuccess, JetGetColumnInfoW(sesid_, dbid_, u"Columns", nullptr, &list,
                                              sizeof(list), JET_ColInfoList));
  EXPECT_EQ(1u, list.cRecord);
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, list.tableid, kMoveFirst, 0));
  // UNVERIFIED: the W entry point's list holds the names as UTF-16 (ESE builds the temporary
  // table with a Unicode name column for the W form).
  std::string bytes = RetrieveString(list.tableid, list.columnidcolumnname);
  ASSERT_EQ(8u, bytes.size());
  std::u16string name(4, u'\0');
  std::memcpy(name.data(), bytes.data(), bytes.size());
  EXPECT_EQ(u"Only", name);
  EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, list.tableid));
}

}  // namespace
}  // namespace esent_test
