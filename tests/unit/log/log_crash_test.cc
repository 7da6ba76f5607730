// Durability of the log under simulated power loss (CrashFileSystem), against an oracle: every
// record whose flush_to() returned is read back after the crash, and what is read back is a
// prefix of what was appended. Seeded; each failure prints its seed. ESENT_LONG_TESTS=1 runs
// more seeds.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "io/crash_file_system.h"
#include "io/fault_file_system.h"
#include "io/memory_file_system.h"
#include "log/log_names.h"
#include "log/log_reader.h"
#include "log/log_writer.h"
#include "log_test_util.h"

namespace esent::log {
namespace {

using test_util::log_path;
using test_util::payload_for;
using test_util::read_log;
using test_util::small_config;

int seed_count(int normal) {
  const char* long_tests = std::getenv("ESENT_LONG_TESTS");
  return long_tests != nullptr && long_tests[0] == '1' ? normal * 20 : normal;
}

struct OracleRecord {
  std::uint64_t id = 0;
  std::size_t size = 0;
};

// Compares what was read with the oracle: a prefix of `history`, at least `acknowledged` long.
// Returns "" when it holds, else what is wrong.
std::string check_prefix(const test_util::ReadResult& result,
                         const std::vector<OracleRecord>& history, std::size_t acknowledged) {
  std::ostringstream error;
  if (!result.status.ok()) {
    error << "read failed: " << result.status.to_string();
    return error.str();
  }
  if (result.records.size() > history.size()) {
    error << "read " << result.records.size() << " records, only " << history.size()
          << " appended";
    return error.str();
  }
  for (std::size_t i = 0; i < result.records.size(); ++i) {
    if (result.records[i].payload != payload_for(history[i].id, history[i].size)) {
      error << "record " << i << " differs from the one appended";
      return error.str();
    }
  }
  if (result.records.size() < acknowledged) {
    error << "lost acknowledged records: read " << result.records.size() << ", acknowledged "
          << acknowledged;
  }
  return error.str();
}

// One seeded workload: rounds of appends, flushes and rolls, each ended by a crash, recovery
// (scan, read, resume) and the oracle check. Returns "" or the first failure.
std::string run_crash_workload(std::uint64_t seed, const io::CrashOptions& crash_options,
                               bool skip_sync) {
  std::mt19937_64 random(seed);
  auto fs = std::make_shared<io::CrashFileSystem>();
  LogConfig config = small_config();
  config.skip_sync_for_testing = skip_sync;
  std::vector<OracleRecord> history;
  std::size_t acknowledged = 0;
  std::uint64_t next_id = 0;
  std::unique_ptr<LogWriter> writer;
  {
    auto created = LogWriter::create(*fs, config, Lgpos{});
    if (!created.ok()) return "create: " + created.status().to_string();
    writer = std::move(*created);
  }
  for (int round = 0; round < 3; ++round) {
    std::vector<Lgpos> ends;
    const int operations = static_cast<int>(random() % 250);
    for (int op = 0; op < operations; ++op) {
      const std::uint64_t choice = random() % 100;
      if (choice < 70) {
        const std::size_t size = random() % 8 == 0 ? static_cast<std::size_t>(random() % 12000)
                                                   : static_cast<std::size_t>(random() % 300);
        auto appended = writer->append(3, payload_for(next_id, size));
        if (!appended.ok()) return "append: " + appended.status().to_string();
        history.push_back({next_id++, size});
        ends.push_back(appended->end);
      } else if (choice < 97) {
        if (ends.empty()) continue;
        const std::size_t index = static_cast<std::size_t>(random() % ends.size());
        Status flushed = writer->flush_to(ends[index]);
        if (!flushed.ok()) return "flush: " + flushed.to_string();
        const std::size_t before_round = history.size() - ends.size();
        acknowledged = std::max(acknowledged, before_round + index + 1);
      } else {
        Status rolled = writer->roll();
        if (!rolled.ok()) return "roll: " + rolled.to_string();
        acknowledged = history.size();
      }
    }
    io::CrashOptions options = crash_options;
    options.seed = seed * 31 + static_cast<std::uint64_t>(round);
    fs->crash(options);
    writer.reset();
    const auto result = read_log(*fs, config);
    std::string error = check_prefix(result, history, acknowledged);
    if (!error.empty()) return "round " + std::to_string(round) + ": " + error;
    history.resize(result.records.size());
    acknowledged = history.size();
    if (!result.end.has_value()) return "no end after a clean read";
    auto resumed = LogWriter::resume(*fs, config, *result.end);
    if (!resumed.ok()) return "resume: " + resumed.status().to_string();
    writer = std::move(*resumed);
  }
  return "";
}

TEST(LogCrashTest, EveryAcknowledgedRecordSurvivesAndNothingAfterAHole) {
  const std::vector<io::CrashOptions> variants = {
      io::CrashOptions{0, false, 0.0},
      io::CrashOptions{0, true, 0.0},
      io::CrashOptions{0, true, 0.5},
      io::CrashOptions{0, false, 1.0},
  };
  const int seeds = seed_count(40);
  std::printf("crash workload: seeds 1..%d, %zu crash variants\n", seeds, variants.size());
  for (std::size_t v = 0; v < variants.size(); ++v) {
    for (int seed = 1; seed <= seeds; ++seed) {
      const std::string error =
          run_crash_workload(static_cast<std::uint64_t>(seed), variants[v], false);
      EXPECT_EQ(error, "") << "seed " << seed << " variant " << v;
    }
  }
}

TEST(LogCrashTest, SkippingTheFsyncLosesAcknowledgedRecords) {
  // The same check must be able to fail: without fsync, acknowledged records are lost.
  int failures = 0;
  const int seeds = 10;
  for (int seed = 1; seed <= seeds; ++seed) {
    const std::string error =
        run_crash_workload(static_cast<std::uint64_t>(seed), io::CrashOptions{0, true, 0.0}, true);
    if (!error.empty()) ++failures;
  }
  std::printf("skip_sync: %d of %d seeds lost acknowledged records\n", failures, seeds);
  EXPECT_GT(failures, seeds / 2);
}

TEST(LogCrashTest, ConcurrentCommittersAgainstACrashAtARandomMoment) {
  const int seeds = seed_count(8);
  std::printf("concurrent crash: seeds 1..%d\n", seeds);
  for (int seed = 1; seed <= seeds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937_64 random(static_cast<std::uint64_t>(seed));
    auto fs = std::make_shared<io::CrashFileSystem>();
    // The writer goes through a gate that the power cut closes, so its threads cannot touch
    // the post-crash state.
    auto gate = std::make_shared<test_util::GateFileSystem>(fs);
    LogConfig config = small_config();
    auto created = LogWriter::create(*gate, config, Lgpos{});
    ASSERT_TRUE(created.ok());
    auto writer = std::move(*created);
    constexpr int kThreads = 4;
    struct Done {
      std::uint64_t id;
      std::size_t size;
      Lgpos start;
      bool acknowledged;
    };
    std::vector<std::vector<Done>> done(kThreads);
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (std::uint64_t i = 0; !stop.load(); ++i) {
          const std::uint64_t id = static_cast<std::uint64_t>(t) << 32 | i;
          const std::size_t size = static_cast<std::size_t>((id * 7919) % 700);
          auto appended = writer->append(static_cast<std::uint8_t>(t), payload_for(id, size));
          if (!appended.ok()) return;
          done[static_cast<std::size_t>(t)].push_back({id, size, appended->start, false});
          if (!writer->flush_to(appended->end).ok()) return;
          done[static_cast<std::size_t>(t)].back().acknowledged = true;
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200 + random() % 3000));
    gate->cut([&] { fs->crash(io::CrashOptions{static_cast<std::uint64_t>(seed), true, 0.3}); });
    stop = true;
    for (auto& thread : threads) thread.join();
    writer.reset();
    const auto result = read_log(*fs, config);
    ASSERT_TRUE(result.status.ok()) << result.status.to_string();
    // Every record read was appended, at the position append() reported; every acknowledged
    // record is read; and the records read are exactly those starting before the last one read.
    std::map<std::uint64_t, Done> by_start;
    for (const auto& list : done) {
      for (const Done& d : list) by_start[d.start.packed()] = d;
    }
    std::size_t acknowledged = 0;
    for (const auto& [start, d] : by_start) acknowledged += d.acknowledged ? 1 : 0;
    ASSERT_GE(result.records.size(), acknowledged);
    auto expected = by_start.begin();
    for (const auto& record : result.records) {
      ASSERT_NE(expected, by_start.end());
      EXPECT_EQ(record.start.packed(), expected->first);
      EXPECT_EQ(record.payload, payload_for(expected->second.id, expected->second.size));
      ++expected;
    }
    for (; expected != by_start.end(); ++expected) {
      EXPECT_FALSE(expected->second.acknowledged) << "acknowledged record lost";
    }
  }
}

TEST(LogCrashTest, IncompleteRecordAtTheEndIsAbandonedOnResume) {
  auto fs = std::make_shared<io::CrashFileSystem>();
  LogConfig config = small_config();
  auto created = LogWriter::create(*fs, config, Lgpos{});
  ASSERT_TRUE(created.ok());
  auto writer = std::move(*created);
  auto first = writer->append(1, payload_for(1, 100));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(writer->flush().ok());
  // Larger than the buffer: its first pieces are written (and synced) before it is complete.
  ASSERT_TRUE(writer->append(2, payload_for(2, 30 * 1024)).ok());
  EXPECT_GT(writer->durable_end(), first->end);
  fs->crash();
  writer.reset();
  auto result = read_log(*fs, config);
  ASSERT_TRUE(result.status.ok()) << result.status.to_string();
  ASSERT_EQ(result.records.size(), 1u);
  ASSERT_TRUE(result.end.has_value());
  EXPECT_EQ(result.end->end, first->end);
  EXPECT_GT(result.end->next_sector, first->end.sector + 1u);
  auto resumed = LogWriter::resume(*fs, config, *result.end);
  ASSERT_TRUE(resumed.ok()) << resumed.status().to_string();
  ASSERT_TRUE((*resumed)->append(3, payload_for(3, 50)).ok());
  ASSERT_TRUE((*resumed)->flush().ok());
  result = read_log(*fs, config);
  ASSERT_TRUE(result.status.ok()) << result.status.to_string();
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[0].type, 1);
  EXPECT_EQ(result.records[1].type, 3);
  EXPECT_EQ(result.records[1].payload, payload_for(3, 50));
}

TEST(LogCrashTest, CrashAtEachStepOfARoll) {
  using Operation = io::FaultFileSystem::Operation;
  const std::vector<Operation> operations = {Operation::kWrite, Operation::kSync,
                                             Operation::kRename, Operation::kSyncDirectory,
                                             Operation::kOpen};
  int stopped = 0;
  for (Operation operation : operations) {
    for (std::uint64_t nth = 1; nth <= 6; ++nth) {
      SCOPED_TRACE(std::string(io::operation_name(operation)) + " #" + std::to_string(nth));
      auto crash = std::make_shared<io::CrashFileSystem>();
      auto fault = std::make_shared<io::FaultFileSystem>(crash);
      LogConfig config = small_config();
      auto created = LogWriter::create(*fault, config, Lgpos{});
      ASSERT_TRUE(created.ok());
      auto writer = std::move(*created);
      std::size_t acknowledged = 0;
      std::vector<OracleRecord> history;
      for (std::uint64_t i = 0; i < 30; ++i) {
        ASSERT_TRUE(writer->append(1, payload_for(i, 200)).ok());
        history.push_back({i, 200});
      }
      ASSERT_TRUE(writer->flush().ok());
      acknowledged = history.size();
      for (std::uint64_t i = 30; i < 40; ++i) {
        ASSERT_TRUE(writer->append(1, payload_for(i, 200)).ok());
        history.push_back({i, 200});
      }
      fault->fail_at(operation, nth, io::FaultFileSystem::Fault::kIoError);
      Status rolled = writer->roll();
      if (rolled.ok()) {
        acknowledged = history.size();
      } else {
        ++stopped;
      }
      fault->clear_faults();
      crash->crash(io::CrashOptions{nth, true, 0.5});
      writer.reset();
      auto result = read_log(*crash, config);
      const std::string error = check_prefix(result, history, acknowledged);
      ASSERT_EQ(error, "");
      history.resize(result.records.size());
      ASSERT_TRUE(result.end.has_value());
      auto resumed = LogWriter::resume(*crash, config, *result.end);
      ASSERT_TRUE(resumed.ok()) << resumed.status().to_string();
      for (std::uint64_t i = 100; i < 140; ++i) {
        ASSERT_TRUE((*resumed)->append(2, payload_for(i, 900)).ok());
        history.push_back({i, 900});
      }
      ASSERT_TRUE((*resumed)->roll().ok());
      ASSERT_TRUE((*resumed)->flush().ok());
      result = read_log(*crash, config);
      EXPECT_EQ(check_prefix(result, history, history.size()), "");
    }
  }
  EXPECT_GT(stopped, 10);  // most injected faults really interrupted the roll
}

TEST(LogCrashTest, CorruptedSectorInTheMiddleIsAnErrorNotData) {
  io::MemoryFileSystem fs;
  LogConfig config = small_config();
  auto created = LogWriter::create(fs, config, Lgpos{});
  ASSERT_TRUE(created.ok());
  auto& writer = **created;
  std::vector<Appended> positions;
  for (std::uint64_t i = 0; i < 300; ++i) {
    auto appended = writer.append(1, payload_for(i, 300));
    ASSERT_TRUE(appended.ok());
    positions.push_back(*appended);
  }
  ASSERT_TRUE(writer.flush().ok());
  ASSERT_GE(writer.current_generation(), 2u);
  // A sector of generation 1 (not the last): the records before it are returned, then the
  // error, never a record after it.
  const std::string gen1 = log_path(config, "edb00001.log");
  auto sector = test_util::read_sector(fs, gen1, 40);
  auto corrupted = sector;
  corrupted[250] ^= std::byte{0x10};
  test_util::write_sector(fs, gen1, 40, corrupted);
  auto result = read_log(fs, config);
  EXPECT_EQ(result.status.error(), Error::kLogReadVerifyFailure);
  ASSERT_FALSE(result.records.empty());
  EXPECT_LE(result.records.back().end.sector, 40u);
  EXPECT_EQ(result.records.back().end.generation, 1u);
  EXPECT_EQ(verify_file(fs, gen1, config.file_size_bytes, 1).error(),
            Error::kLogReadVerifyFailure);
  test_util::write_sector(fs, gen1, 40, sector);
  ASSERT_TRUE(read_log(fs, config).status.ok());
  // In the last generation, a bad sector followed by valid ones is corruption too.
  const std::string current = log_path(config, "edb.log");
  const std::uint32_t last_sector = writer.end().sector;
  ASSERT_GT(last_sector, 10u);
  sector = test_util::read_sector(fs, current, 9);
  corrupted = sector;
  corrupted[100] ^= std::byte{0x01};
  test_util::write_sector(fs, current, 9, corrupted);
  result = read_log(fs, config);
  EXPECT_EQ(result.status.error(), Error::kLogReadVerifyFailure);
  EXPECT_EQ(verify_file(fs, current, config.file_size_bytes).error(),
            Error::kLogReadVerifyFailure);
  // The same bad sector as the last one written is simply the end of the log.
  test_util::write_sector(fs, current, 9, sector);
  sector = test_util::read_sector(fs, current, last_sector);
  corrupted = sector;
  corrupted[100] ^= std::byte{0x01};
  test_util::write_sector(fs, current, last_sector, corrupted);
  result = read_log(fs, config);
  ASSERT_TRUE(result.status.ok()) << result.status.to_string();
  ASSERT_TRUE(result.end.has_value());
  EXPECT_EQ(result.end->next_sector, last_sector);
  EXPECT_LT(result.records.size(), positions.size());
  EXPECT_TRUE(verify_file(fs, current, config.file_size_bytes).ok());
}

TEST(LogCrashTest, RecordLengthBeyondTheFormatMaximumIsCorrupt) {
  io::MemoryFileSystem fs;
  LogConfig config = small_config();
  auto created = LogWriter::create(fs, config, Lgpos{});
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE((*created)->append(1, payload_for(1, 10)).ok());
  ASSERT_TRUE((*created)->flush().ok());
  // Rewrite sector 8 with a valid checksum around a nonsense length.
  const std::string current = log_path(config, "edb.log");
  auto sector = test_util::read_sector(fs, current, 8);
  store_u32(sector.data() + kSectorHeaderBytes, 0x7FFFFFF0u);
  seal_sector(sector, 1, 8, 15, 0);
  test_util::write_sector(fs, current, 8, sector);
  auto result = read_log(fs, config);
  EXPECT_EQ(result.status.error(), Error::kLogFileCorrupt);
  EXPECT_TRUE(result.records.empty());
}

TEST(LogCrashTest, RandomCorruptionNeverYieldsAWrongRecord) {
  // Whatever bytes are damaged, the reader returns records equal to the ones written, in order
  // (a prefix), then the end or an error: never a record that did not verify.
  const int seeds = seed_count(30);
  std::printf("random corruption: seeds 1..%d\n", seeds);
  for (int seed = 1; seed <= seeds; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937_64 random(static_cast<std::uint64_t>(seed));
    io::MemoryFileSystem fs;
    LogConfig config = small_config();
    auto created = LogWriter::create(fs, config, Lgpos{});
    ASSERT_TRUE(created.ok());
    std::vector<OracleRecord> history;
    for (std::uint64_t i = 0; i < 200; ++i) {
      const std::size_t size = static_cast<std::size_t>(random() % 900);
      ASSERT_TRUE((*created)->append(1, payload_for(i, size)).ok());
      history.push_back({i, size});
      if (random() % 4 == 0) {
        ASSERT_TRUE((*created)->flush().ok());
      }
    }
    ASSERT_TRUE((*created)->flush().ok());
    const std::uint32_t generations = (*created)->current_generation();
    created->reset();
    const int flips = 1 + static_cast<int>(random() % 4);
    for (int f = 0; f < flips; ++f) {
      const std::uint32_t generation = 1 + static_cast<std::uint32_t>(random() % generations);
      const std::string path =
          generation == generations ? log_path(config, "edb.log")
                                    : log_path(config, archived_log_name(config.naming, generation));
      const std::uint32_t sector = 8 + static_cast<std::uint32_t>(random() % 120);
      auto bytes = test_util::read_sector(fs, path, sector);
      bytes[random() % kSectorBytes] ^= static_cast<std::byte>(1u << (random() % 8));
      test_util::write_sector(fs, path, sector, bytes);
    }
    const auto result = read_log(fs, config);
    ASSERT_LE(result.records.size(), history.size());
    for (std::size_t i = 0; i < result.records.size(); ++i) {
      ASSERT_EQ(result.records[i].payload, payload_for(history[i].id, history[i].size)) << i;
    }
  }
}

}  // namespace
}  // namespace esent::log
