// esentutl's verbs that run an instance, on real log sets and backups: recover (/r) after a
// dirty stop, backup (full, incremental, atomic, rate-limited), verify-backup (sound and
// damaged), restore (/c) and the rows it brings back.
#include "tools_fixture.h"

namespace esent_test::tools {
namespace {

constexpr std::uint32_t kPageBytes = 4096;

using InstanceVerbsTest = ToolTest;

TEST_F(InstanceVerbsTest, RecoverReplaysADirtyLogSet) {
  CreateDatabase(200);
  StopInstance(/*dirty=*/true);
  RunResult before = Run("header db.edb --json");
  EXPECT_TRUE(Contains(before.out, "\"state\":\"dirty_shutdown\""));

  RunResult recover = Run("/r edb /llogs /ssys");
  EXPECT_EQ(0, recover.exit_code) << recover.err;
  EXPECT_TRUE(Contains(recover.out, "Recovery of logs/edb (generations 1-"));
  EXPECT_TRUE(Contains(recover.out, "completed successfully"));
  RunResult after = Run("header db.edb --json");
  EXPECT_TRUE(Contains(after.out, "\"state\":\"clean_shutdown\""));
  EXPECT_EQ(200, CountRows(db_, logs_, sys_));

  RunResult json = Run("recover edb --log-folder logs --system-folder sys --json");
  EXPECT_EQ(0, json.exit_code) << json.err;
  EXPECT_TRUE(Contains(
      json.out,
      "{\"ok\":true,\"log_folder\":\"logs\",\"system_folder\":\"sys\",\"base_name\":\"edb\""));
}

TEST_F(InstanceVerbsTest, RecoverFindsMovedDatabasesInTheDatabaseFolder) {
  CreateDatabase(100);
  CheckpointListingTheDatabase(100);
  StopInstance(/*dirty=*/true);
  fs::create_directories(folder_ + "/moved");
  fs::rename(db_, folder_ + "/moved/db.edb");
  RunResult recover = Run("/r edb /llogs /ssys /dmoved --json");
  EXPECT_EQ(0, recover.exit_code) << recover.err;
  EXPECT_TRUE(Contains(recover.out, "\"databases_relocated\":1"));
  EXPECT_TRUE(Contains(Run("header moved/db.edb --json").out, "\"state\":\"clean_shutdown\""));
  EXPECT_EQ(120, CountRows(folder_ + "/moved/db.edb", logs_, sys_));
}

TEST_F(InstanceVerbsTest, RecoverRefusesAMissingOrDamagedLogSet) {
  RunResult none = Run("/r edb /lnowhere");
  EXPECT_EQ(1, none.exit_code);
  EXPECT_TRUE(Contains(none.err, "JET_errFileNotFound (-1811)"));
  EXPECT_FALSE(fs::exists(folder_ + "/nowhere"));

  CreateDatabase(200);
  StopInstance(/*dirty=*/true);
  FlipByte(logs_ + "/edb00001.log", 10 * 512 + 7);
  RunResult damaged = Run("recover edb --log-folder logs --system-folder sys --json");
  EXPECT_EQ(1, damaged.exit_code);
  EXPECT_TRUE(Contains(damaged.out, "\"name\":\"JET_errLogReadVerifyFailure\""));
  EXPECT_TRUE(Contains(damaged.err, "checking the log set logs/edb"));
}

TEST_F(InstanceVerbsTest, BackupVerifyAndRestoreRoundTrip) {
  CreateDatabase(150);
  StopInstance();
  RunResult full = Run("backup db.edb bk --log-folder logs --system-folder sys");
  EXPECT_EQ(0, full.exit_code) << full.err;
  EXPECT_TRUE(Contains(full.out, "Full backup of db.edb to bk completed successfully"));
  EXPECT_TRUE(Contains(full.err, "full backup to bk"));  // progress lines (stderr is a file here)
  RunResult header = Run("header db.edb --json");
  EXPECT_FALSE(Contains(header.out, "\"full_previous\":{\"mark\":{\"generation\":0"));

  StartInstance();
  AddRows(150, 100);
  StopInstance();
  RunResult incremental =
      Run("backup db.edb bk --incremental --log-folder logs --system-folder sys --json");
  EXPECT_EQ(0, incremental.exit_code) << incremental.err;
  EXPECT_TRUE(Contains(incremental.out, "\"kind\":\"incremental\",\"atomic\":false"));

  RunResult verify = Run("verify-backup bk");
  EXPECT_EQ(0, verify.exit_code) << verify.err;
  EXPECT_TRUE(Contains(verify.out, "Backup bk verified"));
  RunResult verify_json = Run("verify-backup bk --json");
  EXPECT_TRUE(
      Contains(verify_json.out, "{\"ok\":true,\"backup_folder\":\"bk\",\"verified\":true}"));

  RunResult restore = Run("/c bk /drestored /lrlogs /srsys");
  EXPECT_EQ(0, restore.exit_code) << restore.err;
  EXPECT_TRUE(Contains(restore.out, "Restore of bk completed successfully"));
  EXPECT_EQ(250, CountRows(folder_ + "/restored/db.edb", folder_ + "/rlogs", folder_ + "/rsys"));

  RunResult json = Run("restore bk --dest restored2 --log-folder rlogs2 --json");
  EXPECT_EQ(0, json.exit_code) << json.err;
  EXPECT_TRUE(Contains(json.out, "{\"ok\":true,\"backup_folder\":\"bk\",\"dest\":\"restored2\""));
  EXPECT_EQ(250,
            CountRows(folder_ + "/restored2/db.edb", folder_ + "/rlogs2", folder_ + "/rlogs2"));
}

TEST_F(InstanceVerbsTest, AtomicRateLimitedBackupRestores) {
  CreateDatabase(100);
  StopInstance();
  RunResult atomic =
      Run("backup db.edb abk --atomic --rate-mib 50 --log-folder logs --system-folder sys --json");
  EXPECT_EQ(0, atomic.exit_code) << atomic.err;
  EXPECT_TRUE(Contains(atomic.out, "\"atomic\":true,\"rate_limit_bytes_per_second\":52428800"));
  EXPECT_TRUE(fs::exists(folder_ + "/abk/new/db.edb"));
  EXPECT_EQ(0, Run("verify-backup abk").exit_code);
  RunResult restore = Run("restore abk --dest restored --log-folder rlogs");
  EXPECT_EQ(0, restore.exit_code) << restore.err;
  EXPECT_EQ(100, CountRows(folder_ + "/restored/db.edb", folder_ + "/rlogs", folder_ + "/rlogs"));
}

TEST_F(InstanceVerbsTest, DamagedBackupFailsVerificationAndRestore) {
  CreateDatabase(100);
  StopInstance();
  ASSERT_EQ(0, Run("backup db.edb bk --log-folder logs --system-folder sys").exit_code);
  const std::uint32_t page = FirstUsedPage(folder_ + "/bk/db.edb", kPageBytes);
  FlipByte(folder_ + "/bk/db.edb", std::uint64_t{page} * kPageBytes + 300);
  RunResult verify = Run("verify-backup bk");
  EXPECT_EQ(1, verify.exit_code);
  EXPECT_TRUE(Contains(verify.err, "JET_errReadVerifyFailure (-1018)"));
  RunResult json = Run("verify-backup bk --json");
  EXPECT_EQ(1, json.exit_code);
  EXPECT_TRUE(Contains(json.out, "{\"ok\":false,\"error\":{\"code\":-1018"));
  RunResult restore = Run("restore bk --dest restored --log-folder rlogs");
  EXPECT_EQ(1, restore.exit_code);
  EXPECT_TRUE(Contains(restore.err, "restoring bk"));
  EXPECT_FALSE(fs::exists(folder_ + "/restored/db.edb"));

  RunResult missing = Run("verify-backup nothing");
  EXPECT_EQ(1, missing.exit_code);
  EXPECT_TRUE(Contains(missing.err, "JET_errFileNotFound (-1811)"));
}

TEST_F(InstanceVerbsTest, BackupOfAMissingDatabaseFails) {
  RunResult result = Run("backup none.edb bk");
  EXPECT_EQ(1, result.exit_code);
  EXPECT_TRUE(Contains(result.err, "JET_errFileNotFound (-1811)"));
}

}  // namespace
}  // namespace esent_test::tools
