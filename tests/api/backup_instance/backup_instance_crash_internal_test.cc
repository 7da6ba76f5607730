// An atomic JetBackupInstance interrupted at any file-system call (issue 8 acceptance): on a
// crashable in-memory file system, /bk holds a previous atomic backup (rows A); more rows (B)
// are committed; then an atomic backup runs and, at a chosen call of it, the state a power loss
// would leave is taken (io::CrashFileSystem::clone_crashed). On that state:
//   - EsentVerifyBackup(/bk) passes and JetRestoreInstance(/bk) restores exactly A (the previous
//     backup) or exactly A ∪ B (the new one): never a mix, never nothing;
//   - the source instance recovers and a next atomic backup succeeds and verifies.
// (A crash point is taken as its call begins, so even the last one may leave the previous
// backup; the uninterrupted run shows the new one.)
// The same with an injected fault (io::FaultFileSystem::fail_at) at every write, sync and rename
// the backup makes in /bk: the call fails, /bk restores exactly A, and the next atomic backup on
// the same instance succeeds.
//
// CI: every call index once (seed n crashes at call (n - 1) mod calls + 1); ESENT_LONG_TESTS=1:
// 4 seeds per call; ESENT_CRASH_SEED=n runs only seed n.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "api/jet.h"
#include "backup_instance/backup_instance_memory.h"
#include "fault_instance.h"
#include "io/crash_file_system.h"
#include "io/fault_file_system.h"

namespace esent_test {
namespace {

using esent::io::CrashFileSystem;
using esent::io::FaultFileSystem;
namespace fi = fault_instance;
namespace bm = backup_instance_memory;

constexpr int kRowsA = 400;
constexpr int kFirstRowB = 1000;
constexpr int kRowsB = 240;

bool LongTests() {
  const char* value = std::getenv("ESENT_LONG_TESTS");
  return value != nullptr && std::string(value) == "1";
}

std::set<std::int32_t> RowsA() { return bm::Ids(1, kRowsA); }
std::set<std::int32_t> RowsAB() {
  std::set<std::int32_t> ids = RowsA();
  for (std::int32_t id : bm::Ids(kFirstRowB, kRowsB)) ids.insert(id);
  return ids;
}

// The durable state every run starts from: an atomic backup of rows A in /bk, rows B committed
// after it, the source terminated cleanly.
std::shared_ptr<CrashFileSystem> PreparePreviousBackup() {
  auto crash = std::make_shared<CrashFileSystem>();
  bm::CreateFolders(*crash);
  fi::InstallFileSystem(crash);
  fi::Handles h;
  EXPECT_EQ(JET_errSuccess, bm::StartSource(h, true));
  bm::InsertRange(h, 1, kRowsA);
  EXPECT_EQ(JET_errSuccess, JetBackupInstanceA(h.instance, bm::kBackupDir, JET_bitBackupAtomic, nullptr));
  // Rows B over three log generations, so the next backup copies several logs.
  for (int part = 0; part < 3; ++part) {
    bm::InsertRange(h, kFirstRowB + part * (kRowsB / 3), part == 2 ? kRowsB - 2 * (kRowsB / 3) : kRowsB / 3);
    EXPECT_EQ(JET_errSuccess, JetCommitTransaction(h.sesid, JET_bitForceNewLog));
  }
  EXPECT_EQ(JET_errSuccess, JetTerm(h.instance));
  return crash;
}

// Starts the source on the registry's file system and runs one atomic backup (with `extra_bits`)
// of it; `during`
// (may be null) is set while JetBackupInstance runs. Returns its code; the source is terminated.
JET_ERR RunAtomicBackup(std::atomic<bool>* during, JET_GRBIT extra_bits = 0) {
  fi::Handles h;
  JET_ERR err = bm::StartSource(h, false);
  if (err >= 0) {
    if (during != nullptr) *during = true;
    err = JetBackupInstanceA(h.instance, bm::kBackupDir, JET_bitBackupAtomic | extra_bits, nullptr);
    if (during != nullptr) *during = false;
  }
  JetTerm2(h.instance, JET_bitTermAbrupt);
  return err;
}

class BackupInstanceCrash : public ::testing::Test {
 protected:
  void TearDown() override { fi::RestorePosixFileSystem(); }
};

TEST_F(BackupInstanceCrash, AnUninterruptedAtomicBackupRestoresEveryRow) {
  std::shared_ptr<CrashFileSystem> prepared = PreparePreviousBackup();
  ASSERT_FALSE(HasFailure());
  {
    auto before = prepared->clone_durable();
    ASSERT_NO_FATAL_FAILURE(fi::InstallFileSystem(before));
    JET_ERR err = JET_errSuccess;
    EXPECT_EQ(RowsA(), bm::RestoreIds(bm::kBackupDir, &err)) << "the previous backup";
    EXPECT_EQ(JET_errSuccess, err);
  }
  auto running = prepared->clone_durable();
  ASSERT_NO_FATAL_FAILURE(fi::InstallFileSystem(running));
  ASSERT_EQ(JET_errSuccess, RunAtomicBackup(nullptr));
  EXPECT_EQ(JET_errSuccess, bm::Verify(bm::kBackupDir));
  JET_ERR err = JET_errSuccess;
  EXPECT_EQ(RowsAB(), bm::RestoreIds(bm::kBackupDir, &err));
  EXPECT_EQ(JET_errSuccess, err);
}

// Crashes an atomic backup (with `extra_bits`) of the prepared state at every call (see the file
// comment) and checks each post-crash state.
void CrashAtEveryCall(const std::shared_ptr<CrashFileSystem>& prepared, JET_GRBIT extra_bits) {
  // How many file-system calls one atomic backup makes.
  std::uint64_t total = 0;
  {
    auto counted = std::make_shared<FaultFileSystem>(prepared->clone_durable());
    std::atomic<bool> during{false};
    std::atomic<std::uint64_t> calls{0};
    counted->set_call_observer([&](FaultFileSystem::Operation, const std::string&) {
      if (during) ++calls;
    });
    ASSERT_NO_FATAL_FAILURE(fi::InstallFileSystem(counted));
    ASSERT_EQ(JET_errSuccess, RunAtomicBackup(&during, extra_bits));
    total = calls.load();
  }
  ASSERT_GT(total, 10u) << "the backup made too few calls to be real";

  std::vector<std::uint64_t> seeds;
  if (const char* only = std::getenv("ESENT_CRASH_SEED")) {
    seeds.push_back(std::strtoull(only, nullptr, 10));
  } else {
    const std::uint64_t per_call = LongTests() ? 4 : 1;
    for (std::uint64_t seed = 1; seed <= total * per_call; ++seed) seeds.push_back(seed);
  }
  int saw_previous = 0;
  int saw_new = 0;
  for (std::uint64_t seed : seeds) {
    const std::uint64_t crash_at = 1 + (seed - 1) % total;
    std::mt19937_64 random(seed);
    const esent::io::CrashOptions options{random(), (random() & 1) != 0, static_cast<double>(random() % 3) * 0.4};
    if (seed % 25 == 1 || seeds.size() == 1) {
      std::printf("backup crash seed %llu: power lost at call %llu of %llu\n", static_cast<unsigned long long>(seed),
                  static_cast<unsigned long long>(crash_at), static_cast<unsigned long long>(total));
    }
    std::shared_ptr<CrashFileSystem> running = prepared->clone_durable();
    auto watched = std::make_shared<FaultFileSystem>(running);
    std::atomic<bool> during{false};
    std::atomic<std::uint64_t> seen{0};
    std::shared_ptr<CrashFileSystem> after_crash;
    watched->set_call_observer([&](FaultFileSystem::Operation, const std::string&) {
      if (during && ++seen == crash_at) after_crash = running->clone_crashed(options);
    });
    ASSERT_NO_FATAL_FAILURE(fi::InstallFileSystem(watched));
    ASSERT_EQ(JET_errSuccess, RunAtomicBackup(&during, extra_bits)) << "seed " << seed;
    ASSERT_NE(nullptr, after_crash) << "seed " << seed;

    ASSERT_NO_FATAL_FAILURE(fi::InstallFileSystem(after_crash));
    EXPECT_EQ(JET_errSuccess, bm::Verify(bm::kBackupDir)) << "seed " << seed << " (crash at call " << crash_at << ")";
    JET_ERR err = JET_errSuccess;
    const std::set<std::int32_t> restored = bm::RestoreIds(bm::kBackupDir, &err);
    ASSERT_EQ(JET_errSuccess, err) << "seed " << seed << " (crash at call " << crash_at << "): no restorable backup";
    if (restored == RowsA()) {
      ++saw_previous;
    } else if (restored == RowsAB()) {
      ++saw_new;
    } else {
      ADD_FAILURE() << "seed " << seed << " (crash at call " << crash_at << "): restored " << restored.size()
                    << " rows, neither the previous backup (" << kRowsA << ") nor the new one ("
                    << kRowsA + kRowsB << ")";
    }
    // The source recovers from the crash and backs up again.
    EXPECT_EQ(JET_errSuccess, RunAtomicBackup(nullptr, extra_bits)) << "seed " << seed << " (crash at call " << crash_at << " of " << total
                                                         << "): the next atomic backup";
    EXPECT_EQ(JET_errSuccess, bm::Verify(bm::kBackupDir)) << "seed " << seed << ": after the next backup";
    if (::testing::Test::HasFailure()) break;  // one failing crash point is enough to report
  }
  std::printf("backup crash: %llu crash points, previous backup restored %d times, new %d times\n",
              static_cast<unsigned long long>(total), saw_previous, saw_new);
  if (seeds.size() > 1) {
    EXPECT_GT(saw_previous, 0) << "no crash point left the previous backup (the crash points missed the backup)";
  }
}

TEST_F(BackupInstanceCrash, APowerLossAtAnyCallLeavesACompleteBackupAndTheNextOneSucceeds) {
  std::shared_ptr<CrashFileSystem> prepared = PreparePreviousBackup();
  ASSERT_FALSE(HasFailure());
  CrashAtEveryCall(prepared, 0);
}

// The same for an atomic incremental backup: the logs are added to /bk/new all or nothing.
TEST_F(BackupInstanceCrash, APowerLossAtAnyCallOfAnAtomicIncrementalLeavesTheBackupAsItWasOrComplete) {
  std::shared_ptr<CrashFileSystem> prepared = PreparePreviousBackup();
  ASSERT_FALSE(HasFailure());
  CrashAtEveryCall(prepared, JET_bitBackupIncremental);
}

// How many calls of each of `operations` one atomic backup makes in /bk.
std::vector<std::uint64_t> CountBackupDirectoryCalls(const std::shared_ptr<CrashFileSystem>& prepared,
                                                     const std::vector<FaultFileSystem::Operation>& operations) {
  std::vector<std::uint64_t> counts(operations.size(), 0);
  auto counted = std::make_shared<FaultFileSystem>(prepared->clone_durable());
  std::atomic<bool> during{false};
  counted->set_call_observer([&](FaultFileSystem::Operation operation, const std::string& path) {
    if (!during || path.find(bm::kBackupDir) == std::string::npos) return;
    for (std::size_t i = 0; i < operations.size(); ++i) counts[i] += operation == operations[i] ? 1u : 0u;
  });
  fi::InstallFileSystem(counted);
  EXPECT_EQ(JET_errSuccess, RunAtomicBackup(&during));
  for (std::size_t i = 0; i < operations.size(); ++i) {
    std::printf("backup faults: %llu x %s in /bk\n", static_cast<unsigned long long>(counts[i]),
                esent::io::operation_name(operations[i]));
  }
  return counts;
}

// Fails each call of each of `operations` in /bk in turn (a fresh copy of `prepared` each
// time). The contract's either-or: a failed call leaves exactly the previous backup (rows A); a
// call that reports success has promoted the new one (rows A and B). With `must_fail`, every
// injected fault must fail the call. Either way the backup directory verifies and the next
// atomic backup on the same instance succeeds.
void FailEachCall(const std::shared_ptr<CrashFileSystem>& prepared,
                  const std::vector<FaultFileSystem::Operation>& operations, const std::vector<std::uint64_t>& counts,
                  bool must_fail) {
  for (std::size_t i = 0; i < operations.size(); ++i) {
    for (std::uint64_t nth = 1; nth <= counts[i]; ++nth) {
      const std::string what = std::string(esent::io::operation_name(operations[i])) + " #" + std::to_string(nth);
      auto faults = std::make_shared<FaultFileSystem>(prepared->clone_durable());
      ASSERT_NO_FATAL_FAILURE(fi::InstallFileSystem(faults));
      fi::Handles h;
      ASSERT_EQ(JET_errSuccess, bm::StartSource(h, false)) << what;
      esent::io::FaultOptions options;
      options.path_substring = bm::kBackupDir;
      faults->fail_at(operations[i], nth, FaultFileSystem::Fault::kIoError, options);
      const JET_ERR err = JetBackupInstanceA(h.instance, bm::kBackupDir, JET_bitBackupAtomic, nullptr);
      ASSERT_EQ(1u, faults->injected_count()) << what << ": the fault did not fire";
      faults->clear_faults();
      if (must_fail) {
        EXPECT_LT(err, 0) << what << ": the backup succeeded despite the fault";
      }
      EXPECT_EQ(JET_errSuccess, bm::Verify(bm::kBackupDir)) << what;
      JET_ERR restore_err = JET_errSuccess;
      const std::set<std::int32_t> restored = bm::RestoreIds(bm::kBackupDir, &restore_err);
      EXPECT_EQ(JET_errSuccess, restore_err) << what;
      if (err < 0) {
        EXPECT_EQ(RowsA(), restored) << what << ": the call failed (" << err
                                     << ") but /bk does not hold exactly the previous backup ("
                                     << (restored == RowsAB() ? "it holds the new one" : "rows differ") << ")";
      } else {
        EXPECT_EQ(RowsAB(), restored) << what << ": the call succeeded but /bk does not hold the new backup";
      }
      EXPECT_EQ(JET_errSuccess, JetBackupInstanceA(h.instance, bm::kBackupDir, JET_bitBackupAtomic, nullptr))
          << what << ": the next backup on the same instance";
      EXPECT_EQ(JET_errSuccess, bm::Verify(bm::kBackupDir)) << what << ": after the next backup";
      JetTerm2(h.instance, JET_bitTermAbrupt);
    }
  }
}

TEST_F(BackupInstanceCrash, AFaultAtEveryWriteSyncAndRenameFailsTheBackupAndKeepsThePrevious) {
  std::shared_ptr<CrashFileSystem> prepared = PreparePreviousBackup();
  ASSERT_FALSE(HasFailure());
  const std::vector<FaultFileSystem::Operation> operations = {
      FaultFileSystem::Operation::kWrite, FaultFileSystem::Operation::kSync, FaultFileSystem::Operation::kRename};
  const std::vector<std::uint64_t> counts = CountBackupDirectoryCalls(prepared, operations);
  ASSERT_GT(counts[0], 0u);
  ASSERT_GT(counts[1], 0u);
  ASSERT_GT(counts[2], 0u) << "an atomic backup promotes by rename";
  FailEachCall(prepared, operations, counts, true);
}

// The other calls an atomic backup makes in /bk: opens, directory syncs, creations and the
// removal of the previous backup once the new one is promoted.
TEST_F(BackupInstanceCrash, AFaultAtAnyOtherCallInTheDirectoryLeavesThePreviousBackupOrReportsTheNew) {
  std::shared_ptr<CrashFileSystem> prepared = PreparePreviousBackup();
  ASSERT_FALSE(HasFailure());
  const std::vector<FaultFileSystem::Operation> operations = {
      FaultFileSystem::Operation::kOpen, FaultFileSystem::Operation::kSyncDirectory,
      FaultFileSystem::Operation::kCreateDirectories, FaultFileSystem::Operation::kRemove,
      FaultFileSystem::Operation::kRemoveDirectory};
  const std::vector<std::uint64_t> counts = CountBackupDirectoryCalls(prepared, operations);
  ASSERT_GT(counts[0], 0u);
  ASSERT_GT(counts[1], 0u);
  FailEachCall(prepared, operations, counts, false);
}

}  // namespace
}  // namespace esent_test
