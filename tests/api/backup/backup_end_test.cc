// JetEndExternalBackupInstance(2) and the bookkeeping it leaves in each fully streamed database's
// header (JetGetDatabaseFileInfo(JET_DbInfoMisc), JET_DBINFOMISC4):
//   full + truncated (TruncateLog succeeded, or JET_bitBackupTruncateDone) → bkinfoFullPrev
//     {genLow = first listed, genHigh = last listed}, clearing bkinfoIncPrev / bkinfoDiffPrev;
//   full not truncated (a copy)        → bkinfoCopyPrev;
//   incremental + truncated            → bkinfoIncPrev;
//   incremental not truncated          → bkinfoDiffPrev (a differential: the next incremental
//                                        carries every log since);
//   End(Normal) before GetLogInfo, End(Abort), Normal after Stop → an abort: nothing recorded.
// End always returns success with a backup active; then the backup is over (JET_errNoBackup).
#include <esent.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "backup/backup_fixture.h"

namespace esent_test {
namespace {

using backup_test::DbMisc;
using backup_test::IsZero;
using backup_test::SameBkinfo;

class BackupEndTest : public BackupTest {
 protected:
  static void ExpectSameBackupRecords(const JET_DBINFOMISC4& before, const JET_DBINFOMISC4& after) {
    EXPECT_TRUE(SameBkinfo(before.bkinfoFullPrev, after.bkinfoFullPrev)) << "bkinfoFullPrev changed";
    EXPECT_TRUE(SameBkinfo(before.bkinfoIncPrev, after.bkinfoIncPrev)) << "bkinfoIncPrev changed";
    EXPECT_TRUE(SameBkinfo(before.bkinfoCopyPrev, after.bkinfoCopyPrev)) << "bkinfoCopyPrev changed";
    EXPECT_TRUE(SameBkinfo(before.bkinfoDiffPrev, after.bkinfoDiffPrev)) << "bkinfoDiffPrev changed";
  }

  static void ExpectRange(const JET_BKINFO& info, const BackupRun& run) {
    ASSERT_FALSE(run.generations.empty());
    EXPECT_EQ(run.generations.front(), info.genLow);
    EXPECT_EQ(run.generations.back(), info.genHigh);
  }

  // StartWithDatabase, a full truncated backup (into *full), then 20 rows and two log rolls.
  void StartAfterAFullBackup(BackupRun* full) {
    ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
    ASSERT_NO_FATAL_FAILURE(FullBackup(/*truncate=*/true, full));
    ASSERT_NO_FATAL_FAILURE(InsertRows(1, 20));
    ASSERT_NO_FATAL_FAILURE(Roll(2));
  }

  // A full truncated backup, an incremental one (truncated: it records IncPrev; not: DiffPrev,
  // which `recorded` names and which must be set), then a second full truncated backup: it
  // records FullPrev with its own range and clears IncPrev and DiffPrev.
  void ExpectASecondFullBackupClears(bool truncate_incremental,
                                     JET_BKINFO JET_DBINFOMISC4::*recorded) {
    ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
    BackupRun full;
    ASSERT_NO_FATAL_FAILURE(FullBackup(/*truncate=*/true, &full));
    ASSERT_NO_FATAL_FAILURE(InsertRows(1, 10));
    BackupRun incremental;
    ASSERT_NO_FATAL_FAILURE(IncrementalBackup(truncate_incremental, &incremental));
    ASSERT_FALSE(IsZero(DbMisc(database_path_).*recorded));
    ASSERT_NO_FATAL_FAILURE(InsertRows(100, 10));
    BackupRun second_full;
    ASSERT_NO_FATAL_FAILURE(FullBackup(/*truncate=*/true, &second_full));
    const JET_DBINFOMISC4 after = DbMisc(database_path_);
    ExpectRange(after.bkinfoFullPrev, second_full);
    EXPECT_TRUE(IsZero(after.bkinfoIncPrev));
    EXPECT_TRUE(IsZero(after.bkinfoDiffPrev));
  }
};

TEST_F(BackupEndTest, AFullTruncatedBackupRecordsFullPrevWithTheListedGenerations) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 30));
  ASSERT_NO_FATAL_FAILURE(Roll(2));
  const JET_DBINFOMISC4 before = DbMisc(database_path_);
  ASSERT_TRUE(IsZero(before.bkinfoFullPrev));
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(FullBackup(/*truncate=*/true, &run));
  const JET_DBINFOMISC4 after = DbMisc(database_path_);
  ExpectRange(after.bkinfoFullPrev, run);
  EXPECT_TRUE(IsZero(after.bkinfoIncPrev));
  EXPECT_TRUE(IsZero(after.bkinfoDiffPrev));
  EXPECT_TRUE(IsZero(after.bkinfoCopyPrev)) << "a truncated full backup is not a copy";
  ExpectNoBackup(instance_);
}

TEST_F(BackupEndTest, AFullBackupEndedWithTruncateDoneRecordsFullPrev) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 10));
  ASSERT_NO_FATAL_FAILURE(BeginAndStreamDatabase());
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(StreamLogs(instance_, &run));
  const std::vector<std::uint32_t> on_disk = backup_test::ArchivedGenerations(folder_);
  ASSERT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndNormal |
                                                                         JET_bitBackupTruncateDone));
  EXPECT_EQ(on_disk, backup_test::ArchivedGenerations(folder_)) << "TruncateDone deletes nothing itself";
  const JET_DBINFOMISC4 after = DbMisc(database_path_);
  ExpectRange(after.bkinfoFullPrev, run);
  EXPECT_TRUE(IsZero(after.bkinfoCopyPrev));
}

TEST_F(BackupEndTest, AFullBackupWithoutTruncationIsACopyAndRecordsCopyPrev) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 10));
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(FullBackup(/*truncate=*/false, &run));
  EXPECT_EQ(run.on_disk_before_truncate, run.on_disk_after_truncate);
  const JET_DBINFOMISC4 after = DbMisc(database_path_);
  ExpectRange(after.bkinfoCopyPrev, run);
  EXPECT_TRUE(IsZero(after.bkinfoFullPrev)) << "a copy is not a full backup";
  EXPECT_TRUE(IsZero(after.bkinfoIncPrev));
  EXPECT_TRUE(IsZero(after.bkinfoDiffPrev));
}

TEST_F(BackupEndTest, EndExternalBackupInstanceIsEndNormal) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  ASSERT_NO_FATAL_FAILURE(StreamDatabases(instance_, {database_path_}));
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(StreamLogs(instance_, &run));
  ASSERT_EQ(JET_errSuccess, JetTruncateLogInstance(instance_));
  ASSERT_EQ(JET_errSuccess, JetEndExternalBackupInstance(instance_));
  ExpectRange(DbMisc(database_path_).bkinfoFullPrev, run);
  ExpectNoBackup(instance_);
}

TEST_F(BackupEndTest, UnknownEndBitsAreIgnored) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  ASSERT_NO_FATAL_FAILURE(StreamDatabases(instance_, {database_path_}));
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(StreamLogs(instance_, &run));
  ASSERT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndNormal | 0x00010000 | 0x8));
  ExpectRange(DbMisc(database_path_).bkinfoCopyPrev, run);
}

TEST_F(BackupEndTest, AnIncrementalTruncatedBackupRecordsIncPrev) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  BackupRun full;
  ASSERT_NO_FATAL_FAILURE(FullBackup(/*truncate=*/true, &full));
  const JET_DBINFOMISC4 after_full = DbMisc(database_path_);
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 20));
  ASSERT_NO_FATAL_FAILURE(Roll(2));
  BackupRun incremental;
  ASSERT_NO_FATAL_FAILURE(IncrementalBackup(/*truncate=*/true, &incremental));
  const JET_DBINFOMISC4 after = DbMisc(database_path_);
  ExpectRange(after.bkinfoIncPrev, incremental);
  EXPECT_TRUE(SameBkinfo(after_full.bkinfoFullPrev, after.bkinfoFullPrev)) << "the full backup stays";
  EXPECT_TRUE(IsZero(after.bkinfoDiffPrev));
  EXPECT_GT(incremental.generations.back(), full.generations.back());
  ExpectNoBackup(instance_);
}

TEST_F(BackupEndTest, AnIncrementalWithoutTruncationIsADifferentialAndRecordsDiffPrev) {
  BackupRun full;
  ASSERT_NO_FATAL_FAILURE(StartAfterAFullBackup(&full));
  BackupRun differential;
  ASSERT_NO_FATAL_FAILURE(IncrementalBackup(/*truncate=*/false, &differential));
  const JET_DBINFOMISC4 after = DbMisc(database_path_);
  ExpectRange(after.bkinfoDiffPrev, differential);
  EXPECT_TRUE(IsZero(after.bkinfoIncPrev));
  EXPECT_EQ(differential.on_disk_before_truncate, differential.on_disk_after_truncate);
}

TEST_F(BackupEndTest, TheIncrementalAfterADifferentialCarriesEveryLogSince) {
  BackupRun full;
  ASSERT_NO_FATAL_FAILURE(StartAfterAFullBackup(&full));
  BackupRun differential;
  ASSERT_NO_FATAL_FAILURE(IncrementalBackup(/*truncate=*/false, &differential));
  ASSERT_NO_FATAL_FAILURE(InsertRows(100, 20));
  ASSERT_NO_FATAL_FAILURE(Roll(2));
  BackupRun next;
  ASSERT_NO_FATAL_FAILURE(IncrementalBackup(/*truncate=*/true, &next));
  // Every generation of the differential is in the next one, which goes further.
  for (std::uint32_t generation : differential.generations) {
    EXPECT_NE(std::find(next.generations.begin(), next.generations.end(), generation), next.generations.end())
        << "generation " << generation << " of the differential is carried again";
  }
  EXPECT_GT(next.generations.back(), differential.generations.back());
  const JET_DBINFOMISC4 after = DbMisc(database_path_);
  ExpectRange(after.bkinfoIncPrev, next);
}

TEST_F(BackupEndTest, AFullTruncatedBackupClearsIncPrev) {
  ASSERT_NO_FATAL_FAILURE(
      ExpectASecondFullBackupClears(/*truncate_incremental=*/true, &JET_DBINFOMISC4::bkinfoIncPrev));
}

TEST_F(BackupEndTest, AFullTruncatedBackupClearsDiffPrev) {
  ASSERT_NO_FATAL_FAILURE(
      ExpectASecondFullBackupClears(/*truncate_incremental=*/false, &JET_DBINFOMISC4::bkinfoDiffPrev));
}

TEST_F(BackupEndTest, EndNormalBeforeGetLogInfoIsAnAbortAndRecordsNothing) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  const JET_DBINFOMISC4 before = DbMisc(database_path_);
  ASSERT_NO_FATAL_FAILURE(BeginAndStreamDatabase());
  EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndNormal |
                                                                         JET_bitBackupTruncateDone));
  ExpectSameBackupRecords(before, DbMisc(database_path_));
  ExpectNoBackup(instance_);
}

TEST_F(BackupEndTest, EndAbortRecordsNothing) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  BackupRun full;
  ASSERT_NO_FATAL_FAILURE(FullBackup(/*truncate=*/true, &full));
  const JET_DBINFOMISC4 before = DbMisc(database_path_);
  ASSERT_NO_FATAL_FAILURE(BeginAndStreamDatabase());
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(StreamLogs(instance_, &run));
  ASSERT_EQ(JET_errSuccess, JetTruncateLogInstance(instance_));
  AbortBackup();
  ExpectSameBackupRecords(before, DbMisc(database_path_));
  ExpectNoBackup(instance_);
}

TEST_F(BackupEndTest, ADatabaseNotReadToItsEndRecordsNothing) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 50));
  const JET_DBINFOMISC4 before = DbMisc(database_path_);
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  OpenedFile opened;
  ASSERT_NO_FATAL_FAILURE(OpenInBackup(database_path_, &opened));
  auto& [handle, low, high] = opened;
  std::vector<char> chunk(3 * std::size_t{page_size_});
  JET_UINT32 actual = 0;
  ASSERT_EQ(JET_errSuccess, JetReadFileInstance(instance_, handle, chunk.data(), 3 * page_size_, &actual));
  ASSERT_LT(std::uint64_t{actual}, backup_test::Size64(low, high)) << "the database is longer than 3 pages";
  ASSERT_EQ(JET_errSuccess, JetCloseFileInstance(instance_, handle));
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(StreamLogs(instance_, &run));
  EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndNormal |
                                                                         JET_bitBackupTruncateDone));
  ExpectSameBackupRecords(before, DbMisc(database_path_));
}

TEST_F(BackupEndTest, AnIncrementalBackupEndedAbortRecordsNothing) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  BackupRun full;
  ASSERT_NO_FATAL_FAILURE(FullBackup(/*truncate=*/true, &full));
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 10));
  const JET_DBINFOMISC4 before = DbMisc(database_path_);
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, JET_bitBackupIncremental));
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(StreamLogs(instance_, &run));
  AbortBackup();
  ExpectSameBackupRecords(before, DbMisc(database_path_));
}

}  // namespace
}  // namespace esent_test
