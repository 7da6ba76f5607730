// The verbs that run an instance: recover (/r), restore (/c), backup, and verify-backup
// (which needs none, but belongs with them). Each creates one instance named "esentutl",
// configured from the files it is given (the logs' size and the databases' page size are read
// from the logs themselves, so the instance fits them), runs, and terminates it.
#include <esent.h>
#include <esent_ext.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "log_files.h"
#include "output.h"
#include "progress.h"
#include "verbs.h"

namespace esentutl {
namespace {

struct InstanceFolders {
  std::string log_folder;
  std::string system_folder;
  std::string base = "edb";
};

// The size of the logs of `base` in `folder` (KiB) and the database page size they record, from
// the first log found (in `folder`, else its new/ and old/ subfolders: a JetBackupInstance
// directory).
struct LogShape {
  JET_UINT32 file_kib = 0;
  JET_UINT32 page_size_bytes = 0;
};
std::optional<LogShape> find_log_shape(const std::string& folder, const std::string& base) {
  for (const std::string& where : {folder, folder + "/new", folder + "/old"}) {
    for (const LogFileName& log : list_logs(where, base)) {
      ESENT_LOGFILEINFO info{};
      const JET_ERR err = EsentGetLogFileInfoA(log.path.c_str(), &info, sizeof info);
      if (err >= 0 || err == JET_errLogReadVerifyFailure)
        return LogShape{info.cbFile / 1024, info.cbDatabasePage};
    }
  }
  return std::nullopt;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Creates the instance and sets its folders, base name and (when known) log size and the
// process's page size. Returns the first error.
JET_ERR create_instance(JET_INSTANCE* instance, const InstanceFolders& folders,
                        std::optional<LogShape> shape) {
  if (shape.has_value() && shape->page_size_bytes != 0) {
    const JET_ERR err = JetSetSystemParameterA(nullptr, 0, JET_paramDatabasePageSize,
                                               shape->page_size_bytes, nullptr);
    if (err < 0) return err;
  }
  JET_ERR err = JetCreateInstanceA(instance, "esentutl");
  if (err < 0) return err;
  const std::string log_folder = folders.log_folder + "/";
  const std::string system_folder = folders.system_folder + "/";
  struct Setting {
    JET_UINT32 id;
    JET_API_PTR number;
    const char* text;
  };
  const Setting settings[] = {
      {JET_paramLogFilePath, 0, log_folder.c_str()},
      {JET_paramSystemPath, 0, system_folder.c_str()},
      {JET_paramBaseName, 0, folders.base.c_str()},
      {JET_paramCreatePathIfNotExist, 1, nullptr},
      {JET_paramLogFileSize, shape.has_value() ? shape->file_kib : 0, nullptr},
  };
  for (const Setting& setting : settings) {
    if (setting.id == JET_paramLogFileSize && setting.number == 0) continue;
    err = JetSetSystemParameterA(instance, 0, setting.id, setting.number, setting.text);
    if (err < 0) {
      JetTerm(*instance);
      return err;
    }
  }
  return JET_errSuccess;
}

}  // namespace

int run_recover(const Args& args) {
  InstanceFolders folders;
  if (!args.positionals.empty()) folders.base = args.positionals[0];
  folders.log_folder = args.get("log-folder").value_or(".");
  folders.system_folder = args.get("system-folder").value_or(folders.log_folder);
  const std::string set_name = folders.log_folder + "/" + folders.base;

  // The logs are checked first: recovery must not start a new log set where there is none,
  // and damage is reported with its position.
  ESENT_CHECKSUMINFO logs{};
  JET_ERR err = EsentChecksumLogsA(folders.log_folder.c_str(), folders.base.c_str(), nullptr, &logs,
                                   sizeof logs);
  if (err < 0) return report_failure(args.json, err, "checking the log set " + set_name);

  std::vector<std::string> from, to;
  if (std::optional<std::string> database_folder = args.get("database-folder")) {
    const std::string checkpoint = folders.system_folder + "/" + folders.base + ".chk";
    ESENT_CHECKPOINTINFO info{};
    err = EsentGetCheckpointFileInfoA(checkpoint.c_str(), &info, sizeof info);
    if (err < 0) return report_failure(args.json, err, "reading " + checkpoint + " for /d");
    for (JET_UINT32 index = 0; index < info.cDatabases; ++index) {
      ESENT_CHECKPOINTDBINFO_A entry{};
      err = EsentGetCheckpointDatabaseInfoA(checkpoint.c_str(), index, &entry, sizeof entry);
      if (err < 0) return report_failure(args.json, err, "reading " + checkpoint + " for /d");
      from.emplace_back(entry.szPath);
      to.push_back(*database_folder + "/" + split_base(entry.szPath).second);
    }
  }
  std::vector<JET_RSTMAP_A> map;
  for (std::size_t i = 0; i < from.size(); ++i)
    map.push_back(JET_RSTMAP_A{from[i].data(), to[i].data()});

  JET_INSTANCE instance = 0;
  err = create_instance(&instance, folders, find_log_shape(folders.log_folder, folders.base));
  if (err < 0) return report_failure(args.json, err, "creating the recovery instance");
  JET_RSTINFO_A restore_info{};
  restore_info.cbStruct = sizeof restore_info;
  restore_info.rgrstmap = map.empty() ? nullptr : map.data();
  restore_info.crstmap = static_cast<JET_INT32>(map.size());
  restore_info.pfnStatus = Progress::status_callback;
  JET_GRBIT grbit = 0;
  if (args.has("ignore-missing")) grbit |= JET_bitReplayIgnoreMissingDB;
  if (args.has("truncate")) grbit |= JET_bitTruncateLogsAfterRecovery;
  const auto started = std::chrono::steady_clock::now();
  {
    Progress progress("recovery of " + set_name);
    err = JetInit3A(&instance, &restore_info, grbit);
  }
  if (err < 0) {
    JetTerm(instance);
    return report_failure(args.json, err, "recovering " + set_name);
  }
  err = JetTerm(instance);
  if (err < 0) return report_failure(args.json, err, "terminating after recovery of " + set_name);
  const double seconds = seconds_since(started);
  if (args.json) {
    Json json;
    json.add("log_folder", folders.log_folder)
        .add("system_folder", folders.system_folder)
        .add("base_name", folders.base)
        .add("generation_first", std::uint64_t{logs.genFirst})
        .add("generation_last", std::uint64_t{logs.genLast})
        .add("databases_relocated", std::uint64_t{map.size()})
        .add("seconds", seconds);
    print_json(json);
    return kExitOk;
  }
  std::printf("Recovery of %s (generations %u-%u) completed successfully in %.3f seconds.\n",
              set_name.c_str(), static_cast<unsigned>(logs.genFirst),
              static_cast<unsigned>(logs.genLast), seconds);
  return kExitOk;
}

int run_restore(const Args& args) {
  const std::string& backup_folder = args.positionals[0];
  InstanceFolders folders;
  folders.base = args.get("base").value_or("edb");
  folders.log_folder = args.get("log-folder").value_or(".");
  folders.system_folder = args.get("system-folder").value_or(folders.log_folder);
  const std::optional<std::string> dest = args.get("dest");
  if (!is_directory(backup_folder)) {
    return report_failure(args.json, JET_errFileNotFound, "no backup folder " + backup_folder);
  }
  JET_INSTANCE instance = 0;
  JET_ERR err = create_instance(&instance, folders, find_log_shape(backup_folder, folders.base));
  if (err < 0) return report_failure(args.json, err, "creating the restore instance");
  const auto started = std::chrono::steady_clock::now();
  {
    Progress progress("restore of " + backup_folder);
    err =
        JetRestoreInstanceA(instance, backup_folder.c_str(),
                            dest.has_value() ? dest->c_str() : nullptr, Progress::status_callback);
  }
  JetTerm(instance);
  if (err < 0) return report_failure(args.json, err, "restoring " + backup_folder);
  const double seconds = seconds_since(started);
  if (args.json) {
    Json json;
    json.add("backup_folder", backup_folder)
        .add("dest", dest.value_or(""))
        .add("log_folder", folders.log_folder)
        .add("system_folder", folders.system_folder)
        .add("seconds", seconds);
    print_json(json);
    return kExitOk;
  }
  std::printf("Restore of %s completed successfully in %.3f seconds.\n", backup_folder.c_str(),
              seconds);
  return kExitOk;
}

int run_backup(const Args& args) {
  const std::string& database = args.positionals[0];
  const std::string& backup_folder = args.positionals[1];
  InstanceFolders folders;
  folders.base = args.get("base").value_or("edb");
  folders.log_folder = args.get("log-folder").value_or(split_base(database).first);
  folders.system_folder = args.get("system-folder").value_or(folders.log_folder);
  JET_API_PTR rate_bytes = 0;
  if (std::optional<std::string> rate = args.get("rate-mib")) {
    char* end = nullptr;
    const unsigned long long mib = std::strtoull(rate->c_str(), &end, 10);
    if (rate->empty() || *end != '\0')
      return report_usage(args.json, "backup", "--rate-mib needs a whole number");
    rate_bytes = static_cast<JET_API_PTR>(mib) * 1024 * 1024;
  }
  JET_DBINFOMISC4 misc{};
  JET_ERR err = JetGetDatabaseFileInfoA(database.c_str(), &misc, sizeof misc, JET_DbInfoMisc);
  if (err < 0) return report_failure(args.json, err, "reading the header of " + database);
  std::optional<LogShape> shape = find_log_shape(folders.log_folder, folders.base);
  if (!shape.has_value()) shape = LogShape{};
  shape->page_size_bytes = misc.cbPageSize;

  JET_INSTANCE instance = 0;
  err = create_instance(&instance, folders, shape);
  if (err < 0) return report_failure(args.json, err, "creating the backup instance");
  auto fail = [&](JET_ERR error, const std::string& context) {
    JetTerm(instance);
    return report_failure(args.json, error, context);
  };
  err = JetSetSystemParameterA(&instance, 0, ESENT_paramBackupReadBytesPerSecond, rate_bytes,
                               nullptr);
  if (err < 0) return fail(err, "setting the backup rate");
  err = JetInit(&instance);
  if (err < 0) return fail(err, "initialising an instance on the logs of " + folders.log_folder);
  JET_SESID session = 0;
  err = JetBeginSessionA(instance, &session, "", "");
  if (err < 0) return fail(err, "beginning a session");
  err = JetAttachDatabaseA(session, database.c_str(), 0);
  if (err < 0) return fail(err, "attaching " + database);
  JET_GRBIT grbit = 0;
  if (args.has("incremental")) grbit |= JET_bitBackupIncremental;
  if (args.has("atomic")) grbit |= JET_bitBackupAtomic;
  const auto started = std::chrono::steady_clock::now();
  {
    Progress progress(std::string(args.has("incremental") ? "incremental" : "full") +
                      " backup to " + backup_folder);
    err = JetBackupInstanceA(instance, backup_folder.c_str(), grbit, Progress::status_callback);
  }
  if (err < 0) return fail(err, "backing up to " + backup_folder);
  const double seconds = seconds_since(started);
  JetEndSession(session, 0);
  err = JetTerm(instance);
  if (err < 0) return report_failure(args.json, err, "terminating after the backup");
  if (args.json) {
    Json json;
    json.add("database", database)
        .add("backup_folder", backup_folder)
        .add("kind", args.has("incremental") ? "incremental" : "full")
        .add("atomic", args.has("atomic"))
        .add("rate_limit_bytes_per_second", std::uint64_t{rate_bytes})
        .add("seconds", seconds);
    print_json(json);
    return kExitOk;
  }
  std::printf("%s backup of %s to %s completed successfully in %.3f seconds.\n",
              args.has("incremental") ? "Incremental" : "Full", database.c_str(),
              backup_folder.c_str(), seconds);
  return kExitOk;
}

int run_verify_backup(const Args& args) {
  const std::string& backup_folder = args.positionals[0];
  JET_ERR err;
  {
    Progress progress("verify " + backup_folder);
    err = EsentVerifyBackupA(backup_folder.c_str(), Progress::status_callback);
  }
  if (err < 0) return report_failure(args.json, err, "verifying backup " + backup_folder);
  if (args.json) {
    Json json;
    json.add("backup_folder", backup_folder).add("verified", true);
    print_json(json);
    return kExitOk;
  }
  std::printf(
      "Backup %s verified: manifest, every page and log sector, the logs fit the databases.\n",
      backup_folder.c_str());
  return kExitOk;
}

}  // namespace esentutl
