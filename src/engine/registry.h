// Registry: the process-wide part of the engine — the instance and session handle tables,
// one-instance (legacy) versus multi-instance mode, global parameters and the defaults that
// new instances start from.
//
// Mode: kUnset until the first JetCreateInstance (-> kMultiInstance) or legacy JetInit
// (-> kOneInstance); it returns to kUnset when the last instance is gone. Calls of the other
// mode fail with kRunningInMultiInstanceMode / kRunningInOneInstanceMode.
//
// Thread-safety: `mutex_` guards mode, names and global parameters, and every insertion into
// or removal from the instance table happens under it. It is held only for
// bookkeeping, never across an instance's init or term, so a call blocked on one instance
// never blocks a call on another.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "engine/instance.h"
#include "engine/params.h"
#include "engine/session.h"
#include "io/file_system.h"
#include "util/handle_table.h"
#include "util/status.h"

namespace esent::engine {

enum class Mode { kUnset, kOneInstance, kMultiInstance };

struct InstanceRef {
  std::uint64_t handle = 0;
  std::shared_ptr<Instance> instance;
};

class Registry {
 public:
  explicit Registry(std::shared_ptr<io::FileSystem> file_system);

  // The registry of this process.
  static Registry& process();

  Mode mode() const;
  // The file system instances created from now on use.
  std::shared_ptr<io::FileSystem> file_system() const;

  // JetCreateInstance2. Names are unique, the empty name (NULL) included: one unnamed
  // instance at a time, as ESE allows.
  // Errors: kRunningInOneInstanceMode, kInstanceNameInUse, kTooManyInstances.
  Result<InstanceRef> create_instance(const std::string& name, const std::string& display_name);

  // JetInit. `handle` names a created instance (or the live legacy one, which is then
  // kAlreadyInitialized); 0 asks for the implicit legacy instance, which selects
  // one-instance mode. Errors: kInvalidInstance, kRunningInMultiInstanceMode,
  // kAlreadyInitialized, kInitInProgress, kTermInProgress, and the instance's own init
  // errors — after which, as in ESE, the instance is freed and its handle is stale.
  Result<InstanceRef> init(std::uint64_t handle, const RecoveryOptions& recovery = {});
  // JetRestoreInstance (`legacy` false) and JetRestore, JetRestore2, JetExternalRestore(2)
  // (`legacy` true): Instance::restore. `handle` names a created instance, whose parameters
  // are used and which stays created, not initialised; 0 makes a temporary instance with the
  // process defaults, never registered (nobody else can reach it) and gone afterwards.
  // Errors first: kInvalidInstance (unknown handle); the live one-instance-mode instance →
  // kAlreadyInitialized; `legacy` in multi-instance mode → kRunningInMultiInstanceMode.
  Status restore(std::uint64_t handle, bool legacy, RestoreRequest request);
  // The legacy instance if it exists and the process is in one-instance mode, else null.
  InstanceRef current_legacy_instance() const;

  std::shared_ptr<Instance> find_instance(std::uint64_t handle) const;
  std::shared_ptr<Session> find_session(std::uint64_t handle) const;

  // JetTerm: ends the instance's sessions (rolling back, closing their tables), detaches its
  // databases (cleanly, or with `dirty` as a crash would leave them) and frees its handle.
  // With `refuse_backup`, an online backup in progress makes the term fail with
  // kBackupInProgress before anything changes (JetTerm2 without JET_bitTermAbrupt /
  // JET_bitTermStopBackup); otherwise the backup ends as aborted.
  Status term_instance(const InstanceRef& ref, bool dirty = false, bool refuse_backup = false);
  // Whether a session of the instance is inside a transaction.
  bool has_open_transactions(const InstanceRef& ref) const;

  Result<std::uint64_t> begin_session(const std::shared_ptr<Instance>& instance);

  // Test seam: the file system instances created from now on use (fault-injecting or
  // crashable ones in tests). Refused with kTooManyActiveUsers while any
  // instance exists, so no instance ever changes file system under its feet.
  Status set_file_system_for_testing(std::shared_ptr<io::FileSystem> file_system);

  // JET_TABLEID handles: a table cursor owned by a session.
  Result<std::uint64_t> open_table(const std::shared_ptr<Session>& session,
                                   std::uint64_t session_handle, std::unique_ptr<TableCursor> table);
  std::shared_ptr<TableCursor> find_table(std::uint64_t handle) const;
  Status close_table(const std::shared_ptr<Session>& session, std::uint64_t handle);
  Status end_session(std::uint64_t session_handle);

  // JetSetSystemParameter / JetGetSystemParameter. `instance` null means the process: global
  // parameters, or the default for instances created later (or the legacy instance in
  // one-instance mode). Errors: kInvalidParameter (unknown id or bad value),
  // kAlreadyInitialized (fixed once running).
  Status set_param(const std::shared_ptr<Instance>& instance, std::uint32_t id, ParamValue value);
  Result<ParamValue> get_param(const std::shared_ptr<Instance>& instance, std::uint32_t id) const;

  // JetEnableMultiInstance. With no mode yet: sets each parameter as a process default, in
  // order, stopping at the first failure (which is returned; the mode stays unset), then
  // selects multi-instance mode. Already multi-instance: compares instead — a value that
  // differs, a global fixed parameter never set, or one set before but missing from
  // `params` is kSystemParameterConflict; all agreeing is kSystemParamsAlreadySet.
  // `results` receives one Status per entry examined.
  struct ParamSetting {
    std::uint32_t id;
    ParamValue value;
  };
  Status enable_multi_instance(const std::vector<ParamSetting>& params, std::vector<Status>* results);

  // Every instance (created or running), in handle order.
  std::vector<InstanceRef> all_instances() const;

 private:
  // Rolls back, closes the tables and databases of a session that is ending.
  void close_session_objects(Session& session, std::uint64_t session_handle);
  // The legacy instance, new. kRunningInMultiInstanceMode, or kAlreadyInitialized when one
  // exists.
  Result<InstanceRef> create_legacy_instance();

  Status set_process_param_locked(const ParamInfo& info, ParamValue value);

  std::shared_ptr<io::FileSystem> file_system_;  // guarded by mutex_
  HandleTable<Instance> instances_{HandleKind::kInstance};
  HandleTable<Session> sessions_{HandleKind::kSession};
  HandleTable<TableCursor> tables_{HandleKind::kTable};

  mutable std::mutex mutex_;
  Mode mode_ = Mode::kUnset;
  std::uint64_t legacy_handle_ = 0;
  std::set<std::string> names_;
  ParamSet process_params_;  // global parameters and instance defaults
  std::set<std::uint32_t> written_params_;  // process parameters a client has set
};

}  // namespace esent::engine
