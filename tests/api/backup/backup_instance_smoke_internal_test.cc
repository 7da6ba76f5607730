// Lead's smoke test of JetBackupInstance (issue 8): atomic full twice, an atomic incremental,
// then the directory verified and restored. The acceptance suite is tests/api/backup_instance.
#include <esent_ext.h>

#include "backup_fixture.h"

namespace esent_test {
namespace {

namespace fs = std::filesystem;

class BackupInstanceSmoke : public BackupTest {
 protected:
  std::int64_t CountRows(JET_SESID sesid, const std::string& path) {
    JET_DBID dbid = 0;
    EXPECT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid, path.c_str(), 0));
    EXPECT_EQ(JET_errSuccess, JetOpenDatabaseA(sesid, path.c_str(), nullptr, &dbid, 0));
    JET_TABLEID table = 0;
    EXPECT_EQ(JET_errSuccess, JetOpenTableA(sesid, dbid, "t", nullptr, 0, 0, &table));
    std::int64_t rows = 0;
    JET_ERR err = JetMove(sesid, table, static_cast<JET_INT32>(JET_MoveFirst), 0);
    while (err == JET_errSuccess) {
      ++rows;
      err = JetMove(sesid, table, JET_MoveNext, 0);
    }
    return rows;
  }
};

TEST_F(BackupInstanceSmoke, AtomicTwiceThenIncrementalRestores) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  const std::string target = dir_.Sub("target");
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 100));
  ASSERT_EQ(JET_errSuccess, JetBackupInstanceA(instance_, target.c_str(), JET_bitBackupAtomic, nullptr));
  EXPECT_TRUE(fs::exists(target + "/new/db.edb"));
  ASSERT_NO_FATAL_FAILURE(InsertRows(1000, 100));
  ASSERT_EQ(JET_errSuccess, JetBackupInstanceA(instance_, target.c_str(), JET_bitBackupAtomic, nullptr));
  EXPECT_FALSE(fs::exists(target + "/old"));
  ASSERT_NO_FATAL_FAILURE(InsertRows(2000, 100));
  ASSERT_EQ(JET_errSuccess, JetBackupInstanceA(instance_, target.c_str(),
                                               JET_bitBackupAtomic | JET_bitBackupIncremental, nullptr));
  ASSERT_EQ(JET_errSuccess, EsentVerifyBackupA(target.c_str(), nullptr));
  ASSERT_NO_FATAL_FAILURE(InsertRows(3000, 100));  // after the last backup; its logs go
  ASSERT_EQ(JET_errSuccess, JetTerm2(instance_, JET_bitTermAbrupt));
  fs::remove_all(folder_);
  fs::create_directories(folder_);

  JET_INSTANCE restorer = Configure("b", Options());
  ASSERT_EQ(JET_errSuccess, JetRestoreInstanceA(restorer, target.c_str(), nullptr, nullptr));
  ASSERT_EQ(JET_errSuccess, JetInit(&restorer));
  JET_SESID sesid = BeginSession(restorer);
  EXPECT_EQ(300, CountRows(sesid, database_path_));
}

TEST_F(BackupInstanceSmoke, FullIntoANonEmptyFolderIsRefused) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  const std::string target = dir_.Sub("target");
  ASSERT_TRUE(backup_test::WriteWholeFile(target + "/x", "x"));
  EXPECT_EQ(JET_errBackupDirectoryNotEmpty, JetBackupInstanceA(instance_, target.c_str(), 0, nullptr));
  fs::remove(target + "/x");
  EXPECT_EQ(JET_errSuccess, JetBackupInstanceA(instance_, target.c_str(), 0, nullptr));
  EXPECT_TRUE(fs::exists(target + "/esent-backup.manifest"));
}

}  // namespace
}  // namespace esent_test
