// esentutl checkpoint (/mk): a checkpoint file (EsentGetCheckpointFileInfo and
// EsentGetCheckpointDatabaseInfo for each database it lists).
#include <esent.h>
#include <esent_ext.h>

#include <cstdio>
#include <string>
#include <vector>

#include "output.h"
#include "verbs.h"

namespace esentutl {

int run_checkpoint(const Args& args) {
  const std::string& path = args.positionals[0];
  ESENT_CHECKPOINTINFO info{};
  JET_ERR err = EsentGetCheckpointFileInfoA(path.c_str(), &info, sizeof info);
  if (err < 0) return report_failure(args.json, err, "reading checkpoint file " + path);
  std::vector<Json> databases;
  std::vector<ESENT_CHECKPOINTDBINFO_A> entries;
  for (JET_UINT32 index = 0; index < info.cDatabases; ++index) {
    ESENT_CHECKPOINTDBINFO_A entry{};
    err = EsentGetCheckpointDatabaseInfoA(path.c_str(), index, &entry, sizeof entry);
    if (err < 0)
      return report_failure(args.json, err,
                            "reading database " + std::to_string(index) + " of " + path);
    Json json;
    json.add("dbid", std::uint64_t{entry.dbid})
        .add("path", std::string(entry.szPath))
        .add("signature", signature_json(entry.signDb))
        .add("attached_at", lgpos_json(entry.lgposAttach))
        .add("flags", std::uint64_t{entry.grbitFlags});
    databases.push_back(json);
    entries.push_back(entry);
  }
  if (args.json) {
    Json json;
    json.add("file", path)
        .add("checkpoint", lgpos_json(info.lgposCheckpoint))
        .add("log_signature", signature_json(info.signLog))
        .add("last_generation_at_write", std::uint64_t{info.genLastAtWrite})
        .add("clean_shutdown", info.fCleanShutdown != 0);
    Json backups;
    backups.add("full_previous", bkinfo_json(info.bkinfoFullPrev))
        .add("incremental_previous", bkinfo_json(info.bkinfoIncPrev))
        .add("differential_previous", bkinfo_json(info.bkinfoDiffPrev))
        .add("copy_previous", bkinfo_json(info.bkinfoCopyPrev));
    json.add("backups", backups).add("databases", databases);
    print_json(json);
    return kExitOk;
  }
  std::printf("Checkpoint file: %s\n\n", path.c_str());
  print_field("Checkpoint", lgpos_text(info.lgposCheckpoint));
  print_field("Log Signature", signature_text(info.signLog));
  print_field("Last generation at write", std::to_string(info.genLastAtWrite));
  print_field("Clean shutdown", info.fCleanShutdown != 0 ? "yes" : "no");
  print_field("Full Backup", bkinfo_text(info.bkinfoFullPrev));
  print_field("Incremental Backup", bkinfo_text(info.bkinfoIncPrev));
  print_field("Differential Backup", bkinfo_text(info.bkinfoDiffPrev));
  print_field("Copy Backup", bkinfo_text(info.bkinfoCopyPrev));
  print_field("Attached databases", std::to_string(info.cDatabases));
  for (const ESENT_CHECKPOINTDBINFO_A& entry : entries) {
    std::printf("    dbid %u: %s (attached at %s)\n", static_cast<unsigned>(entry.dbid),
                entry.szPath, lgpos_text(entry.lgposAttach).c_str());
  }
  return kExitOk;
}

}  // namespace esentutl
