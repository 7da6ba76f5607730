#include "backup/backup.h"

#include <algorithm>
#include <utility>

#include "backup/header_marks.h"
#include "cache/database_file.h"
#include "log/log_names.h"
#include "util/path.h"

namespace esent::backup {

namespace {

std::atomic<bool> fail_next_allocation{false};
std::atomic<std::uint64_t> next_handle{1};

std::string generations(std::uint32_t low, std::uint32_t end) {
  if (low >= end) return "none";
  return std::to_string(low) + " to " + std::to_string(end - 1);
}

}  // namespace

void fail_next_allocation_for_testing() { fail_next_allocation.store(true); }

struct Backup::OpenFile {
  std::uint64_t handle = 0;
  std::uint32_t dbid = 0;  // for a database
  std::unique_ptr<DatabaseStream> database;
  std::unique_ptr<LogStream> log;
};

Backup::Backup(Host& host, ReadPolicy policy) : host_(host), policy_(policy) {}

Backup::~Backup() = default;

Result<std::shared_lock<std::shared_mutex>> Backup::attach_gate() {
  std::shared_lock gate(attach_gate_);
  if (active()) return Error::kBackupInProgress;
  return gate;
}

Status Backup::check_running_locked() const {
  if (!active()) return Error::kNoBackup;
  if (stop_requested_.load(std::memory_order_acquire)) return Error::kBackupAbortByServer;
  return Status::success();
}

Status Backup::begin(bool incremental) {
  // Exclusive: waits for the attaches and detaches in progress, keeps new ones out meanwhile.
  std::unique_lock gate(attach_gate_);
  std::lock_guard lock(mutex_);
  log::LogWriter& writer = host_.log_writer();
  if (incremental && host_.log_config().circular) return Error::kInvalidBackup;
  if (writer.disk_full_mode()) return Error::kLogDiskFull;
  if (active()) return Error::kBackupInProgress;
  if (fail_next_allocation.exchange(false)) return Error::kOutOfMemory;

  const std::vector<AttachedDatabase> databases = host_.attached_databases();
  if (incremental) {
    for (const AttachedDatabase& attached : databases) {
      if (attached.database->file().header().backup_full_previous.generation_low == 0) {
        host_.event(EventKind::kError, "incremental backup refused: " + attached.path +
                                           " has no full backup");
        return Error::kMissingFullBackup;
      }
    }
  }
  // Pin every log still on disk while the checkpoint is read (a checkpoint taken meanwhile must
  // not delete what it names), then only from the backup's first generation.
  host_.set_log_floor(std::max<std::uint32_t>(writer.oldest_generation(), 1));
  std::uint32_t first_generation = 0;
  log::Lgpos copy_start;
  if (!incremental) {
    Result<log::CheckpointData> checkpoint =
        log::read_checkpoint(host_.file_system(), host_.checkpoint_path());
    if (!checkpoint.ok()) {
      host_.set_log_floor(0);
      host_.event(EventKind::kError, "full backup refused: the checkpoint file " +
                                         host_.checkpoint_path() + ": " +
                                         checkpoint.status().to_string());
      return checkpoint.status();
    }
    first_generation = checkpoint->checkpoint.generation;
    copy_start = checkpoint->checkpoint;
    host_.set_log_floor(first_generation);
  }
  Result<log::Lgpos> mark = host_.log_backup(BackupPhase::kBegin);
  if (!mark.ok()) {
    host_.set_log_floor(0);
    return mark.status();
  }

  full_ = !incremental;
  phase_ = incremental ? Phase::kLogs : Phase::kDatabases;
  begin_mark_ = *mark;
  begin_time_ = log::LogTime::now();
  prepare_mark_ = log::Lgpos{};
  logs_prepared_ = false;
  copy_low_ = first_generation;
  copy_start_ = copy_start;
  copy_end_ = 0;
  delete_low_ = delete_end_ = 0;
  truncated_ = false;
  recorded_ = false;
  logs_copied_.clear();
  databases_copied_.clear();
  open_.reset();
  stop_requested_.store(false, std::memory_order_release);
  active_.store(true, std::memory_order_release);
  host_.event(EventKind::kInformation,
              std::string(full_ ? "full" : "incremental") + " backup begun" +
                  (full_ ? ", first log generation " + std::to_string(first_generation) : ""));
  return Status::success();
}

Result<std::vector<std::string>> Backup::attach_info() {
  std::lock_guard lock(mutex_);
  ESENT_RETURN_IF_ERROR(check_running_locked());
  if (!full_) return Error::kInvalidBackupSequence;
  std::vector<std::string> paths;
  for (const AttachedDatabase& attached : host_.attached_databases()) paths.push_back(attached.path);
  return paths;
}

Result<OpenedFile> Backup::open_file(const std::string& path) {
  std::lock_guard lock(mutex_);
  ESENT_RETURN_IF_ERROR(check_running_locked());
  if (open_) return Error::kOutOfMemory;  // ESE has one file slot per backup
  auto file = std::make_unique<OpenFile>();
  for (const AttachedDatabase& attached : host_.attached_databases()) {
    if (attached.path != path) continue;
    if (!full_ || phase_ != Phase::kDatabases) {
      finish_locked(false, EndOptions{}, "database " + path + " opened out of sequence");
      return Error::kInvalidBackupSequence;
    }
    const ImageMark mark{to_header(begin_mark_), to_header(begin_time_), copy_low_,
                         to_header(host_.log_writer().signature()), to_header(copy_start_)};
    log::LogWriter* writer = &host_.log_writer();
    file->dbid = attached.dbid;
    file->database = std::make_unique<DatabaseStream>(
        attached.database, attached.dbid, mark, policy_,
        [writer] { return writer->current_generation(); });
    file->handle = next_handle.fetch_add(1);
    const OpenedFile opened{file->handle, file->database->size_bytes()};
    open_ = std::move(file);
    host_.event(EventKind::kInformation, "backup streams database " + path);
    return opened;
  }
  if (phase_ == Phase::kDatabases) return Error::kDatabaseNotFound;
  // The log phase: only a listed log.
  for (std::uint32_t generation = copy_low_; logs_prepared_ && generation < copy_end_; ++generation) {
    if (log_path(generation) != path) continue;
    const log::LogConfig& config = host_.log_config();
    Result<std::unique_ptr<LogStream>> stream = LogStream::open(
        host_.file_system(), path, generation, host_.log_writer().signature(),
        {log_path(generation + 1),
         log::join_log_path(config.directory, log::current_log_name(config.naming))});
    if (!stream.ok()) {
      finish_locked(false, EndOptions{}, "log " + path + ": " + stream.status().to_string());
      return stream.status();
    }
    file->log = std::move(stream).value();
    file->handle = next_handle.fetch_add(1);
    const OpenedFile opened{file->handle, file->log->size_bytes()};
    open_ = std::move(file);
    return opened;
  }
  finish_locked(false, EndOptions{}, "a file that is not part of the backup was asked for: " + path);
  return Status(Error::kInvalidParameter, "not a file of this backup: " + path);
}

Result<std::size_t> Backup::read_file(std::uint64_t handle, std::span<std::byte> out) {
  std::lock_guard lock(mutex_);
  ESENT_RETURN_IF_ERROR(check_running_locked());
  if (!open_ || open_->handle != handle || handle == 0) return Error::kInvalidParameter;
  const std::size_t page = host_.log_config().page_size_bytes;
  if (open_->database) {
    DatabaseStream& stream = *open_->database;
    const std::size_t db_page = stream.page_size();
    if (out.empty() || out.size() % db_page != 0 || (stream.at_start() && out.size() < 3 * db_page)) {
      return Error::kInvalidParameter;
    }
    Result<std::size_t> got = stream.read(out);
    if (!got.ok()) {
      host_.event(EventKind::kError, "backup read of " + stream.path() + " failed at page " +
                                         std::to_string(stream.failed_page()) + ": " +
                                         got.status().to_string() +
                                         "; the database leaves this backup");
      open_.reset();
    }
    return got;
  }
  LogStream& stream = *open_->log;
  if (out.empty() || out.size() % page != 0 || (stream.at_start() && out.size() < 2 * page)) {
    return Error::kInvalidParameter;
  }
  Result<std::size_t> got = stream.read(out);
  if (!got.ok()) {
    finish_locked(false, EndOptions{}, "log generation " + std::to_string(stream.generation()) +
                                           " failed to read: " + got.status().to_string());
  }
  return got;
}

Status Backup::close_file(std::uint64_t handle) {
  std::lock_guard lock(mutex_);
  if (!active()) return Error::kNoBackup;
  if (!open_ || open_->handle != handle || handle == 0) return Error::kInvalidParameter;
  if (open_->database && open_->database->finished()) databases_copied_.insert(open_->dbid);
  if (open_->log && open_->log->finished()) logs_copied_.insert(open_->log->generation());
  open_.reset();
  return Status::success();
}

Result<LogList> Backup::log_info() { return frozen_list(/*truncation=*/false); }

Result<LogList> Backup::truncate_log_info() { return frozen_list(/*truncation=*/true); }

Result<LogList> Backup::frozen_list(bool truncation) {
  std::lock_guard lock(mutex_);
  ESENT_RETURN_IF_ERROR(check_running_locked());
  if (open_) return Error::kInvalidBackupSequence;
  if (!logs_prepared_) ESENT_RETURN_IF_ERROR(prepare_logs_locked());
  phase_ = Phase::kLogs;
  return truncation ? list_locked(delete_low_, delete_end_) : list_locked(copy_low_, copy_end_);
}

Status Backup::prepare_logs_locked() {
  log::LogWriter& writer = host_.log_writer();
  Result<log::Lgpos> mark = host_.log_backup(BackupPhase::kPrepareLogs);
  if (!mark.ok()) return mark.status();
  // The last log the backup needs is closed and archived: it can no longer change.
  ESENT_RETURN_IF_ERROR(writer.roll());
  const std::uint32_t end = writer.current_generation();
  Result<std::uint32_t> lowest = lowest_generation_on_disk();
  if (!lowest.ok()) return lowest.status();
  if (*lowest == 0) return Error::kFileNotFound;
  const std::vector<AttachedDatabase> databases = host_.attached_databases();
  if (!full_) {
    // Every database must find the log after its last full or incremental backup still here.
    for (const AttachedDatabase& attached : databases) {
      const page::DatabaseHeader header = attached.database->file().header();
      const std::uint32_t needed = std::max(header.backup_full_previous.generation_high,
                                            header.backup_incremental_previous.generation_high) + 1;
      if (*lowest > needed) {
        host_.event(EventKind::kError, "incremental backup: log generation " +
                                           std::to_string(needed) + " needed by " + attached.path +
                                           " is missing");
        return Status(Error::kMissingFileToBackup, log_path(needed));
      }
    }
  }
  std::uint32_t delete_end = std::min(host_.current_checkpoint().generation, end);
  if (full_) {
    // A database this backup did not stream keeps the logs since its own last full backup.
    for (const AttachedDatabase& attached : databases) {
      if (databases_copied_.count(attached.dbid) != 0) continue;
      delete_end = std::min(
          delete_end, attached.database->file().header().backup_full_previous.generation_high);
    }
  }
  copy_end_ = end;
  if (!full_) copy_low_ = *lowest;
  delete_end_ = delete_end;
  delete_low_ = std::min(*lowest, delete_end);
  prepare_mark_ = *mark;
  prepare_time_ = log::LogTime::now();
  logs_prepared_ = true;
  host_.set_log_floor(copy_low_);
  host_.event(EventKind::kInformation, "backup log generations " + generations(copy_low_, copy_end_) +
                                           "; truncation would delete " +
                                           generations(delete_low_, delete_end_));
  return Status::success();
}

LogList Backup::list_locked(std::uint32_t low, std::uint32_t high_exclusive) const {
  LogList list;
  for (std::uint32_t generation = low; generation < high_exclusive; ++generation) {
    list.paths.push_back(log_path(generation));
  }
  if (low < high_exclusive) {
    list.low_generation = low;
    list.high_generation = high_exclusive - 1;
  }
  return list;
}

Status Backup::truncate() {
  std::lock_guard lock(mutex_);
  return truncate_locked();
}

Status Backup::truncate_locked() {
  ESENT_RETURN_IF_ERROR(check_running_locked());
  if (open_ || !logs_prepared_) return Error::kInvalidBackupSequence;
  for (std::uint32_t generation = copy_low_; generation < copy_end_; ++generation) {
    if (logs_copied_.count(generation) == 0) {
      host_.event(EventKind::kWarning, "log truncation refused: generation " +
                                           std::to_string(generation) + " was not copied");
      return Error::kLogFileNotCopied;
    }
  }
  Result<log::Lgpos> mark = host_.log_backup(BackupPhase::kTruncate);
  if (!mark.ok()) return mark.status();
  log::TruncateResult result;
  Status status = host_.log_writer().delete_generations(delete_low_, delete_end_, &result);
  std::string what = "log truncation deleted " + std::to_string(result.deleted) + " file(s)";
  if (result.missing != 0) what += ", " + std::to_string(result.missing) + " already gone";
  if (!status.ok()) {
    host_.event(EventKind::kError, what + "; stopped: " + status.to_string());
    return status;
  }
  host_.event(result.deleted == 0 && result.missing == 0 ? EventKind::kWarning
                                                         : EventKind::kInformation,
              result.deleted == 0 && result.missing == 0
                  ? "no log files can be truncated"
                  : what + " (generations " + generations(delete_low_, delete_end_) + ")");
  truncated_ = true;
  return Status::success();
}

std::uint64_t Backup::estimated_log_bytes() {
  std::lock_guard lock(mutex_);
  if (!active()) return 0;
  std::uint32_t low = copy_low_;
  if (!full_) {
    Result<std::uint32_t> lowest = lowest_generation_on_disk();
    low = lowest.ok() && *lowest != 0 ? *lowest : host_.log_writer().current_generation();
  }
  const std::uint32_t current = host_.log_writer().current_generation();
  const std::uint64_t files = current >= low ? std::uint64_t{current - low} + 1 : 1;
  return files * host_.log_config().file_size_bytes;
}

Status Backup::truncate_below_checkpoint() {
  std::unique_lock gate(attach_gate_);
  std::lock_guard lock(mutex_);
  if (active()) return Error::kBackupInProgress;
  if (host_.log_config().circular) {
    host_.event(EventKind::kInformation, "no log truncation: circular logging reuses the logs");
    return Status::success();
  }
  Result<std::uint32_t> low = lowest_generation_on_disk();
  if (!low.ok()) return low.status();
  const std::uint32_t end = host_.current_checkpoint().generation;
  if (*low == 0 || *low >= end) {
    host_.event(EventKind::kWarning, "no log files can be truncated");
    return Status::success();
  }
  log::TruncateResult result;
  Status status = host_.log_writer().delete_generations(*low, end, &result);
  host_.event(status.ok() ? EventKind::kInformation : EventKind::kError,
              "log truncation without a backup deleted " + std::to_string(result.deleted) +
                  " file(s) (generations " + generations(*low, end) + ")" +
                  (status.ok() ? "" : "; stopped: " + status.to_string()));
  return status;
}

Status Backup::record_truncate_and_end() {
  std::lock_guard lock(mutex_);
  ESENT_RETURN_IF_ERROR(check_running_locked());
  if (open_ || !logs_prepared_) return Error::kInvalidBackupSequence;
  ESENT_RETURN_IF_ERROR(record_locked(/*truncated=*/true));
  recorded_ = true;
  ESENT_RETURN_IF_ERROR(truncate_locked());
  finish_locked(true, EndOptions{}, "ended");
  return Status::success();
}

Status Backup::end(const EndOptions& options) {
  std::lock_guard lock(mutex_);
  if (!active()) return Error::kNoBackup;
  const bool stopped = stop_requested_.load(std::memory_order_acquire);
  const bool normal = options.normal && !stopped && logs_prepared_;
  finish_locked(normal, options,
                normal ? "ended" : options.normal ? (stopped ? "aborted by the server"
                                                             : "ended before its logs were listed: aborted")
                                 : "aborted by the client");
  return Status::success();
}

void Backup::abort_for_term() {
  std::lock_guard lock(mutex_);
  if (!active()) return;
  finish_locked(false, EndOptions{}, "aborted: the instance is terminating");
}

void Backup::finish_locked(bool record, const EndOptions& options, std::string_view why) {
  open_.reset();
  const bool truncated = truncated_ || options.truncate_done;
  if (record && !recorded_) {
    if (!options.no_header_update) {
      Status updated = update_headers_locked(truncated);
      if (!updated.ok()) {
        host_.event(EventKind::kError, "backup not recorded in a database header: " +
                                           updated.to_string());
      }
    }
    record_mark_locked(truncated);
  }
  // As ESE's cleanup, End succeeds whatever these writes do; a failure is an error event, and
  // the failed write itself leaves the database or the log failing until a restart.
  Result<log::Lgpos> logged = host_.log_backup(record ? BackupPhase::kEnd : BackupPhase::kAbort);
  if (!logged.ok()) {
    host_.event(EventKind::kError,
                "backup end not recorded in the log: " + logged.status().to_string());
  }
  host_.set_log_floor(0);
  host_.event(record ? EventKind::kInformation : EventKind::kWarning,
              std::string(full_ ? "full" : "incremental") + " backup " + std::string(why) +
                  (record ? std::string(truncated ? ", logs truncated" : ", logs kept") +
                                " (generations " + generations(copy_low_, copy_end_) + ")"
                          : ""));
  phase_ = Phase::kIdle;
  logs_prepared_ = false;
  logs_copied_.clear();
  databases_copied_.clear();
  active_.store(false, std::memory_order_release);
}

void Backup::record_mark_locked(bool truncated) {
  const log::Lgpos mark = full_ ? begin_mark_ : prepare_mark_;
  const log::LogTime time = full_ ? begin_time_ : prepare_time_;
  const MarkKind kind = full_ ? (truncated ? MarkKind::kFull : MarkKind::kCopy)
                              : (truncated ? MarkKind::kIncremental : MarkKind::kDifferential);
  Status marked = host_.record_backup_mark(kind, log::BackupMark{mark, time, copy_low_, copy_end_ - 1});
  if (!marked.ok()) {
    host_.event(EventKind::kError, "backup not recorded in the checkpoint: " + marked.to_string());
  }
}

Status Backup::record_locked(bool truncated) {
  Status updated = update_headers_locked(truncated);
  if (!updated.ok()) {
    host_.event(EventKind::kError, "backup not recorded in a database header: " + updated.to_string());
    return updated;
  }
  record_mark_locked(truncated);
  return Status::success();
}

Status Backup::update_headers_locked(bool truncated) {
  const log::Lgpos mark = full_ ? begin_mark_ : prepare_mark_;
  const page::BackupInfo info{to_header(mark), to_header(full_ ? begin_time_ : prepare_time_),
                              copy_low_, copy_end_ - 1, page::BackupType::kStreaming};
  Status first;
  for (const AttachedDatabase& attached : host_.attached_databases()) {
    if (full_ && databases_copied_.count(attached.dbid) == 0) continue;
    Status status = attached.database->file().update_header([&](page::DatabaseHeader& header) {
      page::BackupInfo* slot =
          full_ ? (truncated ? &header.backup_full_previous : &header.backup_copy_previous)
                : (truncated ? &header.backup_incremental_previous
                             : &header.backup_differential_previous);
      if (from_header(slot->mark) > mark) return;  // never replace a newer backup's record
      *slot = info;
      if (full_ && truncated) {
        header.backup_incremental_previous = page::BackupInfo{};
        header.backup_differential_previous = page::BackupInfo{};
      }
    });
    if (!status.ok() && first.ok()) first = status;
  }
  return first;
}

std::optional<std::uint32_t> Backup::archived_generation(const std::string& file_name) const {
  Result<std::optional<std::uint32_t>> generation =
      log::parse_archived_generation(host_.log_config().naming, file_name);
  return generation.ok() ? *generation : std::nullopt;
}

std::string Backup::log_path(std::uint32_t generation) const {
  const log::LogConfig& config = host_.log_config();
  return normalize_path(
      log::join_log_path(config.directory, log::archived_log_name(config.naming, generation)), "/");
}

Result<std::uint32_t> Backup::lowest_generation_on_disk() const {
  const log::LogConfig& config = host_.log_config();
  Result<std::vector<std::string>> names = host_.file_system().list_directory(config.directory);
  if (!names.ok()) return names.status();
  std::uint32_t lowest = 0;
  for (const std::string& name : *names) {
    Result<std::optional<std::uint32_t>> generation =
        log::parse_archived_generation(config.naming, name);
    if (!generation.ok() || !*generation) continue;
    if (lowest == 0 || **generation < lowest) lowest = **generation;
  }
  return lowest;
}

}  // namespace esent::backup
