// JetGetObjectInfo (A/W): JET_ObjInfo, JET_ObjInfoNoStats, JET_ObjInfoList, JET_ObjInfoListNoStats.
#include <filesystem>

#include "ddl_fixture.h"

namespace esent_test {
namespace {

using DdlInfoTest = DdlTest;

TEST_F(DdlInfoTest, ObjectInfoOfOneTable) {
  JET_TABLEID tableid = CreateTable("Counted");
  JET_COLUMNID id = AddColumn(tableid, "id", JET_coltypLong);
  InsertLong(tableid, id, 1);
  InsertLong(tableid, id, 2);
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));

  JET_OBJECTINFO info{};
  ASSERT_EQ(JET_errSuccess,
            JetGetObjectInfoA(sesid_, dbid_, JET_objtypTable, "Tables", "counted", &info, sizeof(info), JET_ObjInfo));
  EXPECT_EQ(sizeof(JET_OBJECTINFO), info.cbStruct);
  EXPECT_EQ(static_cast<JET_OBJTYP>(JET_objtypTable), info.objtyp);
  EXPECT_EQ(static_cast<JET_GRBIT>(JET_bitTableInfoBookmark | JET_bitTableInfoRollback | JET_bitTableInfoUpdatable),
            info.grbit);
  EXPECT_EQ(2u, info.cRecord);
  EXPECT_GE(info.cPage, 1u);

  ASSERT_EQ(JET_errSuccess, JetGetObjectInfoA(sesid_, dbid_, JET_objtypTable, nullptr, "Counted", &info, sizeof(info),
                                              JET_ObjInfoNoStats));
  EXPECT_EQ(0u, info.cRecord);
  EXPECT_EQ(0u, info.cPage);

  const std::u16string name = Widen("Counted");
  ASSERT_EQ(JET_errSuccess, JetGetObjectInfoW(sesid_, dbid_, JET_objtypTable, nullptr,
                                              reinterpret_cast<const JET_WCHAR*>(name.c_str()), &info, sizeof(info),
                                              JET_ObjInfo));
  EXPECT_EQ(2u, info.cRecord);
}

TEST_F(DdlInfoTest, ObjectInfoErrors) {
  JET_OBJECTINFO info{};
  EXPECT_EQ(JET_errObjectNotFound,
            JetGetObjectInfoA(sesid_, dbid_, JET_objtypTable, nullptr, "Missing", &info, sizeof(info), JET_ObjInfo));
  EXPECT_EQ(JET_errObjectNotFound,
            JetGetObjectInfoA(sesid_, dbid_, JET_objtypTable, nullptr, nullptr, &info, sizeof(info), JET_ObjInfo));
  EXPECT_EQ(JET_errObjectNotFound,
            JetGetObjectInfoA(sesid_, dbid_, JET_objtypTable, "Queries", "X", &info, sizeof(info), JET_ObjInfo));
  JET_TABLEID tableid = CreateTable("X");
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
  EXPECT_EQ(JET_errBufferTooSmall,
            JetGetObjectInfoA(sesid_, dbid_, JET_objtypTable, nullptr, "X", &info, sizeof(info) - 1, JET_ObjInfo));
  EXPECT_EQ(JET_errInvalidParameter,
            JetGetObjectInfoA(sesid_, dbid_, JET_objtypTable, nullptr, "X", &info, sizeof(info), 99));
  EXPECT_EQ(JET_errInvalidDatabaseId,
            JetGetObjectInfoA(sesid_, dbid_ + 3, JET_objtypTable, nullptr, "X", &info, sizeof(info), JET_ObjInfo));
  EXPECT_EQ(JET_errInvalidName,
            JetGetObjectInfoA(sesid_, dbid_, JET_objtypTable, nullptr, "a!b", &info, sizeof(info), JET_ObjInfo));
}

TEST_F(DdlInfoTest, ObjectListNamesEveryTable) {
  for (const char* name : {"beta", "Alpha", "gamma"}) {
    JET_TABLEID tableid = CreateTable(name);
    ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
  }
  JET_TABLEID tableid = OpenTable("beta");
  JET_COLUMNID id = AddColumn(tableid, "id", JET_coltypLong);
  InsertLong(tableid, id, 9);
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));

  JET_OBJECTLIST list{};
  EXPECT_EQ(JET_errBufferTooSmall, JetGetObjectInfoA(sesid_, dbid_, JET_objtypNil, nullptr, nullptr, &list,
                                                     sizeof(list) - 1, JET_ObjInfoList));
  ASSERT_EQ(JET_errSuccess,
            JetGetObjectInfoA(sesid_, dbid_, JET_objtypNil, nullptr, nullptr, &list, sizeof(list), JET_ObjInfoList));
  EXPECT_EQ(sizeof(JET_OBJECTLIST), list.cbStruct);
  EXPECT_EQ(3u, list.cRecord);
  EXPECT_EQ((std::vector<std::string>{"Alpha", "beta", "gamma"}), ReadTextColumn(list.tableid, list.columnidobjectname));
  EXPECT_EQ((std::vector<std::string>{"Tables", "Tables", "Tables"}),
            ReadTextColumn(list.tableid, list.columnidcontainername));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, list.tableid, kMoveFirst, 0));
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, list.tableid, JET_MoveNext, 0));
  EXPECT_EQ(static_cast<std::uint32_t>(JET_objtypTable), RetrieveU32(list.tableid, list.columnidobjtyp));
  EXPECT_EQ(1u, RetrieveU32(list.tableid, list.columnidcRecord));
  EXPECT_EQ(static_cast<std::uint32_t>(JET_bitTableInfoBookmark | JET_bitTableInfoRollback | JET_bitTableInfoUpdatable),
            RetrieveU32(list.tableid, list.columnidgrbit));
  EXPECT_EQ(0u, RetrieveU32(list.tableid, list.columnidflags));
  EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, list.tableid));

  // Another object type lists nothing.
  ASSERT_EQ(JET_errSuccess, JetGetObjectInfoA(sesid_, dbid_, 5, nullptr, nullptr, &list, sizeof(list),
                                              JET_ObjInfoListNoStats));
  EXPECT_EQ(0u, list.cRecord);
  EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, list.tableid));
}

TEST_F(DdlInfoTest, ObjectListW) {
  JET_TABLEID tableid = CreateTable("Wide");
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
  JET_OBJECTLIST list{};
  ASSERT_EQ(JET_errSuccess, JetGetObjectInfoW(sesid_, dbid_, JET_objtypTable, nullptr, nullptr, &list, sizeof(list),
                                              JET_ObjInfoListNoStats));
  ASSERT_EQ(1u, list.cRecord);
  ASSERT_EQ(JET_errSuccess, JetMove(sesid_, list.tableid, kMoveFirst, 0));
  const std::u16string expected = Widen("Wide");
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(expected.data()), expected.size() * 2),
            RetrieveBytes(list.tableid, list.columnidobjectname));
  EXPECT_EQ(0u, RetrieveU32(list.tableid, list.columnidcRecord));
  EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, list.tableid));
}

TEST_F(DdlInfoTest, TemporaryDatabaseIsNotAnAttachedDatabase) {
  JET_OBJECTLIST list{};
  ASSERT_EQ(JET_errSuccess, JetGetObjectInfoA(sesid_, dbid_, JET_objtypTable, nullptr, nullptr, &list, sizeof(list),
                                              JET_ObjInfoListNoStats));
  // A list table has no JET_DBID and no name to report (ESE: JET_errInvalidOperation), and no
  // JET_OBJECTINFO (JET_errObjectNotFound).
  JET_DBID dbid = 77;
  EXPECT_EQ(JET_errInvalidOperation, JetGetTableInfoA(sesid_, list.tableid, &dbid, sizeof(dbid), JET_TblInfoDbid));
  char name[64];
  EXPECT_EQ(JET_errInvalidOperation, JetGetTableInfoA(sesid_, list.tableid, name, sizeof(name), JET_TblInfoName));
  JET_OBJECTINFO info{};
  EXPECT_EQ(JET_errObjectNotFound, JetGetTableInfoA(sesid_, list.tableid, &info, sizeof(info), JET_TblInfo));
  EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, list.tableid));
  JET_DBID opened = 0;
  const std::string temp_database = dir_.path() + "/ddl/temp.edb";
  EXPECT_EQ(JET_errDatabaseNotFound, JetOpenDatabaseA(sesid_, temp_database.c_str(), nullptr, &opened, 0));
}

// JET_paramTempPath naming a folder: the temporary database is "<folder>/tmp.edb".
TEST_F(ApiTest, TempPathFolderHoldsTmpEdb) {
  JET_INSTANCE instance = CreateInstance("folder");
  const std::string folder = dir_.Sub("temp-folder");
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramTempPath, 0, folder.c_str()));
  ASSERT_EQ(JET_errSuccess, JetInit(&instance));
  JET_SESID sesid = BeginSession(instance);
  JET_DBID dbid = 0;
  const std::string database = dir_.path() + "/folder.edb";
  ASSERT_EQ(JET_errSuccess, JetCreateDatabaseA(sesid, database.c_str(), nullptr, &dbid, 0));
  JET_OBJECTLIST list{};
  ASSERT_EQ(JET_errSuccess, JetGetObjectInfoA(sesid, dbid, JET_objtypTable, nullptr, nullptr, &list, sizeof(list),
                                              JET_ObjInfoListNoStats));
  EXPECT_TRUE(std::filesystem::exists(folder + "tmp.edb"));
  EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid, list.tableid));
  ASSERT_EQ(JET_errSuccess, JetTerm(instance));
  EXPECT_FALSE(std::filesystem::exists(folder + "tmp.edb"));
}

}  // namespace
}  // namespace esent_test
