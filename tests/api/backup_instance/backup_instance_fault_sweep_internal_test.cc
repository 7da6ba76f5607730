// Fault and crash sweeps of JetBackupInstance at every file-system call it makes, the source side
// included (log roll and flush, database reads, header and checkpoint writes, truncation), not
// only those in the backup folder (issue 10, Deliver 1). Four forms: full and incremental, atomic
// and not atomic. On a crashable in-memory file system (backup_instance_memory.h's folders):
// rows A are committed, then (except for a non-atomic full) a backup of the same atomicity goes
// to /bk; rows B are committed over three log generations; the source terminates cleanly. Every
// commit is JetCommitTransaction(0), durable when it returns.
//
// One backup without a fault counts its calls. Fault mode: for every call point of sweep.h (every
// write, sync, rename and directory sync; the first, the last and a seeded sample of the others)
// and each fault (EIO, ENOSPC, a short write on writes), a fresh copy runs the backup with that
// fault armed. Then:
//   - the live instance keeps every row (A and B; after a restart, when the fault made it
//     unavailable or left the database failing);
//   - the backup folder: a call that succeeded left a backup that verifies (EsentVerifyBackup)
//     and restores exactly A ∪ B. A call that failed left, in the atomic forms and the non-atomic
//     incremental, a backup that verifies and restores exactly A (the previous one) or exactly
//     A ∪ B (a failure after the promotion, documented in src/backup/directory_backup.h); in a
//     non-atomic full, no backup (nothing verifies) or exactly A ∪ B;
//   - the next backup of the same form succeeds (a non-atomic full into a new folder), verifies
//     and restores exactly A ∪ B.
// The same for JetBackupInstance without a folder (only the truncation of the logs below the
// checkpoint; the running source commits B itself just before it, the folder checks do not
// apply, and its next backup is a non-atomic full into /bk).
// Crash mode (the non-atomic forms and the truncation; the atomic ones are in
// backup_instance_crash_internal_test.cc):
// a power loss at the start of each call point; on the post-crash state the folder is as a
// failed call leaves it (above) — except that a non-atomic full interrupted while it promotes
// its files may leave them there without the manifest, which is no backup (counted and printed;
// a new non-atomic full into that folder is JET_errBackupDirectoryNotEmpty, as ESE requires an
// empty folder) — the source recovers every row and the next backup succeeds and restores A ∪ B.
// The sticky sweeps (atomic full, non-atomic incremental) are the fault mode with a fault that
// persists from the faulted call on (a disk that stays broken), so the backup's cleanup meets it
// too.
//
// Each sweep prints `reliability: <name>: N faults injected (or crash points), N handled`.
// ESENT_SWEEP_LIST_CALLS=1 prints every call of the backup with its path. ESENT_SWEEP_SEED=n
// picks the sample; ESENT_LONG_TESTS=1 visits every call and 4 crash seeds per
// point; ESENT_CRASH_SEED=n uses that one crash seed at every point.
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
#include "backup/stream_client.h"
#include "backup_instance/backup_instance_memory.h"
#include "fault_instance.h"
#include "io/crash_file_system.h"
#include "io/fault_file_system.h"
#include "sweep.h"

namespace esent_test {
namespace {

using esent::io::CrashFileSystem;
using esent::io::FaultFileSystem;
namespace fi = fault_instance;

// In the CI tier, each sweep runs a seeded sample of this many cases (each costs two backups and
// two restores).
constexpr std::size_t kCiCases = 12;
namespace bm = backup_instance_memory;

constexpr int kRowsA = 200;
constexpr int kFirstRowB = 1000;
constexpr int kRowsB = 120;
constexpr const char* kNextDir = "/bk2";  // where a non-atomic full's next backup goes

// In CI, the sample of the calls other than writes, syncs, renames and directory syncs.
constexpr std::size_t kSampledCalls = 8;

struct Form {
  bool atomic = false;
  bool incremental = false;
  bool truncate_only = false;  // JetBackupInstance(NULL): only the truncation of the logs
  JET_GRBIT bits() const {
    return (atomic ? JET_bitBackupAtomic : 0) | (incremental ? JET_bitBackupIncremental : 0);
  }
  const char* folder() const { return truncate_only ? nullptr : bm::kBackupDir; }
  std::string name() const {
    if (truncate_only) return "truncate-only (no folder)";
    return std::string(atomic ? "atomic " : "non-atomic ") + (incremental ? "incremental" : "full");
  }
};

// The rows B over three log generations on `h`.
void InsertRowsB(fi::Handles& h) {
  for (int part = 0; part < 3; ++part) {
    bm::InsertRange(h, kFirstRowB + part * (kRowsB / 3), kRowsB / 3);
    EXPECT_EQ(JET_errSuccess, JetCommitTransaction(h.sesid, JET_bitForceNewLog));
  }
}

std::set<std::int32_t> RowsA() { return bm::Ids(1, kRowsA); }
std::set<std::int32_t> RowsAB() {
  std::set<std::int32_t> ids = RowsA();
  for (std::int32_t id : bm::Ids(kFirstRowB, kRowsB)) ids.insert(id);
  return ids;
}

// The durable state of the file comment for `form`.
std::shared_ptr<CrashFileSystem> Prepare(Form form) {
  auto crash = std::make_shared<CrashFileSystem>();
  bm::CreateFolders(*crash);
  EXPECT_TRUE(crash->create_directories(kNextDir).ok());
  fi::InstallFileSystem(crash);
  fi::Handles h;
  EXPECT_EQ(JET_errSuccess, bm::StartSource(h, true));
  bm::InsertRange(h, 1, kRowsA);
  if (form.atomic || form.incremental) {
    EXPECT_EQ(JET_errSuccess,
              JetBackupInstanceA(h.instance, bm::kBackupDir, form.atomic ? JET_bitBackupAtomic : 0, nullptr));
  }
  // The truncation alone: the running source commits B itself (RunCase), so its logs are
  // recent when they are truncated.
  if (!form.truncate_only) InsertRowsB(h);
  EXPECT_EQ(JET_errSuccess, JetTerm(h.instance));
  return crash;
}

struct Case {
  Form form;
  bool crash = false;
  std::optional<sweep::FaultCase> fault{};
  sweep::CallPoint point{};  // crash mode
  std::uint64_t crash_seed = 0;

  std::string describe() const {
    const std::string what = crash ? "crash at " + point.describe() + " (seed " + std::to_string(crash_seed) + ")"
                             : fault ? fault->describe()
                                     : std::string("no fault");
    return form.name() + ": " + what;
  }
};

struct CaseResult {
  sweep::Counts counts{};
  bool happened = false;  // the fault was injected, or the crash point reached
  JET_ERR backup = JET_errSuccess;
  bool left_previous = false;  // the folder held the previous backup after a failure
  bool left_partial = false;   // a crash left files of a non-atomic full without its manifest
  bool restarted = false;
  std::vector<std::string> calls;  // without a fault: every call of JetBackupInstance with its path
};

// The folder after a failed (or crashed) backup of `form`, on the registry's file system (see the
// file comment); `what` names the case.
void ExpectFolderAfterFailure(Form form, CaseResult* result) {
  if (form.truncate_only) return;
  const JET_ERR verified = bm::Verify(bm::kBackupDir);
  if (!form.atomic && !form.incremental && verified < 0) return;  // no backup, as before
  EXPECT_EQ(JET_errSuccess, verified) << "the backup folder after the failure";
  JET_ERR err = JET_errSuccess;
  const std::set<std::int32_t> restored = bm::RestoreIds(bm::kBackupDir, &err);
  EXPECT_EQ(JET_errSuccess, err) << "restoring the backup folder after the failure";
  if (restored == RowsA() && (form.atomic || form.incremental)) {
    result->left_previous = true;
  } else {
    EXPECT_EQ(RowsAB(), restored) << "the folder holds neither the previous backup nor the new one";
  }
}

// The live instance's rows: every row of A and B, restarting it (recovery) when it cannot read.
void ExpectLiveRows(fi::Handles& h, CaseResult* result) {
  std::set<std::int32_t> ids;
  JET_ERR read = stream_client::ReadIds(h, &ids);
  if (read < 0) {
    JetTerm2(h.instance, JET_bitTermAbrupt);
    h = fi::Handles{};
    result->restarted = true;
    ASSERT_EQ(JET_errSuccess, bm::StartSource(h, false)) << "recovery after the failed backup";
    read = stream_client::ReadIds(h, &ids);
  }
  EXPECT_EQ(JET_errSuccess, read);
  EXPECT_EQ(RowsAB(), ids) << "the live instance's rows";
}

// The next backup of `form` on `h` into the backup folder, restarting first when the instance
// became unavailable; returns the folder it went to (verified and restored later). A non-atomic
// full needs a folder that is empty but for the staging folder: after a failed call the cleanup
// left it so, and the next one goes there. A crash leaves what it interrupted (a complete
// backup, or promoted files without their manifest: result->left_partial); the next one then
// goes to kNextDir.
std::string NextBackup(Form form, fi::Handles& h, esent::io::FileSystem& file_system, bool after_crash,
                       CaseResult* result) {
  std::string folder = bm::kBackupDir;
  if (!form.atomic && !form.incremental) {
    auto names = file_system.list_directory(bm::kBackupDir);
    EXPECT_TRUE(names.ok());
    const bool empty = names.ok() && (names->empty() || (names->size() == 1 && names->front() == "temp"));
    if (!empty) {
      const bool complete = bm::Verify(bm::kBackupDir) >= 0;
      EXPECT_TRUE(after_crash || complete) << "a failed non-atomic full left files without a complete backup";
      result->left_partial = !complete;
      folder = kNextDir;
    }
  }
  JET_ERR err = JetBackupInstanceA(h.instance, folder.c_str(), form.bits(), nullptr);
  if (err == JET_errInstanceUnavailable || err == JET_errLogWriteFail || err == JET_errLogDiskFull) {
    JetTerm2(h.instance, JET_bitTermAbrupt);
    h = fi::Handles{};
    result->restarted = true;
    EXPECT_EQ(JET_errSuccess, bm::StartSource(h, false)) << "the restart before the next backup";
    err = JetBackupInstanceA(h.instance, folder.c_str(), form.bits(), nullptr);
  }
  EXPECT_EQ(JET_errSuccess, err) << "the next backup";
  return folder;
}

void ExpectFolderHoldsEveryRow(const std::string& folder, const char* what) {
  EXPECT_EQ(JET_errSuccess, bm::Verify(folder)) << what;
  JET_ERR err = JET_errSuccess;
  EXPECT_EQ(RowsAB(), bm::RestoreIds(folder, &err)) << what;
  EXPECT_EQ(JET_errSuccess, err) << what;
}

// One case on a fresh durable copy of `prepared` (see the file comment).
void RunCase(CrashFileSystem& prepared, const Case& c, CaseResult* result) {
  SCOPED_TRACE(c.describe());
  std::shared_ptr<CrashFileSystem> running = prepared.clone_durable();
  auto watched = std::make_shared<FaultFileSystem>(running);
  ASSERT_NO_FATAL_FAILURE(fi::InstallFileSystem(watched));
  fi::Handles h;
  ASSERT_EQ(JET_errSuccess, bm::StartSource(h, false));
  if (c.form.truncate_only) {
    ASSERT_NO_FATAL_FAILURE(InsertRowsB(h));
  }
  std::shared_ptr<CrashFileSystem> crashed;
  {
    std::unique_ptr<sweep::CallRecorder> recorder;
    std::unique_ptr<sweep::CrashTrigger> trigger;
    if (c.crash) {
      trigger = std::make_unique<sweep::CrashTrigger>(*watched, running, c.point, sweep::CrashOptionsFor(c.crash_seed));
      trigger->active = true;
      result->backup = JetBackupInstanceA(h.instance, c.form.folder(), c.form.bits(), nullptr);
      trigger->active = false;
      crashed = trigger->crashed();
      result->happened = crashed != nullptr;
    } else {
      recorder = std::make_unique<sweep::CallRecorder>(*watched, /*keep_calls=*/!c.fault);
      if (c.fault) c.fault->arm(*watched);
      recorder->active = true;
      result->backup = JetBackupInstanceA(h.instance, c.form.folder(), c.form.bits(), nullptr);
      recorder->active = false;
      result->counts = recorder->counts();
      result->calls = recorder->calls();
      result->happened = watched->injected_count() > 0;
      watched->clear_faults();
    }
  }
  if (!c.fault) {
    EXPECT_EQ(JET_errSuccess, result->backup) << "the backup without a fault";
  }
  if (c.crash) {
    JetTerm2(h.instance, JET_bitTermAbrupt);
    ASSERT_NE(nullptr, crashed) << "the backup never reached the crash point";
    // The folder is checked on a copy: its restore writes /r/ and /rdest/.
    ASSERT_NO_FATAL_FAILURE(fi::InstallFileSystem(crashed->clone_durable()));
    ASSERT_NO_FATAL_FAILURE(ExpectFolderAfterFailure(c.form, result));
    ASSERT_NO_FATAL_FAILURE(fi::InstallFileSystem(crashed));
    fi::Handles recovered;
    ASSERT_EQ(JET_errSuccess, bm::StartSource(recovered, false)) << "recovery after the crash";
    ASSERT_NO_FATAL_FAILURE(ExpectLiveRows(recovered, result));
    const std::string folder = NextBackup(c.form, recovered, *crashed, true, result);
    JetTerm2(recovered.instance, JET_bitTermAbrupt);
    ExpectFolderHoldsEveryRow(folder, "the backup after the crash");
    return;
  }
  // The faulted run's folder, as a power loss right now would keep it.
  std::shared_ptr<CrashFileSystem> faulted_state = running->clone_durable();
  ASSERT_NO_FATAL_FAILURE(ExpectLiveRows(h, result));
  const std::string folder = NextBackup(c.form, h, *running, false, result);
  std::shared_ptr<CrashFileSystem> next_state = running->clone_durable();
  JetTerm2(h.instance, JET_bitTermAbrupt);
  ASSERT_NO_FATAL_FAILURE(fi::InstallFileSystem(faulted_state));
  if (result->backup >= 0) {
    if (!c.form.truncate_only) ExpectFolderHoldsEveryRow(bm::kBackupDir, "the backup that reported success");
  } else {
    ASSERT_NO_FATAL_FAILURE(ExpectFolderAfterFailure(c.form, result));
  }
  {
    // A power loss right after the faulted call: the source recovers every row (the backup
    // deleted no log recovery needs).
    fi::Handles recovered;
    const JET_ERR started = bm::StartSource(recovered, false);
    EXPECT_EQ(JET_errSuccess, started) << "recovery after the faulted backup and a power loss";
    if (started >= 0) {
      std::set<std::int32_t> ids;
      EXPECT_EQ(JET_errSuccess, stream_client::ReadIds(recovered, &ids));
      EXPECT_TRUE(RowsAB() == ids) << "the source after the faulted backup and a power loss: "
                                   << sweep::DescribeDifference(RowsAB(), ids);
    }
    JetTerm2(recovered.instance, JET_bitTermAbrupt);
  }
  ASSERT_NO_FATAL_FAILURE(fi::InstallFileSystem(next_state));
  ExpectFolderHoldsEveryRow(folder, "the backup after the fault");
}

class BackupInstanceFaultSweep : public ::testing::Test {
 protected:
  void TearDown() override { fi::RestorePosixFileSystem(); }
};

void Sweep(Form form, bool crash, bool sticky = false) {
  std::string label = "JetBackupInstance " + form.name() + (crash ? " crash sweep" : " fault sweep");
  if (sticky) label.insert(label.find("fault sweep"), "sticky ");
  std::shared_ptr<CrashFileSystem> prepared = Prepare(form);
  ASSERT_FALSE(::testing::Test::HasFailure());
  CaseResult counted;
  ASSERT_NO_FATAL_FAILURE(RunCase(*prepared, Case{.form = form}, &counted));
  ASSERT_FALSE(::testing::Test::HasFailure());
  const std::uint64_t seed = sweep::SeedFromEnvironment("ESENT_SWEEP_SEED", 10);
  std::printf("%s: sample seed %llu; calls:%s\n", label.c_str(), static_cast<unsigned long long>(seed),
              sweep::CountsLine(counted.counts).c_str());
  if (std::getenv("ESENT_SWEEP_LIST_CALLS") != nullptr) {
    for (const std::string& call : counted.calls) std::printf("%s: call %s\n", label.c_str(), call.c_str());
  }
  std::vector<Case> cases;
  if (crash) {
    const std::vector<sweep::CallPoint> points = sweep::CallPoints(counted.counts, seed, kSampledCalls);
    for (std::size_t i = 0; i < points.size(); ++i) {
      for (std::uint64_t crash_seed : sweep::CrashSeeds(i)) {
        cases.push_back({.form = form, .crash = true, .point = points[i], .crash_seed = crash_seed});
      }
    }
  } else {
    for (const sweep::FaultCase& fault : sweep::FaultCases(counted.counts, seed, kSampledCalls)) {
      cases.push_back({.form = form, .fault = fault});
    }
  }
  for (Case& c : cases) {
    if (c.fault) c.fault->sticky = sticky;
  }
  cases = sweep::LimitInCi(std::move(cases), kCiCases, seed);
  std::string absorbed;  // fault mode: the cases whose fault fired while the call succeeded
  std::uint64_t injected = 0, handled = 0, failed = 0, left_previous = 0, left_partial = 0, restarted = 0;
  for (const Case& c : cases) {
    CaseResult result;
    RunCase(*prepared, c, &result);
    if (result.happened) ++injected;
    if (result.backup < 0) ++failed;
    if (result.left_previous) ++left_previous;
    if (result.left_partial) ++left_partial;
    if (result.restarted) ++restarted;
    if (::testing::Test::HasFailure()) {
      std::printf("%s: first failing case: %s (JetBackupInstance returned %d)\n", label.c_str(),
                  c.describe().c_str(), result.backup);
      break;
    }
    if (result.happened) ++handled;
    if (!crash && result.happened && result.backup >= 0) absorbed += " " + c.describe();
  }
  std::printf("%s: %zu cases, %llu failed the call, %llu left the previous backup, %llu left promoted files "
              "without a manifest, %llu needed a restart\n",
              label.c_str(), cases.size(), static_cast<unsigned long long>(failed),
              static_cast<unsigned long long>(left_previous), static_cast<unsigned long long>(left_partial),
              static_cast<unsigned long long>(restarted));
  if (!crash) {
    EXPECT_GT(failed, 0u);
  }
  if (!crash) std::printf("%s: faults that fired while the call succeeded:%s\n", label.c_str(), absorbed.c_str());
  sweep::PrintSummary(label, injected, handled, crash ? "crash points" : "faults injected");
  EXPECT_EQ(injected, handled);
  EXPECT_GT(injected, 0u);
}

TEST_F(BackupInstanceFaultSweep, EveryFaultInAnAtomicFullFailsCleanlyKeepsEveryRowAndTheNextBackupRestores) {
  Sweep({.atomic = true, .incremental = false}, false);
}

TEST_F(BackupInstanceFaultSweep, EveryFaultInAnAtomicIncrementalFailsCleanlyKeepsEveryRowAndTheNextBackupRestores) {
  Sweep({.atomic = true, .incremental = true}, false);
}

TEST_F(BackupInstanceFaultSweep, EveryFaultInANonAtomicFullFailsCleanlyKeepsEveryRowAndTheNextBackupRestores) {
  Sweep({.atomic = false, .incremental = false}, false);
}

TEST_F(BackupInstanceFaultSweep, EveryFaultInANonAtomicIncrementalFailsCleanlyKeepsEveryRowAndTheNextBackupRestores) {
  Sweep({.atomic = false, .incremental = true}, false);
}

TEST_F(BackupInstanceFaultSweep, APowerLossAtAnyCallOfANonAtomicFullRecoversEveryRowAndTheNextBackupRestores) {
  Sweep({.atomic = false, .incremental = false}, true);
}

TEST_F(BackupInstanceFaultSweep, APowerLossAtAnyCallOfANonAtomicIncrementalRecoversEveryRowAndTheNextBackupRestores) {
  Sweep({.atomic = false, .incremental = true}, true);
}

// The disk stays broken from the faulted call on: the backup's cleanup meets the fault again.
TEST_F(BackupInstanceFaultSweep, AFaultThatPersistsFromAnyCallOfAnAtomicFullKeepsThePreviousBackupAndEveryRow) {
  Sweep({.atomic = true, .incremental = false}, false, true);
}

TEST_F(BackupInstanceFaultSweep,
       AFaultThatPersistsFromAnyCallOfANonAtomicIncrementalKeepsThePreviousBackupAndEveryRow) {
  Sweep({.atomic = false, .incremental = true}, false, true);
}

// JetBackupInstance without a folder only truncates the logs below the checkpoint: a fault or a
// power loss at any of its calls deletes no log recovery needs.
TEST_F(BackupInstanceFaultSweep, EveryFaultInATruncationWithoutAFolderKeepsEveryRowAndTheNextBackupRestores) {
  Sweep({.truncate_only = true}, false);
}

TEST_F(BackupInstanceFaultSweep, APowerLossAtAnyCallOfATruncationWithoutAFolderRecoversEveryRow) {
  Sweep({.truncate_only = true}, true);
}

}  // namespace
}  // namespace esent_test
