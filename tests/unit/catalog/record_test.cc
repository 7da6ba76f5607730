#include "catalog/record.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <random>

#include "catalog/record_format.h"
#include "catalog_test_util.h"

namespace esent::catalog {
namespace {

using testing::bytes_of;
using testing::make_column;

std::shared_ptr<const RecordSchema> build(const std::vector<ColumnDef>& columns) {
  Result<std::shared_ptr<const RecordSchema>> schema = RecordSchema::build(columns);
  EXPECT_TRUE(schema.ok()) << schema.status().to_string();
  return schema.value();
}

Record round_trip(const Record& record) {
  Result<std::string> bytes = record.encode();
  EXPECT_TRUE(bytes.ok()) << bytes.status().to_string();
  Result<Record> decoded = Record::decode(record.schema_ptr(), bytes.value());
  EXPECT_TRUE(decoded.ok()) << decoded.status().to_string();
  return std::move(decoded).value();
}

std::vector<ColumnDef> basic_columns() {
  return {make_column("id", 1, ColumnType::kLong),
          make_column("flag", 2, ColumnType::kBit),
          make_column("code", 3, ColumnType::kText, column_flags::kFixed, 6),
          make_column("blob", 4, ColumnType::kBinary, column_flags::kFixed, 4),
          make_column("name", 128, ColumnType::kText, 0, 20),
          make_column("data", 129, ColumnType::kBinary),
          make_column("tags", 256, ColumnType::kText, column_flags::kTagged |
                                                          column_flags::kMultiValued),
          make_column("body", 257, ColumnType::kLongBinary),
          make_column("count", 258, ColumnType::kLong, column_flags::kTagged)};
}

TEST(RecordTest, EmptyRecordIsTwoBytesAndAllAbsent) {
  auto schema = build(basic_columns());
  Record record(schema);
  Result<std::string> bytes = record.encode();
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(bytes->size(), record_format::kHeaderBytes);
  for (const ColumnDef& column : schema->columns()) {
    EXPECT_EQ(record.get(column.column_id).state, ValueState::kAbsent);
    EXPECT_EQ(record.count_values(column.column_id), 0u);
  }
}

TEST(RecordTest, NullAndZeroLengthAreDifferent) {
  auto schema = build(basic_columns());
  Record record(schema);
  ASSERT_TRUE(record.set(128, 1, std::string_view()).ok());
  ASSERT_TRUE(record.set(129, 1, std::nullopt).ok());
  ASSERT_TRUE(record.set(256, 0, std::string_view()).ok());
  Record decoded = round_trip(record);
  EXPECT_EQ(decoded.get(128).state, ValueState::kValue);
  EXPECT_TRUE(decoded.get(128).bytes.empty());
  EXPECT_NE(decoded.get(129).state, ValueState::kValue);
  EXPECT_EQ(decoded.get(256).state, ValueState::kValue);
  EXPECT_TRUE(decoded.get(256).bytes.empty());
  EXPECT_EQ(decoded.count_values(256), 1u);
}

TEST(RecordTest, FixedColumnsPadAndCheckSizes) {
  auto schema = build(basic_columns());
  Record record(schema);
  EXPECT_EQ(record.set(1, 1, std::string_view("abc")).error(), Error::kInvalidBufferSize);
  ASSERT_TRUE(record.set(1, 1, bytes_of<std::int32_t>(-7)).ok());
  ASSERT_TRUE(record.set(2, 1, std::string_view("\x05", 1)).ok());
  ASSERT_TRUE(record.set(3, 1, std::string_view("ab")).ok());
  ASSERT_TRUE(record.set(4, 1, std::string_view("\x01", 1)).ok());
  EXPECT_EQ(record.set(3, 1, std::string_view("1234567")).error(), Error::kInvalidBufferSize);
  EXPECT_EQ(record.set(128, 1, std::string(21, 'x')).error(), Error::kColumnTooBig);
  EXPECT_EQ(record.set(1, 2, bytes_of<std::int32_t>(1)).error(), Error::kBadItagSequence);
  EXPECT_EQ(record.set(999, 1, std::string_view("x")).error(), Error::kColumnNotFound);
  Record decoded = round_trip(record);
  EXPECT_EQ(decoded.get(1).bytes, bytes_of<std::int32_t>(-7));
  EXPECT_EQ(decoded.get(2).bytes, std::string_view("\xFF", 1));  // Bit stored as 0xFF
  EXPECT_EQ(decoded.get(3).bytes, "ab    ");
  EXPECT_EQ(decoded.get(4).bytes, std::string_view("\x01\0\0\0", 4));
}

TEST(RecordTest, SetColumnItagRules) {
  auto schema = build(basic_columns());
  Record record(schema);
  ASSERT_TRUE(record.set(256, 0, std::string_view("a")).ok());  // append
  ASSERT_TRUE(record.set(256, 0, std::string_view("b")).ok());  // append
  ASSERT_TRUE(record.set(256, 3, std::string_view("c")).ok());  // count+1 appends
  ASSERT_TRUE(record.set(256, 9, std::string_view("d")).ok());  // past the end appends
  ASSERT_TRUE(record.set(256, 2, std::string_view("B")).ok());  // replace
  EXPECT_EQ(record.count_values(256), 4u);
  EXPECT_EQ(record.get(256, 2).bytes, "B");
  ASSERT_TRUE(record.set(256, 1, std::nullopt).ok());  // remove the first value
  EXPECT_EQ(record.count_values(256), 3u);
  EXPECT_EQ(record.get(256, 1).bytes, "B");
  EXPECT_EQ(record.get(256, 3).bytes, "d");
  EXPECT_EQ(record.get(256, 4).state, ValueState::kAbsent);
  ASSERT_TRUE(record.set(256, 7, std::nullopt).ok());  // no such value: nothing
  ASSERT_TRUE(record.set(256, 0, std::nullopt).ok());  // null append: nothing
  EXPECT_EQ(record.count_values(256), 3u);
  // A tagged column without kMultiValued still holds several values.
  ASSERT_TRUE(record.set(258, 0, bytes_of<std::int32_t>(1)).ok());
  ASSERT_TRUE(record.set(258, 0, bytes_of<std::int32_t>(2)).ok());
  EXPECT_EQ(record.count_values(258), 2u);
  Record decoded = round_trip(record);
  EXPECT_EQ(decoded.count_values(256), 3u);
  EXPECT_EQ(decoded.get(256, 2).bytes, "c");
  EXPECT_EQ(decoded.get(258, 2).bytes, bytes_of<std::int32_t>(2));
  ASSERT_TRUE(decoded.set_null(256).ok());
  EXPECT_EQ(decoded.count_values(256), 0u);
  EXPECT_EQ(decoded.get(256).state, ValueState::kAbsent);  // no default: null is absence
  std::vector<Record::TaggedValue> values = decoded.tagged_values();
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[0].column_id, 258u);
  EXPECT_EQ(values[1].itag_sequence, 2u);
}

TEST(RecordTest, LongValueReferences) {
  auto schema = build(basic_columns());
  Record record(schema);
  const LongValueRef ref{0x0123456789ABCDEFull, 100000};
  EXPECT_EQ(record.set_long_value_ref(128, 1, ref).error(), Error::kInvalidParameter);
  ASSERT_TRUE(record.set_long_value_ref(257, 1, ref).ok());
  ASSERT_TRUE(record.set(257, 0, std::string_view("inline")).ok());
  Record decoded = round_trip(record);
  ColumnValue first = decoded.get(257, 1);
  ASSERT_EQ(first.state, ValueState::kValue);
  EXPECT_TRUE(first.separated);
  Result<LongValueRef> decoded_ref = decode_long_value_ref(first.bytes);
  ASSERT_TRUE(decoded_ref.ok());
  EXPECT_EQ(*decoded_ref, ref);
  EXPECT_FALSE(decoded.get(257, 2).separated);
  EXPECT_EQ(decoded.get(257, 2).bytes, "inline");
  EXPECT_EQ(decode_long_value_ref("short").status().error(), Error::kDatabaseCorrupted);
}

TEST(RecordTest, DefaultsAndExplicitNull) {
  std::vector<ColumnDef> columns = basic_columns();
  columns[0].default_value = bytes_of<std::int32_t>(42);        // fixed 1
  columns[4].default_value = "anon";                            // variable 128
  columns[8].default_value = bytes_of<std::int32_t>(9);         // tagged 258
  auto schema = build(columns);
  Record record(schema);
  EXPECT_EQ(record.get(1).state, ValueState::kAbsent);
  EXPECT_EQ(record.get_or_default(1).bytes, bytes_of<std::int32_t>(42));
  EXPECT_TRUE(record.get_or_default(1).is_default);
  EXPECT_EQ(record.get_or_default(258).bytes, bytes_of<std::int32_t>(9));
  EXPECT_EQ(record.count_values_or_default(258), 1u);
  EXPECT_EQ(record.get_or_default(258, 2).state, ValueState::kAbsent);
  // Setting fixed column 2 materializes column 1 with its default.
  ASSERT_TRUE(record.set(2, 1, std::string_view("\x01", 1)).ok());
  EXPECT_EQ(record.get(1).bytes, bytes_of<std::int32_t>(42));
  // Setting variable 129 materializes 128 with its default.
  ASSERT_TRUE(record.set(129, 1, std::string_view("zz")).ok());
  EXPECT_EQ(record.get(128).bytes, "anon");
  // An explicit null hides a tagged default, and survives encoding.
  ASSERT_TRUE(record.set(258, 1, std::nullopt).ok());
  Record decoded = round_trip(record);
  EXPECT_EQ(decoded.get_or_default(258).state, ValueState::kNull);
  EXPECT_EQ(decoded.count_values_or_default(258), 0u);
  // remove() brings the default back.
  ASSERT_TRUE(decoded.remove(258).ok());
  EXPECT_EQ(decoded.get_or_default(258).bytes, bytes_of<std::int32_t>(9));
  ASSERT_TRUE(decoded.remove(129).ok());
  EXPECT_EQ(decoded.get(129).state, ValueState::kAbsent);
  ASSERT_TRUE(decoded.remove(128).ok());
  EXPECT_EQ(decoded.get_or_default(128).bytes, "anon");
}

TEST(RecordTest, NotNullCheck) {
  std::vector<ColumnDef> columns = basic_columns();
  columns[0].flags |= column_flags::kNotNULL;
  auto schema = build(columns);
  Record record(schema);
  Status missing = record.check_not_null();
  EXPECT_EQ(missing.error(), Error::kNullInvalid);
  EXPECT_EQ(missing.detail(), "1");
  ASSERT_TRUE(record.set(1, 1, bytes_of<std::int32_t>(1)).ok());
  EXPECT_TRUE(record.check_not_null().ok());
  ASSERT_TRUE(record.set(1, 1, std::nullopt).ok());
  EXPECT_EQ(record.check_not_null().error(), Error::kNullInvalid);
}

TEST(RecordTest, SchemaEvolution) {
  std::vector<ColumnDef> old_columns = {make_column("a", 1, ColumnType::kLong),
                                        make_column("b", 2, ColumnType::kShort),
                                        make_column("v", 128, ColumnType::kText),
                                        make_column("t", 256, ColumnType::kLongText)};
  auto old_schema = build(old_columns);
  Record old_record(old_schema);
  ASSERT_TRUE(old_record.set(1, 1, bytes_of<std::int32_t>(11)).ok());
  ASSERT_TRUE(old_record.set(2, 1, bytes_of<std::int16_t>(22)).ok());
  ASSERT_TRUE(old_record.set(128, 1, std::string_view("vee")).ok());
  ASSERT_TRUE(old_record.set(256, 1, std::string_view("tee")).ok());
  const std::string old_bytes = old_record.encode().value();

  std::vector<ColumnDef> new_columns = old_columns;
  new_columns[1].deleted = true;  // b deleted
  new_columns[3].deleted = true;  // t deleted
  new_columns.push_back(make_column("c", 3, ColumnType::kLong));
  new_columns.back().default_value = bytes_of<std::int32_t>(33);
  new_columns.push_back(make_column("w", 129, ColumnType::kBinary));
  new_columns.push_back(make_column("u", 257, ColumnType::kText, column_flags::kTagged));
  new_columns.back().default_value = "you";
  auto new_schema = build(new_columns);
  Result<Record> decoded = Record::decode(new_schema, old_bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().to_string();
  Record& record = decoded.value();
  EXPECT_EQ(record.get(1).bytes, bytes_of<std::int32_t>(11));
  EXPECT_EQ(record.get(2).state, ValueState::kAbsent);  // deleted
  EXPECT_EQ(record.get(128).bytes, "vee");
  EXPECT_EQ(record.get(256).state, ValueState::kAbsent);  // deleted
  EXPECT_EQ(record.get(3).state, ValueState::kAbsent);
  EXPECT_EQ(record.get_or_default(3).bytes, bytes_of<std::int32_t>(33));
  EXPECT_EQ(record.get(129).state, ValueState::kAbsent);
  EXPECT_EQ(record.get_or_default(257).bytes, "you");
  EXPECT_EQ(record.set(2, 1, bytes_of<std::int16_t>(1)).error(), Error::kColumnNotFound);
  ASSERT_TRUE(record.set(129, 1, std::string_view("w")).ok());
  ASSERT_TRUE(record.set(257, 1, std::string_view("u")).ok());
  Record again = round_trip(record);
  EXPECT_EQ(again.get(1).bytes, bytes_of<std::int32_t>(11));
  EXPECT_EQ(again.get(129).bytes, "w");
  EXPECT_EQ(again.get(257).bytes, "u");
  EXPECT_EQ(again.get(256).state, ValueState::kAbsent);
  // The deleted tagged column's data is dropped by encode.
  EXPECT_EQ(again.encode().value().find("tee"), std::string::npos);
  EXPECT_EQ((std::vector<std::uint32_t>{1, 128, 129, 257}), again.stored_column_ids());
}

TEST(RecordTest, DecodeRejectsBadBytes) {
  auto schema = build(basic_columns());
  EXPECT_EQ(Record::decode(schema, "").status().error(), Error::kDatabaseCorrupted);
  EXPECT_EQ(Record::decode(schema, std::string("\x05\x00", 2)).status().error(),
            Error::kDatabaseCorrupted);  // more fixed columns than the schema has
  EXPECT_EQ(Record::decode(schema, std::string("\x01\x00", 2)).status().error(),
            Error::kDatabaseCorrupted);  // too short for column 1
  Record record(schema);
  ASSERT_TRUE(record.set(1, 1, bytes_of<std::int32_t>(5)).ok());
  ASSERT_TRUE(record.set(128, 1, std::string_view("name")).ok());
  ASSERT_TRUE(record.set(256, 0, std::string_view("x")).ok());
  ASSERT_TRUE(record.set(256, 0, std::string_view("y")).ok());
  const std::string bytes = record.encode().value();
  for (std::size_t length = 0; length < bytes.size(); ++length) {
    Result<Record> truncated = Record::decode(schema, bytes.substr(0, length));
    if (!truncated.ok()) {
      EXPECT_EQ(truncated.status().error(), Error::kDatabaseCorrupted);
    }
  }
  EXPECT_EQ(Record::decode(schema, bytes + "x").status().error(), Error::kDatabaseCorrupted);
  // Any single corrupted byte either decodes or reports corruption; it never crashes.
  for (std::size_t position = 0; position < bytes.size(); ++position) {
    for (int flip : {0x01, 0x80, 0xFF}) {
      std::string damaged = bytes;
      damaged[position] = static_cast<char>(damaged[position] ^ flip);
      Result<Record> result = Record::decode(schema, damaged);
      if (!result.ok()) {
        EXPECT_EQ(result.status().error(), Error::kDatabaseCorrupted);
      } else {
        EXPECT_TRUE(result->encode().ok());
      }
    }
  }
}

TEST(RecordTest, SchemaBuildRejectsBadColumns) {
  EXPECT_FALSE(RecordSchema::build({make_column("a", 0, ColumnType::kLong)}).ok());
  EXPECT_FALSE(RecordSchema::build({make_column("a", 1, ColumnType::kLong),
                                    make_column("b", 1, ColumnType::kLong)})
                   .ok());
  EXPECT_FALSE(RecordSchema::build({make_column("a", 1, ColumnType::kLongText)}).ok());
  EXPECT_FALSE(RecordSchema::build({make_column("a", 128, ColumnType::kLong)}).ok());
}

// --- Randomized round trips against a model --------------------------------------------------

struct ModelValue {
  std::string bytes;
  bool separated = false;
};

struct RandomSchema {
  std::vector<ColumnDef> columns;
};

RandomSchema random_schema(std::mt19937_64& random) {
  static constexpr ColumnType kFixedTypes[] = {
      ColumnType::kBit,        ColumnType::kUnsignedByte, ColumnType::kShort,
      ColumnType::kLong,       ColumnType::kCurrency,     ColumnType::kIEEESingle,
      ColumnType::kIEEEDouble, ColumnType::kDateTime,     ColumnType::kUnsignedLong,
      ColumnType::kLongLong,   ColumnType::kGUID,         ColumnType::kUnsignedShort};
  RandomSchema schema;
  const auto fixed_count = static_cast<std::uint32_t>(random() % 12);
  for (std::uint32_t id = 1; id <= fixed_count; ++id) {
    const std::uint64_t pick = random() % 14;
    if (pick < 12) {
      schema.columns.push_back(make_column("f" + std::to_string(id), id, kFixedTypes[pick]));
    } else {
      schema.columns.push_back(make_column("f" + std::to_string(id), id,
                                           pick == 12 ? ColumnType::kText : ColumnType::kBinary,
                                           column_flags::kFixed,
                                           static_cast<std::uint32_t>(1 + random() % 30)));
    }
  }
  const auto variable_count = static_cast<std::uint32_t>(random() % 6);
  for (std::uint32_t index = 0; index < variable_count; ++index) {
    schema.columns.push_back(make_column("v" + std::to_string(index), 128 + index,
                                         random() % 2 ? ColumnType::kText : ColumnType::kBinary, 0,
                                         static_cast<std::uint32_t>(1 + random() % 255)));
  }
  const auto tagged_count = static_cast<std::uint32_t>(random() % 6);
  for (std::uint32_t index = 0; index < tagged_count; ++index) {
    const std::uint64_t pick = random() % 4;
    const ColumnType type = pick == 0   ? ColumnType::kLongBinary
                            : pick == 1 ? ColumnType::kLongText
                            : pick == 2 ? ColumnType::kBinary
                                        : ColumnType::kLong;
    const std::uint32_t flags =
        column_flags::kTagged | (random() % 2 ? column_flags::kMultiValued : 0);
    // Ids with gaps, as after deletions.
    schema.columns.push_back(make_column("t" + std::to_string(index), 256 + index * 3, type,
                                         flags));
  }
  return schema;
}

std::string random_bytes(std::mt19937_64& random, std::size_t size) {
  std::string bytes(size, '\0');
  for (char& byte : bytes) byte = static_cast<char>(random() & 0xFF);
  return bytes;
}

TEST(RecordTest, RandomRoundTripsMatchModel) {
  std::mt19937_64 random(testing::test_seed("RecordTest.RandomRoundTripsMatchModel"));
  for (int round = 0; round < 300; ++round) {
    RandomSchema random_columns = random_schema(random);
    if (random_columns.columns.empty()) continue;
    auto schema = build(random_columns.columns);
    Record record(schema);
    std::map<std::uint32_t, std::vector<ModelValue>> model;
    for (int operation = 0; operation < 40; ++operation) {
      const ColumnDef& column =
          random_columns.columns[random() % random_columns.columns.size()];
      const ColumnClass column_class = column_class_of_id(column.column_id);
      std::vector<ModelValue>& values = model[column.column_id];
      const bool set_null = random() % 5 == 0;
      if (column_class != ColumnClass::kTagged) {
        if (set_null) {
          ASSERT_TRUE(record.set(column.column_id, 1, std::nullopt).ok());
          values.clear();
          continue;
        }
        std::size_t size = is_fixed_size_type(column.type)
                               ? fixed_size_bytes(column.type)
                               : random() % (column.max_size_bytes + 1);
        std::string value = random_bytes(random, size);
        ASSERT_TRUE(record.set(column.column_id, random() % 2, value).ok());
        if (column.type == ColumnType::kBit) value.assign(1, value[0] == 0 ? '\0' : '\xFF');
        if (column_class == ColumnClass::kFixed && value.size() < column.max_size_bytes) {
          value.resize(column.max_size_bytes, column.type == ColumnType::kText ? ' ' : '\0');
        }
        values.assign(1, ModelValue{value, false});
        continue;
      }
      const auto itag = static_cast<std::uint32_t>(random() % (values.size() + 2));
      if (set_null) {
        ASSERT_TRUE(record.set(column.column_id, itag, std::nullopt).ok());
        if (itag >= 1 && itag <= values.size()) values.erase(values.begin() + (itag - 1));
        continue;
      }
      ModelValue value;
      if (is_long_value_type(column.type) && random() % 3 == 0) {
        const LongValueRef ref{random(), static_cast<std::uint32_t>(random() % 1000000)};
        ASSERT_TRUE(record.set_long_value_ref(column.column_id, itag, ref).ok());
        value = ModelValue{encode_long_value_ref(ref), true};
      } else {
        const std::size_t size = column.type == ColumnType::kLong ? 4
                                 : column.type == ColumnType::kBinary ? random() % 256
                                                                      : random() % 600;
        value = ModelValue{random_bytes(random, size), false};
        ASSERT_TRUE(record.set(column.column_id, itag, value.bytes).ok());
      }
      if (itag == 0 || itag > values.size()) {
        values.push_back(value);
      } else {
        values[itag - 1] = value;
      }
    }
    Record decoded = round_trip(record);
    for (const Record* candidate : {&record, &decoded}) {
      for (const ColumnDef& column : random_columns.columns) {
        const std::vector<ModelValue>& values = model[column.column_id];
        ASSERT_EQ(candidate->count_values(column.column_id), values.size())
            << "round " << round << " column " << column.column_id;
        for (std::size_t index = 0; index < values.size(); ++index) {
          ColumnValue got = candidate->get(column.column_id, static_cast<std::uint32_t>(index + 1));
          ASSERT_EQ(got.state, ValueState::kValue);
          ASSERT_EQ(got.bytes, values[index].bytes);
          ASSERT_EQ(got.separated, values[index].separated);
        }
        EXPECT_NE(candidate->get(column.column_id, static_cast<std::uint32_t>(values.size() + 1))
                      .state,
                  ValueState::kValue);
      }
    }
    EXPECT_EQ(decoded.encode().value(), record.encode().value());
  }
}

TEST(RecordTest, SmallFixedRecordIsFast) {
  std::vector<ColumnDef> columns = {make_column("a", 1, ColumnType::kLong),
                                    make_column("b", 2, ColumnType::kLongLong),
                                    make_column("c", 3, ColumnType::kIEEEDouble),
                                    make_column("d", 4, ColumnType::kGUID),
                                    make_column("e", 5, ColumnType::kText, column_flags::kFixed,
                                                60)};
  auto schema = build(columns);
  Record record(schema);
  ASSERT_TRUE(record.set(1, 1, bytes_of<std::int32_t>(1)).ok());
  ASSERT_TRUE(record.set(2, 1, bytes_of<std::int64_t>(2)).ok());
  ASSERT_TRUE(record.set(3, 1, bytes_of<double>(3.0)).ok());
  ASSERT_TRUE(record.set(4, 1, std::string(16, 'g')).ok());
  ASSERT_TRUE(record.set(5, 1, std::string(60, 't')).ok());
  std::string bytes;
  ASSERT_TRUE(record.encode_to(&bytes).ok());
  EXPECT_EQ(bytes.size(), 2u + 1u + 96u);
  constexpr int kIterations = 20000;
  const auto start = std::chrono::steady_clock::now();
  std::size_t checksum = 0;
  for (int iteration = 0; iteration < kIterations; ++iteration) {
    Result<Record> decoded = Record::decode(schema, bytes);
    ASSERT_TRUE(decoded.ok());
    ASSERT_TRUE(decoded->encode_to(&bytes).ok());
    checksum += bytes.size();
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  const double nanoseconds_per_round_trip =
      static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()) /
      kIterations;
  std::printf("decode+encode of a %zu-byte record: %.0f ns\n", bytes.size(),
              nanoseconds_per_round_trip);
  EXPECT_EQ(checksum, static_cast<std::size_t>(kIterations) * 99u);
  // Generous bound for unoptimized and sanitized builds on a shared machine; optimized builds
  // measure well under a microsecond.
  EXPECT_LT(nanoseconds_per_round_trip, 50000.0);
}

}  // namespace
}  // namespace esent::catalog

namespace esent::catalog {
namespace {

// The worked example of docs/format/record.md, byte for byte.
TEST(RecordFormatTest, WorkedExampleBytes) {
  std::vector<ColumnDef> columns = {
      testing::make_column("n", 1, ColumnType::kLong),
      testing::make_column("s", 2, ColumnType::kShort),
      testing::make_column("v", 128, ColumnType::kText),
      testing::make_column("t", 256, ColumnType::kLongText, column_flags::kMultiValued)};
  auto schema = RecordSchema::build(columns).value();
  Record record(schema);
  ASSERT_TRUE(record.set(1, 1, std::nullopt).ok());
  ASSERT_TRUE(record.set(2, 1, testing::bytes_of<std::int16_t>(7)).ok());
  ASSERT_TRUE(record.set(128, 1, std::string_view("hi")).ok());
  ASSERT_TRUE(record.set(256, 0, std::string_view("x")).ok());
  ASSERT_TRUE(record.set(256, 0, std::string_view("yz")).ok());
  const std::string expected(
      "\x02\x01"                  // header: 2 fixed, 1 variable
      "\x01"                      // null bitmap: column 1 null
      "\x00\x00\x00\x00\x07\x00"  // fixed data: column 1's zero bytes, then 7
      "\x02\x00"                  // variable end of column 128
      "hi"                        // variable data
      "\x01\x00"                  // one tagged column
      "\x00\x01\x0C\x00"          // id 256, end 12
      "\x02\x02\x00\x02\x00\x05\x00"  // multi: 2 values, ends 2 and 5
      "\x00x\x00yz",              // the values, each with its flags byte
      31);
  EXPECT_EQ(record.encode().value(), expected);
}

}  // namespace
}  // namespace esent::catalog
