// Transactions and views: who made a change, when it committed, and what a reader may see.
// docs/transactions.md states the rules; this layer knows nothing of tables or records.
//
// A Transaction is one level-0 transaction of a session (or one implicit transaction around a
// single change at level 0). Its snapshot is the commit clock when it began; its commit time is
// 0 until it commits, then the clock tick of its commit. Every version the transaction made
// points to it, so storing the commit time commits all of them at once.
//
// Thread-safety: the snapshot and identity never change; commit_time is atomic (written once
// by Manager::commit, read by any reader).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace esent::txn {

using Timestamp = std::uint64_t;

// Something that keeps versions of its keys (a table): the journal and the cleanup queue call
// back into it.
class Versioned {
 public:
  virtual ~Versioned() = default;
  // Takes back the newest version of `key`, which belongs to the caller's transaction.
  virtual Status undo(std::string_view key) = 0;
  // Drops the versions of `keys` every transaction sees (committed at or before `horizon`).
  virtual Status clean(const std::vector<std::string>& keys, Timestamp horizon, bool all) = 0;
};

// One change a transaction made, at the nesting level it was made at.
struct JournalEntry {
  int level = 1;
  std::shared_ptr<Versioned> object;
  std::string key;
};

class Transaction {
 public:
  Transaction(std::uint64_t id, Timestamp snapshot, bool read_only)
      : id_(id), snapshot_(snapshot), read_only_(read_only) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  std::uint64_t id() const { return id_; }
  Timestamp snapshot() const { return snapshot_; }
  bool read_only() const { return read_only_; }
  // 0 while the transaction is active (or was rolled back).
  Timestamp commit_time() const { return commit_time_.load(std::memory_order_acquire); }

  // The journal: every version this transaction made, oldest first, with its level. Only the
  // owning session's thread touches it.
  int level() const { return level_; }
  void set_level(int level) { level_ = level; }
  void journal(std::shared_ptr<Versioned> object, std::string key) {
    journal_.push_back(JournalEntry{level_, std::move(object), std::move(key)});
  }
  void drop_last_entry() {
    if (!journal_.empty()) journal_.pop_back();
  }
  // Removes and returns the entries made at `level` or deeper, newest first.
  std::vector<JournalEntry> take_from_level(int level) {
    std::vector<JournalEntry> taken;
    while (!journal_.empty() && journal_.back().level >= level) {
      taken.push_back(std::move(journal_.back()));
      journal_.pop_back();
    }
    return taken;
  }
  // Committing `level` (> 1) hands its entries to the level below.
  void lower_level(int level) {
    for (JournalEntry& entry : journal_) {
      if (entry.level >= level) entry.level = level - 1;
    }
  }
  std::vector<JournalEntry> take_all() { return std::move(journal_); }
  bool journal_empty() const { return journal_.empty(); }

 private:
  friend class Manager;
  const std::uint64_t id_;
  const Timestamp snapshot_;
  const bool read_only_;
  std::atomic<Timestamp> commit_time_{0};
  int level_ = 1;
  std::vector<JournalEntry> journal_;
};

// What one read sees: the reader's own transaction's changes (when it has one) and every change
// committed at or before `snapshot`.
struct View {
  const Transaction* own = nullptr;
  Timestamp snapshot = 0;

  bool operator==(const View& other) const { return own == other.own && snapshot == other.snapshot; }

  bool sees(const Transaction& writer) const {
    if (&writer == own) return true;
    const Timestamp committed = writer.commit_time();
    return committed != 0 && committed <= snapshot;
  }
};

// Whether a change by `writer` forbids `changer` (a transaction about to change the same record)
// from changing it: the writer is someone else and is either uncommitted or committed after the
// changer's snapshot.
inline bool conflicts(const Transaction& writer, const Transaction& changer) {
  if (&writer == &changer) return false;
  const Timestamp committed = writer.commit_time();
  return committed == 0 || committed > changer.snapshot();
}

}  // namespace esent::txn
