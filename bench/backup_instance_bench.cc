// esent-bench-backup-instance: JetBackupInstance (a full backup into an empty directory, one
// call) beside `cp` of the same files in the same run, with and without the backup rate limit
// (ESENT_paramBackupReadBytesPerSecond), and what the backup costs concurrent durable writers.
//
// Setup: one instance (JET_paramRecovery "on", 16 MiB logs, circular logging off, 4 KiB pages)
// builds a database of about --db-mib MiB through the public API (table "rows", a 4-byte key,
// a 1,000-byte payload, transactions of 1,000 rows, lazy commits), stops cleanly, and a new
// instance attaches it. One untimed, verified JetBackupInstance first (it truncates the build's
// logs), so every timed backup copies the same kind of set: the image and the logs since.
//
// Each run (--repeat runs): an untimed cold read of the instance's files, then three timed
// copies, the first two swapping places every run:
//   backup      every file in the instance's folder fdatasync'd and dropped from the OS page
//               cache (posix_fadvise(DONTNEED)); a fresh empty directory; JetBackupInstanceA(
//               instance, dir, 0, NULL) timed from call to return. Bytes written = the sizes of
//               the images and logs it wrote (the manifest not counted).
//   limited     the same with ESENT_paramBackupReadBytesPerSecond = --rate-mib MiB/s (set just
//               before, reset to 0 just after).
//   cp          the same files — the database file from the instance's folder and the log
//               files of the backup just made (the instance's own copies are truncated by the
//               backup; the bytes are the same) — dropped from the page cache, `cp <files>
//               <empty dir>` timed from fork to exit, then an fsync of every copy and of the
//               directory timed separately (JetBackupInstance syncs each file and the
//               directory; cp alone leaves its copies in the page cache). It follows the first
//               of the two backups of the run and copies that backup's files.
// Every backup is verified with EsentVerifyBackupA (not timed as part of the backup): a backup
// that does not verify fails the bench. Once, on the first (untimed) backup, one byte of the
// image is flipped and EsentVerifyBackupA must then fail with JET_errReadVerifyFailure.
//
// Writers (each run, for the unlimited and the limited backup, in an order that alternates):
// bench::RunWriterWindow (writers.h): --threads writer threads commit one-row transactions
// durably for 2 x --seconds while the main thread alternates a slice of nothing with a slice of
// one JetBackupInstance into a fresh directory (with --slice at most; a backup longer than the
// slice makes the slice), each slice of nothing as long as the backup slice before it. The
// backups of a window are verified after it, then removed.
//
// Output: Markdown tables on standard output, progress on standard error; any engine error or
// failed check exits with status 1.
#include <esent.h>
#include <esent_ext.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "bench_common.h"
#include "writers.h"

namespace {

namespace fs = std::filesystem;

constexpr std::uint32_t kLogFileKib = 16384;
constexpr std::uint32_t kRowPayloadBytes = 1000;
constexpr std::uint32_t kWriterPayloadBytes = 100;
constexpr std::uint32_t kRowsPerTransaction = 1000;
constexpr std::uint64_t kFileBytesPerRow = 1100;  // measured: sizes the build
constexpr const char* kManifestName = "esent-backup.manifest";

using bench::BenchFailure;
using bench::FsyncPath;
using bench::RunTool;
using bench::Check;
using bench::EvictFromPageCache;
using bench::FileBytes;
using bench::Mib;
using bench::Seconds;
using Clock = std::chrono::steady_clock;

struct Options {
  std::uint32_t db_mib = 256;
  std::uint32_t repeat = 3;
  std::uint32_t rate_mib = 50;
  std::uint32_t threads = 4;
  double seconds = 4.0;
  double slice_seconds = 1.0;
  std::uint32_t cache_mib = 64;
  std::string directory;
};

// --- the instance -----------------------------------------------------------------------------

struct Database {
  std::string folder;  // the instance's system and log folder, and the database file's
  std::string path;
  JET_INSTANCE instance = 0;
  std::uint64_t rows = 0;
  double build_seconds = 0;
};

JET_INSTANCE StartEsent(const std::string& folder, std::uint32_t cache_mib) {
  return bench::StartInstance(folder, {.name_prefix = "backup-instance",
                                       .cache_mib = cache_mib,
                                       .circular_log_off = true,
                                       .log_file_kib = kLogFileKib,
                                       .max_sessions = 64,
                                       .max_ver_pages = 16384});
}

void EvictFolder(const std::string& folder) {
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file()) EvictFromPageCache(entry.path().string());
  }
}

// Reads every file of `folder` once (into a discarded buffer), untimed.
void ReadFolder(const std::string& folder) {
  std::vector<char> buffer(std::size_t{1} << 20);
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (!entry.is_regular_file()) continue;
    const int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw BenchFailure("open " + entry.path().string());
    while (::read(fd, buffer.data(), buffer.size()) > 0) {
    }
    ::close(fd);
  }
}

void Build(Database& database, const Options& options) {
  const std::uint64_t target_rows = (std::uint64_t{options.db_mib} << 20) / kFileBytesPerRow;
  const auto start = Clock::now();
  database.instance = StartEsent(database.folder, options.cache_mib);
  {
    JET_SESID session = 0;
    Check(JetBeginSession(database.instance, &session, "", ""), "JetBeginSession");
    bench::CreateRowsSchema(session, database.path, {.type = JET_coltypLongBinary});
    Check(JetEndSession(session, 0), "JetEndSession");
    bench::RowsCursor cursor(database.instance, database.path);
    unsigned char payload[kRowPayloadBytes];
    std::uint64_t n = 0;
    while (n < target_rows) {
      Check(JetBeginTransaction(cursor.session), "JetBeginTransaction");
      for (std::uint32_t i = 0; i < kRowsPerTransaction && n < target_rows; ++i, ++n) {
        const auto key = static_cast<std::int32_t>(n);
        bench::FillPayload(key, payload, kRowPayloadBytes);
        cursor.InsertRow(key, payload, kRowPayloadBytes);
      }
      Check(JetCommitTransaction(cursor.session, JET_bitCommitLazyFlush), "JetCommitTransaction");
    }
    Check(JetCommitTransaction(cursor.session, JET_bitWaitAllLevel0Commit),
          "JetCommitTransaction(WaitAllLevel0Commit)");
    database.rows = n;
  }
  Check(JetTerm2(database.instance, JET_bitTermComplete), "JetTerm2");
  database.build_seconds = Seconds(start);
  // The build's files reach the disk now, not during the first measurement.
  EvictFolder(database.folder);
  database.instance = StartEsent(database.folder, options.cache_mib);
  JET_SESID session = 0;
  Check(JetBeginSession(database.instance, &session, "", ""), "JetBeginSession");
  Check(JetAttachDatabaseA(session, database.path.c_str(), 0), "JetAttachDatabase");
  Check(JetEndSession(session, 0), "JetEndSession");
}

void SetRateLimit(const Database& database, std::uint64_t bytes_per_second) {
  JET_INSTANCE instance = database.instance;
  Check(JetSetSystemParameterA(&instance, 0, ESENT_paramBackupReadBytesPerSecond,
                               static_cast<JET_API_PTR>(bytes_per_second), nullptr),
        "JetSetSystemParameter(ESENT_paramBackupReadBytesPerSecond)");
}

// --- one backup -------------------------------------------------------------------------------

struct BackupResult {
  std::string directory;
  std::uint64_t image_bytes = 0;
  std::uint64_t log_bytes = 0;
  std::uint32_t images = 0;
  std::uint32_t logs = 0;
  std::vector<std::string> log_paths;  // the log files in the backup directory
  double seconds = 0;                  // JetBackupInstanceA, call to return
  // From the call, by the JET_PFNSTATUS progress (bytes): the first report reaching the
  // database file's size (the image read, verified and written, its fsync not yet done), and
  // the first reaching the total (every log streamed too; the last log's fsync, the manifest,
  // the renames, the headers and the truncation still to come). -1 when not seen (the counts
  // are scaled once the total passes 2^31 bytes).
  double image_done_seconds = -1;
  double copied_seconds = -1;
  std::uint64_t bytes() const { return image_bytes + log_bytes; }
  double bytes_per_second() const { return static_cast<double>(bytes()) / seconds; }
};

// What the status callback fills in for the backup in progress (on the calling thread).
struct StatusClock {
  Clock::time_point start;
  std::uint64_t image_bytes = 0;
  double image_done_seconds = -1;
  double copied_seconds = -1;
};
StatusClock* g_status_clock = nullptr;

JET_ERR JET_API OnBackupStatus(JET_SESID, JET_SNP, JET_SNT snt, JET_PVOID data) {
  StatusClock* clock = g_status_clock;
  if (clock == nullptr || snt != JET_sntProgress || data == nullptr) return JET_errSuccess;
  const auto* progress = static_cast<const JET_SNPROG*>(data);
  const double now = Seconds(clock->start);
  if (clock->image_done_seconds < 0 && progress->cunitTotal >= clock->image_bytes &&
      progress->cunitDone >= clock->image_bytes) {
    clock->image_done_seconds = now;
  }
  if (clock->copied_seconds < 0 && progress->cunitDone >= progress->cunitTotal) {
    clock->copied_seconds = now;
  }
  return JET_errSuccess;
}

// A fresh directory <parent>/backup-<n> (n counts up over the program's life).
std::string FreshDirectory(const std::string& parent) {
  static std::uint32_t counter = 0;
  const std::string directory = parent + "/backup-" + std::to_string(counter++);
  fs::create_directory(directory);
  return directory;
}

// One full JetBackupInstance into a fresh empty directory under `parent`, timed; the files it
// wrote are listed and measured. Not verified here (VerifyBackup).
BackupResult BackupOnce(const Database& database, const std::string& parent) {
  BackupResult result;
  result.directory = FreshDirectory(parent);
  StatusClock clock;
  clock.image_bytes = FileBytes(database.path);
  g_status_clock = &clock;
  clock.start = Clock::now();
  const JET_ERR err =
      JetBackupInstanceA(database.instance, result.directory.c_str(), 0, OnBackupStatus);
  result.seconds = Seconds(clock.start);
  g_status_clock = nullptr;
  Check(err, "JetBackupInstance");
  result.image_done_seconds = clock.image_done_seconds;
  result.copied_seconds = clock.copied_seconds;
  for (const auto& entry : fs::directory_iterator(result.directory)) {
    if (!entry.is_regular_file()) {
      throw BenchFailure("backup directory holds a non-file: " + entry.path().string());
    }
    const std::string name = entry.path().filename().string();
    if (name == kManifestName) continue;
    const std::uint64_t bytes = entry.file_size();
    if (entry.path().extension() == ".log") {
      result.log_bytes += bytes;
      ++result.logs;
      result.log_paths.push_back(entry.path().string());
    } else {
      result.image_bytes += bytes;
      ++result.images;
    }
  }
  if (result.images != 1 || result.logs == 0 ||
      !fs::exists(result.directory + "/" + kManifestName)) {
    throw BenchFailure("backup " + result.directory + ": expected one image, logs and a manifest");
  }
  std::sort(result.log_paths.begin(), result.log_paths.end());
  return result;
}

// EsentVerifyBackupA on the backup's directory (fails the bench loudly); returns its seconds.
double VerifyBackup(const BackupResult& backup) {
  const auto start = Clock::now();
  const JET_ERR err = EsentVerifyBackupA(backup.directory.c_str(), nullptr);
  if (err != JET_errSuccess) {
    throw BenchFailure("EsentVerifyBackupA(" + backup.directory + ") returned " +
                       std::to_string(err) + ": the backup does not verify");
  }
  return Seconds(start);
}

// Flips one byte in the middle of the backup's image and checks that EsentVerifyBackupA now
// fails with JET_errReadVerifyFailure: shows that the verification the bench relies on can fail.
void CheckVerifyCatchesDamage(const BackupResult& backup, const std::string& image_name) {
  const std::string image = backup.directory + "/" + image_name;
  const std::uint64_t bytes = FileBytes(image);
  const auto offset =
      static_cast<off_t>((bytes / 2) / bench::kPageSizeBytes * bench::kPageSizeBytes + 100);
  const int fd = ::open(image.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) throw BenchFailure("open " + image);
  unsigned char byte = 0;
  bool done = ::pread(fd, &byte, 1, offset) == 1;
  byte = static_cast<unsigned char>(byte ^ 0x5a);
  done = done && ::pwrite(fd, &byte, 1, offset) == 1;
  ::close(fd);
  if (!done) throw BenchFailure("could not damage " + image);
  const JET_ERR err = EsentVerifyBackupA(backup.directory.c_str(), nullptr);
  if (err != JET_errReadVerifyFailure) {
    throw BenchFailure("EsentVerifyBackupA on a damaged image returned " + std::to_string(err) +
                       ", not JET_errReadVerifyFailure: the verification cannot be relied on");
  }
}

// --- cp ---------------------------------------------------------------------------------------

struct CpResult {
  std::uint64_t bytes = 0;
  double cp_seconds = 0;     // fork to exit
  double fsync_seconds = 0;  // every copy and the directory
  double bytes_per_second() const {
    return static_cast<double>(bytes) / (cp_seconds + fsync_seconds);
  }
};

// cp of the database file and the backup's logs (cold) into a fresh directory, then fsync.
CpResult CopyWithCp(const Database& database, const BackupResult& backup,
                    const std::string& parent) {
  std::vector<std::string> sources = {database.path};
  sources.insert(sources.end(), backup.log_paths.begin(), backup.log_paths.end());
  CpResult result;
  for (const std::string& source : sources) {
    EvictFromPageCache(source);
    result.bytes += FileBytes(source);
  }
  const std::string directory = FreshDirectory(parent);
  std::vector<std::string> argv = {"cp", "--"};
  argv.insert(argv.end(), sources.begin(), sources.end());
  argv.push_back(directory);
  result.cp_seconds = RunTool(argv);
  const auto start = Clock::now();
  for (const std::string& source : sources) {
    FsyncPath(directory + "/" + fs::path(source).filename().string());
  }
  FsyncPath(directory);
  result.fsync_seconds = Seconds(start);
  fs::remove_all(directory);
  return result;
}

// --- a run ------------------------------------------------------------------------------------

struct WriterResult {
  bench::WriterWindow window;
  std::vector<double> backup_seconds;
  std::uint64_t backup_bytes = 0;  // added up over the window's backups
  double ratio() const {
    return window.with.commits_per_second / window.without.commits_per_second;
  }
};

struct Run {
  BackupResult full;     // unlimited
  BackupResult limited;  // with the rate limit
  double verify_full_seconds = 0;
  double verify_limited_seconds = 0;
  CpResult cp;
  double resident_before_backup = 0;  // page-cache residency of the database file, after eviction
  WriterResult writers_full;
  WriterResult writers_limited;
};

std::atomic<std::int32_t> g_next_thread_key[64];

// A window of writers beside back-to-back JetBackupInstance calls (limited or not); every
// backup verified after the window, then removed.
WriterResult MeasureWriters(const Database& database, const Options& options,
                            const std::string& parent, bool limited) {
  WriterResult result;
  std::vector<BackupResult> backups;
  if (limited) SetRateLimit(database, std::uint64_t{options.rate_mib} << 20);
  try {
    result.window = bench::RunWriterWindow(
        database.instance, database.path,
        {.threads = options.threads,
         .seconds = options.seconds,
         .slice_seconds = options.slice_seconds,
         .without_as_long_as_with = true,
         .payload_bytes = kWriterPayloadBytes},
        g_next_thread_key, [&] { backups.push_back(BackupOnce(database, parent)); });
  } catch (...) {
    if (limited) SetRateLimit(database, 0);
    throw;
  }
  if (limited) SetRateLimit(database, 0);
  for (const BackupResult& backup : backups) {
    (void)VerifyBackup(backup);
    result.backup_seconds.push_back(backup.seconds);
    result.backup_bytes += backup.bytes();
    fs::remove_all(backup.directory);
  }
  return result;
}

BackupResult TimedBackup(const Database& database, const std::string& parent, Run& run) {
  EvictFolder(database.folder);
  run.resident_before_backup =
      std::max(run.resident_before_backup, bench::ResidentFraction(database.path));
  return BackupOnce(database, parent);
}

Run MeasureRun(const Database& database, const Options& options, const std::string& parent,
               std::uint32_t run_index) {
  Run run;
  // An untimed cold pass over the instance's files first, so that no timed copy is the first
  // to read them from the disk since they were written (in trial runs that first read, always
  // the first run's backup, ran at about half the speed of every later cold read).
  EvictFolder(database.folder);
  ReadFolder(database.folder);
  auto full = [&] {
    run.full = TimedBackup(database, parent, run);
    run.verify_full_seconds = VerifyBackup(run.full);
  };
  auto limited = [&] {
    SetRateLimit(database, std::uint64_t{options.rate_mib} << 20);
    try {
      run.limited = TimedBackup(database, parent, run);
    } catch (...) {
      SetRateLimit(database, 0);
      throw;
    }
    SetRateLimit(database, 0);
    run.verify_limited_seconds = VerifyBackup(run.limited);
  };
  // cp follows the first backup of the run and copies that backup's files.
  if (run_index % 2 == 0) {
    full();
    run.cp = CopyWithCp(database, run.full, parent);
    limited();
  } else {
    limited();
    run.cp = CopyWithCp(database, run.limited, parent);
    full();
  }
  fs::remove_all(run.full.directory);
  fs::remove_all(run.limited.directory);
  if (run_index % 2 == 0) {
    run.writers_full = MeasureWriters(database, options, parent, false);
    run.writers_limited = MeasureWriters(database, options, parent, true);
  } else {
    run.writers_limited = MeasureWriters(database, options, parent, true);
    run.writers_full = MeasureWriters(database, options, parent, false);
  }
  return run;
}

// --- report -----------------------------------------------------------------------------------

// "median (min-max)" of field over the runs, with `decimals` decimals.
template <typename Field>
std::string MedianRange(const std::vector<Run>& runs, Field field, int decimals) {
  std::vector<double> values;
  for (const Run& run : runs) values.push_back(field(run));
  const double low = *std::min_element(values.begin(), values.end());
  const double high = *std::max_element(values.begin(), values.end());
  char text[96];
  std::snprintf(text, sizeof(text), "%.*f (%.*f-%.*f)", decimals, bench::UpperMedian(values),
                decimals, low, decimals, high);
  return text;
}

template <typename Field>
double Median(const std::vector<Run>& runs, Field field) {
  std::vector<double> values;
  for (const Run& run : runs) values.push_back(field(run));
  return bench::UpperMedian(values);
}

const char* Met(bool met) { return met ? "yes" : "**no**"; }

void Report(const Options& options, const Database& database, const std::vector<Run>& runs,
            const BackupResult& first) {
  const Run& sample = runs[runs.size() / 2];
  const double rate = static_cast<double>(options.rate_mib);
  std::printf("### The backups\n\n");
  std::printf(
      "Database built: %llu rows of %u bytes in %.1f s (the writer windows add rows, so "
      "the image grows from run to run). The middle run's unlimited backup wrote %u "
      "image (%.1f MiB) and %u log file(s) (%.1f MiB): %.1f MiB in all (the first, "
      "untimed backup after the build: %.1f MiB, %u log file(s)). Database file's page-cache "
      "residency "
      "just before a timed backup, after the eviction: at most %.0f%% (mincore).\n\n",
      static_cast<unsigned long long>(database.rows), kRowPayloadBytes, database.build_seconds,
      sample.full.images, Mib(sample.full.image_bytes), sample.full.logs,
      Mib(sample.full.log_bytes), Mib(sample.full.bytes()), Mib(first.bytes()), first.logs,
      Median(runs, [](const Run& r) { return r.resident_before_backup; }) * 100.0);

  std::printf(
      "### JetBackupInstance beside cp of the same files (MiB/s of bytes written: "
      "median (min-max) of %zu runs)\n\n",
      runs.size());
  std::printf(
      "| copy | MiB/s | seconds | ratio | target | met? |\n|---|---:|---:|---:|---:|---|\n");
  auto mibs = [](double bytes_per_second) { return bytes_per_second / 1048576.0; };
  std::printf("| `cp` + fsync of the copies (the baseline) | %s | %s | 1 | | |\n",
              MedianRange(
                  runs, [&](const Run& r) { return mibs(r.cp.bytes_per_second()); }, 0)
                  .c_str(),
              MedianRange(
                  runs, [](const Run& r) { return r.cp.cp_seconds + r.cp.fsync_seconds; }, 2)
                  .c_str());
  std::printf("| of which `cp` alone (fork to exit) | | %s | | | |\n",
              MedianRange(
                  runs, [](const Run& r) { return r.cp.cp_seconds; }, 2)
                  .c_str());
  const double full_ratio = Median(
      runs, [](const Run& r) { return r.full.bytes_per_second() / r.cp.bytes_per_second(); });
  std::printf(
      "| JetBackupInstance, no rate limit (ratio to cp + fsync) | %s | %s | %.2f | 0.80 | %s |\n",
      MedianRange(
          runs, [&](const Run& r) { return mibs(r.full.bytes_per_second()); }, 0)
          .c_str(),
      MedianRange(
          runs, [](const Run& r) { return r.full.seconds; }, 2)
          .c_str(),
      full_ratio, Met(full_ratio >= 0.8));
  const double limited_ratio =
      Median(runs, [&](const Run& r) { return mibs(r.limited.bytes_per_second()) / rate; });
  std::printf(
      "| JetBackupInstance, limit %u MiB/s (ratio to the limit) | %s | %s | %.2f | ≤ 1 | %s |\n",
      options.rate_mib,
      MedianRange(
          runs, [&](const Run& r) { return mibs(r.limited.bytes_per_second()); }, 1)
          .c_str(),
      MedianRange(
          runs, [](const Run& r) { return r.limited.seconds; }, 2)
          .c_str(),
      limited_ratio, Met(limited_ratio <= 1.0));
  std::printf(
      "\nThe ratios are medians of per-run ratios. The limit paces the backup's reads "
      "(images and logs); the MiB/s above is bytes written over the whole call, which "
      "also holds the log roll, the fsyncs, the manifest and the truncation. Every "
      "backup was verified with EsentVerifyBackupA afterwards (not timed in the backup): "
      "%s s per backup (median).\n\n",
      MedianRange(
          runs, [](const Run& r) { return r.verify_full_seconds; }, 2)
          .c_str());

  std::printf(
      "### Where an unlimited JetBackupInstance's time goes (s: median (min-max), from "
      "its JET_PFNSTATUS progress)\n\n");
  std::printf(
      "| phase | seconds | MiB/s of the image (written, not yet durable) |\n|---|---:|---:|\n");
  const bool split = std::all_of(runs.begin(), runs.end(), [](const Run& r) {
    return r.full.image_done_seconds >= 0 && r.full.copied_seconds >= r.full.image_done_seconds;
  });
  if (split) {
    std::printf(
        "| call to the image's last byte written (image read, verified, written) | %s | %s |\n",
        MedianRange(
            runs, [](const Run& r) { return r.full.image_done_seconds; }, 2)
            .c_str(),
        MedianRange(
            runs,
            [&](const Run& r) {
              return mibs(static_cast<double>(r.full.image_bytes) / r.full.image_done_seconds);
            },
            0)
            .c_str());
    std::printf(
        "| then to the last log byte written (the image's fsync, the log roll, the logs read, "
        "verified, written) | %s | |\n",
        MedianRange(
            runs, [](const Run& r) { return r.full.copied_seconds - r.full.image_done_seconds; }, 2)
            .c_str());
    std::printf(
        "| then to the return (last fsync, manifest, renames, directory fsyncs, headers, "
        "truncation) | %s | |\n\n",
        MedianRange(
            runs, [](const Run& r) { return r.full.seconds - r.full.copied_seconds; }, 2)
            .c_str());
  } else {
    std::printf("| (not split: the progress counts were scaled) | | |\n\n");
  }

  std::printf(
      "### Durable commits of %u writer threads during JetBackupInstance (median (min-max) "
      "of %zu windows of about 2 x %.0f s)\n\n",
      options.threads, runs.size(), options.seconds);
  std::printf(
      "| backup | commits/s during | commits/s without | ratio | p99 commit ms during | "
      "p99 ms without | backups per window | backup MiB/s in the window |\n"
      "|---|---:|---:|---:|---:|---:|---:|---:|\n");
  const struct {
    const char* name;
    WriterResult Run::*field;
  } rows[] = {{"no rate limit", &Run::writers_full}, {nullptr, &Run::writers_limited}};
  for (const auto& row : rows) {
    char name[64];
    if (row.name != nullptr) {
      std::snprintf(name, sizeof(name), "%s", row.name);
    } else {
      std::snprintf(name, sizeof(name), "limit %u MiB/s", options.rate_mib);
    }
    auto of = [&](auto field) { return [&, field](const Run& r) { return field(r.*row.field); }; };
    std::printf(
        "| %s | %s | %s | %s | %s | %s | %s | %s |\n", name,
        MedianRange(runs,
                    of([](const WriterResult& w) { return w.window.with.commits_per_second; }), 0)
            .c_str(),
        MedianRange(
            runs, of([](const WriterResult& w) { return w.window.without.commits_per_second; }), 0)
            .c_str(),
        MedianRange(runs, of([](const WriterResult& w) { return w.ratio(); }), 2).c_str(),
        MedianRange(runs, of([](const WriterResult& w) { return w.window.with.p99_milliseconds; }),
                    1)
            .c_str(),
        MedianRange(runs,
                    of([](const WriterResult& w) { return w.window.without.p99_milliseconds; }), 1)
            .c_str(),
        MedianRange(
            runs, of([](const WriterResult& w) { return static_cast<double>(w.window.units); }), 0)
            .c_str(),
        MedianRange(runs, of([](const WriterResult& w) {
                      double seconds = 0;
                      for (double s : w.backup_seconds) seconds += s;
                      return static_cast<double>(w.backup_bytes) / 1048576.0 / seconds;
                    }),
                    0)
            .c_str());
  }
  std::printf(
      "\nThe ratio is the median of the per-window ratios (each window's slices with a "
      "backup against its own slices without). Every backup of the windows was verified "
      "with EsentVerifyBackupA after its window.\n\n");
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
    } else if (argument == "--rate-mib") {
      options.rate_mib = static_cast<std::uint32_t>(std::stoul(value()));
    } else if (argument == "--threads") {
      options.threads = static_cast<std::uint32_t>(std::stoul(value()));
    } else if (argument == "--seconds") {
      options.seconds = std::stod(value());
    } else if (argument == "--slice") {
      options.slice_seconds = std::stod(value());
    } else if (argument == "--cache-mib") {
      options.cache_mib = static_cast<std::uint32_t>(std::stoul(value()));
    } else if (argument == "--dir") {
      options.directory = value();
    } else {
      throw BenchFailure("unknown argument " + argument +
                         " (--db-mib M --repeat N --rate-mib M --threads T --seconds S --slice S "
                         "--cache-mib M --dir PARENT)");
    }
  }
  if (options.repeat == 0 || options.db_mib == 0 || options.rate_mib == 0 || options.threads == 0 ||
      options.threads > 64 || options.seconds <= 0) {
    throw BenchFailure(
        "--repeat, --db-mib, --rate-mib, --seconds and --threads (1 to 64) need "
        "positive values");
  }
  if (options.directory.empty()) options.directory = "/tmp";
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options options = ParseOptions(argc, argv);
    bench::TempFolder folder(options.directory, "backup-instance");
    Database database;
    database.folder = folder.path() + "/instance";
    database.path = database.folder + "/db.edb";
    fs::create_directory(database.folder);
    const std::string backups = folder.path() + "/backups";
    fs::create_directory(backups);
    Build(database, options);
    std::fprintf(stderr, "built %.1f MiB (%llu rows) in %.1f s\n", Mib(FileBytes(database.path)),
                 static_cast<unsigned long long>(database.rows), database.build_seconds);
    for (std::size_t t = 0; t < std::size(g_next_thread_key); ++t) {
      g_next_thread_key[t].store(
          static_cast<std::int32_t>(std::uint64_t{100000000} * (t + 1) / 64));
    }
    std::vector<Run> runs;
    BackupResult first;
    try {
      // Untimed: truncates the build's logs, so that every timed backup copies the same set.
      first = BackupOnce(database, backups);
      (void)VerifyBackup(first);
      CheckVerifyCatchesDamage(first, fs::path(database.path).filename().string());
      fs::remove_all(first.directory);
      std::fprintf(stderr,
                   "first backup: %.1f MiB (%u logs) in %.2f s, verified; a damaged copy of it "
                   "fails EsentVerifyBackupA\n",
                   Mib(first.bytes()), first.logs, first.seconds);
      for (std::uint32_t r = 0; r < options.repeat; ++r) {
        runs.push_back(MeasureRun(database, options, backups, r));
        const Run& run = runs.back();
        std::fprintf(
            stderr,
            "run %u: backup %.0f MiB/s (%.2f s), limited %.1f MiB/s (%.2f s), cp+fsync "
            "%.0f MiB/s (cp %.2f s + fsync %.2f s); writers with/without: unlimited "
            "%.0f/%.0f commits/s p99 %.1f/%.1f ms (%u backups), limited %.0f/%.0f p99 "
            "%.1f/%.1f ms (%u backups)\n",
            r + 1, Mib(static_cast<std::uint64_t>(run.full.bytes_per_second())), run.full.seconds,
            Mib(static_cast<std::uint64_t>(run.limited.bytes_per_second())), run.limited.seconds,
            Mib(static_cast<std::uint64_t>(run.cp.bytes_per_second())), run.cp.cp_seconds,
            run.cp.fsync_seconds, run.writers_full.window.with.commits_per_second,
            run.writers_full.window.without.commits_per_second,
            run.writers_full.window.with.p99_milliseconds,
            run.writers_full.window.without.p99_milliseconds, run.writers_full.window.units,
            run.writers_limited.window.with.commits_per_second,
            run.writers_limited.window.without.commits_per_second,
            run.writers_limited.window.with.p99_milliseconds,
            run.writers_limited.window.without.p99_milliseconds, run.writers_limited.window.units);
      }
    } catch (...) {
      (void)JetTerm2(database.instance, JET_bitTermAbrupt);
      throw;
    }
    Check(JetTerm2(database.instance, JET_bitTermComplete), "JetTerm2");
    Report(options, database, runs, first);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "esent-bench-backup-instance: %s\n", error.what());
    return 1;
  }
  return 0;
}
