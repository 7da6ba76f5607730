// Sequential bulk load: 4-byte big-endian keys, 100-byte values, 4 KiB pages. Right-edge splits
// keep ~90% of a page on the left, so pages end up nearly full. 200k rows by default, 1M with
// ESENT_LONG_TESTS=1.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <vector>
#include <cstdio>
#include <string>

#include "btree/node_format.h"
#include "btree/tree.h"
#include "unit/btree/memory_page_store.h"
#include "unit/btree/test_util.h"

namespace esent::btree {
namespace {

using testing::MemoryPageStore;

TEST(TreeLoad, SequentialLoadFillsPagesAndReachesDepthThree) {
  const std::uint32_t rows = testing::long_tests() ? 1000000 : 200000;
  MemoryPageStore store(4096);
  Pgno root = Tree::create(store, 9, nullptr).value();
  Tree tree(store, root, 9, nullptr);
  std::string value(100, 'v');
  auto start = std::chrono::steady_clock::now();
  for (std::uint32_t i = 0; i < rows; ++i) {
    value[0] = static_cast<char>(i);
    Status status = tree.insert(testing::big_endian_key(i), value);
    ASSERT_TRUE(status.ok()) << i << " " << status.to_string();
  }
  auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
  std::printf("loaded %u rows in %.3f s (%.0f rows/s)\n", rows, elapsed.count(),
              rows / elapsed.count());

  std::vector<Pgno> pages;
  Result<TreeStats> stats = check_tree(store, root, 9, &pages);
  ASSERT_TRUE(stats.ok()) << stats.status().to_string();
  EXPECT_EQ(stats->entries, rows);
  EXPECT_GE(stats->depth, 3);
  EXPECT_EQ(store.live_pages(), pages.size());
  // Leaf fill: the live bytes of all entries over the leaf pages' capacity.
  double entry_bytes = static_cast<double>(rows) *
                       static_cast<double>(leaf_entry_bytes(4, 100) + NodeLayout::kSlotBytes);
  double fill = entry_bytes / (static_cast<double>(stats->leaf_pages) *
                               static_cast<double>(node_capacity(4096)));
  std::printf("depth %d, %llu leaves, %llu internal pages, leaf fill %.1f%%\n", stats->depth,
              static_cast<unsigned long long>(stats->leaf_pages),
              static_cast<unsigned long long>(stats->internal_pages), fill * 100);
  EXPECT_GE(fill, 0.85);
  EXPECT_LT(stats->internal_pages * 50, stats->leaf_pages);

  start = std::chrono::steady_clock::now();
  for (std::uint32_t i = 0; i < rows; ++i) {
    value[0] = static_cast<char>(i);
    Result<std::optional<std::string>> found = tree.get(testing::big_endian_key(i));
    ASSERT_TRUE(found.ok() && found.value().has_value() && *found.value() == value) << i;
  }
  elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
  std::printf("looked up %u rows in %.3f s\n", rows, elapsed.count());
  // A full scan through the leaf chain sees every row in order.
  Cursor cursor(tree);
  std::uint32_t seen = 0;
  for (Result<bool> moved = cursor.first(); moved.ok() && moved.value(); moved = cursor.next()) {
    ASSERT_EQ(cursor.key(), testing::big_endian_key(seen));
    ++seen;
  }
  EXPECT_EQ(seen, rows);
}

// Random-order load of the same rows: even splits leave pages about 2/3 full on average.
TEST(TreeLoad, RandomOrderLoad) {
  const std::uint32_t rows = testing::long_tests() ? 1000000 : 100000;
  std::uint64_t seed = testing::test_seed(99);
  std::printf("random load seed=%llu\n", static_cast<unsigned long long>(seed));
  std::vector<std::uint32_t> order(rows);
  for (std::uint32_t i = 0; i < rows; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937_64(seed));
  MemoryPageStore store(4096);
  Pgno root = Tree::create(store, 9, nullptr).value();
  Tree tree(store, root, 9, nullptr);
  std::string value(100, 'v');
  auto start = std::chrono::steady_clock::now();
  for (std::uint32_t i : order) {
    ASSERT_TRUE(tree.insert(testing::big_endian_key(i), value).ok()) << i;
  }
  auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
  Result<TreeStats> stats = check_tree(store, root, 9);
  ASSERT_TRUE(stats.ok()) << stats.status().to_string();
  EXPECT_EQ(stats->entries, rows);
  double fill = static_cast<double>(rows) * (leaf_entry_bytes(4, 100) + NodeLayout::kSlotBytes) /
                (static_cast<double>(stats->leaf_pages) * static_cast<double>(node_capacity(4096)));
  std::printf("random-order load of %u rows in %.3f s, depth %d, leaf fill %.1f%%\n", rows,
              elapsed.count(), stats->depth, fill * 100);
  EXPECT_GE(fill, 0.6);
}

}  // namespace
}  // namespace esent::btree
