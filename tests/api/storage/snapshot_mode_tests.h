// The snapshot differential test at one page size and a small cache, for the
// snapshot_differential_*k_mode_test.cc executables (JET_paramDatabasePageSize is per process).
// The including file defines
//   namespace esent_test::snapshot { inline constexpr std::uint32_t kModePageSizeBytes = ...; }
// before including this header, once.
#pragma once

#include <cstdint>

#include "snapshot_driver.h"

namespace esent_test::snapshot {
namespace {

// About 256 KiB of cache (64 pages of 4 KiB, 32 of 8 KiB, 32 of 32 KiB): the table, with its
// separately stored long values and old versions, does not fit, so pages are evicted and read
// back while transactions are open.
inline constexpr std::uint32_t kModeCacheSizePages =
    kModePageSizeBytes >= 8192 ? 32 : 262144 / kModePageSizeBytes;
inline constexpr std::int32_t kModeKeySpace = 160;

class SmallCacheDifferentialTest : public SnapshotDifferentialTest {
 protected:
  SmallCacheDifferentialTest() {
    page_size_bytes_ = kModePageSizeBytes;
    cache_size_pages_ = kModeCacheSizePages;
    key_space_ = kModeKeySpace;
  }
};

class SmallCacheStressTest : public SnapshotStressTest {
 protected:
  SmallCacheStressTest() {
    page_size_bytes_ = kModePageSizeBytes;
    cache_size_pages_ = kModeCacheSizePages;
  }
};

TEST_F(SmallCacheDifferentialTest, OneSessionMatchesTheModel) {
  RunDifferential(ChooseSeed(), LongTests() ? 20000 : DiffOperations(2000), 1);
}

TEST_F(SmallCacheDifferentialTest, SessionsOnThreadsMatchTheModel) {
  const std::uint64_t seed = ChooseSeed();
  RunDifferential(seed, DiffOperations(2500), 3 + static_cast<int>(seed % 3), DiffSeconds() / 3);
}

TEST_F(SmallCacheStressTest, FreeRunningSessionsKeepTheInvariants) {
  RunFreeStress(ChooseSeed(), 4, LongTests() ? 10000 : 400);
}

}  // namespace
}  // namespace esent_test::snapshot
