#include "engine/registry.h"

#include "catalog/long_value.h"
#include "engine/transactions.h"

#include "util/path.h"

namespace esent::engine {

namespace {

std::string cwd_of(io::FileSystem& file_system) {
  Result<std::string> cwd = file_system.current_directory();
  return cwd.ok() ? cwd.value() : std::string("/");
}

}  // namespace

Registry::Registry(std::shared_ptr<io::FileSystem> file_system)
    : file_system_(std::move(file_system)), process_params_(cwd_of(*file_system_)) {}

Registry& Registry::process() {
  static Registry registry(io::posix_file_system());
  return registry;
}

Mode Registry::mode() const {
  std::lock_guard lock(mutex_);
  return mode_;
}

std::shared_ptr<io::FileSystem> Registry::file_system() const {
  std::lock_guard lock(mutex_);
  return file_system_;
}

Result<InstanceRef> Registry::create_instance(const std::string& name,
                                              const std::string& display_name) {
  std::lock_guard lock(mutex_);
  if (mode_ == Mode::kOneInstance) return Error::kRunningInOneInstanceMode;
  if (names_.count(name) != 0) return Error::kInstanceNameInUse;
  if (instances_.size() >= process_params_.number(param_id::kMaxInstances)) {
    return Error::kTooManyInstances;
  }
  auto instance = std::make_shared<Instance>(name, display_name, process_params_, file_system_,
                                             cwd_of(*file_system_));
  std::uint64_t handle = instances_.insert(instance);
  names_.insert(name);
  mode_ = Mode::kMultiInstance;
  return InstanceRef{handle, std::move(instance)};
}

Result<InstanceRef> Registry::create_legacy_instance() {
  std::lock_guard lock(mutex_);
  if (mode_ == Mode::kMultiInstance) return Error::kRunningInMultiInstanceMode;
  if (legacy_handle_ != 0) return Error::kAlreadyInitialized;
  auto instance = std::make_shared<Instance>("", "", process_params_, file_system_,
                                             cwd_of(*file_system_));
  legacy_handle_ = instances_.insert(instance);
  mode_ = Mode::kOneInstance;
  return InstanceRef{legacy_handle_, std::move(instance)};
}

InstanceRef Registry::current_legacy_instance() const {
  std::lock_guard lock(mutex_);
  if (mode_ != Mode::kOneInstance || legacy_handle_ == 0) return {};
  return InstanceRef{legacy_handle_, instances_.find(legacy_handle_)};
}

std::shared_ptr<Instance> Registry::find_instance(std::uint64_t handle) const {
  return instances_.find(handle);
}

std::shared_ptr<Session> Registry::find_session(std::uint64_t handle) const {
  return sessions_.find(handle);
}

Result<InstanceRef> Registry::init(std::uint64_t handle, const RecoveryOptions& recovery) {
  InstanceRef target;
  if (handle != 0) {
    target = InstanceRef{handle, instances_.find(handle)};
    if (!target.instance) return Error::kInvalidInstance;
  } else {
    Result<InstanceRef> legacy = create_legacy_instance();
    if (!legacy.ok()) return legacy.status();
    target = std::move(legacy).value();
  }
  ESENT_RETURN_IF_ERROR(target.instance->begin_init());
  StorageParams storage;
  {
    std::lock_guard lock(mutex_);
    storage.page_size_bytes =
        static_cast<std::uint32_t>(process_params_.number(param_id::kDatabasePageSize));
    storage.cache_size_pages = process_params_.number(param_id::kCacheSizeMax);
    storage.version_page_bytes = process_params_.number(param_id::kVerPageSize);
  }
  Status status = target.instance->complete_init(storage, recovery);
  if (!status.ok()) {
    // This call's own attempt failed: as in ESE, the instance is freed and its handle gone.
    (void)term_instance(target);
    return status;
  }
  target.instance->event(EventLevel::kInformation, "instance started");
  return target;
}

Status Registry::restore(std::uint64_t handle, bool legacy, RestoreRequest request) {
  std::shared_ptr<Instance> target;
  StorageParams storage;
  {
    std::lock_guard lock(mutex_);
    if (handle != 0) {
      target = instances_.find(handle);
      if (!target) return Error::kInvalidInstance;
    } else {
      if (legacy && mode_ == Mode::kMultiInstance) return Error::kRunningInMultiInstanceMode;
      if (mode_ == Mode::kOneInstance && legacy_handle_ != 0) return Error::kAlreadyInitialized;
      target = std::make_shared<Instance>("Restore", "", process_params_, file_system_,
                                          cwd_of(*file_system_));
    }
    storage.page_size_bytes =
        static_cast<std::uint32_t>(process_params_.number(param_id::kDatabasePageSize));
    storage.cache_size_pages = process_params_.number(param_id::kCacheSizeMax);
    storage.version_page_bytes = process_params_.number(param_id::kVerPageSize);
  }
  Status status = target->restore(storage, std::move(request));
  target->event(status.ok() ? EventLevel::kInformation : EventLevel::kError,
                status.ok() ? std::string("restore complete") : "restore failed: " + status.to_string());
  return status;
}

bool Registry::has_open_transactions(const InstanceRef& ref) const {
  for (std::uint64_t handle : ref.instance->sessions()) {
    std::shared_ptr<Session> session = sessions_.find(handle);
    if (session && session->transaction_level() > 0) return true;
  }
  return false;
}

Status Registry::term_instance(const InstanceRef& ref, bool dirty, bool refuse_backup) {
  bool was_running = ref.instance->running();
  if (refuse_backup && was_running) {
    // Admitted like a clean-up call, so the backup cannot end or begin while it is looked at.
    Result<Instance::Activity> activity = ref.instance->enter(Admission::kIgnoreStopService);
    if (activity.ok() && ref.instance->backup() != nullptr && ref.instance->backup()->active()) {
      return Error::kBackupInProgress;
    }
  }
  ESENT_RETURN_IF_ERROR(ref.instance->begin_term());
  for (std::uint64_t session : ref.instance->sessions()) {
    std::shared_ptr<Session> ended = sessions_.remove(session);
    if (ended) close_session_objects(*ended, session);
  }
  Status storage = ref.instance->close_storage(dirty);
  if (!storage.ok()) ref.instance->event(EventLevel::kError, "databases not closed cleanly: " + storage.to_string());
  ref.instance->finish_term();
  if (was_running) ref.instance->event(EventLevel::kInformation, "instance stopped");

  std::lock_guard lock(mutex_);
  instances_.remove(ref.handle);
  names_.erase(ref.instance->name());
  if (ref.handle == legacy_handle_) legacy_handle_ = 0;
  if (instances_.size() == 0) mode_ = Mode::kUnset;
  return Status::success();
}

Result<std::uint64_t> Registry::begin_session(const std::shared_ptr<Instance>& instance) {
  auto session = std::make_shared<Session>(instance, instance->transactions(), instance->log());
  std::uint64_t handle = sessions_.insert(session);
  Status added = instance->add_session(handle);
  if (!added.ok()) {
    sessions_.remove(handle);
    return added;
  }
  return handle;
}

Status Registry::end_session(std::uint64_t session_handle) {
  std::shared_ptr<Session> session = sessions_.remove(session_handle);
  if (!session) return Error::kInvalidSesid;
  close_session_objects(*session, session_handle);
  if (auto instance = session->instance()) instance->remove_session(session_handle);
  return Status::success();
}

Status Registry::set_file_system_for_testing(std::shared_ptr<io::FileSystem> file_system) {
  std::lock_guard lock(mutex_);
  if (instances_.size() != 0) return Error::kTooManyActiveUsers;
  file_system_ = std::move(file_system);
  return Status::success();
}

void Registry::close_session_objects(Session& session, std::uint64_t session_handle) {
  (void)rollback_all(session);
  for (std::uint64_t table : session.tables()) tables_.remove(table);
  if (auto instance = session.instance()) {
    for (auto [dbid, count] : session.open_databases()) {
      for (std::uint32_t i = 0; i < count; ++i) (void)instance->databases().close(dbid, session_handle);
    }
  }
}

Result<std::uint64_t> Registry::open_table(const std::shared_ptr<Session>& session,
                                           std::uint64_t session_handle,
                                           std::unique_ptr<TableCursor> table) {
  table->session_handle = session_handle;
  std::uint64_t handle = tables_.insert(std::shared_ptr<TableCursor>(std::move(table)));
  session->add_table(handle);
  return handle;
}

std::shared_ptr<TableCursor> Registry::find_table(std::uint64_t handle) const {
  return tables_.find(handle);
}

Status Registry::close_table(const std::shared_ptr<Session>& session, std::uint64_t handle) {
  std::shared_ptr<TableCursor> table = tables_.remove(handle);
  if (!table) return Error::kInvalidTableId;
  session->remove_table(handle);
  return Status::success();
}

Status Registry::set_param(const std::shared_ptr<Instance>& instance, std::uint32_t id,
                           ParamValue value) {
  const ParamInfo* info = find_param(id);
  if (info == nullptr) return Status(Error::kInvalidParameter, "unknown parameter id");
  if (info->scope == ParamScope::kInstance && instance) {
    return instance->set_param(*info, std::move(value));
  }
  std::lock_guard lock(mutex_);
  if (info->scope == ParamScope::kGlobal) return set_process_param_locked(*info, std::move(value));
  // An instance parameter without an instance: in one-instance mode it is the legacy
  // instance's; otherwise it becomes the default for instances created from now on.
  if (mode_ == Mode::kOneInstance && legacy_handle_ != 0) {
    if (auto legacy = instances_.find(legacy_handle_)) return legacy->set_param(*info, std::move(value));
  }
  return set_process_param_locked(*info, std::move(value));
}

Status Registry::set_process_param_locked(const ParamInfo& info, ParamValue value) {
  std::string cwd = cwd_of(*file_system_);
  if (process_params_.holds(info, value, cwd)) {
    written_params_.insert(info.id);
    return Status::success();
  }
  // Global parameters fixed after init are fixed once the process has chosen a mode.
  if (info.scope == ParamScope::kGlobal && info.fixed_after_init && mode_ != Mode::kUnset) {
    return Status(Error::kAlreadyInitialized, std::string(info.name) + " is fixed once an instance exists");
  }
  ESENT_RETURN_IF_ERROR(process_params_.set(info, std::move(value), cwd));
  written_params_.insert(info.id);
  return Status::success();
}

Result<ParamValue> Registry::get_param(const std::shared_ptr<Instance>& instance,
                                       std::uint32_t id) const {
  const ParamInfo* info = find_param(id);
  if (info == nullptr) return Status(Error::kInvalidParameter, "unknown parameter id");
  if (id == param_id::kKeyMost) {
    // The largest key the page size allows (ESE: 1000 bytes on 4 KiB pages, 2000 above).
    std::uint64_t page_size_bytes;
    {
      std::lock_guard lock(mutex_);
      page_size_bytes = process_params_.number(param_id::kDatabasePageSize);
    }
    return ParamValue{page_size_bytes <= 4096 ? 1000U : 2000U, {}};
  }
  if (id == param_id::kLVChunkSizeMost) {
    // The size of one long-value chunk (catalog/long_value.h) for the process's page size.
    std::uint64_t page_size_bytes;
    {
      std::lock_guard lock(mutex_);
      page_size_bytes = process_params_.number(param_id::kDatabasePageSize);
    }
    return ParamValue{catalog::long_value_chunk_bytes(static_cast<std::uint32_t>(page_size_bytes)), {}};
  }
  if (info->scope == ParamScope::kInstance && instance) return instance->param(id);
  std::lock_guard lock(mutex_);
  if (info->scope == ParamScope::kInstance && mode_ == Mode::kOneInstance && legacy_handle_ != 0) {
    if (auto legacy = instances_.find(legacy_handle_)) return legacy->param(id);
  }
  return process_params_.get(id);
}

Status Registry::enable_multi_instance(const std::vector<ParamSetting>& params,
                                       std::vector<Status>* results) {
  std::lock_guard lock(mutex_);
  if (mode_ == Mode::kOneInstance) return Error::kRunningInOneInstanceMode;
  std::string cwd = cwd_of(*file_system_);

  if (mode_ == Mode::kUnset) {
    for (const ParamSetting& setting : params) {
      const ParamInfo* info = find_param(setting.id);
      Status status = info == nullptr ? Status(Error::kInvalidParameter)
                                      : set_process_param_locked(*info, setting.value);
      results->push_back(status);
      if (!status.ok()) return status;
    }
    mode_ = Mode::kMultiInstance;
    return Status::success();
  }

  std::set<std::uint32_t> named;
  for (const ParamSetting& setting : params) {
    const ParamInfo* info = find_param(setting.id);
    if (info == nullptr) {
      results->push_back(Error::kInvalidParameter);
      return Error::kInvalidParameter;
    }
    named.insert(setting.id);
    bool fixed_global = info->scope == ParamScope::kGlobal && info->fixed_after_init;
    bool agrees = process_params_.holds(*info, setting.value, cwd) &&
                  (!fixed_global || written_params_.count(info->id) != 0);
    Status status = agrees ? Status::success() : Status(Error::kSystemParameterConflict);
    results->push_back(status);
    if (!status.ok()) return status;
  }
  for (std::uint32_t id : written_params_) {
    const ParamInfo* info = find_param(id);
    if (info->scope == ParamScope::kGlobal && info->fixed_after_init && named.count(id) == 0) {
      return Error::kSystemParameterConflict;
    }
  }
  return Error::kSystemParamsAlreadySet;
}

std::vector<InstanceRef> Registry::all_instances() const {
  std::vector<InstanceRef> all;
  instances_.for_each([&all](std::uint64_t handle, const std::shared_ptr<Instance>& instance) {
    all.push_back(InstanceRef{handle, instance});
  });
  return all;
}

}  // namespace esent::engine
