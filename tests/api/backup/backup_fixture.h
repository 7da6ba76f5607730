// Fixture and helpers shared by the streaming-backup API suites (tests/api/backup/*_test.cc),
// which assert the contract of issue 6 (the external backup API: JetBeginExternalBackup(Instance)
// ... JetEndExternalBackup(Instance2), JetStopBackup(Instance)).
//
// BackupTest::StartWithDatabase makes an instance with recovery on (tests/api/test_dirs.h makes
// "off" the process default), 128 KiB logs so tests roll generations quickly, its system and log
// paths in one folder of the test's own TestDir, a session, and a database db.edb with a table t
// (id Long primary key, value LongBinary) open on that session. Insert() commits one row durably
// (JetCommitTransaction(0): the log is on disk when it returns); InsertRows() commits a batch
// lazily but the last row durably (so all are durable at its end); Roll() rolls the log with
// JetCommitTransaction(JET_bitForceNewLog).
//
// The helpers that run a backup call the Instance forms through the A entry points and return
// the first failing JET_ERR (or report with EXPECT_*), so a test can assert both the code and
// what the next call returns.
//
// Checkpoint generation: the tests read it from edb.chk (docs/format/checkpoint.md: two 64 KiB
// slots, magic "ESENTCHK", sequence at byte 24, checkpoint JET_LGPOS at byte 76, generation at
// byte 80; the newer valid slot wins). Checksums are not verified here: the engine writes the
// file, the tests only need the generation.
#pragma once

#include <esent.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "../test_dirs.h"

namespace esent_test {

namespace backup_test {

namespace fs = std::filesystem;

inline constexpr JET_API_PTR kLogFileKb = 128;

// --- files ---------------------------------------------------------------------------------

inline std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline bool WriteWholeFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return out.good();
}

inline std::string Normal(const std::string& path) {
  return fs::path(path).lexically_normal().string();
}

// The generation of an archived log name "edb0000A.log" / "edb0000000A.log" (any directory
// part), or nullopt for any other name (edb.log, edbtmp.log, edbres00001.jrs, edb.chk ...).
inline std::optional<std::uint32_t> ArchivedGeneration(const std::string& path) {
  const std::string name = fs::path(path).filename().string();
  const std::string base = "edb";
  const std::string extension = ".log";
  if (name.size() != base.size() + 5 + extension.size() &&
      name.size() != base.size() + 8 + extension.size()) {
    return std::nullopt;
  }
  if (name.rfind(base, 0) != 0 ||
      name.compare(name.size() - extension.size(), extension.size(), extension) != 0) {
    return std::nullopt;
  }
  const std::string digits = name.substr(base.size(), name.size() - base.size() - extension.size());
  if (digits.find_first_not_of("0123456789ABCDEFabcdef") != std::string::npos) return std::nullopt;
  return static_cast<std::uint32_t>(std::stoul(digits, nullptr, 16));
}

// Generations of the archived logs in `folder`, ascending.
inline std::vector<std::uint32_t> ArchivedGenerations(const std::string& folder) {
  std::vector<std::uint32_t> generations;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (auto generation = ArchivedGeneration(entry.path().string())) generations.push_back(*generation);
  }
  std::sort(generations.begin(), generations.end());
  return generations;
}

// "edb0000A.log" for generation 10 (5 hex digits while they suffice, ESENT's default naming).
inline std::string ArchivedName(std::uint32_t generation) {
  char name[32];
  std::snprintf(name, sizeof(name), generation <= 0xFFFFF ? "edb%05X.log" : "edb%08X.log", generation);
  return name;
}

// The checkpoint generation recorded in `folder`/edb.chk (see the file comment), or 0 when the
// file has no valid copy.
inline std::uint32_t CheckpointGeneration(const std::string& folder) {
  const std::string bytes = ReadWholeFile(folder + "/edb.chk");
  constexpr std::size_t kSlotBytes = 65536;
  std::uint64_t best_sequence = 0;
  std::uint32_t generation = 0;
  for (std::size_t slot = 0; slot < 2; ++slot) {
    const std::size_t start = slot * kSlotBytes;
    if (bytes.size() < start + 192 || bytes.compare(start, 8, "ESENTCHK") != 0) continue;
    std::uint64_t sequence = 0;
    std::uint32_t checkpoint_generation = 0;
    std::memcpy(&sequence, bytes.data() + start + 24, sizeof(sequence));
    std::memcpy(&checkpoint_generation, bytes.data() + start + 80, sizeof(checkpoint_generation));
    if (sequence > best_sequence) {
      best_sequence = sequence;
      generation = checkpoint_generation;
    }
  }
  return generation;
}

// --- multi-strings ---------------------------------------------------------------------------

// The entries of a NUL-separated list ending with an empty entry, from exactly `bytes` bytes.
inline std::vector<std::string> SplitMultiString(const char* data, std::size_t bytes) {
  std::vector<std::string> entries;
  std::size_t start = 0;
  while (start < bytes) {
    const void* end_pointer = std::memchr(data + start, '\0', bytes - start);
    if (end_pointer == nullptr) break;
    const std::size_t end = static_cast<std::size_t>(static_cast<const char*>(end_pointer) - data);
    if (end == start) break;  // the final NUL
    entries.emplace_back(data + start, end - start);
    start = end + 1;
  }
  return entries;
}

// The same for UTF-16, narrowed (the tests use ASCII paths only).
inline std::vector<std::string> SplitMultiStringW(const JET_WCHAR* data, std::size_t chars) {
  std::vector<std::string> entries;
  std::string current;
  for (std::size_t i = 0; i < chars; ++i) {
    if (data[i] == 0) {
      if (current.empty()) break;
      entries.push_back(current);
      current.clear();
    } else {
      current.push_back(static_cast<char>(data[i]));
    }
  }
  return entries;
}

// Bytes of the A multi-string holding `entries`: each entry and its NUL, then one more NUL.
inline std::uint32_t MultiStringBytesA(const std::vector<std::string>& entries) {
  std::size_t bytes = 1;
  for (const std::string& entry : entries) bytes += entry.size() + 1;
  return static_cast<std::uint32_t>(bytes);
}

inline std::uint32_t MultiStringBytesW(const std::vector<std::string>& entries) {
  return static_cast<std::uint32_t>(MultiStringBytesA(entries) * sizeof(JET_WCHAR));
}

// --- the backup calls, A forms ---------------------------------------------------------------

// Calls `call` (one of the JetGet*InfoInstanceA forms) into a large buffer and, when it
// succeeds and `entries` is given, splits the multi-string it returned.
template <typename Call>
JET_ERR MultiStringInfo(Call call, JET_INSTANCE instance, std::vector<std::string>* entries) {
  std::vector<char> buffer(1 << 16, 'x');
  JET_UINT32 actual = 0;
  const JET_ERR err = call(instance, buffer.data(), static_cast<JET_UINT32>(buffer.size()), &actual);
  if (err >= JET_errSuccess && entries != nullptr) {
    *entries = SplitMultiString(buffer.data(), std::min<std::size_t>(actual, buffer.size()));
  }
  return err;
}

// JetGetAttachInfoInstanceA into a large buffer.
inline JET_ERR AttachInfo(JET_INSTANCE instance, std::vector<std::string>* entries) {
  return MultiStringInfo(JetGetAttachInfoInstanceA, instance, entries);
}

// JetGetLogInfoInstanceA into a large buffer.
inline JET_ERR LogInfo(JET_INSTANCE instance, std::vector<std::string>* entries) {
  return MultiStringInfo(JetGetLogInfoInstanceA, instance, entries);
}

// JetGetTruncateLogInfoInstanceA into a large buffer.
inline JET_ERR TruncateLogInfo(JET_INSTANCE instance, std::vector<std::string>* entries) {
  return MultiStringInfo(JetGetTruncateLogInfoInstanceA, instance, entries);
}

// One row (id, value) inserted into `table` in its own transaction, committed durably (or with
// `commit_bits`, e.g. JET_bitCommitLazyFlush); on failure the transaction is rolled back. The
// first failing code.
inline JET_ERR InsertRow(JET_SESID sesid, JET_TABLEID table, JET_COLUMNID id_column,
                         JET_COLUMNID value_column, std::int32_t id, const std::string& value,
                         JET_GRBIT commit_bits = 0) {
  JET_ERR err = JetBeginTransaction(sesid);
  if (err < JET_errSuccess) return err;
  if ((err = JetPrepareUpdate(sesid, table, JET_prepInsert)) < JET_errSuccess ||
      (err = JetSetColumn(sesid, table, id_column, &id, sizeof(id), 0, nullptr)) < JET_errSuccess ||
      (err = JetSetColumn(sesid, table, value_column, value.data(),
                          static_cast<JET_UINT32>(value.size()), 0, nullptr)) < JET_errSuccess ||
      (err = JetUpdate(sesid, table, nullptr, 0, nullptr)) < JET_errSuccess) {
    static_cast<void>(JetPrepareUpdate(sesid, table, JET_prepCancel));
    static_cast<void>(JetRollback(sesid, JET_bitRollbackAll));
    return err;
  }
  err = JetCommitTransaction(sesid, commit_bits);
  if (err < JET_errSuccess) static_cast<void>(JetRollback(sesid, JET_bitRollbackAll));
  return err;
}

inline std::uint64_t Size64(JET_UINT32 low, JET_UINT32 high) {
  return (std::uint64_t{high} << 32) | low;
}

// What StreamFile saw.
struct Streamed {
  std::uint64_t reported_size = 0;  // from JetOpenFileInstance
  std::string bytes;                // every byte read, in order
  int reads = 0;                    // JetReadFileInstance calls that returned data
};

// Opens `path` in the backup, reads it to the end (success with 0 bytes) in `chunk_bytes`
// reads, and closes it. Returns the first failing code (the file is closed when the open worked
// and a later call failed, ignoring that result).
inline JET_ERR StreamFile(JET_INSTANCE instance, const std::string& path, std::uint32_t chunk_bytes,
                          Streamed* out) {
  JET_HANDLE handle = 0;
  JET_UINT32 low = 0;
  JET_UINT32 high = 0;
  JET_ERR err = JetOpenFileInstanceA(instance, path.c_str(), &handle, &low, &high);
  if (err < JET_errSuccess) return err;
  out->reported_size = Size64(low, high);
  std::vector<char> buffer(chunk_bytes);
  for (;;) {
    JET_UINT32 actual = 0;
    err = JetReadFileInstance(instance, handle, buffer.data(), chunk_bytes, &actual);
    if (err < JET_errSuccess) {
      static_cast<void>(JetCloseFileInstance(instance, handle));
      return err;
    }
    if (actual == 0) break;
    if (actual > chunk_bytes) {
      ADD_FAILURE() << "JetReadFileInstance reported " << actual << " bytes for a " << chunk_bytes
                    << "-byte buffer";
      static_cast<void>(JetCloseFileInstance(instance, handle));
      return JET_errInternalError;
    }
    out->bytes.append(buffer.data(), actual);
    ++out->reads;
    if (out->bytes.size() > out->reported_size + chunk_bytes) {
      ADD_FAILURE() << "the stream of " << path << " does not end";
      static_cast<void>(JetCloseFileInstance(instance, handle));
      return JET_errInternalError;
    }
  }
  return JetCloseFileInstance(instance, handle);
}

// --- the legacy (instance-less) calls --------------------------------------------------------

// Every legacy backup call (Begin(0), GetAttachInfo A/W, OpenFile A/W of `path`, ReadFile and
// CloseFile of handle 1, GetLogInfo A/W, TruncateLog, EndExternalBackup, StopBackup) returns
// `expected`.
inline void ExpectEveryLegacyCallIs(JET_ERR expected, const std::string& path) {
  char buffer[64];
  JET_WCHAR wide[32];
  JET_UINT32 actual = 0;
  JET_HANDLE handle = 0;
  JET_UINT32 low = 0;
  JET_UINT32 high = 0;
  EXPECT_EQ(expected, JetBeginExternalBackup(0));
  EXPECT_EQ(expected, JetGetAttachInfoA(buffer, sizeof(buffer), &actual));
  EXPECT_EQ(expected, JetGetAttachInfoW(wide, sizeof(wide), &actual));
  EXPECT_EQ(expected, JetOpenFileA(path.c_str(), &handle, &low, &high));
  const std::u16string name = Widen(path);
  EXPECT_EQ(expected, JetOpenFileW(reinterpret_cast<const JET_WCHAR*>(name.c_str()), &handle, &low, &high));
  EXPECT_EQ(expected, JetReadFile(1, buffer, sizeof(buffer), &actual));
  EXPECT_EQ(expected, JetCloseFile(1));
  EXPECT_EQ(expected, JetGetLogInfoA(buffer, sizeof(buffer), &actual));
  EXPECT_EQ(expected, JetGetLogInfoW(wide, sizeof(wide), &actual));
  EXPECT_EQ(expected, JetTruncateLog());
  EXPECT_EQ(expected, JetEndExternalBackup());
  EXPECT_EQ(expected, JetStopBackup());
}

// --- database header ----------------------------------------------------------------------

inline JET_DBINFOMISC4 DbMisc(const std::string& database_path) {
  JET_DBINFOMISC4 misc{};
  EXPECT_EQ(JET_errSuccess, JetGetDatabaseFileInfoA(database_path.c_str(), &misc, sizeof(misc),
                                                    JET_DbInfoMisc))
      << database_path;
  return misc;
}

inline bool IsZero(const JET_BKINFO& info) {
  const JET_BKINFO zero{};
  return std::memcmp(&info, &zero, sizeof(info)) == 0;
}

inline bool SameBkinfo(const JET_BKINFO& a, const JET_BKINFO& b) {
  return std::memcmp(&a, &b, sizeof(a)) == 0;
}

// The process defaults the one-instance-mode suites start their implicit instance with: paths in
// `folder`, recovery on, the suites' small logs, a checkpoint that moves every log or so.
inline void SetLegacyDefaults(const std::string& folder) {
  ASSERT_EQ(JET_errSuccess, SetInstancePaths(0, folder));
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(nullptr, 0, JET_paramRecovery, 0, "on"));
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(nullptr, 0, JET_paramLogFileSize, kLogFileKb, nullptr));
  ASSERT_EQ(JET_errSuccess, JetSetSystemParameterA(nullptr, 0, JET_paramCheckpointDepthMax,
                                                   kLogFileKb * 1024, nullptr));
}

}  // namespace backup_test

// The result of a whole backup run by BackupTest::FullBackup / IncrementalBackup.
struct BackupRun {
  std::vector<std::string> databases;            // GetAttachInfo (full only)
  std::vector<std::string> logs;                 // GetLogInfo
  std::vector<std::uint32_t> generations;        // the generations of `logs`, in list order
  std::vector<std::uint32_t> on_disk_before_truncate;
  std::vector<std::uint32_t> on_disk_after_truncate;
};

// How BackupTest starts an instance.
struct BackupOptions {
  bool recovery = true;
  bool circular = false;
  JET_API_PTR log_file_kb = backup_test::kLogFileKb;
  // JET_paramCheckpointDepthMax: the checkpoint thread runs whenever the log has grown this far
  // past the checkpoint (the default, 20 MiB, would never run in these small tests). One log
  // file: every roll or so moves the checkpoint, so truncation has something to delete.
  JET_API_PTR checkpoint_depth_bytes = backup_test::kLogFileKb * 1024;
};

// A file opened in a backup with JetOpenFileInstanceA: its handle and the size it reported.
// Tests name the parts with `auto& [handle, low, high] = file;`.
struct OpenedFile {
  JET_HANDLE handle = 0;
  JET_UINT32 low = 0;
  JET_UINT32 high = 0;
};

class BackupTest : public ApiTest {
 protected:
  using Options = BackupOptions;

  // Folder of the instance started with `suffix` (with a trailing '/').
  std::string Folder(const std::string& suffix = "b") const { return dir_.path() + "/" + suffix + "/"; }

  // A created, configured, not yet initialised instance (recovery on unless options say not).
  JET_INSTANCE Configure(const std::string& suffix, const Options& options) {
    JET_INSTANCE instance = CreateInstance(suffix);
    EXPECT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramRecovery, 0,
                                                     options.recovery ? "on" : "off"));
    EXPECT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramLogFileSize,
                                                     options.log_file_kb, nullptr));
    EXPECT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramMaxVerPages, 4096, nullptr));
    EXPECT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramCheckpointDepthMax,
                                                     options.checkpoint_depth_bytes, nullptr));
    if (options.circular) {
      EXPECT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramCircularLog, 1, nullptr));
    }
    return instance;
  }

  // Starts an instance in Folder(suffix); 0 when JetInit failed (reported).
  JET_INSTANCE Start(const std::string& suffix = "b", const Options& options = Options()) {
    JET_INSTANCE instance = Configure(suffix, options);
    const JET_ERR err = JetInit(&instance);
    EXPECT_EQ(JET_errSuccess, err) << suffix;
    return err >= JET_errSuccess ? instance : 0;
  }

  // Starts the fixture's instance ("b") with a session and db.edb holding table t, and fills in
  // instance_, sesid_, dbid_, table_, folder_, database_path_, page_size_.
  void StartWithDatabase(const Options& options = Options()) {
    instance_ = Start("b", options);
    ASSERT_NE(JET_INSTANCE{0}, instance_);
    folder_ = Folder("b");
    sesid_ = BeginSession(instance_);
    ASSERT_NE(JET_SESID{0}, sesid_);
    database_path_ = folder_ + "db.edb";
    ASSERT_NO_FATAL_FAILURE(CreateDatabaseWithTable(sesid_, database_path_, &dbid_, &table_));
    JET_UINT32 page_size = 0;
    ASSERT_EQ(JET_errSuccess, JetGetDatabaseFileInfoA(database_path_.c_str(), &page_size,
                                                      sizeof(page_size), JET_DbInfoPageSize));
    ASSERT_GE(page_size, 4096u);
    page_size_ = page_size;
  }

  // Creates `path` with table t (id Long primary, value LongBinary) and leaves it open on
  // `sesid` with a shared cursor on t.
  void CreateDatabaseWithTable(JET_SESID sesid, const std::string& path, JET_DBID* dbid,
                               JET_TABLEID* table) {
    ASSERT_EQ(JET_errSuccess, JetCreateDatabaseA(sesid, path.c_str(), nullptr, dbid, 0)) << path;
    ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid));
    ASSERT_EQ(JET_errSuccess, JetCreateTableA(sesid, *dbid, "t", 0, 100, table));
    JET_COLUMNDEF id_def{sizeof(JET_COLUMNDEF), 0, JET_coltypLong, 0, 0, 0, 0, 0, JET_bitColumnNotNULL};
    JET_COLUMNDEF value_def{sizeof(JET_COLUMNDEF), 0, JET_coltypLongBinary, 0, 0, 0, 0, 0, 0};
    ASSERT_EQ(JET_errSuccess, JetAddColumnA(sesid, *table, "id", &id_def, nullptr, 0, &id_column_));
    ASSERT_EQ(JET_errSuccess, JetAddColumnA(sesid, *table, "value", &value_def, nullptr, 0, &value_column_));
    const char key[] = "+id\0";
    ASSERT_EQ(JET_errSuccess,
              JetCreateIndexA(sesid, *table, "primary", JET_bitIndexPrimary, key, sizeof(key), 100));
    ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid, 0));
    ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid, *table));
    ASSERT_EQ(JET_errSuccess, JetOpenTableA(sesid, *dbid, "t", nullptr, 0, 0, table));
  }

  // Creates `path` (with table t) on a second session of instance_ and detaches it, so a test can
  // attach it later.
  void CreateDetachedDatabase(const std::string& path) {
    JET_SESID sesid = BeginSession(instance_);
    JET_DBID dbid = 0;
    JET_TABLEID table = 0;
    ASSERT_NO_FATAL_FAILURE(CreateDatabaseWithTable(sesid, path, &dbid, &table));
    ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid, table));
    ASSERT_EQ(JET_errSuccess, JetCloseDatabase(sesid, dbid, 0));
    ASSERT_EQ(JET_errSuccess, JetDetachDatabaseA(sesid, path.c_str()));
    ASSERT_EQ(JET_errSuccess, JetEndSession(sesid, 0));
  }

  // StartWithDatabase, then *second = folder_ + "second.edb" created with table t and attached
  // to instance_ (not opened): two databases, only db.edb open on sesid_.
  void StartWithSecondDatabase(std::string* second) {
    ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
    *second = folder_ + "second.edb";
    ASSERT_NO_FATAL_FAILURE(CreateDetachedDatabase(*second));
    ASSERT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid_, second->c_str(), 0));
  }

  // One row in its own transaction (InsertRow) through this fixture's columns.
  JET_ERR InsertOn(JET_SESID sesid, JET_TABLEID table, std::int32_t id, const std::string& value,
                   JET_GRBIT commit_bits = 0) {
    return backup_test::InsertRow(sesid, table, id_column_, value_column_, id, value, commit_bits);
  }

  JET_ERR Insert(std::int32_t id, const std::string& value = std::string(1000, 'v')) {
    return InsertOn(sesid_, table_, id, value);
  }

  // Inserts `count` rows from `first_id`, one transaction each; the last commit is durable and
  // so makes every earlier (lazy) one durable too.
  void InsertRows(std::int32_t first_id, int count, std::size_t value_bytes = 1000) {
    const std::string value(value_bytes, 'r');
    for (int i = 0; i < count; ++i) {
      const JET_GRBIT commit_bits = i + 1 == count ? 0 : JET_bitCommitLazyFlush;
      ASSERT_EQ(JET_errSuccess, InsertOn(sesid_, table_, first_id + i, value, commit_bits));
    }
  }

  // Rolls the log `times` times (JetCommitTransaction(JET_bitForceNewLog), no transaction open).
  void Roll(int times = 1) {
    for (int i = 0; i < times; ++i) {
      ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, JET_bitForceNewLog));
    }
  }

  // The generation of edb.log now: one more than the newest archived log (1 when none).
  std::uint32_t CurrentGeneration() const {
    const std::vector<std::uint32_t> archived = backup_test::ArchivedGenerations(folder_);
    return archived.empty() ? 1u : archived.back() + 1;
  }

  std::uint32_t DatabaseChunk() const { return 16 * page_size_; }
  std::uint32_t LogChunk() const { return 16 * page_size_; }

  // Streams every database in `databases` (expected: each succeeds).
  void StreamDatabases(JET_INSTANCE instance, const std::vector<std::string>& databases) {
    for (const std::string& database : databases) {
      backup_test::Streamed streamed;
      ASSERT_EQ(JET_errSuccess, backup_test::StreamFile(instance, database, DatabaseChunk(), &streamed))
          << database;
      ASSERT_EQ(streamed.reported_size, streamed.bytes.size()) << database;
    }
  }

  // GetLogInfo, then streams every listed log. Fills run->logs / generations.
  void StreamLogs(JET_INSTANCE instance, BackupRun* run) {
    ASSERT_EQ(JET_errSuccess, backup_test::LogInfo(instance, &run->logs));
    run->generations.clear();
    for (const std::string& log : run->logs) {
      auto generation = backup_test::ArchivedGeneration(log);
      ASSERT_TRUE(generation.has_value()) << log;
      run->generations.push_back(*generation);
      backup_test::Streamed streamed;
      ASSERT_EQ(JET_errSuccess, backup_test::StreamFile(instance, log, LogChunk(), &streamed)) << log;
      ASSERT_EQ(streamed.reported_size, streamed.bytes.size()) << log;
    }
  }

  // A whole full backup of instance_: Begin(0), GetAttachInfo, every database, GetLogInfo,
  // every log, TruncateLog when `truncate`, End(Normal).
  void FullBackup(bool truncate, BackupRun* run) {
    ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
    ASSERT_EQ(JET_errSuccess, backup_test::AttachInfo(instance_, &run->databases));
    ASSERT_NO_FATAL_FAILURE(StreamDatabases(instance_, run->databases));
    ASSERT_NO_FATAL_FAILURE(FinishBackup(truncate, run));
  }

  // A whole incremental backup: Begin(Incremental), GetLogInfo, every log, TruncateLog when
  // `truncate`, End(Normal).
  void IncrementalBackup(bool truncate, BackupRun* run) {
    ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, JET_bitBackupIncremental));
    ASSERT_NO_FATAL_FAILURE(FinishBackup(truncate, run));
  }

  // The log phase of a backup and its end: GetLogInfo, every log, TruncateLog when `truncate`,
  // End(Normal); fills run->logs, generations and the archived logs before and after truncation.
  void FinishBackup(bool truncate, BackupRun* run) {
    ASSERT_NO_FATAL_FAILURE(StreamLogs(instance_, run));
    run->on_disk_before_truncate = backup_test::ArchivedGenerations(folder_);
    if (truncate) {
      ASSERT_EQ(JET_errSuccess, JetTruncateLogInstance(instance_));
    }
    run->on_disk_after_truncate = backup_test::ArchivedGenerations(folder_);
    ASSERT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndNormal));
  }

  // Opens `path` in instance_'s backup (a fatal failure when JetOpenFileInstanceA fails).
  void OpenInBackup(const std::string& path, OpenedFile* file) {
    ASSERT_EQ(JET_errSuccess, JetOpenFileInstanceA(instance_, path.c_str(), &file->handle, &file->low,
                                                   &file->high))
        << path;
  }

  // JetOpenFileInstanceA of `path` in instance_'s backup, for a test that expects it to fail:
  // the code it returned (a handle it gave is dropped).
  JET_ERR TryOpenInBackup(const std::string& path) {
    OpenedFile file;
    return JetOpenFileInstanceA(instance_, path.c_str(), &file.handle, &file.low, &file.high);
  }

  // StartWithDatabase, then a full backup begun (Begin(0) must succeed).
  void StartAndBeginFullBackup() {
    ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
    ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
  }

  // Begin(0) and db.edb streamed to its end: the backup is in its database phase, no file open.
  void BeginAndStreamDatabase() {
    ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
    ASSERT_NO_FATAL_FAILURE(StreamDatabases(instance_, {database_path_}));
  }

  // StartWithDatabase, `rows` rows (InsertRows from id 1), Begin(0) and db.edb opened in the
  // backup.
  void StartWithRowsAndOpenDatabaseStream(int rows, OpenedFile* file) {
    ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
    ASSERT_NO_FATAL_FAILURE(InsertRows(1, rows));
    ASSERT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
    ASSERT_NO_FATAL_FAILURE(OpenInBackup(database_path_, file));
  }

  // StartAndBeginFullBackup, and db.edb opened in the backup.
  void StartAndOpenDatabaseStream(OpenedFile* file) {
    ASSERT_NO_FATAL_FAILURE(StartAndBeginFullBackup());
    ASSERT_NO_FATAL_FAILURE(OpenInBackup(database_path_, file));
  }

  // JetReadFileInstance of `cb` bytes of `handle` into the fixture's read buffer (at least cb
  // bytes); the code it returned.
  JET_ERR ReadChunk(JET_HANDLE handle, JET_UINT32 cb, JET_UINT32* actual) {
    if (read_buffer_.size() < cb) read_buffer_.resize(cb);
    return JetReadFileInstance(instance_, handle, read_buffer_.data(), cb, actual);
  }

  // Ends instance_'s backup with JET_bitBackupEndAbort (expected to succeed).
  void AbortBackup() {
    EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndAbort));
  }

  // Closes `handle` and aborts the backup: both are expected to succeed.
  void CloseAndAbort(JET_HANDLE handle) {
    EXPECT_EQ(JET_errSuccess, JetCloseFileInstance(instance_, handle));
    AbortBackup();
  }

  // The backup is over: every call but Begin gets JET_errNoBackup (GetAttachInfo checked).
  void ExpectNoBackup(JET_INSTANCE instance) {
    JET_UINT32 actual = 0;
    char buffer[16];
    EXPECT_EQ(JET_errNoBackup, JetGetAttachInfoInstanceA(instance, buffer, sizeof(buffer), &actual));
  }

  JET_INSTANCE instance_ = 0;
  JET_SESID sesid_ = 0;
  JET_DBID dbid_ = 0;
  JET_TABLEID table_ = 0;
  JET_COLUMNID id_column_ = 0;
  JET_COLUMNID value_column_ = 0;
  std::string folder_;
  std::string database_path_;
  std::uint32_t page_size_ = 0;
  std::vector<char> read_buffer_;  // ReadChunk's
};

}  // namespace esent_test
