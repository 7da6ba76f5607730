// Column types and column flags: JET_coltyp* and JET_bitColumn* under our own names, with the
// same numbers (the api layer passes them through unchanged; never renumber).
//
// Pure constants and functions; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace esent::catalog {

enum class ColumnType : std::uint32_t {
  kNil = 0,
  kBit = 1,
  kUnsignedByte = 2,
  kShort = 3,
  kLong = 4,
  kCurrency = 5,
  kIEEESingle = 6,
  kIEEEDouble = 7,
  kDateTime = 8,  // a double (OLE automation date), ordered as a double
  kBinary = 9,
  kText = 10,
  kLongBinary = 11,
  kLongText = 12,
  kSLV = 13,  // obsolete; never valid
  kUnsignedLong = 14,
  kLongLong = 15,
  kGUID = 16,
  kUnsignedShort = 17,
  kUnsignedLongLong = 18,  // JET_VERSION >= 0x0A00
};

// JET_bitColumn* values.
namespace column_flags {
inline constexpr std::uint32_t kFixed = 0x00000001;
inline constexpr std::uint32_t kTagged = 0x00000002;
inline constexpr std::uint32_t kNotNULL = 0x00000004;
inline constexpr std::uint32_t kVersion = 0x00000008;
inline constexpr std::uint32_t kAutoincrement = 0x00000010;
inline constexpr std::uint32_t kUpdatable = 0x00000020;  // JetGetColumnInfo output only
inline constexpr std::uint32_t kTTKey = 0x00000040;
inline constexpr std::uint32_t kTTDescending = 0x00000080;
inline constexpr std::uint32_t kMultiValued = 0x00000400;
inline constexpr std::uint32_t kEscrowUpdate = 0x00000800;
inline constexpr std::uint32_t kUnversioned = 0x00001000;
inline constexpr std::uint32_t kMaybeNull = 0x00002000;
inline constexpr std::uint32_t kFinalize = 0x00004000;  // JET_bitColumnFinalize
inline constexpr std::uint32_t kFinalizeAndDelete = kFinalize;
inline constexpr std::uint32_t kUserDefinedDefault = 0x00008000;
inline constexpr std::uint32_t kDeleteOnZero = 0x00020000;
inline constexpr std::uint32_t kCompressed = 0x00080000;

// Every flag a column definition may carry.
inline constexpr std::uint32_t kAll = kFixed | kTagged | kNotNULL | kVersion | kAutoincrement |
                                      kUpdatable | kTTKey | kTTDescending | kMultiValued |
                                      kEscrowUpdate | kUnversioned | kMaybeNull | kFinalize |
                                      kUserDefinedDefault | kDeleteOnZero | kCompressed;
}  // namespace column_flags

// Where a column's values live in a record; decided by the column id range (ESE's fid classes).
enum class ColumnClass : std::uint8_t { kFixed, kVariable, kTagged };

inline constexpr std::uint32_t kFirstFixedColumnId = 1;
inline constexpr std::uint32_t kLastFixedColumnId = 127;      // JET_ccolFixedMost
inline constexpr std::uint32_t kFirstVariableColumnId = 128;
inline constexpr std::uint32_t kLastVariableColumnId = 255;   // JET_ccolVarMost = 128 columns
inline constexpr std::uint32_t kFirstTaggedColumnId = 256;
inline constexpr std::uint32_t kLastTaggedColumnId = 65535;   // stored in 16 bits

inline constexpr std::uint32_t kColumnMostBytes = 255;             // JET_cbColumnMost
inline constexpr std::uint32_t kLongValueMostBytes = 0x7FFFFFFF;   // JET_cbLVColumnMost

// Code pages accepted for text columns.
inline constexpr std::uint16_t kCodePageUnicode = 1200;  // UTF-16LE
inline constexpr std::uint16_t kCodePageAscii = 1252;    // bytes (Windows-1252)

constexpr bool is_valid_column_id(std::uint32_t column_id) {
  return column_id >= kFirstFixedColumnId && column_id <= kLastTaggedColumnId;
}

// Precondition: is_valid_column_id(column_id).
constexpr ColumnClass column_class_of_id(std::uint32_t column_id) {
  if (column_id <= kLastFixedColumnId) return ColumnClass::kFixed;
  if (column_id <= kLastVariableColumnId) return ColumnClass::kVariable;
  return ColumnClass::kTagged;
}

// A type a column may be created with (Nil and SLV are not).
constexpr bool is_valid_column_type(ColumnType type) {
  const auto value = static_cast<std::uint32_t>(type);
  return value >= 1 && value <= 18 && value != 13;
}

constexpr bool is_long_value_type(ColumnType type) {
  return type == ColumnType::kLongBinary || type == ColumnType::kLongText;
}

constexpr bool is_text_type(ColumnType type) {
  return type == ColumnType::kText || type == ColumnType::kLongText;
}

constexpr bool is_binary_type(ColumnType type) {
  return type == ColumnType::kBinary || type == ColumnType::kLongBinary;
}

// The size of a value of a fixed-size type, 0 for Binary/Text/LongBinary/LongText and invalid
// types.
constexpr std::uint32_t fixed_size_bytes(ColumnType type) {
  switch (type) {
    case ColumnType::kBit:
    case ColumnType::kUnsignedByte:
      return 1;
    case ColumnType::kShort:
    case ColumnType::kUnsignedShort:
      return 2;
    case ColumnType::kLong:
    case ColumnType::kUnsignedLong:
    case ColumnType::kIEEESingle:
      return 4;
    case ColumnType::kCurrency:
    case ColumnType::kIEEEDouble:
    case ColumnType::kDateTime:
    case ColumnType::kLongLong:
    case ColumnType::kUnsignedLongLong:
      return 8;
    case ColumnType::kGUID:
      return 16;
    default:
      return 0;
  }
}

constexpr bool is_fixed_size_type(ColumnType type) { return fixed_size_bytes(type) != 0; }

// "Long", "Text", ... for messages and tests.
std::string_view column_type_name(ColumnType type);

}  // namespace esent::catalog
