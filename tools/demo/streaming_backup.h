// The demonstration's streaming backups: a full or incremental online backup of a live
// instance, driven exactly as a backup application drives esent.dll, while the writer commits.
#pragma once

#include <esent.h>

#include <cstdint>
#include <string>

#include "workload.h"

namespace demo {

struct BackupReport {
  int databases = 0;
  int logs = 0;
  std::uint64_t database_bytes = 0;
  std::uint64_t log_bytes = 0;
  double database_seconds = 0;  // JetBeginExternalBackupInstance to the last database byte
  double seconds = 0;           // the whole backup, Begin to End
  // The writer's last acknowledged id just before JetGetLogInfoInstance: that commit and every
  // earlier one are in the set.
  int acknowledged_before_log_info = -1;
  int writer_commits = 0;  // durable commits the writer made during the backup
};

// Streams a full (every attached database, then the logs) or incremental (the logs only)
// backup of `instance` into `target` (created): JetBeginExternalBackupInstance,
// JetGetAttachInfoInstance, JetOpenFileInstance / JetReadFileInstance / JetCloseFileInstance,
// JetGetLogInfoInstance, JetTruncateLogInstance, JetEndExternalBackupInstance2. Prints each call
// and the database's progress; returns the number of failures.
int stream_backup(JET_INSTANCE instance, bool incremental, const std::string& target, const Writer& writer,
                  BackupReport* report);

}  // namespace demo
