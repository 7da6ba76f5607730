// JetBackupInstance: a whole backup into a directory in one call, built on the streaming
// backup (backup.h) the way a careful client would drive it (docs/backup-instance.md).
//
// Layouts (ESE's names):
//   full, not atomic         <dir>/{images, logs, manifest}; <dir> must be empty
//                            (kBackupDirectoryNotEmpty).
//   incremental, not atomic  logs added to <dir> (which must not hold `new` or `old`:
//                            kBackupDirectoryNotEmpty), the manifest extended.
//   full, atomic             the backup is <dir>/new; a previous <dir>/new becomes <dir>/old
//                            first and is removed once the new one is complete.
//   incremental, atomic      logs added to the newest complete backup, <dir>/new, else
//                            <dir>/old (neither: kMissingFullBackup).
// Every run stages its files in <dir>/temp (a stale one is removed first; creating it fails →
// kMakeBackupDirectoryFail): each file written, synced, and only then promoted by rename —
// atomic full: temp renamed to new; otherwise each file renamed into place (the manifest
// last), the folders synced. The manifest (manifest.h) is the commit point: a backup is what
// its manifest lists. So a failure leaves no file of the failed backup where a backup lives,
// and a crash at any moment leaves the previous backup (or the new one) complete: atomic
// full — <dir>/new, or <dir>/old while new is being replaced; an incremental adds complete log
// files before the manifest that names them.
//
// Order: begin (the streaming backup: kBackupInProgress, kMissingFullBackup, kInvalidBackup,
// kLogDiskFull ...), prepare the directory, stream the databases (full) then the logs — every
// page and log sector verified by the streams — promote, then record the backup in the headers
// and the checkpoint, truncate the logs no longer needed, end (Backup::record_truncate_and_end:
// recorded before anything is deleted, so no crash leaves headers naming logs that are gone). Any failure before the end: the
// backup is ended as aborted (nothing recorded, nothing truncated), the staged files removed.
// After the promotion, removing the replaced backup (<dir>/old) is housekeeping: a failure there
// is a warning, and the next atomic backup removes what is left. A failed recording or
// truncation after the promotion fails the call with the backup left in place (recorded when
// the headers could be written; if not, nothing was deleted).
//
// Safety: the folder the caller names may itself be a symbolic link (the caller chose it), but
// nothing inside it is followed. A symbolic link at any entry this code manages — temp, new, old,
// the manifest, a file about to be replaced by a promoted one — is refused with
// kBackupDirectoryNotEmpty (the folder holds something the engine did not make), checked before
// the backup begins and again before each step that would list, remove, rename, read or write
// through it; so a folder that is a link is never listed or emptied. Staged files (and the
// manifest's temporary) are created fresh (io::create_fresh_file: exclusive and no-follow; a stale
// regular file of ours is removed first); a link planted between the checks and the open is
// refused by the open (kFileAlreadyExists). Unlinking an entry never follows it. What remains is
// a race against someone who can write into the backup folder while the backup runs and swaps a
// checked folder for a link between the check and the call: the engine's calls are path-based,
// so that window is narrowed, not closed; the backup folder must not be writable by others.
//
// Progress: `progress(done, total)` in bytes; total is fixed at the start (the databases' sizes
// plus the logs on disk from the backup's first generation, one more for the roll) and done
// never passes it; the last call has done == total. An error from it (or from `terminating`)
// stops the backup as a failure.
//
// Not thread-safe: one call at a time per Backup (the streaming backup it drives refuses a
// second).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "backup/backup.h"
#include "io/file_system.h"
#include "util/status.h"

namespace esent::backup {

struct DirectoryBackupRequest {
  std::string folder;  // absolute, normalized; empty: only truncate the logs below the checkpoint
  bool incremental = false;
  bool atomic = false;
  bool create_folder = false;  // JET_paramCreatePathIfNotExist
  // Bytes per second the reads may reach (0: unlimited); asked before every read.
  std::function<std::uint64_t()> read_rate_limit;
  // Asked before every read: an error stops the backup (the instance is terminating, ...).
  std::function<Status()> keep_going;
  std::function<Status(std::uint64_t done, std::uint64_t total)> progress;
  // Housekeeping that failed without failing the backup (may be empty).
  std::function<void(const std::string& message)> warn;
};

Status backup_to_directory(io::FileSystem& file_system, Backup& backup,
                           const DirectoryBackupRequest& request);

// The backup a directory holds: `folder` itself when it has a manifest or logs, else
// `folder`/new, else `folder`/old (JetBackupInstance's atomic layout); `folder` when none has.
Result<std::string> locate_backup(io::FileSystem& file_system, const std::string& folder);

}  // namespace esent::backup
