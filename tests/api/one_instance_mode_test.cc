// Checks ESE jetapi.cxx JetInitEx/RUNINSTSetModeOneInst/ErrFindPinst/ErrRUNINSTCheckOneInstMode/FreePinst (legacy one-instance mode and its reset) and the JetInit/JetCreateInstance/JetEnableMultiInstance docs. Built as its own executable.
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "test_dirs.h"

namespace esent_test {
namespace {

// Every test starts with no instance in the process and leaves none behind. The legacy instance
// takes its paths from the global defaults, which SetUp points at a fresh folder.
class OneInstanceModeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = dir_.Sub("legacy");
    ASSERT_EQ(JET_errSuccess, SetInstancePaths(0, folder_));
  }

  void TearDown() override { static_cast<void>(JetTerm2(0, JET_bitTermAbrupt)); }

  TestDir dir_;
  std::string folder_;
};

TEST_F(OneInstanceModeTest, InitWithNullStartsTheLegacyInstance) {
  ASSERT_EQ(JET_errSuccess, JetInit(nullptr));
  JET_SESID sesid = 0;
  EXPECT_EQ(JET_errSuccess, JetBeginSessionA(0, &sesid, nullptr, nullptr));
  EXPECT_EQ(JET_errSuccess, JetEndSession(sesid, 0));
  EXPECT_EQ(JET_errSuccess, JetTerm(0));
}

TEST_F(OneInstanceModeTest, InitWithZeroOrNilHandleReturnsTheInstance) {
  JET_INSTANCE from_zero = 0;
  ASSERT_EQ(JET_errSuccess, JetInit(&from_zero));
  EXPECT_NE(JET_INSTANCE{0}, from_zero);
  EXPECT_NE(kNilInstance, from_zero);
  JET_SESID sesid = 0;
  EXPECT_EQ(JET_errSuccess, JetBeginSessionA(from_zero, &sesid, nullptr, nullptr));
  EXPECT_EQ(JET_errSuccess, JetEndSession(sesid, 0));
  EXPECT_EQ(JET_errSuccess, JetTerm(from_zero));

  JET_INSTANCE from_nil = kNilInstance;
  ASSERT_EQ(JET_errSuccess, JetInit2(&from_nil, 0));
  EXPECT_NE(JET_INSTANCE{0}, from_nil);
  EXPECT_NE(kNilInstance, from_nil);
  EXPECT_EQ(JET_errSuccess, JetTerm2(from_nil, JET_bitTermComplete));
}

TEST_F(OneInstanceModeTest, SecondInitIsAlreadyInitialized) {
  JET_INSTANCE instance = 0;
  ASSERT_EQ(JET_errSuccess, JetInit(&instance));
  EXPECT_EQ(JET_errAlreadyInitialized, JetInit(nullptr));
  JET_INSTANCE another = 0;
  EXPECT_EQ(JET_errAlreadyInitialized, JetInit(&another));
  JET_INSTANCE same = instance;
  EXPECT_EQ(JET_errAlreadyInitialized, JetInit2(&same, 0));

  // The running instance is untouched.
  JET_SESID sesid = 0;
  EXPECT_EQ(JET_errSuccess, JetBeginSessionA(instance, &sesid, nullptr, nullptr));
  EXPECT_EQ(JET_errSuccess, JetEndSession(sesid, 0));
  EXPECT_EQ(JET_errSuccess, JetTerm(instance));
}

TEST_F(OneInstanceModeTest, MultiInstanceCallsAreRunningInOneInstanceMode) {
  ASSERT_EQ(JET_errSuccess, JetInit(nullptr));

  JET_INSTANCE created = 0;
  EXPECT_EQ(JET_errRunningInOneInstanceMode,
            JetCreateInstanceA(&created, UniqueName("refused").c_str()));
  EXPECT_EQ(kNilInstance, created);
  created = 0;
  EXPECT_EQ(JET_errRunningInOneInstanceMode,
            JetCreateInstance2W(&created, u"libesent.refused.wide", nullptr, 0));
  EXPECT_EQ(kNilInstance, created);

  std::uint32_t succeeded = 99;
  EXPECT_EQ(JET_errRunningInOneInstanceMode, JetEnableMultiInstanceA(nullptr, 0, &succeeded));
  EXPECT_EQ(0u, succeeded);
  EXPECT_EQ(JET_errRunningInOneInstanceMode, JetEnableMultiInstanceW(nullptr, 0, nullptr));

  EXPECT_EQ(JET_errSuccess, JetTerm(0));
}

TEST_F(OneInstanceModeTest, InstanceArgumentIsIgnoredButStillValidated) {
  JET_INSTANCE instance = 0;
  ASSERT_EQ(JET_errSuccess, JetInit(&instance));

  JET_SESID by_zero = 0;
  JET_SESID by_nil = 0;
  EXPECT_EQ(JET_errSuccess, JetBeginSessionA(0, &by_zero, nullptr, nullptr));
  EXPECT_EQ(JET_errSuccess, JetBeginSessionW(kNilInstance, &by_nil, nullptr, nullptr));
  JET_SIGNATURE signature{};
  EXPECT_EQ(JET_errSuccess,
            JetGetInstanceMiscInfo(0, &signature, static_cast<std::uint32_t>(sizeof(signature)),
                                   JET_InstanceMiscInfoLogSignature));

  // A handle that was never issued is still rejected, and the instance survives it.
  EXPECT_EQ(JET_errInvalidInstance, JetTerm(kGarbageInstance));
  EXPECT_EQ(JET_errSuccess, JetEndSession(by_zero, 0));
  EXPECT_EQ(JET_errSuccess, JetEndSession(by_nil, 0));
  EXPECT_EQ(JET_errSuccess, JetTerm(kNilInstance));
}

TEST_F(OneInstanceModeTest, NullInstanceParamsReachTheLegacyInstanceOnceRunning) {
  const std::string old_base_name = GetStringParam(0, JET_paramBaseName);
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(nullptr, 0, JET_paramBaseName, 0, "abc"));
  ASSERT_EQ(JET_errSuccess, JetInit(nullptr));

  EXPECT_EQ("abc", GetStringParam(0, JET_paramBaseName));
  EXPECT_EQ(folder_, GetStringParam(0, JET_paramSystemPath));
  EXPECT_EQ(JET_errAlreadyInitialized,
            JetSetSystemParameterA(nullptr, 0, JET_paramBaseName, 0, "xyz"));
  const std::string elsewhere = dir_.Sub("elsewhere");
  EXPECT_EQ(JET_errAlreadyInitialized,
            JetSetSystemParameterA(nullptr, 0, JET_paramSystemPath, 0, elsewhere.c_str()));
  EXPECT_EQ("abc", GetStringParam(0, JET_paramBaseName));

  EXPECT_EQ(JET_errSuccess, JetTerm(0));
  EXPECT_EQ(JET_errSuccess,
            JetSetSystemParameterA(nullptr, 0, JET_paramBaseName, 0, old_base_name.c_str()));
}

TEST_F(OneInstanceModeTest, StopServiceStopsTheLegacyInstance) {
  ASSERT_EQ(JET_errSuccess, JetInit(nullptr));
  JET_SESID sesid = 0;
  ASSERT_EQ(JET_errSuccess, JetBeginSessionA(0, &sesid, nullptr, nullptr));

  EXPECT_EQ(JET_errSuccess, JetStopService());

  JET_SESID another = 0;
  EXPECT_EQ(JET_errClientRequestToStopJetService,
            JetBeginSessionA(0, &another, nullptr, nullptr));
  std::uint32_t version = 0;
  EXPECT_EQ(JET_errClientRequestToStopJetService, JetGetVersion(sesid, &version));
  EXPECT_EQ(JET_errSuccess, JetEndSession(sesid, 0));
  EXPECT_EQ(JET_errSuccess, JetTerm(0));
}

TEST_F(OneInstanceModeTest, StopServiceWithoutAnInstanceIsInvalidParameter) {
  EXPECT_EQ(JET_errInvalidParameter, JetStopService());
}

TEST_F(OneInstanceModeTest, AfterTermTheLegacyInstanceAndItsSessionsAreGone) {
  JET_INSTANCE instance = 0;
  ASSERT_EQ(JET_errSuccess, JetInit(&instance));
  JET_SESID sesid = 0;
  ASSERT_EQ(JET_errSuccess, JetBeginSessionA(instance, &sesid, nullptr, nullptr));

  ASSERT_EQ(JET_errSuccess, JetTerm(0));

  EXPECT_EQ(JET_errInvalidSesid, JetEndSession(sesid, 0));
  JET_SESID another = 0;
  EXPECT_EQ(JET_errInvalidInstance, JetBeginSessionA(instance, &another, nullptr, nullptr));
  EXPECT_EQ(JET_errInvalidParameter, JetBeginSessionA(0, &another, nullptr, nullptr));
  EXPECT_EQ(JET_errInvalidParameter, JetTerm(0));
}

// ESE's FreePinst puts the engine back in "no mode" when the last instance goes away, so the
// process may switch between legacy and multi-instance mode, and process-wide parameters become
// writable again.
TEST_F(OneInstanceModeTest, ModeResetsWhenTheLastInstanceTerminates) {
  ASSERT_EQ(JET_errSuccess, JetInit(nullptr));
  ASSERT_EQ(JET_errSuccess, JetTerm(0));

  // No mode: the page size is checked (5000 is not a power of two) instead of refused.
  EXPECT_EQ(JET_errInvalidParameter,
            JetSetSystemParameterA(nullptr, 0, JET_paramDatabasePageSize, 5000, nullptr));

  JET_INSTANCE multi = 0;
  ASSERT_EQ(JET_errSuccess, JetCreateInstanceA(&multi, UniqueName("multi").c_str()));
  EXPECT_EQ(JET_errAlreadyInitialized,
            JetSetSystemParameterA(nullptr, 0, JET_paramDatabasePageSize, 5000, nullptr));
  EXPECT_EQ(JET_errRunningInMultiInstanceMode, JetInit(nullptr));
  EXPECT_EQ(JET_errSuccess, JetTerm(multi));

  ASSERT_EQ(JET_errSuccess, JetInit(nullptr));
  EXPECT_EQ(JET_errSuccess, JetTerm(0));
}

TEST_F(OneInstanceModeTest, InstanceInfoListsNothingThenTheUnnamedLegacyInstance) {
  std::uint32_t count = 99;
  JET_INSTANCE_INFO_A placeholder{};
  JET_INSTANCE_INFO_A* none = &placeholder;
  ASSERT_EQ(JET_errSuccess, JetGetInstanceInfoA(&count, &none));
  EXPECT_EQ(0u, count);
  EXPECT_EQ(nullptr, none);

  JET_INSTANCE instance = 0;
  ASSERT_EQ(JET_errSuccess, JetInit(&instance));
  JET_INSTANCE_INFO_W* infos = nullptr;
  ASSERT_EQ(JET_errSuccess, JetGetInstanceInfoW(&count, &infos));
  ASSERT_EQ(1u, count);
  ASSERT_NE(nullptr, infos);
  EXPECT_EQ(instance, infos[0].hInstanceId);
  EXPECT_EQ(nullptr, infos[0].szInstanceName);
  EXPECT_EQ(JET_API_PTR{0}, infos[0].cDatabases);
  EXPECT_EQ(JET_errSuccess, JetFreeBuffer(reinterpret_cast<char*>(infos)));
  EXPECT_EQ(JET_errSuccess, JetTerm(instance));
}

}  // namespace
}  // namespace esent_test
