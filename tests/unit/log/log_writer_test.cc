// The log writer and reader together: round trips, set errors, group commit, rolls, truncation,
// circular reuse, reserve logs and sticky failure.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <random>
#include <thread>

#include "io/fault_file_system.h"
#include "io/memory_file_system.h"
#include "log/log_names.h"
#include "log/log_reader.h"
#include "log/log_writer.h"
#include "log_test_util.h"

namespace esent::log {
namespace {

using io::FaultFileSystem;
using test_util::log_path;
using test_util::payload_for;
using test_util::read_log;
using test_util::small_config;

io::FaultOptions path_only(const std::string& substring) {
  io::FaultOptions options;
  options.path_substring = substring;
  return options;
}

io::FaultOptions sticky_path(const std::string& substring) {
  io::FaultOptions options = path_only(substring);
  options.sticky = true;
  return options;
}

class LogWriterTest : public ::testing::Test {
 protected:
  std::unique_ptr<LogWriter> create_writer(const LogConfig& config) {
    auto writer = LogWriter::create(fs_, config, Lgpos{});
    EXPECT_TRUE(writer.ok()) << writer.status().to_string();
    return writer.ok() ? std::move(*writer) : nullptr;
  }

  io::MemoryFileSystem fs_;
  LogConfig config_ = small_config();
};

TEST_F(LogWriterTest, CreateMakesGenerationOneReservesAndTemporary) {
  auto writer = create_writer(config_);
  ASSERT_NE(writer, nullptr);
  EXPECT_EQ(writer->current_generation(), 1u);
  EXPECT_EQ(writer->oldest_generation(), 1u);
  for (const char* name : {"edb.log", "edbtmp.log", "edbres00001.jrs", "edbres00002.jrs"}) {
    auto size = fs_.file_size(log_path(config_, name));
    ASSERT_TRUE(size.ok()) << name;
    EXPECT_EQ(*size, config_.file_size_bytes) << name;
  }
  auto set = scan(fs_, config_);
  ASSERT_TRUE(set.ok()) << set.status().to_string();
  ASSERT_EQ(set->files.size(), 1u);
  EXPECT_TRUE(set->has_current);
  EXPECT_EQ(set->files[0].header.generation, 1u);
  EXPECT_TRUE(set->files[0].header.previous_created.is_null());
  EXPECT_EQ(set->signature, writer->signature());
  EXPECT_EQ(LogWriter::create(fs_, config_, Lgpos{}).status().error(),
            Error::kFileAlreadyExists);
}

TEST_F(LogWriterTest, RoundTripAcrossSectorsFilesAndGenerations) {
  auto writer = create_writer(config_);
  ASSERT_NE(writer, nullptr);
  std::mt19937_64 random(7);
  std::vector<Appended> positions;
  std::vector<std::size_t> sizes;
  for (std::uint64_t i = 0; i < 1500; ++i) {
    const std::size_t size = static_cast<std::size_t>(random() % 1200);
    auto appended = writer->append(static_cast<std::uint8_t>(i), payload_for(i, size));
    ASSERT_TRUE(appended.ok()) << appended.status().to_string();
    EXPECT_LT(appended->start, appended->end);
    if (!positions.empty()) {
      EXPECT_LE(positions.back().end, appended->start);
    }
    positions.push_back(*appended);
    sizes.push_back(size);
    if (random() % 5 == 0) {
      ASSERT_TRUE(writer->flush_to(appended->end).ok());
    }
  }
  ASSERT_TRUE(writer->flush().ok());
  EXPECT_EQ(writer->durable_end(), writer->end());
  EXPECT_GT(writer->current_generation(), 5u);
  EXPECT_GT(writer->statistics().rolls, 4u);
  auto result = read_log(fs_, config_);
  ASSERT_TRUE(result.status.ok()) << result.status.to_string();
  ASSERT_EQ(result.records.size(), positions.size());
  for (std::size_t i = 0; i < positions.size(); ++i) {
    EXPECT_EQ(result.records[i].type, static_cast<std::uint8_t>(i));
    EXPECT_EQ(result.records[i].start, positions[i].start) << i;
    EXPECT_EQ(result.records[i].end, positions[i].end) << i;
    EXPECT_EQ(result.records[i].payload, payload_for(i, sizes[i])) << i;
  }
  ASSERT_TRUE(result.end.has_value());
  EXPECT_EQ(result.end->end, positions.back().end);
  EXPECT_EQ(result.end->file.generation, writer->current_generation());
  // Reading from a record in the middle returns the rest.
  auto from_middle = read_log(fs_, config_, positions[700].start);
  ASSERT_TRUE(from_middle.status.ok()) << from_middle.status.to_string();
  ASSERT_EQ(from_middle.records.size(), positions.size() - 700);
  EXPECT_EQ(from_middle.records[0].payload, payload_for(700, sizes[700]));
  for (const LogFileEntry& file : result.set.files) {
    EXPECT_TRUE(verify_file(fs_, file.path, config_.file_size_bytes, file.generation).ok());
  }
}

TEST_F(LogWriterTest, RecordsLargerThanTheBufferAndThanAFile) {
  auto writer = create_writer(config_);
  ASSERT_NE(writer, nullptr);
  const std::vector<std::size_t> sizes = {10, 20 * 1024, 3, 200 * 1024, 0, 70 * 1024};
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    ASSERT_TRUE(writer->append(9, payload_for(i, sizes[i])).ok());
  }
  ASSERT_TRUE(writer->flush().ok());
  EXPECT_GE(writer->current_generation(), 6u);
  auto result = read_log(fs_, config_);
  ASSERT_TRUE(result.status.ok()) << result.status.to_string();
  ASSERT_EQ(result.records.size(), sizes.size());
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    EXPECT_EQ(result.records[i].payload, payload_for(i, sizes[i])) << i;
  }
}

TEST_F(LogWriterTest, FlushSealsTheSectorAndNeverRewritesIt) {
  auto writer = create_writer(config_);
  ASSERT_NE(writer, nullptr);
  auto first = writer->append(1, payload_for(1, 10));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->start, (Lgpos{1, 8, 20}));
  EXPECT_EQ(first->end, (Lgpos{1, 8, 35}));
  ASSERT_TRUE(writer->flush_to(first->end).ok());
  EXPECT_EQ(writer->durable_end(), first->end);
  const auto sealed = test_util::read_sector(fs_, log_path(config_, "edb.log"), 8);
  auto second = writer->append(2, payload_for(2, 10));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->start, (Lgpos{1, 9, 20}));
  ASSERT_TRUE(writer->flush().ok());
  EXPECT_EQ(test_util::read_sector(fs_, log_path(config_, "edb.log"), 8), sealed);
  const auto stats = writer->statistics();
  EXPECT_EQ(stats.records, 2u);
  EXPECT_EQ(stats.bytes_appended, 30u);
}

TEST_F(LogWriterTest, ScanErrors) {
  {
    auto writer = create_writer(config_);
    ASSERT_NE(writer, nullptr);
    for (int i = 0; i < 4; ++i) {
      ASSERT_TRUE(writer->append(1, payload_for(static_cast<std::uint64_t>(i), 100)).ok());
      ASSERT_TRUE(writer->roll().ok());
    }
  }
  ASSERT_TRUE(scan(fs_, config_).ok());
  const std::string gen2 = log_path(config_, "edb00002.log");
  const std::string gen3 = log_path(config_, "edb00003.log");
  // Header generation ≠ name.
  ASSERT_TRUE(fs_.rename(gen2, log_path(config_, "edb00009.log")).ok());
  EXPECT_EQ(scan(fs_, config_).status().error(), Error::kLogGenerationMismatch);
  // A gap in the middle.
  ASSERT_TRUE(fs_.rename(log_path(config_, "edb00009.log"), log_path(config_, "x")).ok());
  EXPECT_EQ(scan(fs_, config_).status().error(), Error::kMissingLogFile);
  ASSERT_TRUE(fs_.rename(log_path(config_, "x"), gen2).ok());
  ASSERT_TRUE(scan(fs_, config_).ok());
  // Wrong size.
  LogConfig bigger = config_;
  bigger.file_size_bytes = 128 * 1024;
  EXPECT_EQ(scan(fs_, bigger).status().error(), Error::kLogFileSizeMismatch);
  // 5-digit names found in 8-digit mode.
  LogConfig eight = config_;
  eight.naming.legacy_bits = kEse98FileNamesBit;
  EXPECT_EQ(scan(fs_, eight).status().error(), Error::kLogGenerationMismatch);
  // A broken header.
  auto header = test_util::read_sector(fs_, gen3, 0);
  auto broken = header;
  broken[200] ^= std::byte{1};
  test_util::write_sector(fs_, gen3, 0, broken);
  EXPECT_EQ(scan(fs_, config_).status().error(), Error::kLogFileCorrupt);
  // Previous creation time that does not match: re-encode a valid header.
  std::vector<std::byte> whole(kHeaderBytes);
  {
    auto file = fs_.open_file(gen3, io::OpenOptions{});
    ASSERT_TRUE(file.ok());
    test_util::write_sector(fs_, gen3, 0, header);
    ASSERT_TRUE((*file)->read_at(0, whole).ok());
  }
  auto decoded = decode_header(whole);
  ASSERT_TRUE(decoded.ok());
  LogHeader changed = *decoded;
  changed.previous_created.bytes[0] ^= 1;
  encode_header(changed, whole);
  {
    auto file = fs_.open_file(gen3, io::OpenOptions{.write = true});
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->write_at(0, whole).ok());
  }
  EXPECT_EQ(scan(fs_, config_).status().error(), Error::kInvalidLogSequence);
  // Another sequence's signature.
  changed = *decoded;
  changed.signature = Signature::generate();
  encode_header(changed, whole);
  {
    auto file = fs_.open_file(gen3, io::OpenOptions{.write = true});
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->write_at(0, whole).ok());
  }
  EXPECT_EQ(scan(fs_, config_).status().error(), Error::kBadLogSignature);
}

TEST_F(LogWriterTest, GroupCommitSharesFsyncs) {
  auto fault = std::make_shared<FaultFileSystem>(
      std::make_shared<test_util::GateFileSystem>(std::make_shared<io::MemoryFileSystem>(),
                                                 std::chrono::milliseconds(1)));
  LogConfig config = config_;
  config.file_size_bytes = 1024 * 1024;
  config.buffer_bytes = 64 * kSectorBytes;
  auto created = LogWriter::create(*fault, config, Lgpos{});
  ASSERT_TRUE(created.ok());
  auto& writer = **created;
  fault->reset_counts();
  const std::uint64_t syncs_before = writer.statistics().syncs;
  constexpr int kThreads = 8;
  constexpr int kCommits = 60;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCommits; ++i) {
        auto appended = writer.append(static_cast<std::uint8_t>(t),
                                      payload_for(static_cast<std::uint64_t>(t * 1000 + i), 40));
        if (!appended.ok() || !writer.flush_to(appended->end).ok()) {
          failures.fetch_add(1);
          continue;
        }
        if (writer.durable_end() < appended->end) failures.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  const std::uint64_t syncs = writer.statistics().syncs - syncs_before;
  const std::uint64_t fs_syncs = fault->count(FaultFileSystem::Operation::kSync);
  std::printf("group commit: %d commits, %llu log fsyncs, %llu file-system fsyncs\n",
              kThreads * kCommits, static_cast<unsigned long long>(syncs),
              static_cast<unsigned long long>(fs_syncs));
  EXPECT_EQ(syncs, fs_syncs);
  EXPECT_LT(fs_syncs, static_cast<std::uint64_t>(kThreads * kCommits) / 2);
  auto result = read_log(*fault, config);
  ASSERT_TRUE(result.status.ok()) << result.status.to_string();
  EXPECT_EQ(result.records.size(), static_cast<std::size_t>(kThreads * kCommits));
}

TEST_F(LogWriterTest, RollStartsANewGenerationAndArchivesTheOld) {
  auto writer = create_writer(config_);
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->append(1, payload_for(1, 50)).ok());
  writer->set_checkpoint(Lgpos{1, 8, 20});
  ASSERT_TRUE(writer->roll().ok());
  EXPECT_EQ(writer->current_generation(), 2u);
  EXPECT_EQ(writer->durable_end(), writer->end());
  auto exists = fs_.file_exists(log_path(config_, "edb00001.log"));
  ASSERT_TRUE(exists.ok());
  EXPECT_TRUE(*exists);
  auto next = writer->append(2, payload_for(2, 50));
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->start, (Lgpos{2, 8, 20}));
  // roll() with nothing appended since still makes a new generation.
  ASSERT_TRUE(writer->flush().ok());
  ASSERT_TRUE(writer->roll().ok());
  ASSERT_TRUE(writer->roll().ok());
  EXPECT_EQ(writer->current_generation(), 4u);
  auto result = read_log(fs_, config_);
  ASSERT_TRUE(result.status.ok()) << result.status.to_string();
  ASSERT_EQ(result.records.size(), 2u);
  ASSERT_EQ(result.set.files.size(), 4u);
  EXPECT_EQ(result.set.files[1].header.checkpoint, (Lgpos{1, 8, 20}));
  EXPECT_EQ(result.set.files[1].header.previous_created, result.set.files[0].header.created);
  EXPECT_EQ(result.set.files[1].header.previous_end_sector, 9u);
}

TEST_F(LogWriterTest, RemoveGenerationsBelow) {
  auto writer = create_writer(config_);
  ASSERT_NE(writer, nullptr);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(writer->append(1, payload_for(static_cast<std::uint64_t>(i), 10)).ok());
    ASSERT_TRUE(writer->roll().ok());
  }
  EXPECT_EQ(writer->current_generation(), 6u);
  ASSERT_TRUE(writer->remove_generations_below(3).ok());
  EXPECT_EQ(writer->oldest_generation(), 3u);
  auto result = read_log(fs_, config_);
  ASSERT_TRUE(result.status.ok()) << result.status.to_string();
  EXPECT_EQ(result.set.files.front().generation, 3u);
  EXPECT_EQ(result.records.size(), 3u);
  auto set = scan(fs_, config_);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(LogReader::open(fs_, *set, Lgpos{1, 8, 20}).status().error(),
            Error::kMissingLogFile);
  // Never the current generation.
  ASSERT_TRUE(writer->remove_generations_below(100).ok());
  EXPECT_EQ(writer->oldest_generation(), 6u);
  result = read_log(fs_, config_);
  ASSERT_TRUE(result.status.ok());
  ASSERT_EQ(result.set.files.size(), 1u);
  EXPECT_TRUE(result.set.has_current);
}

TEST_F(LogWriterTest, CircularLoggingRecyclesAnOldLogAndIgnoresItsStaleSectors) {
  LogConfig config = config_;
  config.circular = true;
  auto writer = create_writer(config);
  ASSERT_NE(writer, nullptr);
  // Fill generation 1 completely so that its file is full of valid generation-1 sectors.
  std::uint64_t index = 0;
  while (writer->current_generation() < 3) {
    ASSERT_TRUE(writer->append(1, payload_for(index, 400)).ok());
    ++index;
  }
  ASSERT_TRUE(writer->flush().ok());
  ASSERT_TRUE(writer->remove_generations_below(3).ok());
  EXPECT_EQ(writer->oldest_generation(), 2u);  // kept as the next file to recycle
  const auto created = writer->statistics().files_created;
  ASSERT_TRUE(writer->roll().ok());  // prepares the next edbtmp.log from generation 2's file
  EXPECT_EQ(writer->statistics().files_created, created);
  EXPECT_EQ(writer->oldest_generation(), 3u);
  auto tmp = fs_.file_exists(log_path(config, "edb00002.log"));
  ASSERT_TRUE(tmp.ok());
  EXPECT_FALSE(*tmp);
  // The recycled file becomes generation 5 with one small record; its stale sectors from
  // generation 2 must not be read as data.
  auto last = writer->append(7, payload_for(999, 30));
  ASSERT_TRUE(last.ok());
  ASSERT_TRUE(writer->roll().ok());
  ASSERT_TRUE(writer->append(8, payload_for(1000, 30)).ok());
  ASSERT_TRUE(writer->flush().ok());
  EXPECT_EQ(writer->current_generation(), 5u);
  auto result = read_log(fs_, config, Lgpos{4, 8, 20});
  ASSERT_TRUE(result.status.ok()) << result.status.to_string();
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[0].type, 7);
  EXPECT_EQ(result.records[1].type, 8);
  ASSERT_TRUE(result.end.has_value());
  EXPECT_EQ(result.end->next_sector, 9u);
  EXPECT_TRUE(verify_file(fs_, log_path(config, "edb.log"), config.file_size_bytes, 5).ok());
}

// A roll makes the next edbtmp.log after it has handed the stream to the new generation: while
// that file is being zero-filled (held here at its first write), other threads append and make
// their records durable in the new generation.
TEST_F(LogWriterTest, CommitsGoOnWhileARollPreparesTheNextFile) {
  auto fault = std::make_shared<FaultFileSystem>(std::make_shared<io::MemoryFileSystem>());
  auto created = LogWriter::create(*fault, config_, Lgpos{});
  ASSERT_TRUE(created.ok());
  auto& writer = **created;
  ASSERT_TRUE(writer.append(1, payload_for(1, 100)).ok());

  std::mutex mutex;
  std::condition_variable changed;
  int temporary_writes = 0;
  bool held = false;
  bool released = false;
  // The roll's first write to edbtmp.log is the new generation's header; the second is the
  // zero-fill of the next file: hold that one.
  fault->set_call_observer([&](FaultFileSystem::Operation operation, const std::string& path) {
    if (operation != FaultFileSystem::Operation::kWrite ||
        path.find("edbtmp") == std::string::npos) {
      return;
    }
    std::unique_lock lock(mutex);
    if (++temporary_writes != 2) return;
    held = true;
    changed.notify_all();
    changed.wait(lock, [&] { return released; });
  });
  auto release = [&] {
    std::lock_guard lock(mutex);
    released = true;
    changed.notify_all();
  };

  std::thread roller([&] { EXPECT_TRUE(writer.roll().ok()); });
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, std::chrono::seconds(10), [&] { return held; }))
        << "the roll never prepared a next file";
  }
  EXPECT_EQ(writer.current_generation(), 2u);
  auto commit = std::async(std::launch::async, [&]() -> Status {
    auto appended = writer.append(2, payload_for(2, 100));
    if (!appended.ok()) return appended.status();
    return writer.flush_to(appended->end);
  });
  const bool committed = commit.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
  release();
  roller.join();
  fault->set_call_observer({});
  ASSERT_TRUE(committed) << "a commit waited for the next log file to be prepared";
  EXPECT_TRUE(commit.get().ok());
  EXPECT_EQ(writer.durable_end().generation, 2u);
  auto exists = fault->file_exists(log_path(config_, "edbtmp.log"));
  ASSERT_TRUE(exists.ok());
  EXPECT_TRUE(*exists) << "the next file is ready once the roll returned";
}

TEST_F(LogWriterTest, ReserveLogsAllowEssentialRecordsWhenTheDiskIsFull) {
  auto fault = std::make_shared<FaultFileSystem>(std::make_shared<io::MemoryFileSystem>());
  auto created = LogWriter::create(*fault, config_, Lgpos{});
  ASSERT_TRUE(created.ok());
  auto& writer = **created;
  ASSERT_TRUE(writer.append(1, payload_for(1, 10)).ok());
  // The roll consumes the prepared edbtmp.log; preparing the next one finds no space.
  fault->fail_at(FaultFileSystem::Operation::kWrite, 2, FaultFileSystem::Fault::kNoSpace,
                 path_only("edbtmp"));
  ASSERT_TRUE(writer.roll().ok());
  EXPECT_TRUE(writer.disk_full_mode());
  auto reserve = fault->file_exists(log_path(config_, "edbres00001.jrs"));
  ASSERT_TRUE(reserve.ok());
  EXPECT_FALSE(*reserve);
  EXPECT_EQ(writer.append(2, payload_for(2, 10)).status().error(), Error::kLogDiskFull);
  auto essential = writer.append(3, payload_for(3, 10), /*essential=*/true);
  ASSERT_TRUE(essential.ok());
  ASSERT_TRUE(writer.flush_to(essential->end).ok());
  // The reserve log carries the next generation; preparing the one after finds no space
  // again and takes the second reserve.
  fault->fail_at(FaultFileSystem::Operation::kWrite, 2, FaultFileSystem::Fault::kNoSpace,
                 path_only("edbtmp"));
  ASSERT_TRUE(writer.roll().ok());
  EXPECT_EQ(writer.current_generation(), 3u);
  fault->fail_at(FaultFileSystem::Operation::kWrite, 2, FaultFileSystem::Fault::kNoSpace,
                 path_only("edbtmp"));
  ASSERT_TRUE(writer.roll().ok());  // reserve 2 becomes generation 4; no reserve is left
  EXPECT_EQ(writer.current_generation(), 4u);
  ASSERT_TRUE(writer.append(4, payload_for(4, 10), true).ok());
  // The next roll has no file to roll into.
  fault->fail_at(FaultFileSystem::Operation::kWrite, 1, FaultFileSystem::Fault::kNoSpace,
                 sticky_path("edbtmp"));
  EXPECT_EQ(writer.roll().error(), Error::kLogDiskFull);
  EXPECT_EQ(writer.append(5, payload_for(5, 10), true).status().error(), Error::kLogDiskFull);
  fault->clear_faults();
  auto result = read_log(*fault, config_);
  ASSERT_TRUE(result.status.ok()) << result.status.to_string();
  ASSERT_EQ(result.records.size(), 3u);
  EXPECT_EQ(result.records[1].type, 3);
  EXPECT_EQ(result.records[2].type, 4);
}

struct FailureCase {
  FaultFileSystem::Operation operation;
  FaultFileSystem::Fault fault;
  Error expected;
};

TEST_F(LogWriterTest, WriteAndFsyncFailuresAreStickyForever) {
  const std::vector<FailureCase> cases = {
      {FaultFileSystem::Operation::kWrite, FaultFileSystem::Fault::kIoError, Error::kLogWriteFail},
      {FaultFileSystem::Operation::kSync, FaultFileSystem::Fault::kIoError, Error::kLogWriteFail},
      {FaultFileSystem::Operation::kWrite, FaultFileSystem::Fault::kNoSpace, Error::kLogDiskFull},
      {FaultFileSystem::Operation::kWrite, FaultFileSystem::Fault::kShortWrite,
       Error::kLogDiskFull},
  };
  for (const FailureCase& c : cases) {
    SCOPED_TRACE(io::operation_name(c.operation));
    auto fault = std::make_shared<FaultFileSystem>(std::make_shared<io::MemoryFileSystem>());
    auto created = LogWriter::create(*fault, config_, Lgpos{});
    ASSERT_TRUE(created.ok());
    auto& writer = **created;
    auto first = writer.append(1, payload_for(1, 10));
    ASSERT_TRUE(first.ok());
    ASSERT_TRUE(writer.flush().ok());
    auto second = writer.append(2, payload_for(2, 10));
    ASSERT_TRUE(second.ok());
    fault->fail_at(c.operation, 1, c.fault, path_only("edb.log"));
    Status flushed = writer.flush_to(second->end);
    EXPECT_EQ(flushed.error(), c.expected);
    EXPECT_FALSE(flushed.detail().empty());
    EXPECT_LT(writer.durable_end(), second->end);
    EXPECT_EQ(writer.durable_end(), first->end);
    fault->clear_faults();
    // Never retried, never reported durable.
    EXPECT_EQ(writer.flush().error(), c.expected);
    EXPECT_EQ(writer.append(3, payload_for(3, 10)).status().error(), c.expected);
    EXPECT_EQ(writer.roll().error(), c.expected);
    EXPECT_EQ(writer.durable_end(), first->end);
  }
}

TEST_F(LogWriterTest, ResumeContinuesAfterTheLastRecord) {
  {
    auto writer = create_writer(config_);
    ASSERT_NE(writer, nullptr);
    for (std::uint64_t i = 0; i < 100; ++i) ASSERT_TRUE(writer->append(1, payload_for(i, 300)).ok());
    ASSERT_TRUE(writer->flush().ok());
  }
  auto first = read_log(fs_, config_);
  ASSERT_TRUE(first.status.ok());
  ASSERT_TRUE(first.end.has_value());
  auto resumed = LogWriter::resume(fs_, config_, *first.end);
  ASSERT_TRUE(resumed.ok()) << resumed.status().to_string();
  EXPECT_EQ((*resumed)->end(), first.end->end);
  EXPECT_EQ((*resumed)->signature(), first.set.signature);
  for (std::uint64_t i = 100; i < 200; ++i) {
    ASSERT_TRUE((*resumed)->append(2, payload_for(i, 300)).ok());
  }
  ASSERT_TRUE((*resumed)->flush().ok());
  auto second = read_log(fs_, config_);
  ASSERT_TRUE(second.status.ok()) << second.status.to_string();
  ASSERT_EQ(second.records.size(), 200u);
  for (std::uint64_t i = 0; i < 200; ++i) {
    EXPECT_EQ(second.records[i].payload, payload_for(i, 300)) << i;
  }
}

TEST_F(LogWriterTest, ResumeFinishesARollThatACrashInterrupted) {
  {
    auto writer = create_writer(config_);
    ASSERT_NE(writer, nullptr);
    ASSERT_TRUE(writer->append(1, payload_for(1, 700)).ok());
    ASSERT_TRUE(writer->flush().ok());
  }
  // The state a crash after step 3 of a roll leaves: edb.log archived, no edb.log yet, and
  // edbtmp.log holding the next header (or not): the reader ignores edbtmp.log.
  ASSERT_TRUE(fs_.rename(log_path(config_, "edb.log"), log_path(config_, "edb00001.log")).ok());
  auto result = read_log(fs_, config_);
  ASSERT_TRUE(result.status.ok()) << result.status.to_string();
  EXPECT_FALSE(result.set.has_current);
  ASSERT_EQ(result.records.size(), 1u);
  ASSERT_TRUE(result.end.has_value());
  EXPECT_FALSE(result.end->file.current);
  auto resumed = LogWriter::resume(fs_, config_, *result.end);
  ASSERT_TRUE(resumed.ok()) << resumed.status().to_string();
  EXPECT_EQ((*resumed)->current_generation(), 2u);
  auto appended = (*resumed)->append(2, payload_for(2, 40));
  ASSERT_TRUE(appended.ok());
  EXPECT_EQ(appended->start, (Lgpos{2, 8, 20}));
  ASSERT_TRUE((*resumed)->flush().ok());
  result = read_log(fs_, config_);
  ASSERT_TRUE(result.status.ok()) << result.status.to_string();
  EXPECT_TRUE(result.set.has_current);
  ASSERT_EQ(result.records.size(), 2u);
  EXPECT_EQ(result.records[1].payload, payload_for(2, 40));
  EXPECT_EQ(result.set.files[1].header.previous_end_sector, 10u);
}

TEST_F(LogWriterTest, ReaderRejectsStartPositionsOutsideTheData) {
  auto writer = create_writer(config_);
  ASSERT_NE(writer, nullptr);
  auto appended = writer->append(1, payload_for(1, 30));
  ASSERT_TRUE(appended.ok());
  ASSERT_TRUE(writer->flush().ok());
  auto set = scan(fs_, config_);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(LogReader::open(fs_, *set, Lgpos{1, 3, 20}).status().error(), Error::kLogFileCorrupt);
  EXPECT_EQ(LogReader::open(fs_, *set, Lgpos{1, 8, 200}).status().error(),
            Error::kLogFileCorrupt);
  EXPECT_EQ(LogReader::open(fs_, *set, Lgpos{1, 9, 40}).status().error(),
            Error::kLogReadVerifyFailure);
  EXPECT_EQ(LogReader::open(fs_, *set, Lgpos{2, 8, 20}).status().error(),
            Error::kMissingLogFile);
  EXPECT_EQ(LogReader::open(fs_, LogSet{}, Lgpos{}).status().error(), Error::kMissingLogFile);
  // The start of the unwritten sector after the data is the end of the log.
  auto reader = LogReader::open(fs_, *set, Lgpos{1, 9, 20});
  ASSERT_TRUE(reader.ok()) << reader.status().to_string();
  auto record = (*reader)->next();
  ASSERT_TRUE(record.ok());
  EXPECT_FALSE(record->has_value());
  EXPECT_EQ((*reader)->end().next_sector, 9u);
  // A record's end is a valid start when it is the end of the log.
  auto at_end = read_log(fs_, config_, appended->end);
  ASSERT_TRUE(at_end.status.ok()) << at_end.status.to_string();
  EXPECT_TRUE(at_end.records.empty());
  EXPECT_EQ(verify_file(fs_, log_path(config_, "edb.log"), config_.file_size_bytes, 2).error(),
            Error::kLogGenerationMismatch);
  EXPECT_EQ(verify_file(fs_, log_path(config_, "edb.log"), 128 * 1024).error(),
            Error::kLogFileSizeMismatch);
}

TEST_F(LogWriterTest, InvalidConfigurations) {
  LogConfig config = config_;
  config.file_size_bytes = 32 * 1024;
  EXPECT_EQ(LogWriter::create(fs_, config, Lgpos{}).status().error(), Error::kInvalidParameter);
  config = config_;
  config.file_size_bytes = 64 * 1024 + 100;
  EXPECT_EQ(LogWriter::create(fs_, config, Lgpos{}).status().error(), Error::kInvalidParameter);
  config = config_;
  config.buffer_bytes = 3 * kSectorBytes;
  EXPECT_EQ(LogWriter::create(fs_, config, Lgpos{}).status().error(), Error::kInvalidParameter);
}

}  // namespace
}  // namespace esent::log

namespace esent::log {
namespace {

std::string hex_dump(const std::vector<std::byte>& bytes, std::size_t offset, std::size_t count) {
  std::string out;
  char line[16];
  for (std::size_t row = 0; row < count; row += 16) {
    std::snprintf(line, sizeof(line), "%04zx:", offset + row);
    out += line;
    for (std::size_t i = row; i < row + 16 && i < count; ++i) {
      std::snprintf(line, sizeof(line), " %02x", std::to_integer<unsigned>(bytes[offset + i]));
      out += line;
    }
    out += "\n";
  }
  return out;
}

// The worked example of docs/format/log.md: two records, "hello" (type 1) and "commit"
// (type 2), flushed together. ESENT_PRINT_LOG_EXAMPLE=1 prints the dump used in the document.
TEST(LogFormatExampleTest, TwoRecordsInOneSector) {
  io::MemoryFileSystem fs;
  LogConfig config = small_config();
  auto created = LogWriter::create(fs, config, Lgpos{});
  ASSERT_TRUE(created.ok());
  const std::string hello = "hello";
  const std::string commit = "commit";
  auto first = (*created)->append(1, std::as_bytes(std::span(hello.data(), hello.size())));
  auto second = (*created)->append(2, std::as_bytes(std::span(commit.data(), commit.size())));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(first->start, (Lgpos{1, 8, 20}));
  EXPECT_EQ(first->end, (Lgpos{1, 8, 30}));
  EXPECT_EQ(second->start, (Lgpos{1, 8, 30}));
  EXPECT_EQ(second->end, (Lgpos{1, 8, 41}));
  ASSERT_TRUE((*created)->flush().ok());
  const std::string path = test_util::log_path(config, "edb.log");
  std::vector<std::byte> header(kHeaderBytes);
  for (std::uint32_t s = 0; s < kHeaderSectors; ++s) {
    auto sector = test_util::read_sector(fs, path, s);
    std::copy(sector.begin(), sector.end(), header.begin() + s * kSectorBytes);
  }
  const auto data = test_util::read_sector(fs, path, 8);
  EXPECT_EQ(load_u32(header.data() + kHeaderMagicOffset), kLogMagic);
  EXPECT_EQ(load_u32(header.data() + kHeaderFileSectorsOffset), 128u);
  EXPECT_EQ(load_u32(data.data() + kSectorGenerationOffset), 1u);
  EXPECT_EQ(load_u16(data.data() + kSectorNumberOffset), 8u);
  EXPECT_EQ(load_u16(data.data() + kSectorDataBytesOffset), 21u);
  EXPECT_EQ(load_u32(data.data() + kSectorHeaderBytes), 5u);
  EXPECT_EQ(data[kSectorHeaderBytes + 4], std::byte{1});
  EXPECT_EQ(data[kSectorHeaderBytes + 5], std::byte{'h'});
  EXPECT_EQ(load_u32(data.data() + kSectorHeaderBytes + 10), 6u);
  EXPECT_EQ(data[kSectorHeaderBytes + 14], std::byte{2});
  EXPECT_EQ(data[kSectorHeaderBytes + 21], std::byte{0});
  const char* print = std::getenv("ESENT_PRINT_LOG_EXAMPLE");
  if (print != nullptr && print[0] == '1') {
    std::printf("header:\n%s\nsector 8:\n%s", hex_dump(header, 0, kHeaderUsedBytes).c_str(),
                hex_dump(data, 0, 48).c_str());
  }
}

}  // namespace
}  // namespace esent::log
