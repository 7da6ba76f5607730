// Key normalization (catalog/key_format.h): index entries of a record, and JetMakeKey's search
// and limit keys.
//
// Thread-safety: the free functions are pure and thread-safe; a KeyBuilder is a plain value
// owned by one cursor.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/record.h"
#include "catalog/schema.h"
#include "util/status.h"

namespace esent::catalog {

// JetMakeKey grbits (JET_bit* values).
namespace make_key_flags {
inline constexpr std::uint32_t kNewKey = 0x00000001;
inline constexpr std::uint32_t kStrLimit = 0x00000002;
inline constexpr std::uint32_t kSubStrLimit = 0x00000004;
inline constexpr std::uint32_t kNormalizedKey = 0x00000008;
inline constexpr std::uint32_t kKeyDataZeroLength = 0x00000010;
inline constexpr std::uint32_t kFullColumnStartLimit = 0x00000100;
inline constexpr std::uint32_t kFullColumnEndLimit = 0x00000200;
inline constexpr std::uint32_t kPartialColumnStartLimit = 0x00000400;
inline constexpr std::uint32_t kPartialColumnEndLimit = 0x00000800;
inline constexpr std::uint32_t kLimitMask = kFullColumnStartLimit | kFullColumnEndLimit |
                                            kPartialColumnStartLimit | kPartialColumnEndLimit;
inline constexpr std::uint32_t kAll = kNewKey | kStrLimit | kSubStrLimit | kNormalizedKey |
                                      kKeyDataZeroLength | kLimitMask;
}  // namespace make_key_flags

// The key limit of an index (max_key_bytes, 0 → kKeyMostBytes).
std::uint32_t effective_max_key_bytes(const IndexDef& index);

// How a segment's value is to be normalized.
struct SegmentSpec {
  const ColumnDef* column = nullptr;  // type, code page, column class
  bool descending = false;
  bool sort_nulls_high = false;  // index_flags::kSortNullsHigh
  bool dot_net_guid = false;     // index_flags::kDotNetGuid
};

// One normalized segment.
struct NormalizedSegment {
  std::string bytes;
  bool truncated = false;  // the value was cut to fit `space_bytes`
  // For Text/Binary values: where the value's own bytes end (before the text terminator or the
  // last binary chunk's padding and count), for partial-column limits; 0 when not applicable.
  std::size_t value_end = 0;
};

// Normalizes one value (`value` nullopt = null; an empty view = zero-length) into at most
// `space_bytes` bytes (descending complement applied). `value` is in the record's byte form
// (little-endian numbers, UTF-16LE for Unicode text). A fixed-size type with a value of the wrong
// size → kInvalidBufferSize. A zero-length value of a fixed-size type normalizes as null.
Result<NormalizedSegment> normalize_segment(const SegmentSpec& spec,
                                            std::optional<std::string_view> value,
                                            std::size_t space_bytes);

// A record's index entries for `index`: the normalized keys, sorted and unique, each at most
// effective_max_key_bytes(index) long. Absent columns take their default. A multi-valued
// segment contributes every value of the first multi-valued column in the key (one entry per
// value); other multi-valued columns contribute their first value (kCrossProduct: every
// combination). Separated long values are passed through `long_value_reader` (which returns
// the value's first `max_bytes` bytes, enough for normalization) and may not be null when the
// record holds one.
// Null rules (a null segment = a null or absent column without a default):
//   kDisallowNull and any segment null → kNullInvalid;
//   kIgnoreNull and every segment null, kIgnoreAnyNull and any segment null, kIgnoreFirstNull
//   and the first segment null → no entry for that combination.
// kDisallowTruncation and a truncated key → kKeyTruncated.
struct IndexEntries {
  std::vector<std::string> keys;
  bool any_truncated = false;
};
using LongValueReader =
    std::function<Result<std::string>(const LongValueRef& ref, std::size_t max_bytes)>;
Result<IndexEntries> index_entries(const IndexDef& index, const std::vector<ColumnDef>& columns,
                                   const Record& record,
                                   const LongValueReader& long_value_reader = nullptr);

// JetMakeKey for one index. Usage: append() with kNewKey for the first segment, then once per
// further segment; key() is the search key. Rules (ESE's):
//  - kNewKey starts over (the old key is discarded even when the call then fails); without it, a key with a limit already applied → kKeyIsMade, no key
//    started → kKeyNotMade; all segments given → kKeyIsMade.
//  - kNormalizedKey: `data` is a whole normalized key (up to max_key_bytes + 1; longer →
//    kInvalidParameter); it counts as made, and is a limit when longer than max_key_bytes.
//  - empty data without kKeyDataZeroLength → null segment; kKeyDataZeroLength → zero-length
//    (kInvalidBufferSize on fixed-size and fixed columns).
//  - a fixed column needs data of exactly its size (fixed Text: shorter is padded with
//    spaces) → kInvalidBufferSize otherwise.
//  - at most one of the four *ColumnLimit grbits (kInvalidGrbit otherwise); Partial* only on
//    Text columns and variable/tagged Binary columns (kInvalidGrbit otherwise). StrLimit:
//    Text → like kFullColumnEndLimit; Binary → like kPartialColumnEndLimit. SubStrLimit (Text
//    only, ignored otherwise) → like kPartialColumnEndLimit.
//  - *EndLimit: the segment (a partial limit: without the text terminator / binary padding)
//    is followed by 0xFF bytes up to max_key_bytes + 1; *StartLimit: nothing is added (a
//    partial start limit drops the terminator / padding). After a limit the key is complete.
//  - once the key has reached max_key_bytes, later segments add nothing (they still count).
class KeyBuilder {
 public:
  // Copies what it needs from `index` and the definitions of its segment columns, so it does
  // not refer to either afterwards. A segment column missing from `columns` (or deleted) makes
  // append() fail with kColumnNotFound for that segment.
  KeyBuilder(const IndexDef& index, const std::vector<ColumnDef>& columns);

  Status append(std::string_view data, std::uint32_t grbit);
  void reset();

  bool is_made() const { return made_; }
  bool is_limit() const { return limit_; }
  bool truncated() const { return truncated_; }
  std::uint32_t segment_count() const { return segment_count_; }
  const std::string& key() const { return key_; }

 private:
  IndexDef index_;
  std::vector<std::optional<ColumnDef>> segment_columns_;  // per index segment
  std::uint32_t max_key_bytes_;
  std::string key_;
  std::uint32_t segment_count_ = 0;
  bool made_ = false;
  bool limit_ = false;
  bool truncated_ = false;
};

// JET_bitRetrieveFromIndex: the value of `column_id` read back out of a normalized `key` of
// `index` (nullopt = null; an empty string = zero-length). Errors: kColumnNotFound (not a
// segment of the index), kFeatureNotAvailable (Text/LongText: case folding loses data, read the
// record instead), kKeyTruncated (the key was cut inside or before this segment: read the
// record), kDatabaseCorrupted (bytes that are no normalized key of this index).
Result<std::optional<std::string>> retrieve_column_from_key(const IndexDef& index,
                                                            const std::vector<ColumnDef>& columns,
                                                            std::string_view key,
                                                            std::uint32_t column_id);

// Simple upper-case mapping of one UTF-16 code unit (Latin-1, Latin Extended-A, Greek,
// Cyrillic, Armenian, full-width Latin); other units are returned unchanged.
std::uint16_t fold_utf16_unit(std::uint16_t unit);

}  // namespace esent::catalog
