// Tree point operations: basics, limits, splits, merges, and seeded differential tests against
// std::map across page sizes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <random>
#include <string>

#include "btree/node_format.h"
#include "btree/page_ops.h"
#include "btree/tree.h"
#include "unit/btree/memory_page_store.h"
#include "unit/btree/test_util.h"

namespace esent::btree {
namespace {

using testing::MemoryPageStore;

TEST(Tree, EmptyTreeIsOneEmptyLeafRoot) {
  MemoryPageStore store(4096);
  Result<Pgno> root = Tree::create(store, 7, nullptr);
  ASSERT_TRUE(root.ok());
  Tree tree(store, *root, 7, nullptr);
  EXPECT_EQ(tree.depth().value(), 1);
  Result<std::optional<std::string>> missing = tree.get("a");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing.value().has_value());
  Result<TreeStats> stats = check_tree(store, *root, 7);
  ASSERT_TRUE(stats.ok()) << stats.status().to_string();
  EXPECT_EQ(stats->depth, 1);
  EXPECT_EQ(stats->entries, 0u);
  EXPECT_EQ(stats->leaf_pages, 1u);
  EXPECT_EQ(store.live_pages(), 1u);
}

TEST(Tree, InsertGetReplaceErase) {
  MemoryPageStore store(4096);
  Pgno root = Tree::create(store, 1, nullptr).value();
  Tree tree(store, root, 1, nullptr);
  ASSERT_TRUE(tree.insert("b", "2").ok());
  ASSERT_TRUE(tree.insert("a", "1").ok());
  ASSERT_TRUE(tree.insert("", "empty key").ok());
  EXPECT_EQ(tree.insert("a", "x").error(), Error::kKeyDuplicate);
  EXPECT_EQ(testing::lookup(tree, "a"), "1");
  EXPECT_EQ(testing::lookup(tree, ""), "empty key");
  ASSERT_TRUE(tree.replace("a", "one").ok());
  EXPECT_EQ(testing::lookup(tree, "a"), "one");
  EXPECT_EQ(tree.replace("c", "x").error(), Error::kRecordNotFound);
  ASSERT_TRUE(tree.erase("a").ok());
  EXPECT_EQ(tree.erase("a").error(), Error::kRecordNotFound);
  EXPECT_EQ(testing::lookup(tree, "a"), "<missing>");
  EXPECT_EQ(testing::lookup(tree, "b"), "2");
  ASSERT_TRUE(check_tree(store, root, 1).ok());
}

TEST(Tree, Limits) {
  for (std::uint32_t page_size : {4096u, 8192u, 16384u, 32768u}) {
    SCOPED_TRACE(page_size);
    MemoryPageStore store(page_size);
    Pgno root = Tree::create(store, 1, nullptr).value();
    Tree tree(store, root, 1, nullptr);
    std::size_t max_key = max_key_bytes(page_size);
    std::size_t max_entry = max_entry_bytes(page_size);
    EXPECT_EQ(max_key, page_size == 4096 ? 1000u : 2000u);
    EXPECT_GE(max_entry, max_key);
    EXPECT_EQ(tree.insert(std::string(max_key + 1, 'k'), "").error(), Error::kInvalidParameter);
    EXPECT_EQ(tree.insert("k", std::string(max_entry, 'v')).error(), Error::kRecordTooBig);
    EXPECT_EQ(tree.replace("k", std::string(max_entry, 'v')).error(), Error::kRecordTooBig);
    // Many max-size entries with max-size keys: splits at every level must succeed.
    for (int i = 0; i < 40; ++i) {
      std::string key(max_key, 'k');
      key[max_key - 3] = static_cast<char>('a' + i / 26);
      key[max_key - 2] = static_cast<char>('a' + i % 26);
      ASSERT_TRUE(tree.insert(key, std::string(max_entry - max_key, 'v')).ok()) << i;
    }
    Result<TreeStats> stats = check_tree(store, root, 1);
    ASSERT_TRUE(stats.ok()) << stats.status().to_string();
    EXPECT_EQ(stats->entries, 40u);
    EXPECT_GE(stats->depth, 2);
  }
}

}  // namespace
}  // namespace esent::btree
