// Space-map page bit operations.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <vector>

#include "page/page.h"
#include "page/space_map.h"

namespace esent::page {
namespace {

TEST(SpaceMap, FreshMapHasOnlyItselfInUse) {
  std::vector<std::byte> p(4096);
  initialize_space_map(p, kFirstSpaceMapPage);
  const std::uint32_t interval = space_map_interval_pages(4096);
  EXPECT_TRUE(check_space_map(p, kFirstSpaceMapPage).ok());
  EXPECT_TRUE(space_bit(p, 0));
  EXPECT_EQ(count_free_bits(p, interval), interval - 1);
  EXPECT_EQ(first_free_bit(p, 0, interval), 1u);
  EXPECT_EQ(check_space_map(p, 3).error(), Error::kDatabaseCorrupted);
}

TEST(SpaceMap, WrongTypeIsCorruption) {
  std::vector<std::byte> p(4096);
  initialize(p, 2, PageType::kBtreeLeaf, 1, 0);
  EXPECT_EQ(check_space_map(p, 2).error(), Error::kDatabaseCorrupted);
}

TEST(SpaceMap, FirstFreeBitMatchesALinearScan) {
  const std::uint32_t seed = std::random_device{}();
  std::printf("seed %u\n", seed);
  std::mt19937 engine(seed);
  auto rng = [&engine] { return static_cast<std::uint32_t>(engine()); };
  std::vector<std::byte> p(8192);
  initialize_space_map(p, 2);
  const std::uint32_t interval = space_map_interval_pages(8192);
  std::set<std::uint32_t> used{0};
  for (int i = 0; i < 3000; ++i) {
    std::uint32_t bit = rng() % interval;
    bool in_use = rng() % 4 != 0;
    set_space_bit(p, bit, in_use);
    if (in_use) used.insert(bit); else used.erase(bit);
    std::uint32_t from = rng() % interval;
    std::uint32_t limit = from + rng() % (interval - from + 1);
    std::optional<std::uint32_t> expected;
    for (std::uint32_t b = from; b < limit; ++b) {
      if (!used.count(b)) { expected = b; break; }
    }
    ASSERT_EQ(first_free_bit(p, from, limit), expected) << from << " " << limit;
  }
  std::uint32_t limit = interval - 13;
  std::uint32_t used_below = 0;
  for (auto b : used) used_below += b < limit ? 1u : 0u;
  EXPECT_EQ(count_free_bits(p, limit), limit - used_below);
}

TEST(SpaceMap, FullMapHasNoFreeBit) {
  std::vector<std::byte> p(4096);
  initialize_space_map(p, 2);
  const std::uint32_t interval = space_map_interval_pages(4096);
  for (std::uint32_t b = 0; b < interval; ++b) set_space_bit(p, b, true);
  EXPECT_EQ(first_free_bit(p, 0, interval), std::nullopt);
  EXPECT_EQ(count_free_bits(p, interval), 0u);
  set_space_bit(p, interval - 1, false);
  EXPECT_EQ(first_free_bit(p, 0, interval), interval - 1);
}

}  // namespace
}  // namespace esent::page
