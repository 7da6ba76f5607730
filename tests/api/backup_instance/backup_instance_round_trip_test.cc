// JetBackupInstance round trips and directory rules (issue 8 contract §1): a full backup, a full
// and several incrementals, an atomic backup twice (the second replaces the first), an atomic
// backup and an atomic incremental, the W forms; each backup restored with JetRestoreInstanceA
// into another folder and compared row by row with the oracle. The directory must exist unless
// JET_paramCreatePathIfNotExist; a non-atomic full backup needs an empty directory; a NULL or
// empty path only truncates the logs. Success truncates the logs below the checkpoint and
// records the backup in the headers (bkinfoFullPrev / bkinfoIncPrev).
#include <esent.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "backup_instance/backup_instance_fixture.h"

namespace esent_test {
namespace {

namespace fs = std::filesystem;
using backup_instance_test::ExpectManifestMatches;
using backup_test::ArchivedGenerations;
using backup_test::CheckpointGeneration;
using backup_test::DbMisc;
using backup_test::IsZero;
using backup_test::SameBkinfo;

class BackupInstanceRoundTripTest : public BackupInstanceTest {
 protected:
  // History spread over several generations with the checkpoint past some of them, so that a
  // backup has archived logs to truncate.
  void StartWithLogsToTruncate() {
    ASSERT_NO_FATAL_FAILURE(StartWithHistory());
    for (int round = 0; round < 3; ++round) {
      ASSERT_NO_FATAL_FAILURE(CommitRows(100 + round * 100, 40));
      ASSERT_NO_FATAL_FAILURE(Roll());
    }
    ASSERT_NO_FATAL_FAILURE(AdvanceCheckpoint());
  }

  // Commits and rolls until the checkpoint reaches the generation current on entry (the
  // checkpoint thread runs in the background).
  void AdvanceCheckpoint() {
    const std::uint32_t target = CurrentGeneration();
    for (int attempt = 0; attempt < 100 && CheckpointGeneration(folder_) < target; ++attempt) {
      ASSERT_NO_FATAL_FAILURE(CommitRows(900000 + 10 * checkpoint_rows_++, 2));
      ASSERT_NO_FATAL_FAILURE(Roll());
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_GE(CheckpointGeneration(folder_), target) << "the checkpoint does not advance";
  }

  int checkpoint_rows_ = 0;

  // Archived generations of the source below `checkpoint`.
  std::vector<std::uint32_t> ArchivedBelow(std::uint32_t checkpoint) const {
    std::vector<std::uint32_t> below;
    for (std::uint32_t generation : ArchivedGenerations(folder_)) {
      if (generation < checkpoint) below.push_back(generation);
    }
    return below;
  }

  // The directory of a non-atomic full backup: db.edb, at least one archived log, the manifest
  // (matching), and no subfolder.
  void ExpectFullBackupLayout(const std::string& dir) {
    EXPECT_TRUE(fs::is_regular_file(dir + "/db.edb")) << dir;
    EXPECT_FALSE(backup_test::ArchivedGenerations(dir).empty()) << "no log in " << dir;
    for (const auto& entry : fs::directory_iterator(dir)) {
      EXPECT_FALSE(entry.is_directory()) << "unexpected folder " << entry.path();
    }
    ASSERT_NO_FATAL_FAILURE(ExpectManifestMatches(dir));
  }
};

// --- round trips ---------------------------------------------------------------------------------

TEST_F(BackupInstanceRoundTripTest, AFullBackupRestoresEveryRowCommittedBeforeIt) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  const std::string dir = BackupDir();
  ASSERT_EQ(JET_errSuccess, Backup(dir));
  const Rows expected = committed_;
  ASSERT_NO_FATAL_FAILURE(CommitRows(5000, 20));  // not in the backup
  ASSERT_NO_FATAL_FAILURE(ExpectFullBackupLayout(dir));
  ExpectRestores(dir, expected, "full");
}

TEST_F(BackupInstanceRoundTripTest, EveryAttachedDatabaseIsBackedUpUnderItsFileName) {
  std::string second;
  ASSERT_NO_FATAL_FAILURE(StartWithSecondDatabase(&second));
  ASSERT_NO_FATAL_FAILURE(CommitRows(1, 50));
  const std::string dir = BackupDir();
  ASSERT_EQ(JET_errSuccess, Backup(dir));
  EXPECT_TRUE(fs::is_regular_file(dir + "/db.edb"));
  EXPECT_TRUE(fs::is_regular_file(dir + "/second.edb"));
  ASSERT_NO_FATAL_FAILURE(ExpectManifestMatches(dir));
  const std::string paths = dir_.Sub("two-r");
  const std::string dest = dir_.Sub("two-dest");
  JET_INSTANCE restorer = RestoreInstanceAt("two-r", paths);
  ASSERT_EQ(JET_errSuccess, Restore(restorer, dir, dest.c_str()));
  EXPECT_TRUE(fs::is_regular_file(dest + "second.edb")) << "the second database is restored too";
  restore_test::ExpectSameRows(committed_, InitAndReadRows(restorer, dest + "db.edb"), "two databases");
  restore_test::ExpectSameRows(Rows{}, ReadRows(restorer, dest + "second.edb"), "the second, empty database");
}

TEST_F(BackupInstanceRoundTripTest, AFullBackupTruncatesTheLogsBelowTheCheckpointAndRecordsBkinfoFullPrev) {
  ASSERT_NO_FATAL_FAILURE(StartWithLogsToTruncate());
  const std::uint32_t checkpoint = CheckpointGeneration(folder_);
  ASSERT_FALSE(ArchivedBelow(checkpoint).empty()) << "precondition: logs below the checkpoint " << checkpoint;
  const JET_DBINFOMISC4 before = DbMisc(database_path_);
  EXPECT_TRUE(IsZero(before.bkinfoFullPrev)) << "no backup yet";
  ASSERT_EQ(JET_errSuccess, Backup(BackupDir()));
  EXPECT_TRUE(ArchivedBelow(checkpoint).empty()) << "the logs below the checkpoint were not truncated";
  const JET_DBINFOMISC4 after = DbMisc(database_path_);
  EXPECT_FALSE(IsZero(after.bkinfoFullPrev)) << "bkinfoFullPrev records the full backup";
  EXPECT_GT(after.bkinfoFullPrev.genHigh, 0u);
  EXPECT_LE(after.bkinfoFullPrev.genLow, after.bkinfoFullPrev.genHigh);
  EXPECT_TRUE(IsZero(after.bkinfoIncPrev));
}

TEST_F(BackupInstanceRoundTripTest, AFullAndSeveralIncrementalsRestoreToEachIncremental) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  const std::string dir = BackupDir();
  ASSERT_EQ(JET_errSuccess, Backup(dir));
  const JET_DBINFOMISC4 after_full = DbMisc(database_path_);
  for (int step = 1; step <= 3; ++step) {
    ASSERT_NO_FATAL_FAILURE(CommitRows(1000 * step, 30));
    ASSERT_NO_FATAL_FAILURE(UpdateRow(1, restore_test::ValueFor(1, step)));
    ASSERT_NO_FATAL_FAILURE(DeleteRow(1000 * step + 3));
    ASSERT_NO_FATAL_FAILURE(Roll());
    ASSERT_EQ(JET_errSuccess, Backup(dir, JET_bitBackupIncremental)) << "incremental " << step;
    const Rows expected = committed_;
    ASSERT_NO_FATAL_FAILURE(CommitRows(1000 * step + 500, 5));  // not in this incremental
    ASSERT_NO_FATAL_FAILURE(ExpectFullBackupLayout(dir));
    const JET_DBINFOMISC4 misc = DbMisc(database_path_);
    EXPECT_FALSE(IsZero(misc.bkinfoIncPrev)) << "bkinfoIncPrev records incremental " << step;
    EXPECT_TRUE(SameBkinfo(after_full.bkinfoFullPrev, misc.bkinfoFullPrev)) << "the full backup stays recorded";
    ExpectRestores(dir, expected, "full + " + std::to_string(step) + " incremental(s)");
  }
}

TEST_F(BackupInstanceRoundTripTest, AnAtomicBackupIsBuiltInNew) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  const std::string dir = BackupDir();
  ASSERT_EQ(JET_errSuccess, Backup(dir, JET_bitBackupAtomic));
  const Rows expected = committed_;
  EXPECT_TRUE(fs::is_directory(dir + "/new"));
  EXPECT_FALSE(fs::exists(dir + "/old"));
  EXPECT_FALSE(fs::exists(dir + "/temp"));
  EXPECT_TRUE(fs::is_regular_file(dir + "/new/db.edb"));
  ASSERT_NO_FATAL_FAILURE(ExpectManifestMatches(dir + "/new"));
  EXPECT_FALSE(IsZero(DbMisc(database_path_).bkinfoFullPrev)) << "an atomic full backup is recorded too";
  ExpectRestores(dir, expected, "atomic");
}

TEST_F(BackupInstanceRoundTripTest, ASecondAtomicBackupReplacesTheFirst) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  const std::string dir = BackupDir();
  ASSERT_EQ(JET_errSuccess, Backup(dir, JET_bitBackupAtomic));
  const Rows first = committed_;
  ExpectRestores(dir, first, "first atomic");
  ASSERT_NO_FATAL_FAILURE(CommitRows(2000, 50));
  ASSERT_NO_FATAL_FAILURE(DeleteRow(2));
  ASSERT_NO_FATAL_FAILURE(Roll());
  ASSERT_EQ(JET_errSuccess, Backup(dir, JET_bitBackupAtomic));
  const Rows second = committed_;
  ASSERT_NO_FATAL_FAILURE(CommitRows(3000, 5));
  EXPECT_TRUE(fs::is_directory(dir + "/new"));
  EXPECT_FALSE(fs::exists(dir + "/old")) << "the first backup is removed once the second is complete";
  EXPECT_FALSE(fs::exists(dir + "/temp"));
  ASSERT_NO_FATAL_FAILURE(ExpectManifestMatches(dir + "/new"));
  ExpectRestores(dir, second, "second atomic");
  ExpectRestores(dir + "/new", second, "second atomic, new/ named directly");
}

TEST_F(BackupInstanceRoundTripTest, AnAtomicIncrementalAddsTheLogsToNew) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  const std::string dir = BackupDir();
  ASSERT_EQ(JET_errSuccess, Backup(dir, JET_bitBackupAtomic));
  for (int step = 1; step <= 2; ++step) {
    ASSERT_NO_FATAL_FAILURE(CommitRows(1000 * step, 40));
    ASSERT_NO_FATAL_FAILURE(Roll());
    ASSERT_EQ(JET_errSuccess, Backup(dir, JET_bitBackupAtomic | JET_bitBackupIncremental)) << step;
    const Rows expected = committed_;
    ASSERT_NO_FATAL_FAILURE(CommitRows(1000 * step + 500, 5));
    EXPECT_FALSE(fs::exists(dir + "/old"));
    EXPECT_FALSE(fs::exists(dir + "/temp"));
    ASSERT_NO_FATAL_FAILURE(ExpectManifestMatches(dir + "/new"));
    EXPECT_FALSE(IsZero(DbMisc(database_path_).bkinfoIncPrev));
    ExpectRestores(dir, expected, "atomic + " + std::to_string(step) + " atomic incremental(s)");
  }
}

TEST_F(BackupInstanceRoundTripTest, AnAtomicIncrementalWithNoBackupInTheDirectoryIsMissingFullBackup) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  ASSERT_EQ(JET_errSuccess, Backup(BackupDir("elsewhere"), JET_bitBackupAtomic));
  const std::string dir = BackupDir();
  EXPECT_EQ(JET_errMissingFullBackup, Backup(dir, JET_bitBackupAtomic | JET_bitBackupIncremental));
  EXPECT_TRUE(backup_instance_test::TreeEntries(dir).empty()) << "nothing was written";
}

TEST_F(BackupInstanceRoundTripTest, ANonAtomicIncrementalBesideNewOrOldIsBackupDirectoryNotEmpty) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  const std::string dir = BackupDir();
  ASSERT_EQ(JET_errSuccess, Backup(dir, JET_bitBackupAtomic));
  const auto before = backup_instance_test::TreeBytes(dir);
  ASSERT_NO_FATAL_FAILURE(CommitRows(1000, 10));
  EXPECT_EQ(JET_errBackupDirectoryNotEmpty, Backup(dir, JET_bitBackupIncremental));
  EXPECT_TRUE(before == backup_instance_test::TreeBytes(dir)) << "the atomic backup was changed";
  // A non-atomic full backup with an `old` entry beside it.
  const std::string with_old = BackupDir("with-old");
  ASSERT_EQ(JET_errSuccess, Backup(with_old));
  fs::create_directories(with_old + "/old");
  const auto with_old_before = backup_instance_test::TreeBytes(with_old);
  ASSERT_NO_FATAL_FAILURE(Roll());
  EXPECT_EQ(JET_errBackupDirectoryNotEmpty, Backup(with_old, JET_bitBackupIncremental));
  EXPECT_TRUE(with_old_before == backup_instance_test::TreeBytes(with_old));
}

TEST_F(BackupInstanceRoundTripTest, TheWFormsBackUpFullAndIncremental) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  const std::string dir = BackupDir();
  ASSERT_EQ(JET_errSuccess, BackupW(dir));
  ExpectRestores(dir, committed_, "W full");
  ASSERT_NO_FATAL_FAILURE(CommitRows(1000, 30));
  ASSERT_NO_FATAL_FAILURE(Roll());
  ASSERT_EQ(JET_errSuccess, BackupW(dir, JET_bitBackupIncremental));
  const Rows expected = committed_;
  ASSERT_NO_FATAL_FAILURE(ExpectManifestMatches(dir));
  ExpectRestores(dir, expected, "W full + incremental");
  const std::string atomic = BackupDir("atomic");
  ASSERT_EQ(JET_errSuccess, BackupW(atomic, JET_bitBackupAtomic));
  ExpectRestores(atomic, committed_, "W atomic");
}

// --- directory rules -----------------------------------------------------------------------------

TEST_F(BackupInstanceRoundTripTest, AMissingDirectoryIsInvalidPathAndNothingChanges) {
  ASSERT_NO_FATAL_FAILURE(StartWithLogsToTruncate());
  const std::string dir = BackupDir("missing", false);
  const std::vector<std::uint32_t> logs_before = ArchivedGenerations(folder_);
  const JET_DBINFOMISC4 before = DbMisc(database_path_);
  EXPECT_EQ(JET_errInvalidPath, Backup(dir));
  EXPECT_EQ(JET_errInvalidPath, Backup(dir, JET_bitBackupAtomic));
  EXPECT_FALSE(fs::exists(dir)) << "the directory is not created";
  EXPECT_EQ(logs_before, ArchivedGenerations(folder_)) << "no log truncated";
  EXPECT_TRUE(SameBkinfo(before.bkinfoFullPrev, DbMisc(database_path_).bkinfoFullPrev));
  // Nothing stays in progress: a streaming backup can begin.
  EXPECT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  AbortBackup();
}

TEST_F(BackupInstanceRoundTripTest, CreatePathIfNotExistCreatesTheDirectory) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance_, 0, JET_paramCreatePathIfNotExist, 1, nullptr));
  const std::string dir = BackupDir("missing/nested", false);
  ASSERT_FALSE(fs::exists(dir));
  ASSERT_EQ(JET_errSuccess, Backup(dir));
  ASSERT_NO_FATAL_FAILURE(ExpectFullBackupLayout(dir));
  ExpectRestores(dir, committed_, "created directory");
  const std::string atomic = BackupDir("missing-atomic", false);
  ASSERT_EQ(JET_errSuccess, Backup(atomic, JET_bitBackupAtomic));
  EXPECT_TRUE(fs::is_directory(atomic + "/new"));
}

TEST_F(BackupInstanceRoundTripTest, ANonAtomicFullIntoANonEmptyDirectoryIsBackupDirectoryNotEmpty) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  const std::string with_file = BackupDir("with-file");
  ASSERT_TRUE(backup_test::WriteWholeFile(with_file + "/unrelated.txt", "keep me"));
  EXPECT_EQ(JET_errBackupDirectoryNotEmpty, Backup(with_file));
  EXPECT_EQ(std::vector<std::string>{"unrelated.txt"}, backup_instance_test::TreeEntries(with_file));
  EXPECT_EQ("keep me", backup_test::ReadWholeFile(with_file + "/unrelated.txt"));

  const std::string with_folder = BackupDir("with-folder");
  fs::create_directories(with_folder + "/sub");
  EXPECT_EQ(JET_errBackupDirectoryNotEmpty, Backup(with_folder));
  EXPECT_EQ(std::vector<std::string>{"sub"}, backup_instance_test::TreeEntries(with_folder));

  // A second full backup into the directory of the first.
  const std::string dir = BackupDir();
  ASSERT_EQ(JET_errSuccess, Backup(dir));
  const auto first = backup_instance_test::TreeBytes(dir);
  EXPECT_EQ(JET_errBackupDirectoryNotEmpty, Backup(dir));
  EXPECT_TRUE(first == backup_instance_test::TreeBytes(dir)) << "the first backup was changed";
}

TEST_F(BackupInstanceRoundTripTest, ANullPathTruncatesTheLogsBelowTheCheckpointAndRecordsNothing) {
  ASSERT_NO_FATAL_FAILURE(StartWithLogsToTruncate());
  const std::uint32_t checkpoint = CheckpointGeneration(folder_);
  ASSERT_FALSE(ArchivedBelow(checkpoint).empty()) << "precondition: logs below the checkpoint " << checkpoint;
  const std::vector<std::uint32_t> at_or_above_before = [&] {
    std::vector<std::uint32_t> kept;
    for (std::uint32_t generation : ArchivedGenerations(folder_)) {
      if (generation >= checkpoint) kept.push_back(generation);
    }
    return kept;
  }();
  const JET_DBINFOMISC4 before = DbMisc(database_path_);
  ASSERT_EQ(JET_errSuccess, JetBackupInstanceA(instance_, nullptr, 0, nullptr));
  EXPECT_TRUE(ArchivedBelow(checkpoint).empty()) << "the logs below the checkpoint are truncated";
  for (std::uint32_t generation : at_or_above_before) {
    EXPECT_TRUE(fs::exists(folder_ + backup_test::ArchivedName(generation)))
        << "generation " << generation << " (at or above the checkpoint " << checkpoint << ") was deleted";
  }
  const JET_DBINFOMISC4 after = DbMisc(database_path_);
  EXPECT_TRUE(SameBkinfo(before.bkinfoFullPrev, after.bkinfoFullPrev)) << "nothing recorded";
  EXPECT_TRUE(SameBkinfo(before.bkinfoIncPrev, after.bkinfoIncPrev));
  EXPECT_TRUE(IsZero(after.bkinfoFullPrev));
  // The database still works and every row is there after more logs.
  ASSERT_NO_FATAL_FAILURE(CommitRows(7000, 40));
  ASSERT_NO_FATAL_FAILURE(Roll(2));
  ASSERT_NO_FATAL_FAILURE(AdvanceCheckpoint());
  const std::uint32_t later_checkpoint = CheckpointGeneration(folder_);
  {
    ASSERT_FALSE(ArchivedBelow(later_checkpoint).empty());
    ASSERT_EQ(JET_errSuccess, JetBackupInstanceA(instance_, "", 0, nullptr));
    EXPECT_TRUE(ArchivedBelow(later_checkpoint).empty()) << "an empty path truncates too";
    EXPECT_TRUE(IsZero(DbMisc(database_path_).bkinfoFullPrev));
  }
}

TEST_F(BackupInstanceRoundTripTest, AnEmptyPathTruncatesLikeNull) {
  ASSERT_NO_FATAL_FAILURE(StartWithLogsToTruncate());
  const std::uint32_t checkpoint = CheckpointGeneration(folder_);
  ASSERT_FALSE(ArchivedBelow(checkpoint).empty());
  const JET_DBINFOMISC4 before = DbMisc(database_path_);
  ASSERT_EQ(JET_errSuccess, JetBackupInstanceA(instance_, "", 0, nullptr));
  EXPECT_TRUE(ArchivedBelow(checkpoint).empty());
  EXPECT_TRUE(SameBkinfo(before.bkinfoFullPrev, DbMisc(database_path_).bkinfoFullPrev));
  const JET_WCHAR empty_wide[1] = {0};
  EXPECT_EQ(JET_errSuccess, JetBackupInstanceW(instance_, empty_wide, 0, nullptr));
  EXPECT_EQ(JET_errSuccess, JetBackupInstanceW(instance_, nullptr, 0, nullptr));
}

}  // namespace
}  // namespace esent_test
