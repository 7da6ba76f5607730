// Records: decode/encode of catalog/record_format.h and the JetSetColumn rules.
//
// In memory a Record keeps fixed columns as one byte array laid out exactly as on disk (so
// decode and encode copy it whole), variable columns as one slot each, and tagged columns as a
// vector sorted by id. Every mutation validates first and changes nothing on failure.
#include "catalog/record.h"

#include <algorithm>
#include <cstring>

#include "catalog/record_format.h"

namespace esent::catalog {

namespace rf = record_format;

namespace {

std::uint16_t load_u16(const char* bytes) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(bytes[0]) |
                                    (static_cast<unsigned char>(bytes[1]) << 8));
}

void append_u16(std::string* out, std::size_t value) {
  out->push_back(static_cast<char>(value & 0xFF));
  out->push_back(static_cast<char>((value >> 8) & 0xFF));
}

void store_u16(char* bytes, std::size_t value) {
  bytes[0] = static_cast<char>(value & 0xFF);
  bytes[1] = static_cast<char>((value >> 8) & 0xFF);
}

Status corrupt(const char* what) { return Status(Error::kDatabaseCorrupted, what); }

}  // namespace

std::string encode_long_value_ref(const LongValueRef& ref) {
  std::string payload(rf::kSeparatedPayloadBytes, '\0');
  for (int byte = 0; byte < 8; ++byte) {
    payload[static_cast<std::size_t>(byte)] =
        static_cast<char>((ref.long_value_id >> (8 * byte)) & 0xFF);
  }
  for (int byte = 0; byte < 4; ++byte) {
    payload[static_cast<std::size_t>(8 + byte)] =
        static_cast<char>((ref.size_bytes >> (8 * byte)) & 0xFF);
  }
  return payload;
}

Result<LongValueRef> decode_long_value_ref(std::string_view payload) {
  if (payload.size() != rf::kSeparatedPayloadBytes) return corrupt("long value reference size");
  LongValueRef ref;
  for (int byte = 7; byte >= 0; --byte) {
    ref.long_value_id = (ref.long_value_id << 8) |
                        static_cast<unsigned char>(payload[static_cast<std::size_t>(byte)]);
  }
  for (int byte = 3; byte >= 0; --byte) {
    ref.size_bytes = (ref.size_bytes << 8) |
                     static_cast<unsigned char>(payload[static_cast<std::size_t>(8 + byte)]);
  }
  return ref;
}

// ---------------------------------------------------------------------------------------------
// RecordSchema

Result<std::shared_ptr<const RecordSchema>> RecordSchema::build(
    const std::vector<ColumnDef>& columns) {
  std::shared_ptr<RecordSchema> schema(new RecordSchema());
  schema->columns_ = columns;
  std::sort(schema->columns_.begin(), schema->columns_.end(),
            [](const ColumnDef& left, const ColumnDef& right) {
              return left.column_id < right.column_id;
            });
  schema->index_by_fixed_var_.assign(kFirstTaggedColumnId, -1);
  std::array<std::uint32_t, 128> fixed_sizes{};
  for (std::size_t index = 0; index < schema->columns_.size(); ++index) {
    const ColumnDef& column = schema->columns_[index];
    if (!is_valid_column_id(column.column_id)) {
      return Status(Error::kInvalidParameter, "column id out of range");
    }
    if (index > 0 && schema->columns_[index - 1].column_id == column.column_id) {
      return Status(Error::kInvalidParameter, "duplicate column id");
    }
    if (column.column_id < kFirstTaggedColumnId) {
      schema->index_by_fixed_var_[column.column_id] = static_cast<std::int32_t>(index);
    }
    switch (column_class_of_id(column.column_id)) {
      case ColumnClass::kFixed: {
        const std::uint32_t size = is_fixed_size_type(column.type) ? fixed_size_bytes(column.type)
                                                                   : column.max_size_bytes;
        if (size == 0 || size > kColumnMostBytes || is_long_value_type(column.type)) {
          return Status(Error::kInvalidParameter, "fixed column without a fixed size");
        }
        fixed_sizes[column.column_id] = size;
        schema->fixed_count_ = column.column_id;
        break;
      }
      case ColumnClass::kVariable:
        if (is_fixed_size_type(column.type) || is_long_value_type(column.type)) {
          return Status(Error::kInvalidParameter, "variable column of a non-variable type");
        }
        schema->variable_count_ = column.column_id - kLastFixedColumnId;
        break;
      case ColumnClass::kTagged:
        break;
    }
  }
  std::uint32_t offset = 0;
  for (std::uint32_t id = 1; id <= 128; ++id) {
    schema->fixed_offsets_[id - 1] = offset;
    if (id <= kLastFixedColumnId) offset += fixed_sizes[id];
  }
  schema->fixed_offsets_[128] = offset;
  return std::shared_ptr<const RecordSchema>(std::move(schema));
}

const ColumnDef* RecordSchema::column(std::uint32_t column_id) const {
  if (column_id < kFirstTaggedColumnId) {
    if (column_id == 0) return nullptr;
    const std::int32_t index = index_by_fixed_var_[column_id];
    return index < 0 ? nullptr : &columns_[static_cast<std::size_t>(index)];
  }
  auto found = std::lower_bound(columns_.begin(), columns_.end(), column_id,
                                [](const ColumnDef& column, std::uint32_t id) {
                                  return column.column_id < id;
                                });
  if (found == columns_.end() || found->column_id != column_id) return nullptr;
  return &*found;
}

const ColumnDef* RecordSchema::live_column(std::uint32_t column_id) const {
  const ColumnDef* found = column(column_id);
  return found == nullptr || found->deleted ? nullptr : found;
}

// ---------------------------------------------------------------------------------------------
// Record: decode / encode

Record::Record(std::shared_ptr<const RecordSchema> schema) : schema_(std::move(schema)) {}

Result<Record> Record::decode(std::shared_ptr<const RecordSchema> schema,
                              std::string_view bytes) {
  Record record(std::move(schema));
  const RecordSchema& layout = *record.schema_;
  if (bytes.size() < rf::kHeaderBytes) return corrupt("record header");
  const std::uint32_t fixed_count = static_cast<unsigned char>(bytes[rf::kFixedCountOffset]);
  const std::uint32_t variable_count =
      static_cast<unsigned char>(bytes[rf::kVariableCountOffset]);
  if (fixed_count > layout.fixed_count() || variable_count > layout.variable_count()) {
    return corrupt("record has columns the schema lacks");
  }
  std::size_t position = rf::kHeaderBytes;
  const std::size_t bitmap_bytes = (fixed_count + 7) / 8;
  const std::size_t fixed_bytes = layout.fixed_offset(fixed_count + 1);
  const std::size_t variable_ends_bytes = variable_count * rf::kVariableEndBytes;
  if (bytes.size() - position < bitmap_bytes + fixed_bytes + variable_ends_bytes) {
    return corrupt("record too short");
  }
  record.fixed_count_ = fixed_count;
  std::memcpy(record.fixed_nulls_.data(), bytes.data() + position, bitmap_bytes);
  position += bitmap_bytes;
  record.fixed_data_.assign(bytes.data() + position, fixed_bytes);
  position += fixed_bytes;

  const char* ends = bytes.data() + position;
  position += variable_ends_bytes;
  const std::size_t variable_start = position;
  std::size_t previous_end = 0;
  record.variables_.resize(variable_count);
  for (std::uint32_t index = 0; index < variable_count; ++index) {
    const std::uint16_t raw = load_u16(ends + index * rf::kVariableEndBytes);
    const std::size_t end = raw & rf::kVariableEndMask;
    if (end < previous_end || end > bytes.size() - variable_start) {
      return corrupt("variable column offset");
    }
    VariableSlot& slot = record.variables_[index];
    slot.null = (raw & rf::kVariableNullBit) != 0;
    if (slot.null && end != previous_end) return corrupt("null variable column with data");
    slot.bytes.assign(bytes.data() + variable_start + previous_end, end - previous_end);
    previous_end = end;
  }
  position = variable_start + previous_end;

  if (position == bytes.size()) return record;
  if (bytes.size() - position < rf::kTaggedCountBytes) return corrupt("tagged count");
  const std::size_t tagged_count = load_u16(bytes.data() + position);
  position += rf::kTaggedCountBytes;
  if (tagged_count == 0 ||
      (bytes.size() - position) / rf::kTaggedDirectoryEntryBytes < tagged_count) {
    return corrupt("tagged directory");
  }
  const char* directory = bytes.data() + position;
  const std::size_t data_start = position + tagged_count * rf::kTaggedDirectoryEntryBytes;
  const std::size_t data_size = bytes.size() - data_start;
  const char* data = bytes.data() + data_start;
  record.tagged_.reserve(tagged_count);
  std::size_t start = 0;
  std::uint32_t previous_id = 0;
  for (std::size_t entry = 0; entry < tagged_count; ++entry) {
    const std::uint32_t column_id =
        load_u16(directory + entry * rf::kTaggedDirectoryEntryBytes);
    const std::size_t end = load_u16(directory + entry * rf::kTaggedDirectoryEntryBytes + 2);
    if (column_id < kFirstTaggedColumnId || column_id <= previous_id) {
      return corrupt("tagged column ids");
    }
    if (layout.column(column_id) == nullptr) return corrupt("tagged column unknown to schema");
    if (end <= start || end > data_size) return corrupt("tagged column offsets");
    if (entry + 1 == tagged_count && end != data_size) return corrupt("tagged area length");
    previous_id = column_id;
    std::string_view column_bytes(data + start, end - start);
    start = end;

    TaggedColumn column;
    column.column_id = column_id;
    const auto flags = static_cast<std::uint8_t>(column_bytes[0]);
    column_bytes.remove_prefix(1);
    if ((flags & ~rf::kTaggedKnownFlags) != 0) return corrupt("tagged flags");
    std::vector<std::string_view> values;
    if ((flags & rf::kTaggedNull) != 0) {
      if (flags != rf::kTaggedNull || !column_bytes.empty()) return corrupt("tagged null");
      column.null = true;
    } else if ((flags & rf::kTaggedMulti) != 0) {
      if (column_bytes.size() < rf::kMultiCountBytes) return corrupt("multi count");
      const std::size_t count = load_u16(column_bytes.data());
      column_bytes.remove_prefix(rf::kMultiCountBytes);
      if (count < 2 || column_bytes.size() / rf::kMultiEndBytes < count) {
        return corrupt("multi value directory");
      }
      const char* value_ends = column_bytes.data();
      std::string_view value_data = column_bytes.substr(count * rf::kMultiEndBytes);
      std::size_t value_start = 0;
      for (std::size_t value = 0; value < count; ++value) {
        const std::size_t value_end = load_u16(value_ends + value * rf::kMultiEndBytes);
        if (value_end <= value_start || value_end > value_data.size()) {
          return corrupt("multi value offsets");
        }
        if (value + 1 == count && value_end != value_data.size()) {
          return corrupt("multi value length");
        }
        values.push_back(value_data.substr(value_start, value_end - value_start));
        value_start = value_end;
      }
    } else {
      values.push_back(column_bytes);
    }
    column.values.reserve(values.size());
    for (std::string_view value : values) {
      if (value.empty()) return corrupt("value without flags");
      const auto value_flags = static_cast<std::uint8_t>(value[0]);
      if ((value_flags & ~rf::kValueKnownFlags) != 0) return corrupt("value flags");
      StoredValue stored;
      stored.separated = (value_flags & rf::kValueSeparated) != 0;
      stored.bytes.assign(value.substr(rf::kValueFlagsBytes));
      if (stored.separated && stored.bytes.size() != rf::kSeparatedPayloadBytes) {
        return corrupt("separated value payload");
      }
      column.values.push_back(std::move(stored));
    }
    record.tagged_.push_back(std::move(column));
  }
  return record;
}

namespace {

// Whether a stored fixed/variable column may be dropped from the end of the record without
// changing what readers see: null (or deleted) with no default to reappear.
bool droppable(const ColumnDef* column, bool null) {
  if (column == nullptr || column->deleted) return true;
  return null && column->default_value.empty();
}

}  // namespace

Result<std::string> Record::encode() const {
  std::string out;
  ESENT_RETURN_IF_ERROR(encode_to(&out));
  return out;
}

Status Record::encode_to(std::string* out) const {
  const RecordSchema& layout = *schema_;
  std::uint32_t fixed_count = fixed_count_;
  while (fixed_count > 0 && droppable(layout.column(fixed_count), fixed_is_null(fixed_count))) {
    --fixed_count;
  }
  std::size_t variable_count = variables_.size();
  while (variable_count > 0 &&
         droppable(layout.column(kFirstVariableColumnId + static_cast<std::uint32_t>(
                                                              variable_count - 1)),
                   variables_[variable_count - 1].null)) {
    --variable_count;
  }

  out->clear();
  out->push_back(static_cast<char>(fixed_count));
  out->push_back(static_cast<char>(variable_count));
  const std::size_t bitmap_bytes = (fixed_count + 7) / 8;
  const std::size_t bitmap_position = out->size();
  out->append(fixed_nulls_.begin(), fixed_nulls_.begin() + static_cast<std::ptrdiff_t>(bitmap_bytes));
  const std::size_t fixed_position = out->size();
  out->append(fixed_data_, 0, layout.fixed_offset(fixed_count + 1));
  // Deleted fixed columns are written as null zeros; bits past fixed_count are cleared.
  for (std::uint32_t id = 1; id <= fixed_count; ++id) {
    const ColumnDef* column = layout.column(id);
    if (column == nullptr || column->deleted) {
      (*out)[bitmap_position + (id - 1) / 8] = static_cast<char>(
          static_cast<unsigned char>((*out)[bitmap_position + (id - 1) / 8]) | (1u << ((id - 1) % 8)));
      std::memset(out->data() + fixed_position + layout.fixed_offset(id), 0, layout.fixed_size(id));
    }
  }
  if (fixed_count % 8 != 0) {
    const auto mask = static_cast<unsigned char>((1u << (fixed_count % 8)) - 1);
    char& last = (*out)[bitmap_position + bitmap_bytes - 1];
    last = static_cast<char>(static_cast<unsigned char>(last) & mask);
  }

  const std::size_t ends_position = out->size();
  out->resize(out->size() + variable_count * rf::kVariableEndBytes);
  std::size_t variable_end = 0;
  for (std::size_t index = 0; index < variable_count; ++index) {
    const VariableSlot& slot = variables_[index];
    const ColumnDef* column =
        layout.column(kFirstVariableColumnId + static_cast<std::uint32_t>(index));
    const bool null = slot.null || column == nullptr || column->deleted;
    if (!null) {
      out->append(slot.bytes);
      variable_end += slot.bytes.size();
    }
    if (variable_end > rf::kVariableEndMask) return Error::kRecordTooBig;
    store_u16(out->data() + ends_position + index * rf::kVariableEndBytes,
              variable_end | (null ? rf::kVariableNullBit : 0));
  }

  std::size_t tagged_count = 0;
  for (const TaggedColumn& column : tagged_) {
    if (schema_->live_column(column.column_id) != nullptr) ++tagged_count;
  }
  if (tagged_count > 0) {
    append_u16(out, tagged_count);
    const std::size_t directory_position = out->size();
    out->resize(out->size() + tagged_count * rf::kTaggedDirectoryEntryBytes);
    const std::size_t data_position = out->size();
    std::size_t entry = 0;
    for (const TaggedColumn& column : tagged_) {
      if (schema_->live_column(column.column_id) == nullptr) continue;
      if (column.null) {
        out->push_back(static_cast<char>(rf::kTaggedNull));
      } else if (column.values.size() == 1) {
        out->push_back(0);
        out->push_back(static_cast<char>(column.values[0].separated ? rf::kValueSeparated : 0));
        out->append(column.values[0].bytes);
      } else {
        out->push_back(static_cast<char>(rf::kTaggedMulti));
        append_u16(out, column.values.size());
        const std::size_t value_ends = out->size();
        out->resize(out->size() + column.values.size() * rf::kMultiEndBytes);
        const std::size_t values_position = out->size();
        for (std::size_t value = 0; value < column.values.size(); ++value) {
          const StoredValue& stored = column.values[value];
          out->push_back(static_cast<char>(stored.separated ? rf::kValueSeparated : 0));
          out->append(stored.bytes);
          const std::size_t end = out->size() - values_position;
          if (end > 0xFFFF) return Error::kRecordTooBig;
          store_u16(out->data() + value_ends + value * rf::kMultiEndBytes, end);
        }
      }
      const std::size_t end = out->size() - data_position;
      if (end > 0xFFFF) return Error::kRecordTooBig;
      char* slot = out->data() + directory_position + entry * rf::kTaggedDirectoryEntryBytes;
      store_u16(slot, column.column_id);
      store_u16(slot + 2, end);
      ++entry;
    }
  }
  if (out->size() > rf::kMaxRecordBytes) return Error::kRecordTooBig;
  return Status::success();
}

std::size_t Record::encoded_size_bytes() const {
  std::size_t size = rf::kHeaderBytes + (fixed_count_ + 7) / 8 + fixed_data_.size() +
                     variables_.size() * rf::kVariableEndBytes;
  for (const VariableSlot& slot : variables_) size += slot.bytes.size();
  if (!tagged_.empty()) size += rf::kTaggedCountBytes;
  for (const TaggedColumn& column : tagged_) {
    size += rf::kTaggedDirectoryEntryBytes + 1;
    if (column.values.size() > 1) {
      size += rf::kMultiCountBytes + column.values.size() * rf::kMultiEndBytes;
    }
    for (const StoredValue& value : column.values) size += 1 + value.bytes.size();
  }
  return size;
}

// ---------------------------------------------------------------------------------------------
// Record: reading

bool Record::fixed_is_null(std::uint32_t column_id) const {
  return (fixed_nulls_[(column_id - 1) / 8] & (1u << ((column_id - 1) % 8))) != 0;
}

void Record::set_fixed_null(std::uint32_t column_id, bool null) {
  const auto bit = static_cast<std::uint8_t>(1u << ((column_id - 1) % 8));
  std::uint8_t& byte = fixed_nulls_[(column_id - 1) / 8];
  byte = static_cast<std::uint8_t>(null ? (byte | bit) : (byte & ~bit));
}

Record::TaggedColumn* Record::find_tagged(std::uint32_t column_id) {
  auto found = std::lower_bound(tagged_.begin(), tagged_.end(), column_id,
                                [](const TaggedColumn& column, std::uint32_t id) {
                                  return column.column_id < id;
                                });
  return found != tagged_.end() && found->column_id == column_id ? &*found : nullptr;
}

const Record::TaggedColumn* Record::find_tagged(std::uint32_t column_id) const {
  return const_cast<Record*>(this)->find_tagged(column_id);
}

ColumnValue Record::get(std::uint32_t column_id, std::uint32_t itag_sequence) const {
  ColumnValue result;
  const ColumnDef* column = schema_->live_column(column_id);
  if (column == nullptr) return result;
  if (itag_sequence == 0) itag_sequence = 1;
  switch (column_class_of_id(column_id)) {
    case ColumnClass::kFixed:
      if (column_id > fixed_count_ || itag_sequence != 1) return result;
      if (fixed_is_null(column_id)) {
        result.state = ValueState::kNull;
      } else {
        result.state = ValueState::kValue;
        result.bytes = std::string_view(fixed_data_).substr(schema_->fixed_offset(column_id),
                                                            schema_->fixed_size(column_id));
      }
      return result;
    case ColumnClass::kVariable: {
      const std::size_t index = column_id - kFirstVariableColumnId;
      if (index >= variables_.size() || itag_sequence != 1) return result;
      const VariableSlot& slot = variables_[index];
      result.state = slot.null ? ValueState::kNull : ValueState::kValue;
      result.bytes = slot.bytes;
      return result;
    }
    case ColumnClass::kTagged: {
      const TaggedColumn* tagged = find_tagged(column_id);
      if (tagged == nullptr) return result;
      if (tagged->null) {
        if (itag_sequence == 1) result.state = ValueState::kNull;
        return result;
      }
      if (itag_sequence > tagged->values.size()) return result;
      const StoredValue& stored = tagged->values[itag_sequence - 1];
      result.state = ValueState::kValue;
      result.bytes = stored.bytes;
      result.separated = stored.separated;
      return result;
    }
  }
  return result;
}

ColumnValue Record::get_or_default(std::uint32_t column_id, std::uint32_t itag_sequence) const {
  ColumnValue result = get(column_id, itag_sequence);
  if (result.state != ValueState::kAbsent || itag_sequence > 1) return result;
  const ColumnDef* column = schema_->live_column(column_id);
  if (column == nullptr || column->default_value.empty()) return result;
  result.state = ValueState::kValue;
  result.bytes = column->default_value;
  result.is_default = true;
  return result;
}

std::uint32_t Record::count_values(std::uint32_t column_id) const {
  if (schema_->live_column(column_id) == nullptr) return 0;
  if (column_class_of_id(column_id) == ColumnClass::kTagged) {
    const TaggedColumn* tagged = find_tagged(column_id);
    return tagged == nullptr ? 0 : static_cast<std::uint32_t>(tagged->values.size());
  }
  return get(column_id, 1).state == ValueState::kValue ? 1 : 0;
}

std::uint32_t Record::count_values_or_default(std::uint32_t column_id) const {
  return get_or_default(column_id, 1).state == ValueState::kValue
             ? std::max<std::uint32_t>(1, count_values(column_id))
             : 0;
}

std::vector<Record::TaggedValue> Record::tagged_values() const {
  std::vector<TaggedValue> result;
  for (const TaggedColumn& column : tagged_) {
    if (schema_->live_column(column.column_id) == nullptr) continue;
    for (std::size_t index = 0; index < column.values.size(); ++index) {
      const StoredValue& stored = column.values[index];
      result.push_back(TaggedValue{column.column_id, static_cast<std::uint32_t>(index + 1),
                                   stored.bytes, stored.separated});
    }
  }
  return result;
}

std::vector<std::uint32_t> Record::stored_column_ids() const {
  std::vector<std::uint32_t> result;
  for (std::uint32_t id = 1; id <= fixed_count_; ++id) {
    if (schema_->live_column(id) != nullptr) result.push_back(id);
  }
  for (std::size_t index = 0; index < variables_.size(); ++index) {
    const auto id = kFirstVariableColumnId + static_cast<std::uint32_t>(index);
    if (schema_->live_column(id) != nullptr) result.push_back(id);
  }
  for (const TaggedColumn& column : tagged_) {
    if (schema_->live_column(column.column_id) != nullptr) result.push_back(column.column_id);
  }
  return result;
}

Status Record::check_not_null() const {
  for (const ColumnDef& column : schema_->columns()) {
    if (column.deleted || (column.flags & column_flags::kNotNULL) == 0) continue;
    if (get_or_default(column.column_id, 1).state != ValueState::kValue) {
      return Status(Error::kNullInvalid, std::to_string(column.column_id));
    }
  }
  return Status::success();
}

// ---------------------------------------------------------------------------------------------
// Record: JetSetColumn

Status Record::set(std::uint32_t column_id, std::uint32_t itag_sequence,
                   std::optional<std::string_view> value) {
  return set_value(column_id, itag_sequence, value, false);
}

Status Record::set_long_value_ref(std::uint32_t column_id, std::uint32_t itag_sequence,
                                  const LongValueRef& ref) {
  const std::string payload = encode_long_value_ref(ref);
  return set_value(column_id, itag_sequence, std::string_view(payload), true);
}

Status Record::set_value(std::uint32_t column_id, std::uint32_t itag_sequence,
                         std::optional<std::string_view> value, bool separated) {
  const ColumnDef* column = schema_->live_column(column_id);
  if (column == nullptr) return Error::kColumnNotFound;
  const ColumnClass column_class = column_class_of_id(column_id);
  if (column_class != ColumnClass::kTagged) {
    if (separated) return Status(Error::kInvalidParameter, "long value outside a tagged column");
    if (itag_sequence > 1) return Error::kBadItagSequence;
  }
  if (value.has_value()) {
    const std::size_t size = separated ? decode_long_value_ref(*value)->size_bytes : value->size();
    if (is_fixed_size_type(column->type)) {
      if (size != fixed_size_bytes(column->type)) return Error::kInvalidBufferSize;
    } else if (column_class == ColumnClass::kFixed) {
      if (size > column->max_size_bytes) return Error::kInvalidBufferSize;
    } else if (column->max_size_bytes != 0 && size > column->max_size_bytes) {
      return Error::kColumnTooBig;
    }
  }
  std::string bit_value;
  if (value.has_value() && column->type == ColumnType::kBit) {
    bit_value.assign(1, (*value)[0] == 0 ? '\0' : '\xFF');
    value = bit_value;
  }
  switch (column_class) {
    case ColumnClass::kFixed:
      return set_fixed(*column, value);
    case ColumnClass::kVariable:
      return set_variable(*column, value);
    case ColumnClass::kTagged:
      return set_tagged(*column, itag_sequence, value, separated);
  }
  return Error::kInternalError;
}

void Record::extend_fixed(std::uint32_t column_id) {
  if (column_id <= fixed_count_) return;
  fixed_data_.resize(schema_->fixed_offset(column_id + 1), '\0');
  for (std::uint32_t id = fixed_count_ + 1; id <= column_id; ++id) {
    const ColumnDef* column = schema_->live_column(id);
    const std::size_t offset = schema_->fixed_offset(id);
    const std::size_t size = schema_->fixed_size(id);
    std::memset(fixed_data_.data() + offset, 0, size);
    if (column != nullptr && column->default_value.size() == size) {
      std::memcpy(fixed_data_.data() + offset, column->default_value.data(), size);
      set_fixed_null(id, false);
    } else {
      set_fixed_null(id, true);
    }
  }
  fixed_count_ = column_id;
}

void Record::extend_variable(std::uint32_t column_id) {
  const std::size_t needed = column_id - kFirstVariableColumnId + 1;
  while (variables_.size() < needed) {
    const auto id = kFirstVariableColumnId + static_cast<std::uint32_t>(variables_.size());
    const ColumnDef* column = schema_->live_column(id);
    VariableSlot slot;
    if (column != nullptr && !column->default_value.empty()) {
      slot.null = false;
      slot.bytes = column->default_value;
    }
    variables_.push_back(std::move(slot));
  }
}

Status Record::set_fixed(const ColumnDef& column, std::optional<std::string_view> value) {
  const std::uint32_t id = column.column_id;
  extend_fixed(id);
  char* slot = fixed_data_.data() + schema_->fixed_offset(id);
  const std::size_t size = schema_->fixed_size(id);
  if (!value.has_value()) {
    std::memset(slot, 0, size);
    set_fixed_null(id, true);
    return Status::success();
  }
  std::memcpy(slot, value->data(), value->size());
  if (value->size() < size) {
    if (column.type == ColumnType::kText) {
      for (std::size_t index = value->size(); index < size; ++index) {
        // Space padding; for Unicode the pattern 0x20 0x00 stays aligned to the column.
        slot[index] = (column.code_page == kCodePageUnicode && index % 2 == 1) ? '\0' : ' ';
      }
    } else {
      std::memset(slot + value->size(), 0, size - value->size());
    }
  }
  set_fixed_null(id, false);
  return Status::success();
}

Status Record::set_variable(const ColumnDef& column, std::optional<std::string_view> value) {
  extend_variable(column.column_id);
  VariableSlot& slot = variables_[column.column_id - kFirstVariableColumnId];
  slot.null = !value.has_value();
  if (value.has_value()) {
    slot.bytes.assign(value->data(), value->size());
  } else {
    slot.bytes.clear();
  }
  return Status::success();
}

Status Record::set_tagged(const ColumnDef& column, std::uint32_t itag_sequence,
                          std::optional<std::string_view> value, bool separated) {
  const std::uint32_t id = column.column_id;
  TaggedColumn* tagged = find_tagged(id);
  const bool has_default = !column.default_value.empty();
  if (!value.has_value()) {
    if (tagged == nullptr) {
      if (has_default && itag_sequence <= 1) {
        TaggedColumn entry;
        entry.column_id = id;
        entry.null = true;
        auto position = std::lower_bound(tagged_.begin(), tagged_.end(), id,
                                         [](const TaggedColumn& left, std::uint32_t right) {
                                           return left.column_id < right;
                                         });
        tagged_.insert(position, std::move(entry));
      }
      return Status::success();
    }
    if (tagged->null || itag_sequence == 0 || itag_sequence > tagged->values.size()) {
      return Status::success();
    }
    tagged->values.erase(tagged->values.begin() + (itag_sequence - 1));
    if (tagged->values.empty()) {
      if (has_default) {
        tagged->null = true;
      } else {
        tagged_.erase(tagged_.begin() + (tagged - tagged_.data()));
      }
    }
    return Status::success();
  }
  StoredValue stored;
  stored.bytes.assign(value->data(), value->size());
  stored.separated = separated;
  if (tagged == nullptr) {
    TaggedColumn entry;
    entry.column_id = id;
    entry.values.push_back(std::move(stored));
    auto position = std::lower_bound(tagged_.begin(), tagged_.end(), id,
                                     [](const TaggedColumn& left, std::uint32_t right) {
                                       return left.column_id < right;
                                     });
    tagged_.insert(position, std::move(entry));
    return Status::success();
  }
  if (tagged->null) {
    tagged->null = false;
    tagged->values.push_back(std::move(stored));
    return Status::success();
  }
  if (itag_sequence == 0 || itag_sequence > tagged->values.size()) {
    tagged->values.push_back(std::move(stored));
  } else {
    tagged->values[itag_sequence - 1] = std::move(stored);
  }
  return Status::success();
}

Status Record::set_null(std::uint32_t column_id) {
  const ColumnDef* column = schema_->live_column(column_id);
  if (column == nullptr) return Error::kColumnNotFound;
  if (column_class_of_id(column_id) != ColumnClass::kTagged) {
    return set_value(column_id, 1, std::nullopt, false);
  }
  TaggedColumn* tagged = find_tagged(column_id);
  if (tagged != nullptr) {
    tagged->values.clear();
    tagged->null = true;
    if (column->default_value.empty()) tagged_.erase(tagged_.begin() + (tagged - tagged_.data()));
    return Status::success();
  }
  return set_tagged(*column, 1, std::nullopt, false);
}

Status Record::remove(std::uint32_t column_id) {
  const ColumnDef* column = schema_->live_column(column_id);
  if (column == nullptr) return Error::kColumnNotFound;
  switch (column_class_of_id(column_id)) {
    case ColumnClass::kFixed:
      if (column_id > fixed_count_) return Status::success();
      if (column_id == fixed_count_) {
        fixed_count_ = column_id - 1;
        fixed_data_.resize(schema_->fixed_offset(column_id));
        set_fixed_null(column_id, false);
        return Status::success();
      }
      if (column->default_value.empty()) return set_fixed(*column, std::nullopt);
      return set_fixed(*column, std::string_view(column->default_value));
    case ColumnClass::kVariable: {
      const std::size_t index = column_id - kFirstVariableColumnId;
      if (index >= variables_.size()) return Status::success();
      if (index + 1 == variables_.size()) {
        variables_.pop_back();
        return Status::success();
      }
      if (column->default_value.empty()) return set_variable(*column, std::nullopt);
      return set_variable(*column, std::string_view(column->default_value));
    }
    case ColumnClass::kTagged: {
      TaggedColumn* tagged = find_tagged(column_id);
      if (tagged != nullptr) tagged_.erase(tagged_.begin() + (tagged - tagged_.data()));
      return Status::success();
    }
  }
  return Error::kInternalError;
}

}  // namespace esent::catalog
