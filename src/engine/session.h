// Session: one client's thread of work inside an instance (JET_SESID).
//
// Lifetime: created by Registry::begin_session, ended by Registry::end_session or when its
// instance terminates; after either its handle is stale. Ending a session rolls back its open
// transaction and closes its tables and databases.
//
// Transactions (single-session semantics until the version store exists): a session has a
// level 0..7. Every record change made at level >= 1 is remembered in the undo list with the
// level it was made at; JetRollback undoes the changes of the innermost level, newest first;
// JetCommitTransaction of an inner level hands its changes to the level below; committing level 1
// forgets them. Changes made at level 0 are immediately final (ESE's implicit transaction).
//
// Thread-safety: ESE requires that a session is used by one thread at a time; `mutex_` guards
// the bookkeeping so that a misbehaving client cannot corrupt it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "catalog/cursor.h"
#include "catalog/database.h"
#include "util/status.h"

namespace esent::engine {

class Instance;

inline constexpr int kMaxTransactionLevel = 7;

// A JET_TABLEID: a cursor opened by a session on a table of an open database.
struct TableCursor {
  std::uint64_t session_handle = 0;
  std::uint32_t dbid = 0;
  std::shared_ptr<catalog::Database> database;
  std::unique_ptr<catalog::Cursor> cursor;
  // Runs once, when the handle's last reference goes (JetCloseTable, session end, JetTerm),
  // after the cursor is closed: a temporary list table deletes itself here. May be empty;
  // must not throw.
  std::function<void()> on_close;
  // A temporary list table (JET_ColInfoList ...): no JET_DBID, no name to report.
  bool temporary = false;

  ~TableCursor() {
    cursor.reset();
    if (on_close) on_close();
  }
};

// One record change, with what is needed to undo it.
struct UndoEntry {
  // kCreatedTable: JetCreateTable* inside a transaction; undone by deleting `table` (the other
  // fields are empty). Other schema changes are not undone yet (docs/compat.md).
  enum class Kind { kInserted, kReplaced, kDeleted, kCreatedTable };
  Kind kind;
  int level;
  std::shared_ptr<catalog::Table> table;
  std::string primary_key;
  std::string before;  // the record before the change (kReplaced, kDeleted)
  std::string after;   // the record after the change (kInserted, kReplaced)
};

class Session {
 public:
  explicit Session(std::weak_ptr<Instance> instance) : instance_(std::move(instance)) {}

  std::shared_ptr<Instance> instance() const { return instance_.lock(); }

  // Databases this session has open (JetOpenDatabase / JetCreateDatabase), with counts.
  // `read_only`: opened with JET_bitDbReadOnly (this session may then only read it).
  void add_open_database(std::uint32_t dbid, bool read_only = false);
  bool remove_open_database(std::uint32_t dbid);  // false if this session had none open
  bool opened_read_only(std::uint32_t dbid) const;
  bool has_open_database(std::uint32_t dbid) const;
  std::map<std::uint32_t, std::uint32_t> open_databases() const;

  // Tables this session has open (JET_TABLEID handles).
  void add_table(std::uint64_t table_handle);
  void remove_table(std::uint64_t table_handle);
  std::set<std::uint64_t> tables() const;

  // Transactions.
  int transaction_level() const;
  Status begin_transaction();  // kTransTooDeep beyond kMaxTransactionLevel
  // Commits the innermost level. kNotInTransaction at level 0. Returns the entries whose
  // changes became final (level 1 committed) so the caller can release what they freed.
  Result<std::vector<UndoEntry>> commit_transaction();
  // Removes and returns the innermost level's entries, newest first (or all levels' entries
  // with `all`), leaving the level(s) closed. kNotInTransaction at level 0.
  Result<std::vector<UndoEntry>> take_rollback(bool all);
  // Records a change; at level 0 it is final and nothing is kept.
  void record(UndoEntry entry);

 private:
  std::weak_ptr<Instance> instance_;
  mutable std::mutex mutex_;
  std::map<std::uint32_t, std::uint32_t> open_databases_;
  std::set<std::uint32_t> read_only_databases_;
  std::set<std::uint64_t> tables_;
  int level_ = 0;
  std::vector<UndoEntry> undo_;
};

}  // namespace esent::engine
