// Encoding and decoding of the catalog tree's entries (catalog/catalog_format.h).
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "catalog/schema.h"
#include "catalog/table.h"
#include "util/status.h"

namespace esent::catalog {

// The ASCII upper-case form names are compared and keyed by.
std::string fold_name(std::string_view name);

std::string table_entry_key(std::string_view table_name);
std::string column_entry_key(std::uint32_t object_id, std::uint32_t column_id);
std::string index_entry_key(std::uint32_t object_id, std::uint32_t index_id);
// The prefix of every column (or index) entry of a table.
std::string column_entries_prefix(std::uint32_t object_id);
std::string index_entries_prefix(std::uint32_t object_id);

// The table entry holds the schema minus its columns and indexes.
std::string encode_table_entry(const TableSchema& schema);
Status decode_table_entry(std::string_view value, TableSchema* schema);

std::string encode_column_entry(const ColumnDef& column);
Result<ColumnDef> decode_column_entry(std::string_view value);

struct IndexEntry {
  IndexDef definition;
  page::Pgno root = page::kNoPage;
  std::uint32_t object_id = 0;
};
std::string encode_index_entry(const IndexEntry& index);
Result<IndexEntry> decode_index_entry(std::string_view value);

}  // namespace esent::catalog
