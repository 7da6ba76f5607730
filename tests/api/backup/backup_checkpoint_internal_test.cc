// The checkpoint file keeps the instance's last backups (full, incremental, differential, copy:
// log position, time and generations), written when a backup ends normally and carried through
// every later checkpoint, a clean term and the recovery of the next JetInit.
#include <gtest/gtest.h>

#include <string>

#include "backup/backup_fixture.h"
#include "io/file_system.h"
#include "log/checkpoint.h"

namespace esent_test {
namespace {

class BackupCheckpointTest : public BackupTest {
 protected:
  esent::log::CheckpointData ReadCheckpoint() {
    auto data = esent::log::read_checkpoint(*esent::io::posix_file_system(), folder_ + "edb.chk");
    EXPECT_TRUE(data.ok()) << data.status().to_string();
    return data.ok() ? *data : esent::log::CheckpointData{};
  }
};

TEST_F(BackupCheckpointTest, TheLastBackupsAreKeptInTheCheckpointAcrossATermAndRecovery) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 50));
  EXPECT_EQ(0u, ReadCheckpoint().full_backup.low_generation) << "no backup yet";

  BackupRun full;
  ASSERT_NO_FATAL_FAILURE(FullBackup(/*truncate=*/true, &full));
  ASSERT_FALSE(full.generations.empty());
  ASSERT_NO_FATAL_FAILURE(InsertRows(100, 50));
  BackupRun differential;
  ASSERT_NO_FATAL_FAILURE(IncrementalBackup(/*truncate=*/false, &differential));
  ASSERT_FALSE(differential.generations.empty());

  esent::log::CheckpointData data = ReadCheckpoint();
  EXPECT_EQ(full.generations.front(), data.full_backup.low_generation);
  EXPECT_EQ(full.generations.back(), data.full_backup.high_generation);
  EXPECT_FALSE(data.full_backup.position.is_null());
  EXPECT_FALSE(data.full_backup.time.is_null());
  EXPECT_EQ(differential.generations.front(), data.differential_backup.low_generation);
  EXPECT_EQ(differential.generations.back(), data.differential_backup.high_generation);
  EXPECT_EQ(0u, data.incremental_backup.low_generation) << "the incremental did not truncate";
  EXPECT_EQ(0u, data.copy_backup.low_generation);

  // A clean term, then a JetInit that runs recovery: both write the checkpoint again.
  ASSERT_EQ(JET_errSuccess, JetEndSession(sesid_, 0));
  sesid_ = 0;
  ASSERT_EQ(JET_errSuccess, JetTerm(instance_));
  instance_ = Start("b");
  ASSERT_NE(JET_INSTANCE{0}, instance_);
  const esent::log::CheckpointData after = ReadCheckpoint();
  EXPECT_EQ(data.full_backup, after.full_backup);
  EXPECT_EQ(data.differential_backup, after.differential_backup);
}

}  // namespace
}  // namespace esent_test
