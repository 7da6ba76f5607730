// The page-size acceptance tests with JET_paramDatabasePageSize = 16 KiB, in a process of their
// own (the page size is global to the process).
#include <cstdint>

namespace esent_test {
inline constexpr std::uint32_t kModePageSizeBytes = 16384;
}  // namespace esent_test

#include "page_size_mode_tests.h"
