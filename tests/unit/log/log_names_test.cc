#include <gtest/gtest.h>

#include "log/log_names.h"

namespace esent::log {
namespace {

TEST(LogNamesTest, DefaultNamesAreEse98WithShortNames) {
  LogNaming naming;
  EXPECT_EQ(current_log_name(naming), "edb.log");
  EXPECT_EQ(temporary_log_name(naming), "edbtmp.log");
  EXPECT_EQ(archived_log_name(naming, 10), "edb0000A.log");
  EXPECT_EQ(archived_log_name(naming, 0xFFFFF), "edbFFFFF.log");
  EXPECT_EQ(archived_log_name(naming, 0x100000), "edb00100000.log");
  EXPECT_EQ(reserve_log_name(naming, 1), "edbres00001.jrs");
  EXPECT_EQ(reserve_log_name(naming, 2), "edbres00002.jrs");
}

TEST(LogNamesTest, LegacyBitsChooseExtensionAndDigits) {
  LogNaming eight_digits{"edb", kEse98FileNamesBit};
  EXPECT_EQ(archived_log_name(eight_digits, 10), "edb0000000A.log");
  LogNaming new_names{"abc", 0};
  EXPECT_EQ(current_log_name(new_names), "abc.jtx");
  EXPECT_EQ(temporary_log_name(new_names), "abctmp.jtx");
  EXPECT_EQ(archived_log_name(new_names, 0x1F), "abc0000001F.jtx");
  EXPECT_EQ(reserve_log_name(new_names, 1), "abcres00001.jrs");
  EXPECT_EQ(join_log_path("/logs/", "edb.log"), "/logs/edb.log");
  EXPECT_EQ(join_log_path("/logs", "edb.log"), "/logs/edb.log");
}

TEST(LogNamesTest, ParsesArchivedNamesCaseInsensitively) {
  LogNaming naming;
  auto parsed = parse_archived_generation(naming, "EDB0000a.LOG");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->value_or(0), 10u);
  parsed = parse_archived_generation(naming, "edb0000000B.log");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->value_or(0), 11u);
  for (const char* other : {"edb.log", "edbtmp.log", "edbres00001.jrs", "edb0000G.log",
                            "xyz0000A.log", "edb0000A.jtx", "edb000A.log", "edb00000.log"}) {
    parsed = parse_archived_generation(naming, other);
    ASSERT_TRUE(parsed.ok()) << other;
    EXPECT_FALSE(parsed->has_value()) << other;
  }
}

TEST(LogNamesTest, FiveDigitNameInEightDigitModeIsAGenerationMismatch) {
  LogNaming naming{"edb", kEse98FileNamesBit};
  auto parsed = parse_archived_generation(naming, "edb0000A.log");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().error(), Error::kLogGenerationMismatch);
  parsed = parse_archived_generation(naming, "edb0000000A.log");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->value_or(0), 10u);
}

}  // namespace
}  // namespace esent::log
