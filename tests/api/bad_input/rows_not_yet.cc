// Rows of the functions not built yet (src/api/not_yet.cc): every call, bad or not, returns
// JET_errFeatureNotAvailable and leaves the instance as it was.
#include "bad_input.h"

namespace esent_test::bad_input {
namespace {

// A row whose every call must give JET_errFeatureNotAvailable.
#define NOT_YET(fn, kinds, pointers, ...)                                          \
  rows.push_back(MakeRow(#fn, BAD_CALL(__VA_ARGS__))                               \
                     .Takes(kinds)                                                 \
                     .Pointers(pointers)                                           \
                     .Always(JET_errFeatureNotAvailable))
#define NOT_YET_AW(base, kinds, pointers, ...)                                     \
  AddBoth(rows, #base,                                                             \
          []([[maybe_unused]] Fixture& f, const Args& args, [[maybe_unused]] auto c) -> JET_ERR { \
            __VA_ARGS__;                                                           \
          },                                                                       \
          [](Row& row) { row.Takes(kinds).Pointers(pointers).Always(JET_errFeatureNotAvailable); })

}  // namespace

void AddNotYetRows(Rows& rows) {
  NOT_YET(JetGetThreadStats, 0, 1, JET_THREADSTATS s{}; return JetGetThreadStats(a.P(0, &s), sizeof(s)));
  NOT_YET(JetDupSession, kSesid, 1, JET_SESID s = 0; return JetDupSession(a.sesid, a.P(0, &s)));
  NOT_YET(JetIdle, kSesid | kGrbit, 0, return JetIdle(a.sesid, a.G(0)));
  NOT_YET_AW(JetRenameTable, kSesid | kDbid | kName, 2,
             return BAD_FN(JetRenameTable)(args.sesid, args.dbid, BAD_NAME(0, "t"), BAD_NAME(1, "u")));
  NOT_YET_AW(JetRenameColumn, kSesid | kTableid | kName | kGrbit, 2,
             return BAD_FN(JetRenameColumn)(args.sesid, args.tableid, BAD_NAME(0, "c"), BAD_NAME(1, "d"),
                                            args.G(0)));
  NOT_YET_AW(JetSetColumnDefaultValue, kSesid | kDbid | kName | kGrbit, 3,
             std::int32_t v = 1;
             return BAD_FN(JetSetColumnDefaultValue)(args.sesid, args.dbid, BAD_NAME(0, "t"), BAD_NAME(1, "c"),
                                                     args.P(2, &v), sizeof(v), args.G(0)));
  NOT_YET(JetSetTableSequential, kSesid | kTableid | kGrbit, 0,
          return JetSetTableSequential(a.sesid, a.tableid, a.G(0)));
  NOT_YET(JetResetTableSequential, kSesid | kTableid | kGrbit, 0,
          return JetResetTableSequential(a.sesid, a.tableid, a.G(0)));
  NOT_YET(JetEscrowUpdate, kSesid | kTableid | kGrbit, 1, std::int32_t v = 1;
          return JetEscrowUpdate(a.sesid, a.tableid, f.columnid, a.P(0, &v), sizeof(v), nullptr, 0, nullptr,
                                 a.G(0)));
  NOT_YET(JetEnumerateColumns, kSesid | kTableid | kGrbit, 2, JET_UINT32 n = 0; JET_ENUMCOLUMN* e = nullptr;
          return JetEnumerateColumns(a.sesid, a.tableid, 0, nullptr, a.P(0, &n), a.P(1, &e), nullptr, nullptr,
                                     0, a.G(0)));
  NOT_YET(JetGetRecordSize, kSesid | kTableid | kGrbit, 1, JET_RECSIZE s{};
          return JetGetRecordSize(a.sesid, a.tableid, a.P(0, &s), a.G(0)));
  NOT_YET(JetGetRecordSize2, kSesid | kTableid | kGrbit, 1, JET_RECSIZE2 s{};
          return JetGetRecordSize2(a.sesid, a.tableid, a.P(0, &s), a.G(0)));
  NOT_YET(JetGotoPosition, kSesid | kTableid, 1, JET_RECPOS p{}; p.cbStruct = sizeof(p);
          return JetGotoPosition(a.sesid, a.tableid, a.P(0, &p)));
  NOT_YET(JetGetCursorInfo, kSesid | kTableid, 0, return JetGetCursorInfo(a.sesid, a.tableid, nullptr, 0, 0));
  NOT_YET(JetSetCursorFilter, kSesid | kTableid | kGrbit, 0,
          return JetSetCursorFilter(a.sesid, a.tableid, nullptr, 0, a.G(0)));
  NOT_YET(JetGetLock, kSesid | kTableid | kGrbit, 0, return JetGetLock(a.sesid, a.tableid, a.G(JET_bitReadLock)));
  NOT_YET(JetPrereadKeys, kSesid | kTableid | kGrbit, 1, JET_INT32 n = 0;
          return JetPrereadKeys(a.sesid, a.tableid, nullptr, nullptr, 0, a.P(0, &n), a.G(JET_bitPrereadForward)));
  NOT_YET(JetPrereadIndexRanges, kSesid | kTableid | kGrbit, 1, JET_UINT32 n = 0;
          return JetPrereadIndexRanges(a.sesid, a.tableid, nullptr, 0, a.P(0, &n), nullptr, 0,
                                       a.G(JET_bitPrereadForward)));
  NOT_YET(JetGetSecondaryIndexBookmark, kSesid | kTableid | kGrbit, 0, char k[8]; char b[8];
          return JetGetSecondaryIndexBookmark(a.sesid, a.tableid, k, sizeof(k), nullptr, b, sizeof(b), nullptr,
                                              a.G(0)));
  NOT_YET_AW(JetCompact, kSesid | kPath | kGrbit, 2,
             return BAD_FN(JetCompact)(args.sesid, BAD_PATH(0, f.database_path), BAD_PATH(1, f.folder + "c.edb"),
                                       nullptr, nullptr, args.G(0)));
  NOT_YET_AW(JetDefragment, kSesid | kDbid | kName | kGrbit, 0,
             return BAD_FN(JetDefragment)(args.sesid, args.dbid, BAD_NAME(-1, "t"), nullptr, nullptr, args.G(0)));
  NOT_YET_AW(JetDefragment2, kSesid | kDbid | kName | kGrbit, 0,
             return BAD_FN(JetDefragment2)(args.sesid, args.dbid, BAD_NAME(-1, "t"), nullptr, nullptr, nullptr,
                                           args.G(0)));
  NOT_YET_AW(JetDefragment3, kSesid | kPath | kName | kGrbit, 1,
             return BAD_FN(JetDefragment3)(args.sesid, BAD_PATH(0, f.database_path), BAD_NAME(-1, "t"), nullptr,
                                           nullptr, nullptr, nullptr, args.G(0)));
  NOT_YET(JetGrowDatabase, kSesid | kDbid, 0, return JetGrowDatabase(a.sesid, a.dbid, 1024, nullptr));
  NOT_YET(JetResizeDatabase, kSesid | kDbid | kGrbit, 0,
          return JetResizeDatabase(a.sesid, a.dbid, 1024, nullptr, a.G(0)));
  NOT_YET(JetSetSessionContext, kSesid, 0, return JetSetSessionContext(a.sesid, 0xC0FFEE));
  NOT_YET(JetResetSessionContext, kSesid, 0, return JetResetSessionContext(a.sesid));
  NOT_YET(JetGotoSecondaryIndexBookmark, kSesid | kTableid | kGrbit, 2, char k[4] = {}; char b[4] = {};
          return JetGotoSecondaryIndexBookmark(a.sesid, a.tableid, a.P(0, k), sizeof(k), a.P(1, b), sizeof(b),
                                               a.G(0)));
  NOT_YET(JetIntersectIndexes, kSesid | kGrbit, 1, JET_RECORDLIST l{}; l.cbStruct = sizeof(l);
          return JetIntersectIndexes(a.sesid, nullptr, 0, a.P(0, &l), a.G(0)));
  NOT_YET(JetComputeStats, kSesid | kTableid, 0, return JetComputeStats(a.sesid, a.tableid));
  NOT_YET(JetOpenTempTable, kSesid | kGrbit, 1, JET_TABLEID t = 0;
          return JetOpenTempTable(a.sesid, nullptr, 0, a.G(0), a.P(0, &t), nullptr));
  NOT_YET(JetOpenTempTable2, kSesid | kGrbit, 1, JET_TABLEID t = 0;
          return JetOpenTempTable2(a.sesid, nullptr, 0, 1033, a.G(0), a.P(0, &t), nullptr));
  NOT_YET(JetOpenTempTable3, kSesid | kGrbit, 1, JET_TABLEID t = 0;
          return JetOpenTempTable3(a.sesid, nullptr, 0, nullptr, a.G(0), a.P(0, &t), nullptr));
  NOT_YET(JetOpenTemporaryTable, kSesid, 1, JET_OPENTEMPORARYTABLE t{}; t.cbStruct = sizeof(t);
          return JetOpenTemporaryTable(a.sesid, a.P(0, &t)));
  NOT_YET(JetOpenTemporaryTable2, kSesid, 1, JET_OPENTEMPORARYTABLE2 t{}; t.cbStruct = sizeof(t);
          return JetOpenTemporaryTable2(a.sesid, a.P(0, &t)));
  NOT_YET(JetIndexRecordCount2, kSesid | kTableid, 1, JET_UINT64 n = 0;
          return JetIndexRecordCount2(a.sesid, a.tableid, a.P(0, &n), 0));
  NOT_YET(JetRegisterCallback, kSesid | kTableid, 1, JET_HANDLE h = 0;
          return JetRegisterCallback(a.sesid, a.tableid, JET_cbtypBeforeInsert, nullptr, nullptr, a.P(0, &h)));
  NOT_YET(JetUnregisterCallback, kSesid | kTableid, 0,
          return JetUnregisterCallback(a.sesid, a.tableid, JET_cbtypBeforeInsert, 0xDEAD));
  NOT_YET(JetSetLS, kSesid | kTableid | kGrbit, 0, return JetSetLS(a.sesid, a.tableid, 0x1234, a.G(0)));
  NOT_YET(JetGetLS, kSesid | kTableid | kGrbit, 1, JET_LS ls = 0;
          return JetGetLS(a.sesid, a.tableid, a.P(0, &ls), a.G(0)));
  NOT_YET(JetOSSnapshotPrepare, kGrbit, 1, JET_OSSNAPID id = 0; return JetOSSnapshotPrepare(a.P(0, &id), a.G(0)));
  NOT_YET(JetOSSnapshotPrepareInstance, kInstance | kGrbit, 0,
          return JetOSSnapshotPrepareInstance(0xDEAD, a.instance, a.G(0)));
  NOT_YET_AW(JetOSSnapshotFreeze, kGrbit, 2, JET_UINT32 n = 0;
             if constexpr (sizeof(c) == 1) {
               JET_INSTANCE_INFO_A* info = nullptr;
               return BAD_FN(JetOSSnapshotFreeze)(0xDEAD, args.P(0, &n), args.P(1, &info), args.G(0));
             } else {
               JET_INSTANCE_INFO_W* info = nullptr;
               return BAD_FN(JetOSSnapshotFreeze)(0xDEAD, args.P(0, &n), args.P(1, &info), args.G(0));
             });
  NOT_YET(JetOSSnapshotThaw, kGrbit, 0, return JetOSSnapshotThaw(0xDEAD, a.G(0)));
  NOT_YET(JetOSSnapshotAbort, kGrbit, 0, return JetOSSnapshotAbort(0xDEAD, a.G(0)));
  NOT_YET(JetOSSnapshotTruncateLog, kGrbit, 0, return JetOSSnapshotTruncateLog(0xDEAD, a.G(0)));
  NOT_YET(JetOSSnapshotTruncateLogInstance, kInstance | kGrbit, 0,
          return JetOSSnapshotTruncateLogInstance(0xDEAD, a.instance, a.G(0)));
  NOT_YET_AW(JetOSSnapshotGetFreezeInfo, kGrbit, 2, JET_UINT32 n = 0;
             if constexpr (sizeof(c) == 1) {
               JET_INSTANCE_INFO_A* info = nullptr;
               return BAD_FN(JetOSSnapshotGetFreezeInfo)(0xDEAD, args.P(0, &n), args.P(1, &info), args.G(0));
             } else {
               JET_INSTANCE_INFO_W* info = nullptr;
               return BAD_FN(JetOSSnapshotGetFreezeInfo)(0xDEAD, args.P(0, &n), args.P(1, &info), args.G(0));
             });
  NOT_YET(JetOSSnapshotEnd, kGrbit, 0, return JetOSSnapshotEnd(0xDEAD, a.G(0)));
  NOT_YET(JetConfigureProcessForCrashDump, kGrbit, 0, return JetConfigureProcessForCrashDump(a.G(0)));
  NOT_YET(JetGetErrorInfoW, 0, 1, JET_ERRINFOBASIC_W info{}; info.cbStruct = sizeof(info);
          JET_ERR code = JET_errInvalidParameter;
          return JetGetErrorInfoW(&code, a.P(0, &info), sizeof(info), JET_ErrorInfoSpecificErr, 0));
  NOT_YET(JetGetSessionParameter, kSesid, 1, JET_UINT32 v = 0; JET_UINT32 n = 0;
          return JetGetSessionParameter(a.sesid, 0xFFFF, a.P(0, &v), sizeof(v), &n));
  NOT_YET(JetSetSessionParameter, kSesid, 0, JET_UINT32 v = 0;
          return JetSetSessionParameter(a.sesid, 0xFFFF, &v, sizeof(v)));
}

}  // namespace esent_test::bad_input
