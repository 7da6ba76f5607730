// The demonstration's online-backup part: a full streaming backup taken while a writer commits.
#pragma once

#include <string>

// What the backup step leaves for the restore step.
struct BackupOutcome {
  std::string set_folder;              // the images and logs the client wrote
  int first_writer_id = 0;             // the writer inserted ids first_writer_id, +1, ...
  int acknowledged_before_log_info = -1;  // the last id whose durable commit returned before JetGetLogInfo
};

// Runs the step and returns the number of failures (each printed).
int streaming_backup_demo(const std::string& folder, const std::string& database, BackupOutcome* outcome);

// Restores the set into another folder with JetRestoreInstance, then checks it row by row
// against the live database: every row committed before the backup and every writer commit
// acknowledged before JetGetLogInfo is there, nothing that was never committed is. Returns the
// number of failures.
int restore_demo(const std::string& folder, const std::string& database, const BackupOutcome& outcome);
