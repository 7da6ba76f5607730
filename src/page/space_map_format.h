// Space-map pages: the free-space bitmap of a database. Prose, byte table, worked example and
// rationale: docs/format/space.md. Constants only; never move a field.
//
// Pages 0 and 1 hold the header copies. Space-map pages sit at fixed places: map k is page
//   kFirstSpaceMapPage + k * interval,   interval = space_map_interval_pages(page_size)
// and covers the `interval` pages starting at itself (so it covers its own page, whose bit is
// always set). Bit i of map k (byte i / 8, bit i % 8, least significant first) describes page
// map_pgno + i: 1 = in use, 0 = free. Bits for pages at or beyond the database's size are
// meaningless (they are cleared whenever the database grows over them).
//
// Byte layout of a space-map page (common page header, type kSpaceMap, object id 0):
//   64  u32 first_page      the first page covered (= this page's number)
//   68  u32 covered_pages   the interval (a check against the header's value)
//   72  u64 reserved        zero
//   80  u8[] bitmap         interval / 8 bytes, to the end of the page
#pragma once

#include <cstddef>
#include <cstdint>

#include "page/page_format.h"

namespace esent::page {

inline constexpr Pgno kFirstSpaceMapPage = 2;

struct SpaceMapLayout {
  static constexpr std::size_t kFirstPage = 64;
  static constexpr std::size_t kCoveredPages = 68;
  static constexpr std::size_t kReserved = 72;
  static constexpr std::size_t kBitmap = 80;
};

static_assert(SpaceMapLayout::kFirstPage == PageHeaderLayout::kSize);
static_assert(SpaceMapLayout::kBitmap % 8 == 0);

// Pages covered by one space-map page: every bit of the bitmap.
inline constexpr std::uint32_t space_map_interval_pages(std::uint32_t page_size_bytes) {
  return (page_size_bytes - static_cast<std::uint32_t>(SpaceMapLayout::kBitmap)) * 8;
}

static_assert(space_map_interval_pages(4096) == 32128);
static_assert(space_map_interval_pages(32768) == 261504);

}  // namespace esent::page
