// The strings of the A functions are UTF-8 and those of the W functions UTF-16 (docs/compat.md,
// "Deliberate differences"): the same name reaches the same object through either face, and
// ill-formed text is JET_errInvalidName in a name, JET_errInvalidPath in a path.
#include <string>

#include "bad_input.h"

namespace esent_test::bad_input {
namespace {

class Utf8Strings : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(f_.Build(/*other_instance=*/false, /*with_log=*/false)); }
  Fixture f_;
};

TEST_F(Utf8Strings, AnANameIsUtf8AndReachesTheSameTableAsTheWName) {
  // "Tä€𝄞": 2-, 3- and 4-byte UTF-8 sequences; a surrogate pair in UTF-16.
  const char* utf8 = "T\xC3\xA4\xE2\x82\xAC\xF0\x9D\x84\x9E";
  const std::u16string utf16 = u"T\u00E4\u20AC\U0001D11E";
  JET_TABLEID created = 0;
  ASSERT_EQ(JET_errSuccess, JetCreateTableA(f_.sesid, f_.dbid, utf8, 0, 0, &created));
  ASSERT_EQ(JET_errSuccess, JetCloseTable(f_.sesid, created));
  JET_TABLEID opened = 0;
  ASSERT_EQ(JET_errSuccess, JetOpenTableW(f_.sesid, f_.dbid, utf16.c_str(), nullptr, 0, 0, &opened));
  JET_WCHAR name[JET_cbNameMost + 1] = {};
  ASSERT_EQ(JET_errSuccess, JetGetTableInfoW(f_.sesid, opened, name, sizeof(name), JET_TblInfoName));
  EXPECT_EQ(utf16, std::u16string(name));
  char name_a[JET_cbNameMost + 1] = {};
  ASSERT_EQ(JET_errSuccess, JetGetTableInfoA(f_.sesid, opened, name_a, sizeof(name_a), JET_TblInfoName));
  EXPECT_EQ(std::string(utf8), std::string(name_a));
  EXPECT_EQ(JET_errSuccess, JetCloseTable(f_.sesid, opened));
}

TEST_F(Utf8Strings, IllFormedUtf8IsInvalidNameInANameAndInvalidPathInAPath) {
  // A stray continuation byte, a truncated sequence, an overlong '/', an encoded surrogate.
  for (const char* bad : {"t\x80", "t\xE2\x82", "t\xC0\xAF", "t\xED\xA0\x80"}) {
    SCOPED_TRACE(bad);
    JET_TABLEID tableid = 0;
    EXPECT_EQ(JET_errInvalidName, JetCreateTableA(f_.sesid, f_.dbid, bad, 0, 0, &tableid));
    EXPECT_EQ(JET_errInvalidName, JetOpenTableA(f_.sesid, f_.dbid, bad, nullptr, 0, 0, &tableid));
    JET_COLUMNDEF def{};
    def.cbStruct = sizeof(def);
    def.coltyp = JET_coltypLong;
    JET_COLUMNID columnid = 0;
    EXPECT_EQ(JET_errInvalidName, JetAddColumnA(f_.sesid, f_.tableid, bad, &def, nullptr, 0, &columnid));
    const std::string path = f_.folder + bad + ".edb";
    JET_DBID dbid = 0;
    EXPECT_EQ(JET_errInvalidPath, JetCreateDatabaseA(f_.sesid, path.c_str(), nullptr, &dbid, 0));
    JET_DBINFOMISC info{};
    EXPECT_EQ(JET_errInvalidPath, JetGetDatabaseFileInfoA(path.c_str(), &info, sizeof(info), JET_DbInfoMisc));
  }
  EXPECT_TRUE(f_.Usable());
}

TEST_F(Utf8Strings, ALoneSurrogateIsInvalidNameInANameAndInvalidPathInAPath) {
  for (char16_t lone : {char16_t{0xD800}, char16_t{0xDFFF}}) {
    const std::u16string name = std::u16string(u"t") + lone;
    JET_TABLEID tableid = 0;
    EXPECT_EQ(JET_errInvalidName, JetCreateTableW(f_.sesid, f_.dbid, name.c_str(), 0, 0, &tableid));
    EXPECT_EQ(JET_errInvalidName, JetOpenTableW(f_.sesid, f_.dbid, name.c_str(), nullptr, 0, 0, &tableid));
    const std::u16string path = Widen(f_.folder + "x") + lone + u".edb";
    JET_DBID dbid = 0;
    EXPECT_EQ(JET_errInvalidPath, JetCreateDatabaseW(f_.sesid, path.c_str(), nullptr, &dbid, 0));
  }
  EXPECT_TRUE(f_.Usable());
}

}  // namespace
}  // namespace esent_test::bad_input
