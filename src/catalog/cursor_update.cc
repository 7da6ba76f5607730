// Cursor updates: the copy buffer (JetPrepareUpdate), column values (JetSetColumn,
// JetRetrieveColumn) and writing records (JetUpdate, JetDelete).
//
// Long values: a LongText/LongBinary value larger than kIntrinsicLongValueMostBytes (or set with
// JET_bitSetSeparateLV) is written to the table's long-value tree as soon as it is set, and the
// copy buffer holds its reference. Such a "fresh" value is deleted again if the update is
// cancelled or the value is replaced before JetUpdate. Values the stored record referenced are
// never deleted here: the session releases them when the change becomes final
// (Table::release_long_values).
#include <algorithm>
#include <cstring>
#include <mutex>
#include <shared_mutex>

#include "btree/tree.h"
#include "catalog/cursor.h"
#include "catalog/cursor_flags.h"
#include "catalog/database.h"
#include "catalog/cursor_state.h"

namespace esent::catalog {

namespace {

std::string_view as_view(std::span<const std::byte> data) {
  return {reinterpret_cast<const char*>(data.data()), data.size()};
}

bool is_long(const ColumnDef& column) { return is_long_value_type(column.type); }

}  // namespace

bool Cursor::update_prepared() const { return impl_->copy.has_value(); }

Result<const Record*> Cursor::current_record_locked() {
  const txn::View view = begin_read();
  if (impl_->virtual_first) {
    impl_->virtual_first = false;
    Result<bool> found = impl_->position->first();
    if (!found.ok()) return found.status();
    impl_->landed_version = table_->version();
  }
  if (impl_->deleted) return Error::kRecordDeleted;
  if (!impl_->position->positioned() || impl_->edge != Impl::Edge::kNone) {
    return Error::kNoCurrentRecord;
  }
  // The record as decoded before, if nothing changed since (same record, table version, view
  // and schema); else the image the cursor landed on, if the table and view are still those it
  // landed under; else a fresh read of the image this view sees.
  const std::string& key = impl_->on_primary_tree ? impl_->position->key() : impl_->position->value();
  const std::uint64_t version = table_->version();
  std::shared_ptr<const TableSchema> schema = table_->schema();
  if (impl_->record && impl_->record_version == version && impl_->record_key == key &&
      impl_->record_view == view && impl_->record->schema_ptr() == schema->record_schema) {
    return &*impl_->record;
  }
  Result<Record> decoded = Error::kInternalError;
  if (impl_->on_primary_tree && impl_->landed_version == version &&
      impl_->position->landed_view() == view) {
    decoded = Record::decode(schema->record_schema, impl_->position->value());
  } else {
    Result<std::optional<std::string>> bytes = table_->read(key, view);
    if (!bytes.ok()) return bytes.status();
    // Gone for this view since the cursor landed (deleted, or its insert rolled back).
    if (!bytes->has_value()) return Error::kRecordDeleted;
    decoded = Record::decode(schema->record_schema, **bytes);
  }
  if (!decoded.ok()) return decoded.status();
  impl_->record = std::move(decoded).value();
  impl_->record_key = key;
  impl_->record_version = version;
  impl_->record_view = view;
  return &*impl_->record;
}

// JET_bitRetrieveCopy reads the copy buffer when an update is prepared, else the current record
// (caller holds the shared latch).
Result<const Record*> Cursor::record_to_read(std::uint32_t grbit) {
  if ((grbit & retrieve_flags::kCopy) != 0 && impl_->copy) return &*impl_->copy;
  return current_record_locked();
}

Status Cursor::refresh_copy_schema() {
  std::shared_ptr<const TableSchema> latest = table_->schema();
  if (latest == schema_) return Status::success();
  if (impl_->copy) {
    Result<std::string> bytes = impl_->copy->encode();
    if (!bytes.ok()) return bytes.status();
    Result<Record> again = Record::decode(latest->record_schema, bytes.value());
    if (!again.ok()) return again.status();
    impl_->copy = std::move(again).value();
  }
  // Keep the index position (by position in the index list) valid for the new schema.
  if (impl_->index) {
    const std::string name = schema_->indexes[*impl_->index].name;
    impl_->index = latest->index_position(name);
  }
  schema_ = std::move(latest);
  impl_->key.reset();
  return Status::success();
}

Status Cursor::prepare_update(std::uint32_t prep) {
  if (prep == prepare_kind::kCancel) {
    if (!impl_->copy) return Error::kUpdateNotPrepared;
    impl_->copy.reset();
    if (!impl_->fresh_long_values.empty()) {
      std::unique_lock lock(table_->latch());
      for (std::uint64_t id : impl_->fresh_long_values) ESENT_RETURN_IF_ERROR(table_->delete_long_value(id));
      impl_->fresh_long_values.clear();
    }
    return Status::success();
  }
  if (read_only_) return Error::kPermissionDenied;
  if (impl_->copy) return Error::kAlreadyPrepared;
  ESENT_RETURN_IF_ERROR(refresh_copy_schema());
  switch (prep) {
    case prepare_kind::kInsert: {
      Record record(schema_->record_schema);
      for (const ColumnDef& column : schema_->columns) {
        if (column.deleted || (column.flags & column_flags::kAutoincrement) == 0) continue;
        Result<std::uint64_t> next = table_->next_autoincrement(column);
        if (!next.ok()) return next.status();
        std::string bytes(column.type == ColumnType::kLong ? 4 : 8, '\0');
        std::memcpy(bytes.data(), &next.value(), bytes.size());
        ESENT_RETURN_IF_ERROR(record.set(column.column_id, 1, bytes));
      }
      impl_->copy = std::move(record);
      break;
    }
    case prepare_kind::kReplace:
    case prepare_kind::kReplaceNoLock: {
      std::shared_lock lock(table_->latch());
      Result<const Record*> current = current_record_locked();
      if (!current.ok()) return current.status();
      impl_->replace_key = impl_->on_primary_tree ? impl_->position->key() : impl_->position->value();
      // What the replace starts from: JetUpdate refuses it if the record changed since.
      Result<Table::ReplaceBase> base = table_->replace_base(impl_->replace_key, impl_->position->view());
      if (!base.ok()) return base.status();
      if (prep == prepare_kind::kReplace && context_) {
        // Inside a transaction JET_prepReplace reserves the record; outside one it only checks
        // that no other transaction holds it (docs/transactions.md). A change that slipped in
        // before the reservation conflicts there.
        lock.unlock();
        ESENT_RETURN_IF_ERROR(table_->lock(impl_->replace_key, writer()));
      }
      impl_->before = std::move(base->image);
      impl_->before_hidden = std::move(base->hidden);
      impl_->copy = **current;
      break;
    }
    case prepare_kind::kInsertCopy:
    case prepare_kind::kInsertCopyDeleteOriginal: {
      Result<Record> current = [&]() -> Result<Record> {
        std::shared_lock lock(table_->latch());
        Result<const Record*> found = current_record_locked();
        if (!found.ok()) return found.status();
        return **found;
      }();
      if (!current.ok()) return current.status();
      // The copy gets its own long values and new autoincrement values.
      Record record = std::move(current).value();
      std::vector<Record::TaggedValue> separated;
      for (const Record::TaggedValue& value : record.tagged_values()) {
        if (value.separated) separated.push_back(value);
      }
      std::vector<std::pair<Record::TaggedValue, std::string>> contents;
      {
        std::shared_lock lock(table_->latch());
        for (const Record::TaggedValue& value : separated) {
          Result<LongValueRef> ref = decode_long_value_ref(value.bytes);
          if (!ref.ok()) return ref.status();
          std::string data(ref->size_bytes, '\0');
          Result<std::size_t> read = table_->read_long_value(
              ref->long_value_id, 0, std::span<std::byte>(reinterpret_cast<std::byte*>(data.data()), data.size()));
          if (!read.ok()) return read.status();
          contents.emplace_back(value, std::move(data));
        }
      }
      if (prep == prepare_kind::kInsertCopyDeleteOriginal) {
        std::shared_lock lock(table_->latch());
        impl_->replace_key = impl_->on_primary_tree ? impl_->position->key() : impl_->position->value();
        Result<std::optional<std::string>> original = table_->read(impl_->replace_key);
        if (!original.ok()) return original.status();
        if (!original->has_value()) return Error::kRecordDeleted;
        impl_->before = std::move(**original);
      }
      impl_->copy = std::move(record);
      for (auto& [value, data] : contents) {
        Status stored = store_long_value(value.column_id, value.itag_sequence, std::move(data), true);
        if (!stored.ok()) {
          impl_->copy.reset();
          return stored;
        }
      }
      // A plain copy gets new autoincrement values; a move keeps them (it is the same record).
      for (const ColumnDef& column : schema_->columns) {
        if (prep == prepare_kind::kInsertCopyDeleteOriginal) break;
        if (column.deleted || (column.flags & column_flags::kAutoincrement) == 0) continue;
        Result<std::uint64_t> next = table_->next_autoincrement(column);
        if (!next.ok()) return next.status();
        std::string bytes(column.type == ColumnType::kLong ? 4 : 8, '\0');
        std::memcpy(bytes.data(), &next.value(), bytes.size());
        ESENT_RETURN_IF_ERROR(impl_->copy->set(column.column_id, 1, bytes));
      }
      break;
    }
    default:
      return Error::kInvalidParameter;
  }
  impl_->prepared = prep;
  return Status::success();
}

Status Cursor::store_long_value(std::uint32_t column_id, std::uint32_t itag_sequence,
                                std::string value, bool force_separate) {
  // The value this one replaces, if it was written for this update, is no longer needed.
  ColumnValue old = impl_->copy->get(column_id, itag_sequence == 0 ? impl_->copy->count_values(column_id) + 1 : itag_sequence);
  std::optional<std::uint64_t> replaced;
  if (old.state == ValueState::kValue && old.separated) {
    Result<LongValueRef> ref = decode_long_value_ref(old.bytes);
    if (ref.ok()) {
      auto it = std::find(impl_->fresh_long_values.begin(), impl_->fresh_long_values.end(), ref->long_value_id);
      if (it != impl_->fresh_long_values.end()) replaced = ref->long_value_id;
    }
  }
  if (force_separate || value.size() > kIntrinsicLongValueMostBytes) {
    std::unique_lock lock(table_->latch());
    Result<std::uint64_t> id = table_->write_long_value(value);
    if (!id.ok()) return id.status();
    Status set = impl_->copy->set_long_value_ref(
        column_id, itag_sequence, LongValueRef{id.value(), static_cast<std::uint32_t>(value.size())});
    if (!set.ok()) {
      (void)table_->delete_long_value(id.value());
      return set;
    }
    impl_->fresh_long_values.push_back(id.value());
  } else {
    ESENT_RETURN_IF_ERROR(impl_->copy->set(column_id, itag_sequence, value));
  }
  if (replaced) {
    std::unique_lock lock(table_->latch());
    (void)table_->delete_long_value(*replaced);
    std::erase(impl_->fresh_long_values, *replaced);
  }
  return Status::success();
}

Status Cursor::set_column(std::uint32_t column_id, std::optional<std::span<const std::byte>> data,
                          std::uint32_t grbit, std::uint32_t itag_sequence,
                          std::uint32_t long_value_offset) {
  if (!impl_->copy) return Error::kUpdateNotPrepared;
  ESENT_RETURN_IF_ERROR(refresh_copy_schema());
  const ColumnDef* column = schema_->column(column_id);
  if (column == nullptr || column->deleted) return Status(Error::kColumnNotFound, std::to_string(column_id));
  if ((column->flags & column_flags::kAutoincrement) != 0) return Error::kInvalidColumnType;
  if ((grbit & set_flags::kRevertToDefaultValue) != 0) return impl_->copy->remove(column_id);

  if (!is_long(*column)) {
    if (!data) {
      // ESE refuses NULL for a NOT NULL column right away, not only at JetUpdate.
      if ((column->flags & column_flags::kNotNULL) != 0) return Error::kNullInvalid;
      return impl_->copy->set(column_id, itag_sequence, std::nullopt);
    }
    return impl_->copy->set(column_id, itag_sequence, as_view(*data));
  }

  // Long values: build the whole new value, then store it inline or separately.
  const bool append = (grbit & set_flags::kAppendLongValue) != 0;
  const bool overwrite = (grbit & set_flags::kOverwriteLongValue) != 0;
  const bool resize = (grbit & set_flags::kSizeLongValue) != 0;
  if (!data && !resize) {
    if (!impl_->copy) return Error::kUpdateNotPrepared;
    // NULL: remove the value (and a fresh long value it used).
    std::uint32_t itag = itag_sequence == 0 ? 1 : itag_sequence;
    ColumnValue old = impl_->copy->get(column_id, itag);
    // Decode before the set: old.bytes points into the copy, which the set rewrites.
    std::optional<Result<LongValueRef>> old_ref;
    if (old.state == ValueState::kValue && old.separated) old_ref = decode_long_value_ref(old.bytes);
    ESENT_RETURN_IF_ERROR(impl_->copy->set(column_id, itag_sequence, std::nullopt));
    if (old_ref) {
      const Result<LongValueRef>& ref = *old_ref;
      if (ref.ok() && std::find(impl_->fresh_long_values.begin(), impl_->fresh_long_values.end(),
                                ref->long_value_id) != impl_->fresh_long_values.end()) {
        std::unique_lock lock(table_->latch());
        (void)table_->delete_long_value(ref->long_value_id);
        std::erase(impl_->fresh_long_values, ref->long_value_id);
      }
    }
    return Status::success();
  }
  std::string value;
  if ((append || overwrite || resize) && itag_sequence != 0) {
    ColumnValue old = impl_->copy->get(column_id, itag_sequence);
    if (old.state == ValueState::kValue) {
      if (old.separated) {
        Result<LongValueRef> ref = decode_long_value_ref(old.bytes);
        if (!ref.ok()) return ref.status();
        value.assign(ref->size_bytes, '\0');
        std::shared_lock lock(table_->latch());
        Result<std::size_t> read = table_->read_long_value(
            ref->long_value_id, 0, std::span<std::byte>(reinterpret_cast<std::byte*>(value.data()), value.size()));
        if (!read.ok()) return read.status();
      } else {
        value.assign(old.bytes);
      }
    }
  }
  std::string_view bytes = data ? as_view(*data) : std::string_view();
  if (resize) {
    value.resize(data ? data->size() : 0, '\0');
  } else if (append) {
    value.append(bytes);
  } else if (overwrite) {
    if (long_value_offset > value.size()) return Error::kInvalidParameter;
    if (value.size() < long_value_offset + bytes.size()) value.resize(long_value_offset + bytes.size());
    std::memcpy(value.data() + long_value_offset, bytes.data(), bytes.size());
  } else {
    if (long_value_offset != 0) return Error::kInvalidParameter;
    value.assign(bytes);
  }
  if (column->max_size_bytes != 0 && value.size() > column->max_size_bytes) return Error::kColumnTooBig;
  return store_long_value(column_id, itag_sequence, std::move(value),
                          (grbit & set_flags::kSeparateLongValue) != 0);
}

Result<Cursor::Retrieved> Cursor::retrieve_column(std::uint32_t column_id,
                                                  std::span<std::byte> buffer,
                                                  std::uint32_t grbit,
                                                  std::uint32_t itag_sequence,
                                                  std::uint64_t long_value_offset) {
  std::shared_lock lock(table_->latch());
  Result<const Record*> found = record_to_read(grbit);
  if (!found.ok()) return found.status();
  const Record* record = found.value();
  const ColumnDef* column = record->schema().live_column(column_id);
  if (column == nullptr) return Status(Error::kColumnNotFound, std::to_string(column_id));
  const std::uint32_t itag = itag_sequence == 0 ? 1 : itag_sequence;
  ColumnValue value = (grbit & retrieve_flags::kIgnoreDefault) != 0 ? record->get(column_id, itag)
                                                                   : record->get_or_default(column_id, itag);
  Retrieved result;
  if (value.state != ValueState::kValue) {
    result.warning = Error::kWarnColumnNull;
    return result;
  }
  if (value.separated) {
    Result<LongValueRef> ref = decode_long_value_ref(value.bytes);
    if (!ref.ok()) return ref.status();
    std::uint64_t remaining = long_value_offset < ref->size_bytes ? ref->size_bytes - long_value_offset : 0;
    result.actual_bytes = remaining;
    std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(remaining, buffer.size()));
    if (want > 0) {
      Result<std::size_t> read = table_->read_long_value(ref->long_value_id, long_value_offset, buffer.first(want));
      if (!read.ok()) return read.status();
    }
    if (remaining > buffer.size()) result.warning = Error::kWarnBufferTruncated;
    return result;
  }
  std::string_view bytes = value.bytes;
  if (is_long(*column)) bytes = long_value_offset < bytes.size() ? bytes.substr(long_value_offset) : std::string_view();
  result.actual_bytes = bytes.size();
  std::size_t count = std::min(bytes.size(), buffer.size());
  if (count > 0) std::memcpy(buffer.data(), bytes.data(), count);
  if (bytes.size() > buffer.size()) result.warning = Error::kWarnBufferTruncated;
  return result;
}

Result<std::uint32_t> Cursor::count_values(std::uint32_t column_id, std::uint32_t grbit) {
  std::shared_lock lock(table_->latch());
  Result<const Record*> found = record_to_read(grbit);
  if (!found.ok()) return found.status();
  const Record* record = found.value();
  if (record->schema().live_column(column_id) == nullptr) return Error::kColumnNotFound;
  return (grbit & retrieve_flags::kIgnoreDefault) != 0 ? record->count_values(column_id)
                                                       : record->count_values_or_default(column_id);
}

Status Cursor::fit_record(std::string* encoded) {
  const std::size_t most = btree::max_entry_bytes(table_->database().page_size());
  // The primary key travels with the record in the tree entry: its largest possible size
  // first, the exact one only when that matters.
  const IndexDef* primary = schema_->primary_index();
  std::size_t key_bytes = primary == nullptr ? 4 : effective_max_key_bytes(*primary);
  bool exact_key = primary == nullptr;
  for (;;) {
    Status status = impl_->copy->encode_to(encoded);
    if (!status.ok() && status.error() != Error::kRecordTooBig) return status;
    if (status.ok() && encoded->size() + key_bytes <= most) return Status::success();
    if (status.ok() && !exact_key) {
      exact_key = true;
      Result<IndexEntries> keys = index_entries(*primary, schema_->columns, *impl_->copy,
                                                table_->long_value_reader());
      if (keys.ok() && !keys->keys.empty()) key_bytes = keys->keys.front().size();
      if (encoded->size() + key_bytes <= most) return Status::success();
    }
    // Too big: move the largest value still in the record to the long-value tree.
    const Record::TaggedValue* largest = nullptr;
    std::vector<Record::TaggedValue> values = impl_->copy->tagged_values();
    for (const Record::TaggedValue& value : values) {
      const ColumnDef* column = schema_->column(value.column_id);
      if (value.separated || column == nullptr || !is_long(*column)) continue;
      if (largest == nullptr || value.bytes.size() > largest->bytes.size()) largest = &value;
    }
    if (largest == nullptr || largest->bytes.size() <= 12) return Error::kRecordTooBig;
    ESENT_RETURN_IF_ERROR(store_long_value(largest->column_id, largest->itag_sequence,
                                           std::string(largest->bytes), true));
  }
}

Result<Cursor::Change> Cursor::update() {
  if (!impl_->copy) return Error::kUpdateNotPrepared;
  ESENT_RETURN_IF_ERROR(refresh_copy_schema());
  ESENT_RETURN_IF_ERROR(impl_->copy->check_not_null());
  Change change;
  ESENT_RETURN_IF_ERROR(fit_record(&change.after));
  const std::shared_ptr<txn::Transaction> owner = writer();
  if (context_ && !owner) return Status(Error::kInternalError, "a change outside any transaction");
  if (impl_->prepared == prepare_kind::kReplace || impl_->prepared == prepare_kind::kReplaceNoLock) {
    ESENT_RETURN_IF_ERROR(table_->replace(impl_->replace_key, change.after, owner,
                                          Table::ReplaceBase{impl_->before, impl_->before_hidden}));
    change.primary_key = impl_->replace_key;
  } else if (impl_->prepared == prepare_kind::kInsertCopyDeleteOriginal) {
    // Delete first, so that the copy does not collide with the original in unique indexes;
    // if the insert fails, the original comes back.
    ESENT_RETURN_IF_ERROR(table_->erase(impl_->replace_key, owner));
    Result<std::string> key = table_->insert(change.after, owner);
    if (!key.ok()) {
      Status restored = owner ? table_->undo(impl_->replace_key)
                              : table_->insert(impl_->before).status();
      if (!restored.ok()) return Status(Error::kRollbackError, restored.to_string());
      return key.status();
    }
    change.inserted = true;
    change.primary_key = std::move(key).value();
    change.deleted_key = impl_->replace_key;
    impl_->deleted = impl_->position->positioned() &&
                     (impl_->on_primary_tree ? impl_->position->key() : impl_->position->value()) ==
                         *change.deleted_key;
  } else {
    Result<std::string> key = table_->insert(change.after, owner);
    if (!key.ok()) return key.status();
    change.inserted = true;
    change.primary_key = std::move(key).value();
  }
  impl_->copy.reset();
  impl_->fresh_long_values.clear();  // the stored record owns them now
  impl_->before.clear();
  impl_->before_hidden.reset();
  return change;
}

Result<Cursor::Change> Cursor::erase() {
  if (read_only_) return Error::kPermissionDenied;
  if (impl_->copy) return Error::kAlreadyPrepared;
  const std::shared_ptr<txn::Transaction> owner = writer();
  if (context_ && !owner) return Status(Error::kInternalError, "a change outside any transaction");
  std::string primary_key;
  {
    std::shared_lock lock(table_->latch());
    begin_read();
    if (impl_->virtual_first) {
      impl_->virtual_first = false;
      Result<bool> found = impl_->position->first();
      if (!found.ok()) return found.status();
    }
    if (impl_->deleted) return Error::kRecordDeleted;
    if (!impl_->position->positioned() || impl_->edge != Impl::Edge::kNone) return Error::kNoCurrentRecord;
    primary_key = impl_->on_primary_tree ? impl_->position->key() : impl_->position->value();
  }
  ESENT_RETURN_IF_ERROR(table_->erase(primary_key, owner));
  Change change;
  change.primary_key = std::move(primary_key);
  impl_->deleted = true;
  return change;
}

}  // namespace esent::catalog
