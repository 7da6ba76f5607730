// A client that loads libesent.so at run time and looks every esent.dll export up by name,
// as managed wrappers and plug-in hosts do.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace {

std::vector<std::string> export_names() {
  std::ifstream file(ESENT_EXPORT_NAMES);
  std::vector<std::string> names;
  for (std::string line; std::getline(file, line);) {
    if (!line.empty()) names.push_back(line);
  }
  return names;
}

class DlopenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    handle_ = dlopen(ESENT_LIBRARY_PATH, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(handle_, nullptr) << dlerror();
  }
  void TearDown() override {
    if (handle_ != nullptr) dlclose(handle_);
  }
  void* handle_ = nullptr;
};

TEST_F(DlopenTest, ResolvesEveryExportedName) {
  std::vector<std::string> names = export_names();
  ASSERT_EQ(names.size(), 294U) << "export_names.txt should list all 294 esent.dll names";
  for (const std::string& name : names) {
    EXPECT_NE(dlsym(handle_, name.c_str()), nullptr) << name;
  }
}

TEST_F(DlopenTest, PlainNameIsTheAnsiFunction) {
  for (const char* base : {"JetCreateInstance", "JetInit3", "JetBeginSession", "JetBackupInstance",
                           "JetGetSystemParameter", "JetOSSnapshotGetFreezeInfo"}) {
    void* plain = dlsym(handle_, base);
    void* ansi = dlsym(handle_, (std::string(base) + "A").c_str());
    ASSERT_NE(plain, nullptr) << base;
    EXPECT_EQ(plain, ansi) << base;
  }
}

TEST_F(DlopenTest, ResolvedFunctionsWork) {
  using CreateInstance = std::int32_t (*)(std::uint64_t*, const char*);
  using Term = std::int32_t (*)(std::uint64_t);
  auto create = reinterpret_cast<CreateInstance>(dlsym(handle_, "JetCreateInstance"));
  auto term = reinterpret_cast<Term>(dlsym(handle_, "JetTerm"));
  ASSERT_NE(create, nullptr);
  ASSERT_NE(term, nullptr);
  std::uint64_t instance = 0;
  ASSERT_EQ(create(&instance, "dlopen-client"), 0);
  EXPECT_NE(instance, 0U);
  EXPECT_EQ(term(instance), 0);
}

TEST_F(DlopenTest, NotYetBuiltFunctionSaysSo) {
  using SnapshotEnd = std::int32_t (*)(std::uint64_t, std::uint32_t);
  auto end = reinterpret_cast<SnapshotEnd>(dlsym(handle_, "JetOSSnapshotEnd"));
  ASSERT_NE(end, nullptr);
  EXPECT_EQ(end(1, 0), -1001);  // JET_errFeatureNotAvailable
}

TEST_F(DlopenTest, LegacyBackupWithoutAnInstanceIsNotInitialized) {
  using BeginExternalBackup = std::int32_t (*)(std::uint32_t);
  auto begin = reinterpret_cast<BeginExternalBackup>(dlsym(handle_, "JetBeginExternalBackup"));
  ASSERT_NE(begin, nullptr);
  EXPECT_EQ(begin(0), -1029);  // JET_errNotInitialized
}

}  // namespace
