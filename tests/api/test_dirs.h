// Helpers shared by the tests/api suites: a unique temporary directory per test, unique instance
// names, and a fixture that terminates every instance a test created, so tests stay independent
// of each other and of their order.
#pragma once

#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace esent_test {

// Same values as JET_instanceNil / JET_sesidNil, spelled without the header's C-style casts so the
// tests stay clean under -Wold-style-cast.
inline constexpr JET_INSTANCE kNilInstance = ~JET_INSTANCE{0};
inline constexpr JET_SESID kNilSesid = ~JET_SESID{0};

// Most API tests run without the write-ahead log, which makes them fast and independent of
// log files: every test process makes JET_paramRecovery "off" the default for the instances it
// creates, before any test runs. The log's own tests (recovery_test, log_api_test, the crash
// tests) set "on".
inline const bool kRecoveryOffByDefault = [] {
  return JetSetSystemParameterA(nullptr, 0, JET_paramRecovery, 0, "off") == JET_errSuccess;
}();

// A value that was never handed out as a handle.
inline constexpr JET_INSTANCE kGarbageInstance = 0x5A5A5A5A12345678ULL;
inline constexpr JET_SESID kGarbageSesid = 0x5A5A5A5A87654321ULL;

// A unique, empty directory under ::testing::TempDir() (or /tmp). Removed, with its contents, when
// the object is destroyed. path() has no trailing '/'; Sub() creates a child directory and returns
// it with a trailing '/', the form the engine reports folders in.
class TestDir {
 public:
  TestDir() {
    std::filesystem::path base = ::testing::TempDir();
    if (base.empty()) {
      base = "/tmp";
    }
    base = std::filesystem::absolute(base).lexically_normal();
    std::string pattern = (base / "libesent-api-XXXXXX").string();
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (mkdtemp(buffer.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp failed for " << pattern;
      return;
    }
    path_ = buffer.data();
  }

  ~TestDir() {
    if (!path_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(path_, ignored);
    }
  }

  TestDir(const TestDir&) = delete;
  TestDir& operator=(const TestDir&) = delete;

  const std::string& path() const { return path_; }

  std::string Sub(const std::string& name) const {
    std::error_code error;
    std::filesystem::create_directories(path_ + "/" + name, error);
    EXPECT_FALSE(error) << "cannot create " << path_ << "/" << name;
    return path_ + "/" + name + "/";
  }

 private:
  std::string path_;
};

// "<suite>.<test>.<suffix>": unique in the process because test names are unique.
inline std::string UniqueName(const std::string& suffix) {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = "libesent";
  if (info != nullptr) {
    name = std::string(info->test_suite_name()) + "." + info->name();
  }
  return name + "." + suffix;
}

// UTF-16 copy of an ASCII string (for building W-entry-point arguments from test names).
inline std::u16string Widen(const std::string& ascii) {
  std::u16string wide;
  for (char c : ascii) {
    wide.push_back(static_cast<char16_t>(static_cast<unsigned char>(c)));
  }
  return wide;
}

// Points the system, log and temporary-database paths of `instance` (0 = the global defaults) at
// `folder`, which must end with '/'.
inline JET_ERR SetInstancePaths(JET_INSTANCE instance, const std::string& folder) {
  JET_INSTANCE target = instance;
  JET_INSTANCE* target_pointer = instance == 0 ? nullptr : &target;
  JET_ERR err = JetSetSystemParameterA(target_pointer, 0, JET_paramSystemPath, 0, folder.c_str());
  if (err < JET_errSuccess) {
    return err;
  }
  err = JetSetSystemParameterA(target_pointer, 0, JET_paramLogFilePath, 0, folder.c_str());
  if (err < JET_errSuccess) {
    return err;
  }
  const std::string temp_database = folder + "temp.edb";
  return JetSetSystemParameterA(target_pointer, 0, JET_paramTempPath, 0, temp_database.c_str());
}

// Reads an integer parameter; `instance` 0 reads the global default.
inline JET_API_PTR GetIntegerParam(JET_INSTANCE instance, std::uint32_t paramid) {
  JET_API_PTR value = 0;
  EXPECT_EQ(JET_errSuccess, JetGetSystemParameterA(instance, 0, paramid, &value, nullptr, 0))
      << "paramid " << paramid;
  return value;
}

// Reads a string parameter through the A entry point; `instance` 0 reads the global default.
inline std::string GetStringParam(JET_INSTANCE instance, std::uint32_t paramid) {
  char buffer[1024] = {};
  EXPECT_EQ(JET_errSuccess,
            JetGetSystemParameterA(instance, 0, paramid, nullptr, buffer,
                                   static_cast<std::uint32_t>(sizeof(buffer))))
      << "paramid " << paramid;
  return std::string(buffer);
}

// Base fixture for the multi-instance suites. Every instance created through it is terminated when
// the test ends (abruptly, ignoring the result: the test may already have terminated it). Each
// initialized instance gets its own folder, because two running instances may not share a system
// or log path (JET_errSystemPathInUse / JET_errLogFilePathInUse).
class ApiTest : public ::testing::Test {
 protected:
  ~ApiTest() override {
    for (auto it = instances_.rbegin(); it != instances_.rend(); ++it) {
      static_cast<void>(JetTerm2(*it, JET_bitTermAbrupt));
    }
  }

  // Creates a named, uninitialized instance whose paths point into its own folder.
  JET_INSTANCE CreateInstance(const std::string& suffix) {
    JET_INSTANCE instance = 0;
    const std::string name = UniqueName(suffix);
    EXPECT_EQ(JET_errSuccess, JetCreateInstanceA(&instance, name.c_str())) << name;
    if (instance != 0 && instance != kNilInstance) {
      instances_.push_back(instance);
      EXPECT_EQ(JET_errSuccess, SetInstancePaths(instance, dir_.Sub(suffix))) << name;
    }
    return instance;
  }

  // Creates and initializes an instance.
  JET_INSTANCE InitInstance(const std::string& suffix) {
    JET_INSTANCE instance = CreateInstance(suffix);
    EXPECT_EQ(JET_errSuccess, JetInit(&instance)) << suffix;
    return instance;
  }

  // Registers an instance created by the test itself, so it is terminated at the end.
  void Track(JET_INSTANCE instance) {
    if (instance != 0 && instance != kNilInstance) {
      instances_.push_back(instance);
    }
  }

  JET_SESID BeginSession(JET_INSTANCE instance) {
    JET_SESID sesid = 0;
    EXPECT_EQ(JET_errSuccess, JetBeginSessionA(instance, &sesid, nullptr, nullptr));
    return sesid;
  }

  TestDir dir_;

 private:
  std::vector<JET_INSTANCE> instances_;
};

}  // namespace esent_test
