// Instances: create, init, term, stop, enumerate. See docs/compat.md for the semantics chosen
// where ESE's documentation is silent.
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "api/guard.h"
#include "api/handles.h"
#include "api/jet.h"
#include "api/strings.h"

namespace esent::api {
namespace {

constexpr JET_GRBIT kInitGrbits = JET_bitReplayIgnoreMissingDB | JET_bitRecoveryWithoutUndo |
                                  JET_bitTruncateLogsAfterRecovery | JET_bitReplayMissingMapEntryDB |
                                  JET_bitLogStreamMustExist | JET_bitReplayIgnoreLostLogs |
                                  JET_bitKeepDbAttachedAtEndOfRecovery;
// 0x8 is ESE's internal "stop and emit log" bit, accepted by esent.dll.
constexpr JET_GRBIT kStopServiceUndoable =
    JET_bitStopServiceBackgroundUserTasks | JET_bitStopServiceQuiesceCaches | 0x8;
constexpr JET_GRBIT kStopServiceGrbits = kStopServiceUndoable | JET_bitStopServiceResume;

template <typename Char>
Status create_instance(JET_INSTANCE* pinstance, const Char* name, const Char* display_name,
                       JET_GRBIT grbit) {
  if (pinstance == nullptr) return Error::kInvalidParameter;
  *pinstance = kInstanceNil;  // ESE's value on every failure
  if (grbit != 0) return Error::kInvalidGrbit;
  Result<std::string> name_utf8 = input_string(name);
  if (!name_utf8.ok()) return name_utf8.status();
  Result<std::string> display_utf8 = input_string(display_name);
  if (!display_utf8.ok()) return display_utf8.status();
  Result<engine::InstanceRef> created = registry().create_instance(*name_utf8, *display_utf8);
  if (!created.ok()) return created.status();
  *pinstance = created->handle;
  return Status::success();
}

// JetInit3's JET_RSTINFO: a restore map relocates databases named in the log; the status
// callback hears JET_snpRestore progress by log generation. A stop position or time (replay
// only up to there) is not built: kFeatureNotAvailable.
template <typename RstInfo>
Status read_restore_info(const RstInfo* info, JET_GRBIT grbit, engine::RecoveryOptions& out) {
  out.ignore_missing_databases = (grbit & JET_bitReplayIgnoreMissingDB) != 0;
  out.truncate_logs = (grbit & JET_bitTruncateLogsAfterRecovery) != 0;
  if (info == nullptr) return Status::success();
  if (info->cbStruct != sizeof(RstInfo)) return Error::kInvalidParameter;
  if (info->crstmap < 0 || (info->crstmap > 0 && info->rgrstmap == nullptr)) {
    return Error::kInvalidParameter;
  }
  const JET_LGPOS& stop = info->lgposStop;
  const JET_LOGTIME& stop_time = info->logtimeStop;
  if (stop.lGeneration != 0 || stop.isec != 0 || stop.ib != 0 || stop_time.bMonth != 0) {
    return Status(Error::kFeatureNotAvailable, "recovery stop positions");
  }
  for (JET_INT32 i = 0; i < info->crstmap; ++i) {
    const auto& entry = info->rgrstmap[i];
    if (entry.szDatabaseName == nullptr || entry.szNewDatabaseName == nullptr) {
      return Error::kInvalidParameter;
    }
    Result<std::string> from = input_path(entry.szDatabaseName);
    if (!from.ok()) return from.status();
    Result<std::string> to = input_path(entry.szNewDatabaseName);
    if (!to.ok()) return to.status();
    out.relocations.emplace_back(std::move(from).value(), std::move(to).value());
  }
  if (JET_PFNSTATUS callback = info->pfnStatus; callback != nullptr) {
    auto began = std::make_shared<bool>(false);
    out.progress = [callback, began](std::uint32_t done, std::uint32_t low,
                                     std::uint32_t high) -> Status {
      if (!*began) {
        *began = true;
        if (callback(0, JET_snpRestore, JET_sntBegin, nullptr) < 0) return Error::kCallbackFailed;
      }
      JET_SNPROG progress{sizeof(JET_SNPROG), done - low + 1, high - low + 1};
      if (callback(0, JET_snpRestore, JET_sntProgress, &progress) < 0) {
        return Error::kCallbackFailed;
      }
      if (done == high && callback(0, JET_snpRestore, JET_sntComplete, nullptr) < 0) {
        return Error::kCallbackFailed;
      }
      return Status::success();
    };
  }
  return Status::success();
}

template <typename RstInfo>
Status init_instance(JET_INSTANCE* pinstance, const RstInfo* restore_info, JET_GRBIT grbit) {
  if ((grbit & ~kInitGrbits) != 0) return Error::kInvalidGrbit;
  engine::RecoveryOptions recovery;
  ESENT_RETURN_IF_ERROR(read_restore_info(restore_info, grbit, recovery));

  // 0 and JET_instanceNil ask for the implicit (legacy) instance; in multi-instance mode
  // that is refused, as ESE's documentation requires a JetCreateInstance handle
  // (docs/compat.md).
  JET_INSTANCE given = pinstance == nullptr ? 0 : *pinstance;
  if (given == kInstanceNil) given = 0;
  Result<engine::InstanceRef> initialised = registry().init(given, recovery);
  if (initialised.ok()) {
    if (pinstance != nullptr) *pinstance = initialised->handle;
    return Status::success();
  }
  // A handle that no longer names an instance is cleared: ESE clears it when a failed
  // initialisation frees the instance.
  if (pinstance != nullptr && given != 0 && !registry().find_instance(given)) *pinstance = 0;
  return initialised.status();
}

// ESE does not validate JetTerm2's grbit: only JET_bitTermDirty, JET_bitTermAbrupt and
// JET_bitTermStopBackup change anything, every other value is a clean shutdown.
Status term_instance(JET_INSTANCE instance, JET_GRBIT grbit) {
  Result<engine::InstanceRef> ref = resolve_instance(instance);
  if (!ref.ok()) return ref.status();
  // JET_bitTermDirty: the databases are left as a crash would leave them (DirtyShutdown), and
  // ESE reports that it happened.
  const bool dirty = (grbit & JET_bitTermDirty) != 0;
  // A complete (neither abrupt nor dirty) shutdown waits for no one: a session still inside a
  // transaction makes it fail, changing nothing, as in ESE.
  if (!dirty && (grbit & JET_bitTermAbrupt) == 0 && registry().has_open_transactions(*ref)) {
    return Error::kTooManyActiveUsers;
  }
  // A complete shutdown refuses to end a backup in progress (the instance stays up and the
  // backup goes on); JET_bitTermAbrupt, JET_bitTermStopBackup and a dirty stop end it as aborted.
  const bool ends_backup = dirty || (grbit & (JET_bitTermAbrupt | JET_bitTermStopBackup)) != 0;
  ESENT_RETURN_IF_ERROR(registry().term_instance(*ref, dirty, /*refuse_backup=*/!ends_backup));
  if (dirty) return Error::kDirtyShutdown;
  return Status::success();
}

Status stop_service_instance(JET_INSTANCE instance, JET_GRBIT grbit) {
  if ((grbit & ~kStopServiceGrbits) != 0) return Error::kInvalidGrbit;
  Result<engine::InstanceRef> ref = resolve_instance(instance);
  if (!ref.ok()) return ref.status();
  engine::Instance& target = *ref->instance;
  if (!target.running()) return Error::kNotInitialized;
  if ((grbit & JET_bitStopServiceResume) != 0) return target.resume_service();
  if (grbit == JET_bitStopServiceAll) target.stop_service();
  target.event(engine::EventLevel::kInformation, "service stop requested by the client");
  return Status::success();
}

// JET_INSTANCE_INFO_A/W arrays live in one allocation with their strings, so JetFreeBuffer
// releases everything at once: the infos, then the database name pointer arrays, then the
// strings. Each attached database is listed with its path as both file and display name.
template <typename Info, typename Char>
Status get_instance_info(JET_UINT32* pcinstance_info, Info** painstance_info) {
  if (pcinstance_info == nullptr || painstance_info == nullptr) return Error::kInvalidParameter;
  *pcinstance_info = 0;
  *painstance_info = nullptr;
  std::vector<engine::InstanceRef> instances = registry().all_instances();
  if (instances.empty()) return Status::success();

  std::vector<std::vector<std::string>> databases(instances.size());
  std::size_t pointers = 0;
  std::size_t string_bytes = 0;
  std::vector<std::size_t> name_bytes;
  for (std::size_t i = 0; i < instances.size(); ++i) {
    Result<engine::Instance::Activity> activity =
        instances[i].instance->enter(engine::Admission::kIgnoreStopService);
    if (activity.ok()) {
      for (const engine::Attachment& attachment : instances[i].instance->databases().list()) {
        databases[i].push_back(attachment.path);
      }
    }
    Result<std::size_t> size = encoded_size_bytes<Char>(instances[i].instance->name());
    if (!size.ok()) return size.status();
    name_bytes.push_back(*size);
    string_bytes += *size;
    for (const std::string& path : databases[i]) {
      Result<std::size_t> path_size = encoded_size_bytes<Char>(path);
      if (!path_size.ok()) return path_size.status();
      string_bytes += 2 * *path_size;
    }
    pointers += 2 * databases[i].size();
  }
  const std::size_t bytes = instances.size() * sizeof(Info) + pointers * sizeof(Char*) + string_bytes;
  auto* block = static_cast<unsigned char*>(std::calloc(1, bytes));
  if (block == nullptr) return Error::kOutOfMemory;

  auto* infos = reinterpret_cast<Info*>(block);
  auto* pointer = reinterpret_cast<Char**>(block + instances.size() * sizeof(Info));
  unsigned char* strings = block + instances.size() * sizeof(Info) + pointers * sizeof(Char*);
  auto put_string = [&](const std::string& text, std::size_t size) -> Result<Char*> {
    auto* out = reinterpret_cast<Char*>(strings);
    ESENT_RETURN_IF_ERROR(output_string(text, out, size));
    strings += size;
    return out;
  };
  for (std::size_t i = 0; i < instances.size(); ++i) {
    Info& info = infos[i];
    info.hInstanceId = instances[i].handle;
    info.szInstanceName = nullptr;
    if (!instances[i].instance->name().empty()) {
      Result<Char*> name = put_string(instances[i].instance->name(), name_bytes[i]);
      if (!name.ok()) {
        std::free(block);
        return name.status();
      }
      info.szInstanceName = *name;
    } else {
      strings += name_bytes[i];
    }
    info.cDatabases = databases[i].size();
    info.szDatabaseFileName = databases[i].empty() ? nullptr : pointer;
    info.szDatabaseDisplayName = databases[i].empty() ? nullptr : pointer + databases[i].size();
    info.szDatabaseSLVFileName_Obsolete = nullptr;
    for (std::size_t d = 0; d < databases[i].size(); ++d) {
      Result<std::size_t> size = encoded_size_bytes<Char>(databases[i][d]);
      Result<Char*> file = put_string(databases[i][d], *size);
      Result<Char*> display = put_string(databases[i][d], *size);
      if (!file.ok() || !display.ok()) {
        std::free(block);
        return file.ok() ? display.status() : file.status();
      }
      info.szDatabaseFileName[d] = *file;
      info.szDatabaseDisplayName[d] = *display;
    }
    pointer += 2 * databases[i].size();
  }
  *pcinstance_info = static_cast<JET_UINT32>(instances.size());
  *painstance_info = infos;
  return Status::success();
}

}  // namespace
}  // namespace esent::api

using esent::Error;
using esent::Status;
using esent::api::guarded;

extern "C" {

JET_ERR JET_API JetCreateInstanceA(JET_INSTANCE* pinstance, JET_PCSTR szInstanceName) {
  return guarded(__func__, [&] {
    return esent::api::create_instance<char>(pinstance, szInstanceName, nullptr, 0);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetCreateInstance, JetCreateInstanceA);

JET_ERR JET_API JetCreateInstanceW(JET_INSTANCE* pinstance, JET_PCWSTR szInstanceName) {
  return guarded(__func__, [&] {
    return esent::api::create_instance<JET_WCHAR>(pinstance, szInstanceName, nullptr, 0);
  });
}

JET_ERR JET_API JetCreateInstance2A(JET_INSTANCE* pinstance, JET_PCSTR szInstanceName,
                                    JET_PCSTR szDisplayName, JET_GRBIT grbit) {
  return guarded(__func__, [&] {
    return esent::api::create_instance<char>(pinstance, szInstanceName, szDisplayName, grbit);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetCreateInstance2, JetCreateInstance2A);

JET_ERR JET_API JetCreateInstance2W(JET_INSTANCE* pinstance, JET_PCWSTR szInstanceName,
                                    JET_PCWSTR szDisplayName, JET_GRBIT grbit) {
  return guarded(__func__, [&] {
    return esent::api::create_instance<JET_WCHAR>(pinstance, szInstanceName, szDisplayName, grbit);
  });
}

JET_ERR JET_API JetInit(JET_INSTANCE* pinstance) {
  return guarded(__func__, [&] {
    return esent::api::init_instance<JET_RSTINFO_A>(pinstance, nullptr, 0);
  });
}

JET_ERR JET_API JetInit2(JET_INSTANCE* pinstance, JET_GRBIT grbit) {
  return guarded(__func__, [&] {
    return esent::api::init_instance<JET_RSTINFO_A>(pinstance, nullptr, grbit);
  });
}

JET_ERR JET_API JetInit3A(JET_INSTANCE* pinstance, JET_RSTINFO_A* prstInfo, JET_GRBIT grbit) {
  return guarded(__func__, [&] { return esent::api::init_instance(pinstance, prstInfo, grbit); });
}
ESENT_EXPORT_PLAIN_NAME(JetInit3, JetInit3A);

JET_ERR JET_API JetInit3W(JET_INSTANCE* pinstance, JET_RSTINFO_W* prstInfo, JET_GRBIT grbit) {
  return guarded(__func__, [&] { return esent::api::init_instance(pinstance, prstInfo, grbit); });
}

JET_ERR JET_API JetTerm(JET_INSTANCE instance) {
  return guarded(__func__, [&] { return esent::api::term_instance(instance, JET_bitTermAbrupt); });
}

JET_ERR JET_API JetTerm2(JET_INSTANCE instance, JET_GRBIT grbit) {
  return guarded(__func__, [&] { return esent::api::term_instance(instance, grbit); });
}

JET_ERR JET_API JetStopService(void) {
  return guarded(__func__, [&]() -> Status {
    esent::engine::InstanceRef legacy = esent::api::registry().current_legacy_instance();
    if (!legacy.instance) {
      return esent::api::registry().mode() == esent::engine::Mode::kMultiInstance
                 ? Error::kRunningInMultiInstanceMode
                 : Error::kInvalidParameter;
    }
    return esent::api::stop_service_instance(legacy.handle, JET_bitStopServiceAll);
  });
}

JET_ERR JET_API JetStopServiceInstance(JET_INSTANCE instance) {
  return guarded(__func__, [&] {
    return esent::api::stop_service_instance(instance, JET_bitStopServiceAll);
  });
}

JET_ERR JET_API JetStopServiceInstance2(JET_INSTANCE instance, const JET_GRBIT grbit) {
  return guarded(__func__, [&] { return esent::api::stop_service_instance(instance, grbit); });
}

JET_ERR JET_API JetGetInstanceInfoA(JET_UINT32* pcInstanceInfo, JET_INSTANCE_INFO_A** paInstanceInfo) {
  return guarded(__func__, [&] {
    return esent::api::get_instance_info<JET_INSTANCE_INFO_A, char>(pcInstanceInfo, paInstanceInfo);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetGetInstanceInfo, JetGetInstanceInfoA);

JET_ERR JET_API JetGetInstanceInfoW(JET_UINT32* pcInstanceInfo, JET_INSTANCE_INFO_W** paInstanceInfo) {
  return guarded(__func__, [&] {
    return esent::api::get_instance_info<JET_INSTANCE_INFO_W, JET_WCHAR>(pcInstanceInfo,
                                                                         paInstanceInfo);
  });
}

JET_ERR JET_API JetFreeBuffer(JET_PSTR pbBuf) {
  std::free(pbBuf);
  return JET_errSuccess;
}

}  // extern "C"
