// Instance: one ESE instance (JET_INSTANCE) — its parameters, lifecycle and sessions.
//
// State machine:
//
//   kCreated --init()--> kInitializing --> kRunning --begin_term()--> kTerminating --> kTerminated
//     |  ^ \                    |  (failure: back to kCreated)                 ^
//     |  |  `------------------------------------ begin_term() -----------------'
//     |  `-- (done or failed) --.
//      `--restore()--> kRestoring    (JetRestoreInstance: the instance is left uninitialised;
//                                   meanwhile every call on it gets kRestoreInProgress)
//
// Every API call that works inside the instance first takes an Activity (enter()); while any
// Activity is alive, termination waits for it, and once termination has begun enter() fails
// with kTermInProgress. A stopped service (JetStopServiceInstance) makes enter() fail with
// kClientRequestToStopJetService, but termination still works.
//
// Thread-safety: all methods may be called from any thread; `mutex_` guards the state.
// No method holds `mutex_` while calling out (observers, file system).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "backup/backup.h"
#include "cache/buffer_cache.h"
#include "engine/backup_host.h"
#include "engine/databases.h"
#include "engine/instance_log.h"
#include "engine/recovery.h"
#include "engine/restore.h"
#include "txn/manager.h"
#include "engine/events.h"
#include "engine/params.h"
#include "engine/temp_tables.h"
#include "io/file_system.h"
#include "util/status.h"

namespace esent::engine {

// The identity of the instance's log set (ESE's JET_SIGNATURE): made at the first JetInit.
// Until the log layer persists it, a new one is made at each JetInit.
struct LogSignature {
  std::uint32_t random = 0;
  std::int64_t created_unix_seconds = 0;
  std::string computer_name;
};

// The process-wide (global) parameters an instance's storage is built with.
struct StorageParams {
  std::uint32_t page_size_bytes = 4096;
  std::uint64_t cache_size_pages = 0;
  std::uint64_t version_page_bytes = 32768;  // JET_paramVerPageSize
};

// JET_paramCacheSizeMax defaults to "as much as the machine allows"; frames are allocated on
// demand, so this only bounds growth (4 GiB of 4 KiB pages).
inline constexpr std::uint64_t kCachePagesMost = 1u << 20;

enum class InstanceState { kCreated, kInitializing, kRunning, kTerminating, kTerminated, kRestoring };

// How a call is admitted. Clean-up calls (JetEndSession, later JetRollback and the close
// calls) go on after JetStopServiceInstance, as in ESE.
enum class Admission { kNormal, kIgnoreStopService };

class Instance : public std::enable_shared_from_this<Instance> {
 public:
  Instance(std::string name, std::string display_name, ParamSet params,
           std::shared_ptr<io::FileSystem> file_system, std::string working_directory);

  const std::string& name() const { return name_; }
  const std::string& display_name() const { return display_name_; }
  InstanceState state() const;
  bool running() const { return state() == InstanceState::kRunning; }

  // An admitted call. Move-only; releases its admission when destroyed.
  class Activity {
   public:
    Activity() = default;
    explicit Activity(Instance* instance) : instance_(instance) {}
    Activity(Activity&& other) noexcept : instance_(std::exchange(other.instance_, nullptr)) {}
    Activity& operator=(Activity&& other) noexcept;
    Activity(const Activity&) = delete;
    Activity& operator=(const Activity&) = delete;
    ~Activity();

   private:
    Instance* instance_ = nullptr;
  };

  // Admits a call that needs a running instance. Errors: kNotInitialized (created, not
  // yet initialised), kInitInProgress, kTermInProgress, kClientRequestToStopJetService
  // (not for Admission::kIgnoreStopService).
  Result<Activity> enter(Admission admission = Admission::kNormal);

  // Parameters of this instance (instance-scoped ones; global ones live in Registry).
  ParamValue param(std::uint32_t id) const;
  // Setting the current value always succeeds (as in ESE, even once running); otherwise
  // kAlreadyInitialized when `info` is fixed after init and the instance is not kCreated.
  Status set_param(const ParamInfo& info, ParamValue value);

  // Initialisation in two steps, so the caller knows whether its own attempt failed.
  // begin_init: kCreated -> kInitializing, or kAlreadyInitialized / kInitInProgress /
  // kTermInProgress with nothing changed.
  Status begin_init();
  // complete_init: checks (or with JET_paramCreatePathIfNotExist creates) the system and log
  // folders, makes the buffer cache, and with JET_paramRecovery "on" runs crash recovery
  // (engine/recovery.h) and starts the log; then kRunning. On failure (kInvalidPath,
  // file-system errors, the log's and recovery's errors) back to kCreated.
  Status complete_init(const StorageParams& storage, const RecoveryOptions& recovery = {});

  // JetRestoreInstance and the other restore calls (engine/restore.h), with this instance's
  // parameters: kCreated -> kRestoring -> kCreated, whatever the outcome. Refused before
  // anything happens: kAlreadyInitialized (running), kInitInProgress, kRestoreInProgress,
  // kTermInProgress. Then the folder checks of complete_init and restore's own errors.
  Status restore(const StorageParams& storage, RestoreRequest request);

  // Starts termination: moves to kTerminating (so enter() fails from now on), then waits
  // until no Activity is alive. kTermInProgress if termination already began.
  Status begin_term();
  // Completes termination (kTerminated). Sessions are ended by the Registry.
  void finish_term();

  // JetStopServiceInstance(2) with JET_bitStopServiceAll: every later call not admitted
  // with kIgnoreStopService fails with kClientRequestToStopJetService, for good.
  // (The partial stops — background tasks, cache quiescing — have nothing to stop until
  // those tasks exist, so they need no state yet.)
  void stop_service();
  // JET_bitStopServiceResume: kClientRequestToStopJetService after a full stop (ESE cannot
  // undo one either), success otherwise.
  Status resume_service();

  // Sessions: counted against JET_paramMaxSessions.
  Status add_session(std::uint64_t session_handle);
  void remove_session(std::uint64_t session_handle);
  std::set<std::uint64_t> sessions() const;

  // Storage: the buffer cache and the attached databases exist while the instance runs
  // (made by complete_init; valid for as long as the caller holds an Activity).
  cache::BufferCache& cache() { return *cache_; }
  // JET_paramDatabasePageSize as it was when the instance started (one size per process).
  std::uint32_t page_size_bytes() const { return page_size_bytes_; }
  Databases& databases() { return *databases_; }
  // The write-ahead log; null with JET_paramRecovery "off".
  InstanceLog* log() { return log_.get(); }
  // The online backup of this instance; null with JET_paramRecovery "off" (no log to back up).
  backup::Backup* backup() { return backup_.get(); }
  // What the recovery of the last init did.
  RecoveryStatistics last_recovery() const;
  // Transactions: the commit clock, snapshots, version-store budget and cleanup queue.
  txn::Manager& transactions() { return *transactions_; }
  // The temporary database of the list tables (JET_ColInfoList and friends); made by
  // complete_init with the storage, its file created on first use, closed and removed by
  // close_storage. Shared so that a table handle's close hook can hold it weakly.
  std::shared_ptr<TempTables> temp_tables() const { return temp_tables_; }
  std::shared_ptr<io::FileSystem> file_system() const { return file_system_; }
  const std::string& working_directory() const { return working_directory_; }
  // Detaches every database (flushing it and marking it clean unless `dirty`, which leaves
  // it as a crash would) and frees the cache. Called by the registry during termination.
  Status close_storage(bool dirty);

  // The log set's signature; valid once the instance has been initialised.
  LogSignature log_signature() const;

  // Writes an event under this instance's JET_paramEventSource (see events.h).
  void event(EventLevel level, std::string_view message) const;

  // Test seam: called once inside begin_term(), after the state became kTerminating and
  // before it returns, with no lock held.
  void set_term_observer(std::function<void()> observer);

 private:
  // kCreated → `next`; otherwise the error the state gives (kAlreadyInitialized, ...).
  Status leave_created_locked(InstanceState next);
  // The system and log folders exist (or are made, with JET_paramCreatePathIfNotExist).
  Status prepare_folders();
  LogSettings log_settings(const StorageParams& storage) const;
  void leave();

  const std::string name_;
  const std::string display_name_;
  const std::shared_ptr<io::FileSystem> file_system_;
  const std::string working_directory_;

  mutable std::mutex mutex_;
  std::condition_variable idle_;
  InstanceState state_ = InstanceState::kCreated;
  ParamSet params_;
  bool stopped_all_ = false;
  std::size_t active_calls_ = 0;
  std::set<std::uint64_t> sessions_;
  LogSignature log_signature_;
  std::uint32_t page_size_bytes_ = 4096;
  std::unique_ptr<cache::BufferCache> cache_;
  std::unique_ptr<txn::Manager> transactions_;
  std::unique_ptr<InstanceLog> log_;
  RecoveryStatistics last_recovery_;
  std::unique_ptr<Databases> databases_;
  std::unique_ptr<BackupHost> backup_host_;
  std::unique_ptr<backup::Backup> backup_;
  std::shared_ptr<TempTables> temp_tables_;
  std::function<void()> term_observer_;
};

}  // namespace esent::engine
