// Status and Result<T>: how every layer below api reports failure.
//
// Contract: engine code never returns JET_ERR and never throws across a layer boundary for an
// expected failure; it returns a Status. The api layer maps each Error to exactly one JET_ERR
// through one table (src/api/error_map.cc). Warnings are successes that carry a code.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace esent {

// Every failure the engine can report, in one list so the enum and its names cannot drift.
// Never reorder: entries are only ever appended.
#define ESENT_ERRORS(X)          \
  X(Success)                     \
  X(WarnBufferTruncated)         \
  X(InternalError)               \
  X(OutOfMemory)                 \
  X(InvalidParameter)            \
  X(InvalidGrbit)                \
  X(InvalidPath)                 \
  X(InvalidName)                 \
  X(BufferTooSmall)              \
  X(FeatureNotAvailable)         \
  X(NotInitialized)              \
  X(AlreadyInitialized)          \
  X(InitInProgress)              \
  X(TermInProgress)              \
  X(InstanceNameInUse)           \
  X(InvalidInstance)             \
  X(TooManyInstances)            \
  X(InstanceUnavailable)         \
  X(InvalidSesid)                \
  X(OutOfSessions)               \
  X(SessionInUse)                \
  X(TooManyActiveUsers)          \
  X(RunningInOneInstanceMode)    \
  X(RunningInMultiInstanceMode)  \
  X(ClientRequestToStopJetService) \
  X(SystemParamsAlreadySet)      \
  X(CallbackFailed)              \
  X(FileAccessDenied)            \
  X(FileNotFound)                \
  X(DiskIO)                      \
  X(DiskFull)                    \
  X(PathNotFound)                \
  X(InTransaction)               \
  X(SystemParameterConflict)     \
  X(DirtyShutdown)               \
  X(WarnColumnNull)               \
  X(WarnSeekNotEqual)             \
  X(WarnColumnSetNull)            \
  X(WarnUniqueKey)                \
  X(WarnNoWriteLock)              \
  X(WarnDatabaseAttached)         \
  X(WarnFileOpenReadOnly)         \
  X(WarnTableEmpty)               \
  X(WarnColumnMoreTags)           \
  X(WarnKeyChanged)               \
  X(WarnNyi)                      \
  X(ReadVerifyFailure)            \
  X(ReadPgnoVerifyFailure)        \
  X(PageSizeMismatch)             \
  X(DatabaseDuplicate)            \
  X(DatabaseNotFound)             \
  X(DatabaseInUse)                \
  X(DatabaseCorrupted)            \
  X(InvalidDatabaseId)            \
  X(DatabaseFileReadOnly)         \
  X(DatabaseSharingViolation)     \
  X(DatabaseDirtyShutdown)        \
  X(DatabaseLocked)               \
  X(DatabaseInvalidPath)          \
  X(InvalidDatabase)              \
  X(TooManyAttachedDatabases)     \
  X(TooManyOpenDatabases)         \
  X(OutOfDatabaseSpace)           \
  X(ObjectNotFound)               \
  X(ObjectDuplicate)              \
  X(ColumnNotFound)               \
  X(ColumnDuplicate)              \
  X(ColumnInUse)                  \
  X(ColumnTooBig)                 \
  X(ColumnNotUpdatable)           \
  X(ColumnIndexed)                \
  X(IndexNotFound)                \
  X(IndexDuplicate)               \
  X(IndexHasPrimary)              \
  X(IndexInvalidDef)              \
  X(IndexInUse)                   \
  X(IndexCantBuild)               \
  X(TableDuplicate)               \
  X(TableLocked)                  \
  X(TableInUse)                   \
  X(TableNotEmpty)                \
  X(KeyDuplicate)                 \
  X(KeyNotMade)                   \
  X(KeyIsMade)                    \
  X(NullInvalid)                  \
  X(InvalidColumnType)            \
  X(InvalidTableId)               \
  X(InvalidBookmark)              \
  X(InvalidBufferSize)            \
  X(InvalidOperation)             \
  X(InvalidObject)                \
  X(NoCurrentRecord)              \
  X(RecordNotFound)               \
  X(RecordDeleted)                \
  X(RecordTooBig)                 \
  X(UpdateNotPrepared)            \
  X(AlreadyPrepared)              \
  X(NotInTransaction)             \
  X(TransTooDeep)                 \
  X(TransReadOnly)                \
  X(SessionWriteConflict)         \
  X(InvalidCodePage)              \
  X(InvalidLanguageId)            \
  X(BadColumnId)                  \
  X(BadItagSequence)              \
  X(MultiValuedColumnMustBeTagged) \
  X(MultiValuedDuplicate)         \
  X(DefaultValueTooBig)           \
  X(TooManyColumns)               \
  X(TooManyIndexes)               \
  X(TooManyKeys)                  \
  X(TooManyOpenTables)            \
  X(NoCurrentIndex)               \
  X(RecordPrimaryChanged)         \
  X(PermissionDenied)             \
  X(LVCorrupted)                  \
  X(WriteConflict)                \
  X(VersionStoreOutOfMemory)      \
  X(SessionSharingViolation)      \
  X(InvalidCountry)               \
  X(DatabaseInconsistent)         \
  X(FileInvalidType)              \
  X(InvalidDatabaseVersion)       \
  X(InvalidLCMapStringFlags)      \
  X(KeyTruncated)                 \
  X(RollbackError)                \
  X(TaggedNotNULL)                \
  X(CannotDeleteSystemTable)      \
  X(CannotDeleteTempTable)        \
  X(InvalidPlaceholderColumn)     \
  X(FileIOBeyondEOF)              \
  X(RecordNoCopy)                 \
  X(FileAlreadyExists)             \
  X(DensityInvalid)                \
  X(IndexMustStay)                 \
  X(DatabaseInvalidPages)          \
  X(NullKeyDisallowed)             \
  X(ColumnRedundant)               \
  X(CannotBeTagged)                \
  X(LogWriteFail)                 \
  X(LogFileCorrupt)               \
  X(LogReadVerifyFailure)         \
  X(MissingLogFile)               \
  X(BadLogSignature)              \
  X(BadLogVersion)                \
  X(InvalidLogSequence)           \
  X(LogGenerationMismatch)        \
  X(CheckpointCorrupt)            \
  X(CheckpointFileNotFound)       \
  X(LogFileSizeMismatch)          \
  X(LogDiskFull)                  \
  X(LogSequenceEnd)               \
  X(BadCheckpointSignature)       \
  X(LogCorrupted)                 \
  X(MissingPreviousLogFile)       \
  X(DatabaseLogSetMismatch)       \
  X(WarnColumnMaxTruncated)      \
  X(BackupInProgress)              \
  X(BackupNotAllowedYet)           \
  X(NoBackup)                      \
  X(InvalidBackupSequence)         \
  X(BackupAbortByServer)           \
  X(InvalidBackup)                 \
  X(LoggingDisabled)               \
  X(MissingFullBackup)             \
  X(MissingFileToBackup)           \
  X(LogFileNotCopied)              \
  X(SoftRecoveryOnBackupDatabase)  \
  X(RestoreInProgress)             \
  X(RestoreOfNonBackupDatabase)     \
  X(DatabasePatchFileMismatch)      \
  X(StartingRestoreLogTooHigh)      \
  X(EndingRestoreLogTooLow)         \
  X(GivenLogFileHasBadSignature)    \
  X(GivenLogFileIsNotContiguous)    \
  X(ExistingLogFileHasBadSignature) \
  X(ExistingLogFileIsNotContiguous) \
  X(MissingCurrentLogFiles)        \
  X(BackupDirectoryNotEmpty)       \
  X(MakeBackupDirectoryFail)

enum class Error : std::int32_t {
#define ESENT_ERROR_ENUM(name) k##name,
  ESENT_ERRORS(ESENT_ERROR_ENUM)
#undef ESENT_ERROR_ENUM
};

// Warnings are successes that carry a code (JET_wrn*).
constexpr bool is_warning_error(Error error) {
  switch (error) {
    case Error::kWarnBufferTruncated:
    case Error::kWarnColumnNull:
    case Error::kWarnSeekNotEqual:
    case Error::kWarnColumnSetNull:
    case Error::kWarnUniqueKey:
    case Error::kWarnNoWriteLock:
    case Error::kWarnDatabaseAttached:
    case Error::kWarnFileOpenReadOnly:
    case Error::kWarnTableEmpty:
    case Error::kWarnColumnMoreTags:
    case Error::kWarnKeyChanged:
    case Error::kWarnNyi:
    case Error::kWarnColumnMaxTruncated:
      return true;
    default:
      return false;
  }
}

// A short, stable name for logs ("InvalidParameter").
const char* error_name(Error error);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(error) {}  // NOLINT: implicit by design, `return Error::kX;`
  Status(Error error, std::string detail) : error_(error), detail_(std::move(detail)) {}

  static Status success() { return Status(); }

  // True for success and for warnings.
  bool ok() const { return error_ == Error::kSuccess || is_warning(); }
  bool is_warning() const { return is_warning_error(error_); }
  Error error() const { return error_; }
  const std::string& detail() const { return detail_; }
  std::string to_string() const;

 private:
  Error error_ = Error::kSuccess;
  std::string detail_;
};

// A value or the Status that explains why there is none. The Status is never a warning.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : state_(std::move(status)) {}  // NOLINT
  Result(Error error) : state_(Status(error)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(state_); }
  const Status& status() const {
    static const Status success;
    return ok() ? success : std::get<Status>(state_);
  }
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace esent

// Propagate a failed Status (warnings pass through as success).
#define ESENT_RETURN_IF_ERROR(expr)            \
  do {                                         \
    ::esent::Status esent_status_ = (expr);    \
    if (!esent_status_.ok()) return esent_status_; \
  } while (0)
