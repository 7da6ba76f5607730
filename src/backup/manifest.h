// The manifest of a backup directory written by JetBackupInstance (docs/format/backup.md):
// `esent-backup.manifest`, a text file naming every file of the backup with its size and
// XXH3-64. It is written last, through a temporary name renamed into place, so a directory
// whose manifest exists holds a complete backup, and exactly the files it lists belong to it.
//
//   esent-backup-manifest 1
//   <size in bytes> <XXH3-64, 16 lowercase hex digits> <file name>
//   ...
//
// Pure functions of the files; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "io/file_system.h"
#include "util/status.h"

namespace esent::backup {

inline constexpr char kManifestName[] = "esent-backup.manifest";

struct ManifestEntry {
  std::uint64_t size_bytes = 0;
  std::uint64_t checksum = 0;  // XXH3-64, seed 0, of the whole file
};

// File name → entry, in name order.
using Manifest = std::map<std::string, ManifestEntry>;

// Whether `name` may appear in a manifest: one file name of the folder — not empty, not "." or
// "..", without '/' or NUL.
bool is_manifest_file_name(const std::string& name);

std::string encode_manifest(const Manifest& manifest);
// A text that is not a manifest of this version, or that names anything but a plain file name
// of its folder (is_manifest_file_name) → kInvalidBackup.
Result<Manifest> decode_manifest(const std::string& text);

// Reads `folder`/esent-backup.manifest. Missing → kFileNotFound.
Result<Manifest> read_manifest(io::FileSystem& file_system, const std::string& folder);

// Writes `manifest` as `folder`/esent-backup.manifest through a temporary file: created fresh
// (io::create_fresh_file: a stale temporary is replaced, a symbolic link there refused with
// kFileAccessDenied), written, synced, renamed, the folder synced.
Status write_manifest(io::FileSystem& file_system, const std::string& folder, const Manifest& manifest);

// Size and XXH3-64 of a file, read whole.
Result<ManifestEntry> describe_file(io::FileSystem& file_system, const std::string& path);

// Every listed file of `folder` exists with its size and checksum: a name that is not a plain
// file name (is_manifest_file_name) → kInvalidBackup, without opening anything; a missing one →
// kFileNotFound; a size or checksum that differs → kLogReadVerifyFailure for the names `is_log`
// accepts, else kReadVerifyFailure.
Status check_manifest(io::FileSystem& file_system, const std::string& folder, const Manifest& manifest,
                      const std::function<bool(const std::string& name)>& is_log);

}  // namespace esent::backup
