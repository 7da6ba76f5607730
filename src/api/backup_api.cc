// The streaming (external) backup API: JetBeginExternalBackup(Instance) through
// JetEndExternalBackupInstance2 and JetStopBackup(Instance). The state machine and ESE's rules
// live in backup/backup.h; this file admits the call, converts strings and sizes, and shapes the
// results as ESE does (docs/backup.md, docs/compat.md for the deliberate differences).
#include <algorithm>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "api/backup_call.h"
#include "api/guard.h"
#include "api/handles.h"
#include "api/jet.h"
#include "api/strings.h"
#include "backup/backup.h"
#include "util/path.h"

namespace esent::api {
namespace {

// JET_bitBackupNoDbHeaderUpdate (esent.h of newer SDKs only).
constexpr JET_GRBIT kBackupNoDbHeaderUpdate = 0x0200;

// The backup of an admitted call for everything but Begin: with no log there is no backup.
Result<backup::Backup*> active_backup(const Result<BackupCall>& call) {
  if (!call.ok()) return call.status();
  if (call->backup == nullptr) return Error::kNoBackup;
  return call->backup;
}

Status begin(Result<engine::InstanceRef> ref, JET_GRBIT grbit) {
  Result<BackupCall> call = enter_backup(std::move(ref));
  if (!call.ok()) return call.status();
  if (call->backup == nullptr) return Error::kLoggingDisabled;
  // JET_bitBackupAtomic is deprecated for this call; snapshot, surrogate and internal-copy
  // backups are not offered.
  if ((grbit & ~JET_GRBIT{JET_bitBackupIncremental}) != 0) return Error::kInvalidGrbit;
  return call->backup->begin((grbit & JET_bitBackupIncremental) != 0);
}

// A NUL-separated, double-NUL-terminated list in the Char encoding.
template <typename Char>
Result<std::basic_string<Char>> multi_string(const std::vector<std::string>& items) {
  std::basic_string<Char> out;
  for (const std::string& item : items) {
    if constexpr (sizeof(Char) == 1) {
      out.append(item);
    } else {
      Result<std::u16string> wide = utf8_to_utf16(item);
      if (!wide.ok()) return wide.status();
      for (char16_t unit : *wide) out.push_back(static_cast<Char>(unit));
    }
    out.push_back(Char{0});
  }
  out.push_back(Char{0});
  return out;
}

// Which size a list call reports: GetAttachInfo the whole size always; GetLogInfo what it
// copied when given a buffer (ESE's two conventions).
enum class SizeRule { kWhole, kCopied };

template <typename Char>
Status output_list(const std::vector<std::string>& items, Char* szz, JET_UINT32 cb_max,
                   JET_UINT32* pcb_actual, SizeRule rule) {
  Result<std::basic_string<Char>> list = multi_string<Char>(items);
  if (!list.ok()) return list.status();
  const std::size_t size_bytes = list->size() * sizeof(Char);
  const std::size_t copied = szz != nullptr ? std::min<std::size_t>(cb_max, size_bytes) : 0;
  if (copied != 0) std::memcpy(szz, list->data(), copied);
  if (pcb_actual != nullptr) {
    *pcb_actual = static_cast<JET_UINT32>(rule == SizeRule::kCopied && szz != nullptr ? copied
                                                                                      : size_bytes);
  }
  return Status::success();
}

template <typename Char>
Status attach_info(Result<engine::InstanceRef> ref, Char* szz, JET_UINT32 cb_max,
                   JET_UINT32* pcb_actual) {
  Result<backup::Backup*> backup = active_backup(enter_backup(std::move(ref)));
  if (!backup.ok()) return backup.status();
  Result<std::vector<std::string>> paths = (*backup)->attach_info();
  if (!paths.ok()) return paths.status();
  return output_list(*paths, szz, cb_max, pcb_actual, SizeRule::kWhole);
}

template <typename Char>
Status open_file(Result<engine::InstanceRef> ref, const Char* name, JET_HANDLE* handle,
                 JET_UINT32* size_low, JET_UINT32* size_high) {
  Result<BackupCall> call = enter_backup(std::move(ref));
  Result<backup::Backup*> backup = active_backup(call);
  if (!backup.ok()) return backup.status();
  if (name == nullptr || handle == nullptr || size_low == nullptr || size_high == nullptr) {
    return Error::kInvalidParameter;
  }
  Result<std::string> text = input_path(name);
  if (!text.ok()) return text.status();
  if (text->empty()) return Error::kInvalidParameter;
  Result<backup::OpenedFile> opened =
      (*backup)->open_file(normalize_path(*text, call->ref.instance->working_directory()));
  if (!opened.ok()) return opened.status();
  *handle = static_cast<JET_HANDLE>(opened->handle);
  *size_low = static_cast<JET_UINT32>(opened->size_bytes);
  *size_high = static_cast<JET_UINT32>(opened->size_bytes >> 32);
  return Status::success();
}

Status read_file(Result<engine::InstanceRef> ref, JET_HANDLE handle, void* buffer, JET_UINT32 cb,
                 JET_UINT32* pcb_actual) {
  Result<backup::Backup*> backup = active_backup(enter_backup(std::move(ref)));
  if (!backup.ok()) return backup.status();
  if (buffer == nullptr) return Error::kInvalidParameter;
  Result<std::size_t> got = (*backup)->read_file(
      static_cast<std::uint64_t>(handle), std::span<std::byte>(static_cast<std::byte*>(buffer), cb));
  if (!got.ok()) return got.status();
  if (pcb_actual != nullptr) *pcb_actual = static_cast<JET_UINT32>(*got);
  return Status::success();
}

Status close_file(Result<engine::InstanceRef> ref, JET_HANDLE handle) {
  Result<backup::Backup*> backup =
      active_backup(enter_backup(std::move(ref), engine::Admission::kIgnoreStopService));
  if (!backup.ok()) return backup.status();
  return (*backup)->close_file(static_cast<std::uint64_t>(handle));
}

template <typename Char, typename LogInfo>
Status log_info(Result<engine::InstanceRef> ref, Char* szz, JET_UINT32 cb_max,
                JET_UINT32* pcb_actual, LogInfo* info, bool truncate_list) {
  Result<BackupCall> call = enter_backup(std::move(ref));
  Result<backup::Backup*> backup = active_backup(call);
  if (!backup.ok()) return backup.status();
  if (info != nullptr && info->cbSize != sizeof(LogInfo)) return Error::kInvalidParameter;
  Result<backup::LogList> list =
      truncate_list ? (*backup)->truncate_log_info() : (*backup)->log_info();
  if (!list.ok()) return list.status();
  ESENT_RETURN_IF_ERROR(output_list(list->paths, szz, cb_max, pcb_actual, SizeRule::kCopied));
  if (info != nullptr) {
    info->ulGenLow = list->low_generation;
    info->ulGenHigh = list->high_generation;
    // (Kept whole, not `.text` copied out of the temporary: GCC 12 -O3 then reports a false
    // maybe-uninitialized on the copy.)
    const auto base_param = call->ref.instance->param(engine::param_id::kBaseName);
    const std::string& base = base_param.text;
    for (std::size_t i = 0; i < JET_BASE_NAME_LENGTH + 1; ++i) {
      info->szBaseName[i] = i < base.size() && i < JET_BASE_NAME_LENGTH
                                ? static_cast<Char>(static_cast<unsigned char>(base[i]))
                                : Char{0};
    }
  }
  return Status::success();
}

Status truncate_log(Result<engine::InstanceRef> ref) {
  Result<backup::Backup*> backup = active_backup(enter_backup(std::move(ref)));
  if (!backup.ok()) return backup.status();
  return (*backup)->truncate();
}

Status end_backup(Result<engine::InstanceRef> ref, JET_GRBIT grbit) {
  Result<backup::Backup*> backup =
      active_backup(enter_backup(std::move(ref), engine::Admission::kIgnoreStopService));
  if (!backup.ok()) return backup.status();
  const bool normal = (grbit & JET_bitBackupEndNormal) != 0;
  const bool abort = (grbit & JET_bitBackupEndAbort) != 0;
  if (normal == abort) return Error::kInvalidParameter;
  backup::EndOptions options;
  options.normal = normal;
  options.truncate_done = (grbit & JET_bitBackupTruncateDone) != 0;
  options.no_header_update = (grbit & kBackupNoDbHeaderUpdate) != 0;
  return (*backup)->end(options);
}

Status stop_backup(Result<engine::InstanceRef> ref) {
  // ESE: a bad instance is JET_errInvalidParameter here; a stop with no backup succeeds.
  if (!ref.ok()) {
    return ref.status().error() == Error::kInvalidInstance ? Status(Error::kInvalidParameter)
                                                           : ref.status();
  }
  Result<BackupCall> call = enter_backup(std::move(ref), engine::Admission::kIgnoreStopService);
  if (!call.ok()) return call.status();
  if (call->backup != nullptr) call->backup->stop();
  return Status::success();
}

}  // namespace
}  // namespace esent::api

using esent::api::legacy_instance;
using esent::api::resolve_instance;
using esent::api::guarded;

extern "C" {

JET_ERR JET_API JetBeginExternalBackup(JET_GRBIT grbit) {
  return guarded(__func__, [&] { return esent::api::begin(legacy_instance(), grbit); });
}
JET_ERR JET_API JetBeginExternalBackupInstance(JET_INSTANCE instance, JET_GRBIT grbit) {
  return guarded(__func__, [&] { return esent::api::begin(resolve_instance(instance), grbit); });
}

JET_ERR JET_API JetGetAttachInfoA(JET_PSTR szz, JET_UINT32 cb_max, JET_UINT32* pcb_actual) {
  return guarded(__func__, [&] { return esent::api::attach_info(legacy_instance(), szz, cb_max, pcb_actual); });
}
ESENT_EXPORT_PLAIN_NAME(JetGetAttachInfo, JetGetAttachInfoA);
JET_ERR JET_API JetGetAttachInfoW(JET_PWSTR szz, JET_UINT32 cb_max, JET_UINT32* pcb_actual) {
  return guarded(__func__, [&] { return esent::api::attach_info(legacy_instance(), szz, cb_max, pcb_actual); });
}
JET_ERR JET_API JetGetAttachInfoInstanceA(JET_INSTANCE instance, JET_PSTR szz, JET_UINT32 cb_max,
                                          JET_UINT32* pcb_actual) {
  return guarded(__func__, [&] {
    return esent::api::attach_info(resolve_instance(instance), szz, cb_max, pcb_actual);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetGetAttachInfoInstance, JetGetAttachInfoInstanceA);
JET_ERR JET_API JetGetAttachInfoInstanceW(JET_INSTANCE instance, JET_PWSTR szz, JET_UINT32 cb_max,
                                          JET_UINT32* pcb_actual) {
  return guarded(__func__, [&] {
    return esent::api::attach_info(resolve_instance(instance), szz, cb_max, pcb_actual);
  });
}

JET_ERR JET_API JetOpenFileA(JET_PCSTR name, JET_HANDLE* handle, JET_UINT32* size_low,
                             JET_UINT32* size_high) {
  return guarded(__func__, [&] {
    return esent::api::open_file(legacy_instance(), name, handle, size_low, size_high);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetOpenFile, JetOpenFileA);
JET_ERR JET_API JetOpenFileW(JET_PCWSTR name, JET_HANDLE* handle, JET_UINT32* size_low,
                             JET_UINT32* size_high) {
  return guarded(__func__, [&] {
    return esent::api::open_file(legacy_instance(), name, handle, size_low, size_high);
  });
}
JET_ERR JET_API JetOpenFileInstanceA(JET_INSTANCE instance, JET_PCSTR name, JET_HANDLE* handle,
                                     JET_UINT32* size_low, JET_UINT32* size_high) {
  return guarded(__func__, [&] {
    return esent::api::open_file(resolve_instance(instance), name, handle, size_low, size_high);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetOpenFileInstance, JetOpenFileInstanceA);
JET_ERR JET_API JetOpenFileInstanceW(JET_INSTANCE instance, JET_PCWSTR name, JET_HANDLE* handle,
                                     JET_UINT32* size_low, JET_UINT32* size_high) {
  return guarded(__func__, [&] {
    return esent::api::open_file(resolve_instance(instance), name, handle, size_low, size_high);
  });
}

JET_ERR JET_API JetReadFile(JET_HANDLE handle, JET_PVOID buffer, JET_UINT32 cb,
                            JET_UINT32* pcb_actual) {
  return guarded(__func__, [&] {
    return esent::api::read_file(legacy_instance(), handle, buffer, cb, pcb_actual);
  });
}
JET_ERR JET_API JetReadFileInstance(JET_INSTANCE instance, JET_HANDLE handle, JET_PVOID buffer,
                                    JET_UINT32 cb, JET_UINT32* pcb_actual) {
  return guarded(__func__, [&] {
    return esent::api::read_file(resolve_instance(instance), handle, buffer, cb, pcb_actual);
  });
}

JET_ERR JET_API JetCloseFile(JET_HANDLE handle) {
  return guarded(__func__, [&] { return esent::api::close_file(legacy_instance(), handle); });
}
JET_ERR JET_API JetCloseFileInstance(JET_INSTANCE instance, JET_HANDLE handle) {
  return guarded(__func__, [&] { return esent::api::close_file(resolve_instance(instance), handle); });
}

JET_ERR JET_API JetGetLogInfoA(JET_PSTR szz, JET_UINT32 cb_max, JET_UINT32* pcb_actual) {
  return guarded(__func__, [&] {
    return esent::api::log_info<char, JET_LOGINFO_A>(legacy_instance(), szz, cb_max, pcb_actual,
                                                     nullptr, false);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetGetLogInfo, JetGetLogInfoA);
JET_ERR JET_API JetGetLogInfoW(JET_PWSTR szz, JET_UINT32 cb_max, JET_UINT32* pcb_actual) {
  return guarded(__func__, [&] {
    return esent::api::log_info<JET_WCHAR, JET_LOGINFO_W>(legacy_instance(), szz, cb_max,
                                                          pcb_actual, nullptr, false);
  });
}
JET_ERR JET_API JetGetLogInfoInstanceA(JET_INSTANCE instance, JET_PSTR szz, JET_UINT32 cb_max,
                                       JET_UINT32* pcb_actual) {
  return guarded(__func__, [&] {
    return esent::api::log_info<char, JET_LOGINFO_A>(resolve_instance(instance), szz, cb_max,
                                                     pcb_actual, nullptr, false);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetGetLogInfoInstance, JetGetLogInfoInstanceA);
JET_ERR JET_API JetGetLogInfoInstanceW(JET_INSTANCE instance, JET_PWSTR szz, JET_UINT32 cb_max,
                                       JET_UINT32* pcb_actual) {
  return guarded(__func__, [&] {
    return esent::api::log_info<JET_WCHAR, JET_LOGINFO_W>(resolve_instance(instance), szz, cb_max,
                                                          pcb_actual, nullptr, false);
  });
}
JET_ERR JET_API JetGetLogInfoInstance2A(JET_INSTANCE instance, JET_PSTR szz, JET_UINT32 cb_max,
                                        JET_UINT32* pcb_actual, JET_LOGINFO_A* info) {
  return guarded(__func__, [&] {
    return esent::api::log_info(resolve_instance(instance), szz, cb_max, pcb_actual, info, false);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetGetLogInfoInstance2, JetGetLogInfoInstance2A);
JET_ERR JET_API JetGetLogInfoInstance2W(JET_INSTANCE instance, JET_PWSTR szz, JET_UINT32 cb_max,
                                        JET_UINT32* pcb_actual, JET_LOGINFO_W* info) {
  return guarded(__func__, [&] {
    return esent::api::log_info(resolve_instance(instance), szz, cb_max, pcb_actual, info, false);
  });
}
JET_ERR JET_API JetGetTruncateLogInfoInstanceA(JET_INSTANCE instance, JET_PSTR szz,
                                               JET_UINT32 cb_max, JET_UINT32* pcb_actual) {
  return guarded(__func__, [&] {
    return esent::api::log_info<char, JET_LOGINFO_A>(resolve_instance(instance), szz, cb_max,
                                                     pcb_actual, nullptr, true);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetGetTruncateLogInfoInstance, JetGetTruncateLogInfoInstanceA);
JET_ERR JET_API JetGetTruncateLogInfoInstanceW(JET_INSTANCE instance, JET_PWSTR szz,
                                               JET_UINT32 cb_max, JET_UINT32* pcb_actual) {
  return guarded(__func__, [&] {
    return esent::api::log_info<JET_WCHAR, JET_LOGINFO_W>(resolve_instance(instance), szz, cb_max,
                                                          pcb_actual, nullptr, true);
  });
}

JET_ERR JET_API JetTruncateLog(void) {
  return guarded(__func__, [&] { return esent::api::truncate_log(legacy_instance()); });
}
JET_ERR JET_API JetTruncateLogInstance(JET_INSTANCE instance) {
  return guarded(__func__, [&] { return esent::api::truncate_log(resolve_instance(instance)); });
}

JET_ERR JET_API JetEndExternalBackup(void) {
  return guarded(__func__, [&] {
    return esent::api::end_backup(legacy_instance(), JET_bitBackupEndNormal);
  });
}
JET_ERR JET_API JetEndExternalBackupInstance(JET_INSTANCE instance) {
  return guarded(__func__, [&] {
    return esent::api::end_backup(resolve_instance(instance), JET_bitBackupEndNormal);
  });
}
JET_ERR JET_API JetEndExternalBackupInstance2(JET_INSTANCE instance, JET_GRBIT grbit) {
  return guarded(__func__, [&] { return esent::api::end_backup(resolve_instance(instance), grbit); });
}

JET_ERR JET_API JetStopBackup(void) {
  return guarded(__func__, [&] { return esent::api::stop_backup(legacy_instance()); });
}
JET_ERR JET_API JetStopBackupInstance(JET_INSTANCE instance) {
  return guarded(__func__, [&] { return esent::api::stop_backup(resolve_instance(instance)); });
}

}  // extern "C"
