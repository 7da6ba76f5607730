#include "util/checksum.h"

#include <xxhash.h>

namespace esent {

std::uint64_t checksum64(const void* data, std::size_t size_bytes, std::uint64_t identity) {
  return XXH3_64bits_withSeed(data, size_bytes, identity);
}

FileChecksum::FileChecksum() : state_(XXH3_createState()) {
  XXH3_64bits_reset(static_cast<XXH3_state_t*>(state_));
}

FileChecksum::~FileChecksum() { XXH3_freeState(static_cast<XXH3_state_t*>(state_)); }

void FileChecksum::update(const void* data, std::size_t size_bytes) {
  XXH3_64bits_update(static_cast<XXH3_state_t*>(state_), data, size_bytes);
}

std::uint64_t FileChecksum::digest() const {
  return XXH3_64bits_digest(static_cast<const XXH3_state_t*>(state_));
}

}  // namespace esent
