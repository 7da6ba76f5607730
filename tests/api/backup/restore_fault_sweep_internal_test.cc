// Fault and crash sweeps of a restore (issue 10, Deliver 1): JetRestoreInstance of
//   - a streamed full + incremental set (stream_client.h's Prepare(kIncremental), then an
//     incremental streamed into the same /set1/: rows of both), and
//   - an atomic-layout JetBackupInstance backup (/bk, JET_bitBackupAtomic),
// each restored with its own logs only (an instance whose paths are /r/, into /rdest/), on a
// FaultFileSystem over a crashable in-memory file system.
//
// One restore without a fault counts its file-system calls. Fault mode: for every call point of
// sweep.h (every write, sync, rename and directory sync; the first, the last and a seeded sample of
// the others) and each fault (EIO, ENOSPC, a short write on writes), a fresh copy runs the restore
// with that fault armed: the restore returns an error (or, when the fault did not fail it, gives
// every row, also after a power loss right after it), and the same restore run again without a
// fault, on what the failed one left, succeeds and gives every row back. Crash mode (the streamed
// set and the atomic layout): a power loss at the start of each call point (seeded torn sectors and
// kept unsynced writes), then the restore run again on the post-crash state succeeds and gives
// every row back.
// The sticky sweep is the fault mode with a fault that persists from the faulted call on (a disk
// that stays broken), so the restore's own cleanup meets it too.
//
// Each sweep prints `reliability: <name>: N faults injected (or crash points), N handled`.
// ESENT_SWEEP_SEED=n picks the sample; ESENT_LONG_TESTS=1 visits every call and 4 crash seeds per
// point; ESENT_CRASH_SEED=n uses that one crash seed at every point.
#include <gtest/gtest.h>

#include <atomic>
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

// In the CI tier, each sweep runs a seeded sample of this many cases (each costs two restores).
constexpr std::size_t kCiCases = 20;
using namespace stream_client;  // NOLINT(google-build-using-namespace): the client is this file's vocabulary

constexpr const char* kAtomicSet = "/bk";

// Which backup the restore reads.
enum class Layout { kStreamedIncremental, kAtomic };

// The durable state a restore starts from: the backup of `layout`, the source terminated cleanly.
std::shared_ptr<CrashFileSystem> PrepareBackup(Layout layout) {
  std::shared_ptr<CrashFileSystem> state = Prepare(Kind::kIncremental);
  EXPECT_TRUE(state->create_directories(kAtomicSet).ok());
  Live live;
  EXPECT_EQ(JET_errSuccess, Open(live));
  const std::string value(300, 'w');
  for (int id = kFirstIncrementalRow; id < kFirstIncrementalRow + kIncrementalRows; ++id) {
    EXPECT_EQ(JET_errSuccess, fi::Insert(live.sesid, live.table, live.id, live.value, id, value, 0));
  }
  if (layout == Layout::kStreamedIncremental) {
    const ClientRun run = RunBackup(live.instance, *state, kFaultedSet, Kind::kIncremental);
    EXPECT_FALSE(run.failed()) << run.failed_call << " " << run.first_error;
  } else {
    EXPECT_EQ(JET_errSuccess, JetBackupInstanceA(live.instance, kAtomicSet, JET_bitBackupAtomic, nullptr));
  }
  EXPECT_EQ(JET_errSuccess, JetTerm(live.instance));
  return state;
}

const char* SetOf(Layout layout) { return layout == Layout::kAtomic ? kAtomicSet : kFaultedSet; }

// JetRestoreInstanceA of `layout`'s set into /rdest/ by an instance with paths /r/, on the
// registry's file system; `during` (may be null) is active while the restore runs.
JET_ERR Restore(Layout layout, std::atomic<bool>* during) {
  JET_INSTANCE instance = 0;
  JET_ERR err = Configure(&instance, "/r/");
  if (err >= 0) {
    if (during != nullptr) *during = true;
    err = JetRestoreInstanceA(instance, SetOf(layout), "/rdest/", nullptr);
    if (during != nullptr) *during = false;
  }
  JetTerm2(instance, JET_bitTermAbrupt);
  return err;
}

// The ids of the restored database (/rdest/db.edb with logs in /r/), on the registry's file
// system; *err gets the first error.
std::set<std::int32_t> RestoredDatabaseIds(JET_ERR* err) {
  std::set<std::int32_t> ids;
  Live restored;
  *err = Open(restored, "/r/", "/rdest/db.edb");
  if (*err >= 0) *err = ReadIds(restored, &ids);
  JetTerm2(restored.instance, JET_bitTermAbrupt);
  return ids;
}

struct Case {
  Layout layout = Layout::kStreamedIncremental;
  bool crash = false;
  std::optional<sweep::FaultCase> fault{};
  sweep::CallPoint point{};  // crash mode
  std::uint64_t crash_seed = 0;

  std::string describe() const {
    const std::string what = crash ? "crash at " + point.describe() + " (seed " + std::to_string(crash_seed) + ")"
                             : fault ? fault->describe()
                                     : std::string("no fault");
    return std::string(layout == Layout::kAtomic ? "atomic layout: " : "full + incremental: ") + what;
  }
};

struct CaseResult {
  sweep::Counts counts{};
  bool happened = false;  // the fault was injected, or the crash point reached
  JET_ERR restore = JET_errSuccess;
};

// One case on a fresh durable copy of `prepared` (see the file comment).
void RunCase(CrashFileSystem& prepared, const Case& c, CaseResult* result) {
  SCOPED_TRACE(c.describe());
  std::shared_ptr<CrashFileSystem> running = prepared.clone_durable();
  auto watched = std::make_shared<FaultFileSystem>(running);
  ASSERT_NO_FATAL_FAILURE(fi::InstallFileSystem(watched));
  std::shared_ptr<CrashFileSystem> after;  // the state the rerun starts from
  {
    std::unique_ptr<sweep::CallRecorder> recorder;
    std::unique_ptr<sweep::CrashTrigger> trigger;
    std::atomic<bool> during{false};
    if (c.crash) {
      trigger = std::make_unique<sweep::CrashTrigger>(*watched, running, c.point, sweep::CrashOptionsFor(c.crash_seed));
      result->restore = Restore(c.layout, &trigger->active);
      after = trigger->crashed();
      result->happened = after != nullptr;
      ASSERT_NE(nullptr, after) << "the restore never reached the crash point";
    } else {
      recorder = std::make_unique<sweep::CallRecorder>(*watched);
      if (c.fault) c.fault->arm(*watched);
      result->restore = Restore(c.layout, &recorder->active);
      result->counts = recorder->counts();
      result->happened = watched->injected_count() > 0;
      watched->clear_faults();
      after = running;
    }
  }
  if (!c.fault) {
    EXPECT_EQ(JET_errSuccess, result->restore) << "the restore without a fault";
  }
  JET_ERR err = JET_errSuccess;
  if (!c.crash && result->restore >= 0) {
    // The restore reported success (without a fault, or a fault that fired was absorbed): the
    // database is whole, and stays whole through a power loss right after the call.
    std::shared_ptr<CrashFileSystem> power_lost = running->clone_durable();
    ASSERT_NO_FATAL_FAILURE(fi::InstallFileSystem(power_lost));
    EXPECT_EQ(ExpectedIds(Kind::kIncremental), RestoredDatabaseIds(&err))
        << "after a restore that succeeded, and a power loss";
    EXPECT_EQ(JET_errSuccess, err);
    ASSERT_NO_FATAL_FAILURE(fi::InstallFileSystem(after));
    EXPECT_EQ(ExpectedIds(Kind::kIncremental), RestoredDatabaseIds(&err)) << "after a restore that succeeded";
    EXPECT_EQ(JET_errSuccess, err);
    if (!c.fault) return;
  }
  ASSERT_NO_FATAL_FAILURE(fi::InstallFileSystem(after));
  EXPECT_EQ(JET_errSuccess, Restore(c.layout, nullptr)) << "the restore run again (the first returned "
                                                          << result->restore << ")";
  EXPECT_EQ(ExpectedIds(Kind::kIncremental), RestoredDatabaseIds(&err)) << "after the rerun";
  EXPECT_EQ(JET_errSuccess, err);
}

class RestoreFaultSweep : public ::testing::Test {
 protected:
  void TearDown() override { fi::RestorePosixFileSystem(); }
};

void Sweep(Layout layout, bool crash, bool sticky = false) {
  std::string label = std::string(layout == Layout::kAtomic ? "atomic-layout " : "incremental-set ") +
                            (crash ? "restore crash sweep" : "restore fault sweep");
  if (sticky) label.insert(label.find("fault sweep"), "sticky ");
  std::shared_ptr<CrashFileSystem> prepared = PrepareBackup(layout);
  ASSERT_FALSE(::testing::Test::HasFailure());
  CaseResult counted;
  ASSERT_NO_FATAL_FAILURE(RunCase(*prepared, Case{.layout = layout}, &counted));
  ASSERT_FALSE(::testing::Test::HasFailure());
  const std::uint64_t seed = sweep::SeedFromEnvironment("ESENT_SWEEP_SEED", 10);
  std::printf("%s: sample seed %llu; calls:%s\n", label.c_str(), static_cast<unsigned long long>(seed),
              sweep::CountsLine(counted.counts).c_str());
  std::vector<Case> cases;
  if (crash) {
    const std::vector<sweep::CallPoint> points = sweep::CallPoints(counted.counts, seed);
    for (std::size_t i = 0; i < points.size(); ++i) {
      for (std::uint64_t crash_seed : sweep::CrashSeeds(i)) {
        cases.push_back({.layout = layout, .crash = true, .point = points[i], .crash_seed = crash_seed});
      }
    }
  } else {
    for (const sweep::FaultCase& fault : sweep::FaultCases(counted.counts, seed)) {
      cases.push_back({.layout = layout, .fault = fault});
    }
  }
  for (Case& c : cases) {
    if (c.fault) c.fault->sticky = sticky;
  }
  cases = sweep::LimitInCi(std::move(cases), kCiCases, seed);
  const std::uint64_t failed = sweep::RunCases(label, cases, crash, "the restore", [&](const Case& c) {
    CaseResult result;
    RunCase(*prepared, c, &result);
    return sweep::Outcome{result.happened, result.restore < 0, result.restore};
  });
  if (!crash) {
    EXPECT_GT(failed, 0u) << "no fault failed the call";
  }
}

TEST_F(RestoreFaultSweep, EveryFaultRestoringAFullAndIncrementalSetFailsAndARerunGivesEveryRow) {
  Sweep(Layout::kStreamedIncremental, false);
}

TEST_F(RestoreFaultSweep, EveryFaultRestoringAnAtomicBackupFailsAndARerunGivesEveryRow) {
  Sweep(Layout::kAtomic, false);
}

TEST_F(RestoreFaultSweep, APowerLossAtAnyCallRestoringAFullAndIncrementalSetThenARerunGivesEveryRow) {
  Sweep(Layout::kStreamedIncremental, true);
}

TEST_F(RestoreFaultSweep, APowerLossAtAnyCallRestoringAnAtomicBackupThenARerunGivesEveryRow) {
  Sweep(Layout::kAtomic, true);
}

// The disk stays broken from the faulted call on: the restore's own cleanup meets the fault again.
TEST_F(RestoreFaultSweep, AFaultThatPersistsFromAnyCallRestoringAFullAndIncrementalSetFailsAndARerunGivesEveryRow) {
  Sweep(Layout::kStreamedIncremental, false, true);
}

}  // namespace
}  // namespace esent_test
