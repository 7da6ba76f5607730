// Cursor: what a JET_TABLEID is — a position on one index of one table, a key buffer for
// JetMakeKey, an optional index range, and a copy buffer for JetPrepareUpdate/JetUpdate.
//
// Position states (ESE's): before the first entry (a new cursor, after JetSetCurrentIndex with
// no current record, after a failed seek), on an entry, after the last entry, or on a deleted
// entry (JetDelete leaves the cursor where the record was: JetMove(Next/Previous) goes on from
// there, reading columns gives kRecordDeleted... ESE: JET_errNoCurrentRecord).
//
// The copy buffer: JetPrepareUpdate(Insert) starts an empty record (defaults and autoincrement
// filled), InsertCopy/Replace/ReplaceNoLock start from the current record; JetSetColumn changes
// it; JetRetrieveColumn with JET_bitRetrieveCopy reads it; JetUpdate writes it and clears it;
// Cancel (or a move, for a Replace) drops it.
//
// Thread-safety: a Cursor is used by one thread at a time (its session's).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "btree/tree.h"
#include "catalog/table.h"
#include "txn/context.h"
#include "util/status.h"

namespace esent::catalog {

class Cursor {
 public:
  // Opens a cursor on the primary (clustered) index, on its first record (ESE's cursors start
  // there). `owner` identifies the session, for Table::acquire's exclusivity rule.
  // `context`: the session's transactions (docs/transactions.md) — reads see its view and
  // changes belong to its current transaction, which must exist for a change (the engine opens
  // an implicit one at level 0). Without a context (temporary tables) reads see every record
  // and changes are final at once.
  static Result<std::unique_ptr<Cursor>> open(std::shared_ptr<Table> table, bool exclusive,
                                              bool read_only, std::uint64_t owner = 0,
                                              std::shared_ptr<txn::Context> context = nullptr);
  ~Cursor();
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;

  Table& table() { return *table_; }
  std::shared_ptr<Table> table_ref() { return table_; }
  bool read_only() const { return read_only_; }
  std::shared_ptr<const TableSchema> schema() const { return schema_; }

  // JetDupCursor: the same table and index, positioned before the first record.
  Result<std::unique_ptr<Cursor>> duplicate();

  // JetSetCurrentIndex. An empty name selects the primary index (or the clustered sequential
  // one). `move_first` (the default) positions on the first entry; otherwise (JET_bitNoMove)
  // the cursor stays on the current record. Errors: kIndexNotFound.
  Status set_current_index(std::string_view name, bool move_first);
  // The current index's name ("" for a table with no primary index on that index).
  std::string current_index_name() const;
  const IndexDef* current_index() const;

  // JetMove. kNoCurrentRecord when the move leaves the records (or the index range).
  Status move_first();
  Status move_last();
  Status move(std::int64_t rows);  // + forward, - backward; 0 checks there is a record

  // JetMakeKey / JetRetrieveKey. `data` is empty with kKeyDataZeroLength for a zero-length
  // value, or absent for NULL (no data pointer).
  Status make_key(std::optional<std::span<const std::byte>> data, std::uint32_t grbit);
  // The normalized key of the current entry, or with `from_key_buffer` the key made so far
  // (kKeyNotMade when there is none).
  Result<std::string> retrieve_key(bool from_key_buffer) const;

  // JetSeek with JET_bitSeek* grbits (and JET_bitSetIndexRange). Returns kWarnSeekNotEqual for
  // an inexact GE/LE/GT/LT hit; kRecordNotFound when nothing qualifies; kKeyNotMade.
  Status seek(std::uint32_t grbit);
  // JetSetIndexRange with JET_bitRange* grbits. kNoCurrentRecord when the current record is
  // outside the new range; kKeyNotMade.
  Status set_index_range(std::uint32_t grbit);

  // JetGetBookmark / JetGotoBookmark: a bookmark is the record's primary key.
  Result<std::string> bookmark() const;
  Status goto_bookmark(std::string_view bookmark);  // kRecordNotFound... (ESE: kRecordDeleted)

  // JetIndexRecordCount: entries from the current one to the end of the index (or range),
  // at most `limit` (0: no limit).
  Result<std::uint64_t> index_record_count(std::uint64_t limit);
  // JetGetRecordPosition: (entries before the current one, total entries).
  Result<std::pair<std::uint64_t, std::uint64_t>> record_position();

  // Updates.
  Status prepare_update(std::uint32_t prep);  // JET_prep* values
  bool update_prepared() const;
  // JetSetColumn. `data` absent: set NULL. Returns warnings as ESE does.
  Status set_column(std::uint32_t column_id, std::optional<std::span<const std::byte>> data,
                    std::uint32_t grbit, std::uint32_t itag_sequence,
                    std::uint32_t long_value_offset);
  struct Retrieved {
    std::uint64_t actual_bytes = 0;
    Status warning;  // success, kWarnColumnNull or kWarnBufferTruncated
  };
  // JetRetrieveColumn (itag_sequence 0 is treated as 1, as ESE does for JetRetrieveColumn).
  Result<Retrieved> retrieve_column(std::uint32_t column_id, std::span<std::byte> buffer,
                                    std::uint32_t grbit, std::uint32_t itag_sequence,
                                    std::uint64_t long_value_offset);
  // The number of values a column holds in the current (or copy) record.
  Result<std::uint32_t> count_values(std::uint32_t column_id, std::uint32_t grbit);
  // JetUpdate: writes the copy buffer and reports what it wrote (the table journals the change
  // in the writing transaction, which is how it is undone).
  struct Change {
    bool inserted = false;
    std::string primary_key;  // also the bookmark
    std::string after;        // the record after (insert, replace)
    // JET_prepInsertCopyDeleteOriginal also deleted the original record.
    std::optional<std::string> deleted_key;
  };
  Result<Change> update();
  // JetDelete: deletes the current record.
  Result<Change> erase();

  struct Impl;

 private:
  Cursor(std::shared_ptr<Table> table, bool exclusive, bool read_only, std::uint64_t owner,
         std::shared_ptr<txn::Context> context);
  // The view this call reads through; also handed to the position for its moves.
  txn::View begin_read() const;
  std::shared_ptr<txn::Transaction> writer() const;
  Status move_first_entry();
  Result<const Record*> current_record_locked();
  Result<const Record*> record_to_read(std::uint32_t grbit);
  Status store_long_value(std::uint32_t column_id, std::uint32_t itag_sequence,
                          std::string value, bool force_separate);
  Status refresh_copy_schema();
  Status fit_record(std::string* encoded);
  std::shared_ptr<Table> table_;
  std::shared_ptr<const TableSchema> schema_;
  bool exclusive_;
  bool read_only_;
  std::uint64_t owner_;
  std::shared_ptr<txn::Context> context_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace esent::catalog
