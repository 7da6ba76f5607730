#include "engine/instance_log.h"

#include <algorithm>
#include <chrono>

#include "engine/databases.h"

namespace esent::engine {

namespace {
std::atomic<bool> skip_log_sync{false};
}  // namespace

void set_skip_log_sync_for_testing(bool skip) { skip_log_sync = skip; }
bool skip_log_sync_for_testing() { return skip_log_sync.load(); }

thread_local bool EssentialScope::active_ = false;

// --- OpenTransactions ----------------------------------------------------------------------------

void OpenTransactions::changed(std::uint64_t txn, log::Lgpos position) {
  std::lock_guard lock(mutex_);
  first_.emplace(txn, position);
}

bool OpenTransactions::ended(std::uint64_t txn) {
  std::lock_guard lock(mutex_);
  return first_.erase(txn) != 0;
}

bool OpenTransactions::has_changes(std::uint64_t txn) const {
  std::lock_guard lock(mutex_);
  return first_.count(txn) != 0;
}

std::optional<log::Lgpos> OpenTransactions::oldest_at_end(const log::LogWriter& writer,
                                                         log::Lgpos* end) const {
  // Under the mutex ended() takes: a transaction ended before this appended its last record
  // before *end; one that ends after is still in first_. (A transaction registering after this
  // appends its first record after *end: it registers before appending, and end() only grows.)
  std::lock_guard lock(mutex_);
  *end = writer.end();
  std::optional<log::Lgpos> oldest;
  for (const auto& [txn, position] : first_) {
    if (!oldest || position < *oldest) oldest = position;
  }
  return oldest;
}

// --- DatabaseLog ----------------------------------------------------------------------------------

Status DatabaseLog::ready() {
  if (writer_.failed()) return writer_.flush_to(log::Lgpos{});
  if (writer_.disk_full_mode() && !EssentialScope::active()) return Error::kLogDiskFull;
  return Status::success();
}

Result<std::uint64_t> DatabaseLog::append(std::span<const std::byte> group) {
  thread_local std::string payload;
  encode_page_ops(dbid_, group, payload);
  Result<log::Appended> appended = writer_.append(
      static_cast<std::uint8_t>(RecordType::kPageOps), as_bytes(payload), EssentialScope::active());
  if (!appended.ok()) return appended.status();
  return appended->end.packed();
}

Status DatabaseLog::append_change(RecordType type, txn::Transaction& txn,
                                  const ChangeRecord& record) {
  thread_local std::string payload;
  encode_change(RecordType::kChange, record, payload);
  open_.changed(txn.id(), writer_.end());
  return writer_.append(static_cast<std::uint8_t>(type), as_bytes(payload)).status();
}

Status DatabaseLog::changing(txn::Transaction& txn, std::uint32_t table_object_id,
                             std::string_view primary_key, txn::Version::Kind kind,
                             std::string_view before) {
  ChangeRecord record;
  record.txn = txn.id();
  record.dbid = dbid_;
  record.object_id = table_object_id;
  record.kind = static_cast<std::uint8_t>(kind);
  record.primary_key.assign(primary_key);
  if (kind != txn::Version::Kind::kInsert) record.before.emplace(before);
  return append_change(RecordType::kChange, txn, record);
}

Status DatabaseLog::undoing(txn::Transaction& txn, std::uint32_t table_object_id,
                            std::string_view primary_key) {
  thread_local std::string payload;
  ChangeRecord record;
  record.txn = txn.id();
  record.dbid = dbid_;
  record.object_id = table_object_id;
  record.primary_key.assign(primary_key);
  encode_change(RecordType::kUndo, record, payload);
  return writer_.append(static_cast<std::uint8_t>(RecordType::kUndo), as_bytes(payload), true)
      .status();
}

Status DatabaseLog::creating_table(txn::Transaction& txn, std::string_view name,
                                   std::uint32_t first_object_id) {
  ChangeRecord record;
  record.txn = txn.id();
  record.dbid = dbid_;
  record.object_id = first_object_id;
  record.kind = kCreatingTableKind;
  record.primary_key.assign(name);
  return append_change(RecordType::kCreatingTable, txn, record);
}

// --- InstanceLog ----------------------------------------------------------------------------------

InstanceLog::InstanceLog(io::FileSystem& file_system, cache::BufferCache& cache,
                         LogSettings settings, std::unique_ptr<log::LogWriter> writer)
    : file_system_(file_system),
      cache_(cache),
      settings_(std::move(settings)),
      writer_(std::move(writer)) {
  checkpoint_packed_ = writer_->end().packed();
  // Recovery wrote the checkpoint file with the backup marks it found; keep carrying them.
  if (Result<log::CheckpointData> found = log::read_checkpoint(file_system_, settings_.checkpoint_path);
      found.ok()) {
    marks_ = *found;
  }
  log::LogWriter* raw = writer_.get();
  cache_.set_write_ahead_hook([raw](std::uint64_t position) -> Status {
    if (position == 0) return Status::success();
    return raw->flush_to(log::Lgpos::unpack(position));
  });
  thread_ = std::thread([this] { checkpoint_loop(); });
}

InstanceLog::~InstanceLog() {
  {
    std::lock_guard lock(thread_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  cache_.set_write_ahead_hook({});
}

void InstanceLog::set_databases(Databases* databases) {
  std::lock_guard lock(databases_mutex_);
  databases_ = databases;
}

DatabaseLog& InstanceLog::database_log(std::uint32_t dbid) {
  // Its own mutex, held while nothing else is taken: Databases calls this under its table
  // mutex, and checkpoints list the tables (TSan found the cycle with databases_mutex_).
  std::lock_guard lock(logs_mutex_);
  std::unique_ptr<DatabaseLog>& log = database_logs_[dbid];
  if (!log) log = std::make_unique<DatabaseLog>(*writer_, open_, dbid);
  return *log;
}

Status InstanceLog::log_database(RecordType type, const DatabaseRecord& record) {
  std::string payload;
  encode_database(type, record, payload);
  Result<log::Appended> appended =
      writer_->append(static_cast<std::uint8_t>(type), as_bytes(payload), /*essential=*/true);
  if (!appended.ok()) return appended.status();
  return writer_->flush_to(appended->end);
}

Status InstanceLog::commit(std::uint64_t txn, bool lazy) {
  if (!open_.has_changes(txn)) return Status::success();  // nothing of it is in the log
  std::string payload;
  encode_txn(txn, payload);
  Result<log::Appended> appended =
      writer_->append(static_cast<std::uint8_t>(RecordType::kCommit), as_bytes(payload));
  if (!appended.ok()) return appended.status();
  open_.ended(txn);
  if (lazy) return Status::success();
  return writer_->flush_to(appended->end);
}

Status InstanceLog::rolled_back(std::uint64_t txn) {
  if (!open_.has_changes(txn)) return Status::success();
  std::string payload;
  encode_txn(txn, payload);
  Result<log::Appended> appended =
      writer_->append(static_cast<std::uint8_t>(RecordType::kRollback), as_bytes(payload), true);
  open_.ended(txn);
  return appended.status();
}

Status InstanceLog::flush() { return writer_->flush(); }

Status InstanceLog::roll() { return writer_->roll(); }

std::uint64_t InstanceLog::distance_bytes(log::Lgpos from, log::Lgpos to) const {
  if (to <= from) return 0;
  const std::uint64_t file = settings_.config.file_size_bytes;
  const auto offset = [](log::Lgpos p) {
    return std::uint64_t{p.sector} * log::kSectorBytes + p.byte;
  };
  return (std::uint64_t{to.generation} - from.generation) * file + offset(to) - offset(from);
}

Status InstanceLog::write_checkpoint_file(log::Lgpos checkpoint, bool clean) {
  log::CheckpointData data;
  data.log_signature = writer_->signature();
  data.checkpoint = checkpoint;
  data.last_generation_at_write = writer_->current_generation();
  data.clean_shutdown = clean;
  data.full_backup = marks_.full_backup;
  data.incremental_backup = marks_.incremental_backup;
  data.differential_backup = marks_.differential_backup;
  data.copy_backup = marks_.copy_backup;
  if (!clean) {
    // The Databases outlive every checkpoint (the thread is joined before they go); the
    // pointer is read under its mutex, the list taken without it.
    Databases* databases = nullptr;
    {
      std::lock_guard lock(databases_mutex_);
      databases = databases_;
    }
    if (databases != nullptr) {
      for (const Attachment& attachment : databases->list()) {
        if (attachment.database->read_only()) continue;
        log::AttachedDatabase entry;
        entry.dbid = attachment.dbid;
        entry.path = attachment.path;
        data.attached.push_back(std::move(entry));
      }
    }
  }
  ESENT_RETURN_IF_ERROR(log::write_checkpoint(file_system_, settings_.checkpoint_path, data));
  checkpoint_packed_ = checkpoint.packed();
  writer_->set_checkpoint(checkpoint);
  std::uint32_t keep_from = checkpoint.generation;
  if (const std::uint32_t floor = log_floor_.load(); floor != 0) keep_from = std::min(keep_from, floor);
  if (settings_.config.circular && keep_from > 1) {
    ESENT_RETURN_IF_ERROR(writer_->remove_generations_below(keep_from));
  }
  return Status::success();
}

void InstanceLog::set_log_floor(std::uint32_t generation) { log_floor_.store(generation); }

Result<log::Lgpos> InstanceLog::log_backup(std::uint8_t phase) {
  const std::byte payload[1] = {static_cast<std::byte>(phase)};
  Result<log::Appended> appended =
      writer_->append(static_cast<std::uint8_t>(RecordType::kBackup), payload);
  if (!appended.ok()) return appended.status();
  ESENT_RETURN_IF_ERROR(writer_->flush_to(appended->end));
  return appended->start;
}

Status InstanceLog::record_backup_mark(log::BackupMark log::CheckpointData::*slot,
                                       const log::BackupMark& mark) {
  std::lock_guard guard(checkpoint_mutex_);
  marks_.*slot = mark;
  const log::Lgpos last = last_checkpoint();
  return write_checkpoint_file(last.is_null() ? writer_->end() : last, false);
}

Status InstanceLog::checkpoint() {
  std::lock_guard guard(checkpoint_mutex_);
  // The target and the transactions open at it, read together: reading the open ones after the
  // flush below missed a transaction that ended meanwhile, and when a crash then lost its commit
  // or rollback record, recovery started past its first changes and could not undo them.
  log::Lgpos target;
  const std::optional<log::Lgpos> oldest = open_.oldest_at_end(*writer_, &target);
  std::vector<std::shared_ptr<catalog::Database>> databases;
  Databases* attached = nullptr;
  {
    std::lock_guard lock(databases_mutex_);
    attached = databases_;
  }
  if (attached != nullptr) {
    for (const Attachment& attachment : attached->list()) databases.push_back(attachment.database);
  }
  for (const auto& database : databases) {
    if (database->read_only() || database->closed()) continue;
    ESENT_RETURN_IF_ERROR(database->file().flush());
  }
  // Recovery will start at or before the target: every record before it must be there, the
  // commit and rollback records of transactions that ended before it included.
  ESENT_RETURN_IF_ERROR(writer_->flush_to(target));
  const log::Lgpos checkpoint = oldest && *oldest < target ? *oldest : target;
  return write_checkpoint_file(checkpoint, false);
}

Status InstanceLog::term_clean() {
  std::lock_guard guard(checkpoint_mutex_);
  Result<log::Appended> appended = writer_->append(
      static_cast<std::uint8_t>(RecordType::kTerm), as_bytes(std::string_view("\1", 1)), true);
  if (!appended.ok()) return appended.status();
  ESENT_RETURN_IF_ERROR(writer_->flush());
  {
    std::lock_guard lock(databases_mutex_);
    databases_ = nullptr;
  }
  return write_checkpoint_file(writer_->end(), true);
}

void InstanceLog::checkpoint_loop() {
  std::unique_lock lock(thread_mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::milliseconds(200));
    if (stopping_) break;
    const log::Lgpos last = log::Lgpos::unpack(checkpoint_packed_.load());
    if (distance_bytes(last, writer_->end()) < settings_.checkpoint_depth_bytes) continue;
    lock.unlock();
    Status status = checkpoint();
    (void)status;  // a failing checkpoint leaves the old one; the writer's failure is sticky
    lock.lock();
  }
}

}  // namespace esent::engine
