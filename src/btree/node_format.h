// The B+tree node: a slotted page in the body of a kBtreeLeaf or kBtreeInternal page. Prose,
// byte tables, worked example and rationale: docs/format/btree.md. Constants only; never move a
// field (bump kNodeFormatVersion and keep a reader for the old layout instead).
//
// Byte layout (little-endian), after the 64-byte common page header:
//  64  u16 entry_count      number of slots
//  66  u16 heap_start       page offset of the lowest entry byte; entries fill [heap_start, size)
//  68  u16 fragmented       bytes inside the heap that belong to no entry (deleted or shrunk)
//  70  u16 reserved         zero
//  72  u16 slots[entry_count]  page offsets of the entries, in strictly increasing key order
//  ... free space ...
//  heap_start ... page_size    entries, in any order, possibly with dead bytes between them
//
// Leaf entry:      u16 key_length, u16 value_length, key bytes, value bytes
// Internal entry:  u16 key_length, u32 child page number, key bytes
//   Internal entry i covers the keys in [key_i, key_{i+1}); the key of slot 0 is stored empty
//   and means "the lower bound of this page" (the parent's separator, or minus infinity).
//
// Space accounting: (page_size - heap_start) == sum of entry sizes + fragmented; the free space
// is heap_start - (72 + 2 * entry_count) contiguous bytes plus the fragmented bytes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "page/page_format.h"

namespace esent::btree {

inline constexpr std::uint32_t kNodeFormatVersion = 1;

struct NodeLayout {
  static constexpr std::size_t kEntryCount = page::PageHeaderLayout::kSize;  // 64
  static constexpr std::size_t kHeapStart = kEntryCount + 2;                 // 66
  static constexpr std::size_t kFragmented = kHeapStart + 2;                 // 68
  static constexpr std::size_t kReserved = kFragmented + 2;                  // 70
  static constexpr std::size_t kSlots = kReserved + 2;                       // 72
  static constexpr std::size_t kSlotBytes = 2;

  // Leaf entry header.
  static constexpr std::size_t kLeafKeyLength = 0;
  static constexpr std::size_t kLeafValueLength = 2;
  static constexpr std::size_t kLeafHeaderBytes = 4;
  // Internal entry header.
  static constexpr std::size_t kInternalKeyLength = 0;
  static constexpr std::size_t kInternalChild = 2;
  static constexpr std::size_t kInternalHeaderBytes = 6;
};

static_assert(NodeLayout::kEntryCount == 64);
static_assert(NodeLayout::kSlots == 72);
static_assert(NodeLayout::kSlots % 8 == 0);
// Offsets inside the largest page fit the u16 fields (heap_start may equal the page size).
static_assert(page::kMaxPageSize <= 65535);

// Bytes available to slots and entries.
constexpr std::size_t node_capacity(std::uint32_t page_size) {
  return page_size - NodeLayout::kSlots;
}

constexpr std::size_t leaf_entry_bytes(std::size_t key_bytes, std::size_t value_bytes) {
  return NodeLayout::kLeafHeaderBytes + key_bytes + value_bytes;
}
constexpr std::size_t internal_entry_bytes(std::size_t key_bytes) {
  return NodeLayout::kInternalHeaderBytes + key_bytes;
}

// Largest key + value: two such leaf entries (with their slots) fit in one page, so any full
// leaf plus one more entry can be split into two pages that each fit (a split point exists where
// the left part is the first to reach total - capacity: it is then below capacity, since no
// entry exceeds half of it).
constexpr std::size_t max_entry_bytes_for(std::uint32_t page_size) {
  return node_capacity(page_size) / 2 - NodeLayout::kSlotBytes - NodeLayout::kLeafHeaderBytes;
}
// Largest key: ESE's own limits (JET_cbKeyMost4KBytePage = 1000, JET_cbKeyMost8KBytePage = 2000)
// capped by the entry limit. At 4 KiB three separators of this size fit in an internal page (a
// split needs two), at 8 KiB and up at least four.
constexpr std::size_t max_key_bytes_for(std::uint32_t page_size) {
  std::size_t ese_limit = page_size <= 4096 ? 1000 : 2000;
  std::size_t entry_limit = max_entry_bytes_for(page_size);
  return ese_limit < entry_limit ? ese_limit : entry_limit;
}

static_assert(max_entry_bytes_for(4096) == 2006);
static_assert(max_key_bytes_for(4096) == 1000);
static_assert(max_key_bytes_for(8192) == 2000);
static_assert(max_entry_bytes_for(32768) == 16342);
static_assert(2 * (leaf_entry_bytes(max_entry_bytes_for(4096), 0) + NodeLayout::kSlotBytes) <=
              node_capacity(4096));
static_assert(3 * (internal_entry_bytes(max_key_bytes_for(4096)) + NodeLayout::kSlotBytes) <=
              node_capacity(4096));
static_assert(4 * (internal_entry_bytes(max_key_bytes_for(8192)) + NodeLayout::kSlotBytes) <=
              node_capacity(8192));

}  // namespace esent::btree
