#include "txn/manager.h"

namespace esent::txn {

std::shared_ptr<Transaction> Manager::begin(bool read_only) {
  std::lock_guard lock(mutex_);
  const Timestamp snapshot = clock_.load(std::memory_order_relaxed);
  ++active_[snapshot];
  return std::make_shared<Transaction>(next_id_++, snapshot, read_only);
}

void Manager::unregister_locked(const Transaction& transaction) {
  auto it = active_.find(transaction.snapshot());
  if (it != active_.end() && --it->second == 0) active_.erase(it);
}

Timestamp Manager::commit(Transaction& transaction) {
  std::lock_guard lock(mutex_);
  const Timestamp tick = clock_.load(std::memory_order_relaxed) + 1;
  transaction.commit_time_.store(tick, std::memory_order_release);
  clock_.store(tick, std::memory_order_release);
  unregister_locked(transaction);
  if (!transaction.journal_empty()) cleanup_.push_back(Committed{tick, transaction.take_all()});
  return tick;
}

void Manager::end(Transaction& transaction) {
  std::lock_guard lock(mutex_);
  unregister_locked(transaction);
}

Timestamp Manager::horizon() const {
  std::lock_guard lock(mutex_);
  return horizon_locked();
}

Timestamp Manager::horizon_locked() const {
  if (active_.empty()) return clock_.load(std::memory_order_relaxed);
  return active_.begin()->first;
}

Status Manager::clean() {
  std::vector<Committed> ready;
  Timestamp horizon = 0;
  {
    std::lock_guard lock(mutex_);
    horizon = horizon_locked();
    while (!cleanup_.empty() && cleanup_.front().commit_time <= horizon) {
      ready.push_back(std::move(cleanup_.front()));
      cleanup_.pop_front();
    }
  }
  if (ready.empty()) return Status::success();
  // One call per object, with all its keys.
  std::map<Versioned*, std::pair<std::shared_ptr<Versioned>, std::vector<std::string>>> work;
  for (Committed& committed : ready) {
    for (JournalEntry& entry : committed.entries) {
      auto& [object, keys] = work[entry.object.get()];
      if (!object) object = entry.object;
      keys.push_back(std::move(entry.key));
    }
  }
  Status first;
  for (auto& [raw, item] : work) {
    Status status = item.first->clean(item.second, horizon, false);
    if (!status.ok() && first.ok()) first = status;
  }
  return first;
}

Status Manager::reserve(std::uint64_t bytes) {
  std::uint64_t current = version_store_bytes_.load(std::memory_order_relaxed);
  do {
    if (current + bytes > version_store_limit_bytes_) return Error::kVersionStoreOutOfMemory;
  } while (!version_store_bytes_.compare_exchange_weak(current, current + bytes, std::memory_order_relaxed));
  return Status::success();
}

void Manager::release(std::uint64_t bytes) {
  version_store_bytes_.fetch_sub(bytes, std::memory_order_relaxed);
}

}  // namespace esent::txn
