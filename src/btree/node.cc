// Slotted-node operations. Design: the slot array grows up from offset 72, the entry heap grows
// down from the page end. A deleted entry's bytes are reclaimed at once when it is the lowest in
// the heap, otherwise counted as fragmented; an insert that does not find enough contiguous
// space compacts the heap first (one pass through a stack buffer).
#include "btree/node.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

namespace esent::btree::node {

namespace {

void set_count(std::span<std::byte> p, std::size_t n) {
  store16(p.data() + NodeLayout::kEntryCount, static_cast<std::uint16_t>(n));
}
void set_heap_start(std::span<std::byte> p, std::size_t v) {
  store16(p.data() + NodeLayout::kHeapStart, static_cast<std::uint16_t>(v));
}
void set_fragmented(std::span<std::byte> p, std::size_t v) {
  store16(p.data() + NodeLayout::kFragmented, static_cast<std::uint16_t>(v));
}
std::byte* slot_address(std::span<std::byte> p, std::size_t slot) {
  return p.data() + NodeLayout::kSlots + slot * NodeLayout::kSlotBytes;
}
void set_slot(std::span<std::byte> p, std::size_t slot, std::size_t offset) {
  store16(slot_address(p, slot), static_cast<std::uint16_t>(offset));
}

// Size of the live entry at `offset` of a page whose entries are known to be valid.
std::size_t trusted_entry_size(std::span<const std::byte> p, std::size_t offset, bool leaf) {
  const std::byte* e = p.data() + offset;
  return leaf ? NodeLayout::kLeafHeaderBytes + load16(e) + load16(e + 2)
              : NodeLayout::kInternalHeaderBytes + load16(e);
}

// Releases an entry's bytes: reclaimed when lowest in the heap, else fragmented.
void release_bytes(std::span<std::byte> p, std::size_t offset, std::size_t bytes) {
  if (offset == heap_start(p)) {
    set_heap_start(p, offset + bytes);
  } else {
    set_fragmented(p, fragmented(p) + bytes);
  }
}

// Takes `bytes` from the contiguous free space (compacting first if needed); returns the offset.
std::size_t take_bytes(std::span<std::byte> p, std::size_t bytes, std::size_t extra_slots) {
  if (contiguous_free(p) < bytes + extra_slots * NodeLayout::kSlotBytes) compact(p);
  std::size_t offset = heap_start(p) - bytes;
  set_heap_start(p, offset);
  return offset;
}

}  // namespace

void encode_leaf_entry(std::string_view key, std::string_view value, std::string& out) {
  std::size_t at = out.size();
  out.resize(at + NodeLayout::kLeafHeaderBytes + key.size() + value.size());
  auto* e = reinterpret_cast<std::byte*>(out.data() + at);
  store16(e, static_cast<std::uint16_t>(key.size()));
  store16(e + 2, static_cast<std::uint16_t>(value.size()));
  if (!key.empty()) std::memcpy(e + NodeLayout::kLeafHeaderBytes, key.data(), key.size());
  if (!value.empty()) {
    std::memcpy(e + NodeLayout::kLeafHeaderBytes + key.size(), value.data(), value.size());
  }
}

void encode_internal_entry(std::string_view key, Pgno child, std::string& out) {
  std::size_t at = out.size();
  out.resize(at + NodeLayout::kInternalHeaderBytes + key.size());
  auto* e = reinterpret_cast<std::byte*>(out.data() + at);
  store16(e, static_cast<std::uint16_t>(key.size()));
  store32(e + NodeLayout::kInternalChild, child);
  if (!key.empty()) std::memcpy(e + NodeLayout::kInternalHeaderBytes, key.data(), key.size());
}

SearchResult search_leaf(std::span<const std::byte> p, std::string_view key) {
  SearchResult result;
  std::size_t low = 0;
  std::size_t high = count(p);
  Entry entry;
  while (low < high) {
    std::size_t mid = low + (high - low) / 2;
    if (!read_entry(p, true, mid, entry)) {
      result.ok = false;
      return result;
    }
    int c = entry.key.compare(key);
    if (c < 0) {
      low = mid + 1;
    } else if (c > 0) {
      high = mid;
    } else {
      result.slot = mid;
      result.found = true;
      return result;
    }
  }
  result.slot = low;
  return result;
}

SearchResult search_internal(std::span<const std::byte> p, std::string_view key) {
  SearchResult result;
  std::size_t n = count(p);
  if (n == 0) {
    result.ok = false;
    return result;
  }
  // First slot in [1, n) whose key is > `key`; the child is the slot before it.
  std::size_t low = 1;
  std::size_t high = n;
  Entry entry;
  while (low < high) {
    std::size_t mid = low + (high - low) / 2;
    if (!read_entry(p, false, mid, entry)) {
      result.ok = false;
      return result;
    }
    if (entry.key.compare(key) <= 0) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  result.slot = low - 1;
  return result;
}

void init(std::span<std::byte> p) {
  set_count(p, 0);
  set_heap_start(p, p.size());
  set_fragmented(p, 0);
  store16(p.data() + NodeLayout::kReserved, 0);
}

void insert(std::span<std::byte> p, std::size_t slot, std::span<const std::byte> bytes) {
  std::size_t offset = take_bytes(p, bytes.size(), 1);
  std::memcpy(p.data() + offset, bytes.data(), bytes.size());
  std::size_t n = count(p);
  std::byte* at = slot_address(p, slot);
  std::memmove(at + NodeLayout::kSlotBytes, at, (n - slot) * NodeLayout::kSlotBytes);
  set_slot(p, slot, offset);
  set_count(p, n + 1);
}

void remove(std::span<std::byte> p, std::size_t slot, std::size_t n_removed) {
  bool leaf = is_leaf(p);
  for (std::size_t i = slot; i < slot + n_removed; ++i) {
    std::size_t offset = slot_offset(p, i);
    release_bytes(p, offset, trusted_entry_size(p, offset, leaf));
  }
  std::size_t n = count(p);
  std::memmove(slot_address(p, slot), slot_address(p, slot + n_removed),
               (n - slot - n_removed) * NodeLayout::kSlotBytes);
  set_count(p, n - n_removed);
  if (count(p) == 0) {  // nothing live: the whole heap is free again
    set_heap_start(p, p.size());
    set_fragmented(p, 0);
  }
}

void replace(std::span<std::byte> p, std::size_t slot, std::span<const std::byte> bytes) {
  bool leaf = is_leaf(p);
  std::size_t offset = slot_offset(p, slot);
  std::size_t old_bytes = trusted_entry_size(p, offset, leaf);
  if (bytes.size() <= old_bytes) {
    std::memcpy(p.data() + offset, bytes.data(), bytes.size());
    set_fragmented(p, fragmented(p) + (old_bytes - bytes.size()));
    return;
  }
  if (contiguous_free(p) >= bytes.size()) {
    release_bytes(p, offset, old_bytes);
    std::size_t new_offset = heap_start(p) - bytes.size();
    set_heap_start(p, new_offset);
    std::memcpy(p.data() + new_offset, bytes.data(), bytes.size());
    set_slot(p, slot, new_offset);
    return;
  }
  remove(p, slot, 1);
  insert(p, slot, bytes);
}

void compact(std::span<std::byte> p) {
  std::array<std::byte, page::kMaxPageSize> buffer;
  bool leaf = is_leaf(p);
  std::size_t n = count(p);
  std::size_t top = p.size();
  // Lay the entries out from the page end down, in slot order, in the buffer.
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t offset = slot_offset(p, i);
    std::size_t bytes = trusted_entry_size(p, offset, leaf);
    top -= bytes;
    std::memcpy(buffer.data() + top, p.data() + offset, bytes);
    set_slot(p, i, top);
  }
  std::memcpy(p.data() + top, buffer.data() + top, p.size() - top);
  set_heap_start(p, top);
  set_fragmented(p, 0);
}

Status validate(std::span<const std::byte> p) {
  auto corrupt = [&](const std::string& what) {
    return Status(Error::kDatabaseCorrupted,
                  "page " + std::to_string(page::page_number(p)) + ": " + what);
  };
  if (p.size() < NodeLayout::kSlots) return corrupt("page too small");
  if (!check_header(p)) return corrupt("node header out of range");
  bool leaf = is_leaf(p);
  std::size_t n = count(p);
  std::vector<std::pair<std::size_t, std::size_t>> extents;
  extents.reserve(n);
  std::size_t live = 0;
  Entry entry;
  std::string_view previous_key;
  for (std::size_t i = 0; i < n; ++i) {
    if (!read_entry(p, leaf, i, entry)) {
      return corrupt("entry " + std::to_string(i) + " outside the page");
    }
    extents.emplace_back(entry.offset, entry.bytes);
    live += entry.bytes;
    if (!leaf && i == 0) {
      if (!entry.key.empty()) return corrupt("first separator is not empty");
    } else if ((leaf && i > 0) || (!leaf && i > 1)) {
      if (previous_key.compare(entry.key) >= 0) {
        return corrupt("keys out of order at slot " + std::to_string(i));
      }
    }
    previous_key = entry.key;
    if (!leaf && entry.child == page::kNoPage) return corrupt("child page 0");
  }
  std::sort(extents.begin(), extents.end());
  for (std::size_t i = 1; i < extents.size(); ++i) {
    if (extents[i - 1].first + extents[i - 1].second > extents[i].first) {
      return corrupt("entries overlap");
    }
  }
  if (live + fragmented(p) != p.size() - heap_start(p)) {
    return corrupt("space accounting: live " + std::to_string(live) + " + fragmented " +
                   std::to_string(fragmented(p)) + " != heap " +
                   std::to_string(p.size() - heap_start(p)));
  }
  return Status::success();
}

std::string_view shortest_separator(std::string_view left, std::string_view right) {
  std::size_t common = 0;
  std::size_t limit = std::min(left.size(), right.size());
  while (common < limit && left[common] == right[common]) ++common;
  // right[common] exists (left < right, so right is not a prefix of left) and either left ends
  // at `common` or right[common] > left[common]; the prefix through it is > left.
  return right.substr(0, common + 1);
}

}  // namespace esent::btree::node
