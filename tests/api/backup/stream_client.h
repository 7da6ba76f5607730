// The streaming-backup client of the internal sweeps (backup_fault_sweep_internal_test.cc,
// backup_crash_sweep_internal_test.cc, truncate_log_sweep_internal_test.cc,
// restore_fault_sweep_internal_test.cc), on whatever file system the registry holds
// (tests/api/fault_instance.h installs it):
// - Prepare(kind): the durable state a sweep case starts from, on a new CrashFileSystem: db.edb
//   with kRowsBefore rows in /data, logs in /logs, cleanly terminated; for an incremental, also
//   kLiveRows more rows and a full streaming backup into kFaultedSet (the logs truncated),
//   cleanly terminated again;
// - Open / ReadIds: an instance with recovery on (paths in /logs/) and table t's ids;
// - RunBackup: the whole client loop of a full or an incremental streaming backup into a folder,
//   stopping at the first failing call (reported in ClientRun, the backup not ended);
// - RestoredIds: a restore of a streamed set on a durable copy (paths /r/, into /rdest/).
// Every commit of these helpers is JetCommitTransaction(0), durable when it returns.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "api/jet.h"
#include "backup_fixture.h"
#include "fault_instance.h"
#include "io/crash_file_system.h"

namespace esent_test::stream_client {

using esent::io::CrashFileSystem;
namespace fi = fault_instance;

inline constexpr int kRowsBefore = 150;       // committed, then a clean JetTerm: the prepared state
inline constexpr int kFirstLiveRow = 1000;    // committed by the live instance just before the backup
inline constexpr int kLiveRows = 400;
inline constexpr int kFirstIncrementalRow = 2000;  // committed by the live instance before an incremental
inline constexpr int kIncrementalRows = 200;
inline constexpr const char* kFaultedSet = "/set1/";  // where the faulted run streams
inline constexpr const char* kFinalSet = "/set2/";    // where the backup after it streams
inline constexpr std::uint32_t kChunkBytes = 32 * 1024;

// An instance configured as fi::StartInstance does (paths in /logs/), not initialised.
inline JET_ERR Configure(JET_INSTANCE* instance, const char* logs = fi::kLogs) {
  JET_ERR err = JetCreateInstanceA(instance, fi::NextInstanceName("backup-sweep-").c_str());
  if (err < 0) return err;
  if ((err = JetSetSystemParameterA(instance, 0, JET_paramRecovery, 0, "on")) < 0 ||
      (err = JetSetSystemParameterA(instance, 0, JET_paramSystemPath, 0, logs)) < 0 ||
      (err = JetSetSystemParameterA(instance, 0, JET_paramLogFilePath, 0, logs)) < 0 ||
      (err = JetSetSystemParameterA(instance, 0, JET_paramTempPath, 0, "/data/temp.edb")) < 0) {
    return err;
  }
  return JetSetSystemParameterA(instance, 0, JET_paramLogFileSize, 64, nullptr);
}

using Live = fi::Handles;  // the live instance's handles

// Which backup the sweep faults. Before an incremental, the prepared state holds a full backup
// (into kFaultedSet) and the kLiveRows rows; the live instance then commits kIncrementalRows.
enum class Kind { kFull, kIncremental };


// JetInit (recovery) on the registry's file system, a session, `database` attached and opened,
// table t open; the first error.
inline JET_ERR Open(Live& live, const char* logs = fi::kLogs, const std::string& database = fi::kDatabase) {
  JET_ERR err = Configure(&live.instance, logs);
  if (err < 0) return err;
  if ((err = JetInit(&live.instance)) < 0) return err;
  if ((err = JetBeginSession(live.instance, &live.sesid, nullptr, nullptr)) < 0) return err;
  // After a recovery the database is attached already (JET_wrnDatabaseAttached).
  if ((err = JetAttachDatabaseA(live.sesid, database.c_str(), 0)) < 0) return err;
  if ((err = JetOpenDatabaseA(live.sesid, database.c_str(), nullptr, &live.dbid, 0)) < 0) return err;
  if ((err = JetOpenTableA(live.sesid, live.dbid, "t", nullptr, 0, 0, &live.table)) < 0) return err;
  JET_COLUMNDEF def{};
  if ((err = JetGetTableColumnInfoA(live.sesid, live.table, "id", &def, sizeof def, JET_ColInfo)) < 0) {
    return err;
  }
  live.id = def.columnid;
  if ((err = JetGetTableColumnInfoA(live.sesid, live.table, "value", &def, sizeof def, JET_ColInfo)) < 0) {
    return err;
  }
  live.value = def.columnid;
  return JET_errSuccess;
}

// Every id of table t, or the first error of the scan.
inline JET_ERR ReadIds(const Live& live, std::set<std::int32_t>* ids) {
  ids->clear();
  JET_ERR err = JetMove(live.sesid, live.table, static_cast<JET_INT32>(JET_MoveFirst), 0);
  for (; err >= 0; err = JetMove(live.sesid, live.table, JET_MoveNext, 0)) {
    std::int32_t id = 0;
    JET_UINT32 got = 0;
    const JET_ERR retrieved = JetRetrieveColumn(live.sesid, live.table, live.id, &id, sizeof id, &got, 0, nullptr);
    if (retrieved < 0) return retrieved;
    ids->insert(id);
  }
  return err == JET_errNoCurrentRecord ? JET_errSuccess : err;
}

// Every row committed once the live instance of a `kind` case has committed its rows.
inline std::set<std::int32_t> ExpectedIds(Kind kind) {
  std::set<std::int32_t> ids;
  for (int id = 1; id <= kRowsBefore; ++id) ids.insert(id);
  for (int id = kFirstLiveRow; id < kFirstLiveRow + kLiveRows; ++id) ids.insert(id);
  if (kind == Kind::kIncremental) {
    for (int id = kFirstIncrementalRow; id < kFirstIncrementalRow + kIncrementalRows; ++id) ids.insert(id);
  }
  return ids;
}

inline std::string LastComponent(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

// What one run of the backup client did: the first failing call and its code.
struct ClientRun {
  JET_ERR first_error = JET_errSuccess;
  std::string failed_call;
  bool failed() const { return first_error < JET_errSuccess; }
};

// Streams `name` into `sink`/`folder` (bypassing the faults; synced). False after a failing call
// (recorded in *run; an open file is closed, ignoring that result).
inline bool Stream(JET_INSTANCE instance, const std::string& name, esent::io::FileSystem& sink,
            const std::string& folder, ClientRun* run) {
  JET_HANDLE handle = 0;
  JET_UINT32 low = 0, high = 0;
  JET_ERR err = JetOpenFileInstanceA(instance, name.c_str(), &handle, &low, &high);
  if (err < 0) {
    *run = {err, "JetOpenFileInstance(" + name + ")"};
    return false;
  }
  esent::io::OpenOptions options;
  options.write = options.create = options.truncate = true;
  auto out = sink.open_file(folder + LastComponent(name), options);
  EXPECT_TRUE(out.ok()) << name;
  std::vector<std::byte> buffer(kChunkBytes);
  std::uint64_t offset = 0;
  for (;;) {
    JET_UINT32 actual = 0;
    err = JetReadFileInstance(instance, handle, buffer.data(), kChunkBytes, &actual);
    if (err < 0) {
      *run = {err, "JetReadFileInstance(" + name + ")"};
      static_cast<void>(JetCloseFileInstance(instance, handle));
      return false;
    }
    if (actual == 0) break;
    if (out.ok()) {
      EXPECT_TRUE((*out)->write_at(offset, std::span<const std::byte>(buffer.data(), actual)).ok());
    }
    offset += actual;
  }
  if (out.ok()) {
    EXPECT_TRUE((*out)->sync().ok());
  }
  err = JetCloseFileInstance(instance, handle);
  if (err < 0) {
    *run = {err, "JetCloseFileInstance(" + name + ")"};
    return false;
  }
  return true;
}

// The whole client loop of a `kind` streaming backup into `folder` of `sink` (an incremental
// has no JetGetAttachInfoInstance and no database); stops at the first failing call and does not
// end the backup then. `around_truncate` (may be empty) is called with true just before
// JetTruncateLogInstance and with false just after it.
inline ClientRun RunBackup(JET_INSTANCE instance, esent::io::FileSystem& sink, const std::string& folder,
                           Kind kind = Kind::kFull, const std::function<void(bool)>& around_truncate = {}) {
  ClientRun run;
  JET_ERR err = JetBeginExternalBackupInstance(instance, kind == Kind::kFull ? 0 : JET_bitBackupIncremental);
  if (err < 0) return {err, "JetBeginExternalBackupInstance"};
  if (kind == Kind::kFull) {
    std::vector<std::string> databases;
    if ((err = backup_test::AttachInfo(instance, &databases)) < 0) return {err, "JetGetAttachInfoInstance"};
    for (const std::string& database : databases) {
      if (!Stream(instance, database, sink, folder, &run)) return run;
    }
  }
  std::vector<std::string> logs;
  if ((err = backup_test::LogInfo(instance, &logs)) < 0) return {err, "JetGetLogInfoInstance"};
  for (const std::string& log : logs) {
    if (!Stream(instance, log, sink, folder, &run)) return run;
  }
  if (around_truncate) around_truncate(true);
  err = JetTruncateLogInstance(instance);
  if (around_truncate) around_truncate(false);
  if (err < 0) return {err, "JetTruncateLogInstance"};
  if ((err = JetEndExternalBackupInstance2(instance, JET_bitBackupEndNormal)) < 0) {
    return {err, "JetEndExternalBackupInstance2"};
  }
  EXPECT_TRUE(sink.sync_directory(folder).ok());
  return run;
}

// The durable state every `kind` case starts from: db.edb with kRowsBefore rows, cleanly
// terminated; for an incremental, then also the kLiveRows rows and a full backup into
// kFaultedSet without a fault (truncating the logs), cleanly terminated again.
inline std::shared_ptr<CrashFileSystem> Prepare(Kind kind) {
  auto crash = std::make_shared<CrashFileSystem>();
  for (const char* folder : {"/logs", "/data", "/set1", "/set2", "/r", "/rdest"}) {
    EXPECT_TRUE(crash->create_directories(folder).ok()) << folder;
  }
  fi::InstallFileSystem(crash);
  fi::Handles h;
  EXPECT_EQ(JET_errSuccess, fi::StartInstance(h, {.name_prefix = "backup-sweep-prepare-"}));
  fi::CreateSchema(h);
  const std::string value(300, 'v');
  for (int id = 1; id <= kRowsBefore; ++id) EXPECT_EQ(JET_errSuccess, fi::Insert(h, id, value));
  EXPECT_EQ(JET_errSuccess, JetTerm(h.instance));
  if (kind == Kind::kIncremental) {
    Live live;
    EXPECT_EQ(JET_errSuccess, Open(live));
    const std::string live_value(300, 'w');
    for (int id = kFirstLiveRow; id < kFirstLiveRow + kLiveRows; ++id) {
      EXPECT_EQ(JET_errSuccess, fi::Insert(live.sesid, live.table, live.id, live.value, id, live_value, 0));
    }
    const ClientRun full = RunBackup(live.instance, *crash, kFaultedSet);
    EXPECT_FALSE(full.failed()) << "the full backup before the incremental: " << full.failed_call << " "
                                << full.first_error;
    EXPECT_EQ(JET_errSuccess, JetTerm(live.instance));
  }
  return crash;
}

// Restores `set` on a durable copy of `state` (its own logs only: paths /r/, into /rdest/) and
// returns the ids of table t; *err gets the first error.
inline std::set<std::int32_t> RestoredIds(CrashFileSystem& state, const std::string& set, JET_ERR* err) {
  std::set<std::int32_t> ids;
  auto copy = state.clone_durable();
  fi::InstallFileSystem(copy);
  JET_INSTANCE instance = 0;
  if ((*err = Configure(&instance, "/r/")) < 0 ||
      (*err = JetRestoreInstanceA(instance, set.c_str(), "/rdest/", nullptr)) < 0) {
    JetTerm2(instance, JET_bitTermAbrupt);
    return ids;
  }
  // The restoring instance is not initialised; a new one opens the restored database.
  JetTerm(instance);
  Live restored;
  *err = Open(restored, "/r/", "/rdest/db.edb");
  if (*err >= 0) *err = ReadIds(restored, &ids);
  JetTerm2(restored.instance, JET_bitTermAbrupt);
  return ids;
}

}  // namespace esent_test::stream_client
