// A backup next to writers:
// - no global lock: while the backup client sleeps 1 s between two JetReadFileInstance calls, a
//   writer thread's durable commits complete; the backup then completes while the writer runs,
//   and its database stream has the reported size in whole pages (page checksums are verified in
//   backup_internal_test.cc, which can call esent::page::verify);
// - logs an active backup needs are not deleted under circular logging while writers roll the
//   log: every generation from the backup's first one stays on disk until End.
#include <esent.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "backup/backup_fixture.h"

namespace esent_test {
namespace {

using backup_test::ArchivedGenerations;
using backup_test::CheckpointGeneration;
using backup_test::LogInfo;
using backup_test::Streamed;
using backup_test::StreamFile;

class BackupConcurrencyTest : public BackupTest {
 protected:
  // A writer thread with its own session: durable single-row commits until stop_ is set; with
  // `roll_every` > 0 it also rolls the log (JET_bitForceNewLog) after every that many commits.
  void StartWriter(std::int32_t first_id, std::size_t value_bytes, int roll_every = 0) {
    writer_ = std::thread([this, first_id, value_bytes, roll_every] {
      JET_SESID sesid = 0;
      JET_DBID dbid = 0;
      JET_TABLEID table = 0;
      if (JetBeginSessionA(instance_, &sesid, nullptr, nullptr) < JET_errSuccess ||
          JetOpenDatabaseA(sesid, database_path_.c_str(), nullptr, &dbid, 0) < JET_errSuccess ||
          JetOpenTableA(sesid, dbid, "t", nullptr, 0, 0, &table) < JET_errSuccess) {
        writer_failures_.fetch_add(1);
        return;
      }
      const std::string value(value_bytes, 'w');
      std::int32_t id = first_id;
      while (!stop_.load()) {
        if (InsertOn(sesid, table, id++, value) == JET_errSuccess) {
          commits_.fetch_add(1);
        } else {
          writer_failures_.fetch_add(1);
        }
        if (roll_every > 0 && (id - first_id) % roll_every == 0) {
          if (JetCommitTransaction(sesid, JET_bitForceNewLog) == JET_errSuccess) {
            rolls_.fetch_add(1);
          } else {
            writer_failures_.fetch_add(1);
          }
        }
      }
      static_cast<void>(JetCloseTable(sesid, table));
      static_cast<void>(JetEndSession(sesid, 0));
    });
  }

  void StopWriter() {
    stop_ = true;
    if (writer_.joinable()) writer_.join();
  }

  ~BackupConcurrencyTest() override { StopWriter(); }

  std::thread writer_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> commits_{0};
  std::atomic<std::uint64_t> writer_failures_{0};
  std::atomic<std::uint32_t> rolls_{0};

  // Waits (at most 10 s) until the writer rolled the log `rolls` times.
  void WaitForRolls(std::uint32_t rolls) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (rolls_.load() < rolls && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_GE(rolls_.load(), rolls) << "the writer did not roll the log";
  }

  // A lower bound of the current generation that also holds under circular logging (where the
  // archived logs may all be gone): the newest archived + 1, or the checkpoint's generation.
  std::uint32_t CurrentGenerationAtLeast() const {
    return std::max(CurrentGeneration(), CheckpointGeneration(folder_));
  }
};

TEST_F(BackupConcurrencyTest, DurableCommitsCompleteWhileTheBackupClientSleepsBetweenReads) {
  OpenedFile opened;
  ASSERT_NO_FATAL_FAILURE(StartWithRowsAndOpenDatabaseStream(200, &opened));
  auto& [handle, low, high] = opened;
  const std::uint64_t size = backup_test::Size64(low, high);
  ASSERT_EQ(0u, size % page_size_);
  StartWriter(1000000, 200);

  std::string image;
  std::vector<char> chunk(4 * std::size_t{page_size_});
  JET_UINT32 actual = 0;
  ASSERT_EQ(JET_errSuccess, JetReadFileInstance(instance_, handle, chunk.data(),
                                                static_cast<JET_UINT32>(chunk.size()), &actual));
  image.append(chunk.data(), actual);
  const std::uint64_t before_sleep = commits_.load();
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const std::uint64_t during_sleep = commits_.load() - before_sleep;
  std::cout << "durable commits while the backup client slept 1 s: " << during_sleep << "\n";
  EXPECT_GT(during_sleep, 0u) << "a commit waited for the backup: a lock is held between reads";

  // The rest of the backup, with the writer still running.
  do {
    ASSERT_EQ(JET_errSuccess, JetReadFileInstance(instance_, handle, chunk.data(),
                                                  static_cast<JET_UINT32>(chunk.size()), &actual));
    EXPECT_EQ(0u, actual % page_size_);
    image.append(chunk.data(), actual);
  } while (actual != 0);
  ASSERT_EQ(JET_errSuccess, JetCloseFileInstance(instance_, handle));
  EXPECT_EQ(size, image.size()) << "exactly the size reported at open, though the database grows";
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(StreamLogs(instance_, &run));
  ASSERT_EQ(JET_errSuccess, JetTruncateLogInstance(instance_));
  const std::uint64_t before_end = commits_.load();
  ASSERT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndNormal));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_GT(commits_.load(), before_end) << "the writer keeps going after End";
  StopWriter();
  EXPECT_EQ(0u, writer_failures_.load());
  EXPECT_FALSE(backup_test::IsZero(backup_test::DbMisc(database_path_).bkinfoFullPrev));
}

TEST_F(BackupConcurrencyTest, UnderCircularLoggingNoLogTheBackupNeedsIsDeletedWhileWritersRoll) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase({.circular = true}));
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 20));
  const std::uint32_t checkpoint_before = CheckpointGeneration(folder_);
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  const std::uint32_t checkpoint_after = CheckpointGeneration(folder_);
  ASSERT_NE(0u, checkpoint_before);
  const std::uint32_t current_at_begin = CurrentGenerationAtLeast();

  // A writer rolls the log 8 times (each roll archives a generation and lets circular logging
  // drop what the checkpoint passed, except what the backup needs).
  constexpr std::uint32_t kRolls = 8;
  StartWriter(1000000, 2000, 5);
  ASSERT_NO_FATAL_FAILURE(WaitForRolls(kRolls));
  // The checkpoint thread (which is also what drops old generations) runs asynchronously.
  for (int attempt = 0; attempt < 100 && CheckpointGeneration(folder_) <= checkpoint_after + 2; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_GT(CheckpointGeneration(folder_), checkpoint_after + 2) << "the checkpoint moved on";
  // Every generation from the checkpoint at Begin to the last one surely archived is on disk.
  const std::uint32_t archived_at_least = current_at_begin + kRolls - 1;
  const std::vector<std::uint32_t> on_disk = ArchivedGenerations(folder_);
  for (std::uint32_t generation = checkpoint_after; generation <= archived_at_least; ++generation) {
    EXPECT_TRUE(std::binary_search(on_disk.begin(), on_disk.end(), generation))
        << "generation " << generation << " is needed by the backup and was deleted";
  }
  // The backup lists them all and they stream.
  ASSERT_NO_FATAL_FAILURE(StreamDatabases(instance_, {database_path_}));
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(StreamLogs(instance_, &run));
  ASSERT_FALSE(run.generations.empty());
  EXPECT_GE(run.generations.front(), checkpoint_before);
  EXPECT_LE(run.generations.front(), checkpoint_after);
  EXPECT_GE(run.generations.back(), archived_at_least);
  StopWriter();
  EXPECT_EQ(0u, writer_failures_.load());
  ASSERT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndNormal));
}

TEST_F(BackupConcurrencyTest, WithoutABackupCircularLoggingDoesDeleteOldLogs) {
  // The control for the test above: the same workload with no backup leaves the early
  // generations gone, so keeping them is the backup's doing.
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase({.circular = true}));
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 20));
  const std::uint32_t first = CheckpointGeneration(folder_);
  ASSERT_NE(0u, first);
  StartWriter(1000000, 2000, 5);
  ASSERT_NO_FATAL_FAILURE(WaitForRolls(8));
  StopWriter();
  EXPECT_EQ(0u, writer_failures_.load());
  // The checkpoint thread drops old generations asynchronously: give it a few seconds.
  std::vector<std::uint32_t> on_disk = ArchivedGenerations(folder_);
  for (int attempt = 0; attempt < 100 && std::binary_search(on_disk.begin(), on_disk.end(), first); ++attempt) {
    ASSERT_EQ(JET_errSuccess, Insert(2000000 + attempt));
    ASSERT_NO_FATAL_FAILURE(Roll(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    on_disk = ArchivedGenerations(folder_);
  }
  EXPECT_FALSE(std::binary_search(on_disk.begin(), on_disk.end(), first))
      << "circular logging removes generation " << first << " without a backup";
}

}  // namespace
}  // namespace esent_test
