// JetBackupInstance and JetBackup (A and W), and libesent's EsentVerifyBackup
// (include/esent_ext.h). The directory backup itself is backup/directory_backup.h; this file
// admits the call, checks the arguments and turns progress into JET_snpBackup callbacks
// (docs/backup-instance.md; the differences from ESE in docs/compat.md).
#include <atomic>
#include <memory>
#include <string>

#include "api/backup_call.h"
#include "api/guard.h"
#include "api/handles.h"
#include "api/jet.h"
#include "api/status_callback.h"
#include "api/strings.h"
#include "backup/directory_backup.h"
#include "engine/restore.h"
#include "util/path.h"

namespace esent::api {
namespace {

constexpr JET_GRBIT kBackupInstanceGrbits = JET_bitBackupIncremental | JET_bitBackupAtomic;

template <typename Char>
JET_ERR backup_instance(Result<engine::InstanceRef> ref, const Char* path, JET_GRBIT grbit,
                        JET_PFNSTATUS callback) {
  Result<BackupCall> call = enter_backup(std::move(ref));
  if (!call.ok()) return to_jet_err(call.status());
  if ((grbit & ~kBackupInstanceGrbits) != 0) return JET_errInvalidGrbit;
  if (call->backup == nullptr) return JET_errLoggingDisabled;
  Result<std::string> folder = input_path(path);
  if (!folder.ok()) return to_jet_err(folder.status());
  engine::Instance& instance = *call->ref.instance;
  backup::DirectoryBackupRequest request;
  if (!folder->empty()) request.folder = normalize_folder(*folder, instance.working_directory());
  request.incremental = (grbit & JET_bitBackupIncremental) != 0;
  request.atomic = (grbit & JET_bitBackupAtomic) != 0;
  request.create_folder = instance.param(engine::param_id::kCreatePathIfNotExist).number != 0;
  request.read_rate_limit = [&instance] {
    return instance.param(engine::param_id::kBackupReadBytesPerSecond).number;
  };
  request.keep_going = [&instance]() -> Status {
    if (instance.state() == engine::InstanceState::kTerminating) return Error::kTermInProgress;
    return Status::success();
  };
  request.warn = [&instance](const std::string& message) {
    instance.event(engine::EventLevel::kWarning, message);
  };
  StatusCallback status_callback(request.folder.empty() ? nullptr : callback, JET_snpBackup);
  request.progress = status_callback.progress();
  Status status = backup::backup_to_directory(*instance.file_system(), *call->backup, request);
  instance.event(status.ok() ? engine::EventLevel::kInformation : engine::EventLevel::kError,
                 request.folder.empty() ? "log truncation without a backup: " + status.to_string()
                 : status.ok() ? "backup to " + request.folder + " complete"
                               : "backup to " + request.folder + " failed: " + status.to_string());
  return status_callback.finish(status);
}

template <typename Char>
JET_ERR verify_backup(const Char* path, JET_PFNSTATUS callback) {
  if (path == nullptr) return JET_errInvalidParameter;
  Result<std::string> folder = input_path(path);
  if (!folder.ok()) return to_jet_err(folder.status());
  if (folder->empty()) return JET_errInvalidParameter;
  Result<engine::ParamValue> base_name = registry().get_param(nullptr, engine::param_id::kBaseName);
  Result<engine::ParamValue> legacy_bits = registry().get_param(nullptr, engine::param_id::kLegacyFileNames);
  if (!base_name.ok()) return to_jet_err(base_name.status());
  if (!legacy_bits.ok()) return to_jet_err(legacy_bits.status());
  log::LogNaming naming;
  naming.base_name = base_name->text;
  naming.legacy_bits = static_cast<std::uint32_t>(legacy_bits->number);
  std::shared_ptr<io::FileSystem> file_system = registry().file_system();
  Result<std::string> cwd = file_system->current_directory();
  if (!cwd.ok()) return to_jet_err(cwd.status());
  StatusCallback status_callback(callback, JET_snpBackup);
  std::function<Status(std::uint64_t, std::uint64_t)> progress = status_callback.progress();
  Status status = engine::verify_backup_directory(
      *file_system, normalize_folder(*folder, *cwd), naming,
      [&progress](std::uint32_t done, std::uint32_t total) -> Status {
        return progress ? progress(done, total) : Status::success();
      });
  return status_callback.finish(status);
}

}  // namespace
}  // namespace esent::api

using esent::api::guarded;

extern "C" {

JET_ERR JET_API JetBackupInstanceA(JET_INSTANCE instance, JET_PCSTR path, JET_GRBIT grbit,
                                   JET_PFNSTATUS pfn) {
  return esent::api::guarded_raw(__func__, [&] {
    return esent::api::backup_instance(esent::api::resolve_instance(instance), path, grbit, pfn);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetBackupInstance, JetBackupInstanceA);
JET_ERR JET_API JetBackupInstanceW(JET_INSTANCE instance, JET_PCWSTR path, JET_GRBIT grbit,
                                   JET_PFNSTATUS pfn) {
  return esent::api::guarded_raw(__func__, [&] {
    return esent::api::backup_instance(esent::api::resolve_instance(instance), path, grbit, pfn);
  });
}

JET_ERR JET_API JetBackupA(JET_PCSTR path, JET_GRBIT grbit, JET_PFNSTATUS pfn) {
  return esent::api::guarded_raw(__func__, [&] {
    return esent::api::backup_instance(esent::api::legacy_instance(), path, grbit, pfn);
  });
}
ESENT_EXPORT_PLAIN_NAME(JetBackup, JetBackupA);
JET_ERR JET_API JetBackupW(JET_PCWSTR path, JET_GRBIT grbit, JET_PFNSTATUS pfn) {
  return esent::api::guarded_raw(__func__, [&] {
    return esent::api::backup_instance(esent::api::legacy_instance(), path, grbit, pfn);
  });
}

JET_ERR JET_API EsentVerifyBackupA(JET_PCSTR path, JET_PFNSTATUS pfn) {
  return esent::api::guarded_raw(__func__, [&] { return esent::api::verify_backup(path, pfn); });
}
JET_ERR JET_API EsentVerifyBackupW(JET_PCWSTR path, JET_PFNSTATUS pfn) {
  return esent::api::guarded_raw(__func__, [&] { return esent::api::verify_backup(path, pfn); });
}

}  // extern "C"
