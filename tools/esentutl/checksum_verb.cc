// esentutl checksum (/k): every page of a database (EsentChecksumDatabase), every sector of a
// log file (EsentGetLogFileInfo) or of a log set (EsentChecksumLogs), or a checkpoint file
// (reading it verifies both copies' checksums).
#include <esent.h>
#include <esent_ext.h>

#include <cstdio>
#include <string>

#include "log_files.h"
#include "output.h"
#include "progress.h"
#include "reports.h"
#include "verbs.h"

namespace esentutl {
namespace {

int finish(const Args& args, JET_ERR err, const std::string& kind, const std::string& path,
           const ESENT_CHECKSUMINFO& info) {
  if (err < 0 && err != JET_errReadVerifyFailure && err != JET_errLogReadVerifyFailure) {
    return report_failure(args.json, err, "checking " + path);
  }
  if (args.json) {
    if (err < 0)
      return report_failure(true, err, path + " is damaged", checksum_json(kind, path, info));
    print_json(checksum_json(kind, path, info));
    return kExitOk;
  }
  print_checksum(kind, path, info);
  if (err < 0) return report_failure(false, err, path + " is damaged");
  std::printf("\nChecksum verification passed.\n");
  return kExitOk;
}

int check_logs(const Args& args, const std::string& folder, const std::string& base) {
  ESENT_CHECKSUMINFO info{};
  JET_ERR err;
  {
    Progress progress("checksum " + folder + "/" + base);
    err = EsentChecksumLogsA(folder.c_str(), base.c_str(), Progress::status_callback, &info,
                             sizeof info);
  }
  return finish(args, err, "logs", folder + "/" + base, info);
}

}  // namespace

int run_checksum(const Args& args) {
  if (std::optional<std::string> folder = args.get("logs")) {
    if (!args.positionals.empty())
      return report_usage(args.json, "checksum", "give either a file or --logs");
    return check_logs(args, *folder, args.get("base").value_or("edb"));
  }
  if (args.positionals.empty())
    return report_usage(args.json, "checksum", "missing argument: a file or --logs <folder>");
  const std::string& target = args.positionals[0];
  if (is_directory(target)) return check_logs(args, target, args.get("base").value_or("edb"));
  if (!is_regular_file(target)) {
    auto [folder, base] = split_base(target);
    return check_logs(args, folder, base);
  }
  if (has_log_extension(target)) {
    ESENT_LOGFILEINFO log{};
    const JET_ERR err = EsentGetLogFileInfoA(target.c_str(), &log, sizeof log);
    ESENT_CHECKSUMINFO info{};
    info.cbBlock = log.cbSector;
    info.cBlocksChecked = log.csecChecked + (log.fIntact != 0 ? 0u : 1u);
    info.cBlocksBad = log.fIntact != 0 ? 0u : 1u;
    info.cFiles = 1;
    info.genFirst = info.genLast = log.ulGeneration;
    info.pgnoFirstBad = ESENT_pgnoNone;
    info.errFirstBad = err == JET_errLogReadVerifyFailure ? err : 0;
    info.lgposFirstBad = log.lgposFirstDamaged;
    return finish(args, err, "log_file", target, info);
  }
  if (has_checkpoint_extension(target)) {
    ESENT_CHECKPOINTINFO checkpoint{};
    const JET_ERR err = EsentGetCheckpointFileInfoA(target.c_str(), &checkpoint, sizeof checkpoint);
    if (err < 0) return report_failure(args.json, err, "checking checkpoint file " + target);
    if (args.json) {
      Json json;
      json.add("kind", "checkpoint").add("path", target);
      print_json(json);
    } else {
      std::printf("Checkpoint file %s: a copy verifies.\n\nChecksum verification passed.\n",
                  target.c_str());
    }
    return kExitOk;
  }
  ESENT_CHECKSUMINFO info{};
  JET_ERR err;
  {
    Progress progress("checksum " + target);
    err = EsentChecksumDatabaseA(target.c_str(), Progress::status_callback, &info, sizeof info);
  }
  return finish(args, err, "database", target, info);
}

}  // namespace esentutl
