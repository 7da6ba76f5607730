// The one checksum of every on-disk page and log block: XXH3-64, seeded with the block's
// identity (page number or log generation) so that a block written in the wrong place fails.
#pragma once

#include <cstddef>
#include <cstdint>

namespace esent {

std::uint64_t checksum64(const void* data, std::size_t size_bytes, std::uint64_t identity);

// XXH3-64 (seed 0) of a stream fed in pieces: the checksum a backup manifest records for a
// whole file. Not thread-safe.
class FileChecksum {
 public:
  FileChecksum();
  ~FileChecksum();
  FileChecksum(const FileChecksum&) = delete;
  FileChecksum& operator=(const FileChecksum&) = delete;
  void update(const void* data, std::size_t size_bytes);
  std::uint64_t digest() const;

 private:
  void* state_;  // XXH3_state_t
};

}  // namespace esent
