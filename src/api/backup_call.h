// Admitting a backup call (the streaming API, backup_api.cc, and JetBackupInstance,
// backup_instance_api.cc): the instance resolved and entered, ESE's error while JetInit runs.
#pragma once

#include "api/handles.h"
#include "backup/backup.h"
#include "engine/registry.h"
#include "util/status.h"

namespace esent::api {

// An admitted backup call. Member order: the admission is released after the use of `backup`.
struct BackupCall {
  engine::InstanceRef ref;
  engine::Instance::Activity activity;
  backup::Backup* backup = nullptr;  // null with JET_paramRecovery "off"
};

// The instance of a legacy (instance-less) function: the one of one-instance mode.
inline Result<engine::InstanceRef> legacy_instance() {
  engine::InstanceRef legacy = registry().current_legacy_instance();
  if (legacy.instance) return legacy;
  if (registry().mode() == engine::Mode::kMultiInstance) return Error::kRunningInMultiInstanceMode;
  return Error::kNotInitialized;
}

inline Result<BackupCall> enter_backup(Result<engine::InstanceRef> ref,
                                engine::Admission admission = engine::Admission::kNormal) {
  if (!ref.ok()) return ref.status();
  Result<engine::Instance::Activity> activity = ref->instance->enter(admission);
  if (!activity.ok()) {
    // JetInit (recovery) has not finished: ESE's backup is not allowed yet.
    if (activity.status().error() == Error::kInitInProgress) return Error::kBackupNotAllowedYet;
    return activity.status();
  }
  backup::Backup* backup = ref->instance->backup();
  return BackupCall{std::move(ref).value(), std::move(activity).value(), backup};
}

}  // namespace esent::api
