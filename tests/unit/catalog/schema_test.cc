#include "catalog/schema.h"

#include <gtest/gtest.h>

#include "catalog_test_util.h"

namespace esent::catalog {
namespace {

using testing::make_column;

ColumnDef def(ColumnType type, std::uint32_t flags = 0, std::uint32_t max_size = 0) {
  ColumnDef column;
  column.name = "column";
  column.type = type;
  column.flags = flags;
  column.max_size_bytes = max_size;
  return column;
}

Error error_of(const ColumnDef& column) { return validate_column_def(column).status().error(); }

TEST(ColumnTypesTest, FixedSizesMatchJetTypes) {
  EXPECT_EQ(fixed_size_bytes(ColumnType::kBit), 1u);
  EXPECT_EQ(fixed_size_bytes(ColumnType::kUnsignedByte), 1u);
  EXPECT_EQ(fixed_size_bytes(ColumnType::kShort), 2u);
  EXPECT_EQ(fixed_size_bytes(ColumnType::kUnsignedShort), 2u);
  EXPECT_EQ(fixed_size_bytes(ColumnType::kLong), 4u);
  EXPECT_EQ(fixed_size_bytes(ColumnType::kUnsignedLong), 4u);
  EXPECT_EQ(fixed_size_bytes(ColumnType::kIEEESingle), 4u);
  EXPECT_EQ(fixed_size_bytes(ColumnType::kCurrency), 8u);
  EXPECT_EQ(fixed_size_bytes(ColumnType::kIEEEDouble), 8u);
  EXPECT_EQ(fixed_size_bytes(ColumnType::kDateTime), 8u);
  EXPECT_EQ(fixed_size_bytes(ColumnType::kLongLong), 8u);
  EXPECT_EQ(fixed_size_bytes(ColumnType::kGUID), 16u);
  EXPECT_EQ(fixed_size_bytes(ColumnType::kText), 0u);
  EXPECT_EQ(fixed_size_bytes(ColumnType::kLongBinary), 0u);
  EXPECT_EQ(static_cast<std::uint32_t>(ColumnType::kUnsignedShort), 17u);
  EXPECT_EQ(column_flags::kMultiValued, 0x400u);
  EXPECT_EQ(column_flags::kCompressed, 0x80000u);
  EXPECT_EQ(column_type_name(ColumnType::kGUID), "GUID");
}

TEST(ColumnTypesTest, ColumnClassOfIdFollowsEseRanges) {
  EXPECT_EQ(column_class_of_id(1), ColumnClass::kFixed);
  EXPECT_EQ(column_class_of_id(127), ColumnClass::kFixed);
  EXPECT_EQ(column_class_of_id(128), ColumnClass::kVariable);
  EXPECT_EQ(column_class_of_id(255), ColumnClass::kVariable);
  EXPECT_EQ(column_class_of_id(256), ColumnClass::kTagged);
  EXPECT_EQ(column_class_of_id(65535), ColumnClass::kTagged);
  EXPECT_FALSE(is_valid_column_id(0));
  EXPECT_FALSE(is_valid_column_id(65536));
}

TEST(SchemaTest, ObjectNameRules) {
  EXPECT_TRUE(validate_object_name("Name with spaces").ok());
  EXPECT_TRUE(validate_object_name(std::string(64, 'x')).ok());
  EXPECT_EQ(validate_object_name("").error(), Error::kInvalidName);
  EXPECT_EQ(validate_object_name(std::string(65, 'x')).error(), Error::kInvalidName);
  EXPECT_EQ(validate_object_name(" leading").error(), Error::kInvalidName);
  for (const char* bad : {"a!b", "a.b", "a[b", "a]b", "a\tb", "a\x01"}) {
    EXPECT_EQ(validate_object_name(bad).error(), Error::kInvalidName) << bad;
  }
  EXPECT_EQ(normalize_object_name("trailing  "), "trailing");
}

TEST(SchemaTest, ColumnClassForTypeAndFlags) {
  EXPECT_EQ(column_class_for(def(ColumnType::kLong)), ColumnClass::kFixed);
  EXPECT_EQ(column_class_for(def(ColumnType::kLong, column_flags::kTagged)), ColumnClass::kTagged);
  EXPECT_EQ(column_class_for(def(ColumnType::kText)), ColumnClass::kVariable);
  EXPECT_EQ(column_class_for(def(ColumnType::kBinary, column_flags::kFixed)), ColumnClass::kFixed);
  EXPECT_EQ(column_class_for(def(ColumnType::kLongText)), ColumnClass::kTagged);
  EXPECT_EQ(column_class_for(def(ColumnType::kLongBinary)), ColumnClass::kTagged);
}

TEST(SchemaTest, ValidateColumnNormalizesDefaults) {
  Result<ColumnDef> text = validate_column_def(def(ColumnType::kText));
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->max_size_bytes, 255u);
  EXPECT_EQ(text->code_page, kCodePageAscii);
  Result<ColumnDef> number = validate_column_def(def(ColumnType::kLong, 0, 77));
  ASSERT_TRUE(number.ok());
  EXPECT_EQ(number->max_size_bytes, 4u);
  EXPECT_NE(number->flags & column_flags::kFixed, 0u);
  Result<ColumnDef> long_text = validate_column_def(def(ColumnType::kLongText));
  ASSERT_TRUE(long_text.ok());
  EXPECT_NE(long_text->flags & column_flags::kTagged, 0u);
  EXPECT_EQ(long_text->max_size_bytes, 0u);
}

TEST(SchemaTest, ValidateColumnErrors) {
  EXPECT_EQ(error_of(def(ColumnType::kNil)), Error::kInvalidColumnType);
  EXPECT_EQ(error_of(def(ColumnType::kSLV)), Error::kInvalidColumnType);
  EXPECT_EQ(error_of(def(static_cast<ColumnType>(19))), Error::kInvalidColumnType);
  EXPECT_EQ(error_of(def(ColumnType::kLong, column_flags::kMultiValued)),
            Error::kMultiValuedColumnMustBeTagged);
  EXPECT_TRUE(validate_column_def(def(ColumnType::kLong, column_flags::kMultiValued |
                                                             column_flags::kTagged))
                  .ok());
  EXPECT_TRUE(validate_column_def(def(ColumnType::kLongText, column_flags::kMultiValued)).ok());
  EXPECT_EQ(error_of(def(ColumnType::kLong, column_flags::kTagged | column_flags::kNotNULL)),
            Error::kTaggedNotNULL);
  EXPECT_EQ(error_of(def(ColumnType::kLong, column_flags::kFixed | column_flags::kTagged)),
            Error::kInvalidParameter);
  // JetAddColumn docs: JET_errInvalidgrbit for these combinations.
  EXPECT_EQ(error_of(def(ColumnType::kLongBinary, column_flags::kFixed)), Error::kInvalidGrbit);
  EXPECT_EQ(error_of(def(ColumnType::kText, column_flags::kAutoincrement)), Error::kInvalidGrbit);
  EXPECT_TRUE(validate_column_def(def(ColumnType::kCurrency, column_flags::kAutoincrement)).ok());
  EXPECT_EQ(error_of(def(ColumnType::kCurrency, column_flags::kVersion)), Error::kInvalidGrbit);
  EXPECT_EQ(error_of(def(ColumnType::kLong, column_flags::kVersion | column_flags::kTagged)),
            Error::kCannotBeTagged);
  EXPECT_EQ(error_of(def(ColumnType::kShort, column_flags::kEscrowUpdate)), Error::kInvalidGrbit);
  EXPECT_TRUE(validate_column_def(def(ColumnType::kLong, column_flags::kEscrowUpdate)).ok());
  EXPECT_EQ(error_of(def(ColumnType::kText, column_flags::kCompressed)), Error::kInvalidParameter);
  // A cbMax above 255 is cut to 255 (JET_wrnColumnMaxTruncated).
  bool truncated = false;
  Result<ColumnDef> wide = validate_column_def(def(ColumnType::kBinary, 0, 256), &truncated);
  ASSERT_TRUE(wide.ok());
  EXPECT_TRUE(truncated);
  EXPECT_EQ(wide->max_size_bytes, 255U);
  EXPECT_EQ(error_of(def(ColumnType::kLong, 0x10000000)), Error::kInvalidGrbit);
  ColumnDef bad_code_page = def(ColumnType::kText);
  bad_code_page.code_page = 437;
  EXPECT_EQ(error_of(bad_code_page), Error::kInvalidCodePage);
  ColumnDef bad_name = def(ColumnType::kText);
  bad_name.name = "a.b";
  EXPECT_EQ(error_of(bad_name), Error::kInvalidName);
  ColumnDef long_default = def(ColumnType::kText, 0, 4);
  long_default.default_value = "12345";
  EXPECT_EQ(error_of(long_default), Error::kDefaultValueTooBig);
  ColumnDef wrong_default = def(ColumnType::kLong);
  wrong_default.default_value = "123";
  EXPECT_EQ(error_of(wrong_default), Error::kInvalidBufferSize);
  wrong_default.default_value = "1234";
  EXPECT_TRUE(validate_column_def(wrong_default).ok());
}

TEST(SchemaTest, NextColumnIdPerClass) {
  std::vector<ColumnDef> columns;
  EXPECT_EQ(next_column_id(ColumnClass::kFixed, columns).value(), 1u);
  EXPECT_EQ(next_column_id(ColumnClass::kVariable, columns).value(), 128u);
  EXPECT_EQ(next_column_id(ColumnClass::kTagged, columns).value(), 256u);
  columns.push_back(make_column("a", 1, ColumnType::kLong));
  columns.push_back(make_column("b", 5, ColumnType::kLong));
  columns.push_back(make_column("c", 130, ColumnType::kText));
  columns.push_back(make_column("d", 300, ColumnType::kLongText));
  columns.back().deleted = true;  // deleted ids are never reused
  EXPECT_EQ(next_column_id(ColumnClass::kFixed, columns).value(), 6u);
  EXPECT_EQ(next_column_id(ColumnClass::kVariable, columns).value(), 131u);
  EXPECT_EQ(next_column_id(ColumnClass::kTagged, columns).value(), 301u);
  columns.push_back(make_column("e", 127, ColumnType::kLong));
  EXPECT_EQ(next_column_id(ColumnClass::kFixed, columns).status().error(), Error::kTooManyColumns);
}

TEST(SchemaTest, ParseIndexKey) {
  std::vector<ColumnDef> columns = {make_column("Alpha", 1, ColumnType::kLong),
                                    make_column("beta", 128, ColumnType::kText),
                                    make_column("Gamma", 256, ColumnType::kLongText)};
  const ColumnLookup lookup = make_column_lookup(columns);
  const char key[] = "+alpha\0-BETA\0Gamma\0";  // the literal adds the second NUL
  Result<std::vector<IndexSegment>> segments = parse_index_key(key, sizeof(key), lookup);
  ASSERT_TRUE(segments.ok()) << segments.status().to_string();
  ASSERT_EQ(segments->size(), 3u);
  EXPECT_EQ((*segments)[0].column_id, 1u);
  EXPECT_FALSE((*segments)[0].descending);
  EXPECT_EQ((*segments)[1].column_id, 128u);
  EXPECT_TRUE((*segments)[1].descending);
  EXPECT_EQ((*segments)[2].column_id, 256u);
  EXPECT_FALSE((*segments)[2].descending);

  const char missing[] = "+alpha\0+delta\0";
  EXPECT_EQ(parse_index_key(missing, sizeof(missing), lookup).status().error(),
            Error::kColumnNotFound);
  const char empty[] = "\0";
  EXPECT_EQ(parse_index_key(empty, sizeof(empty), lookup).status().error(),
            Error::kIndexInvalidDef);
  const char sign_only[] = "+\0";
  EXPECT_EQ(parse_index_key(sign_only, sizeof(sign_only), lookup).status().error(),
            Error::kIndexInvalidDef);
  const char twice[] = "+alpha\0-Alpha\0";
  EXPECT_EQ(parse_index_key(twice, sizeof(twice), lookup).status().error(),
            Error::kIndexInvalidDef);
  // Only the first NUL counted in size: still accepted.
  Result<std::vector<IndexSegment>> short_size = parse_index_key("+beta", 6, lookup);
  ASSERT_TRUE(short_size.ok());
  EXPECT_EQ(short_size->size(), 1u);

  std::vector<ColumnDef> many;
  std::string many_key;
  for (std::uint32_t id = 1; id <= 17; ++id) {
    many.push_back(make_column("c" + std::to_string(id), id, ColumnType::kLong));
    many_key += "+c" + std::to_string(id) + '\0';
  }
  many_key += '\0';
  EXPECT_EQ(parse_index_key(many_key.data(), static_cast<std::uint32_t>(many_key.size()),
                            make_column_lookup(many))
                .status()
                .error(),
            Error::kTooManyKeys);
}

TEST(SchemaTest, ValidateIndexDef) {
  std::vector<ColumnDef> columns = {make_column("a", 1, ColumnType::kLong),
                                    make_column("b", 128, ColumnType::kText)};
  columns.push_back(make_column("gone", 2, ColumnType::kLong));
  columns.back().deleted = true;
  IndexDef index;
  index.name = "primary";
  index.segments = {{1, false}, {128, true}};
  index.flags = index_flags::kPrimary | index_flags::kUnique;
  Result<IndexDef> valid = validate_index_def(index, columns, 2000);
  ASSERT_TRUE(valid.ok());
  EXPECT_EQ(valid->density, 80u);
  EXPECT_EQ(valid->lcid, 1033u);
  EXPECT_EQ(valid->max_key_bytes, 255u);

  IndexDef ignore = index;
  ignore.flags |= index_flags::kIgnoreAnyNull;
  EXPECT_EQ(validate_index_def(ignore, columns, 2000).status().error(), Error::kIndexInvalidDef);
  IndexDef no_segments = index;
  no_segments.segments.clear();
  EXPECT_EQ(validate_index_def(no_segments, columns, 2000).status().error(),
            Error::kIndexInvalidDef);
  IndexDef deleted = index;
  deleted.segments = {{2, false}};
  EXPECT_EQ(validate_index_def(deleted, columns, 2000).status().error(), Error::kColumnNotFound);
  IndexDef too_long = index;
  too_long.max_key_bytes = 1001;
  EXPECT_EQ(validate_index_def(too_long, columns, key_most_bytes_for_page_size(4096))
                .status()
                .error(),
            Error::kIndexInvalidDef);
  IndexDef key_most = index;
  key_most.flags |= index_flags::kKeyMost;
  EXPECT_EQ(validate_index_def(key_most, columns, key_most_bytes_for_page_size(8192))
                ->max_key_bytes,
            2000u);
  IndexDef bad_density = index;
  bad_density.density = 10;
  EXPECT_EQ(validate_index_def(bad_density, columns, 2000).status().error(),
            Error::kInvalidParameter);
  IndexDef bad_flags = index;
  bad_flags.flags |= 0x01000000;
  EXPECT_EQ(validate_index_def(bad_flags, columns, 2000).status().error(), Error::kInvalidGrbit);
  EXPECT_EQ(key_most_bytes_for_page_size(4096), 1000u);
  EXPECT_EQ(key_most_bytes_for_page_size(32768), 2000u);
}

}  // namespace
}  // namespace esent::catalog
