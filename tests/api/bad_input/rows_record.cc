// Rows of the transaction, record and cursor functions.
#include <cstring>

#include "bad_input.h"

namespace esent_test::bad_input {
namespace {

constexpr JET_GRBIT kCommitGrbits =
    JET_bitCommitLazyFlush | JET_bitWaitLastLevel0Commit | JET_bitWaitAllLevel0Commit | JET_bitForceNewLog;
constexpr JET_GRBIT kSetColumnGrbits =
    JET_bitSetAppendLV | JET_bitSetOverwriteLV | JET_bitSetSizeLV | JET_bitSetZeroLength | JET_bitSetSeparateLV |
    JET_bitSetUniqueMultiValues | JET_bitSetUniqueNormalizedMultiValues | JET_bitSetRevertToDefaultValue |
    JET_bitSetIntrinsicLV | JET_bitSetUncompressed | JET_bitSetCompressed | JET_bitSetContiguousLV;
// JET_bitRetrieveLongId (0x40) and JET_bitRetrieveLongValueRefs (0x80) are ESE's too.
constexpr JET_GRBIT kRetrieveGrbits = JET_bitRetrieveCopy | JET_bitRetrieveFromIndex |
                                      JET_bitRetrieveFromPrimaryBookmark | JET_bitRetrieveTag | JET_bitRetrieveNull |
                                      JET_bitRetrieveIgnoreDefault | 0x40 | 0x80 | JET_bitRetrieveTuple;
constexpr JET_GRBIT kMakeKeyGrbits = JET_bitNewKey | JET_bitStrLimit | JET_bitSubStrLimit | JET_bitNormalizedKey |
                                     JET_bitKeyDataZeroLength | JET_bitFullColumnStartLimit |
                                     JET_bitFullColumnEndLimit | JET_bitPartialColumnStartLimit |
                                     JET_bitPartialColumnEndLimit;
// With JET_bitSeekNext (0x80) and JET_bitSeekPrev (0x100) of later SDKs.
constexpr JET_GRBIT kSeekGrbits = JET_bitSeekEQ | JET_bitSeekLT | JET_bitSeekLE | JET_bitSeekGE | JET_bitSeekGT |
                                  JET_bitSetIndexRange | JET_bitCheckUniqueness | 0x80 | 0x100;
constexpr JET_GRBIT kRangeGrbits =
    JET_bitRangeInclusive | JET_bitRangeUpperLimit | JET_bitRangeInstantDuration | JET_bitRangeRemove;
// JetUpdate2: JET_bitUpdateCheckESE97Compatibility and the 0x2 of newer SDKs
// (JET_bitUpdateNoVersion).
constexpr JET_GRBIT kUpdate2Grbits = JET_bitUpdateCheckESE97Compatibility | 0x2;

// Inside a transaction with an update of the fixture's row prepared; Unprepare cancels both and
// passes `result` through.
void Prepare(Fixture& f) {
  EXPECT_EQ(JET_errSuccess, JetBeginTransaction(f.sesid));
  EXPECT_EQ(JET_errSuccess, JetMove(f.sesid, f.tableid, kMoveFirst, 0));
  EXPECT_EQ(JET_errSuccess, JetPrepareUpdate(f.sesid, f.tableid, JET_prepReplace));
}
JET_ERR Unprepare(Fixture& f, JET_ERR result) {
  static_cast<void>(JetPrepareUpdate(f.sesid, f.tableid, JET_prepCancel));
  static_cast<void>(JetRollback(f.sesid, JET_bitRollbackAll));
  return result;
}

// The fixture's cursor on its row, with a key made for the seek functions.
void OnRow(Fixture& f) { EXPECT_EQ(JET_errSuccess, JetMove(f.sesid, f.tableid, kMoveFirst, 0)); }
void KeyMade(Fixture& f) {
  std::int32_t value = 42;
  EXPECT_EQ(JET_errSuccess, JetMakeKey(f.sesid, f.tableid, &value, sizeof(value), JET_bitNewKey));
}

// `call` on a new cursor of the fixture's table (no key made, no range), closed afterwards.
template <typename Fn>
JET_ERR OnFreshCursor(Fixture& f, Fn call) {
  JET_TABLEID t = 0;
  EXPECT_EQ(JET_errSuccess, JetOpenTableA(f.sesid, f.dbid, "t", nullptr, 0, 0, &t));
  const JET_ERR err = call(f.sesid, t);
  static_cast<void>(JetCloseTable(f.sesid, t));
  return err;
}

}  // namespace

void AddRecordRows(Rows& rows) {
  // ---- Transactions -------------------------------------------------------------------------
  rows.push_back(BAD_ROW(JetBeginTransaction, return JetBeginTransaction(a.sesid)).Takes(kSesid));
  rows.push_back(BAD_ROW(JetBeginTransaction2, const JET_ERR err = JetBeginTransaction2(a.sesid, a.G(0));
                         if (err >= 0) static_cast<void>(JetRollback(a.sesid, 0));
                         return err)
                     .Takes(kSesid)
                     .Grbits(JET_bitTransactionReadOnly));
  rows.push_back(BAD_ROW(JetBeginTransaction3, const JET_ERR err = JetBeginTransaction3(a.sesid, 7, a.G(0));
                         if (err >= 0) static_cast<void>(JetRollback(a.sesid, 0));
                         return err)
                     .Takes(kSesid)
                     .Grbits(JET_bitTransactionReadOnly));
  // Inside a transaction, so that only the bad input can make the call fail.
  rows.push_back(BAD_ROW(JetCommitTransaction, EXPECT_EQ(JET_errSuccess, JetBeginTransaction(f.sesid));
                         const JET_ERR err = JetCommitTransaction(a.sesid, a.G(0));
                         if (err < 0) static_cast<void>(JetRollback(f.sesid, 0));
                         return err)
                     .Takes(kSesid)
                     .Grbits(kCommitGrbits)
                     .Add("not in a transaction", BAD_CALL(return JetCommitTransaction(f.sesid, 0)),
                          JET_errNotInTransaction));
  rows.push_back(BAD_ROW(JetCommitTransaction2, EXPECT_EQ(JET_errSuccess, JetBeginTransaction(f.sesid));
                         JET_COMMIT_ID id{};
                         const JET_ERR err = JetCommitTransaction2(a.sesid, a.G(0), 0, &id);
                         if (err < 0) static_cast<void>(JetRollback(f.sesid, 0));
                         return err)
                     .Takes(kSesid)
                     .Grbits(kCommitGrbits));
  rows.push_back(BAD_ROW(JetRollback, EXPECT_EQ(JET_errSuccess, JetBeginTransaction(f.sesid));
                         const JET_ERR err = JetRollback(a.sesid, a.G(0));
                         if (err < 0) static_cast<void>(JetRollback(f.sesid, 0));
                         return err)
                     .Takes(kSesid)
                     .Grbits(JET_bitRollbackAll)
                     .Add("not in a transaction", BAD_CALL(return JetRollback(f.sesid, 0)), JET_errNotInTransaction));

  // ---- Updates ------------------------------------------------------------------------------
  rows.push_back(BAD_ROW(JetPrepareUpdate, EXPECT_EQ(JET_errSuccess, JetBeginTransaction(f.sesid));
                         OnRow(f);
                         return Unprepare(f, JetPrepareUpdate(a.sesid, a.tableid, JET_prepReplace)))
                     .Takes(kSesid | kTableid)
                     .Add("unknown prep", BAD_CALL(EXPECT_EQ(JET_errSuccess, JetBeginTransaction(f.sesid));
                                                   return Unprepare(f, JetPrepareUpdate(f.sesid, f.tableid, 0xBAD))),
                          kAnyError));
  rows.push_back(BAD_ROW(JetUpdate, Prepare(f); JET_UINT32 n = 0;
                         return Unprepare(f, JetUpdate(a.sesid, a.tableid, nullptr, 0, &n)))
                     .Takes(kSesid | kTableid)
                     .Add("no update prepared",
                          BAD_CALL(return JetUpdate(f.sesid, f.tableid, nullptr, 0, nullptr)), JET_errUpdateNotPrepared));
  rows.push_back(BAD_ROW(JetUpdate2, Prepare(f); JET_UINT32 n = 0;
                         return Unprepare(f, JetUpdate2(a.sesid, a.tableid, nullptr, 0, &n, a.G(0))))
                     .Takes(kSesid | kTableid)
                     .Grbits(kUpdate2Grbits));
  // A delete outside a transaction would remove the fixture's row: only the handles are bad.
  rows.push_back(BAD_ROW(JetDelete, EXPECT_EQ(JET_errSuccess, JetBeginTransaction(f.sesid)); OnRow(f);
                         return Unprepare(f, JetDelete(a.sesid, a.tableid)))
                     .Takes(kSesid | kTableid));
  rows.push_back(BAD_ROW(JetSetColumn, Prepare(f); std::int32_t v = 42;
                         return Unprepare(f, JetSetColumn(a.sesid, a.tableid, f.columnid, &v, sizeof(v), a.G(0),
                                                          nullptr)))
                     .Takes(kSesid | kTableid)
                     .Grbits(kSetColumnGrbits)
                     .Add("unknown columnid", BAD_CALL(Prepare(f); std::int32_t v = 42;
                                                       return Unprepare(f, JetSetColumn(f.sesid, f.tableid, 0xBAD0, &v,
                                                                                        sizeof(v), 0, nullptr))),
                          JET_errColumnNotFound)
                     .Add("cbData 3 for a Long", BAD_CALL(Prepare(f); std::int32_t v = 42;
                                                          return Unprepare(f, JetSetColumn(f.sesid, f.tableid,
                                                                                           f.columnid, &v, 3, 0,
                                                                                           nullptr))),
                          JET_errInvalidBufferSize)
                     .Add("NULL data with a size", BAD_CALL(Prepare(f);
                                                            return Unprepare(f, JetSetColumn(f.sesid, f.tableid,
                                                                                             f.columnid, nullptr, 4, 0,
                                                                                             nullptr))),
                          kAnyError)
                     .Add("JET_SETINFO cbStruct - 1",
                          BAD_CALL(Prepare(f); std::int32_t v = 42; JET_SETINFO info{};
                                   info.cbStruct = sizeof(info) - 1; info.itagSequence = 1;
                                   return Unprepare(f, JetSetColumn(f.sesid, f.tableid, f.columnid, &v, sizeof(v), 0,
                                                                    &info))),
                          JET_errInvalidParameter)
                     .Add("no update prepared", BAD_CALL(std::int32_t v = 42;
                                                         return JetSetColumn(f.sesid, f.tableid, f.columnid, &v,
                                                                             sizeof(v), 0, nullptr)),
                          JET_errUpdateNotPrepared));
  rows.push_back(BAD_ROW(JetSetColumns, Prepare(f); std::int32_t v = 42; JET_SETCOLUMN set{};
                         set.columnid = f.columnid; set.pvData = &v; set.cbData = sizeof(v); set.grbit = a.G(0);
                         return Unprepare(f, JetSetColumns(a.sesid, a.tableid, a.P(0, &set), 1)))
                     .Takes(kSesid | kTableid)
                     .Pointers(1)
                     .Grbits(kSetColumnGrbits));

  // ---- Retrieval ----------------------------------------------------------------------------
  rows.push_back(BAD_ROW(JetRetrieveColumn, OnRow(f); std::int32_t v = 0; JET_UINT32 n = 0;
                         return JetRetrieveColumn(a.sesid, a.tableid, f.columnid, &v, sizeof(v), &n, a.G(0), nullptr))
                     .Takes(kSesid | kTableid)
                     .Grbits(kRetrieveGrbits)
                     .Add("unknown columnid", BAD_CALL(OnRow(f); std::int32_t v = 0; JET_UINT32 n = 0;
                                                       return JetRetrieveColumn(f.sesid, f.tableid, 0xBAD0, &v,
                                                                                sizeof(v), &n, 0, nullptr)),
                          JET_errColumnNotFound)
                     .Add("JET_RETINFO cbStruct + 1",
                          BAD_CALL(OnRow(f); std::int32_t v = 0; JET_UINT32 n = 0; JET_RETINFO info{};
                                   info.cbStruct = sizeof(info) + 1; info.itagSequence = 1;
                                   return JetRetrieveColumn(f.sesid, f.tableid, f.columnid, &v, sizeof(v), &n, 0,
                                                            &info)),
                          JET_errInvalidParameter)
                     .Add("no current record", BAD_CALL(JET_TABLEID t = 0;
                                                        EXPECT_EQ(JET_errSuccess,
                                                                  JetOpenTableA(f.sesid, f.dbid, "t", nullptr, 0, 0, &t));
                                                        EXPECT_EQ(JET_errNoCurrentRecord,
                                                                  JetMove(f.sesid, t, JET_MovePrevious, 0));
                                                        std::int32_t v = 0; JET_UINT32 n = 0;
                                                        const JET_ERR err = JetRetrieveColumn(
                                                            f.sesid, t, f.columnid, &v, sizeof(v), &n, 0, nullptr);
                                                        static_cast<void>(JetCloseTable(f.sesid, t));
                                                        return err),
                          JET_errNoCurrentRecord));
  rows.push_back(BAD_ROW(JetRetrieveColumns, OnRow(f); std::int32_t v = 0; JET_RETRIEVECOLUMN get{};
                         get.columnid = f.columnid; get.pvData = &v; get.cbData = sizeof(v); get.grbit = a.G(0);
                         get.itagSequence = 1;
                         return JetRetrieveColumns(a.sesid, a.tableid, a.P(0, &get), 1))
                     .Takes(kSesid | kTableid)
                     .Pointers(1)
                     .Grbits(kRetrieveGrbits));
  rows.push_back(BAD_ROW(JetRetrieveKey, OnRow(f); char key[256]; JET_UINT32 n = 0;
                         return JetRetrieveKey(a.sesid, a.tableid, key, sizeof(key), &n, a.G(0)))
                     .Takes(kSesid | kTableid)
                     .Grbits(JET_bitRetrieveCopy));
  rows.push_back(BAD_ROW(JetMakeKey, std::int32_t v = 42;
                         return JetMakeKey(a.sesid, a.tableid, &v, sizeof(v), a.G(JET_bitNewKey)))
                     .Takes(kSesid | kTableid)
                     .Grbits(kMakeKeyGrbits)
                     .Add("NULL data with a size",
                          BAD_CALL(return JetMakeKey(f.sesid, f.tableid, nullptr, 4, JET_bitNewKey)), kAnyError)
                     .Add("more key columns than the index has",
                          BAD_CALL(std::int32_t v = 42;
                                   EXPECT_EQ(JET_errSuccess,
                                             JetMakeKey(f.sesid, f.tableid, &v, sizeof(v), JET_bitNewKey));
                                   return JetMakeKey(f.sesid, f.tableid, &v, sizeof(v), 0)),
                          JET_errKeyIsMade));
  rows.push_back(BAD_ROW(JetSeek, KeyMade(f); return JetSeek(a.sesid, a.tableid, a.G(JET_bitSeekEQ)))
                     .Takes(kSesid | kTableid)
                     .Grbits(kSeekGrbits)
                     .Add("no key made", BAD_CALL(return OnFreshCursor(f, [](JET_SESID s, JET_TABLEID t) {
                            return JetSeek(s, t, JET_bitSeekEQ);
                          })),
                          JET_errKeyNotMade)
                     .Add("two seek directions",
                          BAD_CALL(KeyMade(f); return JetSeek(f.sesid, f.tableid, JET_bitSeekLT | JET_bitSeekGT)),
                          JET_errInvalidGrbit));
  rows.push_back(BAD_ROW(JetMove, return JetMove(a.sesid, a.tableid, kMoveFirst, a.G(0)))
                     .Takes(kSesid | kTableid)
                     .Grbits(JET_bitMoveKeyNE));
  rows.push_back(BAD_ROW(JetSetIndexRange, OnRow(f); KeyMade(f);
                         const JET_ERR err = JetSetIndexRange(a.sesid, a.tableid, a.G(JET_bitRangeUpperLimit));
                         static_cast<void>(JetSetIndexRange(f.sesid, f.tableid, JET_bitRangeRemove));
                         return err)
                     .Takes(kSesid | kTableid)
                     .Grbits(kRangeGrbits)
                     .Add("no key made", BAD_CALL(return OnFreshCursor(f, [](JET_SESID s, JET_TABLEID t) {
                            EXPECT_EQ(JET_errSuccess, JetMove(s, t, kMoveFirst, 0));
                            return JetSetIndexRange(s, t, 0);
                          })),
                          JET_errKeyNotMade));
  rows.push_back(BAD_ROW(JetIndexRecordCount, JET_UINT32 n = 0;
                         return JetIndexRecordCount(a.sesid, a.tableid, a.P(0, &n), 0))
                     .Takes(kSesid | kTableid)
                     .Pointers(1));
  rows.push_back(BAD_ROW(JetGetBookmark, OnRow(f); char bookmark[256]; JET_UINT32 n = 0;
                         return JetGetBookmark(a.sesid, a.tableid, bookmark, sizeof(bookmark), &n))
                     .Takes(kSesid | kTableid)
                     .Add("cbMax 0 with a buffer", BAD_CALL(OnRow(f); char bookmark[256]; JET_UINT32 n = 0;
                                                            return JetGetBookmark(f.sesid, f.tableid, bookmark, 0, &n)),
                          JET_errBufferTooSmall));
  rows.push_back(BAD_ROW(JetGotoBookmark, OnRow(f); char bookmark[256]; JET_UINT32 n = 0;
                         EXPECT_EQ(JET_errSuccess,
                                   JetGetBookmark(f.sesid, f.tableid, bookmark, sizeof(bookmark), &n));
                         return JetGotoBookmark(a.sesid, a.tableid, a.P(0, bookmark), n))
                     .Takes(kSesid | kTableid)
                     .Pointers(1, JET_errInvalidBookmark)
                     .Add("bookmark size 0", BAD_CALL(char bookmark[4] = {};
                                                      return JetGotoBookmark(f.sesid, f.tableid, bookmark, 0)),
                          kAnyError)
                     .Add("garbage bookmark", BAD_CALL(char bookmark[4] = {'\x7f', 'x', 'y', 'z'};
                                                       return JetGotoBookmark(f.sesid, f.tableid, bookmark, 4)),
                          kAnyError)
                     // Larger than any bookmark: rejected before the buffer is read.
                     .Add("huge bookmark size", BAD_CALL(char bookmark[4] = {};
                                                         return JetGotoBookmark(f.sesid, f.tableid, bookmark,
                                                                                0xFFFFFFFF)),
                          JET_errInvalidBookmark));
  rows.push_back(BAD_ROW(JetGetRecordPosition, OnRow(f); JET_RECPOS pos{};
                         return JetGetRecordPosition(a.sesid, a.tableid, a.P(0, &pos), sizeof(pos)))
                     .Takes(kSesid | kTableid)
                     .Pointers(1)
                     .Add("cbRecpos - 1", BAD_CALL(OnRow(f); JET_RECPOS pos{};
                                                   return JetGetRecordPosition(f.sesid, f.tableid, &pos,
                                                                               sizeof(pos) - 1)),
                          kAnyError)
                     .Add("cbRecpos 0", BAD_CALL(OnRow(f); JET_RECPOS pos{};
                                                 return JetGetRecordPosition(f.sesid, f.tableid, &pos, 0)),
                          kAnyError));
}

}  // namespace esent_test::bad_input
