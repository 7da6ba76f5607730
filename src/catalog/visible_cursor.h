// VisibleCursor: a B+tree cursor over one of a table's trees that lands only on entries a view
// sees (docs/transactions.md). On the primary tree value() is the record image the view sees,
// which may be an older image than the tree holds; on a secondary index tree value() is the
// primary key. Every move skips, in its direction, the entries the view does not see; a seek for
// an exact key that lands on an invisible entry finds nothing.
//
// Thread-safety: as btree::Cursor; the caller holds the table's latch (shared at least) for
// every call, and sets the view before the moves it governs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "btree/tree.h"
#include "txn/transaction.h"
#include "util/status.h"

namespace esent::catalog {

class Table;

class VisibleCursor {
 public:
  // `index_position`: the secondary index the tree belongs to, or nullopt for the primary tree.
  VisibleCursor(Table& table, btree::Tree& tree, std::optional<std::size_t> index_position)
      : table_(table), position_(tree), index_position_(index_position) {}

  void set_view(const txn::View& view) { view_ = view; }
  const txn::View& view() const { return view_; }
  // The view under which the cursor last landed (value() was computed under it).
  const txn::View& landed_view() const { return landed_view_; }

  Result<bool> seek(std::string_view key, btree::SeekOp op);
  Result<bool> first();
  Result<bool> last();
  Result<bool> next();
  Result<bool> previous();

  bool positioned() const { return position_.positioned(); }
  btree::Cursor::State state() const { return position_.state(); }
  const std::string& key() const { return position_.key(); }
  const std::string& value() const {
    return index_position_ || !own_image_ ? position_.value() : image_;
  }

 private:
  // Moves on from the landing `found` in one direction until a visible entry (or none).
  Result<bool> settle(Result<bool> found, bool forward);
  Result<bool> visible_here();

  Table& table_;
  btree::Cursor position_;
  std::optional<std::size_t> index_position_;
  txn::View view_{nullptr, ~txn::Timestamp{0}};
  txn::View landed_view_{nullptr, ~txn::Timestamp{0}};
  std::string image_;       // the visible image, when it is not the tree's
  bool own_image_ = false;
};

}  // namespace esent::catalog
