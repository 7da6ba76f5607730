// Tree point operations: basics, limits, splits, merges, and seeded differential tests against
// std::map across page sizes.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <iterator>
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


// The whole tree equals the model: forward and backward iteration, every seek op at keys taken
// from the model and random keys.
void expect_matches(Tree& tree, const std::map<std::string, std::string>& model,
                    std::mt19937_64& rng) {
  Cursor cursor(tree);
  auto it = model.begin();
  for (Result<bool> moved = cursor.first(); ; moved = cursor.next()) {
    ASSERT_TRUE(moved.ok()) << moved.status().to_string();
    if (!moved.value()) break;
    ASSERT_NE(it, model.end());
    ASSERT_EQ(cursor.key(), it->first);
    ASSERT_EQ(cursor.value(), it->second);
    ++it;
  }
  ASSERT_EQ(it, model.end());
  auto back = model.rbegin();
  for (Result<bool> moved = cursor.last(); ; moved = cursor.previous()) {
    ASSERT_TRUE(moved.ok()) << moved.status().to_string();
    if (!moved.value()) break;
    ASSERT_NE(back, model.rend());
    ASSERT_EQ(cursor.key(), back->first);
    ++back;
  }
  ASSERT_EQ(back, model.rend());
  for (int i = 0; i < 200; ++i) {
    std::string key;
    if (!model.empty() && i % 2 == 0) {
      auto at = model.begin();
      std::advance(at, static_cast<long>(rng() % model.size()));
      key = at->first;
    } else {
      key = testing::random_bytes(rng, rng() % 6, 4);
    }
    auto lower = model.lower_bound(key);
    auto upper = model.upper_bound(key);
    struct Expectation {
      SeekOp op;
      std::map<std::string, std::string>::const_iterator at;
    };
    auto exact = model.find(key);
    auto before = [&](std::map<std::string, std::string>::const_iterator pos) {
      return pos == model.begin() ? model.end() : std::prev(pos);
    };
    Expectation cases[] = {{SeekOp::kEqual, exact},
                           {SeekOp::kGreaterOrEqual, lower},
                           {SeekOp::kGreater, upper},
                           {SeekOp::kLessOrEqual, before(upper)},
                           {SeekOp::kLess, before(lower)}};
    for (const Expectation& expected : cases) {
      Result<bool> found = cursor.seek(key, expected.op);
      ASSERT_TRUE(found.ok()) << found.status().to_string();
      ASSERT_EQ(found.value(), expected.at != model.end()) << static_cast<int>(expected.op);
      if (found.value()) {
        ASSERT_EQ(cursor.key(), expected.at->first);
        ASSERT_EQ(cursor.value(), expected.at->second);
        // One step each way from a seek agrees with the model too.
        Result<bool> stepped = cursor.next();
        ASSERT_TRUE(stepped.ok());
        auto following = std::next(expected.at);
        ASSERT_EQ(stepped.value(), following != model.end());
        if (stepped.value()) {
          ASSERT_EQ(cursor.key(), following->first);
        }
      } else {
        ASSERT_EQ(cursor.state(), Cursor::State::kBeforeFirst);
      }
    }
  }
}

void expect_consistent(MemoryPageStore& store, Tree& tree, std::uint64_t entries) {
  std::vector<Pgno> pages;
  Result<TreeStats> stats = check_tree(store, tree.root(), tree.object_id(), &pages);
  ASSERT_TRUE(stats.ok()) << stats.status().to_string();
  EXPECT_EQ(stats->entries, entries);
  EXPECT_EQ(stats->leaf_pages + stats->internal_pages, pages.size());
  // No page leaks: every live page belongs to the tree.
  EXPECT_EQ(store.live_pages(), pages.size());
}

struct DifferentialCase {
  std::uint32_t page_size;
  std::uint64_t seed;
  bool big_entries;
  int grow_steps;
  int min_depth;
};

void run_differential(const DifferentialCase& c) {
  std::uint64_t seed = testing::test_seed(c.seed);
  std::printf("differential page_size=%u big=%d seed=%llu\n", c.page_size, c.big_entries,
              static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  MemoryPageStore store(c.page_size);
  Pgno root = Tree::create(store, 3, nullptr).value();
  Tree tree(store, root, 3, nullptr);
  std::map<std::string, std::string> model;
  const std::size_t max_key = max_key_bytes(c.page_size);
  const std::size_t max_entry = max_entry_bytes(c.page_size);
  auto make_key = [&]() {
    if (c.big_entries && rng() % 2 == 0) {
      // Long keys sharing long prefixes make long separators, so internal pages fill and split.
      std::size_t prefix = rng() % (max_key - 3);
      return std::string(prefix, 'k') + testing::random_bytes(rng, 1 + rng() % 3, 3);
    }
    return testing::random_bytes(rng, rng() % 12, 4) + testing::random_bytes(rng, rng() % 24);
  };
  auto make_value = [&](const std::string& key) {
    std::size_t room = max_entry - key.size();
    std::size_t length = c.big_entries && rng() % 4 == 0 ? rng() % (room + 1) : rng() % 40;
    return testing::random_bytes(rng, std::min(length, room));
  };
  auto existing_key = [&]() {
    auto at = model.begin();
    std::advance(at, static_cast<long>(rng() % model.size()));
    return at->first;
  };
  const int scale = testing::long_tests() ? 8 : 1;
  // Phases: grow (insert-heavy), churn, shrink to empty, grow again.
  const int steps[] = {c.grow_steps * scale, 2000 * scale, 2000 * scale, c.grow_steps * scale};
  const int insert_weights[] = {85, 40, 10, 85};
  const int replace_weights[] = {5, 20, 10, 5};
  int max_depth = 0;
  for (int phase = 0; phase < 4; ++phase) {
    SCOPED_TRACE("phase " + std::to_string(phase));
    for (int i = 0; i < steps[phase]; ++i) {
      int roll = static_cast<int>(rng() % 100);
      bool inserting = roll < insert_weights[phase];
      bool use_existing = !model.empty() && rng() % 10 < (inserting ? 1u : 7u);
      std::string key = use_existing ? existing_key() : make_key();
      bool present = model.count(key) != 0;
      if (roll < insert_weights[phase]) {
        std::string value = make_value(key);
        Status status = tree.insert(key, value);
        if (present) {
          ASSERT_EQ(status.error(), Error::kKeyDuplicate);
        } else {
          ASSERT_TRUE(status.ok()) << status.to_string();
          model.emplace(key, value);
        }
      } else if (roll < insert_weights[phase] + replace_weights[phase]) {
        std::string value = make_value(key);
        Status status = tree.replace(key, value);
        if (present) {
          ASSERT_TRUE(status.ok()) << status.to_string();
          model[key] = value;
        } else {
          ASSERT_EQ(status.error(), Error::kRecordNotFound);
        }
      } else if (roll < 95) {
        Status status = tree.erase(key);
        if (present) {
          ASSERT_TRUE(status.ok()) << status.to_string();
          model.erase(key);
        } else {
          ASSERT_EQ(status.error(), Error::kRecordNotFound);
        }
      } else {
        ASSERT_EQ(testing::lookup(tree, key), present ? model[key] : "<missing>");
      }
      if (i % 1000 == 999) {
        ASSERT_NO_FATAL_FAILURE(expect_consistent(store, tree, model.size()));
      }
    }
    if (phase == 2) {  // finish emptying the tree
      while (!model.empty()) {
        std::string key = existing_key();
        ASSERT_TRUE(tree.erase(key).ok());
        model.erase(key);
      }
      ASSERT_EQ(tree.depth().value(), 1);
    }
    ASSERT_NO_FATAL_FAILURE(expect_consistent(store, tree, model.size()));
    ASSERT_NO_FATAL_FAILURE(expect_matches(tree, model, rng));
    int depth = tree.depth().value();
    std::printf("  phase %d: %zu entries, depth %d, %llu pages\n", phase, model.size(), depth,
                static_cast<unsigned long long>(store.live_pages()));
    max_depth = std::max(max_depth, depth);
  }
  // The workload reached multi-level trees (internal splits and merges were exercised).
  EXPECT_GE(max_depth, c.min_depth);
  ASSERT_TRUE(tree.destroy().ok());
  EXPECT_EQ(store.live_pages(), 0u);
}

class TreeDifferential : public ::testing::TestWithParam<DifferentialCase> {};

TEST_P(TreeDifferential, MatchesStdMap) { run_differential(GetParam()); }

INSTANTIATE_TEST_SUITE_P(
    PageSizes, TreeDifferential,
    ::testing::Values(DifferentialCase{4096, 11, false, 8000, 2},
                      DifferentialCase{4096, 12, true, 3000, 3},
                      DifferentialCase{8192, 13, true, 4000, 3},
                      DifferentialCase{16384, 14, true, 6000, 3},
                      DifferentialCase{32768, 15, true, 10000, 3},
                      DifferentialCase{32768, 16, false, 10000, 2}));

TEST(Tree, RootStaysAndDepthGrowsAndShrinks) {
  MemoryPageStore store(4096);
  Pgno root = Tree::create(store, 2, nullptr).value();
  Tree tree(store, root, 2, nullptr);
  std::string value(200, 'v');
  for (std::uint32_t i = 0; i < 5000; ++i) {
    ASSERT_TRUE(tree.insert(testing::big_endian_key(i * 7919 % 5000), value).ok());
  }
  EXPECT_EQ(tree.root(), root);
  EXPECT_GE(tree.depth().value(), 3);
  ASSERT_NO_FATAL_FAILURE(expect_consistent(store, tree, 5000));
  for (std::uint32_t i = 0; i < 5000; ++i) {
    ASSERT_TRUE(tree.erase(testing::big_endian_key(i)).ok()) << i;
  }
  EXPECT_EQ(tree.depth().value(), 1);
  ASSERT_NO_FATAL_FAILURE(expect_consistent(store, tree, 0));
  EXPECT_EQ(store.live_pages(), 1u);
}

TEST(Tree, ReplaceGrowingValueSplits) {
  MemoryPageStore store(4096);
  Pgno root = Tree::create(store, 2, nullptr).value();
  Tree tree(store, root, 2, nullptr);
  for (std::uint32_t i = 0; i < 300; ++i) {
    ASSERT_TRUE(tree.insert(testing::big_endian_key(i), "small").ok());
  }
  std::string big(900, 'b');
  for (std::uint32_t i = 0; i < 300; i += 3) {
    ASSERT_TRUE(tree.replace(testing::big_endian_key(i), big).ok()) << i;
  }
  ASSERT_NO_FATAL_FAILURE(expect_consistent(store, tree, 300));
  for (std::uint32_t i = 0; i < 300; ++i) {
    EXPECT_EQ(testing::lookup(tree, testing::big_endian_key(i)), i % 3 == 0 ? big : "small");
  }
}

TEST(Tree, OutOfSpaceLeavesTheTreeUnchanged) {
  for (std::uint64_t limit : {1u, 2u, 5u, 17u, 40u}) {
    SCOPED_TRACE(limit);
    MemoryPageStore store(4096);
    store.set_page_limit(limit);
    Pgno root = Tree::create(store, 2, nullptr).value();
    Tree tree(store, root, 2, nullptr);
    std::map<std::string, std::string> model;
    std::mt19937_64 rng(limit);
    Status status;
    for (int i = 0; i < 100000 && status.ok(); ++i) {
      std::string key = std::string(rng() % 600, 'k') + testing::random_bytes(rng, 3, 200);
      std::string value = testing::random_bytes(rng, rng() % 300);
      if (model.count(key) != 0) continue;
      status = tree.insert(key, value);
      if (status.ok()) model.emplace(key, value);
    }
    EXPECT_EQ(status.error(), Error::kOutOfDatabaseSpace);
    ASSERT_NO_FATAL_FAILURE(expect_consistent(store, tree, model.size()));
    std::mt19937_64 check_rng(1);
    ASSERT_NO_FATAL_FAILURE(expect_matches(tree, model, check_rng));
    // Erasing still works (merges free pages) and inserting works again afterwards.
    auto it = model.begin();
    for (int i = 0; i < 10 && it != model.end(); ++i) {
      ASSERT_TRUE(tree.erase(it->first).ok());
      it = model.erase(it);
    }
    ASSERT_NO_FATAL_FAILURE(expect_consistent(store, tree, model.size()));
  }
}

TEST(Tree, SealedPagesVerify) {
  // With a store that seals each page when its exclusive latch is released and verifies it on
  // every get, a workload runs clean: every change goes through a PageRef under an X latch.
  MemoryPageStore store(8192, /*seal_pages=*/true);
  Pgno root = Tree::create(store, 2, nullptr).value();
  Tree tree(store, root, 2, nullptr);
  for (std::uint32_t i = 0; i < 3000; ++i) {
    ASSERT_TRUE(tree.insert(testing::big_endian_key(i * 7 % 3000), std::string(i % 200, 'v')).ok());
  }
  for (std::uint32_t i = 0; i < 3000; i += 2) ASSERT_TRUE(tree.erase(testing::big_endian_key(i)).ok());
  ASSERT_NO_FATAL_FAILURE(expect_consistent(store, tree, 1500));
  // A flipped byte is caught by the store's verification on the next read.
  std::vector<Pgno> pages;
  ASSERT_TRUE(check_tree(store, root, 2, &pages).ok());
  store.image(pages.back())[100] ^= std::byte{1};
  EXPECT_EQ(check_tree(store, root, 2).status().error(), Error::kReadVerifyFailure);
}

}  // namespace
}  // namespace esent::btree
