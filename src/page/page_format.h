// The common header at the start of every database page. Prose, byte table and rationale:
// docs/format/page.md. Constants only; never renumber an enum value or move a field (bump
// kPageFormatVersion and keep a reader for the old layout instead).
//
// Byte layout (little-endian), 64 bytes:
//   0  u64 checksum      XXH3-64 of bytes [8, page_size) with the page number as identity
//   8  u32 page_number   the page's own number (a page read at the wrong offset is detected)
//  12  u16 type          PageType
//  14  u16 flags         type-specific
//  16  u64 dbtime        database time of the last change (the page LSN; redo is skipped for a
//                        record whose dbtime is not newer than the page's)
//  24  u32 object_id     the tree (or other object) that owns the page; 0 for none
//  28  u32 previous      left sibling at the same tree level (0: none)
//  32  u32 next          right sibling at the same tree level (0: none)
//  36  u16 level         0 for leaves, counting up to the root
//  38  u16 reserved0     zero
//  40  u8[24] reserved   zero
//  64  ...  body         owned by the page's type (btree nodes, space map, header fields)
//
// A page whose bytes are all zero has never been written; readers accept it as such.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

namespace esent::page {

static_assert(std::endian::native == std::endian::little, "on-disk formats are little-endian");

using Pgno = std::uint32_t;

inline constexpr Pgno kNoPage = 0;  // page 0 holds the database header, never a tree

inline constexpr std::uint32_t kPageFormatVersion = 1;

inline constexpr std::uint32_t kMinPageSize = 4096;
inline constexpr std::uint32_t kMaxPageSize = 32768;
inline constexpr std::uint32_t kDefaultPageSize = 4096;

inline constexpr bool valid_page_size(std::uint32_t size) {
  return size == 4096 || size == 8192 || size == 16384 || size == 32768;
}

enum class PageType : std::uint16_t {
  kNeverWritten = 0,     // all zero
  kDatabaseHeader = 1,   // pages 0 and 1: the two copies of the database header
  kSpaceMap = 2,         // free-space bookkeeping
  kFree = 3,             // an unused page
  kBtreeLeaf = 4,        // B+tree leaf
  kBtreeInternal = 5,    // B+tree internal (branch) page
  kBackupTrailer = 6,    // the page after the last one in a streamed backup image (backup/trailer.h)
};

struct PageHeaderLayout {
  static constexpr std::size_t kChecksum = 0;
  static constexpr std::size_t kPageNumber = 8;
  static constexpr std::size_t kType = 12;
  static constexpr std::size_t kFlags = 14;
  static constexpr std::size_t kDbtime = 16;
  static constexpr std::size_t kObjectId = 24;
  static constexpr std::size_t kPrevious = 28;
  static constexpr std::size_t kNext = 32;
  static constexpr std::size_t kLevel = 36;
  static constexpr std::size_t kReserved0 = 38;
  static constexpr std::size_t kReserved = 40;
  static constexpr std::size_t kSize = 64;  // the body starts here
  // The checksum covers everything after itself.
  static constexpr std::size_t kChecksummedFrom = 8;
};

static_assert(PageHeaderLayout::kPageNumber == PageHeaderLayout::kChecksum + 8);
static_assert(PageHeaderLayout::kReserved + 24 == PageHeaderLayout::kSize);
static_assert(PageHeaderLayout::kSize % 8 == 0);

}  // namespace esent::page
