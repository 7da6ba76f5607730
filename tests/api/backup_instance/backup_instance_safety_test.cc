// JetBackupInstance in a backup folder someone else has written to (issue 10, item 5): a symbolic
// link at any entry the backup manages — temp, new, old, the manifest — is refused with
// JET_errBackupDirectoryNotEmpty before the backup begins, and what the link points to (a
// "victim" folder outside the backup folder, with a file in it) is left exactly as it was. The
// backup folder itself may be a link (the caller chose it). Stale staging content of the
// engine's own (regular files, or a link inside temp) is cleared without following anything.
// And the modes: every file libesent creates (database, logs, checkpoint, backup files) is 0640
// and every folder it creates 0750, less the umask (checked under 022 and 077).
#include <esent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "backup_instance/backup_instance_fixture.h"
#include "../../scoped_umask.h"

namespace esent_test {
namespace {

namespace fs = std::filesystem;
using backup_instance_test::AtomicBackupBytes;
using backup_instance_test::TreeBytes;

constexpr const char* kVictimBytes = "the victim's own bytes";

class BackupInstanceSafetyTest : public BackupInstanceTest {
 protected:
  // A folder outside every backup folder, holding one file and one subfolder with a file.
  std::string Victim() {
    const std::string victim = dir_.path() + "/victim";
    if (!fs::exists(victim)) {
      fs::create_directories(victim + "/sub");
      EXPECT_TRUE(backup_test::WriteWholeFile(victim + "/keep", kVictimBytes));
      EXPECT_TRUE(backup_test::WriteWholeFile(victim + "/sub/keep", kVictimBytes));
      // A file named like one the backup writes, which a followed link would overwrite.
      EXPECT_TRUE(backup_test::WriteWholeFile(victim + "/db.edb", kVictimBytes));
    }
    return victim;
  }

  // The victim holds exactly what Victim() put there.
  void ExpectVictimUntouched(const std::string& what) {
    const std::map<std::string, std::string> expected = {
        {"db.edb", kVictimBytes}, {"keep", kVictimBytes}, {"sub/keep", kVictimBytes}};
    EXPECT_TRUE(TreeBytes(dir_.path() + "/victim") == expected) << what << ": the link's target changed";
  }

  static void Link(const std::string& target, const std::string& at) {
    ASSERT_EQ(0, ::symlink(target.c_str(), at.c_str())) << at;
  }

  static bool IsLink(const std::string& path) { return fs::is_symlink(fs::symlink_status(path)); }

  // No backup stays in progress after a refusal.
  void ExpectNoBackupInProgress(const std::string& what) {
    EXPECT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0)) << what << ": a backup stayed in progress";
    EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndAbort));
  }
};

TEST_F(BackupInstanceSafetyTest, ALinkedTempIsRefusedAndItsTargetIsNotEmptied) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  const std::string dir = BackupDir();
  ASSERT_NO_FATAL_FAILURE(Link(Victim(), dir + "/temp"));
  EXPECT_EQ(JET_errBackupDirectoryNotEmpty, Backup(dir)) << "full, not atomic";
  ExpectVictimUntouched("full");
  EXPECT_EQ(JET_errBackupDirectoryNotEmpty, Backup(dir, JET_bitBackupAtomic)) << "full, atomic";
  ExpectVictimUntouched("atomic");
  EXPECT_TRUE(IsLink(dir + "/temp")) << "the link itself is left alone";
  ExpectNoBackupInProgress("linked temp");
  ASSERT_TRUE(fs::remove(dir + "/temp"));
  ASSERT_EQ(JET_errSuccess, Backup(dir)) << "once the link is gone";
  ExpectRestores(dir, committed_, "after the refusal");
  ExpectVictimUntouched("after the good backup");
}

TEST_F(BackupInstanceSafetyTest, ALinkedNewIsRefusedByAtomicFullAndIncremental) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  const std::string dir = BackupDir();
  ASSERT_NO_FATAL_FAILURE(Link(Victim(), dir + "/new"));
  EXPECT_EQ(JET_errBackupDirectoryNotEmpty, Backup(dir, JET_bitBackupAtomic));
  ExpectVictimUntouched("atomic full");
  EXPECT_EQ(JET_errBackupDirectoryNotEmpty, Backup(dir, JET_bitBackupAtomic | JET_bitBackupIncremental));
  ExpectVictimUntouched("atomic incremental");
  EXPECT_EQ(JET_errBackupDirectoryNotEmpty, Backup(dir, JET_bitBackupIncremental)) << "not atomic";
  ExpectVictimUntouched("incremental");
  EXPECT_TRUE(IsLink(dir + "/new"));
  EXPECT_FALSE(fs::exists(dir + "/temp")) << "nothing was staged";
  ExpectNoBackupInProgress("linked new");
}

TEST_F(BackupInstanceSafetyTest, ALinkedOldIsRefusedAndTheNewestBackupStays) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  const std::string dir = BackupDir();
  ASSERT_EQ(JET_errSuccess, Backup(dir, JET_bitBackupAtomic));
  const Rows backed_up = committed_;
  const auto newest = AtomicBackupBytes(dir);
  ASSERT_NO_FATAL_FAILURE(CommitRows(100, 20));
  ASSERT_NO_FATAL_FAILURE(Link(Victim(), dir + "/old"));
  EXPECT_EQ(JET_errBackupDirectoryNotEmpty, Backup(dir, JET_bitBackupAtomic));
  ExpectVictimUntouched("atomic full over a linked old");
  EXPECT_TRUE(IsLink(dir + "/old"));
  EXPECT_TRUE(newest == TreeBytes(dir + "/new")) << "the newest backup changed";
  ExpectNoBackupInProgress("linked old");
  ASSERT_TRUE(fs::remove(dir + "/old"));
  ExpectRestores(dir, backed_up, "the newest backup after the refusal");
  ASSERT_EQ(JET_errSuccess, Backup(dir, JET_bitBackupAtomic)) << "once the link is gone";
  ExpectRestores(dir, committed_, "the next backup");
}

TEST_F(BackupInstanceSafetyTest, ALinkedManifestIsRefusedByAnIncremental) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  const std::string dir = BackupDir();
  ASSERT_EQ(JET_errSuccess, Backup(dir));
  const std::string manifest = dir + "/" + backup_instance_test::kManifestName;
  const std::string victim_manifest = Victim() + "/sub/keep";
  ASSERT_TRUE(fs::remove(manifest));
  ASSERT_NO_FATAL_FAILURE(Link(victim_manifest, manifest));
  ASSERT_NO_FATAL_FAILURE(CommitRows(100, 20));
  ASSERT_NO_FATAL_FAILURE(Roll());
  EXPECT_EQ(JET_errBackupDirectoryNotEmpty, Backup(dir, JET_bitBackupIncremental));
  ExpectVictimUntouched("incremental over a linked manifest");
  EXPECT_TRUE(IsLink(manifest));
  ExpectNoBackupInProgress("linked manifest");

  const std::string atomic = BackupDir("atomic");
  ASSERT_EQ(JET_errSuccess, Backup(atomic, JET_bitBackupAtomic));
  const std::string atomic_manifest = atomic + "/new/" + backup_instance_test::kManifestName;
  ASSERT_TRUE(fs::remove(atomic_manifest));
  ASSERT_NO_FATAL_FAILURE(Link(victim_manifest, atomic_manifest));
  EXPECT_EQ(JET_errBackupDirectoryNotEmpty, Backup(atomic, JET_bitBackupAtomic | JET_bitBackupIncremental));
  ExpectVictimUntouched("atomic incremental over a linked manifest");
}

TEST_F(BackupInstanceSafetyTest, ALinkWhereALogIsPromotedIsRefused) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  const std::string dir = BackupDir();
  ASSERT_EQ(JET_errSuccess, Backup(dir));
  ASSERT_NO_FATAL_FAILURE(CommitRows(100, 20));
  ASSERT_NO_FATAL_FAILURE(Roll(2));
  // Links at the names the incremental's logs will take (those not in the backup yet).
  std::vector<std::string> planted;
  for (const std::string& name : restore_test::ArchivedLogNames(folder_)) {
    if (fs::exists(fs::symlink_status(dir + "/" + name))) continue;
    ASSERT_NO_FATAL_FAILURE(Link(Victim() + "/keep", dir + "/" + name));
    planted.push_back(name);
  }
  ASSERT_FALSE(planted.empty());
  EXPECT_EQ(JET_errBackupDirectoryNotEmpty, Backup(dir, JET_bitBackupIncremental));
  ExpectVictimUntouched("incremental onto linked log names");
  for (const std::string& name : planted) EXPECT_TRUE(IsLink(dir + "/" + name)) << name << ": the link was removed or replaced";
  EXPECT_FALSE(fs::exists(dir + "/temp")) << "the staging folder is removed";
  ExpectNoBackupInProgress("linked log names");
}

TEST_F(BackupInstanceSafetyTest, TheBackupFolderItselfMayBeALink) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  const std::string real = BackupDir("real");
  const std::string linked = dir_.path() + "/linked";
  ASSERT_NO_FATAL_FAILURE(Link(real, linked));
  ASSERT_EQ(JET_errSuccess, Backup(linked)) << "not atomic";
  ASSERT_NO_FATAL_FAILURE(CommitRows(100, 20));
  ASSERT_NO_FATAL_FAILURE(Roll());
  ASSERT_EQ(JET_errSuccess, Backup(linked, JET_bitBackupIncremental));
  EXPECT_TRUE(fs::exists(real + "/" + backup_instance_test::kManifestName));
  ExpectRestores(linked, committed_, "through the linked folder");

  const std::string real_atomic = BackupDir("real-atomic");
  const std::string linked_atomic = dir_.path() + "/linked-atomic";
  ASSERT_NO_FATAL_FAILURE(Link(real_atomic, linked_atomic));
  ASSERT_EQ(JET_errSuccess, Backup(linked_atomic, JET_bitBackupAtomic));
  ASSERT_EQ(JET_errSuccess, Backup(linked_atomic, JET_bitBackupAtomic)) << "new becomes old, then goes";
  EXPECT_TRUE(fs::is_directory(real_atomic + "/new"));
  ExpectRestores(linked_atomic, committed_, "through the linked atomic folder");
}

TEST_F(BackupInstanceSafetyTest, StaleStagingFilesAndLinksInsideTempAreClearedWithoutFollowing) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  const std::string dir = BackupDir();
  fs::create_directories(dir + "/temp");
  ASSERT_TRUE(backup_test::WriteWholeFile(dir + "/temp/edb.log", "a stale staged file"));
  ASSERT_NO_FATAL_FAILURE(Link(Victim() + "/db.edb", dir + "/temp/db.edb"));
  ASSERT_NO_FATAL_FAILURE(Link(Victim(), dir + "/temp/esent-backup.manifest.tmp"));
  ASSERT_EQ(JET_errSuccess, Backup(dir)) << "temp holds only the engine's own kind of leftovers";
  ExpectVictimUntouched("stale links inside temp");
  EXPECT_FALSE(fs::exists(dir + "/temp"));
  ExpectRestores(dir, committed_, "after clearing a stale temp");
}

// --- modes ------------------------------------------------------------------------------------

using esent_test::ScopedUmask;

// Mode bits of every regular file and folder under `folder` (recursive, the folder excluded).
std::map<std::string, unsigned> Modes(const std::string& folder, bool directories) {
  std::map<std::string, unsigned> modes;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (directories ? !entry.is_directory() : !entry.is_regular_file()) continue;
    struct stat info {};
    EXPECT_EQ(0, ::lstat(entry.path().c_str(), &info)) << entry.path();
    modes[fs::relative(entry.path(), folder).string()] = info.st_mode & 0777;
  }
  return modes;
}

class BackupInstanceModesTest : public BackupInstanceSafetyTest,
                                public ::testing::WithParamInterface<unsigned> {};

TEST_P(BackupInstanceModesTest, FilesAre0640AndFoldersAre0750LessTheUmask) {
  const auto mask = static_cast<mode_t>(GetParam());
  const unsigned file_mode = 0640u & ~mask;
  const unsigned folder_mode = 0750u & ~mask;
  ScopedUmask scoped(mask);
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  ASSERT_NO_FATAL_FAILURE(Roll());
  const std::string atomic = BackupDir("atomic");
  ASSERT_EQ(JET_errSuccess, Backup(atomic, JET_bitBackupAtomic));
  const std::string plain = BackupDir("plain");
  ASSERT_EQ(JET_errSuccess, Backup(plain));

  const auto source = Modes(folder_, false);
  EXPECT_TRUE(source.count("db.edb") == 1 && source.count("edb.chk") == 1 && source.count("edb.log") == 1)
      << "the database, checkpoint and current log are where expected";
  bool archived_log = false;
  for (const auto& [name, mode] : source) {
    EXPECT_EQ(file_mode, mode) << "umask 0" << std::oct << mask << ": " << folder_ << name << " mode 0" << mode;
    archived_log = archived_log || (name.starts_with("edb0") && name.ends_with(".log"));
  }
  EXPECT_TRUE(archived_log) << "an archived log was checked";
  for (const std::string& dir : {atomic, plain}) {
    const auto files = Modes(dir, false);
    EXPECT_GE(files.size(), 3u) << dir;
    for (const auto& [name, mode] : files) {
      EXPECT_EQ(file_mode, mode) << "umask 0" << std::oct << mask << ": " << dir << "/" << name << " mode 0" << mode;
    }
  }
  const auto folders = Modes(atomic, true);
  ASSERT_EQ(1u, folders.count("new"));
  EXPECT_EQ(folder_mode, folders.at("new")) << "umask 0" << std::oct << mask << ": new/ mode 0" << folders.at("new");
}

INSTANTIATE_TEST_SUITE_P(Umask, BackupInstanceModesTest, ::testing::Values(022u, 077u),
                         [](const ::testing::TestParamInfo<unsigned>& param_info) {
                           return param_info.param == 022u ? std::string("022") : std::string("077");
                         });

}  // namespace
}  // namespace esent_test
