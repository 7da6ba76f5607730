#include "log/log_config.h"

#include "log/log_format.h"

namespace esent::log {

Status validate_config(const LogConfig& config) {
  if (config.directory.empty()) {
    return Status(Error::kInvalidParameter, "log directory is empty");
  }
  if (config.naming.base_name.empty()) {
    return Status(Error::kInvalidParameter, "log base name is empty");
  }
  if (config.file_size_bytes % kSectorBytes != 0 || config.file_size_bytes < kMinFileBytes ||
      config.file_size_bytes > kMaxFileBytes) {
    return Status(Error::kInvalidParameter,
                  "log file size must be a multiple of 512 in [64 KiB, 32 MiB]");
  }
  if (config.buffer_bytes / kSectorBytes < 4) {
    return Status(Error::kInvalidParameter, "log buffer must hold at least 4 sectors");
  }
  return Status::success();
}

}  // namespace esent::log
