// Key normalization: catalog/key_format.h encodings, index entries of a record, and the
// JetMakeKey state machine (KeyBuilder).
//
// KeyBuilder states: empty (no key) → prepared (1..n segments) → complete (all segments given,
// or a limit applied, or a normalized key loaded). kNewKey returns to empty first (so a call
// with kNewKey that fails leaves no key, as in ESE); any other failed append leaves the builder
// as it was.
#include "catalog/key.h"

#include <algorithm>
#include <cstring>

#include "catalog/key_format.h"

namespace esent::catalog {

namespace kf = key_format;

namespace {
Status corrupt_key() { return Status(Error::kDatabaseCorrupted, "not a normalized key"); }
}  // namespace

std::uint32_t effective_max_key_bytes(const IndexDef& index) {
  return index.max_key_bytes == 0 ? kKeyMostBytes : index.max_key_bytes;
}

std::uint16_t fold_utf16_unit(std::uint16_t unit) {
  const auto minus = [unit](int delta) { return static_cast<std::uint16_t>(unit - delta); };
  if (unit < 0x80) return unit >= 'a' && unit <= 'z' ? minus(32) : unit;
  if (unit < 0x100) {
    if (unit == 0xB5) return 0x39C;
    if (unit == 0xFF) return 0x178;
    if (unit >= 0xE0 && unit != 0xF7 && unit != 0xDF) return minus(32);
    return unit;
  }
  if (unit < 0x180) {
    if ((unit >= 0x100 && unit <= 0x137) || (unit >= 0x14A && unit <= 0x177)) {
      return static_cast<std::uint16_t>(unit & ~1u);
    }
    if ((unit >= 0x139 && unit <= 0x148) || (unit >= 0x179 && unit <= 0x17E)) {
      return unit % 2 == 0 ? minus(1) : unit;
    }
    if (unit == 0x17F) return 'S';
    return unit;
  }
  if (unit >= 0x3B1 && unit <= 0x3CB) return unit == 0x3C2 ? std::uint16_t{0x3A3} : minus(32);
  if (unit == 0x3AC) return 0x386;
  if (unit >= 0x3AD && unit <= 0x3AF) return minus(37);
  if (unit == 0x3CC) return 0x38C;
  if (unit == 0x3CD || unit == 0x3CE) return minus(63);
  if (unit >= 0x430 && unit <= 0x44F) return minus(32);
  if (unit >= 0x450 && unit <= 0x45F) return minus(80);
  if ((unit >= 0x460 && unit <= 0x481) || (unit >= 0x48A && unit <= 0x4BF)) {
    return static_cast<std::uint16_t>(unit & ~1u);
  }
  if (unit >= 0x561 && unit <= 0x586) return minus(48);
  if (unit >= 0xFF41 && unit <= 0xFF5A) return minus(32);
  return unit;
}

namespace {

std::uint64_t load_little_endian(std::string_view bytes) {
  std::uint64_t value = 0;
  for (std::size_t index = bytes.size(); index > 0; --index) {
    value = (value << 8) | static_cast<unsigned char>(bytes[index - 1]);
  }
  return value;
}

void append_big_endian(std::string* out, std::uint64_t value, std::size_t size) {
  for (std::size_t index = size; index > 0; --index) {
    out->push_back(static_cast<char>((value >> (8 * (index - 1))) & 0xFF));
  }
}

// The prefix and data of a fixed-size type (the value has the right size).
void normalize_fixed_type(const SegmentSpec& spec, std::string_view value, std::string* out) {
  const ColumnType type = spec.column->type;
  const std::size_t size = value.size();
  const std::uint64_t raw = size <= 8 ? load_little_endian(value) : 0;
  const std::uint64_t sign_bit = size >= 1 && size <= 8 ? (std::uint64_t{1} << (8 * size - 1)) : 0;
  const std::uint64_t all_bits =
      size == 8 ? ~std::uint64_t{0} : (size <= 8 ? (std::uint64_t{1} << (8 * size)) - 1 : 0);
  out->push_back(static_cast<char>(kf::kPrefixData));
  switch (type) {
    case ColumnType::kBit:
      out->push_back(value[0] == 0 ? '\0' : '\xFF');
      return;
    case ColumnType::kUnsignedByte:
    case ColumnType::kUnsignedShort:
    case ColumnType::kUnsignedLong:
    case ColumnType::kUnsignedLongLong:
      append_big_endian(out, raw, size);
      return;
    case ColumnType::kShort:
    case ColumnType::kLong:
    case ColumnType::kLongLong:
    case ColumnType::kCurrency:
      append_big_endian(out, raw ^ sign_bit, size);
      return;
    case ColumnType::kIEEESingle:
    case ColumnType::kIEEEDouble:
    case ColumnType::kDateTime:
      append_big_endian(out, (raw & sign_bit) != 0 ? (~raw & all_bits) : (raw ^ sign_bit), size);
      return;
    case ColumnType::kGUID: {
      static constexpr int kSqlOrder[16] = {10, 11, 12, 13, 14, 15, 8, 9, 6, 7, 4, 5, 0, 1, 2, 3};
      static constexpr int kDotNetOrder[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
      const int* order = spec.dot_net_guid ? kDotNetOrder : kSqlOrder;
      for (int index = 0; index < 16; ++index) out->push_back(value[static_cast<std::size_t>(order[index])]);
      return;
    }
    default:
      return;
  }
}

void normalize_binary(std::string_view value, bool fixed_column, std::size_t space,
                      NormalizedSegment* segment) {
  std::string& out = segment->bytes;
  out.push_back(static_cast<char>(kf::kPrefixData));
  if (fixed_column) {
    const std::size_t keep = std::min(value.size(), space - 1);
    out.append(value.substr(0, keep));
    segment->truncated = keep < value.size();
    segment->value_end = out.size();
    return;
  }
  const std::size_t chunks = (value.size() + kf::kBinaryChunkBytes - 1) / kf::kBinaryChunkBytes;
  const std::size_t full_size = 1 + chunks * kf::kBinaryChunkNormalizedBytes;
  const bool whole = full_size <= space;
  const std::size_t size = whole ? full_size : space;
  segment->truncated = !whole;
  std::size_t remaining_space = size - 1;
  std::size_t consumed = 0;
  while (remaining_space >= kf::kBinaryChunkNormalizedBytes) {
    const std::size_t left = value.size() - consumed;
    if (left <= kf::kBinaryChunkBytes) {
      out.append(value.substr(consumed, left));
      segment->value_end = out.size();
      if (left == kf::kBinaryChunkBytes) {
        out.push_back(static_cast<char>(whole ? kf::kBinaryChunkBytes : kf::kBinaryChunkContinues));
      } else {
        out.append(kf::kBinaryChunkBytes - left, '\0');
        out.push_back(static_cast<char>(left));
      }
      consumed = value.size();
    } else {
      out.append(value.substr(consumed, kf::kBinaryChunkBytes));
      out.push_back(static_cast<char>(kf::kBinaryChunkContinues));
      consumed += kf::kBinaryChunkBytes;
    }
    remaining_space -= kf::kBinaryChunkNormalizedBytes;
  }
  if (remaining_space > 0) {
    // A partial chunk at the key limit: the value's next bytes, zero-padded.
    const std::size_t left = value.size() - consumed;
    if (left >= remaining_space) {
      out.append(value.substr(consumed, remaining_space));
    } else {
      out.append(value.substr(consumed, left));
      segment->value_end = out.size();
      out.append(remaining_space - left, '\0');
    }
  }
}

void normalize_text(std::string_view value, bool unicode, std::size_t space,
                    NormalizedSegment* segment) {
  std::string& out = segment->bytes;
  out.push_back(static_cast<char>(kf::kPrefixData));
  const std::size_t data_space = space - 1;  // bytes for data and terminator
  std::string data;
  if (unicode) {
    data.reserve(value.size());
    for (std::size_t index = 0; index + 1 < value.size(); index += 2) {
      const auto unit = static_cast<std::uint16_t>(
          static_cast<unsigned char>(value[index]) |
          (static_cast<unsigned char>(value[index + 1]) << 8));
      if (unit == 0) break;
      const std::uint16_t folded = fold_utf16_unit(unit);
      data.push_back(static_cast<char>(folded >> 8));
      data.push_back(static_cast<char>(folded & 0xFF));
    }
  } else {
    const std::size_t length = std::min(value.find('\0'), value.size());
    data.assign(value.substr(0, length));
    for (char& ch : data) {
      if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    }
  }
  // ASCII data never holds 0x00 and Unicode data never the unit 0x0000, so the terminator
  // keeps the encoding prefix-free (a shorter string sorts first, also inside a longer key).
  const std::size_t terminator_bytes = unicode ? 2 : 1;
  if (data.size() + terminator_bytes <= data_space) {
    out.append(data);
    segment->value_end = out.size();
    out.append(terminator_bytes, static_cast<char>(kf::kTextTerminator));
  } else {
    out.append(data, 0, data_space);
    segment->truncated = true;
    segment->value_end = out.size();
  }
}

}  // namespace

Result<NormalizedSegment> normalize_segment(const SegmentSpec& spec,
                                            std::optional<std::string_view> value,
                                            std::size_t space_bytes) {
  NormalizedSegment segment;
  const ColumnDef& column = *spec.column;
  if (value.has_value() && !value->empty() && is_fixed_size_type(column.type) &&
      value->size() != fixed_size_bytes(column.type)) {
    return Error::kInvalidBufferSize;
  }
  if (space_bytes == 0) {
    segment.truncated = true;
    return segment;
  }
  if (!value.has_value() || (value->empty() && is_fixed_size_type(column.type))) {
    segment.bytes.push_back(
        static_cast<char>(spec.sort_nulls_high ? kf::kPrefixNullHigh : kf::kPrefixNull));
  } else if (value->empty()) {
    segment.bytes.push_back(static_cast<char>(kf::kPrefixZeroLength));
  } else if (is_fixed_size_type(column.type)) {
    normalize_fixed_type(spec, *value, &segment.bytes);
    if (segment.bytes.size() > space_bytes) {
      segment.bytes.resize(space_bytes);
      segment.truncated = true;
    }
  } else if (is_binary_type(column.type)) {
    const bool fixed_column = column_class_of_id(column.column_id) == ColumnClass::kFixed;
    normalize_binary(*value, fixed_column, space_bytes, &segment);
  } else {
    normalize_text(*value, column.code_page == kCodePageUnicode, space_bytes, &segment);
  }
  if (spec.descending) {
    for (char& byte : segment.bytes) byte = static_cast<char>(~static_cast<unsigned char>(byte));
  }
  return segment;
}

// ---------------------------------------------------------------------------------------------
// index_entries

namespace {

struct ResolvedSegment {
  SegmentSpec spec;
  bool multi_valued = false;  // contributes all of its values
};

}  // namespace

Result<IndexEntries> index_entries(const IndexDef& index, const std::vector<ColumnDef>& columns,
                                   const Record& record,
                                   const LongValueReader& long_value_reader) {
  const std::uint32_t max_key = effective_max_key_bytes(index);
  const bool cross_product = (index.flags & index_flags::kCrossProduct) != 0;
  std::vector<ResolvedSegment> segments;
  segments.reserve(index.segments.size());
  bool have_multi = false;
  for (const IndexSegment& segment : index.segments) {
    const ColumnDef* column = find_column(columns, segment.column_id);
    if (column == nullptr || column->deleted) return Error::kColumnNotFound;
    ResolvedSegment resolved;
    resolved.spec.column = column;
    resolved.spec.descending = segment.descending;
    resolved.spec.sort_nulls_high = (index.flags & index_flags::kSortNullsHigh) != 0;
    resolved.spec.dot_net_guid = (index.flags & index_flags::kDotNetGuid) != 0;
    const bool multi = column_class_of_id(column->column_id) == ColumnClass::kTagged &&
                       (column->flags & column_flags::kMultiValued) != 0;
    if (multi && (cross_product || !have_multi)) {
      resolved.multi_valued = true;
      have_multi = true;
    }
    segments.push_back(resolved);
  }

  // Per segment: the itags to use (0 = null).
  std::vector<std::uint32_t> counts(segments.size(), 1);
  for (std::size_t position = 0; position < segments.size(); ++position) {
    if (segments[position].multi_valued) {
      counts[position] = std::max<std::uint32_t>(
          1, record.count_values_or_default(segments[position].spec.column->column_id));
    }
  }

  IndexEntries result;
  std::vector<std::uint32_t> itags(segments.size(), 1);
  std::string key;
  std::string long_value;
  for (;;) {
    key.clear();
    bool all_null = true;
    bool any_null = false;
    bool first_null = false;
    bool truncated = false;
    for (std::size_t position = 0; position < segments.size(); ++position) {
      const ResolvedSegment& segment = segments[position];
      const ColumnValue value =
          record.get_or_default(segment.spec.column->column_id, itags[position]);
      std::optional<std::string_view> bytes;
      if (value.state == ValueState::kValue) {
        bytes = value.bytes;
        if (value.separated) {
          if (!long_value_reader) return Status(Error::kInvalidParameter, "no long value reader");
          Result<LongValueRef> ref = decode_long_value_ref(value.bytes);
          if (!ref.ok()) return ref.status();
          Result<std::string> read = long_value_reader(*ref, max_key);
          if (!read.ok()) return read.status();
          long_value = std::move(read.value());
          bytes = long_value;
        }
        all_null = false;
      } else {
        any_null = true;
        if (position == 0) first_null = true;
      }
      const std::size_t space = max_key - key.size();
      Result<NormalizedSegment> normalized = normalize_segment(segment.spec, bytes, space);
      if (!normalized.ok()) return normalized.status();
      truncated = truncated || normalized->truncated;
      key.append(normalized->bytes);
    }
    const std::uint32_t flags = index.flags;
    if ((flags & index_flags::kDisallowNull) != 0 && any_null) return Error::kNullInvalid;
    const bool skip = ((flags & index_flags::kIgnoreNull) != 0 && all_null) ||
                      ((flags & index_flags::kIgnoreAnyNull) != 0 && any_null) ||
                      ((flags & index_flags::kIgnoreFirstNull) != 0 && first_null);
    if (!skip) {
      if (truncated && (flags & index_flags::kDisallowTruncation) != 0) {
        return Error::kKeyTruncated;
      }
      result.any_truncated = result.any_truncated || truncated;
      result.keys.push_back(key);
    }
    // Next combination (an odometer): the last multi-valued segment varies fastest.
    bool advanced = false;
    for (std::size_t position = segments.size(); position-- > 0;) {
      if (!segments[position].multi_valued) continue;
      if (itags[position] < counts[position]) {
        ++itags[position];
        advanced = true;
        break;
      }
      itags[position] = 1;
    }
    if (!advanced) break;
  }
  std::sort(result.keys.begin(), result.keys.end());
  result.keys.erase(std::unique(result.keys.begin(), result.keys.end()), result.keys.end());
  return result;
}

// ---------------------------------------------------------------------------------------------
// retrieve_column_from_key

namespace {

// The value of a fixed-size type from its normalized data (prefix excluded, not complemented).
std::string denormalize_fixed_type(const ColumnDef& column, bool dot_net_guid,
                                   std::string_view data) {
  const std::size_t size = data.size();
  std::string value(size, '\0');
  if (column.type == ColumnType::kGUID) {
    static constexpr int kSqlOrder[16] = {10, 11, 12, 13, 14, 15, 8, 9, 6, 7, 4, 5, 0, 1, 2, 3};
    static constexpr int kDotNetOrder[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
    const int* order = dot_net_guid ? kDotNetOrder : kSqlOrder;
    for (std::size_t index = 0; index < 16; ++index) {
      value[static_cast<std::size_t>(order[index])] = data[index];
    }
    return value;
  }
  if (column.type == ColumnType::kBit) return std::string(1, data[0] == 0 ? '\0' : '\xFF');
  std::uint64_t normalized = 0;
  for (char byte : data) normalized = (normalized << 8) | static_cast<unsigned char>(byte);
  const std::uint64_t sign_bit = std::uint64_t{1} << (8 * size - 1);
  const std::uint64_t all_bits = size == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * size)) - 1;
  std::uint64_t raw = normalized;
  switch (column.type) {
    case ColumnType::kShort:
    case ColumnType::kLong:
    case ColumnType::kLongLong:
    case ColumnType::kCurrency:
      raw = normalized ^ sign_bit;
      break;
    case ColumnType::kIEEESingle:
    case ColumnType::kIEEEDouble:
    case ColumnType::kDateTime:
      raw = (normalized & sign_bit) != 0 ? (normalized ^ sign_bit) : (~normalized & all_bits);
      break;
    default:
      break;
  }
  for (std::size_t index = 0; index < size; ++index) {
    value[index] = static_cast<char>((raw >> (8 * index)) & 0xFF);
  }
  return value;
}

}  // namespace

Result<std::optional<std::string>> retrieve_column_from_key(const IndexDef& index,
                                                            const std::vector<ColumnDef>& columns,
                                                            std::string_view key,
                                                            std::uint32_t column_id) {
  bool found = false;
  for (const IndexSegment& segment : index.segments) found = found || segment.column_id == column_id;
  if (!found) return Error::kColumnNotFound;
  const bool dot_net_guid = (index.flags & index_flags::kDotNetGuid) != 0;
  std::size_t position = 0;
  for (const IndexSegment& segment : index.segments) {
    const ColumnDef* column = find_column(columns, segment.column_id);
    if (column == nullptr) return Error::kColumnNotFound;
    const bool target = segment.column_id == column_id;
    if (target && is_text_type(column->type)) {
      return Status(Error::kFeatureNotAvailable, "text cannot be read back from a key");
    }
    if (position >= key.size()) return Error::kKeyTruncated;
    const auto mask = static_cast<unsigned char>(segment.descending ? 0xFF : 0x00);
    const auto byte_at = [&](std::size_t at) {
      return static_cast<unsigned char>(static_cast<unsigned char>(key[at]) ^ mask);
    };
    const unsigned char prefix = byte_at(position++);
    std::optional<std::string> value;
    if (prefix == kf::kPrefixNull || prefix == kf::kPrefixNullHigh) {
      value = std::nullopt;
    } else if (prefix == kf::kPrefixZeroLength) {
      if (is_fixed_size_type(column->type)) return corrupt_key();
      value = std::string();
    } else if (prefix != kf::kPrefixData) {
      return Status(Error::kDatabaseCorrupted, "key prefix byte");
    } else if (is_fixed_size_type(column->type) ||
               column_class_of_id(column->column_id) == ColumnClass::kFixed) {
      const std::size_t size = is_fixed_size_type(column->type) ? fixed_size_bytes(column->type)
                                                                : column->max_size_bytes;
      if (key.size() - position < size) return Error::kKeyTruncated;
      std::string data(size, '\0');
      for (std::size_t offset = 0; offset < size; ++offset) {
        data[offset] = static_cast<char>(byte_at(position + offset));
      }
      position += size;
      value = is_fixed_size_type(column->type)
                  ? denormalize_fixed_type(*column, dot_net_guid, data)
                  : data;
    } else if (is_binary_type(column->type)) {
      std::string data;
      for (;;) {
        if (key.size() - position < kf::kBinaryChunkNormalizedBytes) return Error::kKeyTruncated;
        const unsigned char count = byte_at(position + kf::kBinaryChunkBytes);
        if (count == 0 || count > kf::kBinaryChunkContinues) return corrupt_key();
        const std::size_t used = count == kf::kBinaryChunkContinues ? kf::kBinaryChunkBytes : count;
        for (std::size_t offset = 0; offset < used; ++offset) {
          data.push_back(static_cast<char>(byte_at(position + offset)));
        }
        position += kf::kBinaryChunkNormalizedBytes;
        if (count != kf::kBinaryChunkContinues) break;
      }
      value = std::move(data);
    } else {
      // Text (never the target here): skip to past the terminator.
      const std::size_t unit = column->code_page == kCodePageUnicode ? 2 : 1;
      for (;;) {
        if (key.size() - position < unit) return Error::kKeyTruncated;
        bool terminator = byte_at(position) == 0 && (unit == 1 || byte_at(position + 1) == 0);
        position += unit;
        if (terminator) break;
      }
    }
    if (target) return value;
  }
  return Error::kColumnNotFound;
}

// ---------------------------------------------------------------------------------------------
// KeyBuilder

KeyBuilder::KeyBuilder(const IndexDef& index, const std::vector<ColumnDef>& columns)
    : index_(index), max_key_bytes_(effective_max_key_bytes(index)) {
  segment_columns_.reserve(index.segments.size());
  for (const IndexSegment& segment : index.segments) {
    const ColumnDef* column = find_column(columns, segment.column_id);
    if (column != nullptr && !column->deleted) {
      segment_columns_.emplace_back(*column);
    } else {
      segment_columns_.emplace_back(std::nullopt);
    }
  }
}

void KeyBuilder::reset() {
  key_.clear();
  segment_count_ = 0;
  made_ = false;
  limit_ = false;
  truncated_ = false;
}

namespace {

// Keeps the first `from` bytes of `segment` and fills it with sentinels up to `length`.
void fill_sentinel(std::string* segment, std::size_t from, std::size_t length) {
  segment->resize(from);
  segment->resize(length, static_cast<char>(kf::kSentinel));
}

}  // namespace

Status KeyBuilder::append(std::string_view data, std::uint32_t grbit) {
  namespace mk = make_key_flags;
  if ((grbit & ~mk::kAll) != 0) return Error::kInvalidGrbit;
  if ((grbit & mk::kNormalizedKey) != 0) {
    if (data.size() > max_key_bytes_ + 1) return Error::kInvalidParameter;
    reset();
    key_.assign(data);
    segment_count_ = 1;
    made_ = true;
    limit_ = data.size() > max_key_bytes_;
    return Status::success();
  }
  if ((grbit & mk::kNewKey) != 0) {
    reset();  // as in ESE, the old key is gone even if this call then fails
  } else {
    if (limit_) return Error::kKeyIsMade;
    if (!made_) return Error::kKeyNotMade;
  }
  const std::uint32_t next_segment = segment_count_;
  if (next_segment >= index_.segments.size()) return Error::kKeyIsMade;
  const IndexSegment& index_segment = index_.segments[next_segment];
  if (!segment_columns_[next_segment].has_value()) return Error::kColumnNotFound;
  const ColumnDef* column = &*segment_columns_[next_segment];
  const bool fixed_column = column_class_of_id(column->column_id) == ColumnClass::kFixed;
  const bool text = is_text_type(column->type);
  const bool binary = is_binary_type(column->type);

  const std::uint32_t limit = grbit & mk::kLimitMask;
  if (limit != 0 && (limit & (limit - 1)) != 0) return Error::kInvalidGrbit;
  const bool partial_limit =
      limit == mk::kPartialColumnStartLimit || limit == mk::kPartialColumnEndLimit;
  if (partial_limit && !text && (fixed_column || !binary)) return Error::kInvalidGrbit;

  std::optional<std::string_view> value;
  std::string padded;
  if (!data.empty()) {
    value = data;
    if (fixed_column) {
      const std::uint32_t size = is_fixed_size_type(column->type) ? fixed_size_bytes(column->type)
                                                                  : column->max_size_bytes;
      if (data.size() != size) {
        if (column->type != ColumnType::kText || data.size() > size) {
          return Error::kInvalidBufferSize;
        }
        padded.assign(data);
        for (std::size_t index = data.size(); index < size; ++index) {
          padded.push_back(column->code_page == kCodePageUnicode && index % 2 == 1 ? '\0' : ' ');
        }
        value = padded;
      }
    }
  } else if ((grbit & mk::kKeyDataZeroLength) != 0) {
    if (fixed_column || (!text && !binary)) return Error::kInvalidBufferSize;
    value = std::string_view();
  }

  SegmentSpec spec;
  spec.column = column;
  spec.descending = index_segment.descending;
  spec.sort_nulls_high = (index_.flags & index_flags::kSortNullsHigh) != 0;
  spec.dot_net_guid = (index_.flags & index_flags::kDotNetGuid) != 0;

  std::string segment;
  bool segment_truncated = false;
  bool segment_limit = false;
  const std::size_t current_size = key_.size();
  if (!truncated_ && current_size < max_key_bytes_) {
    const std::size_t space = max_key_bytes_ - current_size;
    Result<NormalizedSegment> normalized = normalize_segment(spec, value, space);
    if (!normalized.ok()) return normalized.status();
    segment = std::move(normalized->bytes);
    segment_truncated = normalized->truncated;
    const std::size_t value_end = normalized->value_end;
    const std::size_t limit_length = space + 1;
    const auto full_limit = [&](bool end) {
      if (end) fill_sentinel(&segment, segment.size(), limit_length);
    };
    const auto text_partial_limit = [&](bool end) {
      if (segment.size() < 2 || value_end == 0) {
        full_limit(end);
        return;
      }
      segment.resize(value_end);
      if (end) fill_sentinel(&segment, value_end, limit_length);
    };
    const auto binary_partial_limit = [&](bool end) {
      if (value_end == 0 || fixed_column) {
        full_limit(end);
        return;
      }
      const std::size_t length = segment.size() + 1;
      segment.resize(value_end);
      if (end) fill_sentinel(&segment, value_end, length);
    };
    if (limit == mk::kFullColumnStartLimit || limit == mk::kFullColumnEndLimit) {
      full_limit(limit == mk::kFullColumnEndLimit);
      segment_limit = true;
    } else if (partial_limit) {
      const bool end = limit == mk::kPartialColumnEndLimit;
      if (text) {
        text_partial_limit(end);
      } else {
        binary_partial_limit(end);
      }
      segment_limit = true;
    } else if ((grbit & mk::kSubStrLimit) != 0 && text) {
      text_partial_limit(true);
      segment_limit = true;
    } else if ((grbit & mk::kStrLimit) != 0) {
      if (text) {
        full_limit(true);
      } else {
        binary_partial_limit(true);
      }
      segment_limit = true;
    }
  } else {
    segment_truncated = true;  // no room left: the segment is dropped
  }

  key_.append(segment);
  ++segment_count_;
  made_ = true;
  truncated_ = truncated_ || segment_truncated;
  limit_ = limit_ || segment_limit;
  return Status::success();
}

}  // namespace esent::catalog
