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

class LegacyBackupInstanceTest : public LegacyRowsTest {
 protected:
  void Roll() { ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, JET_bitForceNewLog)); }

  // JetTerm of the one instance, then every file of its folder removed.
  void StopAndWipe() {
    ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, table_));
    ASSERT_EQ(JET_errSuccess, JetEndSession(sesid_, 0));
    ASSERT_EQ(JET_errSuccess, JetTerm(instance_));
    instance_ = 0;
    restore_test::RemoveFilesIn(folder_);
  }

  // JetRestoreA of `set` with the process defaults, then the restored db.edb read.
  Rows RestoreAndRead(const std::string& set) {
    EXPECT_EQ(JET_errSuccess, JetRestoreA(set.c_str(), nullptr)) << set;
    return InitAndRead(database_path_);
  }

  std::string Dir(const std::string& name) const {
    const std::string path = dir_.path() + "/" + name;
    fs::create_directories(path);
    return path;
  }

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
