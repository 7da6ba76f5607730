// SIGKILL crash tests with backups and restores (issue 10, Deliver 2): a child process
// (tests/crash/crash_child.cc, through libesent.so, on real folders under /tmp) runs the oracle
// workload of crash_oracle.h beside a backup loop, or runs a restore, and reports each step on a
// pipe (tests/crash/kill_protocol.h); this process SIGKILLs it at a seeded moment — after a
// seeded event of the backup or restore (the k-th of its phase events) plus a seeded delay, or
// after a seeded time — and then checks what the folders hold:
//   - stream (writers + streaming backups): recovery (itself killed once in a while: a crash
//     during recovery) keeps every acknowledged durable commit (the oracle's judge); no backup is in progress (Begin succeeds); the last full streamed
//     backup the child ended restores to a state the oracle accepts for that backup's moment;
//     a new full streamed backup restores into a fresh folder with every recovered row.
//   - instance (writers + JetBackupInstance, atomic or not, full or incremental): recovery as
//     above; the atomic folder (and the folder of the last non-atomic backup) holds a complete
//     backup when one ended before the kill — EsentVerifyBackup passes and it restores to a state
//     the oracle accepts; the next JetBackupInstance of each kind succeeds, verifies and restores
//     every recovered row.
//   - restore (JetRestoreInstance of a prepared set with several logs): the restore run again on
//     the same folders succeeds and gives every row back.
//
// A restored backup is judged with the events up to the kill, a commit counting as acknowledged
// only when it returned before the backup began (what returned later may be in it or not; what
// started after the backup ended cannot be).
//
// Seeds: a few per mode in CI, 40 under ESENT_LONG_TESTS=1; ESENT_KILL_SEED=n runs only seed n
// (choose the mode with --gtest_filter). Each test prints one "reliability: SIGKILL <mode>:"
// line with its counts.
#include <esent.h>
#include <esent_ext.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "../crash/kill_protocol.h"
#include "../crash/stream_client.h"
#include "crash_kill_fixture.h"
#include "crash_oracle.h"

extern char** environ;

namespace esent_crash {
namespace {

using namespace kill_test;

using esent_kill::PhaseEvent;
using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kMinimumBackups = 4;     // the child's backup loop runs at least this many
constexpr std::uint32_t kStreamEventsPerBackup = 8;  // B D L G T t E e
constexpr std::uint32_t kInstanceEventsPerBackup = 4;  // B b C e (and P events, not counted)

bool long_tests() {
  const char* value = std::getenv("ESENT_LONG_TESTS");
  return value != nullptr && std::string(value) == "1";
}

// [first, first + count) with count 40 under ESENT_LONG_TESTS=1, or only ESENT_KILL_SEED.
std::vector<std::uint64_t> kill_seeds(std::uint64_t first, std::uint64_t ci_count) {
  if (const char* only = std::getenv("ESENT_KILL_SEED")) return {std::strtoull(only, nullptr, 10)};
  std::vector<std::uint64_t> seeds;
  for (std::uint64_t i = 0; i < (long_tests() ? 40 : ci_count); ++i) seeds.push_back(first + i);
  return seeds;
}

// When to kill: once phase event number `after_phase` (0-based, counting the "K" lines whose
// letter is in `letters`, or every one when it is empty, and whose value is at least
// `min_value`) has arrived, plus `delay_us`; with after_phase < 0, `delay_us` after the child
// started.
struct KillPlan {
  std::int64_t after_phase = -1;
  std::uint32_t delay_us = 0;
  std::string letters;
  std::uint32_t min_value = 0;
  std::string describe() const {
    std::string which = "after phase event " + std::to_string(after_phase);
    if (!letters.empty()) which += " of " + letters;
    if (min_value != 0) which += " at " + std::to_string(min_value);
    return (after_phase < 0 ? "at " : which + " + ") + std::to_string(delay_us) + " us";
  }
};

// After one of the first `phase_events` events of `letters`, plus no delay (one time in four)
// or up to `max_delay_us`.
KillPlan plan_kill(std::mt19937_64& random, std::uint32_t phase_events, std::uint32_t max_delay_us,
                   std::string letters = "") {
  KillPlan plan;
  plan.after_phase = static_cast<std::int64_t>(random() % phase_events);
  plan.delay_us = random() % 4 == 0 ? 0 : static_cast<std::uint32_t>(random() % max_delay_us);
  plan.letters = std::move(letters);
  return plan;
}

// What the child reported, in pipe order.
struct ChildRun {
  std::vector<Event> events;             // commit events
  std::vector<PhaseEvent> phases;        // "K" events
  std::vector<std::size_t> phase_at;     // events.size() when each phase event arrived
  bool killed = false;                   // this process sent SIGKILL
  bool died_of_kill = false;             // the child ended by SIGKILL
  bool exited_cleanly = false;           // the child ran to its end (status 0)

  // "<letter><number>" (and the percent of a P) of the last phase event: where the kill landed.
  std::string last_phase() const {
    if (phases.empty()) return "none";
    const PhaseEvent& last = phases.back();
    return std::string(1, last.letter) + std::to_string(last.number) +
           (last.letter == 'P' ? " at " + std::to_string(last.value) + "%" : "");
  }
};

// Spawns crash_child with `arguments`, reads its pipe to the end, kills it per `plan`.
void run_child(const std::vector<std::string>& arguments, const KillPlan& plan, ChildRun& run) {
  int pipe_ends[2];
  ASSERT_EQ(0, ::pipe(pipe_ends));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_ends[0]);
  std::vector<std::string> all = {ESENT_CRASH_CHILD_PATH};
  all.insert(all.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& argument : all) argv.push_back(argument.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, ESENT_CRASH_CHILD_PATH, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_ends[1]);
  if (spawned != 0) ::close(pipe_ends[0]);
  ASSERT_EQ(0, spawned) << "cannot start " << ESENT_CRASH_CHILD_PATH;

  bool deadline_set = plan.after_phase < 0;
  std::int64_t counted = 0;  // phase events of plan.letters so far
  Clock::time_point deadline = Clock::now() + std::chrono::microseconds(plan.delay_us);
  std::string pending;
  char buffer[4096];
  bool open = true;
  while (open) {
    if (!run.killed && deadline_set && Clock::now() >= deadline) {
      ::kill(pid, SIGKILL);
      run.killed = true;
    }
    pollfd descriptor{pipe_ends[0], POLLIN, 0};
    timespec timeout{1, 0};
    if (!run.killed && deadline_set) {
      const auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - Clock::now()).count();
      timeout = timespec{0, static_cast<long>(std::max<std::int64_t>(0, left))};
      if (left >= 1000000000) timeout = timespec{1, 0};
    }
    const int ready = ::ppoll(&descriptor, 1, &timeout, nullptr);
    if (ready < 0 && errno == EINTR) continue;
    ASSERT_GE(ready, 0);
    if (ready == 0) continue;
    const ssize_t count = ::read(pipe_ends[0], buffer, sizeof(buffer));
    if (count < 0 && errno == EINTR) continue;
    if (count <= 0) break;
    pending.append(buffer, static_cast<std::size_t>(count));
    std::size_t end = 0;
    while ((end = pending.find('\n')) != std::string::npos) {
      const std::string line = pending.substr(0, end);
      pending.erase(0, end + 1);
      if (auto phase = esent_kill::parse_phase_line(line)) {
        EXPECT_NE('X', phase->letter) << "the child failed with " << -static_cast<std::int64_t>(phase->value);
        run.phases.push_back(*phase);
        run.phase_at.push_back(run.events.size());
        if ((plan.letters.empty() || plan.letters.find(phase->letter) != std::string::npos) &&
            phase->value >= plan.min_value) {
          ++counted;
        }
        if (!deadline_set && counted > plan.after_phase) {
          deadline_set = true;
          deadline = Clock::now() + std::chrono::microseconds(plan.delay_us);
        }
      } else if (auto event = parse_event_line(line)) {
        run.events.push_back(*event);
      } else {
        ADD_FAILURE() << "unknown line from the child: " << line;
      }
    }
  }
  ::close(pipe_ends[0]);
  int status = 0;
  ASSERT_EQ(pid, ::waitpid(pid, &status, 0));
  run.died_of_kill = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  run.exited_cleanly = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  EXPECT_TRUE(run.died_of_kill || run.exited_cleanly) << "child status " << status;
}

// The commit events as a backup that began at phase event `begin` sees them: a commit counts as
// returned only when it returned before the backup began.
std::vector<Event> events_for_backup(const ChildRun& run, std::size_t begin) {
  std::vector<Event> events = run.events;
  for (std::size_t i = run.phase_at[begin]; i < events.size(); ++i) {
    if (events[i].kind == EventKind::kReturned) events[i].kind = EventKind::kFailed;
  }
  return events;
}

// The index of the last phase event with `letter` for which `accept(event)` holds, or -1.
template <typename Accept>
std::int64_t last_phase(const ChildRun& run, char letter, Accept accept) {
  for (std::size_t i = run.phases.size(); i-- > 0;) {
    if (run.phases[i].letter == letter && accept(run.phases[i])) return static_cast<std::int64_t>(i);
  }
  return -1;
}

// The index of the phase event `letter` of backup `number`, or -1.
std::int64_t phase_of(const ChildRun& run, char letter, std::uint32_t number) {
  return last_phase(run, letter, [&](const PhaseEvent& event) { return event.number == number; });
}

// Restores `set`, and judges the rows with `events` (what the backup may hold).
void expect_backup_restores(const TempRoot& root, const std::string& name, const std::string& set,
                            const Plan& plan, const std::vector<Event>& events) {
  Rows rows;
  ASSERT_EQ(JET_errSuccess, restore_and_read(root, name, set, &rows)) << set;
  const Verdict verdict = check(plan, events, rows);
  EXPECT_TRUE(verdict.ok) << "the backup in " << set << ":\n" << verdict.describe();
}

// Recovers the child's folder in a new instance (left running in *instance) and judges it.
void recover_and_judge(const std::string& folder, const Plan& plan, const ChildRun& run, JET_INSTANCE* instance,
                       Rows* rows) {
  ASSERT_EQ(JET_errSuccess, start_instance(folder, instance)) << "recovery";
  ASSERT_EQ(JET_errSuccess, read_database(*instance, folder + "oracle.edb", rows));
  const Verdict verdict = check(plan, run.events, *rows);
  EXPECT_TRUE(verdict.ok) << verdict.describe();
}

WorkloadOptions workload_for_seed(std::uint64_t seed, std::mt19937_64& random) {
  WorkloadOptions workload;
  workload.seed = seed;
  workload.sessions = 2 + static_cast<std::uint32_t>(random() % 2);
  workload.transactions_per_session = 120;
  return workload;
}

std::vector<std::string> child_arguments(const char* mode, const std::string& folder, const WorkloadOptions& workload,
                                         const std::string& backup_root) {
  return {mode, folder, std::to_string(workload.seed), std::to_string(workload.sessions),
          std::to_string(workload.transactions_per_session), backup_root, std::to_string(kMinimumBackups)};
}

// Failures (fatal or not) the running test has recorded so far.
int failures_so_far() {
  const ::testing::TestResult* result = ::testing::UnitTest::GetInstance()->current_test_info()->result();
  int failures = 0;
  for (int i = 0; i < result->total_part_count(); ++i) {
    if (result->GetTestPartResult(i).failed()) ++failures;
  }
  return failures;
}

// "reliability: SIGKILL <mode>: <kills> kills, <recovered> recovered (<runs> runs<more>)": runs are the
// child processes, kills those that died of the SIGKILL (a few may end first), recovered the
// runs after which every check passed.
void print_summary(const char* mode, std::uint64_t kills, std::uint64_t recovered, std::uint64_t runs,
                   const std::string& more = "") {
  std::printf("reliability: SIGKILL %s: %llu kills, %llu recovered (%llu runs%s)\n", mode,
              static_cast<unsigned long long>(kills), static_cast<unsigned long long>(recovered),
              static_cast<unsigned long long>(runs), more.c_str());
}

TEST(CrashKillTest, StreamingBackupKilledKeepsCommitsAndTheNextBackupRestores) {
  std::uint64_t kills = 0;
  std::uint64_t recovered = 0;
  std::uint64_t runs = 0;
  std::uint64_t recovery_kills = 0;
  for (std::uint64_t seed : kill_seeds(7000, 3)) {
    std::mt19937_64 random(seed);
    const WorkloadOptions workload = workload_for_seed(seed, random);
    // Inside one of the first backups, so that the child, which runs kMinimumBackups, is still
    // running when the kill comes.
    const KillPlan kill = plan_kill(random, (kMinimumBackups - 1) * kStreamEventsPerBackup, 5000);
    SCOPED_TRACE("seed " + std::to_string(seed) + ", kill " + kill.describe());
    const int failures_before = failures_so_far();
    TempRoot root;
    const std::string live = root.sub("live");
    const std::string backups = root.sub("backups");
    ASSERT_NO_FATAL_FAILURE(set_up_database(live, workload.sessions));
    ChildRun run;
    ASSERT_NO_FATAL_FAILURE(run_child(child_arguments("stream", live, workload, backups), kill, run));
    ++runs;
    EXPECT_TRUE(run.killed && run.died_of_kill) << "the kill landed after the child's end";
    if (run.died_of_kill) ++kills;
    std::printf("SIGKILL stream: seed %llu, kill %s, landed after %s, %zu commit events\n",
                static_cast<unsigned long long>(seed), kill.describe().c_str(), run.last_phase().c_str(),
                run.events.size());
    const Plan plan = make_plan(workload);

    // One time in three the recovery is killed too: crash_child's writers mode with no
    // transaction recovers the folder in JetInit and ends; it is killed within 40 ms.
    if (random() % 3 == 0) {
      ChildRun recovery;
      const KillPlan again{-1, static_cast<std::uint32_t>(random() % 40000), "", 0};
      ASSERT_NO_FATAL_FAILURE(run_child({live, std::to_string(seed), std::to_string(workload.sessions), "0"}, again,
                                        recovery));
      std::printf("  the recovery killed %s: %s\n", again.describe().c_str(),
                  recovery.died_of_kill ? "killed" : "it ended first");
      if (recovery.died_of_kill) ++recovery_kills;
    }

    JET_INSTANCE instance = 0;
    Rows rows;
    ASSERT_NO_FATAL_FAILURE(recover_and_judge(live, plan, run, &instance, &rows));
    // No backup in progress: Begin succeeds.
    EXPECT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance, 0));
    EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance, JET_bitBackupEndAbort));

    // The last full backup the child ended holds what it should: its logs were listed at G.
    const std::int64_t ended = last_phase(run, 'e', [](const PhaseEvent& event) { return event.value == 0; });
    if (ended >= 0) {
      const std::uint32_t number = run.phases[static_cast<std::size_t>(ended)].number;
      const std::int64_t listed = phase_of(run, 'G', number);
      ASSERT_GE(listed, 0);
      const std::int64_t began = phase_of(run, 'B', number);
      ASSERT_GE(began, 0);
      // Commits that started after the log list cannot be in the backup.
      std::vector<Event> events = events_for_backup(run, static_cast<std::size_t>(began));
      events.resize(run.phase_at[static_cast<std::size_t>(listed)]);
      EXPECT_NO_FATAL_FAILURE(expect_backup_restores(root, "previous", backups + "stream-" + std::to_string(number) + "/",
                                                     plan, events));
    }

    // A new full backup restores every recovered row.
    const std::string after = root.sub("after");
    EXPECT_EQ(JET_errSuccess, esent_kill::stream_backup(instance, false, after, [](char) {}));
    EXPECT_EQ(JET_errSuccess, JetTerm(instance));
    Rows restored;
    EXPECT_EQ(JET_errSuccess, restore_and_read(root, "after", after, &restored));
    EXPECT_TRUE(restored == rows) << "the new backup restored " << restored.size() << " rows, recovery had "
                                  << rows.size();
    if (failures_so_far() == failures_before) ++recovered;
  }
  print_summary("stream", kills, recovered, runs, "; " + std::to_string(recovery_kills) + " recoveries killed too");
}

// Where a JetBackupInstance of the child went: <root>atomic/ or <root>plain-<n>/.
std::string instance_folder(const ChildRun& run, const std::string& backups, std::size_t index) {
  const PhaseEvent& event = run.phases[index];
  if (event.value & esent_kill::kAtomicFlag) return backups + "atomic/";
  std::uint32_t made_by = event.number;
  // An incremental extends the folder of the plain full before it.
  for (std::size_t i = index + 1; i-- > 0;) {
    const PhaseEvent& earlier = run.phases[i];
    if (earlier.letter == 'B' && !(earlier.value & esent_kill::kAtomicFlag) &&
        !(earlier.value & esent_kill::kIncrementalFlag)) {
      made_by = earlier.number;
      break;
    }
  }
  return backups + "plain-" + std::to_string(made_by) + "/";
}

// The folder holds a complete backup made no earlier than the child's backup that ended last
// with (`atomic`): it verifies, and restores to a state the oracle accepts. Without such a
// backup, EsentVerifyBackup finds none or a complete one.
void expect_folder_complete(const TempRoot& root, const std::string& name, const std::string& folder,
                            const Plan& plan, const ChildRun& run, std::int64_t ended) {
  if (ended < 0) {
    const JET_ERR verified = EsentVerifyBackupA(folder.c_str(), nullptr);
    EXPECT_TRUE(verified == JET_errSuccess || verified == JET_errFileNotFound) << folder << ": " << verified;
    return;
  }
  EXPECT_EQ(JET_errSuccess, EsentVerifyBackupA(folder.c_str(), nullptr)) << folder << describe_folder(folder);
  const std::int64_t began = phase_of(run, 'B', run.phases[static_cast<std::size_t>(ended)].number);
  ASSERT_GE(began, 0);
  EXPECT_NO_FATAL_FAILURE(
      expect_backup_restores(root, name, folder, plan, events_for_backup(run, static_cast<std::size_t>(began))));
}

// JetBackupInstance into `folder` with `grbit` succeeds, verifies and restores `rows` — or,
// may fail with one of `allowed` (and then changes nothing checked).
void expect_next_backup(const TempRoot& root, const std::string& name, JET_INSTANCE instance,
                        const std::string& folder, JET_GRBIT grbit, const Rows& rows, const std::vector<JET_ERR>& allowed = {}) {
  const JET_ERR err = JetBackupInstanceA(instance, folder.c_str(), grbit, nullptr);
  if (std::find(allowed.begin(), allowed.end(), err) != allowed.end()) {
    std::printf("  the next backup into %s (grbit %u) returned %d, which is allowed here\n", folder.c_str(),
                static_cast<unsigned>(grbit), static_cast<int>(err));
    return;
  }
  ASSERT_EQ(JET_errSuccess, err) << folder << " " << grbit;
  EXPECT_EQ(JET_errSuccess, EsentVerifyBackupA(folder.c_str(), nullptr)) << folder;
  Rows restored;
  EXPECT_EQ(JET_errSuccess, restore_and_read(root, name, folder, &restored)) << folder;
  EXPECT_TRUE(restored == rows) << folder << ": the backup restored " << restored.size() << " rows, recovery had "
                                << rows.size();
}

TEST(CrashKillTest, BackupInstanceKilledLeavesACompleteBackupAndTheNextOneSucceeds) {
  std::uint64_t kills = 0;
  std::uint64_t recovered = 0;
  std::uint64_t runs = 0;
  for (std::uint64_t seed : kill_seeds(8000, 3)) {
    std::mt19937_64 random(seed);
    const WorkloadOptions workload = workload_for_seed(seed, random);
    // After B, b, C or e of one of the first backups (P events are not counted: their number
    // varies), and up to 20 ms more: across the copy, the promotion and the end. Or, one time
    // in three, up to 4 ms after a backup copied its last file: the manifest, the promotion,
    // the truncation and the end.
    KillPlan kill;
    if (random() % 3 == 0) {
      kill = plan_kill(random, kMinimumBackups - 1, 4000, "P");
      kill.min_value = 100;
    } else {
      kill = plan_kill(random, (kMinimumBackups - 1) * kInstanceEventsPerBackup, 20000, "BbCe");
    }
    SCOPED_TRACE("seed " + std::to_string(seed) + ", kill " + kill.describe());
    const int failures_before = failures_so_far();
    TempRoot root;
    const std::string live = root.sub("live");
    const std::string backups = root.sub("backups");
    ASSERT_NO_FATAL_FAILURE(set_up_database(live, workload.sessions));
    ChildRun run;
    ASSERT_NO_FATAL_FAILURE(run_child(child_arguments("instance", live, workload, backups), kill, run));
    ++runs;
    EXPECT_TRUE(run.killed && run.died_of_kill) << "the kill landed after the child's end";
    if (run.died_of_kill) ++kills;
    const std::int64_t started = last_phase(run, 'B', [](const PhaseEvent&) { return true; });
    std::string left;  // what the atomic folder holds
    for (const char* name : {"new", "old", "temp"}) {
      if (std::filesystem::exists(backups + "atomic/" + name)) left += std::string(" ") + name;
    }
    std::printf("SIGKILL instance: seed %llu, kill %s, landed after %s (backup flags %u), %zu commit events, "
                "atomic folder:%s\n",
                static_cast<unsigned long long>(seed), kill.describe().c_str(), run.last_phase().c_str(),
                started >= 0 ? run.phases[static_cast<std::size_t>(started)].value : 0u, run.events.size(),
                left.empty() ? " none" : left.c_str());
    const Plan plan = make_plan(workload);

    JET_INSTANCE instance = 0;
    Rows rows;
    ASSERT_NO_FATAL_FAILURE(recover_and_judge(live, plan, run, &instance, &rows));

    // The atomic folder: the previous complete backup or the new one.
    const std::string atomic = backups + "atomic/";
    const std::int64_t atomic_ended =
        last_phase(run, 'e', [](const PhaseEvent& event) { return (event.value & esent_kill::kAtomicFlag) != 0; });
    if (std::filesystem::exists(atomic)) {
      EXPECT_NO_FATAL_FAILURE(expect_folder_complete(root, "atomic", atomic, plan, run, atomic_ended));
    }
    // The folder of the last non-atomic backup: what its manifest lists.
    const std::int64_t plain_started =
        last_phase(run, 'B', [](const PhaseEvent& event) { return (event.value & esent_kill::kAtomicFlag) == 0; });
    std::string plain;
    bool plain_is_last = false;
    if (plain_started >= 0) {
      plain = instance_folder(run, backups, static_cast<std::size_t>(plain_started));
      std::int64_t plain_ended = -1;
      for (std::size_t i = 0; i < run.phases.size(); ++i) {
        if (run.phases[i].letter == 'e' && instance_folder(run, backups, i) == plain) plain_ended = static_cast<std::int64_t>(i);
      }
      EXPECT_NO_FATAL_FAILURE(expect_folder_complete(root, "plain", plain, plan, run, plain_ended));
      plain_is_last = plain_started == started;
    }

    // The next backups succeed, each extending what the last one (the killed one included) was
    // extending: an atomic incremental when the last backup was atomic and the folder holds one
    // (new or old); a non-atomic one into the last plain folder (incremental when it holds a
    // backup and was the last one's target; full when it holds none, a stale staging folder
    // allowed) or into a fresh folder; then an atomic full.
    // An incremental extends the backup the headers record last: certainly the folder's when the
    // last backup that ended went there. Otherwise the killed backup may not be recorded (killed
    // after its promotion): no full backup recorded at all (JET_errMissingFullBackup, as ESE), or
    // one into another folder, whose truncation removed the logs after this folder's backup
    // (JET_errMissingFileToBackup: refused rather than leaving a gap in the folder).
    const std::int64_t last_ended = last_phase(run, 'e', [](const PhaseEvent&) { return true; });
    auto incremental_may_fail = [&](const std::string& folder) -> std::vector<JET_ERR> {
      if (last_ended >= 0 && instance_folder(run, backups, static_cast<std::size_t>(last_ended)) == folder) return {};
      return {JET_errMissingFullBackup, JET_errMissingFileToBackup};
    };
    const bool atomic_is_last =
        started >= 0 && (run.phases[static_cast<std::size_t>(started)].value & esent_kill::kAtomicFlag) != 0;
    if (atomic_is_last && (std::filesystem::exists(atomic + "new") || std::filesystem::exists(atomic + "old"))) {
      EXPECT_NO_FATAL_FAILURE(expect_next_backup(root, "next-atomic-incremental", instance, atomic,
                                                 JET_bitBackupAtomic | JET_bitBackupIncremental, rows,
                                                 incremental_may_fail(atomic)));
    }
    const bool plain_has_backup = !plain.empty() && std::filesystem::exists(plain + "esent-backup.manifest");
    // A non-atomic full killed while it moved its files into place leaves some of them and no
    // manifest: not a backup, and not empty — the next full refuses it (the engine cannot know
    // the files are its own) and leaves it alone.
    if (!plain.empty() && !plain_has_backup) {
      std::vector<std::string> names;
      for (const auto& entry : std::filesystem::directory_iterator(plain)) {
        if (entry.path().filename() != "temp") names.push_back(entry.path().filename().string());
      }
      if (!names.empty()) {
        std::printf("  %s holds %zu promoted files and no manifest\n", plain.c_str(), names.size());
        EXPECT_EQ(JET_errBackupDirectoryNotEmpty, JetBackupInstanceA(instance, plain.c_str(), 0, nullptr));
        std::size_t remaining = 0;
        for (const auto& entry : std::filesystem::directory_iterator(plain)) remaining += entry.path().filename() != "temp";
        EXPECT_EQ(names.size(), remaining) << "the refused backup changed " << plain;
        plain = root.sub("plain-fresh");
      }
    }
    if (plain.empty() || (plain_has_backup && !plain_is_last)) plain = root.sub("plain-next");
    const bool plain_incremental = plain_has_backup && plain_is_last;
    EXPECT_NO_FATAL_FAILURE(expect_next_backup(root, "next-plain", instance, plain,
                                               plain_incremental ? JET_bitBackupIncremental : 0, rows,
                                               plain_incremental ? incremental_may_fail(plain) : std::vector<JET_ERR>{}));
    ASSERT_TRUE(esent_kill::make_folder(atomic));  // the child may not have made it
    EXPECT_NO_FATAL_FAILURE(expect_next_backup(root, "next-atomic", instance, atomic, JET_bitBackupAtomic, rows));
    EXPECT_EQ(JET_errSuccess, JetTerm(instance));
    if (failures_so_far() == failures_before) ++recovered;
  }
  print_summary("instance", kills, recovered, runs);
}

// The restore mode: a set prepared here (the oracle workload run to its end, then a full
// JetBackupInstance whose replay starts several log generations back).
struct PreparedSet {
  std::string set;
  Rows rows;  // the table when the backup was taken
};

void prepare_set(const TempRoot& root, std::uint64_t seed, PreparedSet& prepared) {
  std::mt19937_64 random(seed);
  const WorkloadOptions workload = workload_for_seed(seed, random);
  const std::string source = root.sub("source");
  ASSERT_NO_FATAL_FAILURE(set_up_database(source, workload.sessions));
  JET_INSTANCE instance = 0;
  ASSERT_EQ(JET_errSuccess, start_instance(source, &instance));
  const Plan plan = make_plan(workload);
  std::vector<JET_SESID> sesids(workload.sessions);
  MemorySink sink;
  std::atomic<bool> stop{false};
  const std::string database = source + "oracle.edb";
  for (std::uint32_t s = 0; s < workload.sessions; ++s) {
    ASSERT_EQ(JET_errSuccess, JetBeginSessionA(instance, &sesids[s], nullptr, nullptr));
    if (s == 0) {
      ASSERT_EQ(JET_errSuccess, JetAttachDatabaseA(sesids[s], database.c_str(), 0));
    }
    JET_DBID dbid = 0;
    JET_TABLEID table = 0;
    ASSERT_EQ(JET_errSuccess, JetOpenDatabaseA(sesids[s], database.c_str(), nullptr, &dbid, 0));
    ASSERT_EQ(JET_errSuccess, JetOpenTableA(sesids[s], dbid, kTableName, nullptr, 0, 0, &table));
    ASSERT_EQ(JET_errSuccess, run_session(sesids[s], table, s, plan.sessions[s], sink, stop));
  }
  prepared.set = root.sub("set");
  ASSERT_EQ(JET_errSuccess, JetBackupInstanceA(instance, prepared.set.c_str(), 0, nullptr));
  ASSERT_EQ(JET_errSuccess, read_database(instance, database, &prepared.rows));
  ASSERT_EQ(JET_errSuccess, JetTerm(instance));
  std::uint32_t logs = 0;
  for (const auto& entry : std::filesystem::directory_iterator(prepared.set)) {
    if (entry.path().extension() == ".log") ++logs;
  }
  ASSERT_GE(logs, 2u) << "the set should hold several logs";
}

TEST(CrashKillTest, RestoreKilledRunsAgainAndGivesEveryRowBack) {
  TempRoot root;
  PreparedSet prepared;
  ASSERT_NO_FATAL_FAILURE(prepare_set(root, 9000, prepared));
  ASSERT_GT(prepared.rows.size(), 10u);

  // One uninterrupted run: how many phase events a restore reports, and how long it takes.
  ChildRun calibration;
  const Clock::time_point start = Clock::now();
  ASSERT_NO_FATAL_FAILURE(run_child({"restore", root.sub("calibration-logs"), prepared.set, root.sub("calibration-db")},
                                    KillPlan{1 << 30, 0, "", 0}, calibration));
  const auto duration_us =
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count());
  ASSERT_TRUE(calibration.exited_cleanly);
  ASSERT_GE(calibration.phases.size(), 3u);
  std::printf("SIGKILL restore: an uninterrupted restore reports %zu events in %llu us\n", calibration.phases.size(),
              static_cast<unsigned long long>(duration_us));

  std::uint64_t kills = 0;
  std::uint64_t recovered = 0;
  std::uint64_t runs = 0;
  for (std::uint64_t seed : kill_seeds(9100, 4)) {
    std::mt19937_64 random(seed);
    // One killed restore, or (one time in three) two in a row on the same folders.
    const int attempts = random() % 3 == 0 ? 2 : 1;
    SCOPED_TRACE("seed " + std::to_string(seed));
    const int failures_before = failures_so_far();
    const std::string name = "run-" + std::to_string(seed);
    const std::string logs = root.sub(name + "-logs");
    const std::string destination = root.sub(name + "-db");
    for (int attempt = 0; attempt < attempts; ++attempt) {
      KillPlan kill;
      if (random() % 3 == 0) {
        kill.delay_us = static_cast<std::uint32_t>(random() % std::max<std::uint64_t>(duration_us / 2, 1));
      } else {
        // After one of the events before C (the restore is then still running), plus up to 1 ms.
        kill = plan_kill(random, static_cast<std::uint32_t>(calibration.phases.size() - 2), 1000);
      }
      SCOPED_TRACE("kill " + kill.describe());
      ChildRun run;
      ASSERT_NO_FATAL_FAILURE(run_child({"restore", logs, prepared.set, destination}, kill, run));
      ++runs;
      if (run.died_of_kill) ++kills;
      std::printf("SIGKILL restore: seed %llu, run %d, kill %s, %s after %s\n", static_cast<unsigned long long>(seed),
                  attempt + 1, kill.describe().c_str(), run.died_of_kill ? "killed" : "ended before the kill",
                  run.last_phase().c_str());
    }

    // The restore again, on the same folders, in this process.
    JET_INSTANCE instance = 0;
    ASSERT_EQ(JET_errSuccess, start_instance(logs, &instance, false));
    EXPECT_EQ(JET_errSuccess, JetRestoreInstanceA(instance, prepared.set.c_str(), destination.c_str(), nullptr));
    Rows rows;
    EXPECT_EQ(JET_errSuccess, JetInit(&instance));
    EXPECT_EQ(JET_errSuccess, read_database(instance, destination + "oracle.edb", &rows));
    EXPECT_EQ(JET_errSuccess, JetTerm(instance));
    EXPECT_TRUE(rows == prepared.rows) << "restored " << rows.size() << " rows of " << prepared.rows.size();
    for (const auto& entry : std::filesystem::directory_iterator(destination)) {
      EXPECT_NE(".restoring", entry.path().extension().string()) << "left behind: " << entry.path();
    }
    if (failures_so_far() == failures_before) recovered += static_cast<std::uint64_t>(attempts);
  }
  print_summary("restore", kills, recovered, runs);
}

}  // namespace
}  // namespace esent_crash
