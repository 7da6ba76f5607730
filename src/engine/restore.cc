// Restore (the steps are in restore.h).
#include "engine/restore.h"

#include <algorithm>
#include <map>

#include "backup/directory_backup.h"
#include "backup/header_marks.h"
#include "backup/manifest.h"
#include "backup/restore_set.h"
#include "log/log_names.h"
#include "log/log_reader.h"
#include "util/path.h"

namespace esent::engine {

namespace {

constexpr std::uint32_t kCopyUnits = 10;
constexpr char kRestoringSuffix[] = ".restoring";

Status ensure_folder(io::FileSystem& file_system, const std::string& folder, bool create) {
  if (create) return file_system.create_directories(folder);
  Result<bool> exists = file_system.directory_exists(folder);
  if (!exists.ok()) return exists.status();
  if (!*exists) return Status(Error::kInvalidPath, "folder does not exist: " + folder);
  return Status::success();
}

// The earliest place any image needs replay to start.
log::Lgpos replay_start(const std::vector<backup::Image>& images) {
  log::Lgpos start = backup::from_header(images.front().trailer.replay_start);
  for (const backup::Image& image : images) {
    start = std::min(start, backup::from_header(image.trailer.replay_start));
  }
  return start;
}

Status check_distinct(const std::vector<backup::Image>& images) {
  std::map<std::uint32_t, const backup::Image*> by_dbid;
  for (const backup::Image& image : images) {
    auto [it, inserted] = by_dbid.emplace(image.trailer.dbid, &image);
    if (!inserted) {
      return Status(Error::kDatabasePatchFileMismatch,
                    image.path + " and " + it->second->path + " are images of the same database");
    }
  }
  return Status::success();
}

// Replay progress by generation, after the copy's units.
std::function<Status(std::uint32_t, std::uint32_t, std::uint32_t)> replay_progress(
    const std::function<Status(std::uint32_t, std::uint32_t)>& progress) {
  if (!progress) return {};
  return [progress](std::uint32_t done, std::uint32_t low, std::uint32_t high) -> Status {
    const std::uint64_t span = std::uint64_t{high} - low + 1;
    const std::uint64_t replayed = std::uint64_t{done} - low;  // generations finished before `done`
    const auto units = static_cast<std::uint32_t>(
        kCopyUnits + (kRestoreProgressTotal - kCopyUnits) * replayed / span);
    return progress(units, kRestoreProgressTotal);
  };
}

// Copies every image to its target through `<target>.restoring`, then renames them all into
// place. On failure the temporary files are removed and no target has changed. A symbolic link
// at any `<target>.restoring` is refused with kFileAccessDenied before anything is written (it
// is left alone, and so is what it points to); a stale regular file there is replaced
// (copy_image creates each afresh, exclusive and no-follow).
Status copy_images(io::FileSystem& file_system, const std::vector<backup::Image>& images,
                   const std::vector<std::string>& targets,
                   const std::function<Status(std::uint32_t, std::uint32_t)>& progress) {
  for (const std::string& target : targets) {
    Result<bool> link = file_system.is_symbolic_link(target + kRestoringSuffix);
    if (!link.ok()) return link.status();
    if (*link) {
      return Status(Error::kFileAccessDenied,
                    target + kRestoringSuffix + " is a symbolic link; a restore does not follow it");
    }
  }
  std::uint64_t total_bytes = 0;
  for (const backup::Image& image : images) total_bytes += image.bytes();
  std::uint64_t done_bytes = 0;
  std::uint32_t reported = 0;
  Status status;
  std::size_t copied = 0;
  for (; copied < images.size() && status.ok(); ++copied) {
    const std::uint64_t before = done_bytes;
    status = backup::copy_image(
        file_system, images[copied], targets[copied] + kRestoringSuffix,
        [&](std::uint64_t bytes) -> Status {
          done_bytes = before + bytes;
          if (!progress || total_bytes == 0) return Status::success();
          const auto units = static_cast<std::uint32_t>(kCopyUnits * done_bytes / total_bytes);
          if (units == reported) return Status::success();
          reported = units;
          return progress(units, kRestoreProgressTotal);
        });
  }
  if (!status.ok()) {
    for (std::size_t i = 0; i < copied; ++i) (void)file_system.remove_file(targets[i] + kRestoringSuffix);
    return status;
  }
  for (std::size_t i = 0; i < images.size(); ++i) {
    ESENT_RETURN_IF_ERROR(file_system.rename(targets[i] + kRestoringSuffix, targets[i]));
    ESENT_RETURN_IF_ERROR(file_system.sync_directory(parent_directory(targets[i])));
  }
  return Status::success();
}

bool is_log_name(const std::string& name) {
  std::string low = name;
  for (char& c : low) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return low.ends_with(".log") || low.ends_with(".jtx");
}

// A backup directory written by JetBackupInstance has a manifest: its files are checked against
// it, and only the files it lists belong to the set. Without one (a streaming client's folder)
// every file counts. Returns the filter to apply (empty: none).
Result<backup::FileFilter> check_against_manifest(io::FileSystem& file_system, const std::string& folder,
                                                  bool required) {
  Result<backup::Manifest> manifest = backup::read_manifest(file_system, folder);
  if (!manifest.ok()) {
    if (manifest.status().error() == Error::kFileNotFound && !required) return backup::FileFilter{};
    return manifest.status();
  }
  ESENT_RETURN_IF_ERROR(backup::check_manifest(file_system, folder, *manifest, is_log_name));
  auto listed = std::make_shared<backup::Manifest>(std::move(manifest).value());
  return backup::FileFilter([listed](const std::string& name) { return listed->count(name) != 0; });
}

// The backup folder's logs continued by the instance's log folder.
Result<log::LogSet> logs_to_replay(io::FileSystem& file_system, const LogSettings& settings,
                                   const log::LogSet& backup_logs) {
  const std::string backup_folder = parent_directory(backup_logs.files.front().path);
  const std::string log_folder = parent_directory(log::join_log_path(settings.config.directory, "x"));
  if (backup_folder == log_folder) return backup_logs;
  Result<log::LogSet> existing = log::scan(file_system, settings.config);
  if (!existing.ok()) return existing.status();
  Result<log::LogSet> merged = backup::continue_with(backup_logs, *existing);
  if (!merged.ok()) return merged.status();
  // The newer logs are verified too, before anything is written.
  for (const log::LogFileEntry& file : merged->files) {
    if (file.generation <= backup_logs.files.back().generation) continue;
    ESENT_RETURN_IF_ERROR(log::verify_file(file_system, file.path, settings.config.file_size_bytes,
                                           file.generation));
  }
  return merged;
}

}  // namespace

Result<std::unique_ptr<log::LogWriter>> restore(io::FileSystem& file_system,
                                                cache::BufferCache& cache,
                                                const LogSettings& settings,
                                                const RestoreRequest& request,
                                                RecoveryStatistics* statistics) {
  // 1. The set (JetBackupInstance's atomic layout: <folder>/new, else <folder>/old).
  Result<bool> folder_exists = file_system.directory_exists(request.backup_folder);
  if (!folder_exists.ok()) return folder_exists.status();
  if (!*folder_exists) return Status(Error::kFileNotFound, "no backup folder " + request.backup_folder);
  Result<std::string> located = backup::locate_backup(file_system, request.backup_folder);
  if (!located.ok()) return located.status();
  Result<backup::FileFilter> listed = check_against_manifest(file_system, *located, false);
  if (!listed.ok()) return listed.status();
  log::LogConfig backup_config = settings.config;
  backup_config.directory = *located;
  Result<log::LogSet> backup_logs = backup::read_backup_logs(
      file_system, backup_config, request.generation_low, request.generation_high, *listed);
  if (!backup_logs.ok()) return backup_logs.status();

  std::vector<backup::Image> images;
  std::vector<std::string> targets;
  if (request.external) {
    for (const auto& [original, placed] : request.placed_images) {
      Result<backup::Image> image = backup::read_image(file_system, placed);
      if (!image.ok()) {
        if (image.status().error() == Error::kInvalidDatabase) {
          return Status(Error::kDatabaseCorrupted, placed + " is not a database");
        }
        return image.status();
      }
      images.push_back(std::move(image).value());
      targets.push_back(placed);
    }
  } else {
    Result<std::vector<backup::Image>> found = backup::find_images(file_system, *located, *listed);
    if (!found.ok()) return found.status();
    images = std::move(found).value();
    if (images.empty()) return Status(Error::kFileNotFound, "no database image in " + *located);
    for (const backup::Image& image : images) {
      targets.push_back(request.destination_folder.empty()
                            ? image.trailer.path
                            : log::join_log_path(request.destination_folder, image.file_name));
      // The set is only ever read: restoring an image onto itself is refused.
      if (targets.back() == image.path) {
        return Status(Error::kInvalidParameter, image.path + " would be restored onto itself");
      }
    }
  }
  for (const backup::Image& image : images) {
    ESENT_RETURN_IF_ERROR(backup::check_image_against_logs(image, *backup_logs));
  }
  ESENT_RETURN_IF_ERROR(check_distinct(images));
  Result<log::LogSet> logs = logs_to_replay(file_system, settings, *backup_logs);
  if (!logs.ok()) return logs.status();

  // 2. The images in place.
  if (request.progress) ESENT_RETURN_IF_ERROR(request.progress(0, kRestoreProgressTotal));
  if (request.external) {
    for (const backup::Image& image : images) {
      ESENT_RETURN_IF_ERROR(backup::verify_image(file_system, image, {}));
    }
    for (const backup::Image& image : images) {
      ESENT_RETURN_IF_ERROR(backup::strip_trailer(file_system, image));
    }
  } else {
    if (!request.destination_folder.empty()) {
      ESENT_RETURN_IF_ERROR(ensure_folder(file_system, request.destination_folder, request.create_folders));
    }
    for (const std::string& target : targets) {
      ESENT_RETURN_IF_ERROR(ensure_folder(file_system, parent_directory(target), request.create_folders));
    }
    ESENT_RETURN_IF_ERROR(copy_images(file_system, images, targets, request.progress));
  }

  // 3. Replay.
  RecoveryOptions options;
  RestorePlan plan;
  plan.logs = std::move(logs).value();
  plan.start = replay_start(images);
  for (std::size_t i = 0; i < images.size(); ++i) {
    plan.databases.push_back(RestoredDatabase{images[i].trailer.dbid, images[i].trailer.path, targets[i]});
  }
  options.restore = std::move(plan);
  options.progress = replay_progress(request.progress);
  Result<std::unique_ptr<log::LogWriter>> writer = recover(file_system, cache, settings, options, statistics);
  if (!writer.ok()) return writer.status();
  if (request.progress) {
    ESENT_RETURN_IF_ERROR(request.progress(kRestoreProgressTotal, kRestoreProgressTotal));
  }
  return writer;
}

Status verify_backup_directory(io::FileSystem& file_system, const std::string& folder,
                               const log::LogNaming& naming,
                               const std::function<Status(std::uint32_t done, std::uint32_t total)>& progress) {
  Result<bool> exists = file_system.directory_exists(folder);
  if (!exists.ok()) return exists.status();
  if (!*exists) return Status(Error::kFileNotFound, "no backup folder " + folder);
  Result<std::string> located = backup::locate_backup(file_system, folder);
  if (!located.ok()) return located.status();
  Result<backup::FileFilter> listed = check_against_manifest(file_system, *located, true);
  if (!listed.ok()) return listed.status();
  log::LogConfig config;
  config.directory = *located;
  config.naming = naming;
  // The log file size: the logs' own.
  Result<std::vector<std::string>> names = file_system.list_directory(*located);
  if (!names.ok()) return names.status();
  for (const std::string& name : *names) {
    Result<std::optional<std::uint32_t>> generation = log::parse_archived_generation(naming, name);
    if (!generation.ok() || !generation->has_value() || !(*listed)(name)) continue;
    Result<std::uint64_t> size = file_system.file_size(log::join_log_path(*located, name));
    if (!size.ok()) return size.status();
    config.file_size_bytes = static_cast<std::uint32_t>(*size);
    break;
  }
  Result<log::LogSet> logs = backup::read_backup_logs(file_system, config, 0, 0, *listed);
  if (!logs.ok()) return logs.status();
  Result<std::vector<backup::Image>> images = backup::find_images(file_system, *located, *listed);
  if (!images.ok()) return images.status();
  if (images->empty()) return Status(Error::kFileNotFound, "no database image in " + *located);
  const auto total = static_cast<std::uint32_t>(images->size() + 1);
  if (progress) ESENT_RETURN_IF_ERROR(progress(1, total));  // the logs
  std::uint32_t done = 1;
  for (const backup::Image& image : *images) {
    ESENT_RETURN_IF_ERROR(backup::check_image_against_logs(image, *logs));
    ESENT_RETURN_IF_ERROR(backup::verify_image(file_system, image, {}));
    if (progress) ESENT_RETURN_IF_ERROR(progress(++done, total));
  }
  return check_distinct(*images);
}

Status plan_init_restore(io::FileSystem& file_system, const LogSettings& settings,
                         RecoveryOptions& options) {
  std::vector<backup::Image> images;
  std::vector<std::string> logged_paths;
  for (const auto& [from, to] : options.relocations) {
    Result<bool> exists = file_system.file_exists(to);
    if (!exists.ok()) return exists.status();
    if (!*exists) continue;
    Result<backup::Image> image = backup::read_image(file_system, to);
    if (!image.ok()) {
      const Error error = image.status().error();
      // An ordinary database (or not one at all): recovery deals with it as always.
      if (error == Error::kRestoreOfNonBackupDatabase || error == Error::kInvalidDatabase ||
          error == Error::kDatabaseCorrupted) {
        continue;
      }
      return image.status();
    }
    images.push_back(std::move(image).value());
    logged_paths.push_back(from);
  }
  if (images.empty()) return Status::success();
  Result<log::LogSet> logs = log::scan(file_system, settings.config);
  if (!logs.ok()) return logs.status();
  if (logs->empty()) return Status(Error::kFileNotFound, "no log to restore from in " + settings.config.directory);
  for (const backup::Image& image : images) {
    ESENT_RETURN_IF_ERROR(backup::check_image_against_logs(image, *logs));
  }
  ESENT_RETURN_IF_ERROR(check_distinct(images));
  for (const backup::Image& image : images) {
    ESENT_RETURN_IF_ERROR(backup::verify_image(file_system, image, {}));
  }
  for (const backup::Image& image : images) {
    ESENT_RETURN_IF_ERROR(backup::strip_trailer(file_system, image));
  }
  RestorePlan plan;
  plan.start = replay_start(images);
  plan.logs = std::move(logs).value();
  plan.only_restored = false;
  for (std::size_t i = 0; i < images.size(); ++i) {
    plan.databases.push_back(RestoredDatabase{images[i].trailer.dbid, images[i].trailer.path, images[i].path});
  }
  options.restore = std::move(plan);
  return Status::success();
}

}  // namespace esent::engine
