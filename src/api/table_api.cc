// Tables: JetCreateTable, JetCreateTableColumnIndex(2,3,4), JetOpenTable, JetCloseTable,
// JetDeleteTable, JetDupCursor, JetGetTableInfo.
//
// A JET_TABLEID is an engine::TableCursor registered with the session (Registry::open_table).
// JetCreateTable* hands back an exclusive cursor (other opens get JET_errTableLocked until it
// is closed); JetOpenTable's JET_bitTableDenyRead / DenyWrite ask for the same exclusivity.
//
// Transactions: a table created inside a transaction is deleted again by JetRollback
// (engine::record_table_created); the other schema changes are not undone yet (docs/compat.md
// "Tables, columns and indexes").
#include <cstring>
#include <set>

#include "api/error_map.h"
#include "api/guard.h"
#include "api/handles.h"
#include "api/jet.h"
#include "api/list_table.h"
#include "api/strings.h"
#include "api/table_create.h"
#include "catalog/cursor.h"
#include "catalog/database.h"
#include "engine/transactions.h"

namespace esent::api {
namespace {

constexpr JET_TABLEID kTableIdNil = ~JET_TABLEID{0};

Result<JET_TABLEID> register_cursor(const DatabaseCall& call, JET_SESID sesid,
                                    std::unique_ptr<catalog::Cursor> cursor) {
  auto handle = std::make_unique<engine::TableCursor>();
  handle->session_handle = sesid;
  handle->dbid = call.dbid;
  handle->database = call.database;
  handle->cursor = std::move(cursor);
  Result<std::uint64_t> opened = registry().open_table(call.call.session, sesid, std::move(handle));
  if (!opened.ok()) return opened.status();
  return static_cast<JET_TABLEID>(opened.value());
}

// Opens the exclusive cursor JetCreateTable* returns on a table just made.
Status open_created(const DatabaseCall& call, JET_SESID sesid, std::shared_ptr<catalog::Table> table,
                    JET_TABLEID* tableid) {
  Result<std::unique_ptr<catalog::Cursor>> cursor =
      catalog::Cursor::open(std::move(table), true, false, sesid, call.call.session->context());
  if (!cursor.ok()) return cursor.status();
  Result<JET_TABLEID> handle = register_cursor(call, sesid, std::move(cursor).value());
  if (!handle.ok()) return handle.status();
  *tableid = handle.value();
  return Status::success();
}

template <typename Char>
Status create_table(JET_SESID sesid, JET_DBID dbid, const Char* name, std::uint32_t pages,
                    std::uint32_t density, JET_TABLEID* tableid) {
  if (tableid == nullptr) return Error::kInvalidParameter;
  Result<DatabaseCall> call = enter_database(sesid, dbid);
  if (!call.ok()) return call.status();
  if (call->read_only) return Error::kPermissionDenied;
  Result<std::string> utf8 = input_name(name);
  if (!utf8.ok()) return utf8.status();
  catalog::TableDef definition;
  definition.name = std::move(utf8).value();
  definition.initial_pages = pages;
  definition.density = density;
  ESENT_RETURN_IF_ERROR(
      engine::note_table_creation(*call->call.session, *call->database, definition.name));
  Result<std::shared_ptr<catalog::Table>> table = call->database->create_table(definition);
  if (!table.ok()) return table.status();
  ESENT_RETURN_IF_ERROR(engine::record_table_created(*call->call.session, table.value()));
  return open_created(call.value(), sesid, std::move(table).value(), tableid);
}

// --- JetCreateTableColumnIndex ----------------------------------------------------------------

template <typename TableCreate>
inline constexpr bool kHasCallback = requires(TableCreate create) { create.szCallback; };

constexpr JET_GRBIT kTableCreateKnownGrbits =
    JET_bitTableCreateFixedDDL | JET_bitTableCreateTemplateTable |
    JET_bitTableCreateNoFixedVarColumnsInDerivedTables | JET_bitTableCreateImmutableStructure;

bool same_name(const std::string& left, const std::string& right) {
  return !name_less(left, right) && !name_less(right, left);
}

template <typename TableCreate>
Status create_table_column_index(JET_SESID sesid, JET_DBID dbid, TableCreate* create) {
  if (create == nullptr) return Error::kInvalidParameter;
  if (create->cbStruct != sizeof(TableCreate)) return Status(Error::kInvalidParameter, "cbStruct");
  Result<DatabaseCall> call = enter_database(sesid, dbid);
  if (!call.ok()) return call.status();
  if (call->read_only) return Error::kPermissionDenied;
  create->tableid = kTableIdNil;
  create->cCreated = 0;

  if ((create->grbit & ~kTableCreateKnownGrbits) != 0) return Error::kInvalidGrbit;
  if ((create->grbit & (JET_bitTableCreateTemplateTable |
                        JET_bitTableCreateNoFixedVarColumnsInDerivedTables)) != 0) {
    return Status(Error::kFeatureNotAvailable, "template tables");
  }
  if (create->szTemplateTableName != nullptr && create->szTemplateTableName[0] != 0) {
    return Status(Error::kFeatureNotAvailable, "template tables");
  }
  if constexpr (kHasCallback<TableCreate>) {
    if (create->szCallback != nullptr) return Status(Error::kFeatureNotAvailable, "table callbacks");
  }
  if (create->cColumns != 0 && create->rgcolumncreate == nullptr) return Error::kInvalidParameter;
  if (create->cIndexes != 0 && create->rgindexcreate == nullptr) return Error::kInvalidParameter;

  // The table first, as ESE makes it first: its name, density and existence are checked
  // before any column.
  catalog::TableDef definition;
  Result<std::string> name = input_name(create->szTableName);
  if (!name.ok()) return name.status();
  definition.name = std::move(name).value();
  definition.initial_pages = create->ulPages;
  definition.density = create->ulDensity;
  ESENT_RETURN_IF_ERROR(catalog::validate_object_name(definition.name));
  if (definition.density != 0 && (definition.density < 20 || definition.density > 100)) {
    return Error::kDensityInvalid;
  }
  if (call->database->open_table(definition.name).ok()) return Error::kTableDuplicate;
  std::uint32_t created = 1;

  // Columns, each checked as the catalog will and given the id the catalog will give it.
  std::vector<catalog::ColumnDef> columns;
  for (std::uint32_t i = 0; i < create->cColumns; ++i) {
    auto& column_create = create->rgcolumncreate[i];
    auto fail = [&](const Status& status) {
      if (column_create.cbStruct == sizeof(column_create)) column_create.err = to_jet_err(status);
      create->cCreated = created;
      return status;
    };
    Result<catalog::ColumnDef> column = column_def_from_create(column_create);
    if (!column.ok()) return fail(column.status());
    Result<catalog::ColumnDef> valid = catalog::validate_column_def(column.value());
    if (!valid.ok()) return fail(valid.status());
    for (const catalog::ColumnDef& other : columns) {
      if (same_name(other.name, valid->name)) return fail(Error::kColumnDuplicate);
    }
    Result<std::uint32_t> id = catalog::next_column_id(catalog::column_class_for(valid.value()), columns);
    if (!id.ok()) return fail(id.status());
    valid->column_id = id.value();
    column_create.columnid = id.value();
    column_create.err = JET_errSuccess;
    columns.push_back(valid.value());
    definition.columns.push_back(std::move(column).value());
    ++created;
  }

  // Indexes, against those columns.
  const catalog::ColumnLookup lookup = catalog::make_column_lookup(columns);
  const std::uint32_t key_most = catalog::key_most_bytes_for_page_size(call->database->page_size());
  bool has_primary = false;
  for (std::uint32_t i = 0; i < create->cIndexes; ++i) {
    auto& index_create = create->rgindexcreate[i];
    auto fail = [&](const Status& status) {
      if (index_create_size_ok<std::remove_reference_t<decltype(index_create)>>(index_create.cbStruct)) {
        index_create.err = to_jet_err(status);
      }
      create->cCreated = created;
      return status;
    };
    Result<catalog::IndexDef> index = index_def_from_create(index_create, lookup);
    if (!index.ok()) return fail(index.status());
    Result<catalog::IndexDef> valid = catalog::validate_index_def(index.value(), columns, key_most);
    if (!valid.ok()) return fail(valid.status());
    for (const catalog::IndexDef& other : definition.indexes) {
      if (same_name(catalog::normalize_object_name(other.name), valid->name)) {
        return fail(Error::kIndexDuplicate);
      }
    }
    if ((valid->flags & catalog::index_flags::kPrimary) != 0) {
      if (has_primary) return fail(Error::kIndexHasPrimary);
      has_primary = true;
    }
    index_create.err = JET_errSuccess;
    definition.indexes.push_back(std::move(index).value());
    ++created;
  }

  ESENT_RETURN_IF_ERROR(
      engine::note_table_creation(*call->call.session, *call->database, definition.name));
  Result<std::shared_ptr<catalog::Table>> table = call->database->create_table(definition);
  if (!table.ok()) return table.status();
  ESENT_RETURN_IF_ERROR(engine::record_table_created(*call->call.session, table.value()));
  for (std::uint32_t i = 0; i < create->cColumns; ++i) {
    create->rgcolumncreate[i].columnid = definition.columns[i].column_id;
  }
  JET_TABLEID tableid = kTableIdNil;
  ESENT_RETURN_IF_ERROR(open_created(call.value(), sesid, std::move(table).value(), &tableid));
  create->tableid = tableid;
  create->cCreated = created;
  return Status::success();
}

// --- open, close, delete, duplicate -------------------------------------------------------------

template <typename Char>
Status open_table(JET_SESID sesid, JET_DBID dbid, const Char* name, JET_GRBIT grbit,
                  JET_TABLEID* tableid) {
  if (tableid == nullptr) return Error::kInvalidParameter;
  Result<DatabaseCall> call = enter_database(sesid, dbid);
  if (!call.ok()) return call.status();
  // Only DenyRead, DenyWrite and ReadOnly change anything; the performance hints (Preread,
  // Sequential, NoCache, OpportuneRead, Class*), Updatable, PermitDDL and bits of later versions
  // are accepted and ignored.
  Result<std::string> utf8 = input_name(name);
  if (!utf8.ok()) return utf8.status();
  ESENT_RETURN_IF_ERROR(catalog::validate_object_name(utf8.value()));
  Result<std::shared_ptr<catalog::Table>> table = call->database->open_table(utf8.value());
  if (!table.ok()) return table.status();
  const bool exclusive = (grbit & (JET_bitTableDenyRead | JET_bitTableDenyWrite)) != 0;
  const bool read_only = (grbit & JET_bitTableReadOnly) != 0 || call->read_only;
  Result<std::unique_ptr<catalog::Cursor>> cursor =
      catalog::Cursor::open(std::move(table).value(), exclusive, read_only, sesid,
                            call->call.session->context());
  if (!cursor.ok()) return cursor.status();
  Result<JET_TABLEID> handle = register_cursor(call.value(), sesid, std::move(cursor).value());
  if (!handle.ok()) return handle.status();
  *tableid = handle.value();
  return Status::success();
}

Status close_table(JET_SESID sesid, JET_TABLEID tableid) {
  Result<TableCall> call = enter_table(sesid, tableid, engine::Admission::kIgnoreStopService);
  if (!call.ok()) return call.status();
  return registry().close_table(call->call.session, tableid);
}

template <typename Char>
Status delete_table(JET_SESID sesid, JET_DBID dbid, const Char* name) {
  Result<DatabaseCall> call = enter_database(sesid, dbid);
  if (!call.ok()) return call.status();
  if (call->read_only) return Error::kPermissionDenied;
  Result<std::string> utf8 = input_name(name);
  if (!utf8.ok()) return utf8.status();
  ESENT_RETURN_IF_ERROR(catalog::validate_object_name(utf8.value()));
  return engine::delete_table(*call->call.session, *call->database, utf8.value());
}

Status dup_cursor(JET_SESID sesid, JET_TABLEID tableid, JET_TABLEID* new_tableid, JET_GRBIT grbit) {
  if (new_tableid == nullptr) return Error::kInvalidParameter;
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  if (grbit != 0) return Error::kInvalidGrbit;
  Result<std::unique_ptr<catalog::Cursor>> copy = call->cursor().duplicate();
  if (!copy.ok()) return copy.status();
  auto handle = std::make_unique<engine::TableCursor>();
  handle->session_handle = sesid;
  handle->dbid = call->table->dbid;
  handle->database = call->table->database;
  handle->cursor = std::move(copy).value();
  // A duplicate of a list table may be the last cursor on it: it tries the deletion too (the
  // first to close finds the table in use and leaves it to the other).
  handle->on_close = call->table->on_close;
  handle->temporary = call->table->temporary;
  Result<std::uint64_t> opened = registry().open_table(call->call.session, sesid, std::move(handle));
  if (!opened.ok()) return opened.status();
  *new_tableid = opened.value();
  return Status::success();
}

// --- JetGetTableInfo --------------------------------------------------------------------------

template <typename Char>
Status get_table_info(JET_SESID sesid, JET_TABLEID tableid, void* result, std::uint32_t size_bytes,
                      std::uint32_t info_level) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  if (result == nullptr && size_bytes != 0) return Error::kInvalidParameter;
  catalog::Table& table = call->cursor().table();
  const bool temporary = call->table->temporary;
  auto write_u32 = [&](std::uint32_t value) -> Status {
    if (size_bytes < sizeof(std::uint32_t)) return Error::kBufferTooSmall;
    std::memcpy(result, &value, sizeof(value));
    return Status::success();
  };
  switch (info_level) {
    case JET_TblInfo: {
      if (size_bytes < sizeof(JET_OBJECTINFO)) return Error::kBufferTooSmall;
      if (temporary) return Error::kObjectNotFound;
      Result<TableStats> stats = table_stats(table);
      if (!stats.ok()) return stats.status();
      JET_OBJECTINFO info{};
      info.cbStruct = sizeof(JET_OBJECTINFO);
      info.objtyp = JET_objtypTable;
      info.grbit = JET_bitTableInfoBookmark | JET_bitTableInfoRollback;
      if (!call->cursor().read_only()) info.grbit |= JET_bitTableInfoUpdatable;
      info.flags = 0;
      info.cRecord = static_cast<JET_UINT32>(std::min<std::uint64_t>(stats->records, 0xFFFFFFFFu));
      info.cPage = static_cast<JET_UINT32>(std::min<std::uint64_t>(stats->pages, 0xFFFFFFFFu));
      std::memcpy(result, &info, sizeof(info));
      return Status::success();
    }
    case JET_TblInfoName:
    case JET_TblInfoMostMany:
      if (temporary) return Error::kInvalidOperation;
      return output_string(table.name(), static_cast<Char*>(result), size_bytes);
    case JET_TblInfoDbid: {
      if (temporary) return Error::kInvalidOperation;
      if (size_bytes < sizeof(JET_DBID)) return Error::kBufferTooSmall;
      const JET_DBID dbid = call->table->dbid;
      std::memcpy(result, &dbid, sizeof(dbid));
      return Status::success();
    }
    case JET_TblInfoSpaceOwned:
    case JET_TblInfoSpaceAlloc: {
      Result<TableStats> stats = table_stats(table);
      if (!stats.ok()) return stats.status();
      return write_u32(static_cast<std::uint32_t>(std::min<std::uint64_t>(stats->pages, 0xFFFFFFFFu)));
    }
    case JET_TblInfoSpaceAvailable:
      // ESE wants exactly a CPG. Free pages live in the database's space map, not in
      // per-table extents: none are reported.
      if (size_bytes != sizeof(std::uint32_t)) return Error::kInvalidBufferSize;
      return write_u32(0);
    case JET_TblInfoTemplateTableName:
      // No template tables: the name is empty. ESE wants room for the longest name.
      if (temporary) return Error::kInvalidOperation;
      if (size_bytes <= JET_cbNameMost * sizeof(Char)) return Error::kBufferTooSmall;
      return output_string(std::string(), static_cast<Char*>(result), size_bytes);
    default:
      // Levels ESE knows but we do not keep (JET_TblInfoRvt, OLC, dump ...) and unknown ones.
      return Status(Error::kFeatureNotAvailable, "JetGetTableInfo InfoLevel");
  }
}

}  // namespace
}  // namespace esent::api

using esent::api::guarded;

extern "C" {

JET_ERR JET_API JetCreateTableA(JET_SESID sesid, JET_DBID dbid, JET_PCSTR szTableName, JET_UINT32 lPages,
                                JET_UINT32 lDensity, JET_TABLEID* ptableid) {
  return guarded(__func__, [&] {
    return esent::api::create_table(sesid, dbid, szTableName, lPages, lDensity, ptableid);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetCreateTable, JetCreateTableA);

JET_ERR JET_API JetCreateTableW(JET_SESID sesid, JET_DBID dbid, JET_PCWSTR szTableName, JET_UINT32 lPages,
                                JET_UINT32 lDensity, JET_TABLEID* ptableid) {
  return guarded(__func__, [&] {
    return esent::api::create_table(sesid, dbid, szTableName, lPages, lDensity, ptableid);
  });
}

JET_ERR JET_API JetCreateTableColumnIndexA(JET_SESID sesid, JET_DBID dbid, JET_TABLECREATE_A* ptablecreate) {
  return guarded(__func__, [&] { return esent::api::create_table_column_index(sesid, dbid, ptablecreate); });
}
ESENT_EXPORT_PLAIN_NAME(JetCreateTableColumnIndex, JetCreateTableColumnIndexA);

JET_ERR JET_API JetCreateTableColumnIndexW(JET_SESID sesid, JET_DBID dbid, JET_TABLECREATE_W* ptablecreate) {
  return guarded(__func__, [&] { return esent::api::create_table_column_index(sesid, dbid, ptablecreate); });
}

JET_ERR JET_API JetCreateTableColumnIndex2A(JET_SESID sesid, JET_DBID dbid, JET_TABLECREATE2_A* ptablecreate) {
  return guarded(__func__, [&] { return esent::api::create_table_column_index(sesid, dbid, ptablecreate); });
}
ESENT_EXPORT_PLAIN_NAME(JetCreateTableColumnIndex2, JetCreateTableColumnIndex2A);

JET_ERR JET_API JetCreateTableColumnIndex2W(JET_SESID sesid, JET_DBID dbid, JET_TABLECREATE2_W* ptablecreate) {
  return guarded(__func__, [&] { return esent::api::create_table_column_index(sesid, dbid, ptablecreate); });
}

JET_ERR JET_API JetCreateTableColumnIndex3A(JET_SESID sesid, JET_DBID dbid, JET_TABLECREATE3_A* ptablecreate) {
  return guarded(__func__, [&] { return esent::api::create_table_column_index(sesid, dbid, ptablecreate); });
}

JET_ERR JET_API JetCreateTableColumnIndex3W(JET_SESID sesid, JET_DBID dbid, JET_TABLECREATE3_W* ptablecreate) {
  return guarded(__func__, [&] { return esent::api::create_table_column_index(sesid, dbid, ptablecreate); });
}

JET_ERR JET_API JetCreateTableColumnIndex4A(JET_SESID sesid, JET_DBID dbid, JET_TABLECREATE4_A* ptablecreate) {
  return guarded(__func__, [&] { return esent::api::create_table_column_index(sesid, dbid, ptablecreate); });
}

JET_ERR JET_API JetCreateTableColumnIndex4W(JET_SESID sesid, JET_DBID dbid, JET_TABLECREATE4_W* ptablecreate) {
  return guarded(__func__, [&] { return esent::api::create_table_column_index(sesid, dbid, ptablecreate); });
}


JET_ERR JET_API JetOpenTableA(JET_SESID sesid, JET_DBID dbid, JET_PCSTR szTableName, JET_PCVOID,
                              JET_UINT32, JET_GRBIT grbit, JET_TABLEID* ptableid) {
  return guarded(__func__, [&] { return esent::api::open_table(sesid, dbid, szTableName, grbit, ptableid); });
}
ESENT_EXPORT_PLAIN_NAME(JetOpenTable, JetOpenTableA);

JET_ERR JET_API JetOpenTableW(JET_SESID sesid, JET_DBID dbid, JET_PCWSTR szTableName, JET_PCVOID,
                              JET_UINT32, JET_GRBIT grbit, JET_TABLEID* ptableid) {
  return guarded(__func__, [&] { return esent::api::open_table(sesid, dbid, szTableName, grbit, ptableid); });
}

JET_ERR JET_API JetCloseTable(JET_SESID sesid, JET_TABLEID tableid) {
  return guarded(__func__, [&] { return esent::api::close_table(sesid, tableid); });
}

JET_ERR JET_API JetDeleteTableA(JET_SESID sesid, JET_DBID dbid, JET_PCSTR szTableName) {
  return guarded(__func__, [&] { return esent::api::delete_table(sesid, dbid, szTableName); });
}
ESENT_EXPORT_PLAIN_NAME(JetDeleteTable, JetDeleteTableA);

JET_ERR JET_API JetDeleteTableW(JET_SESID sesid, JET_DBID dbid, JET_PCWSTR szTableName) {
  return guarded(__func__, [&] { return esent::api::delete_table(sesid, dbid, szTableName); });
}

JET_ERR JET_API JetDupCursor(JET_SESID sesid, JET_TABLEID tableid, JET_TABLEID* ptableid, JET_GRBIT grbit) {
  return guarded(__func__, [&] { return esent::api::dup_cursor(sesid, tableid, ptableid, grbit); });
}

JET_ERR JET_API JetGetTableInfoA(JET_SESID sesid, JET_TABLEID tableid, JET_PVOID pvResult,
                                 JET_UINT32 cbMax, JET_UINT32 InfoLevel) {
  return guarded(__func__, [&] {
    return esent::api::get_table_info<char>(sesid, tableid, pvResult, cbMax, InfoLevel);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetGetTableInfo, JetGetTableInfoA);

JET_ERR JET_API JetGetTableInfoW(JET_SESID sesid, JET_TABLEID tableid, JET_PVOID pvResult,
                                 JET_UINT32 cbMax, JET_UINT32 InfoLevel) {
  return guarded(__func__, [&] {
    return esent::api::get_table_info<JET_WCHAR>(sesid, tableid, pvResult, cbMax, InfoLevel);
  });
}

}  // extern "C"
