// Fixture and helpers shared by the storage acceptance suites (tests/api/storage/*_test.cc):
// an initialized instance with recovery off (the transaction log arrives in a later issue, so
// JetInit with recovery on is not part of these tests), its own folder, one session, and small
// helpers to create databases, tables, columns and indexes and to read and write values.
//
// Helpers report failures with EXPECT_* (they return values, so they cannot ASSERT) and return a
// value a test can still check; a test that needs a helper's success to continue checks its
// result with ASSERT_*.
#pragma once

#include <esent.h>
#include <gtest/gtest.h>

#include <climits>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

#include "../test_dirs.h"

namespace esent_test {

// Code pages ESE accepts for text columns (JET_COLUMNDEF::cp); the SDK header has no names.
inline constexpr std::uint16_t kCodePageUnicode = 1200;
inline constexpr std::uint16_t kCodePageAscii = 1252;

// A value that was never handed out as a table or database id.
inline constexpr JET_TABLEID kGarbageTableid = 0x5A5A5A5A0BADF00DULL;
inline constexpr JET_DBID kGarbageDbid = 0x5A5A;

// JET_tableidNil, JET_dbidNil and the JetMove counts without the header's C-style casts and
// unsigned literals, so the tests stay clean under -Wold-style-cast and -Wsign-conversion.
inline constexpr JET_TABLEID kNilTableid = ~JET_TABLEID{0};
inline constexpr JET_DBID kNilDbid = ~JET_DBID{0};
inline constexpr std::int32_t kMoveFirst = INT32_MIN;
inline constexpr std::int32_t kMoveLast = INT32_MAX;
inline constexpr std::int32_t kMoveNext = 1;
inline constexpr std::int32_t kMovePrevious = -1;

// An index key description "+a\0-b\0\0" from its segments {"+a", "-b"}; size() counts both
// terminating NULs, the form cbKey takes.
inline std::string KeyDescription(std::initializer_list<const char*> segments) {
  std::string key;
  for (const char* segment : segments) {
    key += segment;
    key.push_back('\0');
  }
  key.push_back('\0');
  return key;
}

// UTF-16 form of KeyDescription, for the W index entry points.
inline std::u16string WideKeyDescription(std::initializer_list<const char*> segments) {
  std::u16string key;
  for (const char* segment : segments) {
    key += Widen(segment);
    key.push_back(u'\0');
  }
  key.push_back(u'\0');
  return key;
}

class StorageTest : public ApiTest {
 protected:
  void SetUp() override {
    instance_ = InitStorageInstance("main");
    ASSERT_NE(JET_INSTANCE{0}, instance_);
    sesid_ = BeginSession(instance_);
    ASSERT_NE(JET_SESID{0}, sesid_);
  }

  // Creates an instance with recovery off and its paths in its own folder, and initializes it.
  // Returns 0 when initialization failed (the failure is already reported).
  JET_INSTANCE InitStorageInstance(const std::string& suffix) {
    JET_INSTANCE instance = CreateInstance(suffix);
    EXPECT_EQ(JET_errSuccess,
              JetSetSystemParameterA(&instance, 0, JET_paramRecovery, 0, "off"));
    const JET_ERR err = JetInit(&instance);
    EXPECT_EQ(JET_errSuccess, err) << "JetInit with recovery off";
    return err < JET_errSuccess ? 0 : instance;
  }

  // Absolute path of a database file in the test folder.
  std::string DatabasePath(const std::string& file_name) const {
    return dir_.path() + "/" + file_name;
  }

  // Creates and opens `file_name` in the test folder on the fixture session.
  JET_DBID CreateDatabase(const std::string& file_name = "test.edb") {
    JET_DBID dbid = kNilDbid;
    EXPECT_EQ(JET_errSuccess,
              JetCreateDatabaseA(sesid_, DatabasePath(file_name).c_str(), nullptr, &dbid, 0))
        << file_name;
    return dbid;
  }

  // Creates a table and returns its (exclusive) cursor.
  JET_TABLEID CreateTable(JET_DBID dbid, const std::string& name) {
    JET_TABLEID tableid = kNilTableid;
    EXPECT_EQ(JET_errSuccess, JetCreateTableA(sesid_, dbid, name.c_str(), 0, 100, &tableid))
        << name;
    return tableid;
  }

  JET_TABLEID OpenTable(JET_DBID dbid, const std::string& name, JET_GRBIT grbit = 0) {
    JET_TABLEID tableid = kNilTableid;
    EXPECT_EQ(JET_errSuccess, JetOpenTableA(sesid_, dbid, name.c_str(), nullptr, 0, grbit, &tableid))
        << name;
    return tableid;
  }

  static JET_COLUMNDEF ColumnDef(JET_COLTYP coltyp, JET_GRBIT grbit = 0, std::uint32_t cbMax = 0,
                                 std::uint16_t cp = 0) {
    JET_COLUMNDEF def{};
    def.cbStruct = sizeof(def);
    def.coltyp = coltyp;
    def.cbMax = cbMax;
    def.grbit = grbit;
    def.cp = cp;
    return def;
  }

  JET_COLUMNID AddColumn(JET_TABLEID tableid, const std::string& name, JET_COLTYP coltyp,
                         JET_GRBIT grbit = 0, std::uint32_t cbMax = 0, std::uint16_t cp = 0,
                         const void* default_value = nullptr, std::uint32_t default_size = 0) {
    const JET_COLUMNDEF def = ColumnDef(coltyp, grbit, cbMax, cp);
    JET_COLUMNID columnid = 0;
    EXPECT_EQ(JET_errSuccess, JetAddColumnA(sesid_, tableid, name.c_str(), &def, default_value,
                                            default_size, &columnid))
        << name;
    return columnid;
  }

  JET_ERR CreateIndex(JET_TABLEID tableid, const std::string& name, JET_GRBIT grbit,
                      std::initializer_list<const char*> segments) {
    const std::string key = KeyDescription(segments);
    return JetCreateIndexA(sesid_, tableid, name.c_str(), grbit, key.data(),
                           static_cast<std::uint32_t>(key.size()), 100);
  }

  // --- values -----------------------------------------------------------------------------

  JET_ERR SetValue(JET_TABLEID tableid, JET_COLUMNID columnid, const void* data,
                   std::uint32_t size, JET_GRBIT grbit = 0) {
    return JetSetColumn(sesid_, tableid, columnid, data, size, grbit, nullptr);
  }

  JET_ERR SetInt32(JET_TABLEID tableid, JET_COLUMNID columnid, std::int32_t value) {
    return SetValue(tableid, columnid, &value, sizeof(value));
  }

  JET_ERR SetString(JET_TABLEID tableid, JET_COLUMNID columnid, const std::string& value,
                    JET_GRBIT grbit = 0) {
    return SetValue(tableid, columnid, value.data(), static_cast<std::uint32_t>(value.size()),
                    grbit);
  }

  // Reads a 32-bit value; returns `if_null` (and expects JET_wrnColumnNull) for a NULL column.
  std::int32_t RetrieveInt32(JET_TABLEID tableid, JET_COLUMNID columnid, JET_GRBIT grbit = 0) {
    std::int32_t value = 0;
    std::uint32_t actual = 0;
    EXPECT_EQ(JET_errSuccess, JetRetrieveColumn(sesid_, tableid, columnid, &value, sizeof(value),
                                                &actual, grbit, nullptr));
    EXPECT_EQ(sizeof(value), actual);
    return value;
  }

  // Reads a whole variable-size value (up to 64 KiB) as bytes.
  std::string RetrieveString(JET_TABLEID tableid, JET_COLUMNID columnid, JET_GRBIT grbit = 0,
                             JET_ERR expected = JET_errSuccess) {
    std::vector<char> buffer(65536);
    std::uint32_t actual = 0;
    EXPECT_EQ(expected, JetRetrieveColumn(sesid_, tableid, columnid, buffer.data(),
                                          static_cast<std::uint32_t>(buffer.size()), &actual,
                                          grbit, nullptr));
    if (actual > buffer.size()) {
      ADD_FAILURE() << "value larger than the test buffer: " << actual;
      return {};
    }
    return std::string(buffer.data(), actual);
  }

  // --- the standard keyed table -------------------------------------------------------------
  //
  // "Keyed": Key Long NOT NULL (primary index "primary" = "+Key", unique), Value Long (secondary
  // index "byValue" = "+Value"), Name Text ASCII (variable, 255). The cursor is closed; rows are
  // inserted with InsertRow through a cursor opened with OpenTable.

  struct KeyedColumns {
    JET_COLUMNID key = 0;
    JET_COLUMNID value = 0;
    JET_COLUMNID name = 0;
  };

  KeyedColumns CreateKeyedTable(JET_DBID dbid, const std::string& table = "Keyed") {
    KeyedColumns columns;
    JET_TABLEID tableid = CreateTable(dbid, table);
    columns.key = AddColumn(tableid, "Key", JET_coltypLong, JET_bitColumnNotNULL);
    columns.value = AddColumn(tableid, "Value", JET_coltypLong);
    columns.name = AddColumn(tableid, "Name", JET_coltypText, 0, 255, kCodePageAscii);
    EXPECT_EQ(JET_errSuccess,
              CreateIndex(tableid, "primary", JET_bitIndexPrimary | JET_bitIndexUnique, {"+Key"}));
    EXPECT_EQ(JET_errSuccess, CreateIndex(tableid, "byValue", 0, {"+Value"}));
    EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
    return columns;
  }

  // Inserts one row of the keyed table; returns the first failing code or JET_errSuccess.
  JET_ERR InsertRow(JET_TABLEID tableid, const KeyedColumns& columns, std::int32_t key,
                    std::int32_t value, const std::string& name = "") {
    JET_ERR err = JetPrepareUpdate(sesid_, tableid, JET_prepInsert);
    if (err < JET_errSuccess) {
      return err;
    }
    err = SetInt32(tableid, columns.key, key);
    if (err >= JET_errSuccess) {
      err = SetInt32(tableid, columns.value, value);
    }
    if (err >= JET_errSuccess && !name.empty()) {
      err = SetString(tableid, columns.name, name);
    }
    if (err < JET_errSuccess) {
      static_cast<void>(JetPrepareUpdate(sesid_, tableid, JET_prepCancel));
      return err;
    }
    // A failed JetUpdate leaves the update prepared (ESE): cancel it so the cursor can go on.
    err = JetUpdate(sesid_, tableid, nullptr, 0, nullptr);
    if (err < JET_errSuccess) {
      static_cast<void>(JetPrepareUpdate(sesid_, tableid, JET_prepCancel));
    }
    return err;
  }

  // Makes a one-column 32-bit key.
  JET_ERR MakeInt32Key(JET_TABLEID tableid, std::int32_t value, JET_GRBIT extra = 0) {
    return JetMakeKey(sesid_, tableid, &value, sizeof(value), JET_bitNewKey | extra);
  }

  // Seeks to a 32-bit key on the current index.
  JET_ERR SeekInt32(JET_TABLEID tableid, std::int32_t value, JET_GRBIT seek_grbit) {
    const JET_ERR err = MakeInt32Key(tableid, value);
    if (err < JET_errSuccess) {
      return err;
    }
    return JetSeek(sesid_, tableid, seek_grbit);
  }

  // The keys of all rows in index order, walking from the first with JetMove.
  std::vector<std::int32_t> ScanInt32(JET_TABLEID tableid, JET_COLUMNID columnid) {
    std::vector<std::int32_t> keys;
    JET_ERR err = JetMove(sesid_, tableid, kMoveFirst, 0);
    while (err >= JET_errSuccess) {
      keys.push_back(RetrieveInt32(tableid, columnid));
      err = JetMove(sesid_, tableid, kMoveNext, 0);
    }
    EXPECT_EQ(JET_errNoCurrentRecord, err);
    return keys;
  }

  JET_INSTANCE instance_ = 0;
  JET_SESID sesid_ = 0;
};

}  // namespace esent_test
