// Records: JetPrepareUpdate, JetSetColumn(s), JetRetrieveColumn(s), JetUpdate(2), JetDelete.
#include <cstring>
#include <vector>

#include "api/guard.h"
#include "api/handles.h"
#include "api/jet.h"
#include "catalog/cursor_flags.h"
#include "engine/transactions.h"

namespace esent::api {
namespace {

static_assert(JET_prepInsert == catalog::prepare_kind::kInsert);
static_assert(JET_prepReplace == catalog::prepare_kind::kReplace);
static_assert(JET_prepCancel == catalog::prepare_kind::kCancel);
static_assert(JET_prepReplaceNoLock == catalog::prepare_kind::kReplaceNoLock);
static_assert(JET_prepInsertCopy == catalog::prepare_kind::kInsertCopy);
static_assert(JET_bitSetAppendLV == catalog::set_flags::kAppendLongValue);
static_assert(JET_bitSetOverwriteLV == catalog::set_flags::kOverwriteLongValue);
static_assert(JET_bitSetSizeLV == catalog::set_flags::kSizeLongValue);
static_assert(JET_bitSetZeroLength == catalog::set_flags::kZeroLength);
static_assert(JET_bitSetSeparateLV == catalog::set_flags::kSeparateLongValue);
static_assert(JET_bitSetRevertToDefaultValue == catalog::set_flags::kRevertToDefaultValue);
static_assert(JET_bitRetrieveCopy == catalog::retrieve_flags::kCopy);
static_assert(JET_bitRetrieveIgnoreDefault == catalog::retrieve_flags::kIgnoreDefault);
static_assert(JET_bitRetrieveTag == catalog::retrieve_flags::kTag);

Status prepare_update(JET_SESID sesid, JET_TABLEID tableid, JET_UINT32 prep) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  return engine::prepare_update(*call->call.session, *call->table, prep);
}

// The JetSetColumn / JET_SETCOLUMN bits of esent.h; any other bit is JET_errInvalidGrbit.
constexpr JET_GRBIT kSetColumnGrbits =
    JET_bitSetAppendLV | JET_bitSetOverwriteLV | JET_bitSetSizeLV | JET_bitSetZeroLength | JET_bitSetSeparateLV |
    JET_bitSetUniqueMultiValues | JET_bitSetUniqueNormalizedMultiValues | JET_bitSetRevertToDefaultValue |
    JET_bitSetIntrinsicLV | JET_bitSetUncompressed | JET_bitSetCompressed | JET_bitSetContiguousLV;
// The JetRetrieveColumn / JET_RETRIEVECOLUMN bits: esent.h's, JET_bitRetrieveLongId (0x40) and
// JET_bitRetrieveLongValueRefs (0x80); any other bit is JET_errInvalidGrbit.
constexpr JET_GRBIT kRetrieveGrbits = JET_bitRetrieveCopy | JET_bitRetrieveFromIndex |
                                      JET_bitRetrieveFromPrimaryBookmark | JET_bitRetrieveTag |
                                      JET_bitRetrieveNull | JET_bitRetrieveIgnoreDefault | 0x40 | 0x80 |
                                      JET_bitRetrieveTuple;
// JetUpdate2: JET_bitUpdateCheckESE97Compatibility and JET_bitUpdateNoVersion (0x2).
constexpr JET_GRBIT kUpdate2Grbits = JET_bitUpdateCheckESE97Compatibility | 0x2;

Status set_column(catalog::Cursor& cursor, JET_COLUMNID columnid, const void* data,
                  JET_UINT32 size, JET_GRBIT grbit, JET_UINT32 long_value_offset,
                  JET_UINT32 itag_sequence) {
  if ((grbit & ~kSetColumnGrbits) != 0) return Error::kInvalidGrbit;
  if (data == nullptr && size > 0 && (grbit & JET_bitSetSizeLV) == 0) return Error::kInvalidParameter;
  std::optional<std::span<const std::byte>> value;
  std::vector<std::byte> zeros;
  if ((grbit & JET_bitSetSizeLV) != 0 && data == nullptr) {
    zeros.resize(size);  // JET_bitSetSizeLV: only the size matters
    value = std::span<const std::byte>(zeros);
  } else if (size > 0 || (grbit & JET_bitSetZeroLength) != 0) {
    value = std::span<const std::byte>(static_cast<const std::byte*>(data), size);
  }
  return cursor.set_column(columnid, value, grbit, itag_sequence, long_value_offset);
}

Status set_column_call(JET_SESID sesid, JET_TABLEID tableid, JET_COLUMNID columnid, const void* data,
                       JET_UINT32 size, JET_GRBIT grbit, const JET_SETINFO* info) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  JET_UINT32 offset = 0;
  JET_UINT32 itag = 1;
  if (info != nullptr) {
    if (info->cbStruct != sizeof(JET_SETINFO)) return Error::kInvalidParameter;
    offset = info->ibLongValue;
    itag = info->itagSequence;
  }
  return set_column(call->cursor(), columnid, data, size, grbit, offset, itag);
}

Status set_columns(JET_SESID sesid, JET_TABLEID tableid, JET_SETCOLUMN* columns, JET_UINT32 count) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  if (columns == nullptr && count > 0) return Error::kInvalidParameter;
  // As ESE's ErrIsamSetColumns: stop at the first element that fails and return its error,
  // leaving that element's err untouched; each element before it gets its own result.
  Status last;
  for (JET_UINT32 i = 0; i < count; ++i) {
    JET_SETCOLUMN& c = columns[i];
    Status status = set_column(call->cursor(), c.columnid, c.pvData, c.cbData, c.grbit,
                               c.ibLongValue, c.itagSequence);
    if (!status.ok()) return status;
    c.err = to_jet_err(status.error());
    if (status.is_warning()) last = status;
  }
  return last;
}

Status retrieve_one(catalog::Cursor& cursor, JET_COLUMNID columnid, void* data, JET_UINT32 size,
                    JET_UINT32* actual, JET_GRBIT grbit, JET_UINT32 long_value_offset,
                    JET_UINT32 itag_sequence) {
  if ((grbit & ~kRetrieveGrbits) != 0) return Error::kInvalidGrbit;
  if (data == nullptr && size > 0) return Error::kInvalidParameter;
  Result<catalog::Cursor::Retrieved> got = cursor.retrieve_column(
      columnid, std::span<std::byte>(static_cast<std::byte*>(data), data == nullptr ? 0 : size),
      grbit, itag_sequence, long_value_offset);
  if (!got.ok()) return got.status();
  if (actual != nullptr) *actual = static_cast<JET_UINT32>(got->actual_bytes);
  return got->warning;
}

Status retrieve_column(JET_SESID sesid, JET_TABLEID tableid, JET_COLUMNID columnid, void* data,
                       JET_UINT32 size, JET_UINT32* actual, JET_GRBIT grbit, JET_RETINFO* info) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  JET_UINT32 offset = 0;
  JET_UINT32 itag = 1;
  if (info != nullptr) {
    if (info->cbStruct != sizeof(JET_RETINFO)) return Error::kInvalidParameter;
    offset = info->ibLongValue;
    itag = info->itagSequence;
    info->columnidNextTagged = 0;
  }
  return retrieve_one(call->cursor(), columnid, data, size, actual, grbit, offset, itag);
}

Status retrieve_columns(JET_SESID sesid, JET_TABLEID tableid, JET_RETRIEVECOLUMN* columns,
                        JET_UINT32 count) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  if (columns == nullptr && count > 0) return Error::kInvalidParameter;
  Status first;
  for (JET_UINT32 i = 0; i < count; ++i) {
    JET_RETRIEVECOLUMN& c = columns[i];
    Status status;
    if (c.itagSequence == 0) {
      // itagSequence 0 asks how many values the column has.
      Result<std::uint32_t> values = call->cursor().count_values(c.columnid, c.grbit);
      status = values.status();
      if (values.ok()) c.itagSequence = values.value();
      c.cbActual = 0;
    } else {
      status = retrieve_one(call->cursor(), c.columnid, c.pvData, c.cbData, &c.cbActual, c.grbit,
                            c.ibLongValue, c.itagSequence);
      if (status.error() == Error::kWarnColumnNull) c.cbActual = 0;
    }
    c.columnidNextTagged = 0;
    c.err = to_jet_err(status.error());
    // As ESE's ErrIsamRetrieveColumns: the call returns the first error, else
    // JET_wrnBufferTruncated when an element was truncated; other warnings (JET_wrnColumnNull)
    // stay in the elements' err.
    if (!status.ok()) return status;
    if (status.error() == Error::kWarnBufferTruncated) first = status;
  }
  return first;
}

Status update(JET_SESID sesid, JET_TABLEID tableid, void* bookmark, JET_UINT32 size,
              JET_UINT32* actual) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  Result<std::string> written = engine::update_record(*call->call.session, *call->table);
  if (!written.ok()) return written.status();
  if (actual != nullptr) *actual = static_cast<JET_UINT32>(written->size());
  if (bookmark != nullptr) {
    std::memcpy(bookmark, written->data(), std::min<std::size_t>(size, written->size()));
    if (size < written->size()) return Error::kWarnBufferTruncated;
  }
  return Status::success();
}

Status erase(JET_SESID sesid, JET_TABLEID tableid) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  return engine::delete_record(*call->call.session, *call->table);
}

// JetUpdate2: the handles first, then the grbit, then JetUpdate.
Status update2(JET_SESID sesid, JET_TABLEID tableid, void* bookmark, JET_UINT32 bookmark_size,
               JET_UINT32* actual, JET_GRBIT grbit) {
  if ((grbit & ~kUpdate2Grbits) != 0) {
    ESENT_RETURN_IF_ERROR(enter_table(sesid, tableid).status());
    return Error::kInvalidGrbit;
  }
  return update(sesid, tableid, bookmark, bookmark_size, actual);
}

}  // namespace
}  // namespace esent::api

using esent::api::guarded;
namespace api = esent::api;

extern "C" {

JET_ERR JET_API JetPrepareUpdate(JET_SESID sesid, JET_TABLEID tableid, JET_UINT32 prep) {
  return guarded(__func__, [&] { return api::prepare_update(sesid, tableid, prep); });
}

JET_ERR JET_API JetSetColumn(JET_SESID sesid, JET_TABLEID tableid, JET_COLUMNID columnid,
                             JET_PCVOID pvData, JET_UINT32 cbData, JET_GRBIT grbit,
                             JET_SETINFO* psetinfo) {
  return guarded(__func__, [&] {
    return api::set_column_call(sesid, tableid, columnid, pvData, cbData, grbit, psetinfo);
  });
}

JET_ERR JET_API JetSetColumns(JET_SESID sesid, JET_TABLEID tableid, JET_SETCOLUMN* psetcolumn,
                              JET_UINT32 csetcolumn) {
  return guarded(__func__, [&] { return api::set_columns(sesid, tableid, psetcolumn, csetcolumn); });
}

JET_ERR JET_API JetRetrieveColumn(JET_SESID sesid, JET_TABLEID tableid, JET_COLUMNID columnid,
                                  JET_PVOID pvData, JET_UINT32 cbData, JET_UINT32* pcbActual,
                                  JET_GRBIT grbit, JET_RETINFO* pretinfo) {
  return guarded(__func__, [&] {
    return api::retrieve_column(sesid, tableid, columnid, pvData, cbData, pcbActual, grbit, pretinfo);
  });
}

JET_ERR JET_API JetRetrieveColumns(JET_SESID sesid, JET_TABLEID tableid,
                                   JET_RETRIEVECOLUMN* pretrievecolumn, JET_UINT32 cretrievecolumn) {
  return guarded(__func__, [&] {
    return api::retrieve_columns(sesid, tableid, pretrievecolumn, cretrievecolumn);
  });
}

JET_ERR JET_API JetUpdate(JET_SESID sesid, JET_TABLEID tableid, JET_PVOID pvBookmark,
                          JET_UINT32 cbBookmark, JET_UINT32* pcbActual) {
  return guarded(__func__, [&] { return api::update(sesid, tableid, pvBookmark, cbBookmark, pcbActual); });
}

JET_ERR JET_API JetUpdate2(JET_SESID sesid, JET_TABLEID tableid, JET_PVOID pvBookmark,
                           JET_UINT32 cbBookmark, JET_UINT32* pcbActual, const JET_GRBIT grbit) {
  return guarded(__func__, [&] { return api::update2(sesid, tableid, pvBookmark, cbBookmark, pcbActual, grbit); });
}

JET_ERR JET_API JetDelete(JET_SESID sesid, JET_TABLEID tableid) {
  return guarded(__func__, [&] { return api::erase(sesid, tableid); });
}

}  // extern "C"
