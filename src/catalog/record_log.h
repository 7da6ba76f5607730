// RecordLog: how the catalog tells the write-ahead log what a transaction is about to change,
// so that crash recovery can take back the changes of a transaction that never committed.
//
// Contract: changing() is called before the first page of the change is touched (the log
// record precedes every page-op group of the change in the log); undoing() after a version of
// `txn` was taken back by a rollback, once every page of the undo is changed, still under the
// table's latch (so recovery forgets only undos that are in the log, and no other change of
// the record can be logged before it). Lock versions change no record and are never
// reported. An error refuses the change (nothing
// has been changed yet) or fails the rollback.
//
// Thread-safety: called by many sessions at once, each under its table's latch.
#pragma once

#include <cstdint>
#include <string_view>

#include "txn/transaction.h"
#include "txn/versions.h"
#include "util/status.h"

namespace esent::catalog {

class RecordLog {
 public:
  virtual ~RecordLog() = default;
  // `before` is the record as it was (empty for an insert, and for an insert over a
  // flag-deleted entry).
  virtual Status changing(txn::Transaction& txn, std::uint32_t table_object_id,
                          std::string_view primary_key, txn::Version::Kind kind,
                          std::string_view before) = 0;
  virtual Status undoing(txn::Transaction& txn, std::uint32_t table_object_id,
                         std::string_view primary_key) = 0;
  // Before `txn` creates table `name`: every object id the creation takes is at least
  // `first_object_id`, so recovery can tell this table from an older one of the same name.
  virtual Status creating_table(txn::Transaction& txn, std::string_view name,
                                std::uint32_t first_object_id) = 0;
};

}  // namespace esent::catalog
