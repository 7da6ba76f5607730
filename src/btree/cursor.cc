// Cursor: a position in a tree remembered by key.
//
// State machine (tree.h Cursor::State):
//   kBeforeFirst --next/first/seek--> kOnEntry | kBeforeFirst (failed seek/first)
//   kOnEntry --next--> kOnEntry | kAfterLast;  --previous--> kOnEntry | kBeforeFirst
//   kOnEntry --erase--> kBetween (key_ kept: next/previous move relative to it)
//   kAfterLast --previous--> last entry;  kAfterLast --next--> false
// Moves from an entry first try the hint (leaf page, its dbtime and slot when the entry was
// read): when the page's dbtime is unchanged the page is exactly as it was and the neighbour is
// read directly; otherwise (or when the hint cannot be read) the cursor re-seeks by key.
#include <string>

#include "btree/node.h"
#include "btree/tree.h"
#include "page/page.h"

namespace esent::btree {

using cache::LatchMode;
using cache::PageRef;

Result<PageRef> Tree::find_edge_leaf(bool rightmost) {
  Pgno pgno = root_;
  int expected_level = -1;
  for (;;) {
    Result<PageRef> ref = get_page(pgno, LatchMode::kShared, expected_level);
    if (!ref.ok()) return ref.status();
    std::span<const std::byte> p = ref->bytes();
    int level = page::level(p);
    if (level == 0) return ref;
    std::size_t n = node::count(p);
    node::Entry entry;
    if (n == 0 || !node::read_entry(p, false, rightmost ? n - 1 : 0, entry)) {
      return Status(Error::kDatabaseCorrupted,
                    "B+tree page " + std::to_string(pgno) + ": corrupt internal page");
    }
    pgno = entry.child;
    expected_level = level - 1;
  }
}

Cursor::Cursor(Tree& tree) : tree_(tree) {}

void Cursor::load(std::span<const std::byte> leaf_bytes, Pgno pgno, std::size_t slot) {
  node::Entry entry;
  node::read_entry(leaf_bytes, true, slot, entry);  // the caller checked the slot
  key_.assign(entry.key);
  value_.assign(entry.value);
  leaf_ = pgno;
  leaf_dbtime_ = page::dbtime(leaf_bytes);
  slot_ = static_cast<int>(slot);
  state_ = State::kOnEntry;
}

Result<bool> Cursor::land_forward(PageRef leaf, std::size_t slot) {
  for (;;) {
    std::span<const std::byte> p = leaf.bytes();
    if (slot < node::count(p)) {
      node::Entry entry;
      if (!node::read_entry(p, true, slot, entry)) {
        return Status(Error::kDatabaseCorrupted,
                      "B+tree page " + std::to_string(leaf.pgno()) + ": corrupt leaf entry");
      }
      load(p, leaf.pgno(), slot);
      return true;
    }
    Pgno next = page::next(p);
    if (next == page::kNoPage) return false;
    leaf.release();
    Result<PageRef> ref = tree_.get_page(next, LatchMode::kShared, 0);
    if (!ref.ok()) return ref.status();
    leaf = std::move(ref.value());
    slot = 0;
  }
}

Result<bool> Cursor::land_backward(PageRef leaf, std::size_t slot) {
  for (;;) {
    std::span<const std::byte> p = leaf.bytes();
    if (slot > 0 && slot <= node::count(p)) {
      node::Entry entry;
      if (!node::read_entry(p, true, slot - 1, entry)) {
        return Status(Error::kDatabaseCorrupted,
                      "B+tree page " + std::to_string(leaf.pgno()) + ": corrupt leaf entry");
      }
      load(p, leaf.pgno(), slot - 1);
      return true;
    }
    Pgno previous = page::previous(p);
    if (previous == page::kNoPage) return false;
    leaf.release();
    Result<PageRef> ref = tree_.get_page(previous, LatchMode::kShared, 0);
    if (!ref.ok()) return ref.status();
    leaf = std::move(ref.value());
    slot = node::count(leaf.bytes());
  }
}

Result<bool> Cursor::seek(std::string_view key, SeekOp op) {
  Result<PageRef> leaf = tree_.find_leaf(key, LatchMode::kShared, nullptr);
  if (!leaf.ok()) return leaf.status();
  node::SearchResult found = node::search_leaf(leaf->bytes(), key);
  if (!found.ok) {
    return Status(Error::kDatabaseCorrupted,
                  "B+tree page " + std::to_string(leaf->pgno()) + ": corrupt leaf entry");
  }
  Result<bool> landed = false;
  switch (op) {
    case SeekOp::kEqual:
      landed = found.found ? land_forward(std::move(leaf.value()), found.slot) : Result<bool>(false);
      break;
    case SeekOp::kGreaterOrEqual:
      landed = land_forward(std::move(leaf.value()), found.slot);
      break;
    case SeekOp::kGreater:
      landed = land_forward(std::move(leaf.value()), found.slot + (found.found ? 1 : 0));
      break;
    case SeekOp::kLessOrEqual:
      landed = land_backward(std::move(leaf.value()), found.slot + (found.found ? 1 : 0));
      break;
    case SeekOp::kLess:
      landed = land_backward(std::move(leaf.value()), found.slot);
      break;
  }
  if (!landed.ok()) return landed;
  if (!landed.value()) {
    state_ = State::kBeforeFirst;
    key_.clear();
    value_.clear();
    leaf_ = page::kNoPage;
  }
  return landed;
}

Result<bool> Cursor::first() {
  Result<PageRef> leaf = tree_.find_edge_leaf(false);
  if (!leaf.ok()) return leaf.status();
  Result<bool> landed = land_forward(std::move(leaf.value()), 0);
  if (landed.ok() && !landed.value()) {
    state_ = State::kBeforeFirst;
    key_.clear();
    value_.clear();
    leaf_ = page::kNoPage;
  }
  return landed;
}

Result<bool> Cursor::last() {
  Result<PageRef> leaf = tree_.find_edge_leaf(true);
  if (!leaf.ok()) return leaf.status();
  std::size_t n = node::count(leaf->bytes());
  Result<bool> landed = land_backward(std::move(leaf.value()), n);
  if (landed.ok() && !landed.value()) {
    state_ = State::kAfterLast;
    key_.clear();
    value_.clear();
    leaf_ = page::kNoPage;
  }
  return landed;
}

Result<bool> Cursor::step(bool forward) {
  Result<bool> landed = false;
  bool done = false;
  if (state_ == State::kOnEntry && leaf_ != page::kNoPage) {
    // The hint: valid when the leaf is unchanged since the entry was read.
    Result<PageRef> hinted = tree_.store_.get(leaf_, LatchMode::kShared);
    if (hinted.ok()) {
      std::span<const std::byte> p = hinted->bytes();
      node::Entry entry;
      if (page::dbtime(p) == leaf_dbtime_ && page::type(p) == page::PageType::kBtreeLeaf &&
          page::object_id(p) == tree_.object_id_ && node::check_header(p) && slot_ >= 0 &&
          static_cast<std::size_t>(slot_) < node::count(p) &&
          node::read_entry(p, true, static_cast<std::size_t>(slot_), entry) && entry.key == key_) {
        auto slot = static_cast<std::size_t>(slot_);
        landed = forward ? land_forward(std::move(hinted.value()), slot + 1)
                         : land_backward(std::move(hinted.value()), slot);
        done = true;
      }
    }
  }
  if (!done) {
    Result<PageRef> leaf = tree_.find_leaf(key_, LatchMode::kShared, nullptr);
    if (!leaf.ok()) return leaf.status();
    node::SearchResult found = node::search_leaf(leaf->bytes(), key_);
    if (!found.ok) {
      return Status(Error::kDatabaseCorrupted,
                    "B+tree page " + std::to_string(leaf->pgno()) + ": corrupt leaf entry");
    }
    landed = forward ? land_forward(std::move(leaf.value()), found.slot + (found.found ? 1 : 0))
                     : land_backward(std::move(leaf.value()), found.slot);
  }
  if (!landed.ok()) return landed;
  if (!landed.value()) {
    state_ = forward ? State::kAfterLast : State::kBeforeFirst;
    key_.clear();
    value_.clear();
    leaf_ = page::kNoPage;
  }
  return landed;
}

Result<bool> Cursor::next() {
  switch (state_) {
    case State::kBeforeFirst:
      return first();
    case State::kAfterLast:
      return false;
    default:
      return step(true);
  }
}

Result<bool> Cursor::previous() {
  switch (state_) {
    case State::kAfterLast:
      return last();
    case State::kBeforeFirst:
      return false;
    default:
      return step(false);
  }
}

Status Cursor::replace(std::string_view value) {
  if (state_ != State::kOnEntry) return Error::kNoCurrentRecord;
  ESENT_RETURN_IF_ERROR(tree_.replace(key_, value));
  value_.assign(value);
  leaf_ = page::kNoPage;
  return Status::success();
}

Status Cursor::erase() {
  if (state_ != State::kOnEntry) return Error::kNoCurrentRecord;
  ESENT_RETURN_IF_ERROR(tree_.erase(key_));
  state_ = State::kBetween;
  value_.clear();
  leaf_ = page::kNoPage;
  return Status::success();
}

}  // namespace esent::btree
