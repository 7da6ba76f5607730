// Database: one database file opened by an instance — the file (header, space, cached pages)
// and the catalog of its tables.
//
// The catalog is a B+tree whose root page number is kept in the database header. Its entries:
//   "T" + upper-cased table name          → table record (object id, roots, sizes, name)
//   "C" + object id (4 BE) + column id (4 BE) → column definition
//   "I" + object id (4 BE) + index id (4 BE)  → index definition and its tree's root
// (byte formats: docs/format/catalog.md). Table, column and index names compare
// case-insensitively (ASCII), as in ESE.
//
// Lifecycle: create() or open() → any number of table operations → close(). close() flushes
// every page and marks the header CleanShutdown; a database that is destroyed without close()
// (or whose close failed) stays DirtyShutdown on disk and the next open() reports
// kDatabaseDirtyShutdown: it needs crash recovery.
//
// Crash recovery: open_for_recovery() (the file opens recovering: any state, space maps not
// loaded) → redo through file().get_for_redo() → finish_recovery() (space maps and the next
// object id rebuilt from what the trees reach) → the database is an ordinary read-write open
// (undo of unfinished transactions, then close()). Before finish_recovery, table operations
// that allocate or free pages fail with kInternalError.
//
// Thread-safety: every method may be called from any thread. `schema_mutex_` serialises
// schema changes and the table map; table data has its own latch (Table::latch()).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "cache/buffer_cache.h"
#include "cache/database_file.h"
#include "catalog/record_log.h"
#include "catalog/table.h"
#include "io/file_system.h"
#include "txn/manager.h"
#include "util/status.h"

namespace esent::catalog {

struct DatabaseOptions {
  std::uint32_t page_size = 4096;
  std::uint32_t max_pages = 0;  // 0: unlimited
  bool overwrite = false;       // create: replace an existing file
  bool read_only = false;       // open: no writes at all
  // The write-ahead log of the database's instance (both null: nothing is logged, e.g. the
  // temporary database). Must outlive the Database.
  btree::ChangeLog* change_log = nullptr;
  RecordLog* record_log = nullptr;
  // open, writable: cache::OpenOptions::before_dirty_header (runs before the first write).
  std::function<Status()> before_first_write;
};

// What the checker found.
struct CheckReport {
  std::uint64_t pages = 0;
  std::uint64_t free_pages = 0;
  std::uint64_t tables = 0;
  std::uint64_t trees = 0;
  std::uint64_t records = 0;
  int primary_depth_max = 0;
};

class Database {
 public:
  // Errors: kDatabaseDuplicate (exists and not overwrite), kInvalidPath, kFileAccessDenied,
  // kDiskFull, kDiskIO.
  static Result<std::shared_ptr<Database>> create(io::FileSystem& file_system,
                                                  cache::BufferCache& cache,
                                                  const std::string& path,
                                                  const DatabaseOptions& options);
  // Errors: kFileNotFound, kInvalidPath, kFileAccessDenied (locked by another instance or
  // process), kDatabaseDirtyShutdown, kPageSizeMismatch, kDatabaseCorrupted, kInvalidDatabase.
  static Result<std::shared_ptr<Database>> open(io::FileSystem& file_system,
                                                cache::BufferCache& cache,
                                                const std::string& path,
                                                const DatabaseOptions& options);

  // Crash recovery (see above). Errors: those of open(), except kDatabaseDirtyShutdown;
  // kInvalidParameter with read_only.
  static Result<std::shared_ptr<Database>> open_for_recovery(io::FileSystem& file_system,
                                                             cache::BufferCache& cache,
                                                             const std::string& path,
                                                             const DatabaseOptions& options);
  // After redo: walks the catalog tree and every table's trees (primary, long values, every
  // index) with btree::check_tree, rebuilds the space maps so that exactly the pages they own
  // are in use (cache::DatabaseFile::rebuild_space), and raises the header's next_object_id
  // above every object id found. A tree that does not verify, or a page owned twice →
  // kDatabaseCorrupted (the database stays recovering). Only once, on a database from
  // open_for_recovery (else kInternalError).
  Status finish_recovery();

  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Flushes and marks the database clean. The object must not be used afterwards.
  Status close();
  // Drops the database without flushing, as a crash would (JET_bitTermDirty); the header stays
  // DirtyShutdown.
  void abandon();

  const std::string& path() const { return path_; }
  bool read_only() const { return read_only_; }
  cache::DatabaseFile& file() { return *file_; }
  // The instance's transaction manager (version-store budget); null outside an instance.
  void set_transaction_manager(txn::Manager* manager) { transaction_manager_ = manager; }
  txn::Manager* transaction_manager() const { return transaction_manager_; }
  // The logs every tree change and record change go through (null without a log).
  btree::ChangeLog* change_log() const { return change_log_; }
  RecordLog* record_log() const { return record_log_; }
  // Recovery opens a database without logs (redo must not log) and gives it its logs before
  // it undoes unfinished transactions. No tree operation may be running.
  void set_logs(btree::ChangeLog* change_log, RecordLog* record_log) {
    change_log_ = change_log;
    record_log_ = record_log;
  }
  // The table whose object id is `object_id` (kObjectNotFound).
  Result<std::shared_ptr<Table>> table_by_object_id(std::uint32_t object_id);
  std::uint32_t page_size() const;

  // Tables. create_table fills the ids in `definition` and returns the table.
  // Errors: kTableDuplicate, kInvalidName, the column and index validation errors.
  Result<std::shared_ptr<Table>> create_table(TableDef& definition);
  Status delete_table(std::string_view name);  // kObjectNotFound, kTableInUse
  // JetDeleteTable in steps a transaction can take back: unlink_table takes the table out of
  // the catalog (kObjectNotFound, kTableInUse) and returns it with its trees intact;
  // relink_table puts it back; destroy_trees frees its pages for good.
  Result<std::shared_ptr<Table>> unlink_table(std::string_view name);
  Status relink_table(std::shared_ptr<Table> table);
  Status destroy_trees(const TableSchema& schema);
  bool closed() const { return closed_; }
  Result<std::shared_ptr<Table>> open_table(std::string_view name);  // kObjectNotFound
  Result<std::vector<std::string>> table_names();

  // Persists a table's new schema (after a column or index change).
  Status store_schema(const TableSchema& schema, const TableSchema* previous);

  // Walks every tree and the free space: every page is owned by exactly one tree or free,
  // every tree passes btree::check_tree, every record decodes. kDatabaseCorrupted otherwise.
  // For a quiescent database: with versions alive (a transaction open somewhere), flag-deleted
  // records and the index entries of older images are reported as damage.
  Result<CheckReport> check();

  std::uint32_t allocate_object_id();

 private:
  // Every tree the catalog names, checked (btree::check_tree) and its pages collected.
  struct TreeWalk {
    std::vector<page::Pgno> pages;  // every page some tree owns (a page twice: corruption)
    std::uint32_t largest_object_id = 0;
    std::uint64_t trees = 0;
    std::vector<std::shared_ptr<const TableSchema>> tables;
    std::vector<btree::TreeStats> primary;              // per table
    std::vector<std::vector<btree::TreeStats>> indexes;  // per table, per index (none: {})
  };
  Database(std::string path, bool read_only, std::unique_ptr<cache::DatabaseFile> file);
  // schema_mutex_ held. Errors of check_tree and of decoding the catalog.
  Result<TreeWalk> walk_trees();
  Status store_schema_locked(const TableSchema& schema, const TableSchema* previous);
  btree::Tree catalog_tree();
  Result<std::shared_ptr<const TableSchema>> load_schema(std::string_view name);

  const std::string path_;
  const bool read_only_;
  std::unique_ptr<cache::DatabaseFile> file_;
  page::Pgno catalog_root_ = page::kNoPage;
  btree::ChangeLog* change_log_ = nullptr;
  RecordLog* record_log_ = nullptr;

  std::mutex schema_mutex_;
  txn::Manager* transaction_manager_ = nullptr;
  std::map<std::string, std::shared_ptr<Table>> tables_;  // by upper-cased name
  bool closed_ = false;
};

}  // namespace esent::catalog
