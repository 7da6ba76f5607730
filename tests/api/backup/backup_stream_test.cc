// The database phase of a full backup: JetGetAttachInfoInstance(A/W) (absolute paths, the
// multi-string, *pcbActual even for a short buffer, exactly min(cbMax, size) bytes copied),
// JetOpenFileInstance(A/W) on an attached database (size = (database pages + 1 trailer page) ×
// page size), JetReadFileInstance (exactly that many bytes in whole pages, end of file = success
// with 0 bytes, first read at least 3 pages, any alignment), and the streamed image: attaching it
// is JET_errSoftRecoveryOnBackupDatabase, with or without its trailer page; a damaged page
// (JET_errReadVerifyFailure / JET_errReadPgnoVerifyFailure) takes only that database out of the
// backup.
#include <esent.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "backup/backup_fixture.h"

namespace esent_test {
namespace {

namespace fs = std::filesystem;
using backup_test::AttachInfo;
using backup_test::LogInfo;
using backup_test::MultiStringBytesA;
using backup_test::MultiStringBytesW;
using backup_test::Normal;
using backup_test::Streamed;
using backup_test::StreamFile;

class BackupStreamTest : public BackupTest {};

TEST_F(BackupStreamTest, GetAttachInfoListsTheDatabaseByItsAbsolutePath) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  std::vector<char> buffer(4096, 'x');
  JET_UINT32 actual = 0;
  ASSERT_EQ(JET_errSuccess, JetGetAttachInfoInstanceA(instance_, buffer.data(),
                                                      static_cast<JET_UINT32>(buffer.size()), &actual));
  const std::vector<std::string> entries = backup_test::SplitMultiString(buffer.data(), actual);
  ASSERT_EQ(1u, entries.size());
  EXPECT_EQ('/', entries[0].front()) << entries[0];
  EXPECT_EQ(Normal(database_path_), Normal(entries[0]));
  EXPECT_EQ(MultiStringBytesA(entries), actual) << "the size counts every NUL, the final one too";
  ASSERT_GE(buffer.size(), actual);
  EXPECT_EQ('\0', buffer[actual - 1]);
  EXPECT_EQ('\0', buffer[actual - 2]);
  EXPECT_EQ('x', buffer[actual]) << "nothing written past the multi-string";
  AbortBackup();
}

TEST_F(BackupStreamTest, GetAttachInfoListsEveryAttachedDatabase) {
  std::string second;
  ASSERT_NO_FATAL_FAILURE(StartWithSecondDatabase(&second));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  std::vector<std::string> entries;
  ASSERT_EQ(JET_errSuccess, AttachInfo(instance_, &entries));
  ASSERT_EQ(2u, entries.size());
  std::vector<std::string> normalised{Normal(entries[0]), Normal(entries[1])};
  std::sort(normalised.begin(), normalised.end());
  std::vector<std::string> expected{Normal(database_path_), Normal(second)};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(expected, normalised);
  AbortBackup();
}

TEST_F(BackupStreamTest, GetAttachInfoWithNoDatabaseIsOneNul) {
  instance_ = Start("b");
  ASSERT_NE(JET_INSTANCE{0}, instance_);
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  char buffer[8];
  std::memset(buffer, 'x', sizeof(buffer));
  JET_UINT32 actual = 0;
  ASSERT_EQ(JET_errSuccess, JetGetAttachInfoInstanceA(instance_, buffer, sizeof(buffer), &actual));
  EXPECT_EQ(1u, actual);
  EXPECT_EQ('\0', buffer[0]);
  EXPECT_EQ('x', buffer[1]);
  JET_WCHAR wide[8];
  ASSERT_EQ(JET_errSuccess, JetGetAttachInfoInstanceW(instance_, wide, sizeof(wide), &actual));
  EXPECT_EQ(sizeof(JET_WCHAR), actual);
  EXPECT_EQ(0, wide[0]);
  AbortBackup();
}

TEST_F(BackupStreamTest, GetAttachInfoWSizesAreInBytesAndItsStringsEqualTheAOnes) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  std::vector<std::string> narrow;
  ASSERT_EQ(JET_errSuccess, AttachInfo(instance_, &narrow));
  std::vector<JET_WCHAR> wide(2048, 0x7777);
  JET_UINT32 actual = 0;
  ASSERT_EQ(JET_errSuccess, JetGetAttachInfoInstanceW(
                                instance_, wide.data(),
                                static_cast<JET_UINT32>(wide.size() * sizeof(JET_WCHAR)), &actual));
  EXPECT_EQ(MultiStringBytesW(narrow), actual);
  EXPECT_EQ(0u, actual % sizeof(JET_WCHAR));
  EXPECT_EQ(narrow, backup_test::SplitMultiStringW(wide.data(), actual / sizeof(JET_WCHAR)));
  EXPECT_EQ(0x7777, wide[actual / sizeof(JET_WCHAR)]) << "nothing written past the multi-string";
  AbortBackup();
}

TEST_F(BackupStreamTest, GetAttachInfoWithAShortBufferCopiesItsSizeAndReportsTheWholeSize) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  std::vector<std::string> entries;
  ASSERT_EQ(JET_errSuccess, AttachInfo(instance_, &entries));
  const JET_UINT32 whole = MultiStringBytesA(entries);
  std::string expected;
  for (const std::string& entry : entries) expected += entry + '\0';
  expected += '\0';
  for (JET_UINT32 cb_max : {JET_UINT32{0}, JET_UINT32{1}, JET_UINT32{5}, whole - 1}) {
    std::vector<char> buffer(whole + 8, 'x');
    JET_UINT32 actual = 0;
    EXPECT_EQ(JET_errSuccess, JetGetAttachInfoInstanceA(instance_, buffer.data(), cb_max, &actual)) << cb_max;
    EXPECT_EQ(whole, actual) << "cbMax " << cb_max;
    EXPECT_EQ(expected.substr(0, cb_max), std::string(buffer.data(), cb_max)) << "cbMax " << cb_max;
    EXPECT_EQ('x', buffer[cb_max]) << "exactly cbMax bytes copied, cbMax " << cb_max;
  }
  AbortBackup();
}

TEST_F(BackupStreamTest, GetAttachInfoWithANullBufferReportsOnlyTheSizeAndANullCountIsAllowed) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  std::vector<std::string> entries;
  ASSERT_EQ(JET_errSuccess, AttachInfo(instance_, &entries));
  JET_UINT32 actual = 0;
  EXPECT_EQ(JET_errSuccess, JetGetAttachInfoInstanceA(instance_, nullptr, 0, &actual));
  EXPECT_EQ(MultiStringBytesA(entries), actual);
  EXPECT_EQ(JET_errSuccess, JetGetAttachInfoInstanceW(instance_, nullptr, 0, &actual));
  EXPECT_EQ(MultiStringBytesW(entries), actual);
  std::vector<char> buffer(4096, 'x');
  EXPECT_EQ(JET_errSuccess, JetGetAttachInfoInstanceA(instance_, buffer.data(),
                                                      static_cast<JET_UINT32>(buffer.size()), nullptr));
  EXPECT_EQ(entries, backup_test::SplitMultiString(buffer.data(), buffer.size()));
  AbortBackup();
}

TEST_F(BackupStreamTest, OpenFileReportsTheDatabasePagesPlusOneTrailerPage) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 50));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  const std::uint64_t file_bytes = fs::file_size(database_path_);
  ASSERT_EQ(0u, file_bytes % page_size_);
  OpenedFile opened;
  ASSERT_NO_FATAL_FAILURE(OpenInBackup(database_path_, &opened));
  auto& [handle, low, high] = opened;
  EXPECT_NE(JET_HANDLE{0}, handle);
  EXPECT_EQ(file_bytes + page_size_, backup_test::Size64(low, high))
      << "(database pages incl. the 2 header pages + 1 trailer) x page size";
  CloseAndAbort(handle);
}

TEST_F(BackupStreamTest, OpenFileWReportsTheSameSizeAsOpenFileA) {
  ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
  JET_HANDLE handle = 0;
  JET_UINT32 low_a = 0;
  JET_UINT32 high_a = 0;
  ASSERT_EQ(JET_errSuccess, JetOpenFileInstanceA(instance_, database_path_.c_str(), &handle, &low_a, &high_a));
  ASSERT_EQ(JET_errSuccess, JetCloseFileInstance(instance_, handle));
  const std::u16string wide = Widen(database_path_);
  JET_UINT32 low_w = 0;
  JET_UINT32 high_w = 0;
  ASSERT_EQ(JET_errSuccess, JetOpenFileInstanceW(instance_, reinterpret_cast<const JET_WCHAR*>(wide.c_str()),
                                                 &handle, &low_w, &high_w));
  EXPECT_EQ(backup_test::Size64(low_a, high_a), backup_test::Size64(low_w, high_w));
  JET_UINT32 actual = 0;
  EXPECT_EQ(JET_errSuccess, ReadChunk(handle, DatabaseChunk(), &actual));
  EXPECT_GT(actual, 0u);
  CloseAndAbort(handle);
}

TEST_F(BackupStreamTest, ReadFileDeliversExactlyTheReportedSizeInWholePagesThenZeroBytes) {
  OpenedFile opened;
  ASSERT_NO_FATAL_FAILURE(StartWithRowsAndOpenDatabaseStream(100, &opened));
  auto& [handle, low, high] = opened;
  const std::uint64_t size = backup_test::Size64(low, high);
  ASSERT_EQ(0u, size % page_size_);
  std::vector<char> chunk(5 * std::size_t{page_size_});  // 5 pages: the size is rarely a multiple
  std::uint64_t total = 0;
  JET_UINT32 actual = 0;
  int reads = 0;
  do {
    ASSERT_EQ(JET_errSuccess, JetReadFileInstance(instance_, handle, chunk.data(),
                                                  static_cast<JET_UINT32>(chunk.size()), &actual));
    EXPECT_EQ(0u, actual % page_size_) << "whole pages";
    EXPECT_LE(actual, chunk.size());
    total += actual;
    ASSERT_LT(++reads, 100000);
  } while (actual != 0);
  EXPECT_EQ(size, total);
  // Reading past the end keeps returning success with 0 bytes.
  actual = 77;
  EXPECT_EQ(JET_errSuccess, JetReadFileInstance(instance_, handle, chunk.data(),
                                                static_cast<JET_UINT32>(chunk.size()), &actual));
  EXPECT_EQ(0u, actual);
  CloseAndAbort(handle);
}

TEST_F(BackupStreamTest, AFirstReadOfFewerThanThreePagesIsInvalidParameterAndTheStreamIsIntact) {
  OpenedFile opened;
  ASSERT_NO_FATAL_FAILURE(StartAndOpenDatabaseStream(&opened));
  auto& [handle, low, high] = opened;
  JET_UINT32 actual = 0;
  EXPECT_EQ(JET_errInvalidParameter, ReadChunk(handle, 2 * page_size_, &actual));
  // The refused read consumed nothing: the whole stream still comes, from its start.
  std::uint64_t total = 0;
  do {
    ASSERT_EQ(JET_errSuccess, ReadChunk(handle, DatabaseChunk(), &actual));
    total += actual;
  } while (actual != 0);
  EXPECT_EQ(backup_test::Size64(low, high), total);
  CloseAndAbort(handle);
}

TEST_F(BackupStreamTest, AnOddlyAlignedBufferIsAccepted) {
  OpenedFile opened;
  ASSERT_NO_FATAL_FAILURE(StartAndOpenDatabaseStream(&opened));
  auto& [handle, low, high] = opened;
  std::vector<char> storage(DatabaseChunk() + 8);
  char* odd = storage.data() + 1;  // not page-aligned, not even 2-byte aligned
  JET_UINT32 actual = 0;
  EXPECT_EQ(JET_errSuccess, JetReadFileInstance(instance_, handle, odd, DatabaseChunk(), &actual));
  EXPECT_EQ(DatabaseChunk(), actual);
  CloseAndAbort(handle);
}

TEST_F(BackupStreamTest, TheDatabaseCanBeStreamedAgainInTheSameBackup) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 20));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  Streamed first;
  ASSERT_EQ(JET_errSuccess, StreamFile(instance_, database_path_, DatabaseChunk(), &first));
  Streamed second;
  ASSERT_EQ(JET_errSuccess, StreamFile(instance_, database_path_, DatabaseChunk(), &second));
  EXPECT_EQ(first.reported_size, second.reported_size);
  EXPECT_EQ(first.bytes.size(), second.bytes.size());
  AbortBackup();
}

class BackupImageTest : public BackupStreamTest {
 protected:
  // A full backup of db.edb whose database stream is kept in `image`.
  void BackUp(std::string* image) {
    ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
    ASSERT_NO_FATAL_FAILURE(InsertRows(1, 50));
    ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
    Streamed streamed;
    ASSERT_EQ(JET_errSuccess, StreamFile(instance_, database_path_, DatabaseChunk(), &streamed));
    ASSERT_EQ(streamed.reported_size, streamed.bytes.size());
    BackupRun run;
    ASSERT_NO_FATAL_FAILURE(StreamLogs(instance_, &run));
    ASSERT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndNormal));
    *image = std::move(streamed.bytes);
    ASSERT_EQ(fs::file_size(database_path_) + page_size_, image->size())
        << "the image is the database plus one page";
  }

  // Attaching `bytes`, written as copy.edb in a folder of its own, from a second instance.
  JET_ERR AttachCopy(const std::string& bytes) {
    const std::string folder = dir_.Sub("copy");
    const std::string copy = folder + "copy.edb";
    EXPECT_TRUE(backup_test::WriteWholeFile(copy, bytes));
    JET_INSTANCE other = Start("reader");
    if (other == 0) return JET_errInternalError;
    JET_SESID sesid = BeginSession(other);
    return JetAttachDatabaseA(sesid, copy.c_str(), 0);
  }
};

TEST_F(BackupImageTest, AttachingTheStreamedImageIsSoftRecoveryOnBackupDatabase) {
  std::string image;
  ASSERT_NO_FATAL_FAILURE(BackUp(&image));
  EXPECT_EQ(JET_errSoftRecoveryOnBackupDatabase, AttachCopy(image));
}

TEST_F(BackupImageTest, AttachingTheStreamedImageWithoutItsTrailerIsSoftRecoveryOnBackupDatabase) {
  std::string image;
  ASSERT_NO_FATAL_FAILURE(BackUp(&image));
  image.resize(image.size() - page_size_);
  EXPECT_EQ(JET_errSoftRecoveryOnBackupDatabase, AttachCopy(image));
}

// --- damaged pages ------------------------------------------------------------------------------

class BackupDamageTest : public BackupStreamTest {
 protected:
  // Overwrites the database file's last page, which must be unused (all zero on disk: the file
  // is extended ahead of use), with `bytes` behind the engine's back.
  void DamageLastPage(const std::string& bytes) {
    const std::string file = backup_test::ReadWholeFile(database_path_);
    ASSERT_EQ(0u, file.size() % page_size_);
    const std::size_t pages = file.size() / page_size_;
    ASSERT_GE(pages, 4u);
    const std::size_t last = (pages - 1) * page_size_;
    ASSERT_EQ(std::string::npos, file.find_first_not_of('\0', last)) << "the last page is in use";
    ASSERT_EQ(page_size_, bytes.size());
    std::fstream out(database_path_, std::ios::in | std::ios::out | std::ios::binary);
    out.seekp(static_cast<std::streamoff>(last));
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    ASSERT_TRUE(out.good());
  }

  // A page in use on disk (not all zero), from page 2 on: a sealed page of another number.
  std::string SomeUsedPage() {
    const std::string file = backup_test::ReadWholeFile(database_path_);
    for (std::size_t offset = 2 * std::size_t{page_size_}; offset + page_size_ <= file.size(); offset += page_size_) {
      std::string page = file.substr(offset, page_size_);
      if (page.find_first_not_of('\0') != std::string::npos) return page;
    }
    ADD_FAILURE() << "no page in use on disk";
    return std::string(page_size_, '\0');
  }

  // Streams the database; returns the read error and leaves `handle` as it was opened.
  JET_ERR StreamUntilError(JET_HANDLE* handle) {
    JET_UINT32 low = 0;
    JET_UINT32 high = 0;
    JET_ERR err = JetOpenFileInstanceA(instance_, database_path_.c_str(), handle, &low, &high);
    if (err < JET_errSuccess) return err;
    std::vector<char> chunk(DatabaseChunk());
    JET_UINT32 actual = 0;
    do {
      err = JetReadFileInstance(instance_, *handle, chunk.data(), DatabaseChunk(), &actual);
    } while (err == JET_errSuccess && actual != 0);
    return err;
  }

  // After the failed read: the handle is closed, the backup continues (GetLogInfo, the logs),
  // and End(Normal) records nothing for the database.
  void ExpectTheDatabaseLeftAndTheBackupContinues(JET_HANDLE handle, const JET_DBINFOMISC4& before) {
    EXPECT_EQ(JET_errInvalidParameter, JetCloseFileInstance(instance_, handle)) << "closed by the engine";
    BackupRun run;
    ASSERT_NO_FATAL_FAILURE(StreamLogs(instance_, &run));
    EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndNormal |
                                                                           JET_bitBackupTruncateDone));
    const JET_DBINFOMISC4 after = backup_test::DbMisc(database_path_);
    EXPECT_TRUE(backup_test::SameBkinfo(before.bkinfoFullPrev, after.bkinfoFullPrev));
    EXPECT_TRUE(backup_test::SameBkinfo(before.bkinfoCopyPrev, after.bkinfoCopyPrev));
  }
};

TEST_F(BackupDamageTest, ADamagedPageIsReadVerifyFailureTheDatabaseLeavesAndTheBackupContinues) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 50));
  ASSERT_NO_FATAL_FAILURE(Roll(2));
  const JET_DBINFOMISC4 before = backup_test::DbMisc(database_path_);
  ASSERT_NO_FATAL_FAILURE(DamageLastPage(std::string(page_size_, '\xA5')));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  JET_HANDLE handle = 0;
  EXPECT_EQ(JET_errReadVerifyFailure, StreamUntilError(&handle));
  ASSERT_NO_FATAL_FAILURE(ExpectTheDatabaseLeftAndTheBackupContinues(handle, before));
}

TEST_F(BackupDamageTest, APageAtTheWrongOffsetIsReadPgnoVerifyFailureAndTheBackupContinues) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 50));
  ASSERT_NO_FATAL_FAILURE(Roll(2));
  const JET_DBINFOMISC4 before = backup_test::DbMisc(database_path_);
  ASSERT_NO_FATAL_FAILURE(DamageLastPage(SomeUsedPage()));
  ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  JET_HANDLE handle = 0;
  EXPECT_EQ(JET_errReadPgnoVerifyFailure, StreamUntilError(&handle));
  ASSERT_NO_FATAL_FAILURE(ExpectTheDatabaseLeftAndTheBackupContinues(handle, before));
}

}  // namespace
}  // namespace esent_test
