// Named regression tests for the bugs the SIGKILL tests (crash_kill_internal_test.cc) found,
// each made deterministic.
#include <esent.h>
#include <esent_ext.h>
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "../crash/counting_file_system.h"
#include "crash_kill_fixture.h"
#include "crash_oracle.h"
#include "engine/registry.h"
#include "io/crash_file_system.h"
#include "io/file_system.h"

namespace esent_crash {
namespace {

using namespace kill_test;

// Regression (found by StreamingBackupKilledKeepsCommitsAndTheNextBackupRestores, seed 7018
// under ESENT_LONG_TESTS=1, when the recovery child was killed as it attached the database):
// JetAttachDatabase wrote the database header dirty before its attach record was in the log.
// A process killed in between left a dirty database that the log did not name: no recovery
// made it clean again, and every attach failed with JET_errDatabaseDirtyShutdown. The attach
// record is now durable before the header is first written. Made deterministic here on an
// in-memory file system: the process "dies" (every later call fails, every byte written stays,
// as after SIGKILL) at the first write to another file after the attach wrote the database,
// or, when there is none, once the attach returned.
TEST(CrashKillRegression, AttachKilledAfterItsFirstDatabaseWriteRecovers) {
  struct RestorePosix {
    ~RestorePosix() {
      (void)esent::engine::Registry::process().set_file_system_for_testing(esent::io::posix_file_system());
    }
  } restore_posix;
  const std::string folder = "/data/";
  const std::string database = folder + "oracle.edb";
  auto crashable = std::make_shared<esent::io::CrashFileSystem>();
  ASSERT_TRUE(crashable->create_directories(folder).ok());
  auto gate = std::make_shared<CountingFileSystem>(crashable);
  ASSERT_TRUE(esent::engine::Registry::process().set_file_system_for_testing(gate).ok());
  ASSERT_NO_FATAL_FAILURE(set_up_database(folder, 1));

  JET_INSTANCE instance = 0;
  ASSERT_EQ(JET_errSuccess, start_instance(folder, &instance));
  JET_SESID sesid = 0;
  ASSERT_EQ(JET_errSuccess, JetBeginSessionA(instance, &sesid, nullptr, nullptr));
  std::atomic<bool> database_written{false};
  std::atomic<bool> killed{false};
  auto kill = [&] {
    if (killed.exchange(true)) return;
    gate->fence([&] { crashable->crash(esent::io::CrashOptions{1, false, 1.0}); });
  };
  gate->set_write_hook([&](const std::string& path) {
    if (path == database) {
      database_written = true;
    } else if (database_written) {
      kill();
    }
  });
  (void)JetAttachDatabaseA(sesid, database.c_str(), 0);  // fails when the kill came inside it
  kill();
  gate->set_write_hook({});
  EXPECT_TRUE(database_written.load());
  (void)JetTerm2(instance, JET_bitTermDirty);

  ASSERT_TRUE(esent::engine::Registry::process().set_file_system_for_testing(crashable).ok());
  ASSERT_EQ(JET_errSuccess, start_instance(folder, &instance)) << "recovery";
  Rows rows;
  EXPECT_EQ(JET_errSuccess, read_database(instance, database, &rows)) << "the database stayed dirty";
  EXPECT_EQ(1u, rows.count(marker_key(0)));
  EXPECT_EQ(JET_errSuccess, JetTerm(instance));
}

// Regression (found by BackupInstanceKilledLeavesACompleteBackupAndTheNextOneSucceeds, seed
// 8015 under ESENT_LONG_TESTS=1): an atomic full backup into A, a full backup into another
// folder B (which truncates the logs after A's), then an incremental into A: it copied the logs
// still on disk into A, past a gap, returned success, and A — a good backup until then — no
// longer verified nor restored (JET_errFileNotFound: a generation missing). The incremental is
// now refused with JET_errMissingFileToBackup before anything of A changes. The instance is
// restarted between the steps so that each clean shutdown moves the checkpoint (and so the
// truncation) past the logs of the step before.
TEST(CrashKillRegression, IncrementalThatWouldLeaveAGapInItsFolderIsRefused) {
  TempRoot root;
  const std::string live = root.sub("live");
  const std::string a = root.sub("a");
  const std::string b = root.sub("b");
  ASSERT_NO_FATAL_FAILURE(set_up_database(live, 1));
  auto step = [&](const std::function<void(JET_INSTANCE, JET_SESID)>& body) {
    JET_INSTANCE instance = 0;
    ASSERT_EQ(JET_errSuccess, start_instance(live, &instance));
    JET_SESID sesid = 0;
    ASSERT_EQ(JET_errSuccess, JetBeginSessionA(instance, &sesid, nullptr, nullptr));
    ASSERT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid, (live + "oracle.edb").c_str(), 0));
    body(instance, sesid);
    EXPECT_EQ(JET_errSuccess, JetTerm(instance));
  };
  ASSERT_NO_FATAL_FAILURE(step([&](JET_INSTANCE instance, JET_SESID) {
    ASSERT_EQ(JET_errSuccess, JetBackupInstanceA(instance, a.c_str(), JET_bitBackupAtomic, nullptr));
  }));
  ASSERT_EQ(JET_errSuccess, EsentVerifyBackupA(a.c_str(), nullptr));
  ASSERT_NO_FATAL_FAILURE(step([&](JET_INSTANCE, JET_SESID sesid) {
    for (int roll = 0; roll < 3; ++roll) ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid, JET_bitForceNewLog));
  }));
  ASSERT_NO_FATAL_FAILURE(step([&](JET_INSTANCE instance, JET_SESID) {
    ASSERT_EQ(JET_errSuccess, JetBackupInstanceA(instance, b.c_str(), 0, nullptr));
  }));
  ASSERT_NO_FATAL_FAILURE(step([&](JET_INSTANCE instance, JET_SESID) {
    EXPECT_EQ(JET_errMissingFileToBackup,
              JetBackupInstanceA(instance, a.c_str(), JET_bitBackupAtomic | JET_bitBackupIncremental, nullptr));
    EXPECT_EQ(JET_errSuccess, EsentVerifyBackupA(a.c_str(), nullptr)) << "the refused incremental changed A"
                                                                      << describe_folder(a);
    // B's chain goes on.
    EXPECT_EQ(JET_errSuccess, JetBackupInstanceA(instance, b.c_str(), JET_bitBackupIncremental, nullptr));
    EXPECT_EQ(JET_errSuccess, EsentVerifyBackupA(b.c_str(), nullptr)) << describe_folder(b);
  }));
  Rows restored;
  EXPECT_EQ(JET_errSuccess, restore_and_read(root, "a", a, &restored));
  EXPECT_EQ(1u, restored.count(marker_key(0)));
}

}  // namespace
}  // namespace esent_crash
