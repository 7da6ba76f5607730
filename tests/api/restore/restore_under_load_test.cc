// Backup under load, then restore (the key acceptance of issue 7).
//
// 2–4 writer threads, each on its own session, run transactions continuously on db.edb. Writer
// w's transaction number s inserts row RowId(w, s) and rewrites the writer's kCounterRows
// counter rows, all with values derived from (seed, w, s), so a torn transaction shows as
// counters that disagree or an inserted row without its counters. About one transaction in
// eight is rolled back instead of committed; commits are durable (JetCommitTransaction(0)).
// Each writer publishes `attempted` (the last s whose JetCommitTransaction was called) and
// `acknowledged` (the last s whose commit returned success); the test thread snapshots
// `acknowledged` just before each JetGetLogInfoInstance and `attempted` just after it (the log
// has then rolled, so nothing attempted later can be in that backup).
//
// While the writers run: a full backup (truncating), a differential (incremental, not
// truncating) and an incremental (truncating). Then the writers and the source stop, and each
// chain (full; full + differential; full + incremental) is restored by a fresh instance with
// empty log/system folders into its own szDest folder, and read back. For each writer, with S
// the value its counters hold:
//   - all counters hold S (no torn transaction), with exactly S's values;
//   - S ≥ acknowledged before that chain's last GetLogInfo, S ≤ attempted after it, and S is
//     not a rolled-back transaction;
//   - the inserted rows are exactly {s ≤ S : s not rolled back}, each with its values;
//   - no other row exists.
// Seeded: CI runs 3 seeds of about a second each; ESENT_LONG_TESTS=1 runs 30 seeds, longer and
// with up to 4 writers. ESENT_RESTORE_SEED=<n> runs only that seed.
#include <esent.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "restore/restore_fixture.h"

namespace esent_test {
namespace {

constexpr int kCounterRows = 3;
constexpr std::int32_t kWriterSpan = 10'000'000;
constexpr std::int32_t kCounterOffset = 9'000'000;

bool LongTests() {
  const char* value = std::getenv("ESENT_LONG_TESTS");
  return value != nullptr && std::string(value) == "1";
}

std::vector<std::uint64_t> Seeds() {
  if (const char* fixed = std::getenv("ESENT_RESTORE_SEED"); fixed != nullptr) {
    return {std::strtoull(fixed, nullptr, 10)};
  }
  std::vector<std::uint64_t> seeds;
  if (LongTests()) {
    const std::uint64_t base = std::random_device{}();
    for (std::uint64_t i = 0; i < 30; ++i) seeds.push_back(base + i);
  } else {
    seeds = {1, 2, 3};
  }
  return seeds;
}

std::int32_t RowId(int writer, std::int64_t sequence) {
  return static_cast<std::int32_t>((writer + 1) * kWriterSpan + sequence);
}

std::int32_t CounterId(int writer, int slot) { return (writer + 1) * kWriterSpan + kCounterOffset + slot; }

// Values of (seed, writer, sequence[, slot]): a readable tag, then filler of a length that
// varies with all of them.
std::string Filled(const std::string& tag, std::uint64_t mix, std::size_t min_bytes, std::size_t spread) {
  const std::size_t length = min_bytes + static_cast<std::size_t>(mix % spread);
  std::string value = tag;
  value.resize(std::max(length, tag.size()), static_cast<char>('a' + mix % 26));
  return value;
}

std::string InsertValue(std::uint64_t seed, int writer, std::int64_t sequence) {
  const std::uint64_t mix = seed * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(writer) * 1000003u +
                            static_cast<std::uint64_t>(sequence) * 7919u;
  return Filled("ins w=" + std::to_string(writer) + " s=" + std::to_string(sequence) + ";", mix >> 7, 40, 1500);
}

std::string CounterValue(std::uint64_t seed, int writer, std::int64_t sequence, int slot) {
  const std::uint64_t mix = seed * 31u + static_cast<std::uint64_t>(writer) * 131u +
                            static_cast<std::uint64_t>(sequence) * 17u + static_cast<std::uint64_t>(slot);
  return "ctr w=" + std::to_string(writer) + " s=" + std::to_string(sequence) + " j=" + std::to_string(slot) +
         ";" + Filled("", mix, 10, 300);
}

// The sequence a counter value names, or -1.
std::int64_t CounterSequence(const std::string& value) {
  const std::size_t at = value.find(" s=");
  if (at == std::string::npos) return -1;
  return std::strtoll(value.c_str() + at + 3, nullptr, 10);
}

struct Writer {
  std::thread thread;
  std::atomic<std::int64_t> attempted{0};
  std::atomic<std::int64_t> acknowledged{0};
  std::atomic<int> failures{0};
  std::string first_failure;                 // written by the writer thread only
  std::vector<bool> rolled_back;             // index s-1; written by the writer thread only
  std::vector<std::pair<std::int64_t, int>> acks;  // (s, backup step when acknowledged)
};

class RestoreUnderLoadTest : public RestoreTest, public ::testing::WithParamInterface<std::uint64_t> {
 protected:
  ~RestoreUnderLoadTest() override { StopWriters(); }

  void StartWriters(int count) {
    writers_.clear();
    for (int w = 0; w < count; ++w) writers_.push_back(std::make_unique<Writer>());
    for (int w = 0; w < count; ++w) {
      writers_[static_cast<std::size_t>(w)]->thread = std::thread([this, w] { WriterLoop(w); });
    }
  }

  void StopWriters() {
    stop_ = true;
    for (auto& writer : writers_) {
      if (writer->thread.joinable()) writer->thread.join();
    }
  }

  void Fail(Writer& writer, const std::string& what, JET_ERR err) {
    if (writer.failures.fetch_add(1) == 0) writer.first_failure = what + " -> " + std::to_string(err);
  }

  void WriterLoop(int w) {
    Writer& writer = *writers_[static_cast<std::size_t>(w)];
    std::mt19937_64 random(seed_ * 1000003u + static_cast<std::uint64_t>(w));
    JET_SESID sesid = 0;
    JET_DBID dbid = 0;
    JET_TABLEID table = 0;
    JET_ERR err = JET_errSuccess;
    if ((err = JetBeginSessionA(instance_, &sesid, nullptr, nullptr)) < 0 ||
        (err = JetOpenDatabaseA(sesid, database_path_.c_str(), nullptr, &dbid, 0)) < 0 ||
        (err = JetOpenTableA(sesid, dbid, "t", nullptr, 0, 0, &table)) < 0) {
      Fail(writer, "open", err);
      return;
    }
    for (std::int64_t sequence = 1; !stop_.load(); ++sequence) {
      const bool rollback = random() % 8 == 0;
      writer.rolled_back.push_back(rollback);
      if ((err = WriteTransaction(sesid, table, w, sequence)) < 0) {
        Fail(writer, "transaction " + std::to_string(sequence), err);
        static_cast<void>(JetRollback(sesid, JET_bitRollbackAll));
        break;
      }
      if (rollback) {
        if ((err = JetRollback(sesid, 0)) < 0) Fail(writer, "rollback", err);
        continue;
      }
      writer.attempted.store(sequence);
      if ((err = JetCommitTransaction(sesid, 0)) < 0) {
        Fail(writer, "commit " + std::to_string(sequence), err);
        static_cast<void>(JetRollback(sesid, JET_bitRollbackAll));
        break;
      }
      writer.acknowledged.store(sequence);
      writer.acks.emplace_back(sequence, step_.load());
      if (random() % 64 == 0 && (err = JetCommitTransaction(sesid, JET_bitForceNewLog)) < 0) {
        Fail(writer, "roll", err);
      }
    }
    static_cast<void>(JetCloseTable(sesid, table));
    static_cast<void>(JetEndSession(sesid, 0));
  }

  // Begins a transaction and makes transaction `sequence` of writer `w` in it (not committed).
  JET_ERR WriteTransaction(JET_SESID sesid, JET_TABLEID table, int w, std::int64_t sequence) {
    JET_ERR err = JetBeginTransaction(sesid);
    if (err < 0) return err;
    const std::int32_t id = RowId(w, sequence);
    const std::string value = InsertValue(seed_, w, sequence);
    if ((err = JetPrepareUpdate(sesid, table, JET_prepInsert)) < 0 ||
        (err = JetSetColumn(sesid, table, id_column_, &id, sizeof(id), 0, nullptr)) < 0 ||
        (err = JetSetColumn(sesid, table, value_column_, value.data(), static_cast<JET_UINT32>(value.size()), 0,
                            nullptr)) < 0 ||
        (err = JetUpdate(sesid, table, nullptr, 0, nullptr)) < 0) {
      return err;
    }
    for (int slot = 0; slot < kCounterRows; ++slot) {
      const std::int32_t counter = CounterId(w, slot);
      const std::string counter_value = CounterValue(seed_, w, sequence, slot);
      if ((err = JetMakeKey(sesid, table, &counter, sizeof(counter), JET_bitNewKey)) < 0 ||
          (err = JetSeek(sesid, table, JET_bitSeekEQ)) < 0 ||
          (err = JetPrepareUpdate(sesid, table, JET_prepReplace)) < 0 ||
          (err = JetSetColumn(sesid, table, value_column_, counter_value.data(),
                              static_cast<JET_UINT32>(counter_value.size()), 0, nullptr)) < 0 ||
          (err = JetUpdate(sesid, table, nullptr, 0, nullptr)) < 0) {
        return err;
      }
    }
    return JET_errSuccess;
  }

  // Per-writer snapshots.
  std::vector<std::int64_t> Acknowledged() const {
    std::vector<std::int64_t> values;
    for (const auto& writer : writers_) values.push_back(writer->acknowledged.load());
    return values;
  }
  std::vector<std::int64_t> Attempted() const {
    std::vector<std::int64_t> values;
    for (const auto& writer : writers_) values.push_back(writer->attempted.load());
    return values;
  }

  // A backup with the writers running: the snapshots around GetLogInfo, sleeps inside so that
  // commits land during the database stream and before the log list.
  void BackupUnderLoad(bool incremental, bool truncate, const std::string& folder,
                       std::vector<std::int64_t>* acknowledged_before, std::vector<std::int64_t>* attempted_after) {
    BackupHooks hooks;
    const auto pause = std::chrono::milliseconds(LongTests() ? 300 : 60);
    hooks.after_first_database_chunk = [this, pause] {
      step_.fetch_add(1);
      std::this_thread::sleep_for(pause);
    };
    hooks.before_log_info = [this, pause, acknowledged_before] {
      std::this_thread::sleep_for(pause);
      step_.fetch_add(1);
      *acknowledged_before = Acknowledged();
    };
    hooks.after_log_info = [this, attempted_after] {
      *attempted_after = Attempted();
      step_.fetch_add(1);
    };
    BackupRun run;
    ASSERT_NO_FATAL_FAILURE(StreamBackupTo(instance_, incremental, truncate, folder, &run, hooks));
    std::cout << "  " << (incremental ? (truncate ? "incremental" : "differential") : "full") << ": generations "
              << run.generations.front() << ".." << run.generations.back() << "\n";
  }

  // Restores `set` with a fresh instance and checks the rows against the writers' histories.
  void RestoreAndVerify(const std::string& set, const std::vector<std::int64_t>& acknowledged_before,
                        const std::vector<std::int64_t>& attempted_after, const std::string& what) {
    const std::string paths = dir_.Sub("paths-" + what);
    const std::string dest = dir_.Sub("dest-" + what);
    JET_INSTANCE restorer = RestoreInstanceAt("r-" + what, paths);
    ASSERT_EQ(JET_errSuccess, Restore(restorer, set, dest.c_str())) << what;
    const Rows rows = InitAndReadRows(restorer, dest + "db.edb");
    EXPECT_EQ(JET_errSuccess, JetTerm(restorer));
    ASSERT_NO_FATAL_FAILURE(VerifyRows(rows, acknowledged_before, attempted_after, what));
  }

  // The checks of the file comment on `rows`.
  void VerifyRows(const Rows& rows, const std::vector<std::int64_t>& acknowledged_before,
                  const std::vector<std::int64_t>& attempted_after, const std::string& what) {
    std::size_t expected_rows = 0;
    for (std::size_t w = 0; w < writers_.size(); ++w) {
      const int writer_index = static_cast<int>(w);
      const Writer& writer = *writers_[w];
      // Counters: all present, all naming the same sequence, with its values.
      std::int64_t sequence = -2;
      for (int slot = 0; slot < kCounterRows; ++slot) {
        auto it = rows.find(CounterId(writer_index, slot));
        ASSERT_NE(rows.end(), it) << what << ": writer " << w << " counter " << slot << " missing";
        const std::int64_t named = CounterSequence(it->second);
        if (slot == 0) sequence = named;
        ASSERT_EQ(sequence, named) << what << ": writer " << w << " torn transaction: counter " << slot;
        ASSERT_EQ(CounterValue(seed_, writer_index, sequence, slot), it->second)
            << what << ": writer " << w << " counter " << slot;
      }
      ASSERT_GE(sequence, acknowledged_before[w])
          << what << ": writer " << w << " lost commits acknowledged before JetGetLogInfo";
      ASSERT_LE(sequence, attempted_after[w]) << what << ": writer " << w << " has a transaction never committed";
      if (sequence > 0) {
        ASSERT_LE(static_cast<std::size_t>(sequence), writer.rolled_back.size());
        ASSERT_FALSE(writer.rolled_back[static_cast<std::size_t>(sequence - 1)])
            << what << ": writer " << w << " holds rolled-back transaction " << sequence;
      }
      // Inserted rows: exactly the committed transactions up to `sequence`.
      for (std::int64_t s = 1; s <= static_cast<std::int64_t>(writer.rolled_back.size()); ++s) {
        const bool committed = s <= sequence && !writer.rolled_back[static_cast<std::size_t>(s - 1)];
        auto it = rows.find(RowId(writer_index, s));
        if (committed) {
          ASSERT_NE(rows.end(), it) << what << ": writer " << w << " transaction " << s
                                    << " is torn (counters name " << sequence << ", its row is missing)";
          ASSERT_EQ(InsertValue(seed_, writer_index, s), it->second) << what << ": writer " << w << " row " << s;
          ++expected_rows;
        } else {
          ASSERT_EQ(rows.end(), it) << what << ": writer " << w << " transaction " << s
                                    << (s > sequence ? " is after the counters' " + std::to_string(sequence)
                                                     : std::string(" was rolled back"));
        }
      }
      expected_rows += kCounterRows;
      std::cout << "  " << what << ": writer " << w << " restored through " << sequence << " (acknowledged before "
                << acknowledged_before[w] << ", attempted after " << attempted_after[w] << ")\n";
    }
    EXPECT_EQ(expected_rows, rows.size()) << what << ": rows that no writer committed";
  }

  std::vector<std::unique_ptr<Writer>> writers_;
  std::atomic<bool> stop_{false};
  std::atomic<int> step_{0};
  std::uint64_t seed_ = 0;
};

TEST_P(RestoreUnderLoadTest, RestoreUnderLoadChainsHoldEveryAcknowledgedCommitAndNothingTorn) {
  seed_ = GetParam();
  std::mt19937_64 random(seed_);
  const int writer_count = LongTests() ? 2 + static_cast<int>(random() % 3) : 2 + static_cast<int>(random() % 2);
  std::cout << "seed " << seed_ << " (rerun with ESENT_RESTORE_SEED=" << seed_ << "), " << writer_count
            << " writers\n";
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  // The counters, written by the test thread (sequence 0) before the writers start.
  for (int w = 0; w < writer_count; ++w) {
    for (int slot = 0; slot < kCounterRows; ++slot) {
      ASSERT_EQ(JET_errSuccess, InsertOn(sesid_, table_, CounterId(w, slot), CounterValue(seed_, w, 0, slot)));
    }
  }
  StartWriters(writer_count);
  std::this_thread::sleep_for(std::chrono::milliseconds(LongTests() ? 500 : 100));

  std::vector<std::int64_t> full_acknowledged, full_attempted;
  std::vector<std::int64_t> differential_acknowledged, differential_attempted;
  std::vector<std::int64_t> incremental_acknowledged, incremental_attempted;
  ASSERT_NO_FATAL_FAILURE(BackupUnderLoad(false, true, SetFolder("full"), &full_acknowledged, &full_attempted));
  std::this_thread::sleep_for(std::chrono::milliseconds(LongTests() ? 300 : 50));
  ASSERT_NO_FATAL_FAILURE(
      BackupUnderLoad(true, false, SetFolder("differential"), &differential_acknowledged, &differential_attempted));
  std::this_thread::sleep_for(std::chrono::milliseconds(LongTests() ? 300 : 50));
  ASSERT_NO_FATAL_FAILURE(
      BackupUnderLoad(true, true, SetFolder("incremental"), &incremental_acknowledged, &incremental_attempted));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  StopWriters();
  for (std::size_t w = 0; w < writers_.size(); ++w) {
    ASSERT_EQ(0, writers_[w]->failures.load()) << "writer " << w << ": " << writers_[w]->first_failure;
    int during_backups = 0;
    for (const auto& [sequence, step] : writers_[w]->acks) during_backups += step > 0 ? 1 : 0;
    std::cout << "  writer " << w << ": " << writers_[w]->acks.size() << " commits acknowledged ("
              << during_backups << " after the first backup began), "
              << writers_[w]->rolled_back.size() << " transactions\n";
    ASSERT_GT(full_acknowledged[w], 0) << "writer " << w << " committed nothing before the full backup";
  }
  // The same checks on the live database (every acknowledged commit, nothing else): they hold
  // for the source itself.
  Rows live;
  ASSERT_EQ(JET_errSuccess, restore_test::ReadTable(sesid_, dbid_, &live));
  ASSERT_NO_FATAL_FAILURE(VerifyRows(live, Acknowledged(), Attempted(), "live"));
  ASSERT_NO_FATAL_FAILURE(StopSource());

  ASSERT_NO_FATAL_FAILURE(RestoreAndVerify(SetFolder("full"), full_acknowledged, full_attempted, "full"));
  ASSERT_NO_FATAL_FAILURE(restore_test::CopyFolderFiles(SetFolder("full"), SetFolder("full+differential")));
  ASSERT_NO_FATAL_FAILURE(restore_test::CopyFolderFiles(SetFolder("differential"), SetFolder("full+differential")));
  ASSERT_NO_FATAL_FAILURE(RestoreAndVerify(SetFolder("full+differential"), differential_acknowledged,
                                           differential_attempted, "full+differential"));
  ASSERT_NO_FATAL_FAILURE(restore_test::CopyFolderFiles(SetFolder("full"), SetFolder("full+incremental")));
  ASSERT_NO_FATAL_FAILURE(restore_test::CopyFolderFiles(SetFolder("incremental"), SetFolder("full+incremental")));
  ASSERT_NO_FATAL_FAILURE(RestoreAndVerify(SetFolder("full+incremental"), incremental_acknowledged,
                                           incremental_attempted, "full+incremental"));
}

INSTANTIATE_TEST_SUITE_P(RestoreUnderLoad, RestoreUnderLoadTest, ::testing::ValuesIn(Seeds()));

}  // namespace
}  // namespace esent_test
