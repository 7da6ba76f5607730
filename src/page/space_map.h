// Reading and changing one space-map page (page/space_map_format.h, docs/format/space.md).
//
// Pure functions on a page's bytes; the caller holds the page latched (shared to read,
// exclusive to change). Bit indexes are relative to the map's first page.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "page/page_format.h"
#include "page/space_map_format.h"
#include "util/status.h"

namespace esent::page {

// Makes `p` an empty space-map page for map page `pgno` (every bit clear except bit 0, the
// map itself).
void initialize_space_map(std::span<std::byte> p, Pgno pgno);

// Checks that a verified page is the space map expected at `pgno` (type, first page, interval);
// kDatabaseCorrupted otherwise.
Status check_space_map(std::span<const std::byte> p, Pgno pgno);

bool space_bit(std::span<const std::byte> p, std::uint32_t index);
void set_space_bit(std::span<std::byte> p, std::uint32_t index, bool in_use);

// The lowest clear bit in [from, limit), if any. `limit` <= the interval.
std::optional<std::uint32_t> first_free_bit(std::span<const std::byte> p, std::uint32_t from,
                                            std::uint32_t limit);

// The number of clear bits in [0, limit).
std::uint32_t count_free_bits(std::span<const std::byte> p, std::uint32_t limit);

}  // namespace esent::page
