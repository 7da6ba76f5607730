// Cursor: seeks with every SeekOp, iteration both ways, replace and erase through the cursor, and
// stability when the tree changes between cursor calls.
#include <gtest/gtest.h>

#include <cstdio>
#include <iterator>
#include <map>
#include <random>
#include <string>

#include "btree/tree.h"
#include "unit/btree/memory_page_store.h"
#include "unit/btree/test_util.h"

namespace esent::btree {
namespace {

using testing::MemoryPageStore;

bool moved(Result<bool> result) {
  EXPECT_TRUE(result.ok()) << result.status().to_string();
  return result.ok() && result.value();
}

TEST(Cursor, EmptyTree) {
  MemoryPageStore store(4096);
  Tree tree(store, Tree::create(store, 1, nullptr).value(), 1, nullptr);
  Cursor cursor(tree);
  EXPECT_EQ(cursor.state(), Cursor::State::kBeforeFirst);
  EXPECT_FALSE(moved(cursor.first()));
  EXPECT_FALSE(moved(cursor.last()));
  EXPECT_FALSE(moved(cursor.next()));
  EXPECT_FALSE(moved(cursor.previous()));
  EXPECT_FALSE(moved(cursor.seek("a", SeekOp::kGreaterOrEqual)));
  EXPECT_FALSE(cursor.positioned());
  EXPECT_EQ(cursor.replace("x").error(), Error::kNoCurrentRecord);
  EXPECT_EQ(cursor.erase().error(), Error::kNoCurrentRecord);
}

TEST(Cursor, SeekEveryOp) {
  MemoryPageStore store(4096);
  Tree tree(store, Tree::create(store, 1, nullptr).value(), 1, nullptr);
  for (const char* key : {"b", "d", "f"}) ASSERT_TRUE(tree.insert(key, std::string("v") + key).ok());
  Cursor cursor(tree);
  struct Case {
    const char* key;
    SeekOp op;
    const char* expected;  // nullptr: no entry
  };
  const Case cases[] = {
      {"a", SeekOp::kEqual, nullptr},          {"b", SeekOp::kEqual, "b"},
      {"c", SeekOp::kEqual, nullptr},          {"a", SeekOp::kGreaterOrEqual, "b"},
      {"b", SeekOp::kGreaterOrEqual, "b"},     {"c", SeekOp::kGreaterOrEqual, "d"},
      {"g", SeekOp::kGreaterOrEqual, nullptr}, {"b", SeekOp::kGreater, "d"},
      {"f", SeekOp::kGreater, nullptr},        {"", SeekOp::kGreater, "b"},
      {"b", SeekOp::kLessOrEqual, "b"},        {"c", SeekOp::kLessOrEqual, "b"},
      {"a", SeekOp::kLessOrEqual, nullptr},    {"z", SeekOp::kLessOrEqual, "f"},
      {"b", SeekOp::kLess, nullptr},           {"d", SeekOp::kLess, "b"},
      {"e", SeekOp::kLess, "d"},               {"z", SeekOp::kLess, "f"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.key) + " op " + std::to_string(static_cast<int>(c.op)));
    bool found = moved(cursor.seek(c.key, c.op));
    EXPECT_EQ(found, c.expected != nullptr);
    if (c.expected != nullptr && found) {
      EXPECT_EQ(cursor.key(), c.expected);
      EXPECT_EQ(cursor.value(), std::string("v") + c.expected);
      EXPECT_EQ(cursor.state(), Cursor::State::kOnEntry);
    } else {
      EXPECT_EQ(cursor.state(), Cursor::State::kBeforeFirst);
    }
  }
}

TEST(Cursor, IteratesAcrossLeavesBothWays) {
  MemoryPageStore store(4096);
  Tree tree(store, Tree::create(store, 1, nullptr).value(), 1, nullptr);
  const std::uint32_t rows = 3000;
  for (std::uint32_t i = 0; i < rows; ++i) {
    ASSERT_TRUE(tree.insert(testing::big_endian_key(i * 2), std::string(50, 'x')).ok());
  }
  ASSERT_GE(tree.depth().value(), 2);
  Cursor cursor(tree);
  std::uint32_t count = 0;
  while (moved(cursor.next())) {
    ASSERT_EQ(cursor.key(), testing::big_endian_key(count * 2));
    ++count;
  }
  EXPECT_EQ(count, rows);
  EXPECT_EQ(cursor.state(), Cursor::State::kAfterLast);
  EXPECT_FALSE(moved(cursor.next()));
  // After the last entry previous() acts as last().
  while (moved(cursor.previous())) {
    --count;
    ASSERT_EQ(cursor.key(), testing::big_endian_key(count * 2));
  }
  EXPECT_EQ(count, 0u);
  EXPECT_EQ(cursor.state(), Cursor::State::kBeforeFirst);
  EXPECT_FALSE(moved(cursor.previous()));
  EXPECT_TRUE(moved(cursor.next()));
  EXPECT_EQ(cursor.key(), testing::big_endian_key(0));
}

TEST(Cursor, ReplaceAndEraseThroughTheCursor) {
  MemoryPageStore store(4096);
  Tree tree(store, Tree::create(store, 1, nullptr).value(), 1, nullptr);
  for (std::uint32_t i = 0; i < 10; ++i) {
    ASSERT_TRUE(tree.insert(testing::big_endian_key(i), "v").ok());
  }
  Cursor cursor(tree);
  ASSERT_TRUE(moved(cursor.seek(testing::big_endian_key(5), SeekOp::kEqual)));
  ASSERT_TRUE(cursor.replace(std::string(300, 'r')).ok());
  EXPECT_EQ(cursor.value(), std::string(300, 'r'));
  EXPECT_EQ(testing::lookup(tree, testing::big_endian_key(5)), std::string(300, 'r'));
  ASSERT_TRUE(cursor.erase().ok());
  EXPECT_EQ(cursor.state(), Cursor::State::kBetween);
  EXPECT_EQ(testing::lookup(tree, testing::big_endian_key(5)), "<missing>");
  EXPECT_EQ(cursor.erase().error(), Error::kNoCurrentRecord);
  Cursor other(tree);
  ASSERT_TRUE(moved(other.seek(testing::big_endian_key(4), SeekOp::kEqual)));
  ASSERT_TRUE(moved(cursor.next()));
  EXPECT_EQ(cursor.key(), testing::big_endian_key(6));
  // Erase, then previous(): the entry before the erased one.
  ASSERT_TRUE(cursor.erase().ok());
  ASSERT_TRUE(moved(cursor.previous()));
  EXPECT_EQ(cursor.key(), testing::big_endian_key(4));
  EXPECT_EQ(other.key(), testing::big_endian_key(4));
  ASSERT_TRUE(moved(other.next()));
  EXPECT_EQ(other.key(), testing::big_endian_key(7));
}

TEST(Cursor, EraseEverythingWhileWalking) {
  MemoryPageStore store(4096);
  Tree tree(store, Tree::create(store, 1, nullptr).value(), 1, nullptr);
  const std::uint32_t rows = 2000;
  for (std::uint32_t i = 0; i < rows; ++i) {
    ASSERT_TRUE(tree.insert(testing::big_endian_key(i), std::string(60, 'x')).ok());
  }
  Cursor cursor(tree);
  std::uint32_t erased = 0;
  while (moved(cursor.next())) {
    ASSERT_EQ(cursor.key(), testing::big_endian_key(erased));
    ASSERT_TRUE(cursor.erase().ok());
    ++erased;
  }
  EXPECT_EQ(erased, rows);
  EXPECT_EQ(tree.depth().value(), 1);
  EXPECT_EQ(store.live_pages(), 1u);
}

// Cursors walk while other cursors and Tree calls insert, replace and erase around them
// (including their current entries), causing splits and merges between the walkers' calls.
TEST(Cursor, StableUnderInterleavedModification) {
  std::uint64_t seed = testing::test_seed(4242);
  std::printf("cursor stability seed=%llu\n", static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  MemoryPageStore store(4096);
  Tree tree(store, Tree::create(store, 1, nullptr).value(), 1, nullptr);
  std::map<std::string, std::string> model;
  auto random_key = [&] { return testing::big_endian_key(static_cast<std::uint32_t>(rng() % 20000)); };
  for (int i = 0; i < 4000; ++i) {
    std::string key = random_key();
    std::string value = testing::random_bytes(rng, rng() % 120, 26);
    if (model.emplace(key, value).second) {
      ASSERT_TRUE(tree.insert(key, value).ok());
    }
  }
  Cursor forward(tree);
  Cursor backward(tree);
  Cursor writer(tree);
  ASSERT_TRUE(moved(forward.first()));
  ASSERT_TRUE(moved(backward.last()));
  for (int round = 0; round < 6000; ++round) {
    // A burst of changes by others.
    int changes = static_cast<int>(rng() % 8);
    for (int c = 0; c < changes; ++c) {
      int roll = static_cast<int>(rng() % 10);
      if (roll < 4) {
        std::string key = random_key();
        std::string value = testing::random_bytes(rng, rng() % 200, 26);
        Status status = tree.insert(key, value);
        ASSERT_EQ(status.ok(), model.emplace(key, value).second);
      } else if (roll < 8 && !model.empty()) {
        // Erase near a walker (often its own entry), through another cursor.
        const std::string& near = rng() % 2 ? forward.key() : backward.key();
        Result<bool> found = writer.seek(near.empty() ? random_key() : near,
                                         SeekOp::kGreaterOrEqual);
        ASSERT_TRUE(found.ok());
        if (found.value()) {
          model.erase(writer.key());
          ASSERT_TRUE(writer.erase().ok());
        }
      } else if (!model.empty()) {
        auto at = model.lower_bound(random_key());
        if (at != model.end()) {
          std::string value = testing::random_bytes(rng, rng() % 300, 26);
          ASSERT_TRUE(tree.replace(at->first, value).ok());
          at->second = value;
        }
      }
    }
    // The walkers move one step relative to where they were.
    if (forward.state() == Cursor::State::kOnEntry || forward.state() == Cursor::State::kBetween) {
      std::string from = forward.key();
      bool landed = moved(forward.next());
      auto expected = model.upper_bound(from);
      ASSERT_EQ(landed, expected != model.end()) << "round " << round;
      if (landed) {
        ASSERT_EQ(forward.key(), expected->first);
        ASSERT_EQ(forward.value(), expected->second);
      }
    } else {
      ASSERT_TRUE(forward.first().ok());
    }
    if (backward.state() == Cursor::State::kOnEntry ||
        backward.state() == Cursor::State::kBetween) {
      std::string from = backward.key();
      bool landed = moved(backward.previous());
      auto expected = model.lower_bound(from);
      bool exists = expected != model.begin();
      ASSERT_EQ(landed, exists) << "round " << round;
      if (landed) {
        --expected;
        ASSERT_EQ(backward.key(), expected->first);
        ASSERT_EQ(backward.value(), expected->second);
      }
    } else {
      ASSERT_TRUE(backward.last().ok());
    }
  }
  Result<TreeStats> stats = check_tree(store, tree.root(), 1);
  ASSERT_TRUE(stats.ok()) << stats.status().to_string();
  EXPECT_EQ(stats->entries, model.size());
}

}  // namespace
}  // namespace esent::btree
