// Byte layout of an encoded record (the value stored in a table's primary B+tree).
// docs/format/record.md specifies the same layout in prose with a worked example.
//
// All integers little-endian. Grammar:
//
//   record        := header null_bitmap fixed_data variable_ends variable_data [tagged_area]
//   header        := u8 fixed_count  u8 variable_count
//   null_bitmap   := ceil(fixed_count / 8) bytes; bit (id-1) % 8 of byte (id-1) / 8 set = null
//   fixed_data    := the values of fixed columns 1..fixed_count in id order, each exactly the
//                    column's fixed size (deleted columns included; a null column's bytes are 0)
//   variable_ends := variable_count x u16: end of the value of column 128+i, relative to the
//                    start of variable_data; bit 15 set = null (its value is then empty)
//   variable_data := the variable values, concatenated in id order
//   tagged_area   := u16 tagged_count, tagged_count x (u16 column_id, u16 end), tagged_data
//                    (ids strictly increasing and >= 256; ends relative to the start of
//                    tagged_data, non-decreasing). Absent when no tagged column is stored.
//   tagged_column := u8 tagged_flags, then
//                      kTaggedNull:  nothing (an explicit null that hides the default)
//                      kTaggedMulti: u16 value_count (>= 2), value_count x u16 end (relative
//                                    to the first value), the values
//                      otherwise:    one value
//   value         := u8 value_flags, payload
//                      kValueSeparated: payload = u64 long_value_id, u32 size_bytes (the value
//                                       lives outside the record, in the long-value tree)
//                      otherwise:       payload = the value's bytes (possibly empty)
//
// A column is "absent" when its id is past fixed_count / variable_count or it has no tagged
// entry: records written before the column was added decode with the column absent, and the
// reader applies the column's default. Invariants checked on decode (violations →
// kDatabaseCorrupted, never an assert): counts within the schema, every offset in bounds and
// ordered, tagged ids increasing, flags known, a multi entry has >= 2 values, a separated
// payload is exactly 12 bytes.
#pragma once

#include <cstddef>
#include <cstdint>

namespace esent::catalog::record_format {

inline constexpr std::size_t kHeaderBytes = 2;
inline constexpr std::size_t kFixedCountOffset = 0;
inline constexpr std::size_t kVariableCountOffset = 1;

inline constexpr std::uint32_t kMaxFixedCount = 127;
inline constexpr std::uint32_t kMaxVariableCount = 128;

inline constexpr std::size_t kVariableEndBytes = 2;
inline constexpr std::uint16_t kVariableNullBit = 0x8000;
inline constexpr std::uint16_t kVariableEndMask = 0x7FFF;

inline constexpr std::size_t kTaggedCountBytes = 2;
inline constexpr std::size_t kTaggedDirectoryEntryBytes = 4;  // u16 column_id, u16 end

inline constexpr std::uint8_t kTaggedNull = 0x01;
inline constexpr std::uint8_t kTaggedMulti = 0x02;
inline constexpr std::uint8_t kTaggedKnownFlags = kTaggedNull | kTaggedMulti;
inline constexpr std::size_t kMultiCountBytes = 2;
inline constexpr std::size_t kMultiEndBytes = 2;

inline constexpr std::uint8_t kValueSeparated = 0x01;
inline constexpr std::uint8_t kValueKnownFlags = kValueSeparated;
inline constexpr std::size_t kValueFlagsBytes = 1;
inline constexpr std::size_t kSeparatedPayloadBytes = 12;  // u64 id + u32 size

// The largest encoded record (every end offset fits in 16 bits); larger → kRecordTooBig.
inline constexpr std::size_t kMaxRecordBytes = 0xFFFF;

static_assert(kVariableEndMask + 1 == kVariableNullBit);
static_assert(kMaxFixedCount == 127 && kMaxVariableCount == 128);
static_assert(kSeparatedPayloadBytes == sizeof(std::uint64_t) + sizeof(std::uint32_t));
// 128 variable columns of at most 255 bytes fit under the 15-bit end offset.
static_assert(kMaxVariableCount * 255 <= kVariableEndMask);

}  // namespace esent::catalog::record_format
