#include "catalog/visible_cursor.h"

#include "catalog/table.h"

namespace esent::catalog {

Result<bool> VisibleCursor::visible_here() {
  if (index_position_) {
    return table_.index_entry_visible(*index_position_, position_.key(), position_.value(), view_);
  }
  const std::string& newest = position_.value();
  std::optional<std::string_view> image = table_.visible_image(position_.key(), newest, view_);
  if (!image) return false;
  // Most of the time the view sees the newest image: no copy then.
  own_image_ = image->data() != newest.data();
  if (own_image_) image_.assign(image->data(), image->size());
  return true;
}

Result<bool> VisibleCursor::settle(Result<bool> found, bool forward) {
  landed_view_ = view_;
  while (found.ok() && found.value()) {
    Result<bool> visible = visible_here();
    if (!visible.ok()) return visible.status();
    if (visible.value()) return true;
    found = forward ? position_.next() : position_.previous();
  }
  return found;
}

Result<bool> VisibleCursor::seek(std::string_view key, btree::SeekOp op) {
  Result<bool> found = position_.seek(key, op);
  landed_view_ = view_;
  switch (op) {
    case btree::SeekOp::kEqual: {
      if (!found.ok() || !found.value()) return found;
      Result<bool> visible = visible_here();
      if (!visible.ok() || visible.value()) return visible;
      // Not there for this view: leave the cursor before the first entry, as a failed seek does.
      (void)position_.first();
      (void)position_.previous();
      return false;
    }
    case btree::SeekOp::kLess:
    case btree::SeekOp::kLessOrEqual:
      return settle(std::move(found), false);
    default:
      return settle(std::move(found), true);
  }
}

Result<bool> VisibleCursor::first() { return settle(position_.first(), true); }
Result<bool> VisibleCursor::last() { return settle(position_.last(), false); }
Result<bool> VisibleCursor::next() { return settle(position_.next(), true); }
Result<bool> VisibleCursor::previous() { return settle(position_.previous(), false); }

}  // namespace esent::catalog
