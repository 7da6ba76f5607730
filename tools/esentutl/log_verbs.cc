// esentutl log-header (/ml): one log file's header and integrity (EsentGetLogFileInfo), or
// every log of a set and the set's integrity (EsentChecksumLogs).
#include <esent.h>
#include <esent_ext.h>

#include <cstdio>
#include <string>
#include <vector>

#include "log_files.h"
#include "output.h"
#include "reports.h"
#include "verbs.h"

namespace esentutl {

int run_log_header(const Args& args) {
  const std::string& target = args.positionals[0];
  if (is_regular_file(target)) {
    ESENT_LOGFILEINFO info{};
    const JET_ERR err = EsentGetLogFileInfoA(target.c_str(), &info, sizeof info);
    if (err < 0 && err != JET_errLogReadVerifyFailure) {
      return report_failure(args.json, err, "reading log file " + target);
    }
    if (args.json) {
      if (err < 0)
        return report_failure(true, err, "log file " + target + " is damaged",
                              log_file_json(target, info));
      print_json(log_file_json(target, info));
      return kExitOk;
    }
    print_log_file(target, info);
    if (err < 0) return report_failure(false, err, "log file " + target + " is damaged");
    return kExitOk;
  }

  // A base name (or a folder: base edb): every log of the set, then the set as a whole.
  auto [folder, base] = is_directory(target) ? std::pair<std::string, std::string>(target, "edb")
                                             : split_base(target);
  const std::vector<LogFileName> logs = list_logs(folder, base);
  if (logs.empty()) {
    return report_failure(
        args.json, JET_errFileNotFound,
        "no log file " + target + " and no log of base name " + base + " in " + folder);
  }
  JET_ERR first_error = JET_errSuccess;
  std::string first_context;
  std::vector<Json> files;
  for (const LogFileName& log : logs) {
    ESENT_LOGFILEINFO info{};
    const JET_ERR err = EsentGetLogFileInfoA(log.path.c_str(), &info, sizeof info);
    if (err < 0 && first_error == JET_errSuccess) {
      first_error = err;
      first_context = "log file " + log.path;
    }
    if (err < 0 && err != JET_errLogReadVerifyFailure) {
      Json unreadable;
      unreadable.add("file", log.path).add("error", error_json(err, "reading the header"));
      files.push_back(unreadable);
      if (!args.json)
        std::printf("Log file: %s\n  unreadable: %s\n\n", log.path.c_str(),
                    describe_error(err).c_str());
      continue;
    }
    files.push_back(log_file_json(log.path, info));
    if (!args.json) {
      print_log_file(log.path, info);
      std::printf("\n");
    }
  }
  ESENT_CHECKSUMINFO set_info{};
  const JET_ERR set_err =
      EsentChecksumLogsA(folder.c_str(), base.c_str(), nullptr, &set_info, sizeof set_info);
  if (set_err < 0 && first_error == JET_errSuccess) {
    first_error = set_err;
    first_context = "log set " + target;
  }
  if (args.json) {
    Json json;
    json.add("folder", folder).add("base_name", base).add("files", files);
    Json set = checksum_json("logs", folder, set_info);
    if (set_err < 0) set.add("error", error_json(set_err, "checking the set"));
    json.add("set", set);
    if (first_error < 0) return report_failure(true, first_error, first_context, json);
    print_json(json);
    return kExitOk;
  }
  if (set_err >= 0 || set_err == JET_errLogReadVerifyFailure)
    print_checksum("logs", folder + "/" + base, set_info);
  if (first_error < 0) return report_failure(false, first_error, first_context);
  std::printf("\nIntegrity check passed for log set %s\n", target.c_str());
  return kExitOk;
}

}  // namespace esentutl
