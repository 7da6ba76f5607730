// The legacy restore forms in one-instance mode (no JetCreateInstance in this process):
// JetRestore(A/W) and JetRestore2(A/W) restore with the process defaults (JetSetSystemParameter
// with no instance); while the one instance is initialised they are JET_errAlreadyInitialized.
// JetRestoreInstance with 0 or JET_instanceNil restores through a temporary instance with the
// process defaults, freed at the end (JetInit(NULL) works afterwards). Built as its own
// executable: the mode is per process.
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
using restore_test::ExpectSameRows;
using restore_test::Rows;
using restore_test::ValueFor;

class LegacyRestoreTest : public LegacyRowsTest {
 protected:
  // Open (A), read to the end and close through the legacy calls; writes the bytes to `out`.
  void LegacyStreamTo(const std::string& path, const std::string& out) {
    JET_HANDLE handle = 0;
    JET_UINT32 low = 0;
    JET_UINT32 high = 0;
    ASSERT_EQ(JET_errSuccess, JetOpenFileA(path.c_str(), &handle, &low, &high)) << path;
    std::string bytes;
    std::vector<char> buffer(16 * std::size_t{page_size_});
    for (;;) {
      JET_UINT32 actual = 0;
      ASSERT_EQ(JET_errSuccess, JetReadFile(handle, buffer.data(), static_cast<JET_UINT32>(buffer.size()), &actual));
      if (actual == 0) break;
      bytes.append(buffer.data(), actual);
      ASSERT_LE(bytes.size(), backup_test::Size64(low, high));
    }
    ASSERT_EQ(JET_errSuccess, JetCloseFile(handle));
    ASSERT_TRUE(backup_test::WriteWholeFile(out, bytes));
  }

  // A full streaming backup through the legacy calls into `set` (truncating), then JetTerm and
  // every file of the instance folder removed.
  void BackupStopAndWipe(const std::string& set) {
    fs::create_directories(set);
    ASSERT_EQ(JET_errSuccess, JetBeginExternalBackup(0));
    std::vector<char> list(1 << 16);
    JET_UINT32 actual = 0;
    ASSERT_EQ(JET_errSuccess, JetGetAttachInfoA(list.data(), static_cast<JET_UINT32>(list.size()), &actual));
    for (const std::string& database : backup_test::SplitMultiString(list.data(), actual)) {
      ASSERT_NO_FATAL_FAILURE(LegacyStreamTo(database, set + "/" + fs::path(database).filename().string()));
    }
    ASSERT_EQ(JET_errSuccess, JetGetLogInfoA(list.data(), static_cast<JET_UINT32>(list.size()), &actual));
    for (const std::string& log : backup_test::SplitMultiString(list.data(), actual)) {
      ASSERT_NO_FATAL_FAILURE(LegacyStreamTo(log, set + "/" + fs::path(log).filename().string()));
    }
    ASSERT_EQ(JET_errSuccess, JetTruncateLog());
    ASSERT_EQ(JET_errSuccess, JetEndExternalBackup());
    ASSERT_EQ(JET_errSuccess, JetEndSession(sesid_, 0));
    ASSERT_EQ(JET_errSuccess, JetTerm(instance_));
    instance_ = 0;
    restore_test::RemoveFilesIn(folder_);
  }

  std::string Set() const { return dir_.path() + "/set"; }
};

TEST_F(LegacyRestoreTest, RestoreARestoresToTheOriginalPathWithTheProcessDefaults) {
  ASSERT_NO_FATAL_FAILURE(StartWithRows());
  ASSERT_NO_FATAL_FAILURE(BackupStopAndWipe(Set()));
  const restore_test::FolderBytes before = restore_test::SnapshotFolder(Set());
  ASSERT_EQ(JET_errSuccess, JetRestoreA(Set().c_str(), restore_test::RecordingCallback));
  EXPECT_TRUE(before == restore_test::SnapshotFolder(Set()));
  ASSERT_NO_FATAL_FAILURE(restore_test::ExpectRestoreStatusSequence(restore_test::RecordedEvents()));
  EXPECT_TRUE(fs::exists(folder_ + "edb.chk")) << "the checkpoint goes to the default system path";
  ExpectSameRows(committed_, InitAndRead(database_path_), "JetRestoreA");
}

TEST_F(LegacyRestoreTest, RestoreWRestoresWithUtf16Path) {
  ASSERT_NO_FATAL_FAILURE(StartWithRows());
  ASSERT_NO_FATAL_FAILURE(BackupStopAndWipe(Set()));
  const std::u16string set = Widen(Set());
  ASSERT_EQ(JET_errSuccess, JetRestoreW(reinterpret_cast<const JET_WCHAR*>(set.c_str()), nullptr));
  ExpectSameRows(committed_, InitAndRead(database_path_), "JetRestoreW");
}

TEST_F(LegacyRestoreTest, Restore2ARestoresIntoTheDestinationFolder) {
  ASSERT_NO_FATAL_FAILURE(StartWithRows());
  ASSERT_NO_FATAL_FAILURE(BackupStopAndWipe(Set()));
  const std::string dest = dir_.Sub("dest");
  ASSERT_EQ(JET_errSuccess, JetRestore2A(Set().c_str(), dest.c_str(), nullptr));
  EXPECT_FALSE(fs::exists(database_path_));
  ExpectSameRows(committed_, InitAndRead(dest + "db.edb"), "JetRestore2A");
}

TEST_F(LegacyRestoreTest, Restore2WRestoresIntoTheDestinationFolder) {
  ASSERT_NO_FATAL_FAILURE(StartWithRows());
  ASSERT_NO_FATAL_FAILURE(BackupStopAndWipe(Set()));
  const std::string dest = dir_.Sub("dest");
  const std::u16string set = Widen(Set());
  const std::u16string wide_dest = Widen(dest);
  ASSERT_EQ(JET_errSuccess, JetRestore2W(reinterpret_cast<const JET_WCHAR*>(set.c_str()),
                                         reinterpret_cast<const JET_WCHAR*>(wide_dest.c_str()), nullptr));
  ExpectSameRows(committed_, InitAndRead(dest + "db.edb"), "JetRestore2W");
}

TEST_F(LegacyRestoreTest, WhileTheOneInstanceRunsEveryLegacyFormIsAlreadyInitialized) {
  ASSERT_NO_FATAL_FAILURE(StartWithRows());
  ASSERT_NO_FATAL_FAILURE(BackupStopAndWipe(Set()));
  JET_INSTANCE instance = 0;
  ASSERT_EQ(JET_errSuccess, JetInit(&instance));
  const std::string dest = dir_.Sub("dest");
  const std::u16string set = Widen(Set());
  EXPECT_EQ(JET_errAlreadyInitialized, JetRestoreA(Set().c_str(), nullptr));
  EXPECT_EQ(JET_errAlreadyInitialized, JetRestoreW(reinterpret_cast<const JET_WCHAR*>(set.c_str()), nullptr));
  EXPECT_EQ(JET_errAlreadyInitialized, JetRestore2A(Set().c_str(), dest.c_str(), nullptr));
  EXPECT_FALSE(fs::exists(dest + "db.edb"));
  // The instance still runs.
  JET_SESID sesid = 0;
  EXPECT_EQ(JET_errSuccess, JetBeginSessionA(instance, &sesid, nullptr, nullptr));
  EXPECT_EQ(JET_errSuccess, JetEndSession(sesid, 0));
  EXPECT_EQ(JET_errSuccess, JetTerm(instance));
  // And once it is gone, the restore works (after removing the new log set that instance
  // started in the wiped folder: another log signature would be refused).
  restore_test::RemoveFilesIn(folder_);
  ASSERT_EQ(JET_errSuccess, JetRestore2A(Set().c_str(), dest.c_str(), nullptr));
  ExpectSameRows(committed_, InitAndRead(dest + "db.edb"), "after term");
}

TEST_F(LegacyRestoreTest, RestoreInstanceWithNilUsesATemporaryInstanceThatIsFreed) {
  ASSERT_NO_FATAL_FAILURE(StartWithRows());
  ASSERT_NO_FATAL_FAILURE(BackupStopAndWipe(Set()));
  const std::string dest = dir_.Sub("dest");
  ASSERT_EQ(JET_errSuccess, JetRestoreInstanceA(kNilInstance, Set().c_str(), dest.c_str(), nullptr));
  // Freed: no instance is left, and the process is still in one-instance mode.
  JET_UINT32 count = 99;
  JET_INSTANCE_INFO_A* infos = nullptr;
  ASSERT_EQ(JET_errSuccess, JetGetInstanceInfoA(&count, &infos));
  EXPECT_EQ(0u, count);
  if (infos != nullptr) static_cast<void>(JetFreeBuffer(reinterpret_cast<char*>(infos)));
  ExpectSameRows(committed_, InitAndRead(dest + "db.edb"), "JET_instanceNil");
}

TEST_F(LegacyRestoreTest, RestoreInstanceWithZeroUsesATemporaryInstanceThatIsFreed) {
  ASSERT_NO_FATAL_FAILURE(StartWithRows());
  ASSERT_NO_FATAL_FAILURE(BackupStopAndWipe(Set()));
  ASSERT_EQ(JET_errSuccess, JetRestoreInstanceA(0, Set().c_str(), nullptr, nullptr));
  JET_UINT32 count = 99;
  JET_INSTANCE_INFO_A* infos = nullptr;
  ASSERT_EQ(JET_errSuccess, JetGetInstanceInfoA(&count, &infos));
  EXPECT_EQ(0u, count);
  if (infos != nullptr) static_cast<void>(JetFreeBuffer(reinterpret_cast<char*>(infos)));
  ExpectSameRows(committed_, InitAndRead(database_path_), "instance 0");
}

}  // namespace
}  // namespace esent_test
