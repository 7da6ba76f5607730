// Manager: one instance's commit clock, its active snapshots and its version-store budget.
//
// The clock counts commits. begin() registers a transaction whose snapshot is the clock;
// commit() advances the clock and stamps the transaction under the same mutex, then publishes
// the new clock, so a reader that reads the clock as its snapshot also sees the commit time of
// every transaction committed at or before it (release/acquire on the clock). end() unregisters
// a transaction that rolled back. horizon() is the oldest snapshot still registered (or the
// clock when none is): a change committed at or before it is seen by every present and future
// transaction, so its version may be dropped.
//
// The version-store budget counts the bytes the instance's versions hold; reserve() fails with
// kVersionStoreOutOfMemory past the limit (JET_paramMaxVerPages x the version page size).
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>

#include "txn/transaction.h"
#include "util/status.h"

namespace esent::txn {

class Manager {
 public:
  explicit Manager(std::uint64_t version_store_limit_bytes)
      : version_store_limit_bytes_(version_store_limit_bytes) {}

  // The latest commit: what a read outside any transaction sees.
  Timestamp now() const { return clock_.load(std::memory_order_acquire); }

  std::shared_ptr<Transaction> begin(bool read_only = false);
  // Stamps the commit time, unregisters the snapshot and queues the journal for cleanup;
  // returns the commit time.
  Timestamp commit(Transaction& transaction);
  // Unregisters a transaction that rolled back (its versions are gone already).
  void end(Transaction& transaction);
  Timestamp horizon() const;

  // Cleanup: hands every queued commit that the horizon has passed to its objects, which drop
  // the versions no transaction needs any more. Returns the first failure (the work is dropped
  // either way; what stays behind is cleaned when its database closes).
  Status clean();

  Status reserve(std::uint64_t bytes);
  void release(std::uint64_t bytes);
  std::uint64_t version_store_bytes() const { return version_store_bytes_.load(std::memory_order_relaxed); }
  std::uint64_t version_store_limit_bytes() const { return version_store_limit_bytes_; }

 private:
  void unregister_locked(const Transaction& transaction);
  Timestamp horizon_locked() const;

  struct Committed {
    Timestamp commit_time;
    std::vector<JournalEntry> entries;
  };

  mutable std::mutex mutex_;
  std::atomic<Timestamp> clock_{0};
  std::uint64_t next_id_ = 1;
  std::map<Timestamp, std::size_t> active_;  // snapshot -> how many transactions hold it
  std::deque<Committed> cleanup_;            // in commit order
  const std::uint64_t version_store_limit_bytes_;
  std::atomic<std::uint64_t> version_store_bytes_{0};
};

}  // namespace esent::txn
