// Checks ESE jetapi.cxx JetStopServiceInstanceExOld/JetStopServiceInstanceEx/JetStopService, INST::ErrAPIEnter and APICALL_SESID::FEnter (m_fStopJetService, fIgnoreStopService), and the JetStopServiceInstance(2) docs.
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>

#include "test_dirs.h"

namespace esent_test {
namespace {

class StopServiceTest : public ApiTest {};

TEST_F(StopServiceTest, StopServiceInstanceRefusesNewWorkButAllowsCleanup) {
  JET_INSTANCE instance = InitInstance("stopped");
  JET_SESID sesid = BeginSession(instance);
  JET_SESID second = BeginSession(instance);
  std::uint32_t version = 0;
  ASSERT_EQ(JET_errSuccess, JetGetVersion(sesid, &version));

  ASSERT_EQ(JET_errSuccess, JetStopServiceInstance(instance));

  JET_SESID another = 0;
  EXPECT_EQ(JET_errClientRequestToStopJetService,
            JetBeginSessionA(instance, &another, nullptr, nullptr));
  EXPECT_EQ(JET_errClientRequestToStopJetService, JetGetVersion(sesid, &version));
  EXPECT_EQ(JET_errClientRequestToStopJetService, JetGetVersion(second, &version));
  JET_SIGNATURE signature{};
  EXPECT_EQ(JET_errClientRequestToStopJetService,
            JetGetInstanceMiscInfo(instance, &signature,
                                   static_cast<std::uint32_t>(sizeof(signature)),
                                   JET_InstanceMiscInfoLogSignature));

  // The documented clean-up calls still work, and so does JetTerm, which also ends the session
  // left open.
  EXPECT_EQ(JET_errSuccess, JetEndSession(sesid, 0));
  EXPECT_EQ(JET_errInvalidSesid, JetEndSession(sesid, 0));
  EXPECT_EQ(JET_errSuccess, JetTerm(instance));
  EXPECT_EQ(JET_errInvalidSesid, JetEndSession(second, 0));
}

TEST_F(StopServiceTest, StopServiceAllBehavesLikeStopServiceInstance) {
  JET_INSTANCE instance = InitInstance("stop.all");
  JET_SESID sesid = BeginSession(instance);
  ASSERT_EQ(JET_errSuccess, JetStopServiceInstance2(instance, JET_bitStopServiceAll));

  JET_SESID another = 0;
  EXPECT_EQ(JET_errClientRequestToStopJetService,
            JetBeginSessionW(instance, &another, nullptr, nullptr));
  std::uint32_t version = 0;
  EXPECT_EQ(JET_errClientRequestToStopJetService, JetGetVersion(sesid, &version));
  EXPECT_EQ(JET_errSuccess, JetEndSession(sesid, 0));
  EXPECT_EQ(JET_errSuccess, JetTerm2(instance, JET_bitTermComplete));
}

TEST_F(StopServiceTest, ResumeCannotUndoStopServiceAll) {
  JET_INSTANCE instance = InitInstance("no.resume");
  ASSERT_EQ(JET_errSuccess, JetStopServiceInstance2(instance, JET_bitStopServiceAll));
  EXPECT_EQ(JET_errClientRequestToStopJetService,
            JetStopServiceInstance2(instance, JET_bitStopServiceResume));

  JET_SESID sesid = 0;
  EXPECT_EQ(JET_errClientRequestToStopJetService,
            JetBeginSessionA(instance, &sesid, nullptr, nullptr));
  EXPECT_EQ(JET_errSuccess, JetTerm(instance));
}

TEST_F(StopServiceTest, QuiesceAndBackgroundStopsDoNotRefuseWorkAndCanBeResumed) {
  JET_INSTANCE instance = InitInstance("quiesce");

  ASSERT_EQ(JET_errSuccess, JetStopServiceInstance2(instance, JET_bitStopServiceQuiesceCaches));
  JET_SESID sesid = BeginSession(instance);
  std::uint32_t version = 0;
  EXPECT_EQ(JET_errSuccess, JetGetVersion(sesid, &version));
  EXPECT_EQ(JET_errSuccess,
            JetStopServiceInstance2(instance,
                                    JET_bitStopServiceQuiesceCaches | JET_bitStopServiceResume));

  ASSERT_EQ(JET_errSuccess,
            JetStopServiceInstance2(instance, JET_bitStopServiceBackgroundUserTasks));
  EXPECT_EQ(JET_errSuccess, JetGetVersion(sesid, &version));
  JET_SESID another = 0;
  EXPECT_EQ(JET_errSuccess, JetBeginSessionW(instance, &another, nullptr, nullptr));
  EXPECT_EQ(JET_errSuccess, JetEndSession(another, 0));
  // JET_bitStopServiceResume alone resumes everything that was stopped.
  EXPECT_EQ(JET_errSuccess, JetStopServiceInstance2(instance, JET_bitStopServiceResume));

  EXPECT_EQ(JET_errSuccess, JetEndSession(sesid, 0));
  EXPECT_EQ(JET_errSuccess, JetTerm(instance));
}

TEST_F(StopServiceTest, UnknownStopServiceBitIsInvalidGrbitAndStopsNothing) {
  JET_INSTANCE instance = InitInstance("bad.grbit");
  EXPECT_EQ(JET_errInvalidGrbit, JetStopServiceInstance2(instance, 0x00000100));
  EXPECT_EQ(JET_errInvalidGrbit,
            JetStopServiceInstance2(instance, JET_bitStopServiceResume | 0x00000100));

  JET_SESID sesid = BeginSession(instance);
  EXPECT_EQ(JET_errSuccess, JetEndSession(sesid, 0));
}

TEST_F(StopServiceTest, StopServiceOnBadInstanceHandles) {
  CreateInstance("keeper");
  JET_INSTANCE stale = InitInstance("stale");
  ASSERT_EQ(JET_errSuccess, JetTerm(stale));

  EXPECT_EQ(JET_errInvalidInstance, JetStopServiceInstance(stale));
  EXPECT_EQ(JET_errInvalidInstance, JetStopServiceInstance2(stale, JET_bitStopServiceAll));
  EXPECT_EQ(JET_errInvalidInstance, JetStopServiceInstance(kGarbageInstance));
  EXPECT_EQ(JET_errInvalidParameter, JetStopServiceInstance(0));
  EXPECT_EQ(JET_errInvalidParameter, JetStopServiceInstance2(kNilInstance, JET_bitStopServiceAll));
}

TEST_F(StopServiceTest, StopServiceWithoutInstanceInMultiInstanceModeIsRunningInMultiInstanceMode) {
  JET_INSTANCE instance = InitInstance("multi");
  EXPECT_EQ(JET_errRunningInMultiInstanceMode, JetStopService());
  // Nothing was stopped.
  JET_SESID sesid = BeginSession(instance);
  EXPECT_EQ(JET_errSuccess, JetEndSession(sesid, 0));
}

TEST_F(StopServiceTest, StoppingOneInstanceLeavesOthersRunning) {
  JET_INSTANCE stopped = InitInstance("stopped");
  JET_INSTANCE running = InitInstance("running");
  ASSERT_EQ(JET_errSuccess, JetStopServiceInstance(stopped));

  JET_SESID sesid = 0;
  EXPECT_EQ(JET_errClientRequestToStopJetService,
            JetBeginSessionA(stopped, &sesid, nullptr, nullptr));
  EXPECT_EQ(JET_errSuccess, JetBeginSessionA(running, &sesid, nullptr, nullptr));
  EXPECT_EQ(JET_errSuccess, JetEndSession(sesid, 0));
}

}  // namespace
}  // namespace esent_test
