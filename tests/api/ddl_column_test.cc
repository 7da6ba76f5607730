// JetAddColumn, JetDeleteColumn(2), JetGetTableColumnInfo, JetGetColumnInfo.
#include "ddl_fixture.h"

namespace esent_test {
namespace {

using DdlColumnTest = DdlTest;

TEST_F(DdlColumnTest, AddColumnAssignsIdsByClass) {
  JET_TABLEID tableid = CreateTable("T");
  EXPECT_EQ(1u, AddColumn(tableid, "fixed1", JET_coltypLong));
  EXPECT_EQ(2u, AddColumn(tableid, "fixed2", JET_coltypGUID));
  EXPECT_EQ(128u, AddColumn(tableid, "var1", JET_coltypText));
  EXPECT_EQ(256u, AddColumn(tableid, "tag1", JET_coltypLongBinary));
  EXPECT_EQ(257u, AddColumn(tableid, "tag2", JET_coltypLong, JET_bitColumnTagged));
  EXPECT_EQ(3u, AddColumn(tableid, "fixtext", JET_coltypText, JET_bitColumnFixed, 10));
  // pcolumnid is optional.
  JET_COLUMNDEF def = ColumnDef(JET_coltypShort);
  EXPECT_EQ(JET_errSuccess, JetAddColumnA(sesid_, tableid, "nocolid", &def, nullptr, 0, nullptr));
}

TEST_F(DdlColumnTest, AddColumnErrors) {
  JET_TABLEID tableid = CreateTable("T");
  AddColumn(tableid, "c", JET_coltypLong);
  JET_COLUMNID columnid = 0;
  JET_COLUMNDEF def = ColumnDef(JET_coltypLong);
  EXPECT_EQ(JET_errInvalidParameter, JetAddColumnA(sesid_, tableid, "d", nullptr, nullptr, 0, &columnid));
  EXPECT_EQ(JET_errColumnDuplicate, JetAddColumnA(sesid_, tableid, "C", &def, nullptr, 0, &columnid));
  EXPECT_EQ(JET_errInvalidName, JetAddColumnA(sesid_, tableid, "a.b", &def, nullptr, 0, &columnid));
  EXPECT_EQ(JET_errInvalidTableId, JetAddColumnA(sesid_, 0x99, "d", &def, nullptr, 0, &columnid));
  def = ColumnDef(0);
  EXPECT_EQ(JET_errInvalidColumnType, JetAddColumnA(sesid_, tableid, "d", &def, nullptr, 0, &columnid));
  def = ColumnDef(JET_coltypText, 0, 256);
  // JetAddColumn docs: a cbMax above JET_cbColumnMost is cut, with JET_wrnColumnMaxTruncated.
  EXPECT_EQ(JET_wrnColumnMaxTruncated, JetAddColumnA(sesid_, tableid, "wide", &def, nullptr, 0, &columnid));
  def = ColumnDef(JET_coltypLong, JET_bitColumnMultiValued);
  EXPECT_EQ(JET_errMultiValuedColumnMustBeTagged, JetAddColumnA(sesid_, tableid, "d", &def, nullptr, 0, &columnid));
  def = ColumnDef(JET_coltypText, 0, 0, 437);
  EXPECT_EQ(JET_errInvalidCodePage, JetAddColumnA(sesid_, tableid, "d", &def, nullptr, 0, &columnid));
  const std::int16_t small = 1;
  def = ColumnDef(JET_coltypLong);
  EXPECT_EQ(JET_errInvalidBufferSize, JetAddColumnA(sesid_, tableid, "d", &def, &small, sizeof(small), &columnid));
}

TEST_F(DdlColumnTest, DefaultValueFillsNewRecords) {
  JET_TABLEID tableid = CreateTable("T");
  JET_COLUMNID id = AddColumn(tableid, "id", JET_coltypLong);
  JET_COLUMNDEF def = ColumnDef(JET_coltypLong);
  const std::int32_t seven = 7;
  JET_COLUMNID with_default = 0;
  ASSERT_EQ(JET_errSuccess, JetAddColumnA(sesid_, tableid, "d", &def, &seven, sizeof(seven), &with_default));
  InsertLong(tableid, id, 1);
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid, kMoveFirst, 0));
  EXPECT_EQ(7u, RetrieveU32(tableid, with_default));
}

TEST_F(DdlColumnTest, ColumnAddedAfterRecordsIsVisibleThroughTheSameCursor) {
  JET_TABLEID tableid = CreateTable("T");
  JET_COLUMNID id = AddColumn(tableid, "id", JET_coltypLong);
  InsertLong(tableid, id, 1);
  JET_COLUMNDEF def = ColumnDef(JET_coltypLong);
  const std::int32_t nine = 9;
  JET_COLUMNID later = 0;
  ASSERT_EQ(JET_errSuccess, JetAddColumnA(sesid_, tableid, "later", &def, &nine, sizeof(nine), &later));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, tableid, kMoveFirst, 0));
  EXPECT_EQ(9u, RetrieveU32(tableid, later));
  EXPECT_EQ(1u, RetrieveU32(tableid, id));
}

TEST_F(DdlColumnTest, AddColumnW) {
  JET_TABLEID tableid = CreateTable("T");
  const std::u16string name = Widen("wide");
  JET_COLUMNDEF def = ColumnDef(JET_coltypLong);
  JET_COLUMNID columnid = 0;
  ASSERT_EQ(JET_errSuccess, JetAddColumnW(sesid_, tableid, reinterpret_cast<const JET_WCHAR*>(name.c_str()), &def,
                                          nullptr, 0, &columnid));
  JET_COLUMNDEF out{};
  ASSERT_EQ(JET_errSuccess, JetGetTableColumnInfoA(sesid_, tableid, "WIDE", &out, sizeof(out), JET_ColInfo));
  EXPECT_EQ(columnid, out.columnid);
}

TEST_F(DdlColumnTest, DeleteColumn) {
  JET_TABLEID tableid = CreateTable("T");
  AddColumn(tableid, "keep", JET_coltypLong);
  AddColumn(tableid, "drop", JET_coltypLong);
  JET_COLUMNID indexed = AddColumn(tableid, "indexed", JET_coltypLong);
  const char key[] = "+indexed\0";
  ASSERT_EQ(JET_errSuccess, JetCreateIndexA(sesid_, tableid, "ix", 0, key, sizeof(key), 0));
  EXPECT_EQ(JET_errColumnNotFound, JetDeleteColumnA(sesid_, tableid, "missing"));
  EXPECT_EQ(JET_errColumnInUse, JetDeleteColumnA(sesid_, tableid, "indexed"));
  EXPECT_EQ(JET_errSuccess, JetDeleteColumnA(sesid_, tableid, "DROP"));
  JET_COLUMNDEF out{};
  EXPECT_EQ(JET_errColumnNotFound, JetGetTableColumnInfoA(sesid_, tableid, "drop", &out, sizeof(out), JET_ColInfo));
  EXPECT_EQ(JET_errInvalidGrbit, JetDeleteColumn2A(sesid_, tableid, "keep", 0x4));
  EXPECT_EQ(JET_errSuccess, JetDeleteColumn2A(sesid_, tableid, "keep", JET_bitDeleteColumnIgnoreTemplateColumns));
  // Ids are not reused.
  EXPECT_EQ(indexed + 1, AddColumn(tableid, "again", JET_coltypLong));
  const std::u16string wide = Widen("again");
  EXPECT_EQ(JET_errSuccess, JetDeleteColumnW(sesid_, tableid, reinterpret_cast<const JET_WCHAR*>(wide.c_str())));
}

TEST_F(DdlColumnTest, ColInfoReportsTheDefinition) {
  JET_TABLEID tableid = CreateTable("T");
  JET_COLUMNID fixed = AddColumn(tableid, "fixed", JET_coltypLong, JET_bitColumnNotNULL);
  JET_COLUMNID text = AddColumn(tableid, "text", JET_coltypText, 0, 100);
  JET_COLUMNID tagged = AddColumn(tableid, "tagged", JET_coltypLong, JET_bitColumnTagged | JET_bitColumnMultiValued);

  JET_COLUMNDEF out{};
  EXPECT_EQ(JET_errInvalidParameter,
            JetGetTableColumnInfoA(sesid_, tableid, "fixed", &out, sizeof(out) - 1, JET_ColInfo));
  ASSERT_EQ(JET_errSuccess, JetGetTableColumnInfoA(sesid_, tableid, "fixed", &out, sizeof(out), JET_ColInfo));
  EXPECT_EQ(sizeof(JET_COLUMNDEF), out.cbStruct);
  EXPECT_EQ(fixed, out.columnid);
  EXPECT_EQ(static_cast<JET_COLTYP>(JET_coltypLong), out.coltyp);
  EXPECT_EQ(4u, out.cbMax);
  EXPECT_EQ(static_cast<JET_GRBIT>(JET_bitColumnFixed | JET_bitColumnNotNULL | JET_bitColumnUpdatable), out.grbit);
  EXPECT_EQ(1u, out.wCountry);
  EXPECT_EQ(0x409u, out.langid);
  EXPECT_EQ(0u, out.cp);

  ASSERT_EQ(JET_errSuccess, JetGetTableColumnInfoA(sesid_, tableid, "TEXT", &out, sizeof(out), JET_ColInfo));
  EXPECT_EQ(text, out.columnid);
  EXPECT_EQ(100u, out.cbMax);
  EXPECT_EQ(1252u, out.cp);
  EXPECT_EQ(static_cast<JET_GRBIT>(JET_bitColumnUpdatable), out.grbit);

  ASSERT_EQ(JET_errSuccess, JetGetTableColumnInfoA(sesid_, tableid, "tagged", &out, sizeof(out), JET_ColInfo));
  EXPECT_EQ(tagged, out.columnid);
  EXPECT_EQ(static_cast<JET_GRBIT>(JET_bitColumnTagged | JET_bitColumnMultiValued | JET_bitColumnUpdatable),
            out.grbit);

  EXPECT_EQ(JET_errColumnNotFound, JetGetTableColumnInfoA(sesid_, tableid, "", &out, sizeof(out), JET_ColInfo));
  EXPECT_EQ(JET_errColumnNotFound, JetGetTableColumnInfoA(sesid_, tableid, "none", &out, sizeof(out), JET_ColInfo));
  EXPECT_EQ(JET_errInvalidParameter, JetGetTableColumnInfoA(sesid_, tableid, "fixed", &out, sizeof(out), 2));
}

TEST_F(DdlColumnTest, ColInfoByColid) {
  JET_TABLEID tableid = CreateTable("T");
  JET_COLUMNID text = AddColumn(tableid, "text", JET_coltypText);
  JET_COLUMNDEF out{};
  ASSERT_EQ(JET_errSuccess, JetGetTableColumnInfoA(sesid_, tableid, reinterpret_cast<const char*>(&text), &out,
                                                   sizeof(out), JET_ColInfoByColid));
  EXPECT_EQ(text, out.columnid);
  EXPECT_EQ(static_cast<JET_COLTYP>(JET_coltypText), out.coltyp);
  const JET_COLUMNID missing = 300;
  EXPECT_EQ(JET_errColumnNotFound, JetGetTableColumnInfoA(sesid_, tableid, reinterpret_cast<const char*>(&missing),
                                                          &out, sizeof(out), JET_ColInfoByColid));
}

TEST_F(DdlColumnTest, ColInfoBase) {
  JET_TABLEID tableid = CreateTable("Base");
  JET_COLUMNID id = AddColumn(tableid, "id", JET_coltypLong);
  JET_COLUMNBASE_A base{};
  EXPECT_EQ(JET_errInvalidParameter,
            JetGetTableColumnInfoA(sesid_, tableid, "id", &base, sizeof(base) - 1, JET_ColInfoBase));
  ASSERT_EQ(JET_errSuccess, JetGetTableColumnInfoA(sesid_, tableid, "id", &base, sizeof(base), JET_ColInfoBase));
  EXPECT_EQ(sizeof(JET_COLUMNBASE_A), base.cbStruct);
  EXPECT_EQ(id, base.columnid);
  EXPECT_STREQ("Base", base.szBaseTableName);
  EXPECT_STREQ("id", base.szBaseColumnName);

  JET_COLUMNBASE_W wide{};
  const std::u16string name = Widen("id");
  ASSERT_EQ(JET_errSuccess, JetGetTableColumnInfoW(sesid_, tableid, reinterpret_cast<const JET_WCHAR*>(name.c_str()),
                                                   &wide, sizeof(wide), JET_ColInfoBase));
  EXPECT_EQ(sizeof(JET_COLUMNBASE_W), wide.cbStruct);
  EXPECT_EQ(Widen("Base"), std::u16string(reinterpret_cast<const char16_t*>(wide.szBaseTableName)));
}

TEST_F(DdlColumnTest, GetColumnInfoByTableName) {
  JET_TABLEID tableid = CreateTable("Named");
  JET_COLUMNID id = AddColumn(tableid, "id", JET_coltypLongLong);
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
  JET_COLUMNDEF out{};
  ASSERT_EQ(JET_errSuccess, JetGetColumnInfoA(sesid_, dbid_, "Named", "id", &out, sizeof(out), JET_ColInfo));
  EXPECT_EQ(id, out.columnid);
  EXPECT_EQ(static_cast<JET_COLTYP>(JET_coltypLongLong), out.coltyp);
  EXPECT_EQ(JET_errObjectNotFound, JetGetColumnInfoA(sesid_, dbid_, "Nope", "id", &out, sizeof(out), JET_ColInfo));
  EXPECT_EQ(JET_errInvalidParameter, JetGetColumnInfoA(sesid_, dbid_, nullptr, "id", &out, sizeof(out), JET_ColInfo));
  EXPECT_EQ(JET_errInvalidDatabaseId,
            JetGetColumnInfoA(sesid_, dbid_ + 9, "Named", "id", &out, sizeof(out), JET_ColInfo));
  const std::u16string table = Widen("Named");
  const std::u16string column = Widen("id");
  ASSERT_EQ(JET_errSuccess, JetGetColumnInfoW(sesid_, dbid_, reinterpret_cast<const JET_WCHAR*>(table.c_str()),
                                              reinterpret_cast<const JET_WCHAR*>(column.c_str()), &out, sizeof(out),
                                              JET_ColInfo));
  EXPECT_EQ(id, out.columnid);
}

TEST_F(DdlColumnTest, ColumnListIsSortedByName) {
  JET_TABLEID tableid = CreateTable("T");
  JET_COLUMNID zeta = AddColumn(tableid, "zeta", JET_coltypLong);
  JET_COLUMNID alpha = AddColumn(tableid, "Alpha", JET_coltypText);
  JET_COLUMNDEF def = ColumnDef(JET_coltypBinary);
  const char fallback[] = "xyz";
  JET_COLUMNID mid = 0;
  ASSERT_EQ(JET_errSuccess, JetAddColumnA(sesid_, tableid, "mid", &def, fallback, 3, &mid));
  AddColumn(tableid, "gone", JET_coltypLong);
  ASSERT_EQ(JET_errSuccess, JetDeleteColumnA(sesid_, tableid, "gone"));

  JET_COLUMNLIST list{};
  EXPECT_EQ(JET_errInvalidParameter, JetGetTableColumnInfoA(sesid_, tableid, nullptr, &list, sizeof(list) - 1,
                                                            JET_ColInfoList));
  ASSERT_EQ(JET_errSuccess, JetGetTableColumnInfoA(sesid_, tableid, nullptr, &list, sizeof(list), JET_ColInfoList));
  EXPECT_EQ(sizeof(JET_COLUMNLIST), list.cbStruct);
  EXPECT_EQ(list.columnidcolumnname, list.columnidDefinitionName);
  EXPECT_EQ(3u, list.cRecord);
  EXPECT_EQ((std::vector<std::string>{"Alpha", "mid", "zeta"}), ReadTextColumn(list.tableid, list.columnidcolumnname));

  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, list.tableid, kMoveFirst, 0));
  EXPECT_EQ(alpha, RetrieveU32(list.tableid, list.columnidcolumnid));
  EXPECT_EQ(static_cast<std::uint32_t>(JET_coltypText), RetrieveU32(list.tableid, list.columnidcoltyp));
  EXPECT_EQ(1252u, RetrieveU16(list.tableid, list.columnidCp));
  EXPECT_EQ(255u, RetrieveU32(list.tableid, list.columnidcbMax));
  EXPECT_EQ("T", RetrieveBytes(list.tableid, list.columnidBaseTableName));
  JET_ERR err = JET_errSuccess;
  RetrieveBytes(list.tableid, list.columnidPresentationOrder, &err);
  EXPECT_EQ(JET_wrnColumnNull, err);
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, list.tableid, JET_MoveNext, 0));
  EXPECT_EQ(mid, RetrieveU32(list.tableid, list.columnidcolumnid));
  EXPECT_EQ("xyz", RetrieveBytes(list.tableid, list.columnidDefault));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, list.tableid, JET_MoveNext, 0));
  EXPECT_EQ(zeta, RetrieveU32(list.tableid, list.columnidcolumnid));
  EXPECT_EQ(static_cast<std::uint32_t>(JET_bitColumnFixed | JET_bitColumnUpdatable),
            RetrieveU32(list.tableid, list.columnidgrbit));

  // The list is read-only and goes away with JetCloseTable.
  EXPECT_NE(JET_errSuccess, JetPrepareUpdate(sesid_, list.tableid, JET_prepInsert));
  EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, list.tableid));
  EXPECT_EQ(JET_errInvalidTableId, JetMove(sesid_, list.tableid, kMoveFirst, 0));
}

TEST_F(DdlColumnTest, ColumnListSortedByColumnidAndCompact) {
  JET_TABLEID tableid = CreateTable("T");
  AddColumn(tableid, "b_tagged", JET_coltypLongText);
  AddColumn(tableid, "c_var", JET_coltypBinary);
  AddColumn(tableid, "a_fixed", JET_coltypShort);
  for (std::uint32_t level : {JET_ColInfoListSortColumnid, JET_ColInfoListCompact,
                              JET_ColInfoList | JET_ColInfoGrbitSortByColumnid}) {
    JET_COLUMNLIST list{};
    ASSERT_EQ(JET_errSuccess, JetGetTableColumnInfoA(sesid_, tableid, nullptr, &list, sizeof(list), level));
    EXPECT_EQ((std::vector<std::string>{"a_fixed", "c_var", "b_tagged"}),
              ReadTextColumn(list.tableid, list.columnidcolumnname))
        << level;
    if (level != JET_ColInfoListCompact) {
      ASSERT_EQ(JET_errSuccess, JetMove(sesid_, list.tableid, kMoveFirst, 0));
      EXPECT_EQ(1u, RetrieveU32(list.tableid, list.columnidPresentationOrder));
    }
    EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, list.tableid));
  }
}

TEST_F(DdlColumnTest, ColumnListMinimalInfoFillsNameAndIdOnly) {
  JET_TABLEID tableid = CreateTable("T");
  JET_COLUMNID id = AddColumn(tableid, "id", JET_coltypLong);
  JET_COLUMNLIST list{};
  ASSERT_EQ(JET_errSuccess, JetGetTableColumnInfoA(sesid_, tableid, nullptr, &list, sizeof(list),
                                                   JET_ColInfoList | JET_ColInfoGrbitMinimalInfo));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, list.tableid, kMoveFirst, 0));
  EXPECT_EQ("id", RetrieveBytes(list.tableid, list.columnidcolumnname));
  EXPECT_EQ(id, RetrieveU32(list.tableid, list.columnidcolumnid));
  JET_ERR err = JET_errSuccess;
  RetrieveBytes(list.tableid, list.columnidcoltyp, &err);
  EXPECT_EQ(JET_wrnColumnNull, err);
  EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, list.tableid));
}

TEST_F(DdlColumnTest, ColumnListW) {
  JET_TABLEID tableid = CreateTable("T");
  AddColumn(tableid, "name", JET_coltypLong);
  JET_COLUMNLIST list{};
  ASSERT_EQ(JET_errSuccess, JetGetTableColumnInfoW(sesid_, tableid, nullptr, &list, sizeof(list), JET_ColInfoList));
  ASSERT_EQ(1u, list.cRecord);
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, list.tableid, kMoveFirst, 0));
  const std::u16string expected = Widen("name");
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(expected.data()), expected.size() * 2),
            RetrieveBytes(list.tableid, list.columnidcolumnname));
  EXPECT_EQ(expected.size() * 2, RetrieveBytes(list.tableid, list.columnidBaseColumnName).size());
  EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, list.tableid));
}

TEST_F(DdlColumnTest, ListTablesCloseWithTheSession) {
  JET_TABLEID tableid = CreateTable("T");
  AddColumn(tableid, "a", JET_coltypLong);
  JET_COLUMNLIST list{};
  ASSERT_EQ(JET_errSuccess, JetGetTableColumnInfoA(sesid_, tableid, nullptr, &list, sizeof(list), JET_ColInfoList));
  ASSERT_EQ(JET_errSuccess, JetEndSession(sesid_, 0));
  JET_SESID again = BeginSession(instance_);
  EXPECT_EQ(JET_errInvalidTableId, JetMove(again, list.tableid, kMoveFirst, 0));
}

}  // namespace
}  // namespace esent_test
