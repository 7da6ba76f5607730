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
    EXPECT_EQ(JET_errRunningInMultiInstanceMode, JetBeginExternalBackup(JET_bitBackupIncremental));
    backup_test::ExpectEveryLegacyCallIs(JET_errRunningInMultiInstanceMode, database_path_);
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
