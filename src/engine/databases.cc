#include "engine/databases.h"

#include <utility>

#include "backup/backup.h"
#include "backup/header_marks.h"
#include "engine/instance_log.h"

namespace esent::engine {

namespace {

using backup::to_header;

// The log's marks in a database header when it is attached (or created): the log set it
// belongs to, where it was attached, the generations it needs (ESE's SetDbstate for a dirty
// state stores the current generation as genMinRequired, genMaxRequired and genCommitted); no
// longer consistent nor detached (lgposConsistent and lgposDetach null with their times). The
// state stays dirty. genMaxRequired / genCommitted are not raised as the log rolls afterwards.
Status mark_attached(catalog::Database& database, log::LogWriter& writer) {
  const log::Lgpos now = writer.end();
  const std::uint32_t generation = writer.current_generation();
  return database.file().update_header([&](page::DatabaseHeader& header) {
    header.log_signature = to_header(writer.signature());
    header.attach_position = to_header(now);
    header.attach_time = to_header(log::LogTime::now());
    header.generation_min_required = generation;
    header.generation_max_required = generation;
    header.generation_committed = generation;
    header.consistent_position = page::LogPosition{};
    header.consistent_time = page::LogTime{};
    header.detach_position = page::LogPosition{};
    header.detach_time = page::LogTime{};
  });
}

// Before a clean close: the close writes the clean header consistent as of the log's durable
// end once every page is on disk (each page went only after the log through its changes, so
// that end covers every change of the database), which is where its detach record follows.
void mark_consistent_at_close(catalog::Database& database, log::LogWriter& writer) {
  database.file().set_consistent_position_source([&writer]() -> Result<page::LogPosition> {
    ESENT_RETURN_IF_ERROR(writer.flush());
    return to_header(writer.durable_end());
  });
}

}  // namespace

Databases::Databases(std::shared_ptr<io::FileSystem> file_system, cache::BufferCache& cache,
                     txn::Manager* transactions, InstanceLog* log)
    : file_system_(std::move(file_system)), cache_(cache), transactions_(transactions), log_(log) {}

Result<std::uint32_t> Databases::create(const std::string& path,
                                        const catalog::DatabaseOptions& options,
                                        std::uint64_t session) {
  std::lock_guard lock(mutex_);
  for (const auto& [dbid, attachment] : attachments_) {
    if (attachment.path == path) return Status(Error::kDatabaseDuplicate, path);
  }
  if (attachments_.size() >= kMaxAttachedDatabases) return Error::kTooManyAttachedDatabases;
  const std::uint32_t dbid = next_dbid_;
  catalog::DatabaseOptions logged = options;
  if (log_ != nullptr) {
    // The creation is logged (durably) before the file exists, so replaying the log from here
    // makes the database again. A path that exists is refused first: recovery must never take
    // someone else's file for this database.
    if (!options.overwrite) {
      Result<bool> exists = file_system_->file_exists(path);
      if (!exists.ok()) return exists.status();
      if (exists.value()) return Status(Error::kDatabaseDuplicate, path);
    }
    DatabaseRecord record;
    record.dbid = dbid;
    record.page_size = options.page_size;
    record.max_pages = options.max_pages;
    record.path = path;
    ESENT_RETURN_IF_ERROR(log_->log_database(RecordType::kCreateDatabase, record));
    DatabaseLog& database_log = log_->database_log(dbid);
    logged.change_log = &database_log;
    logged.record_log = &database_log;
  }
  Result<std::shared_ptr<catalog::Database>> database =
      catalog::Database::create(*file_system_, cache_, path, logged);
  if (!database.ok()) {
    if (log_ != nullptr) {
      DatabaseRecord record;
      record.dbid = dbid;
      (void)log_->log_database(RecordType::kDetachDatabase, record);
    }
    return database.status();
  }
  if (log_ != nullptr) ESENT_RETURN_IF_ERROR(mark_attached(**database, log_->writer()));
  (*database)->set_transaction_manager(transactions_);
  ++next_dbid_;
  Attachment& attachment = attachments_[dbid];
  attachment = Attachment{dbid, path, std::move(database).value(), {}, std::nullopt};
  attachment.opens[session] = 1;
  return dbid;
}

Result<std::shared_lock<std::shared_mutex>> Databases::backup_gate() {
  if (backup_ == nullptr) return std::shared_lock<std::shared_mutex>();
  return backup_->attach_gate();
}

Status Databases::attach(const std::string& path, const catalog::DatabaseOptions& options) {
  Result<std::shared_lock<std::shared_mutex>> no_backup = backup_gate();
  if (!no_backup.ok()) return no_backup.status();
  std::lock_guard lock(mutex_);
  for (const auto& [dbid, attachment] : attachments_) {
    if (attachment.path == path) return Error::kWarnDatabaseAttached;
  }
  if (attachments_.size() >= kMaxAttachedDatabases) return Error::kTooManyAttachedDatabases;
  const std::uint32_t dbid = next_dbid_;
  catalog::DatabaseOptions logged = options;
  DatabaseRecord record;
  record.dbid = dbid;
  record.page_size = options.page_size;
  record.path = path;
  bool attach_logged = false;
  if (log_ != nullptr && !options.read_only) {
    DatabaseLog& database_log = log_->database_log(dbid);
    logged.change_log = &database_log;
    logged.record_log = &database_log;
    // The attach record is durable before the file is first written (marked dirty) and before
    // anything of it can change: replay then opens it from here on. Written once the file
    // passed its checks, so that replay never meets an attach of a file that could not open.
    logged.before_first_write = [&]() -> Status {
      ESENT_RETURN_IF_ERROR(log_->log_database(RecordType::kAttachDatabase, record));
      attach_logged = true;
      return Status::success();
    };
  }
  Result<std::shared_ptr<catalog::Database>> database =
      catalog::Database::open(*file_system_, cache_, path, logged);
  if (!database.ok()) {
    // Logged but not attached after all (the file failed later): replay closes it there.
    if (attach_logged) (void)log_->log_database(RecordType::kDetachDatabase, record);
    return database.status();
  }
  if (log_ != nullptr && !options.read_only) {
    Status marked = mark_attached(**database, log_->writer());
    if (!marked.ok()) {
      (*database)->abandon();
      return marked;
    }
  }
  (*database)->set_transaction_manager(transactions_);
  ++next_dbid_;
  attachments_[dbid] = Attachment{dbid, path, std::move(database).value(), {}, std::nullopt};
  return Status::success();
}

Status Databases::close_logged(Attachment& attachment) {
  if (log_ != nullptr && !attachment.database->read_only()) {
    // Everything of it reaches the log first, then the header says up to where it is consistent.
    Status flushed = log_->flush();
    if (!flushed.ok()) {
      attachment.database->abandon();
      return flushed;
    }
    mark_consistent_at_close(*attachment.database, log_->writer());
  }
  Status closed = attachment.database->close();
  if (log_ != nullptr && !attachment.database->read_only()) {
    DatabaseRecord record;
    record.dbid = attachment.dbid;
    Status logged = log_->log_database(RecordType::kDetachDatabase, record);
    if (closed.ok()) closed = logged;
  }
  return closed;
}

Status Databases::detach(const std::string& path) {
  Result<std::shared_lock<std::shared_mutex>> no_backup = backup_gate();
  if (!no_backup.ok()) return no_backup.status();
  // Lock order: the backup gate, checkpoints, then the attachment table (a checkpoint lists the
  // databases).
  std::unique_lock<std::mutex> no_checkpoint;
  if (log_ != nullptr) no_checkpoint = log_->exclude_checkpoints();
  std::lock_guard lock(mutex_);
  if (path.empty()) {
    for (const auto& [dbid, attachment] : attachments_) {
      if (attachment.open()) return Error::kDatabaseInUse;
    }
    Status first;
    for (auto& [dbid, attachment] : attachments_) {
      Status closed = close_logged(attachment);
      if (!closed.ok() && first.ok()) first = closed;
    }
    attachments_.clear();
    return first;
  }
  for (auto it = attachments_.begin(); it != attachments_.end(); ++it) {
    if (it->second.path != path) continue;
    if (it->second.open()) return Error::kDatabaseInUse;
    Status closed = close_logged(it->second);
    attachments_.erase(it);
    return closed;
  }
  return Status(Error::kDatabaseNotFound, path);
}

Result<std::uint32_t> Databases::open(const std::string& path, std::uint64_t session,
                                      bool exclusive, bool read_only, Status* warning) {
  std::lock_guard lock(mutex_);
  for (auto& [dbid, attachment] : attachments_) {
    if (attachment.path != path) continue;
    if (attachment.exclusive_session && *attachment.exclusive_session != session) {
      return Error::kDatabaseLocked;
    }
    if (exclusive) {
      for (const auto& [other, count] : attachment.opens) {
        if (other != session && count > 0) return Error::kDatabaseInUse;
      }
      attachment.exclusive_session = session;
    }
    ++attachment.opens[session];
    if (warning != nullptr && attachment.database->read_only() && !read_only) {
      *warning = Error::kWarnFileOpenReadOnly;
    }
    return dbid;
  }
  return Status(Error::kDatabaseNotFound, path);
}

Status Databases::close(std::uint32_t dbid, std::uint64_t session) {
  std::lock_guard lock(mutex_);
  auto it = attachments_.find(dbid);
  if (it == attachments_.end()) return Error::kInvalidDatabaseId;
  auto open = it->second.opens.find(session);
  if (open == it->second.opens.end()) return Error::kInvalidDatabaseId;
  if (--open->second == 0) {
    it->second.opens.erase(open);
    if (it->second.exclusive_session == session) it->second.exclusive_session.reset();
  }
  return Status::success();
}

std::shared_ptr<catalog::Database> Databases::find(std::uint32_t dbid) const {
  std::lock_guard lock(mutex_);
  auto it = attachments_.find(dbid);
  return it == attachments_.end() ? nullptr : it->second.database;
}

Result<std::uint32_t> Databases::grow(const std::string& path, std::uint32_t pages,
                                      std::uint32_t page_size_bytes) {
  std::lock_guard lock(mutex_);
  for (const auto& [dbid, attachment] : attachments_) {
    if (attachment.path != path) continue;
    if (attachment.database->read_only()) return Error::kDatabaseFileReadOnly;
    cache::DatabaseFile& file = attachment.database->file();
    if (pages > file.size_pages()) ESENT_RETURN_IF_ERROR(file.set_size(pages));
    return file.size_pages();
  }
  cache::OpenOptions options;
  options.expected_page_size = page_size_bytes;
  options.require_clean_shutdown = true;
  Result<std::unique_ptr<cache::DatabaseFile>> file =
      cache::DatabaseFile::open(*file_system_, cache_, path, options);
  if (!file.ok()) return file.status();
  if (pages > (*file)->size_pages()) ESENT_RETURN_IF_ERROR((*file)->set_size(pages));
  const std::uint32_t size = (*file)->size_pages();
  ESENT_RETURN_IF_ERROR((*file)->close());
  return size;
}

std::vector<Attachment> Databases::list() const {
  std::lock_guard lock(mutex_);
  std::vector<Attachment> result;
  for (const auto& [dbid, attachment] : attachments_) result.push_back(attachment);
  return result;
}

Status Databases::close_all() {
  std::unique_lock<std::mutex> no_checkpoint;
  if (log_ != nullptr) no_checkpoint = log_->exclude_checkpoints();
  std::lock_guard lock(mutex_);
  Status first;
  for (auto& [dbid, attachment] : attachments_) {
    Status closed = close_logged(attachment);
    if (!closed.ok() && first.ok()) first = closed;
  }
  attachments_.clear();
  return first;
}

Status Databases::abandon_all() {
  std::unique_lock<std::mutex> no_checkpoint;
  if (log_ != nullptr) no_checkpoint = log_->exclude_checkpoints();
  std::lock_guard lock(mutex_);
  for (auto& [dbid, attachment] : attachments_) attachment.database->abandon();
  attachments_.clear();
  return Status::success();
}

}  // namespace esent::engine
