// Cursor movement and keys: JetMove, JetMakeKey, JetSeek, JetSetIndexRange, JetRetrieveKey,
// bookmarks, record counts and positions.
#include <cstring>

#include "api/guard.h"
#include "api/handles.h"
#include "api/jet.h"
#include "catalog/cursor_flags.h"

namespace esent::api {
namespace {

static_assert(JET_bitSeekEQ == catalog::seek_flags::kEqual);
static_assert(JET_bitSeekLT == catalog::seek_flags::kLess);
static_assert(JET_bitSeekLE == catalog::seek_flags::kLessOrEqual);
static_assert(JET_bitSeekGE == catalog::seek_flags::kGreaterOrEqual);
static_assert(JET_bitSeekGT == catalog::seek_flags::kGreater);
static_assert(JET_bitSetIndexRange == catalog::seek_flags::kSetIndexRange);
static_assert(JET_bitRangeInclusive == catalog::range_flags::kInclusive);
static_assert(JET_bitRangeUpperLimit == catalog::range_flags::kUpperLimit);
static_assert(JET_bitRangeInstantDuration == catalog::range_flags::kInstantDuration);
static_assert(JET_bitRangeRemove == catalog::range_flags::kRemove);

Status move(JET_SESID sesid, JET_TABLEID tableid, JET_INT32 rows, JET_GRBIT grbit) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  if ((grbit & ~static_cast<JET_GRBIT>(JET_bitMoveKeyNE)) != 0) return Error::kInvalidGrbit;
  if (rows == static_cast<JET_INT32>(JET_MoveFirst)) return call->cursor().move_first();
  if (rows == JET_MoveLast) return call->cursor().move_last();
  if ((grbit & JET_bitMoveKeyNE) == 0) return call->cursor().move(rows);
  // JET_bitMoveKeyNE: each step goes on to the next entry with a different index key.
  catalog::Cursor& cursor = call->cursor();
  const bool forward = rows > 0;
  for (JET_INT32 left = forward ? rows : -rows; left > 0; --left) {
    Result<std::string> here = cursor.retrieve_key(false);
    ESENT_RETURN_IF_ERROR(cursor.move(forward ? 1 : -1));
    while (here.ok()) {
      Result<std::string> next = cursor.retrieve_key(false);
      if (!next.ok() || next.value() != here.value()) break;
      ESENT_RETURN_IF_ERROR(cursor.move(forward ? 1 : -1));
    }
  }
  return Status::success();
}

// The bits esent.h defines for JetMakeKey, JetSeek (with JET_bitSeekNext 0x80 and
// JET_bitSeekPrev 0x100 of later SDKs) and JetSetIndexRange; any other bit is
// JET_errInvalidGrbit, checked after the handles.
constexpr JET_GRBIT kMakeKeyGrbits = JET_bitNewKey | JET_bitStrLimit | JET_bitSubStrLimit | JET_bitNormalizedKey |
                                     JET_bitKeyDataZeroLength | JET_bitFullColumnStartLimit |
                                     JET_bitFullColumnEndLimit | JET_bitPartialColumnStartLimit |
                                     JET_bitPartialColumnEndLimit;
constexpr JET_GRBIT kSeekGrbits = JET_bitSeekEQ | JET_bitSeekLT | JET_bitSeekLE | JET_bitSeekGE | JET_bitSeekGT |
                                  JET_bitSetIndexRange | JET_bitCheckUniqueness | 0x80 | 0x100;
constexpr JET_GRBIT kIndexRangeGrbits =
    JET_bitRangeInclusive | JET_bitRangeUpperLimit | JET_bitRangeInstantDuration | JET_bitRangeRemove;

Status make_key(JET_SESID sesid, JET_TABLEID tableid, const void* data, JET_UINT32 size,
                JET_GRBIT grbit) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  if ((grbit & ~kMakeKeyGrbits) != 0) return Error::kInvalidGrbit;
  if (data == nullptr && size > 0) return Error::kInvalidParameter;
  std::span<const std::byte> bytes(static_cast<const std::byte*>(data), data == nullptr ? 0 : size);
  return call->cursor().make_key(bytes, grbit);
}

Status seek(JET_SESID sesid, JET_TABLEID tableid, JET_GRBIT grbit) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  if ((grbit & ~kSeekGrbits) != 0) return Error::kInvalidGrbit;
  return call->cursor().seek(grbit);
}

Status set_index_range(JET_SESID sesid, JET_TABLEID tableid, JET_GRBIT grbit) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  if ((grbit & ~kIndexRangeGrbits) != 0) return Error::kInvalidGrbit;
  return call->cursor().set_index_range(grbit);
}

Status output_bytes(const std::string& bytes, void* out, JET_UINT32 cb_max, JET_UINT32* actual) {
  if (actual != nullptr) *actual = static_cast<JET_UINT32>(bytes.size());
  if (out == nullptr && cb_max > 0) return Error::kInvalidParameter;
  if (cb_max < bytes.size()) {
    if (out != nullptr) std::memcpy(out, bytes.data(), cb_max);
    return Error::kBufferTooSmall;
  }
  if (!bytes.empty()) std::memcpy(out, bytes.data(), bytes.size());
  return Status::success();
}

Status retrieve_key(JET_SESID sesid, JET_TABLEID tableid, void* out, JET_UINT32 cb_max,
                    JET_UINT32* actual, JET_GRBIT grbit) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  if ((grbit & ~JET_GRBIT{JET_bitRetrieveCopy}) != 0) return Error::kInvalidGrbit;
  Result<std::string> key = call->cursor().retrieve_key((grbit & JET_bitRetrieveCopy) != 0);
  if (!key.ok()) return key.status();
  // ESE truncates the key to the buffer and warns.
  if (actual != nullptr) *actual = static_cast<JET_UINT32>(key->size());
  if (out == nullptr && cb_max > 0) return Error::kInvalidParameter;
  std::size_t count = std::min<std::size_t>(cb_max, key->size());
  if (count > 0) std::memcpy(out, key->data(), count);
  return key->size() > cb_max ? Status(Error::kWarnBufferTruncated) : Status::success();
}

Status get_bookmark(JET_SESID sesid, JET_TABLEID tableid, void* out, JET_UINT32 cb_max,
                    JET_UINT32* actual) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  Result<std::string> bookmark = call->cursor().bookmark();
  if (!bookmark.ok()) return bookmark.status();
  return output_bytes(bookmark.value(), out, cb_max, actual);
}

Status goto_bookmark(JET_SESID sesid, JET_TABLEID tableid, const void* bookmark, JET_UINT32 size) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  // No bookmark is longer than the longest key (JET_cbBookmarkMostMost): a larger size is
  // rejected before any byte of the client's buffer is read.
  if (bookmark == nullptr || size == 0 || size > JET_cbBookmarkMostMost) return Error::kInvalidBookmark;
  return call->cursor().goto_bookmark(std::string_view(static_cast<const char*>(bookmark), size));
}

Status index_record_count(JET_SESID sesid, JET_TABLEID tableid, JET_UINT32* count, JET_UINT32 limit) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  if (count == nullptr) return Error::kInvalidParameter;
  Result<std::uint64_t> counted = call->cursor().index_record_count(limit);
  if (!counted.ok()) return counted.status();
  *count = static_cast<JET_UINT32>(std::min<std::uint64_t>(counted.value(), 0xFFFFFFFFu));
  return Status::success();
}

Status record_position(JET_SESID sesid, JET_TABLEID tableid, JET_RECPOS* position, JET_UINT32 size) {
  Result<TableCall> call = enter_table(sesid, tableid);
  if (!call.ok()) return call.status();
  if (position == nullptr || size < sizeof(JET_RECPOS)) return Error::kInvalidParameter;
  Result<std::pair<std::uint64_t, std::uint64_t>> where = call->cursor().record_position();
  if (!where.ok()) return where.status();
  position->cbStruct = sizeof(JET_RECPOS);
  position->centriesLT = static_cast<JET_UINT32>(where->first);
  position->centriesInRange = 1;
  position->centriesTotal = static_cast<JET_UINT32>(where->second);
  return Status::success();
}

}  // namespace
}  // namespace esent::api

using esent::api::guarded;
namespace api = esent::api;

extern "C" {

JET_ERR JET_API JetMove(JET_SESID sesid, JET_TABLEID tableid, JET_INT32 cRow, JET_GRBIT grbit) {
  return guarded(__func__, [&] { return api::move(sesid, tableid, cRow, grbit); });
}

JET_ERR JET_API JetMakeKey(JET_SESID sesid, JET_TABLEID tableid, JET_PCVOID pvData,
                           JET_UINT32 cbData, JET_GRBIT grbit) {
  return guarded(__func__, [&] { return api::make_key(sesid, tableid, pvData, cbData, grbit); });
}

JET_ERR JET_API JetSeek(JET_SESID sesid, JET_TABLEID tableid, JET_GRBIT grbit) {
  return guarded(__func__, [&] { return api::seek(sesid, tableid, grbit); });
}

JET_ERR JET_API JetSetIndexRange(JET_SESID sesid, JET_TABLEID tableidSrc, JET_GRBIT grbit) {
  return guarded(__func__, [&] { return api::set_index_range(sesid, tableidSrc, grbit); });
}

JET_ERR JET_API JetRetrieveKey(JET_SESID sesid, JET_TABLEID tableid, JET_PVOID pvKey,
                               JET_UINT32 cbMax, JET_UINT32* pcbActual, JET_GRBIT grbit) {
  return guarded(__func__, [&] { return api::retrieve_key(sesid, tableid, pvKey, cbMax, pcbActual, grbit); });
}

JET_ERR JET_API JetGetBookmark(JET_SESID sesid, JET_TABLEID tableid, JET_PVOID pvBookmark,
                               JET_UINT32 cbMax, JET_UINT32* pcbActual) {
  return guarded(__func__, [&] { return api::get_bookmark(sesid, tableid, pvBookmark, cbMax, pcbActual); });
}

JET_ERR JET_API JetGotoBookmark(JET_SESID sesid, JET_TABLEID tableid, JET_PVOID pvBookmark,
                                JET_UINT32 cbBookmark) {
  return guarded(__func__, [&] { return api::goto_bookmark(sesid, tableid, pvBookmark, cbBookmark); });
}

JET_ERR JET_API JetIndexRecordCount(JET_SESID sesid, JET_TABLEID tableid, JET_UINT32* pcrec,
                                    JET_UINT32 crecMax) {
  return guarded(__func__, [&] { return api::index_record_count(sesid, tableid, pcrec, crecMax); });
}

JET_ERR JET_API JetGetRecordPosition(JET_SESID sesid, JET_TABLEID tableid, JET_RECPOS* precpos,
                                     JET_UINT32 cbRecpos) {
  return guarded(__func__, [&] { return api::record_position(sesid, tableid, precpos, cbRecpos); });
}

}  // extern "C"
