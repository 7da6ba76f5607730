// Indexes: JetCreateIndex(2,3,4), JetDeleteIndex, JetSetCurrentIndex(2,3,4), JetGetCurrentIndex,
// JetGetTableIndexInfo, JetGetIndexInfo.
//
// JetCreateIndex2/3/4 create their indexes in order; if one fails, the ones this call already
// made are deleted again (ESE builds them in one transaction), and the failing struct's err
// says why. Index information comes from the table's latest schema.
#include <optional>
#include <algorithm>
#include <cstring>

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
#include "util/utf.h"

namespace esent::api {
namespace {

constexpr std::uint16_t kCountryDefault = 1;
constexpr std::uint16_t kLangidDefault = 0x0409;
// ESE's default LCMapString flags for Unicode index keys (LCMAP_SORTKEY | NORM_IGNORECASE |
// NORM_IGNOREKANATYPE | NORM_IGNOREWIDTH); we have one collation and report these.
constexpr std::uint32_t kLCMapFlagsDefault = 0x00030401;

// What ESE reports as an index's grbit: a primary index is also unique.
JET_GRBIT reported_index_grbit(const catalog::IndexDef& index) {
  JET_GRBIT grbit = index.flags;
  if ((grbit & catalog::index_flags::kPrimary) != 0) grbit |= catalog::index_flags::kUnique;
  return grbit;
}

// --- create, delete ---------------------------------------------------------------------------

// In ESE the primary index is the table's clustered tree itself: a cursor on the clustered
// (sequential) index of an empty table is on the primary index as soon as it exists.
Status follow_new_primary(catalog::Cursor& cursor, const catalog::IndexDef& index) {
  if ((index.flags & catalog::index_flags::kPrimary) == 0 || cursor.current_index() != nullptr) {
    return Status::success();
  }
  return cursor.set_current_index("", true);
}

template <typename Char>
Status create_index(JET_SESID sesid, JET_TABLEID tableid, const Char* name, JET_GRBIT grbit,
                    const Char* key, std::uint32_t key_size_bytes, std::uint32_t density) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  if (call->cursor().read_only()) return Error::kPermissionDenied;
  catalog::Table& table = call->cursor().table();
  std::shared_ptr<const catalog::TableSchema> schema = table.schema();
  catalog::IndexDef index;
  Result<std::string> utf8 = input_name(name);
  if (!utf8.ok()) return utf8.status();
  index.name = std::move(utf8).value();
  index.flags = grbit;
  index.density = density;
  if (key == nullptr) return Status(Error::kInvalidParameter, "szKey");
  Result<std::string> key_utf8 = input_key(key, key_size_bytes);
  if (!key_utf8.ok()) return key_utf8.status();
  Result<std::vector<catalog::IndexSegment>> segments = catalog::parse_index_key(
      key_utf8->data(), static_cast<std::uint32_t>(key_utf8->size()), catalog::make_column_lookup(schema->columns));
  if (!segments.ok()) return segments.status();
  index.segments = std::move(segments).value();
  ESENT_RETURN_IF_ERROR(table.create_index(index));
  if ((index.flags & catalog::index_flags::kPrimary) == 0) {
    ESENT_RETURN_IF_ERROR(engine::record_index_created(*call->call.session, call->cursor().table_ref(), index.name));
  }
  return follow_new_primary(call->cursor(), index);
}

template <typename IndexCreate>
Status create_indexes(JET_SESID sesid, JET_TABLEID tableid, IndexCreate* creates, std::uint32_t count) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  if (count != 0 && creates == nullptr) return Error::kInvalidParameter;
  if (call->cursor().read_only()) return Error::kPermissionDenied;
  catalog::Table& table = call->cursor().table();
  std::vector<std::string> made;
  for (std::uint32_t i = 0; i < count; ++i) {
    IndexCreate& create = creates[i];
    std::shared_ptr<const catalog::TableSchema> schema = table.schema();
    Result<catalog::IndexDef> index =
        index_def_from_create(create, catalog::make_column_lookup(schema->columns));
    Status status = index.ok() ? table.create_index(index.value()) : index.status();
    if (!status.ok()) {
      if (index_create_size_ok<IndexCreate>(create.cbStruct)) create.err = to_jet_err(status);
      for (auto it = made.rbegin(); it != made.rend(); ++it) (void)table.delete_index(*it);
      return status;
    }
    create.err = JET_errSuccess;
    made.push_back(index->name);
    if ((index->flags & catalog::index_flags::kPrimary) == 0) {
      ESENT_RETURN_IF_ERROR(engine::record_index_created(*call->call.session, call->cursor().table_ref(), index->name));
    }
    ESENT_RETURN_IF_ERROR(follow_new_primary(call->cursor(), index.value()));
  }
  return Status::success();
}

template <typename Char>
Status delete_index(JET_SESID sesid, JET_TABLEID tableid, const Char* name) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  if (call->cursor().read_only()) return Error::kPermissionDenied;
  Result<std::string> utf8 = input_name(name);
  if (!utf8.ok()) return utf8.status();
  catalog::Cursor& cursor = call->cursor();
  const catalog::IndexDef* current = cursor.current_index();
  if (current != nullptr && !name_less(current->name, utf8.value()) &&
      !name_less(utf8.value(), current->name) &&
      (current->flags & catalog::index_flags::kPrimary) == 0) {
    // The cursor leaves the index it stands on for the primary one, as ESE's does.
    ESENT_RETURN_IF_ERROR(cursor.set_current_index("", true));
  }
  std::shared_ptr<const catalog::TableSchema> schema = cursor.table().schema();
  const catalog::IndexDef* doomed = schema->index(utf8.value());
  std::optional<catalog::IndexDef> kept;
  if (doomed != nullptr) kept = *doomed;
  ESENT_RETURN_IF_ERROR(cursor.table().delete_index(utf8.value()));
  if (kept) ESENT_RETURN_IF_ERROR(engine::record_index_deleted(*call->call.session, cursor.table_ref(), *kept));
  return Status::success();
}

// --- current index -----------------------------------------------------------------------------

template <typename Char>
Status set_current_index(JET_SESID sesid, JET_TABLEID tableid, const Char* name, JET_GRBIT grbit) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  if (grbit != JET_bitMoveFirst && grbit != JET_bitNoMove) return Error::kInvalidGrbit;
  Result<std::string> utf8 = input_name(name);
  if (!utf8.ok()) return utf8.status();
  return call->cursor().set_current_index(utf8.value(), grbit == JET_bitMoveFirst);
}

// ESE (ErrIsamGetCurrentIndex): no room for even the terminator is JET_wrnBufferTruncated with
// nothing written; otherwise the name is cut to fit, NUL-terminated, and the call succeeds.
template <typename Char>
Status get_current_index(JET_SESID sesid, JET_TABLEID tableid, Char* name, std::uint32_t size_bytes) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  if (name == nullptr) return Error::kInvalidParameter;
  const std::size_t room = size_bytes / sizeof(Char);
  if (room < 1) return Error::kWarnBufferTruncated;
  std::basic_string<Char> units;
  if constexpr (sizeof(Char) == 1) {
    units = call->cursor().current_index_name();
  } else {
    Result<std::u16string> wide = utf8_to_utf16(call->cursor().current_index_name());
    if (!wide.ok()) return wide.status();
    units.assign(wide->begin(), wide->end());
  }
  const std::size_t length = std::min(units.size(), room - 1);
  std::copy_n(units.begin(), length, name);
  name[length] = Char{0};
  return Status::success();
}

// --- index information ----------------------------------------------------------------------

// JET_INDEXLIST: one row per key segment of each index, ordered by (index name, segment).
template <typename Char>
Status index_list(const SessionCall& call, JET_SESID sesid, const catalog::TableSchema& schema,
                  const std::string& only, void* result, std::uint32_t size_bytes) {
  // ESE accepts the JET_INDEXLIST of old versions, without columnidLCMapFlags; a buffer
  // smaller than that gets JET_wrnBufferTruncated and nothing else (ESE's own answer).
  constexpr std::size_t kOldSize = offsetof(JET_INDEXLIST, columnidLCMapFlags);
  if (size_bytes < kOldSize) return Error::kWarnBufferTruncated;
  constexpr bool kWide = sizeof(Char) != 1;
  const std::uint16_t text = list_code_page(kWide);
  using catalog::ColumnType;
  const std::vector<ListColumn> columns = {
      {"IndexName", ColumnType::kText, text}, {"IndexGrbit", ColumnType::kLong},
      {"KeyCount", ColumnType::kLong},         {"EntryCount", ColumnType::kLong},
      {"PageCount", ColumnType::kLong},        {"ColumnCount", ColumnType::kLong},
      {"ColumnIndex", ColumnType::kLong},      {"ColumnId", ColumnType::kLong},
      {"ColumnType", ColumnType::kLong},       {"Country", ColumnType::kShort},
      {"Langid", ColumnType::kShort},          {"Cp", ColumnType::kShort},
      {"Collate", ColumnType::kShort},         {"ColumnGrbit", ColumnType::kLong},
      {"ColumnName", ColumnType::kText, text}, {"LCMapFlags", ColumnType::kLong},
  };
  std::vector<const catalog::IndexDef*> indexes;
  for (const catalog::IndexDef& index : schema.indexes) {
    if (only.empty() || (!name_less(only, index.name) && !name_less(index.name, only))) {
      indexes.push_back(&index);
    }
  }
  if (!only.empty() && indexes.empty()) return Status(Error::kIndexNotFound, only);
  std::stable_sort(indexes.begin(), indexes.end(), [](auto* a, auto* b) { return name_less(a->name, b->name); });
  std::vector<ListRow> rows;
  for (const catalog::IndexDef* index : indexes) {
    Result<std::string> index_name = value_text(index->name, kWide);
    if (!index_name.ok()) return index_name.status();
    for (std::size_t i = 0; i < index->segments.size(); ++i) {
      const catalog::IndexSegment& segment = index->segments[i];
      const catalog::ColumnDef* column = schema.column(segment.column_id);
      if (column == nullptr) return Status(Error::kDatabaseCorrupted, "index segment without column");
      Result<std::string> column_name = value_text(column->name, kWide);
      if (!column_name.ok()) return column_name.status();
      ListRow row(columns.size());
      row[0] = index_name.value();
      row[1] = value_u32(reported_index_grbit(*index));
      row[2] = value_u32(0);
      row[3] = value_u32(0);
      row[4] = value_u32(0);
      row[5] = value_u32(static_cast<std::uint32_t>(index->segments.size()));
      row[6] = value_u32(static_cast<std::uint32_t>(i));
      row[7] = value_u32(column->column_id);
      row[8] = value_u32(static_cast<std::uint32_t>(column->type));
      row[9] = value_u16(kCountryDefault);
      row[10] = value_u16(kLangidDefault);
      row[11] = value_u16(catalog::is_text_type(column->type) ? column->code_page : std::uint16_t{0});
      row[12] = value_u16(0);
      row[13] = value_u32(segment.descending ? JET_bitKeyDescending : JET_bitKeyAscending);
      row[14] = column_name.value();
      row[15] = value_u32(kLCMapFlagsDefault);
      rows.push_back(std::move(row));
    }
  }
  Result<ListTable> list = make_list_table(call, sesid, columns, rows);
  if (!list.ok()) return list.status();
  JET_INDEXLIST out{};
  out.cbStruct = size_bytes >= sizeof(JET_INDEXLIST) ? sizeof(JET_INDEXLIST) : static_cast<JET_UINT32>(kOldSize);
  out.tableid = list->tableid;
  out.cRecord = list->rows;
  JET_COLUMNID* ids[] = {&out.columnidindexname, &out.columnidgrbitIndex, &out.columnidcKey,
                         &out.columnidcEntry,    &out.columnidcPage,      &out.columnidcColumn,
                         &out.columnidiColumn,   &out.columnidcolumnid,   &out.columnidcoltyp,
                         &out.columnidCountry,   &out.columnidLangid,     &out.columnidCp,
                         &out.columnidCollate,   &out.columnidgrbitColumn, &out.columnidcolumnname,
                         &out.columnidLCMapFlags};
  for (std::size_t i = 0; i < columns.size(); ++i) *ids[i] = list->column_ids[i];
  std::memcpy(result, &out, out.cbStruct);
  return Status::success();
}

// Shared by JetGetTableIndexInfo and JetGetIndexInfo. `default_index` is the index an empty
// name means for the single-index levels (the cursor's current one, or the primary one).
template <typename Char>
Status index_info(const SessionCall& call, JET_SESID sesid, catalog::Table& table,
                  const catalog::TableSchema& schema, const Char* name,
                  const std::string& default_index, void* result, std::uint32_t size_bytes,
                  std::uint32_t info_level) {
  if (result == nullptr) return Error::kInvalidParameter;
  Result<std::string> utf8 = input_name(name);
  if (!utf8.ok()) return utf8.status();
  auto named_index = [&]() -> Result<const catalog::IndexDef*> {
    const std::string& wanted = utf8->empty() ? default_index : utf8.value();
    const catalog::IndexDef* index = wanted.empty() ? schema.primary_index() : schema.index(wanted);
    if (index == nullptr) return Status(Error::kIndexNotFound, wanted);
    return index;
  };
  auto write = [&](const void* value, std::size_t value_size) -> Status {
    if (size_bytes < value_size) return Error::kBufferTooSmall;
    std::memcpy(result, value, value_size);
    return Status::success();
  };
  switch (info_level) {
    case JET_IdxInfo:
    case JET_IdxInfoList:
      return index_list<Char>(call, sesid, schema, utf8.value(), result, size_bytes);
    case JET_IdxInfoCount: {
      // ESE counts the clustered index (explicit or the implicit sequential one) and every
      // secondary index.
      std::uint32_t count = 1;
      for (const catalog::IndexDef& index : schema.indexes) {
        if ((index.flags & catalog::index_flags::kPrimary) == 0) ++count;
      }
      return write(&count, sizeof(count));
    }
    case JET_IdxInfoLCID: {
      Result<const catalog::IndexDef*> index = named_index();
      if (!index.ok()) return index.status();
      const std::uint32_t lcid = (*index)->lcid;
      // ESE answers a LANGID-sized buffer with the LANGID.
      if (size_bytes >= sizeof(std::uint16_t) && size_bytes < sizeof(std::uint32_t)) {
        const auto langid = static_cast<std::uint16_t>(lcid & 0xFFFF);
        return write(&langid, sizeof(langid));
      }
      return write(&lcid, sizeof(lcid));
    }
    case JET_IdxInfoKeyMost:
    case JET_IdxInfoVarSegMac: {
      Result<const catalog::IndexDef*> index = named_index();
      if (!index.ok()) return index.status();
      const auto key_most = static_cast<std::uint16_t>((*index)->max_key_bytes);
      return write(&key_most, sizeof(key_most));
    }
    case JET_IdxInfoIndexId: {
      Result<const catalog::IndexDef*> index = named_index();
      if (!index.ok()) return index.status();
      JET_INDEXID id{};
      id.cbStruct = sizeof(JET_INDEXID);
      const std::uint32_t parts[2] = {schema.object_id, (*index)->index_id};
      std::memcpy(id.rgbIndexId, parts, sizeof(parts));
      return write(&id, sizeof(id));
    }
    case JET_IdxInfoSpaceAlloc: {
      Result<const catalog::IndexDef*> index = named_index();
      if (!index.ok()) return index.status();
      Result<std::uint64_t> pages = index_pages(table, (*index)->name);
      if (!pages.ok()) return pages.status();
      const auto count = static_cast<std::uint32_t>(std::min<std::uint64_t>(pages.value(), 0xFFFFFFFFu));
      return write(&count, sizeof(count));
    }
    case JET_IdxInfoLocaleName: {
      // Always UTF-16 (ESE's locale names are WCHAR in both faces). One collation: 1033 is
      // "en-US"; other LCIDs given through JET_INDEXCREATE.lcid have no name here.
      Result<const catalog::IndexDef*> index = named_index();
      if (!index.ok()) return index.status();
      const std::string locale = (*index)->lcid == 1033 ? "en-US" : "";
      return output_string(locale, static_cast<JET_WCHAR*>(result), size_bytes);
    }
    default:
      return Status(Error::kInvalidParameter, "index InfoLevel");
  }
}

template <typename Char>
Status get_table_index_info(JET_SESID sesid, JET_TABLEID tableid, const Char* name, void* result,
                            std::uint32_t size_bytes, std::uint32_t info_level) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  catalog::Table& table = call->cursor().table();
  std::shared_ptr<const catalog::TableSchema> schema = table.schema();
  return index_info(call->call, sesid, table, *schema, name, call->cursor().current_index_name(), result,
                    size_bytes, info_level);
}

template <typename Char>
Status get_index_info(JET_SESID sesid, JET_DBID dbid, const Char* table_name, const Char* name,
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
  return index_info(call->call, sesid, *table.value(), *schema, name, std::string(), result, size_bytes,
                    info_level);
}

}  // namespace
}  // namespace esent::api

using esent::api::guarded;

extern "C" {

JET_ERR JET_API JetCreateIndexA(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szIndexName, JET_GRBIT grbit,
                                JET_PCSTR szKey, JET_UINT32 cbKey, JET_UINT32 lDensity) {
  return guarded(__func__, [&] {
    return esent::api::create_index(sesid, tableid, szIndexName, grbit, szKey, cbKey, lDensity);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetCreateIndex, JetCreateIndexA);

JET_ERR JET_API JetCreateIndexW(JET_SESID sesid, JET_TABLEID tableid, JET_PCWSTR szIndexName, JET_GRBIT grbit,
                                JET_PCWSTR szKey, JET_UINT32 cbKey, JET_UINT32 lDensity) {
  return guarded(__func__, [&] {
    return esent::api::create_index(sesid, tableid, szIndexName, grbit, szKey, cbKey, lDensity);
  });
}

JET_ERR JET_API JetCreateIndex2A(JET_SESID sesid, JET_TABLEID tableid, JET_INDEXCREATE_A* pindexcreate,
                                 JET_UINT32 cIndexCreate) {
  return guarded(__func__, [&] { return esent::api::create_indexes(sesid, tableid, pindexcreate, cIndexCreate); });
}
ESENT_EXPORT_PLAIN_NAME(JetCreateIndex2, JetCreateIndex2A);

JET_ERR JET_API JetCreateIndex2W(JET_SESID sesid, JET_TABLEID tableid, JET_INDEXCREATE_W* pindexcreate,
                                 JET_UINT32 cIndexCreate) {
  return guarded(__func__, [&] { return esent::api::create_indexes(sesid, tableid, pindexcreate, cIndexCreate); });
}

JET_ERR JET_API JetCreateIndex3A(JET_SESID sesid, JET_TABLEID tableid, JET_INDEXCREATE2_A* pindexcreate,
                                 JET_UINT32 cIndexCreate) {
  return guarded(__func__, [&] { return esent::api::create_indexes(sesid, tableid, pindexcreate, cIndexCreate); });
}

JET_ERR JET_API JetCreateIndex3W(JET_SESID sesid, JET_TABLEID tableid, JET_INDEXCREATE2_W* pindexcreate,
                                 JET_UINT32 cIndexCreate) {
  return guarded(__func__, [&] { return esent::api::create_indexes(sesid, tableid, pindexcreate, cIndexCreate); });
}

JET_ERR JET_API JetCreateIndex4A(JET_SESID sesid, JET_TABLEID tableid, JET_INDEXCREATE3_A* pindexcreate,
                                 JET_UINT32 cIndexCreate) {
  return guarded(__func__, [&] { return esent::api::create_indexes(sesid, tableid, pindexcreate, cIndexCreate); });
}

JET_ERR JET_API JetCreateIndex4W(JET_SESID sesid, JET_TABLEID tableid, JET_INDEXCREATE3_W* pindexcreate,
                                 JET_UINT32 cIndexCreate) {
  return guarded(__func__, [&] { return esent::api::create_indexes(sesid, tableid, pindexcreate, cIndexCreate); });
}

JET_ERR JET_API JetDeleteIndexA(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szIndexName) {
  return guarded(__func__, [&] { return esent::api::delete_index(sesid, tableid, szIndexName); });
}
ESENT_EXPORT_PLAIN_NAME(JetDeleteIndex, JetDeleteIndexA);

JET_ERR JET_API JetDeleteIndexW(JET_SESID sesid, JET_TABLEID tableid, JET_PCWSTR szIndexName) {
  return guarded(__func__, [&] { return esent::api::delete_index(sesid, tableid, szIndexName); });
}

JET_ERR JET_API JetSetCurrentIndexA(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szIndexName) {
  return guarded(__func__, [&] {
    return esent::api::set_current_index(sesid, tableid, szIndexName, JET_bitMoveFirst);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetSetCurrentIndex, JetSetCurrentIndexA);

JET_ERR JET_API JetSetCurrentIndexW(JET_SESID sesid, JET_TABLEID tableid, JET_PCWSTR szIndexName) {
  return guarded(__func__, [&] {
    return esent::api::set_current_index(sesid, tableid, szIndexName, JET_bitMoveFirst);
  });
}

JET_ERR JET_API JetSetCurrentIndex2A(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szIndexName,
                                     JET_GRBIT grbit) {
  return guarded(__func__, [&] { return esent::api::set_current_index(sesid, tableid, szIndexName, grbit); });
}
ESENT_EXPORT_PLAIN_NAME(JetSetCurrentIndex2, JetSetCurrentIndex2A);

JET_ERR JET_API JetSetCurrentIndex2W(JET_SESID sesid, JET_TABLEID tableid, JET_PCWSTR szIndexName,
                                     JET_GRBIT grbit) {
  return guarded(__func__, [&] { return esent::api::set_current_index(sesid, tableid, szIndexName, grbit); });
}

// itagSequence selects which value of a multi-valued column positions the cursor; with one
// index entry per record it has nothing to choose and is accepted.
JET_ERR JET_API JetSetCurrentIndex3A(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szIndexName,
                                     JET_GRBIT grbit, JET_UINT32) {
  return guarded(__func__, [&] { return esent::api::set_current_index(sesid, tableid, szIndexName, grbit); });
}
ESENT_EXPORT_PLAIN_NAME(JetSetCurrentIndex3, JetSetCurrentIndex3A);

JET_ERR JET_API JetSetCurrentIndex3W(JET_SESID sesid, JET_TABLEID tableid, JET_PCWSTR szIndexName,
                                     JET_GRBIT grbit, JET_UINT32) {
  return guarded(__func__, [&] { return esent::api::set_current_index(sesid, tableid, szIndexName, grbit); });
}

// The JET_INDEXID is only a lookup hint in ESE; the name decides, so it is ignored.
JET_ERR JET_API JetSetCurrentIndex4A(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szIndexName,
                                     JET_INDEXID*, JET_GRBIT grbit, JET_UINT32) {
  return guarded(__func__, [&] { return esent::api::set_current_index(sesid, tableid, szIndexName, grbit); });
}
ESENT_EXPORT_PLAIN_NAME(JetSetCurrentIndex4, JetSetCurrentIndex4A);

JET_ERR JET_API JetSetCurrentIndex4W(JET_SESID sesid, JET_TABLEID tableid, JET_PCWSTR szIndexName,
                                     JET_INDEXID*, JET_GRBIT grbit, JET_UINT32) {
  return guarded(__func__, [&] { return esent::api::set_current_index(sesid, tableid, szIndexName, grbit); });
}

JET_ERR JET_API JetGetCurrentIndexA(JET_SESID sesid, JET_TABLEID tableid, JET_PSTR szIndexName,
                                    JET_UINT32 cbIndexName) {
  return guarded(__func__, [&] { return esent::api::get_current_index(sesid, tableid, szIndexName, cbIndexName); });
}
ESENT_EXPORT_PLAIN_NAME(JetGetCurrentIndex, JetGetCurrentIndexA);

JET_ERR JET_API JetGetCurrentIndexW(JET_SESID sesid, JET_TABLEID tableid, JET_PWSTR szIndexName,
                                    JET_UINT32 cbIndexName) {
  return guarded(__func__, [&] { return esent::api::get_current_index(sesid, tableid, szIndexName, cbIndexName); });
}

JET_ERR JET_API JetGetTableIndexInfoA(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szIndexName,
                                      JET_PVOID pvResult, JET_UINT32 cbResult, JET_UINT32 InfoLevel) {
  return guarded(__func__, [&] {
    return esent::api::get_table_index_info(sesid, tableid, szIndexName, pvResult, cbResult, InfoLevel);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetGetTableIndexInfo, JetGetTableIndexInfoA);

JET_ERR JET_API JetGetTableIndexInfoW(JET_SESID sesid, JET_TABLEID tableid, JET_PCWSTR szIndexName,
                                      JET_PVOID pvResult, JET_UINT32 cbResult, JET_UINT32 InfoLevel) {
  return guarded(__func__, [&] {
    return esent::api::get_table_index_info(sesid, tableid, szIndexName, pvResult, cbResult, InfoLevel);
  });
}

JET_ERR JET_API JetGetIndexInfoA(JET_SESID sesid, JET_DBID dbid, JET_PCSTR szTableName, JET_PCSTR szIndexName,
                                 JET_PVOID pvResult, JET_UINT32 cbResult, JET_UINT32 InfoLevel) {
  return guarded(__func__, [&] {
    return esent::api::get_index_info(sesid, dbid, szTableName, szIndexName, pvResult, cbResult, InfoLevel);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetGetIndexInfo, JetGetIndexInfoA);

JET_ERR JET_API JetGetIndexInfoW(JET_SESID sesid, JET_DBID dbid, JET_PCWSTR szTableName, JET_PCWSTR szIndexName,
                                 JET_PVOID pvResult, JET_UINT32 cbResult, JET_UINT32 InfoLevel) {
  return guarded(__func__, [&] {
    return esent::api::get_index_info(sesid, dbid, szTableName, szIndexName, pvResult, cbResult, InfoLevel);
  });
}

}  // extern "C"
