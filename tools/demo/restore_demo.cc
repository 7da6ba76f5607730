// Restoring the streamed set (streaming_backup.cc) into another folder with
// JetRestoreInstance, as a restore application would, then checking the result row by row
// against the live database.
#include <esent.h>

#include <cstdio>
#include <set>
#include <string>

#include "demo_steps.h"
#include "streaming_backup.h"

namespace {

DemoSteps steps;
int& failures = steps.failures;

JET_ERR check(const char* what, JET_ERR err) { return steps.check(what, err); }

// The JET_snpRestore callback: prints progress in quarters.
JET_ERR JET_API on_progress(JET_SESID, JET_SNP snp, JET_SNT snt, void* data) {
  static JET_UINT32 shown = 0;
  if (snp != JET_snpRestore) return JET_errSuccess;
  if (snt == JET_sntBegin) {
    shown = 0;
    std::printf("    restore begun\n");
  } else if (snt == JET_sntProgress && data != nullptr) {
    const auto* progress = static_cast<const JET_SNPROG*>(data);
    const JET_UINT32 percent = progress->cunitTotal == 0 ? 100 : progress->cunitDone * 100 / progress->cunitTotal;
    if (percent >= shown + 25) {
      shown = percent - percent % 25;
      std::printf("    restore %3u%% (%u of %u units)\n", static_cast<unsigned>(shown),
                  static_cast<unsigned>(progress->cunitDone), static_cast<unsigned>(progress->cunitTotal));
    }
  } else if (snt == JET_sntComplete) {
    std::printf("    restore complete\n");
  }
  return JET_errSuccess;
}

// Every Id of table Orders in the database at `path` (attached and detached again).
std::set<int> order_ids(JET_SESID session, const std::string& path) {
  std::set<int> ids;
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  if (JetAttachDatabase(session, path.c_str(), JET_bitDbReadOnly) < 0 ||
      JetOpenDatabase(session, path.c_str(), nullptr, &dbid, JET_bitDbReadOnly) < 0 ||
      JetOpenTable(session, dbid, "Orders", nullptr, 0, JET_bitTableReadOnly, &table) < 0) {
    ++failures;
    std::printf("    reading %s FAILED\n", path.c_str());
    return ids;
  }
  JET_COLUMNDEF def{};
  JetGetTableColumnInfo(session, table, "Id", &def, sizeof def, JET_ColInfo);
  for (JET_ERR err = JetMove(session, table, static_cast<JET_INT32>(JET_MoveFirst), 0); err >= 0;
       err = JetMove(session, table, JET_MoveNext, 0)) {
    int id = 0;
    JET_UINT32 actual = 0;
    if (JetRetrieveColumn(session, table, def.columnid, &id, sizeof id, &actual, 0, nullptr) >= 0) ids.insert(id);
  }
  JetCloseTable(session, table);
  JetCloseDatabase(session, dbid, 0);
  JetDetachDatabase(session, path.c_str());
  return ids;
}

}  // namespace

int restore_demo(const std::string& folder, const std::string& database, const BackupOutcome& outcome) {
  failures = 0;
  std::printf("restore of the streamed set into another folder:\n");
  const std::string restored_folder = folder + "/restored";
  const std::string name = database.substr(database.find_last_of('/') + 1);
  const std::string restored = restored_folder + "/" + name;
  JET_INSTANCE instance = 0;
  check("JetCreateInstance(\"restored\")", JetCreateInstance(&instance, "restored"));
  JetSetSystemParameter(&instance, 0, JET_paramLogFilePath, 0, (restored_folder + "/logs/").c_str());
  JetSetSystemParameter(&instance, 0, JET_paramSystemPath, 0, (restored_folder + "/").c_str());
  JetSetSystemParameter(&instance, 0, JET_paramCreatePathIfNotExist, 1, nullptr);
  check("JetRestoreInstance(set, szDest = restored/)",
        JetRestoreInstance(instance, outcome.set_folder.c_str(), restored_folder.c_str(), on_progress));
  check("JetInit (the restored instance)", JetInit(&instance));
  JET_SESID session = 0;
  check("JetBeginSession", JetBeginSession(instance, &session, "", ""));
  const std::set<int> got = order_ids(session, restored);
  const std::set<int> live = order_ids(session, database);

  int before_backup = 0, acknowledged = 0, missing = 0, later = 0, never_committed = 0;
  for (int id : live) {
    if (id < outcome.first_writer_id) {
      ++before_backup;
      if (got.count(id) == 0) ++missing;
    } else if (id <= outcome.acknowledged_before_log_info) {
      ++acknowledged;
      if (got.count(id) == 0) ++missing;
    }
  }
  for (int id : got) {
    if (live.count(id) == 0) ++never_committed;
    if (id > outcome.acknowledged_before_log_info) ++later;
  }
  std::printf("    restored %zu rows: %d written before the backup, %d writer commits acknowledged before\n"
              "    JetGetLogInfo, %d later ones whose log records made it into the set\n",
              got.size(), before_backup, acknowledged, later);
  std::printf("  %-58s %s\n", "every row committed before JetGetLogInfo is back",
              missing == 0 && acknowledged > 0 ? "ok" : "FAILED");
  std::printf("  %-58s %s\n", "no row that was never committed", never_committed == 0 ? "ok" : "FAILED");
  if (missing != 0 || acknowledged == 0 || never_committed != 0) ++failures;

  JET_DBINFOMISC4 misc{};
  check("JetGetDatabaseFileInfo(restored, JET_DbInfoMisc)",
        JetGetDatabaseFileInfo(restored.c_str(), &misc, sizeof misc, JET_DbInfoMisc));
  const bool clean = misc.dbstate == JET_dbstateCleanShutdown && misc.bkinfoFullCur.genLow == 0 &&
                     misc.bkinfoFullPrev.genLow == 0;
  std::printf("  %-58s %s\n", "the restored database is clean, no backup recorded", clean ? "ok" : "FAILED");
  if (!clean) ++failures;
  check("JetEndSession", JetEndSession(session, 0));
  check("JetTerm", JetTerm(instance));
  return failures;
}
