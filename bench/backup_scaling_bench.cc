// esent-bench-backup-scaling: how libesent's streaming incremental backup scales, and its full
// backup with a cold and a warm page cache beside `cat` and `dd` of the same files, in one run.
//
// Instances: JET_paramRecovery "on", circular logging off, --log-file-kib log files, 4 KiB
// pages, 64 MiB cache, a checkpoint depth of two log files (truncation keeps the generations the
// checkpoint needs, and an incremental streams every generation on disk: a shallow checkpoint
// keeps that close to the log written since the previous backup), every file in one fresh
// folder. A database of D MiB is built as in the
// other backup benches (table "rows", 4-byte key, 1,000-byte payload, ascending keys,
// transactions of 1,000 rows, lazy commits); the instance stops cleanly and a new one attaches
// it; an untimed full streaming backup (with JetTruncateLog) starts the chain.
//
// Log of L MiB: transactions that each replace the payload of 100 rows picked at random (fixed
// seed) over the whole table, lazy commits, until L MiB of new log generations exist, then one
// JET_bitWaitAllLevel0Commit.
//
// Incremental backup (what is timed): every file of the instance's folder fdatasync'd and
// dropped from the page cache (posix_fadvise(DONTNEED)); JetBeginExternalBackupInstance(
// JET_bitBackupIncremental), JetGetLogInfoInstance (rolls the log), every listed log streamed
// with JetOpenFile/JetReadFile into a file of a fresh folder and fsync'd, JetTruncateLogInstance,
// JetEndExternalBackupInstance2: from Begin to End.
//
//   database series   for each D in --db-mib-list: a fresh database of D MiB, then --repeat
//                     times (L = --log-mib, then one incremental)
//   log series        one database of --fixed-db-mib MiB; for each L in --log-mib-list,
//                     --repeat times (L MiB of log, then one incremental)
//   cache states      on the database series' largest database, --repeat runs of: a full
//                     streaming backup (database then logs, read into a buffer that is discarded,
//                     logs truncated), `cat <database> <logs> >/dev/null` and `dd` of each file
//                     (bs=1M, of=/dev/null), each cold (every file of the folder evicted with
//                     posix_fadvise(DONTNEED), and `echo 1 > /proc/sys/vm/drop_caches` after a
//                     sync when that file is writable, i.e. as root) and then warm (the files
//                     just read). The files of cat and dd are the database and the log
//                     generations present before the backup.
//
// Output: Markdown tables on standard output, progress on standard error, and with --data-dir
// the tab-separated files scaling_db.tsv, scaling_log.tsv and cache.tsv for the plots. Any
// engine error or failed check exits with status 1.
#include <esent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "bench_common.h"

namespace {

namespace fs = std::filesystem;
using bench::BenchFailure;
using bench::Check;
using bench::Mib;
using bench::Seconds;

constexpr std::uint32_t kRowPayloadBytes = 1000;
constexpr std::uint64_t kFileBytesPerRow = 1100;  // database file bytes per row (measured)

struct Options {
  std::vector<std::uint32_t> db_mib_list = {64, 128, 256};
  std::uint32_t log_mib = 32;
  std::uint32_t fixed_db_mib = 64;
  std::vector<std::uint32_t> log_mib_list = {16, 32, 64, 128};
  std::uint32_t repeat = 3;
  std::uint32_t log_file_kib = 5120;
  std::string directory = "/tmp";
  std::string data_directory;
};

// One instance and its database in a folder of their own.
struct Database {
  explicit Database(const Options& options, std::uint32_t db_mib)
      : folder(options.directory, "scaling"), path(folder.path() + "/db.edb"),
        log_file_kib(options.log_file_kib) {
    instance = Start();
    {
      JET_SESID session = 0;
      Check(JetBeginSession(instance, &session, "", ""), "JetBeginSession");
      bench::CreateRowsSchema(session, path, {.type = JET_coltypLongBinary});
      Check(JetEndSession(session, 0), "JetEndSession");
      bench::RowsCursor cursor(instance, path);
      rows = (std::uint64_t{db_mib} << 20) / kFileBytesPerRow;
      unsigned char payload[kRowPayloadBytes];
      for (std::uint64_t n = 0; n < rows;) {
        Check(JetBeginTransaction(cursor.session), "JetBeginTransaction");
        for (std::uint32_t i = 0; i < 1000 && n < rows; ++i, ++n) {
          bench::FillPayload(static_cast<std::int32_t>(n), payload, kRowPayloadBytes);
          cursor.InsertRow(static_cast<std::int32_t>(n), payload, kRowPayloadBytes);
        }
        Check(JetCommitTransaction(cursor.session, JET_bitCommitLazyFlush), "JetCommitTransaction");
      }
    }
    Check(JetTerm2(instance, JET_bitTermComplete), "JetTerm2");
    instance = Start();
    JET_SESID session = 0;
    Check(JetBeginSession(instance, &session, "", ""), "JetBeginSession");
    Check(JetAttachDatabaseA(session, path.c_str(), 0), "JetAttachDatabase");
    Check(JetEndSession(session, 0), "JetEndSession");
  }
  ~Database() {
    if (instance != 0) (void)JetTerm2(instance, JET_bitTermAbrupt);
  }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  JET_INSTANCE Start() {
    return bench::StartInstance(folder.path(), {.name_prefix = "scaling",
                                                .cache_mib = 64,
                                                .circular_log_off = true,
                                                .log_file_kib = log_file_kib,
                                                .max_sessions = 16,
                                                .max_ver_pages = 16384,
                                                .checkpoint_depth_bytes =
                                                    std::uint64_t{2} * log_file_kib * 1024});
  }

  // Log generation files in the folder (edb.log and edbtmp.log do not count).
  std::vector<std::string> LogGenerations() const {
    std::vector<std::string> logs;
    for (const auto& entry : fs::directory_iterator(folder.path())) {
      const std::string name = entry.path().filename().string();
      if (name.ends_with(".log") && name != "edb.log" && name != "edbtmp.log") {
        logs.push_back(entry.path().string());
      }
    }
    std::sort(logs.begin(), logs.end());
    return logs;
  }

  // Random payload replacements until `log_mib` MiB of new generations exist.
  void WriteLog(std::uint32_t log_mib) {
    // Generations newer than the newest one now (older ones the last truncation kept, below
    // the checkpoint, do not count). Names sort by generation (fixed-width hex).
    const std::vector<std::string> before = LogGenerations();
    const std::string newest = before.empty() ? std::string() : before.back();
    const std::size_t target = (std::size_t{log_mib} * 1024 + log_file_kib - 1) / log_file_kib;
    auto new_generations = [&] {
      const std::vector<std::string> now = LogGenerations();
      return static_cast<std::size_t>(
          std::count_if(now.begin(), now.end(), [&](const std::string& n) { return n > newest; }));
    };
    bench::RowsCursor cursor(instance, path);
    unsigned char payload[kRowPayloadBytes];
    std::uniform_int_distribution<std::int32_t> pick(0, static_cast<std::int32_t>(rows - 1));
    while (new_generations() < target) {
      Check(JetBeginTransaction(cursor.session), "JetBeginTransaction");
      for (int i = 0; i < 100; ++i) {
        std::int32_t key = pick(random);
        Check(JetMakeKey(cursor.session, cursor.table, &key, sizeof(key), JET_bitNewKey),
              "JetMakeKey");
        Check(JetSeek(cursor.session, cursor.table, JET_bitSeekEQ), "JetSeek");
        bench::FillPayload(static_cast<std::int32_t>(random()), payload, kRowPayloadBytes);
        Check(JetPrepareUpdate(cursor.session, cursor.table, JET_prepReplace), "JetPrepareUpdate");
        Check(JetSetColumn(cursor.session, cursor.table, cursor.payload_column, payload,
                           kRowPayloadBytes, 0, nullptr),
              "JetSetColumn");
        Check(JetUpdate(cursor.session, cursor.table, nullptr, 0, nullptr), "JetUpdate");
      }
      Check(JetCommitTransaction(cursor.session, JET_bitCommitLazyFlush), "JetCommitTransaction");
    }
    Check(JetCommitTransaction(cursor.session, JET_bitWaitAllLevel0Commit),
          "JetCommitTransaction(WaitAllLevel0Commit)");
  }

  void EvictAll() const {
    for (const auto& entry : fs::directory_iterator(folder.path())) {
      if (entry.is_regular_file()) bench::EvictFromPageCache(entry.path().string());
    }
  }

  bench::TempFolder folder;
  std::string path;
  JET_API_PTR log_file_kib;
  JET_INSTANCE instance = 0;
  std::uint64_t rows = 0;
  std::mt19937 random{20261122};
};

// Streams every file of `names` (a multi-string of `bytes`) into `destination` (files fsync'd;
// nowhere when empty); returns the bytes.
std::uint64_t StreamAll(const Database& database, const std::vector<std::string>& names,
                        const std::string& destination, std::vector<unsigned char>& buffer) {
  std::uint64_t total = 0;
  for (const std::string& name : names) {
    if (destination.empty()) {
      total += bench::StreamBackupFile(database.instance, name, buffer, nullptr, nullptr,
                                       [](const unsigned char*, std::size_t) {});
      continue;
    }
    const std::string target = destination + "/" + fs::path(name).filename().string();
    const int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw BenchFailure("open " + target);
    try {
      total += bench::StreamBackupFile(
          database.instance, name, buffer, nullptr, nullptr,
          [fd, &target](const unsigned char* data, std::size_t bytes) {
            if (::write(fd, data, bytes) != static_cast<ssize_t>(bytes)) {
              throw BenchFailure("write " + target);
            }
          });
      if (::fsync(fd) != 0) throw BenchFailure("fsync " + target);
    } catch (...) {
      ::close(fd);
      throw;
    }
    ::close(fd);
  }
  return total;
}

struct BackupRun {
  double seconds = 0;
  std::uint64_t database_bytes = 0;
  std::uint64_t log_bytes = 0;
  std::uint32_t logs = 0;
};

// One streaming backup (full or incremental), files into `destination` ("" = discarded).
BackupRun StreamingBackup(const Database& database, bool incremental,
                          const std::string& destination) {
  std::vector<unsigned char> buffer(std::size_t{1} << 20);
  std::vector<char> names(1 << 16);
  BackupRun run;
  const auto start = std::chrono::steady_clock::now();
  Check(JetBeginExternalBackupInstance(database.instance, incremental ? JET_bitBackupIncremental : 0),
        "JetBeginExternalBackupInstance");
  try {
    JET_UINT32 actual = 0;
    if (!incremental) {
      Check(JetGetAttachInfoInstanceA(database.instance, names.data(),
                                      static_cast<JET_UINT32>(names.size()), &actual),
            "JetGetAttachInfoInstance");
      run.database_bytes = StreamAll(
          database, bench::SplitMultiString(names.data(), actual), destination, buffer);
      std::fill(names.begin(), names.end(), '\0');
    }
    Check(JetGetLogInfoInstanceA(database.instance, names.data(),
                                 static_cast<JET_UINT32>(names.size()), &actual),
          "JetGetLogInfoInstance");
    const auto logs = bench::SplitMultiString(names.data(), names.size());
    run.logs = static_cast<std::uint32_t>(logs.size());
    run.log_bytes = StreamAll(database, logs, destination, buffer);
    Check(JetTruncateLogInstance(database.instance), "JetTruncateLogInstance");
  } catch (...) {
    (void)JetEndExternalBackupInstance2(database.instance, JET_bitBackupEndAbort);
    throw;
  }
  Check(JetEndExternalBackupInstance2(database.instance, JET_bitBackupEndNormal),
        "JetEndExternalBackupInstance2");
  run.seconds = Seconds(start);
  return run;
}

// A timed incremental into a fresh folder (removed afterwards), the instance's files cold.
BackupRun TimedIncremental(const Database& database, const std::string& scratch) {
  static std::uint32_t counter = 0;
  const std::string destination = scratch + "/incremental-" + std::to_string(counter++);
  fs::create_directory(destination);
  database.EvictAll();
  BackupRun run = StreamingBackup(database, true, destination);
  fs::remove_all(destination);
  return run;
}

struct Point {
  std::uint32_t db_mib = 0, log_mib = 0;
  std::uint64_t database_bytes = 0;
  std::vector<BackupRun> runs;
  double full_seconds = 0;  // the untimed-in-the-series first full backup, for reference
};

double MedianSeconds(const Point& point) {
  std::vector<double> values;
  for (const BackupRun& run : point.runs) values.push_back(run.seconds);
  return bench::UpperMedian(values);
}

double MedianLogMib(const Point& point) {
  std::vector<double> values;
  for (const BackupRun& run : point.runs) values.push_back(Mib(run.log_bytes));
  return bench::UpperMedian(values);
}

// The full backup that starts a chain, into a folder that is removed again; returns its seconds.
double StartChain(const Database& database, const std::string& scratch) {
  const std::string destination = scratch + "/full";
  fs::create_directory(destination);
  database.EvictAll();
  const double seconds = StreamingBackup(database, false, destination).seconds;
  fs::remove_all(destination);
  return seconds;
}

// --- cold and warm full backups beside cat and dd -------------------------------------------------

struct CacheRun {
  double backup[2] = {0, 0}, cat[2] = {0, 0}, dd[2] = {0, 0};  // MiB/s: [0] cold, [1] warm
  double resident_cold = 0;  // the database file's residency before a cold read
};

bool g_drop_caches_writable = false;

void MakeCold(const Database& database) {
  database.EvictAll();
  if (g_drop_caches_writable) {
    ::sync();
    std::ofstream drop("/proc/sys/vm/drop_caches");
    drop << "1\n";
  }
}

CacheRun MeasureCache(const Database& database, std::uint32_t run_index) {
  CacheRun run;
  std::vector<std::string> files = database.LogGenerations();
  files.insert(files.begin(), database.path);
  std::uint64_t file_bytes = 0;
  for (const std::string& file : files) file_bytes += bench::FileBytes(file);
  std::string cat_command = "cat";
  for (const std::string& file : files) cat_command += " '" + file + "'";
  cat_command += " >/dev/null";
  const auto cat = [&] { return Mib(file_bytes) / bench::RunTool({"sh", "-c", cat_command}); };
  const auto dd = [&] {
    double seconds = 0;
    for (const std::string& file : files) {
      seconds += bench::RunTool({"dd", "if=" + file, "of=/dev/null", "bs=1M", "status=none"});
    }
    return Mib(file_bytes) / seconds;
  };
  const auto backup = [&] {
    const BackupRun full = StreamingBackup(database, false, "");
    return Mib(full.database_bytes + full.log_bytes) / full.seconds;
  };
  // The backup truncates the logs it streamed, so it goes last; cat and dd swap places.
  if (run_index % 2 == 0) {
    MakeCold(database);
    run.resident_cold = bench::ResidentFraction(database.path);
    run.cat[0] = cat();
    run.cat[1] = cat();
    MakeCold(database);
    run.dd[0] = dd();
    run.dd[1] = dd();
  } else {
    MakeCold(database);
    run.resident_cold = bench::ResidentFraction(database.path);
    run.dd[0] = dd();
    run.dd[1] = dd();
    MakeCold(database);
    run.cat[0] = cat();
    run.cat[1] = cat();
  }
  MakeCold(database);
  run.backup[0] = backup();
  // Warm: the database file and the logs there are now read once more (the cold backup
  // truncated some of the logs cat and dd read).
  std::string warm_command = "cat '" + database.path + "'";
  for (const std::string& file : database.LogGenerations()) warm_command += " '" + file + "'";
  (void)bench::RunTool({"sh", "-c", warm_command + " >/dev/null"});
  run.backup[1] = backup();
  return run;
}

// --- the report --------------------------------------------------------------------------------------

void ReportSeries(const char* title, const std::vector<Point>& points, const char* varies,
                  const std::string& data_path) {
  std::printf("### %s\n\n", title);
  std::printf("| database MiB | log MiB written | log MiB streamed (median) | logs | incremental s "
              "(median (min-max)) | MiB of log / s | full backup s (the chain's start) |\n"
              "|---:|---:|---:|---:|---:|---:|---:|\n");
  std::ofstream data;
  if (!data_path.empty()) {
    data.open(data_path);
    data << "# db_mib\tlog_mib\tlog_mib_streamed\tincremental_s\tfull_s\n";
  }
  for (const Point& point : points) {
    std::vector<double> seconds;
    for (const BackupRun& run : point.runs) seconds.push_back(run.seconds);
    const auto [low, high] = std::minmax_element(seconds.begin(), seconds.end());
    const double median = MedianSeconds(point);
    std::printf("| %.0f | %u | %.1f | %u | %.3f (%.3f-%.3f) | %.0f | %.2f |\n",
                Mib(point.database_bytes), point.log_mib, MedianLogMib(point),
                point.runs[point.runs.size() / 2].logs, median, *low, *high,
                MedianLogMib(point) / median, point.full_seconds);
    if (data.is_open()) {
      data << Mib(point.database_bytes) << '\t' << point.log_mib << '\t' << MedianLogMib(point)
           << '\t' << median << '\t' << point.full_seconds << '\n';
    }
  }
  std::printf("\n(%s varies; each incremental is cold: the instance's files evicted first.)\n\n",
              varies);
}

void ReportCache(const std::vector<CacheRun>& runs, const std::string& data_path) {
  auto median = [&](auto field) {
    std::vector<double> values;
    for (const CacheRun& run : runs) values.push_back(field(run));
    return bench::UpperMedian(values);
  };
  std::printf("### Full streaming backup, cold and warm, beside cat and dd of the same files "
              "(MiB/s, median of %zu runs)\n\n",
              runs.size());
  std::printf("| cache | libesent full backup | cat | dd bs=1M | backup / cat | backup / dd |\n"
              "|---|---:|---:|---:|---:|---:|\n");
  std::ofstream data;
  if (!data_path.empty()) {
    data.open(data_path);
    data << "# cache\tbackup\tcat\tdd\n";
  }
  for (int state = 0; state < 2; ++state) {
    const char* name = state == 0 ? "cold" : "warm";
    const double backup = median([&](const CacheRun& r) { return r.backup[state]; });
    const double cat = median([&](const CacheRun& r) { return r.cat[state]; });
    const double dd = median([&](const CacheRun& r) { return r.dd[state]; });
    std::printf("| %s | %.0f | %.0f | %.0f | %.2f | %.2f |\n", name, backup, cat, dd,
                median([&](const CacheRun& r) { return r.backup[state] / r.cat[state]; }),
                median([&](const CacheRun& r) { return r.backup[state] / r.dd[state]; }));
    if (data.is_open()) data << name << '\t' << backup << '\t' << cat << '\t' << dd << '\n';
  }
  std::printf("\nCold = every file of the instance's folder evicted with "
              "posix_fadvise(POSIX_FADV_DONTNEED)%s; the database file's page-cache residency "
              "before a cold read: %.0f%% (mincore, median). The ratios are medians of per-run "
              "ratios.\n\n",
              g_drop_caches_writable
                  ? ", then `sync; echo 1 > /proc/sys/vm/drop_caches` (the bench ran as root)"
                  : " only (/proc/sys/vm/drop_caches was not writable)",
              median([](const CacheRun& r) { return r.resident_cold; }) * 100.0);
}

Options ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw BenchFailure("missing value after " + argument);
      return argv[++i];
    };
    auto number = [&] { return static_cast<std::uint32_t>(std::stoul(value())); };
    if (argument == "--db-mib-list") {
      options.db_mib_list = bench::ParseList(value());
    } else if (argument == "--log-mib") {
      options.log_mib = number();
    } else if (argument == "--fixed-db-mib") {
      options.fixed_db_mib = number();
    } else if (argument == "--log-mib-list") {
      options.log_mib_list = bench::ParseList(value());
    } else if (argument == "--repeat") {
      options.repeat = number();
    } else if (argument == "--log-file-kib") {
      options.log_file_kib = number();
    } else if (argument == "--dir") {
      options.directory = value();
    } else if (argument == "--data-dir") {
      options.data_directory = value();
    } else {
      throw BenchFailure("unknown argument " + argument +
                         " (--db-mib-list a,b --log-mib L --fixed-db-mib D --log-mib-list a,b "
                         "--repeat N --log-file-kib K --dir PARENT --data-dir DIR)");
    }
  }
  if (options.db_mib_list.empty() || options.log_mib_list.empty() || options.log_mib == 0 ||
      options.fixed_db_mib == 0 || options.repeat == 0 || options.log_file_kib < 128) {
    throw BenchFailure("the lists, --log-mib, --fixed-db-mib, --repeat need positive values, "
                       "--log-file-kib at least 128");
  }
  return options;
}

std::string DataPath(const Options& options, const char* name) {
  return options.data_directory.empty() ? "" : options.data_directory + "/" + name;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options options = ParseOptions(argc, argv);
    g_drop_caches_writable = ::access("/proc/sys/vm/drop_caches", W_OK) == 0;
    bench::TempFolder scratch(options.directory, "scaling-out");
    std::vector<Point> by_database, by_log;
    std::vector<CacheRun> cache_runs;
    std::vector<std::uint32_t> sizes = options.db_mib_list;
    std::sort(sizes.begin(), sizes.end());
    for (std::uint32_t db_mib : sizes) {
      Database database(options, db_mib);
      Point point;
      point.db_mib = db_mib;
      point.log_mib = options.log_mib;
      point.database_bytes = bench::FileBytes(database.path);
      point.full_seconds = StartChain(database, scratch.path());
      for (std::uint32_t r = 0; r < options.repeat; ++r) {
        database.WriteLog(options.log_mib);
        point.runs.push_back(TimedIncremental(database, scratch.path()));
        std::fprintf(stderr, "database %u MiB, log %u MiB: incremental %.3f s (%u logs)\n", db_mib,
                     options.log_mib, point.runs.back().seconds, point.runs.back().logs);
      }
      by_database.push_back(point);
      if (db_mib == sizes.back()) {
        for (std::uint32_t r = 0; r < options.repeat; ++r) {
          database.WriteLog(options.log_mib);  // logs for cat, dd and the backup to read
          cache_runs.push_back(MeasureCache(database, r));
          std::fprintf(stderr, "cache run %u: backup %.0f/%.0f, cat %.0f/%.0f MiB/s (cold/warm)\n",
                       r + 1, cache_runs.back().backup[0], cache_runs.back().backup[1],
                       cache_runs.back().cat[0], cache_runs.back().cat[1]);
        }
      }
    }
    {
      Database database(options, options.fixed_db_mib);
      const double full_seconds = StartChain(database, scratch.path());
      std::vector<std::uint32_t> logs = options.log_mib_list;
      std::sort(logs.begin(), logs.end());
      for (std::uint32_t log_mib : logs) {
        Point point;
        point.db_mib = options.fixed_db_mib;
        point.log_mib = log_mib;
        point.database_bytes = bench::FileBytes(database.path);
        point.full_seconds = full_seconds;
        for (std::uint32_t r = 0; r < options.repeat; ++r) {
          database.WriteLog(log_mib);
          point.runs.push_back(TimedIncremental(database, scratch.path()));
          std::fprintf(stderr, "database %u MiB, log %u MiB: incremental %.3f s (%u logs)\n",
                       options.fixed_db_mib, log_mib, point.runs.back().seconds,
                       point.runs.back().logs);
        }
        by_log.push_back(point);
      }
    }
    ReportSeries("Incremental backup as the database grows (fixed log volume)", by_database,
                 "the database", DataPath(options, "scaling_db.tsv"));
    ReportSeries("Incremental backup as the log volume grows (fixed database)", by_log,
                 "the log volume", DataPath(options, "scaling_log.tsv"));
    ReportCache(cache_runs, DataPath(options, "cache.tsv"));
  } catch (const std::exception& error) {
    std::fprintf(stderr, "esent-bench-backup-scaling: %s\n", error.what());
    return 1;
  }
  return 0;
}
