// check_tree: a depth-first walk of the whole tree, left to right, checking every invariant.
//
// Per page: not seen before; a B+tree page of the right owner; level as expected (leaves are
// level 0, each child one below its parent; the root has no siblings); node structure and space
// accounting (node::validate); every key inside [lower, upper) given by the parent's separators
// (internal separators strictly inside); internal pages not empty. Per level: the sibling chain
// matches the order the walk meets the pages (previous = the page met before, whose next is this
// page; the last page's next is 0). Across the leaves: keys strictly increasing.
// Page checksums are verified by the PageStore when it reads a page from disk.
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "btree/node.h"
#include "btree/tree.h"
#include "page/page.h"

namespace esent::btree {

namespace {

struct LevelChain {
  bool seen = false;
  Pgno last = page::kNoPage;
  Pgno last_next = page::kNoPage;
};

class Checker {
 public:
  Checker(cache::PageStore& store, std::uint32_t object_id, std::vector<Pgno>* pages)
      : store_(store), object_id_(object_id), pages_(pages) {}

  Status run(Pgno root) {
    ESENT_RETURN_IF_ERROR(visit(root, -1, std::nullopt, std::nullopt));
    for (std::size_t level = 0; level < chains_.size(); ++level) {
      if (chains_[level].last_next != page::kNoPage) {
        return corrupt(chains_[level].last,
                       "last page of level " + std::to_string(level) + " has a next sibling");
      }
    }
    return Status::success();
  }

  TreeStats stats;

 private:
  static Status corrupt(Pgno pgno, const std::string& what) {
    return Status(Error::kDatabaseCorrupted,
                  "B+tree check, page " + std::to_string(pgno) + ": " + what);
  }

  Status visit(Pgno pgno, int expected_level, const std::optional<std::string>& lower,
               const std::optional<std::string>& upper) {
    if (pgno == page::kNoPage) return corrupt(pgno, "child pointer 0");
    if (!visited_.insert(pgno).second) return corrupt(pgno, "page reached twice");
    Result<cache::PageRef> ref = store_.get(pgno, cache::LatchMode::kShared);
    if (!ref.ok()) return ref.status();
    std::span<const std::byte> p = ref->bytes();
    page::PageType type = page::type(p);
    if (type != page::PageType::kBtreeLeaf && type != page::PageType::kBtreeInternal) {
      return corrupt(pgno, "not a B+tree page (type " +
                               std::to_string(static_cast<int>(type)) + ")");
    }
    if (page::object_id(p) != object_id_) {
      return corrupt(pgno, "owner " + std::to_string(page::object_id(p)) + " instead of " +
                               std::to_string(object_id_));
    }
    int level = page::level(p);
    if ((level == 0) != (type == page::PageType::kBtreeLeaf)) {
      return corrupt(pgno, "type does not match level " + std::to_string(level));
    }
    if (expected_level < 0) {
      stats.depth = level + 1;
      chains_.assign(static_cast<std::size_t>(level) + 1, LevelChain{});
      if (page::previous(p) != page::kNoPage || page::next(p) != page::kNoPage) {
        return corrupt(pgno, "root has siblings");
      }
    } else if (level != expected_level) {
      return corrupt(pgno, "level " + std::to_string(level) + ", expected " +
                               std::to_string(expected_level));
    }
    Status valid = node::validate(p);
    if (!valid.ok()) return corrupt(pgno, valid.detail());

    LevelChain& chain = chains_[static_cast<std::size_t>(level)];
    if (!chain.seen) {
      if (page::previous(p) != page::kNoPage) return corrupt(pgno, "leftmost page has a previous");
    } else {
      if (page::previous(p) != chain.last) {
        return corrupt(pgno, "previous is " + std::to_string(page::previous(p)) + ", expected " +
                                 std::to_string(chain.last));
      }
      if (chain.last_next != pgno) {
        return corrupt(chain.last, "next is " + std::to_string(chain.last_next) +
                                       ", expected " + std::to_string(pgno));
      }
    }
    chain.seen = true;
    chain.last = pgno;
    chain.last_next = page::next(p);
    if (pages_ != nullptr) pages_->push_back(pgno);

    const std::size_t n = node::count(p);
    node::Entry entry;
    if (level == 0) {
      ++stats.leaf_pages;
      for (std::size_t i = 0; i < n; ++i) {
        node::read_entry(p, true, i, entry);  // validated above
        if (lower && entry.key.compare(*lower) < 0) return corrupt(pgno, "key below its range");
        if (upper && entry.key.compare(*upper) >= 0) return corrupt(pgno, "key above its range");
        if (have_last_key_ && last_key_.compare(entry.key) >= 0) {
          return corrupt(pgno, "key not greater than the previous leaf's last key");
        }
        last_key_.assign(entry.key);
        have_last_key_ = true;
        ++stats.entries;
      }
      return Status::success();
    }

    ++stats.internal_pages;
    if (n == 0) return corrupt(pgno, "empty internal page");
    std::vector<std::pair<std::string, Pgno>> children;
    children.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      node::read_entry(p, false, i, entry);
      if (i > 0) {
        if (lower && entry.key.compare(*lower) <= 0) {
          return corrupt(pgno, "separator not above its range's lower bound");
        }
        if (upper && entry.key.compare(*upper) >= 0) {
          return corrupt(pgno, "separator not below its range's upper bound");
        }
      }
      children.emplace_back(std::string(entry.key), entry.child);
    }
    ref->release();
    for (std::size_t i = 0; i < n; ++i) {
      std::optional<std::string> child_lower = i == 0 ? lower : std::optional(children[i].first);
      std::optional<std::string> child_upper =
          i + 1 < n ? std::optional(children[i + 1].first) : upper;
      ESENT_RETURN_IF_ERROR(visit(children[i].second, level - 1, child_lower, child_upper));
    }
    return Status::success();
  }

  cache::PageStore& store_;
  std::uint32_t object_id_;
  std::vector<Pgno>* pages_;
  std::unordered_set<Pgno> visited_;
  std::vector<LevelChain> chains_;
  std::string last_key_;
  bool have_last_key_ = false;
};

}  // namespace

Result<TreeStats> check_tree(cache::PageStore& store, Pgno root, std::uint32_t object_id,
                             std::vector<Pgno>* pages) {
  if (pages != nullptr) pages->clear();
  Checker checker(store, object_id, pages);
  ESENT_RETURN_IF_ERROR(checker.run(root));
  return checker.stats;
}

}  // namespace esent::btree
