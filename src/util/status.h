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
  X(DirtyShutdown)

enum class Error : std::int32_t {
#define ESENT_ERROR_ENUM(name) k##name,
  ESENT_ERRORS(ESENT_ERROR_ENUM)
#undef ESENT_ERROR_ENUM
};

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
  bool is_warning() const { return error_ == Error::kWarnBufferTruncated; }
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
