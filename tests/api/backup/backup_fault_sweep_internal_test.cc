// Fault sweeps of the full and the incremental streaming backup (issue 10, Deliver 1): an instance on a
// FaultFileSystem over a crashable in-memory file system, with rows committed before the
// backup, runs the whole client loop (JetBeginExternalBackupInstance, JetGetAttachInfoInstance,
// JetOpenFileInstance / JetReadFileInstance / JetCloseFileInstance of the database and of every
// log, JetGetLogInfoInstance, JetTruncateLogInstance, JetEndExternalBackupInstance2).
//
// 1. One run without a fault counts the file-system calls per operation between Begin and End.
// 2. For every operation with calls and every n in 1..count (every call for writes, syncs and
//    renames; a seeded sample of the others, see kSampledCallsPerOperation), and for every fault
//    (EIO, ENOSPC, and a short write for writes), a fresh copy of the same durable state runs the
//    backup with that one fault armed. Then:
//    - every call returned a JET_ERR; a failed backup is ended with JET_bitBackupEndAbort, which
//      returns JET_errSuccess or JET_errNoBackup (the engine already ended it);
//    - no backup stays in progress: a new Begin succeeds, or the instance is unavailable after a
//      fatal log failure (documented), in which case JetTerm2 and a JetInit (recovery) follow;
//    - every committed row is present on the live (or recovered) instance;
//    - a backup that reported success despite the fault restores with every row;
//    - a new full backup without a fault succeeds, and restoring it (its own logs only, into
//      another folder) gives every row back.
// 3. A summary line reports the numbers. ESENT_SWEEP_SEED=n picks the sample seed (default 10);
//    ESENT_SWEEP_LIST_CALLS=1 prints every call of the unfaulted run with its path.
//
// The incremental sweep does the same for an incremental streaming backup
// (JetBeginExternalBackupInstance(JET_bitBackupIncremental), JetGetLogInfoInstance, every log
// streamed, JetTruncateLogInstance, JetEndExternalBackupInstance2): its prepared state has also
// had a full backup without a fault (into /set1/, truncating the logs) and more committed rows;
// each case commits more rows again and streams the incremental into the same /set1/, so a set
// that reports success restores as full + incremental. The after-checks are the same.
//
// What the sweep shows about End (as ESE's cleanup does, JetEndExternalBackupInstance2 returns
// JET_errSuccess whatever its own writes do): a failed database-header write or sync leaves the
// database failing (JET_errDiskIO) until a restart; a failed write of its log record leaves the
// instance unavailable; a failed checkpoint write does not fail End. Each is then checked like a
// failed call: the restart recovers every row and the next backup restores.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "api/jet.h"
#include "backup_fixture.h"
#include "fault_instance.h"
#include "io/crash_file_system.h"
#include "io/fault_file_system.h"

namespace esent_test {
namespace {

using esent::io::CrashFileSystem;
using esent::io::FaultFileSystem;
using Operation = FaultFileSystem::Operation;
using Fault = FaultFileSystem::Fault;
namespace fi = fault_instance;

constexpr int kRowsBefore = 150;       // committed, then a clean JetTerm: the prepared state
constexpr int kFirstLiveRow = 1000;    // committed by the live instance just before the backup
constexpr int kLiveRows = 400;
constexpr int kFirstIncrementalRow = 2000;  // committed by the live instance before an incremental
constexpr int kIncrementalRows = 200;
constexpr const char* kFaultedSet = "/set1/";  // where the faulted run streams
constexpr const char* kFinalSet = "/set2/";    // where the backup after it streams
constexpr std::size_t kSampledCallsPerOperation = 32;
constexpr std::uint32_t kChunkBytes = 32 * 1024;

// An instance configured as fi::StartInstance does (paths in /logs/), not initialised.
JET_ERR Configure(JET_INSTANCE* instance, const char* logs = fi::kLogs) {
  JET_ERR err = JetCreateInstanceA(instance, fi::NextInstanceName("backup-sweep-").c_str());
  if (err < 0) return err;
  if ((err = JetSetSystemParameterA(instance, 0, JET_paramRecovery, 0, "on")) < 0 ||
      (err = JetSetSystemParameterA(instance, 0, JET_paramSystemPath, 0, logs)) < 0 ||
      (err = JetSetSystemParameterA(instance, 0, JET_paramLogFilePath, 0, logs)) < 0 ||
      (err = JetSetSystemParameterA(instance, 0, JET_paramTempPath, 0, "/data/temp.edb")) < 0) {
    return err;
  }
  return JetSetSystemParameterA(instance, 0, JET_paramLogFileSize, 64, nullptr);
}

using Live = fi::Handles;  // the live instance's handles

// Which backup the sweep faults. Before an incremental, the prepared state holds a full backup
// (into kFaultedSet) and the kLiveRows rows; the live instance then commits kIncrementalRows.
enum class Kind { kFull, kIncremental };

const char* SweepName(Kind kind) {
  return kind == Kind::kFull ? "backup fault sweep" : "incremental backup fault sweep";
}

// JetInit (recovery) on the registry's file system, a session, `database` attached and opened,
// table t open; the first error.
JET_ERR Open(Live& live, const char* logs = fi::kLogs, const std::string& database = fi::kDatabase) {
  JET_ERR err = Configure(&live.instance, logs);
  if (err < 0) return err;
  if ((err = JetInit(&live.instance)) < 0) return err;
  if ((err = JetBeginSession(live.instance, &live.sesid, nullptr, nullptr)) < 0) return err;
  // After a recovery the database is attached already (JET_wrnDatabaseAttached).
  if ((err = JetAttachDatabaseA(live.sesid, database.c_str(), 0)) < 0) return err;
  if ((err = JetOpenDatabaseA(live.sesid, database.c_str(), nullptr, &live.dbid, 0)) < 0) return err;
  if ((err = JetOpenTableA(live.sesid, live.dbid, "t", nullptr, 0, 0, &live.table)) < 0) return err;
  JET_COLUMNDEF def{};
  if ((err = JetGetTableColumnInfoA(live.sesid, live.table, "id", &def, sizeof def, JET_ColInfo)) < 0) {
    return err;
  }
  live.id = def.columnid;
  if ((err = JetGetTableColumnInfoA(live.sesid, live.table, "value", &def, sizeof def, JET_ColInfo)) < 0) {
    return err;
  }
  live.value = def.columnid;
  return JET_errSuccess;
}

// Every id of table t, or the first error of the scan.
JET_ERR ReadIds(const Live& live, std::set<std::int32_t>* ids) {
  ids->clear();
  JET_ERR err = JetMove(live.sesid, live.table, static_cast<JET_INT32>(JET_MoveFirst), 0);
  for (; err >= 0; err = JetMove(live.sesid, live.table, JET_MoveNext, 0)) {
    std::int32_t id = 0;
    JET_UINT32 got = 0;
    const JET_ERR retrieved = JetRetrieveColumn(live.sesid, live.table, live.id, &id, sizeof id, &got, 0, nullptr);
    if (retrieved < 0) return retrieved;
    ids->insert(id);
  }
  return err == JET_errNoCurrentRecord ? JET_errSuccess : err;
}

// Every row committed once the live instance of a `kind` case has committed its rows.
std::set<std::int32_t> ExpectedIds(Kind kind) {
  std::set<std::int32_t> ids;
  for (int id = 1; id <= kRowsBefore; ++id) ids.insert(id);
  for (int id = kFirstLiveRow; id < kFirstLiveRow + kLiveRows; ++id) ids.insert(id);
  if (kind == Kind::kIncremental) {
    for (int id = kFirstIncrementalRow; id < kFirstIncrementalRow + kIncrementalRows; ++id) ids.insert(id);
  }
  return ids;
}

std::string LastComponent(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

// What one run of the backup client did: the first failing call and its code.
struct ClientRun {
  JET_ERR first_error = JET_errSuccess;
  std::string failed_call;
  bool failed() const { return first_error < JET_errSuccess; }
};

// Streams `name` into `sink`/`folder` (bypassing the faults; synced). False after a failing call
// (recorded in *run; an open file is closed, ignoring that result).
bool Stream(JET_INSTANCE instance, const std::string& name, esent::io::FileSystem& sink,
            const std::string& folder, ClientRun* run) {
  JET_HANDLE handle = 0;
  JET_UINT32 low = 0, high = 0;
  JET_ERR err = JetOpenFileInstanceA(instance, name.c_str(), &handle, &low, &high);
  if (err < 0) {
    *run = {err, "JetOpenFileInstance(" + name + ")"};
    return false;
  }
  esent::io::OpenOptions options;
  options.write = options.create = options.truncate = true;
  auto out = sink.open_file(folder + LastComponent(name), options);
  EXPECT_TRUE(out.ok()) << name;
  std::vector<std::byte> buffer(kChunkBytes);
  std::uint64_t offset = 0;
  for (;;) {
    JET_UINT32 actual = 0;
    err = JetReadFileInstance(instance, handle, buffer.data(), kChunkBytes, &actual);
    if (err < 0) {
      *run = {err, "JetReadFileInstance(" + name + ")"};
      static_cast<void>(JetCloseFileInstance(instance, handle));
      return false;
    }
    if (actual == 0) break;
    if (out.ok()) {
      EXPECT_TRUE((*out)->write_at(offset, std::span<const std::byte>(buffer.data(), actual)).ok());
    }
    offset += actual;
  }
  if (out.ok()) {
    EXPECT_TRUE((*out)->sync().ok());
  }
  err = JetCloseFileInstance(instance, handle);
  if (err < 0) {
    *run = {err, "JetCloseFileInstance(" + name + ")"};
    return false;
  }
  return true;
}

// The whole client loop of a `kind` streaming backup into `folder` of `sink` (an incremental
// has no JetGetAttachInfoInstance and no database); stops at the first failing call and does not
// end the backup then.
ClientRun RunBackup(JET_INSTANCE instance, esent::io::FileSystem& sink, const std::string& folder,
                    Kind kind = Kind::kFull) {
  ClientRun run;
  JET_ERR err = JetBeginExternalBackupInstance(instance, kind == Kind::kFull ? 0 : JET_bitBackupIncremental);
  if (err < 0) return {err, "JetBeginExternalBackupInstance"};
  if (kind == Kind::kFull) {
    std::vector<std::string> databases;
    if ((err = backup_test::AttachInfo(instance, &databases)) < 0) return {err, "JetGetAttachInfoInstance"};
    for (const std::string& database : databases) {
      if (!Stream(instance, database, sink, folder, &run)) return run;
    }
  }
  std::vector<std::string> logs;
  if ((err = backup_test::LogInfo(instance, &logs)) < 0) return {err, "JetGetLogInfoInstance"};
  for (const std::string& log : logs) {
    if (!Stream(instance, log, sink, folder, &run)) return run;
  }
  if ((err = JetTruncateLogInstance(instance)) < 0) return {err, "JetTruncateLogInstance"};
  if ((err = JetEndExternalBackupInstance2(instance, JET_bitBackupEndNormal)) < 0) {
    return {err, "JetEndExternalBackupInstance2"};
  }
  EXPECT_TRUE(sink.sync_directory(folder).ok());
  return run;
}

// The durable state every `kind` case starts from: db.edb with kRowsBefore rows, cleanly
// terminated; for an incremental, then also the kLiveRows rows and a full backup into
// kFaultedSet without a fault (truncating the logs), cleanly terminated again.
std::shared_ptr<CrashFileSystem> Prepare(Kind kind) {
  auto crash = std::make_shared<CrashFileSystem>();
  for (const char* folder : {"/logs", "/data", "/set1", "/set2", "/r", "/rdest"}) {
    EXPECT_TRUE(crash->create_directories(folder).ok()) << folder;
  }
  fi::InstallFileSystem(crash);
  fi::Handles h;
  EXPECT_EQ(JET_errSuccess, fi::StartInstance(h, {.name_prefix = "backup-sweep-prepare-"}));
  fi::CreateSchema(h);
  const std::string value(300, 'v');
  for (int id = 1; id <= kRowsBefore; ++id) EXPECT_EQ(JET_errSuccess, fi::Insert(h, id, value));
  EXPECT_EQ(JET_errSuccess, JetTerm(h.instance));
  if (kind == Kind::kIncremental) {
    Live live;
    EXPECT_EQ(JET_errSuccess, Open(live));
    const std::string live_value(300, 'w');
    for (int id = kFirstLiveRow; id < kFirstLiveRow + kLiveRows; ++id) {
      EXPECT_EQ(JET_errSuccess, fi::Insert(live.sesid, live.table, live.id, live.value, id, live_value, 0));
    }
    const ClientRun full = RunBackup(live.instance, *crash, kFaultedSet);
    EXPECT_FALSE(full.failed()) << "the full backup before the incremental: " << full.failed_call << " "
                                << full.first_error;
    EXPECT_EQ(JET_errSuccess, JetTerm(live.instance));
  }
  return crash;
}

// Restores `set` on a durable copy of `state` (its own logs only: paths /r/, into /rdest/) and
// returns the ids of table t; *err gets the first error.
std::set<std::int32_t> RestoredIds(CrashFileSystem& state, const std::string& set, JET_ERR* err) {
  std::set<std::int32_t> ids;
  auto copy = state.clone_durable();
  fi::InstallFileSystem(copy);
  JET_INSTANCE instance = 0;
  if ((*err = Configure(&instance, "/r/")) < 0 ||
      (*err = JetRestoreInstanceA(instance, set.c_str(), "/rdest/", nullptr)) < 0) {
    JetTerm2(instance, JET_bitTermAbrupt);
    return ids;
  }
  // The restoring instance is not initialised; a new one opens the restored database.
  JetTerm(instance);
  Live restored;
  *err = Open(restored, "/r/", "/rdest/db.edb");
  if (*err >= 0) *err = ReadIds(restored, &ids);
  JetTerm2(restored.instance, JET_bitTermAbrupt);
  return ids;
}

struct Case {
  Kind kind = Kind::kFull;
  bool armed = false;
  Operation operation = Operation::kRead;
  std::uint64_t nth = 0;
  Fault fault = Fault::kIoError;
};

struct CaseResult {
  std::array<std::uint64_t, FaultFileSystem::kOperationCount> counts{};
  bool fired = false;
  ClientRun run;
  bool restarted = false;
  bool database_failed = false;  // the rows could not be read back before a restart
  // Without a fault: every call of the backup, "operation #n path", in order.
  std::vector<std::string> calls;
  std::array<std::uint64_t, FaultFileSystem::kOperationCount> seen{};
};

const char* FaultName(Fault fault) {
  switch (fault) {
    case Fault::kIoError: return "EIO";
    case Fault::kNoSpace: return "ENOSPC";
    case Fault::kShortWrite: return "short write";
  }
  return "?";
}

std::string Describe(const Case& c) {
  if (!c.armed) return "no fault";
  return std::string(FaultName(c.fault)) + " at " + esent::io::operation_name(c.operation) + " #" +
         std::to_string(c.nth);
}

// One case on a fresh durable copy of `prepared` (made by Prepare(c.kind); see the file comment
// for what it asserts). The backup after the fault is always a full one.
void RunCase(CrashFileSystem& prepared, const Case& c, CaseResult* result) {
  SCOPED_TRACE(Describe(c));
  std::shared_ptr<CrashFileSystem> base = prepared.clone_durable();
  auto faults = std::make_shared<FaultFileSystem>(base);
  ASSERT_NO_FATAL_FAILURE(fi::InstallFileSystem(faults));
  Live live;
  ASSERT_EQ(JET_errSuccess, Open(live));
  const std::string value(300, 'w');
  const int first_row = c.kind == Kind::kFull ? kFirstLiveRow : kFirstIncrementalRow;
  const int rows = c.kind == Kind::kFull ? kLiveRows : kIncrementalRows;
  for (int id = first_row; id < first_row + rows; ++id) {
    ASSERT_EQ(JET_errSuccess, fi::Insert(live.sesid, live.table, live.id, live.value, id, value, 0));
  }

  faults->reset_counts();
  if (c.armed) {
    faults->fail_at(c.operation, c.nth, c.fault);
  } else {
    faults->set_call_observer([result](Operation operation, const std::string& path) {
      const auto op = static_cast<std::size_t>(operation);
      result->calls.push_back(std::string(esent::io::operation_name(operation)) + " #" +
                              std::to_string(++result->seen[op]) + " " + path);
    });
  }
  result->run = RunBackup(live.instance, *base, kFaultedSet, c.kind);
  faults->set_call_observer(nullptr);
  for (std::size_t op = 0; op < FaultFileSystem::kOperationCount; ++op) {
    result->counts[op] = faults->count(static_cast<Operation>(op));
  }
  result->fired = faults->injected_count() > 0;
  faults->clear_faults();
  if (!c.armed) {
    EXPECT_FALSE(result->run.failed()) << result->run.failed_call << ": " << result->run.first_error;
  }

  bool unavailable = false;
  if (result->run.failed()) {
    const JET_ERR end = JetEndExternalBackupInstance2(live.instance, JET_bitBackupEndAbort);
    unavailable = end == JET_errInstanceUnavailable;
    EXPECT_TRUE(end == JET_errSuccess || end == JET_errNoBackup || unavailable)
        << "abort after " << result->run.failed_call << " failed with " << result->run.first_error
        << ": " << end;
  }

  // No backup stays in progress: Begin works, or the instance is unavailable after a fatal log
  // failure and a restart (recovery) brings it back.
  JET_ERR begin = unavailable ? JET_errInstanceUnavailable : JetBeginExternalBackupInstance(live.instance, 0);
  if (begin == JET_errLogDiskFull) {
    // The log's disk-full mode lasts for the log writer's life (src/log/log_writer.h); a clean
    // term still works (the reserve logs), and a new JetInit starts a new writer.
    // (End reports success even when its own log record fails, as ESE's cleanup does, so only
    // a fired fault is required.)
    EXPECT_TRUE(result->fired) << "disk-full mode without a fault";
    EXPECT_EQ(JET_errSuccess, JetTerm(live.instance)) << "a clean term in log disk-full mode";
    live = Live{};
    result->restarted = true;
    ASSERT_EQ(JET_errSuccess, Open(live)) << "JetInit after log disk-full mode";
  } else if (begin == JET_errInstanceUnavailable || begin == JET_errLogWriteFail) {
    EXPECT_TRUE(result->fired) << "unavailable without a fault";
    static_cast<void>(JetTerm2(live.instance, JET_bitTermAbrupt));
    live = Live{};
    result->restarted = true;
    ASSERT_EQ(JET_errSuccess, Open(live)) << "recovery after the failed backup";
  } else {
    ASSERT_EQ(JET_errSuccess, begin) << "a backup stayed in progress after " << result->run.failed_call
                                     << " failed with " << result->run.first_error;
    ASSERT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(live.instance, JET_bitBackupEndAbort));
  }
  std::set<std::int32_t> ids;
  JET_ERR read = ReadIds(live, &ids);
  if (read < 0 && !result->restarted) {
    // A failed database write leaves the database failing (the page stays dirty and unwritten)
    // until the instance restarts; recovery then redoes the change from the log.
    static_cast<void>(JetTerm2(live.instance, JET_bitTermAbrupt));
    live = Live{};
    result->restarted = true;
    result->database_failed = true;
    ASSERT_EQ(JET_errSuccess, Open(live)) << "recovery after a failed database write";
    read = ReadIds(live, &ids);
  }
  EXPECT_EQ(JET_errSuccess, read);
  EXPECT_EQ(ExpectedIds(c.kind), ids) << "the committed rows after the fault";

  // A new full backup succeeds and restores every row.
  const ClientRun final_run = RunBackup(live.instance, *base, kFinalSet);
  EXPECT_FALSE(final_run.failed()) << "the backup after the fault: " << final_run.failed_call << " "
                                   << final_run.first_error;
  EXPECT_EQ(JET_errSuccess, JetTerm(live.instance));
  if (!result->run.failed() && result->fired) {
    // The backup reported success although a call failed under it: its set must be whole.
    JET_ERR err = JET_errSuccess;
    EXPECT_EQ(ExpectedIds(c.kind), RestoredIds(*base, kFaultedSet, &err)) << "the faulted run's set";
    EXPECT_EQ(JET_errSuccess, err) << "restoring the faulted run's set";
  }
  if (!final_run.failed()) {
    JET_ERR err = JET_errSuccess;
    EXPECT_EQ(ExpectedIds(c.kind), RestoredIds(*base, kFinalSet, &err)) << "the backup after the fault";
    EXPECT_EQ(JET_errSuccess, err) << "restoring the backup after the fault";
  }
}

class BackupFaultSweep : public ::testing::Test {
 protected:
  void TearDown() override { fi::RestorePosixFileSystem(); }
};

TEST_F(BackupFaultSweep, AnUnfaultedRunBacksUpEveryRow) {
  std::shared_ptr<CrashFileSystem> prepared = Prepare(Kind::kFull);
  ASSERT_FALSE(HasFailure());
  CaseResult result;
  RunCase(*prepared, Case{}, &result);
  EXPECT_FALSE(result.run.failed());
  EXPECT_GT(result.counts[static_cast<std::size_t>(Operation::kRead)], 0u) << "the backup read the files";
}

bool SweepsEveryCall(Operation operation) {
  return operation == Operation::kWrite || operation == Operation::kSync || operation == Operation::kRename ||
         operation == Operation::kSyncDirectory;
}

// The sweep of a `kind` backup (steps 1 to 3 of the file comment); `label` opens every line it
// prints.
void SweepEveryCall(Kind kind) {
  const char* label = SweepName(kind);
  std::shared_ptr<CrashFileSystem> prepared = Prepare(kind);
  ASSERT_FALSE(::testing::Test::HasFailure());
  CaseResult counted;
  ASSERT_NO_FATAL_FAILURE(RunCase(*prepared, Case{.kind = kind}, &counted));
  ASSERT_FALSE(::testing::Test::HasFailure());
  EXPECT_GT(counted.counts[static_cast<std::size_t>(Operation::kRead)], 0u) << "the backup read the files";

  std::uint64_t seed = 10;
  if (const char* chosen = std::getenv("ESENT_SWEEP_SEED")) seed = std::strtoull(chosen, nullptr, 10);
  std::mt19937_64 random(seed);
  std::vector<Case> cases;
  std::string counts_line;
  for (std::size_t op = 0; op < FaultFileSystem::kOperationCount; ++op) {
    const auto operation = static_cast<Operation>(op);
    const std::uint64_t count = counted.counts[op];
    if (count == 0) continue;
    counts_line += std::string(" ") + esent::io::operation_name(operation) + "=" + std::to_string(count);
    std::vector<std::uint64_t> calls;
    for (std::uint64_t nth = 1; nth <= count; ++nth) calls.push_back(nth);
    if (!SweepsEveryCall(operation) && calls.size() > kSampledCallsPerOperation) {
      // The first and the last call, and a seeded sample between them.
      std::vector<std::uint64_t> middle(calls.begin() + 1, calls.end() - 1);
      std::shuffle(middle.begin(), middle.end(), random);
      middle.resize(kSampledCallsPerOperation - 2);
      calls = {1, count};
      calls.insert(calls.end(), middle.begin(), middle.end());
      std::sort(calls.begin(), calls.end());
    }
    for (std::uint64_t nth : calls) {
      cases.push_back({kind, true, operation, nth, Fault::kIoError});
      cases.push_back({kind, true, operation, nth, Fault::kNoSpace});
      if (operation == Operation::kWrite) cases.push_back({kind, true, operation, nth, Fault::kShortWrite});
    }
  }
  if (std::getenv("ESENT_SWEEP_LIST_CALLS") != nullptr) {
    for (const std::string& call : counted.calls) std::printf("%s: call %s\n", label, call.c_str());
  }
  std::printf("%s: seed %llu; calls between Begin and End:%s\n", label,
              static_cast<unsigned long long>(seed), counts_line.c_str());

  std::uint64_t failed = 0, absorbed = 0, not_reached = 0, restarted = 0, database_failed = 0;
  std::map<std::string, std::uint64_t> by_call;
  std::set<std::string> absorbed_calls;  // calls whose fault fired while every Jet call succeeded
  for (const Case& c : cases) {
    CaseResult result;
    RunCase(*prepared, c, &result);
    ASSERT_FALSE(::testing::Test::HasFatalFailure()) << Describe(c);
    if (::testing::Test::HasFailure()) {
      std::printf("%s: first failing case: %s (the faulted run: %s %d, fault %s)\n", label,
                  Describe(c).c_str(), result.run.failed_call.c_str(), result.run.first_error,
                  result.fired ? "fired" : "not fired");
      break;
    }
    if (result.run.failed()) {
      ++failed;
      ++by_call[result.run.failed_call.substr(0, result.run.failed_call.find('(')) + " " +
                std::to_string(result.run.first_error)];
    } else if (result.fired) {
      ++absorbed;
      absorbed_calls.insert(std::string(esent::io::operation_name(c.operation)) + " #" + std::to_string(c.nth));
    } else {
      ++not_reached;
    }
    if (result.restarted) ++restarted;
    if (result.database_failed) {
      ++database_failed;
      std::printf("%s: %s: the database failed until a restart (the faulted run: %s %d)\n", label,
                  Describe(c).c_str(), result.run.failed() ? result.run.failed_call.c_str() : "succeeded",
                  result.run.first_error);
    }
  }
  std::printf("%s: %zu faults armed: %llu failed the backup, %llu fired without failing it, "
              "%llu did not reach it; %llu needed a restart (%llu for a failing database)\n",
              label, cases.size(), static_cast<unsigned long long>(failed), static_cast<unsigned long long>(absorbed),
              static_cast<unsigned long long>(not_reached), static_cast<unsigned long long>(restarted),
              static_cast<unsigned long long>(database_failed));
  for (const auto& [call, times] : by_call) {
    std::printf("%s:   %s: %llu\n", label, call.c_str(), static_cast<unsigned long long>(times));
  }
  std::string absorbed_line;
  for (const std::string& call : absorbed_calls) absorbed_line += " " + call;
  std::printf("%s: faults at these calls fired while every call succeeded:%s\n", label,
              absorbed_line.c_str());
  EXPECT_GT(failed, 0u);
}

TEST_F(BackupFaultSweep, EveryFaultAtAnyCallFailsCleanlyKeepsEveryCommitAndTheNextBackupRestores) {
  SweepEveryCall(Kind::kFull);
}

TEST_F(BackupFaultSweep, EveryFaultAtAnyCallOfAnIncrementalFailsCleanlyKeepsEveryCommitAndTheNextBackupRestores) {
  SweepEveryCall(Kind::kIncremental);
}

}  // namespace
}  // namespace esent_test
