// Restore refusals of the issue-7 contract. Each test damages a copy ("bad") of a good backup
// set, restores it with szDest pointing at a folder that already holds a db.edb of known bytes,
// and asserts the JET_ERR, that db.edb was not overwritten (the set is verified before anything
// is written), that the bad folder itself is unchanged, and that the same instance then
// restores the good set correctly (row by row).
#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "restore/restore_fixture.h"

namespace esent_test {
namespace {

namespace fs = std::filesystem;
using backup_test::ArchivedName;
using backup_test::ReadWholeFile;
using backup_test::WriteWholeFile;
using restore_test::CopyFile;
using restore_test::CopyFolderFiles;
using restore_test::ExpectSameRows;

TEST_F(RestoreErrorTest, MissingGenerationInTheMiddleIsFileNotFound) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  fs::remove(BadLog(1));
  ExpectRefusedThenGoodRestoreWorks(JET_errFileNotFound);
}

TEST_F(RestoreErrorTest, FolderWithoutLogsIsFileNotFound) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  for (std::size_t i = 0; i < run_.generations.size(); ++i) fs::remove(BadLog(i));
  ExpectRefusedThenGoodRestoreWorks(JET_errFileNotFound);
}

TEST_F(RestoreErrorTest, FolderWithoutAnyImageIsFileNotFound) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  fs::remove(BadImage());
  // A file that is not a database is ignored, not taken for an image.
  ASSERT_TRUE(WriteWholeFile(Bad() + "/notes.txt", "not a database"));
  ExpectRefusedThenGoodRestoreWorks(JET_errFileNotFound);
}

TEST_F(RestoreErrorTest, FileThatIsNotADatabaseIsIgnored) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  ASSERT_TRUE(WriteWholeFile(Bad() + "/notes.txt", std::string(3 * std::size_t{page_size_}, 'n')));
  ASSERT_EQ(JET_errSuccess, Restore(restorer_, Bad(), dest_.c_str()));
  EXPECT_FALSE(fs::exists(dest_ + "notes.txt"));
  ExpectSameRows(committed_, InitAndReadRows(restorer_, dest_ + "db.edb"), "with a stray file");
}

TEST_F(RestoreErrorTest, DestinationThatIsTheSetItselfIsInvalidParameter) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  const std::string image_before = ReadWholeFile(BadImage());
  EXPECT_EQ(JET_errInvalidParameter, Restore(restorer_, Bad(), Bad().c_str()));
  EXPECT_EQ(image_before, ReadWholeFile(BadImage())) << "the set is never modified";
  ASSERT_EQ(JET_errSuccess, Restore(restorer_, Bad(), dest_.c_str()));
  ExpectSameRows(committed_, InitAndReadRows(restorer_, dest_ + "db.edb"), "after the refusal");
}

TEST_F(RestoreErrorTest, FirstLogRemovedIsStartingRestoreLogTooHigh) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  fs::remove(BadLog(0));
  ExpectRefusedThenGoodRestoreWorks(JET_errStartingRestoreLogTooHigh);
}

TEST_F(RestoreErrorTest, LastLogRemovedIsEndingRestoreLogTooLow) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  fs::remove(BadLog(run_.generations.size() - 1));
  ExpectRefusedThenGoodRestoreWorks(JET_errEndingRestoreLogTooLow);
}

TEST_F(RestoreErrorTest, PlainDatabaseIsRestoreOfNonBackupDatabase) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  // The source's own database after a clean stop: a database header, not a backup copy.
  ASSERT_NO_FATAL_FAILURE(CopyFile(database_path_, BadImage()));
  ExpectRefusedThenGoodRestoreWorks(JET_errRestoreOfNonBackupDatabase);
}

TEST_F(RestoreErrorTest, CutTrailerIsDatabaseCorrupted) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  std::string image = ReadWholeFile(BadImage());
  image.resize(image.size() - page_size_);
  ASSERT_TRUE(WriteWholeFile(BadImage(), image));
  ExpectRefusedThenGoodRestoreWorks(JET_errDatabaseCorrupted);
}

TEST_F(RestoreErrorTest, HalfCutTrailerIsDatabaseCorrupted) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  std::string image = ReadWholeFile(BadImage());
  image.resize(image.size() - page_size_ / 2);
  ASSERT_TRUE(WriteWholeFile(BadImage(), image));
  ExpectRefusedThenGoodRestoreWorks(JET_errDatabaseCorrupted);
}

TEST_F(RestoreErrorTest, ZeroedTrailerIsDatabaseCorrupted) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  std::string image = ReadWholeFile(BadImage());
  std::fill(image.end() - page_size_, image.end(), '\0');
  ASSERT_TRUE(WriteWholeFile(BadImage(), image));
  ExpectRefusedThenGoodRestoreWorks(JET_errDatabaseCorrupted);
}

TEST_F(RestoreErrorTest, DamagedTrailerIsDatabaseCorrupted) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  const std::size_t size = fs::file_size(BadImage());
  ASSERT_NO_FATAL_FAILURE(FlipByte(BadImage(), size - page_size_ + 90));  // inside generation_high
  // The contract names DatabaseCorrupted for a trailer that is missing, cut or not a trailer and
  // ReadVerifyFailure for a page whose checksum fails; a trailer with a bad checksum is both.
  const JET_ERR err = Restore(restorer_, Bad(), dest_.c_str());
  EXPECT_TRUE(err == JET_errDatabaseCorrupted || err == JET_errReadVerifyFailure) << "got " << err;
  EXPECT_EQ(existing_, ReadWholeFile(dest_ + "db.edb")) << "the destination database was overwritten";
  ASSERT_NO_FATAL_FAILURE(ExpectGoodRestoreWorks());
}

TEST_F(RestoreErrorTest, DamagedPageIsReadVerifyFailure) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  const std::string image = ReadWholeFile(BadImage());
  const std::size_t page = page_size_;
  const std::size_t pages = image.size() / page;
  // The first page after the headers that holds data (not a never-written zero page).
  std::size_t target = 0;
  for (std::size_t pgno = 2; pgno + 1 < pages && target == 0; ++pgno) {
    if (image.find_first_not_of('\0', pgno * page) < (pgno + 1) * page) target = pgno;
  }
  ASSERT_NE(0u, target) << "no data page in the image";
  ASSERT_NO_FATAL_FAILURE(FlipByte(BadImage(), target * page + page / 2));
  ExpectRefusedThenGoodRestoreWorks(JET_errReadVerifyFailure);
}

TEST_F(RestoreErrorTest, DamagedLogSectorIsALogVerificationError) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  // Sector 8 is the first data sector of every generation; the first log always uses it.
  ASSERT_NO_FATAL_FAILURE(FlipByte(BadLog(0), 8 * 512 + 100));
  const JET_ERR err = Restore(restorer_, Bad(), dest_.c_str());
  EXPECT_TRUE(err == JET_errLogReadVerifyFailure || err == JET_errLogFileCorrupt ||
              err == JET_errLogCorruptDuringHardRestore)
      << "got " << err;
  EXPECT_EQ(existing_, ReadWholeFile(dest_ + "db.edb")) << "the destination database was overwritten";
  ASSERT_NO_FATAL_FAILURE(ExpectGoodRestoreWorks());
}

TEST_F(RestoreErrorTest, LogOfAnotherLogSetIsGivenLogFileHasBadSignature) {
  ASSERT_NO_FATAL_FAILURE(MakeOtherSet());
  ASSERT_NO_FATAL_FAILURE(Prepare());
  const std::string other_log = SetFolder("other") + "/" + ArchivedName(run_.generations.at(1));
  ASSERT_TRUE(fs::exists(other_log)) << "the other set has different generations";
  ASSERT_NO_FATAL_FAILURE(CopyFile(other_log, BadLog(1)));
  ExpectRefusedThenGoodRestoreWorks(JET_errGivenLogFileHasBadSignature);
}

TEST_F(RestoreErrorTest, ImageOfAnotherLogSetIsDatabasePatchFileMismatch) {
  ASSERT_NO_FATAL_FAILURE(MakeOtherSet());
  ASSERT_NO_FATAL_FAILURE(Prepare());
  ASSERT_NO_FATAL_FAILURE(CopyFile(SetFolder("other") + "/db.edb", BadImage()));
  ExpectRefusedThenGoodRestoreWorks(JET_errDatabasePatchFileMismatch);
}

TEST_F(RestoreErrorTest, ExistingLogsOfAnotherLogSetAreExistingLogFileHasBadSignature) {
  ASSERT_NO_FATAL_FAILURE(MakeOtherSet());
  ASSERT_NO_FATAL_FAILURE(Prepare());
  // The restore instance's log folder holds the other instance's logs (same generations).
  for (std::uint32_t generation : run_.generations) {
    const std::string name = ArchivedName(generation);
    ASSERT_NO_FATAL_FAILURE(CopyFile(SetFolder("other") + "/" + name, paths_ + name));
  }
  EXPECT_EQ(JET_errExistingLogFileHasBadSignature, Restore(restorer_, Good(), dest_.c_str()));
  EXPECT_EQ(existing_, ReadWholeFile(dest_ + "db.edb")) << "the destination database was overwritten";
  restore_test::RemoveFilesIn(paths_);
  ASSERT_NO_FATAL_FAILURE(ExpectGoodRestoreWorks());
}

TEST_F(RestoreErrorTest, RunningInstanceIsAlreadyInitialized) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  JET_INSTANCE running = restorer_;
  ASSERT_EQ(JET_errSuccess, JetInit(&running));
  EXPECT_EQ(JET_errAlreadyInitialized, Restore(restorer_, Good(), dest_.c_str()));
  EXPECT_EQ(existing_, ReadWholeFile(dest_ + "db.edb"));
  // Still running.
  JET_SESID sesid = 0;
  EXPECT_EQ(JET_errSuccess, JetBeginSessionA(restorer_, &sesid, nullptr, nullptr));
  EXPECT_EQ(JET_errSuccess, JetEndSession(sesid, 0));
}

TEST_F(RestoreErrorTest, StaleOrUnknownInstanceIsInvalidInstance) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  JET_INSTANCE stale = CreateInstance("stale");
  ASSERT_EQ(JET_errSuccess, JetTerm(stale));
  EXPECT_EQ(JET_errInvalidInstance, Restore(stale, Good(), dest_.c_str()));
  EXPECT_EQ(JET_errInvalidInstance, Restore(kGarbageInstance, Good(), dest_.c_str()));
  EXPECT_EQ(existing_, ReadWholeFile(dest_ + "db.edb"));
  ASSERT_NO_FATAL_FAILURE(ExpectGoodRestoreWorks());
}

TEST_F(RestoreErrorTest, NullBackupFolderIsInvalidParameter) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  EXPECT_EQ(JET_errInvalidParameter, JetRestoreInstanceA(restorer_, nullptr, dest_.c_str(), nullptr));
  EXPECT_EQ(JET_errInvalidParameter, JetRestoreInstanceW(restorer_, nullptr, nullptr, nullptr));
  EXPECT_EQ(existing_, ReadWholeFile(dest_ + "db.edb"));
  ASSERT_NO_FATAL_FAILURE(ExpectGoodRestoreWorks());
}

TEST_F(RestoreErrorTest, ExternalRestoreWithANegativeOrMissingMapIsInvalidParameter) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  std::string paths = paths_;
  std::string set = Good();
  const auto low = static_cast<JET_INT32>(run_.generations.front());
  const auto high = static_cast<JET_INT32>(run_.generations.back());
  std::string original = database_path_;
  std::string mapped = dest_ + "db.edb";
  JET_RSTMAP_A map{original.data(), mapped.data()};
  EXPECT_EQ(JET_errInvalidParameter,
            JetExternalRestoreA(paths.data(), paths.data(), &map, -1, set.data(), low, high, nullptr));
  EXPECT_EQ(JET_errInvalidParameter,
            JetExternalRestoreA(paths.data(), paths.data(), nullptr, 1, set.data(), low, high, nullptr));
  JET_LOGINFO_A info{};
  info.cbSize = sizeof(info);
  info.ulGenLow = run_.generations.front();
  info.ulGenHigh = run_.generations.back();
  std::memcpy(info.szBaseName, "edb", 4);
  EXPECT_EQ(JET_errInvalidParameter, JetExternalRestore2A(paths.data(), paths.data(), &map, -1, set.data(),
                                                          &info, nullptr, nullptr, nullptr, nullptr));
  EXPECT_EQ(JET_errInvalidParameter, JetExternalRestore2A(paths.data(), paths.data(), nullptr, 1, set.data(),
                                                          &info, nullptr, nullptr, nullptr, nullptr));
  EXPECT_EQ(existing_, ReadWholeFile(dest_ + "db.edb"));
  ASSERT_NO_FATAL_FAILURE(ExpectGoodRestoreWorks());
}

TEST_F(RestoreErrorTest, ExternalRestore2WithATargetInstanceIsFeatureNotAvailable) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  std::string paths = paths_;
  std::string set = Good();
  std::string original = database_path_;
  std::string mapped = dest_ + "db.edb";
  std::string target = "target";
  JET_RSTMAP_A map{original.data(), mapped.data()};
  JET_LOGINFO_A info{};
  info.cbSize = sizeof(info);
  info.ulGenLow = run_.generations.front();
  info.ulGenHigh = run_.generations.back();
  std::memcpy(info.szBaseName, "edb", 4);
  EXPECT_EQ(JET_errFeatureNotAvailable, JetExternalRestore2A(paths.data(), paths.data(), &map, 1, set.data(),
                                                             &info, target.data(), nullptr, nullptr, nullptr));
  EXPECT_EQ(existing_, ReadWholeFile(dest_ + "db.edb"));
}

TEST_F(RestoreErrorTest, AttachingAStreamedImageIsSoftRecoveryOnBackupDatabase) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  const std::string copy = dir_.Sub("copy") + "image.edb";
  ASSERT_NO_FATAL_FAILURE(CopyFile(Good() + "/db.edb", copy));
  JET_INSTANCE running = restorer_;
  ASSERT_EQ(JET_errSuccess, JetInit(&running));
  JET_SESID sesid = BeginSession(restorer_);
  EXPECT_EQ(JET_errSoftRecoveryOnBackupDatabase, JetAttachDatabaseA(sesid, copy.c_str(), 0));
  EXPECT_EQ(ReadWholeFile(Good() + "/db.edb"), ReadWholeFile(copy)) << "the refused attach changed the image";
  EXPECT_EQ(JET_errSuccess, JetEndSession(sesid, 0));
}

}  // namespace
}  // namespace esent_test
