// esent-demo: the README's main job. It tells the product's story end to end, with the public
// API only, printing what it does and the numbers:
//   1. an instance and a database; a table loaded with rows;
//   2. a writer thread making durable single-row commits, which it keeps doing through 3 and 4;
//   3. a full online streaming backup, with progress, while the writer commits;
//   4. more writes, then an incremental streaming backup (the new logs);
//   5. the writer stopped, the instance shut down, and the live data wiped (database, logs,
//      checkpoint);
//   6. the full backup and the incremental assembled into one set and restored onto the wiped
//      instance with JetRestoreInstance;
//   7. every row checked: every loaded row and every writer commit acknowledged before the
//      incremental's JetGetLogInfoInstance is there, with the content it was written with, and
//      no row that was never committed.
// Exits non-zero if anything is wrong. `esent-demo --tour <folder>` walks through the rest of
// the API instead (tour.cc).
//
//   esent-demo [--rows N] <folder>     (default 200,000 rows)
//   esent-demo --tour <folder>
#include <esent.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>

#include "demo_steps.h"
#include "restore_chain.h"
#include "streaming_backup.h"
#include "tour.h"
#include "workload.h"

namespace {

constexpr int kWriterFirstId = 1000000000;  // the writer's ids start here, above any loaded id

double mib(std::uint64_t bytes) { return static_cast<double>(bytes) / (1 << 20); }

double per_second(double amount, double seconds) { return seconds > 0 ? amount / seconds : 0.0; }

JET_INSTANCE start_live_instance(const std::string& live, DemoSteps& steps) {
  JET_INSTANCE instance = 0;
  steps.check("JetCreateInstance(\"live\")", JetCreateInstance(&instance, "live"));
  JetSetSystemParameter(&instance, 0, JET_paramCreatePathIfNotExist, 1, nullptr);
  JetSetSystemParameter(&instance, 0, JET_paramLogFilePath, 0, (live + "/logs/").c_str());
  JetSetSystemParameter(&instance, 0, JET_paramSystemPath, 0, (live + "/").c_str());
  JetSetSystemParameter(&instance, 0, JET_paramMaxSessions, 16, nullptr);
  steps.check("JetInit (JET_paramRecovery on: a write-ahead log)", JetInit(&instance));
  return instance;
}

void print_backup(const char* what, const demo::BackupReport& report, const demo::Writer& writer) {
  if (report.databases > 0) {
    std::printf("    %s: %.1f MiB of database streamed in %.2f s (%.0f MiB/s), %d log file(s) (%.1f MiB);\n",
                what, mib(report.database_bytes), report.database_seconds,
                per_second(mib(report.database_bytes), report.database_seconds), report.logs, mib(report.log_bytes));
  } else {
    std::printf("    %s: %d log file(s), %.1f MiB;\n", what, report.logs, mib(report.log_bytes));
  }
  std::printf("      whole backup %.2f s; meanwhile the writer made %d durable commits (%.0f/s); the set holds\n"
              "      every commit acknowledged before JetGetLogInfoInstance (the writer's first %d)\n",
              report.seconds, report.writer_commits, per_second(report.writer_commits, report.seconds),
              report.acknowledged_before_log_info - writer.first_id() + 1);
}

int run(const std::string& folder, int rows) {
  DemoSteps steps;
  const std::string live = folder + "/live";
  const std::string database = live + "/orders.edb";
  std::printf("libesent: an online backup while a writer commits, an incremental, a wipe, a restore\n"
              "of the chain, and every acknowledged row checked (folder: %s)\n\n", folder.c_str());

  std::printf("1. an instance, a database, %d rows\n", rows);
  JET_INSTANCE instance = start_live_instance(live, steps);
  JET_SESID session = 0;
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  demo::Columns columns;
  steps.check("JetBeginSession", JetBeginSession(instance, &session, "", ""));
  steps.check("JetCreateDatabase(orders.edb)", JetCreateDatabase(session, database.c_str(), nullptr, &dbid, 0));
  steps.check("JetCreateTable(Orders) with columns and two indexes", demo::create_orders(session, dbid));
  steps.check("JetOpenTable(Orders)", JetOpenTable(session, dbid, demo::kTable, nullptr, 0, 0, &table));
  steps.check("look up the columns", demo::find_columns(session, table, &columns));
  auto started = std::chrono::steady_clock::now();
  steps.check("load the rows (transactions of 1,000)", demo::load_rows(session, table, columns, 0, rows));
  const double load_seconds = demo::seconds_since(started);
  std::printf("    %d rows in %.2f s (%.0f rows/s)\n", rows, load_seconds, per_second(rows, load_seconds));
  JetCloseTable(session, table);

  std::printf("\n2. a writer: one row per transaction, each commit durable when it returns\n");
  demo::Writer writer(instance, database, kWriterFirstId);
  writer.start();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::printf("    %d commits in its first 0.3 s\n", writer.commits());

  std::printf("\n3. a full online streaming backup while the writer commits\n");
  demo::BackupReport full;
  steps.failures += demo::stream_backup(instance, false, folder + "/backup/full", writer, &full);
  print_backup("full backup", full, writer);
  JET_DBINFOMISC4 misc{};
  steps.check("JetGetDatabaseFileInfo(JET_DbInfoMisc)",
              JetGetDatabaseFileInfo(database.c_str(), &misc, sizeof misc, JET_DbInfoMisc));
  std::printf("    the header records the full backup: bkinfoFullPrev generations %u to %u\n",
              static_cast<unsigned>(misc.bkinfoFullPrev.genLow), static_cast<unsigned>(misc.bkinfoFullPrev.genHigh));
  if (misc.bkinfoFullPrev.genLow == 0) ++steps.failures;

  std::printf("\n4. more writes, then an incremental streaming backup\n");
  const int commits_before = writer.commits();
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  std::printf("    %d more commits in 1 s\n", writer.commits() - commits_before);
  demo::BackupReport incremental;
  steps.failures += demo::stream_backup(instance, true, folder + "/backup/incremental", writer, &incremental);
  print_backup("incremental backup", incremental, writer);

  std::printf("\n5. the writer stopped, the instance shut down, the live data wiped\n");
  writer.stop();
  const int last_committed = writer.last_acknowledged();
  std::printf("    the writer made %d durable commits in all (%d errors); the last %d came after the\n"
              "    incremental's JetGetLogInfoInstance, so the chain need not hold them\n",
              writer.commits(), writer.errors(), last_committed - incremental.acknowledged_before_log_info);
  if (writer.errors() != 0) ++steps.failures;
  steps.check("JetEndSession", JetEndSession(session, 0));
  steps.check("JetTerm", JetTerm(instance));
  std::error_code error;
  const auto removed = std::filesystem::remove_all(live, error);
  std::printf("    %-56s %s\n", ("removed " + live + " (" + std::to_string(removed) + " files and folders)").c_str(),
              error ? "FAILED" : "ok");
  if (error || std::filesystem::exists(database)) ++steps.failures;

  std::printf("\n6. the chain restored onto the wiped instance\n");
  demo::RestoreReport restored;
  steps.failures += demo::restore_chain(folder + "/backup/full", folder + "/backup/incremental",
                                        folder + "/backup/chain", live, &restored);
  std::printf("    restored %d files (%.1f MiB) in %.2f s (%.0f MiB/s: verify, copy, replay the logs)\n",
              restored.set_files, mib(restored.set_bytes), restored.seconds,
              per_second(mib(restored.set_bytes), restored.seconds));

  std::printf("\n7. every row checked\n");
  instance = start_live_instance(live, steps);
  steps.check("JetBeginSession", JetBeginSession(instance, &session, "", ""));
  started = std::chrono::steady_clock::now();
  const demo::ScanResult scan = demo::scan_orders(session, database, rows, kWriterFirstId,
                                                  incremental.acknowledged_before_log_info, last_committed);
  const double scan_seconds = demo::seconds_since(started);
  steps.check("scan Orders in the restored database", scan.err);
  std::printf("    %d rows read in %.2f s: %d loaded, %d from the writer (%d acknowledged before the\n"
              "    incremental's JetGetLogInfoInstance; %d later ones whose log records were in the set)\n",
              scan.rows, scan_seconds, scan.loaded, scan.writer_rows,
              incremental.acknowledged_before_log_info - kWriterFirstId + 1,
              scan.writer_rows - (incremental.acknowledged_before_log_info - kWriterFirstId + 1));
  const auto verdict = [&](const char* what, bool ok) {
    std::printf("    %-56s %s\n", what, ok ? "ok" : "FAILED");
    if (!ok) ++steps.failures;
  };
  verdict("every loaded row and every acknowledged commit is there", scan.missing == 0);
  verdict("every row holds what was written", scan.wrong_content == 0);
  verdict("no row that was never committed", scan.unexpected == 0);
  JET_DBINFOMISC4 restored_misc{};
  steps.check("JetGetDatabaseFileInfo(JET_DbInfoMisc)",
              JetGetDatabaseFileInfo(database.c_str(), &restored_misc, sizeof restored_misc, JET_DbInfoMisc));
  verdict("the restored database is clean", restored_misc.dbstate == JET_dbstateCleanShutdown);
  steps.check("JetEndSession", JetEndSession(session, 0));
  steps.check("JetTerm", JetTerm(instance));

  std::printf("\n%s: %d rows restored and verified; full backup %.0f MiB/s under a writer making %.0f commits/s;"
              " restore %.0f MiB/s\n",
              steps.failures == 0 ? "demonstration complete" : "demonstration FAILED", scan.rows,
              per_second(mib(full.database_bytes), full.database_seconds),
              per_second(full.writer_commits, full.seconds), per_second(mib(restored.set_bytes), restored.seconds));
  return steps.failures;
}

int usage() {
  std::fprintf(stderr, "usage: esent-demo [--rows N] <folder>\n       esent-demo --tour <folder>\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // Line by line even into a pipe or a file, so the steps and the engine's event lines (stderr)
  // stay in order.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  bool tour = false;
  int rows = 200000;
  std::string folder;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--tour") {
      tour = true;
    } else if (arg == "--rows" && i + 1 < argc) {
      rows = std::atoi(argv[++i]);
      if (rows <= 0) return usage();
    } else if (!arg.empty() && arg[0] != '-' && folder.empty()) {
      folder = arg;
    } else {
      return usage();
    }
  }
  if (folder.empty()) return usage();
  const int failures = tour ? run_tour(folder) : run(folder, rows);
  return failures == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
