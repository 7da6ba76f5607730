#include "page/database_header.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "page/page.h"

namespace esent::page {

namespace {

using Layout = DatabaseHeaderLayout;

// Field writers and readers at fixed offsets (the offsets are checked by the format header).
class Encoder {
 public:
  explicit Encoder(std::span<std::byte> page) : page_(page) {}
  void u8(std::size_t offset, std::uint8_t v) { detail::store(page_, offset, v); }
  void u16(std::size_t offset, std::uint16_t v) { detail::store(page_, offset, v); }
  void u32(std::size_t offset, std::uint32_t v) { detail::store(page_, offset, v); }
  void i32(std::size_t offset, std::int32_t v) { detail::store(page_, offset, v); }
  void u64(std::size_t offset, std::uint64_t v) { detail::store(page_, offset, v); }
  void position(std::size_t offset, const LogPosition& v) {
    u16(offset, v.byte_offset);
    u16(offset + 2, v.sector);
    i32(offset + 4, v.generation);
  }
  void time(std::size_t offset, const LogTime& v) {
    const std::uint8_t bytes[kLogTimeSize] = {v.seconds, v.minutes, v.hours,   v.day,
                                              v.month,   v.year,    v.filler1, v.filler2};
    std::memcpy(page_.data() + offset, bytes, sizeof bytes);
  }
  void signature(std::size_t offset, const Signature& v) {
    u32(offset, v.random);
    time(offset + 4, v.created);
    std::memcpy(page_.data() + offset + 4 + kLogTimeSize, v.computer_name.data(),
                kComputerNameSize);
  }
  void backup(std::size_t offset, const BackupInfo& v) {
    position(offset, v.mark);
    time(offset + kLogPositionSize, v.mark_time);
    u32(offset + 16, v.generation_low);
    u32(offset + 20, v.generation_high);
    u32(offset + 24, static_cast<std::uint32_t>(v.type));
  }

 private:
  std::span<std::byte> page_;
};

class Decoder {
 public:
  explicit Decoder(std::span<const std::byte> page) : page_(page) {}
  std::uint16_t u16(std::size_t offset) const { return detail::load<std::uint16_t>(page_, offset); }
  std::uint32_t u32(std::size_t offset) const { return detail::load<std::uint32_t>(page_, offset); }
  std::int32_t i32(std::size_t offset) const { return detail::load<std::int32_t>(page_, offset); }
  std::uint64_t u64(std::size_t offset) const { return detail::load<std::uint64_t>(page_, offset); }
  LogPosition position(std::size_t offset) const {
    return LogPosition{u16(offset), u16(offset + 2), i32(offset + 4)};
  }
  LogTime time(std::size_t offset) const {
    std::uint8_t b[kLogTimeSize];
    std::memcpy(b, page_.data() + offset, sizeof b);
    return LogTime{b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]};
  }
  Signature signature(std::size_t offset) const {
    Signature v;
    v.random = u32(offset);
    v.created = time(offset + 4);
    std::memcpy(v.computer_name.data(), page_.data() + offset + 4 + kLogTimeSize,
                kComputerNameSize);
    return v;
  }
  BackupInfo backup(std::size_t offset) const {
    BackupInfo v;
    v.mark = position(offset);
    v.mark_time = time(offset + kLogPositionSize);
    v.generation_low = u32(offset + 16);
    v.generation_high = u32(offset + 20);
    v.type = static_cast<BackupType>(u32(offset + 24));
    return v;
  }

 private:
  std::span<const std::byte> page_;
};

}  // namespace

LogTime LogTime::from_unix_milliseconds(std::int64_t unix_milliseconds) {
  using namespace std::chrono;
  const sys_time<milliseconds> point{milliseconds{unix_milliseconds}};
  const sys_days day_point = floor<days>(point);
  const year_month_day date{day_point};
  const hh_mm_ss<milliseconds> clock{point - day_point};
  int year_value = static_cast<int>(date.year());
  year_value = std::clamp(year_value, 1900, 1900 + 255);
  const auto ms = static_cast<std::uint32_t>(clock.subseconds().count());
  LogTime t;
  t.seconds = static_cast<std::uint8_t>(clock.seconds().count());
  t.minutes = static_cast<std::uint8_t>(clock.minutes().count());
  t.hours = static_cast<std::uint8_t>(clock.hours().count());
  t.day = static_cast<std::uint8_t>(static_cast<unsigned>(date.day()));
  t.month = static_cast<std::uint8_t>(static_cast<unsigned>(date.month()));
  t.year = static_cast<std::uint8_t>(year_value - 1900);
  t.filler1 = static_cast<std::uint8_t>(1u | ((ms & 0x7fu) << 1));
  t.filler2 = static_cast<std::uint8_t>(((ms >> 7) & 0x7u) << 1);
  return t;
}

std::string computer_name(const Signature& signature) {
  const auto& n = signature.computer_name;
  const auto end = std::find(n.begin(), n.end(), '\0');
  return std::string(n.begin(), end);
}

void set_computer_name(Signature& signature, const std::string& name) {
  signature.computer_name.fill('\0');
  const std::size_t count = std::min(name.size(), kComputerNameSize - 1);
  std::memcpy(signature.computer_name.data(), name.data(), count);
}

void encode_database_header(const DatabaseHeader& h, std::span<std::byte> page, Pgno pgno) {
  initialize(page, pgno, PageType::kDatabaseHeader, 0, 0);
  set_dbtime(page, h.dbtime);
  Encoder e(page);
  e.u64(Layout::kMagic, kDatabaseMagic);
  e.u32(Layout::kHeaderVersion, kDatabaseHeaderVersion);
  e.u32(Layout::kPageSize, h.page_size_bytes);
  e.u64(Layout::kUpdateSequence, h.update_sequence);
  e.u32(Layout::kFormatVersion, h.format_version);
  e.u32(Layout::kFormatUpdate, h.format_update);
  e.signature(Layout::kSignature, h.signature);
  e.u32(Layout::kState, static_cast<std::uint32_t>(h.state));
  e.position(Layout::kConsistentPosition, h.consistent_position);
  e.time(Layout::kConsistentTime, h.consistent_time);
  e.time(Layout::kAttachTime, h.attach_time);
  e.position(Layout::kAttachPosition, h.attach_position);
  e.time(Layout::kDetachTime, h.detach_time);
  e.position(Layout::kDetachPosition, h.detach_position);
  e.signature(Layout::kLogSignature, h.log_signature);
  e.backup(Layout::kBackupFullPrevious, h.backup_full_previous);
  e.backup(Layout::kBackupIncrementalPrevious, h.backup_incremental_previous);
  e.backup(Layout::kBackupFullCurrent, h.backup_full_current);
  e.backup(Layout::kBackupCopyPrevious, h.backup_copy_previous);
  e.backup(Layout::kBackupDifferentialPrevious, h.backup_differential_previous);
  e.u32(Layout::kShadowingDisabled, h.shadowing_disabled);
  e.u32(Layout::kUpgradeDb, h.upgrade_db);
  e.u32(Layout::kOsMajorVersion, h.os_major_version);
  e.u32(Layout::kOsMinorVersion, h.os_minor_version);
  e.u32(Layout::kOsBuildNumber, h.os_build_number);
  e.i32(Layout::kOsServicePack, h.os_service_pack);
  e.u32(Layout::kGenerationMinRequired, h.generation_min_required);
  e.u32(Layout::kGenerationMaxRequired, h.generation_max_required);
  e.time(Layout::kGenerationMaxCreateTime, h.generation_max_create_time);
  e.u32(Layout::kRepairCount, h.repair_count);
  e.time(Layout::kRepairTime, h.repair_time);
  e.u32(Layout::kRepairCountOld, h.repair_count_old);
  e.u32(Layout::kEccFixSuccessCount, h.ecc_fix_success_count);
  e.time(Layout::kEccFixSuccessTime, h.ecc_fix_success_time);
  e.u32(Layout::kEccFixSuccessCountOld, h.ecc_fix_success_count_old);
  e.u32(Layout::kEccFixFailCount, h.ecc_fix_fail_count);
  e.time(Layout::kEccFixFailTime, h.ecc_fix_fail_time);
  e.u32(Layout::kEccFixFailCountOld, h.ecc_fix_fail_count_old);
  e.u32(Layout::kBadChecksumCount, h.bad_checksum_count);
  e.time(Layout::kBadChecksumTime, h.bad_checksum_time);
  e.u32(Layout::kBadChecksumCountOld, h.bad_checksum_count_old);
  e.u32(Layout::kGenerationCommitted, h.generation_committed);
  e.u32(Layout::kIncrementalReseedCount, h.incremental_reseed_count);
  e.time(Layout::kIncrementalReseedTime, h.incremental_reseed_time);
  e.u32(Layout::kIncrementalReseedCountOld, h.incremental_reseed_count_old);
  e.u32(Layout::kPagePatchCount, h.page_patch_count);
  e.time(Layout::kPagePatchTime, h.page_patch_time);
  e.u32(Layout::kPagePatchCountOld, h.page_patch_count_old);
  e.u32(Layout::kPageFormatVersion, h.page_format_version);
  e.u64(Layout::kDbtime, h.dbtime);
  e.u32(Layout::kSizePages, h.size_pages);
  e.u32(Layout::kMaxSizePages, h.max_size_pages);
  e.u32(Layout::kFirstSpaceMap, h.first_space_map);
  e.u32(Layout::kSpaceMapIntervalPages, h.space_map_interval_pages);
  e.u32(Layout::kCatalogRoot, h.catalog_root);
  e.u32(Layout::kNextObjectId, h.next_object_id);
  e.u32(Layout::kFlags, h.flags);
  for (std::size_t i = 0; i < kExtraRootCount; ++i) {
    e.u32(Layout::kExtraRoots + 4 * i, h.extra_roots[i]);
  }
  seal(page, pgno);
}

bool has_database_magic(std::span<const std::byte> page) {
  return page.size() >= Layout::kEnd &&
         detail::load<std::uint64_t>(page, Layout::kMagic) == kDatabaseMagic;
}

std::uint32_t claimed_page_size(std::span<const std::byte> page) {
  if (page.size() < Layout::kEnd) return 0;
  return detail::load<std::uint32_t>(page, Layout::kPageSize);
}

Result<DatabaseHeader> decode_database_header(std::span<const std::byte> page, Pgno pgno) {
  if (page.size() < kMinPageSize) return Status(Error::kInvalidDatabase, "header page too short");
  if (is_all_zero(page)) return Status(Error::kReadVerifyFailure, "header page is all zero");
  ESENT_RETURN_IF_ERROR(verify(page, pgno));
  if (type(page) != PageType::kDatabaseHeader || !has_database_magic(page)) {
    return Status(Error::kInvalidDatabase, "not a database header");
  }
  Decoder d(page);
  if (d.u32(Layout::kHeaderVersion) > kDatabaseHeaderVersion) {
    return Status(Error::kInvalidDatabaseVersion,
                  "header version " + std::to_string(d.u32(Layout::kHeaderVersion)));
  }
  DatabaseHeader h;
  h.page_size_bytes = d.u32(Layout::kPageSize);
  if (!valid_page_size(h.page_size_bytes) || h.page_size_bytes != page.size()) {
    return Status(Error::kInvalidDatabase, "bad page size in header");
  }
  h.update_sequence = d.u64(Layout::kUpdateSequence);
  h.format_version = d.u32(Layout::kFormatVersion);
  h.format_update = d.u32(Layout::kFormatUpdate);
  h.signature = d.signature(Layout::kSignature);
  h.state = static_cast<DatabaseState>(d.u32(Layout::kState));
  h.consistent_position = d.position(Layout::kConsistentPosition);
  h.consistent_time = d.time(Layout::kConsistentTime);
  h.attach_time = d.time(Layout::kAttachTime);
  h.attach_position = d.position(Layout::kAttachPosition);
  h.detach_time = d.time(Layout::kDetachTime);
  h.detach_position = d.position(Layout::kDetachPosition);
  h.log_signature = d.signature(Layout::kLogSignature);
  h.backup_full_previous = d.backup(Layout::kBackupFullPrevious);
  h.backup_incremental_previous = d.backup(Layout::kBackupIncrementalPrevious);
  h.backup_full_current = d.backup(Layout::kBackupFullCurrent);
  h.backup_copy_previous = d.backup(Layout::kBackupCopyPrevious);
  h.backup_differential_previous = d.backup(Layout::kBackupDifferentialPrevious);
  h.shadowing_disabled = d.u32(Layout::kShadowingDisabled);
  h.upgrade_db = d.u32(Layout::kUpgradeDb);
  h.os_major_version = d.u32(Layout::kOsMajorVersion);
  h.os_minor_version = d.u32(Layout::kOsMinorVersion);
  h.os_build_number = d.u32(Layout::kOsBuildNumber);
  h.os_service_pack = d.i32(Layout::kOsServicePack);
  h.generation_min_required = d.u32(Layout::kGenerationMinRequired);
  h.generation_max_required = d.u32(Layout::kGenerationMaxRequired);
  h.generation_max_create_time = d.time(Layout::kGenerationMaxCreateTime);
  h.repair_count = d.u32(Layout::kRepairCount);
  h.repair_time = d.time(Layout::kRepairTime);
  h.repair_count_old = d.u32(Layout::kRepairCountOld);
  h.ecc_fix_success_count = d.u32(Layout::kEccFixSuccessCount);
  h.ecc_fix_success_time = d.time(Layout::kEccFixSuccessTime);
  h.ecc_fix_success_count_old = d.u32(Layout::kEccFixSuccessCountOld);
  h.ecc_fix_fail_count = d.u32(Layout::kEccFixFailCount);
  h.ecc_fix_fail_time = d.time(Layout::kEccFixFailTime);
  h.ecc_fix_fail_count_old = d.u32(Layout::kEccFixFailCountOld);
  h.bad_checksum_count = d.u32(Layout::kBadChecksumCount);
  h.bad_checksum_time = d.time(Layout::kBadChecksumTime);
  h.bad_checksum_count_old = d.u32(Layout::kBadChecksumCountOld);
  h.generation_committed = d.u32(Layout::kGenerationCommitted);
  h.incremental_reseed_count = d.u32(Layout::kIncrementalReseedCount);
  h.incremental_reseed_time = d.time(Layout::kIncrementalReseedTime);
  h.incremental_reseed_count_old = d.u32(Layout::kIncrementalReseedCountOld);
  h.page_patch_count = d.u32(Layout::kPagePatchCount);
  h.page_patch_time = d.time(Layout::kPagePatchTime);
  h.page_patch_count_old = d.u32(Layout::kPagePatchCountOld);
  h.page_format_version = d.u32(Layout::kPageFormatVersion);
  h.dbtime = d.u64(Layout::kDbtime);
  h.size_pages = d.u32(Layout::kSizePages);
  h.max_size_pages = d.u32(Layout::kMaxSizePages);
  h.first_space_map = d.u32(Layout::kFirstSpaceMap);
  h.space_map_interval_pages = d.u32(Layout::kSpaceMapIntervalPages);
  h.catalog_root = d.u32(Layout::kCatalogRoot);
  h.next_object_id = d.u32(Layout::kNextObjectId);
  h.flags = d.u32(Layout::kFlags);
  for (std::size_t i = 0; i < kExtraRootCount; ++i) {
    h.extra_roots[i] = d.u32(Layout::kExtraRoots + 4 * i);
  }
  if (h.page_format_version > kPageFormatVersion) {
    return Status(Error::kInvalidDatabaseVersion,
                  "page format version " + std::to_string(h.page_format_version));
  }
  return h;
}

}  // namespace esent::page
