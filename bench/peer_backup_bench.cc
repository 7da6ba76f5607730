// esent-bench-peers: the online backups of libesent and of its peers (SQLite, LMDB, RocksDB,
// PostgreSQL) on the same data and the same writer, in one run on one machine. Each engine
// (bench/peer.h) builds --db-mib MiB worth of rows (rows = db-mib MiB / 1,100 bytes: a 4-byte
// key and a 1,000-byte payload each, the row count of the other backup benches) in a folder of
// its own; then, --repeat times:
//
//   alone       for `cp -r` of the engine's live folder and for each of its backup methods, in
//               an order that rotates from run to run: every file of the live folder fdatasync'd
//               and dropped from the OS page cache (posix_fadvise(DONTNEED)), a fresh empty
//               destination folder, then the copy timed from its start until every file it
//               wrote, and the destination's folders, have been fsync'd (the bench fsyncs them
//               after the method returns, inside the time; methods that sync already pay a
//               second, cheap fsync). No writer runs.
//   writers     one window per backup method: --threads writer threads, each with its own
//               connection (Peer::NewCommitter), insert one row with a 100-byte payload per
//               transaction and commit it durably, while the main thread alternates a slice of
//               nothing with one backup (the source evicted first, as above), until 2 x
//               --seconds have passed; a slice of nothing lasts as long as the backup before it
//               (the first one --seconds / 2). A commit counts for the state in which it began
//               (commits that began during the eviction or the removal of a backup count for
//               neither). Figures per state: commits/s of all writers together and the 99th
//               percentile of the commit latency; per backup: its time, whether it finished and
//               (SQLite's stepped backup) how often it started over. Methods that copy in steps
//               give up after --give-up-seconds.
//
// Every backup that finished, alone or under the writers, is then checked, untimed, by its
// method's own check (BackupMethod::check: EsentVerifyBackupA, PRAGMA quick_check and a row
// count, the LMDB copy opened and counted, BackupEngine's VerifyBackup, pg_verifybackup); a
// backup that fails its check fails the bench.
//
// Output: Markdown tables on standard output (medians over the runs, ranges in brackets),
// progress on standard error, and with --data-dir a tab-separated file peers.tsv for the plots.
// Any engine error, failed tool or failed check exits with status 1.
#include <stdio.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench_common.h"
#include "peer.h"
#include "writers.h"

namespace bench::peers {

namespace fs = std::filesystem;

std::vector<std::string> RegularFiles(const std::string& folder) {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file() && !entry.is_symlink()) files.push_back(entry.path().string());
  }
  return files;
}

std::uint64_t FolderBytes(const std::string& folder) {
  std::uint64_t bytes = 0;
  for (const std::string& file : RegularFiles(folder)) bytes += FileBytes(file);
  return bytes;
}

void FsyncTree(const std::string& folder) {
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if ((entry.is_regular_file() || entry.is_directory()) && !entry.is_symlink()) {
      FsyncPath(entry.path().string());
    }
  }
  FsyncPath(folder);
}

void EvictTree(const std::string& folder) {
  for (const std::string& file : RegularFiles(folder)) EvictFromPageCache(file);
}

std::string CommandOutputLine(const std::string& command) {
  FILE* pipe = ::popen((command + " 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return "";
  char line[512] = {};
  const bool got = std::fgets(line, sizeof(line), pipe) != nullptr;
  const int status = ::pclose(pipe);
  if (!got || status != 0) return "";
  std::string text = line;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

namespace {

struct Options {
  std::uint32_t db_mib = 256;
  std::uint32_t repeat = 3;
  std::uint32_t threads = 1;
  double seconds = 3.0;
  double give_up_seconds = 20.0;
  int sqlite_step_pages = 256;
  std::vector<std::string> peers = {"libesent", "sqlite", "lmdb", "rocksdb", "postgres"};
  std::string directory = "/tmp";
  std::string data_directory;  // peers.tsv goes here when set
};

// One timed copy into an empty folder.
struct Copy {
  double seconds = 0;
  std::uint64_t bytes = 0;  // what the copy wrote
  BackupResult result;
};

double CopyMibPerSecond(const Copy& copy) { return Mib(copy.bytes) / copy.seconds; }

// A fresh empty folder under `scratch` for one copy; removed by the caller.
std::string FreshFolder(const std::string& scratch) {
  static std::uint32_t counter = 0;
  const std::string path = scratch + "/copy-" + std::to_string(counter++);
  fs::create_directory(path);
  return path;
}

// Evicts the live folder, then times `copy` into a fresh folder plus the fsync of its output;
// then, untimed, runs `check` on the output when the copy finished and a check is given.
Copy TimeCopy(const Peer& peer, const std::string& scratch,
              const std::function<BackupResult(const std::string&)>& copy,
              const std::function<void(const std::string&)>& check = nullptr) {
  const std::string destination = FreshFolder(scratch);
  EvictTree(peer.DataFolder());
  Copy timed;
  const auto start = std::chrono::steady_clock::now();
  timed.result = copy(destination);
  FsyncTree(destination);
  timed.seconds = Seconds(start);
  timed.bytes = FolderBytes(destination);
  if (check && timed.result.finished) check(destination);
  fs::remove_all(destination);
  return timed;
}

BackupResult CpRecursive(const Peer& peer, const std::string& destination) {
  (void)RunTool({"cp", "-r", "--", peer.DataFolder() + "/.", destination});
  return BackupResult{};
}

// Figures (writers.h), except that a state in which no commit finished is a finding here (a
// backup that stops the writers), not a failure: 0 commits/s and a p99 of `seconds`.
WriterFigures StateFigures(std::vector<float>& latencies, double seconds) {
  if (!latencies.empty()) return Figures(latencies, seconds);
  WriterFigures figures;
  figures.seconds = seconds;
  figures.p99_milliseconds = seconds * 1000.0;
  return figures;
}

// The writers' window for one backup method (see the file comment).
struct Window {
  WriterFigures with, without;
  std::vector<Copy> backups;
};

Window RunWindow(Peer& peer, const BackupMethod& method, const Options& options,
                 const std::string& scratch, std::vector<std::atomic<std::int32_t>>& next_keys,
                 std::uint64_t rows) {
  std::atomic<std::uint32_t> ready{0};
  std::atomic<bool> go{false};
  std::atomic<bool> stop{false};
  std::atomic<int> state{2};  // 0: without, 1: with a backup, 2: neither
  std::vector<std::vector<float>> latencies(std::size_t{options.threads} * 2);
  std::vector<std::string> errors(options.threads);
  std::vector<std::thread> workers;
  for (std::uint32_t t = 0; t < options.threads; ++t) {
    workers.emplace_back([&, t] {
      try {
        std::unique_ptr<Committer> committer = peer.NewCommitter();
        std::vector<unsigned char> payload(kWriterPayloadBytes);
        ready.fetch_add(1);
        while (!go.load()) std::this_thread::yield();
        while (!stop.load(std::memory_order_relaxed)) {
          const std::int32_t key = next_keys[t].fetch_add(1);
          const int began_in = state.load(std::memory_order_relaxed);
          FillPayload(key, payload.data(), kWriterPayloadBytes);
          const auto start = std::chrono::steady_clock::now();
          committer->Commit(key, payload.data(), kWriterPayloadBytes);
          if (began_in < 2) {
            latencies[t * 2 + static_cast<std::size_t>(began_in)].push_back(
                static_cast<float>(Seconds(start) * 1000.0));
          }
        }
      } catch (const std::exception& error) {
        errors[t] = error.what();
        ready.fetch_add(1);
      }
    });
  }
  while (ready.load() < options.threads) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  Window window;
  double state_seconds[2] = {0, 0};
  std::string main_error;
  go.store(true);
  const auto window_start = std::chrono::steady_clock::now();
  try {
    double without_seconds = options.seconds / 2;
    do {
      const auto without_start = std::chrono::steady_clock::now();
      state.store(0);
      std::this_thread::sleep_for(std::chrono::duration<double>(without_seconds));
      state_seconds[0] += Seconds(without_start);
      state.store(2);
      const std::string destination = FreshFolder(scratch);
      EvictTree(peer.DataFolder());
      Copy copy;
      const auto with_start = std::chrono::steady_clock::now();
      state.store(1);
      copy.result = method.run(destination, options.give_up_seconds);
      FsyncTree(destination);
      copy.seconds = Seconds(with_start);
      state.store(2);
      state_seconds[1] += copy.seconds;
      copy.bytes = FolderBytes(destination);
      if (copy.result.finished) method.check(destination, rows);
      fs::remove_all(destination);
      window.backups.push_back(copy);
      without_seconds = copy.seconds;
    } while (Seconds(window_start) < 2 * options.seconds);
  } catch (const std::exception& error) {
    main_error = error.what();
  }
  stop.store(true);
  for (auto& worker : workers) worker.join();
  if (!main_error.empty()) throw BenchFailure(main_error);
  for (const std::string& error : errors) {
    if (!error.empty()) throw BenchFailure(error);
  }
  std::vector<float> by_state[2];
  for (std::size_t i = 0; i < latencies.size(); ++i) {
    by_state[i % 2].insert(by_state[i % 2].end(), latencies[i].begin(), latencies[i].end());
  }
  window.without = StateFigures(by_state[0], state_seconds[0]);
  window.with = StateFigures(by_state[1], state_seconds[1]);
  return window;
}

struct MethodFigures {
  std::string name, label, checked;
  std::vector<Copy> alone;
  std::vector<double> cp_ratios;  // per run: backup MiB/s / cp MiB/s
  std::vector<Window> windows;
};

struct PeerFigures {
  std::string name, version, durable_commit;
  std::uint64_t rows = 0;
  std::uint64_t built_bytes = 0;
  double build_seconds = 0;
  std::vector<Copy> cp;
  std::vector<MethodFigures> methods;
};

std::unique_ptr<Peer> MakePeer(const std::string& name, const std::string& folder,
                               const Options& options) {
  if (name == "libesent") return MakeEsentPeer(folder);
  if (name == "sqlite") return MakeSqlitePeer(folder, options.sqlite_step_pages);
  if (name == "lmdb") return MakeLmdbPeer(folder);
  if (name == "rocksdb") return MakeRocksdbPeer(folder);
  if (name == "postgres") return MakePostgresPeer(folder);
  throw BenchFailure("unknown peer " + name + " (libesent, sqlite, lmdb, rocksdb, postgres)");
}

PeerFigures MeasurePeer(const std::string& name, const Options& options) {
  TempFolder folder(options.directory, "peer-" + name);
  TempFolder scratch(options.directory, "peer-out");
  PeerFigures figures;
  const std::uint64_t rows = (std::uint64_t{options.db_mib} << 20) / 1100;
  std::unique_ptr<Peer> peer = MakePeer(name, folder.path(), options);
  figures.name = peer->Name();
  figures.version = peer->Version();
  figures.durable_commit = peer->DurableCommit();
  const auto build_start = std::chrono::steady_clock::now();
  peer->Build(rows);
  figures.build_seconds = Seconds(build_start);
  figures.rows = rows;
  figures.built_bytes = FolderBytes(peer->DataFolder());
  std::fprintf(stderr, "%s: built %llu rows, %.1f MiB of files, in %.1f s\n", name.c_str(),
               static_cast<unsigned long long>(rows), Mib(figures.built_bytes),
               figures.build_seconds);
  const std::vector<BackupMethod> methods = peer->Methods();
  // One untimed backup first, so that every timed one starts from the same kind of state (for
  // libesent: the build's logs truncated, as after any earlier backup).
  (void)TimeCopy(*peer, scratch.path(), [&](const std::string& destination) {
    return methods.front().run(destination, options.give_up_seconds);
  });
  figures.built_bytes = FolderBytes(peer->DataFolder());
  for (const BackupMethod& method : methods) {
    MethodFigures method_figures;
    method_figures.name = method.name;
    method_figures.label = method.label;
    method_figures.checked = method.checked;
    figures.methods.push_back(std::move(method_figures));
  }

  for (std::uint32_t r = 0; r < options.repeat; ++r) {
    const std::size_t count = methods.size() + 1;  // the methods, then cp
    std::vector<Copy> run(count);
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t which = (i + r) % count;
      if (which == methods.size()) {
        run[which] = TimeCopy(*peer, scratch.path(), [&](const std::string& destination) {
          return CpRecursive(*peer, destination);
        });
      } else {
        run[which] = TimeCopy(
            *peer, scratch.path(),
            [&](const std::string& destination) {
              return methods[which].run(destination, options.give_up_seconds);
            },
            [&](const std::string& destination) { methods[which].check(destination, rows); });
      }
    }
    figures.cp.push_back(run.back());
    for (std::size_t m = 0; m < methods.size(); ++m) {
      figures.methods[m].alone.push_back(run[m]);
      figures.methods[m].cp_ratios.push_back(CopyMibPerSecond(run[m]) /
                                             CopyMibPerSecond(run.back()));
      std::fprintf(stderr, "%s run %u: %s %.2f s (%s), cp -r + fsync %.2f s\n", name.c_str(), r + 1,
                   methods[m].name.c_str(), run[m].seconds,
                   run[m].result.finished ? "finished" : "gave up", run.back().seconds);
    }
  }
  std::vector<std::atomic<std::int32_t>> next_keys(options.threads);
  for (std::uint32_t t = 0; t < options.threads; ++t) {
    next_keys[t].store(static_cast<std::int32_t>(100000000u + t * 10000000u));
  }
  for (std::uint32_t r = 0; r < options.repeat; ++r) {
    for (std::size_t i = 0; i < methods.size(); ++i) {
      const std::size_t m = (i + r) % methods.size();
      Window window = RunWindow(*peer, methods[m], options, scratch.path(), next_keys, rows);
      std::uint32_t finished = 0;
      for (const Copy& copy : window.backups) finished += copy.result.finished ? 1 : 0;
      std::fprintf(stderr,
                   "%s run %u with writers: %s: %zu backup(s), %u finished; commits/s %.0f "
                   "during, %.0f without; p99 %.2f / %.2f ms\n",
                   name.c_str(), r + 1, methods[m].name.c_str(), window.backups.size(), finished,
                   window.with.commits_per_second, window.without.commits_per_second,
                   window.with.p99_milliseconds, window.without.p99_milliseconds);
      figures.methods[m].windows.push_back(std::move(window));
    }
  }
  return figures;
}

// --- the report ---------------------------------------------------------------------------------

template <typename Item, typename Field>
std::vector<double> Collect(const std::vector<Item>& items, Field field) {
  std::vector<double> values;
  for (const Item& item : items) values.push_back(field(item));
  return values;
}

// "median (min-max)" with `digits` decimals; the median alone for one value.
std::string Summary(const std::vector<double>& values, int digits) {
  if (values.empty()) return "-";
  const double median = UpperMedian(values);
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  char text[96];
  if (values.size() == 1) {
    std::snprintf(text, sizeof(text), "%.*f", digits, median);
  } else {
    std::snprintf(text, sizeof(text), "%.*f (%.*f-%.*f)", digits, median, digits, *low, digits,
                  *high);
  }
  return text;
}

void Report(const Options& options, const std::vector<PeerFigures>& peers) {
  const std::uint64_t rows = (std::uint64_t{options.db_mib} << 20) / 1100;
  std::printf("### The data\n\n%llu rows of a 4-byte key and a %u-byte payload in every engine "
              "(--db-mib %u).\n\n",
              static_cast<unsigned long long>(rows), kRowPayloadBytes, options.db_mib);
  std::printf("| engine | version | live files after the build and a first backup (MiB) | build s | durable commit "
              "of the writers |\n|---|---|---:|---:|---|\n");
  for (const PeerFigures& peer : peers) {
    std::printf("| %s | %s | %.1f | %.1f | %s |\n", peer.name.c_str(), peer.version.c_str(),
                Mib(peer.built_bytes), peer.build_seconds, peer.durable_commit.c_str());
  }
  std::printf("\n### Backups alone, cold source, output fsync'd (median (min-max) of %u runs)\n\n",
              options.repeat);
  std::printf("| engine | backup | MiB written | seconds | MiB/s | `cp -r` + fsync of the live "
              "files: s | cp MiB/s | backup MiB/s / cp MiB/s |\n"
              "|---|---|---:|---:|---:|---:|---:|---:|\n");
  for (const PeerFigures& peer : peers) {
    for (const MethodFigures& method : peer.methods) {
      std::printf("| %s | %s | %.1f | %s | %s | %s | %s | %s |\n", peer.name.c_str(),
                  method.name.c_str(),
                  Mib(static_cast<std::uint64_t>(
                      UpperMedian(Collect(method.alone, [](const Copy& c) {
                        return static_cast<double>(c.bytes);
                      })))),
                  Summary(Collect(method.alone, [](const Copy& c) { return c.seconds; }), 2).c_str(),
                  Summary(Collect(method.alone, CopyMibPerSecond), 0).c_str(),
                  Summary(Collect(peer.cp, [](const Copy& c) { return c.seconds; }), 2).c_str(),
                  Summary(Collect(peer.cp, CopyMibPerSecond), 0).c_str(),
                  Summary(method.cp_ratios, 2).c_str());
    }
  }
  std::printf("\n| engine | backup | checked after every finished backup (alone and under the "
              "writers; not timed) |\n|---|---|---|\n");
  for (const PeerFigures& peer : peers) {
    for (const MethodFigures& method : peer.methods) {
      std::printf("| %s | %s | %s |\n", peer.name.c_str(), method.name.c_str(),
                  method.checked.c_str());
    }
  }
  std::printf("\nMiB/s = the bytes each copy wrote over its time (a backup may write less than "
              "the live files: no free pages, no preallocated log); the ratio is the median of "
              "the per-run ratios (each backup against the `cp -r` of the same run).\n\n");

  std::printf("### With %u writer thread(s) committing durably (median (min-max) over %u windows "
              "of about 2 x %.0f s)\n\n",
              options.threads, options.repeat, options.seconds);
  std::printf("| engine | backup | backups finished | restarts per backup | backup s under the "
              "writers | commits/s without | commits/s during | ratio | p99 commit ms without | "
              "p99 ms during |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const PeerFigures& peer : peers) {
    for (const MethodFigures& method : peer.methods) {
      std::uint32_t finished = 0, attempts = 0;
      std::vector<double> restarts, seconds, ratios;
      for (const Window& window : method.windows) {
        for (const Copy& copy : window.backups) {
          ++attempts;
          finished += copy.result.finished ? 1 : 0;
          restarts.push_back(copy.result.restarts);
          seconds.push_back(copy.seconds);
        }
        ratios.push_back(window.with.commits_per_second / window.without.commits_per_second);
      }
      auto field = [&](auto get) { return Collect(method.windows, get); };
      std::printf("| %s | %s | %u of %u | %s | %s | %s | %s | %s | %s | %s |\n", peer.name.c_str(),
                  method.name.c_str(), finished, attempts, Summary(restarts, 0).c_str(),
                  Summary(seconds, 2).c_str(),
                  Summary(field([](const Window& w) { return w.without.commits_per_second; }), 0)
                      .c_str(),
                  Summary(field([](const Window& w) { return w.with.commits_per_second; }), 0)
                      .c_str(),
                  Summary(ratios, 2).c_str(),
                  Summary(field([](const Window& w) { return w.without.p99_milliseconds; }), 1)
                      .c_str(),
                  Summary(field([](const Window& w) { return w.with.p99_milliseconds; }), 1)
                      .c_str());
    }
  }
  std::printf("\nA backup that gave up (after %.0f s) counts in \"backups finished\" as not "
              "finished; its time is the time until it gave up. The ratio is the median of the "
              "per-window ratios (each window's commits during backups against its own slices "
              "without).\n\n",
              options.give_up_seconds);

  if (options.data_directory.empty()) return;
  std::ofstream data(options.data_directory + "/peers.tsv");
  data << "# label\tbackup_mib_s\tcp_mib_s\tratio_to_cp\tcommits_without\tcommits_during\t"
          "p99_without_ms\tp99_during_ms\tfinished_fraction\n";
  for (const PeerFigures& peer : peers) {
    const double cp_rate = UpperMedian(Collect(peer.cp, CopyMibPerSecond));
    for (const MethodFigures& method : peer.methods) {
      double finished = 0, attempts = 0;
      for (const Window& window : method.windows) {
        for (const Copy& copy : window.backups) {
          attempts += 1;
          finished += copy.result.finished ? 1 : 0;
        }
      }
      auto median = [&](auto get) { return UpperMedian(Collect(method.windows, get)); };
      data << '"' << method.label << "\"\t" << UpperMedian(Collect(method.alone, CopyMibPerSecond))
           << '\t' << cp_rate << '\t' << UpperMedian(method.cp_ratios) << '\t'
           << median([](const Window& w) { return w.without.commits_per_second; }) << '\t'
           << median([](const Window& w) { return w.with.commits_per_second; }) << '\t'
           << median([](const Window& w) { return w.without.p99_milliseconds; }) << '\t'
           << median([](const Window& w) { return w.with.p99_milliseconds; }) << '\t'
           << (attempts > 0 ? finished / attempts : 0) << '\n';
    }
  }
}

Options ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw BenchFailure("missing value after " + argument);
      return argv[++i];
    };
    if (argument == "--db-mib") {
      options.db_mib = static_cast<std::uint32_t>(std::stoul(value()));
    } else if (argument == "--repeat") {
      options.repeat = static_cast<std::uint32_t>(std::stoul(value()));
    } else if (argument == "--threads") {
      options.threads = static_cast<std::uint32_t>(std::stoul(value()));
    } else if (argument == "--seconds") {
      options.seconds = std::stod(value());
    } else if (argument == "--give-up-seconds") {
      options.give_up_seconds = std::stod(value());
    } else if (argument == "--sqlite-step-pages") {
      options.sqlite_step_pages = std::stoi(value());
    } else if (argument == "--peers") {
      options.peers.clear();
      std::string list = value();
      std::size_t start = 0;
      while (start <= list.size()) {
        const std::size_t comma = list.find(',', start);
        const std::string item = list.substr(start, comma == std::string::npos ? comma : comma - start);
        if (!item.empty()) options.peers.push_back(item);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    } else if (argument == "--dir") {
      options.directory = value();
    } else if (argument == "--data-dir") {
      options.data_directory = value();
    } else {
      throw BenchFailure("unknown argument " + argument +
                         " (--db-mib M --repeat N --threads T --seconds S --give-up-seconds S "
                         "--sqlite-step-pages N --peers a,b --dir PARENT --data-dir DIR)");
    }
  }
  if (options.db_mib == 0 || options.repeat == 0 || options.threads == 0 ||
      options.threads > 64 || options.seconds <= 0 || options.sqlite_step_pages <= 0 ||
      options.peers.empty()) {
    throw BenchFailure("--db-mib, --repeat, --threads (at most 64), --seconds, "
                       "--sqlite-step-pages and --peers need positive values");
  }
  return options;
}

}  // namespace
}  // namespace bench::peers

int main(int argc, char** argv) {
  using namespace bench::peers;
  try {
    const Options options = ParseOptions(argc, argv);
    std::vector<PeerFigures> peers;
    for (const std::string& name : options.peers) peers.push_back(MeasurePeer(name, options));
    Report(options, peers);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "esent-bench-peers: %s\n", error.what());
    return 1;
  }
  return 0;
}
