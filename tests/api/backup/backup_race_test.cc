// Backups racing on many threads (issue 10, concurrency), through the public C API only:
// - eight threads released together by a latch call JetBeginExternalBackupInstance on one
//   instance: exactly one gets JET_errSuccess, every other JET_errBackupInProgress (ESE's
//   ErrBKBeginExternalBackup: "a backup is already active"); the winner's backup then runs to its
//   end and the next Begin succeeds; twenty rounds;
// - eight threads racing JetEndExternalBackupInstance2 on one backup (Normal after its logs were
//   read, or Abort): one ends it, the others get JET_errNoBackup; a later backup restores;
// - eight threads racing JetGetLogInfoInstance on one backup: the log rolls once and every
//   thread gets the same list; then eight racing JetTruncateLogInstance calls all succeed;
// - the Begin race between the two forms, JetBeginExternalBackupInstance and JetBackupInstance
//   (each into its own empty folder): JetBackupInstance begins through the same check, so a loser
//   of either form gets JET_errBackupInProgress and writes nothing; a JetBackupInstance winner is
//   held in its status callback until every other racer has returned, so that no loser can come
//   in after the winner ended (that would be a second backup, not a lost race);
// - four instances each backed up with JetBackupInstance (two atomic, two not) on its own thread,
//   all four in progress at once (each waits in its sntBegin callback for the others), while one
//   writer thread per instance commits: every backup succeeds, verifies with
//   EsentVerifyBackupA and restores every row acknowledged before its JetBackupInstance call;
// - four writer threads committing on one instance while a streaming backup reads the database
//   and the logs: every commit succeeds, the backup completes, and its restore holds every row
//   acknowledged before JetGetLogInfoInstance.
// A restored writer's rows are always a prefix of what it committed (ids first..first+n-1, n at
// least the acknowledged count): the log replays in commit order and a writer commits one row at
// a time.
#include <esent.h>
#include <esent_ext.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <iterator>
#include <latch>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "backup_instance/backup_instance_fixture.h"

namespace esent_test {
namespace {

using backup_instance_test::TreeEntries;
using restore_test::Rows;
using restore_test::ValueFor;

constexpr int kRacers = 8;
constexpr std::int32_t kWriterIdStride = 1000000;

// Runs `call(i)` for i in [0, threads) on `threads` threads released together by a latch, and
// returns what each returned.
template <typename Call>
std::vector<JET_ERR> Race(int threads, Call call) {
  std::latch start(threads);
  std::vector<JET_ERR> results(static_cast<std::size_t>(threads), JET_errSuccess);
  std::vector<std::thread> racers;
  for (int i = 0; i < threads; ++i) {
    racers.emplace_back([&start, &results, &call, i] {
      start.arrive_and_wait();
      results[static_cast<std::size_t>(i)] = call(i);
    });
  }
  for (std::thread& racer : racers) racer.join();
  return results;
}

// Waits (at most `limit`) until `done()`.
template <typename Done>
bool WaitUntil(Done done, std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// A writer thread: its own session on `instance`, durable single-row commits into table t of
// `database` with ids first_id, first_id + 1, ... (values ValueFor(id)) until Stop. Ids
// [first_id, first_id + acknowledged()) are committed (their commit returned success); the first
// failing call stops the writer and is counted in failures().
class Writer {
 public:
  Writer(JET_INSTANCE instance, std::string database, std::int32_t first_id)
      : instance_(instance), database_(std::move(database)), first_id_(first_id) {
    thread_ = std::thread([this] { Run(); });
  }
  ~Writer() { Stop(); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

  std::int32_t first_id() const { return first_id_; }
  std::uint64_t acknowledged() const { return acknowledged_.load(); }
  std::uint64_t failures() const { return failures_.load(); }
  JET_ERR first_failure() const { return first_failure_.load(); }

 private:
  void Fail(JET_ERR err) {
    if (failures_.fetch_add(1) == 0) first_failure_ = err;
  }

  JET_ERR InsertOne(std::int32_t id) {
    return backup_test::InsertRow(sesid_, table_, id_column_, value_column_, id, ValueFor(id));
  }

  JET_ERR ColumnId(const char* name, JET_COLUMNID* column) {
    JET_COLUMNDEF definition{};
    const JET_ERR err = JetGetTableColumnInfoA(sesid_, table_, name, &definition, sizeof(definition),
                                               JET_ColInfo);
    *column = definition.columnid;
    return err;
  }

  void Run() {
    JET_ERR err = JetBeginSessionA(instance_, &sesid_, nullptr, nullptr);
    if (err >= JET_errSuccess) err = JetOpenDatabaseA(sesid_, database_.c_str(), nullptr, &dbid_, 0);
    if (err >= JET_errSuccess) err = JetOpenTableA(sesid_, dbid_, "t", nullptr, 0, 0, &table_);
    if (err >= JET_errSuccess) err = ColumnId("id", &id_column_);
    if (err >= JET_errSuccess) err = ColumnId("value", &value_column_);
    if (err < JET_errSuccess) {
      Fail(err);
    } else {
      for (std::int32_t id = first_id_; !stop_.load(); ++id) {
        err = InsertOne(id);
        if (err != JET_errSuccess) {
          Fail(err);
          break;
        }
        acknowledged_.fetch_add(1);
      }
    }
    if (table_ != 0) static_cast<void>(JetCloseTable(sesid_, table_));
    if (sesid_ != 0) static_cast<void>(JetEndSession(sesid_, 0));
  }

  JET_INSTANCE instance_;
  std::string database_;
  std::int32_t first_id_;
  JET_SESID sesid_ = 0;
  JET_DBID dbid_ = 0;
  JET_TABLEID table_ = 0;
  JET_COLUMNID id_column_ = 0;
  JET_COLUMNID value_column_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> acknowledged_{0};
  std::atomic<std::uint64_t> failures_{0};
  std::atomic<JET_ERR> first_failure_{JET_errSuccess};
  std::thread thread_;
};

// `rows` holds the writer's ids first_id .. first_id + n - 1 with their values and no other id
// of its range, with at_least <= n <= attempted.
void ExpectWriterPrefix(const Rows& rows, std::int32_t first_id, std::uint64_t at_least,
                        std::uint64_t attempted, const std::string& what) {
  std::uint64_t n = 0;
  int reported = 0;
  for (auto it = rows.lower_bound(first_id); it != rows.end() && it->first < first_id + kWriterIdStride; ++it) {
    const std::int64_t expected_id = std::int64_t{first_id} + static_cast<std::int64_t>(n);
    if (it->first != expected_id && reported++ < 5) {
      ADD_FAILURE() << what << ": restored id " << it->first << " where " << expected_id
                    << " comes next: the writer's rows are not a prefix of its commits";
    }
    if (it->second != ValueFor(it->first) && reported++ < 5) {
      ADD_FAILURE() << what << ": row " << it->first << " restored with the wrong value";
    }
    ++n;
  }
  EXPECT_GE(n, at_least) << what << ": rows acknowledged before the backup are missing";
  EXPECT_LE(n, attempted) << what << ": more rows than the writer committed";
}

// JetBackupInstance's status callback in the mixed race: the first call (sntBegin, made once the
// backup has begun) waits until every other racer returned, or 10 s.
std::atomic<bool> g_held{false};
std::atomic<int> g_returned{0};
std::atomic<int> g_others{0};

JET_ERR JET_API HoldUntilTheOthersReturned(JET_SESID, JET_SNP, JET_SNT, void*) {
  if (!g_held.exchange(true)) {
    static_cast<void>(WaitUntil([] { return g_returned.load() >= g_others.load(); }));
  }
  return JET_errSuccess;
}

// The status callback of the parallel backups of several instances: each backup, at sntBegin,
// waits (at most 10 s) until every one of the g_parallel_backups backups has begun, so they are
// all in progress at once; a backup that waited in vain counts in g_not_together.
std::atomic<int> g_parallel_backups{0};
std::atomic<int> g_begun{0};
std::atomic<int> g_not_together{0};

JET_ERR JET_API WaitForEveryBackupToBegin(JET_SESID, JET_SNP, JET_SNT snt, void*) {
  if (snt == JET_sntBegin) {
    g_begun.fetch_add(1);
    if (!WaitUntil([] { return g_begun.load() >= g_parallel_backups.load(); })) g_not_together.fetch_add(1);
  }
  return JET_errSuccess;
}

class BackupRaceTest : public BackupInstanceTest {
 protected:
  // The reading part of a full streaming backup begun on instance_: attach info, every
  // database, log info, every log.
  void ReadStreamingBackup() {
    BackupRun run;
    ASSERT_EQ(JET_errSuccess, backup_test::AttachInfo(instance_, &run.databases));
    ASSERT_EQ(std::vector<std::string>{database_path_}, run.databases);
    ASSERT_NO_FATAL_FAILURE(StreamDatabases(instance_, run.databases));
    ASSERT_NO_FATAL_FAILURE(StreamLogs(instance_, &run));
    EXPECT_FALSE(run.logs.empty());
  }

  // ReadStreamingBackup and End(Normal).
  void CompleteStreamingBackup() {
    ASSERT_NO_FATAL_FAILURE(ReadStreamingBackup());
    ASSERT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndNormal));
  }

  // One row per writer at least, so every writer's session is committing when a test goes on.
  static void WaitForEveryWriter(const std::vector<std::unique_ptr<Writer>>& writers, std::uint64_t rows) {
    for (const auto& writer : writers) {
      EXPECT_TRUE(WaitUntil([&] { return writer->acknowledged() >= rows || writer->failures() > 0; }))
          << "writer " << writer->first_id() << " did not commit " << rows << " rows";
    }
  }
};

TEST_F(BackupRaceTest, OfEightConcurrentBeginsExactlyOneWinsAndTheOthersAreBackupInProgress) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  for (int round = 0; round < 20; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const std::vector<JET_ERR> results =
        Race(kRacers, [this](int) { return JetBeginExternalBackupInstance(instance_, 0); });
    int winners = 0;
    int in_progress = 0;
    for (JET_ERR result : results) {
      if (result == JET_errSuccess) ++winners;
      if (result == JET_errBackupInProgress) ++in_progress;
    }
    if (winners == 0) {
      ADD_FAILURE() << "no Begin succeeded";
      continue;
    }
    EXPECT_EQ(1, winners) << "two Begins succeeded on one instance";
    EXPECT_EQ(kRacers - 1, in_progress);
    // The backup the winner began completes.
    ASSERT_NO_FATAL_FAILURE(CompleteStreamingBackup());
    ExpectNoBackup(instance_);
    ASSERT_NO_FATAL_FAILURE(Commit(100000 + round, ValueFor(100000 + round)));
  }
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0)) << "after the last round";
  AbortBackup();
}

// Even rounds end a backup whose logs were read (End Normal), odd rounds one just begun (End
// Abort); either way one End ends it and the others find no backup (JET_errNoBackup).
TEST_F(BackupRaceTest, OfEightConcurrentEndsOfOneBackupExactlyOneSucceedsAndTheOthersAreNoBackup) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  for (int round = 0; round < 10; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
    const bool normal = round % 2 == 0;
    if (normal) {
      ASSERT_NO_FATAL_FAILURE(ReadStreamingBackup());
    }
    const JET_GRBIT grbit = normal ? JET_bitBackupEndNormal : JET_bitBackupEndAbort;
    const std::vector<JET_ERR> results =
        Race(kRacers, [this, grbit](int) { return JetEndExternalBackupInstance2(instance_, grbit); });
    int ended = 0;
    int no_backup = 0;
    for (JET_ERR result : results) {
      if (result == JET_errSuccess) ++ended;
      if (result == JET_errNoBackup) ++no_backup;
    }
    EXPECT_EQ(1, ended) << "one backup ended " << ended << " times";
    EXPECT_EQ(kRacers - 1, no_backup);
    ExpectNoBackup(instance_);
    ASSERT_NO_FATAL_FAILURE(Commit(100000 + round, ValueFor(100000 + round)));
  }
  ASSERT_NO_FATAL_FAILURE(FullBackupTo(SetFolder()));
  ExpectRestores(SetFolder(), committed_, "a backup after the racing Ends");
}

// GetLogInfo freezes the backup's log range once (ESE: "calling it again does not roll the log
// again; it returns the identical list"), however many threads ask at once; TruncateLog is
// idempotent (files already deleted count as missing, not as errors), so racing truncations all
// succeed.
TEST_F(BackupRaceTest, EightConcurrentGetLogInfosRollOnceAndEightConcurrentTruncatesAllSucceed) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  for (int step = 0; step < 3; ++step) {
    ASSERT_NO_FATAL_FAILURE(CommitRows(1000 + 100 * step, 20));
    ASSERT_NO_FATAL_FAILURE(Roll());
  }
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  std::vector<std::string> databases;
  ASSERT_EQ(JET_errSuccess, backup_test::AttachInfo(instance_, &databases));
  ASSERT_NO_FATAL_FAILURE(StreamDatabases(instance_, databases));
  const std::uint32_t current_before = CurrentGeneration();
  std::vector<std::vector<std::string>> lists(kRacers);
  const std::vector<JET_ERR> infos = Race(kRacers, [this, &lists](int i) {
    return backup_test::LogInfo(instance_, &lists[static_cast<std::size_t>(i)]);
  });
  for (int i = 0; i < kRacers; ++i) {
    const std::size_t index = static_cast<std::size_t>(i);
    EXPECT_EQ(JET_errSuccess, infos[index]) << "racer " << i;
    EXPECT_EQ(lists[0], lists[index]) << "racer " << i << " got another log list";
  }
  EXPECT_EQ(current_before + 1, CurrentGeneration()) << "the log rolled more (or less) than once";
  ASSERT_FALSE(lists[0].empty());
  EXPECT_EQ(std::optional<std::uint32_t>(current_before), backup_test::ArchivedGeneration(lists[0].back()))
      << "the list ends with the generation that was current";
  BackupRun run;
  ASSERT_NO_FATAL_FAILURE(StreamLogs(instance_, &run));
  EXPECT_EQ(lists[0], run.logs);
  const std::vector<JET_ERR> truncates = Race(kRacers, [this](int) { return JetTruncateLogInstance(instance_); });
  for (int i = 0; i < kRacers; ++i) {
    EXPECT_EQ(JET_errSuccess, truncates[static_cast<std::size_t>(i)]) << "racer " << i;
  }
  ASSERT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndNormal));
  EXPECT_FALSE(backup_test::IsZero(backup_test::DbMisc(database_path_).bkinfoFullPrev));
  ASSERT_NO_FATAL_FAILURE(Commit(5000, ValueFor(5000)));
  ASSERT_NO_FATAL_FAILURE(FullBackupTo(SetFolder()));
  ExpectRestores(SetFolder(), committed_, "a backup after the racing truncations");
}

TEST_F(BackupRaceTest, BeginAndJetBackupInstanceRacingExactlyOneWinsAndTheOthersAreBackupInProgress) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  std::string last_directory_backup;
  Rows last_directory_rows;
  int streaming_wins = 0;
  int directory_wins = 0;
  for (int round = 0; round < 10; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    // Even racers Begin a streaming backup, odd ones run JetBackupInstance into their own folder.
    std::vector<std::string> folders(kRacers);
    for (int i = 1; i < kRacers; i += 2) {
      folders[static_cast<std::size_t>(i)] = BackupDir("r" + std::to_string(round) + "_" + std::to_string(i));
    }
    g_held = false;
    g_returned = 0;
    g_others = kRacers - 1;
    const std::vector<JET_ERR> results = Race(kRacers, [&](int i) {
      const JET_ERR err = i % 2 == 0 ? JetBeginExternalBackupInstance(instance_, 0)
                                     : JetBackupInstanceA(instance_, folders[static_cast<std::size_t>(i)].c_str(),
                                                          0, HoldUntilTheOthersReturned);
      g_returned.fetch_add(1);
      return err;
    });
    int winner = -1;
    int winners = 0;
    for (int i = 0; i < kRacers; ++i) {
      const JET_ERR result = results[static_cast<std::size_t>(i)];
      if (result == JET_errSuccess) {
        ++winners;
        winner = i;
        continue;
      }
      EXPECT_EQ(JET_errBackupInProgress, result) << "racer " << i << (i % 2 == 0 ? " (Begin)" : " (JetBackupInstance)");
      if (i % 2 == 1) {
        EXPECT_TRUE(TreeEntries(folders[static_cast<std::size_t>(i)]).empty())
            << "a JetBackupInstance that lost wrote into " << folders[static_cast<std::size_t>(i)];
      }
    }
    EXPECT_EQ(1, winners) << "two backups succeeded on one instance";
    if (winner < 0) continue;
    if (winner % 2 == 0) {
      ++streaming_wins;
      ASSERT_NO_FATAL_FAILURE(CompleteStreamingBackup());
    } else {
      ++directory_wins;
      const std::string& folder = folders[static_cast<std::size_t>(winner)];
      EXPECT_EQ(JET_errSuccess, EsentVerifyBackupA(folder.c_str(), nullptr)) << folder;
      last_directory_backup = folder;
      last_directory_rows = committed_;
    }
    ExpectNoBackup(instance_);
    ASSERT_NO_FATAL_FAILURE(Commit(100000 + round, ValueFor(100000 + round)));
  }
  std::cout << "winners: " << streaming_wins << " streaming Begin, " << directory_wins << " JetBackupInstance\n";
  if (!last_directory_backup.empty()) {
    ExpectRestores(last_directory_backup, last_directory_rows, "the last JetBackupInstance that won");
  }
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0)) << "after the last round";
  AbortBackup();
}

// Instances 0 and 2 back up atomically, 1 and 3 not.
TEST_F(BackupRaceTest, FourInstancesBackedUpAtOnceWhileWritersCommitEachVerifyAndRestore) {
  constexpr int kInstances = 4;
  std::vector<JET_INSTANCE> instances;
  std::vector<std::string> databases;
  for (int k = 0; k < kInstances; ++k) {
    const std::string suffix = "i" + std::to_string(k);
    const JET_INSTANCE instance = Start(suffix);
    ASSERT_NE(JET_INSTANCE{0}, instance);
    const std::string database = Folder(suffix) + "db.edb";
    const JET_SESID sesid = BeginSession(instance);
    JET_DBID dbid = 0;
    JET_TABLEID table = 0;
    ASSERT_NO_FATAL_FAILURE(CreateDatabaseWithTable(sesid, database, &dbid, &table));
    ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid, table));
    ASSERT_EQ(JET_errSuccess, JetEndSession(sesid, 0));
    instances.push_back(instance);
    databases.push_back(database);
  }
  std::vector<std::unique_ptr<Writer>> writers;
  for (int k = 0; k < kInstances; ++k) {
    writers.push_back(std::make_unique<Writer>(instances[static_cast<std::size_t>(k)],
                                               databases[static_cast<std::size_t>(k)], kWriterIdStride * (k + 1)));
  }
  WaitForEveryWriter(writers, 10);

  std::vector<std::string> folders;
  for (int k = 0; k < kInstances; ++k) folders.push_back(BackupDir("set" + std::to_string(k)));
  std::vector<std::uint64_t> before(kInstances, 0);
  g_parallel_backups = kInstances;
  g_begun = 0;
  g_not_together = 0;
  const std::vector<JET_ERR> results = Race(kInstances, [&](int k) {
    const std::size_t index = static_cast<std::size_t>(k);
    before[index] = writers[index]->acknowledged();
    const JET_GRBIT grbit = k % 2 == 0 ? JET_bitBackupAtomic : 0;
    return JetBackupInstanceA(instances[index], folders[index].c_str(), grbit, WaitForEveryBackupToBegin);
  });
  EXPECT_EQ(kInstances, g_begun.load());
  EXPECT_EQ(0, g_not_together.load()) << "the backups of different instances did not all run at once";
  std::vector<std::uint64_t> attempted;
  for (const auto& writer : writers) {
    writer->Stop();
    EXPECT_EQ(0u, writer->failures()) << "writer " << writer->first_id() << " failed with " << writer->first_failure();
    attempted.push_back(writer->acknowledged());
  }
  for (int k = 0; k < kInstances; ++k) {
    const std::size_t index = static_cast<std::size_t>(k);
    const std::string what = "instance " + std::to_string(k);
    EXPECT_EQ(JET_errSuccess, results[index]) << what;
    if (results[index] != JET_errSuccess) continue;
    EXPECT_EQ(JET_errSuccess, EsentVerifyBackupA(folders[index].c_str(), nullptr)) << what;
    std::cout << what << ": " << before[index] << " rows acknowledged before its backup, " << attempted[index]
              << " in all\n";
    const Rows rows = RestoreCopy(folders[index]);
    ExpectWriterPrefix(rows, writers[index]->first_id(), before[index], attempted[index], what);
    EXPECT_EQ(rows.size(), static_cast<std::size_t>(std::distance(
                               rows.lower_bound(writers[index]->first_id()),
                               rows.lower_bound(writers[index]->first_id() + kWriterIdStride))))
        << what << ": a row of another instance";
  }
}

TEST_F(BackupRaceTest, FourWriterThreadsCommitWhileAStreamingBackupRunsAndItRestoresEveryAcknowledgedRow) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  constexpr int kWriters = 4;
  std::vector<std::unique_ptr<Writer>> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.push_back(std::make_unique<Writer>(instance_, database_path_, kWriterIdStride * (w + 1)));
  }
  WaitForEveryWriter(writers, 5);
  // How many commits each writer had acknowledged at a moment of the backup.
  auto acknowledged = [&writers] {
    std::vector<std::uint64_t> counts;
    for (const auto& writer : writers) counts.push_back(writer->acknowledged());
    return counts;
  };
  std::vector<std::uint64_t> at_first_chunk;
  std::vector<std::uint64_t> before_log_info;
  BackupHooks hooks;
  // With the database stream open, every writer goes on committing (at most 10 s).
  hooks.after_first_database_chunk = [&] {
    at_first_chunk = acknowledged();
    static_cast<void>(WaitUntil([&] {
      const std::vector<std::uint64_t> now = acknowledged();
      for (std::size_t w = 0; w < now.size(); ++w) {
        if (now[w] <= at_first_chunk[w] + 1 && writers[w]->failures() == 0) return false;
      }
      return true;
    }));
  };
  hooks.before_log_info = [&] { before_log_info = acknowledged(); };
  const std::string set = SetFolder();
  ASSERT_NO_FATAL_FAILURE(FullBackupTo(set, true, nullptr, hooks));
  ASSERT_EQ(std::size_t{kWriters}, at_first_chunk.size());
  ASSERT_EQ(std::size_t{kWriters}, before_log_info.size());
  std::vector<std::uint64_t> attempted;
  for (int w = 0; w < kWriters; ++w) {
    const std::size_t index = static_cast<std::size_t>(w);
    Writer& writer = *writers[index];
    // Every writer commits during the backup, and after it.
    EXPECT_TRUE(WaitUntil([&] { return writer.acknowledged() > before_log_info[index] + 2 || writer.failures() > 0; }));
    writer.Stop();
    EXPECT_EQ(0u, writer.failures()) << "writer " << w << " failed with " << writer.first_failure();
    EXPECT_GT(before_log_info[index], at_first_chunk[index])
        << "writer " << w << " committed nothing while the database was being streamed";
    attempted.push_back(writer.acknowledged());
  }
  const Rows rows = RestoreCopy(set);
  Rows history;
  for (auto it = rows.begin(); it != rows.end() && it->first < kWriterIdStride; ++it) history.insert(*it);
  restore_test::ExpectSameRows(committed_, history, "the rows committed before the writers started");
  for (int w = 0; w < kWriters; ++w) {
    const std::size_t index = static_cast<std::size_t>(w);
    ExpectWriterPrefix(rows, writers[index]->first_id(), before_log_info[index], attempted[index],
                       "writer " + std::to_string(w));
  }
}

}  // namespace
}  // namespace esent_test
