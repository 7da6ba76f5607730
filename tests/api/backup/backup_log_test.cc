// The log phase: JetGetLogInfoInstance(A/W), JetGetLogInfoInstance2(A/W) (JET_LOGINFO),
// JetGetTruncateLogInfoInstance and JetTruncateLogInstance.
// - the first call rolls the log: the current edb.log is archived and is the last listed;
// - the list: absolute paths, contiguous generations from the checkpoint generation at Begin
//   (full) or every archived generation on disk (incremental), never edb.log, edb.chk,
//   edbtmp.log or reserve logs; a second call returns the same list and does not roll again;
// - *pcbActual: buffer given → min(cbMax, size); NULL buffer → the whole size;
// - every streamed log is byte-identical to the file on disk; a damaged sector is
//   JET_errLogReadVerifyFailure and aborts the backup;
// - TruncateLog: JET_errLogFileNotCopied until every listed log was read to its end and closed,
//   then deletes exactly the archived logs older than min(checkpoint, first generation after the
//   backup), clamped by any attached database this backup did not stream (never backed up →
//   nothing); repeatable.
// The checkpoint generation is read from edb.chk (backup_fixture.h); where it may move during a
// call the test reads it before and after and accepts any value in between.
#include <esent.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "backup/backup_fixture.h"

namespace esent_test {
namespace {

namespace fs = std::filesystem;
using backup_test::ArchivedGeneration;
using backup_test::ArchivedGenerations;
using backup_test::ArchivedName;
using backup_test::CheckpointGeneration;
using backup_test::LogInfo;
using backup_test::MultiStringBytesA;
using backup_test::MultiStringBytesW;
using backup_test::Normal;
using backup_test::Streamed;
using backup_test::StreamFile;
using backup_test::TruncateLogInfo;

std::string Join(const std::vector<std::uint32_t>& values) {
  std::ostringstream out;
  for (std::uint32_t value : values) out << value << ' ';
  return out.str();
}

class BackupLogTest : public BackupTest {
 protected:
  // Rolls and writes until the checkpoint generation reaches the current log generation (at
  // most ~10 s), so that earlier logs are no longer needed by recovery and can be truncated.
  void AdvanceCheckpoint() {
    const std::uint32_t target = CurrentGeneration();
    for (int attempt = 0; attempt < 100 && CheckpointGeneration(folder_) < target; ++attempt) {
      ASSERT_NO_FATAL_FAILURE(InsertRows(1000000 + 1000 * archived_log_batches_ + attempt * 10, 2, 100));
      ASSERT_NO_FATAL_FAILURE(Roll(1));
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_GE(CheckpointGeneration(folder_), target) << "the checkpoint does not advance";
  }

  // Logs of generations 1..n on disk (n >= 4), the checkpoint past most of them.
  // May be called more than once per test (each call inserts rows with new keys).
  // StartWithDatabase, then MakeArchivedLogs.
  void StartWithArchivedLogs() {
    ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
    ASSERT_NO_FATAL_FAILURE(MakeArchivedLogs());
  }

  void MakeArchivedLogs() {
    const std::int32_t base = 10000 * ++archived_log_batches_;
    ASSERT_NO_FATAL_FAILURE(InsertRows(base, 30));
    ASSERT_NO_FATAL_FAILURE(Roll(3));
    ASSERT_NO_FATAL_FAILURE(AdvanceCheckpoint());
    ASSERT_NO_FATAL_FAILURE(InsertRows(base + 1000, 10));
    ASSERT_GE(ArchivedGenerations(folder_).size(), 3u);
  }

  int archived_log_batches_ = 0;

  // Holds the checkpoint: a transaction left open in a second session (its first record in the
  // current generation, returned) keeps the checkpoint from passing it; after one roll the
  // checkpoint settles exactly in that generation and stays there until ReleaseCheckpoint().
  std::uint32_t HoldCheckpoint() {
    holder_ = BeginSession(instance_);
    JET_DBID dbid = 0;
    JET_TABLEID table = 0;
    EXPECT_EQ(JET_errSuccess, JetOpenDatabaseA(holder_, database_path_.c_str(), nullptr, &dbid, 0));
    EXPECT_EQ(JET_errSuccess, JetOpenTableA(holder_, dbid, "t", nullptr, 0, 0, &table));
    EXPECT_EQ(JET_errSuccess, JetBeginTransaction(holder_));
    std::int32_t id = -1;
    EXPECT_EQ(JET_errSuccess, JetPrepareUpdate(holder_, table, JET_prepInsert));
    EXPECT_EQ(JET_errSuccess, JetSetColumn(holder_, table, id_column_, &id, sizeof(id), 0, nullptr));
    EXPECT_EQ(JET_errSuccess, JetUpdate(holder_, table, nullptr, 0, nullptr));
    const std::uint32_t held = CurrentGeneration();
    // One roll makes the checkpoint thread run; it stops at the open transaction's record.
    EXPECT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, JET_bitForceNewLog));
    for (int attempt = 0; attempt < 100 && CheckpointGeneration(folder_) != held; ++attempt) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(held, CheckpointGeneration(folder_)) << "the checkpoint settles at the open transaction";
    return held;
  }

  void ReleaseCheckpoint() { EXPECT_EQ(JET_errSuccess, JetRollback(holder_, JET_bitRollbackAll)); }

  JET_SESID holder_ = 0;

  // Streams every log of `logs` (expected to succeed).
  void StreamAll(const std::vector<std::string>& logs) {
    for (const std::string& log : logs) {
      Streamed streamed;
      ASSERT_EQ(JET_errSuccess, StreamFile(instance_, log, LogChunk(), &streamed)) << log;
    }
  }

  // After a TruncateLog: `after` is `before` minus exactly the generations below
  // min(c, last_listed + 1) for one checkpoint generation c in [c_before, c_after], where c_before
  // is read before the first GetLogInfo and c_after after TruncateLog (the contract takes the
  // checkpoint "now", at TruncateLog; ESE takes it at the first GetLogInfo: both are accepted).
  static void ExpectTruncated(const std::vector<std::uint32_t>& before,
                              const std::vector<std::uint32_t>& after, std::uint32_t c_before,
                              std::uint32_t c_after, std::uint32_t last_listed) {
    std::string tried;
    for (std::uint32_t c = c_before; c <= std::max(c_before, c_after); ++c) {
      const std::uint32_t bound = std::min(c, last_listed + 1);
      std::vector<std::uint32_t> expected;
      for (std::uint32_t generation : before) {
        if (generation >= bound) expected.push_back(generation);
      }
      if (expected == after) return;
      tried += "\n  checkpoint " + std::to_string(c) + " → keep " + Join(expected);
    }
    ADD_FAILURE() << "on disk before: " << Join(before) << "\nafter: " << Join(after)
                  << "\nlast listed " << last_listed << "; expected one of:" << tried;
  }
};

// --- the roll and the list ----------------------------------------------------------------------

TEST_F(BackupLogTest, TheFirstGetLogInfoRollsTheLogAndListsTheArchivedCurrentGeneration) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 20));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  const std::uint32_t current = CurrentGeneration();
  ASSERT_FALSE(fs::exists(folder_ + ArchivedName(current)));
  std::vector<std::string> logs;
  ASSERT_EQ(JET_errSuccess, LogInfo(instance_, &logs));
  ASSERT_FALSE(logs.empty());
  EXPECT_TRUE(fs::exists(folder_ + ArchivedName(current))) << "edb.log was archived";
  EXPECT_EQ(current + 1, CurrentGeneration()) << "a new generation is current";
  EXPECT_EQ(current, ArchivedGeneration(logs.back()).value_or(0)) << "the archived one is the last listed";
  AbortBackup();
}

TEST_F(BackupLogTest, TheListIsAbsoluteContiguousAndStartsAtTheCheckpointGenerationAtBegin) {
  ASSERT_NO_FATAL_FAILURE(StartWithArchivedLogs());
  ASSERT_NO_FATAL_FAILURE(Roll(2));
  const std::uint32_t checkpoint_before = CheckpointGeneration(folder_);
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  const std::uint32_t checkpoint_after = CheckpointGeneration(folder_);
  ASSERT_NE(0u, checkpoint_before);
  std::vector<std::string> logs;
  ASSERT_EQ(JET_errSuccess, LogInfo(instance_, &logs));
  ASSERT_FALSE(logs.empty());
  std::uint32_t previous = 0;
  for (const std::string& log : logs) {
    EXPECT_EQ('/', log.front()) << log;
    auto generation = ArchivedGeneration(log);
    ASSERT_TRUE(generation.has_value()) << log;
    EXPECT_EQ(Normal(folder_ + ArchivedName(*generation)), Normal(log));
    if (previous != 0) {
      EXPECT_EQ(previous + 1, *generation) << "contiguous";
    }
    previous = *generation;
  }
  const std::uint32_t first = *ArchivedGeneration(logs.front());
  EXPECT_GE(first, checkpoint_before);
  EXPECT_LE(first, checkpoint_after);
  AbortBackup();
}

TEST_F(BackupLogTest, TheListNeverHoldsTheCurrentLogCheckpointTemporaryOrReserveLogs) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 20));
  ASSERT_NO_FATAL_FAILURE(Roll(2));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  std::vector<std::string> logs;
  ASSERT_EQ(JET_errSuccess, LogInfo(instance_, &logs));
  for (const std::string& log : logs) {
    const std::string name = fs::path(log).filename().string();
    EXPECT_NE("edb.log", name);
    EXPECT_NE("edb.chk", name);
    EXPECT_NE("edbtmp.log", name);
    EXPECT_EQ(std::string::npos, name.find(".jrs")) << name;
    EXPECT_TRUE(ArchivedGeneration(log).has_value()) << "only archived logs: " << log;
  }
  AbortBackup();
}

TEST_F(BackupLogTest, ASecondGetLogInfoReturnsTheSameListAndDoesNotRollAgain) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  std::vector<std::string> first;
  ASSERT_EQ(JET_errSuccess, LogInfo(instance_, &first));
  const std::uint32_t current = CurrentGeneration();
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 10));
  std::vector<std::string> second;
  ASSERT_EQ(JET_errSuccess, LogInfo(instance_, &second));
  EXPECT_EQ(first, second);
  EXPECT_EQ(current, CurrentGeneration()) << "no second roll";
  AbortBackup();
}

TEST_F(BackupLogTest, GetLogInfoReportsMinOfCbMaxAndSizeOrTheWholeSizeForANullBuffer) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(Roll(2));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  std::vector<std::string> logs;
  ASSERT_EQ(JET_errSuccess, LogInfo(instance_, &logs));
  const JET_UINT32 whole = MultiStringBytesA(logs);
  JET_UINT32 actual = 0;
  EXPECT_EQ(JET_errSuccess, JetGetLogInfoInstanceA(instance_, nullptr, 0, &actual));
  EXPECT_EQ(whole, actual) << "NULL buffer: the whole size";
  std::vector<char> buffer(whole + 16, 'x');
  EXPECT_EQ(JET_errSuccess, JetGetLogInfoInstanceA(instance_, buffer.data(), 10, &actual));
  EXPECT_EQ(10u, actual) << "a short buffer: cbMax";
  EXPECT_EQ('x', buffer[10]) << "exactly cbMax bytes copied";
  EXPECT_EQ(0, std::memcmp(buffer.data(), logs.front().data(), 10));
  EXPECT_EQ(JET_errSuccess, JetGetLogInfoInstanceA(instance_, buffer.data(),
                                                   static_cast<JET_UINT32>(buffer.size()), &actual));
  EXPECT_EQ(whole, actual) << "a large buffer: the size";
  EXPECT_EQ(JET_errSuccess, JetGetLogInfoInstanceA(instance_, buffer.data(),
                                                   static_cast<JET_UINT32>(buffer.size()), nullptr))
      << "pcbActual may be NULL";
  // W: the same rules in bytes.
  EXPECT_EQ(JET_errSuccess, JetGetLogInfoInstanceW(instance_, nullptr, 0, &actual));
  EXPECT_EQ(MultiStringBytesW(logs), actual);
  std::vector<JET_WCHAR> wide(whole + 16, 0x7777);
  EXPECT_EQ(JET_errSuccess, JetGetLogInfoInstanceW(instance_, wide.data(), 10, &actual));
  EXPECT_EQ(10u, actual);
  EXPECT_EQ(0x7777, wide[5]) << "10 bytes are 5 UTF-16 units";
  AbortBackup();
}

TEST_F(BackupLogTest, GetLogInfoWListsTheSameLogsAsGetLogInfoA) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(Roll(2));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  std::vector<JET_WCHAR> wide(1 << 15, 0);
  JET_UINT32 actual = 0;
  ASSERT_EQ(JET_errSuccess, JetGetLogInfoInstanceW(instance_, wide.data(),
                                                   static_cast<JET_UINT32>(wide.size() * sizeof(JET_WCHAR)),
                                                   &actual));
  std::vector<std::string> narrow;
  ASSERT_EQ(JET_errSuccess, LogInfo(instance_, &narrow));
  EXPECT_EQ(narrow, backup_test::SplitMultiStringW(wide.data(), actual / sizeof(JET_WCHAR)));
  EXPECT_EQ(MultiStringBytesW(narrow), actual);
  AbortBackup();
}

TEST_F(BackupLogTest, GetLogInfoInstance2FillsTheGenerationRangeAndBaseName) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(Roll(2));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  std::vector<char> buffer(1 << 15);
  JET_UINT32 actual = 0;
  JET_LOGINFO_A info{};
  info.cbSize = sizeof(info);
  ASSERT_EQ(JET_errSuccess, JetGetLogInfoInstance2A(instance_, buffer.data(),
                                                    static_cast<JET_UINT32>(buffer.size()), &actual, &info));
  const std::vector<std::string> logs = backup_test::SplitMultiString(buffer.data(), actual);
  ASSERT_FALSE(logs.empty());
  EXPECT_EQ(ArchivedGeneration(logs.front()).value_or(0), info.ulGenLow);
  EXPECT_EQ(ArchivedGeneration(logs.back()).value_or(0), info.ulGenHigh);
  EXPECT_STREQ("edb", info.szBaseName);
  JET_LOGINFO_W wide_info{};
  wide_info.cbSize = sizeof(wide_info);
  std::vector<JET_WCHAR> wide(1 << 15);
  ASSERT_EQ(JET_errSuccess, JetGetLogInfoInstance2W(instance_, wide.data(),
                                                    static_cast<JET_UINT32>(wide.size() * sizeof(JET_WCHAR)),
                                                    &actual, &wide_info));
  EXPECT_EQ(info.ulGenLow, wide_info.ulGenLow);
  EXPECT_EQ(info.ulGenHigh, wide_info.ulGenHigh);
  EXPECT_EQ(u'e', wide_info.szBaseName[0]);
  EXPECT_EQ(u'd', wide_info.szBaseName[1]);
  EXPECT_EQ(u'b', wide_info.szBaseName[2]);
  EXPECT_EQ(0, wide_info.szBaseName[3]);
  EXPECT_EQ(logs, backup_test::SplitMultiStringW(wide.data(), actual / sizeof(JET_WCHAR)));
  AbortBackup();
}

TEST_F(BackupLogTest, GetLogInfoInstance2WithAWrongCbSizeIsInvalidParameterAndContinues) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  std::vector<char> buffer(1 << 15);
  JET_UINT32 actual = 0;
  JET_LOGINFO_A info{};
  for (JET_UINT32 size : {JET_UINT32{0}, JET_UINT32{sizeof(info) - 1}, JET_UINT32{sizeof(JET_LOGINFO_W)},
                          JET_UINT32{sizeof(info) + 4}}) {
    info.cbSize = size;
    EXPECT_EQ(JET_errInvalidParameter,
              JetGetLogInfoInstance2A(instance_, buffer.data(), static_cast<JET_UINT32>(buffer.size()),
                                      &actual, &info))
        << "cbSize " << size;
  }
  JET_LOGINFO_W wide_info{};
  wide_info.cbSize = sizeof(JET_LOGINFO_A);
  EXPECT_EQ(JET_errInvalidParameter,
            JetGetLogInfoInstance2W(instance_, nullptr, 0, &actual, &wide_info));
  info.cbSize = sizeof(info);
  EXPECT_EQ(JET_errSuccess, JetGetLogInfoInstance2A(instance_, buffer.data(),
                                                    static_cast<JET_UINT32>(buffer.size()), &actual, &info))
      << "the backup continues";
  AbortBackup();
}

TEST_F(BackupLogTest, EveryStreamedLogIsByteIdenticalToTheFileOnDisk) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 60));
  ASSERT_NO_FATAL_FAILURE(Roll(1));
  ASSERT_NO_FATAL_FAILURE(InsertRows(100, 60));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  std::vector<std::string> logs;
  ASSERT_EQ(JET_errSuccess, LogInfo(instance_, &logs));
  ASSERT_GE(logs.size(), 1u);
  for (const std::string& log : logs) {
    Streamed streamed;
    ASSERT_EQ(JET_errSuccess, StreamFile(instance_, log, LogChunk(), &streamed)) << log;
    const std::string on_disk = backup_test::ReadWholeFile(log);
    EXPECT_EQ(on_disk.size(), streamed.reported_size) << log;
    EXPECT_EQ(on_disk.size(), streamed.bytes.size()) << log;
    EXPECT_TRUE(on_disk == streamed.bytes) << log << " differs from the file";
  }
  AbortBackup();
}

TEST_F(BackupLogTest, GetTruncateLogInfoWListsTheSameLogsAsTheAForm) {
  ASSERT_NO_FATAL_FAILURE(StartWithArchivedLogs());
  ASSERT_NO_FATAL_FAILURE(BeginAndStreamDatabase());
  std::vector<std::string> narrow;
  ASSERT_EQ(JET_errSuccess, TruncateLogInfo(instance_, &narrow));
  std::vector<JET_WCHAR> wide(1 << 15, 0);
  JET_UINT32 actual = 0;
  ASSERT_EQ(JET_errSuccess, JetGetTruncateLogInfoInstanceW(
                                instance_, wide.data(), static_cast<JET_UINT32>(wide.size() * sizeof(JET_WCHAR)),
                                &actual));
  EXPECT_EQ(narrow, backup_test::SplitMultiStringW(wide.data(), actual / sizeof(JET_WCHAR)));
  EXPECT_FALSE(narrow.empty()) << "the checkpoint was advanced: there is something to truncate";
  AbortBackup();
}

TEST_F(BackupLogTest, ADamagedLogSectorIsLogReadVerifyFailureAndAbortsTheBackup) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 40));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  std::vector<std::string> logs;
  ASSERT_EQ(JET_errSuccess, LogInfo(instance_, &logs));
  ASSERT_FALSE(logs.empty());
  // The last listed log holds the inserts. Its first data sector starts after the 4096-byte
  // header (docs/format/log.md: 8 header sectors of 512 bytes): flip a byte in it.
  const std::string path = logs.back();
  std::string bytes = backup_test::ReadWholeFile(path);
  constexpr std::size_t kOffset = 4096 + 200;
  ASSERT_GT(bytes.size(), kOffset);
  bytes[kOffset] = static_cast<char>(bytes[kOffset] ^ 0x5A);
  {
    std::fstream out(path, std::ios::in | std::ios::out | std::ios::binary);
    out.seekp(static_cast<std::streamoff>(kOffset));
    out.put(bytes[kOffset]);
    ASSERT_TRUE(out.good());
  }
  Streamed streamed;
  EXPECT_EQ(JET_errLogReadVerifyFailure, StreamFile(instance_, path, LogChunk(), &streamed));
  EXPECT_EQ(JET_errNoBackup, LogInfo(instance_, nullptr)) << "aborted";
  ExpectNoBackup(instance_);
}

// --- truncation ---------------------------------------------------------------------------------

TEST_F(BackupLogTest, TruncateLogBeforeTheLogsWereReadIsLogFileNotCopiedThenDeletesExactly) {
  ASSERT_NO_FATAL_FAILURE(StartWithArchivedLogs());
  ASSERT_NO_FATAL_FAILURE(BeginAndStreamDatabase());
  const std::uint32_t c_before = CheckpointGeneration(folder_);
  std::vector<std::string> logs;
  ASSERT_EQ(JET_errSuccess, LogInfo(instance_, &logs));
  ASSERT_FALSE(logs.empty());
  const std::vector<std::uint32_t> before = ArchivedGenerations(folder_);
  EXPECT_EQ(JET_errLogFileNotCopied, JetTruncateLogInstance(instance_));
  EXPECT_EQ(before, ArchivedGenerations(folder_)) << "nothing deleted";
  ASSERT_NO_FATAL_FAILURE(StreamAll(logs));
  ASSERT_EQ(JET_errSuccess, JetTruncateLogInstance(instance_)) << "continued, and now every log is copied";
  const std::uint32_t c_after = CheckpointGeneration(folder_);
  const std::vector<std::uint32_t> after = ArchivedGenerations(folder_);
  ExpectTruncated(before, after, c_before, c_after, *ArchivedGeneration(logs.back()));
  EXPECT_LT(after.size(), before.size()) << "the checkpoint was advanced: something is deleted";
  EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndNormal));
}

TEST_F(BackupLogTest, TruncateLogAfterALogWasReadOnlyPartlyIsLogFileNotCopied) {
  ASSERT_NO_FATAL_FAILURE(StartWithArchivedLogs());
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  std::vector<std::string> logs;
  ASSERT_EQ(JET_errSuccess, LogInfo(instance_, &logs));
  ASSERT_NO_FATAL_FAILURE(StreamAll(std::vector<std::string>(logs.begin() + 1, logs.end())));
  OpenedFile opened;
  ASSERT_NO_FATAL_FAILURE(OpenInBackup(logs.front(), &opened));
  auto& [handle, low, high] = opened;
  std::vector<char> chunk(2 * std::size_t{page_size_});
  JET_UINT32 actual = 0;
  ASSERT_EQ(JET_errSuccess, JetReadFileInstance(instance_, handle, chunk.data(), 2 * page_size_, &actual));
  ASSERT_EQ(JET_errSuccess, JetCloseFileInstance(instance_, handle));
  const std::vector<std::uint32_t> before = ArchivedGenerations(folder_);
  EXPECT_EQ(JET_errLogFileNotCopied, JetTruncateLogInstance(instance_));
  EXPECT_EQ(before, ArchivedGenerations(folder_));
  // Reading it whole makes it copied.
  ASSERT_NO_FATAL_FAILURE(StreamAll({logs.front()}));
  EXPECT_EQ(JET_errSuccess, JetTruncateLogInstance(instance_));
  AbortBackup();
}

TEST_F(BackupLogTest, GetTruncateLogInfoAsTheFirstCallRollsTheLogOnce) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 20));
  ASSERT_NO_FATAL_FAILURE(BeginAndStreamDatabase());
  const std::uint32_t current = CurrentGeneration();
  ASSERT_EQ(JET_errSuccess, TruncateLogInfo(instance_, nullptr));
  EXPECT_EQ(current + 1, CurrentGeneration()) << "GetTruncateLogInfo rolls as GetLogInfo does";
  std::vector<std::string> logs;
  ASSERT_EQ(JET_errSuccess, LogInfo(instance_, &logs));
  EXPECT_EQ(current + 1, CurrentGeneration()) << "once";
  ASSERT_FALSE(logs.empty());
  EXPECT_EQ(current, ArchivedGeneration(logs.back()).value_or(0));
  AbortBackup();
}

TEST_F(BackupLogTest, GetTruncateLogInfoListsExactlyWhatTruncateLogDeletes) {
  ASSERT_NO_FATAL_FAILURE(StartWithArchivedLogs());
  const std::uint32_t held = HoldCheckpoint();
  ASSERT_NO_FATAL_FAILURE(BeginAndStreamDatabase());
  std::vector<std::string> logs;
  ASSERT_EQ(JET_errSuccess, LogInfo(instance_, &logs));
  std::vector<std::string> to_delete;
  ASSERT_EQ(JET_errSuccess, TruncateLogInfo(instance_, &to_delete));
  ASSERT_NO_FATAL_FAILURE(StreamAll(logs));
  ASSERT_EQ(held, CheckpointGeneration(folder_)) << "the checkpoint is held";
  const std::vector<std::uint32_t> before = ArchivedGenerations(folder_);
  ASSERT_EQ(JET_errSuccess, JetTruncateLogInstance(instance_));
  const std::vector<std::uint32_t> after = ArchivedGenerations(folder_);
  std::vector<std::uint32_t> deleted;
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(), std::back_inserter(deleted));
  std::vector<std::uint32_t> listed;
  for (const std::string& name : to_delete) {
    EXPECT_EQ('/', name.front()) << name;
    listed.push_back(ArchivedGeneration(name).value_or(0));
  }
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(listed, deleted);
  std::vector<std::uint32_t> expected;
  for (std::uint32_t generation : before) {
    if (generation < held) expected.push_back(generation);
  }
  EXPECT_EQ(expected, deleted) << "everything before the checkpoint generation " << held;
  EXPECT_FALSE(deleted.empty());
  EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndNormal));
  ReleaseCheckpoint();
}

TEST_F(BackupLogTest, TruncateLogWithALaggingCheckpointKeepsEveryLogFromTheCheckpointOn) {
  ASSERT_NO_FATAL_FAILURE(StartWithArchivedLogs());
  // A transaction left open in a second session holds the checkpoint while the log goes on.
  const std::uint32_t held = HoldCheckpoint();
  ASSERT_NO_FATAL_FAILURE(InsertRows(5000, 20));
  ASSERT_NO_FATAL_FAILURE(Roll(3));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_EQ(held, CheckpointGeneration(folder_)) << "the open transaction holds the checkpoint";
  ASSERT_GE(CurrentGeneration(), held + 3) << "the checkpoint lags behind the log";

  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(BeginAndStreamDatabase());
  ASSERT_NO_FATAL_FAILURE(StreamLogs(instance_, &run));
  EXPECT_EQ(held, run.generations.front()) << "a full backup's logs start at the checkpoint";
  const std::vector<std::uint32_t> before = ArchivedGenerations(folder_);
  ASSERT_EQ(JET_errSuccess, JetTruncateLogInstance(instance_));
  const std::vector<std::uint32_t> after = ArchivedGenerations(folder_);
  std::vector<std::uint32_t> expected;
  for (std::uint32_t generation : before) {
    if (generation >= held) expected.push_back(generation);
  }
  EXPECT_EQ(expected, after) << "before: " << Join(before) << "; checkpoint " << held << ", last listed "
                             << run.generations.back();
  EXPECT_LT(after.size(), before.size()) << "the logs before the held checkpoint go";
  EXPECT_GT(after.size(), 3u) << "fewer than without the lag: the listed logs from the checkpoint stay";
  EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndNormal));
  ReleaseCheckpoint();
}

TEST_F(BackupLogTest, TruncateLogIsRepeatableAndDeletesNothingMoreTheSecondTime) {
  ASSERT_NO_FATAL_FAILURE(StartWithArchivedLogs());
  const std::uint32_t held = HoldCheckpoint();
  ASSERT_NO_FATAL_FAILURE(BeginAndStreamDatabase());
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(StreamLogs(instance_, &run));
  ASSERT_EQ(JET_errSuccess, JetTruncateLogInstance(instance_));
  const std::vector<std::uint32_t> once = ArchivedGenerations(folder_);
  ASSERT_FALSE(once.empty());
  EXPECT_EQ(held, once.front()) << "the first truncation deleted up to the checkpoint";
  EXPECT_EQ(JET_errSuccess, JetTruncateLogInstance(instance_));
  EXPECT_EQ(once, ArchivedGenerations(folder_)) << "the held checkpoint did not move: nothing more goes";
  EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndNormal));
  ReleaseCheckpoint();
}

TEST_F(BackupLogTest, TruncateLogDeletesNothingWhileAnUnstreamedDatabaseWasNeverBackedUp) {
  std::string second;
  ASSERT_NO_FATAL_FAILURE(StartWithSecondDatabase(&second));
  ASSERT_NO_FATAL_FAILURE(MakeArchivedLogs());
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  ASSERT_NO_FATAL_FAILURE(StreamDatabases(instance_, {database_path_}));  // not second.edb
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(StreamLogs(instance_, &run));
  const std::vector<std::uint32_t> before = ArchivedGenerations(folder_);
  EXPECT_EQ(JET_errSuccess, JetTruncateLogInstance(instance_));
  EXPECT_EQ(before, ArchivedGenerations(folder_)) << "second.edb's last full backup is genHigh 0";
  const JET_DBINFOMISC4 before_second = backup_test::DbMisc(second);
  EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndNormal));
  EXPECT_FALSE(backup_test::IsZero(backup_test::DbMisc(database_path_).bkinfoFullPrev))
      << "the streamed database records the (truncated) full backup";
  const JET_DBINFOMISC4 after_second = backup_test::DbMisc(second);
  EXPECT_TRUE(backup_test::IsZero(after_second.bkinfoFullPrev));
  EXPECT_TRUE(backup_test::SameBkinfo(before_second.bkinfoCopyPrev, after_second.bkinfoCopyPrev));
}

TEST_F(BackupLogTest, TruncateLogStopsAtTheLastFullBackupOfAnUnstreamedDatabase) {
  std::string second;
  ASSERT_NO_FATAL_FAILURE(StartWithSecondDatabase(&second));
  ASSERT_NO_FATAL_FAILURE(MakeArchivedLogs());
  // A first full backup of both databases, ended with TruncateDone (the client truncates
  // itself, nothing is deleted here), records genHigh = H in each.
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  std::vector<std::string> databases;
  ASSERT_EQ(JET_errSuccess, backup_test::AttachInfo(instance_, &databases));
  ASSERT_EQ(2u, databases.size());
  ASSERT_NO_FATAL_FAILURE(StreamDatabases(instance_, databases));
  BackupRun first;
  ASSERT_NO_FATAL_FAILURE(StreamLogs(instance_, &first));
  ASSERT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndNormal |
                                                                         JET_bitBackupTruncateDone));
  const std::uint32_t high = backup_test::DbMisc(second).bkinfoFullPrev.genHigh;
  ASSERT_EQ(first.generations.back(), high);
  ASSERT_NO_FATAL_FAILURE(MakeArchivedLogs());
  ASSERT_LT(ArchivedGenerations(folder_).front(), high) << "logs below H exist, so the clamp shows";
  // The second streams only db.edb: nothing at or above H may go.
  ASSERT_NO_FATAL_FAILURE(BeginAndStreamDatabase());
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(StreamLogs(instance_, &run));
  const std::vector<std::uint32_t> before = ArchivedGenerations(folder_);
  ASSERT_EQ(JET_errSuccess, JetTruncateLogInstance(instance_));
  const std::vector<std::uint32_t> after = ArchivedGenerations(folder_);
  std::vector<std::uint32_t> expected;
  for (std::uint32_t generation : before) {
    if (generation >= high) expected.push_back(generation);
  }
  EXPECT_EQ(expected, after) << "before: " << Join(before) << " H " << high;
  AbortBackup();
}

// --- incremental ------------------------------------------------------------------------------

TEST_F(BackupLogTest, AnIncrementalListsEveryArchivedLogOnDisk) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  BackupRun full;
  ASSERT_NO_FATAL_FAILURE(FullBackup(/*truncate=*/true, &full));
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 20));
  ASSERT_NO_FATAL_FAILURE(Roll(3));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, JET_bitBackupIncremental));
  const std::uint32_t current = CurrentGeneration();
  std::vector<std::string> logs;
  ASSERT_EQ(JET_errSuccess, LogInfo(instance_, &logs));
  std::vector<std::uint32_t> listed;
  for (const std::string& log : logs) listed.push_back(ArchivedGeneration(log).value_or(0));
  EXPECT_EQ(ArchivedGenerations(folder_), listed) << "every archived generation on disk";
  ASSERT_FALSE(listed.empty());
  EXPECT_EQ(current, listed.back()) << "up to the rolled one";
  AbortBackup();
}

TEST_F(BackupLogTest, AnIncrementalWhoseNextNeededLogIsGoneIsMissingFileToBackupAndContinues) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  BackupRun full;
  ASSERT_NO_FATAL_FAILURE(FullBackup(/*truncate=*/true, &full));
  const std::uint32_t high = backup_test::DbMisc(database_path_).bkinfoFullPrev.genHigh;
  ASSERT_NE(0u, high);
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 20));
  ASSERT_NO_FATAL_FAILURE(Roll(3));
  // Generation H+1 (and anything older) disappears behind the engine's back.
  for (std::uint32_t generation : ArchivedGenerations(folder_)) {
    if (generation <= high + 1) {
      ASSERT_TRUE(fs::remove(folder_ + ArchivedName(generation)));
    }
  }
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, JET_bitBackupIncremental));
  EXPECT_EQ(JET_errMissingFileToBackup, LogInfo(instance_, nullptr));
  EXPECT_EQ(JET_errInvalidBackupSequence, backup_test::AttachInfo(instance_, nullptr))
      << "not aborted: still an incremental backup";
  EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndNormal));
  ExpectNoBackup(instance_);
  EXPECT_TRUE(backup_test::IsZero(backup_test::DbMisc(database_path_).bkinfoIncPrev));
}

}  // namespace
}  // namespace esent_test
