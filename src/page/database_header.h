// The database header as a value, and its encoding into a header page
// (page/database_header_format.h, docs/format/database-header.md).
//
// DatabaseHeader carries every field ESE reports through JET_DBINFOMISC4, plus our own (page
// format version, dbtime high-water mark, sizes, the roots of space management and of the
// catalog, the next object id, flags). encode_database_header() writes a whole sealed page;
// decode_database_header() verifies one and never trusts its bytes beyond that. Choosing
// between the two copies and the file I/O live in cache/header_io.h.
//
// Pure functions over byte spans: thread-safe, no allocation besides the returned value.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "page/database_header_format.h"
#include "page/page_format.h"
#include "util/status.h"

namespace esent::page {

// JET_LGPOS.
struct LogPosition {
  std::uint16_t byte_offset = 0;  // ib
  std::uint16_t sector = 0;       // isec
  std::int32_t generation = 0;    // lGeneration
  bool operator==(const LogPosition&) const = default;
};

// JET_LOGTIME, byte for byte.
struct LogTime {
  std::uint8_t seconds = 0;
  std::uint8_t minutes = 0;
  std::uint8_t hours = 0;
  std::uint8_t day = 0;
  std::uint8_t month = 0;  // 1-12; 0 for "no time"
  std::uint8_t year = 0;   // years since 1900
  std::uint8_t filler1 = 0;  // bit 0: UTC; bits 1-7: milliseconds & 0x7f
  std::uint8_t filler2 = 0;  // bits 1-3: milliseconds >> 7
  bool operator==(const LogTime&) const = default;

  // A UTC time (milliseconds since the Unix epoch, clamped to years 1900..2155).
  static LogTime from_unix_milliseconds(std::int64_t unix_milliseconds);
  bool is_set() const { return month != 0; }
};

// JET_SIGNATURE.
struct Signature {
  std::uint32_t random = 0;
  LogTime created;
  std::array<char, kComputerNameSize> computer_name{};  // NUL padded; at most 15 characters
  bool operator==(const Signature&) const = default;
};

// JET_BKINFO plus how the backup was taken.
struct BackupInfo {
  LogPosition mark;
  LogTime mark_time;
  std::uint32_t generation_low = 0;
  std::uint32_t generation_high = 0;
  BackupType type = BackupType::kNone;
  bool operator==(const BackupInfo&) const = default;
};

struct DatabaseHeader {
  // Bookkeeping of the header itself.
  std::uint32_t page_size_bytes = kDefaultPageSize;
  std::uint64_t update_sequence = 0;  // incremented by every durable header write

  // JET_DBINFOMISC.
  std::uint32_t format_version = kEseFormatVersion;  // ulVersion
  std::uint32_t format_update = kEseFormatUpdate;    // ulUpdate
  Signature signature;                               // signDb
  DatabaseState state = DatabaseState::kJustCreated;  // dbstate
  LogPosition consistent_position;                   // lgposConsistent
  LogTime consistent_time;                           // logtimeConsistent
  LogTime attach_time;                               // logtimeAttach
  LogPosition attach_position;                       // lgposAttach
  LogTime detach_time;                               // logtimeDetach
  LogPosition detach_position;                       // lgposDetach
  Signature log_signature;                           // signLog
  BackupInfo backup_full_previous;                   // bkinfoFullPrev
  BackupInfo backup_incremental_previous;            // bkinfoIncPrev
  BackupInfo backup_full_current;                    // bkinfoFullCur
  std::uint32_t shadowing_disabled = 0;              // fShadowingDisabled
  std::uint32_t upgrade_db = 0;                      // fUpgradeDb
  std::uint32_t os_major_version = 0;                // dwMajorVersion
  std::uint32_t os_minor_version = 0;                // dwMinorVersion
  std::uint32_t os_build_number = 0;                 // dwBuildNumber
  std::int32_t os_service_pack = 0;                  // lSPNumber
  // JET_DBINFOMISC2.
  std::uint32_t generation_min_required = 0;         // genMinRequired
  std::uint32_t generation_max_required = 0;         // genMaxRequired
  LogTime generation_max_create_time;                // logtimeGenMaxCreate
  std::uint32_t repair_count = 0;                    // ulRepairCount
  LogTime repair_time;                               // logtimeRepair
  std::uint32_t repair_count_old = 0;                // ulRepairCountOld
  std::uint32_t ecc_fix_success_count = 0;           // ulECCFixSuccess
  LogTime ecc_fix_success_time;                      // logtimeECCFixSuccess
  std::uint32_t ecc_fix_success_count_old = 0;       // ulECCFixSuccessOld
  std::uint32_t ecc_fix_fail_count = 0;              // ulECCFixFail
  LogTime ecc_fix_fail_time;                         // logtimeECCFixFail
  std::uint32_t ecc_fix_fail_count_old = 0;          // ulECCFixFailOld
  std::uint32_t bad_checksum_count = 0;              // ulBadChecksum
  LogTime bad_checksum_time;                         // logtimeBadChecksum
  std::uint32_t bad_checksum_count_old = 0;          // ulBadChecksumOld
  // JET_DBINFOMISC3.
  std::uint32_t generation_committed = 0;            // genCommitted
  // JET_DBINFOMISC4.
  BackupInfo backup_copy_previous;                   // bkinfoCopyPrev
  BackupInfo backup_differential_previous;           // bkinfoDiffPrev
  // Internal in ESE (JET_DBINFOMISC5+), kept for completeness.
  std::uint32_t incremental_reseed_count = 0;
  LogTime incremental_reseed_time;
  std::uint32_t incremental_reseed_count_old = 0;
  std::uint32_t page_patch_count = 0;
  LogTime page_patch_time;
  std::uint32_t page_patch_count_old = 0;

  // Ours.
  std::uint32_t page_format_version = kPageFormatVersion;
  // No page in the file carries a dbtime above this (a reserved high-water mark): a database
  // reopened after a crash resumes its dbtimes above it.
  std::uint64_t dbtime = 0;
  std::uint32_t size_pages = 0;      // the database's size; the file is at least this long
  std::uint32_t max_size_pages = 0;  // 0: unlimited
  Pgno first_space_map = 0;          // the first space-map page (docs/format/space.md)
  std::uint32_t space_map_interval_pages = 0;  // pages covered by one space-map page
  Pgno catalog_root = kNoPage;       // the catalog tree's root; kNoPage until created
  std::uint32_t next_object_id = 1;  // the next object id to hand out
  std::uint32_t flags = 0;           // reserved for upper layers; unknown bits are kept
  std::array<Pgno, kExtraRootCount> extra_roots{};  // further fixed roots for upper layers

  bool operator==(const DatabaseHeader&) const = default;
};

// The computer name as a string (up to the first NUL).
std::string computer_name(const Signature& signature);
// Stores up to 15 bytes of `name`.
void set_computer_name(Signature& signature, const std::string& name);

// Writes `header` as the whole page `page` (page.size() == header.page_size_bytes) for copy
// `pgno` (kHeaderCopy0 or kHeaderCopy1), sealed.
void encode_database_header(const DatabaseHeader& header, std::span<std::byte> page, Pgno pgno);

// Decodes the header copy stored as page `pgno`. The page must be exactly the size its header
// claims (the caller reads that many bytes first). Errors:
//   kReadVerifyFailure / kReadPgnoVerifyFailure: checksum or page number mismatch, all-zero;
//   kInvalidDatabase: a sound page that is not a database header (wrong type or magic), or a
//     header whose size or page size fields are impossible;
//   kInvalidDatabaseVersion: a header layout newer than this library reads.
Result<DatabaseHeader> decode_database_header(std::span<const std::byte> page, Pgno pgno);

// Whether the bytes start like a header page (magic at its offset), without verifying them.
bool has_database_magic(std::span<const std::byte> page);
// The page size a header page claims, unverified (0 if the bytes are too short).
std::uint32_t claimed_page_size(std::span<const std::byte> page);

}  // namespace esent::page
