// Backup: the online streaming backup of one instance (ESE's external backup), one at a time.
//
// State machine (docs/backup.md; ESE's rules: ../shared/reference/backup-semantics.md §1-4):
//
//   kIdle ──begin(full)──────────► kDatabases ──log_info()──► kLogs ──end()──► kIdle
//     │                               │   ▲                      ▲
//     └──begin(incremental)───────────┼───┼──────────────────────┘
//                                     └───┘ open_file/read_file/close_file of attached databases
//
//   begin: one backup per instance (kBackupInProgress, the active one untouched). Full: the
//     checkpoint file is read; its generation is the first log of the backup, and from here no log
//     at or above it is deleted or recycled (Host::set_log_floor). A begin record is logged and
//     made durable. A failed begin leaves nothing behind.
//   kDatabases: open_file on an attached database streams its image (backup/streams.h). One file
//     open at a time (a second open → kOutOfMemory, as ESE).
//   log_info (first call): the log rolls to a new generation; the list of logs is frozen —
//     full: from the first generation to the last archived; incremental: every archived
//     generation on disk. Later calls return the same list. Then kLogs: open_file only on a
//     listed log.
//   truncate: once every listed log was read to its end and closed, deletes the archived logs
//     below min(checkpoint, first generation after the backup) (full: and below the last full
//     backup of any database this backup did not stream completely).
//   end(normal): records the backup in each database's header and in the checkpoint file; an
//     abort (or a normal end before log_info, or after stop()) records nothing. Either way kIdle.
//
//   "Aborted" (a failed log read, a database opened in the wrong phase, an unlisted name in the
//   log phase): the backup ends at once as by end(abort); every later call but begin → kNoBackup.
//   stop() (JetStopBackup) makes every later call but close_file and end → kBackupAbortByServer;
//   the backup stays active until end() or abort_for_term().
//
// Concurrency: the calls of one backup are serialized by `mutex_` (held across their I/O: a
// database read holds only the range lock on the pages it reads, see cache::DatabaseFile::
// read_for_backup; commits, other reads and checkpoints go on). stop() only sets a flag.
// Attach and detach are kept out while a backup is active through attach_gate(): begin waits for
// attaches in progress; an attach while a backup is active → kBackupInProgress.
// Nothing of a backup is persisted: after a crash no backup is active.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "backup/streams.h"
#include "catalog/database.h"
#include "io/file_system.h"
#include "log/checkpoint.h"
#include "log/log_config.h"
#include "log/log_writer.h"
#include "util/status.h"

namespace esent::backup {

// An attached database as the backup sees it.
struct AttachedDatabase {
  std::uint32_t dbid = 0;
  std::string path;  // absolute, normalized
  std::shared_ptr<catalog::Database> database;
};

// The backup records in the log (ESE's LRLOGBACKUP phases). Recovery skips them.
enum class BackupPhase : std::uint8_t { kBegin = 1, kPrepareLogs = 2, kTruncate = 3, kEnd = 4, kAbort = 5 };

// Which of the checkpoint file's backup marks a finished backup sets.
enum class MarkKind { kFull, kIncremental, kDifferential, kCopy };

enum class EventKind { kInformation, kWarning, kError };

// What the backup needs from its instance (implemented by the engine).
class Host {
 public:
  virtual ~Host() = default;
  virtual io::FileSystem& file_system() = 0;
  virtual log::LogWriter& log_writer() = 0;
  virtual const log::LogConfig& log_config() const = 0;
  virtual const std::string& checkpoint_path() const = 0;
  // The attached databases (attach and detach cannot run while a backup is active).
  virtual std::vector<AttachedDatabase> attached_databases() = 0;
  // The checkpoint as last written to the checkpoint file.
  virtual log::Lgpos current_checkpoint() = 0;
  // From now on no log at or above `generation` is deleted or recycled (0: no floor).
  virtual void set_log_floor(std::uint32_t generation) = 0;
  // Appends a backup record and waits until it is durable; returns its position.
  virtual Result<log::Lgpos> log_backup(BackupPhase phase) = 0;
  // Stores a backup mark in the checkpoint file.
  virtual Status record_backup_mark(MarkKind kind, const log::BackupMark& mark) = 0;
  virtual void event(EventKind kind, std::string_view message) = 0;
};

// A file opened for the backup.
struct OpenedFile {
  std::uint64_t handle = 0;  // never 0, never reused in the process
  std::uint64_t size_bytes = 0;
};

// The frozen log list.
struct LogList {
  std::vector<std::string> paths;  // absolute, ascending generations
  std::uint32_t low_generation = 0;
  std::uint32_t high_generation = 0;  // inclusive; 0 with low when the list is empty
};

struct EndOptions {
  bool normal = true;
  bool truncate_done = false;     // JET_bitBackupTruncateDone
  bool no_header_update = false;  // JET_bitBackupNoDbHeaderUpdate
};

// Test seam: the next begin() fails as if memory ran out (kOutOfMemory), once.
void fail_next_allocation_for_testing();

class Backup {
 public:
  explicit Backup(Host& host, ReadPolicy policy = {});
  ~Backup();
  Backup(const Backup&) = delete;
  Backup& operator=(const Backup&) = delete;

  // Held (shared) by an attach or detach for its whole length: kBackupInProgress while a backup
  // is active.
  Result<std::shared_lock<std::shared_mutex>> attach_gate();
  bool active() const { return active_.load(std::memory_order_acquire); }

  // JetBeginExternalBackupInstance (the grbit already checked by the caller).
  Status begin(bool incremental);
  // JetGetAttachInfoInstance: the attached databases' paths.
  Result<std::vector<std::string>> attach_info();
  // JetOpenFileInstance; `path` absolute and normalized by the caller.
  Result<OpenedFile> open_file(const std::string& path);
  // JetReadFileInstance: bytes delivered (0 at the end).
  Result<std::size_t> read_file(std::uint64_t handle, std::span<std::byte> out);
  // JetCloseFileInstance.
  Status close_file(std::uint64_t handle);
  // JetGetLogInfoInstance (first call rolls the log and freezes the list).
  Result<LogList> log_info();
  // JetGetTruncateLogInfoInstance: what truncate() would delete.
  Result<LogList> truncate_log_info();
  // JetTruncateLogInstance.
  Status truncate();
  // JetBackupInstance's last step, in an order no crash can spoil: the backup recorded in the
  // headers and the checkpoint (as end(normal) after a truncation would), then the logs
  // truncated, then the backup ended. (The streaming API keeps ESE's order — truncate, then
  // End records — so a crash between the two leaves headers naming an older backup whose later
  // logs are gone.) A header that cannot be written: its error, nothing deleted, the backup
  // still active.
  Status record_truncate_and_end();
  // JetEndExternalBackupInstance2: kNoBackup when none is active, else success.
  Status end(const EndOptions& options);
  // JetBackupInstance's progress: the bytes the log phase will copy, estimated before it
  // starts (the generations from the backup's first — for an incremental, the oldest on disk —
  // through the current one, which the log phase rolls). 0 when no backup is active.
  std::uint64_t estimated_log_bytes();
  // JetBackupInstance with no folder: deletes the archived logs below the checkpoint's
  // generation (none under circular logging), records no backup. kBackupInProgress while a
  // backup is active (which is not disturbed).
  Status truncate_below_checkpoint();
  // JetStopBackupInstance.
  void stop() { stop_requested_.store(true, std::memory_order_release); }
  // The generation of an archived log's file name in this instance's naming (nullopt for any
  // other name).
  std::optional<std::uint32_t> archived_generation(const std::string& file_name) const;
  // JetTerm (abrupt, stop-backup or dirty): ends an active backup as aborted by the server.
  void abort_for_term();

 private:
  enum class Phase { kIdle, kDatabases, kLogs };
  struct OpenFile;

  // Under mutex_: kNoBackup / kBackupAbortByServer as ESE checks them first.
  Status check_running_locked() const;
  // Under mutex_: ends the backup (records when `record`), resets everything to kIdle.
  void finish_locked(bool record, const EndOptions& options, std::string_view why);
  // log_info / truncate_log_info: the copy list or the truncation list (the first call of
  // either rolls the log and freezes both).
  Result<LogList> frozen_list(bool truncation);
  // Under mutex_: the first log_info / truncate_log_info.
  Status prepare_logs_locked();
  LogList list_locked(std::uint32_t low, std::uint32_t high_exclusive) const;
  Status update_headers_locked(bool truncated);
  // The checkpoint file's mark for the backup (a failure is an event only).
  void record_mark_locked(bool truncated);
  // The headers (an error stops) and the checkpoint mark.
  Status record_locked(bool truncated);
  Status truncate_locked();
  std::string log_path(std::uint32_t generation) const;
  // The lowest archived generation in the log directory (0 when none).
  Result<std::uint32_t> lowest_generation_on_disk() const;

  Host& host_;
  std::shared_mutex attach_gate_;
  std::atomic<bool> active_{false};
  std::atomic<bool> stop_requested_{false};

  mutable std::mutex mutex_;  // guards everything below
  const ReadPolicy policy_;
  Phase phase_ = Phase::kIdle;
  bool full_ = false;
  log::Lgpos begin_mark_;
  log::LogTime begin_time_;
  log::Lgpos prepare_mark_;
  log::LogTime prepare_time_;
  bool logs_prepared_ = false;
  std::uint32_t copy_low_ = 0;      // CopyMic
  log::Lgpos copy_start_;           // the checkpoint at Begin: where restore replays from
  std::uint32_t copy_end_ = 0;      // CopyMac (exclusive)
  std::uint32_t delete_low_ = 0;    // DeleteMic
  std::uint32_t delete_end_ = 0;    // DeleteMac (exclusive)
  bool truncated_ = false;
  bool recorded_ = false;  // record_truncate_and_end recorded the backup already
  std::set<std::uint32_t> logs_copied_;       // generations read to the end and closed
  std::set<std::uint32_t> databases_copied_;  // dbids streamed to the end and closed
  std::unique_ptr<OpenFile> open_;
};

}  // namespace esent::backup
