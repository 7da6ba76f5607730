// Unit tests of src/util: UTF conversion, path normalisation, handle tables, checksums.
#include <gtest/gtest.h>

#include <memory>

#include "util/checksum.h"
#include "util/handle_table.h"
#include "util/path.h"
#include "util/status.h"
#include "util/utf.h"

namespace esent {
namespace {

TEST(Utf, RoundTripsEveryPlane) {
  std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";  // a é € 😀
  Result<std::u16string> wide = utf8_to_utf16(text);
  ASSERT_TRUE(wide.ok());
  EXPECT_EQ(*wide, u"a\u00e9\u20ac\U0001F600");
  Result<std::string> back = utf16_to_utf8(*wide);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, text);
}

TEST(Utf, RejectsIllFormedInput) {
  EXPECT_EQ(utf8_to_utf16("\xC3").status().error(), Error::kInvalidParameter);      // truncated
  EXPECT_EQ(utf8_to_utf16("\xC0\x80").status().error(), Error::kInvalidParameter);  // overlong
  EXPECT_EQ(utf8_to_utf16("\xED\xA0\x80").status().error(), Error::kInvalidParameter);  // surrogate
  const char16_t lone_high[] = {0xD800, 0};
  EXPECT_EQ(utf16_to_utf8(lone_high).status().error(), Error::kInvalidParameter);
  const char16_t lone_low[] = {0xDC00, u'a', 0};
  EXPECT_EQ(utf16_to_utf8(lone_low).status().error(), Error::kInvalidParameter);
}

TEST(Path, ReadsBackslashesAndResolvesRelativePaths) {
  EXPECT_EQ(normalize_path("logs\\edb.log", "/srv/app"), "/srv/app/logs/edb.log");
  EXPECT_EQ(normalize_path(".\\", "/srv/app"), "/srv/app/");
  EXPECT_EQ(normalize_path("/a//b/./c/../d", "/ignored"), "/a/b/d");
  EXPECT_EQ(normalize_path("..\\..\\..\\x", "/a"), "/x");
  EXPECT_EQ(normalize_folder("C\\data", "/w"), "/w/C/data/");
  EXPECT_EQ(normalize_folder("/", "/w"), "/");
}

TEST(HandleTable, StaleAndForeignHandlesAreRejected) {
  HandleTable<int> instances(HandleKind::kInstance);
  HandleTable<int> sessions(HandleKind::kSession);
  std::uint64_t first = instances.insert(std::make_shared<int>(1));
  std::uint64_t session = sessions.insert(std::make_shared<int>(2));
  EXPECT_NE(first, 0U);
  EXPECT_NE(first, ~std::uint64_t{0});
  ASSERT_NE(instances.find(first), nullptr);
  EXPECT_EQ(instances.find(session), nullptr) << "a session handle is not an instance";

  ASSERT_NE(instances.remove(first), nullptr);
  EXPECT_EQ(instances.find(first), nullptr);
  EXPECT_EQ(instances.remove(first), nullptr);

  std::uint64_t reused = instances.insert(std::make_shared<int>(3));
  EXPECT_NE(reused, first) << "a reused slot must carry a new generation";
  EXPECT_EQ(instances.find(first), nullptr);
  EXPECT_EQ(*instances.find(reused), 3);
  EXPECT_EQ(instances.size(), 1U);
}

TEST(Checksum, IdentityChangesTheChecksum) {
  const char block[] = "the same bytes";
  EXPECT_EQ(checksum64(block, sizeof block, 7), checksum64(block, sizeof block, 7));
  EXPECT_NE(checksum64(block, sizeof block, 7), checksum64(block, sizeof block, 8));
}

TEST(Status, WarningsAreSuccessesWithACode) {
  Status warning(Error::kWarnBufferTruncated);
  EXPECT_TRUE(warning.ok());
  EXPECT_TRUE(warning.is_warning());
  Status failure(Error::kInvalidPath, "no such folder");
  EXPECT_FALSE(failure.ok());
  EXPECT_EQ(failure.to_string(), "InvalidPath: no such folder");
}

}  // namespace
}  // namespace esent
