// Keys of the long-value tree: a long value is split into chunks stored under
// long-value id (8 bytes big-endian) + offset of the chunk (4 bytes big-endian), so one value's
// chunks are adjacent and in order. Prose: docs/format/catalog.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "btree/tree.h"

namespace esent::catalog {

inline std::string long_value_key(std::uint64_t id, std::uint32_t offset) {
  std::string key(12, '\0');
  for (int i = 0; i < 8; ++i) key[static_cast<std::size_t>(i)] = static_cast<char>((id >> (56 - 8 * i)) & 0xFF);
  for (int i = 0; i < 4; ++i) key[static_cast<std::size_t>(8 + i)] = static_cast<char>((offset >> (24 - 8 * i)) & 0xFF);
  return key;
}

inline std::uint64_t long_value_id_of(std::string_view key) {
  std::uint64_t id = 0;
  for (std::size_t i = 0; i < 8 && i < key.size(); ++i) id = (id << 8) | static_cast<unsigned char>(key[i]);
  return id;
}

// The chunk size: the largest value the tree takes with a 12-byte key, rounded down to 256.
inline std::size_t long_value_chunk_bytes(std::uint32_t page_size) {
  std::size_t most = btree::max_entry_bytes(page_size) - 12;
  return most / 256 * 256;
}

}  // namespace esent::catalog
