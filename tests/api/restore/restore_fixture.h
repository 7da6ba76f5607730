// Fixture and helpers shared by the restore API suites (tests/api/restore/*_test.cc), which
// assert the restore contract of issue 7: JetRestoreInstance(A/W), JetRestore(2)(A/W),
// JetExternalRestore(2)(A/W), JetInit3 with JET_RSTINFO, and JetAttachDatabase of a streamed
// image (JET_errSoftRecoveryOnBackupDatabase).
//
// RestoreTest builds on BackupTest (tests/api/backup/backup_fixture.h): the source instance "b"
// with db.edb and table t (id Long primary key, value LongBinary). Every change a test commits
// through Commit / CommitRows / UpdateRow / DeleteRow is mirrored in the oracle `committed_`
// (a std::map id -> value); tests snapshot it where a backup should end and compare the
// restored table with it row by row (ExpectSameRows).
//
// StreamBackupTo runs a whole streaming backup through the Instance A entry points and writes
// what it streamed into a folder, as a client would: each database image under its database's
// file name, each log under its archived name. Hooks let a test act in the middle of it (after
// the first database chunk; just before and just after JetGetLogInfoInstance).
//
// Restore helpers: RestoreInstanceAt makes a created, configured (recovery on, 128 KiB logs),
// not initialised instance whose system and log paths are a given folder; Restore runs
// JetRestoreInstanceA and checks that the backup folder is byte-identical before and after
// (listing and bytes); InitAndReadRows initialises an instance, attaches a database and reads
// table t into a map. DefaultLogFileSize gives the instance-less restores (JetExternalRestore,
// JetRestore, JET_instanceNil: the process defaults) the tests' 128 KiB log size.
//
// RestoreErrorTest (the refusal suites): a good set over 3+ generations and a copy to damage;
// a refused restore must return the expected code and leave the destination's db.edb alone,
// and the same instance must then restore the good set.
#pragma once

#include <esent.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "backup/backup_fixture.h"

namespace esent_test {

namespace restore_test {

namespace fs = std::filesystem;

using Rows = std::map<std::int32_t, std::string>;
// Every regular file of a folder (not recursive): file name -> bytes.
using FolderBytes = std::map<std::string, std::string>;

inline FolderBytes SnapshotFolder(const std::string& folder) {
  FolderBytes files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    if (entry.is_regular_file()) {
      files[entry.path().filename().string()] = backup_test::ReadWholeFile(entry.path().string());
    } else {
      files[entry.path().filename().string() + "/"] = "<not a regular file>";
    }
  }
  return files;
}

// A short account of how two snapshots differ ("" when they are equal).
inline std::string DescribeDifference(const FolderBytes& before, const FolderBytes& after) {
  std::ostringstream out;
  for (const auto& [name, bytes] : before) {
    auto it = after.find(name);
    if (it == after.end()) {
      out << " removed " << name << ";";
    } else if (it->second != bytes) {
      out << " changed " << name << " (" << bytes.size() << " -> " << it->second.size() << " bytes);";
    }
  }
  for (const auto& [name, bytes] : after) {
    if (before.find(name) == before.end()) out << " added " << name << ";";
  }
  return out.str();
}

inline void CopyFile(const std::string& from, const std::string& to) {
  std::error_code error;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, error);
  ASSERT_FALSE(error) << "copy " << from << " -> " << to << ": " << error.message();
}

// Copies every regular file of `from` into `to` (created when missing), overwriting.
inline void CopyFolderFiles(const std::string& from, const std::string& to) {
  std::error_code error;
  fs::create_directories(to, error);
  for (const auto& entry : fs::directory_iterator(from)) {
    if (!entry.is_regular_file()) continue;
    ASSERT_NO_FATAL_FAILURE(CopyFile(entry.path().string(), to + "/" + entry.path().filename().string()));
  }
}

// Removes every regular file of `folder` (databases, logs, checkpoint, reserve logs ...).
inline void RemoveFilesIn(const std::string& folder) {
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file()) fs::remove(entry.path());
  }
}

inline bool Exists(const std::string& path) { return fs::exists(path); }

// The names of the archived logs of `folder`, ascending generation.
inline std::vector<std::string> ArchivedLogNames(const std::string& folder) {
  std::vector<std::string> names;
  for (std::uint32_t generation : backup_test::ArchivedGenerations(folder)) {
    names.push_back(backup_test::ArchivedName(generation));
  }
  return names;
}

// The deterministic value the tests give row `id` (a few hundred bytes, varying with id).
inline std::string ValueFor(std::int32_t id, int version = 0) {
  const std::size_t length = 100 + static_cast<std::size_t>((id * 37 + version * 11) % 700);
  std::string value(length, static_cast<char>('a' + (id + version) % 26));
  const std::string tag = "id=" + std::to_string(id) + ",v=" + std::to_string(version) + ";";
  value.replace(0, std::min(tag.size(), value.size()), tag.substr(0, std::min(tag.size(), value.size())));
  return value;
}

// Row-by-row comparison with a readable report of the first differences.
inline void ExpectSameRows(const Rows& expected, const Rows& actual, const std::string& what = "") {
  int reported = 0;
  for (const auto& [id, value] : expected) {
    auto it = actual.find(id);
    if (it == actual.end()) {
      if (reported++ < 10) ADD_FAILURE() << what << ": committed row " << id << " is missing";
    } else if (it->second != value) {
      if (reported++ < 10) {
        ADD_FAILURE() << what << ": row " << id << " has " << it->second.size()
                      << " bytes starting '" << it->second.substr(0, 24) << "', expected "
                      << value.size() << " bytes starting '" << value.substr(0, 24) << "'";
      }
    }
  }
  for (const auto& [id, value] : actual) {
    if (expected.find(id) == expected.end() && reported++ < 10) {
      ADD_FAILURE() << what << ": row " << id << " is present but was not committed before the backup";
    }
  }
  EXPECT_EQ(0, reported) << what << ": " << expected.size() << " rows expected, " << actual.size()
                         << " restored";
}

// Reads every row of table t of the database open as `dbid` on `sesid`.
inline JET_ERR ReadTable(JET_SESID sesid, JET_DBID dbid, Rows* rows) {
  JET_TABLEID table = 0;
  JET_ERR err = JetOpenTableA(sesid, dbid, "t", nullptr, 0, JET_bitTableReadOnly, &table);
  if (err < JET_errSuccess) return err;
  JET_COLUMNDEF id_def{};
  JET_COLUMNDEF value_def{};
  if ((err = JetGetTableColumnInfoA(sesid, table, "id", &id_def, sizeof(id_def), JET_ColInfo)) < 0 ||
      (err = JetGetTableColumnInfoA(sesid, table, "value", &value_def, sizeof(value_def), JET_ColInfo)) < 0) {
    static_cast<void>(JetCloseTable(sesid, table));
    return err;
  }
  std::vector<char> buffer(1 << 20);
  constexpr JET_INT32 kMoveFirst = std::numeric_limits<JET_INT32>::min();  // JET_MoveFirst
  for (err = JetMove(sesid, table, kMoveFirst, 0); err >= JET_errSuccess;
       err = JetMove(sesid, table, JET_MoveNext, 0)) {
    std::int32_t id = 0;
    JET_UINT32 actual = 0;
    JET_ERR column_err = JetRetrieveColumn(sesid, table, id_def.columnid, &id, sizeof(id), &actual, 0, nullptr);
    if (column_err != JET_errSuccess || actual != sizeof(id)) {
      static_cast<void>(JetCloseTable(sesid, table));
      return column_err < 0 ? column_err : JET_errInternalError;
    }
    column_err = JetRetrieveColumn(sesid, table, value_def.columnid, buffer.data(),
                                   static_cast<JET_UINT32>(buffer.size()), &actual, 0, nullptr);
    if (column_err == JET_wrnColumnNull) {
      actual = 0;
    } else if (column_err != JET_errSuccess) {
      static_cast<void>(JetCloseTable(sesid, table));
      return column_err < 0 ? column_err : JET_errInternalError;
    }
    (*rows)[id] = std::string(buffer.data(), actual);
  }
  static_cast<void>(JetCloseTable(sesid, table));
  return err == JET_errNoCurrentRecord ? JET_errSuccess : err;
}

// --- status callbacks --------------------------------------------------------------------

// One call of a JET_PFNSTATUS callback, as the recording callbacks saw it.
struct StatusEvent {
  JET_SESID sesid = 0;
  JET_SNP snp = 0;
  JET_SNT snt = 0;
  bool pv_null = true;
  JET_SNPROG progress{};  // copied when snt is JET_sntProgress and pv is not NULL
};

// The callbacks have no context argument: they record into this process-wide list (the tests
// of one executable run one at a time).
inline std::vector<StatusEvent>& RecordedEvents() {
  static std::vector<StatusEvent> events;
  return events;
}

inline void RecordEvent(JET_SESID sesid, JET_SNP snp, JET_SNT snt, void* pv) {
  StatusEvent event;
  event.sesid = sesid;
  event.snp = snp;
  event.snt = snt;
  event.pv_null = pv == nullptr;
  if (snt == JET_sntProgress && pv != nullptr) std::memcpy(&event.progress, pv, sizeof(JET_SNPROG));
  RecordedEvents().push_back(event);
}

inline JET_ERR JET_API RecordingCallback(JET_SESID sesid, JET_SNP snp, JET_SNT snt, void* pv) {
  RecordEvent(sesid, snp, snt, pv);
  return JET_errSuccess;
}

// The progress rules shared by every JET_PFNSTATUS sequence: each event of `snp` and `sesid`;
// between the first and the last only sntProgress; each progress with a JET_SNPROG (cbStruct
// 12), cunitTotal fixed and above 0, cunitDone never going back nor passing it, reaching it.
inline void ExpectProgressEvents(const std::vector<StatusEvent>& events, JET_SNP snp, JET_SESID sesid) {
  std::uint32_t last_done = 0;
  std::uint32_t total = 0;
  bool any_progress = false;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const StatusEvent& event = events[i];
    EXPECT_EQ(sesid, event.sesid) << "event " << i;
    EXPECT_EQ(snp, event.snp) << "event " << i;
    if (i > 0 && i + 1 < events.size()) {
      EXPECT_EQ(JET_SNT{JET_sntProgress}, event.snt) << "event " << i << " between Begin and Complete";
    }
    if (event.snt != JET_sntProgress) continue;
    ASSERT_FALSE(event.pv_null) << "progress event " << i << " without a JET_SNPROG";
    EXPECT_EQ(12u, event.progress.cbStruct) << "event " << i;
    if (!any_progress) {
      total = event.progress.cunitTotal;
      EXPECT_GT(total, 0u);
    }
    EXPECT_EQ(total, event.progress.cunitTotal) << "cunitTotal changed at event " << i;
    EXPECT_GE(event.progress.cunitDone, last_done) << "cunitDone went back at event " << i;
    EXPECT_LE(event.progress.cunitDone, event.progress.cunitTotal) << "event " << i;
    last_done = event.progress.cunitDone;
    any_progress = true;
  }
  EXPECT_TRUE(any_progress) << "no JET_sntProgress event";
  EXPECT_EQ(total, last_done) << "cunitDone did not reach cunitTotal before Complete";
}

// Asserts the JET_snpRestore sequence rules of the contract on RecordedEvents().
inline void ExpectRestoreStatusSequence(const std::vector<StatusEvent>& events) {
  ASSERT_GE(events.size(), 2u) << "expected at least Begin and Complete";
  EXPECT_EQ(JET_SNT{JET_sntBegin}, events.front().snt);
  EXPECT_TRUE(events.front().pv_null);
  EXPECT_EQ(JET_SNT{JET_sntComplete}, events.back().snt);
  ExpectProgressEvents(events, JET_snpRestore, 0);
}

}  // namespace restore_test

// Hooks into StreamBackupTo.
struct BackupHooks {
  // Called once, after the first chunk of the first database was read (the stream is open).
  std::function<void()> after_first_database_chunk;
  // Called just before JetGetLogInfoInstanceA.
  std::function<void()> before_log_info;
  // Called just after JetGetLogInfoInstanceA returned (the log has rolled: later commits are
  // not in this backup).
  std::function<void()> after_log_info;
};

class RestoreTest : public BackupTest {
 protected:
  using Rows = restore_test::Rows;

  // The instance-less restores (JetExternalRestore(2), JetRestore(2), JET_instanceNil) use the
  // process defaults: while this guard lives the default JET_paramLogFileSize is the 128 KiB
  // of the tests' logs; the previous default comes back at its end.
  class DefaultLogFileSize {
   public:
    DefaultLogFileSize() {
      previous_ = GetIntegerParam(0, JET_paramLogFileSize);
      EXPECT_EQ(JET_errSuccess,
                JetSetSystemParameterA(nullptr, 0, JET_paramLogFileSize, backup_test::kLogFileKb, nullptr));
    }
    ~DefaultLogFileSize() {
      EXPECT_EQ(JET_errSuccess, JetSetSystemParameterA(nullptr, 0, JET_paramLogFileSize, previous_, nullptr));
    }
    DefaultLogFileSize(const DefaultLogFileSize&) = delete;
    DefaultLogFileSize& operator=(const DefaultLogFileSize&) = delete;

   private:
    JET_API_PTR previous_ = 0;
  };

  // Streams `path` from `instance`'s backup into `out_path` in `chunk_bytes` reads; `after_first`
  // (may be empty) runs after the first read. Fatal failure on any error.
  void StreamFileTo(JET_INSTANCE instance, const std::string& path, const std::string& out_path,
                    std::uint32_t chunk_bytes, const std::function<void()>& after_first = {}) {
    JET_HANDLE handle = 0;
    JET_UINT32 low = 0;
    JET_UINT32 high = 0;
    ASSERT_EQ(JET_errSuccess, JetOpenFileInstanceA(instance, path.c_str(), &handle, &low, &high)) << path;
    std::string bytes;
    std::vector<char> buffer(chunk_bytes);
    bool first = true;
    for (;;) {
      JET_UINT32 actual = 0;
      ASSERT_EQ(JET_errSuccess, JetReadFileInstance(instance, handle, buffer.data(), chunk_bytes, &actual))
          << path;
      if (actual == 0) break;
      ASSERT_LE(actual, chunk_bytes);
      bytes.append(buffer.data(), actual);
      ASSERT_LE(bytes.size(), backup_test::Size64(low, high)) << path;
      if (first && after_first) {
        ASSERT_NO_FATAL_FAILURE(after_first());
      }
      first = false;
    }
    ASSERT_EQ(JET_errSuccess, JetCloseFileInstance(instance, handle)) << path;
    ASSERT_EQ(backup_test::Size64(low, high), bytes.size()) << path;
    ASSERT_TRUE(backup_test::WriteWholeFile(out_path, bytes)) << out_path;
  }

  // A whole streaming backup of `instance` written into `out_folder` (created): full when not
  // `incremental` (every attached database, image under its file name, then the logs),
  // otherwise incremental (logs only); JetTruncateLogInstance when `truncate` (a full that
  // truncates sets bkinfoFullPrev; an incremental that does not truncate is a differential);
  // End(Normal). Fills run->databases (full), logs and generations.
  void StreamBackupTo(JET_INSTANCE instance, bool incremental, bool truncate, const std::string& out_folder,
                      BackupRun* run, const BackupHooks& hooks = {}) {
    std::error_code error;
    std::filesystem::create_directories(out_folder, error);
    ASSERT_EQ(JET_errSuccess,
              JetBeginExternalBackupInstance(instance, incremental ? JET_bitBackupIncremental : 0));
    if (!incremental) {
      ASSERT_EQ(JET_errSuccess, backup_test::AttachInfo(instance, &run->databases));
      bool first_database = true;
      for (const std::string& database : run->databases) {
        const std::string name = std::filesystem::path(database).filename().string();
        // Three pages a read when a hook must run inside the stream (so that the trailer comes
        // in a later read), else 16.
        const std::uint32_t chunk =
            (first_database && hooks.after_first_database_chunk) ? 3 * page_size_ : DatabaseChunk();
        ASSERT_NO_FATAL_FAILURE(StreamFileTo(instance, database, out_folder + "/" + name, chunk,
                                             first_database ? hooks.after_first_database_chunk
                                                            : std::function<void()>()));
        first_database = false;
      }
    }
    if (hooks.before_log_info) {
      ASSERT_NO_FATAL_FAILURE(hooks.before_log_info());
    }
    ASSERT_EQ(JET_errSuccess, backup_test::LogInfo(instance, &run->logs));
    if (hooks.after_log_info) {
      ASSERT_NO_FATAL_FAILURE(hooks.after_log_info());
    }
    run->generations.clear();
    for (const std::string& log : run->logs) {
      auto generation = backup_test::ArchivedGeneration(log);
      ASSERT_TRUE(generation.has_value()) << log;
      run->generations.push_back(*generation);
      const std::string name = std::filesystem::path(log).filename().string();
      ASSERT_NO_FATAL_FAILURE(StreamFileTo(instance, log, out_folder + "/" + name, LogChunk()));
    }
    if (truncate) {
      ASSERT_EQ(JET_errSuccess, JetTruncateLogInstance(instance));
    }
    ASSERT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance, JET_bitBackupEndNormal));
  }

  void FullBackupTo(const std::string& out_folder, bool truncate = true, BackupRun* run = nullptr,
                    const BackupHooks& hooks = {}) {
    BackupRun local;
    ASSERT_NO_FATAL_FAILURE(StreamBackupTo(instance_, false, truncate, out_folder, run ? run : &local, hooks));
  }

  void IncrementalBackupTo(const std::string& out_folder, bool truncate = true, BackupRun* run = nullptr,
                           const BackupHooks& hooks = {}) {
    BackupRun local;
    ASSERT_NO_FATAL_FAILURE(StreamBackupTo(instance_, true, truncate, out_folder, run ? run : &local, hooks));
  }

  // A full backup whose set holds at least three generations that the image needs: the log is
  // rolled twice while the database is being streamed (rows 10001..10009 committed around the
  // rolls), so the trailer's genHigh is the last listed generation and genLow the first. The
  // database should hold some rows already so that its image spans several 3-page reads.
  void FullBackupWithThreeGenerations(const std::string& out_folder, BackupRun* run) {
    BackupHooks hooks;
    hooks.after_first_database_chunk = [this] {
      ASSERT_NO_FATAL_FAILURE(CommitRows(10001, 3));
      ASSERT_NO_FATAL_FAILURE(Roll());
      ASSERT_NO_FATAL_FAILURE(CommitRows(10004, 3));
      ASSERT_NO_FATAL_FAILURE(Roll());
      ASSERT_NO_FATAL_FAILURE(CommitRows(10007, 3));
    };
    ASSERT_NO_FATAL_FAILURE(FullBackupTo(out_folder, true, run, hooks));
    ASSERT_GE(run->generations.size(), 3u) << "the set should hold at least three generations";
  }

  // --- changes mirrored in the oracle ------------------------------------------------------

  void Commit(std::int32_t id, const std::string& value) {
    ASSERT_EQ(JET_errSuccess, InsertOn(sesid_, table_, id, value)) << id;
    committed_[id] = value;
  }

  // `count` rows from `first_id` with ValueFor values; lazy commits, the last one durable.
  void CommitRows(std::int32_t first_id, int count) {
    for (int i = 0; i < count; ++i) {
      const std::int32_t id = first_id + i;
      const std::string value = restore_test::ValueFor(id);
      const JET_GRBIT bits = i + 1 == count ? 0 : JET_bitCommitLazyFlush;
      ASSERT_EQ(JET_errSuccess, InsertOn(sesid_, table_, id, value, bits)) << id;
      committed_[id] = value;
    }
  }

  JET_ERR SeekTo(std::int32_t id) {
    JET_ERR err = JetMakeKey(sesid_, table_, &id, sizeof(id), JET_bitNewKey);
    if (err < JET_errSuccess) return err;
    return JetSeek(sesid_, table_, JET_bitSeekEQ);
  }

  // Replaces row `id`'s value (durable commit).
  void UpdateRow(std::int32_t id, const std::string& value) {
    ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
    ASSERT_EQ(JET_errSuccess, SeekTo(id)) << id;
    ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, table_, JET_prepReplace));
    ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid_, table_, value_column_, value.data(),
                                           static_cast<JET_UINT32>(value.size()), 0, nullptr));
    ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, table_, nullptr, 0, nullptr));
    ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0));
    committed_[id] = value;
  }

  // Deletes row `id` (durable commit).
  void DeleteRow(std::int32_t id) {
    ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
    ASSERT_EQ(JET_errSuccess, SeekTo(id)) << id;
    ASSERT_EQ(JET_errSuccess, JetDelete(sesid_, table_));
    ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0));
    committed_.erase(id);
  }

  // StartWithDatabase and a mixed history: 60 rows, an update, a delete.
  void StartWithHistory() {
    ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
    ASSERT_NO_FATAL_FAILURE(CommitRows(1, 60));
    ASSERT_NO_FATAL_FAILURE(UpdateRow(5, restore_test::ValueFor(5, 1)));
    ASSERT_NO_FATAL_FAILURE(DeleteRow(7));
  }

  // Ends the source instance cleanly (its table and session first).
  void StopSource() {
    if (instance_ == 0) return;
    if (table_ != 0) {
      EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid_, table_));
    }
    if (sesid_ != 0) {
      EXPECT_EQ(JET_errSuccess, JetEndSession(sesid_, 0));
    }
    EXPECT_EQ(JET_errSuccess, JetTerm(instance_));
    table_ = 0;
    sesid_ = 0;
    instance_ = 0;
  }

  // StopSource, then every file of the source folder removed (databases, logs, checkpoint).
  void StopAndWipeSource() {
    ASSERT_NO_FATAL_FAILURE(StopSource());
    restore_test::RemoveFilesIn(folder_);
  }

  // --- restore -------------------------------------------------------------------------------

  // A created, configured (recovery on, 128 KiB logs), not initialised instance named after
  // `suffix` whose system, log and temp paths are `paths_folder` (with a trailing '/').
  JET_INSTANCE RestoreInstanceAt(const std::string& suffix, const std::string& paths_folder) {
    JET_INSTANCE instance = Configure(suffix, Options());
    EXPECT_EQ(JET_errSuccess, SetInstancePaths(instance, paths_folder));
    return instance;
  }

  // JetRestoreInstanceA; the backup folder must be byte-identical afterwards (checked here).
  JET_ERR Restore(JET_INSTANCE instance, const std::string& set, const char* dest,
                  JET_PFNSTATUS pfn = nullptr) {
    const restore_test::FolderBytes before = restore_test::SnapshotFolder(set);
    const JET_ERR err = JetRestoreInstanceA(instance, set.c_str(), dest, pfn);
    const restore_test::FolderBytes after = restore_test::SnapshotFolder(set);
    EXPECT_TRUE(before == after) << "the restore modified the backup folder " << set << ":"
                                 << restore_test::DescribeDifference(before, after);
    return err;
  }

  // Attaches `database` on a new session of the running `instance`, reads table t and detaches.
  Rows ReadRows(JET_INSTANCE instance, const std::string& database) {
    Rows rows;
    JET_SESID sesid = 0;
    EXPECT_EQ(JET_errSuccess, JetBeginSessionA(instance, &sesid, nullptr, nullptr));
    if (sesid == 0) return rows;
    EXPECT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid, database.c_str(), 0)) << database;
    JET_DBID dbid = 0;
    EXPECT_EQ(JET_errSuccess, JetOpenDatabaseA(sesid, database.c_str(), nullptr, &dbid, 0)) << database;
    EXPECT_EQ(JET_errSuccess, restore_test::ReadTable(sesid, dbid, &rows)) << database;
    static_cast<void>(JetCloseDatabase(sesid, dbid, 0));
    EXPECT_EQ(JET_errSuccess, JetDetachDatabaseA(sesid, database.c_str())) << database;
    EXPECT_EQ(JET_errSuccess, JetEndSession(sesid, 0));
    return rows;
  }

  // JetInit on a restored instance, then ReadRows.
  Rows InitAndReadRows(JET_INSTANCE instance, const std::string& database) {
    JET_INSTANCE initialised = instance;
    EXPECT_EQ(JET_errSuccess, JetInit(&initialised));
    return ReadRows(instance, database);
  }

  // The standard round trip after the backup(s) are in `set`: the source is stopped and its
  // folder wiped; a restore instance with the source's paths restores `set` to the original
  // path; JetInit, attach, and the rows read are compared with `expected`.
  void WipeRestoreAndExpect(const std::string& set, const Rows& expected, const std::string& what) {
    ASSERT_NO_FATAL_FAILURE(StopAndWipeSource());
    JET_INSTANCE restorer = RestoreInstanceAt("r", folder_);
    ASSERT_EQ(JET_errSuccess, Restore(restorer, set, nullptr)) << what;
    ASSERT_TRUE(restore_test::Exists(database_path_)) << what;
    restore_test::ExpectSameRows(expected, InitAndReadRows(restorer, database_path_), what);
  }

  std::string SetFolder(const std::string& name = "set") const { return dir_.path() + "/" + name; }

  Rows committed_;
};

// The fixture of the refusal tests: a good set (3+ generations, the image needing all of them)
// in Good() and a copy in Bad() that a test damages; the restore goes to dest_, which already
// holds a db.edb of known bytes (existing_) that a refused restore must leave alone.
class RestoreErrorTest : public RestoreTest {
 protected:
  // A good set (3+ generations, the image needing all of them) in Good(), a copy in Bad(), the
  // source stopped (its files kept), a destination folder holding a db.edb that is not a
  // database, and a restore instance with its own empty folder.
  void Prepare() {
    ASSERT_NO_FATAL_FAILURE(StartWithHistory());
    ASSERT_NO_FATAL_FAILURE(FullBackupWithThreeGenerations(Good(), &run_));
    ASSERT_NO_FATAL_FAILURE(Roll());  // one more archived generation in the source folder
    ASSERT_NO_FATAL_FAILURE(StopSource());
    ASSERT_NO_FATAL_FAILURE(restore_test::CopyFolderFiles(Good(), Bad()));
    dest_ = dir_.Sub("dest");
    existing_ = std::string(3 * std::size_t{page_size_}, 'X');
    ASSERT_TRUE(backup_test::WriteWholeFile(dest_ + "db.edb", existing_));
    paths_ = dir_.Sub("r");
    restorer_ = RestoreInstanceAt("r", paths_);
  }

  // Another instance's full backup made by the same steps (so the same generations, another log
  // signature and database signature), in SetFolder("other"); must run before Prepare (it
  // uses the source folder, which it wipes).
  void MakeOtherSet() {
    ASSERT_NO_FATAL_FAILURE(StartWithHistory());
    BackupRun run;
    ASSERT_NO_FATAL_FAILURE(FullBackupWithThreeGenerations(SetFolder("other"), &run));
    ASSERT_NO_FATAL_FAILURE(StopAndWipeSource());
    committed_.clear();
  }

  std::string Good() const { return SetFolder("good"); }
  std::string Bad() const { return SetFolder("bad"); }
  std::string BadLog(std::size_t index) const { return Bad() + "/" + backup_test::ArchivedName(run_.generations.at(index)); }
  std::string BadImage() const { return Bad() + "/db.edb"; }

  // The refusal itself: `expected`, nothing overwritten in dest_.
  void ExpectRefused(JET_ERR expected) {
    EXPECT_EQ(expected, Restore(restorer_, Bad(), dest_.c_str()));
    EXPECT_EQ(existing_, backup_test::ReadWholeFile(dest_ + "db.edb")) << "the destination database was overwritten";
  }

  // The instance is usable afterwards: the good set restores and every row is back.
  void ExpectGoodRestoreWorks() {
    ASSERT_EQ(JET_errSuccess, Restore(restorer_, Good(), dest_.c_str()));
    restore_test::ExpectSameRows(committed_, InitAndReadRows(restorer_, dest_ + "db.edb"), "good restore after the refusal");
  }

  void ExpectRefusedThenGoodRestoreWorks(JET_ERR expected) {
    ASSERT_NO_FATAL_FAILURE(ExpectRefused(expected));
    ASSERT_NO_FATAL_FAILURE(ExpectGoodRestoreWorks());
  }

  // Flips one byte of `path` at `offset`.
  static void FlipByte(const std::string& path, std::size_t offset) {
    std::string bytes = backup_test::ReadWholeFile(path);
    ASSERT_LT(offset, bytes.size()) << path;
    bytes[offset] = static_cast<char>(bytes[offset] ^ 0x5A);
    ASSERT_TRUE(backup_test::WriteWholeFile(path, bytes));
  }

  BackupRun run_;
  std::string dest_;
  std::string existing_;
  std::string paths_;
  JET_INSTANCE restorer_ = 0;
};


// The one-instance-mode suites' base (restore, backup_instance): the process defaults in a
// folder of the test's own (backup_test::SetLegacyDefaults), JetInit(NULL), db.edb with table t
// (id Long primary, value LongBinary) and committed rows (in committed_), the table left open on
// the session; and a reader of a restored database.
class LegacyRowsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = dir_.Sub("legacy");
    ASSERT_NO_FATAL_FAILURE(backup_test::SetLegacyDefaults(folder_));
    database_path_ = folder_ + "db.edb";
    restore_test::RecordedEvents().clear();
  }

  void TearDown() override { static_cast<void>(JetTerm2(0, JET_bitTermAbrupt)); }

  // JetInit(NULL), db.edb with table t (id Long primary, value LongBinary) and rows 1..40.
  void StartWithRows() {
    JET_INSTANCE instance = 0;
    ASSERT_EQ(JET_errSuccess, JetInit(&instance));
    instance_ = instance;
    ASSERT_EQ(JET_errSuccess, JetBeginSessionA(instance_, &sesid_, nullptr, nullptr));
    ASSERT_EQ(JET_errSuccess, JetCreateDatabaseA(sesid_, database_path_.c_str(), nullptr, &dbid_, 0));
    ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
    ASSERT_EQ(JET_errSuccess, JetCreateTableA(sesid_, dbid_, "t", 0, 100, &table_));
    JET_COLUMNDEF id_def{sizeof(JET_COLUMNDEF), 0, JET_coltypLong, 0, 0, 0, 0, 0, JET_bitColumnNotNULL};
    JET_COLUMNDEF value_def{sizeof(JET_COLUMNDEF), 0, JET_coltypLongBinary, 0, 0, 0, 0, 0, 0};
    ASSERT_EQ(JET_errSuccess, JetAddColumnA(sesid_, table_, "id", &id_def, nullptr, 0, &id_column_));
    ASSERT_EQ(JET_errSuccess, JetAddColumnA(sesid_, table_, "value", &value_def, nullptr, 0, &value_column_));
    const char key[] = "+id\0";
    ASSERT_EQ(JET_errSuccess, JetCreateIndexA(sesid_, table_, "primary", JET_bitIndexPrimary, key, sizeof(key), 100));
    ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0));
    ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid_, table_));
    ASSERT_EQ(JET_errSuccess, JetOpenTableA(sesid_, dbid_, "t", nullptr, 0, 0, &table_));
    ASSERT_NO_FATAL_FAILURE(CommitRows(1, 40));
    JET_UINT32 page_size = 0;
    ASSERT_EQ(JET_errSuccess, JetGetDatabaseFileInfoA(database_path_.c_str(), &page_size, sizeof(page_size),
                                                      JET_DbInfoPageSize));
    page_size_ = page_size;
  }

  void CommitRows(std::int32_t first, int count) {
    for (std::int32_t id = first; id < first + count; ++id) {
      const std::string value = restore_test::ValueFor(id);
      ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid_));
      ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid_, table_, JET_prepInsert));
      ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid_, table_, id_column_, &id, sizeof(id), 0, nullptr));
      ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid_, table_, value_column_, value.data(),
                                             static_cast<JET_UINT32>(value.size()), 0, nullptr));
      ASSERT_EQ(JET_errSuccess, JetUpdate(sesid_, table_, nullptr, 0, nullptr));
      ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid_, 0));
      committed_[id] = value;
    }
  }

  // JetInit(NULL), attach `database`, read table t, JetTerm.
  restore_test::Rows InitAndRead(const std::string& database) {
    restore_test::Rows rows;
    JET_INSTANCE instance = 0;
    EXPECT_EQ(JET_errSuccess, JetInit(&instance));
    JET_SESID sesid = 0;
    EXPECT_EQ(JET_errSuccess, JetBeginSessionA(instance, &sesid, nullptr, nullptr));
    EXPECT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid, database.c_str(), 0)) << database;
    JET_DBID dbid = 0;
    EXPECT_EQ(JET_errSuccess, JetOpenDatabaseA(sesid, database.c_str(), nullptr, &dbid, 0));
    EXPECT_EQ(JET_errSuccess, restore_test::ReadTable(sesid, dbid, &rows));
    static_cast<void>(JetCloseDatabase(sesid, dbid, 0));
    static_cast<void>(JetEndSession(sesid, 0));
    EXPECT_EQ(JET_errSuccess, JetTerm(instance));
    return rows;
  }

  TestDir dir_;
  std::string folder_;
  std::string database_path_;
  JET_INSTANCE instance_ = 0;
  JET_SESID sesid_ = 0;
  JET_DBID dbid_ = 0;
  JET_TABLEID table_ = 0;
  JET_COLUMNID id_column_ = 0;
  JET_COLUMNID value_column_ = 0;
  std::uint32_t page_size_ = 0;
  restore_test::Rows committed_;
};

}  // namespace esent_test
