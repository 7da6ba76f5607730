// Reading and writing the common page header (page/page_format.h), and the page checksum.
//
// seal() is called on every page just before it is written; verify() on every page just after
// it is read. Neither allocates; both are safe on any bytes (a corrupt page is an error, never a
// crash).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "page/page_format.h"
#include "util/status.h"

namespace esent::page {

namespace detail {
template <typename T>
T load(std::span<const std::byte> page, std::size_t offset) {
  T value;
  std::memcpy(&value, page.data() + offset, sizeof value);
  return value;
}
template <typename T>
void store(std::span<std::byte> page, std::size_t offset, T value) {
  std::memcpy(page.data() + offset, &value, sizeof value);
}
}  // namespace detail

// Header fields of a page (at least PageHeaderLayout::kSize bytes).
inline std::uint64_t checksum(std::span<const std::byte> p) {
  return detail::load<std::uint64_t>(p, PageHeaderLayout::kChecksum);
}
inline Pgno page_number(std::span<const std::byte> p) {
  return detail::load<std::uint32_t>(p, PageHeaderLayout::kPageNumber);
}
inline PageType type(std::span<const std::byte> p) {
  return static_cast<PageType>(detail::load<std::uint16_t>(p, PageHeaderLayout::kType));
}
inline std::uint16_t flags(std::span<const std::byte> p) {
  return detail::load<std::uint16_t>(p, PageHeaderLayout::kFlags);
}
inline std::uint64_t dbtime(std::span<const std::byte> p) {
  return detail::load<std::uint64_t>(p, PageHeaderLayout::kDbtime);
}
inline std::uint32_t object_id(std::span<const std::byte> p) {
  return detail::load<std::uint32_t>(p, PageHeaderLayout::kObjectId);
}
inline Pgno previous(std::span<const std::byte> p) {
  return detail::load<std::uint32_t>(p, PageHeaderLayout::kPrevious);
}
inline Pgno next(std::span<const std::byte> p) {
  return detail::load<std::uint32_t>(p, PageHeaderLayout::kNext);
}
inline std::uint16_t level(std::span<const std::byte> p) {
  return detail::load<std::uint16_t>(p, PageHeaderLayout::kLevel);
}

inline void set_page_number(std::span<std::byte> p, Pgno v) {
  detail::store<std::uint32_t>(p, PageHeaderLayout::kPageNumber, v);
}
inline void set_type(std::span<std::byte> p, PageType v) {
  detail::store<std::uint16_t>(p, PageHeaderLayout::kType, static_cast<std::uint16_t>(v));
}
inline void set_flags(std::span<std::byte> p, std::uint16_t v) {
  detail::store<std::uint16_t>(p, PageHeaderLayout::kFlags, v);
}
inline void set_dbtime(std::span<std::byte> p, std::uint64_t v) {
  detail::store<std::uint64_t>(p, PageHeaderLayout::kDbtime, v);
}
inline void set_object_id(std::span<std::byte> p, std::uint32_t v) {
  detail::store<std::uint32_t>(p, PageHeaderLayout::kObjectId, v);
}
inline void set_previous(std::span<std::byte> p, Pgno v) {
  detail::store<std::uint32_t>(p, PageHeaderLayout::kPrevious, v);
}
inline void set_next(std::span<std::byte> p, Pgno v) {
  detail::store<std::uint32_t>(p, PageHeaderLayout::kNext, v);
}
inline void set_level(std::span<std::byte> p, std::uint16_t v) {
  detail::store<std::uint16_t>(p, PageHeaderLayout::kLevel, v);
}

// The bytes after the header.
inline std::span<std::byte> body(std::span<std::byte> p) {
  return p.subspan(PageHeaderLayout::kSize);
}
inline std::span<const std::byte> body(std::span<const std::byte> p) {
  return p.subspan(PageHeaderLayout::kSize);
}

// Zero-fills the page and writes a fresh header (checksum left for seal()).
void initialize(std::span<std::byte> p, Pgno pgno, PageType page_type, std::uint32_t owner,
                std::uint16_t page_level);

// The checksum the page should carry: XXH3-64 of [kChecksummedFrom, size) with `pgno` as the
// identity, so a page copied to another offset fails verification.
std::uint64_t compute_checksum(std::span<const std::byte> p, Pgno pgno);

// Stores the page number and checksum; called just before the page is written.
void seal(std::span<std::byte> p, Pgno pgno);

// Whether every byte is zero (a page that was never written).
bool is_all_zero(std::span<const std::byte> p);

// Verifies a page just read from slot `expected`: an all-zero page is accepted; a checksum
// mismatch → kReadVerifyFailure; a correct checksum for another page number →
// kReadPgnoVerifyFailure.
Status verify(std::span<const std::byte> p, Pgno expected);

}  // namespace esent::page
