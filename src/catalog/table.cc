#include "catalog/table.h"

#include <algorithm>
#include <cstring>
#include <set>
#include <utility>

#include "catalog/catalog_codec.h"
#include "catalog/database.h"
#include "catalog/key.h"
#include "catalog/long_value.h"

namespace esent::catalog {

namespace {

bool equal_names(std::string_view a, std::string_view b) { return fold_name(a) == fold_name(b); }

std::string encode_u32_be(std::uint32_t v) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>((v >> (24 - 8 * i)) & 0xFF);
  return out;
}

std::uint32_t decode_u32_be(std::string_view s) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4 && i < s.size(); ++i) v = (v << 8) | static_cast<unsigned char>(s[i]);
  return v;
}

}  // namespace

const ColumnDef* TableSchema::column(std::uint32_t column_id) const {
  for (const ColumnDef& c : columns) {
    if (c.column_id == column_id) return &c;
  }
  return nullptr;
}

const ColumnDef* TableSchema::column(std::string_view column_name) const {
  for (const ColumnDef& c : columns) {
    if (!c.deleted && equal_names(c.name, column_name)) return &c;
  }
  return nullptr;
}

const IndexDef* TableSchema::index(std::string_view index_name) const {
  std::optional<std::size_t> position = index_position(index_name);
  return position ? &indexes[*position] : nullptr;
}

std::optional<std::size_t> TableSchema::index_position(std::string_view index_name) const {
  for (std::size_t i = 0; i < indexes.size(); ++i) {
    if (equal_names(indexes[i].name, index_name)) return i;
  }
  return std::nullopt;
}

const IndexDef* TableSchema::primary_index() const {
  for (const IndexDef& index : indexes) {
    if ((index.flags & index_flags::kPrimary) != 0) return &index;
  }
  return nullptr;
}

Table::Table(Database& database, std::shared_ptr<const TableSchema> schema)
    : database_(database), schema_(std::move(schema)) {}

std::shared_ptr<const TableSchema> Table::schema() const {
  std::lock_guard lock(schema_mutex_);
  return schema_;
}

void Table::set_schema(std::shared_ptr<const TableSchema> schema) {
  std::lock_guard lock(schema_mutex_);
  schema_ = std::move(schema);
}

btree::Tree Table::primary_tree() {
  std::shared_ptr<const TableSchema> s = schema();
  return btree::Tree(database_.file(), s->primary_root, s->object_id, database_.change_log());
}

btree::Tree Table::index_tree(std::size_t index_position) {
  std::shared_ptr<const TableSchema> s = schema();
  return btree::Tree(database_.file(), s->index_roots[index_position],
                     s->index_object_ids[index_position], database_.change_log());
}

btree::Tree Table::long_value_tree() {
  std::shared_ptr<const TableSchema> s = schema();
  return btree::Tree(database_.file(), s->long_value_root, s->long_value_object_id, database_.change_log());
}

// --- records ---------------------------------------------------------------------------------

Result<Record> Table::decode(const TableSchema& s, std::string_view bytes) {
  return Record::decode(s.record_schema, bytes);
}

LongValueReader Table::long_value_reader() {
  return [this](const LongValueRef& ref, std::size_t max_bytes) -> Result<std::string> {
    std::string out(std::min<std::size_t>(max_bytes, ref.size_bytes), '\0');
    Result<std::size_t> read = read_long_value(
        ref.long_value_id, 0, std::span<std::byte>(reinterpret_cast<std::byte*>(out.data()), out.size()));
    if (!read.ok()) return read.status();
    out.resize(read.value());
    return out;
  };
}

Result<std::string> Table::primary_key_of(const TableSchema& s, const Record& record) {
  const IndexDef* primary = s.primary_index();
  if (primary == nullptr) {
    // Implicit sequential key ("DBK"): one more than the largest key so far.
    if (!sequential_key_loaded_) {
      btree::Tree tree = primary_tree();
      btree::Cursor cursor(tree);
      Result<bool> found = cursor.last();
      if (!found.ok()) return found.status();
      next_sequential_key_ = found.value() ? decode_u32_be(cursor.key()) + 1 : 1;
      sequential_key_loaded_ = true;
    }
    return encode_u32_be(next_sequential_key_++);
  }
  Result<IndexEntries> entries = index_entries(*primary, s.columns, record, long_value_reader());
  if (!entries.ok()) {
    if (entries.status().error() == Error::kNullInvalid) return Status(Error::kNullKeyDisallowed, entries.status().detail());
    return entries.status();
  }
  if (entries->keys.empty()) return Status(Error::kNullInvalid, "primary key is null");
  return entries->keys.front();
}

Result<std::vector<std::string>> Table::secondary_keys(const TableSchema& s, std::size_t position,
                                                       const Record& record) {
  Result<IndexEntries> entries =
      index_entries(s.indexes[position], s.columns, record, long_value_reader());
  if (!entries.ok()) {
    // An index with JET_bitIndexDisallowNull refuses the record (ESE's JET_errNullKeyDisallowed).
    if (entries.status().error() == Error::kNullInvalid) return Status(Error::kNullKeyDisallowed, entries.status().detail());
    return entries.status();
  }
  return std::move(entries->keys);
}

Status Table::insert_index_entry(const TableSchema& s, std::size_t position,
                                 const std::string& index_key, std::string_view primary_key) {
  btree::Tree tree = index_tree(position);
  if ((s.indexes[position].flags & index_flags::kUnique) != 0) {
    btree::Cursor cursor(tree);
    Result<bool> found = cursor.seek(index_key, btree::SeekOp::kGreaterOrEqual);
    if (!found.ok()) return found.status();
    if (found.value()) {
      std::size_t key_part = cursor.key().size() - cursor.value().size();
      if (key_part == index_key.size() && cursor.key().compare(0, key_part, index_key) == 0) {
        return Status(Error::kKeyDuplicate, "unique index " + s.indexes[position].name);
      }
    }
  }
  std::string entry_key = index_key;
  entry_key.append(primary_key);
  return tree.insert(entry_key, primary_key);
}

Status Table::erase_index_entry(std::size_t position, const std::string& index_key,
                                std::string_view primary_key) {
  btree::Tree tree = index_tree(position);
  std::string entry_key = index_key;
  entry_key.append(primary_key);
  Status erased = tree.erase(entry_key);
  if (!erased.ok() && erased.error() == Error::kRecordNotFound) {
    // Recovery takes back changes a crash may have cut short: a missing entry is expected.
    if (recovering_.load(std::memory_order_acquire)) return Status::success();
    return Status(Error::kDatabaseCorrupted, "index entry missing in " + std::to_string(position));
  }
  return erased;
}

Result<std::string> Table::insert(std::string_view bytes,
                                  const std::shared_ptr<txn::Transaction>& writer) {
  if (writer) return insert_versioned(bytes, writer);
  std::unique_lock lock(latch_);
  std::shared_ptr<const TableSchema> s = schema();
  Result<Record> record = decode(*s, bytes);
  if (!record.ok()) return record.status();
  Result<std::string> primary_key = primary_key_of(*s, record.value());
  if (!primary_key.ok()) return primary_key.status();
  ESENT_RETURN_IF_ERROR(insert_locked(*s, primary_key.value(), bytes, record.value()));
  return primary_key;
}

Status Table::insert_locked(const TableSchema& s, const std::string& primary_key,
                            std::string_view bytes, const Record& record) {
  // Work out every secondary key first, so a NULL or truncation error changes nothing.
  std::vector<std::vector<std::string>> keys(s.indexes.size());
  for (std::size_t i = 0; i < s.indexes.size(); ++i) {
    if ((s.indexes[i].flags & index_flags::kPrimary) != 0) continue;
    Result<std::vector<std::string>> k = secondary_keys(s, i, record);
    if (!k.ok()) return k.status();
    keys[i] = std::move(k).value();
  }
  btree::Tree primary = primary_tree();
  version_.fetch_add(1, std::memory_order_acq_rel);
  Status inserted = primary.insert(primary_key, bytes);
  if (!inserted.ok()) return inserted;
  // Secondary entries; on failure (a unique index), take back what was added.
  std::vector<std::pair<std::size_t, std::string>> added;
  for (std::size_t i = 0; i < s.indexes.size(); ++i) {
    for (const std::string& key : keys[i]) {
      Status status = insert_index_entry(s, i, key, primary_key);
      if (!status.ok()) {
        for (auto& [position, done] : added) (void)erase_index_entry(position, done, primary_key);
        (void)primary.erase(primary_key);
        return status;
      }
      added.emplace_back(i, key);
    }
  }
  return Status::success();
}

Result<Record> Table::read_stored(const TableSchema& s, btree::Tree& primary,
                                  std::string_view primary_key) {
  Result<std::optional<std::string>> bytes = primary.get(primary_key);
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return Error::kRecordNotFound;
  return decode(s, **bytes);
}

Status Table::replace(std::string_view primary_key, std::string_view bytes,
                      const std::shared_ptr<txn::Transaction>& writer,
                      std::optional<ReplaceBase> expected) {
  if (writer) return replace_versioned(primary_key, bytes, writer, expected);
  std::unique_lock lock(latch_);
  std::shared_ptr<const TableSchema> schema_ref = schema();
  const TableSchema& s = *schema_ref;
  btree::Tree primary = primary_tree();
  Result<Record> old_record = read_stored(s, primary, primary_key);
  if (!old_record.ok()) return old_record.status();
  Result<Record> new_record = decode(s, bytes);
  if (!new_record.ok()) return new_record.status();
  if (s.primary_index() != nullptr) {
    Result<std::string> new_key = primary_key_of(s, new_record.value());
    if (!new_key.ok()) return new_key.status();
    if (new_key.value() != primary_key) return Error::kRecordPrimaryChanged;
  }
  const std::string key(primary_key);
  version_.fetch_add(1, std::memory_order_acq_rel);
  // Per index: entries to remove and to add.
  std::vector<std::vector<std::string>> removed(s.indexes.size()), added(s.indexes.size());
  for (std::size_t i = 0; i < s.indexes.size(); ++i) {
    if ((s.indexes[i].flags & index_flags::kPrimary) != 0) continue;
    Result<std::vector<std::string>> before = secondary_keys(s, i, old_record.value());
    if (!before.ok()) return before.status();
    Result<std::vector<std::string>> after = secondary_keys(s, i, new_record.value());
    if (!after.ok()) return after.status();
    std::set_difference(before->begin(), before->end(), after->begin(), after->end(),
                        std::back_inserter(removed[i]));
    std::set_difference(after->begin(), after->end(), before->begin(), before->end(),
                        std::back_inserter(added[i]));
  }
  for (std::size_t i = 0; i < s.indexes.size(); ++i) {
    for (const std::string& k : removed[i]) ESENT_RETURN_IF_ERROR(erase_index_entry(i, k, key));
  }
  std::vector<std::pair<std::size_t, std::string>> done;
  for (std::size_t i = 0; i < s.indexes.size(); ++i) {
    for (const std::string& k : added[i]) {
      Status status = insert_index_entry(s, i, k, key);
      if (!status.ok()) {
        for (auto& [position, entry] : done) (void)erase_index_entry(position, entry, key);
        for (std::size_t j = 0; j < s.indexes.size(); ++j) {
          for (const std::string& back : removed[j]) (void)insert_index_entry(s, j, back, key);
        }
        return status;
      }
      done.emplace_back(i, k);
    }
  }
  ESENT_RETURN_IF_ERROR(primary.replace(primary_key, bytes));
  Result<std::string> old_bytes = old_record->encode();
  if (!old_bytes.ok()) return old_bytes.status();
  return release_long_values(old_bytes.value(), bytes);
}

Status Table::erase(std::string_view primary_key,
                    const std::shared_ptr<txn::Transaction>& writer) {
  if (writer) return erase_versioned(primary_key, writer);
  std::unique_lock lock(latch_);
  std::shared_ptr<const TableSchema> schema_ref = schema();
  const TableSchema& s = *schema_ref;
  btree::Tree primary = primary_tree();
  Result<Record> old_record = read_stored(s, primary, primary_key);
  if (!old_record.ok()) return old_record.status();
  const std::string key(primary_key);
  version_.fetch_add(1, std::memory_order_acq_rel);
  for (std::size_t i = 0; i < s.indexes.size(); ++i) {
    if ((s.indexes[i].flags & index_flags::kPrimary) != 0) continue;
    Result<std::vector<std::string>> keys = secondary_keys(s, i, old_record.value());
    if (!keys.ok()) return keys.status();
    for (const std::string& k : keys.value()) ESENT_RETURN_IF_ERROR(erase_index_entry(i, k, key));
  }
  ESENT_RETURN_IF_ERROR(primary.erase(primary_key));
  Result<std::string> old_bytes = old_record->encode();
  if (!old_bytes.ok()) return old_bytes.status();
  return release_long_values(old_bytes.value(), std::string_view());
}

Result<std::optional<std::string>> Table::read(std::string_view primary_key) {
  btree::Tree primary = primary_tree();
  Result<std::optional<std::string>> bytes = primary.get(primary_key);
  if (bytes.ok() && bytes->has_value() && (*bytes)->empty()) return std::optional<std::string>();
  return bytes;
}

// --- long values -------------------------------------------------------------------------------

Result<std::uint64_t> Table::write_long_value(std::string_view data) {
  btree::Tree tree = long_value_tree();
  if (next_long_value_id_ == 0) {
    btree::Cursor cursor(tree);
    Result<bool> found = cursor.last();
    if (!found.ok()) return found.status();
    next_long_value_id_ = found.value() ? long_value_id_of(cursor.key()) + 1 : 1;
  }
  std::uint64_t id = next_long_value_id_++;
  const std::size_t chunk = long_value_chunk_bytes(database_.page_size());
  for (std::size_t offset = 0; offset < data.size() || offset == 0; offset += chunk) {
    std::string_view piece = data.substr(offset, std::min(chunk, data.size() - offset));
    Status status = tree.insert(long_value_key(id, static_cast<std::uint32_t>(offset)), piece);
    if (!status.ok()) {
      (void)delete_long_value(id);
      return status;
    }
    if (data.empty()) break;
  }
  return id;
}

Status Table::delete_long_value(std::uint64_t id) {
  btree::Tree tree = long_value_tree();
  btree::Cursor cursor(tree);
  std::string first = long_value_key(id, 0);
  Result<bool> found = cursor.seek(first, btree::SeekOp::kGreaterOrEqual);
  while (found.ok() && found.value() && long_value_id_of(cursor.key()) == id) {
    ESENT_RETURN_IF_ERROR(cursor.erase());
    found = cursor.next();
  }
  return found.ok() ? Status::success() : found.status();
}

Result<std::size_t> Table::read_long_value(std::uint64_t id, std::uint64_t offset,
                                           std::span<std::byte> out) {
  if (out.empty()) return std::size_t{0};
  btree::Tree tree = long_value_tree();
  const std::size_t chunk = long_value_chunk_bytes(database_.page_size());
  std::uint64_t chunk_start = offset / chunk * chunk;
  btree::Cursor cursor(tree);
  Result<bool> found =
      cursor.seek(long_value_key(id, static_cast<std::uint32_t>(chunk_start)), btree::SeekOp::kEqual);
  std::size_t done = 0;
  std::uint64_t position = chunk_start;
  while (found.ok() && found.value() && long_value_id_of(cursor.key()) == id && done < out.size()) {
    const std::string& piece = cursor.value();
    std::uint64_t skip = offset + done > position ? offset + done - position : 0;
    if (skip < piece.size()) {
      std::size_t count = std::min<std::size_t>(piece.size() - skip, out.size() - done);
      std::memcpy(out.data() + done, piece.data() + skip, count);
      done += count;
    }
    position += piece.size();
    found = cursor.next();
  }
  if (!found.ok()) return found.status();
  return done;
}

Status Table::release_long_values(std::string_view losing_record, std::string_view winning_record) {
  if (losing_record.empty()) return Status::success();
  std::shared_ptr<const TableSchema> s = schema();
  std::set<std::uint64_t> keep;
  if (!winning_record.empty()) {
    Result<Record> winner = decode(*s, winning_record);
    if (!winner.ok()) return winner.status();
    for (const Record::TaggedValue& v : winner->tagged_values()) {
      if (!v.separated) continue;
      Result<LongValueRef> ref = decode_long_value_ref(v.bytes);
      if (ref.ok()) keep.insert(ref->long_value_id);
    }
  }
  Result<Record> loser = decode(*s, losing_record);
  if (!loser.ok()) return loser.status();
  for (const Record::TaggedValue& v : loser->tagged_values()) {
    if (!v.separated) continue;
    Result<LongValueRef> ref = decode_long_value_ref(v.bytes);
    if (!ref.ok()) return ref.status();
    if (keep.count(ref->long_value_id) == 0) ESENT_RETURN_IF_ERROR(delete_long_value(ref->long_value_id));
  }
  return Status::success();
}

Result<std::uint64_t> Table::next_autoincrement(const ColumnDef& column) {
  std::unique_lock lock(latch_);
  if (!next_autoincrement_) {
    // First use since the table was opened: one more than the largest stored value.
    std::shared_ptr<const TableSchema> s = schema();
    std::uint64_t largest = 0;
    btree::Tree tree = primary_tree();
    btree::Cursor cursor(tree);
    Result<bool> found = cursor.first();
    while (found.ok() && found.value()) {
      if (cursor.value().empty()) {  // flag-deleted
        found = cursor.next();
        continue;
      }
      Result<Record> record = decode(*s, cursor.value());
      if (!record.ok()) return record.status();
      ColumnValue value = record->get(column.column_id);
      if (value.state == ValueState::kValue && !value.bytes.empty()) {
        std::uint64_t v = 0;
        std::memcpy(&v, value.bytes.data(), std::min<std::size_t>(value.bytes.size(), 8));
        largest = std::max(largest, v);
      }
      found = cursor.next();
    }
    if (!found.ok()) return found.status();
    next_autoincrement_ = largest + 1;
  }
  return (*next_autoincrement_)++;
}

// --- cursors -----------------------------------------------------------------------------------

Status Table::acquire(bool exclusive, std::uint64_t owner) {
  std::lock_guard lock(use_mutex_);
  if (exclusive_owner_ && *exclusive_owner_ != owner) return Error::kTableLocked;
  if (exclusive) {
    for (const auto& [other, count] : open_cursors_) {
      if (other != owner && count > 0) return Error::kTableLocked;
    }
    exclusive_owner_ = owner;
    ++exclusive_count_;
  }
  ++open_cursors_[owner];
  return Status::success();
}

void Table::release(bool exclusive, std::uint64_t owner) {
  std::lock_guard lock(use_mutex_);
  auto it = open_cursors_.find(owner);
  if (it != open_cursors_.end() && --it->second == 0) open_cursors_.erase(it);
  if (exclusive && exclusive_count_ > 0 && --exclusive_count_ == 0) exclusive_owner_.reset();
}

bool Table::in_use() const {
  std::lock_guard lock(use_mutex_);
  return !open_cursors_.empty();
}

}  // namespace esent::catalog
