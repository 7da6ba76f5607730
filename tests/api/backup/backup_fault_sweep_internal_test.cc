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
// 3. Summary lines report the numbers, the last one `reliability: <sweep>: N faults injected, N
//    handled` (tests/api/sweep.h). ESENT_SWEEP_SEED=n picks the sample seed (default 10);
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

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "api/jet.h"
#include "fault_instance.h"
#include "io/crash_file_system.h"
#include "io/fault_file_system.h"
#include "stream_client.h"
#include "sweep.h"

namespace esent_test {
namespace {

using esent::io::CrashFileSystem;
using esent::io::FaultFileSystem;
using Operation = FaultFileSystem::Operation;
namespace fi = fault_instance;
using namespace stream_client;  // NOLINT(google-build-using-namespace): the client is this file's vocabulary

const char* SweepName(Kind kind) {
  return kind == Kind::kFull ? "backup fault sweep" : "incremental backup fault sweep";
}

struct Case {
  Kind kind = Kind::kFull;
  bool armed = false;
  sweep::FaultCase fault{};
};

struct CaseResult {
  sweep::Counts counts{};
  bool fired = false;
  ClientRun run;
  bool restarted = false;
  bool database_failed = false;  // the rows could not be read back before a restart
  // Without a fault: every call of the backup, "operation #n path", in order.
  std::vector<std::string> calls;
};

std::string Describe(const Case& c) { return c.armed ? c.fault.describe() : "no fault"; }

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
  if (c.armed) faults->fail_at(c.fault.point.operation, c.fault.point.nth, c.fault.fault);
  {
    sweep::CallRecorder recorder(*faults, /*keep_calls=*/!c.armed);
    recorder.active = true;
    result->run = RunBackup(live.instance, *base, kFaultedSet, c.kind);
    recorder.active = false;
    result->counts = recorder.counts();
    result->calls = recorder.calls();
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

  const std::uint64_t seed = sweep::SeedFromEnvironment("ESENT_SWEEP_SEED", 10);
  std::vector<Case> cases;
  for (const sweep::FaultCase& fault : sweep::FaultCases(counted.counts, seed, sweep::kSampledCallsPerOperation, /*all_faults=*/true)) cases.push_back({kind, true, fault});
  const std::string counts_line = sweep::CountsLine(counted.counts);
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
      absorbed_calls.insert(c.fault.point.describe());
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
  if (!::testing::Test::HasFailure()) sweep::PrintSummary(label, failed + absorbed, failed + absorbed);
}

TEST_F(BackupFaultSweep, EveryFaultAtAnyCallFailsCleanlyKeepsEveryCommitAndTheNextBackupRestores) {
  SweepEveryCall(Kind::kFull);
}

TEST_F(BackupFaultSweep, EveryFaultAtAnyCallOfAnIncrementalFailsCleanlyKeepsEveryCommitAndTheNextBackupRestores) {
  SweepEveryCall(Kind::kIncremental);
}

}  // namespace
}  // namespace esent_test
