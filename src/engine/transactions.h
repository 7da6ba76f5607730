// Record changes made through a session, and the transaction calls that keep or undo them
// (docs/transactions.md).
//
// Every change goes through the session's current transaction (Session::run_change opens an
// implicit one at level 0): the table records a version and journals it in the transaction, so
// a rollback takes the change back and a commit hands it to cleanup. Long values an old image
// referenced stay until cleanup drops that image.
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
// JetPrepareUpdate: in a read-only transaction only JET_prepCancel is allowed (kTransReadOnly).
Status prepare_update(Session& session, TableCursor& table, std::uint32_t prep);

// JetCreateTable*: inside a transaction, rolling it back deletes the table again (the table's
// cursors must be closed by then, or the rollback reports kRollbackError).
Status record_table_created(Session& session, std::shared_ptr<catalog::Table> table);

// Schema changes inside a transaction, taken back by a rollback: JetAddColumn (the column is
// deleted again), JetCreateIndex (the index is deleted), JetDeleteIndex (the index is built again
// from its definition). Outside a transaction they are final.
Status record_column_added(Session& session, std::shared_ptr<catalog::Table> table, std::string name);
Status record_index_created(Session& session, std::shared_ptr<catalog::Table> table, std::string name);
Status record_index_deleted(Session& session, std::shared_ptr<catalog::Table> table,
                            catalog::IndexDef index);

Status record_column_deleted(Session& session, std::shared_ptr<catalog::Table> table,
                             std::uint32_t column_id);
// JetDeleteTable: at level 0 the table goes at once; inside a transaction it leaves the catalog
// at once and its pages are freed when the transaction commits (a rollback puts it back).
Status delete_table(Session& session, catalog::Database& database, std::string_view name);

// JetCommitTransaction / JetRollback (all levels with `all`).
Status commit_transaction(Session& session, bool lazy = false);
// Before a table is created: inside a transaction with a log, tells the log so that recovery
// can delete the table if the transaction never commits.
Status note_table_creation(Session& session, catalog::Database& database, std::string_view name);
// JET_bitWaitLastLevel0Commit / JET_bitWaitAllLevel0Commit: every commit made so far (lazy
// ones included) is durable on return. Nothing to wait for with recovery off.
Status wait_for_commits(Session& session);
// JET_bitForceNewLog: the log moves to a new generation (nothing to do with recovery off).
Status force_new_log(Session& session);
Status rollback_transaction(Session& session, bool all);
// Undoes everything still open (when a session ends or its instance terminates).
Status rollback_all(Session& session);

}  // namespace esent::engine
