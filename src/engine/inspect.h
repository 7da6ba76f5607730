// Offline inspection of the engine's files, for esentutl and the Esent* functions of
// include/esent_ext.h: one log file's header and the integrity of its sectors, every block of a
// log set, every page of a database file. Nothing here writes, takes a lock or needs an
// instance; the files may belong to a stopped instance (a running one may be writing them, in
// which case the answers describe some moment of that writing).
//
// Integrity rules are the log reader's and the page layer's (log/log_reader.h, page/page.h):
//   a database page verifies when its checksum (with its page number as identity) is right, or
//     when it is all zero (never written); pages 0 and 1 must decode as database headers;
//   a log generation that has a successor must verify on every sector [8, successor's
//     previous_end_sector); the last generation (or a lone file) ends at its first sector that
//     does not verify, and any later sector that verifies for that generation means the gap is
//     damage.
// Damage is reported in the report AND as the status (kReadVerifyFailure for a database,
// kLogReadVerifyFailure for logs), so a caller that only checks the status cannot miss it.
//
// Pure functions of the files; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "io/file_system.h"
#include "log/lgpos.h"
#include "log/log_format.h"
#include "util/status.h"

namespace esent::engine {

inline constexpr std::uint32_t kNoBadPage = 0xFFFFFFFFu;

// Progress of a long check: (units done, units in all); an error from it stops the check.
using InspectProgress = std::function<Status(std::uint64_t done, std::uint64_t total)>;

struct LogFileReport {
  log::LogHeader header;
  std::uint32_t sectors_checked = 0;  // data sectors that verified
  std::uint32_t end_sector = 0;       // the first sector after the file's data
  bool intact = true;
  log::Lgpos first_damaged;  // null while intact
};

// Reads and verifies the log file at `path` on its own (the lone-file rule above). Errors: the
// file system's (kFileNotFound, ...); a header that does not verify → kLogFileCorrupt
// (kBadLogVersion for a newer format); damage → kLogReadVerifyFailure with `report` filled.
Status inspect_log_file(io::FileSystem& file_system, const std::string& path,
                        LogFileReport& report);

struct ChecksumReport {
  std::uint32_t block_bytes = 0;       // the page size, or the log sector size
  std::uint64_t blocks_checked = 0;    // pages or sectors read and checked
  std::uint64_t blocks_bad = 0;        // of those, the ones that failed
  std::uint64_t blocks_empty = 0;      // database pages never written (all zero)
  std::uint32_t files = 0;             // files checked
  std::uint32_t generation_first = 0;  // logs: the set's range
  std::uint32_t generation_last = 0;
  std::uint32_t first_bad_page = kNoBadPage;  // database
  Error first_bad_error = Error::kSuccess;    // why the first bad block failed
  log::Lgpos first_bad_position;              // logs; null when none
};

// Every page of the database file at `path` (both header copies included), counting on past
// damage. Errors: the file system's; no sound header copy → cache/header_io.h's errors
// (kDatabaseCorrupted, kInvalidDatabase, ...); a bad page → kReadVerifyFailure with `report`
// filled. `progress` (may be empty) hears pages.
Status checksum_database(io::FileSystem& file_system, const std::string& path,
                         const InspectProgress& progress, ChecksumReport& report);

// Every sector of every log of the set named `base_name` in `folder` (the ESE98 names
// `<base>.log` / `<base>XXXXX.log` are tried first, then `.jtx`), with log/log_reader.h scan()'s
// checks of the set (signature, contiguity, gaps: its errors). No log of that name →
// kFileNotFound. Damage → kLogReadVerifyFailure with `report` filled. `progress` hears files.
Status checksum_logs(io::FileSystem& file_system, const std::string& folder,
                     const std::string& base_name, const InspectProgress& progress,
                     ChecksumReport& report);

}  // namespace esent::engine
