// Reading and changing B+tree nodes (btree/node_format.h) inside a page buffer.
//
// Contracts:
// - Readers never read outside the page, whatever its bytes: check_header() validates the body
//   header in O(1) and read_entry() checks each entry it decodes; a false/error result means
//   the page is corrupt (the caller reports kDatabaseCorrupted). validate() checks everything
//   (used by the checker and by tests).
// - Mutators (init, insert, remove, replace) are called only by page_ops.cc's apply(), which
//   checks their preconditions first (slot in range, enough space, well-formed entries); they
//   then cannot fail. They never allocate; compaction uses a buffer on the stack.
// - Keys compare as unsigned bytes, a prefix sorting first (std::string_view::compare).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "btree/node_format.h"
#include "page/page.h"
#include "util/status.h"

namespace esent::btree::node {

using page::Pgno;

inline std::uint16_t load16(const std::byte* p) {
  std::uint16_t v;
  std::memcpy(&v, p, 2);
  return v;
}
inline std::uint32_t load32(const std::byte* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
inline void store16(std::byte* p, std::uint16_t v) { std::memcpy(p, &v, 2); }
inline void store32(std::byte* p, std::uint32_t v) { std::memcpy(p, &v, 4); }

inline std::uint16_t count(std::span<const std::byte> p) {
  return load16(p.data() + NodeLayout::kEntryCount);
}
inline std::uint16_t heap_start(std::span<const std::byte> p) {
  return load16(p.data() + NodeLayout::kHeapStart);
}
inline std::uint16_t fragmented(std::span<const std::byte> p) {
  return load16(p.data() + NodeLayout::kFragmented);
}
inline std::uint16_t slot_offset(std::span<const std::byte> p, std::size_t slot) {
  return load16(p.data() + NodeLayout::kSlots + slot * NodeLayout::kSlotBytes);
}
inline bool is_leaf(std::span<const std::byte> p) {
  return page::type(p) == page::PageType::kBtreeLeaf;
}

// Header plausibility: the slot array ends before the heap, the heap ends at the page end, the
// fragmented count fits in the heap. O(1).
inline bool check_header(std::span<const std::byte> p) {
  std::size_t n = count(p);
  std::size_t heap = heap_start(p);
  return NodeLayout::kSlots + n * NodeLayout::kSlotBytes <= heap && heap <= p.size() &&
         fragmented(p) <= p.size() - heap;
}

// Contiguous free bytes between the slot array and the heap (header must be valid).
inline std::size_t contiguous_free(std::span<const std::byte> p) {
  return heap_start(p) - NodeLayout::kSlots - count(p) * NodeLayout::kSlotBytes;
}
// All free bytes: contiguous plus fragmented.
inline std::size_t free_bytes(std::span<const std::byte> p) {
  return contiguous_free(p) + fragmented(p);
}
// Bytes used by slots and live entries.
inline std::size_t used_bytes(std::span<const std::byte> p) {
  return node_capacity(static_cast<std::uint32_t>(p.size())) - free_bytes(p);
}

struct Entry {
  std::string_view key;
  std::string_view value;  // leaves
  Pgno child = page::kNoPage;  // internal pages
  std::size_t bytes = 0;   // encoded size
  std::uint16_t offset = 0;
};

// Size of the encoded entry at `e` with `available` bytes after it; 0 when it does not fit.
inline std::size_t entry_size(const std::byte* e, std::size_t available, bool leaf) {
  if (leaf) {
    if (available < NodeLayout::kLeafHeaderBytes) return 0;
    std::size_t n = NodeLayout::kLeafHeaderBytes + load16(e) + load16(e + 2);
    return n <= available ? n : 0;
  }
  if (available < NodeLayout::kInternalHeaderBytes) return 0;
  std::size_t n = NodeLayout::kInternalHeaderBytes + load16(e);
  return n <= available ? n : 0;
}

// Decodes the entry in `slot` (< count). False when it reaches outside the heap.
inline bool read_entry(std::span<const std::byte> p, bool leaf, std::size_t slot, Entry& out) {
  std::size_t offset = slot_offset(p, slot);
  if (offset < heap_start(p) || offset >= p.size()) return false;
  const std::byte* e = p.data() + offset;
  std::size_t bytes = entry_size(e, p.size() - offset, leaf);
  if (bytes == 0) return false;
  out.offset = static_cast<std::uint16_t>(offset);
  out.bytes = bytes;
  if (leaf) {
    std::size_t key_length = load16(e);
    out.key = {reinterpret_cast<const char*>(e + NodeLayout::kLeafHeaderBytes), key_length};
    out.value = {reinterpret_cast<const char*>(e + NodeLayout::kLeafHeaderBytes + key_length),
                 load16(e + 2)};
    out.child = page::kNoPage;
  } else {
    out.key = {reinterpret_cast<const char*>(e + NodeLayout::kInternalHeaderBytes), load16(e)};
    out.value = {};
    out.child = load32(e + NodeLayout::kInternalChild);
  }
  return true;
}

// The raw encoded bytes of the entry in `slot` (empty when corrupt).
inline std::span<const std::byte> raw_entry(std::span<const std::byte> p, bool leaf,
                                            std::size_t slot) {
  Entry entry;
  if (!read_entry(p, leaf, slot, entry)) return {};
  return p.subspan(entry.offset, entry.bytes);
}

// Appends an encoded entry to `out`.
void encode_leaf_entry(std::string_view key, std::string_view value, std::string& out);
void encode_internal_entry(std::string_view key, Pgno child, std::string& out);

struct SearchResult {
  std::size_t slot = 0;  // leaf: first slot with key >= the searched key; internal: child slot
  bool found = false;    // leaf: the key is present at `slot`
  bool ok = true;        // false: an entry was corrupt
};

// Leaf: binary search for the first slot whose key is >= `key`.
SearchResult search_leaf(std::span<const std::byte> p, std::string_view key);
// Internal: the slot of the child whose range holds `key` (the last slot i with i == 0 or
// key_i <= key).
SearchResult search_internal(std::span<const std::byte> p, std::string_view key);

// --- Mutators (preconditions checked by the caller; see the file comment) ---

// Makes the body an empty node (the header is written by the caller).
void init(std::span<std::byte> p);
// Inserts `bytes` (one encoded entry) at `slot`; requires free_bytes >= bytes + slot size.
void insert(std::span<std::byte> p, std::size_t slot, std::span<const std::byte> bytes);
// Removes `n` slots starting at `slot` (their bytes become fragmented or are reclaimed).
void remove(std::span<std::byte> p, std::size_t slot, std::size_t n);
// Replaces the entry at `slot`; requires free_bytes + old size >= new size.
void replace(std::span<std::byte> p, std::size_t slot, std::span<const std::byte> bytes);
// Moves all entries to the end of the page so the free space is contiguous. The header and
// every slot must be valid (validate() succeeded, or the page was only changed by mutators).
void compact(std::span<std::byte> p);

// Full structural check: header, every entry inside the heap and not overlapping another,
// space accounting, keys strictly increasing (internal: from slot 1, slot 0 key empty).
// Returns kDatabaseCorrupted with a description.
Status validate(std::span<const std::byte> p);

// Shortest key s with left < s <= right (requires left < right): a prefix of `right`.
std::string_view shortest_separator(std::string_view left, std::string_view right);

}  // namespace esent::btree::node
