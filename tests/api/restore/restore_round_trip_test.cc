// Round trips through a streamed backup, row by row against the oracle (restore contract of
// issue 7): full; full + several incrementals; full + differential; to another folder through
// szDest; JetExternalRestore(2) with a restore map; JetInit3 with JET_RSTINFO; newer logs in the
// log folder rolled forward; a transaction open at backup time undone; the W form.
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "restore/restore_fixture.h"

namespace esent_test {
namespace {

using restore_test::Exists;
using restore_test::ExpectSameRows;
using restore_test::ValueFor;

class RestoreRoundTripTest : public RestoreTest {
 protected:
  // 15 rows into `second` through `table` (open on `sesid`, which ends here), then a full
  // backup, the source wiped, a restore, and both databases compared with what was committed.
  void FillSecondBackUpAndRestore(JET_SESID sesid, JET_DBID dbid, JET_TABLEID table,
                                  const std::string& second) {
    Rows second_rows;
    for (std::int32_t id = 1; id <= 15; ++id) {
      ASSERT_EQ(JET_errSuccess, InsertOn(sesid, table, id, ValueFor(id, 7)));
      second_rows[id] = ValueFor(id, 7);
    }
    ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid, table));
    ASSERT_EQ(JET_errSuccess, JetCloseDatabase(sesid, dbid, 0));
    ASSERT_EQ(JET_errSuccess, JetEndSession(sesid, 0));
    BackupRun run;
    ASSERT_NO_FATAL_FAILURE(FullBackupTo(SetFolder(), true, &run));
    ASSERT_EQ(2u, run.databases.size());
    ASSERT_NO_FATAL_FAILURE(StopAndWipeSource());
    JET_INSTANCE restorer = RestoreInstanceAt("r", folder_);
    ASSERT_EQ(JET_errSuccess, Restore(restorer, SetFolder(), nullptr));
    JET_INSTANCE running = restorer;
    ASSERT_EQ(JET_errSuccess, JetInit(&running));
    ExpectSameRows(committed_, ReadRows(restorer, database_path_), "db.edb");
    ExpectSameRows(second_rows, ReadRows(restorer, second), "second.edb");
  }
};

TEST_F(RestoreRoundTripTest, FullBackupRestoresEveryCommittedRowAndNothingElse) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  ASSERT_NO_FATAL_FAILURE(FullBackupTo(SetFolder()));
  const Rows expected = committed_;
  // Committed after the backup: their logs are wiped with the source, so they must not return.
  ASSERT_NO_FATAL_FAILURE(CommitRows(5000, 10));
  ASSERT_NO_FATAL_FAILURE(WipeRestoreAndExpect(SetFolder(), expected, "full"));
}

TEST_F(RestoreRoundTripTest, FullBackupWithSeveralGenerationsRestores) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(FullBackupWithThreeGenerations(SetFolder(), &run));
  ASSERT_NO_FATAL_FAILURE(WipeRestoreAndExpect(SetFolder(), committed_, "full over 3+ generations"));
}

TEST_F(RestoreRoundTripTest, RestoredInstanceIsLeftCreatedAndNotInitialised) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  ASSERT_NO_FATAL_FAILURE(FullBackupTo(SetFolder()));
  ASSERT_NO_FATAL_FAILURE(StopAndWipeSource());
  JET_INSTANCE restorer = RestoreInstanceAt("r", folder_);
  ASSERT_EQ(JET_errSuccess, Restore(restorer, SetFolder(), nullptr));
  JET_SESID sesid = 0;
  EXPECT_EQ(JET_errNotInitialized, JetBeginSessionA(restorer, &sesid, nullptr, nullptr));
  // The restore wrote a checkpoint in the system path and the databases are clean.
  EXPECT_TRUE(Exists(folder_ + "edb.chk"));
  EXPECT_EQ(JET_UINT32{JET_dbstateCleanShutdown}, backup_test::DbMisc(database_path_).dbstate);
  ExpectSameRows(committed_, InitAndReadRows(restorer, database_path_), "after JetInit");
}

TEST_F(RestoreRoundTripTest, FullPlusSeveralIncrementalsRestoresAsAChain) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  ASSERT_NO_FATAL_FAILURE(FullBackupTo(SetFolder("full")));
  ASSERT_NO_FATAL_FAILURE(restore_test::CopyFolderFiles(SetFolder("full"), SetFolder("chain")));
  for (int i = 0; i < 3; ++i) {
    ASSERT_NO_FATAL_FAILURE(CommitRows(1000 * (i + 1), 20));
    ASSERT_NO_FATAL_FAILURE(UpdateRow(1 + i, ValueFor(1 + i, 10 + i)));
    ASSERT_NO_FATAL_FAILURE(DeleteRow(20 + i));
    ASSERT_NO_FATAL_FAILURE(Roll());
    const std::string increment = SetFolder("inc" + std::to_string(i));
    BackupRun run;
    ASSERT_NO_FATAL_FAILURE(IncrementalBackupTo(increment, true, &run));
    ASSERT_FALSE(run.logs.empty());
    ASSERT_NO_FATAL_FAILURE(restore_test::CopyFolderFiles(increment, SetFolder("chain")));
  }
  const Rows expected = committed_;
  ASSERT_NO_FATAL_FAILURE(CommitRows(9000, 5));  // after the last incremental: not in the chain
  ASSERT_NO_FATAL_FAILURE(WipeRestoreAndExpect(SetFolder("chain"), expected, "full + 3 incrementals"));
}

TEST_F(RestoreRoundTripTest, FullPlusDifferentialRestoresWithoutTheEarlierDifferential) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  ASSERT_NO_FATAL_FAILURE(FullBackupTo(SetFolder("full")));
  ASSERT_NO_FATAL_FAILURE(CommitRows(1000, 20));
  ASSERT_NO_FATAL_FAILURE(Roll());
  ASSERT_NO_FATAL_FAILURE(IncrementalBackupTo(SetFolder("diff1"), /*truncate=*/false));
  ASSERT_NO_FATAL_FAILURE(CommitRows(2000, 20));
  ASSERT_NO_FATAL_FAILURE(UpdateRow(1000, ValueFor(1000, 3)));
  ASSERT_NO_FATAL_FAILURE(Roll());
  ASSERT_NO_FATAL_FAILURE(IncrementalBackupTo(SetFolder("diff2"), /*truncate=*/false));
  EXPECT_FALSE(backup_test::IsZero(backup_test::DbMisc(database_path_).bkinfoDiffPrev))
      << "an incremental without truncation is recorded as a differential";
  // The second differential alone carries every log since the full backup.
  ASSERT_NO_FATAL_FAILURE(restore_test::CopyFolderFiles(SetFolder("full"), SetFolder("chain")));
  ASSERT_NO_FATAL_FAILURE(restore_test::CopyFolderFiles(SetFolder("diff2"), SetFolder("chain")));
  const Rows expected = committed_;
  ASSERT_NO_FATAL_FAILURE(CommitRows(9000, 5));
  ASSERT_NO_FATAL_FAILURE(WipeRestoreAndExpect(SetFolder("chain"), expected, "full + differential"));
}

TEST_F(RestoreRoundTripTest, RestoreToAnotherFolderLeavesTheOriginalDatabaseUntouched) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  ASSERT_NO_FATAL_FAILURE(FullBackupTo(SetFolder()));
  const Rows expected = committed_;
  ASSERT_NO_FATAL_FAILURE(CommitRows(5000, 10));
  ASSERT_NO_FATAL_FAILURE(StopSource());
  const std::string original = backup_test::ReadWholeFile(database_path_);
  const std::string dest = dir_.Sub("dest");
  JET_INSTANCE restorer = RestoreInstanceAt("r", dir_.Sub("r"));
  ASSERT_EQ(JET_errSuccess, Restore(restorer, SetFolder(), dest.c_str()));
  EXPECT_EQ(original, backup_test::ReadWholeFile(database_path_)) << "the original database changed";
  ASSERT_TRUE(Exists(dest + "db.edb"));
  ExpectSameRows(expected, InitAndReadRows(restorer, dest + "db.edb"), "szDest");
}

TEST_F(RestoreRoundTripTest, RestoreToAnotherFolderDoesNotCreateTheOriginalPath) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  ASSERT_NO_FATAL_FAILURE(FullBackupTo(SetFolder()));
  ASSERT_NO_FATAL_FAILURE(StopAndWipeSource());
  const std::string dest = dir_.Sub("dest");
  JET_INSTANCE restorer = RestoreInstanceAt("r", dir_.Sub("r"));
  ASSERT_EQ(JET_errSuccess, Restore(restorer, SetFolder(), dest.c_str()));
  EXPECT_FALSE(Exists(database_path_)) << "szDest given: nothing goes to the original path";
  ExpectSameRows(committed_, InitAndReadRows(restorer, dest + "db.edb"), "szDest");
}

TEST_F(RestoreRoundTripTest, WideFormRestoresWithUtf16Paths) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  ASSERT_NO_FATAL_FAILURE(FullBackupTo(SetFolder()));
  ASSERT_NO_FATAL_FAILURE(StopAndWipeSource());
  const std::string dest = dir_.Sub("dest");
  JET_INSTANCE restorer = RestoreInstanceAt("r", dir_.Sub("r"));
  const std::u16string set = Widen(SetFolder());
  const std::u16string wide_dest = Widen(dest);
  const restore_test::FolderBytes before = restore_test::SnapshotFolder(SetFolder());
  ASSERT_EQ(JET_errSuccess, JetRestoreInstanceW(restorer, reinterpret_cast<const JET_WCHAR*>(set.c_str()),
                                                reinterpret_cast<const JET_WCHAR*>(wide_dest.c_str()), nullptr));
  EXPECT_TRUE(before == restore_test::SnapshotFolder(SetFolder()));
  ExpectSameRows(committed_, InitAndReadRows(restorer, dest + "db.edb"), "W form");
}

TEST_F(RestoreRoundTripTest, TwoDatabasesCreatedOnTwoSessionsBothComeBack) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(CommitRows(1, 30));
  // second.edb created (and so attached) on its own session, never detached.
  const std::string second = folder_ + "second.edb";
  JET_SESID sesid = BeginSession(instance_);
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  ASSERT_NO_FATAL_FAILURE(CreateDatabaseWithTable(sesid, second, &dbid, &table));
  ASSERT_NO_FATAL_FAILURE(FillSecondBackUpAndRestore(sesid, dbid, table, second));
}

// second.edb is created, detached and attached again before the backup: the replay goes
// through its create, detach and re-attach.
TEST_F(RestoreRoundTripTest, TwoDatabasesOneDetachedAndReattachedBothComeBack) {
  std::string second;
  ASSERT_NO_FATAL_FAILURE(StartWithSecondDatabase(&second));
  ASSERT_NO_FATAL_FAILURE(CommitRows(1, 30));
  // Rows in the second database, on their own session.
  JET_SESID sesid = BeginSession(instance_);
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  ASSERT_EQ(JET_errSuccess, JetOpenDatabaseA(sesid, second.c_str(), nullptr, &dbid, 0));
  ASSERT_EQ(JET_errSuccess, JetOpenTableA(sesid, dbid, "t", nullptr, 0, 0, &table));
  ASSERT_NO_FATAL_FAILURE(FillSecondBackUpAndRestore(sesid, dbid, table, second));
}

TEST_F(RestoreRoundTripTest, NewerLogsInTheLogFolderAreRolledForward) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  ASSERT_NO_FATAL_FAILURE(FullBackupTo(SetFolder()));
  // Committed after the backup; their logs stay in the source's log folder.
  ASSERT_NO_FATAL_FAILURE(CommitRows(5000, 20));
  ASSERT_NO_FATAL_FAILURE(UpdateRow(1, ValueFor(1, 9)));
  ASSERT_NO_FATAL_FAILURE(DeleteRow(2));
  ASSERT_NO_FATAL_FAILURE(Roll());
  ASSERT_NO_FATAL_FAILURE(CommitRows(6000, 5));
  ASSERT_NO_FATAL_FAILURE(StopSource());
  // Lose the database and the checkpoint, keep the logs.
  std::filesystem::remove(database_path_);
  std::filesystem::remove(folder_ + "edb.chk");
  JET_INSTANCE restorer = RestoreInstanceAt("r", folder_);
  ASSERT_EQ(JET_errSuccess, Restore(restorer, SetFolder(), nullptr));
  ExpectSameRows(committed_, InitAndReadRows(restorer, database_path_), "rolled forward");
}

TEST_F(RestoreRoundTripTest, TransactionOpenDuringTheBackupIsAbsentAfterRestore) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  JET_SESID other = BeginSession(instance_);
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  ASSERT_EQ(JET_errSuccess, JetOpenDatabaseA(other, database_path_.c_str(), nullptr, &dbid, 0));
  ASSERT_EQ(JET_errSuccess, JetOpenTableA(other, dbid, "t", nullptr, 0, 0, &table));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(other));
  for (std::int32_t id = 7000; id < 7010; ++id) {
    ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(other, table, JET_prepInsert));
    ASSERT_EQ(JET_errSuccess, JetSetColumn(other, table, id_column_, &id, sizeof(id), 0, nullptr));
    const std::string value = ValueFor(id);
    ASSERT_EQ(JET_errSuccess, JetSetColumn(other, table, value_column_, value.data(),
                                           static_cast<JET_UINT32>(value.size()), 0, nullptr));
    ASSERT_EQ(JET_errSuccess, JetUpdate(other, table, nullptr, 0, nullptr));
  }
  // A durable commit on another session puts the open transaction's inserts in the log too.
  ASSERT_NO_FATAL_FAILURE(Commit(8000, ValueFor(8000)));
  ASSERT_NO_FATAL_FAILURE(FullBackupTo(SetFolder()));
  const Rows expected = committed_;
  ASSERT_EQ(JET_errSuccess, JetRollback(other, JET_bitRollbackAll));
  ASSERT_EQ(JET_errSuccess, JetCloseTable(other, table));
  ASSERT_EQ(JET_errSuccess, JetEndSession(other, 0));
  ASSERT_NO_FATAL_FAILURE(WipeRestoreAndExpect(SetFolder(), expected, "open transaction undone"));
}

TEST_F(RestoreRoundTripTest, ExternalRestoreWithARestoreMapRecoversTheImageInPlace) {
  std::string second;
  ASSERT_NO_FATAL_FAILURE(StartWithSecondDatabase(&second));
  ASSERT_NO_FATAL_FAILURE(CommitRows(1, 40));
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(FullBackupTo(SetFolder(), true, &run));
  ASSERT_NO_FATAL_FAILURE(StopAndWipeSource());
  // The client placed the streamed image itself, under a new name.
  const std::string mapped = dir_.Sub("mapped") + "renamed.edb";
  ASSERT_NO_FATAL_FAILURE(restore_test::CopyFile(SetFolder() + "/db.edb", mapped));
  const std::string paths = dir_.Sub("r");
  std::string original = database_path_;
  std::string renamed = mapped;
  JET_RSTMAP_A map{original.data(), renamed.data()};
  std::string checkpoint_folder = paths;
  std::string log_folder = paths;
  std::string set = SetFolder();
  const restore_test::FolderBytes before = restore_test::SnapshotFolder(set);
  const DefaultLogFileSize log_file_size;  // the instance-less restore uses the process defaults
  ASSERT_EQ(JET_errSuccess,
            JetExternalRestoreA(checkpoint_folder.data(), log_folder.data(), &map, 1, set.data(),
                                static_cast<JET_INT32>(run.generations.front()),
                                static_cast<JET_INT32>(run.generations.back()), nullptr));
  EXPECT_TRUE(before == restore_test::SnapshotFolder(set)) << "the backup folder changed";
  EXPECT_FALSE(Exists(database_path_)) << "mapped elsewhere: nothing at the original path";
  EXPECT_FALSE(Exists(second)) << "a database not in the map is ignored";
  const JET_DBINFOMISC4 misc = backup_test::DbMisc(mapped);
  EXPECT_EQ(JET_UINT32{JET_dbstateCleanShutdown}, misc.dbstate);
  EXPECT_TRUE(backup_test::IsZero(misc.bkinfoFullCur));
  const std::uint64_t page_size = page_size_;
  EXPECT_EQ(0u, std::filesystem::file_size(mapped) % page_size);
  JET_INSTANCE reader = RestoreInstanceAt("reader", paths);
  ExpectSameRows(committed_, InitAndReadRows(reader, mapped), "JetExternalRestore");
}

TEST_F(RestoreRoundTripTest, ExternalRestore2WithLogInfoRestoresTheMappedImage) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(FullBackupTo(SetFolder(), true, &run));
  ASSERT_NO_FATAL_FAILURE(StopAndWipeSource());
  const std::string mapped = dir_.Sub("mapped") + "db.edb";
  ASSERT_NO_FATAL_FAILURE(restore_test::CopyFile(SetFolder() + "/db.edb", mapped));
  std::string paths = dir_.Sub("r");
  std::string original = database_path_;
  std::string renamed = mapped;
  std::string set = SetFolder();
  JET_RSTMAP_A map{original.data(), renamed.data()};
  JET_LOGINFO_A info{};
  info.cbSize = sizeof(info);
  info.ulGenLow = run.generations.front();
  info.ulGenHigh = run.generations.back();
  std::memcpy(info.szBaseName, "edb", 4);
  const DefaultLogFileSize log_file_size;
  ASSERT_EQ(JET_errSuccess, JetExternalRestore2A(paths.data(), paths.data(), &map, 1, set.data(), &info,
                                                 nullptr, nullptr, nullptr, nullptr));
  JET_INSTANCE reader = RestoreInstanceAt("reader", paths);
  ExpectSameRows(committed_, InitAndReadRows(reader, mapped), "JetExternalRestore2");
}

TEST_F(RestoreRoundTripTest, ExternalRestoreWideFormRestoresTheMappedImage) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(FullBackupTo(SetFolder(), true, &run));
  ASSERT_NO_FATAL_FAILURE(StopAndWipeSource());
  const std::string mapped = dir_.Sub("mapped") + "db.edb";
  ASSERT_NO_FATAL_FAILURE(restore_test::CopyFile(SetFolder() + "/db.edb", mapped));
  const std::string paths = dir_.Sub("r");
  std::u16string wide_paths = Widen(paths);
  std::u16string original = Widen(database_path_);
  std::u16string renamed = Widen(mapped);
  std::u16string set = Widen(SetFolder());
  JET_RSTMAP_W map{reinterpret_cast<JET_WCHAR*>(original.data()), reinterpret_cast<JET_WCHAR*>(renamed.data())};
  const DefaultLogFileSize log_file_size;
  ASSERT_EQ(JET_errSuccess,
            JetExternalRestoreW(reinterpret_cast<JET_WCHAR*>(wide_paths.data()),
                                reinterpret_cast<JET_WCHAR*>(wide_paths.data()), &map, 1,
                                reinterpret_cast<JET_WCHAR*>(set.data()),
                                static_cast<JET_INT32>(run.generations.front()),
                                static_cast<JET_INT32>(run.generations.back()), nullptr));
  JET_INSTANCE reader = RestoreInstanceAt("reader", paths);
  ExpectSameRows(committed_, InitAndReadRows(reader, mapped), "JetExternalRestoreW");
}

TEST_F(RestoreRoundTripTest, Init3WithARestoreMapRestoresAPlacedImageAndLeavesTheInstanceRunning) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(FullBackupTo(SetFolder(), true, &run));
  ASSERT_NO_FATAL_FAILURE(StopAndWipeSource());
  const std::string paths = dir_.Sub("r");
  for (const std::string& log : run.logs) {
    const std::string name = std::filesystem::path(log).filename().string();
    ASSERT_NO_FATAL_FAILURE(restore_test::CopyFile(SetFolder() + "/" + name, paths + name));
  }
  const std::string mapped = dir_.Sub("mapped") + "db.edb";
  ASSERT_NO_FATAL_FAILURE(restore_test::CopyFile(SetFolder() + "/db.edb", mapped));
  std::string original = database_path_;
  std::string renamed = mapped;
  JET_RSTMAP_A map{original.data(), renamed.data()};
  JET_RSTINFO_A info{};
  info.cbStruct = sizeof(info);
  info.rgrstmap = &map;
  info.crstmap = 1;
  JET_INSTANCE instance = RestoreInstanceAt("r", paths);
  ASSERT_EQ(JET_errSuccess, JetInit3A(&instance, &info, 0));
  const JET_DBINFOMISC4 misc = backup_test::DbMisc(mapped);
  EXPECT_TRUE(backup_test::IsZero(misc.bkinfoFullCur));
  EXPECT_FALSE(Exists(database_path_));
  ExpectSameRows(committed_, ReadRows(instance, mapped), "JetInit3");
}

}  // namespace
}  // namespace esent_test
