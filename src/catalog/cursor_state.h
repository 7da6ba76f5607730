// The private state of a Cursor (catalog/cursor.h), shared by cursor.cc (navigation, keys,
// ranges, bookmarks) and cursor_update.cc (the copy buffer and column values).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "btree/tree.h"
#include "catalog/cursor.h"
#include "catalog/key.h"
#include "catalog/record.h"
#include "catalog/visible_cursor.h"

namespace esent::catalog {

struct Cursor::Impl {
  // The current index: its position in schema->indexes, or nullopt for the clustered index of a
  // table without a primary index (ESE's sequential index).
  std::optional<std::size_t> index;
  // Whether the current index's entries are the primary tree's (the primary index, or the
  // sequential index); otherwise they are a secondary index tree's.
  bool on_primary_tree = true;
  std::unique_ptr<btree::Tree> tree;
  std::unique_ptr<VisibleCursor> position;

  // Where the cursor is relative to its index range: inside (kNone), or moved past one of its
  // ends (no current record; the btree cursor stays on the first entry outside).
  enum class Edge { kNone, kBeforeRange, kAfterRange };
  Edge edge = Edge::kNone;
  // The cursor's record was deleted through it (JetDelete); it keeps its place.
  bool deleted = false;
  // A new cursor (JetOpenTable, JetCreateTable, JetDupCursor) is "virtually" on the first
  // record, as in ESE: the first call that needs a current record lands there, and
  // JET_MoveNext moves to it rather than past it. Records inserted meanwhile count.
  bool virtual_first = false;

  // JetMakeKey's buffer, for the current index.
  std::optional<KeyBuilder> key;

  struct Range {
    std::string limit;
    bool upper = true;
    bool inclusive = true;
  };
  std::optional<Range> range;

  // The table version (Table::version) when the B+tree cursor last landed on an entry: while the
  // table still has it, the entry's value the cursor holds is current.
  std::uint64_t landed_version = ~std::uint64_t{0};
  // The current record, decoded, for the primary key and table version it was read at.
  std::optional<Record> record;
  std::string record_key;
  std::uint64_t record_version = ~std::uint64_t{0};
  txn::View record_view;

  // The copy buffer.
  std::optional<Record> copy;
  std::uint32_t prepared = 0;
  std::string replace_key;  // the primary key of the record being replaced
  std::string before;       // its bytes when the update was prepared
  std::shared_ptr<txn::Transaction> before_hidden;  // Table::ReplaceBase::hidden
  // Long values written for this update and not yet referenced by a stored record.
  std::vector<std::uint64_t> fresh_long_values;
};

}  // namespace esent::catalog
