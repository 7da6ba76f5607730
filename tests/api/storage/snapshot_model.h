// In-memory model of the transaction and isolation rules of docs/transactions.md, the oracle of
// the snapshot differential test (snapshot_driver.h). It knows one table: a primary key (Long), a
// Long value with a non-unique secondary index, a Text and a LongBinary column.
//
// State:
// - history: per primary key, the committed versions, oldest first, each with its commit
//   timestamp and the record image it left (nullopt: deleted). A commit takes the next tick of
//   `clock_`; a level-1 begin takes the current `clock_` as the session's snapshot; a committed
//   version is visible to a snapshot when its timestamp is <= the snapshot.
// - per session: transaction level (0..7), snapshot, `pending` (the session's own uncommitted
//   image of every key it changed in a level still open), one undo list per open level (what
//   `pending` held before each change), the write locks taken by JET_prepReplace with the level
//   that took them, and the prepared replace (if any).
//
// Rules (each one a sentence of docs/transactions.md):
// - A session reads its own pending image; else, inside a transaction, the newest version
//   committed at or before its snapshot; else (level 0) the newest committed version.
// - Changing a record (replace, delete, JET_prepReplace) conflicts when another session has an
//   uncommitted change of it or a write lock on it, or, inside a transaction, when its newest
//   committed version is newer than the snapshot.
// - Inserting a key: JET_errKeyDuplicate when the latest state (any session's uncommitted image,
//   else the newest committed one) has a record; JET_errWriteConflict when another session has
//   an uncommitted delete of it, or (inside a transaction) a delete committed after the snapshot.
// - Level 0: every change is its own transaction, committed at once.
// - Commit of level > 1 hands undo entries and locks to the level below; commit of level 1
//   publishes every pending image under one new timestamp; rollback of a level restores what
//   `pending` held before that level's changes and drops the locks that level took.
// - A failed change changes nothing.
//
// At most one session has a pending image of a key at any time (the conflict rules make it so);
// the model checks that invariant. Not thread-safe: the driver uses it from one thread.
#pragma once

#include <esent.h>

#include <algorithm>
#include <compare>
#include <cstdint>
#include <map>
#include <set>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace esent_test::snapshot {

inline constexpr int kMaxTransactionLevels = 7;

// A long value, described compactly: `size_bytes` bytes derived from `tag` (0 bytes: NULL).
struct Blob {
  std::uint32_t tag = 0;
  std::uint32_t size_bytes = 0;

  std::string Bytes() const {
    std::string bytes(size_bytes, '\0');
    std::uint32_t state = tag * 2654435761u + 1u;
    for (std::uint32_t i = 0; i < size_bytes; ++i) {
      state = state * 1103515245u + 12345u;
      bytes[i] = static_cast<char>(state >> 24);
    }
    return bytes;
  }
  // Equal content (every empty blob is the same value, whatever its tag).
  bool operator==(const Blob& other) const {
    return size_bytes == other.size_bytes && (size_bytes == 0 || tag == other.tag);
  }
};

struct Row {
  std::int32_t value = 0;
  std::string text;  // never empty (an empty text would be NULL)
  Blob blob;
  bool operator==(const Row& other) const = default;
};

// The image of a key: nullopt when there is no record.
using Image = std::optional<Row>;

enum class IndexKind { kPrimary, kByValue };

// An index entry: `first` is the key column of the index (the primary key for the primary index,
// the value for byValue); `key` the record's primary key. Entries sort as ESE's do: by the index
// key, then (for the non-unique index) by the primary key.
struct Entry {
  std::int32_t first = 0;
  std::int32_t key = 0;
  auto operator<=>(const Entry& other) const = default;
};

inline Entry EntryOf(IndexKind index, std::int32_t key, const Row& row) {
  return index == IndexKind::kPrimary ? Entry{key, key} : Entry{row.value, key};
}

// The columns a replace sets; the others keep the prepared image's values.
struct Changes {
  std::optional<std::int32_t> value;
  std::optional<std::string> text;
  std::optional<Blob> blob;
};

class Model {
 public:
  explicit Model(int sessions) : sessions_(static_cast<std::size_t>(sessions)) {}

  int level(int session) const { return at(session).level; }
  bool has_prepared(int session) const { return at(session).prepared.has_value(); }
  std::uint64_t clock() const { return clock_; }

  // What the model knows of `key`: its committed versions, and every session's level,
  // snapshot, pending image and lock. For failure messages.
  std::string Explain(std::int32_t key) const {
    std::string text = "model of key " + std::to_string(key) + ": clock " + std::to_string(clock_) +
                       "; committed versions:";
    if (auto found = history_.find(key); found != history_.end()) {
      for (const Version& version : found->second) {
        text += " @" + std::to_string(version.commit_time) +
                (version.image ? "=value " + std::to_string(version.image->value) : "=deleted");
      }
    }
    for (std::size_t s = 0; s < sessions_.size(); ++s) {
      const SessionState& state = sessions_[s];
      text += "; s" + std::to_string(s) + " L" + std::to_string(state.level);
      if (state.level > 0) text += " snapshot " + std::to_string(state.snapshot);
      if (auto own = state.pending.find(key); own != state.pending.end()) {
        text += own->second ? " pending value " + std::to_string(own->second->value)
                            : " pending delete";
      }
      if (auto lock = state.locks.find(key); lock != state.locks.end()) {
        text += " lock@L" + std::to_string(lock->second);
      }
    }
    return text;
  }

  // --- reads ---------------------------------------------------------------------------------

  // The record `session` sees under `key` now.
  Image Visible(int session, std::int32_t key) const {
    const SessionState& state = at(session);
    if (auto own = state.pending.find(key); own != state.pending.end()) {
      return own->second;
    }
    auto found = history_.find(key);
    if (found == history_.end()) {
      return std::nullopt;
    }
    const std::vector<Version>& versions = found->second;
    if (state.level == 0) {
      return versions.empty() ? std::nullopt : versions.back().image;
    }
    for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
      if (it->commit_time <= state.snapshot) {
        return it->image;
      }
    }
    return std::nullopt;
  }

  // Every record `session` sees, by primary key.
  std::map<std::int32_t, Row> VisibleRows(int session) const {
    std::map<std::int32_t, Row> rows;
    for (const auto& [key, versions] : history_) {
      if (Image image = Visible(session, key)) {
        rows.emplace(key, *image);
      }
    }
    for (const auto& [key, image] : at(session).pending) {
      if (image) {
        rows.emplace(key, *image);
      }
    }
    return rows;
  }

  // The entries of `index` that `session` sees, in index order.
  std::vector<Entry> Entries(int session, IndexKind index) const {
    std::vector<Entry> entries;
    for (const auto& [key, row] : VisibleRows(session)) {
      entries.push_back(EntryOf(index, key, row));
    }
    std::sort(entries.begin(), entries.end());
    return entries;
  }

  // --- transactions --------------------------------------------------------------------------

  JET_ERR Begin(int session) {
    SessionState& state = at(session);
    if (state.level == kMaxTransactionLevels) {
      return JET_errTransTooDeep;
    }
    if (state.level == 0) {
      state.snapshot = clock_;
      ++state.transactions;
    }
    ++state.level;
    state.undo.emplace_back();
    return JET_errSuccess;
  }

  JET_ERR Commit(int session) {
    SessionState& state = at(session);
    if (state.level == 0) {
      return JET_errNotInTransaction;
    }
    if (state.level > 1) {
      std::vector<Undo> inner = std::move(state.undo.back());
      state.undo.pop_back();
      state.undo.back().insert(state.undo.back().end(), inner.begin(), inner.end());
      for (auto& [key, lock_level] : state.locks) {
        if (lock_level == state.level) {
          lock_level = state.level - 1;
        }
      }
      --state.level;
      return JET_errSuccess;
    }
    state.committed_transactions.insert(state.transactions);
    if (!state.pending.empty()) {
      ++clock_;
      for (const auto& [key, image] : state.pending) {
        history_[key].push_back(Version{clock_, image});
      }
    }
    state.pending.clear();
    state.undo.clear();
    state.locks.clear();
    state.level = 0;
    Prune();
    return JET_errSuccess;
  }

  JET_ERR Rollback(int session, bool all) {
    SessionState& state = at(session);
    if (state.level == 0) {
      return JET_errNotInTransaction;
    }
    do {
      std::vector<Undo>& undo = state.undo.back();
      for (auto it = undo.rbegin(); it != undo.rend(); ++it) {
        if (it->before.has_value()) {
          state.pending[it->key] = *it->before;
        } else {
          state.pending.erase(it->key);
        }
      }
      state.undo.pop_back();
      std::erase_if(state.locks, [&](const auto& lock) { return lock.second == state.level; });
      --state.level;
    } while (all && state.level > 0);
    if (state.level == 0) {
      if (!state.pending.empty() || !state.locks.empty()) {
        throw std::logic_error("model: a rolled-back transaction left pending changes or locks");
      }
      Prune();
    }
    return JET_errSuccess;
  }

  // --- changes -------------------------------------------------------------------------------

  JET_ERR Insert(int session, std::int32_t key, const Row& row) {
    if (Latest(key).has_value()) {
      return JET_errKeyDuplicate;
    }
    if (OtherSessionHolds(session, key, /*count_locks=*/false)) {
      return JET_errWriteConflict;  // another session's uncommitted delete
    }
    if (ChangedAfterSnapshot(session, key)) {
      return JET_errWriteConflict;  // deleted after the inserter's snapshot
    }
    Apply(session, key, row);
    return JET_errSuccess;
  }

  // JetDelete after a JetSeek(JET_bitSeekEQ) on `key`.
  JET_ERR Delete(int session, std::int32_t key) {
    if (!Visible(session, key).has_value()) {
      return JET_errRecordNotFound;  // the seek
    }
    if (ChangeConflicts(session, key)) {
      return JET_errWriteConflict;
    }
    Apply(session, key, std::nullopt);
    return JET_errSuccess;
  }

  // JetSeek(JET_bitSeekEQ) on `key`, then JetPrepareUpdate(JET_prepReplace or NoLock).
  JET_ERR PrepareReplace(int session, std::int32_t key, bool lock) {
    SessionState& state = at(session);
    Image image = Visible(session, key);
    if (!image.has_value()) {
      return JET_errRecordNotFound;  // the seek
    }
    if (lock && ChangeConflicts(session, key)) {
      return JET_errWriteConflict;
    }
    if (lock && state.level > 0) {
      state.locks.emplace(key, state.level);  // a lock an outer level holds stays the outer's
    }
    state.prepared = Prepared{key, *image, -1, 0};
    // A change of another session this prepare could not see: if it commits before the update,
    // the update conflicts.
    for (std::size_t other = 0; other < sessions_.size(); ++other) {
      if (static_cast<int>(other) != session && sessions_[other].pending.count(key) != 0) {
        state.prepared->hidden_session = static_cast<int>(other);
        state.prepared->hidden_transaction = sessions_[other].transactions;
      }
    }
    return JET_errSuccess;
  }

  // The JetSetColumn calls and JetUpdate of the prepared replace, or JET_prepCancel.
  JET_ERR FinishReplace(int session, const Changes& changes, bool cancel) {
    SessionState& state = at(session);
    if (!state.prepared.has_value()) {
      throw std::logic_error("model: no prepared replace");
    }
    const Prepared prepared = *state.prepared;
    state.prepared.reset();
    if (cancel) {
      return JET_errSuccess;
    }
    if (ChangeConflicts(session, prepared.key)) {
      return JET_errWriteConflict;
    }
    if (!Latest(prepared.key).has_value()) {
      // Level 0 only (inside a transaction a later delete is a conflict): another session
      // deleted the record and committed. Not spelled out by docs/transactions.md; the cursor
      // rule ("a record that becomes invisible ... gets JET_errRecordDeleted") is the nearest.
      return JET_errRecordDeleted;
    }
    // The record changed since the prepare (another session's change committed since): the
    // replace is refused rather than lose that update.
    const bool hidden_committed =
        prepared.hidden_session >= 0 &&
        at(prepared.hidden_session).committed_transactions.count(prepared.hidden_transaction) != 0;
    if (hidden_committed || Latest(prepared.key) != Image(prepared.image)) {
      return JET_errWriteConflict;
    }
    Row row = prepared.image;
    if (changes.value) row.value = *changes.value;
    if (changes.text) row.text = *changes.text;
    if (changes.blob) row.blob = *changes.blob;
    Apply(session, prepared.key, row);
    return JET_errSuccess;
  }

 private:
  struct Version {
    std::uint64_t commit_time = 0;
    Image image;
  };
  struct Undo {
    std::int32_t key = 0;
    std::optional<Image> before;  // nullopt: the session had no pending image of the key
  };
  struct Prepared {
    std::int32_t key = 0;
    Row image;  // the copy buffer: the record as the session saw it at JetPrepareUpdate
    // The session whose uncommitted change of the key the prepare could not see, and which of
    // its transactions made it (-1: none).
    int hidden_session = -1;
    std::uint64_t hidden_transaction = 0;
  };
  struct SessionState {
    int level = 0;
    std::uint64_t transactions = 0;            // level-0 transactions begun
    std::set<std::uint64_t> committed_transactions;  // the numbers of those that committed
    std::uint64_t snapshot = 0;
    std::map<std::int32_t, Image> pending;
    std::vector<std::vector<Undo>> undo;  // [level - 1]
    std::map<std::int32_t, int> locks;    // key -> level that took the lock
    std::optional<Prepared> prepared;
  };

  SessionState& at(int session) { return sessions_.at(static_cast<std::size_t>(session)); }
  const SessionState& at(int session) const {
    return sessions_.at(static_cast<std::size_t>(session));
  }

  Image LatestCommitted(std::int32_t key) const {
    auto found = history_.find(key);
    return found == history_.end() || found->second.empty() ? std::nullopt
                                                            : found->second.back().image;
  }

  // The newest image of `key`, committed or not.
  Image Latest(std::int32_t key) const {
    for (const SessionState& state : sessions_) {
      if (auto own = state.pending.find(key); own != state.pending.end()) {
        return own->second;
      }
    }
    return LatestCommitted(key);
  }

  bool OtherSessionHolds(int session, std::int32_t key, bool count_locks) const {
    for (std::size_t other = 0; other < sessions_.size(); ++other) {
      if (static_cast<int>(other) == session) continue;
      if (sessions_[other].pending.count(key) != 0) return true;
      if (count_locks && sessions_[other].locks.count(key) != 0) return true;
    }
    return false;
  }

  bool ChangedAfterSnapshot(int session, std::int32_t key) const {
    const SessionState& state = at(session);
    if (state.level == 0) return false;
    auto found = history_.find(key);
    return found != history_.end() && !found->second.empty() &&
           found->second.back().commit_time > state.snapshot;
  }

  bool ChangeConflicts(int session, std::int32_t key) const {
    return OtherSessionHolds(session, key, /*count_locks=*/true) ||
           ChangedAfterSnapshot(session, key);
  }

  // Records a successful change: committed at once at level 0, else pending in the open level.
  void Apply(int session, std::int32_t key, Image image) {
    SessionState& state = at(session);
    if (OtherSessionHolds(session, key, /*count_locks=*/false)) {
      throw std::logic_error("model: two sessions would hold uncommitted changes of one key");
    }
    if (state.level == 0) {
      ++clock_;
      history_[key].push_back(Version{clock_, std::move(image)});
      Prune();
      return;
    }
    auto own = state.pending.find(key);
    state.undo.back().push_back(
        Undo{key, own == state.pending.end() ? std::nullopt : std::optional<Image>(own->second)});
    state.pending[key] = std::move(image);
  }

  // Drops committed versions no snapshot can read: per key, everything older than the newest
  // version at or before the oldest open snapshot.
  void Prune() {
    std::uint64_t oldest = clock_;
    for (const SessionState& state : sessions_) {
      if (state.level > 0) oldest = std::min(oldest, state.snapshot);
    }
    for (auto& [key, versions] : history_) {
      std::size_t keep_from = 0;
      for (std::size_t i = 0; i < versions.size(); ++i) {
        if (versions[i].commit_time <= oldest) keep_from = i;
      }
      versions.erase(versions.begin(),
                     versions.begin() + static_cast<std::ptrdiff_t>(keep_from));
    }
  }

  std::vector<SessionState> sessions_;
  std::map<std::int32_t, std::vector<Version>> history_;
  std::uint64_t clock_ = 0;
};

}  // namespace esent_test::snapshot
