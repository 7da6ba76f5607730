// The legacy (instance-less) backup functions in multi-instance mode (an instance made with
// JetCreateInstance): every one is JET_errRunningInMultiInstanceMode, with or without a backup
// active on the instance, and the instance's own backup is untouched by them.
// Built as its own executable: the mode is per process.
#include <esent.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "backup/backup_fixture.h"

namespace esent_test {
namespace {

class LegacyMultiInstanceBackupTest : public BackupTest {
 protected:
  void ExpectEveryLegacyCallIsRunningInMultiInstanceMode() {
    char buffer[64];
    JET_WCHAR wide[32];
    JET_UINT32 actual = 0;
    JET_HANDLE handle = 0;
    JET_UINT32 low = 0;
    JET_UINT32 high = 0;
    constexpr JET_ERR kMulti = JET_errRunningInMultiInstanceMode;
    EXPECT_EQ(kMulti, JetBeginExternalBackup(0));
    EXPECT_EQ(kMulti, JetBeginExternalBackup(JET_bitBackupIncremental));
    EXPECT_EQ(kMulti, JetGetAttachInfoA(buffer, sizeof(buffer), &actual));
    EXPECT_EQ(kMulti, JetGetAttachInfoW(wide, sizeof(wide), &actual));
    EXPECT_EQ(kMulti, JetOpenFileA(database_path_.c_str(), &handle, &low, &high));
    const std::u16string name = Widen(database_path_);
    EXPECT_EQ(kMulti, JetOpenFileW(reinterpret_cast<const JET_WCHAR*>(name.c_str()), &handle, &low, &high));
    EXPECT_EQ(kMulti, JetReadFile(1, buffer, sizeof(buffer), &actual));
    EXPECT_EQ(kMulti, JetCloseFile(1));
    EXPECT_EQ(kMulti, JetGetLogInfoA(buffer, sizeof(buffer), &actual));
    EXPECT_EQ(kMulti, JetGetLogInfoW(wide, sizeof(wide), &actual));
    EXPECT_EQ(kMulti, JetTruncateLog());
    EXPECT_EQ(kMulti, JetEndExternalBackup());
    EXPECT_EQ(kMulti, JetStopBackup());
  }
};

TEST_F(LegacyMultiInstanceBackupTest, EveryLegacyCallIsRunningInMultiInstanceMode) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ExpectEveryLegacyCallIsRunningInMultiInstanceMode();
  ExpectNoBackup(instance_);  // the refused legacy Begin started nothing
}

TEST_F(LegacyMultiInstanceBackupTest, LegacyCallsDuringAnInstanceBackupAreRefusedAndTouchNothing) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 10));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  ExpectEveryLegacyCallIsRunningInMultiInstanceMode();
  // Not stopped, not ended: the instance's backup completes normally.
  std::vector<std::string> databases;
  ASSERT_EQ(JET_errSuccess, backup_test::AttachInfo(instance_, &databases));
  ASSERT_NO_FATAL_FAILURE(StreamDatabases(instance_, databases));
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(StreamLogs(instance_, &run));
  ASSERT_EQ(JET_errSuccess, JetTruncateLogInstance(instance_));
  ASSERT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndNormal));
  EXPECT_FALSE(backup_test::IsZero(backup_test::DbMisc(database_path_).bkinfoFullPrev));
}

}  // namespace
}  // namespace esent_test
