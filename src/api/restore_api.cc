// The restore API: JetRestore(2), JetRestoreInstance, JetExternalRestore(2), A and W. The
// steps and checks live in engine/restore.h; this file converts the arguments, picks the
// instance, and turns progress into JET_snpRestore callbacks (docs/restore.md, docs/compat.md).
#include <memory>
#include <string>
#include <utility>

#include "api/guard.h"
#include "api/handles.h"
#include "api/jet.h"
#include "api/strings.h"

namespace esent::api {
namespace {

// JET_snpRestore: sntBegin before the first progress, sntProgress with JET_SNPROG for each
// step, sntComplete once the restore is done. An error from the callback stops the restore
// (kCallbackFailed).
std::function<Status(std::uint32_t, std::uint32_t)> status_callback(JET_PFNSTATUS callback) {
  if (callback == nullptr) return {};
  auto began = std::make_shared<bool>(false);
  return [callback, began](std::uint32_t done, std::uint32_t total) -> Status {
    if (!*began) {
      *began = true;
      if (callback(0, JET_snpRestore, JET_sntBegin, nullptr) < 0) return Error::kCallbackFailed;
    }
    JET_SNPROG progress{sizeof(JET_SNPROG), done, total};
    if (callback(0, JET_snpRestore, JET_sntProgress, &progress) < 0) return Error::kCallbackFailed;
    if (done == total && callback(0, JET_snpRestore, JET_sntComplete, nullptr) < 0) {
      return Error::kCallbackFailed;
    }
    return Status::success();
  };
}

std::uint64_t instance_handle(JET_INSTANCE instance) {
  return instance == kInstanceNil ? 0 : static_cast<std::uint64_t>(instance);
}

template <typename Char>
Status restore(JET_INSTANCE instance, bool legacy, const Char* backup, const Char* destination,
               JET_PFNSTATUS callback) {
  if (backup == nullptr) return Error::kInvalidParameter;
  engine::RestoreRequest request;
  Result<std::string> folder = input_path(backup);
  if (!folder.ok()) return folder.status();
  if (folder->empty()) return Error::kInvalidParameter;
  request.backup_folder = std::move(folder).value();
  Result<std::string> dest = input_path(destination);
  if (!dest.ok()) return dest.status();
  request.destination_folder = std::move(dest).value();
  request.progress = status_callback(callback);
  return registry().restore(instance_handle(instance), legacy, std::move(request));
}

template <typename Char, typename RstMap>
Status external_restore(const Char* checkpoint_folder, const Char* log_folder, const RstMap* map,
                        JET_INT32 map_count, const Char* backup_log_folder, JET_INT32 low,
                        JET_INT32 high, const Char* base_name, JET_PFNSTATUS callback) {
  if (map_count <= 0 || map == nullptr || backup_log_folder == nullptr || low < 0 || high < 0 ||
      (high != 0 && high < low)) {
    return Error::kInvalidParameter;
  }
  engine::RestoreRequest request;
  request.external = true;
  for (JET_INT32 i = 0; i < map_count; ++i) {
    if (map[i].szDatabaseName == nullptr || map[i].szNewDatabaseName == nullptr) {
      return Error::kInvalidParameter;
    }
    Result<std::string> original = input_path(map[i].szDatabaseName);
    if (!original.ok()) return original.status();
    Result<std::string> placed = input_path(map[i].szNewDatabaseName);
    if (!placed.ok()) return placed.status();
    request.placed_images.emplace_back(std::move(original).value(), std::move(placed).value());
  }
  for (auto [text, out] : {std::pair{backup_log_folder, &request.backup_folder},
                           std::pair{log_folder, &request.log_folder},
                           std::pair{checkpoint_folder, &request.system_folder},
                           std::pair{base_name, &request.base_name}}) {
    Result<std::string> converted = input_path(text);
    if (!converted.ok()) return converted.status();
    *out = std::move(converted).value();
  }
  if (request.backup_folder.empty()) return Error::kInvalidParameter;
  request.generation_low = static_cast<std::uint32_t>(low);
  request.generation_high = static_cast<std::uint32_t>(high);
  request.progress = status_callback(callback);
  return registry().restore(0, false, std::move(request));
}

template <typename Char, typename RstMap, typename LogInfo>
Status external_restore2(const Char* checkpoint_folder, const Char* log_folder, const RstMap* map,
                         JET_INT32 map_count, const Char* backup_log_folder, LogInfo* info,
                         const Char* target_name, const Char* target_log_folder,
                         const Char* target_checkpoint_folder, JET_PFNSTATUS callback) {
  if (info == nullptr || info->cbSize != sizeof(LogInfo)) return Error::kInvalidParameter;
  if (target_name != nullptr || target_log_folder != nullptr || target_checkpoint_folder != nullptr) {
    return Status(Error::kFeatureNotAvailable, "restore into a running target instance");
  }
  if (info->ulGenLow > 0x7fffffffu || info->ulGenHigh > 0x7fffffffu) return Error::kInvalidParameter;
  return external_restore(checkpoint_folder, log_folder, map, map_count, backup_log_folder,
                          static_cast<JET_INT32>(info->ulGenLow), static_cast<JET_INT32>(info->ulGenHigh),
                          static_cast<const Char*>(info->szBaseName), callback);
}

}  // namespace
}  // namespace esent::api

using esent::api::guarded;

extern "C" {

JET_ERR JET_API JetRestoreA(JET_PCSTR source, JET_PFNSTATUS pfn) {
  return guarded(__func__, [&] { return esent::api::restore<char>(0, true, source, nullptr, pfn); });
}
ESENT_EXPORT_PLAIN_NAME(JetRestore, JetRestoreA);
JET_ERR JET_API JetRestoreW(JET_PCWSTR source, JET_PFNSTATUS pfn) {
  return guarded(__func__, [&] { return esent::api::restore<JET_WCHAR>(0, true, source, nullptr, pfn); });
}

JET_ERR JET_API JetRestore2A(JET_PCSTR sz, JET_PCSTR dest, JET_PFNSTATUS pfn) {
  return guarded(__func__, [&] { return esent::api::restore<char>(0, true, sz, dest, pfn); });
}
ESENT_EXPORT_PLAIN_NAME(JetRestore2, JetRestore2A);
JET_ERR JET_API JetRestore2W(JET_PCWSTR sz, JET_PCWSTR dest, JET_PFNSTATUS pfn) {
  return guarded(__func__, [&] { return esent::api::restore<JET_WCHAR>(0, true, sz, dest, pfn); });
}

JET_ERR JET_API JetRestoreInstanceA(JET_INSTANCE instance, JET_PCSTR sz, JET_PCSTR dest,
                                    JET_PFNSTATUS pfn) {
  return guarded(__func__, [&] { return esent::api::restore<char>(instance, false, sz, dest, pfn); });
}
ESENT_EXPORT_PLAIN_NAME(JetRestoreInstance, JetRestoreInstanceA);
JET_ERR JET_API JetRestoreInstanceW(JET_INSTANCE instance, JET_PCWSTR sz, JET_PCWSTR dest,
                                    JET_PFNSTATUS pfn) {
  return guarded(__func__, [&] { return esent::api::restore<JET_WCHAR>(instance, false, sz, dest, pfn); });
}

JET_ERR JET_API JetExternalRestoreA(JET_PSTR checkpoint, JET_PSTR log, JET_RSTMAP_A* map,
                                    JET_INT32 count, JET_PSTR backup_logs, JET_INT32 low,
                                    JET_INT32 high, JET_PFNSTATUS pfn) {
  return guarded(__func__, [&] {
    return esent::api::external_restore<char>(checkpoint, log, map, count, backup_logs, low, high,
                                              nullptr, pfn);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetExternalRestore, JetExternalRestoreA);
JET_ERR JET_API JetExternalRestoreW(JET_PWSTR checkpoint, JET_PWSTR log, JET_RSTMAP_W* map,
                                    JET_INT32 count, JET_PWSTR backup_logs, JET_INT32 low,
                                    JET_INT32 high, JET_PFNSTATUS pfn) {
  return guarded(__func__, [&] {
    return esent::api::external_restore<JET_WCHAR>(checkpoint, log, map, count, backup_logs, low,
                                                   high, nullptr, pfn);
  });
}

JET_ERR JET_API JetExternalRestore2A(JET_PSTR checkpoint, JET_PSTR log, JET_RSTMAP_A* map,
                                     JET_INT32 count, JET_PSTR backup_logs, JET_LOGINFO_A* info,
                                     JET_PSTR target_name, JET_PSTR target_log,
                                     JET_PSTR target_checkpoint, JET_PFNSTATUS pfn) {
  return guarded(__func__, [&] {
    return esent::api::external_restore2<char>(checkpoint, log, map, count, backup_logs, info,
                                               target_name, target_log, target_checkpoint, pfn);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetExternalRestore2, JetExternalRestore2A);
JET_ERR JET_API JetExternalRestore2W(JET_PWSTR checkpoint, JET_PWSTR log, JET_RSTMAP_W* map,
                                     JET_INT32 count, JET_PWSTR backup_logs, JET_LOGINFO_W* info,
                                     JET_PWSTR target_name, JET_PWSTR target_log,
                                     JET_PWSTR target_checkpoint, JET_PFNSTATUS pfn) {
  return guarded(__func__, [&] {
    return esent::api::external_restore2<JET_WCHAR>(checkpoint, log, map, count, backup_logs, info,
                                                    target_name, target_log, target_checkpoint, pfn);
  });
}

}  // extern "C"
