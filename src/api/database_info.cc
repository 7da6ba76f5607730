#include "api/database_info.h"

#include <cstring>

namespace esent::api {

namespace {

JET_LOGTIME to_jet(const page::LogTime& t) {
  JET_LOGTIME out;
  static_assert(sizeof out == sizeof t);
  std::memcpy(&out, &t, sizeof out);
  return out;
}

JET_LGPOS to_jet(const page::LogPosition& p) {
  JET_LGPOS out{};
  out.ib = p.byte_offset;
  out.isec = p.sector;
  out.lGeneration = p.generation;
  return out;
}

JET_SIGNATURE to_jet(const page::Signature& s) {
  JET_SIGNATURE out{};
  out.ulRandom = s.random;
  out.logtimeCreate = to_jet(s.created);
  static_assert(sizeof out.szComputerName >= page::kComputerNameSize);
  std::memcpy(out.szComputerName, s.computer_name.data(), page::kComputerNameSize);
  return out;
}

JET_BKINFO to_jet(const page::BackupInfo& b) {
  JET_BKINFO out{};
  out.lgposMark = to_jet(b.mark);
  out.logtimeMark = to_jet(b.mark_time);
  out.genLow = b.generation_low;
  out.genHigh = b.generation_high;
  return out;
}

// The fields every version shares; JET_DBINFOMISC4 is a prefix-compatible superset.
JET_DBINFOMISC4 to_jet(const page::DatabaseHeader& h) {
  JET_DBINFOMISC4 m{};
  m.ulVersion = h.format_version;
  m.ulUpdate = h.format_update;
  m.signDb = to_jet(h.signature);
  m.dbstate = static_cast<JET_UINT32>(h.state);
  m.lgposConsistent = to_jet(h.consistent_position);
  m.logtimeConsistent = to_jet(h.consistent_time);
  m.logtimeAttach = to_jet(h.attach_time);
  m.lgposAttach = to_jet(h.attach_position);
  m.logtimeDetach = to_jet(h.detach_time);
  m.lgposDetach = to_jet(h.detach_position);
  m.signLog = to_jet(h.log_signature);
  m.bkinfoFullPrev = to_jet(h.backup_full_previous);
  m.bkinfoIncPrev = to_jet(h.backup_incremental_previous);
  m.bkinfoFullCur = to_jet(h.backup_full_current);
  m.fShadowingDisabled = h.shadowing_disabled;
  m.fUpgradeDb = h.upgrade_db;
  m.dwMajorVersion = h.os_major_version;
  m.dwMinorVersion = h.os_minor_version;
  m.dwBuildNumber = h.os_build_number;
  m.lSPNumber = h.os_service_pack;
  m.cbPageSize = h.page_size_bytes;
  m.genMinRequired = h.generation_min_required;
  m.genMaxRequired = h.generation_max_required;
  m.logtimeGenMaxCreate = to_jet(h.generation_max_create_time);
  m.ulRepairCount = h.repair_count;
  m.logtimeRepair = to_jet(h.repair_time);
  m.ulRepairCountOld = h.repair_count_old;
  m.ulECCFixSuccess = h.ecc_fix_success_count;
  m.logtimeECCFixSuccess = to_jet(h.ecc_fix_success_time);
  m.ulECCFixSuccessOld = h.ecc_fix_success_count_old;
  m.ulECCFixFail = h.ecc_fix_fail_count;
  m.logtimeECCFixFail = to_jet(h.ecc_fix_fail_time);
  m.ulECCFixFailOld = h.ecc_fix_fail_count_old;
  m.ulBadChecksum = h.bad_checksum_count;
  m.logtimeBadChecksum = to_jet(h.bad_checksum_time);
  m.ulBadChecksumOld = h.bad_checksum_count_old;
  m.genCommitted = h.generation_committed;
  m.bkinfoCopyPrev = to_jet(h.backup_copy_previous);
  m.bkinfoDiffPrev = to_jet(h.backup_differential_previous);
  return m;
}

}  // namespace

// As ESE: cbMax must be exactly the size of one of the versions, which is the one filled;
// anything else is JET_errInvalidBufferSize.
Status fill_dbinfomisc(const page::DatabaseHeader& header, void* out, std::uint32_t cb_max) {
  static_assert(offsetof(JET_DBINFOMISC4, cbPageSize) == offsetof(JET_DBINFOMISC, cbPageSize));
  static_assert(offsetof(JET_DBINFOMISC4, bkinfoCopyPrev) == sizeof(JET_DBINFOMISC3));
  static_assert(offsetof(JET_DBINFOMISC4, genCommitted) == sizeof(JET_DBINFOMISC2));
  if (cb_max != sizeof(JET_DBINFOMISC) && cb_max != sizeof(JET_DBINFOMISC2) &&
      cb_max != sizeof(JET_DBINFOMISC3) && cb_max != sizeof(JET_DBINFOMISC4)) {
    return Error::kInvalidBufferSize;
  }
  const JET_DBINFOMISC4 full = to_jet(header);
  std::memcpy(out, &full, cb_max);
  return Status::success();
}

}  // namespace esent::api
