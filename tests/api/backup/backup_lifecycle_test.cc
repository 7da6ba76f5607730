// A backup and the rest of the instance's life:
// - JetAttachDatabase / JetDetachDatabase while a backup is active (also stopped, not yet
//   ended) → JET_errBackupInProgress; after End they work again;
// - JetTerm (abrupt) and JetTerm2 with JET_bitTermAbrupt / JET_bitTermStopBackup /
//   JET_bitTermDirty end the backup as aborted (headers unchanged) and terminate;
// - JetTerm2(0 or JET_bitTermComplete) → JET_errBackupInProgress, the instance stays up and the
//   backup continues;
// - backup state is never persisted: after a crash and JetInit no backup is active.
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "backup/backup_fixture.h"

namespace esent_test {
namespace {

using backup_test::AttachInfo;
using backup_test::DbMisc;
using backup_test::IsZero;
using backup_test::LogInfo;

class BackupLifecycleTest : public BackupTest {
 protected:
  // Begin, stream the database, GetLogInfo, stream the logs: a backup that End(Normal) would
  // record, left open.
  void BackupReadyToEnd() {
    ASSERT_NO_FATAL_FAILURE(BeginAndStreamDatabase());
    BackupRun run;
    ASSERT_NO_FATAL_FAILURE(StreamLogs(instance_, &run));
    ASSERT_EQ(JET_errSuccess, JetTruncateLogInstance(instance_));
  }

  // Starts the fixture's instance again on the same folder (after a term), with a session.
  JET_INSTANCE Restart() {
    JET_INSTANCE instance = Start("b");
    if (instance != 0) sesid_ = BeginSession(instance);
    return instance;
  }
};

TEST_F(BackupLifecycleTest, AttachDuringABackupIsBackupInProgress) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  const std::string second = folder_ + "second.edb";
  ASSERT_NO_FATAL_FAILURE(CreateDetachedDatabase(second));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  EXPECT_EQ(JET_errBackupInProgress, JetAttachDatabaseA(sesid_, second.c_str(), 0));
  std::vector<std::string> databases;
  ASSERT_EQ(JET_errSuccess, AttachInfo(instance_, &databases));
  EXPECT_EQ(1u, databases.size()) << "nothing was attached";
  ASSERT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndAbort));
  EXPECT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid_, second.c_str(), 0)) << "after End it works";
}

TEST_F(BackupLifecycleTest, DetachDuringABackupIsBackupInProgress) {
  std::string second;
  ASSERT_NO_FATAL_FAILURE(StartWithSecondDatabase(&second));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  EXPECT_EQ(JET_errBackupInProgress, JetDetachDatabaseA(sesid_, second.c_str()));
  std::vector<std::string> databases;
  ASSERT_EQ(JET_errSuccess, AttachInfo(instance_, &databases));
  EXPECT_EQ(2u, databases.size()) << "still attached";
  ASSERT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndAbort));
  EXPECT_EQ(JET_errSuccess, JetDetachDatabaseA(sesid_, second.c_str())) << "after End it works";
}

TEST_F(BackupLifecycleTest, AttachAndDetachAfterStopButBeforeEndAreBackupInProgress) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  const std::string second = folder_ + "second.edb";
  ASSERT_NO_FATAL_FAILURE(CreateDetachedDatabase(second));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  ASSERT_EQ(JET_errSuccess, JetStopBackupInstance(instance_));
  EXPECT_EQ(JET_errBackupInProgress, JetAttachDatabaseA(sesid_, second.c_str(), 0));
  EXPECT_EQ(JET_errBackupInProgress, JetDetachDatabaseA(sesid_, database_path_.c_str()));
  ASSERT_EQ(JET_errSuccess, JetEndExternalBackupInstance(instance_));
  EXPECT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid_, second.c_str(), 0));
}

TEST_F(BackupLifecycleTest, JetTermEndsTheBackupAsAbortedAndTerminates) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 10));
  ASSERT_NO_FATAL_FAILURE(BackupReadyToEnd());
  ASSERT_EQ(JET_errSuccess, JetEndSession(sesid_, 0));
  EXPECT_EQ(JET_errSuccess, JetTerm(instance_));
  EXPECT_EQ(JET_errInvalidInstance, JetGetAttachInfoInstanceA(instance_, nullptr, 0, nullptr))
      << "the instance is gone";
  const JET_DBINFOMISC4 misc = DbMisc(database_path_);
  EXPECT_TRUE(IsZero(misc.bkinfoFullPrev)) << "an abort records nothing";
  EXPECT_TRUE(IsZero(misc.bkinfoCopyPrev));
  instance_ = Restart();
  ASSERT_NE(JET_INSTANCE{0}, instance_);
  ExpectNoBackup(instance_);
}

TEST_F(BackupLifecycleTest, JetTerm2AbruptEndsTheBackupAsAborted) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(BackupReadyToEnd());
  EXPECT_EQ(JET_errSuccess, JetTerm2(instance_, JET_bitTermAbrupt));
  EXPECT_TRUE(IsZero(DbMisc(database_path_).bkinfoFullPrev));
  instance_ = Restart();
  ASSERT_NE(JET_INSTANCE{0}, instance_);
  ExpectNoBackup(instance_);
}

TEST_F(BackupLifecycleTest, JetTerm2StopBackupEndsTheBackupAsAbortedAndTerminates) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(BackupReadyToEnd());
  ASSERT_EQ(JET_errSuccess, JetEndSession(sesid_, 0));
  EXPECT_EQ(JET_errSuccess, JetTerm2(instance_, JET_bitTermStopBackup));
  EXPECT_EQ(JET_errInvalidInstance, JetGetAttachInfoInstanceA(instance_, nullptr, 0, nullptr));
  EXPECT_TRUE(IsZero(DbMisc(database_path_).bkinfoFullPrev));
  instance_ = Restart();
  ASSERT_NE(JET_INSTANCE{0}, instance_);
  ExpectNoBackup(instance_);
}

TEST_F(BackupLifecycleTest, JetTerm2CompleteIsBackupInProgressAndTheBackupContinues) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 10));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  EXPECT_EQ(JET_errBackupInProgress, JetTerm2(instance_, JET_bitTermComplete));
  // The instance is up and the backup goes on to a normal end.
  ASSERT_NO_FATAL_FAILURE(StreamDatabases(instance_, {database_path_}));
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(StreamLogs(instance_, &run));
  ASSERT_EQ(JET_errSuccess, JetTruncateLogInstance(instance_));
  ASSERT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndNormal));
  EXPECT_EQ(JET_errSuccess, Insert(1000)) << "the instance still works";
  EXPECT_FALSE(IsZero(DbMisc(database_path_).bkinfoFullPrev));
  ASSERT_EQ(JET_errSuccess, JetEndSession(sesid_, 0));
  EXPECT_EQ(JET_errSuccess, JetTerm2(instance_, JET_bitTermComplete)) << "no backup: the term goes on";
}

TEST_F(BackupLifecycleTest, JetTerm2WithNoBitsIsBackupInProgress) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  EXPECT_EQ(JET_errBackupInProgress, JetTerm2(instance_, 0));
  EXPECT_EQ(JET_errSuccess, AttachInfo(instance_, nullptr)) << "the backup continues";
  AbortBackup();
}

TEST_F(BackupLifecycleTest, JetTerm2WithABackupInProgressAfterStopIsStillBackupInProgress) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  ASSERT_EQ(JET_errSuccess, JetStopBackupInstance(instance_));
  EXPECT_EQ(JET_errBackupInProgress, JetTerm2(instance_, JET_bitTermComplete));
  EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance(instance_));
}

TEST_F(BackupLifecycleTest, AfterACrashAndJetInitNoBackupIsActive) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 10));
  ASSERT_NO_FATAL_FAILURE(BackupReadyToEnd());
  EXPECT_EQ(JET_errDirtyShutdown, JetTerm2(instance_, JET_bitTermDirty));
  instance_ = Restart();
  ASSERT_NE(JET_INSTANCE{0}, instance_);
  ExpectNoBackup(instance_);
  EXPECT_EQ(JET_errNoBackup, LogInfo(instance_, nullptr));
  EXPECT_EQ(JET_errNoBackup, JetEndExternalBackupInstance(instance_));
  EXPECT_TRUE(IsZero(DbMisc(database_path_).bkinfoFullPrev)) << "the crashed backup recorded nothing";
  // A new backup starts normally.
  EXPECT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  AbortBackup();
}

}  // namespace
}  // namespace esent_test
