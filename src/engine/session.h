// Session: one client's thread of work inside an instance (JET_SESID).
//
// Lifetime: created by Registry::begin_session, ended by Registry::end_session or when its
// instance terminates; after either its handle is stale. Ending a session rolls back its open
// transaction and closes its tables and databases.
//
// Transactions (docs/transactions.md): a session has a level 0..7. Beginning level 1 starts a
// txn::Transaction (its snapshot) and makes it the current transaction of the session's
// txn::Context, which the session's cursors read through and attribute changes to; every change
// is journaled in the transaction with its level. JetRollback undoes the innermost level's
// journal, newest first; committing an inner level hands its entries to the level below;
// committing level 1 commits the transaction in the manager (one clock tick makes all its
// versions visible) and queues its journal for cleanup.
//
// Thread-safety: ESE requires that a session is used by one thread at a time; the API enforces
// it with enter()/leave() (JET_errSessionSharingViolation). `mutex_` guards the open-object
// bookkeeping, which other threads read (JetTerm, JetEndSession of a session's tables).
#pragma once

#include <atomic>
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
#include "txn/context.h"
#include "txn/manager.h"
#include "util/status.h"

namespace esent::engine {

class InstanceLog;

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

class Session {
 public:
  // `log` (may be null: recovery off) must outlive the session.
  Session(std::weak_ptr<Instance> instance, txn::Manager& transactions, InstanceLog* log = nullptr)
      : instance_(std::move(instance)),
        context_(std::make_shared<txn::Context>(transactions)),
        log_(log) {}

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

  // One thread at a time: enter() claims the session for the calling thread (a thread may enter
  // again while inside, for a callback) or fails with kSessionSharingViolation; leave() undoes
  // one enter().
  Status enter();
  void leave();

  // Transactions (only the thread inside the session calls these).
  std::shared_ptr<txn::Context> context() const { return context_; }
  int transaction_level() const { return level_.load(std::memory_order_acquire); }
  bool read_only_transaction() const;
  Status begin_transaction(bool read_only = false);  // kTransTooDeep beyond kMaxTransactionLevel
  // kNotInTransaction at level 0. A level-0 commit is durable when it returns, unless `lazy`
  // (JET_bitCommitLazyFlush): then a later durable commit or flush makes it so.
  Status commit_transaction(bool lazy = false);
  // The instance's log (null with recovery off).
  InstanceLog* log() const { return log_; }
  // Undoes the innermost level (all levels with `all`); kNotInTransaction at level 0. Failures
  // to undo are reported as kRollbackError after every entry was tried.
  Status rollback(bool all);
  // Runs `change` inside the session's transaction, or at level 0 inside an implicit
  // transaction that commits when it succeeds and is undone when it fails.
  Status run_change(const std::function<Status()>& change);
  // Records a change that is not a record version (a created table): `object->undo("")` takes
  // it back on rollback. At level 0 the change is final and nothing is kept.
  void journal(std::shared_ptr<txn::Versioned> object);

 private:
  void report_cleanup(const Status& status) const;

  std::weak_ptr<Instance> instance_;
  mutable std::mutex mutex_;
  std::map<std::uint32_t, std::uint32_t> open_databases_;
  std::set<std::uint32_t> read_only_databases_;
  std::set<std::uint64_t> tables_;
  std::atomic<int> level_{0};
  std::shared_ptr<txn::Context> context_;
  InstanceLog* log_ = nullptr;
  std::atomic<std::uint64_t> owner_thread_{0};
  int enter_depth_ = 0;  // touched only by the owning thread
};

}  // namespace esent::engine
