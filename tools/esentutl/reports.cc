// Text and JSON forms of the inspection results (reports.h).
#include "reports.h"

#include <cstdio>

namespace esentutl {

Json log_file_json(const std::string& path, const ESENT_LOGFILEINFO& info) {
  Json json;
  json.add("file", path)
      .add("generation", std::uint64_t{info.ulGeneration})
      .add("format_version", std::uint64_t{info.ulFormatVersion})
      .add("signature", signature_json(info.signLog));
  add_time(json, "created", info.logtimeCreate);
  add_time(json, "previous_generation_created", info.logtimePrevGen);
  json.add("checkpoint", lgpos_json(info.lgposCheckpoint))
      .add("file_size_bytes", std::uint64_t{info.cbFile})
      .add("sector_bytes", std::uint64_t{info.cbSector})
      .add("header_sectors", std::uint64_t{info.csecHeader})
      .add("database_page_size_bytes", std::uint64_t{info.cbDatabasePage})
      .add("circular", (info.grbitFlags & ESENT_bitLogCircular) != 0)
      .add("previous_end_sector", std::uint64_t{info.isecPreviousEnd})
      .add("sectors_checked", std::uint64_t{info.csecChecked})
      .add("end_of_data_sector", std::uint64_t{info.isecEndOfData})
      .add("intact", info.fIntact != 0);
  if (info.fIntact != 0) {
    json.add_null("first_damaged");
  } else {
    json.add("first_damaged", lgpos_json(info.lgposFirstDamaged));
  }
  return json;
}

void print_log_file(const std::string& path, const ESENT_LOGFILEINFO& info) {
  std::printf("Log file: %s\n", path.c_str());
  char generation[64];
  std::snprintf(generation, sizeof generation, "%u (0x%X)",
                static_cast<unsigned>(info.ulGeneration), static_cast<unsigned>(info.ulGeneration));
  print_field("lGeneration", generation);
  print_field("Format version", std::to_string(info.ulFormatVersion));
  print_field("Signature", signature_text(info.signLog));
  const std::string created = logtime_text(info.logtimeCreate);
  const std::string previous = logtime_text(info.logtimePrevGen);
  print_field("Create time", created.empty() ? "none" : created);
  print_field("Prev Gen time", previous.empty() ? "none" : previous);
  print_field("Checkpoint", lgpos_text(info.lgposCheckpoint));
  print_field("File size", std::to_string(info.cbFile) + " bytes (" +
                               std::to_string(info.cbSector) + "-byte sectors, " +
                               std::to_string(info.csecHeader) + " header sectors)");
  print_field("Database page size", std::to_string(info.cbDatabasePage));
  print_field("Circular logging", (info.grbitFlags & ESENT_bitLogCircular) != 0 ? "on" : "off");
  if (info.fIntact != 0) {
    print_field("Integrity", "OK: " + std::to_string(info.csecChecked) +
                                 " data sectors verified, data ends at sector " +
                                 std::to_string(info.isecEndOfData));
  } else {
    print_field("Integrity", "DAMAGED at " + lgpos_text(info.lgposFirstDamaged) + " (generation " +
                                 std::to_string(info.lgposFirstDamaged.lGeneration) + ", sector " +
                                 std::to_string(info.lgposFirstDamaged.isec) + ")");
  }
}

Json checksum_json(const std::string& kind, const std::string& path,
                   const ESENT_CHECKSUMINFO& info) {
  Json json;
  json.add("kind", kind)
      .add("path", path)
      .add("block_bytes", std::uint64_t{info.cbBlock})
      .add("blocks_checked", std::uint64_t{info.cBlocksChecked})
      .add("blocks_bad", std::uint64_t{info.cBlocksBad})
      .add("blocks_empty", std::uint64_t{info.cBlocksEmpty})
      .add("files", std::uint64_t{info.cFiles});
  if (kind == "database") {
    if (info.pgnoFirstBad == ESENT_pgnoNone) {
      json.add_null("first_bad_page");
    } else {
      json.add("first_bad_page", std::uint64_t{info.pgnoFirstBad});
    }
  } else {
    json.add("generation_first", std::uint64_t{info.genFirst})
        .add("generation_last", std::uint64_t{info.genLast});
    if (info.cBlocksBad == 0) {
      json.add_null("first_bad_position");
    } else {
      json.add("first_bad_position", lgpos_json(info.lgposFirstBad));
    }
  }
  if (info.errFirstBad != 0) {
    json.add("first_bad_error", error_name(info.errFirstBad));
  } else {
    json.add_null("first_bad_error");
  }
  return json;
}

void print_checksum(const std::string& kind, const std::string& path,
                    const ESENT_CHECKSUMINFO& info) {
  if (kind == "database") {
    std::printf("Checksum of database %s\n", path.c_str());
    print_field("Page size", std::to_string(info.cbBlock));
    print_field("Pages checked", std::to_string(info.cBlocksChecked));
    print_field("Pages never written", std::to_string(info.cBlocksEmpty));
    print_field("Bad pages", std::to_string(info.cBlocksBad));
    if (info.cBlocksBad != 0) {
      print_field("First bad page",
                  std::to_string(info.pgnoFirstBad) + " (" + error_name(info.errFirstBad) + ")");
    }
    return;
  }
  std::printf("Checksum of %s %s\n", kind == "logs" ? "log set" : "log file", path.c_str());
  if (kind == "logs") {
    print_field("Log files", std::to_string(info.cFiles) + " (generations " +
                                 std::to_string(info.genFirst) + "-" +
                                 std::to_string(info.genLast) + ")");
  }
  print_field("Sectors checked", std::to_string(info.cBlocksChecked));
  print_field("Damaged sectors", std::to_string(info.cBlocksBad));
  if (info.cBlocksBad != 0) {
    print_field("First damage", "generation " + std::to_string(info.lgposFirstBad.lGeneration) +
                                    " sector " + std::to_string(info.lgposFirstBad.isec) + " " +
                                    lgpos_text(info.lgposFirstBad));
  }
}

}  // namespace esentutl
