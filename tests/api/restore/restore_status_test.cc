// The restore's JET_snpRestore status callbacks (sequence and JET_SNPROG rules; an error from the
// callback aborts, and the same restore run again succeeds; calls on the restoring instance from
// inside the callback get JET_errRestoreInProgress), the restored database header (no backup
// history, clean shutdown; an incremental backup right after restore needs a full one first),
// and the backup folder left byte-identical.
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "restore/restore_fixture.h"

namespace esent_test {
namespace {

using backup_test::DbMisc;
using backup_test::IsZero;
using restore_test::ExpectSameRows;
using restore_test::RecordedEvents;
using restore_test::StatusEvent;

// --- callbacks with process-wide state (the callback has no context argument) ---------------

// Fails (JET_errCallbackFailed) at the progress event numbered g_fail_at_progress (0-based);
// -1 means at the last progress event (cunitDone == cunitTotal).
int g_fail_at_progress = 0;
int g_progress_seen = 0;
bool g_failed_once = false;

JET_ERR JET_API FailingCallback(JET_SESID sesid, JET_SNP snp, JET_SNT snt, void* pv) {
  restore_test::RecordEvent(sesid, snp, snt, pv);
  if (snt != JET_sntProgress || g_failed_once || pv == nullptr) return JET_errSuccess;
  const auto* progress = static_cast<const JET_SNPROG*>(pv);
  const bool last = progress->cunitDone == progress->cunitTotal;
  const bool fail = g_fail_at_progress < 0 ? last : g_progress_seen == g_fail_at_progress;
  ++g_progress_seen;
  if (!fail) return JET_errSuccess;
  g_failed_once = true;
  return JET_errCallbackFailed;
}

// Calls the restoring instance from inside the callback (once, at the first progress event).
JET_INSTANCE g_restoring = 0;
bool g_called_inside = false;
JET_ERR g_init_err = 0;
JET_ERR g_session_err = 0;
JET_ERR g_backup_err = 0;
JET_ERR g_parameter_err = 0;
JET_ERR g_restore_err = 0;

JET_ERR JET_API ReentrantCallback(JET_SESID sesid, JET_SNP snp, JET_SNT snt, void* pv) {
  restore_test::RecordEvent(sesid, snp, snt, pv);
  if (snt != JET_sntProgress || g_called_inside) return JET_errSuccess;
  g_called_inside = true;
  JET_INSTANCE instance = g_restoring;
  g_init_err = JetInit(&instance);
  JET_SESID session = 0;
  g_session_err = JetBeginSessionA(g_restoring, &session, nullptr, nullptr);
  g_backup_err = JetBeginExternalBackupInstance(g_restoring, 0);
  JET_INSTANCE target = g_restoring;
  g_parameter_err = JetSetSystemParameterA(&target, 0, JET_paramMaxVerPages, 1024, nullptr);
  g_restore_err = JetRestoreInstanceA(g_restoring, "/nonexistent-restore-folder", nullptr, nullptr);
  return JET_errSuccess;
}

class RestoreStatusTest : public RestoreTest {
 protected:
  void SetUp() override {
    RecordedEvents().clear();
    g_fail_at_progress = 0;
    g_progress_seen = 0;
    g_failed_once = false;
    g_called_inside = false;
  }

  // History, a full backup over 3+ generations into SetFolder(), source stopped and wiped,
  // restore instance at the source's paths in restorer_.
  void Prepare() {
    ASSERT_NO_FATAL_FAILURE(StartWithHistory());
    BackupRun run;
    ASSERT_NO_FATAL_FAILURE(FullBackupWithThreeGenerations(SetFolder(), &run));
    ASSERT_NO_FATAL_FAILURE(StopAndWipeSource());
    restorer_ = RestoreInstanceAt("r", folder_);
  }

  JET_INSTANCE restorer_ = 0;
};

TEST_F(RestoreStatusTest, CallbackSeesBeginProgressAndCompleteWithSnprogRules) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  ASSERT_EQ(JET_errSuccess, Restore(restorer_, SetFolder(), nullptr, restore_test::RecordingCallback));
  ASSERT_NO_FATAL_FAILURE(restore_test::ExpectRestoreStatusSequence(RecordedEvents()));
  ExpectSameRows(committed_, InitAndReadRows(restorer_, database_path_), "with a callback");
}

TEST_F(RestoreStatusTest, CallbackErrorAtTheFirstProgressAbortsAndARerunSucceeds) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  g_fail_at_progress = 0;
  EXPECT_EQ(JET_errCallbackFailed, Restore(restorer_, SetFolder(), nullptr, FailingCallback));
  EXPECT_TRUE(g_failed_once);
  // No JET_sntComplete after the failure.
  ASSERT_FALSE(RecordedEvents().empty());
  EXPECT_NE(JET_SNT{JET_sntComplete}, RecordedEvents().back().snt);
  RecordedEvents().clear();
  ASSERT_EQ(JET_errSuccess, Restore(restorer_, SetFolder(), nullptr, restore_test::RecordingCallback));
  ASSERT_NO_FATAL_FAILURE(restore_test::ExpectRestoreStatusSequence(RecordedEvents()));
  ExpectSameRows(committed_, InitAndReadRows(restorer_, database_path_), "rerun after abort");
}

TEST_F(RestoreStatusTest, CallbackErrorAtTheLastProgressAbortsAndARerunSucceeds) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  g_fail_at_progress = -1;
  EXPECT_EQ(JET_errCallbackFailed, Restore(restorer_, SetFolder(), nullptr, FailingCallback));
  EXPECT_TRUE(g_failed_once);
  ASSERT_EQ(JET_errSuccess, Restore(restorer_, SetFolder(), nullptr, nullptr));
  ExpectSameRows(committed_, InitAndReadRows(restorer_, database_path_), "rerun after a late abort");
}

TEST_F(RestoreStatusTest, CallsOnTheRestoringInstanceFromTheCallbackAreRestoreInProgress) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  g_restoring = restorer_;
  ASSERT_EQ(JET_errSuccess, Restore(restorer_, SetFolder(), nullptr, ReentrantCallback));
  ASSERT_TRUE(g_called_inside) << "no progress callback";
  EXPECT_EQ(JET_errRestoreInProgress, g_init_err);
  EXPECT_EQ(JET_errRestoreInProgress, g_session_err);
  EXPECT_EQ(JET_errRestoreInProgress, g_backup_err);
  EXPECT_EQ(JET_errRestoreInProgress, g_parameter_err);
  EXPECT_EQ(JET_errRestoreInProgress, g_restore_err);
  // Afterwards the instance is not initialised and works normally.
  ExpectSameRows(committed_, InitAndReadRows(restorer_, database_path_), "after reentrant calls");
}

TEST_F(RestoreStatusTest, RestoredHeaderHasNoBackupHistoryAndIsCleanlyShutDown) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  // Give the live header every kind of backup history before the full backup that is restored.
  ASSERT_NO_FATAL_FAILURE(FullBackupTo(SetFolder("full1")));
  ASSERT_NO_FATAL_FAILURE(CommitRows(1000, 5));
  ASSERT_NO_FATAL_FAILURE(IncrementalBackupTo(SetFolder("inc"), /*truncate=*/true));
  ASSERT_NO_FATAL_FAILURE(CommitRows(2000, 5));
  ASSERT_NO_FATAL_FAILURE(IncrementalBackupTo(SetFolder("diff"), /*truncate=*/false));
  ASSERT_NO_FATAL_FAILURE(FullBackupTo(SetFolder("copy"), /*truncate=*/false));
  ASSERT_NO_FATAL_FAILURE(CommitRows(3000, 5));
  ASSERT_NO_FATAL_FAILURE(FullBackupTo(SetFolder()));
  const JET_DBINFOMISC4 image = DbMisc(SetFolder() + "/db.edb");
  ASSERT_FALSE(IsZero(image.bkinfoFullPrev));
  ASSERT_FALSE(IsZero(image.bkinfoIncPrev));
  ASSERT_FALSE(IsZero(image.bkinfoDiffPrev));
  ASSERT_FALSE(IsZero(image.bkinfoCopyPrev));
  ASSERT_FALSE(IsZero(image.bkinfoFullCur));
  ASSERT_NO_FATAL_FAILURE(StopAndWipeSource());
  JET_INSTANCE restorer = RestoreInstanceAt("r", folder_);
  ASSERT_EQ(JET_errSuccess, Restore(restorer, SetFolder(), nullptr));
  const JET_DBINFOMISC4 misc = DbMisc(database_path_);
  EXPECT_EQ(JET_UINT32{JET_dbstateCleanShutdown}, misc.dbstate);
  EXPECT_TRUE(IsZero(misc.bkinfoFullPrev));
  EXPECT_TRUE(IsZero(misc.bkinfoIncPrev));
  EXPECT_TRUE(IsZero(misc.bkinfoDiffPrev));
  EXPECT_TRUE(IsZero(misc.bkinfoCopyPrev));
  EXPECT_TRUE(IsZero(misc.bkinfoFullCur));
  ExpectSameRows(committed_, InitAndReadRows(restorer, database_path_), "header test");
}

TEST_F(RestoreStatusTest, IncrementalBackupRightAfterRestoreIsMissingFullBackup) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  ASSERT_EQ(JET_errSuccess, Restore(restorer_, SetFolder(), nullptr));
  JET_INSTANCE running = restorer_;
  ASSERT_EQ(JET_errSuccess, JetInit(&running));
  JET_SESID sesid = BeginSession(restorer_);
  ASSERT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid, database_path_.c_str(), 0));
  EXPECT_EQ(JET_errMissingFullBackup, JetBeginExternalBackupInstance(restorer_, JET_bitBackupIncremental));
  // A full backup is possible and makes the next incremental possible.
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(StreamBackupTo(restorer_, false, true, SetFolder("after"), &run));
  EXPECT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(restorer_, JET_bitBackupIncremental));
  EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(restorer_, JET_bitBackupEndAbort));
  EXPECT_EQ(JET_errSuccess, JetEndSession(sesid, 0));
}

TEST_F(RestoreStatusTest, BackupFolderIsByteIdenticalAfterRestoresToBothPlaces) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  const restore_test::FolderBytes before = restore_test::SnapshotFolder(SetFolder());
  ASSERT_EQ(JET_errSuccess, JetRestoreInstanceA(restorer_, SetFolder().c_str(), nullptr, nullptr));
  JET_INSTANCE other = RestoreInstanceAt("r2", dir_.Sub("r2"));
  const std::string dest = dir_.Sub("dest");
  ASSERT_EQ(JET_errSuccess, JetRestoreInstanceA(other, SetFolder().c_str(), dest.c_str(), nullptr));
  const restore_test::FolderBytes after = restore_test::SnapshotFolder(SetFolder());
  EXPECT_TRUE(before == after) << restore_test::DescribeDifference(before, after);
  ExpectSameRows(committed_, InitAndReadRows(other, dest + "db.edb"), "second restore");
}

}  // namespace
}  // namespace esent_test
