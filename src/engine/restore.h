// Restore: a streamed backup set back into place, its logs replayed and rolled forward
// (JetRestoreInstance, JetRestore2, JetExternalRestore2; JetInit3 with a map onto backup
// copies). ESE's behaviour is in shared/reference/backup-semantics.md §6; ours in
// docs/restore.md.
//
//   1. Check the set (backup/restore_set.h): the backup folder's logs (contiguous, one
//      signature, every sector verified), the images (header and trailer, against the logs),
//      and the instance's log folder continuing the backup's last generation (its newer logs
//      verified too). Nothing has been written yet when any of these fails.
//   2. Put the images in place: JetRestore copies each to `<destination>/<file name>` or to
//      the path recorded in its trailer, verifying every page, through `<target>.restoring`
//      renamed over the target once every copy succeeded (so a failed restore leaves the
//      targets as they were). JetExternalRestore verifies the images the client placed and
//      cuts their trailers off.
//   3. Recovery (engine/recovery.h, RecoveryOptions::restore) replays from the checkpoint the
//      backup began at, through the backup's logs and on through the log folder's newer
//      ones; databases not in the set are ignored; unfinished transactions are undone; the
//      restored databases close clean, their backup marks cleared; a checkpoint at the end of
//      the log is written. The log continues in the instance's log folder.
// The backup folder is only read. A restore interrupted at any point can be run again: the
// images are copied afresh and replay is idempotent.
//
// Progress: `progress(done, total)` with total 100: copying the images takes the first 10
// units (by bytes), replay the other 90 (by generation); an error from it stops the restore.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cache/buffer_cache.h"
#include "engine/instance_log.h"
#include "engine/recovery.h"
#include "io/file_system.h"
#include "log/log_writer.h"
#include "util/status.h"

namespace esent::engine {

inline constexpr std::uint32_t kRestoreProgressTotal = 100;

struct RestoreRequest {
  // The backup's logs; for JetRestore also its images.
  std::string backup_folder;
  // szDest: images go to `destination_folder/<image file name>`; empty: to their original
  // paths.
  std::string destination_folder;
  // JetExternalRestore: the images the client placed, as (original path, image path); they
  // are restored where they lie. Empty with `external` false: images are found in
  // backup_folder.
  bool external = false;
  std::vector<std::pair<std::string, std::string>> placed_images;
  // The backup's generations to use (0: from the first / to the last present).
  std::uint32_t generation_low = 0;
  std::uint32_t generation_high = 0;
  bool create_folders = false;  // JET_paramCreatePathIfNotExist: szDest may be created
  // JetExternalRestore(2): the log folder, the checkpoint's folder and the log base name to
  // use instead of the instance's parameters (empty: the parameter); these folders are created
  // when missing.
  std::string log_folder;
  std::string system_folder;
  std::string base_name;
  std::function<Status(std::uint32_t done, std::uint32_t total)> progress;
};

// Runs a restore with the instance's log settings; returns the log writer recovery ended with
// (the caller closes it: the instance is left uninitialised).
Result<std::unique_ptr<log::LogWriter>> restore(io::FileSystem& file_system,
                                                cache::BufferCache& cache,
                                                const LogSettings& settings,
                                                const RestoreRequest& request,
                                                RecoveryStatistics* statistics = nullptr);

// EsentVerifyBackup (include/esent_ext.h): the checks a restore makes before it writes
// anything, on a directory written by JetBackupInstance (`folder`, else folder/new, else
// folder/old), writing nothing: its manifest (missing → kFileNotFound; a listed file missing →
// kFileNotFound, differing → kReadVerifyFailure / kLogReadVerifyFailure), every log sector and
// every image page verified, the images fitting the logs (restore's errors). The log file size
// is taken from the logs themselves. `progress` (may be empty) hears (files done, files).
Status verify_backup_directory(io::FileSystem& file_system, const std::string& folder,
                               const log::LogNaming& naming,
                               const std::function<Status(std::uint32_t done, std::uint32_t total)>& progress);

// JetInit3: relocation targets that are streamed backup copies (the client placed them; their
// logs are in the instance's log folder) are verified, their trailers cut off, and
// `options.restore` set so recovery restores them (the instance's other databases recover as
// usual). No such target: nothing changes.
Status plan_init_restore(io::FileSystem& file_system, const LogSettings& settings,
                         RecoveryOptions& options);

}  // namespace esent::engine
