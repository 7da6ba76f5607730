// JetBackupInstance (the layouts, the order, the crash argument and the safety rules are in
// directory_backup.h).
#include "backup/directory_backup.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include "backup/manifest.h"
#include "log/log_names.h"
#include "util/checksum.h"
#include "util/path.h"

namespace esent::backup {

namespace {

constexpr char kStaging[] = "temp";
constexpr char kNewest[] = "new";
constexpr char kPrevious[] = "old";
constexpr std::size_t kChunkBytes = 1u << 20;

std::string join(const std::string& folder, const std::string& name) {
  return log::join_log_path(folder, name);
}

std::string without_slash(std::string folder) {
  while (folder.size() > 1 && folder.back() == '/') folder.pop_back();
  return folder;
}

// kBackupDirectoryNotEmpty when `path`, an entry this code manages inside the backup folder, is
// a symbolic link: it was not made here, and following it would reach outside the folder.
Status refuse_link(io::FileSystem& file_system, const std::string& path) {
  Result<bool> link = file_system.is_symbolic_link(path);
  if (!link.ok()) return link.status();
  if (*link) {
    return Status(Error::kBackupDirectoryNotEmpty,
                  path + " is a symbolic link; a backup does not follow or remove it");
  }
  return Status::success();
}

// Removes a folder of plain files (a staging folder, a replaced backup), then syncs its parent.
// A folder that is a symbolic link is refused (refuse_link) before anything is listed or removed;
// the entries inside are unlinked, which never follows a link.
Status remove_folder(io::FileSystem& file_system, const std::string& folder) {
  ESENT_RETURN_IF_ERROR(refuse_link(file_system, folder));
  Result<bool> exists = file_system.directory_exists(folder);
  if (!exists.ok()) return exists.status();
  if (!*exists) return Status::success();
  Result<std::vector<std::string>> names = file_system.list_directory(folder);
  if (!names.ok()) return names.status();
  for (const std::string& name : *names) ESENT_RETURN_IF_ERROR(file_system.remove_file(join(folder, name)));
  ESENT_RETURN_IF_ERROR(file_system.sync_directory(folder));
  ESENT_RETURN_IF_ERROR(file_system.remove_directory(folder));
  return file_system.sync_directory(parent_directory(folder));
}

// Reads through the streaming backup, paced by the rate limit, and reports progress.
class Copier {
 public:
  Copier(io::FileSystem& file_system, Backup& backup, const DirectoryBackupRequest& request)
      : file_system_(file_system), backup_(backup), request_(request), buffer_(kChunkBytes),
        started_(std::chrono::steady_clock::now()) {}

  // Streams `name` (a database or log of the backup) into `target`, synced; its manifest entry.
  // `counted` hears each chunk's bytes; its error stops the copy.
  Result<ManifestEntry> copy(const std::string& name, const std::string& target,
                             const std::function<Status(std::uint64_t bytes)>& counted) {
    Result<OpenedFile> opened = backup_.open_file(name);
    if (!opened.ok()) return opened.status();
    Result<ManifestEntry> entry = copy_open(opened->handle, target, counted);
    Status closed = backup_.close_file(opened->handle);
    if (!entry.ok()) return entry.status();
    if (!closed.ok()) return closed;
    return entry;
  }

  std::uint64_t bytes_read() const { return bytes_read_; }

 private:
  Result<ManifestEntry> copy_open(std::uint64_t handle, const std::string& target,
                                  const std::function<Status(std::uint64_t bytes)>& counted) {
    Result<std::unique_ptr<io::File>> out = io::create_fresh_file(file_system_, target);
    if (!out.ok()) return out.status();
    FileChecksum checksum;
    std::uint64_t offset = 0;
    for (;;) {
      if (request_.keep_going) ESENT_RETURN_IF_ERROR(request_.keep_going());
      pace();
      Result<std::size_t> got = backup_.read_file(handle, buffer_);
      if (!got.ok()) return got.status();
      if (*got == 0) break;
      const std::span<const std::byte> bytes(buffer_.data(), *got);
      ESENT_RETURN_IF_ERROR((*out)->write_at(offset, bytes));
      checksum.update(bytes.data(), bytes.size());
      offset += *got;
      bytes_read_ += *got;
      ESENT_RETURN_IF_ERROR(counted(*got));
    }
    ESENT_RETURN_IF_ERROR((*out)->sync());
    return ManifestEntry{offset, checksum.digest()};
  }

  // Sleeps until the bytes read so far fit the limit.
  void pace() {
    const std::uint64_t limit = request_.read_rate_limit ? request_.read_rate_limit() : 0;
    if (limit == 0) return;
    const auto due = started_ + std::chrono::duration<double>(static_cast<double>(bytes_read_) /
                                                              static_cast<double>(limit));
    const auto now = std::chrono::steady_clock::now();
    if (due > now) std::this_thread::sleep_until(due);
  }

  io::FileSystem& file_system_;
  Backup& backup_;
  const DirectoryBackupRequest& request_;
  std::vector<std::byte> buffer_;
  std::chrono::steady_clock::time_point started_;
  std::uint64_t bytes_read_ = 0;
};

// Progress over a total fixed at the start: the databases by their bytes, then the logs
// spread over the estimate made at the start.
class Progress {
 public:
  Progress(const DirectoryBackupRequest& request, std::uint64_t database_bytes, std::uint64_t log_estimate)
      : request_(request), database_bytes_(database_bytes), log_share_(std::max<std::uint64_t>(log_estimate, 1)),
        total_(database_bytes + std::max<std::uint64_t>(log_estimate, 1)) {}

  Status report(std::uint64_t done) {
    done = std::min(std::max(done, reported_), total_);
    if (!request_.progress || (done == reported_ && started_)) return Status::success();
    started_ = true;
    reported_ = done;
    return request_.progress(done, total_);
  }
  Status database_bytes(std::uint64_t done) { return report(done); }
  Status log_bytes(std::uint64_t done, std::uint64_t of) {
    const std::uint64_t share = of == 0 ? log_share_ : log_share_ * std::min(done, of) / of;
    return report(database_bytes_ + share);
  }
  Status finish() { return report(total_); }

 private:
  const DirectoryBackupRequest& request_;
  const std::uint64_t database_bytes_;
  const std::uint64_t log_share_;
  const std::uint64_t total_;
  std::uint64_t reported_ = 0;
  bool started_ = false;
};

struct Layout {
  std::string folder;   // the request's folder, without a trailing '/'
  std::string staging;  // <folder>/temp
  std::string target;   // where the backup ends (atomic full: <folder>/new)
};

// The checks that change nothing, then the layout.
Result<Layout> plan_layout(io::FileSystem& file_system, const DirectoryBackupRequest& request) {
  Layout layout;
  layout.folder = without_slash(request.folder);
  layout.staging = join(layout.folder, kStaging);
  Result<bool> exists = file_system.directory_exists(layout.folder);
  if (!exists.ok()) return exists.status();
  if (!*exists) {
    if (!request.create_folder) return Status(Error::kInvalidPath, "no backup folder " + layout.folder);
    ESENT_RETURN_IF_ERROR(file_system.create_directories(layout.folder));
  }
  Result<std::vector<std::string>> names = file_system.list_directory(layout.folder);
  if (!names.ok()) return names.status();
  auto has = [&](const char* name) { return std::find(names->begin(), names->end(), name) != names->end(); };
  // The entries this code lists, removes, renames or reads: none may be a symbolic link.
  for (const char* managed : {kStaging, kNewest, kPrevious, kManifestName}) {
    if (has(managed)) ESENT_RETURN_IF_ERROR(refuse_link(file_system, join(layout.folder, managed)));
  }
  if (!request.atomic) {
    const bool only_staging = names->empty() || (names->size() == 1 && has(kStaging));
    if (!request.incremental && !only_staging) {
      return Status(Error::kBackupDirectoryNotEmpty, layout.folder + " is not empty");
    }
    if (request.incremental && (has(kNewest) || has(kPrevious))) {
      return Status(Error::kBackupDirectoryNotEmpty, layout.folder + " holds an atomic backup");
    }
    layout.target = layout.folder;
    return layout;
  }
  if (!request.incremental) {
    layout.target = join(layout.folder, kNewest);
    return layout;
  }
  if (has(kNewest)) {
    layout.target = join(layout.folder, kNewest);
  } else if (has(kPrevious)) {
    layout.target = join(layout.folder, kPrevious);
  } else {
    return Status(Error::kMissingFullBackup, layout.folder + " holds no backup to add the logs to");
  }
  return layout;
}

// The target folder, when it is new or old inside the caller's folder, must not be a link (the
// caller's folder itself may be: the caller chose it).
Status refuse_linked_target(io::FileSystem& file_system, const Layout& layout) {
  if (layout.target == layout.folder) return Status::success();
  return refuse_link(file_system, layout.target);
}

// Atomic full, before the copy: a complete <folder>/new becomes <folder>/old.
Status set_aside_newest(io::FileSystem& file_system, const Layout& layout) {
  const std::string newest = join(layout.folder, kNewest);
  ESENT_RETURN_IF_ERROR(refuse_link(file_system, newest));
  Result<bool> has_newest = file_system.directory_exists(newest);
  if (!has_newest.ok()) return has_newest.status();
  if (!*has_newest) return Status::success();
  ESENT_RETURN_IF_ERROR(remove_folder(file_system, join(layout.folder, kPrevious)));
  ESENT_RETURN_IF_ERROR(file_system.rename(newest, join(layout.folder, kPrevious)));
  return file_system.sync_directory(layout.folder);
}

// Before the promotion: no symbolic link where a staged file (or the manifest, or atomic full's
// temp → new) will go — it was not made here, and the failure path must not remove it.
Status check_promotion_targets(io::FileSystem& file_system, const Layout& layout,
                               const DirectoryBackupRequest& request, const Manifest& staged) {
  if (request.atomic && !request.incremental) return refuse_link(file_system, layout.target);
  ESENT_RETURN_IF_ERROR(refuse_linked_target(file_system, layout));
  ESENT_RETURN_IF_ERROR(refuse_link(file_system, join(layout.target, kManifestName)));
  for (const auto& [name, entry] : staged) {
    ESENT_RETURN_IF_ERROR(refuse_link(file_system, join(layout.target, name)));
  }
  return Status::success();
}

// Moves the staged files into the target, the manifest last; the staging folder goes.
Status promote_files(io::FileSystem& file_system, const Layout& layout, const Manifest& staged) {
  for (const auto& [name, entry] : staged) {
    ESENT_RETURN_IF_ERROR(file_system.rename(join(layout.staging, name), join(layout.target, name)));
  }
  ESENT_RETURN_IF_ERROR(file_system.sync_directory(layout.target));
  ESENT_RETURN_IF_ERROR(file_system.rename(join(layout.staging, kManifestName), join(layout.target, kManifestName)));
  ESENT_RETURN_IF_ERROR(file_system.sync_directory(layout.target));
  ESENT_RETURN_IF_ERROR(file_system.sync_directory(layout.staging));
  return remove_folder(file_system, layout.staging);
}

// Atomic full: temp becomes new. Once that rename is durable the new backup is the one; removing
// the previous (old) is housekeeping — a failure there is a warning, and the next atomic backup
// removes what is left. A rename that cannot be made durable is undone.
Status promote_atomic(io::FileSystem& file_system, const Layout& layout,
                      const std::function<void(const std::string&)>& warn) {
  ESENT_RETURN_IF_ERROR(file_system.rename(layout.staging, layout.target));
  Status synced = file_system.sync_directory(layout.folder);
  if (!synced.ok()) {
    if (file_system.rename(layout.target, layout.staging).ok()) (void)file_system.sync_directory(layout.folder);
    return synced;
  }
  Status removed = remove_folder(file_system, join(layout.folder, kPrevious));
  if (!removed.ok() && warn) {
    warn("the previous backup in " + join(layout.folder, kPrevious) + " stays: " + removed.to_string());
  }
  return Status::success();
}

// An incremental adds its logs to the backup in its target, so they must continue it: its first
// generation is one the target lists or the one right after the newest it lists. Otherwise
// the logs in between are gone — another backup (into another folder) truncated them after
// this folder's last one — and the folder would hold a gap and restore nothing: refused with
// kMissingFileToBackup before anything of the target changes. A target listing no log has
// nothing to continue.
Status check_continues(io::FileSystem& file_system, const Backup& backup, const Layout& layout,
                       const LogList& logs) {
  if (logs.paths.empty()) return Status::success();
  ESENT_RETURN_IF_ERROR(refuse_linked_target(file_system, layout));
  ESENT_RETURN_IF_ERROR(refuse_link(file_system, join(layout.target, kManifestName)));
  Result<Manifest> previous = read_manifest(file_system, layout.target);
  if (!previous.ok()) {
    return previous.status().error() == Error::kFileNotFound ? Status::success() : previous.status();
  }
  std::optional<std::uint32_t> newest;
  for (const auto& [name, entry] : *previous) {
    const std::optional<std::uint32_t> generation = backup.archived_generation(name);
    if (generation && (!newest || *generation > *newest)) newest = generation;
  }
  if (!newest || logs.low_generation <= *newest + 1) return Status::success();
  return Status(Error::kMissingFileToBackup,
                "the backup in " + layout.target + " ends at log generation " + std::to_string(*newest) +
                    "; the logs after it were truncated, this incremental would start at " +
                    std::to_string(logs.low_generation) + ": take a full backup");
}

Status promote(io::FileSystem& file_system, const Layout& layout, const DirectoryBackupRequest& request,
               const Manifest& staged) {
  if (request.atomic && !request.incremental) return promote_atomic(file_system, layout, request.warn);
  return promote_files(file_system, layout, staged);
}

// A non-atomic full backup that failed while its files were being moved up: they go again.
void remove_promoted(io::FileSystem& file_system, const Layout& layout, const Manifest& staged) {
  for (const auto& [name, entry] : staged) (void)file_system.remove_file(join(layout.target, name));
  (void)file_system.remove_file(join(layout.target, kManifestName));
  (void)file_system.sync_directory(layout.target);
}

}  // namespace

Status backup_to_directory(io::FileSystem& file_system, Backup& backup,
                           const DirectoryBackupRequest& request) {
  if (request.folder.empty()) return backup.truncate_below_checkpoint();
  Result<Layout> planned = plan_layout(file_system, request);
  if (!planned.ok()) return planned.status();
  const Layout& layout = *planned;
  ESENT_RETURN_IF_ERROR(backup.begin(request.incremental));

  Manifest staged;        // the files of this run, in the staging folder
  bool promoting = false;
  auto run = [&]() -> Status {
    ESENT_RETURN_IF_ERROR(remove_folder(file_system, layout.staging));
    if (request.atomic && !request.incremental) ESENT_RETURN_IF_ERROR(set_aside_newest(file_system, layout));
    Status made = file_system.create_directories(layout.staging);
    if (!made.ok()) return Status(Error::kMakeBackupDirectoryFail, layout.staging + ": " + made.to_string());

    std::vector<std::string> databases;
    std::uint64_t database_bytes = 0;
    if (!request.incremental) {
      Result<std::vector<std::string>> attached = backup.attach_info();
      if (!attached.ok()) return attached.status();
      databases = std::move(attached).value();
      for (const std::string& path : databases) {
        Result<std::uint64_t> size = file_system.file_size(path);
        if (size.ok()) database_bytes += *size;
      }
    }
    Progress progress(request, database_bytes, backup.estimated_log_bytes());
    ESENT_RETURN_IF_ERROR(progress.report(0));
    Copier copier(file_system, backup, request);
    std::uint64_t copied = 0;
    for (const std::string& path : databases) {
      Result<ManifestEntry> entry = copier.copy(path, join(layout.staging, file_name(path)),
                                                [&](std::uint64_t bytes) {
                                                  copied += bytes;
                                                  return progress.database_bytes(copied);
                                                });
      if (!entry.ok()) return entry.status();
      staged[file_name(path)] = *entry;
    }
    Result<LogList> logs = backup.log_info();
    if (!logs.ok()) return logs.status();
    if (request.incremental) ESENT_RETURN_IF_ERROR(check_continues(file_system, backup, layout, *logs));
    std::uint64_t log_total = 0;
    for (const std::string& path : logs->paths) {
      Result<std::uint64_t> size = file_system.file_size(path);
      if (size.ok()) log_total += *size;
    }
    std::uint64_t log_done = 0;
    for (const std::string& path : logs->paths) {
      Result<ManifestEntry> entry = copier.copy(path, join(layout.staging, file_name(path)),
                                                [&](std::uint64_t bytes) {
                                                  log_done += bytes;
                                                  return progress.log_bytes(log_done, log_total);
                                                });
      if (!entry.ok()) return entry.status();
      staged[file_name(path)] = *entry;
    }
    // The manifest: this run's files, plus (incremental) those of the backup it extends.
    Manifest manifest = staged;
    if (request.incremental) {
      ESENT_RETURN_IF_ERROR(refuse_linked_target(file_system, layout));
      ESENT_RETURN_IF_ERROR(refuse_link(file_system, join(layout.target, kManifestName)));
      Result<Manifest> previous = read_manifest(file_system, layout.target);
      if (previous.ok()) {
        for (const auto& [name, entry] : *previous) manifest.try_emplace(name, entry);
      } else if (previous.status().error() != Error::kFileNotFound) {
        return previous.status();
      }
    }
    ESENT_RETURN_IF_ERROR(write_manifest(file_system, layout.staging, manifest));
    ESENT_RETURN_IF_ERROR(check_promotion_targets(file_system, layout, request, staged));
    promoting = true;
    ESENT_RETURN_IF_ERROR(promote(file_system, layout, request, staged));
    promoting = false;
    ESENT_RETURN_IF_ERROR(backup.record_truncate_and_end());
    return progress.finish();
  };
  Status status = run();
  if (!status.ok()) {
    if (backup.active()) (void)backup.end(EndOptions{/*normal=*/false});
    if (promoting && !request.atomic && !request.incremental) remove_promoted(file_system, layout, staged);
    (void)remove_folder(file_system, layout.staging);
  }
  return status;
}

Result<std::string> locate_backup(io::FileSystem& file_system, const std::string& folder) {
  const std::string base = without_slash(folder);
  for (const std::string& candidate : {base, join(base, kNewest), join(base, kPrevious)}) {
    Result<bool> is_folder = file_system.directory_exists(candidate);
    if (!is_folder.ok()) return is_folder.status();
    if (!*is_folder) continue;
    Result<std::vector<std::string>> names = file_system.list_directory(candidate);
    if (!names.ok()) return names.status();
    for (const std::string& name : *names) {
      if (name == kManifestName) return candidate;
      const std::size_t dot = name.rfind('.');
      if (dot == std::string::npos) continue;
      std::string extension = name.substr(dot);
      for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (extension == ".log" || extension == ".jtx") return candidate;
    }
  }
  return base;
}

}  // namespace esent::backup
