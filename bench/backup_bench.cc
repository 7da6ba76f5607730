// esent-bench-backup: the speed of libesent's streaming (external) backup against a plain
// sequential read of the same file, and what a running backup costs concurrent writers, in one
// run on one machine.
//
// Setup: one instance (JET_paramRecovery "on", 16 MiB logs, circular logging off) builds a
// database of about --db-mib MiB through the public API: table "rows", a 4-byte integer key
// (the primary index) and a 1,000-byte payload (a long binary column, kept in the record),
// inserted in transactions of 1,000 rows. The instance is then stopped cleanly and a new
// instance attaches the database, so the file is complete and clean on disk and the engine's
// cache is empty.
//
// Read figures (each run: cold, then warm):
//   pread       the database file read from offset 0 to its end with pread() in --chunk-kib
//               chunks into one buffer that is discarded
//   pread+xxh3  the same pread pass, and every 4 KiB page hashed with XXH3-64 (the checksum of
//               libesent's pages) right after its chunk is read: what any backup that verifies
//               every page must do, without the engine (a reference, not a target)
//   dd          `dd if=<db> of=/dev/null bs=<chunk>` (a separate process)
//   backup      JetBeginExternalBackupInstance(0), JetGetAttachInfoInstance, JetOpenFileInstance
//               on the database, JetReadFileInstance with cb = --chunk-kib until it returns 0
//               bytes, JetCloseFileInstance; then JetGetLogInfoInstance (which rolls the log),
//               every listed log streamed the same way, JetTruncateLogInstance and
//               JetEndExternalBackupInstance2(JET_bitBackupEndNormal). Its "database stream"
//               speed is the stream's bytes (header pages + data pages + trailer) over the time
//               from JetOpenFile to JetCloseFile; the whole backup is timed separately.
// "Cold" means the database file was fdatasync'd and then dropped from the OS page cache with
// posix_fadvise(POSIX_FADV_DONTNEED) just before the read: a per-file eviction, not a global
// drop_caches (which needs root). "Warm" means the same file was read in full just before.
//
// Writer figures (the window is bench::RunWriterWindow, bench/writers.h): T writer threads
// (--threads), each with its own session, commit one-row transactions durably
// (JetCommitTransaction(0): the commit returns once the log is on disk) for 2 x --seconds while the
// main thread alternates --slice seconds of nothing with slices of full streaming backups, one
// after another (a slice ends with the backup that crosses its end). Commits count for the state in
// which they began; adjacent slices share the disk's moods, which on a shared machine swing more
// than the effect measured. Figures per state: commits/s of all threads together and the 99th
// percentile of the commit latency (JetBeginTransaction to the return of JetCommitTransaction).
// Three controls interleave the same way with something else instead of the backups: a pread loop
// over the database file (the same bytes without the engine), log rolls alone with
// JetCommitTransaction(JET_bitForceNewLog) as often as the backups of the same run rolled the log
// (each backup's JetGetLogInfo rolls it once), and 10 ms busy spins (a busy CPU).
//
// Every figure is measured --repeat times; the report gives the median. The runs are
// interleaved (every figure once, then every figure again) and the order of the readers and of
// the writer windows rotates from run to run, so that a slow spell of the shared disk falls on
// all figures alike. An untimed cold pass precedes the readers of each run. Output: Markdown tables; any engine error or failed check
// exits with status 1.
#include <esent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench_common.h"
#include "writers.h"

namespace {

constexpr std::uint32_t kLogFileKib = 16384;
constexpr std::uint32_t kRowPayloadBytes = 1000;
constexpr std::uint32_t kWriterPayloadBytes = 100;
constexpr std::uint32_t kRowsPerTransaction = 1000;
// Bytes of database file per row, measured (record, node and page overhead): sizes the build.
constexpr std::uint64_t kFileBytesPerRow = 1100;

using bench::BenchFailure;
using bench::Check;
using bench::kPageSizeBytes;
using bench::EvictFromPageCache;
using bench::FileBytes;
using bench::FillPayload;
using bench::Mib;
using bench::ResidentFraction;
using bench::Seconds;
using bench::SplitMultiString;

struct Options {
  std::uint32_t db_mib = 256;
  std::vector<std::uint32_t> threads = {1, 4};
  double seconds = 3.0;
  double slice_seconds = 0.5;
  std::uint32_t repeat = 3;
  std::uint32_t chunk_kib = 1024;
  std::uint32_t cache_mib = 64;
  std::string directory;  // parent of the fresh folder; /tmp when empty
  bool skip_read = false;
  bool skip_writers = false;
};

// --- libesent -------------------------------------------------------------------------------

JET_INSTANCE StartEsent(const std::string& folder, std::uint32_t cache_mib) {
  return bench::StartInstance(folder, {.name_prefix = "backup",
                                       .cache_mib = cache_mib,
                                       .circular_log_off = true,
                                       .log_file_kib = kLogFileKib,
                                       .max_sessions = 64,
                                       .max_ver_pages = 16384});
}

void CreateSchema(JET_SESID session, const std::string& path) {
  bench::CreateRowsSchema(session, path, {.type = JET_coltypLongBinary});
}

// One session with the table open, for one thread; rows get FillPayload's bytes.
struct Cursor : bench::RowsCursor {
  using RowsCursor::RowsCursor;

  void Insert(std::int32_t key, std::uint32_t payload_bytes) {
    unsigned char payload[kRowPayloadBytes];
    FillPayload(key, payload, payload_bytes);
    InsertRow(key, payload, payload_bytes);
  }
};

// The database of the run: built once, then reopened by a fresh instance.
struct Database {
  std::string folder;
  std::string path;
  JET_INSTANCE instance = 0;
  std::uint64_t rows = 0;
  std::uint64_t built_bytes = 0;  // the file's size after the build
  double build_seconds = 0;
};

void Attach(Database& database, std::uint32_t cache_mib) {
  database.instance = StartEsent(database.folder, cache_mib);
  JET_SESID session = 0;
  Check(JetBeginSession(database.instance, &session, "", ""), "JetBeginSession");
  Check(JetAttachDatabaseA(session, database.path.c_str(), 0), "JetAttachDatabase");
  Check(JetEndSession(session, 0), "JetEndSession");
}

void Build(Database& database, const Options& options) {
  const std::uint64_t target_rows = (std::uint64_t{options.db_mib} << 20) / kFileBytesPerRow;
  const auto start = std::chrono::steady_clock::now();
  database.instance = StartEsent(database.folder, options.cache_mib);
  {
    JET_SESID session = 0;
    Check(JetBeginSession(database.instance, &session, "", ""), "JetBeginSession");
    CreateSchema(session, database.path);
    Check(JetEndSession(session, 0), "JetEndSession");
    Cursor cursor(database.instance, database.path);
    std::uint64_t n = 0;
    while (n < target_rows) {
      Check(JetBeginTransaction(cursor.session), "JetBeginTransaction");
      for (std::uint32_t i = 0; i < kRowsPerTransaction && n < target_rows; ++i) {
        cursor.Insert(static_cast<std::int32_t>(n++), kRowPayloadBytes);
      }
      Check(JetCommitTransaction(cursor.session, JET_bitCommitLazyFlush), "JetCommitTransaction");
    }
    Check(JetCommitTransaction(cursor.session, JET_bitWaitAllLevel0Commit),
          "JetCommitTransaction(WaitAllLevel0Commit)");
    database.rows = n;
  }
  // A clean stop writes every page and the clean header; the next instance starts with an
  // empty cache and a checkpoint at the end of the log.
  Check(JetTerm2(database.instance, JET_bitTermComplete), "JetTerm2");
  database.instance = 0;
  database.build_seconds = Seconds(start);
  database.built_bytes = FileBytes(database.path);
  // The build's files (the database and ~db-mib of logs) reach the disk now, not during the
  // first measurement.
  for (const auto& entry : std::filesystem::directory_iterator(database.folder)) {
    if (entry.is_regular_file()) EvictFromPageCache(entry.path().string());
  }
  Attach(database, options.cache_mib);
}

// --- the reads --------------------------------------------------------------------------------

// Reads `path` from 0 to its end in `buffer`-sized preads, calling on_chunk(offset, bytes) after
// each read that returned data (the bytes are in buffer[0, bytes)); returns the bytes read. A
// template, so the plain read's empty callback compiles away.
template <typename OnChunk>
std::uint64_t PreadEachChunk(const std::string& path, std::vector<unsigned char>& buffer,
                             OnChunk on_chunk) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw BenchFailure("open " + path);
  std::uint64_t offset = 0;
  for (;;) {
    const ssize_t count = ::pread(fd, buffer.data(), buffer.size(), static_cast<off_t>(offset));
    if (count < 0) {
      ::close(fd);
      throw BenchFailure("pread " + path);
    }
    if (count == 0) break;
    const std::size_t bytes = static_cast<std::size_t>(count);
    on_chunk(offset, bytes);
    offset += bytes;
  }
  ::close(fd);
  return offset;
}

// Reads `path` from 0 to its end in `buffer`-sized preads; returns the bytes read.
std::uint64_t PreadFile(const std::string& path, std::vector<unsigned char>& buffer) {
  return PreadEachChunk(path, buffer, [](std::uint64_t, std::size_t) {});
}

// PreadFile, and every page of each chunk hashed as libesent verifies a page (XXH3-64 of bytes
// [8, page) seeded with the page number). Returns the bytes read; *sink keeps the hashes alive.
std::uint64_t PreadVerifyFile(const std::string& path, std::vector<unsigned char>& buffer,
                              std::uint64_t* sink) {
  return PreadEachChunk(path, buffer, [&buffer, sink](std::uint64_t offset, std::size_t bytes) {
    for (std::size_t at = 0; at + kPageSizeBytes <= bytes; at += kPageSizeBytes) {
      *sink += XXH3_64bits_withSeed(buffer.data() + at + 8, kPageSizeBytes - 8,
                                    (offset + at) / kPageSizeBytes);
    }
  });
}

// Runs dd over the file into /dev/null; returns its wall time in seconds (process included).
double DdFile(const std::string& path, std::uint32_t chunk_kib) {
  const std::string input = "if=" + path;
  const std::string block = "bs=" + std::to_string(chunk_kib) + "K";
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) throw BenchFailure("fork");
  if (pid == 0) {
    ::execlp("dd", "dd", input.c_str(), "of=/dev/null", block.c_str(), "status=none",
             static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw BenchFailure("dd " + path + " failed");
  }
  return Seconds(start);
}

struct BackupTiming {
  std::uint64_t database_bytes = 0;
  double database_seconds = 0;       // JetOpenFile .. JetCloseFile of the database
  double database_read_seconds = 0;  // inside JetReadFile calls of the database
  std::uint32_t read_calls = 0;
  std::uint64_t log_bytes = 0;
  std::uint32_t logs = 0;
  double log_info_seconds = 0;  // JetGetLogInfo (rolls the log)
  double log_seconds = 0;       // streaming the logs
  double truncate_seconds = 0;
  double end_seconds = 0;
  double total_seconds = 0;     // Begin .. End
};

// One full streaming backup with truncation; the bytes go nowhere.
BackupTiming StreamBackup(JET_INSTANCE instance, std::vector<unsigned char>& buffer) {
  BackupTiming timing;
  const auto start = std::chrono::steady_clock::now();
  Check(JetBeginExternalBackupInstance(instance, 0), "JetBeginExternalBackupInstance");
  try {
    std::vector<char> names(1 << 16);
    JET_UINT32 actual = 0;
    Check(JetGetAttachInfoInstanceA(instance, names.data(), static_cast<JET_UINT32>(names.size()),
                                    &actual),
          "JetGetAttachInfoInstance");
    const auto databases = SplitMultiString(names.data(), std::min<std::size_t>(actual, names.size()));
    if (databases.empty()) throw BenchFailure("JetGetAttachInfoInstance listed no database");
    const auto database_start = std::chrono::steady_clock::now();
    for (const std::string& name : databases) {
      timing.database_bytes +=
          bench::StreamBackupFile(instance, name, buffer, &timing.database_read_seconds,
                                  &timing.read_calls, [](const unsigned char*, std::size_t) {});
    }
    timing.database_seconds = Seconds(database_start);

    auto phase = std::chrono::steady_clock::now();
    std::fill(names.begin(), names.end(), '\0');
    Check(JetGetLogInfoInstanceA(instance, names.data(), static_cast<JET_UINT32>(names.size()),
                                 &actual),
          "JetGetLogInfoInstance");
    timing.log_info_seconds = Seconds(phase);
    phase = std::chrono::steady_clock::now();
    for (const std::string& name : SplitMultiString(names.data(), names.size())) {
      timing.log_bytes += bench::StreamBackupFile(instance, name, buffer, nullptr, nullptr,
                                                  [](const unsigned char*, std::size_t) {});
      ++timing.logs;
    }
    timing.log_seconds = Seconds(phase);
    phase = std::chrono::steady_clock::now();
    Check(JetTruncateLogInstance(instance), "JetTruncateLogInstance");
    timing.truncate_seconds = Seconds(phase);
  } catch (...) {
    (void)JetEndExternalBackupInstance2(instance, JET_bitBackupEndAbort);
    throw;
  }
  const auto phase = std::chrono::steady_clock::now();
  Check(JetEndExternalBackupInstance2(instance, JET_bitBackupEndNormal),
        "JetEndExternalBackupInstance2");
  timing.end_seconds = Seconds(phase);
  timing.total_seconds = Seconds(start);
  return timing;
}

// One run of every read figure: [0] pread, [1] backup database stream, [2] dd, [3] whole backup
// (all in bytes/s), cold then warm.
struct ReadRun {
  double pread_cold = 0, pread_warm = 0;
  double stream_cold = 0, stream_warm = 0;
  double dd_cold = 0, dd_warm = 0;
  double verify_cold = 0, verify_warm = 0;
  double whole_cold = 0, whole_warm = 0;
  double resident_cold = 0, resident_warm = 0;  // page-cache residency before the cold/warm read
  BackupTiming backup_cold, backup_warm;
};

ReadRun MeasureReads(const Database& database, std::vector<unsigned char>& buffer,
                     std::uint32_t chunk_kib, std::uint32_t run_index) {
  ReadRun run;
  const std::string& path = database.path;
  std::uint64_t sink = 0;
  auto timed = [&](auto read) {
    const auto start = std::chrono::steady_clock::now();
    const std::uint64_t bytes = read();
    return static_cast<double>(bytes) / Seconds(start);
  };
  auto pread_pass = [&] { return PreadFile(path, buffer); };
  auto verify_pass = [&] { return PreadVerifyFile(path, buffer, &sink); };
  // Each reader: evict, the cold pass, then the warm pass (the file was just read in full).
  // The order of the readers rotates from run to run, so none is always first after the build
  // or always follows the same one.
  const std::function<void()> readers[] = {
      [&] {
        EvictFromPageCache(path);
        run.resident_cold = ResidentFraction(path);
        run.pread_cold = timed(pread_pass);
        run.resident_warm = ResidentFraction(path);
        run.pread_warm = timed(pread_pass);
      },
      [&] {
        EvictFromPageCache(path);
        run.backup_cold = StreamBackup(database.instance, buffer);
        (void)PreadFile(path, buffer);  // warm: every page of the file in the page cache
        run.backup_warm = StreamBackup(database.instance, buffer);
      },
      [&] {
        const double file_bytes = static_cast<double>(FileBytes(path));
        EvictFromPageCache(path);
        run.dd_cold = file_bytes / DdFile(path, chunk_kib);
        run.dd_warm = file_bytes / DdFile(path, chunk_kib);
      },
      [&] {
        EvictFromPageCache(path);
        run.verify_cold = timed(verify_pass);
        run.verify_warm = timed(verify_pass);
      },
  };
  // An untimed cold pass first, so that no timed reader is the first to touch the disk after
  // the build or the writer windows (that first read was the slowest in every trial run).
  EvictFromPageCache(path);
  (void)PreadFile(path, buffer);
  constexpr std::size_t kReaders = std::size(readers);
  for (std::size_t i = 0; i < kReaders; ++i) readers[(i + run_index) % kReaders]();
  if (sink == 42) std::fprintf(stderr, " ");  // keeps the hashes from being optimised away

  auto stream_rate = [](const BackupTiming& t) {
    return static_cast<double>(t.database_bytes) / t.database_seconds;
  };
  auto whole_rate = [](const BackupTiming& t) {
    return static_cast<double>(t.database_bytes + t.log_bytes) / t.total_seconds;
  };
  run.stream_cold = stream_rate(run.backup_cold);
  run.stream_warm = stream_rate(run.backup_warm);
  run.whole_cold = whole_rate(run.backup_cold);
  run.whole_warm = whole_rate(run.backup_warm);
  return run;
}

// --- writers --------------------------------------------------------------------------------

// What runs beside the writers in the "with" slices.
enum class Background { kBackups, kPreadLoop, kLogRolls, kSpin };

using bench::WriterFigures;

struct WriterRun {
  WriterFigures with;     // slices with the background running
  WriterFigures without;  // the slices between them
  std::uint32_t units = 0;   // whole backups / pread passes / log rolls done in the "with" slices
  BackupTiming backup_sums;  // the backups' phase times added up (kBackups)
  double roll_seconds = 0;   // JetCommitTransaction(JET_bitForceNewLog) times added up
  double ratio() const { return with.commits_per_second / without.commits_per_second; }
};

std::atomic<std::int32_t> g_next_thread_key[64];

// T writers commit durably for 2 x `seconds` while this thread alternates between slices of
// nothing (`slice_seconds`) and slices of the background (whole units — a backup, a pread pass,
// a log roll — until `slice_seconds` have passed): bench::RunWriterWindow (writers.h).
// `roll_interval_seconds` spaces the log rolls (kLogRolls).
WriterRun MeasureWriters(const Database& database, std::uint32_t threads, double seconds,
                         Background background, std::uint32_t chunk_kib, double slice_seconds,
                         double roll_interval_seconds = 0) {
  WriterRun run;
  std::vector<unsigned char> buffer(std::size_t{chunk_kib} * 1024);
  JET_SESID roll_session = 0;
  if (background == Background::kLogRolls) {
    Check(JetBeginSession(database.instance, &roll_session, "", ""), "JetBeginSession");
  }
  const auto unit = [&] {
    switch (background) {
      case Background::kBackups: {
        const BackupTiming t = StreamBackup(database.instance, buffer);
        run.backup_sums.database_seconds += t.database_seconds;
        run.backup_sums.log_info_seconds += t.log_info_seconds;
        run.backup_sums.log_seconds += t.log_seconds;
        run.backup_sums.truncate_seconds += t.truncate_seconds;
        run.backup_sums.end_seconds += t.end_seconds;
        run.backup_sums.total_seconds += t.total_seconds;
        break;
      }
      case Background::kPreadLoop:
        (void)PreadFile(database.path, buffer);
        break;
      case Background::kLogRolls: {
        const auto roll_start = std::chrono::steady_clock::now();
        Check(JetCommitTransaction(roll_session, JET_bitForceNewLog),
              "JetCommitTransaction(ForceNewLog)");
        run.roll_seconds += Seconds(roll_start);
        const double rest = roll_interval_seconds - Seconds(roll_start);
        if (rest > 0) std::this_thread::sleep_for(std::chrono::duration<double>(rest));
        break;
      }
      case Background::kSpin: {
        // A busy CPU for 10 ms and nothing else: no I/O, no engine call.
        const auto spin_start = std::chrono::steady_clock::now();
        volatile std::uint64_t spins = 0;
        while (Seconds(spin_start) < 0.010) spins = spins + 1;
        break;
      }
    }
  };
  bench::WriterWindow window;
  try {
    window = bench::RunWriterWindow(database.instance, database.path,
                                    {.threads = threads,
                                     .seconds = seconds,
                                     .slice_seconds = slice_seconds,
                                     .payload_bytes = kWriterPayloadBytes},
                                    g_next_thread_key, unit);
  } catch (...) {
    if (roll_session != 0) (void)JetEndSession(roll_session, 0);
    throw;
  }
  if (roll_session != 0) (void)JetEndSession(roll_session, 0);
  run.with = window.with;
  run.without = window.without;
  run.units = window.units;
  return run;
}

// --- driver ---------------------------------------------------------------------------------

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
    } else if (argument == "--threads") {
      options.threads = bench::ParseList(value());
    } else if (argument == "--seconds") {
      options.seconds = std::stod(value());
    } else if (argument == "--slice") {
      options.slice_seconds = std::stod(value());
    } else if (argument == "--repeat") {
      options.repeat = static_cast<std::uint32_t>(std::stoul(value()));
    } else if (argument == "--chunk-kib") {
      options.chunk_kib = static_cast<std::uint32_t>(std::stoul(value()));
    } else if (argument == "--cache-mib") {
      options.cache_mib = static_cast<std::uint32_t>(std::stoul(value()));
    } else if (argument == "--dir") {
      options.directory = value();
    } else if (argument == "--no-read") {
      options.skip_read = true;
    } else if (argument == "--no-writers") {
      options.skip_writers = true;
    } else {
      throw BenchFailure("unknown argument " + argument +
                         " (--db-mib M --threads 1,4 --seconds S --slice S --repeat N --chunk-kib K "
                         "--cache-mib M --dir PARENT --no-read --no-writers)");
    }
  }
  if (options.repeat == 0 || options.threads.empty() || options.db_mib == 0 ||
      options.threads.size() > 8) {
    throw BenchFailure("--repeat, --db-mib and --threads (at most 8 counts) need positive values");
  }
  for (std::uint32_t threads : options.threads) {
    if (threads == 0 || threads > 64) throw BenchFailure("--threads: 1 to 64 per count");
  }
  if (options.chunk_kib < 3 * kPageSizeBytes / 1024 || options.chunk_kib % (kPageSizeBytes / 1024) != 0) {
    throw BenchFailure("--chunk-kib must be a multiple of the page size and at least 3 pages");
  }
  if (options.directory.empty()) options.directory = "/tmp";
  return options;
}

const char* Met(double ratio, double target) { return ratio >= target ? "yes" : "**no**"; }

void ReportReads(const Options& options, const Database& database,
                 const std::vector<ReadRun>& runs) {
  auto median = [&](auto field) {
    std::vector<double> values;
    for (const ReadRun& run : runs) values.push_back(field(run));
    return bench::UpperMedian(values);
  };
  auto range = [&](auto field) {
    double low = field(runs[0]);
    double high = low;
    for (const ReadRun& run : runs) {
      low = std::min(low, field(run));
      high = std::max(high, field(run));
    }
    char text[64];
    std::snprintf(text, sizeof(text), "%.0f-%.0f", Mib(static_cast<std::uint64_t>(low)),
                  Mib(static_cast<std::uint64_t>(high)));
    return std::string(text);
  };
  const BackupTiming& sample = runs[runs.size() / 2].backup_warm;
  std::printf("### Streaming backup speed against a sequential read (MiB/s: median (min-max) of "
              "%zu runs)\n\n",
              runs.size());
  std::printf("Database file after the build: %.1f MiB (%llu rows of %u bytes; the writer "
              "windows below add rows); database stream (median run, warm) %.1f MiB; %u KiB per "
              "read; logs streamed per backup: %u (%.1f MiB).\n\n",
              Mib(database.built_bytes), static_cast<unsigned long long>(database.rows),
              kRowPayloadBytes, Mib(sample.database_bytes), options.chunk_kib, sample.logs,
              Mib(sample.log_bytes));
  std::printf("| figure | libesent backup (database stream) | pread baseline | ratio | target | "
              "met? | dd (reference) | pread + XXH3 of every page (reference) | ratio backup / "
              "pread+XXH3 |\n|---|---:|---:|---:|---:|---|---:|---:|---:|\n");
  const struct {
    const char* name;
    double (*stream)(const ReadRun&);
    double (*pread)(const ReadRun&);
    double (*dd)(const ReadRun&);
    double (*verify)(const ReadRun&);
  } rows[] = {
      {"cold cache", [](const ReadRun& r) { return r.stream_cold; },
       [](const ReadRun& r) { return r.pread_cold; }, [](const ReadRun& r) { return r.dd_cold; },
       [](const ReadRun& r) { return r.verify_cold; }},
      {"warm cache", [](const ReadRun& r) { return r.stream_warm; },
       [](const ReadRun& r) { return r.pread_warm; }, [](const ReadRun& r) { return r.dd_warm; },
       [](const ReadRun& r) { return r.verify_warm; }},
  };
  for (const auto& row : rows) {
    // The ratio is the median of the per-run ratios (each run's backup against the pread of the
    // same run).
    const double ratio = median([&](const ReadRun& r) { return row.stream(r) / row.pread(r); });
    const double verify_ratio =
        median([&](const ReadRun& r) { return row.stream(r) / row.verify(r); });
    std::printf("| %s | %.0f (%s) | %.0f (%s) | %.2f | 0.90 | %s | %.0f (%s) | %.0f (%s) | %.2f |\n",
                row.name, Mib(static_cast<std::uint64_t>(median(row.stream))),
                range(row.stream).c_str(), Mib(static_cast<std::uint64_t>(median(row.pread))),
                range(row.pread).c_str(), ratio, Met(ratio, 0.9),
                Mib(static_cast<std::uint64_t>(median(row.dd))), range(row.dd).c_str(),
                Mib(static_cast<std::uint64_t>(median(row.verify))), range(row.verify).c_str(),
                verify_ratio);
  }
  std::printf("\nPage-cache residency of the database file just before the read (mincore, median): "
              "cold %.0f%%, warm %.0f%%.\n\n",
              median([](const ReadRun& r) { return r.resident_cold; }) * 100.0,
              median([](const ReadRun& r) { return r.resident_warm; }) * 100.0);

  std::printf("### Where a whole backup's time goes (ms, median of %zu runs)\n\n", runs.size());
  std::printf("| phase | cold | warm |\n|---|---:|---:|\n");
  const struct {
    const char* name;
    double (*field)(const BackupTiming&);
  } phases[] = {
      {"database stream (JetOpenFile .. JetCloseFile)",
       [](const BackupTiming& t) { return t.database_seconds; }},
      {"of which inside JetReadFile", [](const BackupTiming& t) { return t.database_read_seconds; }},
      {"JetGetLogInfo (rolls the log)", [](const BackupTiming& t) { return t.log_info_seconds; }},
      {"log streams", [](const BackupTiming& t) { return t.log_seconds; }},
      {"JetTruncateLog", [](const BackupTiming& t) { return t.truncate_seconds; }},
      {"JetEndExternalBackupInstance2", [](const BackupTiming& t) { return t.end_seconds; }},
      {"whole backup (Begin .. End)", [](const BackupTiming& t) { return t.total_seconds; }},
  };
  for (const auto& phase : phases) {
    std::printf("| %s | %.1f | %.1f |\n", phase.name,
                median([&](const ReadRun& r) { return phase.field(r.backup_cold); }) * 1000.0,
                median([&](const ReadRun& r) { return phase.field(r.backup_warm); }) * 1000.0);
  }
  std::printf("| whole backup speed (database + log bytes / whole time, MiB/s) | %.0f | %.0f |\n\n",
              Mib(static_cast<std::uint64_t>(median([](const ReadRun& r) { return r.whole_cold; }))),
              Mib(static_cast<std::uint64_t>(median([](const ReadRun& r) { return r.whole_warm; }))));
}

void ReportWriters(const Options& options, const std::vector<std::vector<WriterRun>>& backups,
                   const std::vector<std::vector<WriterRun>>& preads,
                   const std::vector<std::vector<WriterRun>>& rolls,
                   const std::vector<std::vector<WriterRun>>& spins) {
  auto median = [](const std::vector<WriterRun>& runs, auto field) {
    std::vector<double> values;
    for (const WriterRun& run : runs) values.push_back(field(run));
    return bench::UpperMedian(values);
  };
  auto ratio = [](const WriterRun& run) { return run.ratio(); };
  auto rate_with = [](const WriterRun& run) { return run.with.commits_per_second; };
  auto rate_without = [](const WriterRun& run) { return run.without.commits_per_second; };
  auto p99_with = [](const WriterRun& run) { return run.with.p99_milliseconds; };
  auto p99_without = [](const WriterRun& run) { return run.without.p99_milliseconds; };
  auto units_per_second = [](const WriterRun& run) { return run.units / run.with.seconds; };
  std::printf("### Durable commits during backups (median of %u runs of %.1f s with backups "
              "interleaved with %.1f s without)\n\n",
              options.repeat, options.seconds, options.seconds);
  std::printf("| threads | commits/s during backups | commits/s without | ratio | target | met? | "
              "p99 commit ms during | p99 ms without | full backups per second |\n"
              "|---:|---:|---:|---:|---:|---|---:|---:|---:|\n");
  for (std::size_t t = 0; t < options.threads.size(); ++t) {
    const double r = median(backups[t], ratio);
    std::printf("| %u | %.0f | %.0f | %.2f | 0.80 | %s | %.2f | %.2f | %.1f |\n",
                options.threads[t], median(backups[t], rate_with),
                median(backups[t], rate_without), r, Met(r, 0.8), median(backups[t], p99_with),
                median(backups[t], p99_without), median(backups[t], units_per_second));
  }
  std::printf("\nThe ratio is the median of the per-run ratios (each run's slices with backups "
              "against its own slices without).\n\n");
  std::printf("#### Controls: the same writers beside something else instead of the backups "
              "(interleaved the same way)\n\n");
  std::printf("| threads | beside | commits/s with | commits/s without | ratio | p99 ms with | "
              "p99 ms without | per second |\n|---:|---|---:|---:|---:|---:|---:|---:|\n");
  const struct {
    const char* name;
    const std::vector<std::vector<WriterRun>>* runs;
    const char* unit;
  } controls[] = {
      {"a pread loop over the database file", &preads, "passes"},
      {"log rolls alone (JetCommitTransaction(JET_bitForceNewLog)) at the backups' rate", &rolls,
       "rolls"},
      {"a thread that only spins", &spins, "10 ms spins"},
  };
  for (const auto& control : controls) {
    for (std::size_t t = 0; t < options.threads.size(); ++t) {
      const auto& runs = (*control.runs)[t];
      std::printf("| %u | %s | %.0f | %.0f | %.2f | %.2f | %.2f | %.1f %s |\n",
                  options.threads[t], control.name, median(runs, rate_with),
                  median(runs, rate_without), median(runs, ratio), median(runs, p99_with),
                  median(runs, p99_without), median(runs, units_per_second), control.unit);
    }
  }
  std::printf("\nA log roll alone (JetCommitTransaction(JET_bitForceNewLog)) took %.1f ms on "
              "average beside %u writers (median of the runs).\n\n",
              median(rolls.back(), [](const WriterRun& r) {
                return r.units == 0 ? 0.0 : r.roll_seconds * 1000.0 / r.units;
              }), options.threads.back());
  std::printf("#### Where the backup thread's time went in the slices with backups (share of "
              "that time, median)\n\n");
  std::printf("| threads | database streams | JetGetLogInfo (log roll) | log streams | "
              "JetTruncateLog | JetEndExternalBackupInstance2 |\n"
              "|---:|---:|---:|---:|---:|---:|\n");
  for (std::size_t t = 0; t < options.threads.size(); ++t) {
    auto share = [&](double BackupTiming::*field) {
      return median(backups[t], [field](const WriterRun& r) {
               return r.backup_sums.*field / r.with.seconds;
             }) * 100.0;
    };
    std::printf("| %u | %.0f%% | %.0f%% | %.0f%% | %.0f%% | %.0f%% |\n", options.threads[t],
                share(&BackupTiming::database_seconds), share(&BackupTiming::log_info_seconds),
                share(&BackupTiming::log_seconds), share(&BackupTiming::truncate_seconds),
                share(&BackupTiming::end_seconds));
  }
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options options = ParseOptions(argc, argv);
    bench::TempFolder folder(options.directory, "backup");
    Database database;
    database.folder = folder.path();
    database.path = folder.path() + "/db.edb";
    Build(database, options);
    std::fprintf(stderr, "built %.1f MiB (%llu rows) in %.1f s\n", Mib(FileBytes(database.path)),
                 static_cast<unsigned long long>(database.rows), database.build_seconds);
    for (std::size_t t = 0; t < std::size(g_next_thread_key); ++t) {
      g_next_thread_key[t].store(static_cast<std::int32_t>(100000000u * (t + 1) / 4));
    }

    std::vector<unsigned char> buffer(std::size_t{options.chunk_kib} * 1024);
    std::vector<ReadRun> reads;
    std::vector<std::vector<WriterRun>> backups(options.threads.size());
    std::vector<std::vector<WriterRun>> preads(options.threads.size());
    std::vector<std::vector<WriterRun>> rolls(options.threads.size());
    std::vector<std::vector<WriterRun>> spins(options.threads.size());
    try {
      for (std::uint32_t r = 0; r < options.repeat; ++r) {
        if (!options.skip_read) {
          reads.push_back(MeasureReads(database, buffer, options.chunk_kib, r));
          const ReadRun& run = reads.back();
          std::fprintf(stderr,
                       "run %u: pread %.0f/%.0f, backup stream %.0f/%.0f, dd %.0f/%.0f MiB/s "
                       "(cold/warm); backup %.2f/%.2f s\n",
                       r + 1, Mib(static_cast<std::uint64_t>(run.pread_cold)),
                       Mib(static_cast<std::uint64_t>(run.pread_warm)),
                       Mib(static_cast<std::uint64_t>(run.stream_cold)),
                       Mib(static_cast<std::uint64_t>(run.stream_warm)),
                       Mib(static_cast<std::uint64_t>(run.dd_cold)),
                       Mib(static_cast<std::uint64_t>(run.dd_warm)), run.backup_cold.total_seconds,
                       run.backup_warm.total_seconds);
        }
        if (!options.skip_writers) {
          for (std::size_t t = 0; t < options.threads.size(); ++t) {
            const std::uint32_t threads = options.threads[t];
            const double slice = options.slice_seconds;
            // The backups first: the log-roll control rolls as often as they did.
            backups[t].push_back(MeasureWriters(database, threads, options.seconds,
                                                Background::kBackups, options.chunk_kib, slice));
            const WriterRun& with_backups = backups[t].back();
            const double roll_interval =
                with_backups.with.seconds / std::max<std::uint32_t>(with_backups.units, 1);
            const std::function<void()> controls[] = {
                [&] {
                  preads[t].push_back(MeasureWriters(database, threads, options.seconds,
                                                     Background::kPreadLoop, options.chunk_kib,
                                                     slice));
                },
                [&] {
                  rolls[t].push_back(MeasureWriters(database, threads, options.seconds,
                                                    Background::kLogRolls, options.chunk_kib,
                                                    slice, roll_interval));
                },
                [&] {
                  spins[t].push_back(MeasureWriters(database, threads, options.seconds,
                                                    Background::kSpin, options.chunk_kib, slice));
                },
            };
            for (std::size_t c = 0; c < std::size(controls); ++c) {
              controls[(c + r) % std::size(controls)]();
            }
            std::fprintf(stderr,
                         "run %u, %u threads (with/without): backups %.0f/%.0f (%u backups), "
                         "pread loop %.0f/%.0f, log rolls %.0f/%.0f (%u rolls), spin %.0f/%.0f "
                         "commits/s; p99 with backups %.2f ms, without %.2f ms\n",
                         r + 1, threads, with_backups.with.commits_per_second,
                         with_backups.without.commits_per_second, with_backups.units,
                         preads[t].back().with.commits_per_second,
                         preads[t].back().without.commits_per_second,
                         rolls[t].back().with.commits_per_second,
                         rolls[t].back().without.commits_per_second, rolls[t].back().units,
                         spins[t].back().with.commits_per_second,
                         spins[t].back().without.commits_per_second,
                         with_backups.with.p99_milliseconds, with_backups.without.p99_milliseconds);
          }
        }
      }
    } catch (...) {
      (void)JetTerm2(database.instance, JET_bitTermAbrupt);
      throw;
    }
    Check(JetTerm2(database.instance, JET_bitTermComplete), "JetTerm2");
    if (!options.skip_read) ReportReads(options, database, reads);
    if (!options.skip_writers) ReportWriters(options, backups, preads, rolls, spins);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "esent-bench-backup: %s\n", error.what());
    return 1;
  }
  return 0;
}
