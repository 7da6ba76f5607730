// Page-size tests shared by the page_size_*_mode_test.cc executables. JET_paramDatabasePageSize
// is global to the process, so each page size gets its own executable (the *_mode_test.cc
// naming makes the build give each file its own process). The including file defines
//   namespace esent_test { inline constexpr std::uint32_t kModePageSizeBytes = ...; }
// before including this header, which it includes exactly once.
//
// Sources: learn.microsoft.com "Database Parameters" (JET_paramDatabasePageSize: 2, 4, 8, 16 or
// 32 KiB, global, set before the first instance starts), JetAttachDatabase
// (JET_errPageSizeMismatch for a database whose page size differs from the engine's),
// JetGetDatabaseFileInfo (JET_DbInfoPageSize).
#pragma once

#include <esent.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "storage_fixture.h"

namespace esent_test {
namespace {

// A page size other than the one this process runs with.
inline constexpr std::uint32_t kOtherPageSizeBytes = kModePageSizeBytes == 4096 ? 8192 : 4096;

class PageSizeModeTest : public StorageTest {
 protected:
  void SetUp() override {
    // Setting the value already in force is accepted even after an earlier instance ran.
    ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(nullptr, 0, JET_paramDatabasePageSize,
                                                     kModePageSizeBytes, nullptr));
    StorageTest::SetUp();
  }

  // Runs this executable again, in a fresh process, to create `path` with a page size of
  // `page_size_bytes` (see the helper test below). Returns the child's exit status.
  int CreateDatabaseInChild(const std::string& path, std::uint32_t page_size_bytes) {
    const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    std::vector<std::string> args = {self,
                                     "--gtest_also_run_disabled_tests",
                                     "--gtest_filter=PageSizeChildHelper.DISABLED_CreateDatabase"};
    std::vector<std::string> env_strings = {
        "ESENT_TEST_CHILD_DB=" + path,
        "ESENT_TEST_CHILD_DIR=" + dir_.Sub("child"),
        "ESENT_TEST_CHILD_PAGE_SIZE=" + std::to_string(page_size_bytes),
        "ESENT_LOG_LEVEL=warn"};
    std::vector<char*> argv;
    for (std::string& arg : args) {
      argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (std::string& entry : env_strings) {
      envp.push_back(entry.data());
    }
    envp.push_back(nullptr);
    pid_t pid = 0;
    if (posix_spawn(&pid, self.c_str(), nullptr, nullptr, argv.data(), envp.data()) != 0) {
      ADD_FAILURE() << "posix_spawn failed";
      return -1;
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) {
      ADD_FAILURE() << "waitpid failed";
      return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
};

TEST_F(PageSizeModeTest, DatabaseReportsTheProcessPageSize) {
  JET_DBID dbid = CreateDatabase();
  std::uint32_t page_size = 0;
  ASSERT_EQ(JET_errSuccess,
            JetGetDatabaseInfoA(sesid_, dbid, &page_size, sizeof(page_size), JET_DbInfoPageSize));
  EXPECT_EQ(kModePageSizeBytes, page_size);
  EXPECT_EQ(JET_API_PTR{kModePageSizeBytes}, GetIntegerParam(0, JET_paramDatabasePageSize));
}

TEST_F(PageSizeModeTest, FileHeaderRecordsThePageSize) {
  JET_DBID dbid = CreateDatabase();
  ASSERT_EQ(JET_errSuccess, JetCloseDatabase(sesid_, dbid, 0));
  const std::string path = DatabasePath("test.edb");
  ASSERT_EQ(JET_errSuccess, JetDetachDatabaseA(sesid_, path.c_str()));
  JET_DBINFOMISC misc{};
  ASSERT_EQ(JET_errSuccess,
            JetGetDatabaseFileInfoA(path.c_str(), &misc, sizeof(misc), JET_DbInfoMisc));
  EXPECT_EQ(kModePageSizeBytes, misc.cbPageSize);
  std::uint64_t size_bytes = 0;
  ASSERT_EQ(JET_errSuccess, JetGetDatabaseFileInfoA(path.c_str(), &size_bytes, sizeof(size_bytes),
                                                    JET_DbInfoFilesize));
  EXPECT_EQ(0u, size_bytes % kModePageSizeBytes);
}

// Enough rows to need many pages at any page size; all come back after reattach.
TEST_F(PageSizeModeTest, ManyPagesOfRowsSurviveReattach) {
  JET_DBID dbid = CreateDatabase();
  const KeyedColumns columns = CreateKeyedTable(dbid);
  JET_TABLEID tableid = OpenTable(dbid, "Keyed");
  const std::string name(100, 'n');
  for (std::int32_t key = 0; key < 2000; ++key) {
    ASSERT_EQ(JET_errSuccess, InsertRow(tableid, columns, key, 2000 - key, name));
  }
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, tableid));
  ASSERT_EQ(JET_errSuccess, JetCloseDatabase(sesid_, dbid, 0));
  const std::string path = DatabasePath("test.edb");
  ASSERT_EQ(JET_errSuccess, JetDetachDatabaseA(sesid_, path.c_str()));
  ASSERT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid_, path.c_str(), 0));
  ASSERT_EQ(JET_errSuccess, JetOpenDatabaseA(sesid_, path.c_str(), nullptr, &dbid, 0));
  tableid = OpenTable(dbid, "Keyed");
  ASSERT_EQ(JET_errSuccess, JetSetCurrentIndexA(sesid_, tableid, "byValue"));
  const std::vector<std::int32_t> values = ScanInt32(tableid, columns.value);
  ASSERT_EQ(2000u, values.size());
  EXPECT_EQ(1, values.front());
  EXPECT_EQ(2000, values.back());
}

// Database Parameters docs: the page size cannot change while an instance is running.
TEST_F(PageSizeModeTest, PageSizeIsFixedWhileAnInstanceRuns) {
  EXPECT_EQ(JET_errAlreadyInitialized,
            JetSetSystemParameterA(nullptr, 0, JET_paramDatabasePageSize, kOtherPageSizeBytes,
                                   nullptr));
  EXPECT_EQ(JET_API_PTR{kModePageSizeBytes}, GetIntegerParam(0, JET_paramDatabasePageSize));
}

// JetAttachDatabase docs / ESE ErrDBReadHeaderCheckConsistency: a database created with another
// page size is JET_errPageSizeMismatch. The other database is created by a fresh process.
TEST_F(PageSizeModeTest, DatabaseOfAnotherPageSizeIsPageSizeMismatch) {
  const std::string path = DatabasePath("other.edb");
  ASSERT_EQ(0, CreateDatabaseInChild(path, kOtherPageSizeBytes));
  EXPECT_EQ(JET_errPageSizeMismatch, JetAttachDatabaseA(sesid_, path.c_str(), 0));
  JET_DBID dbid = kNilDbid;
  EXPECT_EQ(JET_errDatabaseNotFound, JetOpenDatabaseA(sesid_, path.c_str(), nullptr, &dbid, 0));
  // UNVERIFIED: the offline header read still works and reports the file's own page size.
  std::uint32_t page_size = 0;
  ASSERT_EQ(JET_errSuccess, JetGetDatabaseFileInfoA(path.c_str(), &page_size, sizeof(page_size),
                                                    JET_DbInfoPageSize));
  EXPECT_EQ(kOtherPageSizeBytes, page_size);
}

// Helper run only by CreateDatabaseInChild, in its own process: creates the database named by
// ESENT_TEST_CHILD_DB at page size ESENT_TEST_CHILD_PAGE_SIZE, with one table, and detaches it.
TEST(PageSizeChildHelper, DISABLED_CreateDatabase) {
  const char* path = std::getenv("ESENT_TEST_CHILD_DB");
  const char* folder = std::getenv("ESENT_TEST_CHILD_DIR");
  const char* page_size = std::getenv("ESENT_TEST_CHILD_PAGE_SIZE");
  ASSERT_NE(nullptr, path);
  ASSERT_NE(nullptr, folder);
  ASSERT_NE(nullptr, page_size);
  ASSERT_EQ(JET_errSuccess,
            JetSetSystemParameterA(nullptr, 0, JET_paramDatabasePageSize,
                                   std::strtoul(page_size, nullptr, 10), nullptr));
  JET_INSTANCE instance = 0;
  ASSERT_EQ(JET_errSuccess, JetCreateInstanceA(&instance, "page-size-child"));
  ASSERT_EQ(JET_errSuccess, SetInstancePaths(instance, folder));
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramRecovery, 0, "off"));
  ASSERT_EQ(JET_errSuccess, JetInit(&instance));
  JET_SESID sesid = 0;
  ASSERT_EQ(JET_errSuccess, JetBeginSessionA(instance, &sesid, nullptr, nullptr));
  JET_DBID dbid = 0;
  ASSERT_EQ(JET_errSuccess, JetCreateDatabaseA(sesid, path, nullptr, &dbid, 0));
  JET_TABLEID tableid = 0;
  ASSERT_EQ(JET_errSuccess, JetCreateTableA(sesid, dbid, "Child", 0, 100, &tableid));
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid, tableid));
  ASSERT_EQ(JET_errSuccess, JetCloseDatabase(sesid, dbid, 0));
  ASSERT_EQ(JET_errSuccess, JetDetachDatabaseA(sesid, path));
  ASSERT_EQ(JET_errSuccess, JetEndSession(sesid, 0));
  ASSERT_EQ(JET_errSuccess, JetTerm(instance));
}

}  // namespace
}  // namespace esent_test
