#include "backup/restore_set.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "backup/header_marks.h"
#include "cache/header_io.h"
#include "log/log_names.h"
#include "page/page.h"
#include "util/path.h"

namespace esent::backup {

namespace {

// Pages moved per read while copying or verifying an image.
constexpr std::uint32_t kCopyChunkBytes = 1u << 20;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Names that are never database images: logs (either extension), reserve logs, checkpoints,
// ESE's patch files.
bool is_other_file(const std::string& name) {
  const std::string low = lower(name);
  for (std::string_view suffix : {".log", ".jtx", ".jrs", ".chk", ".pat"}) {
    if (ends_with(low, suffix)) return true;
  }
  return false;
}

Status map_scan_error(const Status& status) {
  switch (status.error()) {
    case Error::kBadLogSignature:
      return Status(Error::kGivenLogFileHasBadSignature, status.detail());
    case Error::kInvalidLogSequence:
      return Status(Error::kGivenLogFileIsNotContiguous, status.detail());
    case Error::kMissingLogFile:
      return Status(Error::kFileNotFound, status.detail());
    default:
      return status;
  }
}

// Reads the image's database pages [0, n) in chunks, verifies each, and hands each chunk to
// `sink` (may be empty).
Status walk_image(io::FileSystem& file_system, const Image& image,
                  const std::function<Status(std::uint64_t offset, std::span<const std::byte>)>& sink,
                  const std::function<Status(std::uint64_t bytes)>& progress) {
  Result<std::unique_ptr<io::File>> file = file_system.open_file(image.path, io::OpenOptions{});
  if (!file.ok()) return file.status();
  const std::uint32_t page_size = image.header.page_size_bytes;
  const std::uint32_t pages_per_chunk = std::max<std::uint32_t>(1, kCopyChunkBytes / page_size);
  std::vector<std::byte> buffer(std::size_t{pages_per_chunk} * page_size);
  const std::uint32_t total = image.trailer.database_pages;
  for (std::uint32_t first = 0; first < total; first += pages_per_chunk) {
    const std::uint32_t count = std::min(pages_per_chunk, total - first);
    const std::span<std::byte> chunk(buffer.data(), std::size_t{count} * page_size);
    const std::uint64_t offset = std::uint64_t{first} * page_size;
    Result<std::size_t> read = (*file)->read_at(offset, chunk);
    if (!read.ok()) return read.status();
    if (*read != chunk.size()) {
      return Status(Error::kDatabaseCorrupted, image.path + ": shorter than its trailer says");
    }
    for (std::uint32_t i = 0; i < count; ++i) {
      const page::Pgno pgno = first + i;
      const std::span<const std::byte> bytes = chunk.subspan(std::size_t{i} * page_size, page_size);
      if (pgno < 2) {
        Result<page::DatabaseHeader> header = page::decode_database_header(bytes, pgno);
        if (!header.ok()) {
          return Status(Error::kReadVerifyFailure,
                        image.path + ": header copy " + std::to_string(pgno) + " does not verify");
        }
        continue;
      }
      Status verified = page::verify(bytes, pgno);
      if (!verified.ok()) {
        return Status(verified.error(), image.path + ": page " + std::to_string(pgno) + " does not verify");
      }
    }
    if (sink) ESENT_RETURN_IF_ERROR(sink(offset, chunk));
    if (progress) ESENT_RETURN_IF_ERROR(progress(offset + chunk.size()));
  }
  return Status::success();
}

}  // namespace

Result<Image> read_image(io::FileSystem& file_system, const std::string& path) {
  Result<std::unique_ptr<io::File>> file = file_system.open_file(path, io::OpenOptions{});
  if (!file.ok()) return file.status();
  Result<page::DatabaseHeader> header = cache::read_database_header(**file, 0);
  if (!header.ok()) {
    if (header.status().error() == Error::kInvalidDatabase) return header.status();
    return Status(Error::kDatabaseCorrupted, path + ": " + header.status().to_string());
  }
  Image image;
  image.path = path;
  image.file_name = file_name(path);
  image.header = std::move(header).value();
  const page::BackupInfo& mark = image.header.backup_full_current;
  if (mark.generation_low == 0) {
    return Status(Error::kRestoreOfNonBackupDatabase, path + " is not a backup copy");
  }
  const std::uint32_t page_size = image.header.page_size_bytes;
  const std::uint32_t pages = image.header.size_pages;
  Result<std::uint64_t> size = (*file)->size();
  if (!size.ok()) return size.status();
  if (*size < (std::uint64_t{pages} + 1) * page_size) {
    return Status(Error::kDatabaseCorrupted, path + ": the backup trailer is missing");
  }
  std::vector<std::byte> bytes(page_size);
  Result<std::size_t> read = (*file)->read_at(std::uint64_t{pages} * page_size, bytes);
  if (!read.ok()) return read.status();
  Result<Trailer> trailer = decode_trailer(bytes, pages);
  if (!trailer.ok()) {
    return Status(Error::kDatabaseCorrupted, path + ": the backup trailer does not verify (" +
                                                 trailer.status().to_string() + ")");
  }
  image.trailer = std::move(trailer).value();
  const Trailer& t = image.trailer;
  if (t.database_pages != pages || t.generation_low != mark.generation_low ||
      !(t.mark == mark.mark) || !(t.database_signature == image.header.signature) ||
      t.replay_start.generation != static_cast<std::int32_t>(t.generation_low) ||
      t.generation_high < t.generation_low) {
    return Status(Error::kDatabasePatchFileMismatch, path + ": header and trailer disagree");
  }
  return image;
}

Result<std::vector<Image>> find_images(io::FileSystem& file_system, const std::string& folder,
                                       const FileFilter& listed) {
  Result<std::vector<std::string>> names = file_system.list_directory(folder);
  if (!names.ok()) return names.status();
  std::sort(names->begin(), names->end());
  std::vector<Image> images;
  for (const std::string& name : *names) {
    if (is_other_file(name) || (listed && !listed(name))) continue;
    const std::string path = log::join_log_path(folder, name);
    Result<bool> is_folder = file_system.directory_exists(path);
    if (!is_folder.ok()) return is_folder.status();
    if (*is_folder) continue;
    Result<Image> image = read_image(file_system, path);
    if (!image.ok()) {
      if (image.status().error() == Error::kInvalidDatabase) continue;  // not a database
      return image.status();
    }
    images.push_back(std::move(image).value());
  }
  return images;
}

Result<log::LogSet> read_backup_logs(io::FileSystem& file_system, const log::LogConfig& config,
                                     std::uint32_t low, std::uint32_t high, const FileFilter& listed) {
  Result<log::LogSet> scanned = log::scan(file_system, config);
  if (!scanned.ok()) return map_scan_error(scanned.status());
  log::LogSet set = std::move(scanned).value();
  std::erase_if(set.files, [&](const log::LogFileEntry& file) {
    return (low != 0 && file.generation < low) || (high != 0 && file.generation > high) ||
           (listed && !listed(file_name(file.path)));
  });
  if (set.files.empty()) {
    return Status(Error::kFileNotFound, "no log file to restore in " + config.directory);
  }
  if (low != 0 && set.files.front().generation != low) {
    return Status(Error::kFileNotFound, "generation " + std::to_string(low) + " is missing");
  }
  if (high != 0 && set.files.back().generation != high) {
    return Status(Error::kFileNotFound, "generation " + std::to_string(high) + " is missing");
  }
  set.has_current = false;
  for (log::LogFileEntry& file : set.files) {
    file.current = false;
    ESENT_RETURN_IF_ERROR(
        log::verify_file(file_system, file.path, config.file_size_bytes, file.generation));
  }
  return set;
}

Status check_image_against_logs(const Image& image, const log::LogSet& logs) {
  if (!(image.trailer.log_signature == to_header(logs.signature))) {
    return Status(Error::kDatabasePatchFileMismatch, image.path + " belongs to another log set");
  }
  if (image.trailer.generation_low < logs.files.front().generation) {
    return Status(Error::kStartingRestoreLogTooHigh,
                  image.path + " needs generation " + std::to_string(image.trailer.generation_low));
  }
  if (image.trailer.generation_high > logs.files.back().generation) {
    return Status(Error::kEndingRestoreLogTooLow,
                  image.path + " needs generation " + std::to_string(image.trailer.generation_high));
  }
  return Status::success();
}

Result<log::LogSet> continue_with(const log::LogSet& backup, const log::LogSet& existing) {
  if (existing.empty()) return backup;
  if (!(existing.signature == backup.signature)) {
    return Status(Error::kExistingLogFileHasBadSignature,
                  existing.files.front().path + ": another log set");
  }
  const std::uint32_t last = backup.files.back().generation;
  if (existing.files.front().generation > last + 1) {
    return Status(Error::kMissingCurrentLogFiles,
                  "generations " + std::to_string(last + 1) + " to " +
                      std::to_string(existing.files.front().generation - 1) + " are missing");
  }
  if (existing.files.back().generation < last) {
    return Status(Error::kExistingLogFileIsNotContiguous,
                  "the log folder ends at generation " +
                      std::to_string(existing.files.back().generation) + ", before the backup's " +
                      std::to_string(last));
  }
  log::LogSet merged = backup;
  for (const log::LogFileEntry& file : existing.files) {
    if (file.generation <= last) {
      if (file.generation < backup.files.front().generation) continue;
      const log::LogFileEntry& ours = backup.files[file.generation - backup.files.front().generation];
      if (file.header.created != ours.header.created ||
          file.header.previous_created != ours.header.previous_created) {
        return Status(Error::kExistingLogFileIsNotContiguous,
                      file.path + " differs from the backup's generation " +
                          std::to_string(file.generation));
      }
      continue;
    }
    if (file.generation == last + 1 && file.header.previous_created != backup.files.back().header.created) {
      return Status(Error::kExistingLogFileIsNotContiguous,
                    file.path + " does not follow the backup's last generation");
    }
    merged.files.push_back(file);
  }
  merged.has_current = existing.has_current && merged.files.back().current;
  return merged;
}

Status copy_image(io::FileSystem& file_system, const Image& image, const std::string& target,
                  const std::function<Status(std::uint64_t bytes)>& progress) {
  Result<std::unique_ptr<io::File>> out = io::create_fresh_file(file_system, target);
  if (!out.ok()) return out.status();
  io::File& file = **out;
  ESENT_RETURN_IF_ERROR(walk_image(
      file_system, image,
      [&file](std::uint64_t offset, std::span<const std::byte> bytes) {
        return file.write_at(offset, bytes);
      },
      progress));
  return file.sync();
}

Status verify_image(io::FileSystem& file_system, const Image& image,
                    const std::function<Status(std::uint64_t bytes)>& progress) {
  return walk_image(file_system, image, {}, progress);
}

Status strip_trailer(io::FileSystem& file_system, const Image& image) {
  io::OpenOptions options;
  options.write = true;
  Result<std::unique_ptr<io::File>> file = file_system.open_file(image.path, options);
  if (!file.ok()) return file.status();
  ESENT_RETURN_IF_ERROR((*file)->truncate(image.bytes()));
  return (*file)->sync();
}

}  // namespace esent::backup
