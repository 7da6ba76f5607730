// Checks ESE jetapi.cxx JetInitEx/ErrInit (a failed init frees the instance and clears the
// handle; JET_RSTINFO cbStruct is checked first) and the derived and special parameters
// (JET_paramKeyMost from the page size, JET_paramErrorToString, JET_paramUnicodeIndexDefault).
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "test_dirs.h"

namespace esent_test {
namespace {

class InitTest : public ApiTest {};

TEST_F(InitTest, FailedInitFreesTheInstanceAndClearsTheHandle) {
  JET_INSTANCE instance = CreateInstance("missing-folder");
  const std::string missing = dir_.path() + "/does/not/exist/";
  ASSERT_EQ(JET_errSuccess,
            JetSetSystemParameterA(&instance, 0, JET_paramLogFilePath, 0, missing.c_str()));
  const JET_INSTANCE original = instance;
  EXPECT_EQ(JET_errInvalidPath, JetInit(&instance));
  EXPECT_EQ(JET_INSTANCE{0}, instance);
  EXPECT_EQ(JET_errInvalidInstance, JetTerm(original));

  // The name is free again, and with JET_paramCreatePathIfNotExist the same folder works.
  JET_INSTANCE again = 0;
  ASSERT_EQ(JET_errSuccess, JetCreateInstanceA(&again, UniqueName("missing-folder").c_str()));
  Track(again);
  ASSERT_EQ(JET_errSuccess, SetInstancePaths(again, dir_.Sub("second")));
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&again, 0, JET_paramLogFilePath, 0, missing.c_str()));
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&again, 0, JET_paramCreatePathIfNotExist, 1, nullptr));
  EXPECT_EQ(JET_errSuccess, JetInit(&again));
}

// JET_paramRecovery "on" (ESE's default) runs recovery and the write-ahead log: JetInit
// succeeds, the log and the checkpoint appear in the instance's folders, and the instance stops
// cleanly.
TEST_F(InitTest, RecoveryOnRunsTheLog) {
  JET_INSTANCE instance = CreateInstance("recovery-on");
  const std::string folder = dir_.Sub("recovery");
  ASSERT_EQ(JET_errSuccess, SetInstancePaths(instance, folder));
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramRecovery, 0, "on"));
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramLogFileSize, 64, nullptr));
  EXPECT_EQ(JET_errSuccess, JetInit(&instance));
  EXPECT_NE(JET_INSTANCE{0}, instance);
  EXPECT_TRUE(std::filesystem::exists(folder + "edb.log"));
  EXPECT_TRUE(std::filesystem::exists(folder + "edb.chk"));
  EXPECT_EQ(JET_errSuccess, JetTerm(instance));
}

TEST_F(InitTest, RestoreInfoIsCheckedBeforeAnythingElse) {
  JET_INSTANCE instance = CreateInstance("rstinfo");
  JET_RSTINFO_A wrong_size{};
  wrong_size.cbStruct = sizeof(wrong_size) - 1;
  EXPECT_EQ(JET_errInvalidParameter, JetInit3A(&instance, &wrong_size, 0));

  JET_RSTMAP_W map{};
  JET_RSTINFO_W with_map{};
  with_map.cbStruct = sizeof(with_map);
  with_map.rgrstmap = &map;
  with_map.crstmap = 1;
  EXPECT_EQ(JET_errInvalidParameter, JetInit3W(&instance, &with_map, 0))
      << "a map entry without names";

  JET_RSTINFO_W with_stop{};
  with_stop.cbStruct = sizeof(with_stop);
  with_stop.lgposStop.lGeneration = 3;
  EXPECT_EQ(JET_errFeatureNotAvailable, JetInit3W(&instance, &with_stop, 0))
      << "replay up to a stop position is not built";

  JET_RSTINFO_W plain{};
  plain.cbStruct = sizeof(plain);
  EXPECT_EQ(JET_errSuccess, JetInit3W(&instance, &plain, 0));
}

TEST_F(InitTest, KeyMostFollowsThePageSize) {
  JET_INSTANCE instance = InitInstance("keymost");
  const JET_API_PTR page_size = GetIntegerParam(0, JET_paramDatabasePageSize);
  const JET_API_PTR expected =
      page_size <= 4096 ? JET_cbKeyMost4KBytePage : JET_cbKeyMost8KBytePage;
  EXPECT_EQ(expected, GetIntegerParam(instance, JET_paramKeyMost));
  EXPECT_EQ(JET_errInvalidParameter,
            JetSetSystemParameterA(&instance, 0, JET_paramKeyMost, 2000, nullptr))
      << "read-only";
  // The long-value chunk size: read-only, positive, smaller than a page.
  JET_API_PTR chunk = 0;
  EXPECT_EQ(JET_errSuccess,
            JetGetSystemParameterA(instance, 0, JET_paramLVChunkSizeMost, &chunk, nullptr, 0));
  EXPECT_GT(chunk, 0u);
  EXPECT_LT(chunk, page_size);
}

TEST_F(InitTest, ErrorToStringNamesTheError) {
  JET_API_PTR code = static_cast<JET_API_PTR>(static_cast<std::int64_t>(JET_errInvalidPath));
  char text[128] = {};
  ASSERT_EQ(JET_errSuccess, JetGetSystemParameterA(0, 0, JET_paramErrorToString, &code, text,
                                                   static_cast<std::uint32_t>(sizeof text)));
  EXPECT_EQ(0, std::string(text).rfind("JET_errInvalidPath, ", 0)) << text;

  JET_WCHAR wide[128] = {};
  ASSERT_EQ(JET_errSuccess, JetGetSystemParameterW(0, 0, JET_paramErrorToString, &code, wide,
                                                   static_cast<std::uint32_t>(sizeof wide)));
  EXPECT_EQ(u'J', wide[0]);
  char tiny[4] = {};
  EXPECT_EQ(JET_errBufferTooSmall,
            JetGetSystemParameterA(0, 0, JET_paramErrorToString, &code, tiny, sizeof tiny));
  EXPECT_EQ(JET_errInvalidParameter,
            JetSetSystemParameterA(nullptr, 0, JET_paramErrorToString, 0, "x"));
}

TEST_F(InitTest, UnicodeIndexDefaultRoundTripsThroughPointers) {
  JET_INSTANCE instance = CreateInstance("unicode-index");
  JET_UNICODEINDEX in{0x0409, 0x00000100};
  ASSERT_EQ(JET_errSuccess,
            JetSetSystemParameterA(&instance, 0, JET_paramUnicodeIndexDefault,
                                   reinterpret_cast<JET_API_PTR>(&in), nullptr));
  JET_UNICODEINDEX out{};
  JET_API_PTR where = reinterpret_cast<JET_API_PTR>(&out);
  ASSERT_EQ(JET_errSuccess,
            JetGetSystemParameterA(instance, 0, JET_paramUnicodeIndexDefault, &where, nullptr, 0));
  EXPECT_EQ(in.lcid, out.lcid);
  EXPECT_EQ(in.dwMapFlags, out.dwMapFlags);
  EXPECT_EQ(JET_errInvalidParameter,
            JetSetSystemParameterA(&instance, 0, JET_paramUnicodeIndexDefault, 0, nullptr));
}

}  // namespace
}  // namespace esent_test
