// Schema structs (columns, indexes, tables) and the validation rules ESE applies to them.
//
// Everything here is pure: no I/O, no B+tree. The lead's table layer persists TableDef in the
// system catalog and calls these checks from JetCreateTable / JetAddColumn / JetCreateIndex.
//
// Column ids encode where a column lives in a record (ESE's fid classes): fixed 1..127,
// variable 128..255, tagged 256..65535. Ids are never reused within a table: a deleted column
// keeps its definition with `deleted = true`, so records written before the deletion still
// decode (a deleted fixed column still occupies its bytes) and its data is ignored.
//
// Thread-safety: plain values; the functions are thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/column_types.h"
#include "util/status.h"

namespace esent::catalog {

inline constexpr std::uint32_t kNameMostChars = 64;     // JET_cbNameMost (ASCII names)
inline constexpr std::uint32_t kKeyColumnsMost = 16;    // JET_ccolKeyMost (JET_VERSION >= 0x0600)
inline constexpr std::uint32_t kKeyMostBytes = 255;     // JET_cbKeyMost, the default key limit
inline constexpr std::uint32_t kKeyMostMinBytes = 255;  // JET_cbKeyMostMin
inline constexpr std::uint32_t kColumnsMost = 0xFEE0;   // JET_ccolMost

struct ColumnDef {
  std::string name;
  std::uint32_t column_id = 0;
  ColumnType type = ColumnType::kNil;
  // For Text/Binary: the largest value (0 → 255 = JET_cbColumnMost); for a fixed Text/Binary
  // column, the exact stored size. For LongText/LongBinary: 0 → no limit. For fixed-size types:
  // ignored (normalized to the type's size).
  std::uint32_t max_size_bytes = 0;
  std::uint32_t flags = 0;  // column_flags::*
  std::uint16_t code_page = 0;  // text only: 1200 Unicode or 1252 ASCII; 0 → 1252
  std::string default_value;    // empty → no default (JET has no zero-length default)
  bool deleted = false;         // kept in the catalog after JetDeleteColumn; see file comment
};

struct IndexSegment {
  std::uint32_t column_id = 0;
  bool descending = false;
};

// JET_bitIndex* values.
namespace index_flags {
inline constexpr std::uint32_t kUnique = 0x00000001;
inline constexpr std::uint32_t kPrimary = 0x00000002;
inline constexpr std::uint32_t kDisallowNull = 0x00000004;
inline constexpr std::uint32_t kIgnoreNull = 0x00000008;
inline constexpr std::uint32_t kIgnoreAnyNull = 0x00000020;
inline constexpr std::uint32_t kIgnoreFirstNull = 0x00000040;
inline constexpr std::uint32_t kLazyFlush = 0x00000080;
inline constexpr std::uint32_t kEmpty = 0x00000100;
inline constexpr std::uint32_t kUnversioned = 0x00000200;
inline constexpr std::uint32_t kSortNullsHigh = 0x00000400;
inline constexpr std::uint32_t kUnicode = 0x00000800;
inline constexpr std::uint32_t kTuples = 0x00001000;
inline constexpr std::uint32_t kTupleLimits = 0x00002000;
inline constexpr std::uint32_t kCrossProduct = 0x00004000;
inline constexpr std::uint32_t kKeyMost = 0x00008000;
inline constexpr std::uint32_t kDisallowTruncation = 0x00010000;
inline constexpr std::uint32_t kNestedTable = 0x00020000;
inline constexpr std::uint32_t kDotNetGuid = 0x00040000;
inline constexpr std::uint32_t kImmutableStructure = 0x00080000;
}  // namespace index_flags

struct IndexDef {
  std::string name;
  std::uint32_t index_id = 0;
  std::vector<IndexSegment> segments;
  std::uint32_t flags = 0;  // index_flags::*
  std::uint32_t density = 0;  // percent; 0 → 80 (default)
  std::uint32_t lcid = 0;     // 0 → 1033 (en-US)
  std::uint32_t max_key_bytes = 0;  // 0 → kKeyMostBytes (255)
};

struct TableDef {
  std::string name;
  std::uint32_t initial_pages = 0;
  std::uint32_t density = 0;
  std::vector<ColumnDef> columns;
  std::vector<IndexDef> indexes;
};

// ESE's object-name rules (tables, columns, indexes): 1..64 characters, no leading space, no
// control characters (< 0x20), none of '!' '.' '[' ']'. Trailing spaces are ignored by ESE
// (the stored name is trimmed): see normalize_object_name. Failure → kInvalidName.
Status validate_object_name(std::string_view name);

// The name ESE stores: trailing spaces removed. Precondition: validate_object_name succeeded.
std::string normalize_object_name(std::string_view name);

// The class a new column of this definition gets (flags and type, not the id):
// Tagged flag or a long-value type → tagged; Fixed flag or a fixed-size type → fixed; else
// (Text/Binary) → variable.
ColumnClass column_class_for(const ColumnDef& column);

// Checks one column definition (name, type, flags, sizes, code page, default) as JetAddColumn
// does, and returns it normalized (code page 0 → 1252, max size 0 → 255 for Text/Binary, fixed
// types get their size, Fixed/Tagged flag set to match the class). Errors:
//   kInvalidName (name), kInvalidColumnType (Nil/SLV/unknown type), kInvalidGrbit (Version or
//   Autoincrement on the wrong type; Fixed on a long-value type; escrow rules),
//   kCannotBeTagged (a tagged autoincrement or version column), kMultiValuedColumnMustBeTagged,
//   kTaggedNotNULL (NotNULL with Tagged or a long-value type), kInvalidParameter
//   (Fixed+Tagged, unknown flags, EscrowUpdate not on a fixed Long, Compressed not on a long
//   value, Autoincrement/Version + Tagged), kColumnTooBig (max size > 255 for Text/Binary),
//   kInvalidCodePage, kDefaultValueTooBig (default longer than the column),
//   kInvalidBufferSize (default of the wrong size for a fixed-size type).
// A Text/Binary cbMax above 255 is cut to 255 and reported in `*max_truncated` (ESE's
// JET_wrnColumnMaxTruncated).
Result<ColumnDef> validate_column_def(const ColumnDef& column, bool* max_truncated = nullptr);

// The id ESE gives the next column of `column_class` in a table whose columns (deleted ones
// included) are `existing`: one more than the largest id used in that class, starting at
// 1 / 128 / 256. kTooManyColumns when the class is full.
Result<std::uint32_t> next_column_id(ColumnClass column_class,
                                     const std::vector<ColumnDef>& existing);

// Resolves a column name to its definition (case-insensitive ASCII compare, deleted columns
// excluded); nullptr when there is none.
using ColumnLookup = std::function<const ColumnDef*(std::string_view name)>;
ColumnLookup make_column_lookup(const std::vector<ColumnDef>& columns);

// Parses JetCreateIndex's key string: "+col1\0-col2\0\0" with `size_bytes` counting through the
// terminating double NUL (a single final NUL is accepted, as ESE does). Each segment is an
// optional '+' (ascending, the default) or '-' (descending) then a column name. Errors:
// kIndexInvalidDef (empty key, empty segment, bad name, a column twice), kTooManyKeys (more
// than kKeyColumnsMost segments), kColumnNotFound (no such column via `lookup`).
Result<std::vector<IndexSegment>> parse_index_key(const char* key, std::uint32_t size_bytes,
                                                  const ColumnLookup& lookup);

// Checks an index definition against the table's columns and returns it normalized (density
// 0 → 80, lcid 0 → 1033, max_key_bytes 0 → 255). Errors: kInvalidName, kIndexInvalidDef (no
// segments, a segment on a deleted/unknown column → kColumnNotFound, a column twice, density
// outside 20..100, max key bytes above the page's limit, conflicting null flags,
// Primary with IgnoreNull/IgnoreAnyNull/IgnoreFirstNull), kTooManyKeys (more than
// kKeyColumnsMost segments), kInvalidGrbit (unknown flags).
// `key_most_bytes_for_page` is the largest key the database's page size allows
// (see key_most_bytes_for_page_size).
Result<IndexDef> validate_index_def(const IndexDef& index, const std::vector<ColumnDef>& columns,
                                    std::uint32_t key_most_bytes_for_page);

// The largest max_key_bytes an index may have for a page size (JET_cbKeyMost4KBytePage = 1000,
// JET_cbKeyMost8KBytePage = 2000; 2 KB pages → 500, 16/32 KB pages → 2000).
std::uint32_t key_most_bytes_for_page_size(std::uint32_t page_size_bytes);

// The definition of `column_id` in `columns` (deleted ones included), or nullptr.
const ColumnDef* find_column(const std::vector<ColumnDef>& columns, std::uint32_t column_id);

}  // namespace esent::catalog
