// BackupHost: what the backup layer (backup/backup.h) needs from one running instance — its log,
// checkpoint, attached databases and event source — implemented over InstanceLog and Databases.
//
// Lives while the instance's storage does (made by Instance::complete_init with the log, gone in
// close_storage). Thread-safety: every member may be called from any thread.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "backup/backup.h"
#include "engine/databases.h"
#include "engine/instance_log.h"

namespace esent::engine {

class BackupHost final : public backup::Host {
 public:
  using EventSink = std::function<void(backup::EventKind, std::string_view)>;

  BackupHost(io::FileSystem& file_system, InstanceLog& log, Databases& databases, EventSink events)
      : file_system_(file_system), log_(log), databases_(databases), events_(std::move(events)) {}

  io::FileSystem& file_system() override { return file_system_; }
  log::LogWriter& log_writer() override { return log_.writer(); }
  const log::LogConfig& log_config() const override { return log_.settings().config; }
  const std::string& checkpoint_path() const override { return log_.settings().checkpoint_path; }
  std::vector<backup::AttachedDatabase> attached_databases() override;
  log::Lgpos current_checkpoint() override { return log_.last_checkpoint(); }
  void set_log_floor(std::uint32_t generation) override { log_.set_log_floor(generation); }
  Result<log::Lgpos> log_backup(backup::BackupPhase phase) override {
    return log_.log_backup(static_cast<std::uint8_t>(phase));
  }
  Status record_backup_mark(backup::MarkKind kind, const log::BackupMark& mark) override;
  void event(backup::EventKind kind, std::string_view message) override { events_(kind, message); }

 private:
  io::FileSystem& file_system_;
  InstanceLog& log_;
  Databases& databases_;
  EventSink events_;
};

}  // namespace esent::engine
