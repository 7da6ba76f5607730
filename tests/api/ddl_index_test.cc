// JetCreateIndex(2,3,4), JetDeleteIndex, JetSetCurrentIndex(2,3,4), JetGetCurrentIndex,
// JetGetTableIndexInfo, JetGetIndexInfo.
#include "ddl_fixture.h"

namespace esent_test {
namespace {

class DdlIndexTest : public DdlTest {
 protected:
  void SetUp() override {
    DdlTest::SetUp();
    tableid_ = CreateTable("T");
    id_ = AddColumn(tableid_, "id", JET_coltypLong);
    value_ = AddColumn(tableid_, "value", JET_coltypLong);
    name_ = AddColumn(tableid_, "name", JET_coltypText);
  }

  void Insert(std::int32_t id, std::int32_t value) {
    ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid_, JET_prepInsert));
    ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid_, tableid_, id_, &id, sizeof(id), 0, nullptr));
    ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid_, tableid_, value_, &value, sizeof(value), 0, nullptr));
    ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid_, nullptr, 0, nullptr));
  }

  std::string CurrentIndex(JET_TABLEID tableid) {
    char buffer[128] = {};
    EXPECT_EQ(JET_errSuccess, JetGetCurrentIndexA(sesid_, tableid, buffer, sizeof(buffer)));
    return buffer;
  }

  JET_TABLEID tableid_ = 0;
  JET_COLUMNID id_ = 0;
  JET_COLUMNID value_ = 0;
  JET_COLUMNID name_ = 0;
};

TEST_F(DdlIndexTest, CreateIndexAndSwitchToIt) {
  const char primary[] = "+id\0";
  ASSERT_EQ(JET_errSuccess, JetCreateIndexA(sesid_, tableid_, "primary", JET_bitIndexPrimary, primary, sizeof(primary), 0));
  // The cursor stood on the clustered index, which now is the primary index.
  EXPECT_EQ("primary", CurrentIndex(tableid_));
  Insert(1, 30);
  Insert(2, 10);
  Insert(3, 20);
  const char by_value[] = "-value\0";
  ASSERT_EQ(JET_errSuccess, JetCreateIndexA(sesid_, tableid_, "by_value", 0, by_value, sizeof(by_value), 90));
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "by_value"));
  EXPECT_EQ("by_value", CurrentIndex(tableid_));
  EXPECT_EQ(30u, RetrieveU32(tableid_, value_));  // moved to the first entry (descending)
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid_, JET_MoveNext, 0));
  EXPECT_EQ(20u, RetrieveU32(tableid_, value_));
  // JET_bitNoMove keeps the current record.
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndex2A(sesid_, tableid_, "primary", JET_bitNoMove));
  EXPECT_EQ(3u, RetrieveU32(tableid_, id_));
  // NULL and "" select the primary index, moving to its first record.
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndex2A(sesid_, tableid_, "by_value", JET_bitMoveFirst));
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, nullptr));
  EXPECT_EQ("primary", CurrentIndex(tableid_));
  EXPECT_EQ(1u, RetrieveU32(tableid_, id_));
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndex3A(sesid_, tableid_, "by_value", JET_bitMoveFirst, 1));
  EXPECT_EQ(30u, RetrieveU32(tableid_, value_));
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndex4A(sesid_, tableid_, "", nullptr, JET_bitMoveFirst, 1));
  EXPECT_EQ("primary", CurrentIndex(tableid_));
}

TEST_F(DdlIndexTest, SetCurrentIndexErrors) {
  EXPECT_EQ(JET_errIndexNotFound, JetSetCurrentIndexA(sesid_, tableid_, "nope"));
  EXPECT_EQ(JET_errInvalidGrbit, JetSetCurrentIndex2A(sesid_, tableid_, nullptr, 0x1));
  EXPECT_EQ(JET_errInvalidTableId, JetSetCurrentIndexA(sesid_, 0x55, nullptr));
  const std::u16string wide = Widen("nope");
  EXPECT_EQ(JET_errIndexNotFound,
            JetSetCurrentIndexW(sesid_, tableid_, reinterpret_cast<const JET_WCHAR*>(wide.c_str())));
}

TEST_F(DdlIndexTest, GetCurrentIndexOfASequentialTableIsEmpty) {
  EXPECT_EQ("", CurrentIndex(tableid_));
  char tiny[1];
  EXPECT_EQ(JET_errSuccess, JetGetCurrentIndexA(sesid_, tableid_, tiny, sizeof(tiny)));
  EXPECT_EQ(JET_errInvalidParameter, JetGetCurrentIndexA(sesid_, tableid_, nullptr, 10));
  const char key[] = "+name\0";
  ASSERT_EQ(JET_errSuccess, JetCreateIndexA(sesid_, tableid_, "named", 0, key, sizeof(key), 0));
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "NAMED"));
  // ESE cuts the name to fit.
  char cut[4] = {'x', 'x', 'x', 'x'};
  EXPECT_EQ(JET_errSuccess, JetGetCurrentIndexA(sesid_, tableid_, cut, sizeof(cut)));
  EXPECT_STREQ("nam", cut);
  EXPECT_EQ(JET_wrnBufferTruncated, JetGetCurrentIndexA(sesid_, tableid_, cut, 0));
  JET_WCHAR wide[32] = {};
  ASSERT_EQ(JET_errSuccess, JetGetCurrentIndexW(sesid_, tableid_, wide, sizeof(wide)));
  EXPECT_EQ(Widen("named"), std::u16string(reinterpret_cast<const char16_t*>(wide)));
}

TEST_F(DdlIndexTest, CreateIndexErrors) {
  const char key[] = "+id\0";
  const char missing[] = "+missing\0";
  const char twice[] = "+id\0-id\0";
  ASSERT_EQ(JET_errSuccess, JetCreateIndexA(sesid_, tableid_, "ix", 0, key, sizeof(key), 0));
  EXPECT_EQ(JET_errIndexDuplicate, JetCreateIndexA(sesid_, tableid_, "IX", 0, key, sizeof(key), 0));
  EXPECT_EQ(JET_errColumnNotFound, JetCreateIndexA(sesid_, tableid_, "m", 0, missing, sizeof(missing), 0));
  EXPECT_EQ(JET_errIndexInvalidDef, JetCreateIndexA(sesid_, tableid_, "t", 0, twice, sizeof(twice), 0));
  EXPECT_EQ(JET_errIndexInvalidDef, JetCreateIndexA(sesid_, tableid_, "e", 0, "\0", 2, 0));
  EXPECT_EQ(JET_errInvalidParameter, JetCreateIndexA(sesid_, tableid_, "n", 0, nullptr, 4, 0));
  EXPECT_EQ(JET_errInvalidName, JetCreateIndexA(sesid_, tableid_, "a.b", 0, key, sizeof(key), 0));
  ASSERT_EQ(JET_errSuccess, JetCreateIndexA(sesid_, tableid_, "p1", JET_bitIndexPrimary, key, sizeof(key), 0));
  EXPECT_EQ(JET_errIndexHasPrimary, JetCreateIndexA(sesid_, tableid_, "p2", JET_bitIndexPrimary, key, sizeof(key), 0));
}

TEST_F(DdlIndexTest, CreateIndexW) {
  const std::u16string name = Widen("wide");
  const std::u16string key = Widen(std::string("+value\0\0", 8));
  ASSERT_EQ(JET_errSuccess, JetCreateIndexW(sesid_, tableid_, reinterpret_cast<const JET_WCHAR*>(name.c_str()), 0,
                                            reinterpret_cast<const JET_WCHAR*>(key.data()),
                                            static_cast<JET_UINT32>(key.size() * 2), 0));
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "wide"));
  EXPECT_EQ("wide", CurrentIndex(tableid_));
}

TEST_F(DdlIndexTest, CreateIndex2FillsErrAndIsAllOrNothing) {
  char key_value[] = "+value\0";
  char key_bad[] = "+nothere\0";
  JET_INDEXCREATE_A creates[2]{};
  creates[0].cbStruct = sizeof(JET_INDEXCREATE_A);
  creates[0].szIndexName = const_cast<char*>("good");
  creates[0].szKey = key_value;
  creates[0].cbKey = sizeof(key_value);
  creates[0].err = -1;
  creates[1] = creates[0];
  creates[1].szIndexName = const_cast<char*>("bad");
  creates[1].szKey = key_bad;
  creates[1].cbKey = sizeof(key_bad);
  EXPECT_EQ(JET_errColumnNotFound, JetCreateIndex2A(sesid_, tableid_, creates, 2));
  EXPECT_EQ(JET_errSuccess, creates[0].err);
  EXPECT_EQ(JET_errColumnNotFound, creates[1].err);
  EXPECT_EQ(JET_errIndexNotFound, JetSetCurrentIndexA(sesid_, tableid_, "good"));

  EXPECT_EQ(JET_errSuccess, JetCreateIndex2A(sesid_, tableid_, creates, 1));
  EXPECT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "good"));
  EXPECT_EQ(JET_errInvalidParameter, JetCreateIndex2A(sesid_, tableid_, nullptr, 1));
  creates[1].cbStruct = 8;
  EXPECT_EQ(JET_errInvalidParameter, JetCreateIndex2A(sesid_, tableid_, &creates[1], 1));
}

TEST_F(DdlIndexTest, CreateIndex3And4) {
  char key[] = "+name\0";
  JET_INDEXCREATE2_A create2{};
  create2.cbStruct = sizeof(create2);
  create2.szIndexName = const_cast<char*>("three");
  create2.szKey = key;
  create2.cbKey = sizeof(key);
  create2.grbit = JET_bitIndexKeyMost;
  create2.cbKeyMost = 500;
  ASSERT_EQ(JET_errSuccess, JetCreateIndex3A(sesid_, tableid_, &create2, 1));
  std::uint16_t key_most = 0;
  ASSERT_EQ(JET_errSuccess,
            JetGetTableIndexInfoA(sesid_, tableid_, "three", &key_most, sizeof(key_most), JET_IdxInfoKeyMost));
  EXPECT_EQ(500u, key_most);

  const std::u16string locale = Widen("en-US");
  JET_UNICODEINDEX2 unicode{};
  unicode.szLocaleName = const_cast<JET_WCHAR*>(reinterpret_cast<const JET_WCHAR*>(locale.c_str()));
  JET_INDEXCREATE3_A create3{};
  create3.cbStruct = sizeof(create3);
  create3.szIndexName = const_cast<char*>("four");
  create3.szKey = key;
  create3.cbKey = sizeof(key);
  create3.grbit = JET_bitIndexUnicode;
  create3.pidxunicode = &unicode;
  ASSERT_EQ(JET_errSuccess, JetCreateIndex4A(sesid_, tableid_, &create3, 1));
  JET_UINT32 lcid = 0;
  ASSERT_EQ(JET_errSuccess, JetGetTableIndexInfoA(sesid_, tableid_, "four", &lcid, sizeof(lcid), JET_IdxInfoLCID));
  EXPECT_EQ(1033u, lcid);
}

TEST_F(DdlIndexTest, DeleteIndex) {
  const char key[] = "+value\0";
  ASSERT_EQ(JET_errSuccess, JetCreateIndexA(sesid_, tableid_, "ix", 0, key, sizeof(key), 0));
  const char primary[] = "+id\0";
  ASSERT_EQ(JET_errSuccess, JetCreateIndexA(sesid_, tableid_, "pk", JET_bitIndexPrimary, primary, sizeof(primary), 0));
  Insert(1, 5);
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid_, "ix"));
  EXPECT_EQ(JET_errIndexNotFound, JetDeleteIndexA(sesid_, tableid_, "missing"));
  EXPECT_EQ(JET_errIndexMustStay, JetDeleteIndexA(sesid_, tableid_, "pk"));
  // Deleting the current index puts the cursor on the primary index.
  ASSERT_EQ(JET_errSuccess, JetDeleteIndexA(sesid_, tableid_, "IX"));
  EXPECT_EQ("pk", CurrentIndex(tableid_));
  EXPECT_EQ(1u, RetrieveU32(tableid_, id_));
  EXPECT_EQ(JET_errIndexNotFound, JetSetCurrentIndexA(sesid_, tableid_, "ix"));
  const std::u16string wide = Widen("ix");
  EXPECT_EQ(JET_errIndexNotFound, JetDeleteIndexW(sesid_, tableid_, reinterpret_cast<const JET_WCHAR*>(wide.c_str())));
}

TEST_F(DdlIndexTest, IndexListAndScalars) {
  const char primary[] = "+id\0";
  const char second[] = "-value\0+name\0";
  ASSERT_EQ(JET_errSuccess, JetCreateIndexA(sesid_, tableid_, "pk", JET_bitIndexPrimary, primary, sizeof(primary), 0));
  ASSERT_EQ(JET_errSuccess, JetCreateIndexA(sesid_, tableid_, "by_value", JET_bitIndexUnique, second, sizeof(second), 0));

  JET_INDEXLIST list{};
  // ESE answers a buffer below the old JET_INDEXLIST size with a warning and no list.
  EXPECT_EQ(JET_wrnBufferTruncated, JetGetTableIndexInfoA(sesid_, tableid_, nullptr, &list, 8, JET_IdxInfoList));
  ASSERT_EQ(JET_errSuccess, JetGetTableIndexInfoA(sesid_, tableid_, nullptr, &list, sizeof(list), JET_IdxInfoList));
  EXPECT_EQ(sizeof(JET_INDEXLIST), list.cbStruct);
  EXPECT_EQ(3u, list.cRecord);
  EXPECT_EQ((std::vector<std::string>{"by_value", "by_value", "pk"}),
            ReadTextColumn(list.tableid, list.columnidindexname));
  EXPECT_EQ((std::vector<std::string>{"value", "name", "id"}), ReadTextColumn(list.tableid, list.columnidcolumnname));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, list.tableid, kMoveFirst, 0));
  EXPECT_EQ(static_cast<std::uint32_t>(JET_bitIndexUnique), RetrieveU32(list.tableid, list.columnidgrbitIndex));
  EXPECT_EQ(2u, RetrieveU32(list.tableid, list.columnidcColumn));
  EXPECT_EQ(0u, RetrieveU32(list.tableid, list.columnidiColumn));
  EXPECT_EQ(value_, RetrieveU32(list.tableid, list.columnidcolumnid));
  EXPECT_EQ(static_cast<std::uint32_t>(JET_bitKeyDescending), RetrieveU32(list.tableid, list.columnidgrbitColumn));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, list.tableid, JET_MoveLast, 0));
  EXPECT_EQ(static_cast<std::uint32_t>(JET_bitIndexPrimary | JET_bitIndexUnique),
            RetrieveU32(list.tableid, list.columnidgrbitIndex));
  EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, list.tableid));

  // JET_IdxInfo with a name lists that index only.
  ASSERT_EQ(JET_errSuccess, JetGetTableIndexInfoA(sesid_, tableid_, "pk", &list, sizeof(list), JET_IdxInfo));
  EXPECT_EQ(1u, list.cRecord);
  EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, list.tableid));
  EXPECT_EQ(JET_errIndexNotFound, JetGetTableIndexInfoA(sesid_, tableid_, "none", &list, sizeof(list), JET_IdxInfo));

  JET_UINT32 count = 0;
  ASSERT_EQ(JET_errSuccess, JetGetTableIndexInfoA(sesid_, tableid_, nullptr, &count, sizeof(count), JET_IdxInfoCount));
  EXPECT_EQ(2u, count);
  EXPECT_EQ(JET_errBufferTooSmall, JetGetTableIndexInfoA(sesid_, tableid_, nullptr, &count, 2, JET_IdxInfoCount));

  std::uint16_t langid = 0;
  ASSERT_EQ(JET_errSuccess, JetGetTableIndexInfoA(sesid_, tableid_, "pk", &langid, sizeof(langid), JET_IdxInfoLCID));
  EXPECT_EQ(0x409u, langid);

  JET_UINT32 pages = 0;
  ASSERT_EQ(JET_errSuccess, JetGetTableIndexInfoA(sesid_, tableid_, "by_value", &pages, sizeof(pages),
                                                  JET_IdxInfoSpaceAlloc));
  EXPECT_GE(pages, 1u);
  ASSERT_EQ(JET_errSuccess, JetGetTableIndexInfoA(sesid_, tableid_, "pk", &pages, sizeof(pages),
                                                  JET_IdxInfoSpaceAlloc));
  EXPECT_GE(pages, 1u);
  JET_WCHAR locale[16] = {};
  ASSERT_EQ(JET_errSuccess, JetGetTableIndexInfoA(sesid_, tableid_, "pk", locale, sizeof(locale),
                                                  JET_IdxInfoLocaleName));
  EXPECT_EQ(u"en-US", std::u16string(reinterpret_cast<const char16_t*>(locale)));

  JET_INDEXID indexid{};
  ASSERT_EQ(JET_errSuccess,
            JetGetTableIndexInfoA(sesid_, tableid_, "by_value", &indexid, sizeof(indexid), JET_IdxInfoIndexId));
  EXPECT_EQ(sizeof(JET_INDEXID), indexid.cbStruct);
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndex4A(sesid_, tableid_, "by_value", &indexid, JET_bitMoveFirst, 1));
  EXPECT_EQ("by_value", CurrentIndex(tableid_));

  std::uint16_t key_most = 0;
  ASSERT_EQ(JET_errSuccess, JetGetIndexInfoA(sesid_, dbid_, "T", "pk", &key_most, sizeof(key_most), JET_IdxInfoKeyMost));
  EXPECT_EQ(255u, key_most);
  EXPECT_EQ(JET_errObjectNotFound,
            JetGetIndexInfoA(sesid_, dbid_, "Missing", "pk", &key_most, sizeof(key_most), JET_IdxInfoKeyMost));
  EXPECT_EQ(JET_errInvalidParameter, JetGetTableIndexInfoA(sesid_, tableid_, "pk", &count, sizeof(count), 99));
}

TEST_F(DdlIndexTest, IndexCountIncludesTheClusteredIndex) {
  JET_UINT32 count = 0;
  ASSERT_EQ(JET_errSuccess, JetGetTableIndexInfoA(sesid_, tableid_, nullptr, &count, sizeof(count), JET_IdxInfoCount));
  EXPECT_EQ(1u, count);  // the implicit sequential index
  const char key[] = "+value\0";
  ASSERT_EQ(JET_errSuccess, JetCreateIndexA(sesid_, tableid_, "ix", 0, key, sizeof(key), 0));
  ASSERT_EQ(JET_errSuccess, JetGetTableIndexInfoA(sesid_, tableid_, nullptr, &count, sizeof(count), JET_IdxInfoCount));
  EXPECT_EQ(2u, count);
}

TEST_F(DdlIndexTest, KeyMustBeNulTerminated) {
  const char unterminated[] = "+id";
  EXPECT_EQ(JET_errIndexInvalidDef, JetCreateIndexA(sesid_, tableid_, "u", 0, unterminated, 3, 0));
  const std::u16string wide = Widen("+id");
  EXPECT_EQ(JET_errIndexInvalidDef, JetCreateIndexW(sesid_, tableid_, reinterpret_cast<const JET_WCHAR*>(u"u"), 0,
                                                    reinterpret_cast<const JET_WCHAR*>(wide.data()), 6, 0));
  // One final NUL is enough.
  EXPECT_EQ(JET_errSuccess, JetCreateIndexA(sesid_, tableid_, "single", 0, "+id", 4, 0));
}

TEST_F(DdlIndexTest, IndexListOfATableWithoutIndexesIsEmpty) {
  JET_INDEXLIST list{};
  ASSERT_EQ(JET_errSuccess, JetGetTableIndexInfoA(sesid_, tableid_, nullptr, &list, sizeof(list), JET_IdxInfoList));
  EXPECT_EQ(0u, list.cRecord);
  EXPECT_EQ(JET_errNoCurrentRecord, JetMove(sesid_, list.tableid, kMoveFirst, 0));
  EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, list.tableid));
}

}  // namespace
}  // namespace esent_test
