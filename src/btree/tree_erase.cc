// B+tree erase, merge and destroy.
//
// Erase removes the entry from its leaf. A non-root page left less than a quarter full is merged
// with a sibling under the same parent when both fit in one page: the right page's entries are
// appended to the left page (an internal right page's first entry takes the parent's separator
// as its key), the sibling links skip the right page, the right page is emptied (so a stale
// cursor hint or a later redo never sees its old entries) and freed, and its separator leaves
// the parent, which is then rebalanced in turn. A root left with a single child takes over the
// child's contents (the root never moves) and the child is freed; an empty tree is one empty
// leaf root. A page that cannot merge (no sibling under its parent, or no room) stays as it is,
// possibly empty; every reader skips empty leaves.
#include <string>
#include <vector>

#include "btree/node.h"
#include "btree/page_ops.h"
#include "btree/tree.h"
#include "page/page.h"

namespace esent::btree {

using cache::LatchMode;
using cache::PageRef;

namespace {

Status corrupt_page(Pgno pgno, const std::string& what) {
  return Status(Error::kDatabaseCorrupted, "B+tree page " + std::to_string(pgno) + ": " + what);
}

std::span<const std::byte> as_bytes(const std::string& s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

// Concatenates the page's entries; for an internal page the first takes `first_key`.
Status gather_entries(std::span<const std::byte> p, std::string_view first_key,
                      std::string& out) {
  bool leaf = node::is_leaf(p);
  std::size_t n = node::count(p);
  node::Entry entry;
  for (std::size_t i = 0; i < n; ++i) {
    if (!node::read_entry(p, leaf, i, entry)) {
      return corrupt_page(page::page_number(p), "corrupt entry");
    }
    if (!leaf && i == 0) {
      node::encode_internal_entry(first_key, entry.child, out);
    } else {
      out.append(reinterpret_cast<const char*>(p.data() + entry.offset), entry.bytes);
    }
  }
  return Status::success();
}

}  // namespace

Status Tree::erase_now(std::string_view key) {
  if (key.size() > max_key_bytes(store_.page_size())) return Error::kRecordNotFound;
  Result<PageRef> leaf = find_leaf(key, LatchMode::kExclusive, &path_);
  if (!leaf.ok()) return leaf.status();
  node::SearchResult found = node::search_leaf(leaf->bytes(), key);
  if (!found.ok) return corrupt_page(leaf->pgno(), "corrupt leaf entry");
  if (!found.found) return Error::kRecordNotFound;
  ESENT_RETURN_IF_ERROR(change(
      *leaf, PageOp::delete_entries(leaf->pgno(), static_cast<std::uint16_t>(found.slot), 1)));
  return rebalance(path_.size(), std::move(leaf.value()));
}

Status Tree::rebalance(std::size_t index, PageRef page) {
  if (index == 0) return collapse_root(std::move(page));
  const std::size_t capacity = node_capacity(store_.page_size());
  std::span<const std::byte> p = page.bytes();
  if (node::used_bytes(p) >= capacity / 4) return Status::success();
  const bool leaf = node::is_leaf(p);
  const int level = page::level(p);

  const PathStep step = path_[index - 1];
  Result<PageRef> parent = get_page(step.pgno, LatchMode::kExclusive, level + 1);
  if (!parent.ok()) return parent.status();
  std::span<const std::byte> parent_bytes = parent->bytes();
  const std::size_t parent_count = node::count(parent_bytes);

  // Candidates: merge this page into its left sibling, or its right sibling into this page.
  PageRef left;
  PageRef right;
  std::size_t right_slot = 0;
  node::Entry separator;
  auto merged_fits = [&](std::span<const std::byte> a, std::span<const std::byte> b,
                         std::size_t separator_bytes) {
    return node::used_bytes(a) + node::used_bytes(b) + (leaf ? 0 : separator_bytes) <= capacity;
  };
  if (step.slot > 0) {
    node::Entry left_entry;
    if (!node::read_entry(parent_bytes, false, step.slot - 1, left_entry) ||
        !node::read_entry(parent_bytes, false, step.slot, separator)) {
      return corrupt_page(step.pgno, "corrupt internal entry");
    }
    Result<PageRef> candidate = get_page(left_entry.child, LatchMode::kExclusive, level);
    if (!candidate.ok()) return candidate.status();
    if (merged_fits(candidate->bytes(), p, separator.key.size())) {
      left = std::move(candidate.value());
      right = std::move(page);
      right_slot = step.slot;
    }
  }
  if (!left && step.slot + 1 < parent_count) {
    node::Entry right_entry;
    if (!node::read_entry(parent_bytes, false, step.slot + 1, right_entry)) {
      return corrupt_page(step.pgno, "corrupt internal entry");
    }
    Result<PageRef> candidate = get_page(right_entry.child, LatchMode::kExclusive, level);
    if (!candidate.ok()) return candidate.status();
    if (merged_fits(p, candidate->bytes(), right_entry.key.size())) {
      left = std::move(page);
      right = std::move(candidate.value());
      right_slot = step.slot + 1;
      separator = right_entry;
    }
  }
  if (!left) return Status::success();

  const Pgno left_pgno = left.pgno();
  const Pgno right_pgno = right.pgno();
  std::span<const std::byte> right_bytes = right.bytes();
  if (page::next(left.bytes()) != right_pgno || page::previous(right_bytes) != left_pgno) {
    return corrupt_page(left_pgno, "sibling links disagree with the parent");
  }
  const std::size_t right_count = node::count(right_bytes);
  if (right_count > 0) {
    std::string payload;
    ESENT_RETURN_IF_ERROR(gather_entries(right_bytes, separator.key, payload));
    ESENT_RETURN_IF_ERROR(change(
        left, PageOp::insert_entries(left_pgno, node::count(left.bytes()),
                                     static_cast<std::uint16_t>(right_count), as_bytes(payload))));
  }
  const Pgno next_pgno = page::next(right_bytes);
  ESENT_RETURN_IF_ERROR(
      change(left, PageOp::set_siblings(left_pgno, page::previous(left.bytes()), next_pgno)));
  if (next_pgno != page::kNoPage) {
    Result<PageRef> next = get_page(next_pgno, LatchMode::kExclusive, level);
    if (!next.ok()) return next.status();
    ESENT_RETURN_IF_ERROR(
        change(*next, PageOp::set_siblings(next_pgno, left_pgno, page::next(next->bytes()))));
  }
  if (right_count > 0) {
    ESENT_RETURN_IF_ERROR(change(
        right, PageOp::delete_entries(right_pgno, 0, static_cast<std::uint16_t>(right_count))));
  }
  right.release();
  left.release();
  ESENT_RETURN_IF_ERROR(store_.free(right_pgno));
  ESENT_RETURN_IF_ERROR(change(
      *parent, PageOp::delete_entries(step.pgno, static_cast<std::uint16_t>(right_slot), 1)));
  return rebalance(index - 1, std::move(parent.value()));
}

Status Tree::collapse_root(PageRef root) {
  for (;;) {
    std::span<const std::byte> p = root.bytes();
    if (node::is_leaf(p) || node::count(p) != 1) return Status::success();
    node::Entry only;
    if (!node::read_entry(p, false, 0, only)) return corrupt_page(root_, "corrupt root entry");
    const int level = page::level(p);
    Result<PageRef> child = get_page(only.child, LatchMode::kExclusive, level - 1);
    if (!child.ok()) return child.status();
    std::span<const std::byte> child_bytes = child->bytes();
    const std::size_t child_count = node::count(child_bytes);
    std::string payload;
    ESENT_RETURN_IF_ERROR(gather_entries(child_bytes, {}, payload));
    const Pgno child_pgno = child->pgno();
    ESENT_RETURN_IF_ERROR(
        change(root, PageOp::init_page(root_, page::type(child_bytes), page::level(child_bytes),
                                       object_id_, 0, 0)));
    if (child_count > 0) {
      ESENT_RETURN_IF_ERROR(change(root, PageOp::insert_entries(
                                             root_, 0, static_cast<std::uint16_t>(child_count),
                                             as_bytes(payload))));
      ESENT_RETURN_IF_ERROR(change(*child, PageOp::delete_entries(
                                               child_pgno, 0,
                                               static_cast<std::uint16_t>(child_count))));
    }
    child->release();
    ESENT_RETURN_IF_ERROR(store_.free(child_pgno));
  }
}

Status Tree::destroy() {
  std::vector<Pgno> pending{root_};
  while (!pending.empty()) {
    Pgno pgno = pending.back();
    pending.pop_back();
    {
      Result<PageRef> ref = get_page(pgno, LatchMode::kShared, -1);
      if (!ref.ok()) return ref.status();
      std::span<const std::byte> p = ref->bytes();
      if (!node::is_leaf(p)) {
        node::Entry entry;
        for (std::size_t i = 0; i < node::count(p); ++i) {
          if (!node::read_entry(p, false, i, entry)) return corrupt_page(pgno, "corrupt entry");
          pending.push_back(entry.child);
        }
      }
    }
    ESENT_RETURN_IF_ERROR(store_.free(pgno));
  }
  return Status::success();
}

}  // namespace esent::btree
