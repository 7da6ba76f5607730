// Checks ESE jetapi.cxx JetBeginSessionEx/JetEndSessionEx/JetGetVersionEx (APICALL_INST/APICALL_SESID::FEnter, JET_VALIDATE_SESID), ErrIsamEndSession, and the JetBeginSession/JetEndSession docs.
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>

#include "test_dirs.h"

namespace esent_test {
namespace {

class SessionTest : public ApiTest {};

TEST_F(SessionTest, BeginSessionOnUninitializedInstanceIsNotInitialized) {
  JET_INSTANCE instance = CreateInstance("created.only");
  JET_SESID sesid = 0;
  EXPECT_EQ(JET_errNotInitialized, JetBeginSessionA(instance, &sesid, nullptr, nullptr));
  EXPECT_EQ(JET_errNotInitialized, JetBeginSessionW(instance, &sesid, nullptr, nullptr));
}

TEST_F(SessionTest, UserNameAndPasswordAreIgnored) {
  JET_INSTANCE instance = InitInstance("credentials");
  JET_SESID plain = 0;
  JET_SESID narrow = 0;
  JET_SESID wide = 0;
  EXPECT_EQ(JET_errSuccess, JetBeginSessionA(instance, &plain, nullptr, nullptr));
  EXPECT_EQ(JET_errSuccess, JetBeginSessionA(instance, &narrow, "someone", "secret"));
  EXPECT_EQ(JET_errSuccess, JetBeginSessionW(instance, &wide, u"someone", u"secret"));

  const std::set<JET_SESID> distinct = {plain, narrow, wide};
  EXPECT_EQ(3u, distinct.size());
  for (JET_SESID sesid : distinct) {
    EXPECT_NE(JET_SESID{0}, sesid);
    EXPECT_NE(kNilSesid, sesid);
    EXPECT_EQ(JET_errSuccess, JetEndSession(sesid, 0));
  }
}

TEST_F(SessionTest, BeginSessionWithNullOutputIsInvalidParameter) {
  JET_INSTANCE instance = InitInstance("null.output");
  EXPECT_EQ(JET_errInvalidParameter, JetBeginSessionA(instance, nullptr, nullptr, nullptr));
  EXPECT_EQ(JET_errInvalidParameter, JetBeginSessionW(instance, nullptr, nullptr, nullptr));
}

TEST_F(SessionTest, MaxSessionsLimitsUserSessionsWithOutOfSessions) {
  JET_INSTANCE instance = CreateInstance("two.sessions");
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramMaxSessions, 2, nullptr));
  ASSERT_EQ(JET_errSuccess, JetInit(&instance));

  JET_SESID first = BeginSession(instance);
  JET_SESID second = BeginSession(instance);
  JET_SESID third = 0;
  EXPECT_EQ(JET_errOutOfSessions, JetBeginSessionA(instance, &third, nullptr, nullptr));

  // Ending a session gives its slot back.
  EXPECT_EQ(JET_errSuccess, JetEndSession(first, 0));
  EXPECT_EQ(JET_errSuccess, JetBeginSessionA(instance, &third, nullptr, nullptr));
  JET_SESID fourth = 0;
  EXPECT_EQ(JET_errOutOfSessions, JetBeginSessionW(instance, &fourth, nullptr, nullptr));

  EXPECT_EQ(JET_errSuccess, JetEndSession(second, 0));
  EXPECT_EQ(JET_errSuccess, JetEndSession(third, 0));
}

TEST_F(SessionTest, MaxSessionsIsFixedOnceInitialized) {
  JET_INSTANCE instance = CreateInstance("fixed");
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramMaxSessions, 3, nullptr));
  ASSERT_EQ(JET_errSuccess, JetInit(&instance));

  EXPECT_EQ(JET_errAlreadyInitialized,
            JetSetSystemParameterA(&instance, 0, JET_paramMaxSessions, 5, nullptr));
  // ESE's CJetParam::ValidateSet accepts a "change" to the value already in force.
  EXPECT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramMaxSessions, 3, nullptr));
  EXPECT_EQ(JET_API_PTR{3}, GetIntegerParam(instance, JET_paramMaxSessions));
}

TEST_F(SessionTest, EndSessionOfNeverIssuedSesidIsInvalidSesid) {
  InitInstance("keeper");
  EXPECT_EQ(JET_errInvalidSesid, JetEndSession(0, 0));
  EXPECT_EQ(JET_errInvalidSesid, JetEndSession(kNilSesid, 0));
  EXPECT_EQ(JET_errInvalidSesid, JetEndSession(kGarbageSesid, 0));
}

TEST_F(SessionTest, EndedSessionIsInvalidSesidEverywhere) {
  JET_INSTANCE instance = InitInstance("ended");
  JET_SESID sesid = BeginSession(instance);
  ASSERT_EQ(JET_errSuccess, JetEndSession(sesid, 0));

  EXPECT_EQ(JET_errInvalidSesid, JetEndSession(sesid, 0));
  std::uint32_t version = 0;
  EXPECT_EQ(JET_errInvalidSesid, JetGetVersion(sesid, &version));
  JET_API_PTR value = 0;
  EXPECT_EQ(JET_errInvalidSesid,
            JetGetSystemParameterA(instance, sesid, JET_paramMaxSessions, &value, nullptr, 0));
  EXPECT_EQ(JET_errInvalidSesid,
            JetSetSystemParameterA(&instance, sesid, JET_paramDbExtensionSize, 512, nullptr));
}

TEST_F(SessionTest, GetVersionReportsAVistaOrLaterBuild) {
  JET_INSTANCE instance = InitInstance("version");
  JET_SESID sesid = BeginSession(instance);
  std::uint32_t version = 0;
  ASSERT_EQ(JET_errSuccess, JetGetVersion(sesid, &version));
  // ESENT packs major << 28 | minor << 24 | build << 8 | service pack; managed wrappers switch to
  // the Vista-and-later entry points when the build is 6000 or more.
  EXPECT_GE((version >> 8) & 0xFFFFu, 6000u);
  EXPECT_GE(version >> 28, 6u);
  std::uint32_t again = 0;
  EXPECT_EQ(JET_errSuccess, JetGetVersion(sesid, &again));
  EXPECT_EQ(version, again);
}

TEST_F(SessionTest, GetVersionNeedsAValidSession) {
  InitInstance("keeper");
  std::uint32_t version = 0;
  EXPECT_EQ(JET_errInvalidSesid, JetGetVersion(0, &version));
  EXPECT_EQ(JET_errInvalidSesid, JetGetVersion(kNilSesid, &version));
  EXPECT_EQ(JET_errInvalidSesid, JetGetVersion(kGarbageSesid, &version));
}

// "When [sesid is] specified, the specified instance is ignored and the instance associated with
// the session will be used" (JetSetSystemParameter / JetGetSystemParameter docs; ESE
// JetSetSystemParameterEx takes PinstFromPpib(sesid) before looking at pinstance).
TEST_F(SessionTest, SessionOfInstanceAPassedWithInstanceBAddressesInstanceA) {
  JET_INSTANCE a = InitInstance("a");
  JET_INSTANCE b = InitInstance("b");
  JET_SESID session_of_a = BeginSession(a);
  const JET_API_PTR b_before = GetIntegerParam(b, JET_paramDbExtensionSize);
  const JET_API_PTR wanted =
      b_before == JET_API_PTR{512} ? JET_API_PTR{1024} : JET_API_PTR{512};

  EXPECT_EQ(JET_errSuccess, JetSetSystemParameterA(&b, session_of_a, JET_paramDbExtensionSize,
                                                   wanted, nullptr));
  EXPECT_EQ(wanted, GetIntegerParam(a, JET_paramDbExtensionSize));
  EXPECT_EQ(b_before, GetIntegerParam(b, JET_paramDbExtensionSize));

  JET_API_PTR read_through_session = 0;
  EXPECT_EQ(JET_errSuccess, JetGetSystemParameterA(b, session_of_a, JET_paramDbExtensionSize,
                                                   &read_through_session, nullptr, 0));
  EXPECT_EQ(wanted, read_through_session);
}

TEST_F(SessionTest, SessionsSurviveTermOfAnotherInstanceAndDieWithTheirOwn) {
  JET_INSTANCE a = InitInstance("a");
  JET_INSTANCE b = InitInstance("b");
  JET_SESID session_of_a = BeginSession(a);
  JET_SESID session_of_b = BeginSession(b);

  EXPECT_EQ(JET_errSuccess, JetTerm(b));
  std::uint32_t version = 0;
  EXPECT_EQ(JET_errInvalidSesid, JetGetVersion(session_of_b, &version));
  JET_API_PTR value = 0;
  EXPECT_EQ(JET_errInvalidSesid,
            JetGetSystemParameterA(a, session_of_b, JET_paramMaxSessions, &value, nullptr, 0));
  EXPECT_EQ(JET_errInvalidSesid, JetEndSession(session_of_b, 0));

  EXPECT_EQ(JET_errSuccess, JetGetVersion(session_of_a, &version));
  EXPECT_EQ(JET_errSuccess,
            JetGetSystemParameterA(a, session_of_a, JET_paramMaxSessions, &value, nullptr, 0));

  // The session of a, still open, goes away with a.
  EXPECT_EQ(JET_errSuccess, JetTerm(a));
  EXPECT_EQ(JET_errInvalidSesid, JetGetVersion(session_of_a, &version));
  EXPECT_EQ(JET_errInvalidSesid, JetEndSession(session_of_a, 0));
}

TEST_F(SessionTest, EndSessionRollsBackOpenTransactions) {
  JET_INSTANCE instance = InitInstance("rollback");
  JET_SESID sesid = BeginSession(instance);
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid));
  EXPECT_EQ(JET_errSuccess, JetEndSession(sesid, 0));
  EXPECT_EQ(JET_errInvalidSesid, JetCommitTransaction(sesid, 0));

  // Nothing is left behind that would stop a clean shutdown.
  EXPECT_EQ(JET_errSuccess, JetTerm2(instance, JET_bitTermComplete));
}

}  // namespace
}  // namespace esent_test
