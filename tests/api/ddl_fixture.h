// Shared fixture of the DDL suites (ddl_*_test.cc): an initialized instance with one session and
// one freshly created database, plus small helpers to make tables and columns and to read list
// tables (JET_COLUMNLIST / JET_INDEXLIST / JET_OBJECTLIST) through JetMove / JetRetrieveColumn.
#pragma once

#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "test_dirs.h"

namespace esent_test {

inline constexpr JET_TABLEID kNilTableId = ~JET_TABLEID{0};
// JET_MoveFirst without the header's unsigned literal (it does not convert cleanly to JET_INT32).
inline constexpr JET_INT32 kMoveFirst = std::numeric_limits<JET_INT32>::min();

class DdlTest : public ApiTest {
 protected:
  void SetUp() override {
    instance_ = InitInstance("ddl");
    sesid_ = BeginSession(instance_);
    database_path_ = dir_.path() + "/ddl.edb";
    ASSERT_EQ(JET_errSuccess, JetCreateDatabaseA(sesid_, database_path_.c_str(), nullptr, &dbid_, 0));
  }

  JET_TABLEID CreateTable(const std::string& name) {
    JET_TABLEID tableid = 0;
    EXPECT_EQ(JET_errSuccess, JetCreateTableA(sesid_, dbid_, name.c_str(), 0, 0, &tableid)) << name;
    return tableid;
  }

  JET_TABLEID OpenTable(const std::string& name, JET_GRBIT grbit = 0) {
    JET_TABLEID tableid = 0;
    EXPECT_EQ(JET_errSuccess, JetOpenTableA(sesid_, dbid_, name.c_str(), nullptr, 0, grbit, &tableid)) << name;
    return tableid;
  }

  static JET_COLUMNDEF ColumnDef(JET_COLTYP coltyp, JET_GRBIT grbit = 0, JET_UINT32 cbMax = 0,
                                 JET_CP cp = 0) {
    JET_COLUMNDEF def{};
    def.cbStruct = sizeof(def);
    def.coltyp = coltyp;
    def.grbit = grbit;
    def.cbMax = cbMax;
    def.cp = cp;
    return def;
  }

  // A second session of the instance with the database open, for lock tests.
  void BeginOtherSession() {
    other_sesid_ = BeginSession(instance_);
    ASSERT_EQ(JET_errSuccess, JetOpenDatabaseA(other_sesid_, database_path_.c_str(), nullptr, &other_dbid_, 0));
  }

  JET_ERR OpenTableInOtherSession(const std::string& name, JET_GRBIT grbit, JET_TABLEID* tableid) {
    return JetOpenTableA(other_sesid_, other_dbid_, name.c_str(), nullptr, 0, grbit, tableid);
  }

  JET_COLUMNID AddColumn(JET_TABLEID tableid, const std::string& name, JET_COLTYP coltyp, JET_GRBIT grbit = 0,
                         JET_UINT32 cbMax = 0) {
    JET_COLUMNDEF def = ColumnDef(coltyp, grbit, cbMax);
    JET_COLUMNID columnid = 0;
    EXPECT_EQ(JET_errSuccess, JetAddColumnA(sesid_, tableid, name.c_str(), &def, nullptr, 0, &columnid)) << name;
    return columnid;
  }

  // Inserts one record with a Long value in `columnid`.
  void InsertLong(JET_TABLEID tableid, JET_COLUMNID columnid, std::int32_t value) {
    ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, tableid, JET_prepInsert));
    ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid_, tableid, columnid, &value, sizeof(value), 0, nullptr));
    ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, tableid, nullptr, 0, nullptr));
  }

  std::uint32_t RetrieveU32(JET_TABLEID tableid, JET_COLUMNID columnid) {
    std::uint32_t value = 0xDEADBEEF;
    JET_UINT32 actual = 0;
    EXPECT_EQ(JET_errSuccess,
              JetRetrieveColumn(sesid_, tableid, columnid, &value, sizeof(value), &actual, 0, nullptr));
    EXPECT_EQ(4u, actual);
    return value;
  }

  std::uint16_t RetrieveU16(JET_TABLEID tableid, JET_COLUMNID columnid) {
    std::uint16_t value = 0xBEEF;
    JET_UINT32 actual = 0;
    EXPECT_EQ(JET_errSuccess,
              JetRetrieveColumn(sesid_, tableid, columnid, &value, sizeof(value), &actual, 0, nullptr));
    EXPECT_EQ(2u, actual);
    return value;
  }

  // The raw bytes of a column (empty for NULL); `err` receives the call's result.
  std::string RetrieveBytes(JET_TABLEID tableid, JET_COLUMNID columnid, JET_ERR* err = nullptr) {
    char buffer[1024];
    JET_UINT32 actual = 0;
    JET_ERR result = JetRetrieveColumn(sesid_, tableid, columnid, buffer, sizeof(buffer), &actual, 0, nullptr);
    if (err != nullptr) *err = result;
    if (result != JET_errSuccess) return std::string();
    return std::string(buffer, actual);
  }

  // Reads `columnid` (text of an A list) from every row of a list table, first to last.
  std::vector<std::string> ReadTextColumn(JET_TABLEID tableid, JET_COLUMNID columnid) {
    std::vector<std::string> values;
    JET_ERR err = JetMove(sesid_, tableid, kMoveFirst, 0);
    while (err == JET_errSuccess) {
      values.push_back(RetrieveBytes(tableid, columnid));
      err = JetMove(sesid_, tableid, JET_MoveNext, 0);
    }
    EXPECT_EQ(JET_errNoCurrentRecord, err);
    return values;
  }

  JET_INSTANCE instance_ = 0;
  JET_SESID sesid_ = 0;
  JET_DBID dbid_ = 0;
  std::string database_path_;
  JET_SESID other_sesid_ = 0;
  JET_DBID other_dbid_ = 0;
};

}  // namespace esent_test
