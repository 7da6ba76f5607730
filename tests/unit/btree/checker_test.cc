// check_tree finds deliberate corruption: each test breaks one invariant of a valid tree and
// expects kDatabaseCorrupted with a description naming the problem.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "btree/node.h"
#include "btree/tree.h"
#include "page/page.h"
#include "unit/btree/memory_page_store.h"
#include "unit/btree/test_util.h"

namespace esent::btree {
namespace {

using testing::MemoryPageStore;

class CheckerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = Tree::create(store_, 5, nullptr).value();
    Tree tree(store_, root_, 5, nullptr);
    // Long keys make long separators, so three levels come with few rows.
    for (std::uint32_t i = 0; i < 3000; ++i) {
      ASSERT_TRUE(tree.insert(key(i * 3), std::string(100, 'v')).ok());
    }
    Result<TreeStats> stats = check_tree(store_, root_, 5);
    ASSERT_TRUE(stats.ok()) << stats.status().to_string();
    ASSERT_EQ(stats->depth, 3);
  }

  static std::string key(std::uint32_t n) {
    return std::string(200, 'p') + testing::big_endian_key(n);
  }
  std::span<std::byte> page(Pgno pgno) { return store_.image(pgno); }
  Pgno child(Pgno parent, std::size_t slot) {
    node::Entry entry;
    EXPECT_TRUE(node::read_entry(page(parent), false, slot, entry));
    return entry.child;
  }
  // The n-th leaf from the left (through the first internal page below the root).
  Pgno leaf(std::size_t n) { return child(child(root_, 0), n); }

  void expect_corrupt(const std::string& fragment) {
    Result<TreeStats> stats = check_tree(store_, root_, 5);
    ASSERT_FALSE(stats.ok());
    EXPECT_EQ(stats.status().error(), Error::kDatabaseCorrupted);
    EXPECT_NE(stats.status().detail().find(fragment), std::string::npos)
        << stats.status().detail();
  }

  MemoryPageStore store_{4096};
  Pgno root_ = page::kNoPage;
};

TEST_F(CheckerTest, ValidTreePasses) {
  std::vector<Pgno> pages;
  Result<TreeStats> stats = check_tree(store_, root_, 5, &pages);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->entries, 3000u);
  EXPECT_EQ(pages.size(), store_.live_pages());
}

TEST_F(CheckerTest, SwappedKeysInALeaf) {
  std::span<std::byte> p = page(leaf(1));
  std::byte* slots = p.data() + NodeLayout::kSlots;
  std::byte first[2];
  std::memcpy(first, slots, 2);
  std::memcpy(slots, slots + 2, 2);
  std::memcpy(slots + 2, first, 2);
  expect_corrupt("out of order");
}

TEST_F(CheckerTest, BrokenNextLink) {
  page::set_next(page(leaf(2)), leaf(4));
  expect_corrupt("next is");
}

TEST_F(CheckerTest, BrokenPreviousLink) {
  page::set_previous(page(leaf(3)), page::kNoPage);
  expect_corrupt("previous is");
}

TEST_F(CheckerTest, KeyOutsideItsParentsBounds) {
  // The first key of leaf 1 becomes smaller than the separator that leads to it.
  std::span<std::byte> p = page(leaf(1));
  node::Entry entry;
  ASSERT_TRUE(node::read_entry(p, true, 0, entry));
  for (std::size_t i = entry.key.size() - 4; i < entry.key.size(); ++i) {
    p[entry.offset + NodeLayout::kLeafHeaderBytes + i] = std::byte{0};
  }
  expect_corrupt("below its range");
}

TEST_F(CheckerTest, WrongOwner) {
  page::set_object_id(page(leaf(0)), 99);
  expect_corrupt("owner 99");
}

TEST_F(CheckerTest, WrongLevel) {
  page::set_level(page(child(root_, 0)), 2);
  expect_corrupt("level");
}

TEST_F(CheckerTest, NotABtreePage) {
  page::set_type(page(leaf(5)), page::PageType::kFree);
  expect_corrupt("not a B+tree page");
}

TEST_F(CheckerTest, SpaceAccounting) {
  std::span<std::byte> p = page(leaf(0));
  node::store16(p.data() + NodeLayout::kFragmented, 7);
  expect_corrupt("space accounting");
}

TEST_F(CheckerTest, PageReachedTwice) {
  // The second internal page's second child points to a leaf the walk has already visited.
  std::span<std::byte> p = page(child(root_, 1));
  node::Entry entry;
  ASSERT_TRUE(node::read_entry(p, false, 1, entry));
  node::store32(p.data() + entry.offset + NodeLayout::kInternalChild, leaf(0));
  expect_corrupt("reached twice");
}

TEST_F(CheckerTest, OperationsReportCorruptionInsteadOfCrashing) {
  page::set_type(page(leaf(0)), page::PageType::kFree);
  Tree tree(store_, root_, 5, nullptr);
  EXPECT_EQ(tree.get(key(0)).status().error(), Error::kDatabaseCorrupted);
  EXPECT_EQ(tree.insert(key(1), "x").error(), Error::kDatabaseCorrupted);
  Cursor cursor(tree);
  EXPECT_EQ(cursor.first().status().error(), Error::kDatabaseCorrupted);
}

}  // namespace
}  // namespace esent::btree
