// InstanceLog: the write-ahead log of one instance running with JET_paramRecovery "on".
//
// It owns the log writer (after recovery handed it over), the checkpoint file and the
// checkpoint thread, and gives each attached database a DatabaseLog: the ChangeLog its trees
// append page-op groups to and the RecordLog its tables report record changes to.
//
// Durability: a commit appends kCommit and, unless lazy, waits until the log is durable
// through it (group commit in the writer). The buffer cache writes a page only after the log
// is durable through the page's last group (its write-ahead hook calls flush_to).
//
// Checkpoint: target = the log's end, read together with the first record of the oldest
// transaction open at that instant; every attached database is flushed (pages written and
// synced; pages of groups in flight are waited for, see cache::kPendingLogPosition); the log is
// made durable through the target; the checkpoint becomes min(target, that first record) and
// is written to the checkpoint file; under circular logging older generations go. Runs in
// its own thread whenever the log has grown JET_paramCheckpointDepthMax past the checkpoint,
// and at a clean term.
//
// Failure: once the writer fails (kLogWriteFail), failed() reports it and the instance
// refuses every call with kInstanceUnavailable until it is terminated and initialised again.
//
// Thread-safety: every member may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "btree/page_ops.h"
#include "cache/buffer_cache.h"
#include "catalog/record_log.h"
#include "engine/log_records.h"
#include "io/file_system.h"
#include "log/checkpoint.h"
#include "log/log_writer.h"
#include "util/status.h"

namespace esent::engine {

class Databases;

// Test seam: instances initialised while this is set skip every fsync of their log files
// (LogConfig::skip_sync_for_testing), so crash tests can show they detect lost commits.
void set_skip_log_sync_for_testing(bool skip);
bool skip_log_sync_for_testing();

struct LogSettings {
  log::LogConfig config;
  std::string checkpoint_path;        // JET_paramSystemPath + edb.chk
  std::uint64_t checkpoint_depth_bytes = 20u << 20;  // JET_paramCheckpointDepthMax
  bool ignore_missing_databases = false;  // JET_bitReplayIgnoreMissingDB
};

// Marks the records appended by this thread while it lives as essential: they still go in when
// the log disk is full (a rollback must be able to finish, ESE lets it).
class EssentialScope {
 public:
  EssentialScope() : previous_(active_) { active_ = true; }
  ~EssentialScope() { active_ = previous_; }
  EssentialScope(const EssentialScope&) = delete;
  EssentialScope& operator=(const EssentialScope&) = delete;
  static bool active() { return active_; }

 private:
  bool previous_;
  static thread_local bool active_;
};

// The first log record of each transaction that has changed something and not ended: the
// checkpoint never passes the oldest, so recovery always sees a whole transaction.
class OpenTransactions {
 public:
  // Records `txn`'s first change position (later calls for the same txn change nothing).
  void changed(std::uint64_t txn, log::Lgpos position);
  // Forgets `txn`; returns whether it had changed anything.
  bool ended(std::uint64_t txn);
  bool has_changes(std::uint64_t txn) const;
  // Reads `writer`'s end into `*end` and, at the same instant, the oldest first position of a
  // transaction open then (nullopt when none was). One instant matters: a transaction that ends
  // after it has its commit or rollback record past `*end`, where a crash may lose it, so it
  // must still hold a checkpoint at `*end` back.
  std::optional<log::Lgpos> oldest_at_end(const log::LogWriter& writer, log::Lgpos* end) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::uint64_t, log::Lgpos> first_;
};

// The log seen from one attached database.
class DatabaseLog final : public btree::ChangeLog, public catalog::RecordLog {
 public:
  DatabaseLog(log::LogWriter& writer, OpenTransactions& open, std::uint32_t dbid)
      : writer_(writer), open_(open), dbid_(dbid) {}

  Result<std::uint64_t> append(std::span<const std::byte> group) override;
  // kLogDiskFull in disk-full mode (except inside an EssentialScope), the failure once failed.
  Status ready() override;
  Status changing(txn::Transaction& txn, std::uint32_t table_object_id,
                  std::string_view primary_key, txn::Version::Kind kind,
                  std::string_view before) override;
  Status undoing(txn::Transaction& txn, std::uint32_t table_object_id,
                 std::string_view primary_key) override;
  Status creating_table(txn::Transaction& txn, std::string_view name,
                        std::uint32_t first_object_id) override;

 private:
  // Appends a kChange-shaped record of `txn` as `type`, registering the transaction as open
  // first (at a position no later than the record: a checkpoint taken meanwhile must not pass
  // the transaction's first record).
  Status append_change(RecordType type, txn::Transaction& txn, const ChangeRecord& record);

  log::LogWriter& writer_;
  OpenTransactions& open_;
  const std::uint32_t dbid_;
};

class InstanceLog {
 public:
  // Takes over `writer` (positioned after recovery) and starts the checkpoint thread. The
  // cache's write-ahead hook is pointed at the writer.
  InstanceLog(io::FileSystem& file_system, cache::BufferCache& cache, LogSettings settings,
              std::unique_ptr<log::LogWriter> writer);
  // Stops the checkpoint thread and resets the cache's hook. Flushes nothing (term does).
  ~InstanceLog();
  InstanceLog(const InstanceLog&) = delete;
  InstanceLog& operator=(const InstanceLog&) = delete;

  log::LogWriter& writer() { return *writer_; }
  OpenTransactions& open_transactions() { return open_; }
  const LogSettings& settings() const { return settings_; }

  // The databases whose pages the checkpoint flushes (set once the instance has them).
  void set_databases(Databases* databases);

  // The DatabaseLog of `dbid` (made on first use; lives as long as this object).
  DatabaseLog& database_log(std::uint32_t dbid);
  // Appends a database record and waits until it is durable.
  Status log_database(RecordType type, const DatabaseRecord& record);

  // Level-0 commit of `txn`: kCommit when it changed anything, durable unless `lazy`.
  Status commit(std::uint64_t txn, bool lazy);
  // The transaction ended without a commit (every change undone).
  Status rolled_back(std::uint64_t txn);
  // Waits until everything appended so far is durable (JET_bitWaitAllLevel0Commit).
  Status flush();
  // JetCommitTransaction(JET_bitForceNewLog).
  Status roll();

  // Takes a checkpoint now (see above).
  Status checkpoint();
  // A clean term: checkpoint at the end of the log with no database attached, kTerm, and the
  // checkpoint file marked clean. The databases must have been closed already.
  Status term_clean();

  // Whether the log failed for good (a failed write or fsync): the instance is unavailable.
  bool failed() const { return writer_->failed(); }

  // Backups (backup::Host): while `generation` is not 0, no log at or above it is deleted or
  // recycled by a checkpoint under circular logging.
  void set_log_floor(std::uint32_t generation);
  // Appends a kBackup record and waits until it is durable; its position.
  Result<log::Lgpos> log_backup(std::uint8_t phase);
  // Stores a finished backup's mark; every checkpoint file written from now on carries it, and
  // one is written now.
  Status record_backup_mark(log::BackupMark log::CheckpointData::*slot, const log::BackupMark& mark);
  // The checkpoint as last written (null before the first).
  log::Lgpos last_checkpoint() const { return log::Lgpos::unpack(checkpoint_packed_.load()); }

  // Held while a database is detached or closed, so no checkpoint flushes it meanwhile.
  std::unique_lock<std::mutex> exclude_checkpoints() {
    return std::unique_lock<std::mutex>(checkpoint_mutex_);
  }

 private:
  void checkpoint_loop();
  Status write_checkpoint_file(log::Lgpos checkpoint, bool clean);
  std::uint64_t distance_bytes(log::Lgpos from, log::Lgpos to) const;

  io::FileSystem& file_system_;
  cache::BufferCache& cache_;
  const LogSettings settings_;
  std::unique_ptr<log::LogWriter> writer_;
  OpenTransactions open_;

  std::mutex logs_mutex_;  // guards database_logs_; nothing is taken while it is held
  std::map<std::uint32_t, std::unique_ptr<DatabaseLog>> database_logs_;
  std::mutex databases_mutex_;  // guards databases_ (the pointer only)
  Databases* databases_ = nullptr;

  std::mutex checkpoint_mutex_;  // one checkpoint at a time; guards marks_
  log::CheckpointData marks_;    // the backup marks (only those fields are used)
  std::atomic<std::uint32_t> log_floor_{0};
  std::atomic<std::uint64_t> checkpoint_packed_{0};
  std::mutex thread_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace esent::engine
