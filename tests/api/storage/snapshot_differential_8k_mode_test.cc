// The snapshot differential test with JET_paramDatabasePageSize = 8 KiB and a small cache, in a
// process of its own (the page size is global to the process).
#include <cstdint>

namespace esent_test::snapshot {
inline constexpr std::uint32_t kModePageSizeBytes = 8192;
}  // namespace esent_test::snapshot

#include "snapshot_mode_tests.h"
