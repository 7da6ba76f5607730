// Crash sweeps of the full and the incremental streaming backup, and fault and crash sweeps of
// JetTruncateLogInstance (issue 10, Deliver 1), on the client and the prepared states of
// stream_client.h: an instance on a FaultFileSystem over a crashable in-memory file system
// commits rows (JetCommitTransaction(0): durable when it returns), then runs the client loop of
// a streaming backup (Begin .. End, see stream_client.h::RunBackup).
//
// Crash mode (BackupCrashSweep): one run counts the file-system calls of the backup (Begin to
// End); then, for every call point of sweep.h (every write, sync, rename and directory sync; the
// first, the last and a seeded sample of the others), a fresh copy of the prepared state runs
// the same backup and, at the start of that call, the state a power loss would leave is taken
// (CrashFileSystem::clone_crashed, seeded torn sectors and kept unsynced writes). On that state:
//   - JetInit recovers;
//   - every acknowledged commit is present: the rows of the prepared state (cleanly terminated)
//     and every row the live instance committed before the backup began — all of them were
//     committed with JetCommitTransaction(0), so each was durable when its commit returned;
//   - no backup is in progress: JetBeginExternalBackupInstance succeeds (and is aborted);
//   - a new full streaming backup succeeds and restores (its own logs only) with every row.
//
// Fault then power loss (BackupCrashSweep.AFault*): EIO, ENOSPC (a short write on writes) at each
// call point of the whole backup; the failed backup is ended with abort; then the durable state
// of that moment gets the after-checks of the crash mode, and a backup that reported success
// restores with every row.
//
// JetTruncateLogInstance (TruncateLogSweep): the same backup, but the calls counted, failed and
// crashed are only those of JetTruncateLogInstance (after every log was streamed). Fault mode:
// EIO, ENOSPC (and a short write on writes) at each of its calls; the call returns an error or
// success (a failed one is followed by End with abort); then the durable state of that moment
// (what a power loss right after it keeps) recovers every row (the truncation deleted no log
// that recovery needs), a backup that reported success restores with every row, and a new full
// backup succeeds and restores. Crash mode: a power loss at each of its calls, then the checks
// of the crash mode above.
//
// Each sweep prints `reliability: <name>: N crash points (or faults injected), N handled`.
// ESENT_SWEEP_SEED=n picks the sample; ESENT_LONG_TESTS=1 visits every call and 4 crash seeds per
// point; ESENT_CRASH_SEED=n uses that one crash seed at every point.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
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
namespace fi = fault_instance;

// In the CI tier, the sweeps of a whole backup run a seeded sample of this many cases.
constexpr std::size_t kCiCases = 16;
using namespace stream_client;  // NOLINT(google-build-using-namespace): the client is this file's vocabulary

// Which calls a case counts, faults or crashes.
enum class Phase { kWholeBackup, kTruncate };

struct Case {
  Kind kind = Kind::kFull;
  Phase phase = Phase::kWholeBackup;
  bool crash = false;                // crash mode (else fault mode, or the counting run)
  std::optional<sweep::FaultCase> fault{};  // fault mode: the armed fault
  sweep::CallPoint point{};            // crash mode: where the power is lost
  std::uint64_t crash_seed = 0;

  std::string describe() const {
    const std::string what = crash ? "crash at " + point.describe() + " (seed " + std::to_string(crash_seed) + ")"
                             : fault ? fault->describe()
                                     : std::string("no fault");
    return std::string(kind == Kind::kFull ? "full" : "incremental") +
           (phase == Phase::kTruncate ? " backup's JetTruncateLogInstance: " : " backup: ") + what;
  }
};

struct CaseResult {
  sweep::Counts counts{};    // the calls of the phase
  bool fired = false;        // fault mode: the fault was injected
  bool reached = false;      // crash mode: the crash point was reached
  ClientRun run;
};

// The after-checks on a state a power loss (or a failed call) left: JetInit recovers, every
// committed row of `kind` is present, no backup is in progress, a new full backup succeeds and
// restores with every row. Installs `state`; no instance may exist.
void CheckRecoveredState(const std::shared_ptr<CrashFileSystem>& state, Kind kind) {
  ASSERT_NO_FATAL_FAILURE(fi::InstallFileSystem(state));
  Live live;
  const JET_ERR opened = Open(live);
  if (opened < 0) {
    JetTerm2(live.instance, JET_bitTermAbrupt);
    FAIL() << "JetInit (recovery) or opening table t failed: " << opened;
  }
  std::set<std::int32_t> ids;
  EXPECT_EQ(JET_errSuccess, ReadIds(live, &ids));
  EXPECT_EQ(ExpectedIds(kind), ids) << "the acknowledged commits after recovery";
  EXPECT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(live.instance, 0)) << "a backup stayed in progress";
  EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(live.instance, JET_bitBackupEndAbort));
  const ClientRun final_run = RunBackup(live.instance, *state, kFinalSet);
  EXPECT_FALSE(final_run.failed()) << "the backup after recovery: " << final_run.failed_call << " "
                                   << final_run.first_error;
  EXPECT_EQ(JET_errSuccess, JetTerm(live.instance));
  if (!final_run.failed()) {
    JET_ERR err = JET_errSuccess;
    EXPECT_EQ(ExpectedIds(kind), RestoredIds(*state, kFinalSet, &err)) << "the backup after recovery";
    EXPECT_EQ(JET_errSuccess, err) << "restoring the backup after recovery";
  }
}

// One case on a fresh durable copy of `prepared` (made by Prepare(c.kind)); see the file comment.
void RunCase(CrashFileSystem& prepared, const Case& c, CaseResult* result) {
  SCOPED_TRACE(c.describe());
  std::shared_ptr<CrashFileSystem> running = prepared.clone_durable();
  auto watched = std::make_shared<FaultFileSystem>(running);
  ASSERT_NO_FATAL_FAILURE(fi::InstallFileSystem(watched));
  Live live;
  ASSERT_EQ(JET_errSuccess, Open(live));
  const std::string value(300, 'w');
  const int first_row = c.kind == Kind::kFull ? kFirstLiveRow : kFirstIncrementalRow;
  const int rows = c.kind == Kind::kFull ? kLiveRows : kIncrementalRows;
  for (int id = first_row; id < first_row + rows; ++id) {
    ASSERT_EQ(JET_errSuccess, fi::Insert(live.sesid, live.table, live.id, live.value, id, value, 0));
  }

  std::shared_ptr<CrashFileSystem> crashed;
  {
    std::unique_ptr<sweep::CallRecorder> recorder;
    std::unique_ptr<sweep::CrashTrigger> trigger;
    if (c.crash) {
      trigger = std::make_unique<sweep::CrashTrigger>(*watched, running, c.point, sweep::CrashOptionsFor(c.crash_seed));
    } else {
      recorder = std::make_unique<sweep::CallRecorder>(*watched);
    }
    // Starts or ends the phase: counting, the armed fault (fail_at counts from its arming) and
    // the crash point only see the phase's calls.
    auto phase = [&](bool entering) {
      if (entering && c.fault) c.fault->arm(*watched);
      if (recorder) recorder->active = entering;
      if (trigger) trigger->active = entering;
      if (!entering) {
        result->fired = watched->injected_count() > 0;
        watched->clear_faults();
      }
    };
    if (c.phase == Phase::kWholeBackup) {
      phase(true);
      result->run = RunBackup(live.instance, *running, kFaultedSet, c.kind);
      phase(false);
    } else {
      result->run = RunBackup(live.instance, *running, kFaultedSet, c.kind, phase);
    }
    if (recorder) result->counts = recorder->counts();
    if (trigger) crashed = trigger->crashed();
  }
  result->reached = crashed != nullptr;
  if (!c.fault) {
    EXPECT_FALSE(result->run.failed()) << result->run.failed_call << ": " << result->run.first_error;
  }
  if (c.crash) {
    JetTerm2(live.instance, JET_bitTermAbrupt);
    ASSERT_NE(nullptr, crashed) << "the run never reached the crash point";
    ASSERT_NO_FATAL_FAILURE(CheckRecoveredState(crashed, c.kind));
    return;
  }
  if (result->run.failed()) {
    if (c.phase == Phase::kTruncate) {
      EXPECT_EQ("JetTruncateLogInstance", result->run.failed_call) << "only the truncation is faulted";
    }
    const JET_ERR end = JetEndExternalBackupInstance2(live.instance, JET_bitBackupEndAbort);
    EXPECT_TRUE(end == JET_errSuccess || end == JET_errNoBackup || end == JET_errInstanceUnavailable)
        << "abort after " << result->run.failed_call << " failed with " << result->run.first_error << ": " << end;
  }
  // What a power loss right now keeps: the truncation deleted no log recovery needs.
  std::shared_ptr<CrashFileSystem> durable = running->clone_durable();
  JetTerm2(live.instance, JET_bitTermAbrupt);
  if (!result->run.failed() && result->fired) {
    // The backup reported success although a call failed under it: its set must be whole.
    JET_ERR err = JET_errSuccess;
    EXPECT_EQ(ExpectedIds(c.kind), RestoredIds(*durable, kFaultedSet, &err)) << "the faulted run's set";
    EXPECT_EQ(JET_errSuccess, err) << "restoring the faulted run's set";
  }
  ASSERT_NO_FATAL_FAILURE(CheckRecoveredState(durable, c.kind));
}

class BackupCrashSweep : public ::testing::Test {
 protected:
  void TearDown() override { fi::RestorePosixFileSystem(); }
};
using TruncateLogSweep = BackupCrashSweep;

std::string SweepName(Kind kind, Phase phase, bool crash) {
  std::string name = kind == Kind::kFull ? "" : "incremental ";
  name += phase == Phase::kTruncate ? "truncate log " : "backup ";
  if (crash) return name + "crash sweep";
  // (BackupFaultSweep's figures are "backup fault sweep".)
  return name + (phase == Phase::kTruncate ? "fault sweep" : "fault then power loss sweep");
}

// Counts the calls of `phase`, then runs every crash point (crash) or fault case of it.
void Sweep(Kind kind, Phase phase, bool crash) {
  const std::string label = SweepName(kind, phase, crash);
  std::shared_ptr<CrashFileSystem> prepared = Prepare(kind);
  ASSERT_FALSE(::testing::Test::HasFailure());
  CaseResult counted;
  ASSERT_NO_FATAL_FAILURE(RunCase(*prepared, Case{.kind = kind, .phase = phase}, &counted));
  ASSERT_FALSE(::testing::Test::HasFailure());
  const std::uint64_t seed = sweep::SeedFromEnvironment("ESENT_SWEEP_SEED", 10);
  std::printf("%s: sample seed %llu; calls:%s\n", label.c_str(), static_cast<unsigned long long>(seed),
              sweep::CountsLine(counted.counts).c_str());

  std::vector<Case> cases;
  if (crash) {
    const std::vector<sweep::CallPoint> points = sweep::CallPoints(counted.counts, seed);
    for (std::size_t i = 0; i < points.size(); ++i) {
      for (std::uint64_t crash_seed : sweep::CrashSeeds(i)) {
        cases.push_back({.kind = kind, .phase = phase, .crash = true, .point = points[i], .crash_seed = crash_seed});
      }
    }
  } else {
    for (const sweep::FaultCase& fault : sweep::FaultCases(counted.counts, seed)) {
      cases.push_back({.kind = kind, .phase = phase, .fault = fault});
    }
  }
  ASSERT_FALSE(cases.empty()) << "the phase made no file-system call";
  if (phase == Phase::kWholeBackup) cases = sweep::LimitInCi(std::move(cases), kCiCases, seed);
  sweep::RunCases(label, cases, crash, "the call", [&](const Case& c) {
    CaseResult result;
    RunCase(*prepared, c, &result);
    return sweep::Outcome{crash ? result.reached : result.fired, result.run.failed(), result.run.first_error};
  });
}

TEST_F(BackupCrashSweep, APowerLossAtAnyCallOfAFullBackupRecoversEveryCommitAndTheNextBackupRestores) {
  Sweep(Kind::kFull, Phase::kWholeBackup, true);
}

TEST_F(BackupCrashSweep, APowerLossAtAnyCallOfAnIncrementalRecoversEveryCommitAndTheNextBackupRestores) {
  Sweep(Kind::kIncremental, Phase::kWholeBackup, true);
}

// Fault mode over the whole backup: what a power loss right after the failed call keeps recovers
// every commit (BackupFaultSweep checks the live instance).
TEST_F(BackupCrashSweep, AFaultAtAnyCallOfAFullBackupThenAPowerLossRecoversEveryCommit) {
  Sweep(Kind::kFull, Phase::kWholeBackup, false);
}

TEST_F(BackupCrashSweep, AFaultAtAnyCallOfAnIncrementalThenAPowerLossRecoversEveryCommit) {
  Sweep(Kind::kIncremental, Phase::kWholeBackup, false);
}

TEST_F(TruncateLogSweep, EveryFaultInJetTruncateLogInstanceKeepsTheLogsRecoveryNeeds) {
  Sweep(Kind::kFull, Phase::kTruncate, false);
}

TEST_F(TruncateLogSweep, EveryFaultInTheTruncationOfAnIncrementalKeepsTheLogsRecoveryNeeds) {
  Sweep(Kind::kIncremental, Phase::kTruncate, false);
}

TEST_F(TruncateLogSweep, APowerLossAtAnyCallOfJetTruncateLogInstanceRecoversEveryCommit) {
  Sweep(Kind::kFull, Phase::kTruncate, true);
}

TEST_F(TruncateLogSweep, APowerLossAtAnyCallOfTheTruncationOfAnIncrementalRecoversEveryCommit) {
  Sweep(Kind::kIncremental, Phase::kTruncate, true);
}

}  // namespace
}  // namespace esent_test
