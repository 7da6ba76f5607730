// Calls in the wrong state, each with its code AND its consequence (the contract's "After
// Begin"): JET_errNoBackup with no backup (before Begin, after End, after an abort);
// JET_errBackupAbortByServer after JetStopBackupInstance (CloseFile and End still work);
// JET_errInvalidBackupSequence (continues, or aborts where the contract says); JET_errOutOfMemory
// for a second open file; JET_errDatabaseNotFound for a name that is not attached; the log
// phase's refusals (abort); JET_errInvalidParameter for NULLs, bad sizes and bad handles.
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <set>
#include <string>
#include <vector>

#include "backup/backup_fixture.h"

namespace esent_test {
namespace {

namespace fs = std::filesystem;
using backup_test::AttachInfo;
using backup_test::LogInfo;
using backup_test::Streamed;
using backup_test::StreamFile;
using backup_test::TruncateLogInfo;

class BackupStateTest : public BackupTest {
 protected:
  // Every call but Begin and Stop returns `expected` (JET_errNoBackup); `handle` is used for
  // ReadFile and CloseFile.
  void ExpectEveryCallIs(JET_ERR expected, JET_HANDLE handle = 1) {
    char buffer[256];
    JET_UINT32 actual = 0;
    EXPECT_EQ(expected, JetGetAttachInfoInstanceA(instance_, buffer, sizeof(buffer), &actual));
    JET_WCHAR wide[128];
    EXPECT_EQ(expected, JetGetAttachInfoInstanceW(instance_, wide, sizeof(wide), &actual));
    JET_HANDLE opened = 0;
    JET_UINT32 low = 0;
    JET_UINT32 high = 0;
    EXPECT_EQ(expected, JetOpenFileInstanceA(instance_, database_path_.c_str(), &opened, &low, &high));
    std::vector<char> page(16 * std::size_t{page_size_});
    EXPECT_EQ(expected, JetReadFileInstance(instance_, handle, page.data(),
                                            static_cast<JET_UINT32>(page.size()), &actual));
    EXPECT_EQ(expected, JetCloseFileInstance(instance_, handle));
    EXPECT_EQ(expected, JetGetLogInfoInstanceA(instance_, buffer, sizeof(buffer), &actual));
    JET_LOGINFO_A info{};
    info.cbSize = sizeof(info);
    EXPECT_EQ(expected, JetGetLogInfoInstance2A(instance_, buffer, sizeof(buffer), &actual, &info));
    EXPECT_EQ(expected, JetGetTruncateLogInfoInstanceA(instance_, buffer, sizeof(buffer), &actual));
    EXPECT_EQ(expected, JetTruncateLogInstance(instance_));
    EXPECT_EQ(expected, JetEndExternalBackupInstance(instance_));
    EXPECT_EQ(expected, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndAbort));
  }

  // Begin(0), GetLogInfo: the backup is in its log phase. Fills `logs`.
  void BeginAndListLogs(std::vector<std::string>* logs) {
    ASSERT_NO_FATAL_FAILURE(InsertRows(1, 10));
    ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
    ASSERT_EQ(JET_errSuccess, LogInfo(instance_, logs));
    ASSERT_FALSE(logs->empty());
  }

  // StartWithDatabase, Begin(0), GetLogInfo, and the first listed log opened in the backup.
  void StartAndOpenFirstLog(OpenedFile* file) {
    ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
    std::vector<std::string> logs;
    ASSERT_NO_FATAL_FAILURE(BeginAndListLogs(&logs));
    ASSERT_NO_FATAL_FAILURE(OpenInBackup(logs.front(), file));
  }

  // A first read of `handle` of each size in `refused` is JET_errInvalidParameter (and consumes
  // nothing); then a read of `first_bytes` succeeds and returns that many bytes (`why`).
  void ExpectFirstReadSizes(JET_HANDLE handle, std::initializer_list<JET_UINT32> refused,
                            JET_UINT32 first_bytes, const char* why) {
    JET_UINT32 actual = 0;
    for (JET_UINT32 cb : refused) {
      EXPECT_EQ(JET_errInvalidParameter, ReadChunk(handle, cb, &actual)) << "cb " << cb;
    }
    EXPECT_EQ(JET_errSuccess, ReadChunk(handle, first_bytes, &actual)) << why;
    EXPECT_EQ(first_bytes, actual);
  }

  // In the log phase, opening `name` is JET_errInvalidParameter and aborts the backup.
  void ExpectLogPhaseOpenAborts(const std::string& name, JET_ERR expected = JET_errInvalidParameter) {
    std::vector<std::string> logs;
    ASSERT_NO_FATAL_FAILURE(BeginAndListLogs(&logs));
    EXPECT_EQ(expected, TryOpenInBackup(name)) << name;
    EXPECT_EQ(JET_errNoBackup, LogInfo(instance_, nullptr)) << "the backup was aborted";
    ExpectNoBackup(instance_);
  }
};

// --- JET_errNoBackup ----------------------------------------------------------------------------

TEST_F(BackupStateTest, EveryCallBeforeBeginIsNoBackup) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ExpectEveryCallIs(JET_errNoBackup);
}

TEST_F(BackupStateTest, StopBackupWithNoBackupSucceedsAndHasNoEffect) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  EXPECT_EQ(JET_errSuccess, JetStopBackupInstance(instance_));
  ExpectEveryCallIs(JET_errNoBackup);
}

TEST_F(BackupStateTest, EveryCallAfterEndIsNoBackup) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(FullBackup(/*truncate=*/true, &run));
  ExpectEveryCallIs(JET_errNoBackup);
}

TEST_F(BackupStateTest, EveryCallAfterEndAbortIsNoBackup) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  ASSERT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndAbort));
  ExpectEveryCallIs(JET_errNoBackup);
}

TEST_F(BackupStateTest, EveryCallAfterAnAbortingErrorIsNoBackup) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  std::vector<std::string> logs;
  ASSERT_NO_FATAL_FAILURE(BeginAndListLogs(&logs));
  ASSERT_EQ(JET_errInvalidBackupSequence, TryOpenInBackup(database_path_));
  ExpectEveryCallIs(JET_errNoBackup);
  EXPECT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0)) << "Begin works again";
  AbortBackup();
}

// --- JetStopBackupInstance ------------------------------------------------------------------------

TEST_F(BackupStateTest, AfterStopEveryReadingCallIsBackupAbortByServer) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  const std::string other = folder_ + "other.edb";
  ASSERT_NO_FATAL_FAILURE(CreateDetachedDatabase(other));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  ASSERT_EQ(JET_errSuccess, JetStopBackupInstance(instance_));
  char buffer[256];
  JET_UINT32 actual = 0;
  EXPECT_EQ(JET_errBackupAbortByServer, JetGetAttachInfoInstanceA(instance_, buffer, sizeof(buffer), &actual));
  EXPECT_EQ(JET_errBackupAbortByServer, TryOpenInBackup(database_path_));
  EXPECT_EQ(JET_errBackupAbortByServer, JetGetLogInfoInstanceA(instance_, buffer, sizeof(buffer), &actual));
  EXPECT_EQ(JET_errBackupAbortByServer,
            JetGetTruncateLogInfoInstanceA(instance_, buffer, sizeof(buffer), &actual));
  EXPECT_EQ(JET_errBackupAbortByServer, JetTruncateLogInstance(instance_));
  // The backup stays active until End: a second Begin and an attach are refused.
  EXPECT_EQ(JET_errBackupInProgress, JetBeginExternalBackupInstance(instance_, 0));
  EXPECT_EQ(JET_errBackupInProgress, JetAttachDatabaseA(sesid_, other.c_str(), 0));
  EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance(instance_));
  ExpectNoBackup(instance_);
}

TEST_F(BackupStateTest, AfterStopReadFileIsBackupAbortByServerAndCloseFileStillWorks) {
  OpenedFile opened;
  ASSERT_NO_FATAL_FAILURE(StartAndOpenDatabaseStream(&opened));
  auto& [handle, low, high] = opened;
  ASSERT_EQ(JET_errSuccess, JetStopBackupInstance(instance_));
  std::vector<char> buffer(DatabaseChunk());
  JET_UINT32 actual = 0;
  EXPECT_EQ(JET_errBackupAbortByServer, JetReadFileInstance(instance_, handle, buffer.data(),
                                                            DatabaseChunk(), &actual));
  EXPECT_EQ(JET_errSuccess, JetCloseFileInstance(instance_, handle));
  EXPECT_EQ(JET_errInvalidParameter, JetCloseFileInstance(instance_, handle)) << "it was closed";
  EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndNormal));
  ExpectNoBackup(instance_);
}

TEST_F(BackupStateTest, EndNormalAfterStopRecordsNothing) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  ASSERT_NO_FATAL_FAILURE(StreamDatabases(instance_, {database_path_}));
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(StreamLogs(instance_, &run));
  ASSERT_EQ(JET_errSuccess, JetStopBackupInstance(instance_));
  EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndNormal |
                                                                         JET_bitBackupTruncateDone));
  const JET_DBINFOMISC4 misc = backup_test::DbMisc(database_path_);
  EXPECT_TRUE(backup_test::IsZero(misc.bkinfoFullPrev));
  EXPECT_TRUE(backup_test::IsZero(misc.bkinfoCopyPrev));
}

// --- JET_errInvalidBackupSequence ----------------------------------------------------------------

TEST_F(BackupStateTest, GetAttachInfoDuringAnIncrementalIsInvalidBackupSequenceAndContinues) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  BackupRun full;
  ASSERT_NO_FATAL_FAILURE(FullBackup(/*truncate=*/true, &full));
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 5));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, JET_bitBackupIncremental));
  EXPECT_EQ(JET_errInvalidBackupSequence, AttachInfo(instance_, nullptr));
  std::vector<std::string> logs;
  EXPECT_EQ(JET_errSuccess, LogInfo(instance_, &logs)) << "not aborted";
  EXPECT_FALSE(logs.empty());
  AbortBackup();
}

TEST_F(BackupStateTest, GetAttachInfoWorksAgainAfterGetLogInfo) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  std::vector<std::string> first;
  ASSERT_EQ(JET_errSuccess, AttachInfo(instance_, &first));
  ASSERT_EQ(JET_errSuccess, LogInfo(instance_, nullptr));
  std::vector<std::string> second;
  EXPECT_EQ(JET_errSuccess, AttachInfo(instance_, &second));
  EXPECT_EQ(first, second);
  AbortBackup();
}

TEST_F(BackupStateTest, GetLogInfoWithAFileOpenIsInvalidBackupSequenceAndTheFileStillReads) {
  OpenedFile opened;
  ASSERT_NO_FATAL_FAILURE(StartAndOpenDatabaseStream(&opened));
  auto& [handle, low, high] = opened;
  EXPECT_EQ(JET_errInvalidBackupSequence, LogInfo(instance_, nullptr));
  char buffer[256];
  JET_UINT32 actual = 0;
  EXPECT_EQ(JET_errInvalidBackupSequence,
            JetGetTruncateLogInfoInstanceA(instance_, buffer, sizeof(buffer), &actual));
  EXPECT_EQ(JET_errSuccess, ReadChunk(handle, DatabaseChunk(), &actual));
  EXPECT_GT(actual, 0u);
  EXPECT_EQ(JET_errSuccess, JetCloseFileInstance(instance_, handle));
  EXPECT_EQ(JET_errSuccess, LogInfo(instance_, nullptr));
  AbortBackup();
}

TEST_F(BackupStateTest, OpeningTheDatabaseDuringAnIncrementalIsInvalidBackupSequenceAndAborts) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  BackupRun full;
  ASSERT_NO_FATAL_FAILURE(FullBackup(/*truncate=*/true, &full));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, JET_bitBackupIncremental));
  EXPECT_EQ(JET_errInvalidBackupSequence, TryOpenInBackup(database_path_));
  EXPECT_EQ(JET_errNoBackup, LogInfo(instance_, nullptr)) << "aborted";
}

TEST_F(BackupStateTest, OpeningTheDatabaseAfterGetLogInfoIsInvalidBackupSequenceAndAborts) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  ASSERT_EQ(JET_errSuccess, LogInfo(instance_, nullptr));
  EXPECT_EQ(JET_errInvalidBackupSequence, TryOpenInBackup(database_path_));
  EXPECT_EQ(JET_errNoBackup, LogInfo(instance_, nullptr)) << "aborted";
  ExpectNoBackup(instance_);
}

TEST_F(BackupStateTest, TruncateLogBeforeGetLogInfoIsInvalidBackupSequenceAndContinues) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  const std::vector<std::uint32_t> before = backup_test::ArchivedGenerations(folder_);
  EXPECT_EQ(JET_errInvalidBackupSequence, JetTruncateLogInstance(instance_));
  EXPECT_EQ(before, backup_test::ArchivedGenerations(folder_)) << "nothing deleted";
  EXPECT_EQ(JET_errSuccess, AttachInfo(instance_, nullptr)) << "not aborted";
  AbortBackup();
}

TEST_F(BackupStateTest, TruncateLogWithAFileOpenIsInvalidBackupSequenceAndContinues) {
  OpenedFile opened;
  ASSERT_NO_FATAL_FAILURE(StartAndOpenFirstLog(&opened));
  auto& [handle, low, high] = opened;
  EXPECT_EQ(JET_errInvalidBackupSequence, JetTruncateLogInstance(instance_));
  JET_UINT32 actual = 0;
  EXPECT_EQ(JET_errSuccess, ReadChunk(handle, LogChunk(), &actual))
      << "not aborted: the open log still reads";
  CloseAndAbort(handle);
}

// --- one file at a time, names --------------------------------------------------------------------

TEST_F(BackupStateTest, ASecondOpenFileIsOutOfMemoryAndTheOpenFileStillReads) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  JET_HANDLE handle = 0;
  JET_HANDLE second = 0;
  JET_UINT32 low = 0;
  JET_UINT32 high = 0;
  ASSERT_EQ(JET_errSuccess, JetOpenFileInstanceA(instance_, database_path_.c_str(), &handle, &low, &high));
  EXPECT_EQ(JET_errOutOfMemory, JetOpenFileInstanceA(instance_, database_path_.c_str(), &second, &low, &high));
  JET_UINT32 actual = 0;
  EXPECT_EQ(JET_errSuccess, ReadChunk(handle, DatabaseChunk(), &actual));
  EXPECT_EQ(DatabaseChunk(), actual);
  CloseAndAbort(handle);
}

TEST_F(BackupStateTest, ASecondOpenLogIsOutOfMemoryAndTheOpenLogStillReads) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  // Rolled after Begin: the list runs from the checkpoint at Begin, so it holds at least the
  // generations rolled here, however far the checkpoint thread had moved before.
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  ASSERT_NO_FATAL_FAILURE(Roll(2));
  std::vector<std::string> logs;
  ASSERT_EQ(JET_errSuccess, LogInfo(instance_, &logs));
  ASSERT_GE(logs.size(), 2u);
  JET_HANDLE handle = 0;
  JET_HANDLE second = 0;
  JET_UINT32 low = 0;
  JET_UINT32 high = 0;
  ASSERT_EQ(JET_errSuccess, JetOpenFileInstanceA(instance_, logs[0].c_str(), &handle, &low, &high));
  EXPECT_EQ(JET_errOutOfMemory, JetOpenFileInstanceA(instance_, logs[1].c_str(), &second, &low, &high));
  JET_UINT32 actual = 0;
  EXPECT_EQ(JET_errSuccess, ReadChunk(handle, LogChunk(), &actual));
  EXPECT_GT(actual, 0u);
  CloseAndAbort(handle);
}

TEST_F(BackupStateTest, OpeningANameThatIsNotAttachedIsDatabaseNotFoundAndContinues) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  const std::string foreign = folder_ + "foreign.edb";
  ASSERT_TRUE(backup_test::WriteWholeFile(foreign, std::string(65536, 'f')));
  for (const std::string& name : {foreign, folder_ + "missing.edb", folder_ + "edb.log", folder_ + "edb.chk"}) {
    EXPECT_EQ(JET_errDatabaseNotFound, TryOpenInBackup(name))
        << name;
  }
  std::vector<std::string> databases;
  ASSERT_EQ(JET_errSuccess, AttachInfo(instance_, &databases)) << "continues";
  ASSERT_NO_FATAL_FAILURE(StreamDatabases(instance_, databases));
  AbortBackup();
}

TEST_F(BackupStateTest, TheDatabaseIsFoundByANonNormalisedPath) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  const std::string odd = folder_ + "./sub/../db.edb";
  fs::create_directories(folder_ + "sub");
  JET_HANDLE handle = 0;
  JET_UINT32 low = 0;
  JET_UINT32 high = 0;
  EXPECT_EQ(JET_errSuccess, JetOpenFileInstanceA(instance_, odd.c_str(), &handle, &low, &high));
  CloseAndAbort(handle);
}

TEST_F(BackupStateTest, OpeningTheCurrentLogInTheLogPhaseIsInvalidParameterAndAborts) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(ExpectLogPhaseOpenAborts(folder_ + "edb.log"));
}

TEST_F(BackupStateTest, OpeningTheCheckpointInTheLogPhaseIsInvalidParameterAndAborts) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(ExpectLogPhaseOpenAborts(folder_ + "edb.chk"));
}

TEST_F(BackupStateTest, OpeningEdbtmpLogInTheLogPhaseIsInvalidParameterAndAborts) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(ExpectLogPhaseOpenAborts(folder_ + "edbtmp.log"));
}

TEST_F(BackupStateTest, OpeningAForeignFileInTheLogPhaseIsInvalidParameterAndAborts) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  const std::string foreign = dir_.path() + "/secret.txt";
  ASSERT_TRUE(backup_test::WriteWholeFile(foreign, std::string(65536, 's')));
  ASSERT_NO_FATAL_FAILURE(ExpectLogPhaseOpenAborts(foreign));
}

TEST_F(BackupStateTest, OpeningALogOutsideTheListedRangeIsInvalidParameterAndAborts) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(Roll(1));
  std::vector<std::string> logs;
  ASSERT_NO_FATAL_FAILURE(BeginAndListLogs(&logs));
  // The generation after the last listed one is the new edb.log; roll once more so that it is
  // an archived file on disk, outside the frozen list.
  const std::uint32_t last = *backup_test::ArchivedGeneration(logs.back());
  ASSERT_NO_FATAL_FAILURE(Roll(1));
  const std::string outside = folder_ + backup_test::ArchivedName(last + 1);
  ASSERT_TRUE(fs::exists(outside)) << outside;
  EXPECT_EQ(JET_errInvalidParameter, TryOpenInBackup(outside));
  EXPECT_EQ(JET_errNoBackup, LogInfo(instance_, nullptr)) << "aborted";
}

TEST_F(BackupStateTest, AListedLogMissingOnDiskIsMissingFileToBackupAndAborts) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(Roll(2));
  std::vector<std::string> logs;
  ASSERT_NO_FATAL_FAILURE(BeginAndListLogs(&logs));
  ASSERT_TRUE(fs::remove(logs.front())) << logs.front();
  EXPECT_EQ(JET_errMissingFileToBackup, TryOpenInBackup(logs.front()));
  EXPECT_EQ(JET_errNoBackup, LogInfo(instance_, nullptr)) << "aborted";
}

// --- JET_errInvalidParameter ----------------------------------------------------------------------

TEST_F(BackupStateTest, OpenFileWithANullOrEmptyNameIsInvalidParameterAndContinues) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  JET_HANDLE handle = 0;
  JET_UINT32 low = 0;
  JET_UINT32 high = 0;
  EXPECT_EQ(JET_errInvalidParameter, JetOpenFileInstanceA(instance_, nullptr, &handle, &low, &high));
  EXPECT_EQ(JET_errInvalidParameter, JetOpenFileInstanceA(instance_, "", &handle, &low, &high));
  EXPECT_EQ(JET_errInvalidParameter, JetOpenFileInstanceW(instance_, nullptr, &handle, &low, &high));
  const JET_WCHAR empty[] = {0};
  EXPECT_EQ(JET_errInvalidParameter, JetOpenFileInstanceW(instance_, empty, &handle, &low, &high));
  ASSERT_NO_FATAL_FAILURE(StreamDatabases(instance_, {database_path_})) << "continues";
  AbortBackup();
}

TEST_F(BackupStateTest, OpenFileWithNullOutputPointersIsInvalidParameterAndContinues) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  JET_HANDLE handle = 0;
  JET_UINT32 low = 0;
  JET_UINT32 high = 0;
  const char* name = database_path_.c_str();
  EXPECT_EQ(JET_errInvalidParameter, JetOpenFileInstanceA(instance_, name, nullptr, &low, &high));
  EXPECT_EQ(JET_errInvalidParameter, JetOpenFileInstanceA(instance_, name, &handle, nullptr, &high));
  EXPECT_EQ(JET_errInvalidParameter, JetOpenFileInstanceA(instance_, name, &handle, &low, nullptr));
  // None of them left a file open: the next open works.
  EXPECT_EQ(JET_errSuccess, JetOpenFileInstanceA(instance_, name, &handle, &low, &high));
  CloseAndAbort(handle);
}

TEST_F(BackupStateTest, ReadFileWithABadHandleOrNullBufferIsInvalidParameterAndContinues) {
  OpenedFile opened;
  ASSERT_NO_FATAL_FAILURE(StartAndOpenDatabaseStream(&opened));
  auto& [handle, low, high] = opened;
  std::vector<char> chunk(DatabaseChunk());
  JET_UINT32 actual = 0;
  EXPECT_EQ(JET_errInvalidParameter, JetReadFileInstance(instance_, handle + 1000, chunk.data(), DatabaseChunk(), &actual));
  EXPECT_EQ(JET_errInvalidParameter, JetReadFileInstance(instance_, ~JET_HANDLE{0}, chunk.data(), DatabaseChunk(), &actual));
  EXPECT_EQ(JET_errInvalidParameter, JetReadFileInstance(instance_, handle, nullptr, DatabaseChunk(), &actual));
  EXPECT_EQ(JET_errSuccess, JetReadFileInstance(instance_, handle, chunk.data(), DatabaseChunk(), &actual));
  EXPECT_EQ(DatabaseChunk(), actual) << "the stream starts at its beginning: nothing was consumed";
  CloseAndAbort(handle);
}

TEST_F(BackupStateTest, DatabaseReadSizesThatAreNotWholePagesOrTooSmallAreInvalidParameter) {
  OpenedFile opened;
  ASSERT_NO_FATAL_FAILURE(StartAndOpenDatabaseStream(&opened));
  auto& [handle, low, high] = opened;
  ExpectFirstReadSizes(handle,
                       {0u, 1u, page_size_ - 1, 3 * page_size_ + 1, 3 * page_size_ - 512, page_size_,
                        2 * page_size_},
                       3 * page_size_, "three pages are enough for the first read");
  JET_UINT32 actual = 0;
  // After the first read one page is enough, but it must still be whole pages.
  EXPECT_EQ(JET_errInvalidParameter, ReadChunk(handle, page_size_ + 1, &actual));
  EXPECT_EQ(JET_errInvalidParameter, ReadChunk(handle, 0, &actual));
  EXPECT_EQ(JET_errSuccess, ReadChunk(handle, page_size_, &actual));
  EXPECT_EQ(page_size_, actual);
  CloseAndAbort(handle);
}

TEST_F(BackupStateTest, LogReadSizesThatAreNotWholePagesOrUnderTwoPagesAreInvalidParameter) {
  OpenedFile opened;
  ASSERT_NO_FATAL_FAILURE(StartAndOpenFirstLog(&opened));
  auto& [handle, low, high] = opened;
  ExpectFirstReadSizes(handle, {0u, 1u, page_size_, 2 * page_size_ + 1, 2 * page_size_ - 512},
                       2 * page_size_,
                       "two pages are enough for a log's first read, and the backup continued");
  CloseAndAbort(handle);
}

TEST_F(BackupStateTest, ReadFileAcceptsANullByteCount) {
  OpenedFile opened;
  ASSERT_NO_FATAL_FAILURE(StartAndOpenDatabaseStream(&opened));
  auto& [handle, low, high] = opened;
  std::vector<char> chunk(DatabaseChunk(), '\0');
  EXPECT_EQ(JET_errSuccess, JetReadFileInstance(instance_, handle, chunk.data(), DatabaseChunk(), nullptr));
  JET_UINT32 actual = 0;
  EXPECT_EQ(JET_errSuccess, JetReadFileInstance(instance_, handle, chunk.data(), DatabaseChunk(), &actual));
  EXPECT_GT(actual, 0u) << "the first read consumed its pages; the stream goes on";
  CloseAndAbort(handle);
}

TEST_F(BackupStateTest, CloseFileWithABadClosedOrStaleHandleIsInvalidParameter) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  EXPECT_EQ(JET_errInvalidParameter, JetCloseFileInstance(instance_, 12345)) << "never opened";
  OpenedFile opened;
  ASSERT_NO_FATAL_FAILURE(OpenInBackup(database_path_, &opened));
  auto& [first, low, high] = opened;
  EXPECT_NE(JET_HANDLE{0}, first);
  ASSERT_EQ(JET_errSuccess, JetCloseFileInstance(instance_, first));
  EXPECT_EQ(JET_errInvalidParameter, JetCloseFileInstance(instance_, first)) << "closed";
  JET_HANDLE second = 0;
  ASSERT_EQ(JET_errSuccess, JetOpenFileInstanceA(instance_, database_path_.c_str(), &second, &low, &high));
  EXPECT_NE(JET_HANDLE{0}, second);
  EXPECT_NE(first, second) << "handles are never reused";
  JET_UINT32 actual = 0;
  EXPECT_EQ(JET_errInvalidParameter, ReadChunk(first, DatabaseChunk(), &actual))
      << "stale";
  EXPECT_EQ(JET_errInvalidParameter, JetCloseFileInstance(instance_, first)) << "stale";
  EXPECT_EQ(JET_errSuccess, ReadChunk(second, DatabaseChunk(), &actual));
  CloseAndAbort(second);
}

TEST_F(BackupStateTest, AHandleFromAnEarlierBackupIsInvalidParameter) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  OpenedFile opened;
  ASSERT_NO_FATAL_FAILURE(OpenInBackup(database_path_, &opened));
  auto& [old, low, high] = opened;
  ASSERT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndAbort));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  JET_HANDLE current = 0;
  ASSERT_EQ(JET_errSuccess, JetOpenFileInstanceA(instance_, database_path_.c_str(), &current, &low, &high));
  EXPECT_NE(old, current);
  JET_UINT32 actual = 0;
  EXPECT_EQ(JET_errInvalidParameter, ReadChunk(old, DatabaseChunk(), &actual));
  EXPECT_EQ(JET_errInvalidParameter, JetCloseFileInstance(instance_, old));
  CloseAndAbort(current);
}

TEST_F(BackupStateTest, AnotherInstancesHandleIsInvalidParameter) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  JET_INSTANCE other = Start("other");
  ASSERT_NE(JET_INSTANCE{0}, other);
  JET_SESID other_sesid = BeginSession(other);
  JET_DBID other_dbid = 0;
  JET_TABLEID other_table = 0;
  ASSERT_NO_FATAL_FAILURE(CreateDatabaseWithTable(other_sesid, Folder("other") + "db.edb", &other_dbid, &other_table));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(other, 0));
  JET_HANDLE theirs = 0;
  JET_UINT32 low = 0;
  JET_UINT32 high = 0;
  const std::string their_database = Folder("other") + "db.edb";
  ASSERT_EQ(JET_errSuccess, JetOpenFileInstanceA(other, their_database.c_str(), &theirs, &low, &high));
  // instance_ has no file open: whatever value `theirs` has, it is not a handle of instance_.
  std::vector<char> chunk(DatabaseChunk());
  JET_UINT32 actual = 0;
  EXPECT_EQ(JET_errInvalidParameter, JetReadFileInstance(instance_, theirs, chunk.data(), DatabaseChunk(), &actual));
  EXPECT_EQ(JET_errInvalidParameter, JetCloseFileInstance(instance_, theirs));
  EXPECT_EQ(JET_errSuccess, JetReadFileInstance(other, theirs, chunk.data(), DatabaseChunk(), &actual))
      << "still open in its own instance";
  EXPECT_EQ(JET_errSuccess, JetCloseFileInstance(other, theirs));
  EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(other, JET_bitBackupEndAbort));
  AbortBackup();
}

TEST_F(BackupStateTest, EndInstance2WithoutExactlyOneOfNormalOrAbortIsInvalidParameterAndContinues) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  for (JET_GRBIT grbit : {JET_GRBIT{0}, JET_GRBIT{JET_bitBackupEndNormal | JET_bitBackupEndAbort},
                          JET_GRBIT{JET_bitBackupTruncateDone}, JET_GRBIT{0x200}}) {
    EXPECT_EQ(JET_errInvalidParameter, JetEndExternalBackupInstance2(instance_, grbit)) << grbit;
    EXPECT_EQ(JET_errSuccess, AttachInfo(instance_, nullptr)) << "continues after " << grbit;
  }
  EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndAbort | 0x8000));
  ExpectNoBackup(instance_);
}

TEST_F(BackupStateTest, StopBackupInstanceOnAGarbageInstanceIsInvalidParameter) {
  EXPECT_EQ(JET_errInvalidParameter, JetStopBackupInstance(kGarbageInstance));
}

TEST_F(BackupStateTest, EveryCallOnAGarbageInstanceIsInvalidInstance) {
  char buffer[64];
  JET_UINT32 actual = 0;
  JET_HANDLE handle = 0;
  JET_UINT32 low = 0;
  JET_UINT32 high = 0;
  EXPECT_EQ(JET_errInvalidInstance, JetGetAttachInfoInstanceA(kGarbageInstance, buffer, sizeof(buffer), &actual));
  EXPECT_EQ(JET_errInvalidInstance, JetOpenFileInstanceA(kGarbageInstance, "/tmp/x.edb", &handle, &low, &high));
  EXPECT_EQ(JET_errInvalidInstance, JetReadFileInstance(kGarbageInstance, 1, buffer, sizeof(buffer), &actual));
  EXPECT_EQ(JET_errInvalidInstance, JetCloseFileInstance(kGarbageInstance, 1));
  EXPECT_EQ(JET_errInvalidInstance, JetGetLogInfoInstanceA(kGarbageInstance, buffer, sizeof(buffer), &actual));
  EXPECT_EQ(JET_errInvalidInstance, JetGetTruncateLogInfoInstanceA(kGarbageInstance, buffer, sizeof(buffer), &actual));
  EXPECT_EQ(JET_errInvalidInstance, JetTruncateLogInstance(kGarbageInstance));
  EXPECT_EQ(JET_errInvalidInstance, JetEndExternalBackupInstance(kGarbageInstance));
  EXPECT_EQ(JET_errInvalidInstance, JetEndExternalBackupInstance2(kGarbageInstance, JET_bitBackupEndAbort));
}

TEST_F(BackupStateTest, EveryCallOnACreatedButUninitialisedInstanceIsNotInitialized) {
  JET_INSTANCE instance = Configure("created", Options{});
  char buffer[64];
  JET_UINT32 actual = 0;
  JET_HANDLE handle = 0;
  JET_UINT32 low = 0;
  JET_UINT32 high = 0;
  EXPECT_EQ(JET_errNotInitialized, JetOpenFileInstanceA(instance, "/tmp/x.edb", &handle, &low, &high));
  EXPECT_EQ(JET_errNotInitialized, JetReadFileInstance(instance, 1, buffer, sizeof(buffer), &actual));
  EXPECT_EQ(JET_errNotInitialized, JetCloseFileInstance(instance, 1));
  EXPECT_EQ(JET_errNotInitialized, JetGetLogInfoInstanceA(instance, buffer, sizeof(buffer), &actual));
  EXPECT_EQ(JET_errNotInitialized, JetGetTruncateLogInfoInstanceA(instance, buffer, sizeof(buffer), &actual));
  EXPECT_EQ(JET_errNotInitialized, JetTruncateLogInstance(instance));
  EXPECT_EQ(JET_errNotInitialized, JetEndExternalBackupInstance2(instance, JET_bitBackupEndAbort));
  EXPECT_EQ(JET_errNotInitialized, JetStopBackupInstance(instance));
}

TEST_F(BackupStateTest, AfterStopServiceReadingCallsAreRefusedButCleanUpCallsWork) {
  OpenedFile opened;
  ASSERT_NO_FATAL_FAILURE(StartAndOpenDatabaseStream(&opened));
  auto& [handle, low, high] = opened;
  ASSERT_EQ(JET_errSuccess, JetStopServiceInstance(instance_));
  JET_UINT32 actual = 0;
  EXPECT_EQ(JET_errClientRequestToStopJetService,
            ReadChunk(handle, DatabaseChunk(), &actual));
  EXPECT_EQ(JET_errClientRequestToStopJetService, AttachInfo(instance_, nullptr));
  EXPECT_EQ(JET_errClientRequestToStopJetService, LogInfo(instance_, nullptr));
  EXPECT_EQ(JET_errSuccess, JetCloseFileInstance(instance_, handle));
  EXPECT_EQ(JET_errSuccess, JetStopBackupInstance(instance_));
  AbortBackup();
  EXPECT_EQ(JET_errNoBackup, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndAbort))
      << "End ended the backup";
}

}  // namespace
}  // namespace esent_test
