// Schema changes of one table: JetAddColumn, JetDeleteColumn, JetCreateIndex, JetDeleteIndex.
// Each builds a new TableSchema, makes it durable in the catalog, then publishes it; on failure
// the old schema stays in force and any tree made for the change is freed.
#include <algorithm>
#include <set>

#include "catalog/catalog_codec.h"
#include "catalog/database.h"
#include "catalog/table.h"

namespace esent::catalog {

namespace {

Status compile(TableSchema& schema) {
  Result<std::shared_ptr<const RecordSchema>> record_schema = RecordSchema::build(schema.columns);
  if (!record_schema.ok()) return record_schema.status();
  schema.record_schema = std::move(record_schema).value();
  return Status::success();
}

}  // namespace

Status Table::add_column(ColumnDef& requested) {
  if (database_.read_only()) return Error::kPermissionDenied;
  std::unique_lock lock(latch_);
  std::shared_ptr<const TableSchema> old = schema();
  bool truncated = false;
  Result<ColumnDef> column = validate_column_def(requested, &truncated);
  if (!column.ok()) return column.status();
  if (old->column(column->name) != nullptr) return Status(Error::kColumnDuplicate, column->name);
  // JetAddColumn docs: at most one autoincrement and one version column per table.
  for (const ColumnDef& existing : old->columns) {
    if (existing.deleted) continue;
    const std::uint32_t unique_kinds = column_flags::kAutoincrement | column_flags::kVersion;
    if ((existing.flags & column->flags & unique_kinds) != 0) return Error::kColumnRedundant;
  }
  // ESE: a NOT NULL fixed/variable column without a default cannot join a table with records.
  Result<std::uint32_t> id = next_column_id(column_class_for(column.value()), old->columns);
  if (!id.ok()) return id.status();
  column->column_id = id.value();
  auto next = std::make_shared<TableSchema>(*old);
  next->columns.push_back(column.value());
  ESENT_RETURN_IF_ERROR(compile(*next));
  ESENT_RETURN_IF_ERROR(database_.store_schema(*next, old.get()));
  requested.column_id = id.value();
  requested.max_size_bytes = column->max_size_bytes;
  set_schema(std::move(next));
  return truncated ? Status(Error::kWarnColumnMaxTruncated) : Status::success();
}

Status Table::delete_column(std::string_view name) {
  if (database_.read_only()) return Error::kPermissionDenied;
  std::unique_lock lock(latch_);
  std::shared_ptr<const TableSchema> old = schema();
  const ColumnDef* column = old->column(name);
  if (column == nullptr) return Status(Error::kColumnNotFound, std::string(name));
  for (const IndexDef& index : old->indexes) {
    for (const IndexSegment& segment : index.segments) {
      if (segment.column_id == column->column_id) return Error::kColumnInUse;
    }
  }
  auto next = std::make_shared<TableSchema>(*old);
  for (ColumnDef& c : next->columns) {
    if (c.column_id == column->column_id) c.deleted = true;
  }
  ESENT_RETURN_IF_ERROR(compile(*next));
  ESENT_RETURN_IF_ERROR(database_.store_schema(*next, old.get()));
  set_schema(std::move(next));
  return Status::success();
}

Status Table::undelete_column(std::uint32_t column_id) {
  std::unique_lock lock(latch_);
  std::shared_ptr<const TableSchema> old = schema();
  const ColumnDef* column = old->column(column_id);
  if (column == nullptr || !column->deleted) return Status(Error::kColumnNotFound, std::to_string(column_id));
  if (old->column(column->name) != nullptr) return Status(Error::kColumnDuplicate, column->name);
  auto next = std::make_shared<TableSchema>(*old);
  for (ColumnDef& c : next->columns) {
    if (c.column_id == column_id) c.deleted = false;
  }
  ESENT_RETURN_IF_ERROR(compile(*next));
  ESENT_RETURN_IF_ERROR(database_.store_schema(*next, old.get()));
  set_schema(std::move(next));
  return Status::success();
}

Status Table::create_index(IndexDef& requested) {
  if (database_.read_only()) return Error::kPermissionDenied;
  std::unique_lock lock(latch_);
  std::shared_ptr<const TableSchema> old = schema();
  Result<IndexDef> index =
      validate_index_def(requested, old->columns, key_most_bytes_for_page_size(database_.page_size()));
  if (!index.ok()) return index.status();
  if (old->index(index->name) != nullptr) return Status(Error::kIndexDuplicate, index->name);
  const bool primary = (index->flags & index_flags::kPrimary) != 0;
  if (primary && old->primary_index() != nullptr) return Error::kIndexHasPrimary;

  btree::Tree records = primary_tree();
  btree::Cursor scan(records);
  Result<bool> found = scan.first();
  if (!found.ok()) return found.status();
  // The primary index decides where records live: it can only be made while there are none.
  if (primary && found.value()) return Error::kTableNotEmpty;

  auto next = std::make_shared<TableSchema>(*old);
  index->index_id = next->next_index_id++;
  next->indexes.push_back(index.value());
  std::size_t position = next->indexes.size() - 1;
  page::Pgno root = page::kNoPage;
  std::uint32_t object_id = next->object_id;
  if (!primary) {
    object_id = database_.allocate_object_id();
    Result<page::Pgno> made = btree::Tree::create(database_.file(), object_id, database_.change_log());
    if (!made.ok()) return made.status();
    root = made.value();
  }
  next->index_roots.push_back(root);
  next->index_object_ids.push_back(object_id);
  ESENT_RETURN_IF_ERROR(compile(*next));

  auto fail = [&](const Status& status) -> Status {
    if (root != page::kNoPage) (void)btree::Tree(database_.file(), root, object_id, database_.change_log()).destroy();
    return status;
  };
  // Build the new index from the records (under the new schema, before publishing it).
  if (!primary) {
    btree::Tree tree(database_.file(), root, object_id, database_.change_log());
    const bool unique = (next->indexes[position].flags & index_flags::kUnique) != 0;
    // Whether `key` is already held by another record's newest image (entries of older images,
    // which versions keep for old snapshots, do not count).
    auto held_elsewhere = [&](const std::string& key, const std::string& primary_key) -> Result<bool> {
      btree::Cursor check(tree);
      Result<bool> at = check.seek(key, btree::SeekOp::kGreaterOrEqual);
      while (at.ok() && at.value()) {
        const std::size_t key_part = check.key().size() - check.value().size();
        if (key_part != key.size() || check.key().compare(0, key_part, key) != 0) return false;
        if (check.value() != primary_key) {
          if (versions_.empty()) return true;
          Result<std::optional<std::string>> newest = read(check.value());
          if (!newest.ok()) return newest.status();
          if (newest->has_value()) {
            Result<Record> other = decode(*next, **newest);
            if (!other.ok()) return other.status();
            Result<std::vector<std::string>> other_keys = secondary_keys(*next, position, other.value());
            if (!other_keys.ok()) return other_keys.status();
            if (std::find(other_keys->begin(), other_keys->end(), key) != other_keys->end()) return true;
          }
        }
        at = check.next();
      }
      return at.ok() ? Result<bool>(false) : at.status();
    };
    while (found.ok() && found.value()) {
      const std::string primary_key = scan.key();
      // Every image of the record some version still holds gets its entries; the newest one
      // (unless flag-deleted) is checked for uniqueness.
      std::vector<std::pair<std::string, bool>> images;  // (image, newest)
      if (!scan.value().empty()) images.emplace_back(scan.value(), true);
      if (const txn::Chain* chain = versions_.find(primary_key)) {
        for (const txn::Version& v : *chain) {
          if (v.before) images.emplace_back(*v.before, false);
        }
      }
      std::set<std::string> done;
      for (const auto& [image, newest] : images) {
        Result<Record> record = decode(*next, image);
        if (!record.ok()) return fail(record.status());
        Result<std::vector<std::string>> keys = secondary_keys(*next, position, record.value());
        if (!keys.ok()) {
          if (!newest && keys.status().error() == Error::kNullKeyDisallowed) continue;
          return fail(keys.status());
        }
        for (const std::string& key : keys.value()) {
          if (!done.insert(key).second) continue;
          if (unique && newest) {
            Result<bool> duplicate = held_elsewhere(key, primary_key);
            if (!duplicate.ok()) return fail(duplicate.status());
            if (duplicate.value()) return fail(Status(Error::kKeyDuplicate, "building unique index " + index->name));
          }
          Status status = tree.insert(key + primary_key, primary_key);
          if (!status.ok()) return fail(status);
        }
      }
      found = scan.next();
    }
    if (!found.ok()) return fail(found.status());
  }
  Status stored = database_.store_schema(*next, old.get());
  if (!stored.ok()) return fail(stored);
  requested.index_id = index->index_id;
  set_schema(std::move(next));
  return Status::success();
}

Status Table::delete_index(std::string_view name) {
  if (database_.read_only()) return Error::kPermissionDenied;
  std::unique_lock lock(latch_);
  std::shared_ptr<const TableSchema> old = schema();
  std::optional<std::size_t> position = old->index_position(name);
  if (!position) return Status(Error::kIndexNotFound, std::string(name));
  // The primary index holds the records: ESE refuses to delete it.
  if ((old->indexes[*position].flags & index_flags::kPrimary) != 0) return Error::kIndexMustStay;
  auto next = std::make_shared<TableSchema>(*old);
  page::Pgno root = next->index_roots[*position];
  std::uint32_t object_id = next->index_object_ids[*position];
  next->indexes.erase(next->indexes.begin() + static_cast<std::ptrdiff_t>(*position));
  next->index_roots.erase(next->index_roots.begin() + static_cast<std::ptrdiff_t>(*position));
  next->index_object_ids.erase(next->index_object_ids.begin() + static_cast<std::ptrdiff_t>(*position));
  ESENT_RETURN_IF_ERROR(compile(*next));
  ESENT_RETURN_IF_ERROR(database_.store_schema(*next, old.get()));
  set_schema(std::move(next));
  return btree::Tree(database_.file(), root, object_id, database_.change_log()).destroy();
}

}  // namespace esent::catalog
