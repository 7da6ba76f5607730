#include "engine/session.h"

#include "engine/instance_log.h"

#include "engine/instance.h"

#include <algorithm>
#include <utility>

namespace esent::engine {

void Session::add_open_database(std::uint32_t dbid, bool read_only) {
  std::lock_guard lock(mutex_);
  ++open_databases_[dbid];
  if (read_only) read_only_databases_.insert(dbid);
}

bool Session::opened_read_only(std::uint32_t dbid) const {
  std::lock_guard lock(mutex_);
  return read_only_databases_.count(dbid) != 0;
}

bool Session::remove_open_database(std::uint32_t dbid) {
  std::lock_guard lock(mutex_);
  auto it = open_databases_.find(dbid);
  if (it == open_databases_.end()) return false;
  if (--it->second == 0) {
    open_databases_.erase(it);
    read_only_databases_.erase(dbid);
  }
  return true;
}

bool Session::has_open_database(std::uint32_t dbid) const {
  std::lock_guard lock(mutex_);
  return open_databases_.count(dbid) != 0;
}

std::map<std::uint32_t, std::uint32_t> Session::open_databases() const {
  std::lock_guard lock(mutex_);
  return open_databases_;
}

void Session::add_table(std::uint64_t table_handle) {
  std::lock_guard lock(mutex_);
  tables_.insert(table_handle);
}

void Session::remove_table(std::uint64_t table_handle) {
  std::lock_guard lock(mutex_);
  tables_.erase(table_handle);
}

std::set<std::uint64_t> Session::tables() const {
  std::lock_guard lock(mutex_);
  return tables_;
}

namespace {

// A nonzero id per thread (std::thread::id has no portable integer form).
std::uint64_t this_thread_id() {
  static std::atomic<std::uint64_t> next{1};
  thread_local const std::uint64_t id = next.fetch_add(1, std::memory_order_relaxed);
  return id;
}

}  // namespace

Status Session::enter() {
  const std::uint64_t me = this_thread_id();
  std::uint64_t expected = 0;
  if (owner_thread_.compare_exchange_strong(expected, me, std::memory_order_acquire)) {
    enter_depth_ = 1;
    return Status::success();
  }
  if (expected == me) {
    ++enter_depth_;
    return Status::success();
  }
  return Error::kSessionSharingViolation;
}

void Session::leave() {
  if (--enter_depth_ == 0) owner_thread_.store(0, std::memory_order_release);
}

bool Session::read_only_transaction() const {
  const std::shared_ptr<txn::Transaction>& current = context_->current();
  return current && current->read_only();
}

Status Session::begin_transaction(bool read_only) {
  const int level = level_.load(std::memory_order_relaxed);
  if (level >= kMaxTransactionLevel) return Error::kTransTooDeep;
  if (level == 0) context_->set_current(context_->manager().begin(read_only));
  context_->current()->set_level(level + 1);
  level_.store(level + 1, std::memory_order_release);
  return Status::success();
}

Status Session::commit_transaction(bool lazy) {
  const int level = level_.load(std::memory_order_relaxed);
  if (level == 0) return Error::kNotInTransaction;
  std::shared_ptr<txn::Transaction> current = context_->current();
  if (level > 1) {
    current->lower_level(level);
    current->set_level(level - 1);
    level_.store(level - 1, std::memory_order_release);
    return Status::success();
  }
  txn::Manager& manager = context_->manager();
  // The commit record first: the changes become visible only once they are as durable as the
  // caller asked.
  if (log_ != nullptr) ESENT_RETURN_IF_ERROR(log_->commit(current->id(), lazy));
  manager.commit(*current);
  context_->set_current(nullptr);
  level_.store(0, std::memory_order_release);
  report_cleanup(manager.clean());
  return Status::success();
}

void Session::report_cleanup(const Status& status) const {
  // The commit or rollback itself succeeded; a failed cleanup leaves versions behind, which the
  // next cleanup of those records (or the database's close) tries again.
  if (status.ok()) return;
  if (auto instance = instance_.lock()) {
    instance->event(EventLevel::kError, "version cleanup failed: " + status.to_string());
  }
}

Status Session::rollback(bool all) {
  const int level = level_.load(std::memory_order_relaxed);
  if (level == 0) return Error::kNotInTransaction;
  std::shared_ptr<txn::Transaction> current = context_->current();
  const int lowest = all ? 1 : level;
  EssentialScope essential;  // a rollback finishes even when the log disk is full
  Status first;
  for (txn::JournalEntry& entry : current->take_from_level(lowest)) {
    Status status = entry.object->undo(entry.key);
    if (!status.ok() && first.ok()) first = Status(Error::kRollbackError, status.to_string());
  }
  if (lowest == 1) {
    txn::Manager& manager = context_->manager();
    if (log_ != nullptr) {
      Status logged = log_->rolled_back(current->id());
      if (!logged.ok() && first.ok()) first = logged;
    }
    manager.end(*current);
    context_->set_current(nullptr);
    level_.store(0, std::memory_order_release);
    report_cleanup(manager.clean());
  } else {
    current->set_level(lowest - 1);
    level_.store(lowest - 1, std::memory_order_release);
  }
  return first;
}

Status Session::run_change(const std::function<Status()>& change) {
  if (level_.load(std::memory_order_relaxed) > 0) {
    if (read_only_transaction()) return Error::kTransReadOnly;
    Status status = change();
    if (status.error() == Error::kVersionStoreOutOfMemory) {
      report_cleanup(context_->manager().clean());
      status = change();
    }
    return status;
  }
  // ESE's implicit transaction: the change alone, committed at once.
  ESENT_RETURN_IF_ERROR(begin_transaction());
  Status status = change();
  if (status.error() == Error::kVersionStoreOutOfMemory) {
    // Make room from what no transaction needs any more, then try once more.
    report_cleanup(context_->manager().clean());
    status = change();
  }
  // Implicit transactions commit lazily (UNVERIFIED against ESE; docs/compat.md).
  Status ended = status.ok() ? commit_transaction(/*lazy=*/true) : rollback(true);
  return status.ok() ? ended : status;
}

void Session::journal(std::shared_ptr<txn::Versioned> object) {
  if (level_.load(std::memory_order_relaxed) == 0) return;
  context_->current()->journal(std::move(object), std::string());
}

}  // namespace esent::engine
