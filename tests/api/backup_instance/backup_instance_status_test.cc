// JetBackupInstance's status callback (issue 8 contract §1, pfnStatus): JET_snpBackup with
// JET_sntBegin first, JET_sntProgress with a JET_SNPROG (cbStruct 12, cunitTotal constant,
// cunitDone non-decreasing up to cunitTotal), JET_sntComplete last on success, JET_sntFail on
// failure. A callback returning an error at the first, a middle or the last progress event aborts
// the backup with exactly that error, leaves no file of it (non-atomic: the directory empty;
// atomic: the previous backup intact), and the same backup then succeeds.
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "backup_instance/backup_instance_fixture.h"

namespace esent_test {
namespace {

namespace fs = std::filesystem;
using backup_instance_test::ExpectBackupStatusSequence;
using backup_instance_test::TreeBytes;
using backup_instance_test::TreeEntries;
using restore_test::RecordedEvents;
using restore_test::RecordingCallback;

// Fails with g_fail_with at the progress event numbered g_fail_at (0-based); -1: at the last
// one (cunitDone == cunitTotal). Once per test.
int g_fail_at = 0;
int g_progress_seen = 0;
bool g_failed = false;
JET_ERR g_fail_with = JET_errCallbackFailed;

JET_ERR JET_API FailingCallback(JET_SESID sesid, JET_SNP snp, JET_SNT snt, void* pv) {
  restore_test::RecordEvent(sesid, snp, snt, pv);
  if (snt != JET_sntProgress || g_failed || pv == nullptr) return JET_errSuccess;
  const auto* progress = static_cast<const JET_SNPROG*>(pv);
  const bool last = progress->cunitDone == progress->cunitTotal;
  const bool fail = g_fail_at < 0 ? last : g_progress_seen == g_fail_at;
  ++g_progress_seen;
  if (!fail) return JET_errSuccess;
  g_failed = true;
  return g_fail_with;
}

std::size_t ProgressEvents(const std::vector<restore_test::StatusEvent>& events) {
  std::size_t count = 0;
  for (const auto& event : events) count += event.snt == JET_sntProgress ? 1 : 0;
  return count;
}

class BackupInstanceStatusTest : public BackupInstanceTest {
 protected:
  void SetUp() override {
    RecordedEvents().clear();
    g_fail_at = 0;
    g_progress_seen = 0;
    g_failed = false;
    g_fail_with = JET_errCallbackFailed;
  }

  // History large enough for several progress events.
  void StartWithSomeData() {
    ASSERT_NO_FATAL_FAILURE(StartWithHistory());
    ASSERT_NO_FATAL_FAILURE(CommitRows(100, 300));
    ASSERT_NO_FATAL_FAILURE(Roll());
  }

  // A full backup with a callback failing at progress event `fail_at` (see FailingCallback)
  // with `error`: exactly that error, no file in `dir`, no Complete; then the same backup
  // without failure succeeds and restores.
  void ExpectAbortAt(int fail_at, JET_ERR error, JET_GRBIT grbit) {
    const std::string dir = BackupDir();
    const auto before = TreeBytes(dir);
    RecordedEvents().clear();
    g_fail_at = fail_at;
    g_fail_with = error;
    g_progress_seen = 0;
    g_failed = false;
    EXPECT_EQ(error, Backup(dir, grbit, FailingCallback)) << "fail at progress " << fail_at;
    EXPECT_TRUE(g_failed) << "the callback never failed";
    EXPECT_TRUE(before == TreeBytes(dir)) << "the aborted backup left files in " << dir;
    for (const auto& event : RecordedEvents()) {
      EXPECT_NE(JET_SNT{JET_sntComplete}, event.snt) << "Complete after an abort";
    }
    EXPECT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0)) << "a backup stayed in progress";
    AbortBackup();
    RecordedEvents().clear();
    ASSERT_EQ(JET_errSuccess, Backup(dir, grbit, RecordingCallback)) << "the rerun";
    ExpectBackupStatusSequence(RecordedEvents());
    ExpectRestores(dir, committed_, "the rerun after an abort at progress " + std::to_string(fail_at));
  }

  // How many progress events a full backup of the current data reports (into a scratch dir).
  std::size_t CountProgressEvents() {
    RecordedEvents().clear();
    EXPECT_EQ(JET_errSuccess, Backup(BackupDir("count-" + std::to_string(++counts_)), 0, RecordingCallback));
    const std::size_t count = ProgressEvents(RecordedEvents());
    RecordedEvents().clear();
    return count;
  }

  int counts_ = 0;
};

TEST_F(BackupInstanceStatusTest, AFullBackupReportsBeginProgressAndComplete) {
  ASSERT_NO_FATAL_FAILURE(StartWithSomeData());
  ASSERT_EQ(JET_errSuccess, Backup(BackupDir(), 0, RecordingCallback));
  ExpectBackupStatusSequence(RecordedEvents());
}

TEST_F(BackupInstanceStatusTest, AnAtomicBackupReportsTheSameSequence) {
  ASSERT_NO_FATAL_FAILURE(StartWithSomeData());
  ASSERT_EQ(JET_errSuccess, Backup(BackupDir(), JET_bitBackupAtomic, RecordingCallback));
  ExpectBackupStatusSequence(RecordedEvents());
}

TEST_F(BackupInstanceStatusTest, AnIncrementalBackupReportsTheSameSequence) {
  ASSERT_NO_FATAL_FAILURE(StartWithSomeData());
  const std::string dir = BackupDir();
  ASSERT_EQ(JET_errSuccess, Backup(dir));
  ASSERT_NO_FATAL_FAILURE(CommitRows(5000, 100));
  ASSERT_NO_FATAL_FAILURE(Roll());
  RecordedEvents().clear();
  ASSERT_EQ(JET_errSuccess, Backup(dir, JET_bitBackupIncremental, RecordingCallback));
  ExpectBackupStatusSequence(RecordedEvents());
  RecordedEvents().clear();
  const std::string atomic = BackupDir("atomic");
  ASSERT_EQ(JET_errSuccess, Backup(atomic, JET_bitBackupAtomic));
  ASSERT_NO_FATAL_FAILURE(CommitRows(6000, 100));
  ASSERT_NO_FATAL_FAILURE(Roll());
  ASSERT_EQ(JET_errSuccess, Backup(atomic, JET_bitBackupAtomic | JET_bitBackupIncremental, RecordingCallback));
  ExpectBackupStatusSequence(RecordedEvents());
}

TEST_F(BackupInstanceStatusTest, TheWFormReportsTheSameSequence) {
  ASSERT_NO_FATAL_FAILURE(StartWithSomeData());
  ASSERT_EQ(JET_errSuccess, BackupW(BackupDir(), 0, RecordingCallback));
  ExpectBackupStatusSequence(RecordedEvents());
}

TEST_F(BackupInstanceStatusTest, AFailedBackupReportsBeginThenFailAndNoComplete) {
  ASSERT_NO_FATAL_FAILURE(StartWithSomeData());
  // A damaged log block in the source fails the backup after it began.
  const std::vector<std::uint32_t> generations = backup_test::ArchivedGenerations(folder_);
  ASSERT_FALSE(generations.empty());
  const std::string log = folder_ + backup_test::ArchivedName(generations.back());
  const std::string original = backup_test::ReadWholeFile(log);
  ASSERT_NO_FATAL_FAILURE(backup_instance_test::FlipByteAt(log, 4096 + 200));
  const std::string dir = BackupDir();
  EXPECT_EQ(JET_errLogReadVerifyFailure, Backup(dir, 0, RecordingCallback));
  const auto& events = RecordedEvents();
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(JET_SNT{JET_sntBegin}, events.front().snt);
  EXPECT_EQ(JET_SNT{JET_sntFail}, events.back().snt);
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(JET_SNP{JET_snpBackup}, events[i].snp) << "event " << i;
    EXPECT_NE(JET_SNT{JET_sntComplete}, events[i].snt) << "event " << i;
    if (i > 0 && i + 1 < events.size()) {
      EXPECT_EQ(JET_SNT{JET_sntProgress}, events[i].snt) << "event " << i;
    }
  }
  EXPECT_TRUE(TreeEntries(dir).empty());
  ASSERT_TRUE(backup_test::WriteWholeFile(log, original));
}

TEST_F(BackupInstanceStatusTest, ACallbackErrorAtTheFirstProgressAbortsWithThatError) {
  ASSERT_NO_FATAL_FAILURE(StartWithSomeData());
  ExpectAbortAt(0, JET_errCallbackFailed, 0);
}

TEST_F(BackupInstanceStatusTest, ACallbackErrorAtAMiddleProgressAbortsWithThatError) {
  ASSERT_NO_FATAL_FAILURE(StartWithSomeData());
  const std::size_t progress = CountProgressEvents();
  ASSERT_GE(progress, 3u) << "too few progress events to fail in the middle";
  ExpectAbortAt(static_cast<int>(progress / 2), JET_errOutOfMemory, 0);
}

TEST_F(BackupInstanceStatusTest, ACallbackErrorAtTheLastProgressAbortsWithThatError) {
  ASSERT_NO_FATAL_FAILURE(StartWithSomeData());
  ExpectAbortAt(-1, JET_errDiskIO, 0);
}

TEST_F(BackupInstanceStatusTest, ACallbackErrorAbortsAnAtomicBackupAndThePreviousStaysIntact) {
  ASSERT_NO_FATAL_FAILURE(StartWithSomeData());
  const std::string dir = BackupDir();
  ASSERT_EQ(JET_errSuccess, Backup(dir, JET_bitBackupAtomic));
  const Rows previous = committed_;
  ASSERT_NO_FATAL_FAILURE(CommitRows(5000, 50));
  ASSERT_NO_FATAL_FAILURE(Roll());
  const auto previous_bytes = backup_instance_test::AtomicBackupBytes(dir);
  for (int fail_at : {0, -1}) {
    RecordedEvents().clear();
    g_fail_at = fail_at;
    g_progress_seen = 0;
    g_failed = false;
    g_fail_with = JET_errCallbackFailed;
    EXPECT_EQ(JET_errCallbackFailed, Backup(dir, JET_bitBackupAtomic, FailingCallback)) << fail_at;
    EXPECT_TRUE(previous_bytes == backup_instance_test::AtomicBackupBytes(dir))
        << "the previous backup changed (fail at " << fail_at << ")";
    ExpectRestores(dir, previous, "the previous backup");
  }
  RecordedEvents().clear();
  ASSERT_EQ(JET_errSuccess, Backup(dir, JET_bitBackupAtomic, RecordingCallback));
  ExpectBackupStatusSequence(RecordedEvents());
  ExpectRestores(dir, committed_, "the rerun");
}

TEST_F(BackupInstanceStatusTest, ACallbackErrorAbortsAnAtomicIncrementalAndTheBackupStaysAsItWas) {
  ASSERT_NO_FATAL_FAILURE(StartWithSomeData());
  const std::string dir = BackupDir();
  ASSERT_EQ(JET_errSuccess, Backup(dir, JET_bitBackupAtomic));
  const Rows previous = committed_;
  ASSERT_NO_FATAL_FAILURE(CommitRows(5000, 100));
  ASSERT_NO_FATAL_FAILURE(Roll());
  const auto previous_bytes = backup_instance_test::AtomicBackupBytes(dir);
  g_fail_at = -1;
  EXPECT_EQ(JET_errCallbackFailed, Backup(dir, JET_bitBackupAtomic | JET_bitBackupIncremental, FailingCallback));
  EXPECT_TRUE(previous_bytes == backup_instance_test::AtomicBackupBytes(dir)) << "the backup is not exactly as it was";
  ExpectRestores(dir, previous, "the previous backup");
  ASSERT_EQ(JET_errSuccess, Backup(dir, JET_bitBackupAtomic | JET_bitBackupIncremental));
  ExpectRestores(dir, committed_, "the rerun");
}

}  // namespace
}  // namespace esent_test
