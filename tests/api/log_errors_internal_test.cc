// The log's durability and failure handling through the API, on test file systems installed
// with Registry::set_file_system_for_testing (LogProbeFileSystem counts log fsyncs, makes them
// slow, fills the log volume; CrashFileSystem loses power; FaultFileSystem fails a write/fsync):
// - group commit: N threads × M durable commits take clearly fewer than N·M log fsyncs;
// - a durable commit fsyncs the log, a lazy one does not, and a power loss keeps the durable one
//   and loses the lazy one;
// - a full log volume: the reserve logs take over, updates get JET_errLogDiskFull, nothing
//   crashes, and a new instance recovers every acknowledged commit;
// - a failed log write or fsync: that commit gets JET_errLogWriteFail, no later commit is
//   acknowledged, and a new instance recovers.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api/jet.h"
#include "engine/instance.h"
#include "engine/registry.h"
#include "io/crash_file_system.h"
#include "io/fault_file_system.h"
#include "fault_instance.h"
#include "io/memory_file_system.h"
#include "log/log_format.h"
#include "log_probe_file_system.h"

namespace esent_test {
namespace {

using esent::io::FaultFileSystem;

using fault_instance::CreateSchema;
using fault_instance::Handles;
using fault_instance::Insert;
using fault_instance::kDatabase;
using fault_instance::kLogs;

// An instance with recovery on, 64 KiB logs in /logs/ (also the system path), on whatever file
// system the registry holds, with one session.
JET_ERR Start(Handles& h) {
  return fault_instance::StartInstance(
      h, {.name_prefix = "log-errors-", .log_file_kb = 64, .max_ver_pages = 4096});
}

// Attaches db.edb in a fresh session of h.instance and returns every id of t.
std::set<std::int32_t> AttachAndReadIds(Handles& h) {
  std::set<std::int32_t> ids;
  EXPECT_EQ(JET_errSuccess, JetAttachDatabaseA(h.sesid, kDatabase, 0));
  EXPECT_EQ(JET_errSuccess, JetOpenDatabaseA(h.sesid, kDatabase, nullptr, &h.dbid, 0));
  EXPECT_EQ(JET_errSuccess, JetOpenTableA(h.sesid, h.dbid, "t", nullptr, 0, 0, &h.table));
  JET_COLUMNDEF def{};
  EXPECT_EQ(JET_errSuccess, JetGetTableColumnInfoA(h.sesid, h.table, "id", &def, sizeof(def), JET_ColInfo));
  JET_ERR moved = JetMove(h.sesid, h.table, INT32_MIN, 0);
  while (moved == JET_errSuccess) {
    std::int32_t id = 0;
    JET_UINT32 actual = 0;
    EXPECT_EQ(JET_errSuccess, JetRetrieveColumn(h.sesid, h.table, def.columnid, &id, sizeof(id), &actual, 0, nullptr));
    ids.insert(id);
    moved = JetMove(h.sesid, h.table, JET_MoveNext, 0);
  }
  EXPECT_EQ(JET_errNoCurrentRecord, moved);
  return ids;
}

class LogErrorsTest : public ::testing::Test {
 protected:
  void TearDown() override { ASSERT_NO_FATAL_FAILURE(fault_instance::RestorePosixFileSystem()); }

  static void Install(const std::shared_ptr<esent::io::FileSystem>& file_system) {
    ASSERT_NO_FATAL_FAILURE(fault_instance::InstallFileSystem(file_system));
  }

  static std::shared_ptr<esent::io::MemoryFileSystem> Memory() {
    return fault_instance::MemoryWithDirectories();
  }
};

TEST_F(LogErrorsTest, ConcurrentDurableCommitsShareLogFsyncs) {
  auto probe = std::make_shared<LogProbeFileSystem>(Memory(), "");
  ASSERT_NO_FATAL_FAILURE(Install(probe));
  probe->set_log_sync_delay(std::chrono::milliseconds(1));
  Handles h;
  ASSERT_EQ(JET_errSuccess, Start(h));
  ASSERT_NO_FATAL_FAILURE(CreateSchema(h));

  // One thread: every durable commit fsyncs the log at least once (the counter sees them).
  constexpr int kCommits = 40;
  std::uint64_t before = probe->log_syncs();
  for (int i = 0; i < kCommits; ++i) ASSERT_EQ(JET_errSuccess, Insert(h, -1 - i, "serial"));
  const std::uint64_t serial_syncs = probe->log_syncs() - before;
  EXPECT_GE(serial_syncs, std::uint64_t{kCommits});

  // Eight threads, each with its own session: they share fsyncs.
  constexpr int kThreads = 8;
  std::atomic<int> acknowledged{0};
  std::atomic<int> failures{0};
  before = probe->log_syncs();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      JET_SESID sesid = 0;
      JET_DBID dbid = 0;
      JET_TABLEID table = 0;
      if (JetBeginSession(h.instance, &sesid, nullptr, nullptr) < 0 ||
          JetOpenDatabaseA(sesid, kDatabase, nullptr, &dbid, 0) < 0 ||
          JetOpenTableA(sesid, dbid, "t", nullptr, 0, 0, &table) < 0) {
        failures.fetch_add(1);
        return;
      }
      for (int i = 0; i < kCommits; ++i) {
        if (Insert(sesid, table, h.id, h.value, t * 1000 + i, "concurrent", 0) == JET_errSuccess) {
          acknowledged.fetch_add(1);
        } else {
          failures.fetch_add(1);
        }
      }
      JetEndSession(sesid, 0);
    });
  }
  for (std::thread& thread : threads) thread.join();
  const std::uint64_t concurrent_syncs = probe->log_syncs() - before;
  std::cout << "group commit: " << kThreads * kCommits << " durable commits, " << concurrent_syncs
            << " log fsyncs (serial: " << kCommits << " commits, " << serial_syncs << ")\n";
  EXPECT_EQ(0, failures.load());
  EXPECT_EQ(kThreads * kCommits, acknowledged.load());
  EXPECT_GT(concurrent_syncs, 0u);
  EXPECT_LT(concurrent_syncs, std::uint64_t{kThreads * kCommits / 2});
  EXPECT_EQ(JET_errSuccess, JetTerm(h.instance));
}

TEST_F(LogErrorsTest, ALazyCommitIsNotSyncedAndAPowerLossLosesItButNotADurableOne) {
  auto crash = std::make_shared<esent::io::CrashFileSystem>();
  ASSERT_TRUE(crash->create_directories("/logs").ok());
  ASSERT_TRUE(crash->create_directories("/data").ok());
  auto probe = std::make_shared<LogProbeFileSystem>(crash, "");
  ASSERT_NO_FATAL_FAILURE(Install(probe));
  Handles h;
  ASSERT_EQ(JET_errSuccess, Start(h));
  ASSERT_NO_FATAL_FAILURE(CreateSchema(h));

  std::uint64_t before = probe->log_syncs();
  ASSERT_EQ(JET_errSuccess, Insert(h, 1, "durable", 0));
  EXPECT_GE(probe->log_syncs(), before + 1) << "a durable commit fsyncs the log";
  before = probe->log_syncs();
  ASSERT_EQ(JET_errSuccess, Insert(h, 2, "lazy", JET_bitCommitLazyFlush));
  EXPECT_EQ(before, probe->log_syncs()) << "a lazy commit does not";

  crash->crash();  // power loss: every unsynced byte and directory entry is gone
  JetTerm2(h.instance, JET_bitTermDirty);  // the old instance's files all fail now

  Handles after;
  ASSERT_EQ(JET_errSuccess, Start(after));
  const std::set<std::int32_t> ids = AttachAndReadIds(after);
  EXPECT_EQ(1u, ids.count(1)) << "the durable commit survives a power loss";
  EXPECT_EQ(0u, ids.count(2)) << "the lazy commit was never synced";
  EXPECT_EQ(JET_errSuccess, JetTerm(after.instance));
}

TEST_F(LogErrorsTest, AFullLogVolumeUsesTheReserveLogsAndGivesLogDiskFull) {
  auto memory = Memory();
  auto probe = std::make_shared<LogProbeFileSystem>(memory, kLogs);
  ASSERT_NO_FATAL_FAILURE(Install(probe));
  Handles h;
  ASSERT_EQ(JET_errSuccess, Start(h));
  ASSERT_NO_FATAL_FAILURE(CreateSchema(h));
  const std::string value(2000, 'v');
  std::set<std::int32_t> acknowledged;
  std::int32_t id = 0;
  for (; id < 20; ++id) {
    ASSERT_EQ(JET_errSuccess, Insert(h, id, value));
    acknowledged.insert(id);
  }

  probe->set_disk_full(true);
  JET_ERR first_error = JET_errSuccess;
  std::set<std::int32_t> unknown;  // the commit ran and failed: either outcome is fine
  for (; id < 2000 && first_error == JET_errSuccess; ++id) {
    bool commit_reached = false;
    const JET_ERR err = Insert(h, id, value, 0, &commit_reached);
    if (err == JET_errSuccess) {
      acknowledged.insert(id);
    } else {
      first_error = err;
      if (commit_reached) unknown.insert(id);
    }
  }
  EXPECT_EQ(JET_errLogDiskFull, first_error) << "after " << id << " inserts";
  EXPECT_GT(probe->disk_full_refusals(), 0u);
  auto names = memory->list_directory("/logs");
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(0, std::count(names->begin(), names->end(), std::string("edbres00001.jrs")))
      << "the first reserve log became a log";

  // The instance does not crash; later updates keep failing.
  const JET_ERR later = Insert(h, 100000, value);
  EXPECT_GT(0, later);
  std::cout << "an update after JET_errLogDiskFull: " << later << "\n";
  const JET_ERR term = JetTerm(h.instance);
  std::cout << "JetTerm on a full log volume: " << term << "\n";
  EXPECT_TRUE(term == JET_errSuccess || term == JET_errLogDiskFull) << term;

  probe->set_disk_full(false);
  Handles after;
  ASSERT_EQ(JET_errSuccess, Start(after));
  auto engine_instance = esent::engine::Registry::process().find_instance(after.instance);
  ASSERT_NE(nullptr, engine_instance);
  std::cout << "recovery after the full log volume replayed "
            << engine_instance->last_recovery().records << " records\n";
  const std::set<std::int32_t> ids = AttachAndReadIds(after);
  for (std::int32_t expected : acknowledged) {
    EXPECT_EQ(1u, ids.count(expected)) << "acknowledged row " << expected;
  }
  for (std::int32_t found : ids) {
    EXPECT_TRUE(acknowledged.count(found) != 0 || unknown.count(found) != 0) << "row " << found;
  }
  names = memory->list_directory("/logs");
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(1, std::count(names->begin(), names->end(), std::string("edbres00001.jrs")))
      << "the reserve logs are made again";
  EXPECT_EQ(1, std::count(names->begin(), names->end(), std::string("edbres00002.jrs")));
  EXPECT_EQ(JET_errSuccess, JetTerm(after.instance));
}

TEST_F(LogErrorsTest, AFailedLogWriteOrFsyncFailsThatCommitAndEveryLaterOne) {
  for (FaultFileSystem::Operation operation :
       {FaultFileSystem::Operation::kSync, FaultFileSystem::Operation::kWrite}) {
    SCOPED_TRACE(esent::io::operation_name(operation));
    auto memory = Memory();
    auto faults = std::make_shared<FaultFileSystem>(memory);
    ASSERT_NO_FATAL_FAILURE(Install(faults));
    Handles h;
    ASSERT_EQ(JET_errSuccess, Start(h));
    ASSERT_NO_FATAL_FAILURE(CreateSchema(h));
    ASSERT_EQ(JET_errSuccess, Insert(h, 1, "before"));

    // One failure of the next write / fsync of edb.log, not sticky: the device "recovers".
    esent::io::FaultOptions options;
    options.path_substring = "edb.log";
    faults->fail_at(operation, 1, FaultFileSystem::Fault::kIoError, options);
    bool commit_reached = false;
    EXPECT_EQ(JET_errLogWriteFail, Insert(h, 2, "failed", 0, &commit_reached));
    EXPECT_TRUE(commit_reached) << "the durable commit is what writes the log";
    EXPECT_EQ(1u, faults->injected_count());
    faults->clear_faults();

    // Never acknowledged again, whatever the call: the fsync is not retried.
    const JET_ERR later = Insert(h, 3, "later");
    EXPECT_TRUE(later == JET_errLogWriteFail || later == JET_errInstanceUnavailable) << later;
    JET_SESID other = 0;
    if (JetBeginSession(h.instance, &other, nullptr, nullptr) == JET_errSuccess) {
      const JET_ERR flushed = JetCommitTransaction(other, JET_bitWaitAllLevel0Commit);
      EXPECT_TRUE(flushed == JET_errLogWriteFail || flushed == JET_errInstanceUnavailable) << flushed;
    }
    // JetTerm does not crash; what it returns is the registry's business (today it reports the
    // failure in an event and returns success), but the log is not marked clean.
    const JET_ERR term = JetTerm(h.instance);
    std::cout << "JetTerm after a failed log " << esent::io::operation_name(operation) << ": "
              << term << "\n";

    Handles after;
    ASSERT_EQ(JET_errSuccess, Start(after));
    auto engine_instance = esent::engine::Registry::process().find_instance(after.instance);
    ASSERT_NE(nullptr, engine_instance);
    EXPECT_GT(engine_instance->last_recovery().records, 0u)
        << "the failed instance did not stop clean: the next one replays the log";
    const std::set<std::int32_t> ids = AttachAndReadIds(after);
    EXPECT_EQ(1u, ids.count(1));
    EXPECT_EQ(0u, ids.count(3));
    EXPECT_EQ(JET_errSuccess, JetTerm(after.instance));
  }
}

// A sector that verifies (its checksum resealed) but holds a record length no record can have:
// structural nonsense in verified bytes is JET_errLogFileCorrupt, and nothing after it is used.
TEST_F(LogErrorsTest, ANonsenseRecordLengthInAVerifiedSectorIsLogFileCorrupt) {
  auto memory = Memory();
  ASSERT_NO_FATAL_FAILURE(Install(memory));
  Handles h;
  ASSERT_EQ(JET_errSuccess, Start(h));
  ASSERT_NO_FATAL_FAILURE(CreateSchema(h));
  ASSERT_EQ(JET_errSuccess, Insert(h, 1, "one"));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(h.sesid, JET_bitForceNewLog));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(h.sesid, JET_bitForceNewLog));
  EXPECT_EQ(JET_errDirtyShutdown, JetTerm2(h.instance, JET_bitTermDirty));

  namespace log = esent::log;
  esent::io::OpenOptions writable;
  writable.write = true;
  auto file = memory->open_file("/logs/edb00001.log", writable);
  ASSERT_TRUE(file.ok()) << file.status().to_string();
  const std::uint64_t offset = std::uint64_t{log::kHeaderSectors} * log::kSectorBytes;
  std::vector<std::byte> sector(log::kSectorBytes);
  ASSERT_TRUE((*file)->read_at(offset, sector).ok());
  const std::vector<std::byte> original = sector;
  log::SectorView view;
  ASSERT_TRUE(log::verify_sector(sector, 1, static_cast<std::uint16_t>(log::kHeaderSectors), &view));
  ASSERT_GE(view.data_bytes, log::kRecordHeaderBytes) << "generation 1 starts with a record";
  log::store_u32(sector.data() + log::kSectorHeaderBytes, 0xFFFFFFF0u);
  log::seal_sector(sector, 1, static_cast<std::uint16_t>(log::kHeaderSectors), view.data_bytes, view.flags);
  ASSERT_TRUE(log::verify_sector(sector, 1, static_cast<std::uint16_t>(log::kHeaderSectors), nullptr));
  ASSERT_TRUE((*file)->write_at(offset, sector).ok());

  Handles refused;
  EXPECT_EQ(JET_errLogFileCorrupt, Start(refused));
  ASSERT_TRUE((*file)->write_at(offset, original).ok());
  file->reset();

  Handles after;
  ASSERT_EQ(JET_errSuccess, Start(after));
  EXPECT_EQ(1u, AttachAndReadIds(after).count(1));
  EXPECT_EQ(JET_errSuccess, JetTerm(after.instance));
}

}  // namespace
}  // namespace esent_test
