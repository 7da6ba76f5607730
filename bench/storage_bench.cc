// esent-bench-storage: insert and point-lookup throughput of libesent beside SQLite, in one run,
// on one machine, with one workload.
//
// Workload (the same for every engine): a table of N rows, each a 4-byte integer key (the
// clustered primary key) and a 100-byte binary payload derived from the key. Phases, in order,
// for each cache size and each repetition, each engine in fresh files:
//   1. random insert: N rows in a seeded random key order, transactions of --txn-rows rows, then
//      the database is closed (libesent: JetCloseTable + JetDetachDatabase; SQLite:
//      sqlite3_close) so that every dirty page has been handed to the OS. The timing includes
//      the close.
//   2. sequential insert: the same into a second database in ascending key order, then closed.
//   3. point lookups: the sequential database reopened (engine cache cold, OS page cache warm);
//      N lookups of random existing keys, in transactions of --txn-rows lookups; every lookup
//      must find its row and the payload must match.
//   4. full scan: every row in key order, reading key and payload; must count N rows in order.
//
// Engines and durability (see docs/performance.md):
//   libesent      recovery off (there is no log yet): nothing is durable before detach.
//   sqlite-off    journal_mode=OFF, synchronous=OFF: the like-for-like setting.
//   sqlite-wal    journal_mode=WAL, synchronous=NORMAL: SQLite's usual setting, as a reference.
// Both engines use 4 KiB pages and the same cache size (JET_paramCacheSizeMax in pages vs
// PRAGMA cache_size in KiB).
//
// Output: a Markdown table of the median rows/s per phase and the ratio libesent / sqlite-off
// (and / sqlite-wal); --json prints the medians as JSON instead. Any engine error or a failed
// verification exits with status 1.
#include <esent.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_common.h"

namespace {

constexpr std::uint32_t kPayloadBytes = 100;

// A failure of an engine call or a verification: reported by main, which exits with status 1.
using bench::BenchFailure;
using bench::Check;
using bench::kPageSizeBytes;
using bench::Seconds;

struct Options {
  std::uint32_t rows = 1000000;
  std::uint32_t txn_rows = 1000;
  std::uint32_t repeat = 1;
  std::uint64_t seed = 20261122;
  std::vector<std::uint32_t> cache_mib = {64, 4};
  std::string directory;  // empty: a fresh mkdtemp folder under /tmp, removed at the end
  bool json = false;
  // The sqlite-wal reference row: run for these cache sizes only, this many times (its random
  // insert checkpoints and fsyncs after nearly every commit, so it dominates the run time).
  std::vector<std::uint32_t> wal_cache_mib = {64};
  std::uint32_t wal_repeat = 1;
};

// The 100-byte payload of `key`: the key's bytes, then bytes that depend on key and position.
void FillPayload(std::int32_t key, unsigned char* payload) {
  std::memcpy(payload, &key, sizeof(key));
  std::uint32_t state = static_cast<std::uint32_t>(key) * 2654435761u + 1u;
  for (std::uint32_t i = sizeof(key); i < kPayloadBytes; ++i) {
    state = state * 1103515245u + 12345u;
    payload[i] = static_cast<unsigned char>(state >> 24);
  }
}

std::vector<std::int32_t> Permutation(std::uint32_t rows, std::uint64_t seed) {
  std::vector<std::int32_t> keys(rows);
  std::iota(keys.begin(), keys.end(), 0);
  std::mt19937_64 generator(seed);
  std::shuffle(keys.begin(), keys.end(), generator);
  return keys;
}

// Seconds per phase for one engine in one repetition.
struct PhaseTimes {
  double random_insert = 0;
  double sequential_insert = 0;
  double lookup = 0;
  double scan = 0;
  std::uintmax_t sequential_file_bytes = 0;  // size of the sequentially loaded file, closed
};

// --- libesent -------------------------------------------------------------------------------

constexpr JET_TABLEID kNilTableid = ~JET_TABLEID{0};
constexpr std::int32_t kMoveFirst = INT32_MIN;
constexpr std::int32_t kMoveNext = 1;

class EsentBench {
 public:
  EsentBench(const std::string& folder, std::uint32_t cache_mib, const Options& options)
      : folder_(folder), options_(options) {
    // Global parameters are set before JetInit, while no instance runs; recovery is off.
    instance_ = bench::StartInstance(
        folder, {.name_prefix = "bench", .cache_mib = cache_mib, .recovery = false});
    Check(JetBeginSession(instance_, &session_, "", ""), "JetBeginSession");
  }

  ~EsentBench() {
    if (session_ != 0) (void)JetEndSession(session_, 0);
    if (instance_ != 0) (void)JetTerm2(instance_, JET_bitTermComplete);
  }

  EsentBench(const EsentBench&) = delete;
  EsentBench& operator=(const EsentBench&) = delete;

  double Insert(const std::string& file, const std::vector<std::int32_t>& keys) {
    const std::string path = folder_ + "/" + file;
    const auto start = std::chrono::steady_clock::now();
    JET_DBID dbid = 0;
    Check(JetCreateDatabaseA(session_, path.c_str(), nullptr, &dbid, 0), "JetCreateDatabase");
    JET_TABLEID tableid = kNilTableid;
    Check(JetCreateTableA(session_, dbid, "rows", 0, 100, &tableid), "JetCreateTable");
    JET_COLUMNDEF key_def{};
    key_def.cbStruct = sizeof(key_def);
    key_def.coltyp = JET_coltypLong;
    key_def.grbit = JET_bitColumnNotNULL;
    Check(JetAddColumnA(session_, tableid, "key", &key_def, nullptr, 0, &key_column_),
          "JetAddColumn(key)");
    JET_COLUMNDEF payload_def{};
    payload_def.cbStruct = sizeof(payload_def);
    payload_def.coltyp = JET_coltypBinary;
    payload_def.cbMax = 255;
    Check(JetAddColumnA(session_, tableid, "payload", &payload_def, nullptr, 0, &payload_column_),
          "JetAddColumn(payload)");
    static const char kKey[] = "+key\0";
    Check(JetCreateIndexA(session_, tableid, "primary", JET_bitIndexPrimary, kKey, sizeof(kKey),
                          100),
          "JetCreateIndex");
    unsigned char payload[kPayloadBytes];
    for (std::size_t first = 0; first < keys.size(); first += options_.txn_rows) {
      const std::size_t last = std::min(keys.size(), first + options_.txn_rows);
      Check(JetBeginTransaction(session_), "JetBeginTransaction");
      for (std::size_t i = first; i < last; ++i) {
        const std::int32_t key = keys[i];
        FillPayload(key, payload);
        Check(JetPrepareUpdate(session_, tableid, JET_prepInsert), "JetPrepareUpdate");
        Check(JetSetColumn(session_, tableid, key_column_, &key, sizeof(key), 0, nullptr),
              "JetSetColumn(key)");
        Check(JetSetColumn(session_, tableid, payload_column_, payload, kPayloadBytes, 0, nullptr),
              "JetSetColumn(payload)");
        Check(JetUpdate(session_, tableid, nullptr, 0, nullptr), "JetUpdate");
      }
      Check(JetCommitTransaction(session_, 0), "JetCommitTransaction");
    }
    Check(JetCloseTable(session_, tableid), "JetCloseTable");
    Check(JetCloseDatabase(session_, dbid, 0), "JetCloseDatabase");
    Check(JetDetachDatabaseA(session_, path.c_str()), "JetDetachDatabase");
    return Seconds(start);
  }

  std::uintmax_t FileBytes(const std::string& file) const {
    return std::filesystem::file_size(folder_ + "/" + file);
  }

  // Reopens `file` (made by Insert) for Lookup and Scan.
  void Open(const std::string& file) {
    open_path_ = folder_ + "/" + file;
    Check(JetAttachDatabaseA(session_, open_path_.c_str(), 0), "JetAttachDatabase");
    Check(JetOpenDatabaseA(session_, open_path_.c_str(), nullptr, &open_dbid_, 0),
          "JetOpenDatabase");
    Check(JetOpenTableA(session_, open_dbid_, "rows", nullptr, 0, 0, &open_tableid_),
          "JetOpenTable");
  }

  void Close() {
    Check(JetCloseTable(session_, open_tableid_), "JetCloseTable");
    Check(JetCloseDatabase(session_, open_dbid_, 0), "JetCloseDatabase");
    Check(JetDetachDatabaseA(session_, open_path_.c_str()), "JetDetachDatabase");
  }

  double Lookup(const std::vector<std::int32_t>& keys) {
    unsigned char expected[kPayloadBytes];
    unsigned char actual[kPayloadBytes + 8];
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t first = 0; first < keys.size(); first += options_.txn_rows) {
      const std::size_t last = std::min(keys.size(), first + options_.txn_rows);
      Check(JetBeginTransaction(session_), "JetBeginTransaction");
      for (std::size_t i = first; i < last; ++i) {
        const std::int32_t key = keys[i];
        Check(JetMakeKey(session_, open_tableid_, &key, sizeof(key), JET_bitNewKey), "JetMakeKey");
        Check(JetSeek(session_, open_tableid_, JET_bitSeekEQ), "JetSeek");
        JET_UINT32 size = 0;
        Check(JetRetrieveColumn(session_, open_tableid_, payload_column_, actual, sizeof(actual),
                                &size, 0, nullptr),
              "JetRetrieveColumn");
        FillPayload(key, expected);
        if (size != kPayloadBytes || std::memcmp(actual, expected, kPayloadBytes) != 0) {
          throw BenchFailure("libesent: wrong payload for key " + std::to_string(key));
        }
      }
      Check(JetCommitTransaction(session_, 0), "JetCommitTransaction");
    }
    return Seconds(start);
  }

  double Scan(std::uint32_t rows) {
    unsigned char payload[kPayloadBytes + 8];
    std::uint32_t count = 0;
    const auto start = std::chrono::steady_clock::now();
    Check(JetBeginTransaction(session_), "JetBeginTransaction");
    JET_ERR err = JetMove(session_, open_tableid_, kMoveFirst, 0);
    while (err >= JET_errSuccess) {
      std::int32_t key = -1;
      JET_UINT32 size = 0;
      Check(JetRetrieveColumn(session_, open_tableid_, key_column_, &key, sizeof(key), &size, 0,
                              nullptr),
            "JetRetrieveColumn(key)");
      Check(JetRetrieveColumn(session_, open_tableid_, payload_column_, payload, sizeof(payload),
                              &size, 0, nullptr),
            "JetRetrieveColumn(payload)");
      if (key != static_cast<std::int32_t>(count) || size != kPayloadBytes) {
        throw BenchFailure("libesent: scan found key " + std::to_string(key) + " at position " +
                           std::to_string(count));
      }
      ++count;
      err = JetMove(session_, open_tableid_, kMoveNext, 0);
    }
    if (err != JET_errNoCurrentRecord) Check(err, "JetMove");
    Check(JetCommitTransaction(session_, 0), "JetCommitTransaction");
    const double seconds = Seconds(start);
    if (count != rows) {
      throw BenchFailure("libesent: scan counted " + std::to_string(count) + " rows");
    }
    return seconds;
  }

 private:
  std::string folder_;
  const Options& options_;
  JET_INSTANCE instance_ = 0;
  JET_SESID session_ = 0;
  JET_COLUMNID key_column_ = 0;
  JET_COLUMNID payload_column_ = 0;
  std::string open_path_;
  JET_DBID open_dbid_ = 0;
  JET_TABLEID open_tableid_ = kNilTableid;
};

// --- SQLite ---------------------------------------------------------------------------------

class SqliteBench {
 public:
  SqliteBench(const std::string& folder, std::uint32_t cache_mib, bool wal, const Options& options)
      : folder_(folder), cache_mib_(cache_mib), wal_(wal), options_(options) {}

  ~SqliteBench() {
    Finalize();
    if (db_ != nullptr) sqlite3_close(db_);
  }

  SqliteBench(const SqliteBench&) = delete;
  SqliteBench& operator=(const SqliteBench&) = delete;

  double Insert(const std::string& file, const std::vector<std::int32_t>& keys) {
    const auto start = std::chrono::steady_clock::now();
    OpenConnection(file, /*create=*/true);
    Exec("CREATE TABLE rows(key INTEGER PRIMARY KEY, payload BLOB NOT NULL)");
    sqlite3_stmt* insert = Prepare("INSERT INTO rows(key, payload) VALUES(?1, ?2)");
    unsigned char payload[kPayloadBytes];
    for (std::size_t first = 0; first < keys.size(); first += options_.txn_rows) {
      const std::size_t last = std::min(keys.size(), first + options_.txn_rows);
      Exec("BEGIN");
      for (std::size_t i = first; i < last; ++i) {
        FillPayload(keys[i], payload);
        sqlite3_bind_int(insert, 1, keys[i]);
        sqlite3_bind_blob(insert, 2, payload, kPayloadBytes, SQLITE_STATIC);
        Step(insert, SQLITE_DONE, "INSERT");
        sqlite3_reset(insert);
      }
      Exec("COMMIT");
    }
    sqlite3_finalize(insert);
    CloseConnection();
    return Seconds(start);
  }

  std::uintmax_t FileBytes(const std::string& file) const {
    return std::filesystem::file_size(folder_ + "/" + file);
  }

  void Open(const std::string& file) {
    OpenConnection(file, /*create=*/false);
    select_ = Prepare("SELECT payload FROM rows WHERE key = ?1");
  }

  void Close() {
    Finalize();
    CloseConnection();
  }

  double Lookup(const std::vector<std::int32_t>& keys) {
    unsigned char expected[kPayloadBytes];
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t first = 0; first < keys.size(); first += options_.txn_rows) {
      const std::size_t last = std::min(keys.size(), first + options_.txn_rows);
      Exec("BEGIN");
      for (std::size_t i = first; i < last; ++i) {
        sqlite3_bind_int(select_, 1, keys[i]);
        Step(select_, SQLITE_ROW, "SELECT");
        const void* actual = sqlite3_column_blob(select_, 0);
        const int size = sqlite3_column_bytes(select_, 0);
        FillPayload(keys[i], expected);
        if (size != static_cast<int>(kPayloadBytes) ||
            std::memcmp(actual, expected, kPayloadBytes) != 0) {
          throw BenchFailure("sqlite: wrong payload for key " + std::to_string(keys[i]));
        }
        sqlite3_reset(select_);
      }
      Exec("COMMIT");
    }
    return Seconds(start);
  }

  double Scan(std::uint32_t rows) {
    std::uint32_t count = 0;
    const auto start = std::chrono::steady_clock::now();
    Exec("BEGIN");
    sqlite3_stmt* scan = Prepare("SELECT key, payload FROM rows ORDER BY key");
    int rc = sqlite3_step(scan);
    while (rc == SQLITE_ROW) {
      const std::int32_t key = sqlite3_column_int(scan, 0);
      (void)sqlite3_column_blob(scan, 1);
      const int size = sqlite3_column_bytes(scan, 1);
      if (key != static_cast<std::int32_t>(count) || size != static_cast<int>(kPayloadBytes)) {
        throw BenchFailure("sqlite: scan found key " + std::to_string(key) + " at position " +
                           std::to_string(count));
      }
      ++count;
      rc = sqlite3_step(scan);
    }
    if (rc != SQLITE_DONE) Fail("scan step");
    sqlite3_finalize(scan);
    Exec("COMMIT");
    const double seconds = Seconds(start);
    if (count != rows) throw BenchFailure("sqlite: scan counted " + std::to_string(count) + " rows");
    return seconds;
  }

 private:
  [[noreturn]] void Fail(const std::string& what) {
    throw BenchFailure("sqlite: " + what + ": " + (db_ ? sqlite3_errmsg(db_) : "no connection"));
  }

  void OpenConnection(const std::string& file, bool create) {
    const std::string path = folder_ + "/" + file;
    const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) Fail("open " + path);
    Exec("PRAGMA page_size=" + std::to_string(kPageSizeBytes));
    Exec("PRAGMA cache_size=-" + std::to_string(std::uint64_t{cache_mib_} * 1024));
    if (wal_) {
      Exec("PRAGMA journal_mode=WAL");
      Exec("PRAGMA synchronous=NORMAL");
    } else {
      Exec("PRAGMA journal_mode=OFF");
      Exec("PRAGMA synchronous=OFF");
    }
  }

  void CloseConnection() {
    if (sqlite3_close(db_) != SQLITE_OK) Fail("close");
    db_ = nullptr;
  }

  void Finalize() {
    if (select_ != nullptr) sqlite3_finalize(select_);
    select_ = nullptr;
  }

  void Exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      const std::string text = message ? message : "?";
      sqlite3_free(message);
      throw BenchFailure("sqlite: " + sql + ": " + text);
    }
  }

  sqlite3_stmt* Prepare(const char* sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &statement, nullptr) != SQLITE_OK) Fail(sql);
    return statement;
  }

  void Step(sqlite3_stmt* statement, int expected, const char* what) {
    const int rc = sqlite3_step(statement);
    if (rc != expected) Fail(std::string(what) + " step returned " + std::to_string(rc));
  }

  std::string folder_;
  std::uint32_t cache_mib_;
  bool wal_;
  const Options& options_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* select_ = nullptr;
};

// --- driver ---------------------------------------------------------------------------------

// Runs the four phases on one engine in `folder` (which must be empty).
template <typename Engine>
PhaseTimes RunPhases(Engine& engine, std::uint32_t rows, const std::vector<std::int32_t>& random_keys,
                     const std::vector<std::int32_t>& sequential_keys,
                     const std::vector<std::int32_t>& lookup_keys) {
  PhaseTimes times;
  times.random_insert = engine.Insert("random.db", random_keys);
  times.sequential_insert = engine.Insert("sequential.db", sequential_keys);
  times.sequential_file_bytes = engine.FileBytes("sequential.db");
  engine.Open("sequential.db");
  times.lookup = engine.Lookup(lookup_keys);
  times.scan = engine.Scan(rows);
  engine.Close();
  return times;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

const char* const kPhaseNames[] = {"sequential insert", "random insert", "point lookup",
                                   "full scan"};

double PhaseSeconds(const PhaseTimes& times, int phase) {
  switch (phase) {
    case 0: return times.sequential_insert;
    case 1: return times.random_insert;
    case 2: return times.lookup;
    default: return times.scan;
  }
}

[[noreturn]] void Usage(const char* program) {
  std::fprintf(stderr,
               "usage: %s [--rows N] [--txn-rows N] [--repeat N] [--seed N] [--cache-mib A,B,...]\n"
               "          [--wal-cache-mib A,B,...] [--wal-repeat N] [--dir PATH] [--json]\n"
               "  --wal-cache-mib '' (empty) leaves out the sqlite-wal reference row\n",
               program);
  std::exit(2);
}

// "64,4" -> {64, 4}; "" -> {}. Throws std::logic_error on a malformed number.
std::vector<std::uint32_t> ParseList(const std::string& list) {
  std::vector<std::uint32_t> values;
  for (std::size_t begin = 0; begin < list.size();) {
    std::size_t end = list.find(',', begin);
    if (end == std::string::npos) end = list.size();
    values.push_back(static_cast<std::uint32_t>(std::stoul(list.substr(begin, end - begin))));
    begin = end + 1;
  }
  return values;
}

Options ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) Usage(argv[0]);
      return argv[++i];
    };
    try {
      if (argument == "--rows") {
        options.rows = static_cast<std::uint32_t>(std::stoul(value()));
      } else if (argument == "--txn-rows") {
        options.txn_rows = static_cast<std::uint32_t>(std::stoul(value()));
      } else if (argument == "--repeat") {
        options.repeat = static_cast<std::uint32_t>(std::stoul(value()));
      } else if (argument == "--seed") {
        options.seed = std::stoull(value());
      } else if (argument == "--cache-mib") {
        options.cache_mib = ParseList(value());
      } else if (argument == "--wal-cache-mib") {
        options.wal_cache_mib = ParseList(value());
      } else if (argument == "--wal-repeat") {
        options.wal_repeat = static_cast<std::uint32_t>(std::stoul(value()));
      } else if (argument == "--dir") {
        options.directory = value();
      } else if (argument == "--json") {
        options.json = true;
      } else {
        Usage(argv[0]);
      }
    } catch (const std::logic_error&) {
      Usage(argv[0]);
    }
  }
  if (options.rows == 0 || options.txn_rows == 0 || options.repeat == 0 || options.wal_repeat == 0 ||
      options.cache_mib.empty() || options.rows > INT32_MAX) {
    Usage(argv[0]);
  }
  return options;
}

struct EngineResult {
  std::string name;
  std::vector<PhaseTimes> runs;
  double MedianRowsPerSecond(int phase, std::uint32_t rows) const {
    std::vector<double> rates;
    for (const PhaseTimes& run : runs) rates.push_back(rows / PhaseSeconds(run, phase));
    return Median(rates);
  }
  double MedianFileMib() const {
    std::vector<double> sizes;
    for (const PhaseTimes& run : runs) {
      sizes.push_back(static_cast<double>(run.sequential_file_bytes) / (1024.0 * 1024.0));
    }
    return Median(sizes);
  }
};

void PrintMarkdown(const Options& options, std::uint32_t cache_mib,
                   const std::vector<EngineResult>& results) {
  std::printf("\n### Cache %u MiB, %u rows\n\n", cache_mib, options.rows);
  std::printf("| workload | libesent rows/s | sqlite-off rows/s | libesent / sqlite-off |");
  if (results.size() > 2) std::printf(" sqlite-wal rows/s | libesent / sqlite-wal |");
  std::printf("\n|---|---:|---:|---:|%s\n", results.size() > 2 ? "---:|---:|" : "");
  for (int phase = 0; phase < 4; ++phase) {
    const double esent = results[0].MedianRowsPerSecond(phase, options.rows);
    const double off = results[1].MedianRowsPerSecond(phase, options.rows);
    std::printf("| %s | %.0f | %.0f | %.2f |", kPhaseNames[phase], esent, off, esent / off);
    if (results.size() > 2) {
      const double wal = results[2].MedianRowsPerSecond(phase, options.rows);
      std::printf(" %.0f | %.2f |", wal, esent / wal);
    }
    std::printf("\n");
  }
  std::printf("| file size after load (MiB) | %.1f | %.1f | %.2f |",
              results[0].MedianFileMib(), results[1].MedianFileMib(),
              results[0].MedianFileMib() / results[1].MedianFileMib());
  if (results.size() > 2) {
    std::printf(" %.1f | %.2f |", results[2].MedianFileMib(),
                results[0].MedianFileMib() / results[2].MedianFileMib());
  }
  std::printf("\n\nMedians of");
  for (const EngineResult& result : results) {
    std::printf(" %zu %s run(s)%s", result.runs.size(), result.name.c_str(),
                &result == &results.back() ? "." : ",");
  }
  std::printf("\n");
  std::fflush(stdout);
}

void PrintJson(const Options& options,
               const std::vector<std::pair<std::uint32_t, std::vector<EngineResult>>>& all) {
  std::printf("{\"rows\": %u, \"txn_rows\": %u, \"repeat\": %u, \"seed\": %llu, \"caches\": [",
              options.rows, options.txn_rows, options.repeat,
              static_cast<unsigned long long>(options.seed));
  for (std::size_t c = 0; c < all.size(); ++c) {
    std::printf("%s{\"cache_mib\": %u, \"engines\": {", c ? ", " : "", all[c].first);
    for (std::size_t e = 0; e < all[c].second.size(); ++e) {
      const EngineResult& result = all[c].second[e];
      std::printf("%s\"%s\": {", e ? ", " : "", result.name.c_str());
      for (int phase = 0; phase < 4; ++phase) {
        std::printf("%s\"%s\": %.0f", phase ? ", " : "", kPhaseNames[phase],
                    result.MedianRowsPerSecond(phase, options.rows));
      }
      std::printf(", \"file_mib\": %.1f, \"runs\": %zu}", result.MedianFileMib(),
                  result.runs.size());
    }
    std::printf("}}");
  }
  std::printf("]}\n");
}

std::string MakeFolder(const std::string& parent, const std::string& name) {
  const std::string folder = parent + "/" + name;
  std::filesystem::create_directories(folder);
  return folder;
}

int Run(const Options& options) {
  std::string root = options.directory;
  bool remove_root = false;
  if (root.empty()) {
    char pattern[] = "/tmp/esent-bench-XXXXXX";
    if (mkdtemp(pattern) == nullptr) throw BenchFailure("mkdtemp failed");
    root = pattern;
    remove_root = true;
  }
  std::vector<std::int32_t> sequential_keys(options.rows);
  std::iota(sequential_keys.begin(), sequential_keys.end(), 0);
  const std::vector<std::int32_t> random_keys = Permutation(options.rows, options.seed);
  const std::vector<std::int32_t> lookup_keys = Permutation(options.rows, options.seed + 1);

  if (!options.json) {
    std::printf("esent-bench-storage: %u rows (4-byte key + %u-byte payload), transactions of "
                "%u, %u repetition(s), SQLite %s, folder %s\n",
                options.rows, kPayloadBytes, options.txn_rows, options.repeat,
                sqlite3_libversion(), root.c_str());
  }
  std::vector<std::pair<std::uint32_t, std::vector<EngineResult>>> all;
  int run_number = 0;
  for (std::uint32_t cache_mib : options.cache_mib) {
    std::vector<EngineResult> results = {{"libesent", {}}, {"sqlite-off", {}}};
    if (std::count(options.wal_cache_mib.begin(), options.wal_cache_mib.end(), cache_mib) > 0) {
      results.push_back({"sqlite-wal", {}});
    }
    const std::uint32_t repetitions = std::max(options.repeat, options.wal_repeat);
    for (std::uint32_t repetition = 0; repetition < repetitions; ++repetition) {
      for (EngineResult& result : results) {
        const std::uint32_t wanted =
            result.name == "sqlite-wal" ? options.wal_repeat : options.repeat;
        if (repetition >= wanted) continue;
        const std::string folder =
            MakeFolder(root, result.name + "-" + std::to_string(run_number++));
        PhaseTimes times;
        if (result.name == "libesent") {
          EsentBench engine(folder, cache_mib, options);
          times = RunPhases(engine, options.rows, random_keys, sequential_keys, lookup_keys);
        } else {
          SqliteBench engine(folder, cache_mib, result.name == "sqlite-wal", options);
          times = RunPhases(engine, options.rows, random_keys, sequential_keys, lookup_keys);
        }
        result.runs.push_back(times);
        std::filesystem::remove_all(folder);
        std::fprintf(stderr,
                     "  cache %u MiB run %u %-10s seq %.2fs  random %.2fs  lookup %.2fs  "
                     "scan %.2fs  file %.1f MiB\n",
                     cache_mib, repetition + 1, result.name.c_str(), times.sequential_insert,
                     times.random_insert, times.lookup, times.scan,
                     static_cast<double>(times.sequential_file_bytes) / (1024.0 * 1024.0));
      }
    }
    if (!options.json) PrintMarkdown(options, cache_mib, results);
    all.emplace_back(cache_mib, std::move(results));
  }
  if (options.json) PrintJson(options, all);
  if (remove_root) std::filesystem::remove_all(root);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = ParseOptions(argc, argv);
  try {
    return Run(options);
  } catch (const BenchFailure& failure) {
    std::fprintf(stderr, "esent-bench-storage: FAILED: %s\n", failure.what());
  } catch (const std::exception& exception) {
    std::fprintf(stderr, "esent-bench-storage: FAILED: %s\n", exception.what());
  }
  return 1;
}
