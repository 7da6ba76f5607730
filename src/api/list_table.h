// List tables: the temporary tables ESE hands out for JET_ColInfoList, JET_IdxInfoList and
// JET_ObjInfoList. make_list_table creates one in the instance's temporary database
// (engine/temp_tables.h), fills it with rows in the order given (callers sort them the way
// ESE's temporary-table key would), and returns a read-only JET_TABLEID positioned on the first
// row. Closing the handle (JetCloseTable, session end, JetTerm) deletes the table.
//
// Values are raw column bytes (little-endian integers, text in the column's code page);
// nullopt is NULL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/handles.h"
#include "api/jet.h"
#include "catalog/column_types.h"
#include "util/status.h"

namespace esent::api {

struct ListColumn {
  const char* name;
  catalog::ColumnType type;
  std::uint16_t code_page = 0;  // text columns: 1252 (A calls) or 1200 (W calls)
};

using ListRow = std::vector<std::optional<std::string>>;

struct ListTable {
  JET_TABLEID tableid = 0;
  std::vector<JET_COLUMNID> column_ids;  // parallel to the columns given
  std::uint32_t rows = 0;
};

// Errors: the temporary database's creation errors, record errors (none expected for
// well-formed rows).
Result<ListTable> make_list_table(const SessionCall& call, JET_SESID sesid,
                                  const std::vector<ListColumn>& columns,
                                  const std::vector<ListRow>& rows);

// Column value encoders.
std::string value_u32(std::uint32_t value);
std::string value_u16(std::uint16_t value);
// `utf8` in the code page of an A (1252: the bytes) or W (1200: UTF-16LE) list.
Result<std::string> value_text(const std::string& utf8, bool wide);

// The code page the text columns of a list table have for an A or W call.
inline std::uint16_t list_code_page(bool wide) { return wide ? 1200 : 1252; }

// ESE's key order for names in list tables: ASCII case-insensitive.
bool name_less(const std::string& left, const std::string& right);

}  // namespace esent::api

namespace esent::catalog {
class Cursor;
class Table;
}

namespace esent::api {

// After a schema change made through `cursor`, lets it see the new schema (the catalog's cursors
// keep the schema snapshot they were given until they switch index), keeping its position.
// Cursors of other handles refresh on their own. Nothing is done while an update is prepared.
Status refresh_schema(catalog::Cursor& cursor);

// Statistics of a table computed by walking its trees (btree::check_tree): the records of the
// primary tree, and the pages every tree of the table owns (primary, secondary indexes, long
// values). ESE keeps these approximately; ours are exact at the time of the call.
struct TableStats {
  std::uint64_t records = 0;
  std::uint64_t pages = 0;
};
Result<TableStats> table_stats(catalog::Table& table);

// The pages of one index's tree (the primary tree for the primary index). kIndexNotFound.
Result<std::uint64_t> index_pages(catalog::Table& table, const std::string& index_name);

}  // namespace esent::api
