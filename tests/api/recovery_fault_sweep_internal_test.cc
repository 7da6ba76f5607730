// Fault and crash sweeps of recovery (issue 10, Deliver 1): JetInit replaying a dirty log.
//
// The dirty state: on a crashable in-memory file system an instance (recovery on, 64 KiB logs in
// /logs/) creates /data/db.edb with table t, commits kRows rows over several log generations
// (JetCommitTransaction(0): each durable when its commit returns), a second session inserts
// kUncommittedRows rows it never commits, one more row is committed (so the uncommitted rows'
// log records are on disk too), and the durable state is taken while the instance runs (what a
// power loss keeps). Recovery must redo the committed rows and undo the uncommitted ones.
//
// One JetInit without a fault counts its file-system calls. Fault mode: for every call point of
// sweep.h (every write, sync, rename and directory sync; the first, the last and a seeded sample of
// the others) and each fault (EIO, ENOSPC, a short write on writes), a fresh copy runs JetInit with
// that fault armed. JetInit returns an error (or succeeds with every committed row and no
// uncommitted one, and so does a JetInit after a power loss that follows it); a failed JetInit
// leaves no instance half-started: its handle is cleared and no instance exists (the registry
// accepts a new file system only then); a later JetInit without a fault, on what the failed one
// left, recovers every committed row and no other, and so does one on what a power loss right after
// the failed JetInit keeps (seeded torn sectors and kept unsynced writes). Crash mode: a power loss
// at the start of each call point of the replay, then JetInit on the post-crash state recovers the
// same rows.
// The sticky sweep is the fault mode with a fault that persists from the faulted call on (a disk
// that stays broken), so JetInit's own cleanup meets it too.
//
// Each sweep prints `reliability: <name>: N faults injected (or crash points), N handled`.
// ESENT_SWEEP_LIST_CALLS=1 prints every call of JetInit with its path. ESENT_SWEEP_SEED=n picks the
// sample; ESENT_LONG_TESTS=1 visits every call and 4 crash seeds per point; ESENT_CRASH_SEED=n uses
// that one crash seed at every point.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "api/jet.h"
#include "fault_instance.h"
#include "io/crash_file_system.h"
#include "io/fault_file_system.h"
#include "sweep.h"

namespace esent_test {
namespace {

using esent::io::CrashFileSystem;
using esent::io::FaultFileSystem;
namespace fi = fault_instance;

// In the CI tier, a seeded sample of this many faults and crash points.
constexpr std::size_t kCiFaults = 30;
constexpr std::size_t kCiCrashPoints = 20;

constexpr int kRows = 240;               // committed, ids 1..kRows
constexpr int kGenerations = 4;          // the committed rows span this many log rolls
constexpr int kFirstUncommittedRow = 9000;
constexpr int kUncommittedRows = 20;

std::set<std::int32_t> CommittedIds() {
  std::set<std::int32_t> ids;
  for (int id = 1; id <= kRows + 1; ++id) ids.insert(id);
  return ids;
}

// An instance configured as fi::StartInstance does, not initialised.
JET_ERR Configure(JET_INSTANCE* instance) {
  JET_ERR err = JetCreateInstanceA(instance, fi::NextInstanceName("recovery-sweep-").c_str());
  if (err < 0) return err;
  if ((err = JetSetSystemParameterA(instance, 0, JET_paramRecovery, 0, "on")) < 0 ||
      (err = JetSetSystemParameterA(instance, 0, JET_paramSystemPath, 0, fi::kLogs)) < 0 ||
      (err = JetSetSystemParameterA(instance, 0, JET_paramLogFilePath, 0, fi::kLogs)) < 0 ||
      (err = JetSetSystemParameterA(instance, 0, JET_paramTempPath, 0, "/data/temp.edb")) < 0) {
    return err;
  }
  return JetSetSystemParameterA(instance, 0, JET_paramLogFileSize, 64, nullptr);
}

// Every id of table t of an initialised `instance` (a session, the database attached and
// opened); *err gets the first error.
std::set<std::int32_t> ReadIds(JET_INSTANCE instance, JET_ERR* err) {
  std::set<std::int32_t> ids;
  JET_SESID sesid = 0;
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  JET_COLUMNDEF def{};
  if ((*err = JetBeginSession(instance, &sesid, nullptr, nullptr)) < 0) return ids;
  // After a recovery the database is attached already (JET_wrnDatabaseAttached).
  if ((*err = JetAttachDatabaseA(sesid, fi::kDatabase, 0)) < 0 ||
      (*err = JetOpenDatabaseA(sesid, fi::kDatabase, nullptr, &dbid, 0)) < 0 ||
      (*err = JetOpenTableA(sesid, dbid, "t", nullptr, 0, 0, &table)) < 0 ||
      (*err = JetGetTableColumnInfoA(sesid, table, "id", &def, sizeof def, JET_ColInfo)) < 0) {
    return ids;
  }
  JET_ERR move = JetMove(sesid, table, static_cast<JET_INT32>(JET_MoveFirst), 0);
  for (; move >= 0; move = JetMove(sesid, table, JET_MoveNext, 0)) {
    std::int32_t id = 0;
    JET_UINT32 got = 0;
    if ((*err = JetRetrieveColumn(sesid, table, def.columnid, &id, sizeof id, &got, 0, nullptr)) < 0) return ids;
    ids.insert(id);
  }
  *err = move == JET_errNoCurrentRecord ? JET_errSuccess : move;
  return ids;
}

// The dirty state of the file comment.
std::shared_ptr<CrashFileSystem> PrepareDirtyLog() {
  auto crash = std::make_shared<CrashFileSystem>();
  EXPECT_TRUE(crash->create_directories("/logs").ok());
  EXPECT_TRUE(crash->create_directories("/data").ok());
  fi::InstallFileSystem(crash);
  fi::Handles h;
  EXPECT_EQ(JET_errSuccess, fi::StartInstance(h, {.name_prefix = "recovery-sweep-prepare-"}));
  fi::CreateSchema(h);
  const std::string value(300, 'v');
  for (int id = 1; id <= kRows; ++id) {
    EXPECT_EQ(JET_errSuccess, fi::Insert(h, id, value));
    if (id % (kRows / kGenerations) == 0) {
      // JET_bitForceNewLog alone, outside a transaction, rolls the log and commits nothing.
      EXPECT_EQ(JET_errSuccess, JetCommitTransaction(h.sesid, JET_bitForceNewLog));
    }
  }
  fi::Handles other = h;
  EXPECT_EQ(JET_errSuccess, JetBeginSession(h.instance, &other.sesid, nullptr, nullptr));
  EXPECT_EQ(JET_errSuccess, JetOpenDatabaseA(other.sesid, fi::kDatabase, nullptr, &other.dbid, 0));
  EXPECT_EQ(JET_errSuccess, JetOpenTableA(other.sesid, other.dbid, "t", nullptr, 0, 0, &other.table));
  EXPECT_EQ(JET_errSuccess, JetBeginTransaction(other.sesid));
  for (int id = kFirstUncommittedRow; id < kFirstUncommittedRow + kUncommittedRows; ++id) {
    EXPECT_EQ(JET_errSuccess, JetPrepareUpdate(other.sesid, other.table, JET_prepInsert));
    EXPECT_EQ(JET_errSuccess, JetSetColumn(other.sesid, other.table, h.id, &id, sizeof id, 0, nullptr));
    EXPECT_EQ(JET_errSuccess, JetUpdate(other.sesid, other.table, nullptr, 0, nullptr));
  }
  EXPECT_EQ(JET_errSuccess, fi::Insert(h, kRows + 1, value));
  std::shared_ptr<CrashFileSystem> dirty = crash->clone_durable();
  JetTerm2(h.instance, JET_bitTermAbrupt);
  return dirty;
}

struct Case {
  bool crash = false;
  std::optional<sweep::FaultCase> fault{};
  sweep::CallPoint point{};  // crash mode
  std::uint64_t crash_seed = 0;

  std::string describe() const {
    if (crash) return "crash at " + point.describe() + " (seed " + std::to_string(crash_seed) + ")";
    return fault ? fault->describe() : std::string("no fault");
  }
};

struct CaseResult {
  sweep::Counts counts{};
  bool happened = false;  // the fault was injected, or the crash point reached
  JET_ERR init = JET_errSuccess;
  std::vector<std::string> calls;  // without a fault: every call of JetInit with its path
};

// JetInit on the registry's file system recovers exactly the committed rows.
void ExpectRecoveryKeepsEveryCommit(const char* what) {
  JET_INSTANCE instance = 0;
  ASSERT_EQ(JET_errSuccess, Configure(&instance));
  const JET_ERR init = JetInit(&instance);
  EXPECT_EQ(JET_errSuccess, init) << what;
  if (init < 0) return;
  JET_ERR err = JET_errSuccess;
  const std::set<std::int32_t> ids = ReadIds(instance, &err);
  EXPECT_TRUE(CommittedIds() == ids) << what << ": " << sweep::DescribeDifference(CommittedIds(), ids);
  EXPECT_EQ(JET_errSuccess, err) << what;
  EXPECT_EQ(JET_errSuccess, JetTerm2(instance, JET_bitTermAbrupt)) << what;
}

// One case on a fresh durable copy of `dirty` (see the file comment).
void RunCase(CrashFileSystem& dirty, const Case& c, CaseResult* result) {
  SCOPED_TRACE(c.describe());
  std::shared_ptr<CrashFileSystem> running = dirty.clone_durable();
  auto watched = std::make_shared<FaultFileSystem>(running);
  ASSERT_NO_FATAL_FAILURE(fi::InstallFileSystem(watched));
  JET_INSTANCE instance = 0;
  ASSERT_EQ(JET_errSuccess, Configure(&instance));
  std::shared_ptr<CrashFileSystem> after = running;  // the state the later JetInit starts from
  {
    std::unique_ptr<sweep::CallRecorder> recorder;
    std::unique_ptr<sweep::CrashTrigger> trigger;
    if (c.crash) {
      trigger = std::make_unique<sweep::CrashTrigger>(*watched, running, c.point, sweep::CrashOptionsFor(c.crash_seed));
      trigger->active = true;
      result->init = JetInit(&instance);
      trigger->active = false;
      after = trigger->crashed();
      result->happened = after != nullptr;
    } else {
      recorder = std::make_unique<sweep::CallRecorder>(*watched, /*keep_calls=*/!c.fault);
      if (c.fault) c.fault->arm(*watched);
      recorder->active = true;
      result->init = JetInit(&instance);
      recorder->active = false;
      result->counts = recorder->counts();
      result->calls = recorder->calls();
      result->happened = watched->injected_count() > 0;
      watched->clear_faults();
    }
  }
  if (!c.fault) {
    EXPECT_EQ(JET_errSuccess, result->init) << "JetInit without a fault";
  }
  if (result->init >= 0) {
    // Recovery reported success (in fault mode: the fault was absorbed): exactly the commits.
    JET_ERR err = JET_errSuccess;
    const std::set<std::int32_t> ids = ReadIds(instance, &err);
    EXPECT_TRUE(CommittedIds() == ids) << "after a JetInit that succeeded: "
                                       << sweep::DescribeDifference(CommittedIds(), ids);
    EXPECT_EQ(JET_errSuccess, err);
    EXPECT_EQ(JET_errSuccess, JetTerm2(instance, JET_bitTermAbrupt));
    if (!c.crash) {
      // What a power loss after the successful JetInit keeps recovers the same rows.
      ASSERT_NO_FATAL_FAILURE(fi::InstallFileSystem(running->clone_durable()));
      ASSERT_NO_FATAL_FAILURE(ExpectRecoveryKeepsEveryCommit("a JetInit after a successful one and a power loss"));
      return;
    }
  } else {
    EXPECT_EQ(0u, instance) << "a failed JetInit (" << result->init << ") left its handle";
  }
  if (c.crash) {
    ASSERT_NE(nullptr, after) << "JetInit never reached the crash point";
  }
  // What a power loss right after the failed JetInit keeps (fault mode), taken before the
  // later JetInit writes anything.
  std::shared_ptr<CrashFileSystem> after_power_loss;
  if (!c.crash) after_power_loss = running->clone_crashed(sweep::CrashOptionsFor(c.fault ? c.fault->point.nth : 0));
  // Accepted only while no instance exists: nothing of the failed JetInit stayed behind.
  ASSERT_NO_FATAL_FAILURE(fi::InstallFileSystem(after)) << "an instance stayed after JetInit returned "
                                                        << result->init;
  ASSERT_NO_FATAL_FAILURE(ExpectRecoveryKeepsEveryCommit("the JetInit after the fault or the crash"));
  if (after_power_loss) {
    ASSERT_NO_FATAL_FAILURE(fi::InstallFileSystem(after_power_loss));
    ASSERT_NO_FATAL_FAILURE(ExpectRecoveryKeepsEveryCommit("the JetInit after the fault and a power loss"));
  }
}

class RecoveryFaultSweep : public ::testing::Test {
 protected:
  void TearDown() override { fi::RestorePosixFileSystem(); }
};

void Sweep(bool crash, bool sticky = false) {
  std::string label = crash ? "recovery crash sweep" : "recovery fault sweep";
  if (sticky) label.insert(label.find("fault sweep"), "sticky ");
  std::shared_ptr<CrashFileSystem> dirty = PrepareDirtyLog();
  ASSERT_FALSE(::testing::Test::HasFailure());
  CaseResult counted;
  ASSERT_NO_FATAL_FAILURE(RunCase(*dirty, Case{}, &counted));
  ASSERT_FALSE(::testing::Test::HasFailure());
  const std::uint64_t seed = sweep::SeedFromEnvironment("ESENT_SWEEP_SEED", 10);
  std::printf("%s: sample seed %llu; calls:%s\n", label.c_str(), static_cast<unsigned long long>(seed),
              sweep::CountsLine(counted.counts).c_str());
  if (std::getenv("ESENT_SWEEP_LIST_CALLS") != nullptr) {
    for (const std::string& call : counted.calls) std::printf("%s: call %s\n", label.c_str(), call.c_str());
  }
  std::vector<Case> cases;
  if (crash) {
    const std::vector<sweep::CallPoint> points = sweep::CallPoints(counted.counts, seed);
    for (std::size_t i = 0; i < points.size(); ++i) {
      for (std::uint64_t crash_seed : sweep::CrashSeeds(i)) {
        cases.push_back({.crash = true, .point = points[i], .crash_seed = crash_seed});
      }
    }
  } else {
    for (const sweep::FaultCase& fault : sweep::FaultCases(counted.counts, seed)) cases.push_back({.fault = fault});
  }
  for (Case& c : cases) {
    if (c.fault) c.fault->sticky = sticky;
  }
  cases = sweep::LimitInCi(std::move(cases), crash ? kCiCrashPoints : kCiFaults, seed);
  const std::uint64_t failed = sweep::RunCases(label, cases, crash, "JetInit", [&](const Case& c) {
    CaseResult result;
    RunCase(*dirty, c, &result);
    return sweep::Outcome{result.happened, result.init < 0, result.init};
  });
  if (!crash) {
    EXPECT_GT(failed, 0u) << "no fault failed the call";
  }
}

TEST_F(RecoveryFaultSweep, EveryFaultDuringReplayFailsJetInitCleanlyAndALaterJetInitRecoversEveryCommit) {
  Sweep(false);
}

TEST_F(RecoveryFaultSweep, APowerLossAtAnyCallOfTheReplayThenJetInitRecoversEveryCommit) { Sweep(true); }

// The disk stays broken from the faulted call on: JetInit's own cleanup meets the fault again.
TEST_F(RecoveryFaultSweep, AFaultThatPersistsFromAnyCallOfTheReplayOnFailsJetInitCleanly) { Sweep(false, true); }

}  // namespace
}  // namespace esent_test
