// Reading a log sequence: scan() checks the set of files in the log directory, LogReader
// iterates the records of the stream from a start position, verify_file() checks one file.
//
// What the reader trusts (the writer's crash-safety argument, docs/format/log.md):
// - edbtmp.log and the reserve logs are never part of the sequence (edbtmp.log only ever holds
//   a prepared, not yet live generation); edb.log and the archived names are.
// - A crash in the middle of a roll may leave the last generation under its archived name with
//   no edb.log: that is a valid set (LogSet::has_current is false) and the writer's resume()
//   finishes the roll.
// - In the last generation, the first sector that does not verify (torn, never written,
//   stale from a recycled file) ends the log cleanly; a record left incomplete there is not
//   returned. If a sector of the same generation verifies after it, the hole is corruption.
// - In every other generation the stream covers sectors [8, next.previous_end_sector) and each
//   of them must verify.
// Errors: a sector that fails verification where data must be → kLogReadVerifyFailure (ESE's
// checksum-mismatch error); structural nonsense in verified bytes (a record length above
// kMaxRecordPayloadBytes, a start position inside no data) → kLogFileCorrupt.
//
// Thread-safety: a LogReader is used by one thread at a time; scan() and verify_file() are
// pure functions of the files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "io/file_system.h"
#include "log/lgpos.h"
#include "log/log_config.h"
#include "log/log_format.h"
#include "util/status.h"

namespace esent::log {

struct LogFileEntry {
  std::uint32_t generation = 0;
  std::string path;
  LogHeader header;
  bool current = false;  // named edb.log (else archived)
};

struct LogSet {
  std::vector<LogFileEntry> files;  // ascending, contiguous generations
  Signature signature;              // null when there is no file
  bool has_current = false;         // edb.log exists
  bool empty() const { return files.empty(); }
};

// Lists and checks the log files of config.directory (see the header comment for the rules):
// bad header → kLogFileCorrupt (kBadLogVersion for an unknown version); header generation ≠
// name → kLogGenerationMismatch; a 5-digit name in 8-digit mode → kLogGenerationMismatch;
// size ≠ config → kLogFileSizeMismatch; signatures differ → kBadLogSignature; a header's
// previous creation time ≠ the previous generation's creation time, or edb.log not the newest
// → kInvalidLogSequence; a gap → kMissingLogFile. A missing directory is an empty set.
Result<LogSet> scan(io::FileSystem& file_system, const LogConfig& config);

// Where the valid stream of the last generation ends: what LogWriter::resume needs.
struct ReadEnd {
  LogFileEntry file;        // the last generation
  Lgpos end;                // just after the last complete record (the first data byte of the
                            // generation when it holds none)
  std::uint32_t next_sector = kHeaderSectors;  // the first sector after the last valid one
};

struct Record {
  Lgpos start;
  Lgpos end;  // just after the record's last byte
  std::uint8_t type = 0;
  std::span<const std::byte> payload;  // valid until the next call of next()
};

class LogReader {
 public:
  // Opens the stream at `start`, a record start (for example a checkpoint); a null `start`
  // means the first record of the first generation present. A start before the first
  // generation present or after the last → kMissingLogFile; a start that is not inside the
  // data of a valid sector → kLogFileCorrupt / kLogReadVerifyFailure. `set` must not be empty
  // (kMissingLogFile).
  static Result<std::unique_ptr<LogReader>> open(io::FileSystem& file_system, LogSet set,
                                                 Lgpos start = {});
  ~LogReader();
  LogReader(const LogReader&) = delete;
  LogReader& operator=(const LogReader&) = delete;

  // The next record, or nullopt at the end of the log. After an error every call returns it.
  Result<std::optional<Record>> next();

  // Meaningful once next() returned nullopt.
  const ReadEnd& end() const { return end_; }

 private:
  LogReader(io::FileSystem& file_system, LogSet set);
  Status open_generation(std::size_t index);
  Status load_sector(std::uint32_t sector);
  // Ensures the cursor is on a sector with unread data; false at the end of the log.
  Result<bool> advance();
  Status check_after_end(std::uint32_t first_invalid_sector);
  Result<bool> read_bytes(std::byte* out, std::size_t count, bool record_start);

  io::FileSystem& file_system_;
  LogSet set_;
  std::size_t file_index_ = 0;
  std::unique_ptr<io::File> file_;
  std::uint32_t stream_end_sector_ = 0;  // exclusive; sectors [8, this) hold the stream
  bool last_generation_ = false;
  // Read-ahead of whole sectors of the current file.
  std::vector<std::byte> chunk_;
  std::uint32_t chunk_first_sector_ = 0;
  std::uint32_t chunk_sectors_ = 0;
  // The current sector.
  std::uint32_t sector_ = 0;
  SectorView view_{};
  std::uint16_t offset_ = 0;  // data bytes of the current sector consumed
  bool sector_loaded_ = false;
  bool restart_seen_ = false;  // a restart sector was entered during the current read
  bool finished_ = false;
  Status failed_;
  std::vector<std::byte> payload_;
  ReadEnd end_;
};

// Verifies one log file: its header (against `file_size_bytes`, when not 0) and every sector
// up to the end of its data: the first sector that does not verify ends it, and any later
// sector that verifies for the same generation is corruption (kLogReadVerifyFailure).
// `expected_generation` (when not 0) must match the header (kLogGenerationMismatch).
Status verify_file(io::FileSystem& file_system, const std::string& path,
                   std::uint32_t file_size_bytes = 0, std::uint32_t expected_generation = 0);

}  // namespace esent::log
