#include "page/space_map.h"

#include <bit>
#include <string>

#include "page/page.h"

namespace esent::page {

namespace {

std::uint32_t interval_of(std::span<const std::byte> p) {
  return space_map_interval_pages(static_cast<std::uint32_t>(p.size()));
}

std::uint8_t byte_at(std::span<const std::byte> p, std::uint32_t byte_index) {
  return static_cast<std::uint8_t>(p[SpaceMapLayout::kBitmap + byte_index]);
}

}  // namespace

void initialize_space_map(std::span<std::byte> p, Pgno pgno) {
  initialize(p, pgno, PageType::kSpaceMap, 0, 0);
  detail::store<std::uint32_t>(p, SpaceMapLayout::kFirstPage, pgno);
  detail::store<std::uint32_t>(p, SpaceMapLayout::kCoveredPages, interval_of(p));
  set_space_bit(p, 0, true);
}

Status check_space_map(std::span<const std::byte> p, Pgno pgno) {
  if (type(p) != PageType::kSpaceMap ||
      detail::load<std::uint32_t>(p, SpaceMapLayout::kFirstPage) != pgno ||
      detail::load<std::uint32_t>(p, SpaceMapLayout::kCoveredPages) != interval_of(p) ||
      !space_bit(p, 0)) {
    return Status(Error::kDatabaseCorrupted, "page " + std::to_string(pgno) +
                                                 " is not the expected space map");
  }
  return Status::success();
}

bool space_bit(std::span<const std::byte> p, std::uint32_t index) {
  return ((static_cast<unsigned>(byte_at(p, index / 8)) >> (index % 8)) & 1u) != 0;
}

void set_space_bit(std::span<std::byte> p, std::uint32_t index, bool in_use) {
  std::byte& b = p[SpaceMapLayout::kBitmap + index / 8];
  const auto mask = static_cast<std::byte>(1u << (index % 8));
  b = in_use ? (b | mask) : (b & ~mask);
}

std::optional<std::uint32_t> first_free_bit(std::span<const std::byte> p, std::uint32_t from,
                                            std::uint32_t limit) {
  std::uint32_t index = from;
  // Bit by bit up to a word boundary, then a word at a time.
  while (index < limit && index % 64 != 0) {
    if (!space_bit(p, index)) return index;
    ++index;
  }
  while (index + 64 <= limit) {
    const auto word = detail::load<std::uint64_t>(p, SpaceMapLayout::kBitmap + index / 8);
    if (word != ~std::uint64_t{0}) {
      return index + static_cast<std::uint32_t>(std::countr_one(word));
    }
    index += 64;
  }
  while (index < limit) {
    if (!space_bit(p, index)) return index;
    ++index;
  }
  return std::nullopt;
}

std::uint32_t count_free_bits(std::span<const std::byte> p, std::uint32_t limit) {
  std::uint32_t used = 0;
  std::uint32_t index = 0;
  while (index + 64 <= limit) {
    used += static_cast<std::uint32_t>(
        std::popcount(detail::load<std::uint64_t>(p, SpaceMapLayout::kBitmap + index / 8)));
    index += 64;
  }
  for (; index < limit; ++index) used += space_bit(p, index) ? 1u : 0u;
  return limit - used;
}

}  // namespace esent::page
