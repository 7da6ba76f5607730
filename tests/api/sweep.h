// The shared parts of the fault and crash sweeps of the internal API tests (issue 10, Deliver 1):
// count the file-system calls of one operation under test, enumerate the cases (operation, n,
// fault) or the crash points (operation, n), arm them on an io::FaultFileSystem, and print one
// summary line per sweep.
//
// A sweep runs the operation once without a fault while a CallRecorder counts its calls per
// io::FaultFileSystem::Operation (only while `active` is set, so setup and after-checks are not
// counted). Then:
// - fault mode: FaultCases() lists every call of a write, sync, rename or directory sync, and
//   of every other operation the first, the last and a seeded sample between them (all of them
//   with ESENT_LONG_TESTS=1); each with EIO and ENOSPC, and writes also with a short write. The
//   test arms one case with FaultFileSystem::fail_at on a fresh copy of its prepared state
//   (counts are reset when the operation starts, so nth counts the operation's calls only); a
//   sticky case also fails every later call of that operation (a disk that stays full). In
//   the CI tier each point gets one fault, the kinds rotating along the operation's calls, and
//   the costliest sweeps keep a seeded sample of their cases (LimitInCi).
// - crash mode: CrashPoints() lists the same (operation, n) pairs once each; a CrashTrigger
//   takes CrashFileSystem::clone_crashed (CrashOptionsFor(seed): seeded torn last sectors and
//   kept unsynced writes) at the start of that call, while the run itself goes on to the end.
//   ESENT_LONG_TESTS=1 tries each point with 4 option seeds.
// - PrintSummary prints `reliability: <name>: N <what>, M handled`, the figure the reliability
//   document collects.
// ESENT_SWEEP_SEED=n picks the sample seed (default 10); ESENT_CRASH_SEED=n runs the crash
// points with that one option seed only.
//
// Thread-safety: a CallRecorder or CrashTrigger observer may be called from any thread the engine
// uses; their state is guarded. Each object belongs to one test.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "io/crash_file_system.h"
#include "io/fault_file_system.h"

namespace esent_test::sweep {

using esent::io::CrashFileSystem;
using esent::io::CrashOptions;
using esent::io::FaultFileSystem;
using Operation = FaultFileSystem::Operation;
using Fault = FaultFileSystem::Fault;
using Counts = std::array<std::uint64_t, FaultFileSystem::kOperationCount>;

inline constexpr std::size_t kSampledCallsPerOperation = 32;

inline bool LongTests() {
  const char* value = std::getenv("ESENT_LONG_TESTS");
  return value != nullptr && std::string(value) == "1";
}

// The value of environment variable `name` as a number, or `fallback` when unset.
inline std::uint64_t SeedFromEnvironment(const char* name, std::uint64_t fallback) {
  const char* chosen = std::getenv(name);
  return chosen == nullptr ? fallback : std::strtoull(chosen, nullptr, 10);
}

inline const char* FaultName(Fault fault) {
  switch (fault) {
    case Fault::kIoError: return "EIO";
    case Fault::kNoSpace: return "ENOSPC";
    case Fault::kShortWrite: return "short write";
  }
  return "?";
}

// Calls that change what is on disk: every one of them is swept.
inline bool SweepsEveryCall(Operation operation) {
  return operation == Operation::kWrite || operation == Operation::kSync || operation == Operation::kRename ||
         operation == Operation::kSyncDirectory;
}

// One call of the operation under test: the nth call (1-based) of `operation`.
struct CallPoint {
  Operation operation = Operation::kRead;
  std::uint64_t nth = 0;
  std::string describe() const {
    return std::string(esent::io::operation_name(operation)) + " #" + std::to_string(nth);
  }
};

struct FaultCase {
  CallPoint point;
  Fault fault = Fault::kIoError;
  // Every later call of the operation fails too (a disk that stays full or broken): the
  // operation's own cleanup meets the fault again.
  bool sticky = false;
  std::string describe() const {
    return std::string(FaultName(fault)) + " at " + point.describe() + (sticky ? " and every later one" : "");
  }
  // Arms this case on `faults`.
  void arm(FaultFileSystem& faults) const {
    esent::io::FaultOptions options;
    options.sticky = sticky;
    faults.fail_at(point.operation, point.nth, fault, options);
  }
};

// " read=12 write=40 ...": the operations with calls.
inline std::string CountsLine(const Counts& counts) {
  std::string line;
  for (std::size_t op = 0; op < counts.size(); ++op) {
    if (counts[op] == 0) continue;
    line += std::string(" ") + esent::io::operation_name(static_cast<Operation>(op)) + "=" + std::to_string(counts[op]);
  }
  return line;
}

// The calls a sweep visits (see the file comment), in operation order, then n.
inline std::vector<CallPoint> CallPoints(const Counts& counts, std::uint64_t seed,
                                         std::size_t sampled_per_operation = kSampledCallsPerOperation) {
  std::mt19937_64 random(seed);
  std::vector<CallPoint> points;
  for (std::size_t op = 0; op < counts.size(); ++op) {
    const auto operation = static_cast<Operation>(op);
    const std::uint64_t count = counts[op];
    if (count == 0) continue;
    std::vector<std::uint64_t> calls;
    for (std::uint64_t nth = 1; nth <= count; ++nth) calls.push_back(nth);
    if (!SweepsEveryCall(operation) && !LongTests() && calls.size() > sampled_per_operation) {
      // The first and the last call, and a seeded sample between them.
      std::vector<std::uint64_t> middle(calls.begin() + 1, calls.end() - 1);
      std::shuffle(middle.begin(), middle.end(), random);
      middle.resize(sampled_per_operation - 2);
      calls = {1, count};
      calls.insert(calls.end(), middle.begin(), middle.end());
      std::sort(calls.begin(), calls.end());
    }
    for (std::uint64_t nth : calls) points.push_back({operation, nth});
  }
  return points;
}

// Fault mode: every point of CallPoints with EIO and ENOSPC, writes also with a short write
// (`all_faults`, the default with ESENT_LONG_TESTS=1); else one fault per point, rotating
// through those kinds along each operation's calls (as StorageFaultTest does), so every kind
// still meets every operation.
inline std::vector<FaultCase> FaultCases(const Counts& counts, std::uint64_t seed,
                                         std::size_t sampled_per_operation = kSampledCallsPerOperation,
                                         bool all_faults = LongTests()) {
  std::vector<FaultCase> cases;
  std::size_t along = 0;
  std::optional<Operation> previous;
  for (const CallPoint& point : CallPoints(counts, seed, sampled_per_operation)) {
    std::vector<Fault> kinds = {Fault::kIoError, Fault::kNoSpace};
    if (point.operation == Operation::kWrite) kinds.push_back(Fault::kShortWrite);
    if (all_faults) {
      for (Fault fault : kinds) cases.push_back({point, fault});
      continue;
    }
    along = previous == point.operation ? along + 1 : 0;
    previous = point.operation;
    cases.push_back({point, kinds[along % kinds.size()]});
  }
  return cases;
}

// In the CI tier, at most `limit` of `items` (a seeded sample, order kept), for the sweeps whose
// every case costs a restore; with ESENT_LONG_TESTS=1, all of them.
template <typename T>
std::vector<T> LimitInCi(std::vector<T> items, std::size_t limit, std::uint64_t seed) {
  if (LongTests() || items.size() <= limit) return items;
  std::vector<std::size_t> indexes(items.size());
  for (std::size_t i = 0; i < indexes.size(); ++i) indexes[i] = i;
  std::mt19937_64 random(seed);
  std::shuffle(indexes.begin(), indexes.end(), random);
  indexes.resize(limit);
  std::sort(indexes.begin(), indexes.end());
  std::vector<T> kept;
  for (std::size_t i : indexes) kept.push_back(items[i]);
  return kept;
}

// Counts the calls made on `watched` while `active` is set (per operation, and every call with
// its path when `keep_calls`). Installs itself as the call observer; detach() (or the destructor)
// removes it.
class CallRecorder {
 public:
  explicit CallRecorder(FaultFileSystem& watched, bool keep_calls = false)
      : watched_(watched), keep_calls_(keep_calls) {
    watched_.set_call_observer([this](Operation operation, const std::string& path) {
      if (!active) return;
      std::lock_guard<std::mutex> lock(mutex_);
      const std::uint64_t nth = ++counts_[static_cast<std::size_t>(operation)];
      if (keep_calls_) calls_.push_back(CallPoint{operation, nth}.describe() + " " + path);
    });
  }
  ~CallRecorder() { detach(); }
  CallRecorder(const CallRecorder&) = delete;
  CallRecorder& operator=(const CallRecorder&) = delete;

  void detach() { watched_.set_call_observer(nullptr); }
  Counts counts() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return counts_;
  }
  std::uint64_t total() const {
    std::uint64_t sum = 0;
    for (std::uint64_t count : counts()) sum += count;
    return sum;
  }
  std::vector<std::string> calls() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return calls_;
  }

  std::atomic<bool> active{false};

 private:
  FaultFileSystem& watched_;
  const bool keep_calls_;
  mutable std::mutex mutex_;
  Counts counts_{};
  std::vector<std::string> calls_;
};

// The option seeds of one crash point: ESENT_CRASH_SEED alone when set, else 1 (1..4 with
// ESENT_LONG_TESTS=1), offset by the point's index so every point gets other choices.
inline std::vector<std::uint64_t> CrashSeeds(std::size_t point_index) {
  if (std::getenv("ESENT_CRASH_SEED") != nullptr) return {SeedFromEnvironment("ESENT_CRASH_SEED", 1)};
  const std::uint64_t per_point = LongTests() ? 4 : 1;
  std::vector<std::uint64_t> seeds;
  for (std::uint64_t k = 0; k < per_point; ++k) seeds.push_back(1 + point_index * per_point + k);
  return seeds;
}

// What a power loss keeps, drawn from `seed`: the option seed, torn last sectors or not, and a
// keep probability of 0, 0.4 or 0.8 for unsynced changes.
inline CrashOptions CrashOptionsFor(std::uint64_t seed) {
  std::mt19937_64 random(seed);
  CrashOptions options;
  options.seed = random();
  options.tear_last_sector = (random() & 1) != 0;
  options.keep_unsynced_probability = static_cast<double>(random() % 3) * 0.4;
  return options;
}

// Crash mode: at the start of call `point` made on `watched` while `active` is set, takes the
// state a power loss with `options` would leave on `running` (the run itself goes on).
class CrashTrigger {
 public:
  CrashTrigger(FaultFileSystem& watched, std::shared_ptr<CrashFileSystem> running, CallPoint point,
               CrashOptions options)
      : watched_(watched), running_(std::move(running)), point_(point), options_(options) {
    watched_.set_call_observer([this](Operation operation, const std::string&) {
      if (!active || operation != point_.operation) return;
      std::lock_guard<std::mutex> lock(mutex_);
      if (++seen_ == point_.nth) crashed_ = running_->clone_crashed(options_);
    });
  }
  ~CrashTrigger() { watched_.set_call_observer(nullptr); }
  CrashTrigger(const CrashTrigger&) = delete;
  CrashTrigger& operator=(const CrashTrigger&) = delete;

  // The post-crash state, or null when the run never reached the point.
  std::shared_ptr<CrashFileSystem> crashed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return crashed_;
  }

  std::atomic<bool> active{false};

 private:
  FaultFileSystem& watched_;
  std::shared_ptr<CrashFileSystem> running_;
  const CallPoint point_;
  const CrashOptions options_;
  mutable std::mutex mutex_;
  std::uint64_t seen_ = 0;
  std::shared_ptr<CrashFileSystem> crashed_;
};

// "n rows; missing: a b ...; unexpected: c ..." (at most 10 ids of each), for a failed comparison.
inline std::string DescribeDifference(const std::set<std::int32_t>& expected, const std::set<std::int32_t>& actual) {
  std::string missing, unexpected;
  int shown_missing = 0, shown_unexpected = 0;
  for (std::int32_t id : expected) {
    if (actual.count(id) == 0 && shown_missing++ < 10) missing += " " + std::to_string(id);
  }
  for (std::int32_t id : actual) {
    if (expected.count(id) == 0 && shown_unexpected++ < 10) unexpected += " " + std::to_string(id);
  }
  return std::to_string(actual.size()) + " rows (expected " + std::to_string(expected.size()) + "); missing " +
         std::to_string(shown_missing) + ":" + missing + "; unexpected " + std::to_string(shown_unexpected) + ":" +
         unexpected;
}

// The figure of one sweep: `reliability: <name>: <injected> <what>, <handled> handled`.
inline void PrintSummary(const std::string& name, std::uint64_t injected, std::uint64_t handled,
                         const char* what = "faults injected") {
  std::printf("reliability: %s: %llu %s, %llu handled\n", name.c_str(), static_cast<unsigned long long>(injected),
              what, static_cast<unsigned long long>(handled));
  std::fflush(stdout);
}

// What one case of a sweep did.
struct Outcome {
  bool happened = false;     // the fault was injected, or the crash point reached
  bool call_failed = false;  // the swept operation returned an error
  int error = 0;             // its JET_ERR, for the report
};

// Runs `run(c)` (an Outcome) for each case; stops at the first case after which the test has a
// failure, naming it. A case is handled when it happened and left no failure. Prints, in fault
// mode, how many cases failed the call and which faults fired while it succeeded; then the
// summary line; and expects every case that happened handled, and at least one. Returns how many
// cases failed the call.
template <typename Case, typename Run>
std::uint64_t RunCases(const std::string& label, const std::vector<Case>& cases, bool crash, const char* call,
                       Run run) {
  std::string absorbed;  // fault mode: the cases whose fault fired while the call succeeded
  std::uint64_t injected = 0, handled = 0, failed = 0;
  for (const Case& c : cases) {
    const Outcome outcome = run(c);
    if (outcome.happened) ++injected;
    if (outcome.call_failed) ++failed;
    if (::testing::Test::HasFailure()) {
      std::printf("%s: first failing case: %s (%s returned %d)\n", label.c_str(), c.describe().c_str(), call,
                  outcome.error);
      break;
    }
    if (outcome.happened) ++handled;
    if (!crash && outcome.happened && !outcome.call_failed) absorbed += " " + c.describe();
  }
  if (!crash) {
    std::printf("%s: %zu faults armed, %llu failed %s\n", label.c_str(), cases.size(),
                static_cast<unsigned long long>(failed), call);
    std::printf("%s: faults that fired while the call succeeded:%s\n", label.c_str(), absorbed.c_str());
  }
  PrintSummary(label, injected, handled, crash ? "crash points" : "faults injected");
  EXPECT_EQ(injected, handled);
  EXPECT_GT(injected, 0u);
  return failed;
}

}  // namespace esent_test::sweep
