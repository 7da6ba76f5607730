// The demonstration's restore: the full backup and the incremental assembled into one set,
// restored onto the wiped instance with JetRestoreInstance, with progress.
#pragma once

#include <esent.h>

#include <cstdint>
#include <string>

namespace demo {

struct RestoreReport {
  std::uint64_t set_bytes = 0;  // the image and the logs of the assembled set
  int set_files = 0;
  double seconds = 0;           // the JetRestoreInstance call
};

// Copies every file of `full` and then of `incremental` into `chain` (created), as a backup
// application assembles a set, then restores it with JetRestoreInstance onto the instance
// whose log and system folders are `live_folder`/logs and `live_folder` (the databases go back
// to the paths they were backed up from). Prints each call and the progress; returns the
// number of failures.
int restore_chain(const std::string& full, const std::string& incremental, const std::string& chain,
                  const std::string& live_folder, RestoreReport* report);

}  // namespace demo
