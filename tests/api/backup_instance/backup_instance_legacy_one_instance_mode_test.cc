// JetBackup(A/W) in one-instance mode (no JetCreateInstance in this process; issue 8 contract
// §1): JET_errNotInitialized while no instance runs; with the one instance (JetInit(NULL))
// running, JetBackupA / JetBackupW back it up into a directory (full, incremental, atomic) and
// JetRestoreA restores it row by row. Built as its own executable: the mode is per process.
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "backup_instance/backup_instance_fixture.h"

namespace esent_test {
namespace {

namespace fs = std::filesystem;
using restore_test::ExpectSameRows;
using restore_test::Rows;
using restore_test::ValueFor;

class LegacyBackupInstanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = dir_.Sub("legacy");
    ASSERT_NO_FATAL_FAILURE(backup_test::SetLegacyDefaults(folder_));
    database_path_ = folder_ + "db.edb";
  }

  void TearDown() override { static_cast<void>(JetTerm2(0, JET_bitTermAbrupt)); }

  // JetInit(NULL), db.edb with table t (id Long primary, value LongBinary) and rows 1..40.
  void StartWithRows() {
    JET_INSTANCE instance = 0;
    ASSERT_EQ(JET_errSuccess, JetInit(&instance));
    instance_ = instance;
    ASSERT_EQ(JET_errSuccess, JetBeginSessionA(instance_, &sesid_, nullptr, nullptr));
    ASSERT_EQ(JET_errSuccess, JetCreateDatabaseA(sesid_, database_path_.c_str(), nullptr, &dbid_, 0));
    ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
    ASSERT_EQ(JET_errSuccess, JetCreateTableA(sesid_, dbid_, "t", 0, 100, &table_));
    JET_COLUMNDEF id_def{sizeof(JET_COLUMNDEF), 0, JET_coltypLong, 0, 0, 0, 0, 0, JET_bitColumnNotNULL};
    JET_COLUMNDEF value_def{sizeof(JET_COLUMNDEF), 0, JET_coltypLongBinary, 0, 0, 0, 0, 0, 0};
    ASSERT_EQ(JET_errSuccess, JetAddColumnA(sesid_, table_, "id", &id_def, nullptr, 0, &id_column_));
    ASSERT_EQ(JET_errSuccess, JetAddColumnA(sesid_, table_, "value", &value_def, nullptr, 0, &value_column_));
    const char key[] = "+id\0";
    ASSERT_EQ(JET_errSuccess, JetCreateIndexA(sesid_, table_, "primary", JET_bitIndexPrimary, key, sizeof(key), 100));
    ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0));
    ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, table_));
    ASSERT_EQ(JET_errSuccess, JetOpenTableA(sesid_, dbid_, "t", nullptr, 0, 0, &table_));
    ASSERT_NO_FATAL_FAILURE(CommitRows(1, 40));
  }

  void CommitRows(std::int32_t first, int count) {
    for (std::int32_t id = first; id < first + count; ++id) {
      const std::string value = ValueFor(id);
      ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
      ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, table_, JET_prepInsert));
      ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid_, table_, id_column_, &id, sizeof(id), 0, nullptr));
      ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid_, table_, value_column_, value.data(),
                                             static_cast<JET_UINT32>(value.size()), 0, nullptr));
      ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, table_, nullptr, 0, nullptr));
      ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0));
      committed_[id] = value;
    }
  }

  void Roll() { ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, JET_bitForceNewLog)); }

  // JetTerm of the one instance, then every file of its folder removed.
  void StopAndWipe() {
    ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, table_));
    ASSERT_EQ(JET_errSuccess, JetEndSession(sesid_, 0));
    ASSERT_EQ(JET_errSuccess, JetTerm(instance_));
    instance_ = 0;
    restore_test::RemoveFilesIn(folder_);
  }

  // JetRestoreA of `set` with the process defaults, JetInit(NULL), attach db.edb, read t, JetTerm.
  Rows RestoreAndRead(const std::string& set) {
    Rows rows;
    EXPECT_EQ(JET_errSuccess, JetRestoreA(set.c_str(), nullptr)) << set;
    JET_INSTANCE instance = 0;
    EXPECT_EQ(JET_errSuccess, JetInit(&instance));
    JET_SESID sesid = 0;
    EXPECT_EQ(JET_errSuccess, JetBeginSessionA(instance, &sesid, nullptr, nullptr));
    EXPECT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid, database_path_.c_str(), 0));
    JET_DBID dbid = 0;
    EXPECT_EQ(JET_errSuccess, JetOpenDatabaseA(sesid, database_path_.c_str(), nullptr, &dbid, 0));
    EXPECT_EQ(JET_errSuccess, restore_test::ReadTable(sesid, dbid, &rows));
    static_cast<void>(JetCloseDatabase(sesid, dbid, 0));
    static_cast<void>(JetEndSession(sesid, 0));
    EXPECT_EQ(JET_errSuccess, JetTerm(instance));
    return rows;
  }

  std::string Dir(const std::string& name) const {
    const std::string path = dir_.path() + "/" + name;
    fs::create_directories(path);
    return path;
  }

  TestDir dir_;
  std::string folder_;
  std::string database_path_;
  JET_INSTANCE instance_ = 0;
  JET_SESID sesid_ = 0;
  JET_DBID dbid_ = 0;
  JET_TABLEID table_ = 0;
  JET_COLUMNID id_column_ = 0;
  JET_COLUMNID value_column_ = 0;
  Rows committed_;
};

TEST_F(LegacyBackupInstanceTest, WithNoInstanceRunningJetBackupIsNotInitialized) {
  const std::string dir = Dir("bk");
  EXPECT_EQ(JET_errNotInitialized, JetBackupA(dir.c_str(), 0, nullptr));
  const std::u16string wide = Widen(dir);
  EXPECT_EQ(JET_errNotInitialized, JetBackupW(reinterpret_cast<const JET_WCHAR*>(wide.c_str()), 0, nullptr));
  EXPECT_TRUE(backup_instance_test::TreeEntries(dir).empty());
}

TEST_F(LegacyBackupInstanceTest, JetBackupAFullAndIncrementalRestoreWithJetRestoreA) {
  ASSERT_NO_FATAL_FAILURE(StartWithRows());
  const std::string dir = Dir("bk");
  ASSERT_EQ(JET_errSuccess, JetBackupA(dir.c_str(), 0, nullptr));
  ASSERT_NO_FATAL_FAILURE(backup_instance_test::ExpectManifestMatches(dir));
  ASSERT_NO_FATAL_FAILURE(CommitRows(100, 30));
  ASSERT_NO_FATAL_FAILURE(Roll());
  ASSERT_EQ(JET_errSuccess, JetBackupA(dir.c_str(), JET_bitBackupIncremental, nullptr));
  const Rows expected = committed_;
  ASSERT_NO_FATAL_FAILURE(CommitRows(500, 5));
  ASSERT_NO_FATAL_FAILURE(StopAndWipe());
  ExpectSameRows(expected, RestoreAndRead(dir), "JetBackupA full + incremental");
}

TEST_F(LegacyBackupInstanceTest, JetBackupWAtomicRestoresWithJetRestoreA) {
  ASSERT_NO_FATAL_FAILURE(StartWithRows());
  const std::string dir = Dir("bk");
  const std::u16string wide = Widen(dir);
  ASSERT_EQ(JET_errSuccess, JetBackupW(reinterpret_cast<const JET_WCHAR*>(wide.c_str()), JET_bitBackupAtomic, nullptr));
  ASSERT_NO_FATAL_FAILURE(CommitRows(100, 30));
  ASSERT_EQ(JET_errSuccess, JetBackupW(reinterpret_cast<const JET_WCHAR*>(wide.c_str()), JET_bitBackupAtomic, nullptr));
  EXPECT_TRUE(fs::is_directory(dir + "/new"));
  EXPECT_FALSE(fs::exists(dir + "/old"));
  const Rows expected = committed_;
  ASSERT_NO_FATAL_FAILURE(CommitRows(500, 5));
  ASSERT_NO_FATAL_FAILURE(StopAndWipe());
  ExpectSameRows(expected, RestoreAndRead(dir), "JetBackupW atomic twice");
}

TEST_F(LegacyBackupInstanceTest, JetBackupChecksItsArgumentsLikeTheInstanceForm) {
  ASSERT_NO_FATAL_FAILURE(StartWithRows());
  const std::string dir = Dir("bk");
  EXPECT_EQ(JET_errInvalidGrbit, JetBackupA(dir.c_str(), JET_bitBackupSnapshot, nullptr));
  EXPECT_EQ(JET_errInvalidPath, JetBackupA((dir + "/missing").c_str(), 0, nullptr));
  EXPECT_EQ(JET_errMissingFullBackup, JetBackupA(dir.c_str(), JET_bitBackupIncremental, nullptr));
  EXPECT_TRUE(backup_instance_test::TreeEntries(dir).empty());
  EXPECT_EQ(JET_errSuccess, JetBackupA(nullptr, 0, nullptr)) << "NULL: truncation only";
  EXPECT_TRUE(backup_instance_test::TreeEntries(dir).empty());
}

}  // namespace
}  // namespace esent_test
