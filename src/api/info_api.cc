// JetGetObjectInfo: one table (JET_ObjInfo, JET_ObjInfoNoStats → JET_OBJECTINFO) or the list of
// the database's tables (JET_ObjInfoList, JET_ObjInfoListNoStats → JET_OBJECTLIST, a list table).
//
// The only container ESE knows is "Tables" (and "" or NULL, meaning the same). Statistics
// (cRecord, cPage) are counted from the trees (list_table.h table_stats) for the levels that
// ask for them; the NoStats levels report 0, as ESE does.
#include <algorithm>
#include <cstring>

#include "api/guard.h"
#include "api/handles.h"
#include "api/jet.h"
#include "api/list_table.h"
#include "api/strings.h"
#include "catalog/database.h"

namespace esent::api {
namespace {

constexpr const char* kTablesContainer = "Tables";

JET_GRBIT object_grbit(const catalog::Database& database) {
  JET_GRBIT grbit = JET_bitTableInfoBookmark | JET_bitTableInfoRollback;
  if (!database.read_only()) grbit |= JET_bitTableInfoUpdatable;
  return grbit;
}

std::uint32_t clamp32(std::uint64_t value) {
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(value, 0xFFFFFFFFu));
}

template <typename Char>
Status object_list(const DatabaseCall& call, JET_SESID sesid, JET_OBJTYP objtyp, bool stats,
                   void* result, std::uint32_t size_bytes) {
  if (size_bytes < sizeof(JET_OBJECTLIST)) return Error::kBufferTooSmall;
  constexpr bool kWide = sizeof(Char) != 1;
  const std::uint16_t text = list_code_page(kWide);
  using catalog::ColumnType;
  const std::vector<ListColumn> columns = {
      {"ContainerName", ColumnType::kText, text}, {"ObjectName", ColumnType::kText, text},
      {"ObjectType", ColumnType::kLong},          {"DateCreated", ColumnType::kDateTime},
      {"DateUpdated", ColumnType::kDateTime},     {"RecordCount", ColumnType::kLong},
      {"PageCount", ColumnType::kLong},           {"Grbit", ColumnType::kLong},
      {"Flags", ColumnType::kLong},
  };
  std::vector<ListRow> rows;
  if (objtyp == JET_objtypNil || objtyp == JET_objtypTable) {
    Result<std::vector<std::string>> names = call.database->table_names();
    if (!names.ok()) return names.status();
    std::stable_sort(names->begin(), names->end(), name_less);
    Result<std::string> container = value_text(kTablesContainer, kWide);
    if (!container.ok()) return container.status();
    for (const std::string& name : names.value()) {
      TableStats counts;
      if (stats) {
        Result<std::shared_ptr<catalog::Table>> table = call.database->open_table(name);
        if (!table.ok()) return table.status();
        Result<TableStats> computed = table_stats(*table.value());
        if (!computed.ok()) return computed.status();
        counts = computed.value();
      }
      Result<std::string> object_name = value_text(name, kWide);
      if (!object_name.ok()) return object_name.status();
      ListRow row(columns.size());
      row[0] = container.value();
      row[1] = object_name.value();
      row[2] = value_u32(JET_objtypTable);
      row[5] = value_u32(clamp32(counts.records));
      row[6] = value_u32(clamp32(counts.pages));
      row[7] = value_u32(object_grbit(*call.database));
      row[8] = value_u32(0);
      rows.push_back(std::move(row));
    }
  }
  Result<ListTable> list = make_list_table(call.call, sesid, columns, rows);
  if (!list.ok()) return list.status();
  JET_OBJECTLIST out{};
  out.cbStruct = sizeof(JET_OBJECTLIST);
  out.tableid = list->tableid;
  out.cRecord = list->rows;
  out.columnidcontainername = list->column_ids[0];
  out.columnidobjectname = list->column_ids[1];
  out.columnidobjtyp = list->column_ids[2];
  out.columniddtCreate = list->column_ids[3];
  out.columniddtUpdate = list->column_ids[4];
  out.columnidcRecord = list->column_ids[5];
  out.columnidcPage = list->column_ids[6];
  out.columnidgrbit = list->column_ids[7];
  out.columnidflags = list->column_ids[8];
  std::memcpy(result, &out, sizeof(out));
  return Status::success();
}

template <typename Char>
Status get_object_info(JET_SESID sesid, JET_DBID dbid, JET_OBJTYP objtyp, const Char* container,
                       const Char* object, void* result, std::uint32_t size_bytes, std::uint32_t info_level) {
  Result<DatabaseCall> call = enter_database(sesid, dbid);
  if (!call.ok()) return call.status();
  if (result == nullptr) return Error::kInvalidParameter;
  Result<std::string> container_name = input_name(container);
  if (!container_name.ok()) return container_name.status();
  if (!container_name->empty()) {
    ESENT_RETURN_IF_ERROR(catalog::validate_object_name(container_name.value()));
    if (name_less(container_name.value(), kTablesContainer) || name_less(kTablesContainer, container_name.value())) {
      return Status(Error::kObjectNotFound, container_name.value());
    }
  }
  Result<std::string> object_name = input_name(object);
  if (!object_name.ok()) return object_name.status();
  if (!object_name->empty()) ESENT_RETURN_IF_ERROR(catalog::validate_object_name(object_name.value()));

  switch (info_level) {
    case JET_ObjInfo:
    case JET_ObjInfoNoStats: {
      if (size_bytes < sizeof(JET_OBJECTINFO)) return Error::kBufferTooSmall;
      if (object_name->empty()) return Error::kObjectNotFound;
      Result<std::shared_ptr<catalog::Table>> table = call->database->open_table(object_name.value());
      if (!table.ok()) return table.status();
      JET_OBJECTINFO info{};
      info.cbStruct = sizeof(JET_OBJECTINFO);
      info.objtyp = JET_objtypTable;
      info.grbit = object_grbit(*call->database);
      info.flags = 0;
      if (info_level == JET_ObjInfo) {
        Result<TableStats> stats = table_stats(*table.value());
        if (!stats.ok()) return stats.status();
        info.cRecord = clamp32(stats->records);
        info.cPage = clamp32(stats->pages);
      }
      std::memcpy(result, &info, sizeof(info));
      return Status::success();
    }
    case JET_ObjInfoList:
    case JET_ObjInfoListNoStats:
      return object_list<Char>(call.value(), sesid, objtyp, info_level == JET_ObjInfoList, result, size_bytes);
    default:
      return Status(Error::kInvalidParameter, "JetGetObjectInfo InfoLevel");
  }
}

}  // namespace
}  // namespace esent::api

using esent::api::guarded;

extern "C" {

JET_ERR JET_API JetGetObjectInfoA(JET_SESID sesid, JET_DBID dbid, JET_OBJTYP objtyp, JET_PCSTR szContainerName,
                                  JET_PCSTR szObjectName, JET_PVOID pvResult, JET_UINT32 cbMax,
                                  JET_UINT32 InfoLevel) {
  return guarded(__func__, [&] {
    return esent::api::get_object_info(sesid, dbid, objtyp, szContainerName, szObjectName, pvResult, cbMax,
                                       InfoLevel);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetGetObjectInfo, JetGetObjectInfoA);

JET_ERR JET_API JetGetObjectInfoW(JET_SESID sesid, JET_DBID dbid, JET_OBJTYP objtyp, JET_PCWSTR szContainerName,
                                  JET_PCWSTR szObjectName, JET_PVOID pvResult, JET_UINT32 cbMax,
                                  JET_UINT32 InfoLevel) {
  return guarded(__func__, [&] {
    return esent::api::get_object_info(sesid, dbid, objtyp, szContainerName, szObjectName, pvResult, cbMax,
                                       InfoLevel);
  });
}

}  // extern "C"
