#include "api/error_map.h"

namespace esent::api {

JET_ERR to_jet_err(Error error) {
  // No default: a new Error without a JET_ERR is a build failure (-Wswitch).
  switch (error) {
    case Error::kSuccess: return JET_errSuccess;
    case Error::kWarnBufferTruncated: return JET_wrnBufferTruncated;
    case Error::kInternalError: return JET_errInternalError;
    case Error::kOutOfMemory: return JET_errOutOfMemory;
    case Error::kInvalidParameter: return JET_errInvalidParameter;
    case Error::kInvalidGrbit: return JET_errInvalidGrbit;
    case Error::kInvalidPath: return JET_errInvalidPath;
    case Error::kInvalidName: return JET_errInvalidName;
    case Error::kBufferTooSmall: return JET_errBufferTooSmall;
    case Error::kFeatureNotAvailable: return JET_errFeatureNotAvailable;
    case Error::kNotInitialized: return JET_errNotInitialized;
    case Error::kAlreadyInitialized: return JET_errAlreadyInitialized;
    case Error::kInitInProgress: return JET_errInitInProgress;
    case Error::kTermInProgress: return JET_errTermInProgress;
    case Error::kInstanceNameInUse: return JET_errInstanceNameInUse;
    case Error::kInvalidInstance: return JET_errInvalidInstance;
    case Error::kTooManyInstances: return JET_errTooManyInstances;
    case Error::kInstanceUnavailable: return JET_errInstanceUnavailable;
    case Error::kInvalidSesid: return JET_errInvalidSesid;
    case Error::kOutOfSessions: return JET_errOutOfSessions;
    case Error::kSessionInUse: return JET_errSessionInUse;
    case Error::kTooManyActiveUsers: return JET_errTooManyActiveUsers;
    case Error::kRunningInOneInstanceMode: return JET_errRunningInOneInstanceMode;
    case Error::kRunningInMultiInstanceMode: return JET_errRunningInMultiInstanceMode;
    case Error::kClientRequestToStopJetService: return JET_errClientRequestToStopJetService;
    case Error::kSystemParamsAlreadySet: return JET_errSystemParamsAlreadySet;
    case Error::kCallbackFailed: return JET_errCallbackFailed;
    case Error::kFileAccessDenied: return JET_errFileAccessDenied;
    case Error::kFileNotFound: return JET_errFileNotFound;
    case Error::kDiskIO: return JET_errDiskIO;
    case Error::kDiskFull: return JET_errDiskFull;
    case Error::kPathNotFound: return JET_errInvalidPath;
    case Error::kInTransaction: return JET_errInTransaction;
    case Error::kSystemParameterConflict: return JET_errSystemParameterConflict;
    case Error::kDirtyShutdown: return JET_errDirtyShutdown;
  }
  return JET_errInternalError;
}

}  // namespace esent::api
