#include "engine/transactions.h"

#include <functional>
#include <utility>

#include "catalog/cursor_flags.h"
#include "engine/instance_log.h"

namespace esent::engine {

namespace {

// The journal entry of a table created inside a transaction: undoing it deletes the table.
class CreatedTable : public txn::Versioned {
 public:
  explicit CreatedTable(std::shared_ptr<catalog::Table> table) : table_(std::move(table)) {}
  Status undo(std::string_view) override { return table_->database().delete_table(table_->name()); }
  Status clean(const std::vector<std::string>&, txn::Timestamp, bool) override {
    return Status::success();
  }

 private:
  std::shared_ptr<catalog::Table> table_;
};

// Any other schema change: `undo` takes it back.
class SchemaChange : public txn::Versioned {
 public:
  explicit SchemaChange(std::function<Status()> undo) : undo_(std::move(undo)) {}
  Status undo(std::string_view) override { return undo_(); }
  Status clean(const std::vector<std::string>&, txn::Timestamp, bool) override {
    return Status::success();
  }

 private:
  std::function<Status()> undo_;
};

// A table deleted inside a transaction: undo puts it back; the cleanup after the commit frees
// its pages (unless the database closed first: its pages then stay allocated, unreachable).
class DeletedTable : public txn::Versioned {
 public:
  DeletedTable(catalog::Database& database, std::shared_ptr<catalog::Table> table)
      : database_(database), table_(std::move(table)) {}
  Status undo(std::string_view) override { return database_.relink_table(table_); }
  Status clean(const std::vector<std::string>&, txn::Timestamp, bool) override {
    if (destroyed_ || database_.closed()) return Status::success();
    destroyed_ = true;
    return database_.destroy_trees(*table_->schema());
  }

 private:
  catalog::Database& database_;
  std::shared_ptr<catalog::Table> table_;
  bool destroyed_ = false;
};

}  // namespace

Status record_column_deleted(Session& session, std::shared_ptr<catalog::Table> table,
                             std::uint32_t column_id) {
  session.journal(std::make_shared<SchemaChange>([table, column_id] { return table->undelete_column(column_id); }));
  return Status::success();
}

Status delete_table(Session& session, catalog::Database& database, std::string_view name) {
  if (session.transaction_level() == 0) return database.delete_table(name);
  if (session.read_only_transaction()) return Error::kTransReadOnly;
  Result<std::shared_ptr<catalog::Table>> unlinked = database.unlink_table(name);
  if (!unlinked.ok()) return unlinked.status();
  session.journal(std::make_shared<DeletedTable>(database, std::move(unlinked).value()));
  return Status::success();
}

Status record_column_added(Session& session, std::shared_ptr<catalog::Table> table, std::string name) {
  session.journal(std::make_shared<SchemaChange>([table, name] { return table->delete_column(name); }));
  return Status::success();
}

Status record_index_created(Session& session, std::shared_ptr<catalog::Table> table, std::string name) {
  session.journal(std::make_shared<SchemaChange>([table, name] { return table->delete_index(name); }));
  return Status::success();
}

Status record_index_deleted(Session& session, std::shared_ptr<catalog::Table> table,
                            catalog::IndexDef index) {
  session.journal(std::make_shared<SchemaChange>([table, index]() mutable {
    catalog::IndexDef again = index;
    return table->create_index(again);
  }));
  return Status::success();
}

Result<std::string> update_record(Session& session, TableCursor& table) {
  std::string bookmark;
  Status status = session.run_change([&]() -> Status {
    Result<catalog::Cursor::Change> change = table.cursor->update();
    if (!change.ok()) return change.status();
    bookmark = std::move(change->primary_key);
    return Status::success();
  });
  if (!status.ok()) return status;
  return bookmark;
}

Status delete_record(Session& session, TableCursor& table) {
  return session.run_change([&]() -> Status { return table.cursor->erase().status(); });
}

Status prepare_update(Session& session, TableCursor& table, std::uint32_t prep) {
  if (prep != catalog::prepare_kind::kCancel && session.read_only_transaction()) {
    return Error::kTransReadOnly;
  }
  return table.cursor->prepare_update(prep);
}

Status record_table_created(Session& session, std::shared_ptr<catalog::Table> table) {
  session.journal(std::make_shared<CreatedTable>(std::move(table)));
  return Status::success();
}

Status note_table_creation(Session& session, catalog::Database& database, std::string_view name) {
  if (session.transaction_level() == 0 || database.record_log() == nullptr) return Status::success();
  if (session.read_only_transaction()) return Error::kTransReadOnly;
  std::shared_ptr<txn::Transaction> current = session.context()->current();
  return database.record_log()->creating_table(*current, name,
                                               database.file().header().next_object_id);
}

Status commit_transaction(Session& session, bool lazy) { return session.commit_transaction(lazy); }

Status wait_for_commits(Session& session) {
  return session.log() == nullptr ? Status::success() : session.log()->flush();
}

Status force_new_log(Session& session) {
  return session.log() == nullptr ? Status::success() : session.log()->roll();
}

Status rollback_transaction(Session& session, bool all) { return session.rollback(all); }

Status rollback_all(Session& session) {
  if (session.transaction_level() == 0) return Status::success();
  return session.rollback(true);
}

}  // namespace esent::engine
