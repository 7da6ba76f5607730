// B+tree search, insert and split.
//
// Descent latches one page at a time (the caller's tree lock excludes concurrent writers, see
// tree.h), recording the path of internal pages for writers. Insert puts the entry into its
// leaf when it fits; otherwise the page splits:
//   1. plan: gather the page's entries with the new one in place and choose the split point by
//      bytes (even halves; at the right edge of a level an append keeps ~90% on the left so
//      sequential loads fill pages); the separator is the shortest key between the halves
//      (leaves) or the first right key (internal pages, whose first entry then loses its key);
//   2. reserve every page the split can need up the path (out of space → nothing changed);
//   3. a non-root page keeps the left half and a new right sibling gets the rest, the sibling
//      links are fixed, and the separator is inserted into the parent (recursively);
//      the root moves both halves into two new children and becomes their parent.
// A failure of the ChangeLog or the PageStore in step 3 leaves the tree half-changed in memory;
// the engine treats such a failure as fatal for the instance (no retry), as for any log failure.
#include "btree/tree.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "btree/node.h"
#include "btree/page_ops.h"
#include "page/page.h"

namespace esent::btree {

using cache::LatchMode;
using cache::PageRef;

std::size_t max_entry_bytes(std::uint32_t page_size) { return max_entry_bytes_for(page_size); }
std::size_t max_key_bytes(std::uint32_t page_size) { return max_key_bytes_for(page_size); }

namespace {

Status corrupt_page(Pgno pgno, const std::string& what) {
  return Status(Error::kDatabaseCorrupted, "B+tree page " + std::to_string(pgno) + ": " + what);
}

std::span<const std::byte> as_bytes(const std::string& s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

}  // namespace

Tree::Tree(cache::PageStore& store, Pgno root, std::uint32_t object_id, ChangeLog* log)
    : store_(store), root_(root), object_id_(object_id), log_(log) {}

Result<Pgno> Tree::create(cache::PageStore& store, std::uint32_t object_id, ChangeLog* log) {
  Result<PageRef> page = store.allocate();
  if (!page.ok()) return page.status();
  Pgno pgno = page->pgno();
  Tree tree(store, pgno, object_id, log);
  ESENT_RETURN_IF_ERROR(tree.logged([&] {
    return tree.change(
        *page, PageOp::init_page(pgno, page::PageType::kBtreeLeaf, 0, object_id, 0, 0));
  }));
  return pgno;
}

Status Tree::change(PageRef& page, PageOp op) {
  op.dbtime = store_.next_dbtime();
  if (log_ == nullptr) {
    ESENT_RETURN_IF_ERROR(apply(page.mutable_bytes(), op));
    page.mark_dirty(0);
    return Status::success();
  }
  if (!in_group_) return Status(Error::kInternalError, "logged page change outside a group");
  // An init replaces the whole page, so it needs no image (the claim is cleared all the same).
  if (page.claim_image() && op.type != PageOpType::kInitPage) {
    PageOp image = PageOp::page_image(page.pgno(), page.bytes());
    image.dbtime = page::dbtime(page.bytes());
    encode_in_group(image, group_);
  }
  encode_in_group(op, group_);
  ESENT_RETURN_IF_ERROR(apply(page.mutable_bytes(), op));
  page.mark_dirty(cache::kPendingLogPosition);
  if (std::find(group_pages_.begin(), group_pages_.end(), page.pgno()) == group_pages_.end()) {
    group_pages_.push_back(page.pgno());
  }
  return Status::success();
}

Status Tree::log_ready() { return log_->ready(); }

Status Tree::finish_group(Status status) {
  if (group_pages_.empty()) return status;  // nothing changed
  if (!status.ok()) {
    store_.abandon(status);
    return status;
  }
  Result<std::uint64_t> position = log_->append(
      std::span<const std::byte>(reinterpret_cast<const std::byte*>(group_.data()), group_.size()));
  if (!position.ok()) {
    store_.abandon(position.status());
    return position.status();
  }
  for (Pgno pgno : group_pages_) store_.settle(pgno, position.value());
  return Status::success();
}

Result<PageRef> Tree::get_page(Pgno pgno, LatchMode mode, int expected_level) {
  Result<PageRef> ref = store_.get(pgno, mode);
  if (!ref.ok()) return ref.status();
  std::span<const std::byte> p = ref->bytes();
  page::PageType type = page::type(p);
  if (type != page::PageType::kBtreeLeaf && type != page::PageType::kBtreeInternal) {
    return corrupt_page(pgno, "not a B+tree page");
  }
  if (page::object_id(p) != object_id_) return corrupt_page(pgno, "owned by another object");
  std::uint16_t level = page::level(p);
  if ((level == 0) != (type == page::PageType::kBtreeLeaf)) {
    return corrupt_page(pgno, "page type does not match its level");
  }
  if (expected_level >= 0 && level != expected_level) return corrupt_page(pgno, "wrong level");
  if (!node::check_header(p)) return corrupt_page(pgno, "node header out of range");
  return ref;
}

Result<PageRef> Tree::find_leaf(std::string_view key, LatchMode leaf_mode,
                                std::vector<PathStep>* path) {
  if (path != nullptr) path->clear();
  Pgno pgno = root_;
  int expected_level = -1;
  LatchMode mode = LatchMode::kShared;
  for (;;) {
    Result<PageRef> ref = get_page(pgno, mode, expected_level);
    if (!ref.ok()) return ref.status();
    std::span<const std::byte> p = ref->bytes();
    int level = page::level(p);
    if (level == 0) {
      if (mode == leaf_mode) return ref;
      // Only a single-leaf root is reached in the wrong mode; relatch it.
      ref->release();
      mode = leaf_mode;
      expected_level = 0;
      continue;
    }
    node::SearchResult found = node::search_internal(p, key);
    node::Entry entry;
    if (!found.ok || !node::read_entry(p, false, found.slot, entry)) {
      return corrupt_page(pgno, "corrupt internal entry");
    }
    if (path != nullptr) path->push_back({pgno, found.slot});
    pgno = entry.child;
    expected_level = level - 1;
    mode = expected_level == 0 ? leaf_mode : LatchMode::kShared;
  }
}

Status Tree::check_entry_sizes(std::string_view key, std::string_view value) const {
  std::uint32_t page_size = store_.page_size();
  if (key.size() > max_key_bytes(page_size)) {
    return Status(Error::kInvalidParameter, "key longer than " +
                                                std::to_string(max_key_bytes(page_size)));
  }
  if (key.size() + value.size() > max_entry_bytes(page_size)) return Error::kRecordTooBig;
  return Status::success();
}

Result<std::optional<std::string>> Tree::get(std::string_view key) {
  if (key.size() > max_key_bytes(store_.page_size())) return std::optional<std::string>();
  Result<PageRef> leaf = find_leaf(key, LatchMode::kShared, nullptr);
  if (!leaf.ok()) return leaf.status();
  std::span<const std::byte> p = leaf->bytes();
  node::SearchResult found = node::search_leaf(p, key);
  if (!found.ok) return corrupt_page(leaf->pgno(), "corrupt leaf entry");
  if (!found.found) return std::optional<std::string>();
  node::Entry entry;
  node::read_entry(p, true, found.slot, entry);
  return std::optional<std::string>(std::string(entry.value));
}

Status Tree::insert(std::string_view key, std::string_view value) {
  return logged([&] { return insert_now(key, value); });
}

Status Tree::replace(std::string_view key, std::string_view value) {
  return logged([&] { return replace_now(key, value); });
}

Status Tree::erase(std::string_view key) {
  return logged([&] { return erase_now(key); });
}

Status Tree::insert_now(std::string_view key, std::string_view value) {
  ESENT_RETURN_IF_ERROR(check_entry_sizes(key, value));
  Result<PageRef> leaf = find_leaf(key, LatchMode::kExclusive, &path_);
  if (!leaf.ok()) return leaf.status();
  node::SearchResult found = node::search_leaf(leaf->bytes(), key);
  if (!found.ok) return corrupt_page(leaf->pgno(), "corrupt leaf entry");
  if (found.found) return Error::kKeyDuplicate;
  entry_buffer_.clear();
  node::encode_leaf_entry(key, value, entry_buffer_);
  return insert_entry(path_.size(), std::move(leaf.value()), found.slot, as_bytes(entry_buffer_));
}

Status Tree::replace_now(std::string_view key, std::string_view value) {
  ESENT_RETURN_IF_ERROR(check_entry_sizes(key, value));
  Result<PageRef> leaf = find_leaf(key, LatchMode::kExclusive, &path_);
  if (!leaf.ok()) return leaf.status();
  std::span<const std::byte> p = leaf->bytes();
  node::SearchResult found = node::search_leaf(p, key);
  if (!found.ok) return corrupt_page(leaf->pgno(), "corrupt leaf entry");
  if (!found.found) return Error::kRecordNotFound;
  node::Entry old_entry;
  node::read_entry(p, true, found.slot, old_entry);
  entry_buffer_.clear();
  node::encode_leaf_entry(key, value, entry_buffer_);
  Pgno pgno = leaf->pgno();
  auto slot = static_cast<std::uint16_t>(found.slot);
  if (node::free_bytes(p) + old_entry.bytes >= entry_buffer_.size()) {
    return change(*leaf, PageOp::replace_entry(pgno, slot, as_bytes(entry_buffer_)));
  }
  // The larger value does not fit: take the old entry out and insert the new one with a split.
  ESENT_RETURN_IF_ERROR(change(*leaf, PageOp::delete_entries(pgno, slot, 1)));
  return insert_entry(path_.size(), std::move(leaf.value()), found.slot, as_bytes(entry_buffer_));
}

Status Tree::insert_entry(std::size_t index, PageRef page, std::size_t slot,
                          std::span<const std::byte> entry) {
  if (node::free_bytes(page.bytes()) >= entry.size() + NodeLayout::kSlotBytes) {
    return change(page, PageOp::insert_entries(page.pgno(), static_cast<std::uint16_t>(slot), 1,
                                               entry));
  }
  Status status = split(index, std::move(page), slot, entry);
  Status released = release_reserve();
  return status.ok() ? released : status;
}

Result<int> Tree::depth() {
  Result<PageRef> root = get_page(root_, LatchMode::kShared, -1);
  if (!root.ok()) return root.status();
  return static_cast<int>(page::level(root->bytes())) + 1;
}

// --- Split ---

Status Tree::reserve_for_split(std::size_t index, std::size_t separator_entry_bytes) {
  // The page at `index` splits: one new page, two when it is the root. Each ancestor that may
  // not have room for the separator it receives may split too.
  std::size_t needed = index == 0 ? 2 : 1;
  std::size_t entry_bytes = separator_entry_bytes;
  std::size_t bound = internal_entry_bytes(max_key_bytes(store_.page_size()));
  for (std::size_t i = index; i-- > 0;) {
    Result<PageRef> ancestor = store_.get(path_[i].pgno, LatchMode::kShared);
    if (!ancestor.ok()) return ancestor.status();
    if (node::free_bytes(ancestor->bytes()) >= entry_bytes + NodeLayout::kSlotBytes) break;
    needed += i == 0 ? 2 : 1;
    entry_bytes = bound;
  }
  while (reserve_.size() < needed) {
    Result<PageRef> page = store_.allocate();
    if (!page.ok()) {
      Status released = release_reserve();
      (void)released;
      return page.status();
    }
    reserve_.push_back(std::move(page.value()));
  }
  return Status::success();
}

Result<PageRef> Tree::take_reserved_page() {
  if (reserve_.empty()) return store_.allocate();
  PageRef page = std::move(reserve_.back());
  reserve_.pop_back();
  return page;
}

Status Tree::release_reserve() {
  Status result;
  while (!reserve_.empty()) {
    Pgno pgno = reserve_.back().pgno();
    reserve_.pop_back();  // unlatches
    Status freed = store_.free(pgno);
    if (!freed.ok() && result.ok()) result = freed;
  }
  return result;
}

Status Tree::split(std::size_t index, PageRef page, std::size_t slot,
                   std::span<const std::byte> entry) {
  const Pgno pgno = page.pgno();
  // A copy of the page: the entries are referenced from it while the page changes.
  std::vector<std::byte> snapshot(page.bytes().begin(), page.bytes().end());
  std::span<const std::byte> old_page(snapshot);
  const bool leaf = node::is_leaf(old_page);
  const std::uint16_t level = page::level(old_page);
  const std::size_t n = node::count(old_page);
  const bool is_root = index == 0;

  std::vector<std::span<const std::byte>> items;
  items.reserve(n + 1);
  for (std::size_t i = 0; i < n; ++i) {
    if (i == slot) items.push_back(entry);
    std::span<const std::byte> raw = node::raw_entry(old_page, leaf, i);
    if (raw.empty()) return corrupt_page(pgno, "corrupt entry during split");
    items.push_back(raw);
  }
  if (slot == n) items.push_back(entry);

  // Choose k: items [0, k) stay left, [k, n] go right; both halves must fit.
  const std::size_t capacity = node_capacity(store_.page_size());
  std::vector<std::size_t> prefix(items.size() + 1, 0);
  for (std::size_t i = 0; i < items.size(); ++i) {
    prefix[i + 1] = prefix[i] + items[i].size() + NodeLayout::kSlotBytes;
  }
  const std::size_t total = prefix.back();
  auto fits = [&](std::size_t k) { return prefix[k] <= capacity && total - prefix[k] <= capacity; };
  std::size_t k = 0;
  if (slot == n && page::next(old_page) == page::kNoPage) {
    // Append at the right edge: keep the left page ~90% full.
    std::size_t target = capacity * 9 / 10;
    std::size_t candidate = 1;
    while (candidate + 1 <= n && prefix[candidate + 1] <= target) ++candidate;
    if (fits(candidate)) k = candidate;
  }
  if (k == 0) {
    std::size_t best_difference = SIZE_MAX;
    for (std::size_t candidate = 1; candidate <= n; ++candidate) {
      if (!fits(candidate)) continue;
      std::size_t left = prefix[candidate];
      std::size_t right = total - left;
      std::size_t difference = left > right ? left - right : right - left;
      if (difference < best_difference) {
        best_difference = difference;
        k = candidate;
      }
    }
  }
  if (k == 0) return Status(Error::kInternalError, "no split point fits");

  // The separator, and the right half's first entry (internal pages store it without its key).
  // Entries in `items` are well-formed (read from the page or built by the tree).
  auto key_of = [leaf](std::span<const std::byte> raw) {
    std::size_t header = leaf ? NodeLayout::kLeafHeaderBytes : NodeLayout::kInternalHeaderBytes;
    return std::string_view(reinterpret_cast<const char*>(raw.data() + header),
                            node::load16(raw.data()));
  };
  node::Entry first_right;
  node::Entry last_left;
  first_right.key = key_of(items[k]);
  last_left.key = key_of(items[k - 1]);
  if (!leaf) first_right.child = node::load32(items[k].data() + NodeLayout::kInternalChild);
  std::string_view separator =
      leaf ? node::shortest_separator(last_left.key, first_right.key) : first_right.key;
  if (!leaf && separator.empty()) return corrupt_page(pgno, "empty separator");
  if (leaf && last_left.key.compare(first_right.key) >= 0) {
    return corrupt_page(pgno, "keys out of order during split");
  }

  ESENT_RETURN_IF_ERROR(reserve_for_split(index, internal_entry_bytes(separator.size())));

  std::string left_payload;
  std::string right_payload;
  auto append = [](std::string& out, std::span<const std::byte> raw) {
    out.append(reinterpret_cast<const char*>(raw.data()), raw.size());
  };
  for (std::size_t i = k; i < items.size(); ++i) {
    if (i == k && !leaf) {
      node::encode_internal_entry({}, first_right.child, right_payload);
    } else {
      append(right_payload, items[i]);
    }
  }
  const auto right_count = static_cast<std::uint16_t>(items.size() - k);
  const page::PageType type = leaf ? page::PageType::kBtreeLeaf : page::PageType::kBtreeInternal;

  if (is_root) {
    for (std::size_t i = 0; i < k; ++i) append(left_payload, items[i]);
    Result<PageRef> left = take_reserved_page();
    if (!left.ok()) return left.status();
    Result<PageRef> right = take_reserved_page();
    if (!right.ok()) return right.status();
    Pgno left_pgno = left->pgno();
    Pgno right_pgno = right->pgno();
    ESENT_RETURN_IF_ERROR(
        change(*left, PageOp::init_page(left_pgno, type, level, object_id_, 0, right_pgno)));
    ESENT_RETURN_IF_ERROR(change(*left, PageOp::insert_entries(left_pgno, 0,
                                                               static_cast<std::uint16_t>(k),
                                                               as_bytes(left_payload))));
    ESENT_RETURN_IF_ERROR(
        change(*right, PageOp::init_page(right_pgno, type, level, object_id_, left_pgno, 0)));
    ESENT_RETURN_IF_ERROR(change(
        *right, PageOp::insert_entries(right_pgno, 0, right_count, as_bytes(right_payload))));
    std::string root_payload;
    node::encode_internal_entry({}, left_pgno, root_payload);
    node::encode_internal_entry(separator, right_pgno, root_payload);
    ESENT_RETURN_IF_ERROR(change(
        page, PageOp::init_page(pgno, page::PageType::kBtreeInternal,
                                static_cast<std::uint16_t>(level + 1), object_id_, 0, 0)));
    return change(page, PageOp::insert_entries(pgno, 0, 2, as_bytes(root_payload)));
  }

  Result<PageRef> right = take_reserved_page();
  if (!right.ok()) return right.status();
  const Pgno right_pgno = right->pgno();
  const Pgno next_pgno = page::next(old_page);
  ESENT_RETURN_IF_ERROR(
      change(*right, PageOp::init_page(right_pgno, type, level, object_id_, pgno, next_pgno)));
  ESENT_RETURN_IF_ERROR(change(
      *right, PageOp::insert_entries(right_pgno, 0, right_count, as_bytes(right_payload))));
  right->release();
  // The left half: old entries that moved right are deleted; the new entry goes in when it
  // belongs to the left half.
  if (slot < k) {
    ESENT_RETURN_IF_ERROR(change(page, PageOp::delete_entries(pgno, static_cast<std::uint16_t>(k - 1),
                                                              static_cast<std::uint16_t>(n - k + 1))));
    ESENT_RETURN_IF_ERROR(
        change(page, PageOp::insert_entries(pgno, static_cast<std::uint16_t>(slot), 1, entry)));
  } else if (n > k) {
    ESENT_RETURN_IF_ERROR(change(page, PageOp::delete_entries(pgno, static_cast<std::uint16_t>(k),
                                                              static_cast<std::uint16_t>(n - k))));
  }
  ESENT_RETURN_IF_ERROR(
      change(page, PageOp::set_siblings(pgno, page::previous(old_page), right_pgno)));
  page.release();
  if (next_pgno != page::kNoPage) {
    Result<PageRef> next = get_page(next_pgno, LatchMode::kExclusive, level);
    if (!next.ok()) return next.status();
    ESENT_RETURN_IF_ERROR(change(
        *next, PageOp::set_siblings(next_pgno, right_pgno, page::next(next->bytes()))));
  }

  std::string separator_entry;
  node::encode_internal_entry(separator, right_pgno, separator_entry);
  const PathStep parent_step = path_[index - 1];
  Result<PageRef> parent =
      get_page(parent_step.pgno, LatchMode::kExclusive, static_cast<int>(level) + 1);
  if (!parent.ok()) return parent.status();
  if (node::free_bytes(parent->bytes()) >= separator_entry.size() + NodeLayout::kSlotBytes) {
    return change(*parent, PageOp::insert_entries(parent_step.pgno,
                                                  static_cast<std::uint16_t>(parent_step.slot + 1),
                                                  1, as_bytes(separator_entry)));
  }
  return split(index - 1, std::move(parent.value()), parent_step.slot + 1,
               as_bytes(separator_entry));
}

}  // namespace esent::btree
