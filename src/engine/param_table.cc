#include "engine/param_table.h"

#include <array>

namespace esent::engine {

namespace {

constexpr std::uint64_t kAny = ~std::uint64_t{0};
constexpr std::uint64_t kInt32Max = 2147483647;

using T = ParamType;
constexpr ParamScope I = ParamScope::kInstance;
constexpr ParamScope G = ParamScope::kGlobal;
constexpr bool kFixed = true;
constexpr bool kLive = false;

// Ordered by id. Ranges and defaults for strings are byte lengths of the UTF-8 value.
// Read-only parameters are never "fixed": setting one is kInvalidParameter at any time.
constexpr ParamInfo kParams[] = {
    {0, "JET_paramSystemPath", T::kFolder, I, kFixed, 0, 246, 0, ".\\"},
    {1, "JET_paramTempPath", T::kPath, I, kFixed, 0, 247, 0, "tmp.edb"},
    {2, "JET_paramLogFilePath", T::kFolder, I, kFixed, 0, 246, 0, ".\\"},
    {3, "JET_paramBaseName", T::kString, I, kFixed, 3, 3, 0, "edb"},
    {4, "JET_paramEventSource", T::kString, I, kFixed, 0, 259, 0, ""},
    {5, "JET_paramMaxSessions", T::kInteger, I, kFixed, 0, 30000, 16, ""},
    {6, "JET_paramMaxOpenTables", T::kInteger, I, kFixed, 0, kInt32Max, 300, ""},
    {7, "JET_paramPreferredMaxOpenTables", T::kInteger, I, kFixed, 0, kInt32Max, 0, ""},
    {8, "JET_paramMaxCursors", T::kInteger, I, kFixed, 0, kInt32Max, 1024, ""},
    {9, "JET_paramMaxVerPages", T::kInteger, I, kFixed, 1, kInt32Max, 64, ""},
    {10, "JET_paramMaxTemporaryTables", T::kInteger, I, kFixed, 0, kInt32Max, 20, ""},
    {11, "JET_paramLogFileSize", T::kInteger, I, kFixed, 64, 32768, 5120, ""},
    {12, "JET_paramLogBuffers", T::kInteger, I, kFixed, 1, kInt32Max, 126, ""},
    {13, "JET_paramWaitLogFlush", T::kInteger, I, kLive, 0, kInt32Max, 0, ""},
    {14, "JET_paramLogCheckpointPeriod", T::kInteger, I, kFixed, 0, kInt32Max, 1024, ""},
    {15, "JET_paramLogWaitingUserMax", T::kInteger, I, kFixed, 0, kInt32Max, 3, ""},
    {16, "JET_paramCommitDefault", T::kGrbit, I, kLive, 0, kAny, 0, ""},
    {17, "JET_paramCircularLog", T::kBoolean, I, kFixed, 0, kAny, 0, ""},
    {18, "JET_paramDbExtensionSize", T::kInteger, I, kLive, 1, kInt32Max, 256, ""},
    {19, "JET_paramPageTempDBMin", T::kInteger, I, kFixed, 0, kInt32Max, 0, ""},
    {20, "JET_paramPageFragment", T::kInteger, I, kFixed, 0, kInt32Max, 8, ""},
    {22, "JET_paramBatchIOBufferMax", T::kInteger, G, kLive, 0, kAny, 256, ""},
    {23, "JET_paramCacheSizeMax", T::kInteger, G, kLive, 1, kAny, 2000000000, ""},
    {24, "JET_paramCheckpointDepthMax", T::kInteger, I, kLive, 0, kAny, 20971520, ""},
    {25, "JET_paramLRUKCorrInterval", T::kInteger, G, kFixed, 0, kAny, 128000, ""},
    {26, "JET_paramLRUKHistoryMax", T::kInteger, G, kFixed, 0, kAny, 100000, ""},
    {27, "JET_paramLRUKPolicy", T::kInteger, G, kFixed, 1, 2, 2, ""},
    {28, "JET_paramLRUKTimeout", T::kInteger, G, kFixed, 1, kAny, 100, ""},
    {29, "JET_paramLRUKTrxCorrInterval", T::kInteger, G, kFixed, 0, kAny, 0, ""},
    {30, "JET_paramOutstandingIOMax", T::kInteger, G, kFixed, 0, 65536, 1024, ""},
    {31, "JET_paramStartFlushThreshold", T::kInteger, G, kLive, 0, kAny, 20000000, ""},
    {32, "JET_paramStopFlushThreshold", T::kInteger, G, kLive, 0, kAny, 40000000, ""},
    {34, "JET_paramRecovery", T::kString, I, kFixed, 0, 259, 0, "on"},
    {35, "JET_paramEnableOnlineDefrag", T::kGrbit, I, kLive, 0, 0xFFFF, 0xFFFF, ""},
    {41, "JET_paramCacheSize", T::kInteger, G, kLive, 0, kAny, 0, ""},
    {44, "JET_paramCheckFormatWhenOpenFail", T::kBoolean, I, kFixed, 0, kAny, 1, ""},
    {45, "JET_paramEnableIndexChecking", T::kInteger, I, kLive, 0, 2, 1, ""},
    {46, "JET_paramEnableTempTableVersioning", T::kBoolean, I, kFixed, 0, kAny, 1, ""},
    {47, "JET_paramIgnoreLogVersion", T::kBoolean, I, kFixed, 0, 0, 0, ""},
    {48, "JET_paramDeleteOldLogs", T::kBoolean, I, kFixed, 0, kAny, 0, ""},
    {49, "JET_paramEventSourceKey", T::kString, I, kFixed, 0, 259, 0, ""},
    {50, "JET_paramNoInformationEvent", T::kBoolean, I, kFixed, 0, kAny, 0, ""},
    {51, "JET_paramEventLoggingLevel", T::kInteger, I, kFixed, 0, 100, 100, ""},
    {52, "JET_paramDeleteOutOfRangeLogs", T::kBoolean, I, kFixed, 0, kAny, 0, ""},
    {53, "JET_paramAccessDeniedRetryPeriod", T::kInteger, G, kLive, 0, kAny, 10000, ""},
    {54, "JET_paramEnableIndexCleanup", T::kBoolean, I, kLive, 0, kAny, 1, ""},
    {60, "JET_paramCacheSizeMin", T::kInteger, G, kLive, 1, kAny, 1, ""},
    {63, "JET_paramPreferredVerPages", T::kInteger, I, kLive, 1, kInt32Max, 58, ""},
    {64, "JET_paramDatabasePageSize", T::kBlockSize, G, kFixed, 4096, 32768, 4096, ""},
    {65, "JET_paramDisableCallbacks", T::kBoolean, I, kFixed, 0, kAny, 0, ""},
    {69, "JET_paramLogFileCreateAsynch", T::kBoolean, I, kFixed, 0, kAny, 1, ""},
    {70, "JET_paramErrorToString", T::kErrorToString, G, kLive, 0, 0, 0, ""},
    {71, "JET_paramZeroDatabaseDuringBackup", T::kBoolean, I, kFixed, 0, kAny, 0, ""},
    {72, "JET_paramUnicodeIndexDefault", T::kUnicodeIndex, I, kFixed, 0, 0, 0, ""},
    {73, "JET_paramRuntimeCallback", T::kPointer, I, kFixed, 0, kAny, 0, ""},
    {77, "JET_paramCleanupMismatchedLogFiles", T::kBoolean, I, kFixed, 0, kAny, 0, ""},
    {78, "JET_paramRecordUpgradeDirtyLevel", T::kGrbit, G, kLive, 0, 3, 1, ""},
    {81, "JET_paramGlobalMinVerPages", T::kInteger, G, kFixed, 1, kInt32Max, 64, ""},
    {82, "JET_paramOSSnapshotTimeout", T::kInteger, G, kLive, 0, kInt32Max, 70000, ""},
    {98, "JET_paramExceptionAction", T::kInteger, G, kLive, 0, kAny, 4, ""},
    {99, "JET_paramEventLogCache", T::kInteger, G, kFixed, 0, kInt32Max, 0, ""},
    {100, "JET_paramCreatePathIfNotExist", T::kBoolean, I, kLive, 0, kAny, 0, ""},
    {101, "JET_paramPageHintCacheSize", T::kInteger, G, kFixed, 0, kInt32Max, 262144, ""},
    {102, "JET_paramOneDatabasePerSession", T::kBoolean, I, kFixed, 0, kAny, 0, ""},
    {104, "JET_paramMaxInstances", T::kInteger, G, kFixed, 1, 1024, 16, ""},
    {105, "JET_paramVersionStoreTaskQueueMax", T::kInteger, I, kLive, 1, 127, 4, ""},
    {107, "JET_paramDisablePerfmon", T::kBoolean, G, kFixed, 0, kAny, 0, ""},
    {110, "JET_paramIndexTuplesLengthMin", T::kInteger, I, kFixed, 2, 255, 3, ""},
    {111, "JET_paramIndexTuplesLengthMax", T::kInteger, I, kFixed, 2, 255, 10, ""},
    {112, "JET_paramIndexTuplesToIndexMax", T::kInteger, I, kFixed, 1, 32767, 32767, ""},
    {113, "JET_paramAlternateDatabaseRecoveryPath", T::kFolder, I, kFixed, 0, 246, 0, ""},
    {125, "JET_paramCachedClosedTables", T::kInteger, I, kLive, 0, kInt32Max, 64, ""},
    {126, "JET_paramEnableFileCache", T::kBoolean, G, kFixed, 0, kAny, 0, ""},
    {127, "JET_paramEnableViewCache", T::kBoolean, G, kFixed, 0, kAny, 0, ""},
    {128, "JET_paramVerPageSize", T::kBlockSize, G, kFixed, 1024, 65536, 32768, ""},
    {129, "JET_paramConfiguration", T::kInteger, I, kFixed, 0, 0x7FF, 1, ""},
    {130, "JET_paramEnableAdvanced", T::kBoolean, I, kLive, 0, kAny, 1, ""},
    {131, "JET_paramMaxColtyp", T::kReadOnly, I, kLive, 0, 0, 19, ""},
    {132, "JET_paramIndexTupleIncrement", T::kInteger, I, kFixed, 0, 32767, 1, ""},
    {133, "JET_paramIndexTupleStart", T::kInteger, I, kLive, 0, 32767, 0, ""},
    {134, "JET_paramKeyMost", T::kReadOnly, I, kLive, 0, 0, 1000, ""},
    {135, "JET_paramCheckpointIOMax", T::kInteger, G, kLive, 1, 1024, 1, ""},
    {136, "JET_paramLegacyFileNames", T::kGrbit, I, kFixed, 0, 255, 3, ""},
    {137, "JET_paramTableClass1Name", T::kString, G, kFixed, 1, 64, 0, "TableClass1"},
    {138, "JET_paramTableClass2Name", T::kString, G, kFixed, 1, 64, 0, "TableClass2"},
    {139, "JET_paramTableClass3Name", T::kString, G, kFixed, 1, 64, 0, "TableClass3"},
    {140, "JET_paramTableClass4Name", T::kString, G, kFixed, 1, 64, 0, "TableClass4"},
    {141, "JET_paramTableClass5Name", T::kString, G, kFixed, 1, 64, 0, "TableClass5"},
    {142, "JET_paramTableClass6Name", T::kString, G, kFixed, 1, 64, 0, "TableClass6"},
    {143, "JET_paramTableClass7Name", T::kString, G, kFixed, 1, 64, 0, "TableClass7"},
    {144, "JET_paramTableClass8Name", T::kString, G, kFixed, 1, 64, 0, "TableClass8"},
    {145, "JET_paramTableClass9Name", T::kString, G, kFixed, 1, 64, 0, "TableClass9"},
    {146, "JET_paramTableClass10Name", T::kString, G, kFixed, 1, 64, 0, "TableClass10"},
    {147, "JET_paramTableClass11Name", T::kString, G, kFixed, 1, 64, 0, "TableClass11"},
    {148, "JET_paramTableClass12Name", T::kString, G, kFixed, 1, 64, 0, "TableClass12"},
    {149, "JET_paramTableClass13Name", T::kString, G, kFixed, 1, 64, 0, "TableClass13"},
    {150, "JET_paramTableClass14Name", T::kString, G, kFixed, 1, 64, 0, "TableClass14"},
    {151, "JET_paramTableClass15Name", T::kString, G, kFixed, 1, 64, 0, "TableClass15"},
    {152, "JET_paramIOPriority", T::kInteger, I, kLive, 0, 1, 0, ""},
    {153, "JET_paramWaypointLatency", T::kInteger, I, kFixed, 0, 1023, 0, ""},
    {156, "JET_paramEnablePersistedCallbacks", T::kBoolean, I, kFixed, 0, kAny, 0, ""},
    {160, "JET_paramDefragmentSequentialBTrees", T::kBoolean, I, kLive, 0, kAny, 1, ""},
    {161, "JET_paramDefragmentSequentialBTreesDensityCheckFrequency", T::kInteger, I, kFixed, 0, kAny, 10, ""},
    {162, "JET_paramIOThrottlingTimeQuanta", T::kInteger, G, kFixed, 1, 10000, 100, ""},
    {163, "JET_paramLVChunkSizeMost", T::kReadOnly, I, kLive, 0, 0, 0, ""},
    {164, "JET_paramMaxCoalesceReadSize", T::kInteger, G, kFixed, 0, 10485760, 262144, ""},
    {165, "JET_paramMaxCoalesceWriteSize", T::kInteger, G, kFixed, 0, 10485760, 262144, ""},
    {166, "JET_paramMaxCoalesceReadGapSize", T::kInteger, G, kFixed, 0, 10485760, 262144, ""},
    {167, "JET_paramMaxCoalesceWriteGapSize", T::kInteger, G, kFixed, 0, 10485760, 262144, ""},
    {169, "JET_paramEnableDBScanInRecovery", T::kInteger, I, kLive, 0, 2, 0, ""},
    {170, "JET_paramDbScanThrottle", T::kInteger, I, kLive, 0, 60000, 20, ""},
    {171, "JET_paramDbScanIntervalMinSec", T::kInteger, I, kFixed, 0, 1814400, 86400, ""},
    {172, "JET_paramDbScanIntervalMaxSec", T::kInteger, I, kFixed, 1, 1576800000, 604800, ""},
    {177, "JET_paramCachePriority", T::kInteger, I, kLive, 0, 1000, 100, ""},
    {178, "JET_paramMaxTransactionSize", T::kInteger, I, kLive, 1, 100, 100, ""},
    {179, "JET_paramPrereadIOMax", T::kInteger, I, kLive, 0, 256, 8, ""},
    {180, "JET_paramEnableDBScanSerialization", T::kBoolean, I, kFixed, 0, 1, 0, ""},
    {181, "JET_paramHungIOThreshold", T::kInteger, G, kFixed, 11000, 1800000, 30000, ""},
    {182, "JET_paramHungIOActions", T::kInteger, G, kFixed, 0, 0x1F, 0x1, ""},
    {183, "JET_paramMinDataForXpress", T::kInteger, G, kFixed, 0, kInt32Max, 1024, ""},
    {184, "JET_paramEnableShrinkDatabase", T::kGrbit, I, kFixed, 0, 0xFFFF, 0, ""},
    {186, "JET_paramProcessFriendlyName", T::kString, G, kFixed, 0, 64, 0, ""},
    {187, "JET_paramDurableCommitCallback", T::kPointer, I, kFixed, 0, kAny, 0, ""},
    {188, "JET_paramEnableSqm", T::kInteger, I, kFixed, 0, 2, 1, ""},
    {189, "JET_paramConfigStoreSpec", T::kString, I, kFixed, 0, 259, 0, ""},
    {194, "JET_paramEngineFormatVersion", T::kInteger, I, kLive, 0, 0xFFFFFFFF, 0x40000001, ""},
    {214, "JET_paramUseFlushForWriteDurability", T::kBoolean, I, kFixed, 0, 1, 1, ""},
    {215, "JET_paramEnableRBS", T::kBoolean, I, kLive, 0, 1, 0, ""},
    {216, "JET_paramRBSFilePath", T::kFolder, I, kFixed, 0, 246, 0, ".\\"},
    {217, "JET_paramPerfmonRefreshInterval", T::kInteger, G, kLive, 0, kInt32Max, 100, ""},
    {218, "JET_paramEnableBlockCache", T::kBoolean, I, kFixed, 0, 1, 0, ""},
    {223, "JET_paramTraceFlags", T::kInteger, G, kLive, 0, kAny, 0, ""},
};

constexpr std::array<std::int16_t, kParamIdLimit> build_index() {
  std::array<std::int16_t, kParamIdLimit> index{};
  for (auto& slot : index) slot = -1;
  for (std::size_t i = 0; i < std::size(kParams); ++i) {
    index[kParams[i].id] = static_cast<std::int16_t>(i);
  }
  return index;
}

constexpr auto kIndex = build_index();

// libesent's own (include/esent_ext.h).
constexpr ParamInfo kExtensionParams[kExtensionParamCount] = {
    {param_id::kBackupReadBytesPerSecond, "ESENT_paramBackupReadBytesPerSecond", T::kInteger, I, kLive,
     0, kAny, 0, ""},
};

}  // namespace

const ParamInfo* find_param(std::uint32_t id) {
  if (id >= kExtensionParamFirst && id < kExtensionParamFirst + kExtensionParamCount) {
    return &kExtensionParams[id - kExtensionParamFirst];
  }
  if (id >= kParamIdLimit || kIndex[id] < 0) return nullptr;
  return &kParams[static_cast<std::size_t>(kIndex[id])];
}

}  // namespace esent::engine
