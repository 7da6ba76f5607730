// JetBackupInstance's refusals (issue 8 contract §1), each produced by its situation, and what a
// refusal leaves: nothing in the directory, no log truncated, headers unchanged, no backup in
// progress (a JetBeginExternalBackupInstance right after succeeds).
// Damage in the source: a damaged database page fails with JET_errReadVerifyFailure, a damaged
// log block with JET_errLogReadVerifyFailure; the directory holds nothing of the failed backup
// (non-atomic: as before; atomic: the previous backup intact and restorable), and the next
// backup succeeds once the damage is repaired.
// Errors that need an engine seam (JET_errTermInProgress, JET_errInstanceUnavailable,
// JET_errLogWriteFail) are in backup_instance_internal_test.cc. JET_errSessionSharingViolation
// cannot arise (the function takes no session).
#include <esent.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "backup_instance/backup_instance_fixture.h"

namespace esent_test {
namespace {

namespace fs = std::filesystem;
using backup_instance_test::TreeBytes;
using backup_instance_test::TreeEntries;
using backup_test::ArchivedGenerations;
using backup_test::DbMisc;
using backup_test::SameBkinfo;

class BackupInstanceErrorsTest : public BackupInstanceTest {
 protected:
  // What a refused or failed backup must leave alone, taken before it.
  struct Before {
    std::vector<std::uint32_t> logs;
    JET_DBINFOMISC4 misc{};
  };

  Before TakeBefore() { return Before{ArchivedGenerations(folder_), DbMisc(database_path_)}; }

  // No log truncated, the headers' backup records unchanged, no backup in progress.
  void ExpectNothingChanged(const Before& before, const std::string& what) {
    // The backup may have rolled the log (a new generation): none of the earlier ones is gone.
    const std::vector<std::uint32_t> after_logs = ArchivedGenerations(folder_);
    for (std::uint32_t generation : before.logs) {
      EXPECT_TRUE(std::find(after_logs.begin(), after_logs.end(), generation) != after_logs.end())
          << what << ": log generation " << generation << " was truncated";
    }
    const JET_DBINFOMISC4 after = DbMisc(database_path_);
    EXPECT_TRUE(SameBkinfo(before.misc.bkinfoFullPrev, after.bkinfoFullPrev)) << what;
    EXPECT_TRUE(SameBkinfo(before.misc.bkinfoIncPrev, after.bkinfoIncPrev)) << what;
    EXPECT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0)) << what << ": a backup stayed in progress";
    EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndAbort));
  }

  // Overwrites the database file's last page (unused: the file is extended ahead of use) with a
  // page of garbage behind the engine's back; RepairLastPage writes the zeros back.
  void DamageLastPage() {
    const std::string file = backup_test::ReadWholeFile(database_path_);
    ASSERT_EQ(0u, file.size() % page_size_);
    const std::size_t pages = file.size() / page_size_;
    ASSERT_GE(pages, 4u);
    damaged_offset_ = (pages - 1) * page_size_;
    ASSERT_EQ(std::string::npos, file.find_first_not_of('\0', damaged_offset_)) << "the last page is in use";
    ASSERT_NO_FATAL_FAILURE(WriteAt(database_path_, damaged_offset_, std::string(page_size_, '\xA5')));
  }

  void RepairLastPage() { ASSERT_NO_FATAL_FAILURE(WriteAt(database_path_, damaged_offset_, std::string(page_size_, '\0'))); }

  static void WriteAt(const std::string& path, std::size_t offset, const std::string& bytes) {
    std::fstream out(path, std::ios::in | std::ios::out | std::ios::binary);
    out.seekp(static_cast<std::streamoff>(offset));
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    ASSERT_TRUE(out.good()) << path;
  }

  // The newest archived log of the source (it holds recent inserts): one byte of its first data
  // sector (after the 4096-byte header, docs/format/log.md) flipped; returns its path and
  // original bytes for the repair.
  void DamageNewestArchivedLog(std::string* path, std::string* original) {
    const std::vector<std::uint32_t> generations = ArchivedGenerations(folder_);
    ASSERT_FALSE(generations.empty());
    *path = folder_ + backup_test::ArchivedName(generations.back());
    *original = backup_test::ReadWholeFile(*path);
    ASSERT_NO_FATAL_FAILURE(backup_instance_test::FlipByteAt(*path, 4096 + 200));
  }

  std::size_t damaged_offset_ = 0;
};

// --- grbit and instance ------------------------------------------------------------------------

TEST_F(BackupInstanceErrorsTest, EveryOtherGrbitIsInvalidGrbit) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  const std::string dir = BackupDir();
  const Before before = TakeBefore();
  const JET_GRBIT refused[] = {JET_bitBackupSnapshot, 0x2, 0x8, 0x20, 0x100, 0x10000, 0x80000000u,
                               JET_bitBackupSnapshot | JET_bitBackupAtomic,
                               JET_bitBackupIncremental | 0x2};
  for (JET_GRBIT grbit : refused) {
    EXPECT_EQ(JET_errInvalidGrbit, Backup(dir, grbit)) << "grbit 0x" << std::hex << grbit;
  }
  EXPECT_TRUE(TreeEntries(dir).empty());
  ExpectNothingChanged(before, "invalid grbit");
  EXPECT_EQ(JET_errSuccess, Backup(dir)) << "the instance backs up afterwards";
}

TEST_F(BackupInstanceErrorsTest, AWidePathThatIsNotUtf16IsInvalidPath) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  const Before before = TakeBefore();
  // "/tmp/x" followed by an unpaired high surrogate: no path can be made of it.
  const JET_WCHAR path[] = {u'/', u't', u'm', u'p', u'/', u'x', 0xD800, 0};
  EXPECT_EQ(JET_errInvalidPath, JetBackupInstanceW(instance_, path, 0, nullptr));
  ExpectNothingChanged(before, "a path that is not UTF-16");
  EXPECT_EQ(JET_errSuccess, Backup(BackupDir())) << "the instance backs up afterwards";
}

TEST_F(BackupInstanceErrorsTest, AGarbageInstanceIsInvalidInstance) {
  const std::string dir = BackupDir();
  EXPECT_EQ(JET_errInvalidInstance, JetBackupInstanceA(kGarbageInstance, dir.c_str(), 0, nullptr));
  EXPECT_TRUE(TreeEntries(dir).empty());
}

TEST_F(BackupInstanceErrorsTest, ATerminatedInstanceIsInvalidInstance) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  const JET_INSTANCE terminated = instance_;
  ASSERT_NO_FATAL_FAILURE(StopSource());
  const std::string dir = BackupDir();
  EXPECT_EQ(JET_errInvalidInstance, JetBackupInstanceA(terminated, dir.c_str(), 0, nullptr));
  EXPECT_TRUE(TreeEntries(dir).empty());
}

TEST_F(BackupInstanceErrorsTest, ACreatedNeverInitialisedInstanceIsNotInitialized) {
  JET_INSTANCE instance = Configure("b", Options());
  const std::string dir = BackupDir();
  EXPECT_EQ(JET_errNotInitialized, JetBackupInstanceA(instance, dir.c_str(), 0, nullptr));
  EXPECT_EQ(JET_errNotInitialized, JetBackupInstanceA(instance, dir.c_str(), JET_bitBackupAtomic, nullptr));
  EXPECT_TRUE(TreeEntries(dir).empty());
}

TEST_F(BackupInstanceErrorsTest, RecoveryOffIsLoggingDisabled) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase({.recovery = false}));
  const std::string dir = BackupDir();
  EXPECT_EQ(JET_errLoggingDisabled, Backup(dir));
  EXPECT_EQ(JET_errLoggingDisabled, Backup(dir, JET_bitBackupAtomic));
  EXPECT_EQ(JET_errLoggingDisabled, Backup(dir, JET_bitBackupIncremental));
  EXPECT_TRUE(TreeEntries(dir).empty());
}

TEST_F(BackupInstanceErrorsTest, AfterJetStopServiceInstanceIsClientRequestToStopJetService) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  ASSERT_EQ(JET_errSuccess, JetStopServiceInstance(instance_));
  const std::string dir = BackupDir();
  EXPECT_EQ(JET_errClientRequestToStopJetService, Backup(dir));
  EXPECT_EQ(JET_errClientRequestToStopJetService, Backup(dir, JET_bitBackupAtomic));
  EXPECT_TRUE(TreeEntries(dir).empty());
}

TEST_F(BackupInstanceErrorsTest, IncrementalUnderCircularLoggingIsInvalidBackup) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase({.circular = true}));
  ASSERT_NO_FATAL_FAILURE(CommitRows(1, 20));
  const std::string dir = BackupDir();
  ASSERT_EQ(JET_errSuccess, Backup(dir)) << "a full backup works under circular logging";
  const auto full = TreeBytes(dir);
  EXPECT_EQ(JET_errInvalidBackup, Backup(dir, JET_bitBackupIncremental));
  EXPECT_TRUE(full == TreeBytes(dir));
  const std::string atomic = BackupDir("atomic");
  ASSERT_EQ(JET_errSuccess, Backup(atomic, JET_bitBackupAtomic));
  EXPECT_EQ(JET_errInvalidBackup, Backup(atomic, JET_bitBackupAtomic | JET_bitBackupIncremental));
}

TEST_F(BackupInstanceErrorsTest, IncrementalWithNoFullBackupEverIsMissingFullBackup) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  const Before before = TakeBefore();
  const std::string dir = BackupDir();
  EXPECT_EQ(JET_errMissingFullBackup, Backup(dir, JET_bitBackupIncremental));
  EXPECT_EQ(JET_errMissingFullBackup, Backup(dir, JET_bitBackupIncremental | JET_bitBackupAtomic));
  EXPECT_TRUE(TreeEntries(dir).empty());
  ExpectNothingChanged(before, "incremental without a full backup");
}

TEST_F(BackupInstanceErrorsTest, AStreamingBackupInProgressIsBackupInProgressAndGoesOn) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  std::vector<std::string> databases;
  ASSERT_EQ(JET_errSuccess, backup_test::AttachInfo(instance_, &databases));
  const std::string dir = BackupDir();
  EXPECT_EQ(JET_errBackupInProgress, Backup(dir));
  EXPECT_EQ(JET_errBackupInProgress, Backup(dir, JET_bitBackupAtomic));
  EXPECT_EQ(JET_errBackupInProgress, Backup(dir, JET_bitBackupIncremental));
  EXPECT_EQ(JET_errBackupInProgress, JetBackupInstanceA(instance_, nullptr, 0, nullptr));
  EXPECT_TRUE(TreeEntries(dir).empty());
  // The streaming backup is not disturbed: it finishes and restores.
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(StreamDatabases(instance_, databases));
  ASSERT_NO_FATAL_FAILURE(FinishBackup(true, &run));
  EXPECT_EQ(JET_errSuccess, Backup(dir)) << "once the streaming backup ended";
}

// A second JetBackupInstance while one runs (held inside its status callback, on another
// thread): JET_errBackupInProgress without waiting for it, and the running one completes.
std::atomic<bool> g_in_callback{false};
std::atomic<bool> g_release{false};

JET_ERR JET_API BlockingCallback(JET_SESID, JET_SNP, JET_SNT snt, void*) {
  if (snt == JET_sntProgress && !g_in_callback.exchange(true)) {
    for (int wait = 0; wait < 30000 && !g_release; ++wait) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return JET_errSuccess;
}

TEST_F(BackupInstanceErrorsTest, AJetBackupInstanceInProgressIsBackupInProgressAndCompletes) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  g_in_callback = false;
  g_release = false;
  const std::string dir = BackupDir();
  const std::string second_dir = BackupDir("second");
  JET_ERR first = JET_errSuccess;
  std::thread running([&] { first = Backup(dir, 0, BlockingCallback); });
  for (int wait = 0; wait < 10000 && !g_in_callback; ++wait) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_TRUE(g_in_callback) << "the first backup never reported progress";
  auto second = std::async(std::launch::async, [&] { return Backup(second_dir, 0, nullptr); });
  const bool answered = second.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  EXPECT_TRUE(answered) << "the second JetBackupInstance waited for the first instead of refusing";
  g_release = true;
  running.join();
  EXPECT_EQ(JET_errBackupInProgress, second.get());
  EXPECT_EQ(JET_errSuccess, first);
  EXPECT_TRUE(TreeEntries(second_dir).empty());
  ExpectRestores(dir, committed_, "the backup that was running");
}

// JET_errBackupNotAllowedYet: JetBackupInstance while JetInit is still replaying the log (from
// JetInit3's JET_snpRestore callback).
std::string g_nested_dir;
JET_INSTANCE g_recovering = 0;
JET_ERR g_during_recovery = JET_errSuccess;
int g_recovery_callbacks = 0;

JET_ERR JET_API BackupFromRecoveryCallback(JET_SESID, JET_SNP snp, JET_SNT, JET_PVOID) {
  if (snp == JET_snpRestore && g_recovery_callbacks++ == 0) {
    g_during_recovery = JetBackupInstanceA(g_recovering, g_nested_dir.c_str(), 0, nullptr);
  }
  return JET_errSuccess;
}

TEST_F(BackupInstanceErrorsTest, DuringJetInitRecoveryIsBackupNotAllowedYet) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 20));
  ASSERT_NO_FATAL_FAILURE(Roll(2));
  ASSERT_NO_FATAL_FAILURE(InsertRows(100, 5));
  EXPECT_EQ(JET_errDirtyShutdown, JetTerm2(instance_, JET_bitTermDirty));

  JET_INSTANCE instance = Configure("b", Options{});
  JET_RSTINFO_A info{};
  info.cbStruct = sizeof(info);
  info.pfnStatus = BackupFromRecoveryCallback;
  g_recovering = instance;
  g_nested_dir = BackupDir("during-init");
  g_during_recovery = JET_errSuccess;
  g_recovery_callbacks = 0;
  ASSERT_EQ(JET_errSuccess, JetInit3A(&instance, &info, 0));
  ASSERT_GT(g_recovery_callbacks, 0) << "recovery ran and called back";
  EXPECT_EQ(JET_errBackupNotAllowedYet, g_during_recovery);
  EXPECT_TRUE(TreeEntries(g_nested_dir).empty());
  EXPECT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance, 0)) << "nothing stayed in progress";
  EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance, JET_bitBackupEndAbort));
}

// JET_errRestoreInProgress: JetBackupInstance on an instance that is restoring (from the
// restore's status callback).
JET_INSTANCE g_restoring = 0;
JET_ERR g_during_restore = JET_errSuccess;
bool g_restore_called = false;

JET_ERR JET_API BackupFromRestoreCallback(JET_SESID, JET_SNP, JET_SNT snt, void*) {
  if (snt == JET_sntProgress && !g_restore_called) {
    g_restore_called = true;
    g_during_restore = JetBackupInstanceA(g_restoring, g_nested_dir.c_str(), 0, nullptr);
  }
  return JET_errSuccess;
}

TEST_F(BackupInstanceErrorsTest, OnARestoringInstanceIsRestoreInProgress) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  const std::string set = BackupDir("set");
  ASSERT_NO_FATAL_FAILURE(FullBackupTo(set));  // a streamed set: independent of JetBackupInstance
  const std::string paths = dir_.Sub("restoring");
  const std::string dest = dir_.Sub("restoring-dest");
  JET_INSTANCE restorer = RestoreInstanceAt("restoring", paths);
  g_restoring = restorer;
  g_nested_dir = BackupDir("during-restore");
  g_restore_called = false;
  g_during_restore = JET_errSuccess;
  ASSERT_EQ(JET_errSuccess, JetRestoreInstanceA(restorer, set.c_str(), dest.c_str(), BackupFromRestoreCallback));
  ASSERT_TRUE(g_restore_called);
  EXPECT_EQ(JET_errRestoreInProgress, g_during_restore);
  EXPECT_TRUE(TreeEntries(g_nested_dir).empty());
}

// --- damage in the source ----------------------------------------------------------------------

TEST_F(BackupInstanceErrorsTest, ADamagedPageIsReadVerifyFailureAndLeavesNothing) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  ASSERT_NO_FATAL_FAILURE(CommitRows(100, 40));
  ASSERT_NO_FATAL_FAILURE(Roll(2));
  const Before before = TakeBefore();
  ASSERT_NO_FATAL_FAILURE(DamageLastPage());
  const std::string dir = BackupDir();
  EXPECT_EQ(JET_errReadVerifyFailure, Backup(dir));
  EXPECT_TRUE(TreeEntries(dir).empty()) << "the failed backup left files";
  ExpectNothingChanged(before, "damaged page");
  ASSERT_NO_FATAL_FAILURE(RepairLastPage());
  ASSERT_EQ(JET_errSuccess, Backup(dir)) << "after the repair";
  ExpectRestores(dir, committed_, "after the repair");
}

TEST_F(BackupInstanceErrorsTest, ADamagedPageFailsAnAtomicBackupAndThePreviousStaysIntact) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  const std::string dir = BackupDir();
  ASSERT_EQ(JET_errSuccess, Backup(dir, JET_bitBackupAtomic));
  const Rows previous = committed_;
  ASSERT_NO_FATAL_FAILURE(CommitRows(100, 40));
  ASSERT_NO_FATAL_FAILURE(Roll(2));
  const auto previous_bytes = backup_instance_test::AtomicBackupBytes(dir);
  const Before before = TakeBefore();
  ASSERT_NO_FATAL_FAILURE(DamageLastPage());
  EXPECT_EQ(JET_errReadVerifyFailure, Backup(dir, JET_bitBackupAtomic));
  EXPECT_TRUE(previous_bytes == backup_instance_test::AtomicBackupBytes(dir)) << "the previous backup changed";
  ExpectNothingChanged(before, "damaged page, atomic");
  ExpectRestores(dir, previous, "the previous backup");
  ASSERT_NO_FATAL_FAILURE(RepairLastPage());
  ASSERT_EQ(JET_errSuccess, Backup(dir, JET_bitBackupAtomic)) << "after the repair";
  ExpectRestores(dir, committed_, "after the repair");
}

TEST_F(BackupInstanceErrorsTest, ADamagedLogBlockIsLogReadVerifyFailureAndLeavesNothing) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  ASSERT_NO_FATAL_FAILURE(CommitRows(100, 40));
  ASSERT_NO_FATAL_FAILURE(Roll());
  const Before before = TakeBefore();
  std::string path;
  std::string original;
  ASSERT_NO_FATAL_FAILURE(DamageNewestArchivedLog(&path, &original));
  const std::string dir = BackupDir();
  EXPECT_EQ(JET_errLogReadVerifyFailure, Backup(dir));
  EXPECT_TRUE(TreeEntries(dir).empty()) << "the failed backup left files";
  ExpectNothingChanged(before, "damaged log");
  ASSERT_TRUE(backup_test::WriteWholeFile(path, original));
  ASSERT_EQ(JET_errSuccess, Backup(dir)) << "after the repair";
  ExpectRestores(dir, committed_, "after the repair");
}

TEST_F(BackupInstanceErrorsTest, ADamagedLogBlockFailsAnAtomicIncrementalAndTheBackupStaysAsItWas) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  const std::string dir = BackupDir();
  ASSERT_EQ(JET_errSuccess, Backup(dir, JET_bitBackupAtomic));
  const Rows previous = committed_;
  ASSERT_NO_FATAL_FAILURE(CommitRows(100, 40));
  ASSERT_NO_FATAL_FAILURE(Roll());
  const auto previous_bytes = backup_instance_test::AtomicBackupBytes(dir);
  const Before before = TakeBefore();
  std::string path;
  std::string original;
  ASSERT_NO_FATAL_FAILURE(DamageNewestArchivedLog(&path, &original));
  EXPECT_EQ(JET_errLogReadVerifyFailure, Backup(dir, JET_bitBackupAtomic | JET_bitBackupIncremental));
  EXPECT_TRUE(previous_bytes == backup_instance_test::AtomicBackupBytes(dir)) << "the backup is not exactly as it was";
  ExpectNothingChanged(before, "damaged log, atomic incremental");
  ExpectRestores(dir, previous, "the previous backup");
  ASSERT_TRUE(backup_test::WriteWholeFile(path, original));
  ASSERT_EQ(JET_errSuccess, Backup(dir, JET_bitBackupAtomic | JET_bitBackupIncremental)) << "after the repair";
  ExpectRestores(dir, committed_, "after the repair");
}

TEST_F(BackupInstanceErrorsTest, ADamagedLogBlockFailsANonAtomicIncrementalAndTheFullBackupStaysAsItWas) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  const std::string dir = BackupDir();
  ASSERT_EQ(JET_errSuccess, Backup(dir));
  const Rows previous = committed_;
  ASSERT_NO_FATAL_FAILURE(CommitRows(100, 40));
  ASSERT_NO_FATAL_FAILURE(Roll());
  const auto previous_bytes = TreeBytes(dir);
  const Before before = TakeBefore();
  std::string path;
  std::string original;
  ASSERT_NO_FATAL_FAILURE(DamageNewestArchivedLog(&path, &original));
  EXPECT_EQ(JET_errLogReadVerifyFailure, Backup(dir, JET_bitBackupIncremental));
  EXPECT_TRUE(previous_bytes == TreeBytes(dir)) << "the directory is not as it was";
  ExpectNothingChanged(before, "damaged log, incremental");
  ExpectRestores(dir, previous, "the full backup");
  ASSERT_TRUE(backup_test::WriteWholeFile(path, original));
  ASSERT_EQ(JET_errSuccess, Backup(dir, JET_bitBackupIncremental)) << "after the repair";
  ExpectRestores(dir, committed_, "after the repair");
}

}  // namespace
}  // namespace esent_test
