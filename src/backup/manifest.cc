// The manifest (format in manifest.h and docs/format/backup.md). Its names are checked on the way
// in (decode_manifest) and again before a file is opened (check_manifest): a name is one plain
// file name of the backup folder, so verifying or restoring a backup never reads outside it.
#include "backup/manifest.h"

#include <cinttypes>
#include <cstdio>
#include <sstream>
#include <vector>

#include "log/log_names.h"
#include "util/checksum.h"

namespace esent::backup {

namespace {

constexpr char kMagicLine[] = "esent-backup-manifest 1";
constexpr char kTemporarySuffix[] = ".tmp";
constexpr std::size_t kReadChunkBytes = 1u << 20;

}  // namespace

bool is_manifest_file_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
         name.find('\0') == std::string::npos;
}

std::string encode_manifest(const Manifest& manifest) {
  std::string text = std::string(kMagicLine) + "\n";
  for (const auto& [name, entry] : manifest) {
    char line[64];
    std::snprintf(line, sizeof line, "%" PRIu64 " %016" PRIx64 " ", entry.size_bytes, entry.checksum);
    text += line + name + "\n";
  }
  return text;
}

Result<Manifest> decode_manifest(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line != kMagicLine) {
    return Status(Error::kInvalidBackup, "not a backup manifest");
  }
  Manifest manifest;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const std::size_t first = line.find(' ');
    const std::size_t second = first == std::string::npos ? first : line.find(' ', first + 1);
    if (second == std::string::npos || second - first != 17 || second + 1 >= line.size()) {
      return Status(Error::kInvalidBackup, "a manifest line does not parse: " + line);
    }
    ManifestEntry entry;
    char* end = nullptr;
    entry.size_bytes = std::strtoull(line.c_str(), &end, 10);
    if (end != line.c_str() + first) return Status(Error::kInvalidBackup, "bad size: " + line);
    entry.checksum = std::strtoull(line.c_str() + first + 1, &end, 16);
    if (end != line.c_str() + second) return Status(Error::kInvalidBackup, "bad checksum: " + line);
    std::string name = line.substr(second + 1);
    if (!is_manifest_file_name(name)) {
      return Status(Error::kInvalidBackup, "a manifest names a file outside its folder: " + line);
    }
    manifest[std::move(name)] = entry;
  }
  return manifest;
}

Result<Manifest> read_manifest(io::FileSystem& file_system, const std::string& folder) {
  const std::string path = log::join_log_path(folder, kManifestName);
  Result<std::unique_ptr<io::File>> file = file_system.open_file(path, io::OpenOptions{});
  if (!file.ok()) return file.status();
  Result<std::uint64_t> size = (*file)->size();
  if (!size.ok()) return size.status();
  if (*size > (std::uint64_t{64} << 20)) return Status(Error::kInvalidBackup, path + " is too large");
  std::string text(static_cast<std::size_t>(*size), '\0');
  Result<std::size_t> read = (*file)->read_at(0, std::as_writable_bytes(std::span(text)));
  if (!read.ok()) return read.status();
  text.resize(*read);
  return decode_manifest(text);
}

Status write_manifest(io::FileSystem& file_system, const std::string& folder, const Manifest& manifest) {
  const std::string path = log::join_log_path(folder, kManifestName);
  const std::string temporary = path + kTemporarySuffix;
  const std::string text = encode_manifest(manifest);
  {
    Result<std::unique_ptr<io::File>> file = io::create_fresh_file(file_system, temporary);
    if (!file.ok()) return file.status();
    ESENT_RETURN_IF_ERROR((*file)->write_at(0, std::as_bytes(std::span(text))));
    ESENT_RETURN_IF_ERROR((*file)->sync());
  }
  ESENT_RETURN_IF_ERROR(file_system.rename(temporary, path));
  return file_system.sync_directory(folder);
}

Result<ManifestEntry> describe_file(io::FileSystem& file_system, const std::string& path) {
  Result<std::unique_ptr<io::File>> file = file_system.open_file(path, io::OpenOptions{});
  if (!file.ok()) return file.status();
  FileChecksum checksum;
  std::vector<std::byte> buffer(kReadChunkBytes);
  std::uint64_t offset = 0;
  for (;;) {
    Result<std::size_t> read = (*file)->read_at(offset, buffer);
    if (!read.ok()) return read.status();
    if (*read == 0) break;
    checksum.update(buffer.data(), *read);
    offset += *read;
  }
  return ManifestEntry{offset, checksum.digest()};
}

Status check_manifest(io::FileSystem& file_system, const std::string& folder, const Manifest& manifest,
                      const std::function<bool(const std::string& name)>& is_log) {
  for (const auto& [name, expected] : manifest) {
    if (!is_manifest_file_name(name)) {
      return Status(Error::kInvalidBackup, "a manifest names a file outside " + folder + ": " + name);
    }
    const std::string path = log::join_log_path(folder, name);
    Result<bool> exists = file_system.file_exists(path);
    if (!exists.ok()) return exists.status();
    if (!*exists) return Status(Error::kFileNotFound, path + " is listed in the manifest but missing");
    Result<ManifestEntry> actual = describe_file(file_system, path);
    if (!actual.ok()) return actual.status();
    if (actual->size_bytes != expected.size_bytes || actual->checksum != expected.checksum) {
      return Status(is_log(name) ? Error::kLogReadVerifyFailure : Error::kReadVerifyFailure,
                    path + " differs from the manifest");
    }
  }
  return Status::success();
}

}  // namespace esent::backup
