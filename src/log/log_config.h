// The configuration shared by the log writer and the log reader.
#pragma once

#include <cstdint>
#include <string>

#include "log/log_names.h"
#include "util/status.h"

namespace esent::log {

struct LogConfig {
  std::string directory;  // JET_paramLogFilePath, absolute
  LogNaming naming;
  // JET_paramLogFileSize KB × 1024: a multiple of 512 in [64 KiB, 32 MiB].
  std::uint32_t file_size_bytes = 5120 * 1024;
  // JET_paramLogBuffers × 512: at least 4 sectors (rounded down to whole sectors).
  std::uint32_t buffer_bytes = 126 * 512;
  bool circular = false;  // JET_paramCircularLog
  std::uint32_t page_size_bytes = 8192;  // recorded in each header, informational
  // Test-only: skip every fsync of a log file (directory syncs still happen). Crash tests use
  // it to prove that they can fail.
  bool skip_sync_for_testing = false;
};

// kInvalidParameter when the sizes are out of range.
Status validate_config(const LogConfig& config);

}  // namespace esent::log
