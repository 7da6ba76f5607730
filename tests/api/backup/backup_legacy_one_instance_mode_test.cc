// The legacy (instance-less) backup functions in one-instance mode (JetInit with no
// JetCreateInstance): JetBeginExternalBackup, JetGetAttachInfo(A/W), JetOpenFile(A/W),
// JetReadFile, JetCloseFile, JetGetLogInfo(A/W), JetTruncateLog, JetEndExternalBackup,
// JetStopBackup act on the one instance; with no instance at all they are JET_errNotInitialized.
// Built as its own executable: the mode is per process.
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "backup/backup_fixture.h"

namespace esent_test {
namespace {

namespace fs = std::filesystem;
using backup_test::ArchivedGeneration;
using backup_test::DbMisc;
using backup_test::IsZero;
using backup_test::Normal;
using backup_test::SplitMultiString;
using backup_test::SplitMultiStringW;

class LegacyBackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = dir_.Sub("legacy");
    ASSERT_NO_FATAL_FAILURE(backup_test::SetLegacyDefaults(folder_));
    database_path_ = folder_ + "db.edb";
  }

  void TearDown() override { static_cast<void>(JetTerm2(0, JET_bitTermAbrupt)); }

  // JetInit(NULL), a session, db.edb with a table and a few rows (lazy commits, then a durable one).
  void StartLegacyInstance() {
    JET_INSTANCE instance = 0;
    ASSERT_EQ(JET_errSuccess, JetInit(&instance));
    instance_ = instance;
    ASSERT_EQ(JET_errSuccess, JetBeginSessionA(instance_, &sesid_, nullptr, nullptr));
    JET_DBID dbid = 0;
    ASSERT_EQ(JET_errSuccess, JetCreateDatabaseA(sesid_, database_path_.c_str(), nullptr, &dbid, 0));
    ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
    JET_TABLEID table = 0;
    ASSERT_EQ(JET_errSuccess, JetCreateTableA(sesid_, dbid, "t", 0, 100, &table));
    JET_COLUMNDEF def{sizeof(JET_COLUMNDEF), 0, JET_coltypLongBinary, 0, 0, 0, 0, 0, 0};
    JET_COLUMNID column = 0;
    ASSERT_EQ(JET_errSuccess, JetAddColumnA(sesid_, table, "value", &def, nullptr, 0, &column));
    ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0));
    const std::string value(2000, 'v');
    for (int i = 0; i < 20; ++i) {
      ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
      ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, table, JET_prepInsert));
      ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid_, table, column, value.data(),
                                             static_cast<JET_UINT32>(value.size()), 0, nullptr));
      ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, table, nullptr, 0, nullptr));
      ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0));
    }
    ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, JET_bitForceNewLog));
    ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, table));
    JET_UINT32 page_size = 0;
    ASSERT_EQ(JET_errSuccess, JetGetDatabaseFileInfoA(database_path_.c_str(), &page_size,
                                                      sizeof(page_size), JET_DbInfoPageSize));
    page_size_ = page_size;
  }

  // Open (A), read to the end, close, all through the legacy calls. Returns the bytes.
  std::string LegacyStream(const std::string& path, std::uint64_t* reported) {
    JET_HANDLE handle = 0;
    JET_UINT32 low = 0;
    JET_UINT32 high = 0;
    EXPECT_EQ(JET_errSuccess, JetOpenFileA(path.c_str(), &handle, &low, &high)) << path;
    *reported = backup_test::Size64(low, high);
    std::string bytes;
    std::vector<char> chunk(16 * std::size_t{page_size_});
    JET_UINT32 actual = 0;
    for (int reads = 0; reads < 100000; ++reads) {
      const JET_ERR err = JetReadFile(handle, chunk.data(), static_cast<JET_UINT32>(chunk.size()), &actual);
      EXPECT_EQ(JET_errSuccess, err) << path;
      if (err < JET_errSuccess || actual == 0) break;
      bytes.append(chunk.data(), actual);
    }
    EXPECT_EQ(JET_errSuccess, JetCloseFile(handle)) << path;
    return bytes;
  }

  TestDir dir_;
  std::string folder_;
  std::string database_path_;
  JET_INSTANCE instance_ = 0;
  JET_SESID sesid_ = 0;
  std::uint32_t page_size_ = 0;
};

TEST_F(LegacyBackupTest, EveryLegacyCallWithNoInstanceIsNotInitialized) {
  backup_test::ExpectEveryLegacyCallIs(JET_errNotInitialized, "/tmp/x.edb");
}

TEST_F(LegacyBackupTest, AFullBackupThroughTheLegacyCallsWorksEndToEnd) {
  ASSERT_NO_FATAL_FAILURE(StartLegacyInstance());
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackup(0));
  std::vector<char> buffer(1 << 16);
  JET_UINT32 actual = 0;
  ASSERT_EQ(JET_errSuccess, JetGetAttachInfoA(buffer.data(), static_cast<JET_UINT32>(buffer.size()), &actual));
  const std::vector<std::string> databases = SplitMultiString(buffer.data(), actual);
  ASSERT_EQ(1u, databases.size());
  EXPECT_EQ(Normal(database_path_), Normal(databases[0]));
  std::uint64_t reported = 0;
  const std::string image = LegacyStream(databases[0], &reported);
  EXPECT_EQ(reported, image.size());
  EXPECT_EQ(fs::file_size(database_path_) + page_size_, reported);

  ASSERT_EQ(JET_errSuccess, JetGetLogInfoA(buffer.data(), static_cast<JET_UINT32>(buffer.size()), &actual));
  const std::vector<std::string> logs = SplitMultiString(buffer.data(), actual);
  ASSERT_FALSE(logs.empty());
  for (const std::string& log : logs) {
    const std::string bytes = LegacyStream(log, &reported);
    EXPECT_TRUE(bytes == backup_test::ReadWholeFile(log)) << log;
  }
  EXPECT_EQ(JET_errSuccess, JetTruncateLog());
  EXPECT_EQ(JET_errSuccess, JetEndExternalBackup());
  EXPECT_EQ(JET_errNoBackup, JetGetAttachInfoA(buffer.data(), static_cast<JET_UINT32>(buffer.size()), &actual));
  const JET_DBINFOMISC4 misc = DbMisc(database_path_);
  EXPECT_EQ(ArchivedGeneration(logs.front()).value_or(0), misc.bkinfoFullPrev.genLow);
  EXPECT_EQ(ArchivedGeneration(logs.back()).value_or(0), misc.bkinfoFullPrev.genHigh);
}

TEST_F(LegacyBackupTest, TheLegacyWCallsReturnWhatTheACallsReturn) {
  ASSERT_NO_FATAL_FAILURE(StartLegacyInstance());
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackup(0));
  std::vector<char> narrow(1 << 16);
  std::vector<JET_WCHAR> wide(1 << 16);
  JET_UINT32 narrow_size = 0;
  JET_UINT32 wide_size = 0;
  ASSERT_EQ(JET_errSuccess, JetGetAttachInfoA(narrow.data(), static_cast<JET_UINT32>(narrow.size()), &narrow_size));
  ASSERT_EQ(JET_errSuccess, JetGetAttachInfoW(wide.data(), static_cast<JET_UINT32>(wide.size() * sizeof(JET_WCHAR)), &wide_size));
  const std::vector<std::string> databases = SplitMultiString(narrow.data(), narrow_size);
  EXPECT_EQ(databases, SplitMultiStringW(wide.data(), wide_size / sizeof(JET_WCHAR)));
  EXPECT_EQ(narrow_size * sizeof(JET_WCHAR), wide_size);

  ASSERT_EQ(1u, databases.size());
  JET_HANDLE handle = 0;
  JET_UINT32 low_a = 0;
  JET_UINT32 high_a = 0;
  ASSERT_EQ(JET_errSuccess, JetOpenFileA(databases[0].c_str(), &handle, &low_a, &high_a));
  ASSERT_EQ(JET_errSuccess, JetCloseFile(handle));
  const std::u16string name = Widen(databases[0]);
  JET_UINT32 low_w = 0;
  JET_UINT32 high_w = 0;
  ASSERT_EQ(JET_errSuccess, JetOpenFileW(reinterpret_cast<const JET_WCHAR*>(name.c_str()), &handle, &low_w, &high_w));
  EXPECT_EQ(backup_test::Size64(low_a, high_a), backup_test::Size64(low_w, high_w));
  ASSERT_EQ(JET_errSuccess, JetCloseFile(handle));

  ASSERT_EQ(JET_errSuccess, JetGetLogInfoA(narrow.data(), static_cast<JET_UINT32>(narrow.size()), &narrow_size));
  ASSERT_EQ(JET_errSuccess, JetGetLogInfoW(wide.data(), static_cast<JET_UINT32>(wide.size() * sizeof(JET_WCHAR)), &wide_size));
  EXPECT_EQ(SplitMultiString(narrow.data(), narrow_size), SplitMultiStringW(wide.data(), wide_size / sizeof(JET_WCHAR)));
  EXPECT_EQ(JET_errSuccess, JetEndExternalBackup());
}

TEST_F(LegacyBackupTest, JetStopBackupStopsTheLegacyInstancesBackup) {
  ASSERT_NO_FATAL_FAILURE(StartLegacyInstance());
  EXPECT_EQ(JET_errSuccess, JetStopBackup()) << "no backup: success";
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackup(0));
  char buffer[4096];
  JET_UINT32 actual = 0;
  EXPECT_EQ(JET_errSuccess, JetGetAttachInfoA(buffer, sizeof(buffer), &actual)) << "Begin cleared the stop";
  ASSERT_EQ(JET_errSuccess, JetStopBackup());
  EXPECT_EQ(JET_errBackupAbortByServer, JetGetAttachInfoA(buffer, sizeof(buffer), &actual));
  EXPECT_EQ(JET_errBackupAbortByServer, JetGetLogInfoA(buffer, sizeof(buffer), &actual));
  EXPECT_EQ(JET_errBackupAbortByServer, JetTruncateLog());
  EXPECT_EQ(JET_errSuccess, JetEndExternalBackup());
  EXPECT_EQ(JET_errNoBackup, JetEndExternalBackup());
  EXPECT_TRUE(IsZero(DbMisc(database_path_).bkinfoFullPrev));
}

TEST_F(LegacyBackupTest, LegacyAndInstanceFormsShareTheOneBackup) {
  ASSERT_NO_FATAL_FAILURE(StartLegacyInstance());
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackup(0));
  EXPECT_EQ(JET_errBackupInProgress, JetBeginExternalBackupInstance(instance_, 0));
  char buffer[4096];
  JET_UINT32 actual = 0;
  EXPECT_EQ(JET_errSuccess, JetGetAttachInfoInstanceA(instance_, buffer, sizeof(buffer), &actual));
  EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndAbort));
  EXPECT_EQ(JET_errNoBackup, JetGetAttachInfoA(buffer, sizeof(buffer), &actual));
}

TEST_F(LegacyBackupTest, LegacyBeginKeepsTheBeginErrors) {
  ASSERT_NO_FATAL_FAILURE(StartLegacyInstance());
  EXPECT_EQ(JET_errInvalidGrbit, JetBeginExternalBackup(JET_bitBackupAtomic));
  EXPECT_EQ(JET_errMissingFullBackup, JetBeginExternalBackup(JET_bitBackupIncremental));
  char buffer[64];
  JET_UINT32 actual = 0;
  EXPECT_EQ(JET_errNoBackup, JetGetAttachInfoA(buffer, sizeof(buffer), &actual));
}

}  // namespace
}  // namespace esent_test
