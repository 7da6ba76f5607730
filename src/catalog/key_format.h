// Byte layout of normalized keys: order-preserving encodings of column values, so that memcmp
// order of two keys (shorter first when one is a prefix) is the index order ESE defines.
// docs/format/key.md specifies the same layout in prose with examples.
//
// key      := segment*  (one per index segment, in index order; truncated at max_key_bytes)
// segment  := prefix [data]; a descending segment has every byte complemented (prefix and
//             terminator included), so its order reverses.
// prefix   := kPrefixNull (null; kPrefixNullHigh with index_flags::kSortNullsHigh)
//           | kPrefixZeroLength (zero-length Text/Binary value)
//           | kPrefixData, followed by data:
//   Bit                       1 byte: 0x00 false, 0xFF true
//   UnsignedByte/Short/Long/LongLong (unsigned)  big-endian
//   Short/Long/LongLong/Currency (signed)        big-endian with the sign bit flipped
//   IEEESingle/IEEEDouble/DateTime               big-endian bits; negative: all bits
//                                                complemented; positive: sign bit flipped
//   GUID                      bytes 10..15, 8, 9, 6, 7, 4, 5, 0..3 of the 16-byte value
//                             (index_flags::kDotNetGuid: 3, 2, 1, 0, 5, 4, 7, 6, 8..15)
//   Binary/LongBinary         8-byte chunks, each followed by a count byte: 9 when more of the
//                             value follows; for the last chunk the number of value bytes in it
//                             (1..8; the chunk is zero-padded). A fixed Binary column: the bytes.
//   Text/LongText, ASCII      the bytes up to the first NUL, 'a'..'z' upper-cased, then 0x00
//   Text/LongText, Unicode    UTF-16 code units up to the first U+0000, simple upper-case
//                             mapping, each big-endian, then 0x00 0x00 (a whole zero unit:
//                             a single 0x00 could equal the high byte of the next unit)
//   A value whose segment does not fit the key space left is cut at the key limit (no
//   terminator); the key is then "truncated".
//
// Limit keys (JetMakeKey with a limit grbit) may be one byte longer than max_key_bytes: an end
// limit is the key so far followed by kSentinel bytes up to max_key_bytes + 1, so it compares
// greater than every key (<= max_key_bytes long) that begins with the same bytes.
#pragma once

#include <cstddef>
#include <cstdint>

namespace esent::catalog::key_format {

inline constexpr std::uint8_t kPrefixNull = 0x00;
inline constexpr std::uint8_t kPrefixZeroLength = 0x40;
inline constexpr std::uint8_t kPrefixData = 0x7F;
inline constexpr std::uint8_t kPrefixNullHigh = 0xC0;
inline constexpr std::uint8_t kSentinel = 0xFF;
inline constexpr std::uint8_t kTextTerminator = 0x00;

inline constexpr std::size_t kBinaryChunkBytes = 8;
inline constexpr std::size_t kBinaryChunkNormalizedBytes = 9;  // chunk + count byte
inline constexpr std::uint8_t kBinaryChunkContinues = 9;

static_assert(kPrefixNull < kPrefixZeroLength && kPrefixZeroLength < kPrefixData &&
              kPrefixData < kPrefixNullHigh && kPrefixNullHigh < kSentinel);
static_assert(kBinaryChunkNormalizedBytes == kBinaryChunkBytes + 1);
static_assert(kBinaryChunkContinues > kBinaryChunkBytes);

}  // namespace esent::catalog::key_format
