// esent-demo --tour: a walk through the API beneath the backup story — an instance with its
// parameters, a session, a database with a table and two indexes, rows written in transactions
// and read back by key, by index and in order, a rollback, a detach and a reattach that finds
// every row, a clean shutdown, then durable commits, a stop that leaves the files as a crash
// would, and recovery that finds every committed row, printing each step.
#include <esent.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "demo_steps.h"
#include "tour.h"

namespace {

DemoSteps steps;
int& failures = steps.failures;

JET_ERR step(const char* what, JET_ERR err) { return steps.check(what, err); }

std::string error_text(JET_ERR err) {
  JET_API_PTR code = static_cast<JET_API_PTR>(static_cast<std::int64_t>(err));
  char text[256] = {};
  JetGetSystemParameter(0, 0, JET_paramErrorToString, &code, text, sizeof text);
  return text;
}

JET_INSTANCE start_instance(const char* name, const std::string& folder) {
  JET_INSTANCE instance = 0;
  step((std::string("JetCreateInstance(\"") + name + "\")").c_str(), JetCreateInstance(&instance, name));
  JetSetSystemParameter(&instance, 0, JET_paramLogFilePath, 0, (folder + "/logs/").c_str());
  JetSetSystemParameter(&instance, 0, JET_paramSystemPath, 0, folder.c_str());
  const auto started = std::chrono::steady_clock::now();
  step("JetInit (recovery runs here)", JetInit(&instance));
  std::printf("    JetInit took %.3f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return instance;
}

// Durable commits, a stop that leaves the files as a crash would, and recovery.
void crash_and_recover(const std::string& folder, const std::string& database) {
  std::printf("crash and recovery:\n");
  JET_INSTANCE instance = start_instance("writer", folder);
  JET_SESID session = 0;
  JET_DBID dbid = 0;
  JET_TABLEID table = 0;
  step("JetBeginSession", JetBeginSession(instance, &session, "", ""));
  step("JetAttachDatabase", JetAttachDatabase(session, database.c_str(), 0));
  step("JetOpenDatabase", JetOpenDatabase(session, database.c_str(), nullptr, &dbid, 0));
  step("JetOpenTable(Orders)", JetOpenTable(session, dbid, "Orders", nullptr, 0, 0, &table));
  JET_COLUMNDEF def{};
  JetGetTableColumnInfo(session, table, "Id", &def, sizeof def, JET_ColInfo);
  const JET_COLUMNID id_column = def.columnid;
  const int first = 100000;
  const int extra = 2000;
  JET_ERR err = JET_errSuccess;
  const auto started = std::chrono::steady_clock::now();
  for (int i = first; i < first + extra && err >= 0; ++i) {
    err = JetBeginTransaction(session);
    if (err >= 0) err = JetPrepareUpdate(session, table, JET_prepInsert);
    if (err >= 0) err = JetSetColumn(session, table, id_column, &i, sizeof i, 0, nullptr);
    if (err >= 0) err = JetUpdate(session, table, nullptr, 0, nullptr);
    if (err >= 0) err = JetCommitTransaction(session, 0);  // durable when it returns
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  step("insert 2,000 rows, each in its own durable commit", err);
  std::printf("    %.0f durable commits/s\n", extra / seconds);
  // One more, never committed: recovery must take it back.
  int doomed = first + extra;
  step("JetBeginTransaction (never committed)", JetBeginTransaction(session));
  step("JetPrepareUpdate(insert)", JetPrepareUpdate(session, table, JET_prepInsert));
  step("JetSetColumn(Id)", JetSetColumn(session, table, id_column, &doomed, sizeof doomed, 0, nullptr));
  step("JetUpdate", JetUpdate(session, table, nullptr, 0, nullptr));
  JET_ERR dirty = JetTerm2(instance, JET_bitTermDirty);
  std::printf("  %-58s %s\n", "JetTerm2(JET_bitTermDirty): files left as a crash would",
              error_text(dirty).c_str());
  if (dirty != JET_errDirtyShutdown) ++failures;

  instance = start_instance("recovered", folder);
  step("JetBeginSession", JetBeginSession(instance, &session, "", ""));
  step("JetAttachDatabase (recovery left it clean)", JetAttachDatabase(session, database.c_str(), 0));
  step("JetOpenDatabase", JetOpenDatabase(session, database.c_str(), nullptr, &dbid, 0));
  step("JetOpenTable(Orders)", JetOpenTable(session, dbid, "Orders", nullptr, 0, 0, &table));
  JET_UINT32 rows = 0;
  step("JetMove(first)", JetMove(session, table, static_cast<JET_INT32>(JET_MoveFirst), 0));
  step("JetIndexRecordCount", JetIndexRecordCount(session, table, &rows, 0));
  std::printf("    after recovery: %u rows (expected %d: every committed row, not the uncommitted one)\n",
              static_cast<unsigned>(rows), first + extra);
  if (rows != static_cast<JET_UINT32>(first + extra)) ++failures;
  step("JetMakeKey(the uncommitted id)", JetMakeKey(session, table, &doomed, sizeof doomed, JET_bitNewKey));
  JET_ERR gone = JetSeek(session, table, JET_bitSeekEQ);
  std::printf("    seeking the uncommitted row: %s\n", error_text(gone).c_str());
  if (gone != JET_errRecordNotFound) ++failures;
  step("JetCloseTable", JetCloseTable(session, table));
  step("JetEndSession", JetEndSession(session, 0));
  step("JetTerm", JetTerm(instance));
}

}  // namespace

int run_tour(const std::string& folder) {
  failures = 0;
  std::printf("libesent: a tour of the API (folder: %s)\n", folder.c_str());

  JET_INSTANCE instance = 0;
  step("JetCreateInstance(\"demo\")", JetCreateInstance(&instance, "demo"));
  step("JetSetSystemParameter(CreatePathIfNotExist, 1)",
       JetSetSystemParameter(&instance, 0, JET_paramCreatePathIfNotExist, 1, nullptr));
  std::string windows_style = folder + "\\logs\\";
  step(("JetSetSystemParameter(LogFilePath, \"" + windows_style + "\")").c_str(),
       JetSetSystemParameter(&instance, 0, JET_paramLogFilePath, 0, windows_style.c_str()));
  step(("JetSetSystemParameter(SystemPath, \"" + folder + "\")").c_str(),
       JetSetSystemParameter(&instance, 0, JET_paramSystemPath, 0, folder.c_str()));
  step("JetSetSystemParameter(MaxSessions, 8)",
       JetSetSystemParameter(&instance, 0, JET_paramMaxSessions, 8, nullptr));
  std::printf("  JET_paramRecovery stays \"on\" (the default): a write-ahead log and crash recovery\n");
  step("JetInit(&instance)", JetInit(&instance));

  char path[1024] = {};
  step("JetGetSystemParameter(LogFilePath)",
       JetGetSystemParameter(instance, 0, JET_paramLogFilePath, nullptr, path, sizeof path));
  std::printf("    log folder reported back as %s\n", path);
  JET_API_PTR sessions = 0;
  step("JetGetSystemParameter(MaxSessions)",
       JetGetSystemParameter(instance, 0, JET_paramMaxSessions, &sessions, nullptr, 0));
  std::printf("    max sessions = %llu\n", static_cast<unsigned long long>(sessions));

  JET_ERR late = JetSetSystemParameter(&instance, 0, JET_paramLogFilePath, 0, "/elsewhere/");
  std::printf("  changing LogFilePath after JetInit is refused: %s\n", error_text(late).c_str());

  JET_SESID session = 0;
  step("JetBeginSession", JetBeginSession(instance, &session, "", ""));
  JET_UINT32 version = 0;
  step("JetGetVersion", JetGetVersion(session, &version));
  std::printf("    engine version 0x%08x (build %u)\n", static_cast<unsigned>(version),
              static_cast<unsigned>((version & 0xFFFFFFU) >> 8));

  // A database, a table, and rows.
  const std::string database = folder + "/demo.edb";
  JET_DBID dbid = 0;
  step("JetCreateDatabase(demo.edb)", JetCreateDatabase(session, database.c_str(), nullptr, &dbid, 0));
  JET_TABLEID table = 0;
  step("JetCreateTable(Orders)", JetCreateTable(session, dbid, "Orders", 0, 100, &table));
  JET_COLUMNDEF def{};
  def.cbStruct = sizeof(def);
  def.coltyp = JET_coltypLong;
  JET_COLUMNID id_column = 0, customer_column = 0, amount_column = 0;
  step("JetAddColumn(Id, Long)", JetAddColumn(session, table, "Id", &def, nullptr, 0, &id_column));
  def.coltyp = JET_coltypText;
  def.cp = 1252;
  step("JetAddColumn(Customer, Text)", JetAddColumn(session, table, "Customer", &def, nullptr, 0, &customer_column));
  def.coltyp = JET_coltypLongLong;
  def.cp = 0;
  step("JetAddColumn(Amount, LongLong)", JetAddColumn(session, table, "Amount", &def, nullptr, 0, &amount_column));
  const char primary[] = "+Id\0";
  step("JetCreateIndex(primary, +Id)", JetCreateIndex(session, table, "primary", JET_bitIndexPrimary, primary, sizeof primary, 100));
  const char by_customer[] = "+Customer\0-Amount\0";
  step("JetCreateIndex(byCustomer, +Customer -Amount)", JetCreateIndex(session, table, "byCustomer", 0, by_customer, sizeof by_customer, 100));

  const char* customers[] = {"ada", "grace", "edsger", "barbara", "ken"};
  const int rows = 100000;
  auto started = std::chrono::steady_clock::now();
  JET_ERR err = JET_errSuccess;
  for (int i = 0; i < rows && err >= 0; ++i) {
    if (i % 1000 == 0) err = JetBeginTransaction(session);
    const char* customer = customers[i % 5];
    long long amount = (i * 7919LL) % 10007;
    if (err >= 0) err = JetPrepareUpdate(session, table, JET_prepInsert);
    if (err >= 0) err = JetSetColumn(session, table, id_column, &i, sizeof i, 0, nullptr);
    if (err >= 0) err = JetSetColumn(session, table, customer_column, customer, static_cast<JET_UINT32>(std::strlen(customer)), 0, nullptr);
    if (err >= 0) err = JetSetColumn(session, table, amount_column, &amount, sizeof amount, 0, nullptr);
    if (err >= 0) err = JetUpdate(session, table, nullptr, 0, nullptr);
    if (err >= 0 && i % 1000 == 999) err = JetCommitTransaction(session, 0);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  step("insert 100,000 rows in transactions of 1,000", err);
  std::printf("    %.0f rows/s\n", rows / seconds);

  // Read back: by key, through the secondary index, and in order.
  started = std::chrono::steady_clock::now();
  int found = 0;
  for (int i = 0; i < rows && err >= 0; i += 7) {
    err = JetMakeKey(session, table, &i, sizeof i, JET_bitNewKey);
    if (err >= 0) err = JetSeek(session, table, JET_bitSeekEQ);
    int id = -1;
    JET_UINT32 actual = 0;
    if (err >= 0) err = JetRetrieveColumn(session, table, id_column, &id, sizeof id, &actual, 0, nullptr);
    if (err >= 0 && id == i) ++found;
  }
  seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  step("seek every 7th row by its key", err);
  std::printf("    %d rows found (%.0f seeks/s)\n", found, found / seconds);
  if (found != (rows + 6) / 7) ++failures;

  step("JetSetCurrentIndex(byCustomer)", JetSetCurrentIndex(session, table, "byCustomer"));
  step("JetMakeKey(\"grace\")", JetMakeKey(session, table, "grace", 5, JET_bitNewKey));
  step("JetSeek(EQ | SetIndexRange)", JetSeek(session, table, JET_bitSeekEQ | JET_bitSetIndexRange));
  JET_UINT32 in_range = 0;
  step("JetIndexRecordCount", JetIndexRecordCount(session, table, &in_range, 0));
  long long largest = 0;
  JET_UINT32 actual = 0;
  step("JetRetrieveColumn(Amount) of grace's first (largest) order",
       JetRetrieveColumn(session, table, amount_column, &largest, sizeof largest, &actual, 0, nullptr));
  std::printf("    grace has %u orders, the largest %lld\n", static_cast<unsigned>(in_range), largest);
  if (in_range != rows / 5) ++failures;

  // A rolled-back transaction leaves nothing behind.
  step("JetSetCurrentIndex(primary)", JetSetCurrentIndex(session, table, "primary"));
  step("JetBeginTransaction", JetBeginTransaction(session));
  int doomed = rows;
  step("JetPrepareUpdate(insert)", JetPrepareUpdate(session, table, JET_prepInsert));
  step("JetSetColumn(Id)", JetSetColumn(session, table, id_column, &doomed, sizeof doomed, 0, nullptr));
  step("JetUpdate", JetUpdate(session, table, nullptr, 0, nullptr));
  step("JetRollback", JetRollback(session, 0));
  step("JetMakeKey(the rolled-back id)", JetMakeKey(session, table, &doomed, sizeof doomed, JET_bitNewKey));
  JET_ERR gone = JetSeek(session, table, JET_bitSeekEQ);
  std::printf("    seeking it: %s\n", error_text(gone).c_str());
  if (gone != JET_errRecordNotFound) ++failures;

  step("JetCloseTable", JetCloseTable(session, table));
  step("JetCloseDatabase", JetCloseDatabase(session, dbid, 0));
  step("JetDetachDatabase", JetDetachDatabase(session, database.c_str()));
  JET_DBINFOMISC misc{};
  step("JetGetDatabaseFileInfo(JET_DbInfoMisc)",
       JetGetDatabaseFileInfo(database.c_str(), &misc, sizeof misc, JET_DbInfoMisc));
  std::printf("    detached database state: %s, page size %u\n",
              misc.dbstate == JET_dbstateCleanShutdown ? "clean shutdown" : "NOT CLEAN",
              static_cast<unsigned>(misc.cbPageSize));
  if (misc.dbstate != JET_dbstateCleanShutdown) ++failures;

  // Attach again and count every row in order.
  step("JetAttachDatabase", JetAttachDatabase(session, database.c_str(), 0));
  step("JetOpenDatabase", JetOpenDatabase(session, database.c_str(), nullptr, &dbid, 0));
  step("JetOpenTable(Orders)", JetOpenTable(session, dbid, "Orders", nullptr, 0, 0, &table));
  int counted = 0;
  int expected_id = 0;
  for (err = JetMove(session, table, static_cast<JET_INT32>(JET_MoveFirst), 0); err >= 0; err = JetMove(session, table, JET_MoveNext, 0)) {
    int id = -1;
    if (JetRetrieveColumn(session, table, id_column, &id, sizeof id, &actual, 0, nullptr) >= 0 && id == expected_id) ++counted;
    ++expected_id;
  }
  std::printf("    after reattach: %d rows, in order (scan ended with %s)\n", counted, error_text(err).c_str());
  if (counted != rows || err != JET_errNoCurrentRecord) ++failures;
  step("JetCloseTable", JetCloseTable(session, table));
  step("JetCloseDatabase", JetCloseDatabase(session, dbid, 0));

  JET_UINT32 count = 0;
  JET_INSTANCE_INFO* infos = nullptr;
  step("JetGetInstanceInfo", JetGetInstanceInfo(&count, &infos));
  for (JET_UINT32 i = 0; i < count; ++i) {
    std::printf("    running instance: %s, %u database(s) attached\n",
                infos[i].szInstanceName ? infos[i].szInstanceName : "(unnamed)",
                static_cast<unsigned>(infos[i].cDatabases));
  }
  step("JetFreeBuffer", JetFreeBuffer(reinterpret_cast<char*>(infos)));

  step("JetEndSession", JetEndSession(session, 0));
  step("JetTerm2(JET_bitTermComplete)", JetTerm2(instance, JET_bitTermComplete));
  JET_ERR stale = JetBeginSession(instance, &session, "", "");
  std::printf("  the terminated instance's handle is now stale: %s\n", error_text(stale).c_str());

  crash_and_recover(folder, database);
  std::printf("%s\n", failures == 0 ? "tour complete" : "tour FAILED");
  return failures;
}
