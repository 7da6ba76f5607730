// Table: one table of an attached database — its schema and its B+trees.
//
// Trees: the primary (clustered) tree maps the primary key to the encoded record; when the
// table has no primary index the key is ESE's implicit sequential key (a 4-byte big-endian
// counter, "DBK"). Each secondary index has a tree whose keys are the normalized index key
// followed by the record's primary key (so entries are unique even when index keys are not),
// and whose values are the primary key. Long values live in one long-value tree per table:
// key = long-value id (8 bytes big-endian) + chunk offset (4 bytes big-endian), value = chunk.
//
// Schema changes replace the schema object (copy on write): a cursor keeps the snapshot it was
// given until it asks again, and records written under an older schema still decode.
//
// Thread-safety: `latch()` guards the trees for the length of one operation — shared for reads,
// exclusive for changes. Table methods below take it themselves unless they say otherwise.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "btree/tree.h"
#include "catalog/key.h"
#include "catalog/record.h"
#include "catalog/schema.h"
#include "txn/transaction.h"
#include "txn/versions.h"
#include "util/status.h"

namespace esent::catalog {

class Database;

// What the catalog stores for a table: the definition plus where its trees are.
struct TableSchema {
  std::string name;
  std::uint32_t object_id = 0;
  std::uint32_t initial_pages = 0;
  std::uint32_t density = 80;
  page::Pgno primary_root = page::kNoPage;
  page::Pgno long_value_root = page::kNoPage;
  std::uint32_t long_value_object_id = 0;
  std::vector<ColumnDef> columns;  // deleted ones included (records still hold their bytes)
  std::vector<IndexDef> indexes;
  // Parallel to `indexes`: each secondary index's tree (the primary index has none: its
  // entries are the primary tree's keys).
  std::vector<page::Pgno> index_roots;
  std::vector<std::uint32_t> index_object_ids;
  std::uint32_t next_index_id = 1;
  // The record layout compiled from `columns` (set whenever `columns` changes).
  std::shared_ptr<const RecordSchema> record_schema;

  const ColumnDef* column(std::uint32_t column_id) const;  // live or deleted
  const ColumnDef* column(std::string_view name) const;    // live only, ASCII case-insensitive
  const IndexDef* index(std::string_view name) const;      // ASCII case-insensitive
  const IndexDef* primary_index() const;
  std::optional<std::size_t> index_position(std::string_view name) const;
};

class Table : public txn::Versioned, public std::enable_shared_from_this<Table> {
 public:
  Table(Database& database, std::shared_ptr<const TableSchema> schema);

  Database& database() { return database_; }

  // Crash recovery. recover_version re-creates the version `writer` had made of `primary_key`
  // before the crash (the trees already hold the change, or part of it); rolling `writer` back
  // then takes the change back. While recovering, taking back a change that a crash cut short
  // tolerates what is already undone (a missing index entry, one already present).
  void recover_version(std::string_view primary_key, txn::Version::Kind kind,
                       std::optional<std::string> before,
                       const std::shared_ptr<txn::Transaction>& writer);
  void set_recovering(bool recovering) { recovering_.store(recovering, std::memory_order_release); }
  std::shared_ptr<const TableSchema> schema() const;
  std::string name() const { return schema()->name; }

  std::shared_mutex& latch() { return latch_; }

  // Counts record changes (insert, replace, erase, restore); each is made under the exclusive
  // latch, so a reader holding the shared latch sees it stand still. A cursor uses it to know
  // whether what it read earlier is still current.
  std::uint64_t version() const { return version_.load(std::memory_order_acquire); }

  // The trees (caller holds latch()).
  btree::Tree primary_tree();
  btree::Tree index_tree(std::size_t index_position);
  btree::Tree long_value_tree();

  // Records (each takes latch() exclusively). `record` is an encoded record.
  //
  // With a `writer` the change is versioned (docs/transactions.md): it is refused with
  // kWriteConflict when another transaction changed the record after the writer's snapshot or
  // has not committed its change, a version keeps the image before it, a delete leaves the
  // record in the tree flag-deleted (an empty value), and the index entries and long values of
  // every image some version still holds stay in place until clean() drops the version. Without a
  // writer (temporary tables) the change is made in place and is final.
  //
  // insert() returns the primary key: kKeyDuplicate (primary or unique secondary), kNullInvalid
  // (NOT NULL column or DisallowNull index), kRecordTooBig. replace() keeps the primary key
  // (kRecordPrimaryChanged otherwise). A failed call changes nothing.
  Result<std::string> insert(std::string_view record,
                             const std::shared_ptr<txn::Transaction>& writer = nullptr);
  // What a replace was prepared from (JetPrepareUpdate): the image the view saw and, when the
  // record's newest change was one the view could not see, that change's transaction. Caller
  // holds latch(); kRecordDeleted.
  struct ReplaceBase {
    std::string image;
    std::shared_ptr<txn::Transaction> hidden;
  };
  Result<ReplaceBase> replace_base(std::string_view primary_key, const txn::View& view);
  // `expected`: the base the replace was prepared from; when the record changed since, the
  // replace is a conflict, as ESE's: kSessionWriteConflict when the writer's own transaction
  // changed it (through another cursor), else kWriteConflict.
  Status replace(std::string_view primary_key, std::string_view record,
                 const std::shared_ptr<txn::Transaction>& writer = nullptr,
                 std::optional<ReplaceBase> expected = std::nullopt);
  Status erase(std::string_view primary_key,
               const std::shared_ptr<txn::Transaction>& writer = nullptr);
  // JET_prepReplace inside a transaction: reserves the record for `writer` (kWriteConflict).
  // Without a writer (outside a transaction) nothing is reserved; the record must not be held
  // by another transaction (kWriteConflict).
  Status lock(std::string_view primary_key, const std::shared_ptr<txn::Transaction>& writer);
  // Takes back the newest version of the record (it must be the caller's transaction's): the
  // image before it returns to the tree; what only the undone image needed is released.
  Status undo(std::string_view primary_key) override;
  // Drops the versions of these records that every transaction sees (committed at or before
  // `horizon`; committed locks always), with the flag-deleted records, index entries and long
  // values only they kept. `all` drops every committed version whatever the horizon.
  Status clean(const std::vector<std::string>& primary_keys, txn::Timestamp horizon,
               bool all = false) override;
  // Every record that has versions (for a full clean before a database closes).
  std::vector<std::string> versioned_keys();
  // The table was deleted (or its database closed): undo() and clean() have nothing left to do.
  // A rolled-back JetDeleteTable sets it back. Caller holds latch() exclusively.
  void set_dropped(bool dropped) { dropped_.store(dropped, std::memory_order_release); }

  // Reads (caller holds latch()). The record image `view` sees, or nullopt.
  Result<std::optional<std::string>> read(std::string_view primary_key, const txn::View& view);
  // The same for an entry of the primary tree the caller already holds (`newest` is its value).
  std::optional<std::string_view> visible_image(std::string_view primary_key,
                                                std::string_view newest, const txn::View& view);
  // Whether the secondary index entry (`entry_key` = index key + primary key) is one `view` sees.
  Result<bool> index_entry_visible(std::size_t index_position, std::string_view entry_key,
                                   std::string_view primary_key, const txn::View& view);
  // The newest image, committed or not, ignoring versions: nullopt for none or flag-deleted.
  Result<std::optional<std::string>> read(std::string_view primary_key);

  // Long values (caller holds latch() exclusively for writes, shared for reads). A long value is
  // stored in chunks (catalog/long_value.h); an empty value still has one (empty) chunk.
  Result<std::uint64_t> write_long_value(std::string_view data);
  Status delete_long_value(std::uint64_t id);
  // Reads up to `out.size()` bytes from `offset`; returns the count read.
  Result<std::size_t> read_long_value(std::uint64_t id, std::uint64_t offset,
                                      std::span<std::byte> out);

  // Reads separated long values for key normalization (caller holds latch()).
  LongValueReader long_value_reader();

  // The next autoincrement value (initialised from the largest stored value at first use).
  Result<std::uint64_t> next_autoincrement(const ColumnDef& column);

  // Schema changes (latch() exclusively; the database persists them).
  Status add_column(ColumnDef& column);  // fills column_id
  Status delete_column(std::string_view name);
  // Takes back delete_column (a rolled-back JetDeleteColumn): the records still hold the values.
  Status undelete_column(std::uint32_t column_id);
  Status create_index(IndexDef& index);  // fills index_id; builds it from existing records
  Status delete_index(std::string_view name);

  // Cursor bookkeeping, per owner (a session): an exclusive cursor (JetCreateTable's, or
  // JetOpenTable with JET_bitTableDenyRead) locks the table against other owners' opens
  // (kTableLocked), not against its own owner's, as in ESE; an exclusive open needs no other
  // owner's cursor open. JetDeleteTable needs no open cursor (kTableInUse).
  Status acquire(bool exclusive, std::uint64_t owner);
  void release(bool exclusive, std::uint64_t owner);
  bool in_use() const;

 private:
  friend class Database;
  void set_schema(std::shared_ptr<const TableSchema> schema);

  Result<Record> decode(const TableSchema& s, std::string_view bytes);
  // The stored record with this primary key, decoded; kRecordNotFound when there is none.
  Result<Record> read_stored(const TableSchema& s, btree::Tree& primary, std::string_view primary_key);
  Result<std::string> primary_key_of(const TableSchema& s, const Record& record);
  Result<std::vector<std::string>> secondary_keys(const TableSchema& s, std::size_t position,
                                                  const Record& record);
  Status insert_index_entry(const TableSchema& s, std::size_t position,
                            const std::string& index_key, std::string_view primary_key);
  Status erase_index_entry(std::size_t position, const std::string& index_key,
                           std::string_view primary_key);
  Status insert_locked(const TableSchema& s, const std::string& primary_key,
                       std::string_view bytes, const Record& record);
  Status release_long_values(std::string_view losing_record, std::string_view winning_record);

  // Versioned changes (table_versions.cc; latch held exclusively).
  using EntrySet = std::set<std::pair<std::size_t, std::string>>;
  // Tells the database's RecordLog (if any) that `writer` is about to change `primary_key`.
  Status log_change(txn::Transaction& writer, const TableSchema& s, std::string_view primary_key,
                    txn::Version::Kind kind, std::string_view before);
  struct Footprint {  // what a set of images keeps alive
    EntrySet entries;
    std::set<std::uint64_t> long_values;
  };
  Status add_footprint(const TableSchema& s, std::string_view image, Footprint* out);
  Status add_long_values(const Record& record, Footprint* out);
  // Every image of the record some version may still show: the newest (unless flag-deleted)
  // and the before-images of its chain.
  Result<Footprint> footprint(const TableSchema& s, std::string_view primary_key,
                              const std::optional<std::string>& newest);
  // The footprint once `record` is added as the newest image: its new index entries checked
  // against unique indexes (kKeyDuplicate, kWriteConflict) and its long values.
  Result<Footprint> footprint_with(const TableSchema& s, std::string_view primary_key,
                                   const Footprint& before, const Record& record,
                                   const txn::Transaction& writer);
  Status check_unique(const TableSchema& s, std::size_t position, const std::string& index_key,
                      std::string_view primary_key, const txn::Transaction& writer);
  // Makes the index entries and long values match `after`, coming from `before`.
  Status reconcile(std::string_view primary_key, const Footprint& before, const Footprint& after);
  Status charge(std::uint64_t bytes);
  void refund(std::uint64_t bytes);
  Result<std::string> insert_versioned(std::string_view bytes, const std::shared_ptr<txn::Transaction>& writer);
  Status replace_versioned(std::string_view primary_key, std::string_view bytes,
                           const std::shared_ptr<txn::Transaction>& writer,
                           std::optional<ReplaceBase> expected);
  Status erase_versioned(std::string_view primary_key, const std::shared_ptr<txn::Transaction>& writer);
  Status undo_locked(std::string_view primary_key);
  Status clean_key(const TableSchema& s, const std::string& primary_key, txn::Timestamp horizon, bool all);

  Database& database_;
  std::atomic<bool> recovering_{false};
  mutable std::mutex schema_mutex_;
  std::shared_ptr<const TableSchema> schema_;
  std::shared_mutex latch_;
  std::atomic<std::uint64_t> version_{0};
  txn::VersionMap versions_;  // guarded by latch_
  std::atomic<bool> dropped_{false};

  mutable std::mutex use_mutex_;
  std::map<std::uint64_t, std::size_t> open_cursors_;  // by owner
  std::optional<std::uint64_t> exclusive_owner_;
  std::size_t exclusive_count_ = 0;

  std::uint32_t next_sequential_key_ = 0;
  bool sequential_key_loaded_ = false;
  std::uint64_t next_long_value_id_ = 0;
  std::optional<std::uint64_t> next_autoincrement_;
};

}  // namespace esent::catalog
