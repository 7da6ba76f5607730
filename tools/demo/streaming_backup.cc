// A full online streaming backup of a live instance, exactly as a backup application drives
// esent.dll: JetBeginExternalBackupInstance, JetGetAttachInfoInstance, JetOpenFileInstance /
// JetReadFileInstance / JetCloseFileInstance for each database and then each log,
// JetTruncateLogInstance, JetEndExternalBackupInstance2 — while another thread keeps making
// durable commits. The set is written to <folder>/backup; restore_demo.cc restores it.
#include "demo_steps.h"
#include "streaming_backup.h"

#include <esent.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

namespace {

DemoSteps steps;
int& failures = steps.failures;

JET_ERR check(const char* what, JET_ERR err) { return steps.check(what, err); }

std::vector<std::string> split_multi_string(const std::vector<char>& buffer) {
  std::vector<std::string> items;
  for (std::size_t at = 0; at < buffer.size() && buffer[at] != '\0';) {
    std::string item(&buffer[at]);
    at += item.size() + 1;
    items.push_back(item);
  }
  return items;
}

std::string base_name(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Streams one file of the backup into `target`; returns the bytes copied (0 on failure).
std::uint64_t stream_file(JET_INSTANCE instance, const std::string& name, const std::string& target,
                          bool show_progress) {
  JET_HANDLE handle = 0;
  JET_UINT32 low = 0, high = 0;
  if (JetOpenFileInstance(instance, name.c_str(), &handle, &low, &high) < 0) {
    ++failures;
    std::printf("    JetOpenFileInstance(%s) FAILED\n", name.c_str());
    return 0;
  }
  const std::uint64_t size = (std::uint64_t{high} << 32) | low;
  std::ofstream out(target, std::ios::binary | std::ios::trunc);
  std::vector<char> buffer(1 << 20);
  std::uint64_t copied = 0;
  int shown = 0;
  JET_ERR err = JET_errSuccess;
  while (true) {
    JET_UINT32 actual = 0;
    err = JetReadFileInstance(instance, handle, buffer.data(), static_cast<JET_UINT32>(buffer.size()), &actual);
    if (err < 0 || actual == 0) break;
    out.write(buffer.data(), actual);
    copied += actual;
    const int percent = size == 0 ? 100 : static_cast<int>(copied * 100 / size);
    if (show_progress && percent >= shown + 25) {
      shown = percent - percent % 25;
      std::printf("    %s: %3d%% (%llu of %llu bytes)\n", base_name(name).c_str(), shown,
                  static_cast<unsigned long long>(copied), static_cast<unsigned long long>(size));
    }
  }
  JetCloseFileInstance(instance, handle);
  if (err < 0 || copied != size) {
    ++failures;
    std::printf("    streaming %s FAILED (%d, %llu of %llu bytes)\n", name.c_str(), static_cast<int>(err),
                static_cast<unsigned long long>(copied), static_cast<unsigned long long>(size));
    return 0;
  }
  return copied;
}

bool same_bytes(const std::string& a, const std::string& b) {
  std::ifstream fa(a, std::ios::binary), fb(b, std::ios::binary);
  return std::vector<char>(std::istreambuf_iterator<char>(fa), {}) ==
         std::vector<char>(std::istreambuf_iterator<char>(fb), {});
}

}  // namespace

int streaming_backup_demo(const std::string& folder, const std::string& database, BackupOutcome* outcome) {
  failures = 0;
  std::printf("online streaming backup while a writer commits:\n");
  const std::string target = folder + "/backup";
  JET_INSTANCE instance = 0;
  check("JetCreateInstance(\"live\")", JetCreateInstance(&instance, "live"));
  JetSetSystemParameter(&instance, 0, JET_paramLogFilePath, 0, (folder + "/logs/").c_str());
  JetSetSystemParameter(&instance, 0, JET_paramSystemPath, 0, folder.c_str());
  check("JetInit", JetInit(&instance));
  JET_SESID session = 0;
  check("JetBeginSession", JetBeginSession(instance, &session, "", ""));
  check("JetAttachDatabase", JetAttachDatabase(session, database.c_str(), 0));

  // The writer: durable single-row commits until told to stop.
  std::atomic<bool> stop{false};
  std::atomic<int> commits{0};
  std::atomic<int> last_acknowledged{-1};
  constexpr int kFirstWriterId = 300000;
  std::atomic<int> writer_errors{0};
  std::thread writer([&] {
    JET_SESID ws = 0;
    JET_DBID dbid = 0;
    JET_TABLEID table = 0;
    if (JetBeginSession(instance, &ws, "", "") < 0 ||
        JetOpenDatabase(ws, database.c_str(), nullptr, &dbid, 0) < 0 ||
        JetOpenTable(ws, dbid, "Orders", nullptr, 0, 0, &table) < 0) {
      writer_errors.fetch_add(1);
      return;
    }
    JET_COLUMNDEF def{};
    JetGetTableColumnInfo(ws, table, "Id", &def, sizeof def, JET_ColInfo);
    for (int id = kFirstWriterId; !stop.load(); ++id) {
      JET_ERR err = JetBeginTransaction(ws);
      if (err >= 0) err = JetPrepareUpdate(ws, table, JET_prepInsert);
      if (err >= 0) err = JetSetColumn(ws, table, def.columnid, &id, sizeof id, 0, nullptr);
      if (err >= 0) err = JetUpdate(ws, table, nullptr, 0, nullptr);
      if (err >= 0) err = JetCommitTransaction(ws, 0);
      if (err < 0) {
        writer_errors.fetch_add(1);
        JetRollback(ws, 0);
      } else {
        commits.fetch_add(1);
        last_acknowledged.store(id);
      }
    }
    JetCloseTable(ws, table);
    JetEndSession(ws, 0);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));

  std::string mkdir = "mkdir -p '" + target + "'";
  if (std::system(mkdir.c_str()) != 0) ++failures;
  const int commits_before = commits.load();
  const auto started = std::chrono::steady_clock::now();
  check("JetBeginExternalBackupInstance(full)", JetBeginExternalBackupInstance(instance, 0));
  std::vector<char> names(64 * 1024);
  JET_UINT32 actual = 0;
  check("JetGetAttachInfoInstance", JetGetAttachInfoInstanceA(instance, names.data(), static_cast<JET_UINT32>(names.size()), &actual));
  std::uint64_t database_bytes = 0;
  for (const std::string& name : split_multi_string(names)) {
    std::printf("    database %s\n", name.c_str());
    database_bytes += stream_file(instance, name, target + "/" + base_name(name), true);
  }
  const double database_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::fill(names.begin(), names.end(), '\0');
  outcome->set_folder = target;
  outcome->first_writer_id = kFirstWriterId;
  outcome->acknowledged_before_log_info = last_acknowledged.load();
  check("JetGetLogInfoInstance (rolls the log)", JetGetLogInfoInstanceA(instance, names.data(), static_cast<JET_UINT32>(names.size()), &actual));
  const std::vector<std::string> logs = split_multi_string(names);
  std::uint64_t log_bytes = 0;
  int identical = 0;
  for (const std::string& name : logs) {
    const std::string copy = target + "/" + base_name(name);
    log_bytes += stream_file(instance, name, copy, false);
    if (same_bytes(name, copy)) ++identical;
  }
  std::printf("    %zu log file(s), %d byte-identical to the archived files\n", logs.size(), identical);
  if (identical != static_cast<int>(logs.size())) ++failures;
  check("JetTruncateLogInstance", JetTruncateLogInstance(instance));
  check("JetEndExternalBackupInstance2(EndNormal)", JetEndExternalBackupInstance2(instance, JET_bitBackupEndNormal));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const int commits_during = commits.load() - commits_before;
  stop = true;
  writer.join();
  std::printf("    database streamed at %.0f MiB/s (%.1f MiB, every page checksum-verified); whole backup %.3f s\n",
              database_seconds > 0 ? static_cast<double>(database_bytes) / (1 << 20) / database_seconds : 0.0,
              static_cast<double>(database_bytes) / (1 << 20), seconds);
  std::printf("    the writer made %d durable commits during the backup (%d errors)\n", commits_during,
              writer_errors.load());
  if (writer_errors.load() != 0 || commits_during == 0) ++failures;

  JET_DBINFOMISC4 misc{};
  check("JetGetDatabaseFileInfo(JET_DbInfoMisc)", JetGetDatabaseFileInfo(database.c_str(), &misc, sizeof misc, JET_DbInfoMisc));
  std::printf("    the database header records the full backup: log generations %u to %u\n",
              static_cast<unsigned>(misc.bkinfoFullPrev.genLow), static_cast<unsigned>(misc.bkinfoFullPrev.genHigh));
  if (misc.bkinfoFullPrev.genLow == 0) ++failures;
  const std::string copy = target + "/" + base_name(database);
  JET_ERR attach = JetAttachDatabase(session, copy.c_str(), 0);
  std::printf("  %-58s %s\n", "attaching the backup copy without restore is refused", attach == JET_errSoftRecoveryOnBackupDatabase ? "ok (JET_errSoftRecoveryOnBackupDatabase)" : "FAILED");
  if (attach != JET_errSoftRecoveryOnBackupDatabase) ++failures;
  check("JetEndSession", JetEndSession(session, 0));
  check("JetTerm", JetTerm(instance));
  return failures;
}
