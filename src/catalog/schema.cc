// Schema validation: the checks JetAddColumn / JetCreateIndex apply before the table layer
// writes anything. Pure functions; see schema.h for the contracts.
#include "catalog/schema.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace esent::catalog {

std::string_view column_type_name(ColumnType type) {
  switch (type) {
    case ColumnType::kNil: return "Nil";
    case ColumnType::kBit: return "Bit";
    case ColumnType::kUnsignedByte: return "UnsignedByte";
    case ColumnType::kShort: return "Short";
    case ColumnType::kLong: return "Long";
    case ColumnType::kCurrency: return "Currency";
    case ColumnType::kIEEESingle: return "IEEESingle";
    case ColumnType::kIEEEDouble: return "IEEEDouble";
    case ColumnType::kDateTime: return "DateTime";
    case ColumnType::kBinary: return "Binary";
    case ColumnType::kText: return "Text";
    case ColumnType::kLongBinary: return "LongBinary";
    case ColumnType::kLongText: return "LongText";
    case ColumnType::kSLV: return "SLV";
    case ColumnType::kUnsignedLong: return "UnsignedLong";
    case ColumnType::kLongLong: return "LongLong";
    case ColumnType::kGUID: return "GUID";
    case ColumnType::kUnsignedShort: return "UnsignedShort";
    case ColumnType::kUnsignedLongLong: return "UnsignedLongLong";
  }
  return "Unknown";
}

Status validate_object_name(std::string_view name) {
  if (name.empty() || name.size() > kNameMostChars) return Status(Error::kInvalidName, "length");
  if (name.front() == ' ') return Status(Error::kInvalidName, "leading space");
  for (char ch : name) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte < 0x20 || ch == '!' || ch == '.' || ch == '[' || ch == ']') {
      return Status(Error::kInvalidName, "character");
    }
  }
  return Status::success();
}

std::string normalize_object_name(std::string_view name) {
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  return std::string(name);
}

ColumnClass column_class_for(const ColumnDef& column) {
  if ((column.flags & column_flags::kTagged) != 0 || is_long_value_type(column.type)) {
    return ColumnClass::kTagged;
  }
  if ((column.flags & column_flags::kFixed) != 0 || is_fixed_size_type(column.type)) {
    return ColumnClass::kFixed;
  }
  return ColumnClass::kVariable;
}

Result<ColumnDef> validate_column_def(const ColumnDef& input, bool* max_truncated) {
  ColumnDef column = input;
  ESENT_RETURN_IF_ERROR(validate_object_name(column.name));
  column.name = normalize_object_name(column.name);
  if (!is_valid_column_type(column.type)) return Error::kInvalidColumnType;
  const std::uint32_t flags = column.flags;
  if ((flags & ~column_flags::kAll) != 0) return Error::kInvalidGrbit;
  const bool fixed_flag = (flags & column_flags::kFixed) != 0;
  const bool tagged_flag = (flags & column_flags::kTagged) != 0;
  if (fixed_flag && tagged_flag) return Status(Error::kInvalidParameter, "fixed and tagged");
  // JetAddColumn docs: JET_errInvalidgrbit for a fixed long value.
  if (fixed_flag && is_long_value_type(column.type)) {
    return Status(Error::kInvalidGrbit, "a long value cannot be fixed");
  }
  const ColumnClass column_class = column_class_for(column);
  if ((flags & column_flags::kMultiValued) != 0 && column_class != ColumnClass::kTagged) {
    return Error::kMultiValuedColumnMustBeTagged;
  }
  if ((flags & column_flags::kNotNULL) != 0 && column_class == ColumnClass::kTagged) {
    return Error::kTaggedNotNULL;
  }
  const bool autoincrement = (flags & column_flags::kAutoincrement) != 0;
  const bool version = (flags & column_flags::kVersion) != 0;
  if (autoincrement || version) {
    if (autoincrement && version) return Status(Error::kInvalidParameter, "version+autoinc");
    // JetAddColumn docs: an autoincrement or version column cannot be tagged
    // (JET_errCannotBeTagged); autoincrement is for Long and Currency (LongLong) columns,
    // version for Long columns, JET_errInvalidgrbit otherwise.
    if (version && column.type != ColumnType::kLong) return Error::kInvalidGrbit;
    if (autoincrement && column.type != ColumnType::kLong &&
        column.type != ColumnType::kCurrency && column.type != ColumnType::kLongLong) {
      return Error::kInvalidGrbit;
    }
    if (column_class == ColumnClass::kTagged) {
      return Status(Error::kCannotBeTagged, "autoincrement/version column cannot be tagged");
    }
  }
  if ((flags & column_flags::kEscrowUpdate) != 0) {
    if (column.type != ColumnType::kLong || column_class != ColumnClass::kFixed ||
        autoincrement || version) {
      return Status(Error::kInvalidGrbit, "escrow update needs a fixed Long column");
    }
  }
  if ((flags & (column_flags::kFinalize | column_flags::kDeleteOnZero)) != 0 &&
      (flags & column_flags::kEscrowUpdate) == 0) {
    return Status(Error::kInvalidGrbit, "finalize/delete-on-zero need escrow update");
  }
  if ((flags & column_flags::kCompressed) != 0 && !is_long_value_type(column.type)) {
    // ESE: JET_errColumnCannotBeCompressed.
    return Status(Error::kInvalidParameter, "only long values can be compressed");
  }
  if ((flags & column_flags::kUserDefinedDefault) != 0) {
    return Status(Error::kFeatureNotAvailable, "user-defined defaults");
  }

  // Sizes.
  if (is_fixed_size_type(column.type)) {
    column.max_size_bytes = fixed_size_bytes(column.type);
  } else if (is_long_value_type(column.type)) {
    if (column.max_size_bytes > kLongValueMostBytes) return Error::kColumnTooBig;
  } else {
    // JetAddColumn docs: a larger cbMax is cut to JET_cbColumnMost with
    // JET_wrnColumnMaxTruncated (reported through `max_truncated`).
    if (column.max_size_bytes == 0) column.max_size_bytes = kColumnMostBytes;
    if (column.max_size_bytes > kColumnMostBytes) {
      column.max_size_bytes = kColumnMostBytes;
      if (max_truncated != nullptr) *max_truncated = true;
    }
  }

  // Code page.
  if (is_text_type(column.type)) {
    if (column.code_page == 0) column.code_page = kCodePageAscii;
    if (column.code_page != kCodePageAscii && column.code_page != kCodePageUnicode) {
      return Error::kInvalidCodePage;
    }
    if (column_class == ColumnClass::kFixed && column.code_page == kCodePageUnicode &&
        column.max_size_bytes % 2 != 0) {
      return Status(Error::kInvalidParameter, "fixed Unicode text needs an even size");
    }
  } else {
    column.code_page = 0;
  }

  // Default value.
  if (!column.default_value.empty()) {
    if (autoincrement || version) {
      return Status(Error::kInvalidParameter, "autoincrement/version columns have no default");
    }
    if (is_fixed_size_type(column.type)) {
      if (column.default_value.size() != column.max_size_bytes) return Error::kInvalidBufferSize;
    } else if (column.max_size_bytes != 0 && column.default_value.size() > column.max_size_bytes) {
      return Error::kDefaultValueTooBig;
    } else if (column.default_value.size() > kColumnMostBytes && !is_long_value_type(column.type)) {
      return Error::kDefaultValueTooBig;
    }
  }

  column.flags &= ~(column_flags::kFixed | column_flags::kTagged | column_flags::kUpdatable);
  if (column_class == ColumnClass::kFixed) column.flags |= column_flags::kFixed;
  if (column_class == ColumnClass::kTagged) column.flags |= column_flags::kTagged;
  column.deleted = false;
  return column;
}

Result<std::uint32_t> next_column_id(ColumnClass column_class,
                                     const std::vector<ColumnDef>& existing) {
  std::uint32_t first = kFirstFixedColumnId;
  std::uint32_t last = kLastFixedColumnId;
  if (column_class == ColumnClass::kVariable) {
    first = kFirstVariableColumnId;
    last = kLastVariableColumnId;
  } else if (column_class == ColumnClass::kTagged) {
    first = kFirstTaggedColumnId;
    last = kLastTaggedColumnId;
  }
  std::uint32_t next = first;
  for (const ColumnDef& column : existing) {
    if (column.column_id >= first && column.column_id <= last) {
      next = std::max(next, column.column_id + 1);
    }
  }
  if (next > last) return Error::kTooManyColumns;
  return next;
}

namespace {

bool names_equal(std::string_view left, std::string_view right) {
  if (left.size() != right.size()) return false;
  for (std::size_t index = 0; index < left.size(); ++index) {
    if (std::toupper(static_cast<unsigned char>(left[index])) !=
        std::toupper(static_cast<unsigned char>(right[index]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

ColumnLookup make_column_lookup(const std::vector<ColumnDef>& columns) {
  return [&columns](std::string_view name) -> const ColumnDef* {
    const std::string trimmed = normalize_object_name(name);
    for (const ColumnDef& column : columns) {
      if (!column.deleted && names_equal(column.name, trimmed)) return &column;
    }
    return nullptr;
  };
}

Result<std::vector<IndexSegment>> parse_index_key(const char* key, std::uint32_t size_bytes,
                                                  const ColumnLookup& lookup) {
  if (key == nullptr || size_bytes == 0) return Status(Error::kIndexInvalidDef, "empty key");
  std::vector<IndexSegment> segments;
  std::set<std::uint32_t> seen;
  std::size_t position = 0;
  while (position < size_bytes && key[position] != '\0') {
    std::size_t end = position;
    while (end < size_bytes && key[end] != '\0') ++end;
    std::string_view segment(key + position, end - position);
    position = end + 1;
    bool descending = false;
    if (segment.front() == '+' || segment.front() == '-') {
      descending = segment.front() == '-';
      segment.remove_prefix(1);
    }
    if (segment.empty()) return Status(Error::kIndexInvalidDef, "empty segment");
    if (!validate_object_name(segment).ok()) {
      return Status(Error::kIndexInvalidDef, "bad column name");
    }
    if (segments.size() == kKeyColumnsMost) return Error::kTooManyKeys;
    const ColumnDef* column = lookup ? lookup(segment) : nullptr;
    if (column == nullptr) return Status(Error::kColumnNotFound, std::string(segment));
    if (!seen.insert(column->column_id).second) {
      return Status(Error::kIndexInvalidDef, "column twice in key");
    }
    segments.push_back(IndexSegment{column->column_id, descending});
  }
  if (segments.empty()) return Status(Error::kIndexInvalidDef, "empty key");
  return segments;
}

std::uint32_t key_most_bytes_for_page_size(std::uint32_t page_size_bytes) {
  if (page_size_bytes <= 2048) return 500;
  if (page_size_bytes <= 4096) return 1000;
  return 2000;
}

const ColumnDef* find_column(const std::vector<ColumnDef>& columns, std::uint32_t column_id) {
  for (const ColumnDef& column : columns) {
    if (column.column_id == column_id) return &column;
  }
  return nullptr;
}

Result<IndexDef> validate_index_def(const IndexDef& input, const std::vector<ColumnDef>& columns,
                                    std::uint32_t key_most_bytes_for_page) {
  IndexDef index = input;
  ESENT_RETURN_IF_ERROR(validate_object_name(index.name));
  index.name = normalize_object_name(index.name);
  constexpr std::uint32_t kKnownFlags =
      index_flags::kUnique | index_flags::kPrimary | index_flags::kDisallowNull |
      index_flags::kIgnoreNull | index_flags::kIgnoreAnyNull | index_flags::kIgnoreFirstNull |
      index_flags::kLazyFlush | index_flags::kEmpty | index_flags::kUnversioned |
      index_flags::kSortNullsHigh | index_flags::kUnicode | index_flags::kTuples |
      index_flags::kTupleLimits | index_flags::kCrossProduct | index_flags::kKeyMost |
      index_flags::kDisallowTruncation | index_flags::kNestedTable | index_flags::kDotNetGuid |
      index_flags::kImmutableStructure;
  if ((index.flags & ~kKnownFlags) != 0) return Error::kInvalidGrbit;
  if ((index.flags & (index_flags::kTuples | index_flags::kTupleLimits |
                      index_flags::kNestedTable)) != 0) {
    return Status(Error::kFeatureNotAvailable, "tuple and nested-table indexes");
  }
  if ((index.flags & index_flags::kPrimary) != 0 &&
      (index.flags & (index_flags::kIgnoreNull | index_flags::kIgnoreAnyNull |
                      index_flags::kIgnoreFirstNull)) != 0) {
    return Status(Error::kIndexInvalidDef, "a primary index cannot ignore nulls");
  }
  if (index.segments.empty()) return Status(Error::kIndexInvalidDef, "no segments");
  if (index.segments.size() > kKeyColumnsMost) return Error::kTooManyKeys;
  std::set<std::uint32_t> seen;
  for (const IndexSegment& segment : index.segments) {
    const ColumnDef* column = find_column(columns, segment.column_id);
    if (column == nullptr || column->deleted) return Error::kColumnNotFound;
    if (!seen.insert(segment.column_id).second) {
      return Status(Error::kIndexInvalidDef, "column twice in key");
    }
  }
  if (index.density == 0) index.density = 80;
  // ESE: JET_errDensityInvalid.
  if (index.density < 20 || index.density > 100) {
    return Status(Error::kInvalidParameter, "density");
  }
  if (index.lcid == 0) index.lcid = 1033;
  if ((index.flags & index_flags::kKeyMost) != 0 && index.max_key_bytes == 0) {
    index.max_key_bytes = key_most_bytes_for_page;
  }
  if (index.max_key_bytes == 0) index.max_key_bytes = kKeyMostBytes;
  if (index.max_key_bytes < kKeyMostMinBytes && index.max_key_bytes != 0) {
    // ESE accepts smaller limits only through cbVarSegMac; a key limit below 255 is refused.
    return Status(Error::kIndexInvalidDef, "max key bytes below JET_cbKeyMostMin");
  }
  if (index.max_key_bytes > key_most_bytes_for_page) {
    return Status(Error::kIndexInvalidDef, "max key bytes above the page's limit");
  }
  return index;
}

}  // namespace esent::catalog
