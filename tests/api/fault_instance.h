// One instance on an in-memory test file system, for the internal API tests that install a
// fault-injecting or probing file system with Registry::set_file_system_for_testing
// (log_errors_internal_test.cc, backup/backup_internal_test.cc):
// - MemoryWithDirectories(): a MemoryFileSystem holding /logs and /data;
// - InstallFileSystem / RestorePosixFileSystem: the registry's seam, asserting success;
// - StartInstance: recovery on, logs and system files in /logs/, one session;
// - CreateSchema: /data/db.edb with table t (id Long primary, value LongBinary), open shared;
// - Insert: one row in its own transaction, the first error of any step.
//
// Not thread-safe beyond what the engine is: each Handles belongs to one test thread.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "api/jet.h"
#include "engine/registry.h"
#include "io/file_system.h"
#include "io/memory_file_system.h"

namespace esent_test::fault_instance {

constexpr const char* kLogs = "/logs/";
constexpr const char* kDatabase = "/data/db.edb";

struct Handles {
  JET_INSTANCE instance = 0;
  JET_SESID sesid = 0;
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  JET_COLUMNID id = 0;
  JET_COLUMNID value = 0;
};

// A fresh in-memory file system with /logs and /data.
inline std::shared_ptr<esent::io::MemoryFileSystem> MemoryWithDirectories() {
  auto memory = std::make_shared<esent::io::MemoryFileSystem>();
  EXPECT_TRUE(memory->create_directories("/logs").ok());
  EXPECT_TRUE(memory->create_directories("/data").ok());
  return memory;
}

// Every instance created from now on uses `file_system` (fatal failure when refused).
inline void InstallFileSystem(const std::shared_ptr<esent::io::FileSystem>& file_system) {
  ASSERT_TRUE(esent::engine::Registry::process().set_file_system_for_testing(file_system).ok());
}

inline void RestorePosixFileSystem() {
  ASSERT_NO_FATAL_FAILURE(InstallFileSystem(esent::io::posix_file_system()));
}

// A process-unique instance name: `prefix` followed by a counter.
inline std::string NextInstanceName(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + std::to_string(counter.fetch_add(1));
}

struct StartOptions {
  std::string name_prefix = "fault-instance-";
  JET_API_PTR log_file_kb = 64;
  JET_API_PTR max_ver_pages = 0;  // 0: the engine's default
};

// An instance with recovery on, logs of options.log_file_kb in /logs/ (also the system path),
// on whatever file system the registry holds, with one session in h.sesid. Returns the first
// error of any step (h.instance is set as soon as it exists, so the caller can end it).
inline JET_ERR StartInstance(Handles& h, const StartOptions& options = {}) {
  JET_ERR err = JetCreateInstanceA(&h.instance, NextInstanceName(options.name_prefix).c_str());
  if (err < 0) return err;
  if ((err = JetSetSystemParameterA(&h.instance, 0, JET_paramRecovery, 0, "on")) < 0 ||
      (err = JetSetSystemParameterA(&h.instance, 0, JET_paramSystemPath, 0, kLogs)) < 0 ||
      (err = JetSetSystemParameterA(&h.instance, 0, JET_paramLogFilePath, 0, kLogs)) < 0 ||
      (err = JetSetSystemParameterA(&h.instance, 0, JET_paramTempPath, 0, "/data/temp.edb")) < 0 ||
      (err = JetSetSystemParameterA(&h.instance, 0, JET_paramLogFileSize, options.log_file_kb,
                                    nullptr)) < 0) {
    return err;
  }
  if (options.max_ver_pages != 0 &&
      (err = JetSetSystemParameterA(&h.instance, 0, JET_paramMaxVerPages, options.max_ver_pages,
                                    nullptr)) < 0) {
    return err;
  }
  err = JetInit(&h.instance);
  if (err < 0) return err;
  return JetBeginSession(h.instance, &h.sesid, nullptr, nullptr);
}

// db.edb with table t (id Long primary, value LongBinary), open in h.sesid.
inline void CreateSchema(Handles& h) {
  ASSERT_EQ(JET_errSuccess, JetCreateDatabaseA(h.sesid, kDatabase, nullptr, &h.dbid, 0));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(h.sesid));
  ASSERT_EQ(JET_errSuccess, JetCreateTableA(h.sesid, h.dbid, "t", 0, 100, &h.table));
  JET_COLUMNDEF id_def{sizeof(JET_COLUMNDEF), 0, JET_coltypLong, 0, 0, 0, 0, 0, JET_bitColumnNotNULL};
  JET_COLUMNDEF value_def{sizeof(JET_COLUMNDEF), 0, JET_coltypLongBinary, 0, 0, 0, 0, 0, 0};
  ASSERT_EQ(JET_errSuccess, JetAddColumnA(h.sesid, h.table, "id", &id_def, nullptr, 0, &h.id));
  ASSERT_EQ(JET_errSuccess, JetAddColumnA(h.sesid, h.table, "value", &value_def, nullptr, 0, &h.value));
  const char key[] = "+id\0";
  ASSERT_EQ(JET_errSuccess,
            JetCreateIndexA(h.sesid, h.table, "primary", JET_bitIndexPrimary, key, sizeof(key), 100));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(h.sesid, 0));
  // JetCreateTable's cursor holds the table exclusively: reopen it shared.
  ASSERT_EQ(JET_errSuccess, JetCloseTable(h.sesid, h.table));
  ASSERT_EQ(JET_errSuccess, JetOpenTableA(h.sesid, h.dbid, "t", nullptr, 0, 0, &h.table));
}

// One insert in its own transaction; the first error of any step (the transaction is rolled
// back then, when it is still open). `commit_reached` tells whether JetCommitTransaction ran.
inline JET_ERR Insert(JET_SESID sesid, JET_TABLEID table, JET_COLUMNID id_column,
                      JET_COLUMNID value_column, std::int32_t id, const std::string& value,
                      JET_GRBIT commit_bits, bool* commit_reached = nullptr) {
  if (commit_reached != nullptr) *commit_reached = false;
  JET_ERR err = JetBeginTransaction(sesid);
  if (err < 0) return err;
  if ((err = JetPrepareUpdate(sesid, table, JET_prepInsert)) < 0 ||
      (err = JetSetColumn(sesid, table, id_column, &id, sizeof(id), 0, nullptr)) < 0 ||
      (err = JetSetColumn(sesid, table, value_column, value.data(),
                          static_cast<std::uint32_t>(value.size()), 0, nullptr)) < 0 ||
      (err = JetUpdate(sesid, table, nullptr, 0, nullptr)) < 0) {
    JetPrepareUpdate(sesid, table, JET_prepCancel);
    JetRollback(sesid, JET_bitRollbackAll);
    return err;
  }
  if (commit_reached != nullptr) *commit_reached = true;
  err = JetCommitTransaction(sesid, commit_bits);
  if (err < 0) JetRollback(sesid, JET_bitRollbackAll);
  return err;
}

inline JET_ERR Insert(Handles& h, std::int32_t id, const std::string& value,
                      JET_GRBIT commit_bits = 0, bool* commit_reached = nullptr) {
  return Insert(h.sesid, h.table, h.id, h.value, id, value, commit_bits, commit_reached);
}

}  // namespace esent_test::fault_instance
