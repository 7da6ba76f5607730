// File names of a log sequence, as ESENT names them (JET_paramBaseName,
// JET_paramLegacyFileNames). Pure functions of a LogNaming: no file-system access. The names
// are file names; callers join them to the log directory with join_log_path().
//
//   current log        edb.log                      (edb.jtx without JET_bitESE98FileNames)
//   archived log       edb0000A.log                 (bit 2: 5 uppercase hex digits while the
//                      edb0000000A.log               generation <= 0xFFFFF, then 8; else 8)
//   next log, prepared edbtmp.log
//   reserve logs       edbres00001.jrs, edbres00002.jrs (always .jrs, 5 uppercase hex digits)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/status.h"

namespace esent::log {

struct LogNaming {
  std::string base_name = "edb";
  // JET_paramLegacyFileNames: bit 1 (JET_bitESE98FileNames) → ".log" else ".jtx";
  // bit 2 (JET_bitEightDotThreeSoftCompat) → 5 hex digits while they suffice.
  std::uint32_t legacy_bits = 3;
};

inline constexpr std::uint32_t kEse98FileNamesBit = 0x1;
inline constexpr std::uint32_t kEightDotThreeSoftCompatBit = 0x2;
inline constexpr std::uint32_t kReserveLogCount = 2;

// ".log" or ".jtx".
std::string log_extension(const LogNaming& naming);
// "edb.log".
std::string current_log_name(const LogNaming& naming);
// "edb0000A.log" / "edb0000000A.log". `generation` >= 1.
std::string archived_log_name(const LogNaming& naming, std::uint32_t generation);
// "edbtmp.log".
std::string temporary_log_name(const LogNaming& naming);
// "edbres00001.jrs" for index 1. `index` >= 1.
std::string reserve_log_name(const LogNaming& naming, std::uint32_t index);

// The generation named by an archived log's file name, or nullopt when `file_name` is not an
// archived log of this naming (other base name or extension, not hex, current/temporary/
// reserve names). The base-name prefix and the hex digits are matched case-insensitively.
// A 5-digit name while naming asks for 8 digits → kLogGenerationMismatch (as ESE). A 5-digit
// name for a generation above 0xFFFFF cannot exist; an 8-digit name for a generation that
// fits 5 digits in 5-digit mode is accepted (ESE reads both).
Result<std::optional<std::uint32_t>> parse_archived_generation(const LogNaming& naming,
                                                               std::string_view file_name);

// `directory` + "/" + `file_name` (no doubled separator).
std::string join_log_path(std::string_view directory, std::string_view file_name);

}  // namespace esent::log
