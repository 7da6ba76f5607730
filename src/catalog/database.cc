#include "catalog/database.h"

#include <algorithm>
#include <set>
#include <shared_mutex>
#include <utility>

#include "catalog/catalog_codec.h"
#include "catalog/catalog_format.h"

namespace esent::catalog {

namespace {

Status finish_schema(TableSchema& schema) {
  Result<std::shared_ptr<const RecordSchema>> record_schema = RecordSchema::build(schema.columns);
  if (!record_schema.ok()) return record_schema.status();
  schema.record_schema = std::move(record_schema).value();
  return Status::success();
}

}  // namespace

Database::Database(std::string path, bool read_only, std::unique_ptr<cache::DatabaseFile> file)
    : path_(std::move(path)), read_only_(read_only), file_(std::move(file)) {}

Database::~Database() {
  if (!closed_) abandon();
}

std::uint32_t Database::page_size() const { return file_->page_size(); }

Result<std::shared_ptr<Database>> Database::create(io::FileSystem& file_system,
                                                   cache::BufferCache& cache,
                                                   const std::string& path,
                                                   const DatabaseOptions& options) {
  cache::CreateOptions create_options;
  create_options.page_size_bytes = options.page_size;
  create_options.max_size_pages = options.max_pages;
  create_options.overwrite = options.overwrite;
  Result<std::unique_ptr<cache::DatabaseFile>> file =
      cache::DatabaseFile::create(file_system, cache, path, create_options);
  if (!file.ok()) {
    if (file.status().error() == Error::kFileAlreadyExists) {
      return Status(Error::kDatabaseDuplicate, path);
    }
    return file.status();
  }
  std::shared_ptr<Database> database(new Database(path, false, std::move(file).value()));
  database->change_log_ = options.change_log;
  database->record_log_ = options.record_log;
  // The catalog tree, recorded in the header.
  Result<page::Pgno> root = btree::Tree::create(*database->file_, catalog_format::kCatalogObjectId,
                                                database->change_log_);
  if (!root.ok()) return root.status();
  database->catalog_root_ = root.value();
  ESENT_RETURN_IF_ERROR(database->file_->update_header([&](page::DatabaseHeader& header) {
    header.catalog_root = root.value();
    header.next_object_id = catalog_format::kFirstTableObjectId;
  }));
  return database;
}

Result<std::shared_ptr<Database>> Database::open(io::FileSystem& file_system,
                                                 cache::BufferCache& cache,
                                                 const std::string& path,
                                                 const DatabaseOptions& options) {
  cache::OpenOptions open_options;
  open_options.read_only = options.read_only;
  open_options.expected_page_size = options.page_size;
  // Without a log there is nothing to recover a dirty database with.
  open_options.require_clean_shutdown = true;
  open_options.before_dirty_header = options.before_first_write;
  Result<std::unique_ptr<cache::DatabaseFile>> file =
      cache::DatabaseFile::open(file_system, cache, path, open_options);
  if (!file.ok()) return file.status();
  std::shared_ptr<Database> database(
      new Database(path, options.read_only, std::move(file).value()));
  database->change_log_ = options.change_log;
  database->record_log_ = options.record_log;
  database->catalog_root_ = database->file_->header().catalog_root;
  if (database->catalog_root_ == page::kNoPage) {
    return Status(Error::kDatabaseCorrupted, "database has no catalog: " + path);
  }
  return database;
}

Status Database::close() {
  if (closed_) return Status::success();
  closed_ = true;
  Status cleaned;
  std::map<std::string, std::shared_ptr<Table>> tables;
  {
    std::lock_guard lock(schema_mutex_);
    tables.swap(tables_);
  }
  // What versions still keep (flag-deleted records, old index entries and long values) goes
  // now: no transaction can read a closed database. Uncommitted changes stay as they are.
  // (A table's latch is never taken under schema_mutex_: schema changes take them the other
  // way round.)
  for (auto& [name, table] : tables) {
    Status status = table->clean(table->versioned_keys(), 0, true);
    if (!status.ok() && cleaned.ok()) cleaned = status;
    std::unique_lock latch(table->latch());
    table->set_dropped(true);
  }
  Status closed = file_->close();
  return cleaned.ok() ? closed : cleaned;
}

void Database::abandon() {
  closed_ = true;
  std::lock_guard lock(schema_mutex_);
  for (auto& [name, table] : tables_) table->set_dropped(true);
  tables_.clear();
  file_.reset();  // unwritten changes are dropped, as in a crash
}

Result<std::shared_ptr<Table>> Database::table_by_object_id(std::uint32_t object_id) {
  Result<std::vector<std::string>> names = table_names();
  if (!names.ok()) return names.status();
  for (const std::string& name : names.value()) {
    Result<std::shared_ptr<Table>> table = open_table(name);
    if (!table.ok()) return table.status();
    if ((*table)->schema()->object_id == object_id) return table;
  }
  return Status(Error::kObjectNotFound, "no table with object id " + std::to_string(object_id));
}

btree::Tree Database::catalog_tree() {
  return btree::Tree(*file_, catalog_root_, catalog_format::kCatalogObjectId, change_log_);
}

std::uint32_t Database::allocate_object_id() {
  std::uint32_t id = 0;
  Status status = file_->update_header([&](page::DatabaseHeader& header) {
    id = header.next_object_id++;
  });
  return status.ok() ? id : 0;
}

Result<std::shared_ptr<Table>> Database::create_table(TableDef& definition) {
  if (read_only_) return Error::kPermissionDenied;
  ESENT_RETURN_IF_ERROR(validate_object_name(definition.name));
  std::string name = normalize_object_name(definition.name);
  std::lock_guard lock(schema_mutex_);
  btree::Tree catalog = catalog_tree();
  Result<std::optional<std::string>> existing = catalog.get(table_entry_key(name));
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) return Status(Error::kTableDuplicate, name);

  auto schema = std::make_shared<TableSchema>();
  schema->name = name;
  schema->initial_pages = definition.initial_pages;
  schema->density = definition.density == 0 ? 80 : definition.density;
  if (schema->density < 20 || schema->density > 100) return Error::kDensityInvalid;

  // Columns.
  for (ColumnDef& requested : definition.columns) {
    Result<ColumnDef> column = validate_column_def(requested);
    if (!column.ok()) return column.status();
    if (schema->column(column->name) != nullptr) return Status(Error::kColumnDuplicate, column->name);
    for (const ColumnDef& earlier : schema->columns) {
      const std::uint32_t unique_kinds = column_flags::kAutoincrement | column_flags::kVersion;
      if ((earlier.flags & column->flags & unique_kinds) != 0) return Error::kColumnRedundant;
    }
    Result<std::uint32_t> id = next_column_id(column_class_for(column.value()), schema->columns);
    if (!id.ok()) return id.status();
    column->column_id = id.value();
    requested.column_id = id.value();
    schema->columns.push_back(std::move(column).value());
  }
  // Indexes.
  const std::uint32_t key_most = key_most_bytes_for_page_size(page_size());
  for (IndexDef& requested : definition.indexes) {
    Result<IndexDef> index = validate_index_def(requested, schema->columns, key_most);
    if (!index.ok()) return index.status();
    if (schema->index(index->name) != nullptr) return Status(Error::kIndexDuplicate, index->name);
    if ((index->flags & index_flags::kPrimary) != 0 && schema->primary_index() != nullptr) {
      return Error::kIndexHasPrimary;
    }
    index->index_id = schema->next_index_id++;
    requested.index_id = index->index_id;
    schema->indexes.push_back(std::move(index).value());
  }
  ESENT_RETURN_IF_ERROR(finish_schema(*schema));

  // Trees. On failure, the ones made so far are freed again.
  std::vector<page::Pgno> made;
  auto make_tree = [&](std::uint32_t object_id) -> Result<page::Pgno> {
    Result<page::Pgno> root = btree::Tree::create(*file_, object_id, change_log_);
    if (root.ok()) made.push_back(root.value());
    return root;
  };
  auto fail = [&](const Status& status) -> Status {
    for (page::Pgno root : made) (void)btree::Tree(*file_, root, 0, change_log_).destroy();
    return status;
  };
  schema->object_id = allocate_object_id();
  Result<page::Pgno> primary = make_tree(schema->object_id);
  if (!primary.ok()) return fail(primary.status());
  schema->primary_root = primary.value();
  schema->long_value_object_id = allocate_object_id();
  Result<page::Pgno> long_values = make_tree(schema->long_value_object_id);
  if (!long_values.ok()) return fail(long_values.status());
  schema->long_value_root = long_values.value();
  for (const IndexDef& index : schema->indexes) {
    if ((index.flags & index_flags::kPrimary) != 0) {
      schema->index_roots.push_back(page::kNoPage);
      schema->index_object_ids.push_back(schema->object_id);
      continue;
    }
    std::uint32_t object_id = allocate_object_id();
    Result<page::Pgno> root = make_tree(object_id);
    if (!root.ok()) return fail(root.status());
    schema->index_roots.push_back(root.value());
    schema->index_object_ids.push_back(object_id);
  }
  Status stored = store_schema_locked(*schema, nullptr);
  if (!stored.ok()) return fail(stored);
  auto table = std::make_shared<Table>(*this, schema);
  tables_[fold_name(name)] = table;
  return table;
}

Status Database::store_schema(const TableSchema& schema, const TableSchema* previous) {
  std::lock_guard lock(schema_mutex_);
  return store_schema_locked(schema, previous);
}

Status Database::store_schema_locked(const TableSchema& schema, const TableSchema* previous) {
  btree::Tree catalog = catalog_tree();
  auto put = [&](const std::string& key, const std::string& value) -> Status {
    Result<std::optional<std::string>> old = catalog.get(key);
    if (!old.ok()) return old.status();
    if (!old->has_value()) return catalog.insert(key, value);
    if (**old == value) return Status::success();
    return catalog.replace(key, value);
  };
  ESENT_RETURN_IF_ERROR(put(table_entry_key(schema.name), encode_table_entry(schema)));
  for (const ColumnDef& column : schema.columns) {
    ESENT_RETURN_IF_ERROR(put(column_entry_key(schema.object_id, column.column_id),
                              encode_column_entry(column)));
  }
  for (std::size_t i = 0; i < schema.indexes.size(); ++i) {
    IndexEntry entry{schema.indexes[i], schema.index_roots[i], schema.index_object_ids[i]};
    ESENT_RETURN_IF_ERROR(put(index_entry_key(schema.object_id, schema.indexes[i].index_id),
                              encode_index_entry(entry)));
  }
  if (previous != nullptr) {
    for (const IndexDef& old : previous->indexes) {
      bool kept = std::any_of(schema.indexes.begin(), schema.indexes.end(),
                              [&](const IndexDef& now) { return now.index_id == old.index_id; });
      if (!kept) ESENT_RETURN_IF_ERROR(catalog.erase(index_entry_key(schema.object_id, old.index_id)));
    }
  }
  return Status::success();
}

Result<std::shared_ptr<const TableSchema>> Database::load_schema(std::string_view name) {
  btree::Tree catalog = catalog_tree();
  Result<std::optional<std::string>> entry = catalog.get(table_entry_key(name));
  if (!entry.ok()) return entry.status();
  if (!entry->has_value()) return Status(Error::kObjectNotFound, std::string(name));
  auto schema = std::make_shared<TableSchema>();
  ESENT_RETURN_IF_ERROR(decode_table_entry(**entry, schema.get()));

  btree::Cursor cursor(catalog);
  std::string prefix = column_entries_prefix(schema->object_id);
  Result<bool> found = cursor.seek(prefix, btree::SeekOp::kGreaterOrEqual);
  while (found.ok() && found.value() && cursor.key().compare(0, prefix.size(), prefix) == 0) {
    Result<ColumnDef> column = decode_column_entry(cursor.value());
    if (!column.ok()) return column.status();
    schema->columns.push_back(std::move(column).value());
    found = cursor.next();
  }
  if (!found.ok()) return found.status();
  prefix = index_entries_prefix(schema->object_id);
  found = cursor.seek(prefix, btree::SeekOp::kGreaterOrEqual);
  while (found.ok() && found.value() && cursor.key().compare(0, prefix.size(), prefix) == 0) {
    Result<IndexEntry> index = decode_index_entry(cursor.value());
    if (!index.ok()) return index.status();
    schema->indexes.push_back(index->definition);
    schema->index_roots.push_back(index->root);
    schema->index_object_ids.push_back(index->object_id);
    found = cursor.next();
  }
  if (!found.ok()) return found.status();
  ESENT_RETURN_IF_ERROR(finish_schema(*schema));
  return std::shared_ptr<const TableSchema>(schema);
}

Result<std::shared_ptr<Table>> Database::open_table(std::string_view name) {
  std::lock_guard lock(schema_mutex_);
  std::string folded = fold_name(normalize_object_name(name));
  auto it = tables_.find(folded);
  if (it != tables_.end()) return it->second;
  Result<std::shared_ptr<const TableSchema>> schema = load_schema(name);
  if (!schema.ok()) return schema.status();
  auto table = std::make_shared<Table>(*this, std::move(schema).value());
  tables_[folded] = table;
  return table;
}

Status Database::delete_table(std::string_view name) {
  Result<std::shared_ptr<Table>> unlinked = unlink_table(name);
  if (!unlinked.ok()) return unlinked.status();
  return destroy_trees(*(*unlinked)->schema());
}

Result<std::shared_ptr<Table>> Database::unlink_table(std::string_view name) {
  if (read_only_) return Error::kPermissionDenied;
  std::shared_ptr<Table> table;
  {
    std::lock_guard lock(schema_mutex_);
    std::string folded = fold_name(normalize_object_name(name));
    auto it = tables_.find(folded);
    if (it != tables_.end()) {
      if (it->second->in_use()) return Status(Error::kTableInUse, std::string(name));
      table = it->second;
    } else {
      Result<std::shared_ptr<const TableSchema>> loaded = load_schema(name);
      if (!loaded.ok()) return loaded.status();
      table = std::make_shared<Table>(*this, std::move(loaded).value());
    }
    std::shared_ptr<const TableSchema> schema = table->schema();
    btree::Tree catalog = catalog_tree();
    for (const ColumnDef& column : schema->columns) {
      ESENT_RETURN_IF_ERROR(catalog.erase(column_entry_key(schema->object_id, column.column_id)));
    }
    for (const IndexDef& index : schema->indexes) {
      ESENT_RETURN_IF_ERROR(catalog.erase(index_entry_key(schema->object_id, index.index_id)));
    }
    ESENT_RETURN_IF_ERROR(catalog.erase(table_entry_key(schema->name)));
    if (it != tables_.end()) tables_.erase(it);
  }
  // After any cleanup or undo already inside the table (its latch is never taken under
  // schema_mutex_): they find it dropped from now on.
  std::unique_lock latch(table->latch());
  table->set_dropped(true);
  return table;
}

Status Database::relink_table(std::shared_ptr<Table> table) {
  {
    std::unique_lock latch(table->latch());
    table->set_dropped(false);
  }
  std::lock_guard lock(schema_mutex_);
  std::shared_ptr<const TableSchema> schema = table->schema();
  ESENT_RETURN_IF_ERROR(store_schema_locked(*schema, nullptr));
  tables_[fold_name(schema->name)] = std::move(table);
  return Status::success();
}

Status Database::destroy_trees(const TableSchema& schema) {
  // The catalog no longer names the trees; free their pages.
  ESENT_RETURN_IF_ERROR(btree::Tree(*file_, schema.primary_root, schema.object_id, change_log_).destroy());
  ESENT_RETURN_IF_ERROR(btree::Tree(*file_, schema.long_value_root, schema.long_value_object_id, change_log_).destroy());
  for (std::size_t i = 0; i < schema.indexes.size(); ++i) {
    if (schema.index_roots[i] == page::kNoPage) continue;
    ESENT_RETURN_IF_ERROR(btree::Tree(*file_, schema.index_roots[i], schema.index_object_ids[i], change_log_).destroy());
  }
  return Status::success();
}

Result<std::vector<std::string>> Database::table_names() {
  std::lock_guard lock(schema_mutex_);
  btree::Tree catalog = catalog_tree();
  btree::Cursor cursor(catalog);
  std::vector<std::string> names;
  std::string prefix(1, catalog_format::kTableTag);
  Result<bool> found = cursor.seek(prefix, btree::SeekOp::kGreaterOrEqual);
  while (found.ok() && found.value() && cursor.key().compare(0, 1, prefix) == 0) {
    TableSchema schema;
    ESENT_RETURN_IF_ERROR(decode_table_entry(cursor.value(), &schema));
    names.push_back(schema.name);
    found = cursor.next();
  }
  if (!found.ok()) return found.status();
  return names;
}

}  // namespace esent::catalog
