// Record changes made through a session, and the transaction calls that keep or undo them.
//
// Every change to a record goes through here so that the session's undo list sees it:
// update_record (JetUpdate) and delete_record (JetDelete). Until the version store exists
// (single-session semantics), a rollback re-applies the before images, newest first; long values
// a change made unreachable are released only when the change becomes final (commit of level 1,
// or immediately at level 0), so a rollback can always restore them.
#pragma once

#include <memory>
#include <string>

#include "engine/session.h"
#include "util/status.h"

namespace esent::engine {

// JetUpdate: returns the bookmark of the written record.
Result<std::string> update_record(Session& session, TableCursor& table);
// JetDelete.
Status delete_record(Session& session, TableCursor& table);

// JetCreateTable*: inside a transaction, rolling it back deletes the table again (the table's
// cursors must be closed by then, or the rollback reports kRollbackError).
Status record_table_created(Session& session, std::shared_ptr<catalog::Table> table);

// JetCommitTransaction / JetRollback (all levels with `all`).
Status commit_transaction(Session& session);
Status rollback_transaction(Session& session, bool all);
// Undoes everything still open (when a session ends or its instance terminates).
Status rollback_all(Session& session);

}  // namespace esent::engine
