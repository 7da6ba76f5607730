#include "engine/session.h"

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

int Session::transaction_level() const {
  std::lock_guard lock(mutex_);
  return level_;
}

Status Session::begin_transaction() {
  std::lock_guard lock(mutex_);
  if (level_ >= kMaxTransactionLevel) return Error::kTransTooDeep;
  ++level_;
  return Status::success();
}

Result<std::vector<UndoEntry>> Session::commit_transaction() {
  std::lock_guard lock(mutex_);
  if (level_ == 0) return Error::kNotInTransaction;
  std::vector<UndoEntry> final_entries;
  if (level_ == 1) {
    final_entries = std::move(undo_);
    undo_.clear();
  } else {
    for (UndoEntry& entry : undo_) {
      if (entry.level == level_) entry.level = level_ - 1;
    }
  }
  --level_;
  return final_entries;
}

Result<std::vector<UndoEntry>> Session::take_rollback(bool all) {
  std::lock_guard lock(mutex_);
  if (level_ == 0) return Error::kNotInTransaction;
  int lowest = all ? 1 : level_;
  std::vector<UndoEntry> taken;
  while (!undo_.empty() && undo_.back().level >= lowest) {
    taken.push_back(std::move(undo_.back()));
    undo_.pop_back();
  }
  level_ = lowest - 1;
  return taken;
}

void Session::record(UndoEntry entry) {
  std::lock_guard lock(mutex_);
  if (level_ == 0) return;
  entry.level = level_;
  undo_.push_back(std::move(entry));
}

}  // namespace esent::engine
