// ESENT_paramBackupReadBytesPerSecond (issue 8 contract §2): an instance parameter, default 0
// (unlimited), set and read back with JetSetSystemParameter / JetGetSystemParameter; a limited
// JetBackupInstance completes and restores, and reads no faster than the limit (asserted
// generously: a backup of at least 4 MiB of database at 2 MiB/s takes at least 1 s).
#include <esent.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "backup_instance/backup_instance_fixture.h"

namespace esent_test {
namespace {

namespace fs = std::filesystem;

constexpr JET_API_PTR kTwoMiBPerSecond = 2 * 1024 * 1024;

class BackupInstanceRateTest : public BackupInstanceTest {};

TEST_F(BackupInstanceRateTest, TheLimitDefaultsToZeroAndReadsBackWhatWasSet) {
  JET_INSTANCE instance = Configure("b", Options());
  EXPECT_EQ(JET_API_PTR{0}, GetIntegerParam(instance, ESENT_paramBackupReadBytesPerSecond));
  EXPECT_EQ(JET_API_PTR{0}, GetIntegerParam(0, ESENT_paramBackupReadBytesPerSecond)) << "the process default";
  ASSERT_EQ(JET_errSuccess,
            JetSetSystemParameterA(&instance, 0, ESENT_paramBackupReadBytesPerSecond, kTwoMiBPerSecond, nullptr));
  EXPECT_EQ(kTwoMiBPerSecond, GetIntegerParam(instance, ESENT_paramBackupReadBytesPerSecond));
  ASSERT_EQ(JET_errSuccess, JetInit(&instance));
  // Settable while the instance runs (a live parameter).
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, ESENT_paramBackupReadBytesPerSecond, 12345, nullptr));
  EXPECT_EQ(JET_API_PTR{12345}, GetIntegerParam(instance, ESENT_paramBackupReadBytesPerSecond));
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, ESENT_paramBackupReadBytesPerSecond, 0, nullptr));
  EXPECT_EQ(JET_API_PTR{0}, GetIntegerParam(instance, ESENT_paramBackupReadBytesPerSecond));
}

TEST_F(BackupInstanceRateTest, ALimitedBackupCompletesRestoresAndTakesAtLeastHalfItsBytesOverTheLimit) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  // About 5 MiB of database (a 1200-byte value takes about 2.2 KiB of pages).
  const std::string value(1200, 'q');
  constexpr int kRows = 2300;
  for (int i = 0; i < kRows; ++i) {
    const std::int32_t id = i + 1;
    ASSERT_EQ(JET_errSuccess, InsertOn(sesid_, table_, id, value, i + 1 == kRows ? 0 : JET_bitCommitLazyFlush));
    committed_[id] = value;
  }
  const std::uintmax_t database_bytes = fs::file_size(database_path_);
  ASSERT_GE(database_bytes, std::uintmax_t{4} * 1024 * 1024) << "the database should hold at least 4 MiB";
  ASSERT_EQ(JET_errSuccess,
            JetSetSystemParameterA(&instance_, 0, ESENT_paramBackupReadBytesPerSecond, kTwoMiBPerSecond, nullptr));
  const std::string dir = BackupDir();
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(JET_errSuccess, Backup(dir));
  const double elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::uintmax_t image_bytes = fs::file_size(dir + "/db.edb");
  const double lower_bound_seconds = 0.5 * static_cast<double>(image_bytes) / static_cast<double>(kTwoMiBPerSecond);
  std::printf("limited backup: %ju image bytes in %.2f s (lower bound %.2f s)\n", image_bytes, elapsed_seconds,
              lower_bound_seconds);
  EXPECT_GE(elapsed_seconds, lower_bound_seconds) << "the backup read faster than the limit allows";
  EXPECT_GE(elapsed_seconds, 1.0);
  ExpectRestores(dir, committed_, "limited backup");
}

}  // namespace
}  // namespace esent_test
