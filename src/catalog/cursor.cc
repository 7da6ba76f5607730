// Cursor navigation: indexes, moves, keys, seeks, index ranges and bookmarks.
//
// Index keys: an entry of the primary tree has the record's primary key as its key; an entry of
// a secondary index tree has (index key + primary key) as its key and the primary key as its
// value, so its index key is the key's first (key size - value size) bytes. Comparisons with a
// search key treat an index key that starts with the search key as equal to it (a key made on
// fewer columns than the index, or truncated, matches every entry it is a prefix of).
#include "catalog/cursor.h"

#include <mutex>
#include <shared_mutex>

#include "catalog/cursor_flags.h"
#include "catalog/cursor_state.h"

namespace esent::catalog {

namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && text.compare(0, prefix.size(), prefix) == 0;
}

// The smallest string greater than every string that starts with `prefix`; nullopt when there
// is none (the prefix is all 0xFF bytes).
std::optional<std::string> prefix_successor(std::string prefix) {
  while (!prefix.empty()) {
    unsigned char last = static_cast<unsigned char>(prefix.back());
    if (last != 0xFF) {
      prefix.back() = static_cast<char>(last + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  return std::nullopt;
}

}  // namespace

Cursor::Cursor(std::shared_ptr<Table> table, bool exclusive, bool read_only, std::uint64_t owner,
               std::shared_ptr<txn::Context> context)
    : table_(std::move(table)),
      schema_(table_->schema()),
      exclusive_(exclusive),
      read_only_(read_only),
      owner_(owner),
      context_(std::move(context)),
      impl_(std::make_unique<Impl>()) {}

txn::View Cursor::begin_read() const {
  txn::View view = context_ ? context_->view() : txn::View{nullptr, ~txn::Timestamp{0}};
  if (impl_->position) impl_->position->set_view(view);
  return view;
}

std::shared_ptr<txn::Transaction> Cursor::writer() const {
  return context_ ? context_->current() : nullptr;
}

Cursor::~Cursor() {
  if (impl_ && !impl_->fresh_long_values.empty()) {
    std::unique_lock lock(table_->latch());
    for (std::uint64_t id : impl_->fresh_long_values) (void)table_->delete_long_value(id);
  }
  table_->release(exclusive_, owner_);
}

Result<std::unique_ptr<Cursor>> Cursor::open(std::shared_ptr<Table> table, bool exclusive,
                                             bool read_only, std::uint64_t owner,
                                             std::shared_ptr<txn::Context> context) {
  ESENT_RETURN_IF_ERROR(table->acquire(exclusive, owner));
  std::unique_ptr<Cursor> cursor(
      new Cursor(std::move(table), exclusive, read_only, owner, std::move(context)));
  // A new cursor is on the clustered index, virtually on its first record.
  ESENT_RETURN_IF_ERROR(cursor->set_current_index("", false));
  cursor->impl_->virtual_first = true;
  return cursor;
}

Result<std::unique_ptr<Cursor>> Cursor::duplicate() {
  ESENT_RETURN_IF_ERROR(table_->acquire(false, owner_));
  std::unique_ptr<Cursor> copy(new Cursor(table_, false, read_only_, owner_, context_));
  ESENT_RETURN_IF_ERROR(copy->set_current_index(current_index_name(), false));
  copy->impl_->virtual_first = true;
  return copy;
}

// --- the current entry -------------------------------------------------------------------------

namespace {

std::string entry_index_key(const Cursor::Impl& impl) {
  const std::string& key = impl.position->key();
  if (impl.on_primary_tree) return key;
  return key.substr(0, key.size() - impl.position->value().size());
}

std::string entry_primary_key(const Cursor::Impl& impl) {
  return impl.on_primary_tree ? impl.position->key() : impl.position->value();
}

// Resolves a new cursor's virtual position: lands on the first entry, if any.
Status land_virtual_first(Cursor::Impl& impl, std::uint64_t version) {
  if (!impl.virtual_first) return Status::success();
  impl.virtual_first = false;
  Result<bool> found = impl.position->first();
  impl.landed_version = version;
  return found.ok() ? Status::success() : found.status();
}

bool on_entry(const Cursor::Impl& impl) {
  return impl.position->positioned() && impl.edge == Cursor::Impl::Edge::kNone && !impl.deleted;
}

// Whether `index_key` lies inside the range, on the side the range limits.
bool inside(const Cursor::Impl::Range& range, const std::string& index_key) {
  const bool equal = starts_with(index_key, range.limit);
  if (range.upper) return range.inclusive ? (equal || index_key < range.limit) : (!equal && index_key < range.limit);
  return range.inclusive ? (equal || index_key > range.limit) : (!equal && index_key > range.limit);
}

}  // namespace

const IndexDef* Cursor::current_index() const {
  return impl_->index ? &schema_->indexes[*impl_->index] : nullptr;
}

std::string Cursor::current_index_name() const {
  const IndexDef* index = current_index();
  return index ? index->name : std::string();
}

Status Cursor::set_current_index(std::string_view name, bool move_first) {
  std::shared_ptr<const TableSchema> latest = table_->schema();
  std::optional<std::size_t> index;
  if (name.empty()) {
    if (const IndexDef* primary = latest->primary_index()) index = latest->index_position(primary->name);
  } else {
    index = latest->index_position(name);
    if (!index) return Status(Error::kIndexNotFound, std::string(name));
  }
  if (impl_->position && schema_ == latest && index == impl_->index) return Status::success();

  // With JET_bitNoMove the cursor stays on its record: remember it before switching.
  std::optional<std::string> keep;
  if (!move_first && impl_->position) {
    std::shared_lock lock(table_->latch());
    begin_read();
    ESENT_RETURN_IF_ERROR(land_virtual_first(*impl_, table_->version()));
    if (on_entry(*impl_)) keep = entry_primary_key(*impl_);
  }
  impl_->virtual_first = false;
  schema_ = latest;
  impl_->index = index;
  impl_->on_primary_tree = !index || (schema_->indexes[*index].flags & index_flags::kPrimary) != 0;
  impl_->position.reset();
  if (impl_->on_primary_tree) {
    impl_->tree = std::make_unique<btree::Tree>(table_->primary_tree());
  } else {
    impl_->tree = std::make_unique<btree::Tree>(table_->index_tree(*index));
  }
  impl_->position = std::make_unique<VisibleCursor>(
      *table_, *impl_->tree, impl_->on_primary_tree ? std::nullopt : index);
  impl_->key.reset();
  impl_->range.reset();
  impl_->edge = Impl::Edge::kNone;
  impl_->deleted = false;
  if (keep) return goto_bookmark(*keep);
  if (move_first) {
    Status moved = move_first_entry();
    if (!moved.ok() && moved.error() == Error::kNoCurrentRecord) return Status::success();
    return moved;
  }
  return Status::success();
}

// --- moves -------------------------------------------------------------------------------------

Status Cursor::move_first_entry() {
  std::shared_lock lock(table_->latch());
  begin_read();
  impl_->virtual_first = false;
  impl_->edge = Impl::Edge::kNone;
  impl_->deleted = false;
  Result<bool> found = impl_->position->first();
  impl_->landed_version = table_->version();
  if (!found.ok()) return found.status();
  return found.value() ? Status::success() : Status(Error::kNoCurrentRecord);
}

Status Cursor::move_first() {
  impl_->range.reset();
  return move_first_entry();
}

Status Cursor::move_last() {
  impl_->range.reset();
  std::shared_lock lock(table_->latch());
  begin_read();
  impl_->virtual_first = false;
  impl_->edge = Impl::Edge::kNone;
  impl_->deleted = false;
  Result<bool> found = impl_->position->last();
  impl_->landed_version = table_->version();
  if (!found.ok()) return found.status();
  return found.value() ? Status::success() : Status(Error::kNoCurrentRecord);
}

Status Cursor::move(std::int64_t rows) {
  std::shared_lock lock(table_->latch());
  begin_read();
  if (impl_->virtual_first) {
    // The virtual first record counts as the first step forward; backward there is nothing.
    ESENT_RETURN_IF_ERROR(land_virtual_first(*impl_, table_->version()));
    if (!impl_->position->positioned()) return Error::kNoCurrentRecord;
    if (rows > 0) --rows;
    else if (rows < 0) {
      (void)impl_->position->previous();
      return Error::kNoCurrentRecord;
    }
  }
  if (rows == 0) {
    if (impl_->deleted) return Error::kRecordDeleted;
    return on_entry(*impl_) ? Status::success() : Status(Error::kNoCurrentRecord);
  }
  const bool forward = rows > 0;
  std::uint64_t steps = forward ? static_cast<std::uint64_t>(rows) : static_cast<std::uint64_t>(-(rows + 1)) + 1;
  for (; steps > 0; --steps) {
    if (forward && impl_->edge == Impl::Edge::kAfterRange) return Error::kNoCurrentRecord;
    if (!forward && impl_->edge == Impl::Edge::kBeforeRange) return Error::kNoCurrentRecord;
    Result<bool> found = forward ? impl_->position->next() : impl_->position->previous();
    impl_->landed_version = table_->version();
    if (!found.ok()) return found.status();
    impl_->edge = Impl::Edge::kNone;
    impl_->deleted = false;
    if (!found.value()) return Error::kNoCurrentRecord;
    if (impl_->range && !inside(*impl_->range, entry_index_key(*impl_))) {
      // A range limits one direction; moving the other way past the start is allowed.
      if (impl_->range->upper == forward) {
        impl_->edge = forward ? Impl::Edge::kAfterRange : Impl::Edge::kBeforeRange;
        return Error::kNoCurrentRecord;
      }
    }
  }
  return Status::success();
}

// --- keys and seeks ------------------------------------------------------------------------------

Status Cursor::make_key(std::optional<std::span<const std::byte>> data, std::uint32_t grbit) {
  if (!impl_->index) return Error::kNoCurrentIndex;
  if ((grbit & make_key_flags::kNewKey) != 0 || !impl_->key) {
    if ((grbit & make_key_flags::kNewKey) == 0 && !impl_->key) return Error::kKeyNotMade;
    impl_->key.emplace(schema_->indexes[*impl_->index], schema_->columns);
  }
  std::string_view bytes;
  if (data) bytes = std::string_view(reinterpret_cast<const char*>(data->data()), data->size());
  return impl_->key->append(bytes, grbit);
}

Result<std::string> Cursor::retrieve_key(bool from_key_buffer) const {
  if (from_key_buffer) {
    if (!impl_->key || impl_->key->segment_count() == 0) return Error::kKeyNotMade;
    return impl_->key->key();
  }
  std::shared_lock lock(table_->latch());
  begin_read();
  ESENT_RETURN_IF_ERROR(land_virtual_first(*impl_, table_->version()));
  if (impl_->deleted) return Error::kRecordDeleted;
  if (!on_entry(*impl_)) return Error::kNoCurrentRecord;
  return entry_index_key(*impl_);
}

Status Cursor::seek(std::uint32_t grbit) {
  if (!impl_->key || impl_->key->segment_count() == 0) return Error::kKeyNotMade;
  // A seek uses up the key: the next seek needs a new JetMakeKey.
  const std::string search = impl_->key->key();
  impl_->key.reset();
  const std::uint32_t op = grbit & (seek_flags::kEqual | seek_flags::kLess | seek_flags::kLessOrEqual |
                                    seek_flags::kGreaterOrEqual | seek_flags::kGreater);
  impl_->range.reset();
  std::shared_lock lock(table_->latch());
  begin_read();
  impl_->virtual_first = false;
  impl_->edge = Impl::Edge::kNone;
  impl_->deleted = false;
  VisibleCursor& position = *impl_->position;
  Result<bool> found = false;
  switch (op) {
    case seek_flags::kEqual:
    case seek_flags::kGreaterOrEqual:
      found = position.seek(search, btree::SeekOp::kGreaterOrEqual);
      break;
    case seek_flags::kGreater: {
      std::optional<std::string> after = prefix_successor(search);
      found = after ? position.seek(*after, btree::SeekOp::kGreaterOrEqual) : Result<bool>(false);
      break;
    }
    case seek_flags::kLess:
      found = position.seek(search, btree::SeekOp::kLess);
      break;
    case seek_flags::kLessOrEqual: {
      std::optional<std::string> after = prefix_successor(search);
      found = after ? position.seek(*after, btree::SeekOp::kLess) : position.last();
      break;
    }
    default:
      return Error::kInvalidGrbit;
  }
  impl_->landed_version = table_->version();
  if (!found.ok()) return found.status();
  if (!found.value()) return Error::kRecordNotFound;
  const bool equal = starts_with(entry_index_key(*impl_), search);
  if (op == seek_flags::kEqual) {
    if (!equal) {
      (void)position.first();
      (void)position.previous();  // before the first entry: no current record
      return Error::kRecordNotFound;
    }
    if ((grbit & seek_flags::kSetIndexRange) != 0) {
      impl_->range = Impl::Range{search, true, true};
    }
    return Status::success();
  }
  // Only an inexact GE or LE warns; GT and LT never land on an equal key.
  if (op == seek_flags::kGreater || op == seek_flags::kLess) return Status::success();
  return equal ? Status::success() : Status(Error::kWarnSeekNotEqual);
}

Status Cursor::set_index_range(std::uint32_t grbit) {
  if ((grbit & range_flags::kRemove) != 0) {
    if (!impl_->range) return Error::kInvalidOperation;
    impl_->range.reset();
    impl_->edge = Impl::Edge::kNone;
    return Status::success();
  }
  if (!impl_->key || impl_->key->segment_count() == 0) return Error::kKeyNotMade;
  Impl::Range range{impl_->key->key(), (grbit & range_flags::kUpperLimit) != 0,
                    (grbit & range_flags::kInclusive) != 0};
  impl_->key.reset();
  std::shared_lock lock(table_->latch());
  begin_read();
  ESENT_RETURN_IF_ERROR(land_virtual_first(*impl_, table_->version()));
  if (!on_entry(*impl_) || !inside(range, entry_index_key(*impl_))) {
    impl_->range.reset();
    return Error::kNoCurrentRecord;
  }
  if ((grbit & range_flags::kInstantDuration) == 0) impl_->range = std::move(range);
  return Status::success();
}

// --- bookmarks and counts --------------------------------------------------------------------------

Result<std::string> Cursor::bookmark() const {
  std::shared_lock lock(table_->latch());
  begin_read();
  ESENT_RETURN_IF_ERROR(land_virtual_first(*impl_, table_->version()));
  if (impl_->deleted) return Error::kRecordDeleted;
  if (!on_entry(*impl_)) return Error::kNoCurrentRecord;
  return entry_primary_key(*impl_);
}

Status Cursor::goto_bookmark(std::string_view bookmark) {
  std::shared_lock lock(table_->latch());
  begin_read();
  impl_->virtual_first = false;
  impl_->edge = Impl::Edge::kNone;
  impl_->deleted = false;
  if (impl_->on_primary_tree) {
    Result<bool> found = impl_->position->seek(bookmark, btree::SeekOp::kEqual);
    impl_->landed_version = table_->version();
    if (!found.ok()) return found.status();
    return found.value() ? Status::success() : Status(Error::kRecordDeleted);
  }
  Result<std::optional<std::string>> bytes = table_->read(bookmark, impl_->position->view());
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return Error::kRecordDeleted;
  Result<Record> record = Record::decode(schema_->record_schema, **bytes);
  if (!record.ok()) return record.status();
  Result<IndexEntries> keys = index_entries(schema_->indexes[*impl_->index], schema_->columns,
                                            record.value(), table_->long_value_reader());
  if (!keys.ok()) return keys.status();
  if (keys->keys.empty()) return Error::kNoCurrentRecord;
  std::string entry = keys->keys.front();
  entry.append(bookmark);
  Result<bool> found = impl_->position->seek(entry, btree::SeekOp::kEqual);
  impl_->landed_version = table_->version();
  if (!found.ok()) return found.status();
  return found.value() ? Status::success()
                       : Status(Error::kDatabaseCorrupted, "index entry missing for a record");
}

Result<std::uint64_t> Cursor::index_record_count(std::uint64_t limit) {
  std::shared_lock lock(table_->latch());
  begin_read();
  ESENT_RETURN_IF_ERROR(land_virtual_first(*impl_, table_->version()));
  VisibleCursor scan(*table_, *impl_->tree, impl_->on_primary_tree ? std::nullopt : impl_->index);
  scan.set_view(impl_->position->view());
  Result<bool> found = false;
  if (on_entry(*impl_)) {
    found = scan.seek(impl_->position->key(), btree::SeekOp::kEqual);
  } else if (impl_->position->state() == btree::Cursor::State::kBeforeFirst) {
    found = scan.first();
  } else {
    return Error::kNoCurrentRecord;
  }
  std::uint64_t count = 0;
  while (found.ok() && found.value() && (limit == 0 || count < limit)) {
    if (impl_->range) {
      const std::string& key = scan.key();
      std::string index_key = impl_->on_primary_tree ? key : key.substr(0, key.size() - scan.value().size());
      if (impl_->range->upper && !inside(*impl_->range, index_key)) break;
    }
    ++count;
    found = scan.next();
  }
  if (!found.ok()) return found.status();
  return count;
}

Result<std::pair<std::uint64_t, std::uint64_t>> Cursor::record_position() {
  std::shared_lock lock(table_->latch());
  begin_read();
  ESENT_RETURN_IF_ERROR(land_virtual_first(*impl_, table_->version()));
  if (impl_->deleted) return Error::kRecordDeleted;
  if (!on_entry(*impl_)) return Error::kNoCurrentRecord;
  const std::string current = impl_->position->key();
  VisibleCursor scan(*table_, *impl_->tree, impl_->on_primary_tree ? std::nullopt : impl_->index);
  scan.set_view(impl_->position->view());
  std::uint64_t before = 0;
  std::uint64_t total = 0;
  Result<bool> found = scan.first();
  while (found.ok() && found.value()) {
    if (scan.key() < current) ++before;
    ++total;
    found = scan.next();
  }
  if (!found.ok()) return found.status();
  return std::make_pair(before, total);
}

}  // namespace esent::catalog
