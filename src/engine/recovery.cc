// Crash recovery (the steps are in recovery.h).
#include "engine/recovery.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "backup/header_marks.h"
#include "btree/page_ops.h"
#include "catalog/database.h"
#include "engine/log_records.h"
#include "log/checkpoint.h"
#include "log/log_reader.h"
#include "page/page.h"
#include "txn/transaction.h"
#include "txn/versions.h"

namespace esent::engine {

namespace {

struct RecoveredDatabase {
  std::string path;
  std::shared_ptr<catalog::Database> database;
  std::set<page::Pgno> torn;  // torn on disk, waiting for an image or an init
  std::uint64_t max_dbtime = 0;
};

struct PendingTransaction {
  std::vector<ChangeRecord> changes;  // in log order, minus those undone
};

class Recovery {
 public:
  Recovery(io::FileSystem& file_system, cache::BufferCache& cache, const LogSettings& settings,
           const RecoveryOptions& options, RecoveryStatistics& statistics)
      : file_system_(file_system),
        cache_(cache),
        settings_(settings),
        options_(options),
        statistics_(statistics) {}

  Result<std::unique_ptr<log::LogWriter>> run();

 private:
  Result<std::unique_ptr<log::LogWriter>> run_restore();
  // Redo from `start` to the end of `set`, then undo, close, checkpoint.
  Result<std::unique_ptr<log::LogWriter>> replay(log::LogSet set, log::Lgpos start);
  Status open_database(std::uint32_t dbid, const std::string& path, std::uint32_t page_size,
                       bool create_if_missing, std::uint32_t max_pages);
  Status redo(std::uint32_t dbid, std::span<const std::byte> group);
  Status track(RecordType type, std::span<const std::byte> payload);
  Status undo(log::LogWriter& writer, OpenTransactions& open);
  // Closes every database: clean (at the position `consistent_at` returns, see
  // DatabaseFile::set_consistent_position_source) once recovered, dirty while still recovering.
  Status close_all(const cache::DatabaseFile::ConsistentPositionSource& consistent_at = {});
  // Closes one recovered database clean, consistent at `position` of the replayed log.
  Status close_consistent(RecoveredDatabase& recovered, log::Lgpos position);
  // After a failure past the end of redo (some databases recovered, undo not done): every
  // database is dropped without writing, its header left dirty, so that nothing unfinished is
  // ever marked clean and a later recovery starts over.
  void abandon_all();
  // A checkpoint at the writer's end, no database attached.
  Status write_checkpoint(log::LogWriter& writer);

  io::FileSystem& file_system_;
  cache::BufferCache& cache_;
  const LogSettings& settings_;
  const RecoveryOptions& options_;
  RecoveryStatistics& statistics_;
  std::map<std::uint32_t, RecoveredDatabase> databases_;
  std::map<std::uint64_t, PendingTransaction> transactions_;
  // The backup marks of the checkpoint file found at the start, carried into the ones written.
  log::CheckpointData marks_;
  // Restore: the databases named in the log that are not restored (RestorePlan::only_restored).
  std::set<std::uint32_t> ignored_;
  // The start of the record being replayed (before the first: where replay starts).
  log::Lgpos replay_position_;
};

bool is_restored(const RecoveryOptions& options, const std::string& path) {
  if (!options.restore) return false;
  for (const RestoredDatabase& restored : options.restore->databases) {
    if (restored.path == path) return true;
  }
  return false;
}

// A restored database ends as ESE's hard recovery leaves it: no backup recorded.
void clear_backup_marks(page::DatabaseHeader& header) {
  header.backup_full_current = {};
  header.backup_full_previous = {};
  header.backup_incremental_previous = {};
  header.backup_differential_previous = {};
  header.backup_copy_previous = {};
}

Status Recovery::open_database(std::uint32_t dbid, const std::string& logged_path,
                               std::uint32_t page_size, bool create_if_missing,
                               std::uint32_t max_pages) {
  std::string path = logged_path;
  for (const auto& [from, to] : options_.relocations) {
    if (from == logged_path) path = to;
  }
  if (options_.restore) {
    for (const RestoredDatabase& restored : options_.restore->databases) {
      if (restored.logged_path == logged_path) path = restored.path;
    }
  }
  const bool restored = is_restored(options_, path);
  if (options_.restore && options_.restore->only_restored && !restored) {
    ignored_.insert(dbid);
    return Status::success();
  }
  ignored_.erase(dbid);
  // The same file open under another dbid: restore opened it under the dbid it had when it was
  // backed up, and the log (from before that attach) names it by an earlier one, or a detach
  // was not seen. The log is the authority: the file is known by `dbid` from here on.
  std::optional<RecoveredDatabase> same_file;
  for (auto it = databases_.begin(); it != databases_.end(); ++it) {
    if (it->first != dbid && it->second.path == path) {
      same_file = std::move(it->second);
      databases_.erase(it);
      break;
    }
  }
  auto existing = databases_.find(dbid);
  if (existing != databases_.end()) {
    if (existing->second.path == path) return Status::success();
    // The dbid was reused for another file (a detach we did not see): finish the old one.
    ESENT_RETURN_IF_ERROR(existing->second.database->finish_recovery());
    if (is_restored(options_, existing->second.path)) {
      ESENT_RETURN_IF_ERROR(existing->second.database->file().update_header(clear_backup_marks));
    }
    ESENT_RETURN_IF_ERROR(close_consistent(existing->second, replay_position_));
    databases_.erase(existing);
  }
  if (same_file) {
    databases_[dbid] = std::move(*same_file);
    return Status::success();
  }
  catalog::DatabaseOptions options;
  options.page_size = page_size;
  Result<bool> exists = file_system_.file_exists(path);
  if (!exists.ok()) return exists.status();
  if (!exists.value()) {
    if (!create_if_missing) {
      if ((settings_.ignore_missing_databases || options_.ignore_missing_databases)) return Status::success();
      return Status(Error::kFileNotFound, "database needed by recovery is missing: " + path);
    }
    // Created in the log: creation is deterministic, so the replay that follows finds the
    // pages it expects (the catalog root's init is already there, with the same dbtime).
    catalog::DatabaseOptions create_options = options;
    create_options.max_pages = max_pages;
    Result<std::shared_ptr<catalog::Database>> made =
        catalog::Database::create(file_system_, cache_, path, create_options);
    if (!made.ok()) return made.status();
    ESENT_RETURN_IF_ERROR((*made)->close());
  }
  Result<std::shared_ptr<catalog::Database>> opened =
      catalog::Database::open_for_recovery(file_system_, cache_, path, options);
  if (!opened.ok()) return opened.status();
  if (!restored && (*opened)->file().header_at_open().backup_full_current.generation_low != 0) {
    (void)(*opened)->close();
    return Status(Error::kSoftRecoveryOnBackupDatabase, path);
  }
  RecoveredDatabase& recovered = databases_[dbid];
  recovered.path = path;
  recovered.database = std::move(opened).value();
  return Status::success();
}

Status Recovery::redo(std::uint32_t dbid, std::span<const std::byte> group) {
  if (ignored_.count(dbid) != 0) return Status::success();
  auto it = databases_.find(dbid);
  if (it == databases_.end()) {
    if ((settings_.ignore_missing_databases || options_.ignore_missing_databases)) return Status::success();
    return Status(Error::kLogCorrupted,
                  "page operations for database " + std::to_string(dbid) + " before its attach");
  }
  RecoveredDatabase& recovered = it->second;
  Result<std::vector<btree::PageOp>> ops = btree::decode_group(group);
  if (!ops.ok()) return Status(Error::kLogCorrupted, ops.status().detail());
  for (const btree::PageOp& op : ops.value()) {
    recovered.max_dbtime = std::max(recovered.max_dbtime, op.dbtime);
    Result<cache::RedoPage> page = recovered.database->file().get_for_redo(op.pgno);
    if (!page.ok()) return page.status();
    if (page->torn && recovered.torn.insert(op.pgno).second) ++statistics_.torn_pages;
    const bool whole = op.type == btree::PageOpType::kPageImage ||
                       op.type == btree::PageOpType::kInitPage;
    if (recovered.torn.count(op.pgno) != 0) {
      if (!whole) {
        ++statistics_.ops_skipped;  // the image that follows holds its effect
        continue;
      }
      recovered.torn.erase(op.pgno);
      ESENT_RETURN_IF_ERROR(btree::apply(page->page.mutable_bytes(), op));
      page->page.mark_dirty(0);
      ++statistics_.ops_applied;
      continue;
    }
    Result<bool> applied = btree::redo(page->page.mutable_bytes(), op);
    if (!applied.ok()) return applied.status();
    if (applied.value()) {
      page->page.mark_dirty(0);
      ++statistics_.ops_applied;
    } else {
      ++statistics_.ops_skipped;
    }
  }
  return Status::success();
}

Status Recovery::track(RecordType type, std::span<const std::byte> payload) {
  switch (type) {
    case RecordType::kChange:
    case RecordType::kCreatingTable: {
      Result<ChangeRecord> change = decode_change(RecordType::kChange, payload);
      if (!change.ok()) return change.status();
      transactions_[change->txn].changes.push_back(std::move(change).value());
      return Status::success();
    }
    case RecordType::kUndo: {
      // A kUndo follows the page groups of its undo (written under the table's latch, so no
      // other change of the record comes between): the change is taken back for good and
      // leaves the pending list. Without it (the log ended first), undoing again is harmless.
      // Keeping an undone change pending would be wrong: after a rollback of a nested level,
      // another transaction may change the record and commit, and undoing the old change again
      // would overwrite that commit.
      Result<ChangeRecord> undo = decode_change(type, payload);
      if (!undo.ok()) return undo.status();
      auto it = transactions_.find(undo->txn);
      if (it == transactions_.end()) return Status::success();
      std::vector<ChangeRecord>& changes = it->second.changes;
      for (auto change = changes.rbegin(); change != changes.rend(); ++change) {
        if (change->kind != kCreatingTableKind && change->dbid == undo->dbid &&
            change->object_id == undo->object_id && change->primary_key == undo->primary_key) {
          changes.erase(std::next(change).base());
          break;
        }
      }
      return Status::success();
    }
    case RecordType::kCommit:
    case RecordType::kRollback: {
      Result<std::uint64_t> txn = decode_txn(payload);
      if (!txn.ok()) return txn.status();
      transactions_.erase(txn.value());
      return Status::success();
    }
    default:
      return Status::success();
  }
}

Status Recovery::undo(log::LogWriter& writer, OpenTransactions& open) {
  EssentialScope essential;
  std::map<std::uint32_t, std::unique_ptr<DatabaseLog>> logs;
  for (auto& [dbid, recovered] : databases_) {
    auto log = std::make_unique<DatabaseLog>(writer, open, dbid);
    recovered.database->set_logs(log.get(), log.get());
    logs[dbid] = std::move(log);
  }
  Status status;
  for (auto& [id, pending] : transactions_) {
    if (pending.changes.empty()) continue;
    // The transaction keeps its id, so its kUndo and kRollback match its kChange records if
    // this recovery is itself interrupted.
    auto transaction = std::make_shared<txn::Transaction>(id, 0, false);
    std::vector<std::shared_ptr<catalog::Table>> tables;
    std::vector<const ChangeRecord*> created_tables;
    for (const ChangeRecord& change : pending.changes) {
      auto db = databases_.find(change.dbid);
      if (db == databases_.end()) continue;  // a missing database that was ignored
      if (change.kind == kCreatingTableKind) {
        created_tables.push_back(&change);
        continue;
      }
      Result<std::shared_ptr<catalog::Table>> table =
          db->second.database->table_by_object_id(change.object_id);
      if (!table.ok()) {
        // Its table is gone (created by this very transaction and not in the catalog yet, or
        // deleted since): nothing of the record is left to take back.
        continue;
      }
      (*table)->set_recovering(true);
      (*table)->recover_version(change.primary_key,
                                static_cast<txn::Version::Kind>(change.kind), change.before,
                                transaction);
      tables.push_back(std::move(table).value());
    }
    open.changed(id, writer.end());
    for (txn::JournalEntry& entry : transaction->take_from_level(0)) {
      Status undone = entry.object->undo(entry.key);
      if (!undone.ok() && status.ok()) status = undone;
    }
    for (const auto& table : tables) table->set_recovering(false);
    // Tables the transaction created go last, newest first: a table of that name whose object
    // id is older than the creation's first one was there before and stays.
    for (auto it = created_tables.rbegin(); it != created_tables.rend() && status.ok(); ++it) {
      const ChangeRecord& created = **it;
      catalog::Database& database = *databases_[created.dbid].database;
      Result<std::shared_ptr<catalog::Table>> table = database.open_table(created.primary_key);
      if (!table.ok()) continue;  // never made, or gone already
      const std::uint32_t object_id = (*table)->schema()->object_id;
      table->reset();
      if (object_id >= created.object_id) status = database.delete_table(created.primary_key);
    }
    std::string payload;
    encode_txn(id, payload);
    Result<log::Appended> appended =
        writer.append(static_cast<std::uint8_t>(RecordType::kRollback), as_bytes(payload), true);
    open.ended(id);
    if (!appended.ok() && status.ok()) status = appended.status();
    ++statistics_.transactions_undone;
    ESENT_RETURN_IF_ERROR(status);
  }
  ESENT_RETURN_IF_ERROR(writer.flush());
  // The databases close with their logs still set: closing flushes pages whose groups went to
  // the log above. They are consistent as of the end of the log recovery wrote.
  return close_all([&writer]() -> Result<page::LogPosition> {
    ESENT_RETURN_IF_ERROR(writer.flush());
    return backup::to_header(writer.durable_end());
  });
}

Status Recovery::close_all(const cache::DatabaseFile::ConsistentPositionSource& consistent_at) {
  Status first;
  for (auto& [dbid, recovered] : databases_) {
    recovered.database->file().set_consistent_position_source(consistent_at);
    Status closed = recovered.database->close();
    if (!closed.ok() && first.ok()) first = closed;
  }
  databases_.clear();
  return first;
}

Status Recovery::close_consistent(RecoveredDatabase& recovered, log::Lgpos position) {
  const page::LogPosition at = backup::to_header(position);
  recovered.database->file().set_consistent_position_source(
      [at]() -> Result<page::LogPosition> { return at; });
  return recovered.database->close();
}

void Recovery::abandon_all() {
  for (auto& [dbid, recovered] : databases_) recovered.database->abandon();
  databases_.clear();
}

Result<std::unique_ptr<log::LogWriter>> Recovery::run() {
  const log::LogConfig& config = settings_.config;
  if (options_.restore) return run_restore();
  Result<log::LogSet> set = log::scan(file_system_, config);
  if (!set.ok()) return set.status();
  Result<log::CheckpointData> checkpoint =
      log::read_checkpoint(file_system_, settings_.checkpoint_path);
  if (!checkpoint.ok() && checkpoint.status().error() != Error::kCheckpointFileNotFound) {
    return checkpoint.status();
  }
  if (checkpoint.ok()) marks_ = *checkpoint;
  if (set->empty()) {
    if (checkpoint.ok() && !checkpoint->checkpoint.is_null()) {
      return Status(Error::kMissingLogFile, "the checkpoint names logs that are gone");
    }
    Result<std::unique_ptr<log::LogWriter>> fresh =
        log::LogWriter::create(file_system_, config, log::Lgpos{});
    if (!fresh.ok()) return fresh.status();
    ESENT_RETURN_IF_ERROR(write_checkpoint(**fresh));
    return fresh;
  }
  log::Lgpos start;
  if (checkpoint.ok()) {
    if (!(checkpoint->log_signature == set->signature)) {
      return Status(Error::kBadCheckpointSignature, settings_.checkpoint_path);
    }
    start = checkpoint->checkpoint;
    replay_position_ = start;
    for (const log::AttachedDatabase& attached : checkpoint->attached) {
      ESENT_RETURN_IF_ERROR(open_database(attached.dbid, attached.path, 0, false, 0));
    }
  }
  return replay(std::move(set).value(), start);
}

Result<std::unique_ptr<log::LogWriter>> Recovery::run_restore() {
  const RestorePlan& plan = *options_.restore;
  if (plan.logs.empty()) return Status(Error::kFileNotFound, "no log to restore from");
  replay_position_ = plan.start;
  if (!plan.only_restored) {
    // JetInit3 with a map onto backup copies: the instance's other databases recover as in
    // crash recovery, from the earlier start.
    Result<log::CheckpointData> checkpoint =
        log::read_checkpoint(file_system_, settings_.checkpoint_path);
    if (checkpoint.ok() && checkpoint->log_signature == plan.logs.signature) {
      for (const log::AttachedDatabase& attached : checkpoint->attached) {
        ESENT_RETURN_IF_ERROR(open_database(attached.dbid, attached.path, 0, false, 0));
      }
    }
  }
  for (const RestoredDatabase& restored : plan.databases) {
    Status opened = open_database(restored.dbid, restored.logged_path, 0, false, 0);
    if (!opened.ok()) {
      (void)close_all();
      return opened;
    }
  }
  return replay(plan.logs, plan.start);
}

Result<std::unique_ptr<log::LogWriter>> Recovery::replay(log::LogSet set, log::Lgpos start) {
  const log::LogConfig& config = settings_.config;
  statistics_.first_generation = set.files.front().generation;
  statistics_.last_generation = set.files.back().generation;
  Result<std::unique_ptr<log::LogReader>> reader = log::LogReader::open(file_system_, std::move(set), start);
  if (!reader.ok()) return reader.status();
  std::uint32_t generation = 0;
  for (;;) {
    Result<std::optional<log::Record>> next = (*reader)->next();
    if (!next.ok()) {
      (void)close_all();
      return next.status();
    }
    if (!next->has_value()) break;
    const log::Record& record = **next;
    replay_position_ = record.start;
    ++statistics_.records;
    statistics_.log_bytes += record.payload.size();
    if (record.start.generation != generation) {
      generation = record.start.generation;
      if (options_.progress) {
        Status reported = options_.progress(generation, statistics_.first_generation,
                                            statistics_.last_generation);
        if (!reported.ok()) {
          (void)close_all();
          return reported;
        }
      }
    }
    const auto type = static_cast<RecordType>(record.type);
    Status status;
    switch (type) {
      case RecordType::kPageOps: {
        Result<PageOpsRecord> ops = decode_page_ops(record.payload);
        status = ops.ok() ? redo(ops->dbid, ops->group) : ops.status();
        break;
      }
      case RecordType::kCreateDatabase:
      case RecordType::kAttachDatabase: {
        Result<DatabaseRecord> database = decode_database(type, record.payload);
        status = database.ok() ? open_database(database->dbid, database->path,
                                               database->page_size,
                                               type == RecordType::kCreateDatabase,
                                               database->max_pages)
                               : database.status();
        break;
      }
      case RecordType::kDetachDatabase: {
        Result<DatabaseRecord> database = decode_database(type, record.payload);
        if (!database.ok()) {
          status = database.status();
          break;
        }
        ignored_.erase(database->dbid);
        auto it = databases_.find(database->dbid);
        if (it != databases_.end()) {
          // Detached cleanly then: everything of it is redone by now.
          status = it->second.database->finish_recovery();
          if (status.ok() && is_restored(options_, it->second.path)) {
            status = it->second.database->file().update_header(clear_backup_marks);
          }
          if (status.ok()) status = close_consistent(it->second, record.start);
          databases_.erase(it);
        }
        break;
      }
      default:
        status = track(type, record.payload);
        break;
    }
    if (!status.ok()) {
      (void)close_all();
      return status;
    }
  }
  for (auto& [dbid, recovered] : databases_) {
    Status finished = recovered.database->finish_recovery();
    if (finished.ok()) recovered.database->file().raise_dbtime(recovered.max_dbtime);
    if (finished.ok() && is_restored(options_, recovered.path)) {
      finished = recovered.database->file().update_header(clear_backup_marks);
    }
    if (!finished.ok()) {
      abandon_all();
      return finished;
    }
  }
  Result<std::unique_ptr<log::LogWriter>> writer =
      log::LogWriter::resume(file_system_, config, (*reader)->end());
  if (!writer.ok()) {
    abandon_all();
    return writer.status();
  }
  Result<log::Appended> init =
      (*writer)->append(static_cast<std::uint8_t>(RecordType::kInit), {}, true);
  if (!init.ok()) {
    abandon_all();
    return init.status();
  }
  OpenTransactions open;
  // The cache writes pages only after the log is durable through their groups.
  log::LogWriter* raw = writer->get();
  cache_.set_write_ahead_hook([raw](std::uint64_t position) -> Status {
    if (position == 0) return Status::success();
    return raw->flush_to(log::Lgpos::unpack(position));
  });
  Status undone = undo(**writer, open);
  cache_.set_write_ahead_hook({});
  if (!undone.ok()) {
    abandon_all();
    return undone;
  }
  ESENT_RETURN_IF_ERROR(write_checkpoint(**writer));
  if (options_.truncate_logs) {
    ESENT_RETURN_IF_ERROR((*writer)->remove_generations_below((*writer)->current_generation()));
  }
  return writer;
}

Status Recovery::write_checkpoint(log::LogWriter& writer) {
  log::CheckpointData data;
  data.log_signature = writer.signature();
  data.checkpoint = writer.end();
  data.last_generation_at_write = writer.current_generation();
  data.full_backup = marks_.full_backup;
  data.incremental_backup = marks_.incremental_backup;
  data.differential_backup = marks_.differential_backup;
  data.copy_backup = marks_.copy_backup;
  ESENT_RETURN_IF_ERROR(log::write_checkpoint(file_system_, settings_.checkpoint_path, data));
  writer.set_checkpoint(data.checkpoint);
  return Status::success();
}

}  // namespace

Result<std::unique_ptr<log::LogWriter>> recover(io::FileSystem& file_system,
                                                cache::BufferCache& cache,
                                                const LogSettings& settings,
                                                const RecoveryOptions& options,
                                                RecoveryStatistics* statistics) {
  RecoveryStatistics local;
  Recovery recovery(file_system, cache, settings, options,
                    statistics != nullptr ? *statistics : local);
  return recovery.run();
}

}  // namespace esent::engine
