// Columns: JetAddColumn, JetDeleteColumn(2), JetGetTableColumnInfo, JetGetColumnInfo.
//
// Column information is read from the table's latest schema (TableSchema), never from the
// cursor's snapshot, so a column added through one cursor is visible through every other.
// What ESE reports for a column (JET_COLUMNDEF): the class flag (Fixed, Tagged or none for a
// variable column), the stored flags ESE reports back (NotNULL, Autoincrement, Version,
// MultiValued, EscrowUpdate, Finalize, DeleteOnZero, UserDefinedDefault, Compressed),
// Updatable when the cursor may write, wCountry 1, langid 0x409, cp (text columns only), cbMax.
#include <algorithm>
#include <cstring>

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

namespace flags = catalog::column_flags;

constexpr std::uint32_t kReportedFlags = flags::kNotNULL | flags::kAutoincrement | flags::kVersion |
                                         flags::kMultiValued | flags::kEscrowUpdate | flags::kFinalize |
                                         flags::kDeleteOnZero | flags::kUserDefinedDefault |
                                         flags::kCompressed;
constexpr std::uint16_t kCountryDefault = 1;
constexpr std::uint16_t kLangidDefault = 0x0409;

JET_GRBIT reported_grbit(const catalog::ColumnDef& column, bool updatable) {
  JET_GRBIT grbit = column.flags & kReportedFlags;
  switch (catalog::column_class_of_id(column.column_id)) {
    case catalog::ColumnClass::kFixed:
      grbit |= JET_bitColumnFixed;
      break;
    case catalog::ColumnClass::kTagged:
      grbit |= JET_bitColumnTagged;
      break;
    case catalog::ColumnClass::kVariable:
      break;
  }
  if (updatable) grbit |= JET_bitColumnUpdatable;
  return grbit;
}

JET_CP reported_code_page(const catalog::ColumnDef& column) {
  return catalog::is_text_type(column.type) ? column.code_page : JET_CP{0};
}

JET_COLUMNDEF to_columndef(const catalog::ColumnDef& column, bool updatable) {
  JET_COLUMNDEF definition{};
  definition.cbStruct = sizeof(JET_COLUMNDEF);
  definition.columnid = column.column_id;
  definition.coltyp = static_cast<JET_COLTYP>(column.type);
  definition.wCountry = kCountryDefault;
  definition.langid = kLangidDefault;
  definition.cp = reported_code_page(column);
  definition.wCollate = 0;
  definition.cbMax = column.max_size_bytes;
  definition.grbit = reported_grbit(column, updatable);
  return definition;
}

template <typename ColumnBase, typename Char>
ColumnBase to_columnbase(const catalog::ColumnDef& column, const std::string& table_name, bool updatable) {
  ColumnBase base{};
  base.cbStruct = sizeof(ColumnBase);
  base.columnid = column.column_id;
  base.coltyp = static_cast<JET_COLTYP>(column.type);
  base.wCountry = kCountryDefault;
  base.langid = kLangidDefault;
  base.cp = reported_code_page(column);
  base.wFiller = 0;
  base.cbMax = column.max_size_bytes;
  base.grbit = reported_grbit(column, updatable);
  // Names are at most 64 characters: they always fit the 256-character arrays.
  (void)output_string(table_name, base.szBaseTableName, sizeof(base.szBaseTableName));
  (void)output_string(column.name, base.szBaseColumnName, sizeof(base.szBaseColumnName));
  return base;
}

// JET_COLUMNLIST: the list table of a table's live columns (see ESE's column list layout).
template <typename Char>
Status column_list(const SessionCall& call, JET_SESID sesid, const catalog::TableSchema& schema,
                   bool updatable, std::uint32_t info_level, std::uint32_t grbits, void* result,
                   std::uint32_t size_bytes) {
  if (size_bytes < sizeof(JET_COLUMNLIST)) return Error::kInvalidParameter;
  constexpr bool kWide = sizeof(Char) != 1;
  const std::uint16_t text = list_code_page(kWide);
  const bool compact = info_level == JET_ColInfoListCompact;
  const bool by_column_id =
      info_level == JET_ColInfoListSortColumnid || (grbits & JET_ColInfoGrbitSortByColumnid) != 0;
  // ESE: with JET_ColInfoGrbitMinimalInfo only the name and the id are filled.
  const bool minimal = (grbits & JET_ColInfoGrbitMinimalInfo) != 0;
  using catalog::ColumnType;
  const std::vector<ListColumn> columns = {
      {"PresentationOrder", ColumnType::kLong},
      {"ColumnName", ColumnType::kText, text},
      {"ColumnId", ColumnType::kLong},
      {"ColumnType", ColumnType::kLong},
      {"Country", ColumnType::kShort},
      {"Langid", ColumnType::kShort},
      {"Cp", ColumnType::kShort},
      {"Collate", ColumnType::kShort},
      {"Size", ColumnType::kLong},
      {"Grbit", ColumnType::kLong},
      {"Default", compact ? ColumnType::kBinary : ColumnType::kLongBinary},
      {"BaseTableName", ColumnType::kText, text},
      {"BaseColumnName", ColumnType::kText, text},
  };
  std::vector<const catalog::ColumnDef*> live;
  for (const catalog::ColumnDef& column : schema.columns) {
    if (!column.deleted) live.push_back(&column);
  }
  // ESE's key: (presentation order, name). The order is NULL unless sorting by column id, where
  // it is the column id; compact lists have no key (column id order).
  if (by_column_id || compact) {
    std::sort(live.begin(), live.end(), [](auto* a, auto* b) { return a->column_id < b->column_id; });
  } else {
    std::stable_sort(live.begin(), live.end(), [](auto* a, auto* b) { return name_less(a->name, b->name); });
  }
  std::vector<ListRow> rows;
  for (const catalog::ColumnDef* column : live) {
    ListRow row(columns.size());
    if (by_column_id) row[0] = value_u32(column->column_id);
    Result<std::string> name = value_text(column->name, kWide);
    if (!name.ok()) return name.status();
    Result<std::string> table_name = value_text(schema.name, kWide);
    if (!table_name.ok()) return table_name.status();
    row[1] = name.value();
    row[2] = value_u32(column->column_id);
    if (minimal) {
      rows.push_back(std::move(row));
      continue;
    }
    row[3] = value_u32(static_cast<std::uint32_t>(column->type));
    row[4] = value_u16(kCountryDefault);
    row[5] = value_u16(kLangidDefault);
    row[6] = value_u16(reported_code_page(*column));
    row[7] = value_u16(0);
    row[8] = value_u32(column->max_size_bytes);
    row[9] = value_u32(reported_grbit(*column, updatable));
    if (!column->default_value.empty()) row[10] = column->default_value;
    row[11] = table_name.value();
    row[12] = name.value();
    rows.push_back(std::move(row));
  }
  Result<ListTable> list = make_list_table(call, sesid, columns, rows);
  if (!list.ok()) return list.status();
  JET_COLUMNLIST out{};
  out.cbStruct = sizeof(JET_COLUMNLIST);
  out.tableid = list->tableid;
  out.cRecord = list->rows;
  out.columnidPresentationOrder = list->column_ids[0];
  out.columnidcolumnname = list->column_ids[1];
  out.columnidcolumnid = list->column_ids[2];
  out.columnidcoltyp = list->column_ids[3];
  out.columnidCountry = list->column_ids[4];
  out.columnidLangid = list->column_ids[5];
  out.columnidCp = list->column_ids[6];
  out.columnidCollate = list->column_ids[7];
  out.columnidcbMax = list->column_ids[8];
  out.columnidgrbit = list->column_ids[9];
  out.columnidDefault = list->column_ids[10];
  out.columnidBaseTableName = list->column_ids[11];
  out.columnidBaseColumnName = list->column_ids[12];
  out.columnidDefinitionName = list->column_ids[1];  // ESE: the column-name column
  std::memcpy(result, &out, sizeof(out));
  return Status::success();
}

// The column a JET_ColInfo* call names: by name (`name`), or by id when `by_id` (then `name`
// points at a JET_COLUMNID).
template <typename Char>
Result<const catalog::ColumnDef*> find_named_column(const catalog::TableSchema& schema, const Char* name,
                                                    bool by_id) {
  if (by_id) {
    if (name == nullptr) return Error::kInvalidParameter;
    JET_COLUMNID id = 0;
    std::memcpy(&id, name, sizeof(id));
    const catalog::ColumnDef* column = schema.column(id);
    if (column == nullptr || column->deleted) return Error::kColumnNotFound;
    return column;
  }
  Result<std::string> utf8 = input_name(name);
  if (!utf8.ok()) return utf8.status();
  if (utf8->empty()) return Error::kColumnNotFound;
  const catalog::ColumnDef* column = schema.column(std::string_view(utf8.value()));
  if (column == nullptr) return Status(Error::kColumnNotFound, utf8.value());
  return column;
}

// Shared by JetGetTableColumnInfo and JetGetColumnInfo.
template <typename Char>
Status column_info(const SessionCall& call, JET_SESID sesid, const catalog::TableSchema& schema,
                   bool updatable, const Char* name, void* result, std::uint32_t size_bytes,
                   std::uint32_t info_level_and_grbits) {
  // ESE: the top four bits are JET_ColInfoGrbit* options, the rest the level.
  const std::uint32_t grbits = info_level_and_grbits & 0xF0000000u;
  const std::uint32_t info_level = info_level_and_grbits & 0x0FFFFFFFu;
  if (result == nullptr) return Error::kInvalidParameter;
  switch (info_level) {
    case JET_ColInfo:
    case JET_ColInfoByColid: {
      // ESE (ErrInfoGetTableColumnInfo): a short buffer is JET_errInvalidParameter.
      if (size_bytes < sizeof(JET_COLUMNDEF)) return Error::kInvalidParameter;
      Result<const catalog::ColumnDef*> column =
          find_named_column(schema, name, info_level == JET_ColInfoByColid);
      if (!column.ok()) return column.status();
      JET_COLUMNDEF definition = to_columndef(*column.value(), updatable);
      std::memcpy(result, &definition, sizeof(definition));
      return Status::success();
    }
    case JET_ColInfoBase:
    case JET_ColInfoBaseByColid: {
      using ColumnBase = std::conditional_t<sizeof(Char) == 1, JET_COLUMNBASE_A, JET_COLUMNBASE_W>;
      if (size_bytes < sizeof(ColumnBase)) return Error::kInvalidParameter;
      Result<const catalog::ColumnDef*> column =
          find_named_column(schema, name, info_level == JET_ColInfoBaseByColid);
      if (!column.ok()) return column.status();
      ColumnBase base = to_columnbase<ColumnBase, Char>(*column.value(), schema.name, updatable);
      std::memcpy(result, &base, sizeof(base));
      return Status::success();
    }
    case JET_ColInfoList:
    case JET_ColInfoListCompact:
    case JET_ColInfoListSortColumnid:
      return column_list<Char>(call, sesid, schema, updatable, info_level, grbits, result, size_bytes);
    default:
      return Status(Error::kInvalidParameter, "column InfoLevel");
  }
}

template <typename Char>
Status get_table_column_info(JET_SESID sesid, JET_TABLEID tableid, const Char* name, void* result,
                             std::uint32_t size_bytes, std::uint32_t info_level) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  std::shared_ptr<const catalog::TableSchema> schema = call->cursor().table().schema();
  return column_info(call->call, sesid, *schema, !call->cursor().read_only(), name, result, size_bytes,
                     info_level);
}

template <typename Char>
Status get_column_info(JET_SESID sesid, JET_DBID dbid, const Char* table_name, const Char* name,
                       void* result, std::uint32_t size_bytes, std::uint32_t info_level) {
  Result<DatabaseCall> call = enter_database(sesid, dbid);
  if (!call.ok()) return call.status();
  if (table_name == nullptr) return Error::kInvalidParameter;
  Result<std::string> utf8 = input_name(table_name);
  if (!utf8.ok()) return utf8.status();
  ESENT_RETURN_IF_ERROR(catalog::validate_object_name(utf8.value()));
  Result<std::shared_ptr<catalog::Table>> table = call->database->open_table(utf8.value());
  if (!table.ok()) return table.status();
  std::shared_ptr<const catalog::TableSchema> schema = (*table)->schema();
  return column_info(call->call, sesid, *schema, !call->database->read_only(), name, result, size_bytes,
                     info_level);
}

// --- DDL ----------------------------------------------------------------------------------------

template <typename Char>
Status add_column(JET_SESID sesid, JET_TABLEID tableid, const Char* name, const JET_COLUMNDEF* definition,
                  const void* default_value, std::uint32_t default_size_bytes, JET_COLUMNID* column_id) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  if (definition == nullptr) return Error::kInvalidParameter;
  // A JET_COLUMNDEF shorter than this header's is JET_errInvalidParameter; a longer one (a later
  // generation's) is read for the fields known here.
  if (definition->cbStruct < sizeof(JET_COLUMNDEF)) return Error::kInvalidParameter;
  if (call->cursor().read_only()) return Error::kPermissionDenied;
  Result<std::string> utf8 = input_name(name);
  if (!utf8.ok()) return utf8.status();
  catalog::ColumnDef column =
      column_def_from(std::move(utf8).value(), *definition, default_value, default_size_bytes);
  Status added = call->cursor().table().add_column(column);
  if (!added.ok()) return added;
  ESENT_RETURN_IF_ERROR(engine::record_column_added(*call->call.session, call->cursor().table_ref(), column.name));
  if (column_id != nullptr) *column_id = column.column_id;
  ESENT_RETURN_IF_ERROR(refresh_schema(call->cursor()));
  return added;  // JET_wrnColumnMaxTruncated passes through
}

template <typename Char>
Status delete_column(JET_SESID sesid, JET_TABLEID tableid, const Char* name, JET_GRBIT grbit) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  if ((grbit & ~JET_GRBIT{JET_bitDeleteColumnIgnoreTemplateColumns}) != 0) return Error::kInvalidGrbit;
  if (call->cursor().read_only()) return Error::kPermissionDenied;
  Result<std::string> utf8 = input_name(name);
  if (!utf8.ok()) return utf8.status();
  std::shared_ptr<const catalog::TableSchema> schema = call->cursor().table().schema();
  const catalog::ColumnDef* doomed = schema->column(utf8.value());
  const std::uint32_t column_id = doomed != nullptr ? doomed->column_id : 0;
  ESENT_RETURN_IF_ERROR(call->cursor().table().delete_column(utf8.value()));
  ESENT_RETURN_IF_ERROR(engine::record_column_deleted(*call->call.session, call->cursor().table_ref(), column_id));
  return refresh_schema(call->cursor());
}

}  // namespace
}  // namespace esent::api

using esent::api::guarded;

extern "C" {

JET_ERR JET_API JetAddColumnA(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szColumnName,
                              const JET_COLUMNDEF* pcolumndef, JET_PCVOID pvDefault, JET_UINT32 cbDefault,
                              JET_COLUMNID* pcolumnid) {
  return guarded(__func__, [&] {
    return esent::api::add_column(sesid, tableid, szColumnName, pcolumndef, pvDefault, cbDefault, pcolumnid);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetAddColumn, JetAddColumnA);

JET_ERR JET_API JetAddColumnW(JET_SESID sesid, JET_TABLEID tableid, JET_PCWSTR szColumnName,
                              const JET_COLUMNDEF* pcolumndef, JET_PCVOID pvDefault, JET_UINT32 cbDefault,
                              JET_COLUMNID* pcolumnid) {
  return guarded(__func__, [&] {
    return esent::api::add_column(sesid, tableid, szColumnName, pcolumndef, pvDefault, cbDefault, pcolumnid);
  });
}

JET_ERR JET_API JetDeleteColumnA(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szColumnName) {
  return guarded(__func__, [&] { return esent::api::delete_column(sesid, tableid, szColumnName, 0); });
}
ESENT_EXPORT_PLAIN_NAME(JetDeleteColumn, JetDeleteColumnA);

JET_ERR JET_API JetDeleteColumnW(JET_SESID sesid, JET_TABLEID tableid, JET_PCWSTR szColumnName) {
  return guarded(__func__, [&] { return esent::api::delete_column(sesid, tableid, szColumnName, 0); });
}

JET_ERR JET_API JetDeleteColumn2A(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szColumnName,
                                  const JET_GRBIT grbit) {
  return guarded(__func__, [&] { return esent::api::delete_column(sesid, tableid, szColumnName, grbit); });
}
ESENT_EXPORT_PLAIN_NAME(JetDeleteColumn2, JetDeleteColumn2A);

JET_ERR JET_API JetDeleteColumn2W(JET_SESID sesid, JET_TABLEID tableid, JET_PCWSTR szColumnName,
                                  const JET_GRBIT grbit) {
  return guarded(__func__, [&] { return esent::api::delete_column(sesid, tableid, szColumnName, grbit); });
}

JET_ERR JET_API JetGetTableColumnInfoA(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szColumnName,
                                       JET_PVOID pvResult, JET_UINT32 cbMax, JET_UINT32 InfoLevel) {
  return guarded(__func__, [&] {
    return esent::api::get_table_column_info(sesid, tableid, szColumnName, pvResult, cbMax, InfoLevel);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetGetTableColumnInfo, JetGetTableColumnInfoA);

JET_ERR JET_API JetGetTableColumnInfoW(JET_SESID sesid, JET_TABLEID tableid, JET_PCWSTR szColumnName,
                                       JET_PVOID pvResult, JET_UINT32 cbMax, JET_UINT32 InfoLevel) {
  return guarded(__func__, [&] {
    return esent::api::get_table_column_info(sesid, tableid, szColumnName, pvResult, cbMax, InfoLevel);
  });
}

JET_ERR JET_API JetGetColumnInfoA(JET_SESID sesid, JET_DBID dbid, JET_PCSTR szTableName,
                                  JET_PCSTR pColumnNameOrId, JET_PVOID pvResult, JET_UINT32 cbMax,
                                  JET_UINT32 InfoLevel) {
  return guarded(__func__, [&] {
    return esent::api::get_column_info(sesid, dbid, szTableName, pColumnNameOrId, pvResult, cbMax, InfoLevel);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetGetColumnInfo, JetGetColumnInfoA);

JET_ERR JET_API JetGetColumnInfoW(JET_SESID sesid, JET_DBID dbid, JET_PCWSTR szTableName,
                                  JET_PCWSTR pColumnNameOrId, JET_PVOID pvResult, JET_UINT32 cbMax,
                                  JET_UINT32 InfoLevel) {
  return guarded(__func__, [&] {
    return esent::api::get_column_info(sesid, dbid, szTableName, pColumnNameOrId, pvResult, cbMax, InfoLevel);
  });
}

}  // extern "C"
