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
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "btree/tree.h"
#include "catalog/key.h"
#include "catalog/record.h"
#include "catalog/schema.h"
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

class Table {
 public:
  Table(Database& database, std::shared_ptr<const TableSchema> schema);

  Database& database() { return database_; }
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

  // Records (each takes latch() exclusively). `record` is an encoded record. insert() returns
  // the primary key: kKeyDuplicate (primary or unique secondary), kNullInvalid (NOT NULL column or
  // DisallowNull index), kRecordTooBig. replace() keeps the primary key
  // (kRecordPrimaryChanged otherwise) and updates the secondary indexes whose keys changed.
  Result<std::string> insert(std::string_view record);
  Status replace(std::string_view primary_key, std::string_view record);
  Status erase(std::string_view primary_key);
  // Puts back a record under its old primary key (undo of erase).
  Status restore(std::string_view primary_key, std::string_view record);
  // None of the above deletes long values: a record change is final only when its transaction
  // commits. Then (or when it is rolled back) the caller releases the long values the losing
  // image referenced and the winning image does not.
  Status release_long_values(std::string_view losing_record, std::string_view winning_record);
  // The encoded record with this primary key, or nullopt (caller holds latch()).
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

  Database& database_;
  mutable std::mutex schema_mutex_;
  std::shared_ptr<const TableSchema> schema_;
  std::shared_mutex latch_;
  std::atomic<std::uint64_t> version_{0};

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
