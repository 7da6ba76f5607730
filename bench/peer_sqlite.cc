// SQLite as a peer of esent-bench-peers (bench/peer.h): one database file in WAL mode, 4 KiB
// pages, table rows(key INTEGER PRIMARY KEY, payload BLOB). Writers each open their own
// connection and commit one INSERT per transaction with synchronous=FULL (the WAL is synced at
// every commit). Backups, each from a connection of its own:
//   - the online backup API, sqlite3_backup_step(N pages) in a loop as its documentation shows
//     (without the sleep between steps): when another connection writes to the source between
//     two steps, the next step starts the copy over from page 1. The bench counts those
//     restarts (the copied page count went back) and gives up after give_up_seconds;
//   - the same API with sqlite3_backup_step(-1): every page in one step, in one read
//     transaction, which a writer cannot restart;
//   - VACUUM INTO a new file (a compacted copy, in one read transaction).
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "peer.h"

namespace bench::peers {
namespace {

void SqliteCheck(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    throw BenchFailure(std::string("sqlite: ") + what + ": " +
                       (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
  }
}

sqlite3* Open(const std::string& path) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open(path.c_str(), &db);
  if (rc != SQLITE_OK) {
    sqlite3_close(db);
    throw BenchFailure("sqlite3_open " + path);
  }
  sqlite3_busy_timeout(db, 60000);
  return db;
}

void Exec(sqlite3* db, const std::string& sql) {
  SqliteCheck(db, sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), sql.c_str());
}

// One connection and its prepared INSERT.
class Connection {
 public:
  Connection(const std::string& path, const char* synchronous) : db_(Open(path)) {
    Exec(db_, "PRAGMA journal_mode=WAL");
    Exec(db_, std::string("PRAGMA synchronous=") + synchronous);
    SqliteCheck(db_,
                sqlite3_prepare_v2(db_, "INSERT INTO rows(key, payload) VALUES (?, ?)", -1,
                                   &insert_, nullptr),
                "prepare INSERT");
  }
  ~Connection() {
    sqlite3_finalize(insert_);
    sqlite3_close(db_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void Insert(std::int32_t key, const unsigned char* payload, std::uint32_t bytes) {
    sqlite3_bind_int(insert_, 1, key);
    sqlite3_bind_blob(insert_, 2, payload, static_cast<int>(bytes), SQLITE_STATIC);
    SqliteCheck(db_, sqlite3_step(insert_), "INSERT");
    sqlite3_reset(insert_);
  }
  sqlite3* db() { return db_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* insert_ = nullptr;
};

class SqliteCommitter : public Committer {
 public:
  explicit SqliteCommitter(const std::string& path) : connection_(path, "FULL") {}
  void Commit(std::int32_t key, const unsigned char* payload, std::uint32_t bytes) override {
    Exec(connection_.db(), "BEGIN IMMEDIATE");
    connection_.Insert(key, payload, bytes);
    Exec(connection_.db(), "COMMIT");
  }

 private:
  Connection connection_;
};

// The online backup API into destination/db.sqlite, `step_pages` pages per step (-1: all).
BackupResult BackupApi(const std::string& source_path, const std::string& destination,
                       int step_pages, double give_up_seconds) {
  sqlite3* source = Open(source_path);
  sqlite3* target = Open(destination + "/db.sqlite");
  BackupResult result;
  sqlite3_backup* backup = sqlite3_backup_init(target, "main", source, "main");
  if (backup == nullptr) {
    const std::string message = sqlite3_errmsg(target);
    sqlite3_close(target);
    sqlite3_close(source);
    throw BenchFailure("sqlite3_backup_init: " + message);
  }
  const auto start = std::chrono::steady_clock::now();
  int done_before = 0;
  int rc = SQLITE_OK;
  for (;;) {
    rc = sqlite3_backup_step(backup, step_pages);
    if (rc == SQLITE_DONE) break;
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    } else if (rc != SQLITE_OK) {
      break;
    }
    // Pages copied so far: the step copies pages from 1 up, so a count that did not grow means
    // the source changed and the copy started over.
    const int done = sqlite3_backup_pagecount(backup) - sqlite3_backup_remaining(backup);
    if (rc == SQLITE_OK && done <= done_before) ++result.restarts;
    done_before = done;
    if (Seconds(start) > give_up_seconds) {
      result.finished = false;
      break;
    }
  }
  const int finish_rc = sqlite3_backup_finish(backup);
  const std::string message = sqlite3_errmsg(target);
  sqlite3_close(target);
  sqlite3_close(source);
  if (result.finished && (rc != SQLITE_DONE || finish_rc != SQLITE_OK)) {
    throw BenchFailure("sqlite3_backup_step: " + message);
  }
  return result;
}

constexpr const char* kChecked = "`PRAGMA quick_check` of the copy, and `SELECT count(*)` at least the rows built";

// A copy that did not finish (gave up) is not checked: it holds no usable database.
void CheckCopy(const std::string& destination, std::uint64_t rows) {
  sqlite3* db = Open(destination + "/db.sqlite");
  std::string verdict;
  std::int64_t count = -1;
  const auto query = [db](const char* sql, auto&& on_row) {
    sqlite3_stmt* statement = nullptr;
    SqliteCheck(db, sqlite3_prepare_v2(db, sql, -1, &statement, nullptr), sql);
    while (sqlite3_step(statement) == SQLITE_ROW) on_row(statement);
    sqlite3_finalize(statement);
  };
  query("PRAGMA quick_check", [&](sqlite3_stmt* s) {
    verdict = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  });
  query("SELECT count(*) FROM rows", [&](sqlite3_stmt* s) { count = sqlite3_column_int64(s, 0); });
  sqlite3_close(db);
  if (verdict != "ok" || count < static_cast<std::int64_t>(rows)) {
    throw BenchFailure("sqlite: the copy in " + destination + " fails its check (quick_check: " +
                       verdict + ", rows: " + std::to_string(count) + ")");
  }
}

class SqlitePeer : public Peer {
 public:
  SqlitePeer(const std::string& folder, int step_pages)
      : folder_(folder), path_(folder + "/db.sqlite"), step_pages_(step_pages) {}

  std::string Name() const override { return "sqlite"; }
  std::string Version() const override { return std::string("SQLite ") + sqlite3_libversion(); }
  std::string DurableCommit() const override {
    return "`journal_mode=WAL`, `synchronous=FULL`: `BEGIN IMMEDIATE; INSERT; COMMIT`, the WAL "
           "fsync'd at every commit (one connection per writer thread)";
  }
  std::string DataFolder() const override { return folder_; }

  void Build(std::uint64_t rows) override {
    sqlite3* db = Open(path_);
    try {
      Exec(db, "PRAGMA page_size=4096");
      Exec(db, "PRAGMA journal_mode=WAL");
      Exec(db, "CREATE TABLE rows(key INTEGER PRIMARY KEY, payload BLOB)");
      sqlite3_close(db);
      db = nullptr;
      Connection connection(path_, "NORMAL");
      std::vector<unsigned char> payload(kRowPayloadBytes);
      std::uint64_t n = 0;
      while (n < rows) {
        Exec(connection.db(), "BEGIN");
        for (std::uint32_t i = 0; i < kRowsPerBuildTransaction && n < rows; ++i, ++n) {
          FillPayload(static_cast<std::int32_t>(n), payload.data(), kRowPayloadBytes);
          connection.Insert(static_cast<std::int32_t>(n), payload.data(), kRowPayloadBytes);
        }
        Exec(connection.db(), "COMMIT");
      }
      // Every page in the database file, the WAL emptied: the state a backup starts from.
      Exec(connection.db(), "PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (...) {
      if (db != nullptr) sqlite3_close(db);
      throw;
    }
  }

  std::unique_ptr<Committer> NewCommitter() override {
    return std::make_unique<SqliteCommitter>(path_);
  }

  std::vector<BackupMethod> Methods() override {
    return {
        {"sqlite3_backup_step(" + std::to_string(step_pages_) + ")",
         "sqlite step(" + std::to_string(step_pages_) + ")",
         [this](const std::string& destination, double give_up_seconds) {
           return BackupApi(path_, destination, step_pages_, give_up_seconds);
         },
         CheckCopy, kChecked},
        {"sqlite3_backup_step(-1)", "sqlite step(-1)",
         [this](const std::string& destination, double give_up_seconds) {
           return BackupApi(path_, destination, -1, give_up_seconds);
         },
         CheckCopy, kChecked},
        {"VACUUM INTO", "sqlite VACUUM INTO",
         [this](const std::string& destination, double) {
           sqlite3* db = Open(path_);
           try {
             Exec(db, "VACUUM INTO '" + destination + "/db.sqlite'");
           } catch (...) {
             sqlite3_close(db);
             throw;
           }
           sqlite3_close(db);
           return BackupResult{};
         },
         CheckCopy, kChecked},
    };
  }

 private:
  std::string folder_;
  std::string path_;
  int step_pages_;
};

}  // namespace

std::unique_ptr<Peer> MakeSqlitePeer(const std::string& folder, int step_pages) {
  return std::make_unique<SqlitePeer>(folder, step_pages);
}

}  // namespace bench::peers
