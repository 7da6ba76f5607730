#include "engine/instance.h"

#include <algorithm>
#include <cctype>
#include <ctime>

#include "io/system.h"
#include "log/checkpoint.h"
#include "log/log_names.h"
#include "util/path.h"

namespace esent::engine {

Instance::Instance(std::string name, std::string display_name, ParamSet params,
                   std::shared_ptr<io::FileSystem> file_system, std::string working_directory)
    : name_(std::move(name)),
      display_name_(std::move(display_name)),
      file_system_(std::move(file_system)),
      working_directory_(std::move(working_directory)),
      params_(std::move(params)) {}

InstanceState Instance::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

Instance::Activity& Instance::Activity::operator=(Activity&& other) noexcept {
  if (this != &other) {
    if (instance_ != nullptr) instance_->leave();
    instance_ = std::exchange(other.instance_, nullptr);
  }
  return *this;
}

Instance::Activity::~Activity() {
  if (instance_ != nullptr) instance_->leave();
}

Result<Instance::Activity> Instance::enter(Admission admission) {
  std::lock_guard lock(mutex_);
  switch (state_) {
    case InstanceState::kCreated:
      return Error::kNotInitialized;
    case InstanceState::kInitializing:
      return Error::kInitInProgress;
    case InstanceState::kTerminating:
    case InstanceState::kTerminated:
      return Error::kTermInProgress;
    case InstanceState::kRestoring:
      return Error::kRestoreInProgress;
    case InstanceState::kRunning:
      break;
  }
  if (stopped_all_ && admission != Admission::kIgnoreStopService) {
    return Error::kClientRequestToStopJetService;
  }
  // After the log failed nothing more can be made durable: every call but the clean-up ones
  // (ending sessions, closing handles, rolling back) is refused until the instance is
  // terminated and initialised again, which recovers.
  if (log_ && log_->failed() && admission != Admission::kIgnoreStopService) {
    return Error::kInstanceUnavailable;
  }
  ++active_calls_;
  return Activity(this);
}

void Instance::leave() {
  std::lock_guard lock(mutex_);
  if (--active_calls_ == 0) idle_.notify_all();
}

ParamValue Instance::param(std::uint32_t id) const {
  std::lock_guard lock(mutex_);
  return params_.get(id);
}

Status Instance::set_param(const ParamInfo& info, ParamValue value) {
  std::lock_guard lock(mutex_);
  if (state_ == InstanceState::kRestoring) return Error::kRestoreInProgress;
  if (params_.holds(info, value, working_directory_)) return Status::success();
  if (info.fixed_after_init && state_ != InstanceState::kCreated) {
    return Status(Error::kAlreadyInitialized, std::string(info.name) + " is fixed once initialised");
  }
  return params_.set(info, std::move(value), working_directory_);
}

Status Instance::leave_created_locked(InstanceState next) {
  switch (state_) {
    case InstanceState::kCreated:
      break;
    case InstanceState::kInitializing:
      return Error::kInitInProgress;
    case InstanceState::kRunning:
      return Error::kAlreadyInitialized;
    case InstanceState::kRestoring:
      return Error::kRestoreInProgress;
    case InstanceState::kTerminating:
    case InstanceState::kTerminated:
      return Error::kTermInProgress;
  }
  state_ = next;
  return Status::success();
}

Status Instance::begin_init() {
  std::lock_guard lock(mutex_);
  return leave_created_locked(InstanceState::kInitializing);
}

Status Instance::prepare_folders() {
  ParamValue create = param(param_id::kCreatePathIfNotExist);
  for (std::uint32_t id : {param_id::kSystemPath, param_id::kLogFilePath}) {
    std::string folder = param(id).text;
    if (create.number != 0) {
      ESENT_RETURN_IF_ERROR(file_system_->create_directories(folder));
      continue;
    }
    Result<bool> exists = file_system_->directory_exists(folder);
    if (!exists.ok()) return exists.status();
    if (!exists.value()) return Status(Error::kInvalidPath, "folder does not exist: " + folder);
  }
  return Status::success();
}

LogSettings Instance::log_settings(const StorageParams& storage) const {
  LogSettings settings;
  log::LogConfig& config = settings.config;
  config.directory = normalize_folder(param(param_id::kLogFilePath).text, working_directory_);
  config.naming.base_name = param(param_id::kBaseName).text;
  config.naming.legacy_bits = static_cast<std::uint32_t>(param(param_id::kLegacyFileNames).number);
  config.file_size_bytes = static_cast<std::uint32_t>(param(param_id::kLogFileSize).number) * 1024u;
  config.buffer_bytes = static_cast<std::uint32_t>(
      std::min<std::uint64_t>(static_cast<std::uint64_t>(param(param_id::kLogBuffers).number),
                              std::uint64_t{1} << 20) * 512);
  config.circular = param(param_id::kCircularLog).number != 0;
  config.page_size_bytes = storage.page_size_bytes;
  config.skip_sync_for_testing = skip_log_sync_for_testing();
  settings.checkpoint_path = log::join_log_path(
      normalize_folder(param(param_id::kSystemPath).text, working_directory_),
      log::checkpoint_file_name(config.naming.base_name, config.naming.legacy_bits));
  settings.checkpoint_depth_bytes = static_cast<std::uint64_t>(param(param_id::kCheckpointDepthMax).number);
  return settings;
}

Status Instance::complete_init(const StorageParams& storage, const RecoveryOptions& options) {
  std::string recovery = param(param_id::kRecovery).text;
  for (char& c : recovery) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const bool logged = recovery != "off";
  Status status = prepare_folders();
  if (status.ok()) {
    page_size_bytes_ = storage.page_size_bytes;
    cache_ = std::make_unique<cache::BufferCache>(
        static_cast<std::size_t>(std::min<std::uint64_t>(storage.cache_size_pages, kCachePagesMost)));
    const std::uint64_t version_pages = static_cast<std::uint64_t>(param(param_id::kMaxVerPages).number);
    transactions_ = std::make_unique<txn::Manager>(version_pages * storage.version_page_bytes);
  }
  if (status.ok() && logged) {
    LogSettings settings = log_settings(storage);
    RecoveryStatistics statistics;
    RecoveryOptions normalized = options;
    for (auto& [from, to] : normalized.relocations) {
      from = normalize_path(from, working_directory_);
      to = normalize_path(to, working_directory_);
    }
    // A map onto streamed backup copies makes this recovery a restore (engine/restore.h).
    Status planned = plan_init_restore(*file_system_, settings, normalized);
    Result<std::unique_ptr<log::LogWriter>> writer =
        planned.ok() ? recover(*file_system_, *cache_, settings, normalized, &statistics)
                     : Result<std::unique_ptr<log::LogWriter>>(planned);
    if (writer.ok()) {
      last_recovery_ = statistics;
      log_ = std::make_unique<InstanceLog>(*file_system_, *cache_, std::move(settings),
                                           std::move(writer).value());
    } else {
      status = writer.status();
    }
  }
  if (status.ok()) {
    databases_ = std::make_unique<Databases>(file_system_, *cache_, transactions_.get(), log_.get());
    if (log_) {
      log_->set_databases(databases_.get());
      backup_host_ = std::make_unique<BackupHost>(
          *file_system_, *log_, *databases_, [this](backup::EventKind kind, std::string_view message) {
            event(kind == backup::EventKind::kError     ? EventLevel::kError
                  : kind == backup::EventKind::kWarning ? EventLevel::kWarning
                                                        : EventLevel::kInformation,
                  message);
          });
      backup_ = std::make_unique<backup::Backup>(*backup_host_);
      databases_->set_backup(backup_.get());
    }
    temp_tables_ = std::make_shared<TempTables>(file_system_, *cache_, param(param_id::kTempPath).text,
                                                working_directory_, page_size_bytes_);
  } else {
    log_.reset();
    transactions_.reset();
    cache_.reset();
  }

  std::lock_guard lock(mutex_);
  state_ = status.ok() ? InstanceState::kRunning : InstanceState::kCreated;
  if (status.ok()) {
    log_signature_ = LogSignature{io::random_u32(), io::now_unix_seconds(), io::host_name()};
    if (log_) {
      // The log set's own signature (made at its generation 1, kept across restarts).
      const log::Signature& signature = log_->writer().signature();
      const auto& b = signature.created.bytes;
      std::tm created{};
      created.tm_sec = b[0];
      created.tm_min = b[1];
      created.tm_hour = b[2];
      created.tm_mday = b[3];
      created.tm_mon = b[4] - 1;
      created.tm_year = b[5];
      log_signature_ = LogSignature{signature.random, static_cast<std::int64_t>(timegm(&created)), ""};
    }
  }
  return status;
}

Status Instance::restore(const StorageParams& storage, RestoreRequest request) {
  {
    std::lock_guard lock(mutex_);
    ESENT_RETURN_IF_ERROR(leave_created_locked(InstanceState::kRestoring));
  }
  const bool own_folders = request.log_folder.empty() && request.system_folder.empty();
  Status status = own_folders ? prepare_folders() : Status::success();
  LogSettings settings = log_settings(storage);
  if (status.ok() && !request.base_name.empty()) {
    settings.config.naming.base_name = request.base_name;
  }
  if (status.ok() && !request.log_folder.empty()) {
    settings.config.directory = normalize_folder(request.log_folder, working_directory_);
    status = file_system_->create_directories(settings.config.directory);
  }
  const std::string system_folder =
      normalize_folder(request.system_folder.empty() ? param(param_id::kSystemPath).text : request.system_folder,
                       working_directory_);
  if (status.ok() && !request.system_folder.empty()) status = file_system_->create_directories(system_folder);
  settings.checkpoint_path = log::join_log_path(
      system_folder,
      log::checkpoint_file_name(settings.config.naming.base_name, settings.config.naming.legacy_bits));
  if (status.ok()) {
    request.backup_folder = normalize_folder(request.backup_folder, working_directory_);
    if (!request.destination_folder.empty()) {
      request.destination_folder = normalize_folder(request.destination_folder, working_directory_);
    }
    for (auto& [original, placed] : request.placed_images) {
      original = normalize_path(original, working_directory_);
      placed = normalize_path(placed, working_directory_);
    }
    request.create_folders = param(param_id::kCreatePathIfNotExist).number != 0;
    cache::BufferCache cache(static_cast<std::size_t>(
        std::min<std::uint64_t>(storage.cache_size_pages, kCachePagesMost)));
    RecoveryStatistics statistics;
    Result<std::unique_ptr<log::LogWriter>> writer =
        engine::restore(*file_system_, cache, settings, request, &statistics);
    if (writer.ok()) {
      // Recovery made everything durable and wrote the checkpoint: the log just closes.
      writer->reset();
      std::lock_guard lock(mutex_);
      last_recovery_ = statistics;
    } else {
      status = writer.status();
    }
  }
  std::lock_guard lock(mutex_);
  state_ = InstanceState::kCreated;
  return status;
}

Status Instance::close_storage(bool dirty) {
  Status status;
  // The temporary database goes first (and even after a dirty stop): nothing survives in it.
  if (temp_tables_) status = temp_tables_->close();
  temp_tables_.reset();
  // A backup still active ends as aborted by the server (the caller refused a complete term).
  if (backup_) backup_->abort_for_term();
  if (databases_) {
    Status closed = dirty ? databases_->abandon_all() : databases_->close_all();
    if (status.ok()) status = closed;
  }
  if (log_) {
    if (!dirty && status.ok()) {
      status = log_->term_clean();
    } else {
      log_->set_databases(nullptr);
    }
  }
  // The log goes before the databases and the cache it hooks into (a dirty stop loses what
  // was not durable, as a crash would).
  backup_.reset();
  backup_host_.reset();
  log_.reset();
  databases_.reset();
  cache_.reset();
  transactions_.reset();
  return status;
}

RecoveryStatistics Instance::last_recovery() const {
  std::lock_guard lock(mutex_);
  return last_recovery_;
}

Status Instance::begin_term() {
  std::function<void()> observer;
  {
    std::unique_lock lock(mutex_);
    if (state_ == InstanceState::kTerminating || state_ == InstanceState::kTerminated) {
      return Error::kTermInProgress;
    }
    if (state_ == InstanceState::kInitializing) return Error::kInitInProgress;
    if (state_ == InstanceState::kRestoring) return Error::kRestoreInProgress;
    state_ = InstanceState::kTerminating;
    idle_.wait(lock, [this] { return active_calls_ == 0; });
    observer = term_observer_;
  }
  if (observer) observer();
  return Status::success();
}

void Instance::finish_term() {
  std::lock_guard lock(mutex_);
  state_ = InstanceState::kTerminated;
  sessions_.clear();
}

void Instance::stop_service() {
  std::lock_guard lock(mutex_);
  stopped_all_ = true;
}

Status Instance::resume_service() {
  std::lock_guard lock(mutex_);
  return stopped_all_ ? Status(Error::kClientRequestToStopJetService) : Status::success();
}

Status Instance::add_session(std::uint64_t session_handle) {
  std::lock_guard lock(mutex_);
  if (sessions_.size() >= params_.number(param_id::kMaxSessions)) return Error::kOutOfSessions;
  sessions_.insert(session_handle);
  return Status::success();
}

void Instance::remove_session(std::uint64_t session_handle) {
  std::lock_guard lock(mutex_);
  sessions_.erase(session_handle);
}

std::set<std::uint64_t> Instance::sessions() const {
  std::lock_guard lock(mutex_);
  return sessions_;
}

LogSignature Instance::log_signature() const {
  std::lock_guard lock(mutex_);
  return log_signature_;
}

void Instance::event(EventLevel level, std::string_view message) const {
  std::string source;
  bool quiet = false;
  {
    std::lock_guard lock(mutex_);
    source = params_.text(param_id::kEventSource);
    quiet = params_.number(param_id::kNoInformationEvent) != 0;
  }
  write_event(source, quiet, level, message);
}

void Instance::set_term_observer(std::function<void()> observer) {
  std::lock_guard lock(mutex_);
  term_observer_ = std::move(observer);
}

}  // namespace esent::engine
