// Helpers of the internal JetBackupInstance suites that run on an in-memory file system
// (backup_instance_internal_test.cc, backup_instance_crash_internal_test.cc), built on
// tests/api/fault_instance.h: the source instance keeps its logs and system files in /logs/ and
// db.edb in /data/; backups go to /bk; a restore goes through an instance whose paths are /r/
// into /rdest/ and its table t is read back as a set of ids.
//
// Every helper uses whatever file system the registry holds when it is called.
#pragma once

#include <esent_ext.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>

#include "api/jet.h"
#include "fault_instance.h"
#include "io/file_system.h"

namespace esent_test::backup_instance_memory {

namespace fi = fault_instance;

inline constexpr const char* kBackupDir = "/bk";
inline constexpr const char* kRestorePaths = "/r/";
inline constexpr const char* kRestoreDest = "/rdest/";

// The folders the suites use, created on `file_system`.
inline void CreateFolders(esent::io::FileSystem& file_system) {
  for (const char* folder : {"/logs", "/data", "/bk", "/r", "/rdest"}) {
    EXPECT_TRUE(file_system.create_directories(folder).ok()) << folder;
  }
}

// Starts the source instance (recovery on, 64 KiB logs in /logs/) and opens /data/db.edb's
// table t when it exists, else creates it.
inline JET_ERR StartSource(fi::Handles& h, bool create_schema) {
  JET_ERR err = fi::StartInstance(h, {.name_prefix = "backup-instance-mem-"});
  if (err < 0) return err;
  if (create_schema) {
    fi::CreateSchema(h);
    return ::testing::Test::HasFatalFailure() ? JET_errInternalError : JET_errSuccess;
  }
  if ((err = JetAttachDatabaseA(h.sesid, fi::kDatabase, 0)) < 0 && err != JET_wrnDatabaseAttached) return err;
  if ((err = JetOpenDatabaseA(h.sesid, fi::kDatabase, nullptr, &h.dbid, 0)) < 0) return err;
  if ((err = JetOpenTableA(h.sesid, h.dbid, "t", nullptr, 0, 0, &h.table)) < 0) return err;
  JET_COLUMNDEF def{};
  if ((err = JetGetTableColumnInfoA(h.sesid, h.table, "id", &def, sizeof def, JET_ColInfo)) < 0) return err;
  h.id = def.columnid;
  if ((err = JetGetTableColumnInfoA(h.sesid, h.table, "value", &def, sizeof def, JET_ColInfo)) < 0) return err;
  h.value = def.columnid;
  return JET_errSuccess;
}

// Rows [first, first + count) with 300-byte values, each committed durably.
inline void InsertRange(fi::Handles& h, int first, int count) {
  const std::string value(300, 'v');
  for (int id = first; id < first + count; ++id) {
    ASSERT_EQ(JET_errSuccess, fi::Insert(h, id, value)) << id;
  }
}

inline std::set<std::int32_t> Ids(int first, int count) {
  std::set<std::int32_t> ids;
  for (int id = first; id < first + count; ++id) ids.insert(id);
  return ids;
}

// Restores `set` with a fresh instance (paths /r/) into /rdest/, initialises it, reads the ids
// of table t and terminates it. *err gets the restore's code (ids empty when it failed).
inline std::set<std::int32_t> RestoreIds(const std::string& set, JET_ERR* err) {
  std::set<std::int32_t> ids;
  JET_INSTANCE instance = 0;
  *err = JetCreateInstanceA(&instance, fi::NextInstanceName("backup-instance-restore-").c_str());
  if (*err < 0) return ids;
  if ((*err = JetSetSystemParameterA(&instance, 0, JET_paramRecovery, 0, "on")) < 0 ||
      (*err = JetSetSystemParameterA(&instance, 0, JET_paramSystemPath, 0, kRestorePaths)) < 0 ||
      (*err = JetSetSystemParameterA(&instance, 0, JET_paramLogFilePath, 0, kRestorePaths)) < 0 ||
      (*err = JetSetSystemParameterA(&instance, 0, JET_paramTempPath, 0, "/r/temp.edb")) < 0 ||
      (*err = JetSetSystemParameterA(&instance, 0, JET_paramLogFileSize, 64, nullptr)) < 0 ||
      (*err = JetRestoreInstanceA(instance, set.c_str(), kRestoreDest, nullptr)) < 0) {
    JetTerm2(instance, JET_bitTermAbrupt);
    return ids;
  }
  const std::string database = std::string(kRestoreDest) + "db.edb";
  EXPECT_EQ(JET_errSuccess, JetInit(&instance));
  JET_SESID sesid = 0;
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  EXPECT_EQ(JET_errSuccess, JetBeginSession(instance, &sesid, nullptr, nullptr));
  EXPECT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid, database.c_str(), 0));
  EXPECT_EQ(JET_errSuccess, JetOpenDatabaseA(sesid, database.c_str(), nullptr, &dbid, 0));
  if (JetOpenTableA(sesid, dbid, "t", nullptr, 0, 0, &table) == JET_errSuccess) {
    JET_COLUMNDEF def{};
    EXPECT_EQ(JET_errSuccess, JetGetTableColumnInfoA(sesid, table, "id", &def, sizeof def, JET_ColInfo));
    for (JET_ERR move = JetMove(sesid, table, static_cast<JET_INT32>(JET_MoveFirst), 0); move >= 0;
         move = JetMove(sesid, table, JET_MoveNext, 0)) {
      std::int32_t id = 0;
      JET_UINT32 got = 0;
      EXPECT_EQ(JET_errSuccess, JetRetrieveColumn(sesid, table, def.columnid, &id, sizeof id, &got, 0, nullptr));
      ids.insert(id);
    }
  } else {
    ADD_FAILURE() << "table t is missing in the restored database";
  }
  JetTerm2(instance, JET_bitTermAbrupt);
  return ids;
}

// EsentVerifyBackupA of `set`.
inline JET_ERR Verify(const std::string& set) { return EsentVerifyBackupA(set.c_str(), nullptr); }

}  // namespace esent_test::backup_instance_memory
