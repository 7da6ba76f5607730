// The inspection functions of include/esent_ext.h called directly: EsentGetLogFileInfo,
// EsentGetCheckpointFileInfo, EsentGetCheckpointDatabaseInfo, EsentChecksumDatabase and
// EsentChecksumLogs, A and W: what they report on sound files, on damage, and their answers to
// bad input (NULL, a short cbMax, a missing file, a file of another kind), and the status
// callback.
#include <cstring>

#include "tools_fixture.h"

namespace esent_test::tools {
namespace {

constexpr std::uint32_t kPageBytes = 4096;

std::u16string Wide(const std::string& text) { return std::u16string(text.begin(), text.end()); }

class InspectApiTest : public ToolTest {
 protected:
  void SetUp() override {
    ToolTest::SetUp();
    CreateDatabase(600);  // 4+ generations of 128 KiB
    CheckpointListingTheDatabase(600);
    StopInstance(/*dirty=*/true);  // the checkpoint keeps db.edb listed
  }
  std::string Log(int generation) {
    char name[32];
    std::snprintf(name, sizeof name, "/edb%05X.log", generation);
    return logs_ + name;
  }
};

struct CallbackLog {
  int begins = 0;
  int progress = 0;
  int completes = 0;
  JET_UINT32 last_done = 0;
  JET_UINT32 last_total = 0;
  JET_ERR answer = JET_errSuccess;
};
CallbackLog callback_log;

JET_ERR JET_API Record(JET_SESID, JET_SNP snp, JET_SNT snt, void* data) {
  EXPECT_EQ(static_cast<JET_SNP>(ESENT_snpChecksum), snp);
  if (snt == JET_sntBegin) ++callback_log.begins;
  if (snt == JET_sntComplete) ++callback_log.completes;
  if (snt == JET_sntProgress) {
    ++callback_log.progress;
    const auto* progress = static_cast<const JET_SNPROG*>(data);
    callback_log.last_done = progress->cunitDone;
    callback_log.last_total = progress->cunitTotal;
    return callback_log.answer;
  }
  return JET_errSuccess;
}

TEST_F(InspectApiTest, LogFileInfoReportsTheHeaderAndIntegrity) {
  ESENT_LOGFILEINFO info{};
  ASSERT_EQ(JET_errSuccess, EsentGetLogFileInfoA(Log(2).c_str(), &info, sizeof info));
  EXPECT_EQ(sizeof info, info.cbStruct);
  EXPECT_EQ(2u, info.ulGeneration);
  EXPECT_EQ(128u * 1024, info.cbFile);
  EXPECT_EQ(512u, info.cbSector);
  EXPECT_EQ(8u, info.csecHeader);
  EXPECT_EQ(kPageBytes, info.cbDatabasePage);
  EXPECT_EQ(1u, info.fIntact);
  EXPECT_GT(info.csecChecked, 0u);
  EXPECT_NE(0, info.logtimePrevGen.bMonth);  // generation 1's creation time

  ESENT_LOGFILEINFO wide{};
  const std::u16string path = Wide(Log(2));
  ASSERT_EQ(JET_errSuccess, EsentGetLogFileInfoW(path.c_str(), &wide, sizeof wide));
  EXPECT_EQ(0, std::memcmp(&info, &wide, sizeof info));

  FlipByte(Log(2), 9 * 512 + 40);
  ESENT_LOGFILEINFO damaged{};
  EXPECT_EQ(JET_errLogReadVerifyFailure,
            EsentGetLogFileInfoA(Log(2).c_str(), &damaged, sizeof damaged));
  EXPECT_EQ(0u, damaged.fIntact);
  EXPECT_EQ(2, damaged.lgposFirstDamaged.lGeneration);
  EXPECT_EQ(9, damaged.lgposFirstDamaged.isec);
  EXPECT_EQ(2u, damaged.ulGeneration);  // the header is still reported
}

TEST_F(InspectApiTest, LogFileInfoRejectsBadInput) {
  ESENT_LOGFILEINFO info{};
  EXPECT_EQ(JET_errInvalidParameter, EsentGetLogFileInfoA(nullptr, &info, sizeof info));
  EXPECT_EQ(JET_errInvalidParameter, EsentGetLogFileInfoA("", &info, sizeof info));
  EXPECT_EQ(JET_errInvalidParameter, EsentGetLogFileInfoA(Log(1).c_str(), nullptr, sizeof info));
  EXPECT_EQ(JET_errInvalidBufferSize, EsentGetLogFileInfoA(Log(1).c_str(), &info, sizeof info - 1));
  EXPECT_EQ(JET_errInvalidParameter, EsentGetLogFileInfoW(nullptr, &info, sizeof info));
  EXPECT_EQ(JET_errFileNotFound,
            EsentGetLogFileInfoA((logs_ + "/none.log").c_str(), &info, sizeof info));
  EXPECT_EQ(JET_errLogFileCorrupt, EsentGetLogFileInfoA(db_.c_str(), &info, sizeof info));
  // A larger buffer (a later version's) is fine; the library says what it filled.
  std::vector<unsigned char> larger(sizeof info + 64, 0xCC);
  ASSERT_EQ(JET_errSuccess, EsentGetLogFileInfoA(
                                Log(1).c_str(), reinterpret_cast<ESENT_LOGFILEINFO*>(larger.data()),
                                static_cast<JET_UINT32>(larger.size())));
  EXPECT_EQ(sizeof info, reinterpret_cast<ESENT_LOGFILEINFO*>(larger.data())->cbStruct);
  EXPECT_EQ(0xCC, larger.back());
}

TEST_F(InspectApiTest, CheckpointInfoListsTheAttachedDatabase) {
  const std::string checkpoint = sys_ + "/edb.chk";
  ESENT_CHECKPOINTINFO info{};
  ASSERT_EQ(JET_errSuccess, EsentGetCheckpointFileInfoA(checkpoint.c_str(), &info, sizeof info));
  EXPECT_EQ(sizeof info, info.cbStruct);
  EXPECT_EQ(0u, info.fCleanShutdown);
  EXPECT_GE(info.lgposCheckpoint.lGeneration, 1);
  ESENT_LOGFILEINFO log{};
  ASSERT_EQ(JET_errSuccess, EsentGetLogFileInfoA(Log(1).c_str(), &log, sizeof log));
  EXPECT_EQ(log.signLog.ulRandom, info.signLog.ulRandom);
  ASSERT_EQ(1u, info.cDatabases);

  ESENT_CHECKPOINTDBINFO_A database{};
  ASSERT_EQ(JET_errSuccess,
            EsentGetCheckpointDatabaseInfoA(checkpoint.c_str(), 0, &database, sizeof database));
  EXPECT_EQ(db_, std::string(database.szPath));
  ESENT_CHECKPOINTDBINFO_W wide{};
  const std::u16string wide_path = Wide(checkpoint);
  ASSERT_EQ(JET_errSuccess,
            EsentGetCheckpointDatabaseInfoW(wide_path.c_str(), 0, &wide, sizeof wide));
  EXPECT_EQ(Wide(db_), std::u16string(wide.wszPath));
  EXPECT_EQ(database.dbid, wide.dbid);

  EXPECT_EQ(JET_errInvalidParameter,
            EsentGetCheckpointDatabaseInfoA(checkpoint.c_str(), 1, &database, sizeof database));
  EXPECT_EQ(JET_errInvalidBufferSize,
            EsentGetCheckpointDatabaseInfoA(checkpoint.c_str(), 0, &database, 8));
  EXPECT_EQ(JET_errInvalidParameter,
            EsentGetCheckpointFileInfoA(checkpoint.c_str(), nullptr, sizeof info));
  EXPECT_EQ(JET_errInvalidBufferSize, EsentGetCheckpointFileInfoA(checkpoint.c_str(), &info, 4));
  EXPECT_EQ(JET_errCheckpointFileNotFound,
            EsentGetCheckpointFileInfoA((sys_ + "/x.chk").c_str(), &info, sizeof info));
  EXPECT_EQ(JET_errCheckpointCorrupt,
            EsentGetCheckpointFileInfoA(Log(1).c_str(), &info, sizeof info));
}

TEST_F(InspectApiTest, ChecksumDatabaseCountsPagesAndFindsTheBadOnes) {
  ESENT_CHECKSUMINFO info{};
  callback_log = {};
  ASSERT_EQ(JET_errSuccess, EsentChecksumDatabaseA(db_.c_str(), Record, &info, sizeof info));
  EXPECT_EQ(kPageBytes, info.cbBlock);
  EXPECT_EQ(fs::file_size(db_) / kPageBytes, info.cBlocksChecked);
  EXPECT_EQ(0u, info.cBlocksBad);
  EXPECT_EQ(ESENT_pgnoNone, info.pgnoFirstBad);
  EXPECT_EQ(0, info.errFirstBad);
  EXPECT_EQ(1, callback_log.begins);
  EXPECT_GE(callback_log.progress, 1);
  EXPECT_EQ(callback_log.last_total, callback_log.last_done);
  EXPECT_EQ(1, callback_log.completes);

  const std::uint32_t page = FirstUsedPage(db_, kPageBytes);
  FlipByte(db_, std::uint64_t{page} * kPageBytes + 3000);
  FlipByte(db_, kPageBytes + 500);  // header copy 1
  ESENT_CHECKSUMINFO damaged{};
  const std::u16string wide = Wide(db_);
  EXPECT_EQ(JET_errReadVerifyFailure,
            EsentChecksumDatabaseW(wide.c_str(), nullptr, &damaged, sizeof damaged));
  EXPECT_EQ(2u, damaged.cBlocksBad);
  EXPECT_EQ(1u, damaged.pgnoFirstBad);
  EXPECT_EQ(JET_errReadVerifyFailure, damaged.errFirstBad);
}

TEST_F(InspectApiTest, ChecksumDatabaseRejectsBadInputAndStopsOnTheCallbacksError) {
  ESENT_CHECKSUMINFO info{};
  EXPECT_EQ(JET_errInvalidParameter, EsentChecksumDatabaseA(nullptr, nullptr, &info, sizeof info));
  EXPECT_EQ(JET_errInvalidParameter,
            EsentChecksumDatabaseA(db_.c_str(), nullptr, nullptr, sizeof info));
  EXPECT_EQ(JET_errInvalidBufferSize, EsentChecksumDatabaseA(db_.c_str(), nullptr, &info, 16));
  EXPECT_EQ(JET_errFileNotFound,
            EsentChecksumDatabaseA((folder_ + "/none.edb").c_str(), nullptr, &info, sizeof info));
  EXPECT_EQ(JET_errInvalidDatabase,
            EsentChecksumDatabaseA(Log(1).c_str(), nullptr, &info, sizeof info));
  callback_log = {};
  callback_log.answer = JET_errOutOfMemory;
  EXPECT_EQ(JET_errOutOfMemory, EsentChecksumDatabaseA(db_.c_str(), Record, &info, sizeof info));
  EXPECT_EQ(1, callback_log.progress);
}

TEST_F(InspectApiTest, ChecksumLogsChecksTheWholeSet) {
  ESENT_CHECKSUMINFO info{};
  callback_log = {};
  ASSERT_EQ(JET_errSuccess, EsentChecksumLogsA(logs_.c_str(), "edb", Record, &info, sizeof info));
  EXPECT_EQ(512u, info.cbBlock);
  EXPECT_EQ(1u, info.genFirst);
  EXPECT_GE(info.genLast, 3u);
  EXPECT_EQ(info.genLast - info.genFirst + 1, info.cFiles);
  EXPECT_EQ(0u, info.cBlocksBad);
  EXPECT_EQ(info.cFiles, callback_log.last_total);
  ESENT_CHECKSUMINFO defaulted{};
  ASSERT_EQ(JET_errSuccess,
            EsentChecksumLogsA(logs_.c_str(), nullptr, nullptr, &defaulted, sizeof defaulted));
  EXPECT_EQ(info.cBlocksChecked, defaulted.cBlocksChecked);

  // The last sector generation 1's successor relies on.
  ESENT_LOGFILEINFO second{};
  ASSERT_EQ(JET_errSuccess, EsentGetLogFileInfoA(Log(2).c_str(), &second, sizeof second));
  const JET_UINT32 last_sector = second.isecPreviousEnd - 1;
  FlipByte(Log(1), std::uint64_t{last_sector} * 512 + 200);
  ESENT_CHECKSUMINFO damaged{};
  const std::u16string wide_folder = Wide(logs_), wide_base = Wide("edb");
  EXPECT_EQ(JET_errLogReadVerifyFailure, EsentChecksumLogsW(wide_folder.c_str(), wide_base.c_str(),
                                                            nullptr, &damaged, sizeof damaged));
  EXPECT_EQ(1u, damaged.cBlocksBad);
  EXPECT_EQ(1, damaged.lgposFirstBad.lGeneration);
  EXPECT_EQ(last_sector, damaged.lgposFirstBad.isec);
  EXPECT_EQ(JET_errLogReadVerifyFailure, damaged.errFirstBad);
}

TEST_F(InspectApiTest, ChecksumLogsRejectsBadInputAndBrokenSets) {
  ESENT_CHECKSUMINFO info{};
  EXPECT_EQ(JET_errInvalidParameter,
            EsentChecksumLogsA(nullptr, "edb", nullptr, &info, sizeof info));
  EXPECT_EQ(JET_errInvalidParameter,
            EsentChecksumLogsA(logs_.c_str(), "edb", nullptr, nullptr, sizeof info));
  EXPECT_EQ(JET_errInvalidBufferSize, EsentChecksumLogsA(logs_.c_str(), "edb", nullptr, &info, 1));
  EXPECT_EQ(JET_errInvalidParameter,
            EsentChecksumLogsA(logs_.c_str(), "a/b", nullptr, &info, sizeof info));
  EXPECT_EQ(JET_errFileNotFound,
            EsentChecksumLogsA((folder_ + "/none").c_str(), "edb", nullptr, &info, sizeof info));
  EXPECT_EQ(JET_errFileNotFound,
            EsentChecksumLogsA(logs_.c_str(), "E01", nullptr, &info, sizeof info));
  fs::remove(Log(2));
  EXPECT_EQ(JET_errMissingLogFile,
            EsentChecksumLogsA(logs_.c_str(), "edb", nullptr, &info, sizeof info));
}

}  // namespace
}  // namespace esent_test::tools
