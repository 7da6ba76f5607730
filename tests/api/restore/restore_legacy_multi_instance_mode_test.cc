// The legacy restore forms in multi-instance mode (an instance made with JetCreateInstance
// exists): JetRestore(A/W) and JetRestore2(A/W) are JET_errRunningInMultiInstanceMode, write
// nothing, and the created instance then restores normally with JetRestoreInstance. Built as its
// own executable: the mode is per process.
#include <esent.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "restore/restore_fixture.h"

namespace esent_test {
namespace {

class LegacyMultiInstanceRestoreTest : public RestoreTest {};

TEST_F(LegacyMultiInstanceRestoreTest, EveryLegacyFormIsRunningInMultiInstanceMode) {
  ASSERT_NO_FATAL_FAILURE(StartWithHistory());
  ASSERT_NO_FATAL_FAILURE(FullBackupTo(SetFolder()));
  ASSERT_NO_FATAL_FAILURE(StopAndWipeSource());
  JET_INSTANCE restorer = RestoreInstanceAt("r", folder_);
  const std::string dest = dir_.Sub("dest");
  const std::u16string set = Widen(SetFolder());
  const std::u16string wide_dest = Widen(dest);
  EXPECT_EQ(JET_errRunningInMultiInstanceMode, JetRestoreA(SetFolder().c_str(), nullptr));
  EXPECT_EQ(JET_errRunningInMultiInstanceMode,
            JetRestoreW(reinterpret_cast<const JET_WCHAR*>(set.c_str()), nullptr));
  EXPECT_EQ(JET_errRunningInMultiInstanceMode, JetRestore2A(SetFolder().c_str(), dest.c_str(), nullptr));
  EXPECT_EQ(JET_errRunningInMultiInstanceMode,
            JetRestore2W(reinterpret_cast<const JET_WCHAR*>(set.c_str()),
                         reinterpret_cast<const JET_WCHAR*>(wide_dest.c_str()), nullptr));
  EXPECT_FALSE(std::filesystem::exists(database_path_));
  EXPECT_FALSE(std::filesystem::exists(dest + "db.edb"));
  ASSERT_EQ(JET_errSuccess, Restore(restorer, SetFolder(), nullptr));
  restore_test::ExpectSameRows(committed_, InitAndReadRows(restorer, database_path_), "after the refusals");
}

}  // namespace
}  // namespace esent_test
