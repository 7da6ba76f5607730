// Crash recovery through the API (JET_paramRecovery "on"): what a durable commit wrote survives
// a stop that leaves the files as a crash would (JetTerm2 with JET_bitTermDirty drops every
// unflushed log record and database page); an unfinished transaction is undone; a database
// is rebuilt from the logs alone.
#include <esent.h>
#include <gtest/gtest.h>

#include <climits>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "../test_dirs.h"

namespace esent_test {
namespace {

class RecoveryTest : public ApiTest {
 protected:
  // An instance with recovery on, 64 KiB logs (so workloads roll generations), its paths in
  // the fixture folder "r" (the same folder every time, so a new instance finds the old log).
  JET_INSTANCE Start(JET_ERR expected = JET_errSuccess, JET_RSTINFO_A* restore = nullptr,
                     JET_GRBIT grbit = 0) {
    JET_INSTANCE instance = CreateInstance("r");
    EXPECT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramRecovery, 0, "on"));
    EXPECT_EQ(JET_errSuccess, JetSetSystemParameterA(&instance, 0, JET_paramLogFileSize, 64, nullptr));
    EXPECT_EQ(JET_errSuccess,
              JetSetSystemParameterA(&instance, 0, JET_paramMaxVerPages, 4096, nullptr));
    EXPECT_EQ(expected, JetInit3A(&instance, restore, grbit));
    return instance;
  }

  // Compares row maps and reports only the first differences (values are long).
  static void ExpectRows(const std::map<std::int32_t, std::string>& expected,
                         const std::map<std::int32_t, std::string>& actual) {
    EXPECT_EQ(expected.size(), actual.size());
    int reported = 0;
    for (const auto& [id, value] : expected) {
      auto it = actual.find(id);
      if (it == actual.end()) {
        ADD_FAILURE() << "row " << id << " missing";
      } else if (it->second != value) {
        ADD_FAILURE() << "row " << id << " is " << it->second.substr(0, 16) << "..., expected "
                      << value.substr(0, 16) << "...";
      } else {
        continue;
      }
      if (++reported == 5) return;
    }
    for (const auto& [id, value] : actual) {
      if (expected.count(id) == 0 && reported++ < 5) ADD_FAILURE() << "row " << id << " should not exist";
    }
  }

  std::string Folder() const { return dir_.path() + "/r"; }
  std::string DatabasePath() const { return Folder() + "/db.edb"; }

  void CreateSchema(JET_SESID sesid, JET_DBID* dbid) {
    ASSERT_EQ(JET_errSuccess, JetCreateDatabaseA(sesid, DatabasePath().c_str(), nullptr, dbid, 0));
    ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid));
    JET_TABLEID table = 0;
    ASSERT_EQ(JET_errSuccess, JetCreateTableA(sesid, *dbid, "t", 0, 100, &table));
    JET_COLUMNDEF id_def{sizeof(JET_COLUMNDEF), 0, JET_coltypLong, 0, 0, 0, 0, 0, JET_bitColumnNotNULL};
    JET_COLUMNDEF value_def{sizeof(JET_COLUMNDEF), 0, JET_coltypLongBinary, 0, 0, 0, 0, 0, 0};
    ASSERT_EQ(JET_errSuccess, JetAddColumnA(sesid, table, "id", &id_def, nullptr, 0, &id_));
    ASSERT_EQ(JET_errSuccess, JetAddColumnA(sesid, table, "value", &value_def, nullptr, 0, &value_));
    const char key[] = "+id\0";
    ASSERT_EQ(JET_errSuccess,
              JetCreateIndexA(sesid, table, "primary", JET_bitIndexPrimary, key, sizeof(key), 100));
    ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid, table));
    ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid, 0));
  }

  void Put(JET_SESID sesid, JET_TABLEID table, std::int32_t id, const std::string& value,
           bool insert) {
    if (insert) {
      ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid, table, JET_prepInsert));
      ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid, table, id_, &id, sizeof(id), 0, nullptr));
    } else {
      ASSERT_EQ(JET_errSuccess, JetMakeKey(sesid, table, &id, sizeof(id), JET_bitNewKey));
      ASSERT_EQ(JET_errSuccess, JetSeek(sesid, table, JET_bitSeekEQ));
      ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid, table, JET_prepReplace));
    }
    ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid, table, value_, value.data(),
                                           static_cast<std::uint32_t>(value.size()), 0, nullptr));
    ASSERT_EQ(JET_errSuccess, JetUpdate(sesid, table, nullptr, 0, nullptr));
  }

  // Every row of table t: id → value.
  std::map<std::int32_t, std::string> ReadAll(JET_SESID sesid, JET_DBID dbid) {
    std::map<std::int32_t, std::string> rows;
    JET_TABLEID table = 0;
    EXPECT_EQ(JET_errSuccess, JetOpenTableA(sesid, dbid, "t", nullptr, 0, 0, &table));
    JET_COLUMNID id_column = 0;
    JET_COLUMNID value_column = 0;
    JET_COLUMNDEF def{};
    EXPECT_EQ(JET_errSuccess, JetGetTableColumnInfoA(sesid, table, "id", &def, sizeof(def), JET_ColInfo));
    id_column = def.columnid;
    EXPECT_EQ(JET_errSuccess, JetGetTableColumnInfoA(sesid, table, "value", &def, sizeof(def), JET_ColInfo));
    value_column = def.columnid;
    JET_ERR moved = JetMove(sesid, table, INT32_MIN, 0);
    while (moved == JET_errSuccess) {
      std::int32_t id = 0;
      std::uint32_t actual = 0;
      EXPECT_EQ(JET_errSuccess, JetRetrieveColumn(sesid, table, id_column, &id, sizeof(id), &actual, 0, nullptr));
      std::string value(1 << 16, '\0');
      EXPECT_EQ(JET_errSuccess, JetRetrieveColumn(sesid, table, value_column, value.data(),
                                                  static_cast<std::uint32_t>(value.size()), &actual, 0, nullptr));
      value.resize(actual);
      rows[id] = value;
      moved = JetMove(sesid, table, 1, 0);
    }
    EXPECT_EQ(JET_errNoCurrentRecord, moved);
    EXPECT_EQ(JET_errSuccess, JetCloseTable(sesid, table));
    return rows;
  }

  // Start(), a session, the schema, and table t open on it.
  void StartWithSchema(JET_INSTANCE* instance, JET_SESID* sesid, JET_DBID* dbid, JET_TABLEID* table) {
    *instance = Start();
    ASSERT_EQ(JET_errSuccess, JetBeginSessionA(*instance, sesid, nullptr, nullptr));
    ASSERT_NO_FATAL_FAILURE(CreateSchema(*sesid, dbid));
    ASSERT_EQ(JET_errSuccess, JetOpenTableA(*sesid, *dbid, "t", nullptr, 0, 0, table));
  }

  // Inserts rows [first, first + count), each in its own durable commit; adds them to `rows`.
  void CommitRows(JET_SESID sesid, JET_TABLEID table, std::int32_t first, std::int32_t count,
                  int version, std::map<std::int32_t, std::string>& rows) {
    for (std::int32_t id = first; id < first + count; ++id) {
      ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid));
      ASSERT_NO_FATAL_FAILURE(Put(sesid, table, id, ValueFor(id, version), true));
      ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid, 0));
      rows[id] = ValueFor(id, version);
    }
  }

  // A new instance (recovery runs), a session, and the database at `path` attached and open.
  void Reopen(JET_INSTANCE* instance, JET_SESID* sesid, JET_DBID* dbid,
              const std::string& path, JET_RSTINFO_A* restore = nullptr, JET_GRBIT grbit = 0) {
    *instance = Start(JET_errSuccess, restore, grbit);
    ASSERT_EQ(JET_errSuccess, JetBeginSessionA(*instance, sesid, nullptr, nullptr));
    ASSERT_EQ(JET_errSuccess, JetAttachDatabaseA(*sesid, path.c_str(), 0));
    ASSERT_EQ(JET_errSuccess, JetOpenDatabaseA(*sesid, path.c_str(), nullptr, dbid, 0));
  }

  static std::string ValueFor(std::int32_t id, int version) {
    std::string value = "v" + std::to_string(version) + ":" + std::to_string(id) + ":";
    value.append(static_cast<std::size_t>(id % 7) * 700, static_cast<char>('a' + id % 26));
    return value;
  }

  JET_COLUMNID id_ = 0;
  JET_COLUMNID value_ = 0;
};

TEST_F(RecoveryTest, DurableCommitsSurviveADirtyStopAndUnfinishedOnesAreUndone) {
  JET_INSTANCE instance = 0;
  JET_SESID sesid = 0;
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  ASSERT_NO_FATAL_FAILURE(StartWithSchema(&instance, &sesid, &dbid, &table));
  std::map<std::int32_t, std::string> expected;
  ASSERT_NO_FATAL_FAILURE(CommitRows(sesid, table, 0, 300, 1, expected));
  for (std::int32_t id = 0; id < 300; id += 3) {
    ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid));
    ASSERT_NO_FATAL_FAILURE(Put(sesid, table, id, ValueFor(id, 2), false));
    ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid, 0));
    expected[id] = ValueFor(id, 2);
  }
  // An unfinished transaction: inserts, replaces and deletes, made durable by a later commit
  // of another session so that recovery has something to undo.
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid));
  for (std::int32_t id = 1000; id < 1050; ++id) ASSERT_NO_FATAL_FAILURE(Put(sesid, table, id, "x", true));
  for (std::int32_t id = 1; id < 300; id += 5) ASSERT_NO_FATAL_FAILURE(Put(sesid, table, id, "changed", false));
  for (std::int32_t id = 2; id < 100; id += 7) {
    ASSERT_EQ(JET_errSuccess, JetMakeKey(sesid, table, &id, sizeof(id), JET_bitNewKey));
    ASSERT_EQ(JET_errSuccess, JetSeek(sesid, table, JET_bitSeekEQ));
    ASSERT_EQ(JET_errSuccess, JetDelete(sesid, table));
  }
  JET_SESID other = 0;
  ASSERT_EQ(JET_errSuccess, JetBeginSessionA(instance, &other, nullptr, nullptr));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(other, JET_bitWaitAllLevel0Commit));
  EXPECT_EQ(JET_errDirtyShutdown, JetTerm2(instance, JET_bitTermDirty));

  ASSERT_NO_FATAL_FAILURE(Reopen(&instance, &sesid, &dbid, DatabasePath()));
  ExpectRows(expected, ReadAll(sesid, dbid));
  ASSERT_EQ(JET_errSuccess, JetTerm(instance));
}

TEST_F(RecoveryTest, ACleanStopNeedsNoRecoveryAndTheDatabaseAttachesClean) {
  JET_INSTANCE instance = 0;
  JET_SESID sesid = 0;
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  ASSERT_NO_FATAL_FAILURE(StartWithSchema(&instance, &sesid, &dbid, &table));
  for (std::int32_t id = 0; id < 50; ++id) ASSERT_NO_FATAL_FAILURE(Put(sesid, table, id, ValueFor(id, 1), true));
  ASSERT_EQ(JET_errSuccess, JetTerm(instance));
  ASSERT_NO_FATAL_FAILURE(Reopen(&instance, &sesid, &dbid, DatabasePath()));
  EXPECT_EQ(50u, ReadAll(sesid, dbid).size());
  ASSERT_EQ(JET_errSuccess, JetTerm(instance));
}

TEST_F(RecoveryTest, LogsAloneRebuildADeletedDatabase) {
  JET_INSTANCE instance = 0;
  JET_SESID sesid = 0;
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  ASSERT_NO_FATAL_FAILURE(StartWithSchema(&instance, &sesid, &dbid, &table));
  std::map<std::int32_t, std::string> expected;
  ASSERT_NO_FATAL_FAILURE(CommitRows(sesid, table, 0, 200, 3, expected));
  EXPECT_EQ(JET_errDirtyShutdown, JetTerm2(instance, JET_bitTermDirty));
  ASSERT_TRUE(std::filesystem::remove(DatabasePath()));
  ASSERT_TRUE(std::filesystem::remove(Folder() + "/edb.chk"));
  ASSERT_NO_FATAL_FAILURE(Reopen(&instance, &sesid, &dbid, DatabasePath()));
  ExpectRows(expected, ReadAll(sesid, dbid));
  ASSERT_EQ(JET_errSuccess, JetTerm(instance));
}

// An unfinished transaction that rolled back a nested level: the record it took back was then
// changed and committed by another session; recovery must not undo the old change again over
// that commit (the kUndo record tells it the change is gone).
TEST_F(RecoveryTest, ANestedRollbackFollowedByAnotherCommitIsNotUndoneAgain) {
  JET_INSTANCE instance = 0;
  JET_SESID first = 0;
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  ASSERT_NO_FATAL_FAILURE(StartWithSchema(&instance, &first, &dbid, &table));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(first));
  for (std::int32_t id = 0; id < 10; ++id) ASSERT_NO_FATAL_FAILURE(Put(first, table, id, ValueFor(id, 1), true));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(first, 0));

  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(first));
  ASSERT_NO_FATAL_FAILURE(Put(first, table, 1, "first, kept until the crash", false));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(first));
  ASSERT_NO_FATAL_FAILURE(Put(first, table, 5, "first, rolled back", false));
  ASSERT_EQ(JET_errSuccess, JetRollback(first, 0));  // level 2 only

  JET_SESID second = 0;
  ASSERT_EQ(JET_errSuccess, JetBeginSessionA(instance, &second, nullptr, nullptr));
  JET_DBID second_dbid = 0;
  ASSERT_EQ(JET_errSuccess, JetOpenDatabaseA(second, DatabasePath().c_str(), nullptr, &second_dbid, 0));
  JET_TABLEID second_table = 0;
  ASSERT_EQ(JET_errSuccess, JetOpenTableA(second, second_dbid, "t", nullptr, 0, 0, &second_table));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(second));
  ASSERT_NO_FATAL_FAILURE(Put(second, second_table, 5, "second, committed", false));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(second, 0));
  EXPECT_EQ(JET_errDirtyShutdown, JetTerm2(instance, JET_bitTermDirty));

  JET_SESID sesid = 0;
  ASSERT_NO_FATAL_FAILURE(Reopen(&instance, &sesid, &dbid, DatabasePath()));
  std::map<std::int32_t, std::string> expected;
  for (std::int32_t id = 0; id < 10; ++id) expected[id] = ValueFor(id, 1);
  expected[5] = "second, committed";
  ExpectRows(expected, ReadAll(sesid, dbid));
  ASSERT_EQ(JET_errSuccess, JetTerm(instance));
}

// The database header speaks of the log: while attached it is dirty and needs the generation it
// was attached in; after a clean term it is clean, consistent as of a log position, and signed
// with the log set's signature (the one JetGetInstanceMiscInfo reports).
TEST_F(RecoveryTest, TheDatabaseHeaderCarriesTheLogsMarks) {
  JET_INSTANCE instance = 0;
  JET_SESID sesid = 0;
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  ASSERT_NO_FATAL_FAILURE(StartWithSchema(&instance, &sesid, &dbid, &table));
  JET_SIGNATURE log_signature{};
  ASSERT_EQ(JET_errSuccess, JetGetInstanceMiscInfo(instance, &log_signature, sizeof(log_signature),
                                                   JET_InstanceMiscInfoLogSignature));
  JET_DBINFOMISC4 attached{};
  ASSERT_EQ(JET_errSuccess, JetGetDatabaseInfoA(sesid, dbid, &attached, sizeof(attached), JET_DbInfoMisc));
  EXPECT_EQ(static_cast<JET_UINT32>(JET_dbstateDirtyShutdown), attached.dbstate);
  EXPECT_GE(attached.genMinRequired, 1u);
  EXPECT_EQ(log_signature.ulRandom, attached.signLog.ulRandom);
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid, table));
  ASSERT_EQ(JET_errSuccess, JetEndSession(sesid, 0));
  ASSERT_EQ(JET_errSuccess, JetTerm(instance));

  JET_DBINFOMISC4 clean{};
  ASSERT_EQ(JET_errSuccess, JetGetDatabaseFileInfoA(DatabasePath().c_str(), &clean, sizeof(clean),
                                                    JET_DbInfoMisc));
  EXPECT_EQ(static_cast<JET_UINT32>(JET_dbstateCleanShutdown), clean.dbstate);
  EXPECT_GE(clean.lgposConsistent.lGeneration, 1);
  EXPECT_EQ(log_signature.ulRandom, clean.signLog.ulRandom);
  EXPECT_EQ(0u, clean.genMinRequired);
}

// A table created inside a transaction that never committed is gone after recovery; one created
// in a committed transaction stays.
TEST_F(RecoveryTest, ATableCreatedByAnUnfinishedTransactionIsGone) {
  JET_INSTANCE instance = Start();
  JET_SESID sesid = 0;
  ASSERT_EQ(JET_errSuccess, JetBeginSessionA(instance, &sesid, nullptr, nullptr));
  JET_DBID dbid = 0;
  ASSERT_NO_FATAL_FAILURE(CreateSchema(sesid, &dbid));
  ASSERT_EQ(JET_errSuccess, JetBeginTransaction(sesid));
  JET_TABLEID table = 0;
  ASSERT_EQ(JET_errSuccess, JetCreateTableA(sesid, dbid, "unfinished", 0, 100, &table));
  JET_COLUMNDEF def{sizeof(JET_COLUMNDEF), 0, JET_coltypLong, 0, 0, 0, 0, 0, 0};
  JET_COLUMNID column = 0;
  ASSERT_EQ(JET_errSuccess, JetAddColumnA(sesid, table, "c", &def, nullptr, 0, &column));
  ASSERT_EQ(JET_errSuccess, JetPrepareUpdate(sesid, table, JET_prepInsert));
  std::int32_t value = 7;
  ASSERT_EQ(JET_errSuccess, JetSetColumn(sesid, table, column, &value, sizeof(value), 0, nullptr));
  ASSERT_EQ(JET_errSuccess, JetUpdate(sesid, table, nullptr, 0, nullptr));
  JET_SESID other = 0;
  ASSERT_EQ(JET_errSuccess, JetBeginSessionA(instance, &other, nullptr, nullptr));
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(other, JET_bitWaitAllLevel0Commit));
  EXPECT_EQ(JET_errDirtyShutdown, JetTerm2(instance, JET_bitTermDirty));

  ASSERT_NO_FATAL_FAILURE(Reopen(&instance, &sesid, &dbid, DatabasePath()));
  EXPECT_EQ(JET_errObjectNotFound, JetOpenTableA(sesid, dbid, "unfinished", nullptr, 0, 0, &table));
  ASSERT_EQ(JET_errSuccess, JetOpenTableA(sesid, dbid, "t", nullptr, 0, 0, &table));
  ASSERT_EQ(JET_errSuccess, JetCloseTable(sesid, table));
  ASSERT_EQ(JET_errSuccess, JetTerm(instance));
}

// JetInit3 with a JET_RSTMAP: the log names the database by its old path; recovery builds it at
// the new one (from the logs alone here), and the status callback hears the generations.
std::vector<std::pair<JET_SNT, JET_SNPROG>> g_progress;

JET_ERR JET_API RecordProgress(JET_SESID, JET_SNP snp, JET_SNT snt, JET_PVOID pv) {
  EXPECT_EQ(JET_snpRestore, snp);
  JET_SNPROG progress{};
  if (pv != nullptr) progress = *static_cast<JET_SNPROG*>(pv);
  g_progress.emplace_back(snt, progress);
  return JET_errSuccess;
}

TEST_F(RecoveryTest, ARestoreMapRebuildsTheDatabaseUnderANewName) {
  JET_INSTANCE instance = 0;
  JET_SESID sesid = 0;
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  ASSERT_NO_FATAL_FAILURE(StartWithSchema(&instance, &sesid, &dbid, &table));
  std::map<std::int32_t, std::string> expected;
  ASSERT_NO_FATAL_FAILURE(CommitRows(sesid, table, 0, 120, 4, expected));
  EXPECT_EQ(JET_errDirtyShutdown, JetTerm2(instance, JET_bitTermDirty));
  ASSERT_TRUE(std::filesystem::remove(DatabasePath()));
  ASSERT_TRUE(std::filesystem::remove(Folder() + "/edb.chk"));

  const std::string moved = Folder() + "/moved.edb";
  std::string from = DatabasePath();
  std::string to = moved;
  JET_RSTMAP_A map{from.data(), to.data()};
  JET_RSTINFO_A info{};
  info.cbStruct = sizeof(info);
  info.rgrstmap = &map;
  info.crstmap = 1;
  info.pfnStatus = RecordProgress;
  g_progress.clear();
  instance = Start(JET_errSuccess, &info);
  EXPECT_FALSE(std::filesystem::exists(DatabasePath()));
  ASSERT_TRUE(std::filesystem::exists(moved));
  ASSERT_GE(g_progress.size(), 3u);
  EXPECT_EQ(JET_sntBegin, g_progress.front().first);
  EXPECT_EQ(JET_sntComplete, g_progress.back().first);
  const JET_SNPROG last = g_progress[g_progress.size() - 2].second;
  EXPECT_EQ(last.cunitDone, last.cunitTotal);
  EXPECT_GE(last.cunitTotal, 2u);  // the workload rolled the 64 KiB logs
  ASSERT_EQ(JET_errSuccess, JetBeginSessionA(instance, &sesid, nullptr, nullptr));
  ASSERT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid, moved.c_str(), 0));
  ASSERT_EQ(JET_errSuccess, JetOpenDatabaseA(sesid, moved.c_str(), nullptr, &dbid, 0));
  ExpectRows(expected, ReadAll(sesid, dbid));
  ASSERT_EQ(JET_errSuccess, JetTerm(instance));
}

// JET_bitTruncateLogsAfterRecovery: only the generation recovery ends in stays.
TEST_F(RecoveryTest, TruncateLogsAfterRecoveryKeepsOnlyTheCurrentGeneration) {
  JET_INSTANCE instance = 0;
  JET_SESID sesid = 0;
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  ASSERT_NO_FATAL_FAILURE(StartWithSchema(&instance, &sesid, &dbid, &table));
  for (std::int32_t id = 0; id < 120; ++id) {
    ASSERT_NO_FATAL_FAILURE(Put(sesid, table, id, ValueFor(id, 5), true));
  }
  ASSERT_EQ(JET_errSuccess, JetCommitTransaction(sesid, JET_bitWaitAllLevel0Commit));
  EXPECT_EQ(JET_errDirtyShutdown, JetTerm2(instance, JET_bitTermDirty));
  auto archived = [&] {
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(Folder())) {
      const std::string name = entry.path().filename().string();
      if (name.size() == 12 && name.rfind("edb", 0) == 0 && name.ends_with(".log") &&
          name != "edbtmp.log") {
        ++count;
      }
    }
    return count;
  };
  ASSERT_GE(archived(), 2);
  instance = Start(JET_errSuccess, nullptr, JET_bitTruncateLogsAfterRecovery);
  EXPECT_EQ(0, archived());
  ASSERT_EQ(JET_errSuccess, JetBeginSessionA(instance, &sesid, nullptr, nullptr));
  ASSERT_EQ(JET_errSuccess, JetAttachDatabaseA(sesid, DatabasePath().c_str(), 0));
  ASSERT_EQ(JET_errSuccess, JetOpenDatabaseA(sesid, DatabasePath().c_str(), nullptr, &dbid, 0));
  EXPECT_EQ(120u, ReadAll(sesid, dbid).size());
  ASSERT_EQ(JET_errSuccess, JetTerm(instance));
}

}  // namespace
}  // namespace esent_test
