#include "api/list_table.h"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <optional>
#include <shared_mutex>
#include <span>

#include "api/jet.h"
#include "btree/tree.h"
#include "catalog/cursor.h"
#include "catalog/database.h"
#include "engine/temp_tables.h"
#include "util/utf.h"

namespace esent::api {

std::string value_u32(std::uint32_t value) {
  std::string bytes(4, '\0');
  for (std::size_t i = 0; i < 4; ++i) bytes[i] = static_cast<char>((value >> (8 * i)) & 0xFF);
  return bytes;
}

std::string value_u16(std::uint16_t value) {
  std::string bytes(2, '\0');
  bytes[0] = static_cast<char>(value & 0xFF);
  bytes[1] = static_cast<char>((value >> 8) & 0xFF);
  return bytes;
}

Result<std::string> value_text(const std::string& utf8, bool wide) {
  if (!wide) return utf8;
  Result<std::u16string> units = utf8_to_utf16(utf8);
  if (!units.ok()) return units.status();
  std::string bytes;
  bytes.reserve(units->size() * 2);
  for (char16_t unit : units.value()) {
    bytes.push_back(static_cast<char>(unit & 0xFF));
    bytes.push_back(static_cast<char>((unit >> 8) & 0xFF));
  }
  return bytes;
}

bool name_less(const std::string& left, const std::string& right) {
  return std::lexicographical_compare(left.begin(), left.end(), right.begin(), right.end(),
                                      [](char a, char b) {
                                        return std::toupper(static_cast<unsigned char>(a)) <
                                               std::toupper(static_cast<unsigned char>(b));
                                      });
}

Result<ListTable> make_list_table(const SessionCall& call, JET_SESID sesid,
                                  const std::vector<ListColumn>& columns,
                                  const std::vector<ListRow>& rows) {
  std::shared_ptr<engine::TempTables> temp = call.instance->temp_tables();
  if (!temp) return Error::kTermInProgress;
  std::vector<catalog::ColumnDef> definitions;
  for (const ListColumn& column : columns) {
    catalog::ColumnDef definition;
    definition.name = column.name;
    definition.type = column.type;
    definition.code_page = column.code_page;
    definitions.push_back(std::move(definition));
  }
  Result<std::shared_ptr<catalog::Table>> table = temp->create_table(definitions);
  if (!table.ok()) return table.status();
  const std::string table_name = (*table)->name();

  // From here on the handle object owns the table: whatever fails, its close hook drops it.
  auto handle = std::make_unique<engine::TableCursor>();
  handle->session_handle = sesid;
  handle->dbid = 0;
  handle->temporary = true;
  handle->database = temp->database();
  std::weak_ptr<engine::TempTables> weak = temp;
  handle->on_close = [weak, table_name] {
    if (std::shared_ptr<engine::TempTables> owner = weak.lock()) owner->drop(table_name);
  };

  ListTable result;
  for (const catalog::ColumnDef& definition : definitions) result.column_ids.push_back(definition.column_id);
  {
    Result<std::unique_ptr<catalog::Cursor>> writer = catalog::Cursor::open(table.value(), false, false);
    if (!writer.ok()) return writer.status();
    for (const ListRow& row : rows) {
      ESENT_RETURN_IF_ERROR((*writer)->prepare_update(JET_prepInsert));
      for (std::size_t i = 0; i < row.size() && i < definitions.size(); ++i) {
        if (!row[i]) continue;
        std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(row[i]->data()), row[i]->size());
        ESENT_RETURN_IF_ERROR((*writer)->set_column(definitions[i].column_id, bytes, 0, 1, 0));
      }
      Result<catalog::Cursor::Change> written = (*writer)->update();
      if (!written.ok()) return written.status();
      ++result.rows;
    }
  }
  Result<std::unique_ptr<catalog::Cursor>> reader = catalog::Cursor::open(table.value(), false, true);
  if (!reader.ok()) return reader.status();
  handle->cursor = std::move(reader).value();
  Result<std::uint64_t> opened = registry().open_table(call.session, sesid, std::move(handle));
  if (!opened.ok()) return opened.status();
  result.tableid = opened.value();
  return result;
}

Result<std::uint64_t> index_pages(catalog::Table& table, const std::string& index_name) {
  std::shared_ptr<const catalog::TableSchema> schema = table.schema();
  std::optional<std::size_t> position = schema->index_position(index_name);
  if (!position) return Status(Error::kIndexNotFound, index_name);
  page::Pgno root = schema->primary_root;
  std::uint32_t object_id = schema->object_id;
  if ((schema->indexes[*position].flags & catalog::index_flags::kPrimary) == 0) {
    root = schema->index_roots[*position];
    object_id = schema->index_object_ids[*position];
  }
  std::shared_lock lock(table.latch());
  Result<btree::TreeStats> tree = btree::check_tree(table.database().file(), root, object_id);
  if (!tree.ok()) return tree.status();
  return tree->leaf_pages + tree->internal_pages;
}

}  // namespace esent::api

namespace esent::api {

Status refresh_schema(catalog::Cursor& cursor) {
  if (cursor.update_prepared() || cursor.schema() == cursor.table().schema()) return Status::success();
  return cursor.set_current_index(cursor.current_index_name(), false);
}

Result<TableStats> table_stats(catalog::Table& table) {
  std::shared_ptr<const catalog::TableSchema> schema = table.schema();
  std::shared_lock lock(table.latch());
  cache::PageStore& store = table.database().file();
  TableStats stats;
  auto add = [&](page::Pgno root, std::uint32_t object_id, bool records) -> Status {
    if (root == page::kNoPage) return Status::success();
    Result<btree::TreeStats> tree = btree::check_tree(store, root, object_id);
    if (!tree.ok()) return tree.status();
    stats.pages += tree->leaf_pages + tree->internal_pages;
    if (records) stats.records += tree->entries;
    return Status::success();
  };
  ESENT_RETURN_IF_ERROR(add(schema->primary_root, schema->object_id, true));
  ESENT_RETURN_IF_ERROR(add(schema->long_value_root, schema->long_value_object_id, false));
  for (std::size_t i = 0; i < schema->index_roots.size() && i < schema->index_object_ids.size(); ++i) {
    ESENT_RETURN_IF_ERROR(add(schema->index_roots[i], schema->index_object_ids[i], false));
  }
  return stats;
}

}  // namespace esent::api
