// JetBeginExternalBackupInstance: call admission and every Begin error of the contract
// (/tmp/backup-contract.md "JetBeginExternalBackup(Instance)(grbit), checks in this order"), each
// produced by its situation, and its consequence: a failed Begin starts nothing (the next
// GetAttachInfo is JET_errNoBackup) and cancels nothing (an active backup goes on).
// Errors that need an engine seam (JET_errLogWriteFail, JET_errInstanceUnavailable,
// JET_errOutOfMemory, JET_errTermInProgress) are in backup_internal_test.cc.
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "backup/backup_fixture.h"

namespace esent_test {
namespace {

namespace fs = std::filesystem;
using backup_test::AttachInfo;
using backup_test::LogInfo;
using backup_test::Streamed;
using backup_test::StreamFile;

class BackupBeginTest : public BackupTest {};

TEST_F(BackupBeginTest, FullBeginSucceedsAndStartsABackup) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  std::vector<std::string> databases;
  EXPECT_EQ(JET_errSuccess, AttachInfo(instance_, &databases));
  EXPECT_EQ(1u, databases.size());
  AbortBackup();
  ExpectNoBackup(instance_);
}

TEST_F(BackupBeginTest, RecoveryOffIsLoggingDisabledAndStartsNothing) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase({.recovery = false}));
  EXPECT_EQ(JET_errLoggingDisabled, JetBeginExternalBackupInstance(instance_, 0));
  EXPECT_EQ(JET_errLoggingDisabled, JetBeginExternalBackupInstance(instance_, JET_bitBackupIncremental));
  ExpectNoBackup(instance_);
}

TEST_F(BackupBeginTest, LoggingDisabledIsCheckedBeforeTheGrbit) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase({.recovery = false}));
  EXPECT_EQ(JET_errLoggingDisabled, JetBeginExternalBackupInstance(instance_, JET_bitBackupAtomic));
}

TEST_F(BackupBeginTest, BackupAtomicIsInvalidGrbitAndStartsNothing) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  EXPECT_EQ(JET_errInvalidGrbit, JetBeginExternalBackupInstance(instance_, JET_bitBackupAtomic));
  ExpectNoBackup(instance_);
  EXPECT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0)) << "nothing was left behind";
  AbortBackup();
}

TEST_F(BackupBeginTest, EveryOtherGrbitIsInvalidGrbit) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  const JET_GRBIT refused[] = {
      JET_bitBackupSnapshot,                          // 0x10
      0x20,                                           // surrogate: not supported
      0x40,                                           // internal copy: not supported
      0x2,      0x8,       0x80,     0x100,    0x80000000u,
      JET_bitBackupIncremental | JET_bitBackupAtomic,  // a valid bit does not excuse another
      JET_bitBackupIncremental | 0x20,
  };
  for (JET_GRBIT grbit : refused) {
    SCOPED_TRACE(grbit);
    EXPECT_EQ(JET_errInvalidGrbit, JetBeginExternalBackupInstance(instance_, grbit));
    ExpectNoBackup(instance_);
  }
}

TEST_F(BackupBeginTest, IncrementalUnderCircularLoggingIsInvalidBackup) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase({.circular = true}));
  EXPECT_EQ(JET_errInvalidBackup, JetBeginExternalBackupInstance(instance_, JET_bitBackupIncremental));
  ExpectNoBackup(instance_);
}

TEST_F(BackupBeginTest, InvalidGrbitIsCheckedBeforeCircularLogging) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase({.circular = true}));
  EXPECT_EQ(JET_errInvalidGrbit,
            JetBeginExternalBackupInstance(instance_, JET_bitBackupIncremental | JET_bitBackupAtomic));
}

TEST_F(BackupBeginTest, FullBackupUnderCircularLoggingSucceedsToTheEnd) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase({.circular = true}));
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 20));
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(FullBackup(/*truncate=*/true, &run));
  EXPECT_EQ(1u, run.databases.size());
  EXPECT_FALSE(run.logs.empty());
  ExpectNoBackup(instance_);
}

TEST_F(BackupBeginTest, ASecondBeginIsBackupInProgressAndTheFirstContinues) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  EXPECT_EQ(JET_errBackupInProgress, JetBeginExternalBackupInstance(instance_, 0));
  EXPECT_EQ(JET_errBackupInProgress, JetBeginExternalBackupInstance(instance_, JET_bitBackupIncremental));
  // The first backup is untouched: still in its database phase, it streams the database.
  std::vector<std::string> databases;
  ASSERT_EQ(JET_errSuccess, AttachInfo(instance_, &databases));
  ASSERT_EQ(1u, databases.size());
  ASSERT_NO_FATAL_FAILURE(StreamDatabases(instance_, databases));
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(StreamLogs(instance_, &run));
  EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndNormal));
  EXPECT_FALSE(backup_test::IsZero(backup_test::DbMisc(database_path_).bkinfoCopyPrev))
      << "the first backup completed normally";
}

TEST_F(BackupBeginTest, AFailedBeginDuringABackupCancelsNothing) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  EXPECT_EQ(JET_errInvalidGrbit, JetBeginExternalBackupInstance(instance_, JET_bitBackupAtomic));
  std::vector<std::string> databases;
  EXPECT_EQ(JET_errSuccess, AttachInfo(instance_, &databases)) << "the backup is still active";
  AbortBackup();
}

TEST_F(BackupBeginTest, IncrementalWithoutAFullBackupIsMissingFullBackup) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 5));
  EXPECT_EQ(JET_errMissingFullBackup, JetBeginExternalBackupInstance(instance_, JET_bitBackupIncremental));
  ExpectNoBackup(instance_);
  EXPECT_EQ(JET_errNoBackup, LogInfo(instance_, nullptr));
}

TEST_F(BackupBeginTest, IncrementalAfterOnlyACopyBackupIsMissingFullBackup) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 5));
  BackupRun copy;
  ASSERT_NO_FATAL_FAILURE(FullBackup(/*truncate=*/false, &copy));
  ASSERT_FALSE(backup_test::IsZero(backup_test::DbMisc(database_path_).bkinfoCopyPrev));
  EXPECT_EQ(JET_errMissingFullBackup, JetBeginExternalBackupInstance(instance_, JET_bitBackupIncremental));
  ExpectNoBackup(instance_);
}

TEST_F(BackupBeginTest, IncrementalAfterATruncatedFullBackupSucceeds) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  BackupRun full;
  ASSERT_NO_FATAL_FAILURE(FullBackup(/*truncate=*/true, &full));
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 5));
  EXPECT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, JET_bitBackupIncremental));
  std::vector<std::string> logs;
  EXPECT_EQ(JET_errSuccess, LogInfo(instance_, &logs));
  EXPECT_FALSE(logs.empty());
  AbortBackup();
}

TEST_F(BackupBeginTest, FullBeginWithTheCheckpointFileDeletedIsCheckpointFileNotFound) {
  Options options;
  options.checkpoint_depth_bytes = 20u << 20;  // no checkpoint thread run rewrites edb.chk meanwhile
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase(options));
  ASSERT_TRUE(fs::remove(folder_ + "edb.chk"));
  EXPECT_EQ(JET_errCheckpointFileNotFound, JetBeginExternalBackupInstance(instance_, 0));
  ExpectNoBackup(instance_);
}

TEST_F(BackupBeginTest, FullBeginWithAGarbageCheckpointFileIsCheckpointCorrupt) {
  Options options;
  options.checkpoint_depth_bytes = 20u << 20;  // no checkpoint thread run rewrites edb.chk meanwhile
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase(options));
  const std::string checkpoint = folder_ + "edb.chk";
  const std::uintmax_t size = fs::file_size(checkpoint);
  ASSERT_TRUE(backup_test::WriteWholeFile(checkpoint, std::string(size < 4096 ? 4096 : size, '\xA5')));
  EXPECT_EQ(JET_errCheckpointCorrupt, JetBeginExternalBackupInstance(instance_, 0));
  ExpectNoBackup(instance_);
}

TEST_F(BackupBeginTest, BeginOnACreatedButUninitialisedInstanceIsNotInitialized) {
  JET_INSTANCE instance = Configure("created", Options{});
  EXPECT_EQ(JET_errNotInitialized, JetBeginExternalBackupInstance(instance, 0));
  JET_UINT32 actual = 0;
  char buffer[16];
  EXPECT_EQ(JET_errNotInitialized, JetGetAttachInfoInstanceA(instance, buffer, sizeof(buffer), &actual));
}

TEST_F(BackupBeginTest, BeginOnAGarbageInstanceIsInvalidInstance) {
  EXPECT_EQ(JET_errInvalidInstance, JetBeginExternalBackupInstance(kGarbageInstance, 0));
}

TEST_F(BackupBeginTest, BeginAfterJetTermIsInvalidInstance) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_EQ(JET_errSuccess, JetEndSession(sesid_, 0));
  ASSERT_EQ(JET_errSuccess, JetTerm(instance_));
  EXPECT_EQ(JET_errInvalidInstance, JetBeginExternalBackupInstance(instance_, 0));
}

TEST_F(BackupBeginTest, BeginAfterJetStopServiceInstanceIsClientRequestToStopJetService) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_EQ(JET_errSuccess, JetStopServiceInstance(instance_));
  EXPECT_EQ(JET_errClientRequestToStopJetService, JetBeginExternalBackupInstance(instance_, 0));
  EXPECT_EQ(JET_errClientRequestToStopJetService,
            JetBeginExternalBackupInstance(instance_, JET_bitBackupIncremental));
}

TEST_F(BackupBeginTest, BeginClearsAnEarlierStopRequest) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  EXPECT_EQ(JET_errSuccess, JetStopBackupInstance(instance_)) << "no backup: success, no effect";
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  std::vector<std::string> databases;
  EXPECT_EQ(JET_errSuccess, AttachInfo(instance_, &databases)) << "not JET_errBackupAbortByServer";
  AbortBackup();
}

// JET_errBackupNotAllowedYet: a Begin made while JetInit is still replaying the log, from the
// JET_snpRestore status callback JetInit3 calls during recovery.
JET_INSTANCE g_recovering_instance = 0;
JET_ERR g_begin_during_recovery = JET_errSuccess;
int g_callbacks = 0;

JET_ERR JET_API BeginFromStatusCallback(JET_SESID, JET_SNP snp, JET_SNT, JET_PVOID) {
  if (snp == JET_snpRestore && g_callbacks++ == 0) {
    g_begin_during_recovery = JetBeginExternalBackupInstance(g_recovering_instance, 0);
  }
  return JET_errSuccess;
}

TEST_F(BackupBeginTest, BeginDuringJetInitRecoveryIsBackupNotAllowedYet) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 20));
  ASSERT_NO_FATAL_FAILURE(Roll(2));
  ASSERT_NO_FATAL_FAILURE(InsertRows(100, 5));
  EXPECT_EQ(JET_errDirtyShutdown, JetTerm2(instance_, JET_bitTermDirty));

  JET_INSTANCE instance = Configure("b", Options{});
  JET_RSTINFO_A info{};
  info.cbStruct = sizeof(info);
  info.pfnStatus = BeginFromStatusCallback;
  g_recovering_instance = instance;
  g_begin_during_recovery = JET_errSuccess;
  g_callbacks = 0;
  ASSERT_EQ(JET_errSuccess, JetInit3A(&instance, &info, 0));
  ASSERT_GT(g_callbacks, 0) << "recovery ran and called back";
  EXPECT_EQ(JET_errBackupNotAllowedYet, g_begin_during_recovery);
  // Once JetInit has returned, backups are allowed (and the refused Begin left nothing behind).
  ExpectNoBackup(instance);
  EXPECT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance, 0));
  EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance, JET_bitBackupEndAbort));
}

}  // namespace
}  // namespace esent_test
