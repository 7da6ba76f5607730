// The database header: pages 0 and 1 of every database file hold one copy each. Prose, byte
// table, edge cases and rationale: docs/format/database-header.md. Constants only; never move a
// field or renumber a value (bump kDatabaseHeaderVersion and keep a reader for the old layout).
//
// Each copy is a whole page with the common page header (page/page_format.h): type
// kDatabaseHeader, page number 0 or 1 (the checksum identity), object id 0. The header fields
// follow at byte 64, little-endian, packed (no padding); the rest of the page is zero.
//
// Composite fields (the same bytes as ESE's packed structures of the same name):
//   LogPosition (JET_LGPOS, 8)     u16 byte_offset, u16 sector, i32 generation
//   LogTime     (JET_LOGTIME, 8)   u8 seconds, minutes, hours, day, month, year(-1900),
//                                  u8 filler1 (bit 0 UTC, bits 1-7 ms low 7 bits),
//                                  u8 filler2 (bits 1-3 ms high 3 bits)
//   Signature   (JET_SIGNATURE, 28) u32 random, LogTime created, char[16] computer name (NUL
//                                  padded)
//   BackupInfo  (JET_BKINFO + 4, 28) LogPosition mark, LogTime mark time, u32 generation_low,
//                                  u32 generation_high, u32 BackupType
#pragma once

#include <cstddef>
#include <cstdint>

#include "page/page_format.h"

namespace esent::page {

// "libESEdb" read as a little-endian u64.
inline constexpr std::uint64_t kDatabaseMagic = 0x6264455345626C69ull;

// The layout of the header fields below; a reader refuses a newer one
// (kInvalidDatabaseVersion).
inline constexpr std::uint32_t kDatabaseHeaderVersion = 1;

// What ESE reports in JET_DBINFOMISC.ulVersion / ulUpdate for a current database.
inline constexpr std::uint32_t kEseFormatVersion = 0x620;
inline constexpr std::uint32_t kEseFormatUpdate = 0x14;

// The two copies of the header.
inline constexpr Pgno kHeaderCopy0 = 0;
inline constexpr Pgno kHeaderCopy1 = 1;

// JET_dbstate* values (the numbers are ESE's).
enum class DatabaseState : std::uint32_t {
  kJustCreated = 1,
  kDirtyShutdown = 2,
  kCleanShutdown = 3,
  kBeingConverted = 4,
  kForceDetach = 5,
};

// How a backup recorded in a BackupInfo slot was taken (our own field).
enum class BackupType : std::uint32_t {
  kNone = 0,
  kStreaming = 1,  // JetBeginExternalBackup / JetBackup
  kSnapshot = 2,   // JetOSSnapshot*
};

inline constexpr std::size_t kLogPositionSize = 8;
inline constexpr std::size_t kLogTimeSize = 8;
inline constexpr std::size_t kComputerNameSize = 16;  // JET_MAX_COMPUTERNAME_LENGTH + 1
inline constexpr std::size_t kSignatureSize = 4 + kLogTimeSize + kComputerNameSize;
inline constexpr std::size_t kBackupInfoSize = kLogPositionSize + kLogTimeSize + 4 + 4 + 4;
inline constexpr std::size_t kExtraRootCount = 4;

static_assert(kSignatureSize == 28);
static_assert(kBackupInfoSize == 28);

// Byte offsets within the header page.
struct DatabaseHeaderLayout {
  static constexpr std::size_t kMagic = 64;                       // u64
  static constexpr std::size_t kHeaderVersion = 72;               // u32
  static constexpr std::size_t kPageSize = 76;                    // u32
  static constexpr std::size_t kUpdateSequence = 80;              // u64
  static constexpr std::size_t kFormatVersion = 88;               // u32 (ulVersion)
  static constexpr std::size_t kFormatUpdate = 92;                // u32 (ulUpdate)
  static constexpr std::size_t kSignature = 96;                   // Signature (signDb)
  static constexpr std::size_t kState = 124;                      // u32 DatabaseState
  static constexpr std::size_t kConsistentPosition = 128;         // LogPosition
  static constexpr std::size_t kConsistentTime = 136;             // LogTime
  static constexpr std::size_t kAttachTime = 144;                 // LogTime
  static constexpr std::size_t kAttachPosition = 152;             // LogPosition
  static constexpr std::size_t kDetachTime = 160;                 // LogTime
  static constexpr std::size_t kDetachPosition = 168;             // LogPosition
  static constexpr std::size_t kLogSignature = 176;               // Signature (signLog)
  static constexpr std::size_t kBackupFullPrevious = 204;         // BackupInfo
  static constexpr std::size_t kBackupIncrementalPrevious = 232;  // BackupInfo
  static constexpr std::size_t kBackupFullCurrent = 260;          // BackupInfo
  static constexpr std::size_t kBackupCopyPrevious = 288;         // BackupInfo
  static constexpr std::size_t kBackupDifferentialPrevious = 316; // BackupInfo
  static constexpr std::size_t kShadowingDisabled = 344;          // u32
  static constexpr std::size_t kUpgradeDb = 348;                  // u32
  static constexpr std::size_t kOsMajorVersion = 352;             // u32
  static constexpr std::size_t kOsMinorVersion = 356;             // u32
  static constexpr std::size_t kOsBuildNumber = 360;              // u32
  static constexpr std::size_t kOsServicePack = 364;              // i32
  static constexpr std::size_t kGenerationMinRequired = 368;      // u32
  static constexpr std::size_t kGenerationMaxRequired = 372;      // u32
  static constexpr std::size_t kGenerationMaxCreateTime = 376;    // LogTime
  static constexpr std::size_t kRepairCount = 384;                // u32
  static constexpr std::size_t kRepairTime = 388;                 // LogTime
  static constexpr std::size_t kRepairCountOld = 396;             // u32
  static constexpr std::size_t kEccFixSuccessCount = 400;         // u32
  static constexpr std::size_t kEccFixSuccessTime = 404;          // LogTime
  static constexpr std::size_t kEccFixSuccessCountOld = 412;      // u32
  static constexpr std::size_t kEccFixFailCount = 416;            // u32
  static constexpr std::size_t kEccFixFailTime = 420;             // LogTime
  static constexpr std::size_t kEccFixFailCountOld = 428;         // u32
  static constexpr std::size_t kBadChecksumCount = 432;           // u32
  static constexpr std::size_t kBadChecksumTime = 436;            // LogTime
  static constexpr std::size_t kBadChecksumCountOld = 444;        // u32
  static constexpr std::size_t kGenerationCommitted = 448;        // u32
  static constexpr std::size_t kIncrementalReseedCount = 452;     // u32
  static constexpr std::size_t kIncrementalReseedTime = 456;      // LogTime
  static constexpr std::size_t kIncrementalReseedCountOld = 464;  // u32
  static constexpr std::size_t kPagePatchCount = 468;             // u32
  static constexpr std::size_t kPagePatchTime = 472;              // LogTime
  static constexpr std::size_t kPagePatchCountOld = 480;          // u32
  static constexpr std::size_t kPageFormatVersion = 484;          // u32
  static constexpr std::size_t kDbtime = 488;                     // u64
  static constexpr std::size_t kSizePages = 496;                  // u32
  static constexpr std::size_t kMaxSizePages = 500;               // u32 (0: unlimited)
  static constexpr std::size_t kFirstSpaceMap = 504;              // u32
  static constexpr std::size_t kSpaceMapIntervalPages = 508;      // u32
  static constexpr std::size_t kCatalogRoot = 512;                // u32
  static constexpr std::size_t kNextObjectId = 516;               // u32
  static constexpr std::size_t kFlags = 520;                      // u32
  static constexpr std::size_t kExtraRoots = 524;                 // u32[kExtraRootCount]
  static constexpr std::size_t kReserved = 540;                   // u32, zero
  static constexpr std::size_t kEnd = 544;                        // zero from here to page end
};

// The fields are packed back to back.
static_assert(DatabaseHeaderLayout::kMagic == PageHeaderLayout::kSize);
static_assert(DatabaseHeaderLayout::kHeaderVersion == DatabaseHeaderLayout::kMagic + 8);
static_assert(DatabaseHeaderLayout::kUpdateSequence == DatabaseHeaderLayout::kPageSize + 4);
static_assert(DatabaseHeaderLayout::kFormatVersion == DatabaseHeaderLayout::kUpdateSequence + 8);
static_assert(DatabaseHeaderLayout::kState ==
              DatabaseHeaderLayout::kSignature + kSignatureSize);
static_assert(DatabaseHeaderLayout::kDetachPosition + kLogPositionSize ==
              DatabaseHeaderLayout::kLogSignature);
static_assert(DatabaseHeaderLayout::kBackupFullPrevious ==
              DatabaseHeaderLayout::kLogSignature + kSignatureSize);
static_assert(DatabaseHeaderLayout::kBackupDifferentialPrevious ==
              DatabaseHeaderLayout::kBackupFullPrevious + 4 * kBackupInfoSize);
static_assert(DatabaseHeaderLayout::kShadowingDisabled ==
              DatabaseHeaderLayout::kBackupDifferentialPrevious + kBackupInfoSize);
static_assert(DatabaseHeaderLayout::kGenerationMaxCreateTime + kLogTimeSize ==
              DatabaseHeaderLayout::kRepairCount);
static_assert(DatabaseHeaderLayout::kPagePatchCountOld + 4 ==
              DatabaseHeaderLayout::kPageFormatVersion);
static_assert(DatabaseHeaderLayout::kDbtime % 8 == 0);
static_assert(DatabaseHeaderLayout::kSizePages == DatabaseHeaderLayout::kDbtime + 8);
static_assert(DatabaseHeaderLayout::kReserved ==
              DatabaseHeaderLayout::kExtraRoots + 4 * kExtraRootCount);
static_assert(DatabaseHeaderLayout::kEnd == DatabaseHeaderLayout::kReserved + 4);
static_assert(DatabaseHeaderLayout::kEnd <= kMinPageSize);

}  // namespace esent::page
