// Restore replays from the checkpoint the backup began at, which lies inside a generation (the
// checkpoint thread has moved past generation 1 before the backup): the trailer's replay start,
// not the start of its generation, is where reading begins; and the log folder's newer logs
// roll forward. The restore acceptance suite is tests/api/restore.
#include <chrono>
#include <thread>

#include "backup_fixture.h"

namespace esent_test {
namespace {

using backup_test::Streamed;
namespace fs = std::filesystem;

class RestoreReplayStart : public BackupTest {
 protected:
  void SaveFile(const std::string& path, const std::string& folder) {
    Streamed streamed;
    ASSERT_EQ(JET_errSuccess, backup_test::StreamFile(instance_, path, 65536, &streamed)) << path;
    ASSERT_TRUE(backup_test::WriteWholeFile(folder + fs::path(path).filename().string(), streamed.bytes));
  }
  std::int64_t CountRows(JET_SESID sesid, const std::string& path) {
    JET_DBID dbid = 0;
    EXPECT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid, path.c_str(), 0));
    EXPECT_EQ(JET_errSuccess, JetOpenDatabaseA(sesid, path.c_str(), nullptr, &dbid, 0));
    JET_TABLEID table = 0;
    EXPECT_EQ(JET_errSuccess, JetOpenTableA(sesid, dbid, "t", nullptr, 0, 0, &table));
    std::int64_t rows = 0;
    JET_ERR err = JetMove(sesid, table, static_cast<JET_INT32>(JET_MoveFirst), 0);
    while (err == JET_errSuccess) {
      ++rows;
      err = JetMove(sesid, table, JET_MoveNext, 0);
    }
    EXPECT_EQ(JET_errNoCurrentRecord, err);
    return rows;
  }
};

TEST_F(RestoreReplayStart, NewerLogsInTheLogFolderRollForwardFromALaterCheckpoint) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  // Rows until the checkpoint thread has moved past generation 1 (so replay starts later).
  int rows = 0;
  for (int i = 0; i < 200 && backup_test::CheckpointGeneration(folder_) <= 1; ++i) {
    ASSERT_NO_FATAL_FAILURE(InsertRows(1 + rows, 100));
    rows += 100;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_GT(backup_test::CheckpointGeneration(folder_), 1u);
  const std::string backup = dir_.Sub("set") + "/";
  fs::create_directories(backup);
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  ASSERT_NO_FATAL_FAILURE(SaveFile(database_path_, backup));
  std::vector<std::string> logs;
  ASSERT_EQ(JET_errSuccess, backup_test::LogInfo(instance_, &logs));
  for (const std::string& log : logs) ASSERT_NO_FATAL_FAILURE(SaveFile(log, backup));
  ASSERT_EQ(JET_errSuccess, JetTruncateLogInstance(instance_));
  ASSERT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndNormal));
  ASSERT_NO_FATAL_FAILURE(InsertRows(5000, 70));  // after the backup: rolled forward
  ASSERT_EQ(JET_errSuccess, JetTerm2(instance_, JET_bitTermAbrupt));
  fs::remove(database_path_);
  fs::remove(folder_ + "edb.chk");

  JET_INSTANCE restorer = Configure("b", Options());
  ASSERT_EQ(JET_errSuccess, JetRestoreInstanceA(restorer, backup.c_str(), nullptr, nullptr));
  ASSERT_EQ(JET_errSuccess, JetInit(&restorer));
  JET_SESID sesid = BeginSession(restorer);
  EXPECT_EQ(rows + 70, CountRows(sesid, database_path_));
}

}  // namespace
}  // namespace esent_test
