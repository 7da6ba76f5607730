// Restore's staging name, `<target>.restoring` (issue 10, item 5): a symbolic link planted there
// is refused with JET_errFileAccessDenied before anything is written — neither followed nor
// truncated, its target unchanged, the destination database unchanged — and the instance
// restores the good set once the link is gone; a stale regular file there (a crashed restore's)
// is replaced. And a manifest naming a file outside the backup folder ("../x", "a/b") is a
// damaged backup: EsentVerifyBackup and JetRestoreInstance report JET_errInvalidBackup and never
// read that file, even when its size and checksum would match.
#include <esent.h>
#include <esent_ext.h>
#include <gtest/gtest.h>
#include <unistd.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "restore/restore_fixture.h"

namespace esent_test {
namespace {

namespace fs = std::filesystem;

constexpr const char* kVictimBytes = "the victim's own bytes";

class RestoreSafetyTest : public RestoreErrorTest {
 protected:
  std::string Victim() {
    const std::string victim = dir_.path() + "/victim";
    if (!fs::exists(victim)) {
      EXPECT_TRUE(backup_test::WriteWholeFile(victim, kVictimBytes));
    }
    return victim;
  }
};

TEST_F(RestoreSafetyTest, ALinkAtTheRestoringNameIsRefusedAndItsTargetUntouched) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  const std::string staging = dest_ + "db.edb.restoring";
  ASSERT_EQ(0, ::symlink(Victim().c_str(), staging.c_str()));
  EXPECT_EQ(JET_errFileAccessDenied, Restore(restorer_, Good(), dest_.c_str()));
  EXPECT_EQ(kVictimBytes, backup_test::ReadWholeFile(Victim())) << "the link was followed";
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(staging))) << "the link itself is left alone";
  EXPECT_EQ(existing_, backup_test::ReadWholeFile(dest_ + "db.edb")) << "the destination database was overwritten";
  ASSERT_TRUE(fs::remove(staging));
  ASSERT_NO_FATAL_FAILURE(ExpectGoodRestoreWorks());
  EXPECT_EQ(kVictimBytes, backup_test::ReadWholeFile(Victim()));
}

TEST_F(RestoreSafetyTest, ADanglingLinkAtTheRestoringNameCreatesNothing) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  const std::string staging = dest_ + "db.edb.restoring";
  const std::string planted = dir_.path() + "/planted";
  ASSERT_EQ(0, ::symlink(planted.c_str(), staging.c_str()));
  EXPECT_EQ(JET_errFileAccessDenied, Restore(restorer_, Good(), dest_.c_str()));
  EXPECT_FALSE(fs::exists(planted)) << "the restore created the link's target";
  EXPECT_EQ(existing_, backup_test::ReadWholeFile(dest_ + "db.edb"));
}

TEST_F(RestoreSafetyTest, AStaleRestoringFileIsReplaced) {
  ASSERT_NO_FATAL_FAILURE(Prepare());
  const std::string staging = dest_ + "db.edb.restoring";
  ASSERT_TRUE(backup_test::WriteWholeFile(staging, std::string(5 * std::size_t{page_size_}, 'S')));
  ASSERT_NO_FATAL_FAILURE(ExpectGoodRestoreWorks());
  EXPECT_FALSE(fs::exists(fs::symlink_status(staging))) << "the staging file was renamed into place";
}

// "%016" PRIx64 of XXH3-64 of `bytes`.
std::string Xxh3Hex(const std::string& bytes) {
  char text[17];
  std::snprintf(text, sizeof(text), "%016" PRIx64, static_cast<std::uint64_t>(XXH3_64bits(bytes.data(), bytes.size())));
  return text;
}

class RestoreManifestNamesTest : public RestoreErrorTest,
                                 public ::testing::WithParamInterface<const char*> {};

// The streamed set in Bad() gets a manifest listing its own files truthfully plus one name that
// reaches outside; the file it reaches exists with exactly the listed size and checksum, so only
// the name can make the backup damaged.
TEST_P(RestoreManifestNamesTest, ANameOutsideTheFolderIsInvalidBackup) {
  const std::string name = GetParam();
  ASSERT_NO_FATAL_FAILURE(Prepare());
  const std::string outside_bytes = "bytes outside the backup folder";
  std::string manifest = "esent-backup-manifest 1\n";
  for (const auto& entry : fs::directory_iterator(Bad())) {
    const std::string bytes = backup_test::ReadWholeFile(entry.path().string());
    manifest += std::to_string(bytes.size()) + " " + Xxh3Hex(bytes) + " " + entry.path().filename().string() + "\n";
  }
  const std::string outside = (fs::path(Bad()) / name).lexically_normal().string();
  fs::create_directories(fs::path(outside).parent_path());
  ASSERT_TRUE(backup_test::WriteWholeFile(outside, outside_bytes));
  const std::string with_name = manifest + std::to_string(outside_bytes.size()) + " " + Xxh3Hex(outside_bytes) + " " + name + "\n";
  ASSERT_TRUE(backup_test::WriteWholeFile(Bad() + "/esent-backup.manifest", manifest));
  EXPECT_EQ(JET_errSuccess, EsentVerifyBackupA(Bad().c_str(), nullptr)) << "the truthful manifest verifies";
  ASSERT_TRUE(backup_test::WriteWholeFile(Bad() + "/esent-backup.manifest", with_name));
  EXPECT_EQ(JET_errInvalidBackup, EsentVerifyBackupA(Bad().c_str(), nullptr)) << name;
  ASSERT_NO_FATAL_FAILURE(ExpectRefused(JET_errInvalidBackup));
  EXPECT_EQ(outside_bytes, backup_test::ReadWholeFile(outside));
  ASSERT_NO_FATAL_FAILURE(ExpectGoodRestoreWorks());
}

INSTANTIATE_TEST_SUITE_P(Names, RestoreManifestNamesTest, ::testing::Values("../x", "sub/x"),
                         [](const ::testing::TestParamInfo<const char*>& param_info) {
                           return std::string("Name") + std::to_string(param_info.index);
                         });

}  // namespace
}  // namespace esent_test
