// The manifest and EsentVerifyBackup(A/W) (issue 8 contract §2): every backup directory holds
// `esent-backup.manifest`, first line `esent-backup-manifest 1`, one line per file with its size
// and XXH3-64, written last; EsentVerifyBackup passes on a good backup (the non-atomic and the
// atomic layout), and on a damaged one returns JET_errReadVerifyFailure (a database image byte),
// JET_errLogReadVerifyFailure (a log byte) or JET_errFileNotFound (a listed file removed, no
// manifest); JetRestoreInstance refuses the same damaged directory before writing anything.
#include <esent.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "backup_instance/backup_instance_fixture.h"

namespace esent_test {
namespace {

namespace fs = std::filesystem;
using backup_instance_test::ExpectManifestMatches;
using backup_instance_test::FlipByteAt;
using backup_instance_test::VerifyBackup;
using backup_instance_test::VerifyBackupW;

class BackupInstanceManifestTest : public BackupInstanceTest {
 protected:
  // History over a few generations and a full backup of it in Good() (atomic: in Good()/new).
  void PrepareGood(JET_GRBIT grbit = 0) {
    ASSERT_NO_FATAL_FAILURE(StartWithHistory());
    ASSERT_NO_FATAL_FAILURE(CommitRows(100, 200));
    ASSERT_NO_FATAL_FAILURE(Roll());
    ASSERT_NO_FATAL_FAILURE(CommitRows(400, 50));
    ASSERT_EQ(JET_errSuccess, Backup(Good(), grbit));
    good_rows_ = committed_;
  }

  std::string Good() { return BackupDir("good"); }
  std::string Bad() { return BackupDir("bad"); }

  // A copy of Good() (recursive) in Bad().
  void CopyGoodToBad() {
    fs::copy(Good(), Bad(), fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  }

  // The archived logs in `folder`, by name.
  static std::vector<std::string> Logs(const std::string& folder) { return restore_test::ArchivedLogNames(folder); }

  // JetRestoreInstanceA of Bad() into a destination holding a db.edb of known bytes: `expected`,
  // and the destination (every file) and the restore instance's folder unchanged.
  void ExpectRestoreRefused(JET_ERR expected) {
    const std::string dest = dir_.Sub("refused-dest");
    const std::string existing(3 * std::size_t{page_size_}, 'X');
    ASSERT_TRUE(backup_test::WriteWholeFile(dest + "db.edb", existing));
    const std::string paths = dir_.Sub("refused-paths");
    JET_INSTANCE restorer = RestoreInstanceAt("refused", paths);
    const auto dest_before = restore_test::SnapshotFolder(dest);
    const auto paths_before = restore_test::SnapshotFolder(paths);
    EXPECT_EQ(expected, Restore(restorer, Bad(), dest.c_str()));
    EXPECT_TRUE(dest_before == restore_test::SnapshotFolder(dest))
        << "the refused restore wrote:" << restore_test::DescribeDifference(dest_before, restore_test::SnapshotFolder(dest));
    EXPECT_TRUE(paths_before == restore_test::SnapshotFolder(paths))
        << "the refused restore wrote:"
        << restore_test::DescribeDifference(paths_before, restore_test::SnapshotFolder(paths));
  }

  Rows good_rows_;
};

TEST_F(BackupInstanceManifestTest, AFullBackupHasAManifestListingEveryFile) {
  ASSERT_NO_FATAL_FAILURE(PrepareGood());
  std::string header;
  std::vector<backup_instance_test::ManifestEntry> entries;
  ASSERT_TRUE(backup_instance_test::ReadManifest(Good(), &header, &entries));
  EXPECT_EQ("esent-backup-manifest 1", header);
  bool lists_database = false;
  for (const auto& entry : entries) lists_database = lists_database || entry.name == "db.edb";
  EXPECT_TRUE(lists_database);
  EXPECT_EQ(1 + Logs(Good()).size(), entries.size()) << "db.edb and every log";
  ASSERT_NO_FATAL_FAILURE(ExpectManifestMatches(Good()));
}

TEST_F(BackupInstanceManifestTest, TheManifestIsWrittenLast) {
  ASSERT_NO_FATAL_FAILURE(PrepareGood());
  const auto manifest_time = fs::last_write_time(Good() + "/" + backup_instance_test::kManifestName);
  for (const std::string& name : backup_instance_test::PayloadFiles(Good())) {
    EXPECT_LE(fs::last_write_time(Good() + "/" + name), manifest_time) << name << " was written after the manifest";
  }
}

TEST_F(BackupInstanceManifestTest, AnIncrementalUpdatesTheManifest) {
  ASSERT_NO_FATAL_FAILURE(PrepareGood());
  const std::size_t logs_before = Logs(Good()).size();
  ASSERT_NO_FATAL_FAILURE(CommitRows(5000, 100));
  ASSERT_NO_FATAL_FAILURE(Roll(2));
  ASSERT_EQ(JET_errSuccess, Backup(Good(), JET_bitBackupIncremental));
  EXPECT_GT(Logs(Good()).size(), logs_before);
  ASSERT_NO_FATAL_FAILURE(ExpectManifestMatches(Good()));
  EXPECT_EQ(JET_errSuccess, VerifyBackup(Good()));
}

TEST_F(BackupInstanceManifestTest, VerifyPassesOnGoodBackups) {
  ASSERT_NO_FATAL_FAILURE(PrepareGood());
  EXPECT_EQ(JET_errSuccess, VerifyBackup(Good()));
  EXPECT_EQ(JET_errSuccess, VerifyBackupW(Good()));
  const std::string atomic = BackupDir("atomic");
  ASSERT_EQ(JET_errSuccess, Backup(atomic, JET_bitBackupAtomic));
  EXPECT_EQ(JET_errSuccess, VerifyBackup(atomic)) << "the atomic layout (new/)";
  EXPECT_EQ(JET_errSuccess, VerifyBackup(atomic + "/new"));
  ASSERT_NO_FATAL_FAILURE(CommitRows(5000, 50));
  ASSERT_NO_FATAL_FAILURE(Roll());
  ASSERT_EQ(JET_errSuccess, Backup(atomic, JET_bitBackupAtomic | JET_bitBackupIncremental));
  EXPECT_EQ(JET_errSuccess, VerifyBackup(atomic)) << "after an atomic incremental";
  // Verification only reads: the backup still restores.
  ExpectRestores(Good(), good_rows_, "after verification");
}

TEST_F(BackupInstanceManifestTest, VerifyReportsBackupProgressToItsCallback) {
  ASSERT_NO_FATAL_FAILURE(PrepareGood());
  restore_test::RecordedEvents().clear();
  EXPECT_EQ(JET_errSuccess, VerifyBackup(Good(), restore_test::RecordingCallback));
  const auto& events = restore_test::RecordedEvents();
  std::size_t progress = 0;
  for (const auto& event : events) {
    EXPECT_EQ(JET_SNP{JET_snpBackup}, event.snp);
    progress += event.snt == JET_sntProgress ? 1 : 0;
  }
  EXPECT_GT(progress, 0u) << "no progress reported while verifying";
  restore_test::RecordedEvents().clear();
}

TEST_F(BackupInstanceManifestTest, AFlippedByteInAnImagePageIsReadVerifyFailureAndRestoreRefusesIt) {
  ASSERT_NO_FATAL_FAILURE(PrepareGood());
  ASSERT_NO_FATAL_FAILURE(CopyGoodToBad());
  const std::string image = Bad() + "/db.edb";
  const std::size_t size = fs::file_size(image);
  ASSERT_GE(size, 6 * std::size_t{page_size_});
  ASSERT_NO_FATAL_FAILURE(FlipByteAt(image, 4 * std::size_t{page_size_} + 100));  // a data page
  EXPECT_EQ(JET_errReadVerifyFailure, VerifyBackup(Bad()));
  EXPECT_EQ(JET_errReadVerifyFailure, VerifyBackupW(Bad()));
  ASSERT_NO_FATAL_FAILURE(ExpectRestoreRefused(JET_errReadVerifyFailure));
  EXPECT_EQ(JET_errSuccess, VerifyBackup(Good()));
}

TEST_F(BackupInstanceManifestTest, AFlippedByteInALogIsLogReadVerifyFailureAndRestoreRefusesIt) {
  ASSERT_NO_FATAL_FAILURE(PrepareGood());
  ASSERT_NO_FATAL_FAILURE(CopyGoodToBad());
  const std::vector<std::string> logs = Logs(Bad());
  ASSERT_FALSE(logs.empty());
  ASSERT_NO_FATAL_FAILURE(FlipByteAt(Bad() + "/" + logs.front(), 4096 + 200));
  EXPECT_EQ(JET_errLogReadVerifyFailure, VerifyBackup(Bad()));
  ASSERT_NO_FATAL_FAILURE(ExpectRestoreRefused(JET_errLogReadVerifyFailure));
}

TEST_F(BackupInstanceManifestTest, ARemovedListedFileIsFileNotFoundAndRestoreRefusesIt) {
  ASSERT_NO_FATAL_FAILURE(PrepareGood());
  ASSERT_NO_FATAL_FAILURE(CopyGoodToBad());
  const std::vector<std::string> logs = Logs(Bad());
  ASSERT_FALSE(logs.empty());
  ASSERT_TRUE(fs::remove(Bad() + "/" + logs.back()));
  EXPECT_EQ(JET_errFileNotFound, VerifyBackup(Bad()));
  ASSERT_NO_FATAL_FAILURE(ExpectRestoreRefused(JET_errFileNotFound));
}

TEST_F(BackupInstanceManifestTest, ARemovedImageIsFileNotFound) {
  ASSERT_NO_FATAL_FAILURE(PrepareGood());
  ASSERT_NO_FATAL_FAILURE(CopyGoodToBad());
  ASSERT_TRUE(fs::remove(Bad() + "/db.edb"));
  EXPECT_EQ(JET_errFileNotFound, VerifyBackup(Bad()));
}

TEST_F(BackupInstanceManifestTest, ADirectoryWithoutAManifestIsFileNotFound) {
  ASSERT_NO_FATAL_FAILURE(PrepareGood());
  ASSERT_NO_FATAL_FAILURE(CopyGoodToBad());
  ASSERT_TRUE(fs::remove(Bad() + "/" + backup_instance_test::kManifestName));
  EXPECT_EQ(JET_errFileNotFound, VerifyBackup(Bad()));
  EXPECT_EQ(JET_errFileNotFound, VerifyBackup(BackupDir("empty")));
}

TEST_F(BackupInstanceManifestTest, DamageInTheAtomicLayoutIsFoundToo) {
  ASSERT_NO_FATAL_FAILURE(PrepareGood(JET_bitBackupAtomic));
  ASSERT_NO_FATAL_FAILURE(CopyGoodToBad());
  ASSERT_TRUE(fs::is_directory(Bad() + "/new"));
  ASSERT_NO_FATAL_FAILURE(FlipByteAt(Bad() + "/new/db.edb", 4 * std::size_t{page_size_} + 100));
  EXPECT_EQ(JET_errReadVerifyFailure, VerifyBackup(Bad()));
  ASSERT_NO_FATAL_FAILURE(ExpectRestoreRefused(JET_errReadVerifyFailure));
  ExpectRestores(Good(), good_rows_, "the undamaged atomic backup");
}

}  // namespace
}  // namespace esent_test
