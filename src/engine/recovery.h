// Crash recovery (JetInit with JET_paramRecovery "on").
//
//   1. Read the checkpoint file (missing: start at the first record of the oldest log
//      present; corrupt: kCheckpointCorrupt) and scan the log set (log/log_reader.h errors).
//      No log at all: a new log sequence starts, nothing to recover.
//   2. Redo, from the checkpoint to the end of the log: databases attached at the checkpoint
//      and those created or attached in the log are opened for recovery (a database created in
//      the log whose file is missing is created again, deterministically, so replay from
//      generation 1 rebuilds it from nothing); every kPageOps group is redone page by page,
//      an op applying only where the page is older (dbtime). A page torn on disk reads as
//      zeros and takes only a page image or an init until one arrives. Record changes, undos,
//      commits and rollbacks are tracked per transaction.
//   3. Each database's free space and object-id counter are rebuilt from what its trees reach
//      (space maps are not logged); its dbtime continues above every op seen.
//   4. The log continues (LogWriter::resume) and kInit is appended.
//   5. Undo: every transaction with changes and neither kCommit nor kRollback gets its
//      versions back (Table::recover_version) and is rolled back through the tables, logged
//      like any rollback (kUndo, page groups, kRollback), so a crash during recovery recovers.
//   6. Every database is flushed and closed clean (the application attaches them again, as
//      with ESE), the log is flushed, and a checkpoint at the end of the log is written.
//
// A database file that is a streamed backup copy (bkinfoFullCur set) is refused with
// kSoftRecoveryOnBackupDatabase unless this recovery restores it (RecoveryOptions::restore).
// Databases whose file is missing: kFileNotFound unless ignore_missing_databases (their
// records are skipped). A relocation (JET_RSTMAP) recovers a database at another path.
// truncate_logs deletes every log generation before the one recovery ends in.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cache/buffer_cache.h"
#include "engine/instance_log.h"
#include "io/file_system.h"
#include "log/log_reader.h"
#include "log/log_writer.h"
#include "util/status.h"

namespace esent::engine {

// A restore (engine/restore.h): recovery replays `logs` (the backup set's generations, then the
// log folder's newer ones) from `start`, with `databases` attached there, instead of reading
// the checkpoint file. Restored databases open although they are backup copies, and end with
// their backup marks (bkinfoFullCur and the bkinfo*Prev slots) cleared, as ESE's hard recovery
// leaves them. With `only_restored`, every other database named in the log is ignored
// (its records skipped); without, the others recover as in crash recovery (JetInit3's map).
struct RestoredDatabase {
  std::uint32_t dbid = 0;
  std::string logged_path;  // as the log names it
  std::string path;         // where it is restored
};
struct RestorePlan {
  log::LogSet logs;
  log::Lgpos start;
  std::vector<RestoredDatabase> databases;
  bool only_restored = true;
};

// JetInit3's recovery options (JET_RSTINFO and grbits).
struct RecoveryOptions {
  // JET_RSTMAP: a database the log names by `from` is recovered at `to` (paths normalised).
  std::vector<std::pair<std::string, std::string>> relocations;
  bool ignore_missing_databases = false;  // JET_bitReplayIgnoreMissingDB
  bool truncate_logs = false;             // JET_bitTruncateLogsAfterRecovery
  // JET_PFNSTATUS with JET_snpRestore: (generation done, low, high); an error stops recovery.
  std::function<Status(std::uint32_t done, std::uint32_t low, std::uint32_t high)> progress;
  std::optional<RestorePlan> restore;
};

struct RecoveryStatistics {
  std::uint64_t records = 0;
  std::uint64_t log_bytes = 0;
  std::uint64_t ops_applied = 0;
  std::uint64_t ops_skipped = 0;
  std::uint64_t torn_pages = 0;
  std::uint64_t transactions_undone = 0;
  std::uint32_t first_generation = 0;
  std::uint32_t last_generation = 0;
};

// Runs recovery and returns the log writer to continue with (a fresh sequence when there was
// no log). `progress` (may be empty) is called with the generation being replayed.
Result<std::unique_ptr<log::LogWriter>> recover(io::FileSystem& file_system,
                                                cache::BufferCache& cache,
                                                const LogSettings& settings,
                                                const RecoveryOptions& options = {},
                                                RecoveryStatistics* statistics = nullptr);

}  // namespace esent::engine
