// Writer threads that commit durably while something else runs in slices beside them, and the
// commit rate and p99 commit latency of each state (with / without the background), shared by
// esent-bench-backup and esent-bench-backup-instance. Header-only, namespace bench.
//
// The window: T writer threads, each with its own session on table "rows" (bench_common.h),
// insert one row per transaction and commit it durably (JetCommitTransaction(0)) for 2 x
// `seconds`, while the calling thread alternates slices of nothing with slices of the
// background (whole units, one after another, until the slice has lasted `slice_seconds`: a
// slice ends with the unit that crosses its end). A commit counts for the state in which it
// began. Adjacent slices see the same disk and the same neighbours, so a slow spell of a shared
// machine falls on both states alike.
//
// Failure contract: a writer's or the background's exception stops the window (the writers are
// joined first) and is rethrown as BenchFailure.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "bench_common.h"

namespace bench {

// The writers' figures in one state (with or without the background) of one window.
struct WriterFigures {
  double commits_per_second = 0;
  double p99_milliseconds = 0;
  double seconds = 0;  // time spent in this state
};

// Commits/s and the 99th percentile of `latencies` (milliseconds; reordered) over `seconds`.
// Throws when no commit finished in the state.
inline WriterFigures Figures(std::vector<float>& latencies, double seconds) {
  WriterFigures figures;
  figures.seconds = seconds;
  if (latencies.empty()) throw BenchFailure("no commit finished in a state of the window");
  figures.commits_per_second = static_cast<double>(latencies.size()) / seconds;
  const std::size_t p99 = std::min(latencies.size() - 1, latencies.size() * 99 / 100);
  std::nth_element(latencies.begin(), latencies.begin() + static_cast<std::ptrdiff_t>(p99),
                   latencies.end());
  figures.p99_milliseconds = static_cast<double>(latencies[p99]);
  return figures;
}

struct WriterWindow {
  WriterFigures with;       // slices with the background running
  WriterFigures without;    // the slices between them
  std::uint32_t units = 0;  // background units run in the "with" slices
};

// How a window is laid out.
struct WriterWindowPlan {
  std::uint32_t threads = 1;
  double seconds = 3.0;  // the window lasts until 2 x seconds have passed (then ends its slice)
  double slice_seconds = 0.5;
  // A "without" slice lasts as long as the "with" slice before it (the first one lasts
  // slice_seconds): for a background whose unit is much longer than a slice.
  bool without_as_long_as_with = false;
  std::uint32_t payload_bytes = 100;  // FillPayload bytes per inserted row
};

// Runs one window on the database at `database_path` (attached to `instance`; evicted from the
// OS page cache first). Writer thread t takes its keys from next_keys[t] (ascending, unique to
// the thread: the caller spaces them above the existing rows; at least `threads` entries).
// `background_unit` runs one unit on the calling thread.
inline WriterWindow RunWriterWindow(JET_INSTANCE instance, const std::string& database_path,
                                    const WriterWindowPlan& plan,
                                    std::atomic<std::int32_t>* next_keys,
                                    const std::function<void()>& background_unit) {
  EvictFromPageCache(database_path);
  const std::uint32_t threads = plan.threads;
  std::atomic<std::uint32_t> ready{0};
  std::atomic<bool> go{false};
  std::atomic<bool> stop{false};
  std::atomic<int> state{0};  // 0: without, 1: with
  std::vector<std::vector<float>> latencies(std::size_t{threads} * 2);
  std::vector<std::string> errors(threads);
  std::vector<std::thread> workers;
  for (std::uint32_t t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      try {
        RowsCursor cursor(instance, database_path);
        std::vector<unsigned char> payload(plan.payload_bytes);
        latencies[t * 2].reserve(1 << 16);
        latencies[t * 2 + 1].reserve(1 << 16);
        ready.fetch_add(1);
        while (!go.load()) std::this_thread::yield();
        while (!stop.load(std::memory_order_relaxed)) {
          const std::int32_t key = next_keys[t].fetch_add(1);
          const int began_in = state.load(std::memory_order_relaxed);
          const auto start = std::chrono::steady_clock::now();
          Check(JetBeginTransaction(cursor.session), "JetBeginTransaction");
          FillPayload(key, payload.data(), plan.payload_bytes);
          cursor.InsertRow(key, payload.data(), plan.payload_bytes);
          Check(JetCommitTransaction(cursor.session, 0), "JetCommitTransaction");
          latencies[t * 2 + static_cast<std::size_t>(began_in)].push_back(
              static_cast<float>(Seconds(start) * 1000.0));
        }
      } catch (const std::exception& error) {
        errors[t] = error.what();
        ready.fetch_add(1);
      }
    });
  }
  while (ready.load() < threads) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  WriterWindow window;
  double state_seconds[2] = {0, 0};
  std::string background_error;
  go.store(true);
  const auto window_start = std::chrono::steady_clock::now();
  try {
    double without_seconds = plan.slice_seconds;
    while (Seconds(window_start) < 2 * plan.seconds) {
      const auto without_start = std::chrono::steady_clock::now();
      state.store(0);
      std::this_thread::sleep_for(std::chrono::duration<double>(without_seconds));
      state_seconds[0] += Seconds(without_start);
      const auto with_start = std::chrono::steady_clock::now();
      state.store(1);
      do {
        background_unit();
        ++window.units;
      } while (Seconds(with_start) < plan.slice_seconds);
      const double with_seconds = Seconds(with_start);
      state_seconds[1] += with_seconds;
      if (plan.without_as_long_as_with) without_seconds = with_seconds;
    }
  } catch (const std::exception& error) {
    background_error = error.what();
  }
  stop.store(true);
  for (auto& worker : workers) worker.join();
  if (!background_error.empty()) throw BenchFailure(background_error);
  for (const auto& error : errors) {
    if (!error.empty()) throw BenchFailure(error);
  }
  std::vector<float> by_state[2];
  for (std::size_t i = 0; i < latencies.size(); ++i) {
    by_state[i % 2].insert(by_state[i % 2].end(), latencies[i].begin(), latencies[i].end());
  }
  window.without = Figures(by_state[0], state_seconds[0]);
  window.with = Figures(by_state[1], state_seconds[1]);
  return window;
}

}  // namespace bench
