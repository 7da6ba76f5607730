// Records in memory: decode from / encode to the layout of catalog/record_format.h, and the
// JetSetColumn / JetRetrieveColumn rules over column values.
//
// States of a column in a Record:
//   absent — never stored in this record (a column added after the record was written, or
//            never set); readers apply the column's default (get_or_default).
//   null   — explicitly null. For a tagged column this is stored only when the column has a
//            default (so the default stays hidden); otherwise a null tagged column is absent.
//   value  — one value (fixed, variable, tagged) or 1..n values (multi-valued tagged), each
//            possibly zero-length, each either inline bytes or a separated long-value reference.
//
// Schema evolution: a RecordSchema is compiled from every ColumnDef of the table (deleted ones
// included). A record written under an older schema decodes with newer columns absent; data of
// a deleted column is kept byte-for-byte but reads as absent and is dropped by encode() when it
// is tagged or variable (a deleted fixed column keeps its slot, written as null).
//
// Ownership: a Record owns copies of its values (a view returned by get() is valid until the
// next mutation of that Record). It shares its RecordSchema (immutable) by shared_ptr.
// Thread-safety: a Record is a plain value (no internal locking); a RecordSchema is immutable
// and may be shared between threads.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/schema.h"
#include "util/status.h"

namespace esent::catalog {

// A value stored outside the record (the long-value tree): its id and total size.
struct LongValueRef {
  std::uint64_t long_value_id = 0;
  std::uint32_t size_bytes = 0;
  friend bool operator==(const LongValueRef&, const LongValueRef&) = default;
};

// The 12-byte payload of a separated value, and back (wrong size → kDatabaseCorrupted).
std::string encode_long_value_ref(const LongValueRef& ref);
Result<LongValueRef> decode_long_value_ref(std::string_view payload);

// The record layout of one version of a table's schema. Immutable after build.
class RecordSchema {
 public:
  // `columns`: every column of the table, deleted ones included, ids valid and unique.
  // Errors: kInvalidParameter (bad or duplicate id, fixed-class column without a fixed size).
  static Result<std::shared_ptr<const RecordSchema>> build(const std::vector<ColumnDef>& columns);

  // The definition of a column (deleted included), or nullptr.
  const ColumnDef* column(std::uint32_t column_id) const;
  // A live (not deleted) column, or nullptr.
  const ColumnDef* live_column(std::uint32_t column_id) const;

  std::uint32_t fixed_count() const { return fixed_count_; }        // highest fixed id defined
  std::uint32_t variable_count() const { return variable_count_; }  // highest var id - 127
  // Offset of fixed column `column_id` within fixed_data; fixed_offset(fixed_count()+1) is the
  // size of all fixed data. Precondition: 1 <= column_id <= fixed_count() + 1.
  std::uint32_t fixed_offset(std::uint32_t column_id) const { return fixed_offsets_[column_id - 1]; }
  std::uint32_t fixed_size(std::uint32_t column_id) const {
    return fixed_offsets_[column_id] - fixed_offsets_[column_id - 1];
  }
  const std::vector<ColumnDef>& columns() const { return columns_; }

 private:
  RecordSchema() = default;
  std::vector<ColumnDef> columns_;               // sorted by id
  std::vector<std::int32_t> index_by_fixed_var_;  // ids 1..255 → index into columns_, or -1
  std::uint32_t fixed_count_ = 0;
  std::uint32_t variable_count_ = 0;
  std::array<std::uint32_t, 129> fixed_offsets_{};
};

enum class ValueState : std::uint8_t { kAbsent, kNull, kValue };

// One column value as read. `bytes` is the inline value, or for a separated value the 12-byte
// reference payload (decode_long_value_ref); it stays valid until the Record changes.
struct ColumnValue {
  ValueState state = ValueState::kAbsent;
  std::string_view bytes;
  bool separated = false;
  bool is_default = false;  // produced by get_or_default from the column's default
};

class Record {
 public:
  // An empty record: every column absent.
  explicit Record(std::shared_ptr<const RecordSchema> schema);

  // Decodes `bytes` (copied). kDatabaseCorrupted when the bytes break the format's invariants
  // or do not fit the schema.
  static Result<Record> decode(std::shared_ptr<const RecordSchema> schema, std::string_view bytes);

  // The encoded bytes; kRecordTooBig when they exceed record_format::kMaxRecordBytes.
  Result<std::string> encode() const;
  // Same, appending to `out` (cleared first) to reuse its buffer.
  Status encode_to(std::string* out) const;

  const RecordSchema& schema() const { return *schema_; }
  const std::shared_ptr<const RecordSchema>& schema_ptr() const { return schema_; }

  // The value `itag_sequence` (1-based; fixed and variable columns have only itag 1) of a live
  // column. A deleted or unknown column, or itag past the last value, reads as absent; itag 0
  // reads as itag 1.
  ColumnValue get(std::uint32_t column_id, std::uint32_t itag_sequence = 1) const;

  // As get(), but an absent column with a default yields the default as itag 1 (JetRetrieveColumn
  // without JET_bitRetrieveIgnoreDefault).
  ColumnValue get_or_default(std::uint32_t column_id, std::uint32_t itag_sequence = 1) const;

  // Number of values: 0 when absent or null, 1 for a set fixed/variable column, n for tagged.
  // (Defaults not counted; see count_values_or_default.)
  std::uint32_t count_values(std::uint32_t column_id) const;
  std::uint32_t count_values_or_default(std::uint32_t column_id) const;

  // JetSetColumn. `value` nullopt = set null. Rules:
  //  fixed/variable column: itag 0 or 1 (others → kBadItagSequence); a value replaces, null
  //    makes the column null. A value
  //    of the wrong size for a fixed-size type → kInvalidBufferSize; a value shorter than a
  //    fixed Binary column is padded with zeros, than a fixed Text column with spaces (U+0020
  //    for Unicode); longer → kInvalidBufferSize. Variable Text/Binary longer than
  //    max_size_bytes → kColumnTooBig.
  //  tagged (every tagged column can hold several values, as in ESE; kMultiValued only
  //    changes indexing): itag 0 appends (a null with itag 0 does nothing); itag n replaces
  //    value n, or appends when n > count (a null there does nothing); null with itag n
  //    removes value n (later values move down).
  //  Tagged Text/Binary (not long) longer than max_size_bytes → kColumnTooBig; long types
  //    longer than a non-zero max_size_bytes → kColumnTooBig.
  // Errors: kColumnNotFound (unknown or deleted column). On error the Record is unchanged.
  Status set(std::uint32_t column_id, std::uint32_t itag_sequence,
             std::optional<std::string_view> value);
  // Stores a separated long-value reference as value `itag_sequence` of a tagged column (same
  // itag rules as set()). kInvalidParameter for a non-tagged column.
  Status set_long_value_ref(std::uint32_t column_id, std::uint32_t itag_sequence,
                            const LongValueRef& ref);

  // Makes the whole column null (all values of a multi-valued column go).
  Status set_null(std::uint32_t column_id);
  // Makes the column absent again (its default applies). Trailing fixed/variable columns
  // become absent; a fixed/variable column followed by stored ones becomes its default value
  // (or null), because the layout cannot skip it.
  Status remove(std::uint32_t column_id);

  // The first live NotNULL column whose value (default applied) is null or absent: JetUpdate's
  // check, kNullInvalid with the column id in the detail. Success when every one has a value.
  Status check_not_null() const;

  // One stored tagged value, in (column id, itag) order, for JetRetrieveColumns / JetEnumerate
  // and index building. Deleted columns are skipped.
  struct TaggedValue {
    std::uint32_t column_id;
    std::uint32_t itag_sequence;
    std::string_view bytes;
    bool separated;
  };
  std::vector<TaggedValue> tagged_values() const;
  // Ids of the live columns that hold a value or an explicit null, increasing.
  std::vector<std::uint32_t> stored_column_ids() const;

  // Bytes the values take in the record (for kRecordTooBig checks before separation).
  std::size_t encoded_size_bytes() const;

 private:
  struct StoredValue {
    std::string bytes;  // inline value, or the 12-byte separated payload
    bool separated = false;
  };
  struct VariableSlot {
    bool null = true;
    std::string bytes;
  };
  struct TaggedColumn {
    std::uint32_t column_id = 0;
    bool null = false;  // explicit null; values empty
    std::vector<StoredValue> values;
  };

  Status set_value(std::uint32_t column_id, std::uint32_t itag_sequence,
                   std::optional<std::string_view> value, bool separated);
  Status set_fixed(const ColumnDef& column, std::optional<std::string_view> value);
  Status set_variable(const ColumnDef& column, std::optional<std::string_view> value);
  Status set_tagged(const ColumnDef& column, std::uint32_t itag_sequence,
                    std::optional<std::string_view> value, bool separated);
  void extend_fixed(std::uint32_t column_id);
  void extend_variable(std::uint32_t column_id);
  TaggedColumn* find_tagged(std::uint32_t column_id);
  const TaggedColumn* find_tagged(std::uint32_t column_id) const;
  bool fixed_is_null(std::uint32_t column_id) const;
  void set_fixed_null(std::uint32_t column_id, bool null);

  std::shared_ptr<const RecordSchema> schema_;
  std::uint32_t fixed_count_ = 0;               // fixed columns 1..fixed_count_ stored
  std::array<std::uint8_t, 16> fixed_nulls_{};  // bit (id-1)
  std::string fixed_data_;                      // schema_->fixed_offset(fixed_count_+1) bytes
  std::vector<VariableSlot> variables_;         // columns 128.. (size = stored count)
  std::vector<TaggedColumn> tagged_;            // sorted by id
};

}  // namespace esent::catalog
