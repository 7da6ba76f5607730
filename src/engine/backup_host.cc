#include "engine/backup_host.h"

namespace esent::engine {

std::vector<backup::AttachedDatabase> BackupHost::attached_databases() {
  std::vector<backup::AttachedDatabase> out;
  for (const Attachment& attachment : databases_.list()) {
    // Read-only attachments are not logged: ESE does not list unlogged databases.
    if (attachment.database->read_only()) continue;
    out.push_back(backup::AttachedDatabase{attachment.dbid, attachment.path, attachment.database});
  }
  return out;
}

Status BackupHost::record_backup_mark(backup::MarkKind kind, const log::BackupMark& mark) {
  switch (kind) {
    case backup::MarkKind::kFull:
      return log_.record_backup_mark(&log::CheckpointData::full_backup, mark);
    case backup::MarkKind::kIncremental:
      return log_.record_backup_mark(&log::CheckpointData::incremental_backup, mark);
    case backup::MarkKind::kDifferential:
      return log_.record_backup_mark(&log::CheckpointData::differential_backup, mark);
    case backup::MarkKind::kCopy:
      return log_.record_backup_mark(&log::CheckpointData::copy_backup, mark);
  }
  return Error::kInternalError;
}

}  // namespace esent::engine
