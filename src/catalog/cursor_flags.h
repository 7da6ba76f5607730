// The grbits and constants the cursor understands, under our names with JET's numbers (the api
// layer passes them through unchanged; static_asserts in src/api/cursor_api.cc tie them to
// esent.h).
#pragma once

#include <cstdint>

namespace esent::catalog {

namespace seek_flags {
inline constexpr std::uint32_t kEqual = 0x01;
inline constexpr std::uint32_t kLess = 0x02;
inline constexpr std::uint32_t kLessOrEqual = 0x04;
inline constexpr std::uint32_t kGreaterOrEqual = 0x08;
inline constexpr std::uint32_t kGreater = 0x10;
inline constexpr std::uint32_t kSetIndexRange = 0x20;
inline constexpr std::uint32_t kCheckUniqueness = 0x40;
}  // namespace seek_flags

namespace range_flags {
inline constexpr std::uint32_t kInclusive = 0x01;
inline constexpr std::uint32_t kUpperLimit = 0x02;
inline constexpr std::uint32_t kInstantDuration = 0x04;
inline constexpr std::uint32_t kRemove = 0x08;
}  // namespace range_flags

namespace prepare_kind {
inline constexpr std::uint32_t kInsert = 0;
inline constexpr std::uint32_t kReplace = 2;
inline constexpr std::uint32_t kCancel = 3;
inline constexpr std::uint32_t kReplaceNoLock = 4;
inline constexpr std::uint32_t kInsertCopy = 5;
inline constexpr std::uint32_t kInsertCopyDeleteOriginal = 7;
}  // namespace prepare_kind

namespace set_flags {
inline constexpr std::uint32_t kAppendLongValue = 0x0001;
inline constexpr std::uint32_t kOverwriteLongValue = 0x0004;
inline constexpr std::uint32_t kSizeLongValue = 0x0008;
inline constexpr std::uint32_t kZeroLength = 0x0020;
inline constexpr std::uint32_t kSeparateLongValue = 0x0040;
inline constexpr std::uint32_t kUniqueMultiValues = 0x0080;
inline constexpr std::uint32_t kUniqueNormalizedMultiValues = 0x0100;
inline constexpr std::uint32_t kRevertToDefaultValue = 0x0200;
inline constexpr std::uint32_t kIntrinsicLongValue = 0x0400;
}  // namespace set_flags

namespace retrieve_flags {
inline constexpr std::uint32_t kCopy = 0x01;
inline constexpr std::uint32_t kFromIndex = 0x02;
inline constexpr std::uint32_t kFromPrimaryBookmark = 0x04;
inline constexpr std::uint32_t kTag = 0x08;
inline constexpr std::uint32_t kNull = 0x10;
inline constexpr std::uint32_t kIgnoreDefault = 0x20;
}  // namespace retrieve_flags

// A long value whose size is at most this stays in the record (ESE keeps small long values
// "intrinsic"); larger ones go to the table's long-value tree.
inline constexpr std::size_t kIntrinsicLongValueMostBytes = 1024;

}  // namespace esent::catalog
