// The catalog tree's entries (prose: docs/format/catalog.md). The catalog is one B+tree per
// database whose root page number is DatabaseHeader::catalog_root.
//
// Keys (all integers big-endian, so entries of one table sort together):
//   'T' + upper-cased table name                 table entry
//   'C' + object id u32 + column id u32          column entry
//   'I' + object id u32 + index id u32           index entry
//
// Values are sequences of fields; every entry starts with a u16 format version. Integers are
// little-endian; a string is a u16 length then its bytes.
//   table:  version, object id u32 (also the primary tree's), name str, primary root u32,
//           long-value root u32, long-value tree object id u32, initial pages u32,
//           density u32, next index id u32
//   column: version, column id u32, name str, type u32, max size u32, flags u32, code page u16,
//           deleted u8, default str (u32 length)
//   index:  version, index id u32, name str, flags u32, density u32, lcid u32, max key u32,
//           root u32, tree object id u32, segment count u16, then per segment:
//           column id u32, descending u8
//
// Unknown versions are kInvalidDatabaseVersion; a value that is cut short is kDatabaseCorrupted.
#pragma once

#include <cstdint>

namespace esent::catalog::catalog_format {

inline constexpr char kTableTag = 'T';
inline constexpr char kColumnTag = 'C';
inline constexpr char kIndexTag = 'I';

inline constexpr std::uint16_t kTableVersion = 1;
inline constexpr std::uint16_t kColumnVersion = 1;
inline constexpr std::uint16_t kIndexVersion = 1;

// Object ids: 1 is the catalog itself; tables and their trees count up from kFirstTableObjectId.
inline constexpr std::uint32_t kCatalogObjectId = 1;
inline constexpr std::uint32_t kFirstTableObjectId = 16;

}  // namespace esent::catalog::catalog_format
