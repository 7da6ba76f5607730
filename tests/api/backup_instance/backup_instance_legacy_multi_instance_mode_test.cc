// JetBackup(A/W) in multi-instance mode (an instance made with JetCreateInstance; issue 8
// contract §1): JET_errRunningInMultiInstanceMode, nothing written, and the instance's own
// JetBackupInstance still works. Built as its own executable: the mode is per process.
#include <esent.h>
#include <gtest/gtest.h>

#include <string>

#include "backup_instance/backup_instance_fixture.h"

namespace esent_test {
namespace {

class LegacyMultiInstanceBackupInstanceTest : public BackupInstanceTest {};

TEST_F(LegacyMultiInstanceBackupInstanceTest, JetBackupIsRunningInMultiInstanceMode) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  const std::string dir = BackupDir();
  EXPECT_EQ(JET_errRunningInMultiInstanceMode, JetBackupA(dir.c_str(), 0, nullptr));
  EXPECT_EQ(JET_errRunningInMultiInstanceMode, JetBackupA(dir.c_str(), JET_bitBackupAtomic, nullptr));
  const std::u16string wide = Widen(dir);
  EXPECT_EQ(JET_errRunningInMultiInstanceMode,
            JetBackupW(reinterpret_cast<const JET_WCHAR*>(wide.c_str()), 0, nullptr));
  EXPECT_TRUE(backup_instance_test::TreeEntries(dir).empty());
  ASSERT_EQ(JET_errSuccess, Backup(dir)) << "the instance form works";
  ExpectRestores(dir, committed_, "JetBackupInstance in multi-instance mode");
}

}  // namespace
}  // namespace esent_test
