// Databases: the databases attached to one instance, and who has them open.
//
// ESE's model: a database is attached to an instance (JetAttachDatabase / JetCreateDatabase,
// instance-wide, by path) and opened by sessions (JetOpenDatabase / JetCreateDatabase return a
// JET_DBID). The JET_DBID is the attachment's number in the instance, the same for every session
// (as ESE's IFMP is). Detach requires that no session has the database open (kDatabaseInUse).
//
// Thread-safety: all methods may be called from any thread; `mutex_` guards the tables, and is
// never held across file I/O except for create/attach/detach of one database, which are rare.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <optional>
#include <string>
#include <vector>

#include "cache/buffer_cache.h"
#include "catalog/database.h"
#include "io/file_system.h"
#include "util/status.h"

namespace esent::engine {

class InstanceLog;
}  // namespace esent::engine

namespace esent::backup {
class Backup;
}  // namespace esent::backup

namespace esent::engine {

// Databases one instance may have attached at once (JET_errTooManyAttachedDatabases beyond).
inline constexpr std::uint32_t kMaxAttachedDatabases = 64;

struct Attachment {
  std::uint32_t dbid = 0;
  std::string path;  // absolute, normalized
  std::shared_ptr<catalog::Database> database;
  // JetOpenDatabase / JetCreateDatabase opens not yet closed, by session.
  std::map<std::uint64_t, std::uint32_t> opens;
  // The session that has it open with JET_bitDbExclusive.
  std::optional<std::uint64_t> exclusive_session;

  bool open() const { return !opens.empty(); }
};

class Databases {
 public:
  // With `log` (recovery on), creation, attach and detach are logged, and every database's
  // trees and record changes go to the log.
  Databases(std::shared_ptr<io::FileSystem> file_system, cache::BufferCache& cache,
            txn::Manager* transactions = nullptr, InstanceLog* log = nullptr);

  // The instance's backup: while one is active, attach and detach → kBackupInProgress (and a
  // backup's begin waits for those in progress).
  void set_backup(backup::Backup* backup) { backup_ = backup; }

  // JetCreateDatabase: creates, attaches and opens it for `session`. kDatabaseDuplicate when the
  // path is attached or exists (and not overwrite).
  Result<std::uint32_t> create(const std::string& path, const catalog::DatabaseOptions& options,
                               std::uint64_t session);
  // JetAttachDatabase: kBackupInProgress while a backup is active; kWarnDatabaseAttached (a
  // success) if already attached.
  Status attach(const std::string& path, const catalog::DatabaseOptions& options);
  // JetDetachDatabase: kBackupInProgress while a backup is active, kDatabaseNotFound,
  // kDatabaseInUse. An empty path detaches all.
  Status detach(const std::string& path);
  // JetOpenDatabase: counts an open by `session`. kDatabaseNotFound when not attached;
  // kDatabaseLocked when another session has it exclusively; with `exclusive`,
  // kDatabaseInUse when another session has it open. `warning` receives
  // kWarnFileOpenReadOnly when the attachment is read-only and `read_only` was not asked for.
  Result<std::uint32_t> open(const std::string& path, std::uint64_t session, bool exclusive,
                             bool read_only, Status* warning);
  // JetCloseDatabase: kInvalidDatabaseId when `session` does not have it open.
  Status close(std::uint32_t dbid, std::uint64_t session);

  std::shared_ptr<catalog::Database> find(std::uint32_t dbid) const;

  // JetSetDatabaseSize: grows the database at `path` to at least `pages` (never shrinks) and
  // returns its size. An attached database grows in place (kDatabaseFileReadOnly when attached
  // read-only); any other file is opened for the call, and must have been shut down cleanly
  // (kDatabaseDirtyShutdown).
  Result<std::uint32_t> grow(const std::string& path, std::uint32_t pages,
                             std::uint32_t page_size_bytes);
  std::vector<Attachment> list() const;

  // Detaches everything (JetTerm): flushes and closes every database; returns the first error.
  Status close_all();
  // Forgets every database without flushing (JET_bitTermDirty): the files stay as a crash
  // would leave them.
  Status abandon_all();

 private:
  // Held by an attach or detach for its whole length (backup::Backup::attach_gate): refused
  // with kBackupInProgress while a backup is active. An empty lock without a backup.
  Result<std::shared_lock<std::shared_mutex>> backup_gate();
  // Closes one database (flush, clean header) and logs its detach. The caller holds the log's
  // checkpoint exclusion, then mutex_ (in that order: a checkpoint lists the databases).
  Status close_logged(Attachment& attachment);

  std::shared_ptr<io::FileSystem> file_system_;
  cache::BufferCache& cache_;
  txn::Manager* transactions_;
  InstanceLog* log_;
  backup::Backup* backup_ = nullptr;
  mutable std::mutex mutex_;
  std::map<std::uint32_t, Attachment> attachments_;  // by dbid
  std::uint32_t next_dbid_ = 1;
};

}  // namespace esent::engine
