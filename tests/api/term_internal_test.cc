// JET_errTermInProgress, deterministically: the engine's termination seam runs the calls
// while JetTerm is inside the instance (ESE: ErrAPIEnter sees the instance terminating).
// Linked against the static libraries so the seam is reachable; the calls are the public ones.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <utility>

#include "api/jet.h"
#include "engine/registry.h"

namespace {

TEST(TermInternal, CallsMadeWhileTermRunsGetTermInProgress) {
  char folder_template[] = "/tmp/esent-term-XXXXXX";
  ASSERT_NE(mkdtemp(folder_template), nullptr);
  std::string folder = std::string(folder_template) + "/";

  JET_INSTANCE instance = 0;
  ASSERT_EQ(JET_errSuccess, JetCreateInstance(&instance, "term-internal"));
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameter(&instance, 0, JET_paramSystemPath, 0, folder.c_str()));
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameter(&instance, 0, JET_paramLogFilePath, 0, folder.c_str()));
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameter(&instance, 0, JET_paramRecovery, 0, "off"));
  ASSERT_EQ(JET_errSuccess, JetInit(&instance));
  JET_SESID session = 0;
  ASSERT_EQ(JET_errSuccess, JetBeginSession(instance, &session, nullptr, nullptr));

  JET_ERR begin_session = JET_errSuccess;
  JET_ERR term_again = JET_errSuccess;
  JET_ERR end_session = JET_errSuccess;
  JET_ERR get_version = JET_errSuccess;
  auto engine_instance = esent::engine::Registry::process().find_instance(instance);
  ASSERT_NE(engine_instance, nullptr);
  engine_instance->set_term_observer([&] {
    JET_SESID another = 0;
    begin_session = JetBeginSession(instance, &another, nullptr, nullptr);
    term_again = JetTerm(instance);
    end_session = JetEndSession(session, 0);
    JET_UINT32 version = 0;
    get_version = JetGetVersion(session, &version);
  });

  ASSERT_EQ(JET_errSuccess, JetTerm2(instance, JET_bitTermComplete));
  EXPECT_EQ(JET_errTermInProgress, begin_session);
  EXPECT_EQ(JET_errTermInProgress, term_again);
  EXPECT_EQ(JET_errTermInProgress, end_session);
  EXPECT_EQ(JET_errTermInProgress, get_version);
  EXPECT_EQ(JET_errInvalidInstance, JetTerm(instance)) << "afterwards the handle is stale";
  EXPECT_EQ(JET_errInvalidSesid, JetEndSession(session, 0));
  std::string remove = "rm -rf '" + std::string(folder_template) + "'";
  EXPECT_EQ(0, std::system(remove.c_str()));
}

// No process-wide lock: while a call is held inside instance A (here JetTerm, stopped in its
// seam), calls on instance B proceed.
TEST(TermInternal, ACallHeldInOneInstanceDoesNotBlockAnother) {
  char folder_template[] = "/tmp/esent-two-XXXXXX";
  ASSERT_NE(mkdtemp(folder_template), nullptr);
  std::string folder = std::string(folder_template) + "/";
  JET_INSTANCE a = 0;
  JET_INSTANCE b = 0;
  for (auto [handle, name] : {std::pair{&a, "held-a"}, std::pair{&b, "free-b"}}) {
    ASSERT_EQ(JET_errSuccess, JetCreateInstance(handle, name));
    ASSERT_EQ(JET_errSuccess, JetSetSystemParameter(handle, 0, JET_paramSystemPath, 0, folder.c_str()));
    ASSERT_EQ(JET_errSuccess, JetSetSystemParameter(handle, 0, JET_paramLogFilePath, 0, folder.c_str()));
    ASSERT_EQ(JET_errSuccess, JetSetSystemParameter(handle, 0, JET_paramRecovery, 0, "off"));
    ASSERT_EQ(JET_errSuccess, JetInit(handle));
  }
  JET_ERR begin_on_b = JET_errInternalError;
  JET_ERR end_on_b = JET_errInternalError;
  auto held = esent::engine::Registry::process().find_instance(a);
  ASSERT_NE(held, nullptr);
  held->set_term_observer([&] {
    JET_SESID session = 0;
    begin_on_b = JetBeginSession(b, &session, nullptr, nullptr);
    end_on_b = JetEndSession(session, 0);
  });
  ASSERT_EQ(JET_errSuccess, JetTerm(a));
  EXPECT_EQ(JET_errSuccess, begin_on_b);
  EXPECT_EQ(JET_errSuccess, end_on_b);
  EXPECT_EQ(JET_errSuccess, JetTerm(b));
  std::string remove = "rm -rf '" + std::string(folder_template) + "'";
  EXPECT_EQ(0, std::system(remove.c_str()));
}

}  // namespace
