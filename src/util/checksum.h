// The one checksum of every on-disk page and log block: XXH3-64, seeded with the block's
// identity (page number or log generation) so that a block written in the wrong place fails.
#pragma once

#include <cstddef>
#include <cstdint>

namespace esent {

std::uint64_t checksum64(const void* data, std::size_t size_bytes, std::uint64_t identity);

}  // namespace esent
