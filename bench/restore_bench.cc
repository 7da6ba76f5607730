// esent-bench-restore: how long libesent's restore (JetRestoreInstance) takes to bring a
// streamed backup set back, split into the copy of the database image (MiB/s of image) and the
// replay of the set's logs (MiB/s of log), beside `cp` and `dd conv=fsync` of the same image
// file in the same run.
//
// The set, built once per run of the program:
//   1. One instance (JET_paramRecovery "on", circular logging off, --log-file-kib logs, 4 KiB
//      pages, --cache-mib cache) builds a database of about --db-mib MiB: table "rows", a 4-byte
//      integer key (the primary index) and a 1,000-byte payload (a long binary column kept in
//      the record), inserted in ascending key order in transactions of 1,000 rows with lazy
//      commits. The instance stops cleanly and a new one attaches the database (so the
//      checkpoint is at the end of the log and the full backup carries few logs).
//   2. A full streaming backup into the folder `set`: JetBeginExternalBackupInstance(0),
//      JetGetAttachInfoInstance, every database streamed with JetOpenFileInstance /
//      JetReadFileInstance into a file of its name, JetGetLogInfoInstance and every listed log
//      streamed the same way, JetTruncateLogInstance, JetEndExternalBackupInstance2.
//   3. Updates until the log folder has gained at least --log-mib MiB of log generations: each
//      transaction replaces the payload of 100 rows picked at random (a fixed seed) over the
//      whole table, lazy commit; the bench keeps every row's version.
//   4. An incremental streaming backup (JET_bitBackupIncremental: logs only) into the same
//      folder; the source instance stops and its folder is deleted.
// The restore then copies the image and replays every log of the set (full + incremental).
//
// Each run, in an order that rotates from run to run:
//   restore  every file of the set dropped from the OS page cache (fdatasync +
//            posix_fadvise(DONTNEED): per file, no root needed), a new instance with empty
//            log/system folders (not initialised), JetRestoreInstanceA(instance, set, dest,
//            callback). The JET_PFNSTATUS callback timestamps sntBegin, every sntProgress and
//            sntComplete. The restore's progress model (src/engine/restore.h): units 0..10 are
//            the image copy by bytes, 10..100 the replay by generation, sntComplete at the end.
//            Phases: check = the call to sntBegin (the set's logs and images are verified before
//            anything is written); copy = sntBegin to the replay's first progress (the last
//            callback with cunitDone <= 10: every page read, verified, written, fsync'd, renamed
//            into place); replay = from there to sntComplete (the logs replayed, the database
//            closed clean, the checkpoint written); finish = sntComplete to the return.
//            Afterwards the instance is initialised, the restored database attached and every
//            row checked against the bench's versions (count, keys, payload bytes): a restore
//            that brings back anything else fails the bench.
//   cp       the image file dropped from the page cache, `cp <image> <copy>` timed from fork to
//            exit, then an fsync of the copy timed separately (cp alone does not make the copy
//            durable; the restore does).
//   dd       the image dropped from the page cache, `dd if=<image> of=<copy> bs=<chunk>
//            conv=fsync`: a sequential read + write with one fsync at the end.
//
// Every figure is measured --repeat times; the report gives the median and the range. Output:
// Markdown tables on standard output, progress on standard error; any engine error or failed
// check exits with status 1.
#include <esent.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "bench_common.h"

namespace {

constexpr std::uint32_t kRowPayloadBytes = 1000;
constexpr std::uint32_t kRowsPerTransaction = 1000;
constexpr std::uint32_t kUpdatesPerTransaction = 100;
// Bytes of database file per row, measured (record, node and page overhead): sizes the build.
constexpr std::uint64_t kFileBytesPerRow = 1100;
constexpr std::uint32_t kUpdateSeed = 20261122;

using bench::BenchFailure;
using bench::FsyncPath;
using bench::RunTool;
using bench::Check;
using bench::FileBytes;
using bench::Mib;
using bench::Seconds;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

struct Options {
  std::uint32_t db_mib = 256;
  std::uint32_t log_mib = 64;
  std::uint32_t repeat = 3;
  std::uint32_t chunk_kib = 1024;
  std::uint32_t cache_mib = 64;
  std::uint32_t log_file_kib = 5120;
  std::string directory;  // parent of the fresh folder; /tmp when empty
};

bench::InstanceOptions EsentOptions(const Options& options) {
  return {.name_prefix = "restore",
          .cache_mib = options.cache_mib,
          .circular_log_off = true,
          .log_file_kib = options.log_file_kib,
          .max_ver_pages = 16384};
}

// The payload of row `key` at `version` (0: as inserted).
void FillRowPayload(std::int32_t key, std::uint32_t version, unsigned char* payload) {
  bench::FillPayload(static_cast<std::int32_t>(static_cast<std::uint32_t>(key) + version * 0x9E3779B1u),
                     payload, kRowPayloadBytes);
}

// One session with table "rows" open; not thread-safe.
struct Cursor : bench::RowsCursor {
  using RowsCursor::RowsCursor;

  void Insert(std::int32_t key) {
    unsigned char payload[kRowPayloadBytes];
    FillRowPayload(key, 0, payload);
    InsertRow(key, payload, kRowPayloadBytes);
  }

  // Replaces the payload of row `key` by its bytes at `version`, in the caller's transaction.
  void Update(std::int32_t key, std::uint32_t version) {
    Check(JetMakeKey(session, table, &key, sizeof(key), JET_bitNewKey), "JetMakeKey");
    Check(JetSeek(session, table, JET_bitSeekEQ), "JetSeek");
    unsigned char payload[kRowPayloadBytes];
    FillRowPayload(key, version, payload);
    Check(JetPrepareUpdate(session, table, JET_prepReplace), "JetPrepareUpdate(replace)");
    Check(JetSetColumn(session, table, payload_column, payload, kRowPayloadBytes, 0, nullptr),
          "JetSetColumn(payload)");
    Check(JetUpdate(session, table, nullptr, 0, nullptr), "JetUpdate");
  }
};

// Generations in a log folder: files named <base><generation>.log (the current log edb.log and
// the prepared next one, edbtmp.log, do not count).
std::uint32_t LogGenerations(const std::string& folder) {
  std::uint32_t count = 0;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name.ends_with(".log") && name != "edb.log" && name != "edbtmp.log") ++count;
  }
  return count;
}

// Bytes of the file in 512-byte sectors that are not all zero: the part of a fixed-size,
// zero-filled log file that holds log data (header and records).
std::uint64_t NonZeroSectorBytes(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw BenchFailure("open " + path);
  std::vector<unsigned char> buffer(1 << 20);
  std::uint64_t bytes = 0;
  for (;;) {
    const ssize_t count = ::read(fd, buffer.data(), buffer.size());
    if (count < 0) {
      ::close(fd);
      throw BenchFailure("read " + path);
    }
    if (count == 0) break;
    for (std::size_t at = 0; at < static_cast<std::size_t>(count); at += 512) {
      const std::size_t end = std::min<std::size_t>(at + 512, static_cast<std::size_t>(count));
      if (std::any_of(buffer.begin() + static_cast<std::ptrdiff_t>(at),
                      buffer.begin() + static_cast<std::ptrdiff_t>(end),
                      [](unsigned char b) { return b != 0; })) {
        bytes += end - at;
      }
    }
  }
  ::close(fd);
  return bytes;
}

void WriteAll(int fd, const unsigned char* data, std::size_t bytes, const std::string& path) {
  while (bytes > 0) {
    const ssize_t written = ::write(fd, data, bytes);
    if (written <= 0) throw BenchFailure("write " + path);
    data += written;
    bytes -= static_cast<std::size_t>(written);
  }
}

// One streaming backup (full, or incremental: logs only) saved into `set_folder`, each file
// under its own name (fsync'd). Returns the names of the database images it wrote.
std::vector<std::string> SaveBackup(JET_INSTANCE instance, bool incremental,
                                    const std::string& set_folder,
                                    std::vector<unsigned char>& buffer) {
  std::vector<std::string> images;
  auto save = [&](const std::string& name) {
    const std::string path = set_folder + "/" + fs::path(name).filename().string();
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw BenchFailure("open " + path);
    try {
      bench::StreamBackupFile(instance, name, buffer, nullptr, nullptr,
                              [&](const unsigned char* data, std::size_t bytes) {
                                WriteAll(fd, data, bytes, path);
                              });
      if (::fsync(fd) != 0) throw BenchFailure("fsync " + path);
    } catch (...) {
      ::close(fd);
      throw;
    }
    ::close(fd);
    return path;
  };
  Check(JetBeginExternalBackupInstance(instance, incremental ? JET_bitBackupIncremental : 0),
        "JetBeginExternalBackupInstance");
  try {
    std::vector<char> names(1 << 16);
    JET_UINT32 actual = 0;
    if (!incremental) {
      Check(JetGetAttachInfoInstanceA(instance, names.data(),
                                      static_cast<JET_UINT32>(names.size()), &actual),
            "JetGetAttachInfoInstance");
      for (const std::string& name : bench::SplitMultiString(
               names.data(), std::min<std::size_t>(actual, names.size()))) {
        images.push_back(save(name));
      }
      if (images.empty()) throw BenchFailure("JetGetAttachInfoInstance listed no database");
      std::fill(names.begin(), names.end(), '\0');
    }
    Check(JetGetLogInfoInstanceA(instance, names.data(), static_cast<JET_UINT32>(names.size()),
                                 &actual),
          "JetGetLogInfoInstance");
    for (const std::string& name : bench::SplitMultiString(
             names.data(), std::min<std::size_t>(actual, names.size()))) {
      (void)save(name);
    }
    Check(JetTruncateLogInstance(instance), "JetTruncateLogInstance");
  } catch (...) {
    (void)JetEndExternalBackupInstance2(instance, JET_bitBackupEndAbort);
    throw;
  }
  Check(JetEndExternalBackupInstance2(instance, JET_bitBackupEndNormal),
        "JetEndExternalBackupInstance2");
  return images;
}

// The backup set and what a correct restore of it holds.
struct BackupSet {
  std::string folder;
  std::string image_path;           // the one database image
  std::string database_name;        // its file name (the restored file is dest/<name>)
  std::uint64_t image_bytes = 0;
  std::uint64_t log_bytes = 0;      // all log files of the set (fixed-size files)
  std::uint64_t log_data_bytes = 0;  // of which in sectors that are not all zero
  std::uint64_t last_log_data_bytes = 0;  // log data of the set's last generation
  std::uint32_t log_files = 0;
  std::uint32_t full_log_files = 0;  // of which from the full backup
  std::vector<std::uint32_t> versions;  // per key 0..rows-1
  std::uint64_t updates = 0;
  double build_seconds = 0;
  double update_seconds = 0;
};

void AttachFresh(JET_INSTANCE instance, const std::string& path) {
  JET_SESID session = 0;
  Check(JetBeginSession(instance, &session, "", ""), "JetBeginSession");
  Check(JetAttachDatabaseA(session, path.c_str(), 0), "JetAttachDatabase");
  Check(JetEndSession(session, 0), "JetEndSession");
}

BackupSet MakeSet(const Options& options, const std::string& root, std::vector<unsigned char>& buffer) {
  BackupSet set;
  const std::string source = root + "/source";
  set.folder = root + "/set";
  fs::create_directories(source);
  fs::create_directories(set.folder);
  const std::string path = source + "/db.edb";
  const std::uint64_t target_rows = (std::uint64_t{options.db_mib} << 20) / kFileBytesPerRow;

  auto start = Clock::now();
  JET_INSTANCE instance = bench::StartInstance(source, EsentOptions(options));
  try {
    {
      JET_SESID session = 0;
      Check(JetBeginSession(instance, &session, "", ""), "JetBeginSession");
      bench::CreateRowsSchema(session, path, {.type = JET_coltypLongBinary});
      Check(JetEndSession(session, 0), "JetEndSession");
      Cursor cursor(instance, path);
      std::uint64_t n = 0;
      while (n < target_rows) {
        Check(JetBeginTransaction(cursor.session), "JetBeginTransaction");
        for (std::uint32_t i = 0; i < kRowsPerTransaction && n < target_rows; ++i) {
          cursor.Insert(static_cast<std::int32_t>(n++));
        }
        Check(JetCommitTransaction(cursor.session, JET_bitCommitLazyFlush), "JetCommitTransaction");
      }
      Check(JetCommitTransaction(cursor.session, JET_bitWaitAllLevel0Commit),
            "JetCommitTransaction(WaitAllLevel0Commit)");
      set.versions.assign(n, 0);
    }
    Check(JetTerm2(instance, JET_bitTermComplete), "JetTerm2");
    instance = 0;
    set.build_seconds = Seconds(start);
    instance = bench::StartInstance(source, EsentOptions(options));
    AttachFresh(instance, path);

    const std::vector<std::string> images = SaveBackup(instance, false, set.folder, buffer);
    if (images.size() != 1) throw BenchFailure("expected one database image in the full backup");
    set.image_path = images.front();
    set.database_name = fs::path(set.image_path).filename().string();
    for (const auto& entry : fs::directory_iterator(set.folder)) {
      if (entry.path().extension() == ".log") ++set.full_log_files;
    }

    // Updates until the log folder has gained log_mib of generations.
    start = Clock::now();
    const std::uint32_t generations_before = LogGenerations(source);
    const std::uint64_t log_file_bytes = std::uint64_t{options.log_file_kib} * 1024;
    std::mt19937 random(kUpdateSeed);
    std::uniform_int_distribution<std::uint32_t> pick(0, static_cast<std::uint32_t>(set.versions.size() - 1));
    Cursor cursor(instance, path);
    while (std::uint64_t{LogGenerations(source) - generations_before} * log_file_bytes <
           (std::uint64_t{options.log_mib} << 20)) {
      Check(JetBeginTransaction(cursor.session), "JetBeginTransaction");
      for (std::uint32_t i = 0; i < kUpdatesPerTransaction; ++i) {
        const std::uint32_t key = pick(random);
        cursor.Update(static_cast<std::int32_t>(key), ++set.versions[key]);
        ++set.updates;
      }
      Check(JetCommitTransaction(cursor.session, JET_bitCommitLazyFlush), "JetCommitTransaction");
    }
    Check(JetCommitTransaction(cursor.session, JET_bitWaitAllLevel0Commit),
          "JetCommitTransaction(WaitAllLevel0Commit)");
    set.update_seconds = Seconds(start);
    (void)SaveBackup(instance, true, set.folder, buffer);
  } catch (...) {
    if (instance != 0) (void)JetTerm2(instance, JET_bitTermAbrupt);
    throw;
  }
  Check(JetTerm2(instance, JET_bitTermComplete), "JetTerm2");
  fs::remove_all(source);

  set.image_bytes = FileBytes(set.image_path);
  std::string last_log;  // <base><generation in hex, fixed width>.log: the largest name
  for (const auto& entry : fs::directory_iterator(set.folder)) {
    if (entry.path().extension() != ".log") continue;
    ++set.log_files;
    set.log_bytes += FileBytes(entry.path().string());
    set.log_data_bytes += NonZeroSectorBytes(entry.path().string());
    last_log = std::max(last_log, entry.path().string());
  }
  if (set.log_files == 0) throw BenchFailure("the backup set holds no log file");
  set.last_log_data_bytes = NonZeroSectorBytes(last_log);
  return set;
}

// --- the restore ------------------------------------------------------------------------------

// What the status callback saw during one JetRestoreInstance (one restore at a time).
struct Callbacks {
  Clock::time_point begin, complete;
  std::vector<std::pair<std::uint32_t, Clock::time_point>> progress;  // (cunitDone, when)
  std::uint32_t total_units = 0;
  bool began = false, completed = false;
};
Callbacks g_callbacks;

JET_ERR JET_API OnRestoreStatus(JET_SESID, JET_SNP snp, JET_SNT snt, JET_PVOID data) {
  const auto now = Clock::now();
  if (snp != JET_snpRestore) return JET_errSuccess;
  if (snt == JET_sntBegin) {
    g_callbacks.begin = now;
    g_callbacks.began = true;
  } else if (snt == JET_sntComplete) {
    g_callbacks.complete = now;
    g_callbacks.completed = true;
  } else if (snt == JET_sntProgress && data != nullptr) {
    const auto* progress = static_cast<const JET_SNPROG*>(data);
    g_callbacks.progress.emplace_back(progress->cunitDone, now);
    g_callbacks.total_units = progress->cunitTotal;
  }
  return JET_errSuccess;
}

struct RestoreRun {
  double check_seconds = 0;    // the call .. sntBegin
  double written_seconds = 0;  // sntBegin .. the first progress with cunitDone >= 10
  double copy_seconds = 0;     // sntBegin .. the replay's first progress
  double replay_seconds = 0;   // the replay's first progress .. sntComplete
  double redo_seconds = 0;     // the replay's first progress .. its last generation's progress
  double tail_seconds = 0;     // the last generation's progress .. sntComplete
  double finish_seconds = 0;   // sntComplete .. the return
  double total_seconds = 0;    // JetRestoreInstance
  double resident_before = 0;  // page-cache residency of the image before the call
  std::size_t callbacks = 0;
  double cp_seconds = 0, cp_fsync_seconds = 0, dd_seconds = 0;
};

// Every row of `path` against the versions: count, keys 0..n-1 in order, payload bytes.
void VerifyRows(JET_INSTANCE instance, const std::string& path, const BackupSet& set) {
  AttachFresh(instance, path);
  Cursor cursor(instance, path);
  std::uint64_t rows = 0;
  std::vector<unsigned char> expected(kRowPayloadBytes);
  std::vector<unsigned char> actual(kRowPayloadBytes);
  JET_ERR err = JetMove(cursor.session, cursor.table, static_cast<JET_INT32>(JET_MoveFirst), 0);
  while (err == JET_errSuccess) {
    std::int32_t key = -1;
    JET_UINT32 bytes = 0;
    Check(JetRetrieveColumn(cursor.session, cursor.table, cursor.key_column, &key, sizeof(key),
                            &bytes, 0, nullptr),
          "JetRetrieveColumn(key)");
    if (key < 0 || static_cast<std::uint64_t>(key) != rows) {
      throw BenchFailure("restored database: row " + std::to_string(rows) + " has key " +
                         std::to_string(key));
    }
    Check(JetRetrieveColumn(cursor.session, cursor.table, cursor.payload_column, actual.data(),
                            kRowPayloadBytes, &bytes, 0, nullptr),
          "JetRetrieveColumn(payload)");
    FillRowPayload(key, set.versions[rows], expected.data());
    if (bytes != kRowPayloadBytes || std::memcmp(actual.data(), expected.data(), kRowPayloadBytes) != 0) {
      throw BenchFailure("restored database: row " + std::to_string(key) +
                         " does not hold its last committed payload (version " +
                         std::to_string(set.versions[rows]) + ")");
    }
    ++rows;
    err = JetMove(cursor.session, cursor.table, JET_MoveNext, 0);
  }
  if (err != JET_errNoCurrentRecord) Check(err, "JetMove");
  if (rows != set.versions.size()) {
    throw BenchFailure("restored database holds " + std::to_string(rows) + " rows, expected " +
                       std::to_string(set.versions.size()));
  }
}

void EvictSet(const BackupSet& set) {
  for (const auto& entry : fs::directory_iterator(set.folder)) {
    bench::EvictFromPageCache(entry.path().string());
  }
}

void MeasureRestore(const Options& options, const BackupSet& set, const std::string& run_folder,
                    RestoreRun& run) {
  const std::string logs = run_folder + "/logs";
  const std::string dest = run_folder + "/dest";
  fs::create_directories(logs);
  fs::create_directories(dest);
  EvictSet(set);
  run.resident_before = bench::ResidentFraction(set.image_path);
  g_callbacks = Callbacks{};
  g_callbacks.progress.reserve(256);
  JET_INSTANCE instance = bench::ConfigureInstance(logs, EsentOptions(options));
  try {
    const auto start = Clock::now();
    Check(JetRestoreInstanceA(instance, set.folder.c_str(), dest.c_str(), OnRestoreStatus),
          "JetRestoreInstance");
    const auto end = Clock::now();
    const Callbacks& seen = g_callbacks;
    if (!seen.began || !seen.completed || seen.progress.empty() || seen.total_units != 100) {
      throw BenchFailure("the restore did not report sntBegin, progress of 100 units and sntComplete");
    }
    // The copy's last progress is 10 units once every byte is written; the replay's first
    // progress (its first generation) is 10 units too. Without a second 10 the copy phase ends
    // at the first 10 (the fsync then falls into the replay).
    // The replay reports each generation as it begins; the last one below 100 units is the
    // set's last generation (the one the incremental backup's log roll opened): what follows
    // it is that generation's records, then the end of recovery (the trees walked to rebuild
    // the free space, undo, close, checkpoint).
    Clock::time_point written{}, replay_start{}, last_generation{};
    bool have_written = false;
    for (const auto& [units, when] : seen.progress) {
      if (units >= 10 && !have_written) {
        written = when;
        have_written = true;
      }
      if (units <= 10) replay_start = when;
      if (units < 100) last_generation = when;
    }
    if (!have_written) throw BenchFailure("the restore never reported the copy done (10 units)");
    if (replay_start < written) replay_start = written;
    if (last_generation < replay_start) last_generation = replay_start;
    auto between = [](Clock::time_point a, Clock::time_point b) {
      return std::chrono::duration<double>(b - a).count();
    };
    run.check_seconds = between(start, seen.begin);
    run.written_seconds = between(seen.begin, written);
    run.copy_seconds = between(seen.begin, replay_start);
    run.replay_seconds = between(replay_start, seen.complete);
    run.redo_seconds = between(replay_start, last_generation);
    run.tail_seconds = between(last_generation, seen.complete);
    run.finish_seconds = between(seen.complete, end);
    run.total_seconds = between(start, end);
    run.callbacks = seen.progress.size();

    // The restore leaves the instance uninitialised: start it on the restored files and check
    // every row.
    Check(JetInit(&instance), "JetInit(after the restore)");
    VerifyRows(instance, dest + "/" + set.database_name, set);
  } catch (...) {
    (void)JetTerm2(instance, JET_bitTermAbrupt);
    throw;
  }
  Check(JetTerm2(instance, JET_bitTermComplete), "JetTerm2");
  fs::remove_all(run_folder);
}

void MeasureCp(const BackupSet& set, const std::string& copy, RestoreRun& run) {
  bench::EvictFromPageCache(set.image_path);
  run.cp_seconds = RunTool({"cp", set.image_path, copy});
  const auto start = Clock::now();
  FsyncPath(copy);
  run.cp_fsync_seconds = run.cp_seconds + Seconds(start);
  fs::remove(copy);
}

void MeasureDd(const Options& options, const BackupSet& set, const std::string& copy,
               RestoreRun& run) {
  bench::EvictFromPageCache(set.image_path);
  run.dd_seconds = RunTool({"dd", "if=" + set.image_path, "of=" + copy,
                            "bs=" + std::to_string(options.chunk_kib) + "K", "conv=fsync",
                            "status=none"});
  fs::remove(copy);
}

// --- report -----------------------------------------------------------------------------------

// "median (min-max)" of field over the runs, each number with `decimals` decimals.
std::string Summary(const std::vector<RestoreRun>& runs, const std::function<double(const RestoreRun&)>& field,
                    int decimals) {
  std::vector<double> values;
  for (const RestoreRun& run : runs) values.push_back(field(run));
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  char median[32], lowest[32], highest[32];
  std::snprintf(median, sizeof(median), "%.*f", decimals, bench::UpperMedian(values));
  std::snprintf(lowest, sizeof(lowest), "%.*f", decimals, *low);
  std::snprintf(highest, sizeof(highest), "%.*f", decimals, *high);
  if (runs.size() == 1) return median;
  return std::string(median) + " (" + lowest + "-" + highest + ")";
}

void Report(const Options& options, const BackupSet& set, const std::vector<RestoreRun>& runs) {
  const double image_mib = Mib(set.image_bytes);
  const double log_mib = Mib(set.log_bytes);
  std::printf("### The backup set\n\n");
  std::printf("| | |\n|---|---:|\n");
  std::printf("| rows (1,000-byte payload) | %zu |\n", set.versions.size());
  std::printf("| database image (the streamed file: header, pages, trailer) | %.1f MiB |\n", image_mib);
  std::printf("| log files in the set (%u KiB each, fixed size) | %u (%u from the full backup, %u "
              "from the incremental) |\n",
              options.log_file_kib, set.log_files, set.full_log_files,
              set.log_files - set.full_log_files);
  std::printf("| log bytes in the set (the files' sizes) | %.1f MiB |\n", log_mib);
  std::printf("| of which in 512-byte sectors that are not all zero (the log data; the files are "
              "zero-filled) | %.1f MiB |\n",
              Mib(set.log_data_bytes));
  std::printf("| row updates logged after the full backup (100 per transaction, random rows) | "
              "%llu |\n\n",
              static_cast<unsigned long long>(set.updates));
  std::printf("Building the database took %.1f s; the updates %.1f s.\n\n", set.build_seconds,
              set.update_seconds);

  std::printf("### Restore time by phase (median (min-max) of %zu runs)\n\n", runs.size());
  std::printf("| phase (from the JET_snpRestore callbacks) | seconds | MiB/s |\n|---|---:|---:|\n");
  auto rate = [](double mib, double RestoreRun::*seconds) {
    return [mib, seconds](const RestoreRun& r) { return mib / (r.*seconds); };
  };
  auto time = [](double RestoreRun::*seconds) {
    return [seconds](const RestoreRun& r) { return r.*seconds; };
  };
  std::printf("| check of the set (the call to sntBegin: logs and image verified) | %s | |\n",
              Summary(runs, time(&RestoreRun::check_seconds), 2).c_str());
  std::printf("| image bytes written (sntBegin to the first progress with cunitDone >= 10) | %s | "
              "%s of image |\n",
              Summary(runs, time(&RestoreRun::written_seconds), 2).c_str(),
              Summary(runs, rate(image_mib, &RestoreRun::written_seconds), 0).c_str());
  std::printf("| **copy** (sntBegin to the replay's first progress: + fsync, rename) | %s | "
              "**%s** of image |\n",
              Summary(runs, time(&RestoreRun::copy_seconds), 2).c_str(),
              Summary(runs, rate(image_mib, &RestoreRun::copy_seconds), 0).c_str());
  std::printf("| **log replay** (to sntComplete: %u generations, database closed clean) | %s | "
              "**%s** of log |\n",
              set.log_files, Summary(runs, time(&RestoreRun::replay_seconds), 2).c_str(),
              Summary(runs, rate(log_mib, &RestoreRun::replay_seconds), 0).c_str());
  std::printf("| log replay, by the log data (non-zero sectors) | | %s of log data |\n",
              Summary(runs, rate(Mib(set.log_data_bytes), &RestoreRun::replay_seconds), 0).c_str());
  std::printf("| of which the generations before the last (replay start to the last "
              "generation's progress) | %s | %s of log data |\n",
              Summary(runs, time(&RestoreRun::redo_seconds), 2).c_str(),
              Summary(runs, rate(Mib(set.log_data_bytes - set.last_log_data_bytes),
                                 &RestoreRun::redo_seconds), 0).c_str());
  std::printf("| of which the last generation (%.2f MiB of log data) and the end of recovery "
              "(trees walked to rebuild free space, undo, close, checkpoint) | %s | |\n",
              Mib(set.last_log_data_bytes), Summary(runs, time(&RestoreRun::tail_seconds), 2).c_str());
  std::printf("| finish (sntComplete to the return) | %s | |\n",
              Summary(runs, time(&RestoreRun::finish_seconds), 3).c_str());
  std::printf("| whole JetRestoreInstance | %s | %s of image + log |\n\n",
              Summary(runs, time(&RestoreRun::total_seconds), 2).c_str(),
              Summary(runs, rate(image_mib + log_mib, &RestoreRun::total_seconds), 0).c_str());
  std::printf("Replay: %s log generations per second. Page-cache residency of the image just "
              "before the restore (mincore): %s%%. Progress callbacks per restore: %zu.\n\n",
              Summary(runs, [&](const RestoreRun& r) { return set.log_files / r.replay_seconds; },
                      1).c_str(),
              Summary(runs, [](const RestoreRun& r) { return r.resident_before * 100.0; }, 0).c_str(),
              runs[runs.size() / 2].callbacks);

  std::printf("### The copy beside cp and dd of the same image file (MiB/s of image, median "
              "(min-max))\n\n");
  std::printf("| copy | MiB/s | restore copy / this (median of per-run ratios) |\n|---|---:|---:|\n");
  auto ratio_to = [&](double RestoreRun::*peer) {
    std::vector<double> ratios;
    for (const RestoreRun& r : runs) ratios.push_back((r.*peer) / r.copy_seconds);
    return bench::UpperMedian(ratios);
  };
  std::printf("| libesent restore copy (read, verify every page, write, fsync, rename) | %s | 1.00 |\n",
              Summary(runs, rate(image_mib, &RestoreRun::copy_seconds), 0).c_str());
  std::printf("| `cp` (no fsync: the copy may still be in the page cache) | %s | %.2f |\n",
              Summary(runs, rate(image_mib, &RestoreRun::cp_seconds), 0).c_str(),
              ratio_to(&RestoreRun::cp_seconds));
  std::printf("| `cp`, then fsync of the copy | %s | %.2f |\n",
              Summary(runs, rate(image_mib, &RestoreRun::cp_fsync_seconds), 0).c_str(),
              ratio_to(&RestoreRun::cp_fsync_seconds));
  std::printf("| `dd bs=%uK conv=fsync` | %s | %.2f |\n\n", options.chunk_kib,
              Summary(runs, rate(image_mib, &RestoreRun::dd_seconds), 0).c_str(),
              ratio_to(&RestoreRun::dd_seconds));
}

Options ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    auto value = [&]() -> std::uint32_t {
      if (i + 1 >= argc) throw BenchFailure("missing value after " + argument);
      return static_cast<std::uint32_t>(std::stoul(argv[++i]));
    };
    if (argument == "--db-mib") {
      options.db_mib = value();
    } else if (argument == "--log-mib") {
      options.log_mib = value();
    } else if (argument == "--repeat") {
      options.repeat = value();
    } else if (argument == "--chunk-kib") {
      options.chunk_kib = value();
    } else if (argument == "--cache-mib") {
      options.cache_mib = value();
    } else if (argument == "--log-file-kib") {
      options.log_file_kib = value();
    } else if (argument == "--dir") {
      if (i + 1 >= argc) throw BenchFailure("missing value after --dir");
      options.directory = argv[++i];
    } else {
      throw BenchFailure("unknown argument " + argument +
                         " (--db-mib M --log-mib M --repeat N --chunk-kib K --cache-mib M "
                         "--log-file-kib K --dir PARENT)");
    }
  }
  if (options.repeat == 0 || options.db_mib == 0 || options.log_mib == 0 ||
      options.chunk_kib == 0 || options.log_file_kib == 0) {
    throw BenchFailure("--repeat, --db-mib, --log-mib, --chunk-kib and --log-file-kib need "
                       "positive values");
  }
  if (options.directory.empty()) options.directory = "/tmp";
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options options = ParseOptions(argc, argv);
    bench::TempFolder root(options.directory, "restore");
    std::vector<unsigned char> buffer(std::size_t{options.chunk_kib} * 1024);
    const BackupSet set = MakeSet(options, root.path(), buffer);
    std::fprintf(stderr,
                 "set: image %.1f MiB, %u log files (%.1f MiB), %zu rows, %llu updates; build "
                 "%.1f s, updates %.1f s\n",
                 Mib(set.image_bytes), set.log_files, Mib(set.log_bytes), set.versions.size(),
                 static_cast<unsigned long long>(set.updates), set.build_seconds,
                 set.update_seconds);
    std::vector<RestoreRun> runs(options.repeat);
    for (std::uint32_t r = 0; r < options.repeat; ++r) {
      RestoreRun& run = runs[r];
      const std::string copy = root.path() + "/copy.edb";
      const std::function<void()> figures[] = {
          [&] { MeasureRestore(options, set, root.path() + "/run", run); },
          [&] { MeasureCp(set, copy, run); },
          [&] { MeasureDd(options, set, copy, run); },
      };
      for (std::size_t i = 0; i < std::size(figures); ++i) figures[(i + r) % std::size(figures)]();
      std::fprintf(stderr,
                   "run %u: check %.2f s, copy %.2f s (%.0f MiB/s), replay %.2f s (%.0f MiB/s of "
                   "log; %.2f s after the last generation began), total %.2f s; cp %.0f, cp+fsync %.0f, dd %.0f MiB/s; rows verified\n",
                   r + 1, run.check_seconds, run.copy_seconds, Mib(set.image_bytes) / run.copy_seconds,
                   run.replay_seconds, Mib(set.log_bytes) / run.replay_seconds, run.tail_seconds,
                   run.total_seconds,
                   Mib(set.image_bytes) / run.cp_seconds, Mib(set.image_bytes) / run.cp_fsync_seconds,
                   Mib(set.image_bytes) / run.dd_seconds);
    }
    Report(options, set, runs);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "esent-bench-restore: %s\n", error.what());
    return 1;
  }
  return 0;
}
