#include "engine/transactions.h"

#include <utility>
#include <vector>

namespace esent::engine {

namespace {

// Makes a change final: releases the long values only the old image referenced.
Status finalize(const UndoEntry& entry) {
  switch (entry.kind) {
    case UndoEntry::Kind::kInserted:
    case UndoEntry::Kind::kCreatedTable:
      return Status::success();
    case UndoEntry::Kind::kReplaced:
    case UndoEntry::Kind::kDeleted:
      return entry.table->release_long_values(entry.before, entry.after);
  }
  return Status::success();
}

// Undoes one change and releases the long values only the undone image referenced.
Status undo(const UndoEntry& entry) {
  catalog::Table& table = *entry.table;
  switch (entry.kind) {
    case UndoEntry::Kind::kInserted:
      ESENT_RETURN_IF_ERROR(table.erase(entry.primary_key));
      return table.release_long_values(entry.after, std::string());
    case UndoEntry::Kind::kReplaced:
      ESENT_RETURN_IF_ERROR(table.replace(entry.primary_key, entry.before));
      return table.release_long_values(entry.after, entry.before);
    case UndoEntry::Kind::kDeleted:
      return table.restore(entry.primary_key, entry.before);
    case UndoEntry::Kind::kCreatedTable:
      return table.database().delete_table(table.name());
  }
  return Status::success();
}

Status undo_all(const std::vector<UndoEntry>& entries) {
  Status first;
  for (const UndoEntry& entry : entries) {
    Status status = undo(entry);
    if (!status.ok() && first.ok()) first = Status(Error::kRollbackError, status.to_string());
  }
  return first;
}

Status keep(Session& session, UndoEntry entry) {
  if (session.transaction_level() == 0) return finalize(entry);
  session.record(std::move(entry));
  return Status::success();
}

}  // namespace

Result<std::string> update_record(Session& session, TableCursor& table) {
  Result<catalog::Cursor::Change> change = table.cursor->update();
  if (!change.ok()) return change.status();
  if (change->deleted_key) {
    // JET_prepInsertCopyDeleteOriginal: the delete came first; undo runs newest first.
    UndoEntry deleted{UndoEntry::Kind::kDeleted, 0, table.cursor->table_ref(), *change->deleted_key,
                      std::move(change->deleted_before), std::string()};
    ESENT_RETURN_IF_ERROR(keep(session, std::move(deleted)));
  }
  UndoEntry entry{change->inserted ? UndoEntry::Kind::kInserted : UndoEntry::Kind::kReplaced, 0,
                  table.cursor->table_ref(), change->primary_key, std::move(change->before),
                  std::move(change->after)};
  std::string bookmark = change->primary_key;
  ESENT_RETURN_IF_ERROR(keep(session, std::move(entry)));
  return bookmark;
}

Status delete_record(Session& session, TableCursor& table) {
  Result<catalog::Cursor::Change> change = table.cursor->erase();
  if (!change.ok()) return change.status();
  UndoEntry entry{UndoEntry::Kind::kDeleted, 0, table.cursor->table_ref(), change->primary_key,
                  std::move(change->before), std::string()};
  return keep(session, std::move(entry));
}

Status record_table_created(Session& session, std::shared_ptr<catalog::Table> table) {
  UndoEntry entry{UndoEntry::Kind::kCreatedTable, 0, std::move(table), std::string(), std::string(),
                  std::string()};
  return keep(session, std::move(entry));
}

Status commit_transaction(Session& session) {
  Result<std::vector<UndoEntry>> final_entries = session.commit_transaction();
  if (!final_entries.ok()) return final_entries.status();
  Status first;
  for (const UndoEntry& entry : final_entries.value()) {
    Status status = finalize(entry);
    if (!status.ok() && first.ok()) first = status;
  }
  return first;
}

Status rollback_transaction(Session& session, bool all) {
  Result<std::vector<UndoEntry>> entries = session.take_rollback(all);
  if (!entries.ok()) return entries.status();
  return undo_all(entries.value());
}

Status rollback_all(Session& session) {
  if (session.transaction_level() == 0) return Status::success();
  return rollback_transaction(session, true);
}

}  // namespace esent::engine
