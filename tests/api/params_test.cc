// Checks ESE jetapi.cxx JetSetSystemParameterEx/JetGetSystemParameterEx(A), ErrSetSystemParameter, CJetParam::ValidateSet/GetInteger/GetString/SetFolder/SetPath, sysparamtable.g.cxx flags and ranges, and the JetSetSystemParameter/JetGetSystemParameter docs.
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>

#include "test_dirs.h"

namespace esent_test {
namespace {

class ParamsTest : public ApiTest {};

std::string CurrentDirectoryWithSlash() {
  std::string cwd = std::filesystem::current_path().string();
  if (cwd.empty() || cwd.back() != '/') {
    cwd += '/';
  }
  return cwd;
}

TEST_F(ParamsTest, UnknownParamIdIsInvalidParameter) {
  JET_INSTANCE instance = CreateInstance("unknown");
  // 68 and 75 are retired ids (ILLEGAL_PARAM in ESE's table); 0x7FFFFFFF is past the table.
  for (std::uint32_t paramid : {std::uint32_t{68}, std::uint32_t{75}, std::uint32_t{0x7FFFFFFF}}) {
    EXPECT_EQ(JET_errInvalidParameter, JetSetSystemParameterA(&instance, 0, paramid, 1, "x"))
        << paramid;
    EXPECT_EQ(JET_errInvalidParameter, JetSetSystemParameterW(nullptr, 0, paramid, 1, u"x"))
        << paramid;
    JET_API_PTR value = 0;
    char narrow[16] = {};
    JET_WCHAR wide[16] = {};
    EXPECT_EQ(JET_errInvalidParameter,
              JetGetSystemParameterA(instance, 0, paramid, &value, narrow,
                                     static_cast<std::uint32_t>(sizeof(narrow))))
        << paramid;
    EXPECT_EQ(JET_errInvalidParameter,
              JetGetSystemParameterW(0, 0, paramid, &value, wide,
                                     static_cast<std::uint32_t>(sizeof(wide))))
        << paramid;
  }
}

TEST_F(ParamsTest, InstanceParamsStartFromGlobalsAndStayPerInstance) {
  const JET_API_PTR global_sessions = GetIntegerParam(0, JET_paramMaxSessions);
  JET_INSTANCE a = CreateInstance("a");
  JET_INSTANCE b = CreateInstance("b");
  EXPECT_EQ(global_sessions, GetIntegerParam(a, JET_paramMaxSessions));

  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&a, 0, JET_paramMaxSessions, 7, nullptr));
  EXPECT_EQ(JET_API_PTR{7}, GetIntegerParam(a, JET_paramMaxSessions));
  EXPECT_EQ(global_sessions, GetIntegerParam(b, JET_paramMaxSessions));
  EXPECT_EQ(global_sessions, GetIntegerParam(0, JET_paramMaxSessions));

  JET_API_PTR through_w = 0;
  EXPECT_EQ(JET_errSuccess,
            JetGetSystemParameterW(a, 0, JET_paramMaxSessions, &through_w, nullptr, 0));
  EXPECT_EQ(JET_API_PTR{7}, through_w);

  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterW(&b, 0, JET_paramCircularLog, 1, nullptr));
  EXPECT_EQ(JET_API_PTR{1}, GetIntegerParam(b, JET_paramCircularLog));
}

TEST_F(ParamsTest, StringParamRoundTripsThroughAAndW) {
  JET_INSTANCE instance = CreateInstance("strings");
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramBaseName, 0, "abc"));
  EXPECT_EQ("abc", GetStringParam(instance, JET_paramBaseName));

  JET_WCHAR wide[16] = {};
  ASSERT_EQ(JET_errSuccess, JetGetSystemParameterW(instance, 0, JET_paramBaseName, nullptr, wide,
                                                   static_cast<std::uint32_t>(sizeof(wide))));
  EXPECT_EQ(std::u16string(u"abc"), std::u16string(wide));

  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterW(&instance, 0, JET_paramBaseName, 0, u"xyz"));
  EXPECT_EQ("xyz", GetStringParam(instance, JET_paramBaseName));
}

TEST_F(ParamsTest, BaseNameMustHaveExactlyThreeCharacters) {
  JET_INSTANCE instance = CreateInstance("base.name");
  const std::string before = GetStringParam(instance, JET_paramBaseName);
  EXPECT_EQ(JET_errInvalidParameter,
            JetSetSystemParameterA(&instance, 0, JET_paramBaseName, 0, "ab"));
  EXPECT_EQ(JET_errInvalidParameter,
            JetSetSystemParameterA(&instance, 0, JET_paramBaseName, 0, "abcd"));
  EXPECT_EQ(JET_errInvalidParameter,
            JetSetSystemParameterA(&instance, 0, JET_paramBaseName, 0, ""));
  EXPECT_EQ(JET_errInvalidParameter,
            JetSetSystemParameterA(&instance, 0, JET_paramBaseName, 0, nullptr));
  EXPECT_EQ(JET_errInvalidParameter,
            JetSetSystemParameterW(&instance, 0, JET_paramBaseName, 0, u"ab"));
  EXPECT_EQ(before, GetStringParam(instance, JET_paramBaseName));
}

TEST_F(ParamsTest, FoldersComeBackAbsoluteSlashSeparatedWithTrailingSlash) {
  JET_INSTANCE instance = CreateInstance("folders");
  const std::string base = dir_.path();

  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramSystemPath, 0,
                                                   (base + "\\sys\\").c_str()));
  EXPECT_EQ(base + "/sys/", GetStringParam(instance, JET_paramSystemPath));

  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramLogFilePath, 0,
                                                   (base + "/logs").c_str()));
  EXPECT_EQ(base + "/logs/", GetStringParam(instance, JET_paramLogFilePath));

  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramLogFilePath, 0,
                                                   "relative\\log\\dir"));
  EXPECT_EQ(CurrentDirectoryWithSlash() + "relative/log/dir/",
            GetStringParam(instance, JET_paramLogFilePath));

  const std::u16string wide_in = Widen(base + "\\wide\\sys");
  ASSERT_EQ(JET_errSuccess,
            JetSetSystemParameterW(&instance, 0, JET_paramSystemPath, 0, wide_in.c_str()));
  JET_WCHAR wide_out[512] = {};
  ASSERT_EQ(JET_errSuccess, JetGetSystemParameterW(instance, 0, JET_paramSystemPath, nullptr,
                                                   wide_out,
                                                   static_cast<std::uint32_t>(sizeof(wide_out))));
  EXPECT_EQ(Widen(base + "/wide/sys/"), std::u16string(wide_out));
}

TEST_F(ParamsTest, TempPathKeepsABareFileNameAndCompletesFolders) {
  JET_INSTANCE instance = CreateInstance("temp.path");
  const std::string base = dir_.path();

  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramTempPath, 0,
                                                   (base + "\\scratch\\").c_str()));
  EXPECT_EQ(base + "/scratch/", GetStringParam(instance, JET_paramTempPath));

  // A bare file name stays as given; ESE places it in the system path at JetInit.
  ASSERT_EQ(JET_errSuccess,
            JetSetSystemParameterA(&instance, 0, JET_paramTempPath, 0, "mytemp.edb"));
  EXPECT_EQ("mytemp.edb", GetStringParam(instance, JET_paramTempPath));
}

TEST_F(ParamsTest, OverlongPathIsInvalidParameter) {
  JET_INSTANCE instance = CreateInstance("long.path");
  const std::string before = GetStringParam(instance, JET_paramSystemPath);
  const std::string too_long = dir_.path() + "/" + std::string(300, 'a') + "/";
  EXPECT_EQ(JET_errInvalidParameter,
            JetSetSystemParameterA(&instance, 0, JET_paramSystemPath, 0, too_long.c_str()));
  EXPECT_EQ(before, GetStringParam(instance, JET_paramSystemPath));
}

TEST_F(ParamsTest, GetWithoutTheNeededOutputIsInvalidParameter) {
  JET_INSTANCE instance = CreateInstance("no.output");
  char narrow[16] = {};
  JET_WCHAR wide[16] = {};

  // String parameter: no buffer, or a buffer of size 0.
  EXPECT_EQ(JET_errInvalidParameter,
            JetGetSystemParameterA(instance, 0, JET_paramBaseName, nullptr, nullptr, 0));
  EXPECT_EQ(JET_errInvalidParameter,
            JetGetSystemParameterA(instance, 0, JET_paramBaseName, nullptr, nullptr, 16));
  EXPECT_EQ(JET_errInvalidParameter,
            JetGetSystemParameterA(instance, 0, JET_paramBaseName, nullptr, narrow, 0));
  EXPECT_EQ(JET_errInvalidParameter,
            JetGetSystemParameterW(instance, 0, JET_paramBaseName, nullptr, nullptr, 0));
  EXPECT_EQ(JET_errInvalidParameter,
            JetGetSystemParameterW(instance, 0, JET_paramBaseName, nullptr, wide, 0));

  // Integer parameter: no plParam.
  EXPECT_EQ(JET_errInvalidParameter,
            JetGetSystemParameterA(instance, 0, JET_paramMaxSessions, nullptr, narrow,
                                   static_cast<std::uint32_t>(sizeof(narrow))));
  EXPECT_EQ(JET_errInvalidParameter,
            JetGetSystemParameterW(0, 0, JET_paramMaxSessions, nullptr, nullptr, 0));
}

// cbMax counts bytes for both entry points, including the terminating NUL.
TEST_F(ParamsTest, StringBufferTooSmallIsBufferTooSmallAndNothingIsWrittenPastCbMax) {
  JET_INSTANCE instance = CreateInstance("small.buffer");
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramBaseName, 0, "abc"));

  char narrow[8];
  std::memset(narrow, 'Z', sizeof(narrow));
  EXPECT_EQ(JET_errBufferTooSmall,
            JetGetSystemParameterA(instance, 0, JET_paramBaseName, nullptr, narrow, 3));
  std::memset(narrow, 'Z', sizeof(narrow));
  EXPECT_EQ(JET_errSuccess,
            JetGetSystemParameterA(instance, 0, JET_paramBaseName, nullptr, narrow, 4));
  EXPECT_STREQ("abc", narrow);
  EXPECT_EQ('Z', narrow[4]);

  JET_WCHAR wide[8];
  for (JET_WCHAR& unit : wide) {
    unit = u'\xFFFF';
  }
  EXPECT_EQ(JET_errBufferTooSmall,
            JetGetSystemParameterW(instance, 0, JET_paramBaseName, nullptr, wide, 6));
  for (JET_WCHAR& unit : wide) {
    unit = u'\xFFFF';
  }
  EXPECT_EQ(JET_errSuccess,
            JetGetSystemParameterW(instance, 0, JET_paramBaseName, nullptr, wide, 8));
  EXPECT_EQ(std::u16string(u"abc"), std::u16string(wide));
  EXPECT_EQ(u'\xFFFF', wide[4]);
}

TEST_F(ParamsTest, InstanceParamsAreFixedOnceInitialized) {
  JET_INSTANCE instance = InitInstance("fixed");
  const std::string system_path = GetStringParam(instance, JET_paramSystemPath);
  const std::string log_path = GetStringParam(instance, JET_paramLogFilePath);
  const std::string base_name = GetStringParam(instance, JET_paramBaseName);
  const std::string elsewhere = dir_.Sub("elsewhere");
  const char* other_base_name = base_name == "zzz" ? "yyy" : "zzz";
  const JET_API_PTR circular = GetIntegerParam(instance, JET_paramCircularLog);

  EXPECT_EQ(JET_errAlreadyInitialized,
            JetSetSystemParameterA(&instance, 0, JET_paramSystemPath, 0, elsewhere.c_str()));
  EXPECT_EQ(JET_errAlreadyInitialized,
            JetSetSystemParameterA(&instance, 0, JET_paramLogFilePath, 0, elsewhere.c_str()));
  EXPECT_EQ(JET_errAlreadyInitialized,
            JetSetSystemParameterA(&instance, 0, JET_paramBaseName, 0, other_base_name));
  EXPECT_EQ(JET_errAlreadyInitialized,
            JetSetSystemParameterA(&instance, 0, JET_paramRecovery, 0, "on"));
  EXPECT_EQ(JET_errAlreadyInitialized,
            JetSetSystemParameterA(&instance, 0, JET_paramCircularLog,
                                   circular == 0 ? JET_API_PTR{1} : JET_API_PTR{0}, nullptr));

  EXPECT_EQ(system_path, GetStringParam(instance, JET_paramSystemPath));
  EXPECT_EQ(log_path, GetStringParam(instance, JET_paramLogFilePath));
  EXPECT_EQ(base_name, GetStringParam(instance, JET_paramBaseName));
}

TEST_F(ParamsTest, DynamicParamCanChangeAfterInit) {
  JET_INSTANCE instance = InitInstance("dynamic");
  const JET_API_PTR before = GetIntegerParam(instance, JET_paramDbExtensionSize);
  const JET_API_PTR wanted = before == JET_API_PTR{1024} ? JET_API_PTR{2048} : JET_API_PTR{1024};
  EXPECT_EQ(JET_errSuccess,
            JetSetSystemParameterA(&instance, 0, JET_paramDbExtensionSize, wanted, nullptr));
  EXPECT_EQ(wanted, GetIntegerParam(instance, JET_paramDbExtensionSize));
}

TEST_F(ParamsTest, GlobalParamSetThroughAnInstanceIsSeenEverywhere) {
  const JET_API_PTR before = GetIntegerParam(0, JET_paramCacheSizeMax);
  JET_INSTANCE a = CreateInstance("a");
  JET_INSTANCE b = InitInstance("b");
  const JET_API_PTR wanted = before == JET_API_PTR{4096} ? JET_API_PTR{8192} : JET_API_PTR{4096};

  EXPECT_EQ(JET_errSuccess, JetSetSystemParameterA(&a, 0, JET_paramCacheSizeMax, wanted, nullptr));
  EXPECT_EQ(wanted, GetIntegerParam(0, JET_paramCacheSizeMax));
  EXPECT_EQ(wanted, GetIntegerParam(a, JET_paramCacheSizeMax));
  EXPECT_EQ(wanted, GetIntegerParam(b, JET_paramCacheSizeMax));

  EXPECT_EQ(JET_errSuccess,
            JetSetSystemParameterA(nullptr, 0, JET_paramCacheSizeMax, before, nullptr));
  EXPECT_EQ(before, GetIntegerParam(b, JET_paramCacheSizeMax));
}

TEST_F(ParamsTest, ProcessWideParamsAreFixedOnceAnInstanceExists) {
  JET_INSTANCE instance = CreateInstance("exists");
  const JET_API_PTR page_size = GetIntegerParam(0, JET_paramDatabasePageSize);
  const JET_API_PTR other_page_size =
      page_size == JET_API_PTR{8192} ? JET_API_PTR{4096} : JET_API_PTR{8192};
  EXPECT_EQ(JET_errAlreadyInitialized, JetSetSystemParameterA(&instance, 0,
                                                              JET_paramDatabasePageSize,
                                                              other_page_size, nullptr));
  EXPECT_EQ(JET_errAlreadyInitialized, JetSetSystemParameterA(nullptr, 0,
                                                              JET_paramDatabasePageSize,
                                                              other_page_size, nullptr));
  const JET_API_PTR max_instances = GetIntegerParam(0, JET_paramMaxInstances);
  EXPECT_EQ(JET_errAlreadyInitialized, JetSetSystemParameterA(nullptr, 0, JET_paramMaxInstances,
                                                              max_instances + 1, nullptr));

  EXPECT_EQ(page_size, GetIntegerParam(0, JET_paramDatabasePageSize));
  EXPECT_EQ(page_size, GetIntegerParam(instance, JET_paramDatabasePageSize));
  EXPECT_EQ(max_instances, GetIntegerParam(0, JET_paramMaxInstances));
}

TEST_F(ParamsTest, IntegerOutsideItsRangeIsInvalidParameter) {
  JET_INSTANCE instance = CreateInstance("range");
  const JET_API_PTR before = GetIntegerParam(instance, JET_paramMaxSessions);
  EXPECT_EQ(JET_errInvalidParameter,
            JetSetSystemParameterA(&instance, 0, JET_paramMaxSessions, 30001, nullptr));
  EXPECT_EQ(before, GetIntegerParam(instance, JET_paramMaxSessions));
}

TEST_F(ParamsTest, ReadOnlyParamCannotBeSet) {
  JET_INSTANCE instance = CreateInstance("read.only");
  const JET_API_PTR max_coltyp = GetIntegerParam(instance, JET_paramMaxColtyp);
  EXPECT_GT(max_coltyp, JET_API_PTR{0});
  EXPECT_EQ(JET_errInvalidParameter,
            JetSetSystemParameterA(&instance, 0, JET_paramMaxColtyp, max_coltyp + 1, nullptr));
  EXPECT_EQ(max_coltyp, GetIntegerParam(instance, JET_paramMaxColtyp));
}

TEST_F(ParamsTest, TerminatedOrNeverIssuedInstanceIsInvalidInstance) {
  CreateInstance("keeper");
  JET_INSTANCE stale = CreateInstance("stale");
  ASSERT_EQ(JET_errSuccess, JetTerm(stale));

  for (JET_INSTANCE bad : {stale, kGarbageInstance}) {
    JET_INSTANCE target = bad;
    EXPECT_EQ(JET_errInvalidInstance,
              JetSetSystemParameterA(&target, 0, JET_paramMaxSessions, 5, nullptr));
    EXPECT_EQ(JET_errInvalidInstance,
              JetSetSystemParameterW(&target, 0, JET_paramBaseName, 0, u"abc"));
    JET_API_PTR value = 0;
    EXPECT_EQ(JET_errInvalidInstance,
              JetGetSystemParameterA(bad, 0, JET_paramMaxSessions, &value, nullptr, 0));
    EXPECT_EQ(JET_errInvalidInstance,
              JetGetSystemParameterW(bad, 0, JET_paramMaxSessions, &value, nullptr, 0));
  }
}

TEST_F(ParamsTest, NullOrZeroInstanceAddressesTheGlobalDefaults) {
  const JET_API_PTR global_before = GetIntegerParam(0, JET_paramMaxVerPages);
  JET_INSTANCE existing = CreateInstance("existing");
  const JET_API_PTR wanted =
      global_before == JET_API_PTR{100} ? JET_API_PTR{200} : JET_API_PTR{100};

  JET_INSTANCE zero = 0;
  ASSERT_EQ(JET_errSuccess,
            JetSetSystemParameterA(&zero, 0, JET_paramMaxVerPages, wanted, nullptr));
  EXPECT_EQ(wanted, GetIntegerParam(0, JET_paramMaxVerPages));
  // An instance keeps the copy it took when it was created.
  EXPECT_EQ(global_before, GetIntegerParam(existing, JET_paramMaxVerPages));
  JET_INSTANCE later = CreateInstance("later");
  EXPECT_EQ(wanted, GetIntegerParam(later, JET_paramMaxVerPages));

  EXPECT_EQ(JET_errSuccess,
            JetSetSystemParameterW(nullptr, 0, JET_paramMaxVerPages, global_before, nullptr));
  EXPECT_EQ(global_before, GetIntegerParam(0, JET_paramMaxVerPages));
  EXPECT_EQ(wanted, GetIntegerParam(later, JET_paramMaxVerPages));
}

}  // namespace
}  // namespace esent_test
