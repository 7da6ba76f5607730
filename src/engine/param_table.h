// The system parameter table: every public JET_param id, its type, scope, range, default and
// whether it may change once the instance (or, for global parameters, the engine) is running.
// The facts come from ESE's own parameter table; see docs/compat.md for where we differ.
#pragma once

#include <cstdint>
#include <string_view>

namespace esent::engine {

enum class ParamType : std::uint8_t {
  kInteger,
  kBoolean,    // stored as 0 or 1
  kGrbit,
  kString,     // text in `text`, length limits in min/max (bytes, UTF-8)
  kFolder,     // a directory: stored absolute with a trailing '/'
  kPath,       // a file path: stored absolute
  kPointer,    // an opaque client pointer (callbacks, contexts)
  kBlockSize,  // a power of two within [min, max]
  kReadOnly,   // reported by the engine; setting it fails
  kUnicodeIndex,  // JET_UNICODEINDEX, set and read through lParam as a pointer
  kErrorToString,  // JetGetSystemParameter only: describes the error code in *plParam
};

enum class ParamScope : std::uint8_t { kInstance, kGlobal };

struct ParamInfo {
  std::uint32_t id;
  std::string_view name;  // "JET_paramLogFilePath"
  ParamType type;
  ParamScope scope;
  bool fixed_after_init;   // instance parameters: after JetInit; global: after the first JetInit
  std::uint64_t min;
  std::uint64_t max;
  std::uint64_t default_number;
  std::string_view default_text;  // for kString/kFolder/kPath, as ESE spells it
};

// The entry for `id`, or nullptr for an id ESE does not define publicly (and that is not one of
// libesent's own, kExtensionParamFirst on).
const ParamInfo* find_param(std::uint32_t id);

// The ids the engine itself reads (the public JET_param* values).
namespace param_id {
constexpr std::uint32_t kSystemPath = 0;
constexpr std::uint32_t kTempPath = 1;
constexpr std::uint32_t kLogFilePath = 2;
constexpr std::uint32_t kMaxOpenTables = 6;
constexpr std::uint32_t kCacheSizeMax = 23;
constexpr std::uint32_t kMaxVerPages = 9;
constexpr std::uint32_t kVerPageSize = 128;
constexpr std::uint32_t kRecovery = 34;
constexpr std::uint32_t kDbExtensionSize = 18;
constexpr std::uint32_t kBaseName = 3;
constexpr std::uint32_t kLogFileSize = 11;
constexpr std::uint32_t kLogBuffers = 12;
constexpr std::uint32_t kCircularLog = 17;
constexpr std::uint32_t kCheckpointDepthMax = 24;
constexpr std::uint32_t kLegacyFileNames = 136;
constexpr std::uint32_t kEventSource = 4;
constexpr std::uint32_t kMaxSessions = 5;
constexpr std::uint32_t kNoInformationEvent = 50;
constexpr std::uint32_t kDatabasePageSize = 64;
constexpr std::uint32_t kCreatePathIfNotExist = 100;
constexpr std::uint32_t kMaxInstances = 104;
constexpr std::uint32_t kKeyMost = 134;
constexpr std::uint32_t kLVChunkSizeMost = 163;
}  // namespace param_id

// One past the largest id (JET_paramMaxValueInvalid).
constexpr std::uint32_t kParamIdLimit = 232;

// libesent's own parameters (include/esent_ext.h), far above ESE's ids: ESENT_param*.
constexpr std::uint32_t kExtensionParamFirst = 65536;
constexpr std::uint32_t kExtensionParamCount = 1;
namespace param_id {
constexpr std::uint32_t kBackupReadBytesPerSecond = kExtensionParamFirst;  // 0: unlimited
}  // namespace param_id

// Where a parameter's value is kept: ESE's ids as they are, then ours. `id` must be one
// find_param() knows.
constexpr std::uint32_t kParamSlotCount = kParamIdLimit + kExtensionParamCount;
constexpr std::uint32_t param_slot(std::uint32_t id) {
  return id < kParamIdLimit ? id : kParamIdLimit + (id - kExtensionParamFirst);
}

}  // namespace esent::engine
