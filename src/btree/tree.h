// B+trees over a PageStore: ordered maps from byte-string keys to byte-string values.
//
// Keys compare as unsigned bytes (memcmp, shorter first when one is a prefix of the other); they
// are unique within a tree. The catalog builds order-preserving normalized keys, so this order
// is the index order.
//
// Shape: the root page never moves (its page number identifies the tree); a root split moves
// the root's contents into two new children. Leaves are linked both ways at every level.
// Pages are filled left to right; a page that becomes less than a quarter full is merged
// with a sibling under the same parent when the two fit in one page (an empty page always
// fits, so an empty non-root page is freed unless it is its parent's only child; readers skip
// empty leaves).
//
// Every page change is a physiological record (btree/page_ops.h) applied through a ChangeLog, so
// the log layer can make it durable and redo it; without a ChangeLog the change is only stamped
// with a dbtime.
//
// Failure: a point operation that fails before it changes a page (key not found, duplicate, too
// big, out of space: every page a split needs is allocated before anything changes) leaves the
// tree as it was. A ChangeLog or PageStore failure in the middle of a multi-page change (split,
// merge) leaves the tree inconsistent in memory; the engine must treat it as fatal for the
// instance and recover from the log.
//
// Thread-safety: a Tree is not internally synchronised. The caller allows either one writer or
// any number of readers on a tree at a time (the catalog holds a per-tree lock for the length
// of one operation). A Cursor belongs to one thread at a time; it remembers its position by key,
// so it stays valid across changes made between its calls by other cursors on the same tree.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cache/page_store.h"
#include "util/status.h"

namespace esent::btree {

using page::Pgno;

class ChangeLog;  // btree/page_ops.h
struct PageOp;

enum class SeekOp {
  kEqual,           // the entry with this key
  kLess,            // the last entry < key
  kLessOrEqual,     // the last entry <= key
  kGreaterOrEqual,  // the first entry >= key
  kGreater,         // the first entry > key
};

// The largest key+value the tree accepts for a page size; larger entries → kRecordTooBig (the
// catalog moves long values out of the record before this). At least four entries of this size
// fit in a leaf, so a split always succeeds. 1000 bytes at 4 KiB, 2024 at 8 KiB, 4070 at 16 KiB,
// 8168 at 32 KiB (docs/format/btree.md).
std::size_t max_entry_bytes(std::uint32_t page_size);

// The largest key a tree accepts for a page size: 1000 bytes at 4 KiB, 2000 at 8 KiB and up
// (ESE's limits). insert/replace refuse a longer key with kInvalidParameter (kKeyTruncated is
// never returned: the catalog truncates keys before they reach the tree); get() reports it
// missing, erase() kRecordNotFound; a cursor may seek with any key.
std::size_t max_key_bytes(std::uint32_t page_size);

class Tree {
 public:
  // A tree whose root page is `root`, owned by `object_id`. `log` may be null (no logging).
  Tree(cache::PageStore& store, Pgno root, std::uint32_t object_id, ChangeLog* log);

  // Allocates and initialises the root page of a new empty tree; returns its page number.
  static Result<Pgno> create(cache::PageStore& store, std::uint32_t object_id, ChangeLog* log);

  // Frees every page of the tree, the root included. The Tree must not be used afterwards.
  Status destroy();

  Pgno root() const { return root_; }
  std::uint32_t object_id() const { return object_id_; }

  // Point operations.
  Result<std::optional<std::string>> get(std::string_view key);
  Status insert(std::string_view key, std::string_view value);   // exists → kKeyDuplicate
  Status replace(std::string_view key, std::string_view value);  // missing → kRecordNotFound
  Status erase(std::string_view key);                            // missing → kRecordNotFound

  // Number of levels (1 for a tree that is a single leaf).
  Result<int> depth();

  cache::PageStore& store() { return store_; }
  ChangeLog* log() { return log_; }

 private:
  friend class Cursor;
  struct PathStep {
    Pgno pgno;
    std::size_t slot;  // the child slot taken in this internal page
  };

  // Descends from the root to the leaf whose range holds `key`, latching one page at a time
  // (shared, the leaf in `leaf_mode`). Fills `path` (when given) with the internal pages above
  // the leaf, root first. Checks each page's type, level and owner on the way.
  Result<cache::PageRef> find_leaf(std::string_view key, cache::LatchMode leaf_mode,
                                   std::vector<PathStep>* path);
  // The leftmost or rightmost leaf.
  Result<cache::PageRef> find_edge_leaf(bool rightmost);
  // Gets a page of this tree and checks its type, owner and node header (and level when
  // expected_level >= 0).
  Result<cache::PageRef> get_page(Pgno pgno, cache::LatchMode mode, int expected_level);
  // Stamps a fresh dbtime into `op`, adds it to the group (with a page image first when the
  // page needs one), applies it to `page` and marks the page dirty (pending with a log).
  Status change(cache::PageRef& page, PageOp op);
  // Runs one tree operation as one group (page_ops.h). With a ChangeLog, when `body` is done
  // the group is appended as one record and every page it changed is settled at its position;
  // if `body` failed after changing a page, or the append fails, the store is abandoned (the
  // tree is half-changed in memory). A call inside a group joins it.
  template <typename Body>
  Status logged(Body&& body) {
    if (log_ == nullptr || in_group_) return body();
    ESENT_RETURN_IF_ERROR(log_ready());
    in_group_ = true;
    group_.clear();
    group_pages_.clear();
    Status status = body();
    in_group_ = false;
    return finish_group(std::move(status));
  }
  Status finish_group(Status status);
  Status log_ready();
  Status insert_now(std::string_view key, std::string_view value);
  Status replace_now(std::string_view key, std::string_view value);
  Status erase_now(std::string_view key);
  // Inserts one encoded entry at `slot` of `page`, which sits at depth `index` of path_ (0 is
  // the root), splitting up the path as needed.
  Status insert_entry(std::size_t index, cache::PageRef page, std::size_t slot,
                      std::span<const std::byte> entry);
  Status split(std::size_t index, cache::PageRef page, std::size_t slot,
               std::span<const std::byte> entry);
  // Allocates, before a split changes anything, every page the split can need, so running out
  // of space leaves the tree unchanged.
  Status reserve_for_split(std::size_t index, std::size_t separator_entry_bytes);
  Result<cache::PageRef> take_reserved_page();
  Status release_reserve();
  // After an erase: merges an underfull `page` (depth `index`) with a sibling, fixes the parent
  // and recurses upwards; collapses a root with one child.
  Status rebalance(std::size_t index, cache::PageRef page);
  Status collapse_root(cache::PageRef root);
  Status check_entry_sizes(std::string_view key, std::string_view value) const;

  cache::PageStore& store_;
  Pgno root_;
  std::uint32_t object_id_;
  ChangeLog* log_;
  // Writer scratch (a Tree has one writer at a time): the path of the current operation, the
  // encoded entry being inserted, pages reserved for a split.
  std::vector<PathStep> path_;
  std::string entry_buffer_;
  std::vector<cache::PageRef> reserve_;
  // The group of the operation in progress (with a ChangeLog): encoded ops, and the pages
  // marked pending.
  bool in_group_ = false;
  std::string group_;
  std::vector<Pgno> group_pages_;
};

// A position in a tree. Starts before the first entry. Every move returns true when it lands on
// an entry and false when there is none (the cursor is then before the first or after the last
// entry; a failed seek leaves it before the first); errors are I/O or corruption.
class Cursor {
 public:
  explicit Cursor(Tree& tree);

  Result<bool> seek(std::string_view key, SeekOp op);
  Result<bool> first();
  Result<bool> last();
  // Before the first entry next() acts as first(); after the last, previous() acts as last().
  Result<bool> next();
  Result<bool> previous();

  bool positioned() const { return state_ == State::kOnEntry; }
  // The current entry (copies, valid until the next call on this cursor).
  const std::string& key() const { return key_; }
  const std::string& value() const { return value_; }

  // Changes the current entry's value.
  Status replace(std::string_view value);
  // Deletes the current entry. The cursor then sits between its neighbours: next() and
  // previous() move to them.
  Status erase();

  enum class State {
    kOnEntry,       // on key_
    kBetween,       // where key_ was (after erase): next()/previous() move relative to it
    kBeforeFirst,   // previous() ran off the start; next() → first entry
    kAfterLast,     // next() ran off the end; previous() → last entry
  };
  State state() const { return state_; }

 private:
  // Lands on the first entry at or after `slot` of `leaf`, following next-sibling links past
  // the end of a page (and over empty leaves); false when there is none.
  Result<bool> land_forward(cache::PageRef leaf, std::size_t slot);
  // Lands on the last entry before `slot` of `leaf` (slot 0: in the pages before it).
  Result<bool> land_backward(cache::PageRef leaf, std::size_t slot);
  void load(std::span<const std::byte> leaf_bytes, Pgno pgno, std::size_t slot);
  // next()/previous() from kOnEntry or kBetween.
  Result<bool> step(bool forward);

  Tree& tree_;
  State state_ = State::kBeforeFirst;
  std::string key_;
  std::string value_;
  // Position hint: the leaf and its dbtime when key_ was read; revalidated on use.
  Pgno leaf_ = page::kNoPage;
  std::uint64_t leaf_dbtime_ = 0;
  int slot_ = -1;
};

// Walks a tree and checks every invariant: each page's type, level, owner and sibling
// links; keys strictly increasing within and across pages; every key inside its parent's
// separator bounds; node free-space accounting; no page reached twice. Checksums are the
// PageStore's job (it verifies every page it reads), and its errors pass through. Fills `pages`
// (when given) with every page the tree owns. kDatabaseCorrupted with a description on the
// first violation.
struct TreeStats {
  int depth = 0;
  std::uint64_t entries = 0;
  std::uint64_t leaf_pages = 0;
  std::uint64_t internal_pages = 0;
};
Result<TreeStats> check_tree(cache::PageStore& store, Pgno root, std::uint32_t object_id,
                             std::vector<Pgno>* pages = nullptr);

}  // namespace esent::btree
