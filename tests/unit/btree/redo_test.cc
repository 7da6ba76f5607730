// Page operations as a log: a random workload's ops, recorded through a ChangeLog, replayed onto
// empty images and onto mixes of older and newer page images, reproduce every live page byte
// for byte; replaying twice changes nothing (redo is idempotent).
#include <gtest/gtest.h>

#include <cstdio>
#include <algorithm>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "btree/page_ops.h"
#include "btree/tree.h"
#include "page/page.h"
#include "unit/btree/memory_page_store.h"
#include "unit/btree/test_util.h"

namespace esent::btree {
namespace {

using testing::MemoryPageStore;
using Images = std::vector<std::vector<std::byte>>;

std::span<const std::byte> bytes_of(const std::string& s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

// Replays records [0, n) onto `images`; returns how many ops other than page images applied
// (an image replayed in order finds its page already at its dbtime and is skipped).
std::size_t replay(const std::vector<std::string>& records, Images& images) {
  std::size_t applied = 0;
  for (const std::string& record : records) {
    Result<PageOp> op = decode(bytes_of(record));
    EXPECT_TRUE(op.ok()) << op.status().to_string();
    if (!op.ok()) return applied;
    EXPECT_LT(op->pgno, images.size());
    Result<bool> done = redo(images[op->pgno], op.value());
    EXPECT_TRUE(done.ok()) << done.status().to_string();
    if (done.ok() && done.value() && op->type != PageOpType::kPageImage) ++applied;
  }
  return applied;
}

// Live pages equal, ignoring the checksum field.
void expect_same_live_pages(MemoryPageStore& store, const Images& images) {
  for (Pgno pgno = 1; pgno < store.page_count(); ++pgno) {
    if (!store.allocated(pgno)) continue;
    const std::vector<std::byte>& expected = store.image(pgno);
    const std::vector<std::byte>& actual = images[pgno];
    ASSERT_EQ(actual.size(), expected.size());
    ASSERT_EQ(std::memcmp(actual.data() + 8, expected.data() + 8, expected.size() - 8), 0)
        << "page " << pgno;
  }
}

class RedoTest : public ::testing::TestWithParam<std::uint32_t> {};

TEST_P(RedoTest, ReplayReproducesEveryPage) {
  const std::uint32_t page_size = GetParam();
  std::uint64_t seed = testing::test_seed(777 + page_size);
  std::printf("redo page_size=%u seed=%llu\n", page_size, static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  MemoryPageStore store(page_size);
  testing::RecordingLog log;
  Pgno root = Tree::create(store, 4, &log).value();
  Tree tree(store, root, 4, &log);
  std::map<std::string, std::string> model;
  std::vector<Images> snapshots;
  const std::size_t value_limit = max_entry_bytes(page_size) / 3;
  const int steps = testing::long_tests() ? 40000 : 6000;
  int max_depth = 0;
  for (int i = 0; i < steps; ++i) {
    // Grow, then shrink, then grow: splits, merges and root collapses all appear in the log.
    bool growing = (i / (steps / 3)) % 2 == 0;
    std::string key = (rng() % 2 ? std::string(rng() % 300, 'k') : std::string()) +
                      testing::random_bytes(rng, 1 + rng() % 20, 8);
    int roll = static_cast<int>(rng() % 100);
    if (roll < (growing ? 70 : 20)) {
      std::string value = testing::random_bytes(rng, rng() % value_limit);
      if (model.emplace(key, value).second) {
        ASSERT_TRUE(tree.insert(key, value).ok());
      }
    } else if (roll < 80 && !model.empty()) {
      auto at = model.lower_bound(key);
      if (at == model.end()) at = model.begin();
      std::string value = testing::random_bytes(rng, rng() % value_limit);
      ASSERT_TRUE(tree.replace(at->first, value).ok());
      at->second = value;
    } else if (!model.empty()) {
      auto at = model.lower_bound(key);
      if (at == model.end()) at = model.begin();
      ASSERT_TRUE(tree.erase(at->first).ok());
      model.erase(at);
    }
    if (i % 500 == 0) snapshots.push_back(store.snapshot());
    if (i % 100 == 0) max_depth = std::max(max_depth, tree.depth().value());
  }
  ASSERT_TRUE(check_tree(store, root, 4).ok());
  EXPECT_GE(max_depth, 3);  // internal splits and merges are in the log
  std::vector<std::uint64_t> positions;
  const std::vector<std::string> records = log.ops(&positions);
  ASSERT_FALSE(records.empty());
  std::printf("  %zu groups, %zu ops recorded, %zu entries, depth %d\n", log.groups.size(),
              records.size(), model.size(), tree.depth().value());

  // dbtimes increase with log position (an image carries the dbtime of the page it copies,
  // which precedes the op after it); each page was settled at its last group's position; no
  // page is left pending.
  std::map<Pgno, std::uint64_t> last_position;
  std::uint64_t previous_dbtime = 0;
  std::size_t images_logged = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    Result<PageOp> op = decode(bytes_of(records[i]));
    ASSERT_TRUE(op.ok());
    if (op->type == PageOpType::kPageImage) {
      ++images_logged;
      ASSERT_LE(op->dbtime, previous_dbtime);
    } else {
      ASSERT_GT(op->dbtime, previous_dbtime);
      previous_dbtime = op->dbtime;
    }
    last_position[op->pgno] = positions[i];
  }
  EXPECT_GT(images_logged, 0u);
  const std::size_t changes = records.size() - images_logged;
  for (Pgno pgno = 1; pgno < store.page_count(); ++pgno) EXPECT_FALSE(store.pending(pgno));
  for (Pgno pgno = 1; pgno < store.page_count(); ++pgno) {
    if (store.allocated(pgno)) {
      EXPECT_EQ(store.max_log_position(pgno), last_position[pgno]);
    }
  }

  // (a) From empty (never written) images.
  Images images(store.page_count(), std::vector<std::byte>(page_size));
  EXPECT_EQ(replay(records, images), changes);
  ASSERT_NO_FATAL_FAILURE(expect_same_live_pages(store, images));
  // Idempotent: a second replay applies nothing.
  EXPECT_EQ(replay(records, images), 0u);
  ASSERT_NO_FATAL_FAILURE(expect_same_live_pages(store, images));

  // (b) From a mix of older and newer images: each page from a random snapshot (or empty).
  for (int trial = 0; trial < 4; ++trial) {
    Images mixed(store.page_count(), std::vector<std::byte>(page_size));
    for (Pgno pgno = 1; pgno < store.page_count(); ++pgno) {
      std::size_t pick = rng() % (snapshots.size() + 2);
      if (pick < snapshots.size() && pgno < snapshots[pick].size()) {
        mixed[pgno] = snapshots[pick][pgno];
      } else if (pick == snapshots.size()) {
        mixed[pgno] = store.image(pgno);  // already current
      }
    }
    replay(records, mixed);
    ASSERT_NO_FATAL_FAILURE(expect_same_live_pages(store, mixed));
  }
}

INSTANTIATE_TEST_SUITE_P(PageSizes, RedoTest, ::testing::Values(4096u, 8192u));

TEST(Redo, SkipsOpsThePageAlreadyHas) {
  std::vector<std::byte> p(4096);
  PageOp init = PageOp::init_page(3, page::PageType::kBtreeLeaf, 0, 1, 0, 0);
  init.dbtime = 10;
  ASSERT_TRUE(redo(p, init).value());
  EXPECT_EQ(page::dbtime(p), 10u);
  PageOp siblings = PageOp::set_siblings(3, 7, 8);
  siblings.dbtime = 10;  // not newer
  EXPECT_FALSE(redo(p, siblings).value());
  EXPECT_EQ(page::next(p), 0u);
  siblings.dbtime = 11;
  EXPECT_TRUE(redo(p, siblings).value());
  EXPECT_EQ(page::next(p), 8u);
  EXPECT_EQ(page::dbtime(p), 11u);
  EXPECT_FALSE(redo(p, siblings).value());
}

}  // namespace
}  // namespace esent::btree
