// esentutl header (/mh): the database header through JetGetDatabaseFileInfo(JET_DbInfoMisc).
#include <esent.h>

#include <cstdio>
#include <string>

#include "output.h"
#include "verbs.h"

namespace esentutl {
namespace {

// JET_dbstate* as Windows esentutl names them, and as JSON words.
struct StateName {
  const char* text;
  const char* word;
};

StateName state_name(JET_UINT32 state) {
  switch (state) {
    case JET_dbstateJustCreated:
      return {"Just Created", "just_created"};
    case JET_dbstateDirtyShutdown:
      return {"Dirty Shutdown", "dirty_shutdown"};
    case JET_dbstateCleanShutdown:
      return {"Clean Shutdown", "clean_shutdown"};
    case JET_dbstateBeingConverted:
      return {"Being Converted", "being_converted"};
    case JET_dbstateForceDetach:
      return {"Force Detach", "force_detach"};
    default:
      return {"Unknown", "unknown"};
  }
}

std::string version_text(const JET_DBINFOMISC4& misc) {
  char text[64];
  std::snprintf(text, sizeof text, "0x%X,%u", static_cast<unsigned>(misc.ulVersion),
                static_cast<unsigned>(misc.ulUpdate));
  return text;
}

std::string time_or_none(const JET_LOGTIME& time) {
  const std::string text = logtime_text(time);
  return text.empty() ? "none" : text;
}

}  // namespace

int run_header(const Args& args) {
  const std::string& path = args.positionals[0];
  JET_DBINFOMISC4 misc{};
  JET_ERR err = JetGetDatabaseFileInfoA(path.c_str(), &misc, sizeof misc, JET_DbInfoMisc);
  if (err < 0) return report_failure(args.json, err, "reading the header of " + path);
  JET_UINT64 file_size = 0;
  err = JetGetDatabaseFileInfoA(path.c_str(), &file_size, sizeof file_size, JET_DbInfoFilesize);
  if (err < 0) return report_failure(args.json, err, "reading the size of " + path);
  const StateName state = state_name(misc.dbstate);

  if (args.json) {
    Json json;
    json.add("database", path)
        .add("file_size_bytes", std::uint64_t{file_size})
        .add("page_size_bytes", std::uint64_t{misc.cbPageSize})
        .add("format_version", std::uint64_t{misc.ulVersion})
        .add("format_update", std::uint64_t{misc.ulUpdate})
        .add("state", state.word)
        .add("state_code", std::uint64_t{misc.dbstate})
        .add("database_signature", signature_json(misc.signDb))
        .add("log_signature", signature_json(misc.signLog))
        .add("generation_min_required", std::uint64_t{misc.genMinRequired})
        .add("generation_max_required", std::uint64_t{misc.genMaxRequired})
        .add("generation_committed", std::uint64_t{misc.genCommitted});
    add_time(json, "generation_max_created", misc.logtimeGenMaxCreate);
    json.add("consistent_position", lgpos_json(misc.lgposConsistent));
    add_time(json, "consistent_time", misc.logtimeConsistent);
    json.add("attach_position", lgpos_json(misc.lgposAttach));
    add_time(json, "attach_time", misc.logtimeAttach);
    json.add("detach_position", lgpos_json(misc.lgposDetach));
    add_time(json, "detach_time", misc.logtimeDetach);
    Json backups;
    backups.add("full_previous", bkinfo_json(misc.bkinfoFullPrev))
        .add("incremental_previous", bkinfo_json(misc.bkinfoIncPrev))
        .add("copy_previous", bkinfo_json(misc.bkinfoCopyPrev))
        .add("differential_previous", bkinfo_json(misc.bkinfoDiffPrev))
        .add("full_current", bkinfo_json(misc.bkinfoFullCur));
    json.add("backups", backups)
        .add("repair_count", std::uint64_t{misc.ulRepairCount})
        .add("bad_checksum_count", std::uint64_t{misc.ulBadChecksum})
        .add("shadowing_disabled", misc.fShadowingDisabled != 0)
        .add("upgrade_db", misc.fUpgradeDb != 0);
    print_json(json);
    return kExitOk;
  }

  std::printf("Database: %s\n\n", path.c_str());
  print_field("File Size", std::to_string(file_size) + " bytes");
  print_field("Page Size", std::to_string(misc.cbPageSize));
  print_field("Format ulVersion", version_text(misc));
  print_field("State", state.text);
  print_field("DB Signature", signature_text(misc.signDb));
  print_field("Log Signature", signature_text(misc.signLog));
  print_field("Log Required",
              std::to_string(misc.genMinRequired) + "-" + std::to_string(misc.genMaxRequired));
  print_field("Log Committed", std::to_string(misc.genCommitted));
  print_field("Log Gen Max Created", time_or_none(misc.logtimeGenMaxCreate));
  print_field("Last Consistent",
              lgpos_text(misc.lgposConsistent) + " " + time_or_none(misc.logtimeConsistent));
  print_field("Last Attach", lgpos_text(misc.lgposAttach) + " " + time_or_none(misc.logtimeAttach));
  print_field("Last Detach", lgpos_text(misc.lgposDetach) + " " + time_or_none(misc.logtimeDetach));
  print_field("Repair Count", std::to_string(misc.ulRepairCount));
  print_field("Bad Checksum Count", std::to_string(misc.ulBadChecksum));
  std::printf("\nPrevious Full Backup:          %s\n", bkinfo_text(misc.bkinfoFullPrev).c_str());
  std::printf("Previous Incremental Backup:   %s\n", bkinfo_text(misc.bkinfoIncPrev).c_str());
  std::printf("Previous Copy Backup:          %s\n", bkinfo_text(misc.bkinfoCopyPrev).c_str());
  std::printf("Previous Differential Backup:  %s\n", bkinfo_text(misc.bkinfoDiffPrev).c_str());
  std::printf("Current Full Backup:           %s\n", bkinfo_text(misc.bkinfoFullCur).c_str());
  return kExitOk;
}

}  // namespace esentutl
