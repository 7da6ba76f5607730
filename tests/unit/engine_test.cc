// Unit tests of src/engine: parameter validation, instance lifecycle, the registry's modes.
#include <gtest/gtest.h>

#include <filesystem>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <sstream>
#include <vector>

#include "engine/events.h"
#include "engine/param_table.h"
#include "engine/params.h"
#include "engine/registry.h"
#include "io/file_system.h"

namespace esent::engine {
namespace {

TEST(ParamTable, KnowsEveryPublicIdAndNothingElse) {
  ASSERT_NE(find_param(param_id::kLogFilePath), nullptr);
  EXPECT_EQ(find_param(param_id::kLogFilePath)->name, "JET_paramLogFilePath");
  EXPECT_EQ(find_param(21), nullptr);   // internal in ESE
  EXPECT_EQ(find_param(232), nullptr);  // JET_paramMaxValueInvalid
  EXPECT_EQ(find_param(100000), nullptr);
  for (std::uint32_t id = 0; id < kParamIdLimit; ++id) {
    if (const ParamInfo* info = find_param(id)) {
      EXPECT_EQ(info->id, id);
    }
  }
}

TEST(ParamTable, ReadOnlyParametersAreNeverLockedByInit) {
  for (std::uint32_t id = 0; id < kParamIdLimit; ++id) {
    const ParamInfo* info = find_param(id);
    if (info != nullptr && (info->type == ParamType::kReadOnly || info->type == ParamType::kErrorToString)) {
      EXPECT_FALSE(info->fixed_after_init) << info->name;
    }
  }
}

TEST(Params, ValidatesRangesAndNormalisesPaths) {
  const ParamInfo& base_name = *find_param(param_id::kBaseName);
  EXPECT_EQ(validate_param(base_name, {0, "edb"}, "/").status().error(), Error::kSuccess);
  EXPECT_EQ(validate_param(base_name, {0, "ab"}, "/").status().error(), Error::kInvalidParameter);
  EXPECT_EQ(validate_param(base_name, {0, "abcd"}, "/").status().error(), Error::kInvalidParameter);

  const ParamInfo& page = *find_param(param_id::kDatabasePageSize);
  EXPECT_TRUE(validate_param(page, {8192, {}}, "/").ok());
  EXPECT_FALSE(validate_param(page, {6000, {}}, "/").ok()) << "not a power of two";
  EXPECT_FALSE(validate_param(page, {65536, {}}, "/").ok()) << "above the maximum";

  Result<ParamValue> folder = validate_param(*find_param(param_id::kLogFilePath), {0, "logs\\"}, "/srv");
  ASSERT_TRUE(folder.ok());
  EXPECT_EQ(folder->text, "/srv/logs/");

  Result<ParamValue> flag = validate_param(*find_param(param_id::kCreatePathIfNotExist), {42, {}}, "/");
  ASSERT_TRUE(flag.ok());
  EXPECT_EQ(flag->number, 1U) << "booleans are stored as 0 or 1";
}

TEST(ParamSet, DefaultFoldersAreAbsolute) {
  ParamSet params("/home/app");
  EXPECT_EQ(params.text(param_id::kSystemPath), "/home/app/");
  EXPECT_EQ(params.text(param_id::kLogFilePath), "/home/app/");
  EXPECT_EQ(params.text(param_id::kBaseName), "edb");
  EXPECT_EQ(params.number(param_id::kMaxSessions), 16U);
}

class RegistryTest : public ::testing::Test {
 protected:
  // Recovery "on" needs the write-ahead log, which is not built yet (JetInit refuses it).
  void SetUp() override {
    ASSERT_TRUE(registry_.set_param(nullptr, param_id::kRecovery, {0, "off"}).ok());
  }

  Registry registry_{io::posix_file_system()};
};

TEST_F(RegistryTest, InitWithRecoveryOnStartsALogAndACheckpoint) {
  const std::string folder =
      ::testing::TempDir() + "/registry-recovery-" + std::to_string(::getpid()) + "/";
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  ASSERT_TRUE(registry_.set_param(nullptr, param_id::kRecovery, {0, "on"}).ok());
  Result<InstanceRef> ref = registry_.create_instance("recovery", "");
  ASSERT_TRUE(ref.ok());
  ASSERT_TRUE(registry_.set_param(ref->instance, param_id::kSystemPath, {0, folder}).ok());
  ASSERT_TRUE(registry_.set_param(ref->instance, param_id::kLogFilePath, {0, folder}).ok());
  ASSERT_TRUE(registry_.init(ref->handle).ok());
  EXPECT_TRUE(std::filesystem::exists(folder + "edb.log"));
  EXPECT_TRUE(std::filesystem::exists(folder + "edb.chk"));
  EXPECT_TRUE(std::filesystem::exists(folder + "edbres00001.jrs"));
  EXPECT_TRUE(registry_.term_instance(*ref).ok());
  std::filesystem::remove_all(folder);
}

TEST_F(RegistryTest, ModesExcludeEachOther) {
  EXPECT_EQ(registry_.mode(), Mode::kUnset);
  std::string folder = ::testing::TempDir();
  ASSERT_TRUE(registry_.set_param(nullptr, param_id::kSystemPath, {0, folder}).ok());
  ASSERT_TRUE(registry_.set_param(nullptr, param_id::kLogFilePath, {0, folder}).ok());
  Result<InstanceRef> legacy = registry_.init(0);
  ASSERT_TRUE(legacy.ok());
  EXPECT_EQ(registry_.mode(), Mode::kOneInstance);
  EXPECT_EQ(registry_.init(0).status().error(), Error::kAlreadyInitialized);
  EXPECT_EQ(registry_.init(legacy->handle).status().error(), Error::kAlreadyInitialized);
  EXPECT_EQ(registry_.create_instance("x", "").status().error(), Error::kRunningInOneInstanceMode);
  std::vector<Status> results;
  EXPECT_EQ(registry_.enable_multi_instance({}, &results).error(), Error::kRunningInOneInstanceMode);
  ASSERT_TRUE(registry_.term_instance(*legacy).ok());
  EXPECT_EQ(registry_.mode(), Mode::kUnset) << "the last instance gone, either mode may start";

  Result<InstanceRef> named = registry_.create_instance("x", "");
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(registry_.init(0).status().error(), Error::kRunningInMultiInstanceMode);
  EXPECT_EQ(registry_.create_instance("x", "").status().error(), Error::kInstanceNameInUse);
  ASSERT_TRUE(registry_.term_instance(*named).ok());
  EXPECT_EQ(registry_.find_instance(named->handle), nullptr);
}

TEST_F(RegistryTest, MaxInstancesIsEnforced) {
  ASSERT_TRUE(registry_.set_param(nullptr, param_id::kMaxInstances, {2, {}}).ok());
  Result<InstanceRef> a = registry_.create_instance("a", "");
  Result<InstanceRef> b = registry_.create_instance("b", "");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(registry_.create_instance("c", "").status().error(), Error::kTooManyInstances);
  ASSERT_TRUE(registry_.term_instance(*a).ok());
  ASSERT_TRUE(registry_.term_instance(*b).ok());
}

TEST_F(RegistryTest, TerminationRefusesNewWorkWhileItRuns) {
  std::string folder = ::testing::TempDir();
  Result<InstanceRef> ref = registry_.create_instance("term", "");
  ASSERT_TRUE(ref.ok());
  ASSERT_TRUE(registry_.set_param(ref->instance, param_id::kSystemPath, {0, folder}).ok());
  ASSERT_TRUE(registry_.set_param(ref->instance, param_id::kLogFilePath, {0, folder}).ok());
  ASSERT_TRUE(registry_.init(ref->handle).ok());
  Result<std::uint64_t> session = registry_.begin_session(ref->instance);
  ASSERT_TRUE(session.ok());

  Error seen_during_term = Error::kSuccess;
  Error second_term = Error::kSuccess;
  ref->instance->set_term_observer([&] {
    seen_during_term = ref->instance->enter().status().error();
    second_term = ref->instance->begin_term().error();
  });
  ASSERT_TRUE(registry_.term_instance(*ref).ok());
  EXPECT_EQ(seen_during_term, Error::kTermInProgress);
  EXPECT_EQ(second_term, Error::kTermInProgress);
  EXPECT_EQ(registry_.find_session(*session), nullptr) << "term ends the instance's sessions";
}

TEST_F(RegistryTest, SessionsAreCountedAgainstMaxSessions) {
  std::string folder = ::testing::TempDir();
  Result<InstanceRef> ref = registry_.create_instance("sessions", "");
  ASSERT_TRUE(ref.ok());
  ASSERT_TRUE(registry_.set_param(ref->instance, param_id::kMaxSessions, {1, {}}).ok());
  ASSERT_TRUE(registry_.set_param(ref->instance, param_id::kSystemPath, {0, folder}).ok());
  ASSERT_TRUE(registry_.set_param(ref->instance, param_id::kLogFilePath, {0, folder}).ok());
  ASSERT_TRUE(registry_.init(ref->handle).ok());
  Result<std::uint64_t> first = registry_.begin_session(ref->instance);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(registry_.begin_session(ref->instance).status().error(), Error::kOutOfSessions);
  ASSERT_TRUE(registry_.end_session(*first).ok());
  EXPECT_TRUE(registry_.begin_session(ref->instance).ok()) << "an ended session frees its slot";
  ASSERT_TRUE(registry_.term_instance(*ref).ok());
}

TEST_F(RegistryTest, InitFailsOnAMissingFolderUnlessAskedToCreateIt) {
  const std::string parent = ::testing::TempDir() + "/esent-missing-" + std::to_string(::getpid());
  std::string missing = parent + "/logs/";
  // A folder left by an earlier run with the same process id would not be missing.
  std::filesystem::remove_all(parent);
  Result<InstanceRef> ref = registry_.create_instance("paths", "");
  ASSERT_TRUE(ref.ok());
  ASSERT_TRUE(registry_.set_param(ref->instance, param_id::kLogFilePath, {0, missing}).ok());
  EXPECT_EQ(registry_.init(ref->handle).status().error(), Error::kInvalidPath);
  EXPECT_EQ(registry_.find_instance(ref->handle), nullptr) << "a failed init frees the instance";
  EXPECT_EQ(registry_.mode(), Mode::kUnset);

  ref = registry_.create_instance("paths", "");
  ASSERT_TRUE(ref.ok()) << "the name is free again";
  ASSERT_TRUE(registry_.set_param(ref->instance, param_id::kLogFilePath, {0, missing}).ok());
  ASSERT_TRUE(registry_.set_param(ref->instance, param_id::kCreatePathIfNotExist, {1, {}}).ok());
  ASSERT_TRUE(registry_.init(ref->handle).ok());
  Result<bool> exists = io::posix_file_system()->directory_exists(missing);
  ASSERT_TRUE(exists.ok());
  EXPECT_TRUE(exists.value());
  ASSERT_TRUE(registry_.term_instance(*ref).ok());
}

TEST(Events, InformationEventsCanBeSilenced) {
  std::ostringstream captured;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  auto logger = event_logger();
  auto saved_level = logger->level();
  logger->set_level(spdlog::level::info);
  logger->sinks().push_back(sink);
  write_event("MyService", false, EventLevel::kInformation, "shown");
  write_event("MyService", true, EventLevel::kInformation, "hidden");
  write_event("MyService", true, EventLevel::kError, "errors always show");
  logger->sinks().pop_back();
  logger->set_level(saved_level);
  std::string text = captured.str();
  EXPECT_NE(text.find("MyService: shown"), std::string::npos);
  EXPECT_EQ(text.find("hidden"), std::string::npos);
  EXPECT_NE(text.find("errors always show"), std::string::npos);
}

}  // namespace
}  // namespace esent::engine
