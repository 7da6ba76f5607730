#include "catalog/key.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <random>

#include "catalog/key_format.h"
#include "catalog_test_util.h"

namespace esent::catalog {
namespace {

using testing::bytes_of;
using testing::make_column;
using testing::utf16;

using Value = std::optional<std::string>;
using Natural = std::function<int(const std::string&, const std::string&)>;

std::string key_of(const ColumnDef& column, bool descending, const Value& value,
                   bool sort_nulls_high = false) {
  SegmentSpec spec;
  spec.column = &column;
  spec.descending = descending;
  spec.sort_nulls_high = sort_nulls_high;
  Result<NormalizedSegment> segment =
      normalize_segment(spec, value ? std::optional<std::string_view>(*value) : std::nullopt, 255);
  EXPECT_TRUE(segment.ok()) << segment.status().to_string();
  EXPECT_FALSE(segment->truncated);
  return segment->bytes;
}

int sign(int value) { return (value > 0) - (value < 0); }

// Every pair of values: memcmp order of the keys is the natural order (reversed when
// descending); null sorts first ascending and last descending.
void expect_order(const ColumnDef& column, std::vector<Value> values, const Natural& natural) {
  values.push_back(std::nullopt);
  for (bool descending : {false, true}) {
    std::vector<std::string> keys;
    for (const Value& value : values) keys.push_back(key_of(column, descending, value));
    for (std::size_t left = 0; left < values.size(); ++left) {
      for (std::size_t right = 0; right < values.size(); ++right) {
        int expected = 0;
        if (!values[left] || !values[right]) {
          expected = (values[left] ? 1 : 0) - (values[right] ? 1 : 0);
        } else {
          expected = sign(natural(*values[left], *values[right]));
        }
        if (descending) expected = -expected;
        ASSERT_EQ(sign(keys[left].compare(keys[right])), expected)
            << column_type_name(column.type) << (descending ? " desc" : " asc") << " values #"
            << left << " and #" << right;
      }
    }
  }
}

template <typename T>
std::vector<Value> random_integers(std::mt19937_64& random, int count) {
  std::vector<Value> values = {bytes_of(std::numeric_limits<T>::min()),
                               bytes_of(std::numeric_limits<T>::max()), bytes_of(T{0}),
                               bytes_of(static_cast<T>(1))};
  if (std::numeric_limits<T>::is_signed) values.push_back(bytes_of(static_cast<T>(-1)));
  for (int index = 0; index < count; ++index) {
    T value = static_cast<T>(random());
    if (random() % 2) value = static_cast<T>(value % 300);
    values.push_back(bytes_of(value));
  }
  return values;
}

template <typename T>
Natural integer_order() {
  return [](const std::string& left, const std::string& right) {
    T a{};
    T b{};
    std::memcpy(&a, left.data(), sizeof(T));
    std::memcpy(&b, right.data(), sizeof(T));
    return (a > b) - (a < b);
  };
}

template <typename T>
void check_integer_type(ColumnType type, std::mt19937_64& random) {
  SCOPED_TRACE(column_type_name(type));
  expect_order(make_column("c", 1, type), random_integers<T>(random, 60), integer_order<T>());
  expect_order(make_column("c", 256, type, column_flags::kTagged), random_integers<T>(random, 20),
               integer_order<T>());
}

TEST(KeyTest, IntegerTypesOrder) {
  std::mt19937_64 random(testing::test_seed("KeyTest.IntegerTypesOrder"));
  check_integer_type<std::uint8_t>(ColumnType::kUnsignedByte, random);
  check_integer_type<std::int16_t>(ColumnType::kShort, random);
  check_integer_type<std::uint16_t>(ColumnType::kUnsignedShort, random);
  check_integer_type<std::int32_t>(ColumnType::kLong, random);
  check_integer_type<std::uint32_t>(ColumnType::kUnsignedLong, random);
  check_integer_type<std::int64_t>(ColumnType::kLongLong, random);
  check_integer_type<std::int64_t>(ColumnType::kCurrency, random);
  check_integer_type<std::uint64_t>(ColumnType::kUnsignedLongLong, random);
}

TEST(KeyTest, BitOrder) {
  const ColumnDef column = make_column("c", 1, ColumnType::kBit);
  expect_order(column, {std::string(1, '\0'), std::string(1, '\x01'), std::string(1, '\xFF')},
               [](const std::string& left, const std::string& right) {
                 return (left[0] != 0) - (right[0] != 0);
               });
  EXPECT_EQ(key_of(column, false, std::string(1, '\x01')), std::string("\x7F\xFF", 2));
}

template <typename T>
void check_float_type(ColumnType type, std::mt19937_64& random) {
  SCOPED_TRACE(column_type_name(type));
  std::vector<T> numbers = {T{0},
                            -T{0},
                            std::numeric_limits<T>::infinity(),
                            -std::numeric_limits<T>::infinity(),
                            std::numeric_limits<T>::max(),
                            std::numeric_limits<T>::lowest(),
                            std::numeric_limits<T>::min(),
                            -std::numeric_limits<T>::min(),
                            std::numeric_limits<T>::denorm_min(),
                            -std::numeric_limits<T>::denorm_min(),
                            T{1},
                            T{-1}};
  std::uniform_real_distribution<double> distribution(-1e6, 1e6);
  for (int index = 0; index < 60; ++index) {
    numbers.push_back(static_cast<T>(distribution(random) *
                                     std::pow(10.0, static_cast<double>(random() % 20) - 10.0)));
  }
  std::vector<Value> values;
  for (T number : numbers) values.push_back(bytes_of(number));
  // ESE's order: by value, and -0 before +0 (they normalize differently).
  expect_order(make_column("c", 1, type), values,
               [](const std::string& left, const std::string& right) {
                 T a{};
                 T b{};
                 std::memcpy(&a, left.data(), sizeof(T));
                 std::memcpy(&b, right.data(), sizeof(T));
                 if (a < b) return -1;
                 if (a > b) return 1;
                 return static_cast<int>(std::signbit(b)) - static_cast<int>(std::signbit(a));
               });
}

TEST(KeyTest, FloatingTypesOrder) {
  std::mt19937_64 random(testing::test_seed("KeyTest.FloatingTypesOrder"));
  check_float_type<float>(ColumnType::kIEEESingle, random);
  check_float_type<double>(ColumnType::kIEEEDouble, random);
  check_float_type<double>(ColumnType::kDateTime, random);
}

TEST(KeyTest, GuidUsesEseByteOrder) {
  const ColumnDef column = make_column("c", 1, ColumnType::kGUID);
  std::string guid(16, '\0');
  for (int index = 0; index < 16; ++index) guid[static_cast<std::size_t>(index)] = static_cast<char>(index);
  const std::string expected("\x7F\x0A\x0B\x0C\x0D\x0E\x0F\x08\x09\x06\x07\x04\x05\x00\x01\x02\x03",
                             17);
  EXPECT_EQ(key_of(column, false, guid), expected);
  // Byte 10 is the most significant, byte 3 the least.
  std::string high = std::string(16, '\0');
  high[10] = 1;
  std::string low = std::string(16, '\0');
  low[0] = static_cast<char>(0xFF);
  EXPECT_LT(key_of(column, false, low), key_of(column, false, high));
  IndexDef index;
  index.segments = {{1, false}};
  index.flags = index_flags::kDotNetGuid;
  std::vector<ColumnDef> columns = {column};
  KeyBuilder dot_net(index, columns);
  ASSERT_TRUE(dot_net.append(guid, make_key_flags::kNewKey).ok());
  EXPECT_EQ(dot_net.key(),
            std::string("\x7F\x03\x02\x01\x00\x05\x04\x07\x06\x08\x09\x0A\x0B\x0C\x0D\x0E\x0F", 17));
}

Natural bytewise() {
  return [](const std::string& left, const std::string& right) { return left.compare(right); };
}

std::vector<Value> random_strings(std::mt19937_64& random, std::string_view alphabet, int count,
                                  std::size_t max_length) {
  std::vector<Value> values = {std::string()};
  for (int index = 0; index < count; ++index) {
    std::string value(random() % (max_length + 1), '\0');
    for (char& ch : value) ch = alphabet[random() % alphabet.size()];
    values.push_back(value);
  }
  return values;
}

TEST(KeyTest, BinaryOrderAndPrefixes) {
  std::mt19937_64 random(testing::test_seed("KeyTest.BinaryOrderAndPrefixes"));
  const std::string alphabet("\x00\x01\x08\x09\xFE\xFF", 6);
  expect_order(make_column("c", 128, ColumnType::kBinary), random_strings(random, alphabet, 120, 20),
               bytewise());
  expect_order(make_column("c", 256, ColumnType::kLongBinary),
               random_strings(random, alphabet, 60, 30), bytewise());
  // A fixed Binary column stores its bytes unchunked.
  const ColumnDef fixed = make_column("c", 1, ColumnType::kBinary, column_flags::kFixed, 8);
  std::vector<Value> fixed_values;
  for (int index = 0; index < 40; ++index) {
    std::string value(8, '\0');
    for (char& ch : value) ch = alphabet[random() % alphabet.size()];
    fixed_values.push_back(value);
  }
  expect_order(fixed, fixed_values, bytewise());
  EXPECT_EQ(key_of(fixed, false, std::string("abcdefgh")), "\x7F" "abcdefgh");
  // The chunk format itself.
  const ColumnDef variable = make_column("c", 128, ColumnType::kBinary);
  EXPECT_EQ(key_of(variable, false, std::string("abc")),
            std::string("\x7F" "abc\0\0\0\0\0\x03", 10));
  EXPECT_EQ(key_of(variable, false, std::string("abcdefgh")), std::string("\x7F" "abcdefgh\x08", 10));
  EXPECT_EQ(key_of(variable, false, std::string("abcdefghi")),
            std::string("\x7F" "abcdefgh\x09i\0\0\0\0\0\0\0\x01", 19));
  EXPECT_EQ(key_of(variable, false, std::string()), std::string("\x40", 1));
  EXPECT_EQ(key_of(variable, false, std::nullopt), std::string("\x00", 1));
}

Natural ascii_case_insensitive() {
  return [](const std::string& left, const std::string& right) {
    auto fold = [](std::string text) {
      for (char& ch : text) {
        if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 32);
      }
      return text;
    };
    return fold(left).compare(fold(right));
  };
}

TEST(KeyTest, AsciiTextIsCaseInsensitive) {
  std::mt19937_64 random(testing::test_seed("KeyTest.AsciiTextIsCaseInsensitive"));
  const std::string alphabet("aAbBzZ09 ~`{\x80\xE9\xFF", 15);
  expect_order(make_column("c", 128, ColumnType::kText), random_strings(random, alphabet, 150, 8),
               ascii_case_insensitive());
  expect_order(make_column("c", 256, ColumnType::kLongText),
               random_strings(random, alphabet, 50, 8), ascii_case_insensitive());
  const ColumnDef column = make_column("c", 128, ColumnType::kText);
  EXPECT_EQ(key_of(column, false, std::string("Hello")), key_of(column, false, std::string("hELLO")));
  EXPECT_EQ(key_of(column, false, std::string("ab")), std::string("\x7F" "AB\0", 4));
  // Text stops at an embedded NUL, as ESE's does.
  EXPECT_EQ(key_of(column, false, std::string("ab\0cd", 5)), key_of(column, false, std::string("ab")));
}

TEST(KeyTest, UnicodeTextIsCaseFoldedAndOrderedByCodeUnit) {
  std::mt19937_64 random(testing::test_seed("KeyTest.UnicodeTextIsCaseFoldedAndOrderedByCodeUnit"));
  const std::u16string alphabet = u"aAzZ \u00e9\u00c9\u0436\u0416\u0100\u0101\u03c3\u03a3\uffff";
  std::vector<Value> values = {std::string()};
  for (int index = 0; index < 120; ++index) {
    std::u16string text(random() % 7, u'a');
    for (char16_t& unit : text) unit = alphabet[random() % alphabet.size()];
    values.push_back(utf16(text));
  }
  const Natural natural = [](const std::string& left, const std::string& right) {
    auto units = [](const std::string& bytes) {
      std::vector<std::uint16_t> result;
      for (std::size_t index = 0; index + 1 < bytes.size(); index += 2) {
        result.push_back(fold_utf16_unit(static_cast<std::uint16_t>(
            static_cast<unsigned char>(bytes[index]) |
            (static_cast<unsigned char>(bytes[index + 1]) << 8))));
      }
      return result;
    };
    const auto a = units(left);
    const auto b = units(right);
    return a < b ? -1 : (b < a ? 1 : 0);
  };
  expect_order(make_column("c", 128, ColumnType::kText, 0, 255, kCodePageUnicode), values,
               natural);
  const ColumnDef column = make_column("c", 128, ColumnType::kText, 0, 255, kCodePageUnicode);
  EXPECT_EQ(key_of(column, false, utf16(u"\u00e9t\u00e9 \u0436")),
            key_of(column, false, utf16(u"\u00c9T\u00c9 \u0416")));
  EXPECT_EQ(fold_utf16_unit(u'\u0101'), u'\u0100');
  EXPECT_EQ(fold_utf16_unit(u'\u03c2'), u'\u03a3');
  EXPECT_EQ(fold_utf16_unit(u'\u00ff'), u'\u0178');
  EXPECT_EQ(fold_utf16_unit(u'\u4e2d'), u'\u4e2d');
}

TEST(KeyTest, NullOrdering) {
  const ColumnDef column = make_column("c", 128, ColumnType::kText);
  const std::string null_key = key_of(column, false, std::nullopt);
  const std::string empty_key = key_of(column, false, std::string());
  const std::string data_key = key_of(column, false, std::string("a"));
  EXPECT_LT(null_key, empty_key);
  EXPECT_LT(empty_key, data_key);
  // SortNullsHigh: null after every value.
  EXPECT_GT(key_of(column, false, std::nullopt, true), key_of(column, false, std::string("\xFF")));
  EXPECT_GT(key_of(column, true, std::nullopt), key_of(column, true, std::string()));
  // A zero-length value of a fixed-size type normalizes as null.
  const ColumnDef number = make_column("n", 1, ColumnType::kLong);
  EXPECT_EQ(key_of(number, false, std::string()), key_of(number, false, std::nullopt));
  SegmentSpec spec;
  spec.column = &number;
  EXPECT_EQ(normalize_segment(spec, std::string_view("abc"), 255).status().error(),
            Error::kInvalidBufferSize);
}

// --- Index entries ---------------------------------------------------------------------------

struct Table {
  std::vector<ColumnDef> columns;
  std::shared_ptr<const RecordSchema> schema;
  explicit Table(std::vector<ColumnDef> definitions) : columns(std::move(definitions)) {
    schema = RecordSchema::build(columns).value();
  }
};

IndexDef make_index(std::vector<IndexSegment> segments, std::uint32_t flags = 0) {
  IndexDef index;
  index.name = "index";
  index.segments = std::move(segments);
  index.flags = flags;
  return index;
}

TEST(IndexEntriesTest, MultiSegmentOrderMatchesTupleOrder) {
  std::mt19937_64 random(testing::test_seed("IndexEntriesTest.MultiSegmentOrderMatchesTupleOrder"));
  Table table({make_column("n", 1, ColumnType::kLong), make_column("t", 128, ColumnType::kText),
               make_column("b", 129, ColumnType::kBinary)});
  const IndexDef index = make_index({{1, false}, {128, true}, {129, false}});
  struct Row {
    std::optional<std::int32_t> number;
    std::string text;
    std::string blob;
    std::string key;
  };
  std::vector<Row> rows;
  const std::string text_alphabet = "aAbB";
  const std::string blob_alphabet("\x00\x01\xFF", 3);
  for (int index_row = 0; index_row < 150; ++index_row) {
    Row row;
    if (random() % 6 != 0) row.number = static_cast<std::int32_t>(random() % 5) - 2;
    row.text.resize(random() % 4);
    for (char& ch : row.text) ch = text_alphabet[random() % text_alphabet.size()];
    row.blob.resize(random() % 12);
    for (char& ch : row.blob) ch = blob_alphabet[random() % blob_alphabet.size()];
    Record record(table.schema);
    if (row.number) {
      ASSERT_TRUE(record.set(1, 1, bytes_of(*row.number)).ok());
    }
    ASSERT_TRUE(record.set(128, 1, row.text).ok());
    ASSERT_TRUE(record.set(129, 1, row.blob).ok());
    Result<IndexEntries> entries = index_entries(index, table.columns, record);
    ASSERT_TRUE(entries.ok());
    ASSERT_EQ(entries->keys.size(), 1u);
    row.key = entries->keys[0];
    rows.push_back(row);
  }
  const Natural text_order = ascii_case_insensitive();
  for (const Row& left : rows) {
    for (const Row& right : rows) {
      int expected = 0;
      if (left.number != right.number) {
        expected = !left.number ? -1 : !right.number ? 1 : (*left.number < *right.number ? -1 : 1);
      } else if (int text = sign(text_order(left.text, right.text)); text != 0) {
        expected = -text;  // descending segment
      } else {
        expected = sign(left.blob.compare(right.blob));
      }
      ASSERT_EQ(sign(left.key.compare(right.key)), expected);
    }
  }
}

TEST(IndexEntriesTest, MultiValuedColumns) {
  Table table({make_column("a", 256, ColumnType::kText,
                           column_flags::kTagged | column_flags::kMultiValued),
               make_column("b", 257, ColumnType::kLong,
                           column_flags::kTagged | column_flags::kMultiValued),
               make_column("single", 258, ColumnType::kText, column_flags::kTagged)});
  Record record(table.schema);
  for (const char* color : {"red", "blue", "RED"}) ASSERT_TRUE(record.set(256, 0, std::string_view(color)).ok());
  for (std::int32_t number : {1, 2}) ASSERT_TRUE(record.set(257, 0, bytes_of(number)).ok());
  for (const char* word : {"x", "y"}) ASSERT_TRUE(record.set(258, 0, std::string_view(word)).ok());

  auto keys = [&](const IndexDef& index) { return index_entries(index, table.columns, record)->keys; };
  // One entry per distinct value of the first multi-valued column ("red" == "RED").
  EXPECT_EQ(keys(make_index({{256, false}})).size(), 2u);
  // The second multi-valued column contributes only its first value...
  std::vector<std::string> pairs = keys(make_index({{256, false}, {257, false}}));
  ASSERT_EQ(pairs.size(), 2u);
  const ColumnDef& number_column = table.columns[1];
  for (const std::string& key : pairs) {
    EXPECT_EQ(key.substr(key.size() - 5), key_of(number_column, false, bytes_of<std::int32_t>(1)));
  }
  // ...unless the index asks for the cross product.
  EXPECT_EQ(keys(make_index({{256, false}, {257, false}}, index_flags::kCrossProduct)).size(), 4u);
  // A tagged column without kMultiValued is indexed by its first value only.
  std::vector<std::string> single = keys(make_index({{258, false}}));
  ASSERT_EQ(single.size(), 1u);
  EXPECT_EQ(single[0], key_of(table.columns[2], false, std::string("x")));
  // No values: one null entry.
  Record empty(table.schema);
  EXPECT_EQ(index_entries(make_index({{256, false}}), table.columns, empty)->keys.size(), 1u);
  EXPECT_TRUE(
      index_entries(make_index({{256, false}}, index_flags::kIgnoreNull), table.columns, empty)
          ->keys.empty());
}

TEST(IndexEntriesTest, NullRules) {
  Table table({make_column("a", 1, ColumnType::kLong), make_column("b", 2, ColumnType::kLong)});
  const std::vector<IndexSegment> segments = {{1, false}, {2, false}};
  auto count = [&](std::optional<std::int32_t> a, std::optional<std::int32_t> b,
                   std::uint32_t flags) -> Result<std::size_t> {
    Record record(table.schema);
    if (a) {
      EXPECT_TRUE(record.set(1, 1, bytes_of(*a)).ok());
    }
    if (b) {
      EXPECT_TRUE(record.set(2, 1, bytes_of(*b)).ok());
    }
    Result<IndexEntries> entries = index_entries(make_index(segments, flags), table.columns, record);
    if (!entries.ok()) return entries.status();
    return entries->keys.size();
  };
  EXPECT_EQ(count(std::nullopt, std::nullopt, 0).value(), 1u);
  EXPECT_EQ(count(std::nullopt, std::nullopt, index_flags::kIgnoreNull).value(), 0u);
  EXPECT_EQ(count(1, std::nullopt, index_flags::kIgnoreNull).value(), 1u);
  EXPECT_EQ(count(1, std::nullopt, index_flags::kIgnoreAnyNull).value(), 0u);
  EXPECT_EQ(count(1, std::nullopt, index_flags::kIgnoreFirstNull).value(), 1u);
  EXPECT_EQ(count(std::nullopt, 1, index_flags::kIgnoreFirstNull).value(), 0u);
  EXPECT_EQ(count(1, 2, index_flags::kIgnoreAnyNull).value(), 1u);
  EXPECT_EQ(count(1, std::nullopt, index_flags::kDisallowNull).status().error(),
            Error::kNullInvalid);
  EXPECT_EQ(count(1, 2, index_flags::kDisallowNull).value(), 1u);
}

TEST(IndexEntriesTest, DefaultsAndLongValues) {
  std::vector<ColumnDef> columns = {make_column("d", 1, ColumnType::kLong),
                                    make_column("lv", 256, ColumnType::kLongText)};
  columns[0].default_value = bytes_of<std::int32_t>(7);
  Table table(columns);
  Record record(table.schema);
  ASSERT_TRUE(record.set_long_value_ref(256, 1, LongValueRef{99, 5000}).ok());
  const IndexDef index = make_index({{1, false}, {256, false}});
  EXPECT_EQ(index_entries(index, table.columns, record).status().error(), Error::kInvalidParameter);
  std::size_t asked = 0;
  LongValueReader reader = [&](const LongValueRef& ref, std::size_t max_bytes) -> Result<std::string> {
    EXPECT_EQ(ref.long_value_id, 99u);
    asked = max_bytes;
    return std::string("long value text");
  };
  Result<IndexEntries> entries = index_entries(index, table.columns, record, reader);
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(asked, 255u);
  EXPECT_EQ(entries->keys[0], key_of(table.columns[0], false, bytes_of<std::int32_t>(7)) +
                                  key_of(table.columns[1], false, std::string("long value text")));
}

TEST(IndexEntriesTest, TruncationAtMaxKeyBytes) {
  Table table({make_column("t", 256, ColumnType::kLongText), make_column("n", 1, ColumnType::kLong)});
  Record first(table.schema);
  Record second(table.schema);
  ASSERT_TRUE(first.set(256, 1, std::string(400, 'a') + "x").ok());
  ASSERT_TRUE(second.set(256, 1, std::string(400, 'a') + "y").ok());
  ASSERT_TRUE(first.set(1, 1, bytes_of<std::int32_t>(1)).ok());
  ASSERT_TRUE(second.set(1, 1, bytes_of<std::int32_t>(2)).ok());
  IndexDef index = make_index({{256, false}, {1, false}});
  Result<IndexEntries> a = index_entries(index, table.columns, first);
  Result<IndexEntries> b = index_entries(index, table.columns, second);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(a->any_truncated);
  EXPECT_EQ(a->keys[0].size(), 255u);
  EXPECT_EQ(a->keys[0], b->keys[0]);  // differences past the limit are lost
  index.max_key_bytes = 1000;
  EXPECT_FALSE(index_entries(index, table.columns, first)->any_truncated);
  EXPECT_EQ(index_entries(index, table.columns, first)->keys[0].size(), 1u + 401u + 1u + 5u);
  index.max_key_bytes = 0;
  index.flags = index_flags::kDisallowTruncation;
  EXPECT_EQ(index_entries(index, table.columns, first).status().error(), Error::kKeyTruncated);
}

// --- KeyBuilder ------------------------------------------------------------------------------

TEST(KeyBuilderTest, StateErrors) {
  std::vector<ColumnDef> columns = {make_column("n", 1, ColumnType::kLong),
                                    make_column("t", 128, ColumnType::kText),
                                    make_column("f", 2, ColumnType::kText, column_flags::kFixed, 4)};
  const IndexDef index = make_index({{1, false}, {128, false}});
  namespace mk = make_key_flags;
  KeyBuilder builder(index, columns);
  EXPECT_EQ(builder.append(bytes_of<std::int32_t>(1), 0).error(), Error::kKeyNotMade);
  EXPECT_EQ(builder.append("abc", mk::kNewKey).error(), Error::kInvalidBufferSize);
  EXPECT_EQ(builder.append("", mk::kNewKey | mk::kKeyDataZeroLength).error(),
            Error::kInvalidBufferSize);
  EXPECT_EQ(builder.append(bytes_of<std::int32_t>(1), mk::kNewKey | mk::kPartialColumnEndLimit)
                .error(),
            Error::kInvalidGrbit);
  EXPECT_EQ(builder.append(bytes_of<std::int32_t>(1), mk::kNewKey | mk::kFullColumnEndLimit |
                                                          mk::kFullColumnStartLimit)
                .error(),
            Error::kInvalidGrbit);
  EXPECT_EQ(builder.append(bytes_of<std::int32_t>(1), 0x80000000u).error(), Error::kInvalidGrbit);
  EXPECT_FALSE(builder.is_made());
  ASSERT_TRUE(builder.append(bytes_of<std::int32_t>(1), mk::kNewKey).ok());
  ASSERT_TRUE(builder.append("x", 0).ok());
  EXPECT_EQ(builder.segment_count(), 2u);
  EXPECT_EQ(builder.append("y", 0).error(), Error::kKeyIsMade);
  ASSERT_TRUE(builder.append(bytes_of<std::int32_t>(1), mk::kNewKey | mk::kFullColumnEndLimit).ok());
  EXPECT_TRUE(builder.is_limit());
  EXPECT_EQ(builder.append("x", 0).error(), Error::kKeyIsMade);
  // kNewKey discards the old key even when the call fails, as in ESE.
  ASSERT_TRUE(builder.append(bytes_of<std::int32_t>(1), mk::kNewKey).ok());
  EXPECT_EQ(builder.append("abc", mk::kNewKey).error(), Error::kInvalidBufferSize);
  EXPECT_FALSE(builder.is_made());
  EXPECT_EQ(builder.append("x", 0).error(), Error::kKeyNotMade);
  // A new key after an error starts clean.
  ASSERT_TRUE(builder.append(bytes_of<std::int32_t>(1), mk::kNewKey).ok());
  EXPECT_FALSE(builder.is_limit());
  EXPECT_EQ(builder.key(), key_of(columns[0], false, bytes_of<std::int32_t>(1)));
  // Empty data is a null segment; kKeyDataZeroLength a zero-length one.
  ASSERT_TRUE(builder.append("", 0).ok());
  EXPECT_EQ(builder.key().back(), static_cast<char>(key_format::kPrefixNull));
  ASSERT_TRUE(builder.append(bytes_of<std::int32_t>(1), mk::kNewKey).ok());
  ASSERT_TRUE(builder.append("", mk::kKeyDataZeroLength).ok());
  EXPECT_EQ(builder.key().back(), static_cast<char>(key_format::kPrefixZeroLength));
  // Normalized keys pass through.
  const std::string normalized = builder.key();
  ASSERT_TRUE(builder.append(normalized, mk::kNormalizedKey).ok());
  EXPECT_EQ(builder.key(), normalized);
  EXPECT_FALSE(builder.is_limit());
  ASSERT_TRUE(builder.append(std::string(256, '\xFF'), mk::kNormalizedKey).ok());
  EXPECT_TRUE(builder.is_limit());
  EXPECT_EQ(builder.append(std::string(257, 'a'), mk::kNormalizedKey).error(),
            Error::kInvalidParameter);
  // A fixed Text column pads short data with spaces.
  const IndexDef fixed_index = make_index({{2, false}});
  KeyBuilder fixed(fixed_index, columns);
  ASSERT_TRUE(fixed.append("ab", mk::kNewKey).ok());
  EXPECT_EQ(fixed.key(), key_of(columns[2], false, std::string("ab  ")));
  EXPECT_EQ(fixed.append("abcde", mk::kNewKey).error(), Error::kInvalidBufferSize);
}

TEST(KeyBuilderTest, SearchKeyEqualsIndexEntry) {
  Table table({make_column("n", 1, ColumnType::kLong), make_column("t", 128, ColumnType::kText)});
  const IndexDef index = make_index({{1, true}, {128, false}});
  Record record(table.schema);
  ASSERT_TRUE(record.set(1, 1, bytes_of<std::int32_t>(-5)).ok());
  ASSERT_TRUE(record.set(128, 1, std::string_view("Name")).ok());
  KeyBuilder builder(index, table.columns);
  ASSERT_TRUE(builder.append(bytes_of<std::int32_t>(-5), make_key_flags::kNewKey).ok());
  ASSERT_TRUE(builder.append("NAME", 0).ok());
  EXPECT_EQ(builder.key(), index_entries(index, table.columns, record)->keys[0]);
}

TEST(KeyBuilderTest, TruncatedSearchKey) {
  std::vector<ColumnDef> columns = {make_column("t", 256, ColumnType::kLongText),
                                    make_column("n", 1, ColumnType::kLong)};
  const IndexDef index = make_index({{256, false}, {1, false}});
  KeyBuilder builder(index, columns);
  ASSERT_TRUE(builder.append(std::string(300, 'q'), make_key_flags::kNewKey).ok());
  EXPECT_TRUE(builder.truncated());
  EXPECT_EQ(builder.key().size(), 255u);
  ASSERT_TRUE(builder.append(bytes_of<std::int32_t>(3), 0).ok());
  EXPECT_EQ(builder.key().size(), 255u);
  EXPECT_EQ(builder.segment_count(), 2u);
}

// Checks a limit key against every value: values with the prefix (as `has_prefix` says) sort
// before an end limit / not before a start limit; other values keep their order relative to
// the key of `prefix` itself.
void check_limit(const std::vector<ColumnDef>& columns, const IndexDef& index,
                 const std::vector<std::string>& values, const std::string& prefix,
                 std::uint32_t grbit, bool end, const std::function<bool(const std::string&)>& has_prefix) {
  KeyBuilder limit(index, columns);
  ASSERT_TRUE(limit.append(prefix, make_key_flags::kNewKey | grbit).ok());
  KeyBuilder plain(index, columns);
  ASSERT_TRUE(plain.append(prefix, make_key_flags::kNewKey).ok());
  for (const std::string& value : values) {
    KeyBuilder key(index, columns);
    ASSERT_TRUE(key.append(value, make_key_flags::kNewKey).ok());
    if (has_prefix(value)) {
      if (end) {
        ASSERT_LT(key.key(), limit.key()) << "'" << value << "' prefix '" << prefix << "'";
      } else {
        ASSERT_GE(key.key(), limit.key()) << "'" << value << "' prefix '" << prefix << "'";
      }
    } else {
      ASSERT_EQ(sign(key.key().compare(limit.key())), sign(key.key().compare(plain.key())))
          << "'" << value << "' prefix '" << prefix << "'";
    }
  }
}

TEST(KeyBuilderTest, TextLimits) {
  std::mt19937_64 random(testing::test_seed("KeyBuilderTest.TextLimits"));
  namespace mk = make_key_flags;
  std::vector<ColumnDef> columns = {make_column("t", 128, ColumnType::kText)};
  std::vector<std::string> values;
  for (int index = 0; index < 200; ++index) {
    std::string value(1 + random() % 5, 'a');
    for (char& ch : value) ch = "abAB"[random() % 4];
    values.push_back(value);
  }
  auto upper = [](std::string text) {
    for (char& ch : text) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return text;
  };
  for (bool descending : {false, true}) {
    const IndexDef index = make_index({{128, descending}});
    for (int round = 0; round < 30; ++round) {
      std::string prefix(1 + random() % 3, 'a');
      for (char& ch : prefix) ch = "abAB"[random() % 4];
      auto starts_with = [&](const std::string& value) {
        return upper(value).rfind(upper(prefix), 0) == 0;
      };
      auto equals = [&](const std::string& value) { return upper(value) == upper(prefix); };
      check_limit(columns, index, values, prefix, mk::kSubStrLimit, true, starts_with);
      check_limit(columns, index, values, prefix, mk::kPartialColumnEndLimit, true, starts_with);
      check_limit(columns, index, values, prefix, mk::kPartialColumnStartLimit, false, starts_with);
      check_limit(columns, index, values, prefix, mk::kStrLimit, true, equals);
      check_limit(columns, index, values, prefix, mk::kFullColumnEndLimit, true, equals);
      check_limit(columns, index, values, prefix, mk::kFullColumnStartLimit, false, equals);
    }
  }
  // An end limit is max_key_bytes + 1 long and ends in sentinels.
  const IndexDef index = make_index({{128, false}});
  KeyBuilder limit(index, columns);
  ASSERT_TRUE(limit.append("ab", mk::kNewKey | mk::kSubStrLimit).ok());
  EXPECT_EQ(limit.key().size(), 256u);
  EXPECT_EQ(limit.key().substr(0, 3), "\x7F" "AB");
  EXPECT_EQ(limit.key()[3], '\xFF');
}

TEST(KeyBuilderTest, BinaryLimits) {
  std::mt19937_64 random(testing::test_seed("KeyBuilderTest.BinaryLimits"));
  namespace mk = make_key_flags;
  std::vector<ColumnDef> columns = {make_column("b", 256, ColumnType::kLongBinary)};
  const std::string alphabet("\x00\x01\x09\xFF", 4);
  std::vector<std::string> values;
  for (int index = 0; index < 200; ++index) {
    std::string value(1 + random() % 19, '\0');
    for (char& ch : value) ch = alphabet[random() % alphabet.size()];
    values.push_back(value);
  }
  for (bool descending : {false, true}) {
    const IndexDef index = make_index({{256, descending}});
    for (int round = 0; round < 30; ++round) {
      std::string prefix(1 + random() % 10, '\0');
      for (char& ch : prefix) ch = alphabet[random() % alphabet.size()];
      auto starts_with = [&](const std::string& value) { return value.rfind(prefix, 0) == 0; };
      auto equals = [&](const std::string& value) { return value == prefix; };
      // ESE's quirk, kept: a partial limit cuts the prefix's last chunk where its data ends,
      // so a value that is a proper prefix of `prefix` followed in `prefix` only by zero bytes
      // is indistinguishable from it up to the cut (its zero padding equals the zero bytes;
      // descending, the complemented padding equals the 0xFF sentinel) and lands on the wrong
      // side of the limit. Such values are left out.
      std::vector<std::string> checked;
      for (const std::string& value : values) {
        const bool quirk = value.size() < prefix.size() && prefix.rfind(value, 0) == 0 &&
                           prefix.find_first_not_of('\0', value.size()) == std::string::npos;
        if (!quirk) checked.push_back(value);
      }
      check_limit(columns, index, checked, prefix, mk::kPartialColumnEndLimit, true, starts_with);
      check_limit(columns, index, checked, prefix, mk::kStrLimit, true, starts_with);
      check_limit(columns, index, checked, prefix, mk::kPartialColumnStartLimit, false, starts_with);
      check_limit(columns, index, checked, prefix, mk::kFullColumnEndLimit, true, equals);
    }
  }
}

TEST(KeyBuilderTest, LimitOnFirstOfTwoSegments) {
  namespace mk = make_key_flags;
  Table table({make_column("n", 1, ColumnType::kLong), make_column("t", 128, ColumnType::kText)});
  const IndexDef index = make_index({{1, false}, {128, false}});
  auto entry = [&](std::int32_t number, const char* text) {
    Record record(table.schema);
    EXPECT_TRUE(record.set(1, 1, bytes_of(number)).ok());
    EXPECT_TRUE(record.set(128, 1, std::string_view(text)).ok());
    return index_entries(index, table.columns, record)->keys[0];
  };
  KeyBuilder end(index, table.columns);
  ASSERT_TRUE(end.append(bytes_of<std::int32_t>(5), mk::kNewKey | mk::kFullColumnEndLimit).ok());
  KeyBuilder start(index, table.columns);
  ASSERT_TRUE(start.append(bytes_of<std::int32_t>(5), mk::kNewKey | mk::kFullColumnStartLimit).ok());
  for (const char* text : {"", "a", "zzzz", "\xFF\xFF"}) {
    EXPECT_LT(entry(5, text), end.key());
    EXPECT_GT(entry(6, text), end.key());
    EXPECT_GE(entry(5, text), start.key());
    EXPECT_LT(entry(4, text), start.key());
  }
  KeyBuilder second(index, table.columns);
  ASSERT_TRUE(second.append(bytes_of<std::int32_t>(5), mk::kNewKey).ok());
  ASSERT_TRUE(second.append("ab", mk::kSubStrLimit).ok());
  EXPECT_LT(entry(5, "ABZZZ"), second.key());
  EXPECT_LT(entry(5, "ab"), second.key());
  EXPECT_GT(entry(5, "ac"), second.key());
  EXPECT_GT(entry(6, ""), second.key());
}

}  // namespace
}  // namespace esent::catalog

namespace esent::catalog {
namespace {

// The example of docs/format/key.md.
TEST(KeyFormatTest, WorkedExampleBytes) {
  std::vector<ColumnDef> columns = {testing::make_column("n", 1, ColumnType::kLong),
                                    testing::make_column("t", 128, ColumnType::kText)};
  const char key_string[] = "+n\0-t\0";
  Result<std::vector<IndexSegment>> segments =
      parse_index_key(key_string, sizeof(key_string), make_column_lookup(columns));
  ASSERT_TRUE(segments.ok());
  IndexDef index;
  index.segments = segments.value();
  KeyBuilder builder(index, columns);
  ASSERT_TRUE(builder.append(testing::bytes_of<std::int32_t>(5), make_key_flags::kNewKey).ok());
  ASSERT_TRUE(builder.append("ab", 0).ok());
  EXPECT_EQ(builder.key(), std::string("\x7F\x80\x00\x00\x05\x80\xBE\xBD\xFF", 9));
  // Columns and index may go away: the builder keeps copies.
  columns.clear();
  index.segments.clear();
  ASSERT_TRUE(builder.append(testing::bytes_of<std::int32_t>(6), make_key_flags::kNewKey).ok());
  EXPECT_EQ(builder.key(), std::string("\x7F\x80\x00\x00\x06", 5));
}

}  // namespace
}  // namespace esent::catalog

namespace esent::catalog {
namespace {

TEST(RetrieveFromKeyTest, RoundTripsEveryNonTextType) {
  std::mt19937_64 random(testing::test_seed("RetrieveFromKeyTest.RoundTripsEveryNonTextType"));
  std::vector<ColumnDef> columns;
  std::uint32_t fixed_id = 1;
  for (ColumnType type : {ColumnType::kBit, ColumnType::kUnsignedByte, ColumnType::kShort,
                          ColumnType::kLong, ColumnType::kCurrency, ColumnType::kIEEESingle,
                          ColumnType::kIEEEDouble, ColumnType::kDateTime, ColumnType::kUnsignedLong,
                          ColumnType::kLongLong, ColumnType::kGUID, ColumnType::kUnsignedShort,
                          ColumnType::kUnsignedLongLong}) {
    columns.push_back(testing::make_column("f" + std::to_string(fixed_id), fixed_id, type));
    ++fixed_id;
  }
  columns.push_back(testing::make_column("fb", fixed_id, ColumnType::kBinary,
                                         column_flags::kFixed, 5));
  columns.push_back(testing::make_column("vb", 128, ColumnType::kBinary));
  columns.push_back(testing::make_column("vt", 129, ColumnType::kText));
  for (int round = 0; round < 200; ++round) {
    // Three random columns per index, random directions, random values or nulls.
    IndexDef index;
    index.flags = random() % 2 ? index_flags::kDotNetGuid : 0;
    std::vector<std::size_t> picks;
    while (picks.size() < 3) {
      const std::size_t pick = random() % columns.size();
      if (std::find(picks.begin(), picks.end(), pick) == picks.end()) picks.push_back(pick);
    }
    std::vector<std::optional<std::string>> values;
    for (std::size_t pick : picks) index.segments.push_back({columns[pick].column_id, random() % 2 == 0});
    KeyBuilder key(index, columns);
    for (std::size_t position = 0; position < picks.size(); ++position) {
      const ColumnDef& column = columns[picks[position]];
      std::optional<std::string> value;
      if (random() % 5 != 0) {
        const std::size_t size = is_fixed_size_type(column.type) ? fixed_size_bytes(column.type)
                                 : column_class_of_id(column.column_id) == ColumnClass::kFixed
                                     ? column.max_size_bytes
                                     : random() % 30;
        value = std::string(size, '\0');
        for (char& byte : *value) byte = static_cast<char>(random() & 0xFF);
        if (column.type == ColumnType::kBit) value->assign(1, (*value)[0] == 0 ? '\0' : '\xFF');
        if (is_text_type(column.type)) {
          for (char& byte : *value) byte = static_cast<char>('A' + (static_cast<unsigned char>(byte) % 26));
        }
      }
      values.push_back(value);
      const std::uint32_t grbit = (position == 0 ? make_key_flags::kNewKey : 0) |
                                  (value && value->empty() ? make_key_flags::kKeyDataZeroLength : 0);
      ASSERT_TRUE(key.append(value ? *value : std::string(), grbit).ok());
    }
    for (std::size_t position = 0; position < picks.size(); ++position) {
      const ColumnDef& column = columns[picks[position]];
      Result<std::optional<std::string>> read =
          retrieve_column_from_key(index, columns, key.key(), column.column_id);
      if (is_text_type(column.type)) {
        EXPECT_EQ(read.status().error(), Error::kFeatureNotAvailable);
        continue;
      }
      ASSERT_TRUE(read.ok()) << read.status().to_string() << " round " << round;
      ASSERT_EQ(read.value(), values[position]) << column.name << " round " << round;
    }
  }
}

TEST(RetrieveFromKeyTest, Errors) {
  std::vector<ColumnDef> columns = {testing::make_column("t", 256, ColumnType::kLongBinary),
                                    testing::make_column("n", 1, ColumnType::kLong),
                                    testing::make_column("x", 2, ColumnType::kLong)};
  IndexDef index;
  index.segments = {{256, false}, {1, false}};
  KeyBuilder key(index, columns);
  ASSERT_TRUE(key.append(std::string(300, 'q'), make_key_flags::kNewKey).ok());
  ASSERT_TRUE(key.append(testing::bytes_of<std::int32_t>(4), 0).ok());
  EXPECT_EQ(retrieve_column_from_key(index, columns, key.key(), 256).status().error(),
            Error::kKeyTruncated);
  EXPECT_EQ(retrieve_column_from_key(index, columns, key.key(), 1).status().error(),
            Error::kKeyTruncated);
  EXPECT_EQ(retrieve_column_from_key(index, columns, key.key(), 2).status().error(),
            Error::kColumnNotFound);
  EXPECT_EQ(retrieve_column_from_key(index, columns, std::string("\x13", 1), 256).status().error(),
            Error::kDatabaseCorrupted);
}

}  // namespace
}  // namespace esent::catalog
