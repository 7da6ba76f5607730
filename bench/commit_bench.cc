// esent-bench-commit: commit throughput of libesent beside SQLite and LMDB, and the speed of
// libesent's log replay (crash recovery), in one run on one machine.
//
// Commit workload (the same for every engine): T threads, each with its own session /
// connection / transaction, each committing small transactions of ONE insert (a 4-byte key
// unique to the thread, a 100-byte payload) into one shared table for --seconds seconds, in a
// fresh folder per configuration. Every configuration is run --repeat times; the figure is the
// median commits/s. Configurations:
//   libesent durable   JET_paramRecovery "on", JetCommitTransaction(0): the commit returns
//                      once the log is on disk (group commit: concurrent commits share fsyncs)
//   libesent lazy      JetCommitTransaction(JET_bitCommitLazyFlush): the log is written later
//   sqlite-full        journal_mode=WAL, synchronous=FULL: the WAL is fsynced at every commit
//   sqlite-normal      journal_mode=WAL, synchronous=NORMAL: fsyncs at WAL checkpoints only
//   lmdb-sync          mdb_txn_commit with default flags: data and meta page synced per commit
//   lmdb-nometasync    MDB_NOMETASYNC: data synced per commit, the meta page at the next one
//   lmdb-nosync        MDB_NOSYNC: no sync at commit (the lazy analogue)
// SQLite: one connection per thread, BEGIN IMMEDIATE ... COMMIT, a busy timeout of 60 s.
// LMDB: one environment, a write transaction per commit (LMDB serialises writers).
//
// fsyncs/commit: this executable defines fsync, fdatasync and msync, counts the calls and
// forwards them to the C library (symbol interposition: libesent.so, libsqlite3.so and
// liblmdb.so call them through the dynamic linker, which finds the executable's definition
// first). The count covers every thread of the process during the timed window. LMDB writes
// its meta page through a descriptor opened with O_DSYNC, which no call counts: its figure is
// a lower bound.
//
// Replay workload (libesent only): with recovery on, 5 MiB logs, a cache large enough for the
// whole database and JET_paramCheckpointDepthMax larger than the log, rows are inserted in
// transactions of 1,000 until at least --replay-mib MiB of log generations exist; a durable
// commit, then JetTerm2(JET_bitTermDirty) stops the instance as a crash would. The loop stops
// right after the log roll that reaches the target, so the archived generations are full. The files are synced and dropped from the OS page cache
// (posix_fadvise DONTNEED), then a new instance's JetInit (which runs recovery) is timed. Log
// bytes = the archived log generations from the checkpoint's generation on, minus the
// checkpoint's offset in its generation; the current log edb.log (at most a transaction or two
// of records) is not counted, so the speed is slightly understated. Afterwards the database
// is attached and must hold every row.
//
// Output: Markdown tables (median of the repeats), ratios libesent / peer; any engine error or
// failed check exits with status 1.
#include <dlfcn.h>
#include <esent.h>
#include <fcntl.h>
#include <lmdb.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "bench_common.h"

// --- fsync counting (interposed over the C library) -----------------------------------------

namespace {
std::atomic<std::uint64_t> g_sync_calls{0};

template <typename Function>
Function NextSymbol(const char* name) {
  void* symbol = dlsym(RTLD_NEXT, name);
  if (symbol == nullptr) std::abort();
  Function function = nullptr;
  static_assert(sizeof(function) == sizeof(symbol));
  std::memcpy(&function, &symbol, sizeof(symbol));
  return function;
}
}  // namespace

extern "C" __attribute__((visibility("default"))) int fsync(int fd) {
  using Function = int (*)(int);
  static const Function next = NextSymbol<Function>("fsync");
  g_sync_calls.fetch_add(1, std::memory_order_relaxed);
  return next(fd);
}

extern "C" __attribute__((visibility("default"))) int fdatasync(int fd) {
  using Function = int (*)(int);
  static const Function next = NextSymbol<Function>("fdatasync");
  g_sync_calls.fetch_add(1, std::memory_order_relaxed);
  return next(fd);
}

extern "C" __attribute__((visibility("default"))) int msync(void* address, size_t length, int flags) {
  using Function = int (*)(void*, size_t, int);
  static const Function next = NextSymbol<Function>("msync");
  if ((flags & MS_SYNC) != 0) g_sync_calls.fetch_add(1, std::memory_order_relaxed);
  return next(address, length, flags);
}

namespace {

constexpr std::uint32_t kPayloadBytes = 100;
constexpr std::uint32_t kLogFileKib = 5120;  // ESENT's default JET_paramLogFileSize
constexpr std::uint64_t kCommitCheckpointDepthBytes = 20u << 20;  // ESENT's default

using bench::BenchFailure;
using bench::Check;
using bench::kPageSizeBytes;
using bench::Seconds;

struct Options {
  std::vector<std::uint32_t> threads = {1, 4, 16};
  double seconds = 2.0;
  std::uint32_t repeat = 3;
  std::uint32_t replay_mib = 100;
  std::uint32_t replay_repeat = 1;
  std::string directory;  // parent of the fresh folders; /tmp when empty
  bool skip_commit = false;
  bool skip_replay = false;
  std::string only;  // run only the commit configurations whose name contains this
};

void FillPayload(std::int32_t key, unsigned char* payload) {
  std::memcpy(payload, &key, sizeof(key));
  std::uint32_t state = static_cast<std::uint32_t>(key) * 2654435761u + 1u;
  for (std::uint32_t i = sizeof(key); i < kPayloadBytes; ++i) {
    state = state * 1103515245u + 12345u;
    payload[i] = static_cast<unsigned char>(state >> 24);
  }
}

// Key of the n-th commit of thread t: unique across threads, ascending within one.
std::int32_t KeyOf(std::uint32_t thread, std::uint32_t n) {
  return static_cast<std::int32_t>(thread * 100000000u + n);
}

// A fresh empty folder under `parent`, removed by the destructor.
class TempFolder : public bench::TempFolder {
 public:
  explicit TempFolder(const std::string& parent) : bench::TempFolder(parent, "commit") {}
};

// The result of one timed run.
struct RunResult {
  double commits_per_second = 0;
  double syncs_per_commit = 0;
};

// Runs `body(thread)` in `threads` threads until the deadline; body returns commits done.
// Every thread starts together (after its own setup) and the window is measured around them.
template <typename Setup, typename Body>
RunResult TimedThreads(std::uint32_t threads, double seconds, Setup setup, Body body) {
  std::atomic<std::uint32_t> ready{0};
  std::atomic<bool> go{false};
  std::atomic<bool> stop{false};
  std::vector<std::uint64_t> commits(threads, 0);
  std::vector<std::string> errors(threads);
  std::vector<std::thread> workers;
  for (std::uint32_t t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      try {
        auto state = setup(t);
        ready.fetch_add(1);
        while (!go.load()) std::this_thread::yield();
        commits[t] = body(t, state, stop);
      } catch (const std::exception& error) {
        errors[t] = error.what();
        ready.fetch_add(1);
      }
    });
  }
  while (ready.load() < threads) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const std::uint64_t syncs_before = g_sync_calls.load();
  const auto start = std::chrono::steady_clock::now();
  go.store(true);
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop.store(true);
  for (auto& worker : workers) worker.join();
  const double elapsed = Seconds(start);
  const std::uint64_t syncs = g_sync_calls.load() - syncs_before;
  for (const auto& error : errors) {
    if (!error.empty()) throw BenchFailure(error);
  }
  std::uint64_t total = 0;
  for (std::uint64_t c : commits) total += c;
  if (total == 0) throw BenchFailure("no commit finished in the window");
  return {static_cast<double>(total) / elapsed,
          static_cast<double>(syncs) / static_cast<double>(total)};
}

// --- libesent -------------------------------------------------------------------------------

// Global and per-instance parameters for an instance whose files all live in `folder`.
JET_INSTANCE StartEsent(const std::string& folder, std::uint64_t cache_mib,
                        std::uint64_t checkpoint_depth_bytes) {
  return bench::StartInstance(folder, {.name_prefix = "commit",
                                       .cache_mib = cache_mib,
                                       .log_file_kib = kLogFileKib,
                                       .max_sessions = 64,
                                       .max_ver_pages = 16384,
                                       .checkpoint_depth_bytes = checkpoint_depth_bytes});
}

// Creates db.edb with table "rows" (key Long primary, payload Binary) and detaches nothing.
void CreateEsentSchema(JET_SESID session, const std::string& path) {
  bench::CreateRowsSchema(session, path, {.type = JET_coltypBinary, .max_bytes = 255});
}

// One session with the table open, for one thread; rows get FillPayload's bytes.
struct EsentCursor : bench::RowsCursor {
  using RowsCursor::RowsCursor;

  void Insert(std::int32_t key) {
    unsigned char payload[kPayloadBytes];
    FillPayload(key, payload);
    InsertRow(key, payload, kPayloadBytes);
  }
};

std::pair<std::uint32_t, std::uint64_t> ReadCheckpoint(const std::string& path);
std::vector<std::uint32_t> ArchivedGenerations(const std::string& folder);

RunResult EsentCommits(const std::string& parent, std::uint32_t threads, double seconds,
                       bool lazy) {
  TempFolder folder(parent);
  const std::string path = folder.path() + "/db.edb";
  JET_INSTANCE instance = StartEsent(folder.path(), 256, kCommitCheckpointDepthBytes);
  {
    JET_SESID session = 0;
    Check(JetBeginSession(instance, &session, "", ""), "JetBeginSession");
    CreateEsentSchema(session, path);
    Check(JetEndSession(session, 0), "JetEndSession");
  }
  const JET_GRBIT commit_bits = lazy ? JET_bitCommitLazyFlush : 0;
  RunResult result;
  try {
    result = TimedThreads(
        threads, seconds,
        [&](std::uint32_t) { return std::make_shared<EsentCursor>(instance, path); },
        [&](std::uint32_t t, std::shared_ptr<EsentCursor>& cursor, std::atomic<bool>& stop) {
          std::uint64_t n = 0;
          while (!stop.load(std::memory_order_relaxed)) {
            Check(JetBeginTransaction(cursor->session), "JetBeginTransaction");
            cursor->Insert(KeyOf(t, static_cast<std::uint32_t>(n)));
            Check(JetCommitTransaction(cursor->session, commit_bits), "JetCommitTransaction");
            ++n;
          }
          cursor.reset();
          return n;
        });
  } catch (...) {
    (void)JetTerm2(instance, JET_bitTermAbrupt);
    throw;
  }
  Check(JetTerm2(instance, JET_bitTermComplete), "JetTerm2");
  return result;
}

// --- SQLite ---------------------------------------------------------------------------------

void SqliteCheck(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    throw BenchFailure(std::string("sqlite: ") + what + ": " +
                       (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
  }
}

void SqliteExec(sqlite3* db, const char* sql) {
  SqliteCheck(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db, sql);
}

struct SqliteConnection {
  sqlite3* db = nullptr;
  sqlite3_stmt* begin = nullptr;
  sqlite3_stmt* insert = nullptr;
  sqlite3_stmt* commit = nullptr;

  SqliteConnection(const std::string& path, const char* synchronous) {
    SqliteCheck(sqlite3_open_v2(path.c_str(), &db,
                                SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                nullptr),
                db, "open");
    sqlite3_busy_timeout(db, 60000);
    SqliteExec(db, "PRAGMA journal_mode=WAL");
    SqliteExec(db, (std::string("PRAGMA synchronous=") + synchronous).c_str());
    SqliteExec(db, "CREATE TABLE IF NOT EXISTS rows (key INTEGER PRIMARY KEY, payload BLOB)");
    Prepare("BEGIN IMMEDIATE", &begin);
    Prepare("INSERT INTO rows (key, payload) VALUES (?, ?)", &insert);
    Prepare("COMMIT", &commit);
  }
  ~SqliteConnection() {
    sqlite3_finalize(begin);
    sqlite3_finalize(insert);
    sqlite3_finalize(commit);
    sqlite3_close(db);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  void Prepare(const char* sql, sqlite3_stmt** statement) {
    SqliteCheck(sqlite3_prepare_v2(db, sql, -1, statement, nullptr), db, sql);
  }
  void Step(sqlite3_stmt* statement, const char* what) {
    const int rc = sqlite3_step(statement);
    sqlite3_reset(statement);
    SqliteCheck(rc, db, what);
  }
  void CommitOne(std::int32_t key) {
    unsigned char payload[kPayloadBytes];
    FillPayload(key, payload);
    Step(begin, "BEGIN IMMEDIATE");
    sqlite3_bind_int(insert, 1, key);
    sqlite3_bind_blob(insert, 2, payload, kPayloadBytes, SQLITE_STATIC);
    Step(insert, "INSERT");
    Step(commit, "COMMIT");
  }
};

RunResult SqliteCommits(const std::string& parent, std::uint32_t threads, double seconds,
                        const char* synchronous) {
  TempFolder folder(parent);
  const std::string path = folder.path() + "/db.sqlite";
  {
    SqliteConnection schema(path, synchronous);
  }
  return TimedThreads(
      threads, seconds,
      [&](std::uint32_t) { return std::make_shared<SqliteConnection>(path, synchronous); },
      [&](std::uint32_t t, std::shared_ptr<SqliteConnection>& connection,
          std::atomic<bool>& stop) {
        std::uint64_t n = 0;
        while (!stop.load(std::memory_order_relaxed)) {
          connection->CommitOne(KeyOf(t, static_cast<std::uint32_t>(n)));
          ++n;
        }
        connection.reset();
        return n;
      });
}

// --- LMDB -----------------------------------------------------------------------------------

void LmdbCheck(int rc, const char* what) {
  if (rc != MDB_SUCCESS) throw BenchFailure(std::string("lmdb: ") + what + ": " + mdb_strerror(rc));
}

RunResult LmdbCommits(const std::string& parent, std::uint32_t threads, double seconds,
                      unsigned int env_flags) {
  TempFolder folder(parent);
  MDB_env* env = nullptr;
  LmdbCheck(mdb_env_create(&env), "mdb_env_create");
  struct EnvCloser {
    MDB_env* env;
    ~EnvCloser() { mdb_env_close(env); }
  } closer{env};
  LmdbCheck(mdb_env_set_mapsize(env, std::size_t{4} << 30), "mdb_env_set_mapsize");
  LmdbCheck(mdb_env_set_maxreaders(env, 128), "mdb_env_set_maxreaders");
  LmdbCheck(mdb_env_open(env, folder.path().c_str(), env_flags, 0644), "mdb_env_open");
  MDB_dbi dbi = 0;
  {
    MDB_txn* txn = nullptr;
    LmdbCheck(mdb_txn_begin(env, nullptr, 0, &txn), "mdb_txn_begin");
    LmdbCheck(mdb_dbi_open(txn, nullptr, 0, &dbi), "mdb_dbi_open");
    LmdbCheck(mdb_txn_commit(txn), "mdb_txn_commit");
  }
  RunResult result = TimedThreads(
      threads, seconds, [&](std::uint32_t) { return 0; },
      [&](std::uint32_t t, int&, std::atomic<bool>& stop) {
        std::uint64_t n = 0;
        unsigned char payload[kPayloadBytes];
        while (!stop.load(std::memory_order_relaxed)) {
          // Big-endian key: ascending within a thread, like the other engines' integer keys.
          const std::uint32_t key = static_cast<std::uint32_t>(KeyOf(t, static_cast<std::uint32_t>(n)));
          const unsigned char key_bytes[4] = {static_cast<unsigned char>(key >> 24),
                                              static_cast<unsigned char>(key >> 16),
                                              static_cast<unsigned char>(key >> 8),
                                              static_cast<unsigned char>(key)};
          FillPayload(static_cast<std::int32_t>(key), payload);
          MDB_val mdb_key{sizeof(key_bytes), const_cast<unsigned char*>(key_bytes)};
          MDB_val mdb_value{kPayloadBytes, payload};
          MDB_txn* txn = nullptr;
          LmdbCheck(mdb_txn_begin(env, nullptr, 0, &txn), "mdb_txn_begin");
          const int rc = mdb_put(txn, dbi, &mdb_key, &mdb_value, 0);
          if (rc != MDB_SUCCESS) {
            mdb_txn_abort(txn);
            LmdbCheck(rc, "mdb_put");
          }
          LmdbCheck(mdb_txn_commit(txn), "mdb_txn_commit");
          ++n;
        }
        return n;
      });
  return result;
}

// --- log replay -----------------------------------------------------------------------------

// The checkpoint's (generation, offset in bytes) from edb.chk: the copy with the higher
// sequence among the two 64 KiB slots (docs/format/checkpoint.md).
std::pair<std::uint32_t, std::uint64_t> ReadCheckpoint(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw BenchFailure("cannot open " + path);
  std::uint64_t best_sequence = 0;
  std::pair<std::uint32_t, std::uint64_t> best{0, 0};
  for (std::uint32_t slot = 0; slot < 2; ++slot) {
    unsigned char header[192];
    file.clear();
    file.seekg(static_cast<std::streamoff>(slot) * 65536);
    if (!file.read(reinterpret_cast<char*>(header), sizeof(header))) continue;
    if (std::memcmp(header, "ESENTCHK", 8) != 0) continue;
    std::uint64_t sequence = 0;
    std::memcpy(&sequence, header + 24, sizeof(sequence));
    std::uint16_t byte = 0;
    std::uint16_t sector = 0;
    std::uint32_t generation = 0;
    std::memcpy(&byte, header + 76, 2);
    std::memcpy(&sector, header + 78, 2);
    std::memcpy(&generation, header + 80, 4);
    if (sequence > best_sequence) {
      best_sequence = sequence;
      best = {generation, std::uint64_t{sector} * 512 + byte};
    }
  }
  if (best_sequence == 0) throw BenchFailure("no checkpoint copy in " + path);
  return best;
}

// Generations of the archived logs edbXXXXX.log in `folder`.
std::vector<std::uint32_t> ArchivedGenerations(const std::string& folder) {
  std::vector<std::uint32_t> generations;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 7 && name.rfind("edb", 0) == 0 && name.substr(name.size() - 4) == ".log" &&
        name != "edb.log" && name.find("tmp") == std::string::npos) {
      const std::string hex = name.substr(3, name.size() - 7);
      generations.push_back(static_cast<std::uint32_t>(std::stoul(hex, nullptr, 16)));
    }
  }
  std::sort(generations.begin(), generations.end());
  return generations;
}

// Bytes the file system holds for `path` (st_blocks): the database grows by ftruncate, so
// pages never written occupy nothing; this shows how much of the database reached the file.
std::uint64_t AllocatedBytes(const std::string& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) throw BenchFailure("stat " + path);
  return static_cast<std::uint64_t>(status.st_blocks) * 512;
}

// fsyncs and drops every file of `folder` from the OS page cache.
void DropFromPageCache(const std::string& folder) {
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (!entry.is_regular_file()) continue;
    const int fd = ::open(entry.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    (void)::fdatasync(fd);
    (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
  }
}

struct ReplayResult {
  std::uint64_t rows = 0;
  std::uint64_t log_bytes = 0;
  std::uint32_t generations = 0;
  std::uint64_t database_bytes_at_stop = 0;
  std::uint64_t database_bytes_after = 0;
  double write_seconds = 0;
  double recovery_seconds = 0;
};

ReplayResult Replay(const std::string& parent, std::uint32_t target_mib) {
  TempFolder folder(parent);
  const std::string path = folder.path() + "/db.edb";
  const std::uint64_t target_bytes = std::uint64_t{target_mib} << 20;
  const std::uint64_t log_file_bytes = std::uint64_t{kLogFileKib} * 1024;
  const std::uint64_t cache_mib = 4096;           // holds the whole database: no eviction
  const std::uint64_t checkpoint_depth = 64ull << 30;  // no checkpoint while writing
  ReplayResult result;
  JET_INSTANCE instance = StartEsent(folder.path(), cache_mib, checkpoint_depth);
  const auto write_start = std::chrono::steady_clock::now();
  {
    JET_SESID session = 0;
    Check(JetBeginSession(instance, &session, "", ""), "JetBeginSession");
    CreateEsentSchema(session, path);
    Check(JetEndSession(session, 0), "JetEndSession");
    EsentCursor cursor(instance, path);
    std::uint32_t n = 0;
    // Stop right after the roll that completes the target: every archived generation is then
    // full and the current log holds at most the last transaction or two.
    for (;;) {
      Check(JetBeginTransaction(cursor.session), "JetBeginTransaction");
      for (std::uint32_t i = 0; i < 1000; ++i) cursor.Insert(static_cast<std::int32_t>(n++));
      Check(JetCommitTransaction(cursor.session, JET_bitCommitLazyFlush), "JetCommitTransaction");
      if (ArchivedGenerations(folder.path()).size() * log_file_bytes >= target_bytes) break;
    }
    result.rows = n;
    Check(JetCommitTransaction(cursor.session, JET_bitWaitAllLevel0Commit),
          "JetCommitTransaction(WaitAllLevel0Commit)");
  }
  result.write_seconds = Seconds(write_start);
  // A dirty stop reports JET_errDirtyShutdown: the databases are left as a crash leaves them.
  const JET_ERR term = JetTerm2(instance, JET_bitTermDirty);
  if (term != JET_errDirtyShutdown) Check(term, "JetTerm2(TermDirty)");
  result.database_bytes_at_stop = AllocatedBytes(path);

  const auto [checkpoint_generation, checkpoint_offset] =
      ReadCheckpoint(folder.path() + "/edb.chk");
  const auto archived = ArchivedGenerations(folder.path());
  for (std::uint32_t generation : archived) {
    if (generation < checkpoint_generation) continue;
    ++result.generations;
    result.log_bytes += log_file_bytes;
  }
  result.log_bytes -= std::min(result.log_bytes, checkpoint_offset);
  if (result.generations == 0) throw BenchFailure("no log generation to replay");

  DropFromPageCache(folder.path());
  const auto recovery_start = std::chrono::steady_clock::now();
  instance = StartEsent(folder.path(), cache_mib, 20u << 20);
  result.recovery_seconds = Seconds(recovery_start);

  // Every row must be back.
  {
    JET_SESID session = 0;
    Check(JetBeginSession(instance, &session, "", ""), "JetBeginSession");
    Check(JetAttachDatabaseA(session, path.c_str(), 0), "JetAttachDatabase(after recovery)");
    Check(JetEndSession(session, 0), "JetEndSession");
    EsentCursor cursor(instance, path);
    JET_UINT32 records = 0;
    Check(JetIndexRecordCount(cursor.session, cursor.table, &records, 0), "JetIndexRecordCount");
    if (records != result.rows) {
      throw BenchFailure("after recovery the table holds " + std::to_string(records) +
                         " rows, expected " + std::to_string(result.rows));
    }
  }
  Check(JetTerm2(instance, JET_bitTermComplete), "JetTerm2");
  result.database_bytes_after = AllocatedBytes(path);
  return result;
}

// --- driver ---------------------------------------------------------------------------------

struct Config {
  std::string name;
  std::string settings;
  std::function<RunResult(std::uint32_t threads)> run;
};

Options ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw BenchFailure("missing value after " + argument);
      return argv[++i];
    };
    if (argument == "--threads") {
      options.threads = bench::ParseList(value());
    } else if (argument == "--seconds") {
      options.seconds = std::stod(value());
    } else if (argument == "--repeat") {
      options.repeat = static_cast<std::uint32_t>(std::stoul(value()));
    } else if (argument == "--replay-mib") {
      options.replay_mib = static_cast<std::uint32_t>(std::stoul(value()));
    } else if (argument == "--replay-repeat") {
      options.replay_repeat = static_cast<std::uint32_t>(std::stoul(value()));
    } else if (argument == "--dir") {
      options.directory = value();
    } else if (argument == "--no-commit") {
      options.skip_commit = true;
    } else if (argument == "--no-replay") {
      options.skip_replay = true;
    } else if (argument == "--only") {
      options.only = value();
    } else {
      throw BenchFailure("unknown argument " + argument +
                         " (--threads 1,4,16 --seconds S --repeat N --replay-mib M "
                         "--replay-repeat N --dir PARENT --no-commit --no-replay --only NAME)");
    }
  }
  if (options.repeat == 0 || options.replay_repeat == 0 || options.threads.empty()) {
    throw BenchFailure("--repeat, --replay-repeat and --threads need positive values");
  }
  if (options.directory.empty()) options.directory = "/tmp";
  return options;
}

void RunCommits(const Options& options) {
  const std::vector<Config> configs = {
      {"libesent durable", "JetCommitTransaction(0)",
       [&](std::uint32_t t) { return EsentCommits(options.directory, t, options.seconds, false); }},
      {"libesent lazy", "JET_bitCommitLazyFlush",
       [&](std::uint32_t t) { return EsentCommits(options.directory, t, options.seconds, true); }},
      {"sqlite-full", "WAL, synchronous=FULL",
       [&](std::uint32_t t) { return SqliteCommits(options.directory, t, options.seconds, "FULL"); }},
      {"sqlite-normal", "WAL, synchronous=NORMAL",
       [&](std::uint32_t t) {
         return SqliteCommits(options.directory, t, options.seconds, "NORMAL");
       }},
      {"lmdb-sync", "default flags",
       [&](std::uint32_t t) { return LmdbCommits(options.directory, t, options.seconds, 0); }},
      {"lmdb-nometasync", "MDB_NOMETASYNC",
       [&](std::uint32_t t) {
         return LmdbCommits(options.directory, t, options.seconds, MDB_NOMETASYNC);
       }},
      {"lmdb-nosync", "MDB_NOSYNC",
       [&](std::uint32_t t) { return LmdbCommits(options.directory, t, options.seconds, MDB_NOSYNC); }},
  };
  // Repeats are interleaved (every configuration once, then again) so that a slow spell of the
  // shared disk touches all configurations alike rather than all the runs of one.
  // samples[config][thread index] = one RunResult per repeat.
  std::vector<std::vector<std::vector<RunResult>>> samples(
      configs.size(), std::vector<std::vector<RunResult>>(options.threads.size()));
  for (std::uint32_t r = 0; r < options.repeat; ++r) {
    for (std::size_t c = 0; c < configs.size(); ++c) {
      if (configs[c].name.find(options.only) == std::string::npos) continue;
      for (std::size_t t = 0; t < options.threads.size(); ++t) {
        const RunResult run = configs[c].run(options.threads[t]);
        samples[c][t].push_back(run);
        std::fprintf(stderr, "%-17s threads %2u run %u: %10.0f commits/s, %.3f syncs/commit\n",
                     configs[c].name.c_str(), options.threads[t], r + 1, run.commits_per_second,
                     run.syncs_per_commit);
      }
    }
  }
  // medians[config][thread index]; configurations left out by --only print as 0.
  std::vector<std::vector<RunResult>> medians(configs.size());
  for (std::size_t c = 0; c < configs.size(); ++c) {
    for (std::size_t t = 0; t < options.threads.size(); ++t) {
      std::vector<double> rates;
      std::vector<double> syncs;
      for (const RunResult& run : samples[c][t]) {
        rates.push_back(run.commits_per_second);
        syncs.push_back(run.syncs_per_commit);
      }
      medians[c].push_back(rates.empty() ? RunResult{}
                                         : RunResult{bench::UpperMedian(rates),
                                                     bench::UpperMedian(syncs)});
    }
  }

  std::printf("### Commit throughput (commits/s: median (min-max) of %u runs of %.1f s)\n\n",
              options.repeat, options.seconds);
  std::printf("| engine | setting |");
  for (std::uint32_t threads : options.threads) std::printf(" %u thread%s |", threads, threads == 1 ? "" : "s");
  std::printf("\n|---|---|");
  for (std::size_t i = 0; i < options.threads.size(); ++i) std::printf("---:|");
  std::printf("\n");
  for (std::size_t c = 0; c < configs.size(); ++c) {
    std::printf("| %s | %s |", configs[c].name.c_str(), configs[c].settings.c_str());
    for (std::size_t t = 0; t < options.threads.size(); ++t) {
      double low = 0;
      double high = 0;
      for (std::size_t i = 0; i < samples[c][t].size(); ++i) {
        const double rate = samples[c][t][i].commits_per_second;
        low = i == 0 ? rate : std::min(low, rate);
        high = i == 0 ? rate : std::max(high, rate);
      }
      std::printf(" %.0f (%.0f-%.0f) |", medians[c][t].commits_per_second, low, high);
    }
    std::printf("\n");
  }
  std::printf("\n### fsync + fdatasync + msync(MS_SYNC) calls per commit (median)\n\n");
  std::printf("| engine |");
  for (std::uint32_t threads : options.threads) std::printf(" %u thread%s |", threads, threads == 1 ? "" : "s");
  std::printf("\n|---|");
  for (std::size_t i = 0; i < options.threads.size(); ++i) std::printf("---:|");
  std::printf("\n");
  for (std::size_t c = 0; c < configs.size(); ++c) {
    std::printf("| %s |", configs[c].name.c_str());
    for (const RunResult& result : medians[c]) std::printf(" %.3f |", result.syncs_per_commit);
    std::printf("\n");
  }
  // Ratios: libesent durable against the durable peers, lazy against the lazy ones.
  const struct {
    std::size_t esent;
    std::size_t peer;
  } pairs[] = {{0, 2}, {0, 4}, {0, 5}, {1, 3}, {1, 6}};
  std::printf("\n### Ratios libesent / peer (commits/s; above 1 means libesent is faster)\n\n");
  std::printf("| ratio |");
  for (std::uint32_t threads : options.threads) std::printf(" %u thread%s |", threads, threads == 1 ? "" : "s");
  std::printf("\n|---|");
  for (std::size_t i = 0; i < options.threads.size(); ++i) std::printf("---:|");
  std::printf("\n");
  for (const auto& pair : pairs) {
    std::printf("| %s / %s |", configs[pair.esent].name.c_str(), configs[pair.peer].name.c_str());
    for (std::size_t i = 0; i < options.threads.size(); ++i) {
      std::printf(" %.2f |", medians[pair.esent][i].commits_per_second /
                                 medians[pair.peer][i].commits_per_second);
    }
    std::printf("\n");
  }
  std::printf("\n");
}

void RunReplay(const Options& options) {
  std::vector<ReplayResult> results;
  for (std::uint32_t r = 0; r < options.replay_repeat; ++r) {
    results.push_back(Replay(options.directory, options.replay_mib));
    const ReplayResult& last = results.back();
    std::fprintf(stderr,
                 "replay run %u: %llu rows, %u generations, %.1f MiB of log, recovery %.2f s\n",
                 r + 1, static_cast<unsigned long long>(last.rows), last.generations,
                 static_cast<double>(last.log_bytes) / 1048576.0, last.recovery_seconds);
  }
  std::sort(results.begin(), results.end(), [](const ReplayResult& a, const ReplayResult& b) {
    return a.recovery_seconds < b.recovery_seconds;
  });
  const ReplayResult& median = results[results.size() / 2];
  const double log_mib = static_cast<double>(median.log_bytes) / 1048576.0;
  std::printf("### Log replay (JetInit with recovery after JetTerm2(JET_bitTermDirty))\n\n");
  std::printf("| figure | value |\n|---|---:|\n");
  std::printf("| rows inserted (transactions of 1,000, lazy commits, one durable flush at the end) | %llu |\n",
              static_cast<unsigned long long>(median.rows));
  std::printf("| log generations replayed (5 MiB each) | %u |\n", median.generations);
  std::printf("| log replayed (MiB) | %.1f |\n", log_mib);
  std::printf("| database bytes on disk at the dirty stop (MiB, st_blocks) | %.1f |\n",
              static_cast<double>(median.database_bytes_at_stop) / 1048576.0);
  std::printf("| database bytes on disk after recovery and clean term (MiB) | %.1f |\n",
              static_cast<double>(median.database_bytes_after) / 1048576.0);
  std::printf("| time to write the log (s) | %.2f |\n", median.write_seconds);
  std::printf("| JetInit with recovery (s, median of %zu) | %.2f |\n", results.size(),
              median.recovery_seconds);
  std::printf("| **replay speed (MiB of log / s)** | **%.1f** |\n\n",
              log_mib / median.recovery_seconds);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options options = ParseOptions(argc, argv);
    int lmdb_major = 0;
    int lmdb_minor = 0;
    int lmdb_patch = 0;
    (void)mdb_version(&lmdb_major, &lmdb_minor, &lmdb_patch);
    std::printf("SQLite %s, LMDB %d.%d.%d\n\n", sqlite3_libversion(), lmdb_major, lmdb_minor,
                lmdb_patch);
    if (!options.skip_commit) RunCommits(options);
    if (!options.skip_replay) RunReplay(options);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "esent-bench-commit: %s\n", error.what());
    return 1;
  }
  return 0;
}
