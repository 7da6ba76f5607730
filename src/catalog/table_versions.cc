// Versioned record changes: write conflicts, versions, visibility, undo and cleanup
// (docs/transactions.md).
//
// The invariant every function here keeps, under the exclusive latch: for each primary key, the
// secondary index entries in the trees and the long values in the long-value tree are exactly
// those of the record's images — the newest one in the primary tree (unless flag-deleted) and
// the before-image of every version in its chain ("the footprint"). A reader filters by
// visibility; undo and cleanup shrink the footprint and release what falls out of it. A
// flag-deleted entry (empty value) in the primary tree always has a chain: once the chain is
// gone, so is the entry.
#include <algorithm>
#include <iterator>
#include <mutex>
#include <shared_mutex>

#include "catalog/database.h"
#include "catalog/table.h"

namespace esent::catalog {

namespace {

bool is_primary(const IndexDef& index) { return (index.flags & index_flags::kPrimary) != 0; }

template <typename Set>
Set minus(const Set& a, const Set& b) {
  Set out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(out, out.end()));
  return out;
}

}  // namespace

// --- logging ----------------------------------------------------------------------------------------

Status Table::log_change(txn::Transaction& writer, const TableSchema& s, std::string_view primary_key,
                         txn::Version::Kind kind, std::string_view before) {
  RecordLog* log = database_.record_log();
  if (log == nullptr) return Status::success();
  return log->changing(writer, s.object_id, primary_key, kind, before);
}

// --- footprints ----------------------------------------------------------------------------------

Status Table::add_footprint(const TableSchema& s, std::string_view image, Footprint* out) {
  Result<Record> record = decode(s, image);
  if (!record.ok()) return record.status();
  for (std::size_t i = 0; i < s.indexes.size(); ++i) {
    if (is_primary(s.indexes[i])) continue;
    Result<IndexEntries> keys = index_entries(s.indexes[i], s.columns, record.value(), long_value_reader());
    if (!keys.ok()) {
      // An image that was stored passed these checks then; a null key now means no entry.
      if (keys.status().error() == Error::kNullInvalid) continue;
      return keys.status();
    }
    for (std::string& key : keys->keys) out->entries.emplace(i, std::move(key));
  }
  return add_long_values(record.value(), out);
}

Status Table::add_long_values(const Record& record, Footprint* out) {
  for (const Record::TaggedValue& v : record.tagged_values()) {
    if (!v.separated) continue;
    Result<LongValueRef> ref = decode_long_value_ref(v.bytes);
    if (!ref.ok()) return ref.status();
    out->long_values.insert(ref->long_value_id);
  }
  return Status::success();
}

Result<Table::Footprint> Table::footprint(const TableSchema& s, std::string_view primary_key,
                                          const std::optional<std::string>& newest) {
  Footprint out;
  if (newest && !newest->empty()) ESENT_RETURN_IF_ERROR(add_footprint(s, *newest, &out));
  if (const txn::Chain* chain = versions_.find(primary_key)) {
    for (const txn::Version& v : *chain) {
      if (v.before) ESENT_RETURN_IF_ERROR(add_footprint(s, *v.before, &out));
    }
  }
  return out;
}

Status Table::reconcile(std::string_view primary_key, const Footprint& before, const Footprint& after) {
  for (const auto& [position, key] : minus(before.entries, after.entries)) {
    ESENT_RETURN_IF_ERROR(erase_index_entry(position, key, primary_key));
  }
  for (const auto& [position, key] : minus(after.entries, before.entries)) {
    btree::Tree tree = index_tree(position);
    Status inserted = tree.insert(key + std::string(primary_key), primary_key);
    // Recovery takes back changes a crash may have cut short: the entry may be there already.
    if (!inserted.ok() && inserted.error() == Error::kKeyDuplicate &&
        recovering_.load(std::memory_order_acquire)) {
      continue;
    }
    ESENT_RETURN_IF_ERROR(inserted);
  }
  for (std::uint64_t id : minus(before.long_values, after.long_values)) {
    ESENT_RETURN_IF_ERROR(delete_long_value(id));
  }
  return Status::success();
}

// A new entry `index_key` for `primary_key` in a unique index: another record whose newest image
// has the key → kKeyDuplicate; one whose older image has it and that the writer may not change
// (its change is uncommitted or later than the writer's snapshot) → kWriteConflict.
Status Table::check_unique(const TableSchema& s, std::size_t position, const std::string& index_key,
                           std::string_view primary_key, const txn::Transaction& writer) {
  btree::Tree tree = index_tree(position);
  btree::Cursor cursor(tree);
  btree::Tree primary = primary_tree();
  Result<bool> found = cursor.seek(index_key, btree::SeekOp::kGreaterOrEqual);
  while (found.ok() && found.value()) {
    const std::size_t key_part = cursor.key().size() - cursor.value().size();
    if (key_part != index_key.size() || cursor.key().compare(0, key_part, index_key) != 0) break;
    const std::string other = cursor.value();
    if (other != primary_key) {
      Result<std::optional<std::string>> newest = primary.get(other);
      if (!newest.ok()) return newest.status();
      if (newest->has_value() && !(*newest)->empty()) {
        Footprint current;
        ESENT_RETURN_IF_ERROR(add_footprint(s, **newest, &current));
        if (current.entries.count({position, index_key}) != 0) {
          return Status(Error::kKeyDuplicate, "unique index " + s.indexes[position].name);
        }
      }
      if (txn::blocks(versions_.find(other), writer)) return Error::kWriteConflict;
    }
    found = cursor.next();
  }
  return found.ok() ? Status::success() : found.status();
}

Result<Table::Footprint> Table::footprint_with(const TableSchema& s, std::string_view primary_key,
                                               const Footprint& before, const Record& record,
                                               const txn::Transaction& writer) {
  Footprint after = before;
  for (std::size_t i = 0; i < s.indexes.size(); ++i) {
    if (is_primary(s.indexes[i])) continue;
    Result<std::vector<std::string>> keys = secondary_keys(s, i, record);
    if (!keys.ok()) return keys.status();
    for (std::string& k : keys.value()) {
      if (after.entries.count({i, k}) != 0) continue;
      if ((s.indexes[i].flags & index_flags::kUnique) != 0) {
        ESENT_RETURN_IF_ERROR(check_unique(s, i, k, primary_key, writer));
      }
      after.entries.emplace(i, std::move(k));
    }
  }
  ESENT_RETURN_IF_ERROR(add_long_values(record, &after));
  return after;
}

Status Table::charge(std::uint64_t bytes) {
  txn::Manager* manager = database_.transaction_manager();
  return manager ? manager->reserve(bytes) : Status::success();
}

void Table::refund(std::uint64_t bytes) {
  if (txn::Manager* manager = database_.transaction_manager()) manager->release(bytes);
}

// --- changes --------------------------------------------------------------------------------------

Result<std::string> Table::insert_versioned(std::string_view bytes,
                                            const std::shared_ptr<txn::Transaction>& writer) {
  std::unique_lock lock(latch_);
  std::shared_ptr<const TableSchema> schema_ref = schema();
  const TableSchema& s = *schema_ref;
  Result<Record> record = decode(s, bytes);
  if (!record.ok()) return record.status();
  Result<std::string> key = primary_key_of(s, record.value());
  if (!key.ok()) return key.status();
  const std::string& primary_key = key.value();
  btree::Tree primary = primary_tree();
  // A flag-deleted entry always has versions, so a key without any is either free or live (the
  // tree's own insert then says kKeyDuplicate): only a key with versions needs a look first.
  std::optional<std::string> existing;
  if (versions_.find(primary_key) != nullptr) {
    Result<std::optional<std::string>> found = primary.get(primary_key);
    if (!found.ok()) return found.status();
    existing = std::move(found).value();
    if (existing && !existing->empty()) return Status(Error::kKeyDuplicate, "primary key");
    if (existing && txn::blocks(versions_.find(primary_key), *writer)) return Error::kWriteConflict;
  }
  bool flag_deleted = existing.has_value();

  // Everything that can refuse the insert comes before the first change.
  Result<Footprint> before = footprint(s, primary_key, existing);
  if (!before.ok()) return before.status();
  Result<Footprint> planned = footprint_with(s, primary_key, before.value(), record.value(), *writer);
  if (!planned.ok()) return planned.status();
  const Footprint& after = planned.value();
  const std::uint64_t cost = txn::kVersionOverheadBytes;
  ESENT_RETURN_IF_ERROR(charge(cost));
  if (Status logged = log_change(*writer, s, primary_key, txn::Version::Kind::kInsert, {});
      !logged.ok()) {
    refund(cost);
    return logged;
  }

  version_.fetch_add(1, std::memory_order_acq_rel);
  Status written = flag_deleted ? primary.replace(primary_key, bytes) : primary.insert(primary_key, bytes);
  if (!written.ok() && written.error() == Error::kKeyDuplicate && !flag_deleted) {
    // A flag-deleted entry without versions: left by a crash (recovery will clean these up).
    Result<std::optional<std::string>> found = primary.get(primary_key);
    if (found.ok() && found->has_value() && (*found)->empty()) {
      flag_deleted = true;
      written = primary.replace(primary_key, bytes);
    }
  }
  if (!written.ok()) {
    refund(cost);
    return written.error() == Error::kKeyDuplicate ? Status(Error::kKeyDuplicate, "primary key") : written;
  }
  versions_.chain(primary_key).push_back(txn::Version{writer, txn::Version::Kind::kInsert, std::nullopt, cost});
  writer->journal(shared_from_this(), primary_key);
  Status indexed = reconcile(primary_key, before.value(), after);
  if (!indexed.ok()) {
    (void)undo_locked(primary_key);
    writer->drop_last_entry();
    return indexed;
  }
  return key;
}

Status Table::replace_versioned(std::string_view primary_key, std::string_view bytes,
                                const std::shared_ptr<txn::Transaction>& writer,
                                std::optional<ReplaceBase> expected) {
  std::unique_lock lock(latch_);
  std::shared_ptr<const TableSchema> schema_ref = schema();
  const TableSchema& s = *schema_ref;
  btree::Tree primary = primary_tree();
  Result<std::optional<std::string>> existing = primary.get(primary_key);
  if (!existing.ok()) return existing.status();
  if (txn::blocks(versions_.find(primary_key), *writer)) return Error::kWriteConflict;
  if (!existing->has_value() || (*existing)->empty()) return Error::kRecordDeleted;
  if (expected && ((expected->hidden && expected->hidden->commit_time() != 0) ||
                   **existing != expected->image)) {
    // Changed since the replace was prepared: the change the prepare could not see committed,
    // or the image is another. (ESE compares version ids, so it also refuses a record changed
    // and changed back; see docs/compat.md.)
    return txn::held_by(versions_.find(primary_key), *writer) ? Error::kSessionWriteConflict
                                                                : Error::kWriteConflict;
  }
  Result<Record> record = decode(s, bytes);
  if (!record.ok()) return record.status();
  if (s.primary_index() != nullptr) {
    Result<std::string> new_key = primary_key_of(s, record.value());
    if (!new_key.ok()) return new_key.status();
    if (new_key.value() != primary_key) return Error::kRecordPrimaryChanged;
  }
  Result<Footprint> before = footprint(s, primary_key, existing.value());
  if (!before.ok()) return before.status();
  Result<Footprint> planned = footprint_with(s, primary_key, before.value(), record.value(), *writer);
  if (!planned.ok()) return planned.status();
  const Footprint& after = planned.value();
  const std::uint64_t cost = txn::kVersionOverheadBytes + (*existing)->size();
  ESENT_RETURN_IF_ERROR(charge(cost));
  if (Status logged = log_change(*writer, s, primary_key, txn::Version::Kind::kReplace, **existing);
      !logged.ok()) {
    refund(cost);
    return logged;
  }

  version_.fetch_add(1, std::memory_order_acq_rel);
  versions_.chain(primary_key)
      .push_back(txn::Version{writer, txn::Version::Kind::kReplace, std::move(**existing), cost});
  writer->journal(shared_from_this(), std::string(primary_key));
  Status written = primary.replace(primary_key, bytes);
  if (written.ok()) written = reconcile(primary_key, before.value(), after);
  if (!written.ok()) {
    (void)undo_locked(primary_key);
    writer->drop_last_entry();
  }
  return written;
}

Status Table::erase_versioned(std::string_view primary_key,
                              const std::shared_ptr<txn::Transaction>& writer) {
  std::unique_lock lock(latch_);
  btree::Tree primary = primary_tree();
  Result<std::optional<std::string>> existing = primary.get(primary_key);
  if (!existing.ok()) return existing.status();
  if (txn::blocks(versions_.find(primary_key), *writer)) return Error::kWriteConflict;
  if (!existing->has_value() || (*existing)->empty()) return Error::kRecordDeleted;
  const std::uint64_t cost = txn::kVersionOverheadBytes + (*existing)->size();
  ESENT_RETURN_IF_ERROR(charge(cost));
  if (Status logged =
          log_change(*writer, *schema(), primary_key, txn::Version::Kind::kDelete, **existing);
      !logged.ok()) {
    refund(cost);
    return logged;
  }
  version_.fetch_add(1, std::memory_order_acq_rel);
  versions_.chain(primary_key)
      .push_back(txn::Version{writer, txn::Version::Kind::kDelete, std::move(**existing), cost});
  // The index entries and long values stay: the before-image keeps them in the footprint.
  Status written = primary.replace(primary_key, std::string_view());
  if (written.ok()) writer->journal(shared_from_this(), std::string(primary_key));
  if (!written.ok()) {
    txn::Chain& chain = versions_.chain(primary_key);
    (void)primary.replace(primary_key, *chain.back().before);
    chain.pop_back();
    if (chain.empty()) versions_.erase(primary_key);
    refund(cost);
  }
  return written;
}

Status Table::lock(std::string_view primary_key, const std::shared_ptr<txn::Transaction>& writer) {
  if (!writer) {
    std::shared_lock shared(latch_);
    return txn::held_by_other(versions_.find(primary_key)) ? Status(Error::kWriteConflict) : Status::success();
  }
  std::unique_lock lock(latch_);
  const txn::Chain* chain = versions_.find(primary_key);
  if (txn::blocks(chain, *writer)) return Error::kWriteConflict;
  if (txn::held_by(chain, *writer)) return Status::success();
  const std::uint64_t cost = txn::kVersionOverheadBytes;
  ESENT_RETURN_IF_ERROR(charge(cost));
  versions_.chain(primary_key).push_back(txn::Version{writer, txn::Version::Kind::kLock, std::nullopt, cost});
  writer->journal(shared_from_this(), std::string(primary_key));
  return Status::success();
}

// --- recovery ---------------------------------------------------------------------------------------

void Table::recover_version(std::string_view primary_key, txn::Version::Kind kind,
                            std::optional<std::string> before,
                            const std::shared_ptr<txn::Transaction>& writer) {
  std::unique_lock lock(latch_);
  versions_.chain(primary_key).push_back(txn::Version{writer, kind, std::move(before), 0});
  writer->journal(shared_from_this(), std::string(primary_key));
}

// --- undo and cleanup -----------------------------------------------------------------------------

Status Table::undo(std::string_view primary_key) {
  std::unique_lock lock(latch_);
  if (dropped_.load(std::memory_order_acquire)) return Status::success();
  return undo_locked(primary_key);
}

Status Table::undo_locked(std::string_view primary_key) {
  txn::Chain* chain = versions_.find(primary_key);
  if (chain == nullptr || chain->empty()) return Status(Error::kInternalError, "undo without a version");
  std::shared_ptr<const TableSchema> schema_ref = schema();
  const TableSchema& s = *schema_ref;
  btree::Tree primary = primary_tree();
  Result<std::optional<std::string>> newest = primary.get(primary_key);
  if (!newest.ok()) return newest.status();
  Result<Footprint> before = footprint(s, primary_key, newest.value());
  if (!before.ok()) return before.status();

  txn::Version undone = std::move(chain->back());
  chain->pop_back();
  const bool chain_empty = chain->empty();
  if (chain_empty) versions_.erase(primary_key);
  version_.fetch_add(1, std::memory_order_acq_rel);
  std::optional<std::string> restored = newest.value();
  Status status;
  if (undone.kind != txn::Version::Kind::kLock) {
    restored = undone.before ? *undone.before : std::string();  // no record: flag-deleted
    if (restored->empty() && chain_empty) {
      if (newest->has_value()) status = primary.erase(primary_key);
      restored.reset();
    } else if (newest->has_value()) {
      status = primary.replace(primary_key, *restored);
    } else {
      status = primary.insert(primary_key, *restored);
    }
  }
  refund(undone.charged_bytes);
  if (!status.ok()) return status;
  Result<Footprint> after = footprint(s, primary_key, restored);
  if (!after.ok()) return after.status();
  ESENT_RETURN_IF_ERROR(reconcile(primary_key, before.value(), after.value()));
  // The undo is in the trees (and in the log ahead of this record): say so, still under the
  // latch, so no other change of the record is logged between (catalog/record_log.h).
  if (RecordLog* log = database_.record_log();
      log != nullptr && undone.kind != txn::Version::Kind::kLock) {
    ESENT_RETURN_IF_ERROR(log->undoing(*undone.writer, s.object_id, primary_key));
  }
  return Status::success();
}

Status Table::clean_key(const TableSchema& s, const std::string& primary_key, txn::Timestamp horizon,
                        bool all) {
  txn::Chain* chain = versions_.find(primary_key);
  if (chain == nullptr) return Status::success();
  auto droppable = [&](const txn::Version& v) {
    const txn::Timestamp committed = v.writer->commit_time();
    if (committed == 0) return false;
    return all || v.kind == txn::Version::Kind::kLock || committed <= horizon;
  };
  if (std::none_of(chain->begin(), chain->end(), droppable)) return Status::success();
  // Dropping versions without before-images (inserts, locks) changes no footprint and no tree:
  // a record whose versions are only those is live (a delete's version has a before-image).
  // This is the common case: a committed insert.
  const bool images_dropped = std::any_of(chain->begin(), chain->end(), [&](const txn::Version& v) {
    return droppable(v) && v.before.has_value();
  });
  if (!images_dropped) {
    std::uint64_t freed = 0;
    for (const txn::Version& v : *chain) {
      if (droppable(v)) freed += v.charged_bytes;
    }
    chain->erase(std::remove_if(chain->begin(), chain->end(), droppable), chain->end());
    if (chain->empty()) versions_.erase(primary_key);
    refund(freed);
    return Status::success();
  }
  btree::Tree primary = primary_tree();
  Result<std::optional<std::string>> newest = primary.get(primary_key);
  if (!newest.ok()) return newest.status();
  Result<Footprint> before = footprint(s, primary_key, newest.value());
  if (!before.ok()) return before.status();
  std::uint64_t freed = 0;
  for (const txn::Version& v : *chain) {
    if (droppable(v)) freed += v.charged_bytes;
  }
  chain->erase(std::remove_if(chain->begin(), chain->end(), droppable), chain->end());
  refund(freed);
  std::optional<std::string> current = newest.value();
  if (chain->empty()) {
    versions_.erase(primary_key);
    if (current && current->empty()) {
      ESENT_RETURN_IF_ERROR(primary.erase(primary_key));
      current.reset();
    }
  }
  version_.fetch_add(1, std::memory_order_acq_rel);
  Result<Footprint> after = footprint(s, primary_key, current);
  if (!after.ok()) return after.status();
  return reconcile(primary_key, before.value(), after.value());
}

Status Table::clean(const std::vector<std::string>& primary_keys, txn::Timestamp horizon, bool all) {
  std::unique_lock lock(latch_);
  if (dropped_.load(std::memory_order_acquire)) return Status::success();
  std::shared_ptr<const TableSchema> schema_ref = schema();
  Status first;
  for (const std::string& key : primary_keys) {
    Status status = clean_key(*schema_ref, key, horizon, all);
    if (!status.ok() && first.ok()) first = status;
  }
  return first;
}

Result<Table::ReplaceBase> Table::replace_base(std::string_view primary_key, const txn::View& view) {
  Result<std::optional<std::string>> image = read(primary_key, view);
  if (!image.ok()) return image.status();
  if (!image->has_value()) return Error::kRecordDeleted;
  ReplaceBase base{std::move(**image), nullptr};
  if (const txn::Chain* chain = versions_.find(primary_key)) {
    for (auto it = chain->rbegin(); it != chain->rend(); ++it) {
      if (it->kind == txn::Version::Kind::kLock) continue;
      if (!view.sees(*it->writer)) base.hidden = it->writer;
      break;
    }
  }
  return base;
}

std::vector<std::string> Table::versioned_keys() {
  std::shared_lock lock(latch_);
  return versions_.keys();
}

// --- reads ------------------------------------------------------------------------------------------

std::optional<std::string_view> Table::visible_image(std::string_view primary_key,
                                                     std::string_view newest, const txn::View& view) {
  std::optional<std::string_view> image;
  if (!newest.empty()) image = newest;
  if (versions_.empty()) return image;
  return txn::visible_image(versions_.find(primary_key), image, view);
}

Result<std::optional<std::string>> Table::read(std::string_view primary_key, const txn::View& view) {
  btree::Tree primary = primary_tree();
  Result<std::optional<std::string>> newest = primary.get(primary_key);
  if (!newest.ok()) return newest.status();
  if (!newest->has_value()) return std::optional<std::string>();
  std::optional<std::string_view> image = visible_image(primary_key, **newest, view);
  if (!image) return std::optional<std::string>();
  return std::optional<std::string>(std::string(*image));
}

Result<bool> Table::index_entry_visible(std::size_t index_position, std::string_view entry_key,
                                        std::string_view primary_key, const txn::View& view) {
  if (versions_.empty() || versions_.find(primary_key) == nullptr) return true;
  Result<std::optional<std::string>> image = read(primary_key, view);
  if (!image.ok()) return image.status();
  if (!image->has_value()) return false;
  std::shared_ptr<const TableSchema> s = schema();
  Result<Record> record = decode(*s, **image);
  if (!record.ok()) return record.status();
  Result<IndexEntries> keys =
      index_entries(s->indexes[index_position], s->columns, record.value(), long_value_reader());
  if (!keys.ok()) return keys.status().error() == Error::kNullInvalid ? Result<bool>(false) : keys.status();
  const std::string_view index_key = entry_key.substr(0, entry_key.size() - primary_key.size());
  for (const std::string& k : keys->keys) {
    if (k == index_key) return true;
  }
  return false;
}

}  // namespace esent::catalog
