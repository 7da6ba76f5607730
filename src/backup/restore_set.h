// A backup set, read and checked before restore overwrites anything (docs/restore.md).
//
// A set is what a streaming backup client wrote: database images (the database's pages plus a
// trailer page, docs/format/backup.md) and log files under their archived names, in one folder
// (JetRestore), or images the client placed itself plus a folder of logs (JetExternalRestore,
// JetInit3 with a restore map). Checks, with ESE's errors:
//   logs:   none, or a generation missing in the middle → kFileNotFound; two signatures →
//           kGivenLogFileHasBadSignature; a file whose previous-generation time is not its
//           predecessor's creation time → kGivenLogFileIsNotContiguous; every sector of every
//           file verified (log/log_reader.h verify_file errors);
//   images: a database header without a backup mark → kRestoreOfNonBackupDatabase; a header
//           that does not verify, a trailer missing, cut or damaged → kDatabaseCorrupted; header
//           and trailer disagreeing (signature, mark, first generation, size) or an image of
//           another log set → kDatabasePatchFileMismatch; needing a generation below the set's
//           first → kStartingRestoreLogTooHigh, above its last → kEndingRestoreLogTooLow; a page
//           that does not verify (while copied) → kReadVerifyFailure / kReadPgnoVerifyFailure;
//   the instance's own log folder, continuing the set: another signature →
//           kExistingLogFileHasBadSignature; a generation both hold that differs, or a folder
//           whose logs end before the set's last → kExistingLogFileIsNotContiguous; a gap
//           between the set's last generation and the folder's first → kMissingCurrentLogFiles.
// Nothing here writes except copy_image (to the target it is given) and strip_trailer.
//
// Pure functions of the files; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "backup/trailer.h"
#include "io/file_system.h"
#include "log/log_config.h"
#include "log/log_reader.h"
#include "page/database_header.h"
#include "util/status.h"

namespace esent::backup {

struct Image {
  std::string path;       // where the image is
  std::string file_name;  // its last path component
  page::DatabaseHeader header;
  Trailer trailer;
  std::uint64_t bytes() const {
    return std::uint64_t{trailer.database_pages} * header.page_size_bytes;
  }
};

// Reads the image at `path`: header, trailer, and their agreement. kInvalidDatabase when the
// file is not a database at all (the caller decides whether that is an error).
Result<Image> read_image(io::FileSystem& file_system, const std::string& path);

// Every image in `folder`: the files that are not logs, checkpoints, reserve logs or patch
// files and whose first page is a database header. Files of other kinds are skipped.
// `listed` (may be empty: every file) limits the files considered to those it accepts (a
// backup directory's manifest).
using FileFilter = std::function<bool(const std::string& name)>;
Result<std::vector<Image>> find_images(io::FileSystem& file_system, const std::string& folder,
                                       const FileFilter& listed = {});

// The logs of `config.directory` (the backup folder), limited to [low, high] when those are
// not 0, each verified whole. Every file is reported as archived (never as the current log),
// so nothing continues writing into the backup folder.
Result<log::LogSet> read_backup_logs(io::FileSystem& file_system, const log::LogConfig& config,
                                     std::uint32_t low = 0, std::uint32_t high = 0,
                                     const FileFilter& listed = {});

// The image belongs to `logs` and `logs` cover what it needs.
Status check_image_against_logs(const Image& image, const log::LogSet& logs);

// The backup's logs followed by the newer ones of the instance's log folder (`existing`, as
// log::scan found it), checked as described above. `existing` empty → `backup` as it is.
Result<log::LogSet> continue_with(const log::LogSet& backup, const log::LogSet& existing);

// Copies the image's database pages (the trailer left out) to `target` (created fresh by
// io::create_fresh_file: a stale regular file replaced, a symbolic link refused with
// kFileAccessDenied and never followed), verifying every page, then syncs it. `progress` (may be empty) hears the bytes
// done so far; its error stops the copy. The caller renames `target` into place.
Status copy_image(io::FileSystem& file_system, const Image& image, const std::string& target,
                  const std::function<Status(std::uint64_t bytes)>& progress);

// Verifies every page of an image where it lies (JetExternalRestore: the client placed it).
Status verify_image(io::FileSystem& file_system, const Image& image,
                    const std::function<Status(std::uint64_t bytes)>& progress);

// Cuts the trailer off an image that is restored where it lies, and syncs.
Status strip_trailer(io::FileSystem& file_system, const Image& image);

}  // namespace esent::backup
