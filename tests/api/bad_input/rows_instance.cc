// Rows of the instance, parameter, session, backup, restore and inspection functions.
#include <cstring>

#include "bad_input.h"

namespace esent_test::bad_input {
namespace {

// JET_RSTINFO of the face `Char`, with cbStruct `size_delta` bytes off.
template <typename Char>
auto RestoreInfo(int size_delta) {
  if constexpr (sizeof(Char) == 1) {
    JET_RSTINFO_A info{};
    info.cbStruct = static_cast<JET_UINT32>(static_cast<int>(sizeof(info)) + size_delta);
    return info;
  } else {
    JET_RSTINFO_W info{};
    info.cbStruct = static_cast<JET_UINT32>(static_cast<int>(sizeof(info)) + size_delta);
    return info;
  }
}

// A one-entry JET_RSTMAP of the face of `Char`: `from` restored as `to`.
template <typename Char>
auto RestoreMap(Text<Char>& from, Text<Char>& to) {
  if constexpr (sizeof(Char) == 1) {
    return JET_RSTMAP_A{from.text.data(), to.text.data()};
  } else {
    return JET_RSTMAP_W{from.text.data(), to.text.data()};
  }
}

constexpr JET_GRBIT kInitGrbits = JET_bitReplayIgnoreMissingDB | JET_bitRecoveryWithoutUndo |
                                  JET_bitTruncateLogsAfterRecovery | JET_bitReplayMissingMapEntryDB |
                                  JET_bitLogStreamMustExist | JET_bitReplayIgnoreLostLogs |
                                  JET_bitKeepDbAttachedAtEndOfRecovery;
constexpr JET_GRBIT kStopServiceGrbits = JET_bitStopServiceBackgroundUserTasks |
                                         JET_bitStopServiceQuiesceCaches | 0x8 | JET_bitStopServiceResume;

}  // namespace

void AddInstanceRows(Rows& rows) {
  // ---- Instances ----------------------------------------------------------------------------
  BAD_AW(JetCreateInstance, .Pointers(1),
         JET_INSTANCE instance = 0;
         const JET_ERR err = BAD_FN(JetCreateInstance)(args.P(0, &instance), BAD_NAME(-1, "bad-input-create"));
         if (err >= 0) static_cast<void>(JetTerm(instance));
         return err);
  BAD_AW(JetCreateInstance2, .Pointers(1).Grbits(0),
         JET_INSTANCE instance = 0;
         JET_ERR err = BAD_FN(JetCreateInstance2)(args.P(0, &instance), BAD_NAME(-1, "bad-input-create2"),
                                                 BAD_NAME(-1, "display"), args.G(0));
         if (err >= 0) static_cast<void>(JetTerm(instance));
         return err);
  rows.push_back(BAD_ROW(JetInit, JET_INSTANCE i = a.instance; return JetInit(a.P(0, &i)))
                     .Takes(kInstance)
                     .InstanceErrors(JET_errInvalidInstance, JET_errRunningInMultiInstanceMode)
                     .Pointers(1, JET_errRunningInMultiInstanceMode));
  rows.push_back(BAD_ROW(JetInit2, JET_INSTANCE i = a.instance == f.instance && a.grbit_extra != 0 ? f.Fresh()
                                                                                                  : a.instance;
                         return JetInit2(a.P(0, &i), a.G(0)))
                     .Takes(kInstance)
                     .InstanceErrors(JET_errInvalidInstance, JET_errRunningInMultiInstanceMode)
                     .Pointers(1, JET_errRunningInMultiInstanceMode)
                     .Grbits(kInitGrbits));
  // In this (multi-instance) process, 0, nil and NULL ask for the one-instance-mode instance.
  BAD_AW(JetInit3, .Takes(kInstance)
             .InstanceErrors(JET_errInvalidInstance, JET_errRunningInMultiInstanceMode)
             .Pointers(1, JET_errRunningInMultiInstanceMode)
             .Grbits(kInitGrbits)
             .Add("JET_RSTINFO cbStruct - 1", BAD_CALL(JET_INSTANCE i = f.Fresh(); auto info = RestoreInfo<char>(-1);
                                                       return JetInit3A(&i, &info, 0)),
                  JET_errInvalidParameter)
             .Add("JET_RSTINFO cbStruct + 1", BAD_CALL(JET_INSTANCE i = f.Fresh(); auto info = RestoreInfo<JET_WCHAR>(1);
                                                       return JetInit3W(&i, &info, 0)),
                  JET_errInvalidParameter),
         JET_INSTANCE i = args.instance == f.instance && args.grbit_extra != 0 ? f.Fresh() : args.instance;
         return BAD_FN(JetInit3)(args.P(0, &i), nullptr, args.G(0)));
  rows.push_back(BAD_ROW(JetTerm, return JetTerm(a.instance)).Takes(kInstance));
  // ESE does not validate JetTerm2's grbit (src/api/instance_api.cc): no grbit cases.
  rows.push_back(BAD_ROW(JetTerm2, return JetTerm2(a.instance, JET_bitTermAbrupt)).Takes(kInstance));
  rows.push_back(BAD_ROW(JetStopService, return JetStopService())
                     .Add("no one-instance-mode instance", BAD_CALL(return JetStopService()), kAnyError));
  rows.push_back(BAD_ROW(JetStopServiceInstance, return JetStopServiceInstance(a.instance)).Takes(kInstance));
  rows.push_back(BAD_ROW(JetStopServiceInstance2, return JetStopServiceInstance2(a.instance, a.G(0)))
                     .Takes(kInstance)
                     .Grbits(kStopServiceGrbits));
  BAD_AW(JetEnableMultiInstance,
         .Add("after instances exist", BAD_CALL(JET_UINT32 n = 0; return JetEnableMultiInstanceA(nullptr, 0, &n)),
              kAnyError)
             .Add("NULL array with a count", BAD_CALL(JET_UINT32 n = 0; return JetEnableMultiInstanceW(nullptr, 3, &n)),
                  kAnyError),
         JET_UINT32 n = 0;
         return BAD_FN(JetEnableMultiInstance)(nullptr, 0, &n));
  BAD_AW(JetGetInstanceInfo, .Pointers(2),
         JET_UINT32 n = 0;
         if constexpr (sizeof(c) == 1) {
           JET_INSTANCE_INFO_A* info = nullptr;
           return BAD_FN(JetGetInstanceInfo)(args.P(0, &n), args.P(1, &info));
         } else {
           JET_INSTANCE_INFO_W* info = nullptr;
           return BAD_FN(JetGetInstanceInfo)(args.P(0, &n), args.P(1, &info));
         });
  rows.push_back(BAD_ROW(JetGetInstanceMiscInfo, JET_SIGNATURE s{};
                         return JetGetInstanceMiscInfo(a.instance, a.P(0, &s), sizeof(s),
                                                       JET_InstanceMiscInfoLogSignature))
                     .Takes(kInstance)
                     .Pointers(1)
                     .Add("cbMax 0", BAD_CALL(JET_SIGNATURE s{};
                                              return JetGetInstanceMiscInfo(f.instance, &s, 0,
                                                                            JET_InstanceMiscInfoLogSignature)),
                          kAnyError)
                     .Add("cbMax one short", BAD_CALL(JET_SIGNATURE s{};
                                                      return JetGetInstanceMiscInfo(
                                                          f.instance, &s, sizeof(s) - 1,
                                                          JET_InstanceMiscInfoLogSignature)),
                          kAnyError)
                     .Add("unknown info level", BAD_CALL(JET_SIGNATURE s{};
                                                         return JetGetInstanceMiscInfo(f.instance, &s, sizeof(s),
                                                                                       0xBAD)),
                          kAnyError));
  // A pointer JetFreeBuffer did not hand out cannot be passed without undefined behaviour; NULL
  // is ESE's documented no-op.
  rows.push_back(BAD_ROW(JetFreeBuffer, return JetFreeBuffer(nullptr))
                     .Add("NULL buffer is a no-op", BAD_CALL(return JetFreeBuffer(nullptr)), JET_errSuccess));

  // ---- Sessions -----------------------------------------------------------------------------
  rows.push_back(BAD_ROW(JetGetVersion, JET_UINT32 v = 0; return JetGetVersion(a.sesid, a.P(0, &v)))
                     .Takes(kSesid)
                     .Pointers(1));
  BAD_AW(JetBeginSession, .Takes(kInstance).Pointers(1),
         JET_SESID s = 0;
         return BAD_FN(JetBeginSession)(args.instance, args.P(0, &s), BAD_NAME(-1, ""), BAD_NAME(-1, "")));
  // ESE ignores JetEndSession's grbit (JET_bitForceSessionClosed included): no grbit cases.
  rows.push_back(BAD_ROW(JetEndSession, return JetEndSession(a.sesid, 0)).Takes(kSesid));

  // ---- System parameters --------------------------------------------------------------------
  // JetSetSystemParameter: the sesid, when given, names the instance; a bad one is rejected.
  // A session 0 or nil means "no session"; an overlong path value is JET_errInvalidParameter.
  BAD_AW(JetSetSystemParameter,
         .Takes(kInstance | kSesid | kPath)
             .Skip("instance 0")
             .Skip("instance nil")
             .Skip("sesid 0")
             .Skip("sesid nil")
             .Skip("path with ..")  // a path parameter is checked when the instance starts
             .OverlongPathError(JET_errInvalidParameter)
             .Add("unknown paramid", BAD_CALL(return JetSetSystemParameterA(nullptr, 0, 0xBADBAD, 0, nullptr)),
                  JET_errInvalidParameter)
             .Add("NULL text for a text parameter",
                  BAD_CALL(JET_INSTANCE i = f.Fresh();
                           return JetSetSystemParameterW(&i, 0, JET_paramSystemPath, 0, nullptr)),
                  JET_errInvalidParameter),
         // The path cases go to an uninitialized instance's system path; the handle cases to a
         // parameter that may change while the instance runs.
         if (args.path_a || args.path_w) {
           JET_INSTANCE i = f.Fresh();
           return BAD_FN(JetSetSystemParameter)(&i, 0, JET_paramSystemPath, 0, BAD_PATH(-1, f.folder));
         }
         JET_INSTANCE i = args.instance;
         JET_SESID s = args.sesid == f.sesid ? 0 : args.sesid;
         return BAD_FN(JetSetSystemParameter)(&i, s, ESENT_paramBackupReadBytesPerSecond, 0, nullptr));
  BAD_AW(JetGetSystemParameter,
         .Takes(kInstance | kSesid)
             .Skip("instance 0")
             .Skip("instance nil")
             .Skip("sesid 0")
             .Skip("sesid nil")
             .Pointers(2)
             .Add("unknown paramid",
                  BAD_CALL(JET_API_PTR v = 0; return JetGetSystemParameterA(f.instance, 0, 0xBADBAD, &v, nullptr, 0)),
                  JET_errInvalidParameter)
             .Add("text parameter, cbMax 1",
                  BAD_CALL(char text[8]; return JetGetSystemParameterA(f.instance, 0, JET_paramSystemPath, nullptr,
                                                                       text, 1)),
                  JET_errBufferTooSmall)
             .Add("text parameter, cbMax 1 (W)",
                  BAD_CALL(JET_WCHAR text[8]; return JetGetSystemParameterW(f.instance, 0, JET_paramSystemPath,
                                                                            nullptr, text, 1)),
                  JET_errBufferTooSmall),
         // P(0): the number (an integer parameter), P(1): the text (a text parameter).
         JET_API_PTR number = 0;
         JET_SESID s = args.sesid == f.sesid ? 0 : args.sesid;
         if (args.null_index == 1) {
           return BAD_FN(JetGetSystemParameter)(args.instance, s, JET_paramSystemPath, nullptr, nullptr, 256);
         }
         return BAD_FN(JetGetSystemParameter)(args.instance, s, JET_paramCacheSizeMax, args.P(0, &number), nullptr,
                                              0));

  // The backup, restore and inspection rows run on a fixture with the log on (marked below).
  const std::size_t first_logged = rows.size();

  // ---- Backup to a folder ------------------------------------------------------------------
  // The one-instance-mode functions: in this (multi-instance) process every call is
  // JET_errRunningInMultiInstanceMode before its arguments are read (their checks are shared with
  // the *Instance functions swept here).
  BAD_AW(JetBackup, .Takes(kPath).Grbits(JET_bitBackupIncremental | JET_bitBackupAtomic,
                                         JET_errRunningInMultiInstanceMode)
             .PathError(JET_errRunningInMultiInstanceMode)
             .OverlongPathError(JET_errRunningInMultiInstanceMode)
             .Add("no one-instance-mode instance", BAD_CALL(return JetBackupA(f.backup_folder.c_str(), 0, nullptr)),
                  kAnyError),
         return BAD_FN(JetBackup)(BAD_PATH(0, f.backup_folder), args.G(0), nullptr));
  // A NULL or empty path is not bad input: ESE truncates the log without a backup.
  BAD_AW(JetBackupInstance, .Takes(kInstance | kPath).Grbits(JET_bitBackupIncremental | JET_bitBackupAtomic),
         return BAD_FN(JetBackupInstance)(args.instance, BAD_PATH(0, f.backup_folder), args.G(0), nullptr));

  // ---- Streaming backup ---------------------------------------------------------------------
  rows.push_back(BAD_ROW(JetBeginExternalBackup, return JetBeginExternalBackup(a.G(0)))
                     .Grbits(JET_bitBackupIncremental, JET_errRunningInMultiInstanceMode)
                     .Add("no one-instance-mode instance", BAD_CALL(return JetBeginExternalBackup(0)), kAnyError));
  rows.push_back(BAD_ROW(JetBeginExternalBackupInstance,
                         JET_ERR err = JetBeginExternalBackupInstance(a.instance, a.G(0));
                         if (err >= 0) f.EndBackup(err);
                         return err)
                     .Takes(kInstance)
                     .Grbits(JET_bitBackupIncremental));
  BAD_AW(JetGetAttachInfo,
         .Add("no one-instance-mode instance",
              BAD_CALL(JET_UINT32 n = 0; return JetGetAttachInfoA(nullptr, 0, &n)), kAnyError),
         JET_UINT32 n = 0;
         return BAD_FN(JetGetAttachInfo)(nullptr, 0, &n));
  BAD_AW(JetGetAttachInfoInstance, .Takes(kInstance)
             .Add("no backup in progress",
                  BAD_CALL(JET_UINT32 n = 0; return JetGetAttachInfoInstanceA(f.instance, nullptr, 0, &n)),
                  JET_errNoBackup),
         f.BeginBackup(); JET_UINT32 n = 0;
         return f.EndBackup(BAD_FN(JetGetAttachInfoInstance)(args.instance, nullptr, 0, &n)));
  BAD_AW(JetOpenFile,
         .Add("no one-instance-mode instance",
              BAD_CALL(JET_HANDLE h = 0; JET_UINT32 low = 0; JET_UINT32 high = 0;
                       return JetOpenFileA(f.database_path.c_str(), &h, &low, &high)),
              kAnyError),
         JET_HANDLE h = 0; JET_UINT32 low = 0; JET_UINT32 high = 0;
         return BAD_FN(JetOpenFile)(BAD_PATH(-1, f.database_path), &h, &low, &high));
  // A path that is too long is not one of the backup's files.
  BAD_AW(JetOpenFileInstance, .Takes(kInstance | kPath).Pointers(4)
             .OverlongPathError(JET_errDatabaseNotFound)
             .Add("empty name", BAD_CALL(f.BeginBackup(); JET_HANDLE h = 0; JET_UINT32 low = 0; JET_UINT32 high = 0;
                                         return f.EndBackup(JetOpenFileInstanceA(f.instance, "", &h, &low, &high))),
                  JET_errInvalidParameter)
             .Add("a file that is not in the backup",
                  BAD_CALL(f.BeginBackup(); JET_HANDLE h = 0; JET_UINT32 low = 0; JET_UINT32 high = 0;
                           const std::string other = f.folder + "not-a-database.edb";
                           return f.EndBackup(JetOpenFileInstanceA(f.instance, other.c_str(), &h, &low, &high))),
                  kAnyError),
         f.BeginBackup(); JET_HANDLE h = 0; JET_UINT32 low = 0; JET_UINT32 high = 0;
         JET_ERR err = BAD_FN(JetOpenFileInstance)(args.instance, BAD_PATH(0, f.database_path), args.P(1, &h),
                                                   args.P(2, &low), args.P(3, &high));
         return f.EndBackup(err));
  rows.push_back(BAD_ROW(JetReadFile, char buffer[16]; JET_UINT32 n = 0; return JetReadFile(0x1234, buffer, 16, &n))
                     .Add("no one-instance-mode instance",
                          BAD_CALL(char buffer[16]; JET_UINT32 n = 0; return JetReadFile(1, buffer, 16, &n)), kAnyError));
  // The handle cases: a file handle never opened, one already closed, NULL buffer, size 0.
  auto read_file = [](Fixture& f, JET_HANDLE handle, bool close_first, void* buffer, JET_UINT32 size) {
    f.BeginBackup();
    JET_HANDLE h = 0;
    JET_UINT32 low = 0;
    JET_UINT32 high = 0;
    if (handle == 0) {
      EXPECT_EQ(JET_errSuccess, JetOpenFileInstanceA(f.instance, f.database_path.c_str(), &h, &low, &high));
      if (close_first) {
        EXPECT_EQ(JET_errSuccess, JetCloseFileInstance(f.instance, h));
      }
    } else {
      h = handle;
    }
    JET_UINT32 n = 0;
    return f.EndBackup(JetReadFileInstance(f.instance, h, buffer, size, &n));
  };
  static char read_buffer[64 * 1024];
  rows.push_back(BAD_ROW(JetReadFileInstance, f.BeginBackup(); char buffer[16]; JET_UINT32 n = 0;
                         return f.EndBackup(JetReadFileInstance(a.instance, 1, buffer, 16, &n)))
                     .Takes(kInstance)
                     .Add("garbage file handle",
                          [read_file](Fixture& f, const Args&) {
                            return read_file(f, 0xDEADBEEF, false, read_buffer, sizeof(read_buffer));
                          },
                          kAnyError)
                     .Add("closed file handle",
                          [read_file](Fixture& f, const Args&) {
                            return read_file(f, 0, true, read_buffer, sizeof(read_buffer));
                          },
                          kAnyError)
                     .Add("NULL buffer",
                          [read_file](Fixture& f, const Args&) {
                            return read_file(f, 0, false, nullptr, sizeof(read_buffer));
                          },
                          JET_errInvalidParameter)
                     .Add("buffer size 0",
                          [read_file](Fixture& f, const Args&) { return read_file(f, 0, false, read_buffer, 0); },
                          kAnyError)
                     .Add("buffer size not a multiple of the page size",
                          [read_file](Fixture& f, const Args&) { return read_file(f, 0, false, read_buffer, 1000); },
                          kAnyError));
  rows.push_back(BAD_ROW(JetCloseFile, return JetCloseFile(0x1234))
                     .Add("no one-instance-mode instance", BAD_CALL(return JetCloseFile(0x1234)), kAnyError));
  rows.push_back(BAD_ROW(JetCloseFileInstance, f.BeginBackup();
                         return f.EndBackup(JetCloseFileInstance(a.instance, 0x1234)))
                     .Takes(kInstance)
                     .Add("garbage file handle",
                          BAD_CALL(f.BeginBackup(); return f.EndBackup(JetCloseFileInstance(f.instance, 0xDEAD))),
                          kAnyError)
                     .Add("file closed twice", BAD_CALL(f.BeginBackup(); JET_HANDLE h = 0; JET_UINT32 low = 0;
                                                        JET_UINT32 high = 0;
                                                        JetOpenFileInstanceA(f.instance, f.database_path.c_str(), &h,
                                                                             &low, &high);
                                                        JetCloseFileInstance(f.instance, h);
                                                        return f.EndBackup(JetCloseFileInstance(f.instance, h))),
                          kAnyError));
  BAD_AW(JetGetLogInfo,
         .Add("no one-instance-mode instance", BAD_CALL(JET_UINT32 n = 0; return JetGetLogInfoA(nullptr, 0, &n)),
              kAnyError),
         JET_UINT32 n = 0;
         return BAD_FN(JetGetLogInfo)(nullptr, 0, &n));
  BAD_AW(JetGetLogInfoInstance, .Takes(kInstance)
             .Add("no backup in progress",
                  BAD_CALL(JET_UINT32 n = 0; return JetGetLogInfoInstanceA(f.instance, nullptr, 0, &n)), JET_errNoBackup),
         f.BeginBackup(); JET_UINT32 n = 0;
         return f.EndBackup(BAD_FN(JetGetLogInfoInstance)(args.instance, nullptr, 0, &n)));
  BAD_AW(JetGetLogInfoInstance2, .Takes(kInstance)
             .Add("JET_LOGINFO cbSize - 1",
                  BAD_CALL(f.BeginBackup(); JET_UINT32 n = 0; JET_LOGINFO_A info{};
                           info.cbSize = sizeof(info) - 1;
                           return f.EndBackup(JetGetLogInfoInstance2A(f.instance, nullptr, 0, &n, &info))),
                  JET_errInvalidParameter)
             .Add("JET_LOGINFO cbSize + 1",
                  BAD_CALL(f.BeginBackup(); JET_UINT32 n = 0; JET_LOGINFO_W info{};
                           info.cbSize = sizeof(info) + 1;
                           return f.EndBackup(JetGetLogInfoInstance2W(f.instance, nullptr, 0, &n, &info))),
                  JET_errInvalidParameter),
         f.BeginBackup(); JET_UINT32 n = 0;
         return f.EndBackup(BAD_FN(JetGetLogInfoInstance2)(args.instance, nullptr, 0, &n, nullptr)));
  BAD_AW(JetGetTruncateLogInfoInstance, .Takes(kInstance)
             .Add("no backup in progress",
                  BAD_CALL(JET_UINT32 n = 0; return JetGetTruncateLogInfoInstanceW(f.instance, nullptr, 0, &n)),
                  JET_errNoBackup),
         f.BeginBackup(); JET_UINT32 n = 0;
         return f.EndBackup(BAD_FN(JetGetTruncateLogInfoInstance)(args.instance, nullptr, 0, &n)));
  rows.push_back(BAD_ROW(JetTruncateLog, return JetTruncateLog())
                     .Add("no one-instance-mode instance", BAD_CALL(return JetTruncateLog()), kAnyError));
  rows.push_back(BAD_ROW(JetTruncateLogInstance, f.BeginBackup();
                         return f.EndBackup(JetTruncateLogInstance(a.instance)))
                     .Takes(kInstance)
                     .Add("no backup in progress", BAD_CALL(return JetTruncateLogInstance(f.instance)), JET_errNoBackup));
  rows.push_back(BAD_ROW(JetEndExternalBackup, return JetEndExternalBackup())
                     .Add("no one-instance-mode instance", BAD_CALL(return JetEndExternalBackup()), kAnyError));
  rows.push_back(BAD_ROW(JetEndExternalBackupInstance, f.BeginBackup();
                         return f.EndBackup(JetEndExternalBackupInstance(a.instance)))
                     .Takes(kInstance)
                     .Add("no backup in progress", BAD_CALL(return JetEndExternalBackupInstance(f.instance)),
                          JET_errNoBackup));
  rows.push_back(BAD_ROW(JetEndExternalBackupInstance2, f.BeginBackup();
                         return f.EndBackup(JetEndExternalBackupInstance2(a.instance, a.G(JET_bitBackupEndAbort))))
                     .Takes(kInstance)
                     .Grbits(JET_bitBackupEndNormal | JET_bitBackupEndAbort | JET_bitBackupTruncateDone)
                     .GrbitIgnored("ESE's ErrIsamEndExternalBackup ignores other bits (backup-semantics.md)")
                     .Add("neither Normal nor Abort", BAD_CALL(f.BeginBackup();
                                                               return f.EndBackup(JetEndExternalBackupInstance2(
                                                                   f.instance, JET_bitBackupTruncateDone))),
                          JET_errInvalidParameter)
                     .Add("both Normal and Abort",
                          BAD_CALL(f.BeginBackup();
                                   return f.EndBackup(JetEndExternalBackupInstance2(
                                       f.instance, JET_bitBackupEndNormal | JET_bitBackupEndAbort))),
                          JET_errInvalidParameter)
                     .Add("no backup in progress",
                          BAD_CALL(return JetEndExternalBackupInstance2(f.instance, JET_bitBackupEndAbort)),
                          JET_errNoBackup));
  rows.push_back(BAD_ROW(JetStopBackup, return JetStopBackup())
                     .Add("no one-instance-mode instance", BAD_CALL(return JetStopBackup()), kAnyError));
  // ESE: a bad instance is JET_errInvalidParameter here (src/api/backup_api.cc).
  rows.push_back(BAD_ROW(JetStopBackupInstance, return JetStopBackupInstance(a.instance))
                     .Takes(kInstance)
                     .InstanceErrors(JET_errInvalidParameter, JET_errInvalidParameter));

  // ---- Restore ------------------------------------------------------------------------------
  // The restore functions refuse a running instance's files; the bad inputs are the paths.
  // The arguments are read first, then the mode.
  BAD_AW(JetRestore, .Takes(kPath).Pointers(1).OverlongPathError(JET_errRunningInMultiInstanceMode)
             .Add("no one-instance-mode instance, empty folder",
                  BAD_CALL(return JetRestoreA(f.backup_folder.c_str(), nullptr)), kAnyError),
         return BAD_FN(JetRestore)(BAD_PATH(0, f.backup_folder), nullptr));
  BAD_AW(JetRestore2, .Takes(kPath).Pointers(1).OverlongPathError(JET_errRunningInMultiInstanceMode),
         return BAD_FN(JetRestore2)(BAD_PATH(0, f.backup_folder), BAD_PATH(-1, f.folder + "restored/"), nullptr));
  // Instance 0 / nil: a restore with no instance (ESE's JetRestore path); the backup is empty.
  BAD_AW(JetRestoreInstance, .Takes(kInstance | kPath).Pointers(1)
             .InstanceErrors(JET_errInvalidInstance, kAnyError)
             .Add("an empty backup folder",
                  BAD_CALL(JET_INSTANCE i = f.Fresh();
                           return JetRestoreInstanceA(i, f.backup_folder.c_str(), nullptr, nullptr)),
                  kAnyError)
             .Add("a running instance",
                  BAD_CALL(return JetRestoreInstanceW(f.instance, Widen(f.backup_folder).c_str(), nullptr, nullptr)),
                  kAnyError),
         JET_INSTANCE i = args.instance == f.instance ? f.Fresh() : args.instance;
         return BAD_FN(JetRestoreInstance)(i, BAD_PATH(0, f.backup_folder), nullptr, nullptr));
  BAD_AW(JetExternalRestore, .Takes(kPath).Pointers(1)
             .Add("negative map count",
                  BAD_CALL(std::string folder = f.backup_folder;
                           return JetExternalRestoreA(folder.data(), folder.data(), nullptr, -1, folder.data(), 1, 1,
                                                      nullptr)),
                  kAnyError)
             .Add("map count without a map",
                  BAD_CALL(std::string folder = f.backup_folder;
                           return JetExternalRestoreA(folder.data(), folder.data(), nullptr, 2, folder.data(), 1, 1,
                                                      nullptr)),
                  kAnyError)
             .Add("generations reversed",
                  BAD_CALL(std::string folder = f.backup_folder;
                           return JetExternalRestoreA(folder.data(), folder.data(), nullptr, 0, folder.data(), 5, 1,
                                                      nullptr)),
                  kAnyError),
         auto backup = PathOf(args, f.backup_folder, 0, c);
         auto target = PathOf(args, f.folder + "restored/", -1, c);
         auto from = PathOf(args, f.database_path, -1, c);
         auto to = PathOf(args, f.folder + "restored/bad.edb", -1, c);
         auto map = RestoreMap(from, to);
         return BAD_FN(JetExternalRestore)(target.text.data(), target.text.data(), &map, 1,
                                           args.null_index == 0 ? nullptr : backup.text.data(), 1, 1, nullptr));
  BAD_AW(JetExternalRestore2, .Takes(kPath).Pointers(2)
             .Add("JET_LOGINFO cbSize + 1",
                  BAD_CALL(std::string folder = f.backup_folder; JET_LOGINFO_A info{};
                           info.cbSize = sizeof(info) + 1; info.ulGenLow = 1; info.ulGenHigh = 1;
                           return JetExternalRestore2A(folder.data(), folder.data(), nullptr, 0, folder.data(), &info,
                                                       nullptr, nullptr, nullptr, nullptr)),
                  kAnyError),
         auto backup = PathOf(args, f.backup_folder, 0, c);
         auto target = PathOf(args, f.folder + "restored/", -1, c);
         JET_LOGINFO_A info_a{};
         info_a.cbSize = sizeof(info_a);
         info_a.ulGenLow = 1;
         info_a.ulGenHigh = 1;
         JET_LOGINFO_W info_w{};
         info_w.cbSize = sizeof(info_w);
         info_w.ulGenLow = 1;
         info_w.ulGenHigh = 1;
         auto* info = [&] {
           if constexpr (sizeof(c) == 1) return &info_a;
           else return &info_w;
         }();
         auto from = PathOf(args, f.database_path, -1, c);
         auto to = PathOf(args, f.folder + "restored/bad.edb", -1, c);
         auto map = RestoreMap(from, to);
         return BAD_FN(JetExternalRestore2)(target.text.data(), target.text.data(), &map, 1,
                                            args.null_index == 0 ? nullptr : backup.text.data(),
                                            args.P(1, info), nullptr, nullptr, nullptr, nullptr));

  // ---- Inspection (esent_ext.h) --------------------------------------------------------------
  BAD_AW(EsentVerifyBackup, .Takes(kPath).Pointers(1),
         return BAD_FN(EsentVerifyBackup)(BAD_PATH(0, f.backup_folder), nullptr));
  BAD_AW(EsentGetLogFileInfo, .Takes(kPath).Pointers(2)
             .Add("cbMax 0", BAD_CALL(ESENT_LOGFILEINFO info{};
                                      return EsentGetLogFileInfoA((f.folder + "edb.log").c_str(), &info, 0)),
                  JET_errInvalidBufferSize)
             .Add("cbMax one short", BAD_CALL(ESENT_LOGFILEINFO info{};
                                              return EsentGetLogFileInfoW(Widen(f.folder + "edb.log").c_str(), &info,
                                                                          sizeof(info) - 1)),
                  JET_errInvalidBufferSize),
         ESENT_LOGFILEINFO info{};
         return BAD_FN(EsentGetLogFileInfo)(BAD_PATH(0, f.folder + "edb.log"), args.P(1, &info), sizeof(info)));
  BAD_AW(EsentGetCheckpointFileInfo, .Takes(kPath).Pointers(2).OverlongPathError(JET_errCheckpointFileNotFound)
             .Add("cbMax 0", BAD_CALL(ESENT_CHECKPOINTINFO info{};
                                      return EsentGetCheckpointFileInfoA((f.folder + "edb.chk").c_str(), &info, 0)),
                  JET_errInvalidBufferSize),
         ESENT_CHECKPOINTINFO info{};
         return BAD_FN(EsentGetCheckpointFileInfo)(BAD_PATH(0, f.folder + "edb.chk"), args.P(1, &info),
                                                   sizeof(info)));
  BAD_AW(EsentGetCheckpointDatabaseInfo, .Takes(kPath).Pointers(2).OverlongPathError(JET_errCheckpointFileNotFound)
             .Add("database number out of range",
                  BAD_CALL(ESENT_CHECKPOINTDBINFO_A info{};
                           return EsentGetCheckpointDatabaseInfoA((f.folder + "edb.chk").c_str(), 1000, &info,
                                                                  sizeof(info))),
                  kAnyError)
             .Add("cbMax 0", BAD_CALL(ESENT_CHECKPOINTDBINFO_W info{};
                                      return EsentGetCheckpointDatabaseInfoW(Widen(f.folder + "edb.chk").c_str(), 0,
                                                                             &info, 0)),
                  kAnyError),
         if constexpr (sizeof(c) == 1) {
           ESENT_CHECKPOINTDBINFO_A info{};
           return BAD_FN(EsentGetCheckpointDatabaseInfo)(BAD_PATH(0, f.folder + "edb.chk"), 0, args.P(1, &info),
                                                         sizeof(info));
         } else {
           ESENT_CHECKPOINTDBINFO_W info{};
           return BAD_FN(EsentGetCheckpointDatabaseInfo)(BAD_PATH(0, f.folder + "edb.chk"), 0, args.P(1, &info),
                                                         sizeof(info));
         });
  BAD_AW(EsentChecksumDatabase, .Takes(kPath).Pointers(2)
             .Add("cbMax 0", BAD_CALL(ESENT_CHECKSUMINFO info{};
                                      return EsentChecksumDatabaseA(f.database_path.c_str(), nullptr, &info, 0)),
                  JET_errInvalidBufferSize),
         ESENT_CHECKSUMINFO info{};
         return BAD_FN(EsentChecksumDatabase)(BAD_PATH(0, f.database_path), nullptr, args.P(1, &info),
                                              sizeof(info)));
  BAD_AW(EsentChecksumLogs, .Takes(kPath).Pointers(2)
             .Add("cbMax 0", BAD_CALL(ESENT_CHECKSUMINFO info{};
                                      return EsentChecksumLogsA(f.folder.c_str(), "edb", nullptr, &info, 0)),
                  JET_errInvalidBufferSize)
             .Add("base name overlong", BAD_CALL(ESENT_CHECKSUMINFO info{}; const std::string base(300, 'b');
                                                 return EsentChecksumLogsA(f.folder.c_str(), base.c_str(), nullptr,
                                                                           &info, sizeof(info))),
                  kAnyError),
         ESENT_CHECKSUMINFO info{};
         return BAD_FN(EsentChecksumLogs)(BAD_PATH(0, f.folder), BAD_NAME(-1, "edb"), nullptr, args.P(1, &info),
                                          sizeof(info)));
  for (std::size_t i = first_logged; i < rows.size(); ++i) rows[i].NeedsLog();
}

}  // namespace esent_test::bad_input
