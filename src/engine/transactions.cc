#include "engine/transactions.h"

#include <utility>

#include "catalog/cursor_flags.h"

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

}  // namespace

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

Status commit_transaction(Session& session) { return session.commit_transaction(); }

Status rollback_transaction(Session& session, bool all) { return session.rollback(all); }

Status rollback_all(Session& session) {
  if (session.transaction_level() == 0) return Status::success();
  return session.rollback(true);
}

}  // namespace esent::engine
