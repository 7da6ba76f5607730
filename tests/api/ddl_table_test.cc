// JetCreateTable, JetCreateTableColumnIndex(2,3,4), JetOpenTable, JetCloseTable, JetDeleteTable,
// JetDupCursor, JetGetTableInfo.
#include <filesystem>

#include "ddl_fixture.h"

namespace esent_test {
namespace {

using DdlTableTest = DdlTest;

TEST_F(DdlTableTest, CreateTableReturnsAnExclusiveCursor) {
  JET_TABLEID tableid = CreateTable("Orders");
  EXPECT_NE(0u, tableid);
  EXPECT_NE(kNilTableId, tableid);
  BeginOtherSession();
  JET_TABLEID other = 0;
  EXPECT_EQ(JET_errTableLocked, OpenTableInOtherSession("Orders", 0, &other));
  EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
  ASSERT_EQ(JET_errSuccess, OpenTableInOtherSession("Orders", 0, &other));
  EXPECT_EQ(JET_errSuccess, JetCloseTable(other_sesid_, other));
}

TEST_F(DdlTableTest, TheLockingSessionMayOpenMoreCursors) {
  JET_TABLEID tableid = CreateTable("Mine");
  JET_TABLEID second = OpenTable("Mine");
  EXPECT_NE(tableid, second);
  JET_TABLEID copy = 0;
  ASSERT_EQ(JET_errSuccess, JetDupCursor(sesid_, tableid, &copy, 0));
  // Another session is locked out while any exclusive cursor of ours is open.
  BeginOtherSession();
  JET_TABLEID theirs = 0;
  EXPECT_EQ(JET_errTableLocked, OpenTableInOtherSession("Mine", 0, &theirs));
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, second));
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, copy));
  EXPECT_EQ(JET_errTableLocked, OpenTableInOtherSession("Mine", 0, &theirs));
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
  ASSERT_EQ(JET_errSuccess, OpenTableInOtherSession("Mine", 0, &theirs));
  // Now the other session has it open: an exclusive open of ours is refused.
  JET_TABLEID exclusive = 0;
  EXPECT_EQ(JET_errTableLocked, JetOpenTableA(sesid_, dbid_, "Mine", nullptr, 0, JET_bitTableDenyRead, &exclusive));
  EXPECT_EQ(JET_errSuccess, JetCloseTable(other_sesid_, theirs));
}

TEST_F(DdlTableTest, RollbackDeletesATableCreatedInTheTransaction) {
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  JET_TABLEID tableid = CreateTable("Undone");
  JET_COLUMNID id = AddColumn(tableid, "id", JET_coltypLong);
  InsertLong(tableid, id, 1);
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
  ASSERT_EQ(JET_errSuccess, JetRollback(sesid_, 0));
  JET_TABLEID opened = 0;
  EXPECT_EQ(JET_errObjectNotFound, JetOpenTableA(sesid_, dbid_, "Undone", nullptr, 0, 0, &opened));
  // Committed, it stays.
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
  tableid = CreateTable("Kept");
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0));
  EXPECT_EQ(JET_errSuccess, JetOpenTableA(sesid_, dbid_, "Kept", nullptr, 0, 0, &opened));
}

TEST_F(DdlTableTest, CreateTableErrors) {
  JET_TABLEID tableid = 0;
  EXPECT_EQ(JET_errInvalidParameter, JetCreateTableA(sesid_, dbid_, "T", 0, 0, nullptr));
  EXPECT_EQ(JET_errDensityInvalid, JetCreateTableA(sesid_, dbid_, "T", 0, 19, &tableid));
  EXPECT_EQ(JET_errDensityInvalid, JetCreateTableA(sesid_, dbid_, "T", 0, 101, &tableid));
  EXPECT_EQ(JET_errInvalidName, JetCreateTableA(sesid_, dbid_, "bad.name", 0, 0, &tableid));
  EXPECT_EQ(JET_errInvalidName, JetCreateTableA(sesid_, dbid_, "", 0, 0, &tableid));
  EXPECT_EQ(JET_errInvalidDatabaseId, JetCreateTableA(sesid_, dbid_ + 17, "T", 0, 0, &tableid));
  EXPECT_EQ(JET_errInvalidSesid, JetCreateTableA(kGarbageSesid, dbid_, "T", 0, 0, &tableid));
  ASSERT_EQ(JET_errSuccess, JetCreateTableA(sesid_, dbid_, "T", 4, 20, &tableid));
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
  EXPECT_EQ(JET_errTableDuplicate, JetCreateTableA(sesid_, dbid_, "t", 0, 100, &tableid));
}

TEST_F(DdlTableTest, CreateTableW) {
  const std::u16string name = Widen("Wide");
  JET_TABLEID tableid = 0;
  ASSERT_EQ(JET_errSuccess,
            JetCreateTableW(sesid_, dbid_, reinterpret_cast<const JET_WCHAR*>(name.c_str()), 0, 0, &tableid));
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
  JET_TABLEID opened = OpenTable("WIDE");
  char buffer[64] = {};
  ASSERT_EQ(JET_errSuccess, JetGetTableInfoA(sesid_, opened, buffer, sizeof(buffer), JET_TblInfoName));
  EXPECT_STREQ("Wide", buffer);
  JET_WCHAR wide[64] = {};
  ASSERT_EQ(JET_errSuccess, JetGetTableInfoW(sesid_, opened, wide, sizeof(wide), JET_TblInfoName));
  EXPECT_EQ(name, std::u16string(reinterpret_cast<const char16_t*>(wide)));
}

TEST_F(DdlTableTest, OpenTableErrorsAndGrbits) {
  JET_TABLEID tableid = CreateTable("T");
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
  JET_TABLEID opened = 0;
  EXPECT_EQ(JET_errObjectNotFound, JetOpenTableA(sesid_, dbid_, "Missing", nullptr, 0, 0, &opened));
  EXPECT_EQ(JET_errInvalidParameter, JetOpenTableA(sesid_, dbid_, "T", nullptr, 0, 0, nullptr));
  EXPECT_EQ(JET_errInvalidName, JetOpenTableA(sesid_, dbid_, "a[b]", nullptr, 0, 0, &opened));

  // Shared opens coexist; a deny-read open is refused while another session has the table open;
  // a deny-write open locks other sessions out.
  BeginOtherSession();
  JET_TABLEID first = OpenTable("T", JET_bitTablePreread | JET_bitTableSequential);
  JET_TABLEID second = 0;
  ASSERT_EQ(JET_errSuccess, OpenTableInOtherSession("T", JET_bitTableUpdatable, &second));
  EXPECT_EQ(JET_errTableLocked, OpenTableInOtherSession("T", JET_bitTableDenyRead, &opened));
  EXPECT_EQ(JET_errTableLocked, JetOpenTableA(sesid_, dbid_, "T", nullptr, 0, JET_bitTableDenyRead, &opened));
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, first));
  ASSERT_EQ(JET_errSuccess, JetCloseTable(other_sesid_, second));
  JET_TABLEID exclusive = OpenTable("T", JET_bitTableDenyWrite);
  EXPECT_EQ(JET_errTableLocked, OpenTableInOtherSession("T", 0, &opened));
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, exclusive));
  EXPECT_EQ(JET_errSuccess, OpenTableInOtherSession("T", 0, &opened));
}

TEST_F(DdlTableTest, ReadOnlyCursorRefusesDdl) {
  JET_TABLEID tableid = CreateTable("T");
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
  JET_TABLEID reader = OpenTable("T", JET_bitTableReadOnly);
  JET_COLUMNDEF def = ColumnDef(JET_coltypLong);
  EXPECT_EQ(JET_errPermissionDenied, JetAddColumnA(sesid_, reader, "c", &def, nullptr, 0, nullptr));
  JET_OBJECTINFO info{};
  ASSERT_EQ(JET_errSuccess, JetGetTableInfoA(sesid_, reader, &info, sizeof(info), JET_TblInfo));
  EXPECT_EQ(0u, info.grbit & JET_bitTableInfoUpdatable);
}

TEST_F(DdlTableTest, OpenTablePositionsOnTheFirstRecord) {
  JET_TABLEID tableid = CreateTable("T");
  JET_COLUMNID id = AddColumn(tableid, "id", JET_coltypLong);
  const char key[] = "+id\0";
  ASSERT_EQ(JET_errSuccess, JetCreateIndexA(sesid_, tableid, "primary", JET_bitIndexPrimary, key, sizeof(key), 0));
  InsertLong(tableid, id, 7);
  InsertLong(tableid, id, 3);
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
  JET_TABLEID opened = OpenTable("T");
  EXPECT_EQ(3u, RetrieveU32(opened, id));
}

TEST_F(DdlTableTest, CloseTableErrors) {
  JET_TABLEID tableid = CreateTable("T");
  EXPECT_EQ(JET_errInvalidSesid, JetCloseTable(kGarbageSesid, tableid));
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
  EXPECT_EQ(JET_errInvalidTableId, JetCloseTable(sesid_, tableid));
  EXPECT_EQ(JET_errInvalidTableId, JetCloseTable(sesid_, 0x1234));
  // A table of another session is not this session's to close.
  JET_TABLEID mine = OpenTable("T");
  JET_SESID other = BeginSession(instance_);
  EXPECT_EQ(JET_errInvalidTableId, JetCloseTable(other, mine));
  EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, mine));
}

TEST_F(DdlTableTest, DeleteTable) {
  JET_TABLEID tableid = CreateTable("T");
  EXPECT_EQ(JET_errTableInUse, JetDeleteTableA(sesid_, dbid_, "T"));
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
  EXPECT_EQ(JET_errObjectNotFound, JetDeleteTableA(sesid_, dbid_, "Missing"));
  EXPECT_EQ(JET_errInvalidName, JetDeleteTableA(sesid_, dbid_, "x!y"));
  EXPECT_EQ(JET_errSuccess, JetDeleteTableA(sesid_, dbid_, "t"));
  JET_TABLEID opened = 0;
  EXPECT_EQ(JET_errObjectNotFound, JetOpenTableA(sesid_, dbid_, "T", nullptr, 0, 0, &opened));
  // The name is free again.
  tableid = CreateTable("T");
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
  const std::u16string wide = Widen("T");
  EXPECT_EQ(JET_errSuccess, JetDeleteTableW(sesid_, dbid_, reinterpret_cast<const JET_WCHAR*>(wide.c_str())));
}

TEST_F(DdlTableTest, DupCursor) {
  JET_TABLEID tableid = CreateTable("T");
  JET_COLUMNID id = AddColumn(tableid, "id", JET_coltypLong);
  InsertLong(tableid, id, 11);
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
  JET_TABLEID opened = OpenTable("T");
  JET_TABLEID copy = 0;
  EXPECT_EQ(JET_errInvalidParameter, JetDupCursor(sesid_, opened, nullptr, 0));
  EXPECT_EQ(JET_errInvalidTableId, JetDupCursor(sesid_, 0x4242, &copy, 0));
  ASSERT_EQ(JET_errSuccess, JetDupCursor(sesid_, opened, &copy, 0));
  EXPECT_NE(opened, copy);
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, copy, kMoveFirst, 0));
  EXPECT_EQ(11u, RetrieveU32(copy, id));
  EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, opened));
  EXPECT_EQ(11u, RetrieveU32(copy, id));
  EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, copy));
}

TEST_F(DdlTableTest, GetTableInfo) {
  JET_TABLEID tableid = CreateTable("Stats");
  JET_COLUMNID id = AddColumn(tableid, "id", JET_coltypLong);
  for (int i = 0; i < 5; ++i) InsertLong(tableid, id, i);

  JET_OBJECTINFO info{};
  EXPECT_EQ(JET_errBufferTooSmall, JetGetTableInfoA(sesid_, tableid, &info, sizeof(info) - 1, JET_TblInfo));
  ASSERT_EQ(JET_errSuccess, JetGetTableInfoA(sesid_, tableid, &info, sizeof(info), JET_TblInfo));
  EXPECT_EQ(sizeof(JET_OBJECTINFO), info.cbStruct);
  EXPECT_EQ(static_cast<JET_OBJTYP>(JET_objtypTable), info.objtyp);
  EXPECT_EQ(static_cast<JET_GRBIT>(JET_bitTableInfoBookmark | JET_bitTableInfoRollback | JET_bitTableInfoUpdatable),
            info.grbit);
  EXPECT_EQ(5u, info.cRecord);
  EXPECT_GE(info.cPage, 1u);

  char name[8] = {};
  EXPECT_EQ(JET_errBufferTooSmall, JetGetTableInfoA(sesid_, tableid, name, 5, JET_TblInfoName));
  ASSERT_EQ(JET_errSuccess, JetGetTableInfoA(sesid_, tableid, name, 6, JET_TblInfoName));
  EXPECT_STREQ("Stats", name);

  JET_DBID dbid = 0;
  ASSERT_EQ(JET_errSuccess, JetGetTableInfoA(sesid_, tableid, &dbid, sizeof(dbid), JET_TblInfoDbid));
  EXPECT_EQ(dbid_, dbid);

  JET_UINT32 pages = 0;
  ASSERT_EQ(JET_errSuccess, JetGetTableInfoA(sesid_, tableid, &pages, sizeof(pages), JET_TblInfoSpaceOwned));
  EXPECT_GE(pages, 1u);
  EXPECT_EQ(JET_errInvalidBufferSize,
            JetGetTableInfoA(sesid_, tableid, &pages, sizeof(pages) + 1, JET_TblInfoSpaceAvailable));
  ASSERT_EQ(JET_errSuccess, JetGetTableInfoA(sesid_, tableid, &pages, sizeof(pages), JET_TblInfoSpaceAvailable));
  EXPECT_EQ(0u, pages);
  char template_name[JET_cbNameMost + 1] = {'x'};
  EXPECT_EQ(JET_errBufferTooSmall,
            JetGetTableInfoA(sesid_, tableid, template_name, JET_cbNameMost, JET_TblInfoTemplateTableName));
  ASSERT_EQ(JET_errSuccess, JetGetTableInfoA(sesid_, tableid, template_name, sizeof(template_name),
                                             JET_TblInfoTemplateTableName));
  EXPECT_STREQ("", template_name);
  EXPECT_EQ(JET_errFeatureNotAvailable, JetGetTableInfoA(sesid_, tableid, &pages, sizeof(pages), 99));
  EXPECT_EQ(JET_errFeatureNotAvailable, JetGetTableInfoA(sesid_, tableid, &pages, sizeof(pages), JET_TblInfoRvt));
  EXPECT_EQ(JET_errInvalidTableId, JetGetTableInfoA(sesid_, 0x777, &info, sizeof(info), JET_TblInfo));
}

// --- JetCreateTableColumnIndex ----------------------------------------------------------------

struct Spec {
  JET_COLUMNCREATE_A columns[3];
  JET_INDEXCREATE_A indexes[2];
  char key_primary[8] = "+id\0";
  char key_name[16] = "-name\0+id\0";
};

void FillSpec(Spec& spec) {
  std::memset(spec.columns, 0, sizeof(spec.columns));
  std::memset(spec.indexes, 0, sizeof(spec.indexes));
  const char* names[3] = {"id", "name", "notes"};
  const JET_COLTYP types[3] = {JET_coltypLong, JET_coltypText, JET_coltypLongText};
  for (int i = 0; i < 3; ++i) {
    spec.columns[i].cbStruct = sizeof(JET_COLUMNCREATE_A);
    spec.columns[i].szColumnName = const_cast<char*>(names[i]);
    spec.columns[i].coltyp = types[i];
    spec.columns[i].err = -1;
  }
  spec.indexes[0].cbStruct = sizeof(JET_INDEXCREATE_A);
  spec.indexes[0].szIndexName = const_cast<char*>("primary");
  spec.indexes[0].szKey = spec.key_primary;
  spec.indexes[0].cbKey = 5;
  spec.indexes[0].grbit = JET_bitIndexPrimary;
  spec.indexes[0].err = -1;
  spec.indexes[1].cbStruct = sizeof(JET_INDEXCREATE_A);
  spec.indexes[1].szIndexName = const_cast<char*>("by_name");
  spec.indexes[1].szKey = spec.key_name;
  spec.indexes[1].cbKey = 11;
  spec.indexes[1].err = -1;
}

TEST_F(DdlTableTest, CreateTableColumnIndex) {
  Spec spec;
  FillSpec(spec);
  JET_TABLECREATE_A create{};
  create.cbStruct = sizeof(create);
  create.szTableName = const_cast<char*>("People");
  create.rgcolumncreate = spec.columns;
  create.cColumns = 3;
  create.rgindexcreate = spec.indexes;
  create.cIndexes = 2;
  ASSERT_EQ(JET_errSuccess, JetCreateTableColumnIndexA(sesid_, dbid_, &create));
  EXPECT_EQ(6u, create.cCreated);
  EXPECT_NE(kNilTableId, create.tableid);
  for (auto& column : spec.columns) EXPECT_EQ(JET_errSuccess, column.err);
  for (auto& index : spec.indexes) EXPECT_EQ(JET_errSuccess, index.err);
  EXPECT_EQ(1u, spec.columns[0].columnid);    // fixed
  EXPECT_EQ(128u, spec.columns[1].columnid);  // variable
  EXPECT_EQ(256u, spec.columns[2].columnid);  // tagged
  // The returned cursor is exclusive and usable.
  BeginOtherSession();
  JET_TABLEID other = 0;
  EXPECT_EQ(JET_errTableLocked, OpenTableInOtherSession("People", 0, &other));
  InsertLong(create.tableid, spec.columns[0].columnid, 5);
  char current[64] = {};
  ASSERT_EQ(JET_errSuccess, JetGetCurrentIndexA(sesid_, create.tableid, current, sizeof(current)));
  EXPECT_STREQ("primary", current);
  EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, create.tableid));
}

TEST_F(DdlTableTest, CreateTableColumnIndexReportsTheFailingColumn) {
  Spec spec;
  FillSpec(spec);
  spec.columns[1].coltyp = 13;  // JET_coltypSLV: never valid
  JET_TABLECREATE_A create{};
  create.cbStruct = sizeof(create);
  create.szTableName = const_cast<char*>("Broken");
  create.rgcolumncreate = spec.columns;
  create.cColumns = 3;
  EXPECT_EQ(JET_errInvalidColumnType, JetCreateTableColumnIndexA(sesid_, dbid_, &create));
  EXPECT_EQ(JET_errSuccess, spec.columns[0].err);
  EXPECT_EQ(JET_errInvalidColumnType, spec.columns[1].err);
  EXPECT_EQ(kNilTableId, create.tableid);
  EXPECT_EQ(2u, create.cCreated);  // the table and the first column
  JET_TABLEID opened = 0;
  EXPECT_EQ(JET_errObjectNotFound, JetOpenTableA(sesid_, dbid_, "Broken", nullptr, 0, 0, &opened));
}

TEST_F(DdlTableTest, CreateTableColumnIndexReportsTheFailingIndex) {
  Spec spec;
  FillSpec(spec);
  char bad_key[] = "+missing\0";
  spec.indexes[1].szKey = bad_key;
  spec.indexes[1].cbKey = sizeof(bad_key);
  JET_TABLECREATE_A create{};
  create.cbStruct = sizeof(create);
  create.szTableName = const_cast<char*>("Broken");
  create.rgcolumncreate = spec.columns;
  create.cColumns = 3;
  create.rgindexcreate = spec.indexes;
  create.cIndexes = 2;
  EXPECT_EQ(JET_errColumnNotFound, JetCreateTableColumnIndexA(sesid_, dbid_, &create));
  EXPECT_EQ(JET_errSuccess, spec.indexes[0].err);
  EXPECT_EQ(JET_errColumnNotFound, spec.indexes[1].err);
  EXPECT_EQ(5u, create.cCreated);
}

TEST_F(DdlTableTest, CreateTableColumnIndexStructChecks) {
  Spec spec;
  FillSpec(spec);
  JET_TABLECREATE_A create{};
  create.cbStruct = sizeof(create) - 8;
  create.szTableName = const_cast<char*>("T");
  EXPECT_EQ(JET_errInvalidParameter, JetCreateTableColumnIndexA(sesid_, dbid_, &create));
  EXPECT_EQ(JET_errInvalidParameter, JetCreateTableColumnIndexA(sesid_, dbid_, nullptr));
  create.cbStruct = sizeof(create);
  create.cColumns = 1;  // with no array
  EXPECT_EQ(JET_errInvalidParameter, JetCreateTableColumnIndexA(sesid_, dbid_, &create));
  create.rgcolumncreate = spec.columns;
  spec.columns[0].cbStruct = 4;
  EXPECT_EQ(JET_errInvalidParameter, JetCreateTableColumnIndexA(sesid_, dbid_, &create));
  spec.columns[0].cbStruct = sizeof(JET_COLUMNCREATE_A);
  spec.indexes[0].cbStruct = 12;
  create.rgindexcreate = spec.indexes;
  create.cIndexes = 1;
  EXPECT_EQ(JET_errInvalidParameter, JetCreateTableColumnIndexA(sesid_, dbid_, &create));
  // Only the exact size of the generation is accepted.
  spec.indexes[0].cbStruct = sizeof(JET_INDEXCREATE_A) - 8;
  EXPECT_EQ(JET_errInvalidParameter, JetCreateTableColumnIndexA(sesid_, dbid_, &create));
  spec.indexes[0].cbStruct = sizeof(JET_INDEXCREATE_A);
  EXPECT_EQ(JET_errSuccess, JetCreateTableColumnIndexA(sesid_, dbid_, &create));
  EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, create.tableid));
}

TEST_F(DdlTableTest, CreateTableColumnIndexUnsupportedFeatures) {
  JET_TABLECREATE_A create{};
  create.cbStruct = sizeof(create);
  create.szTableName = const_cast<char*>("T");
  create.grbit = JET_bitTableCreateTemplateTable;
  EXPECT_EQ(JET_errFeatureNotAvailable, JetCreateTableColumnIndexA(sesid_, dbid_, &create));
  create.grbit = 0x100;
  EXPECT_EQ(JET_errInvalidGrbit, JetCreateTableColumnIndexA(sesid_, dbid_, &create));
  create.grbit = 0;
  create.szTemplateTableName = const_cast<char*>("Template");
  EXPECT_EQ(JET_errFeatureNotAvailable, JetCreateTableColumnIndexA(sesid_, dbid_, &create));

  JET_TABLECREATE2_A create2{};
  create2.cbStruct = sizeof(create2);
  create2.szTableName = const_cast<char*>("T");
  create2.szCallback = const_cast<char*>("module!function");
  EXPECT_EQ(JET_errFeatureNotAvailable, JetCreateTableColumnIndex2A(sesid_, dbid_, &create2));

  Spec spec;
  FillSpec(spec);
  JET_CONDITIONALCOLUMN_A conditional{};
  conditional.cbStruct = sizeof(conditional);
  conditional.szColumnName = const_cast<char*>("name");
  spec.indexes[1].rgconditionalcolumn = &conditional;
  spec.indexes[1].cConditionalColumn = 1;
  create.szTemplateTableName = nullptr;
  create.rgcolumncreate = spec.columns;
  create.cColumns = 3;
  create.rgindexcreate = spec.indexes;
  create.cIndexes = 2;
  EXPECT_EQ(JET_errFeatureNotAvailable, JetCreateTableColumnIndexA(sesid_, dbid_, &create));
  EXPECT_EQ(JET_errFeatureNotAvailable, spec.indexes[1].err);
}

TEST_F(DdlTableTest, CreateTableColumnIndex4W) {
  const std::u16string table = Widen("Wide4");
  const std::u16string id = Widen("id");
  const std::u16string text = Widen("text");
  const std::u16string index = Widen("by_text");
  const std::u16string key = Widen(std::string("+text\0-id\0\0", 11));
  JET_COLUMNCREATE_W columns[2]{};
  columns[0].cbStruct = sizeof(JET_COLUMNCREATE_W);
  columns[0].szColumnName = const_cast<JET_WCHAR*>(reinterpret_cast<const JET_WCHAR*>(id.c_str()));
  columns[0].coltyp = JET_coltypLong;
  columns[1].cbStruct = sizeof(JET_COLUMNCREATE_W);
  columns[1].szColumnName = const_cast<JET_WCHAR*>(reinterpret_cast<const JET_WCHAR*>(text.c_str()));
  columns[1].coltyp = JET_coltypText;
  columns[1].cp = 1200;
  JET_INDEXCREATE3_W indexes[1]{};
  indexes[0].cbStruct = sizeof(JET_INDEXCREATE3_W);
  indexes[0].szIndexName = const_cast<JET_WCHAR*>(reinterpret_cast<const JET_WCHAR*>(index.c_str()));
  indexes[0].szKey = const_cast<JET_WCHAR*>(reinterpret_cast<const JET_WCHAR*>(key.data()));
  indexes[0].cbKey = static_cast<JET_UINT32>(key.size() * sizeof(char16_t));
  JET_TABLECREATE4_W create{};
  create.cbStruct = sizeof(create);
  create.szTableName = const_cast<JET_WCHAR*>(reinterpret_cast<const JET_WCHAR*>(table.c_str()));
  create.rgcolumncreate = columns;
  create.cColumns = 2;
  create.rgindexcreate = indexes;
  create.cIndexes = 1;
  ASSERT_EQ(JET_errSuccess, JetCreateTableColumnIndex4W(sesid_, dbid_, &create));
  EXPECT_EQ(4u, create.cCreated);
  EXPECT_EQ(JET_errSuccess, indexes[0].err);
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, create.tableid));

  JET_INDEXLIST list{};
  ASSERT_EQ(JET_errSuccess, JetGetIndexInfoA(sesid_, dbid_, "Wide4", "by_text", &list, sizeof(list), JET_IdxInfo));
  EXPECT_EQ(2u, list.cRecord);
  EXPECT_EQ((std::vector<std::string>{"text", "id"}), ReadTextColumn(list.tableid, list.columnidcolumnname));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, list.tableid, JET_MoveLast, 0));
  EXPECT_EQ(static_cast<std::uint32_t>(JET_bitKeyDescending), RetrieveU32(list.tableid, list.columnidgrbitColumn));
  EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, list.tableid));
}

TEST_F(DdlTableTest, CreateTableColumnIndex3WithSpaceHints) {
  Spec spec;
  FillSpec(spec);
  JET_INDEXCREATE2_A indexes[1]{};
  JET_SPACEHINTS hints{};
  hints.cbStruct = sizeof(hints);
  hints.ulInitialDensity = 80;
  indexes[0].cbStruct = sizeof(JET_INDEXCREATE2_A);
  indexes[0].szIndexName = const_cast<char*>("primary");
  indexes[0].szKey = spec.key_primary;
  indexes[0].cbKey = 5;
  indexes[0].grbit = JET_bitIndexPrimary;
  indexes[0].pSpacehints = &hints;
  JET_TABLECREATE3_A create{};
  create.cbStruct = sizeof(create);
  create.szTableName = const_cast<char*>("Hinted");
  create.rgcolumncreate = spec.columns;
  create.cColumns = 3;
  create.rgindexcreate = indexes;
  create.cIndexes = 1;
  create.pSeqSpacehints = &hints;
  ASSERT_EQ(JET_errSuccess, JetCreateTableColumnIndex3A(sesid_, dbid_, &create));
  EXPECT_EQ(5u, create.cCreated);
  EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, create.tableid));
}

TEST_F(DdlTableTest, TemporaryDatabaseLivesUnderTempPathUntilTerm) {
  const std::string temp_database = dir_.path() + "/ddl/temp.edb";
  JET_TABLEID tableid = CreateTable("T");
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
  EXPECT_FALSE(std::filesystem::exists(temp_database));  // made on first need only
  JET_OBJECTLIST list{};
  ASSERT_EQ(JET_errSuccess, JetGetObjectInfoA(sesid_, dbid_, JET_objtypTable, nullptr, nullptr, &list, sizeof(list),
                                              JET_ObjInfoListNoStats));
  EXPECT_TRUE(std::filesystem::exists(temp_database));
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, list.tableid));
  ASSERT_EQ(JET_errSuccess, JetEndSession(sesid_, 0));
  ASSERT_EQ(JET_errSuccess, JetTerm2(instance_, JET_bitTermComplete));
  EXPECT_FALSE(std::filesystem::exists(temp_database));
}

}  // namespace
}  // namespace esent_test
