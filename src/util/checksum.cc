#include "util/checksum.h"

#include <xxhash.h>

namespace esent {

std::uint64_t checksum64(const void* data, std::size_t size_bytes, std::uint64_t identity) {
  return XXH3_64bits_withSeed(data, size_bytes, identity);
}

}  // namespace esent
