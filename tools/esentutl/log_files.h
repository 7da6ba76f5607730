// Finding the files of a log set by name, as ESENT names them (<base>.log for the current
// generation, <base>XXXXX.log / <base>XXXXXXXX.log archived; .jtx instead of .log without
// JET_bitESE98FileNames), and small file-system questions. Names only: the library checks the
// contents.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace esentutl {

struct LogFileName {
  std::string path;
  std::uint32_t generation = 0;  // from the name; 0 for the current log
  bool current = false;
};

// The logs of `base` in `folder`: archived ones by generation, then the current one.
std::vector<LogFileName> list_logs(const std::string& folder, const std::string& base);

// "logs/E00" → {"logs", "E00"}; "E00" → {".", "E00"}.
std::pair<std::string, std::string> split_base(const std::string& path);

bool is_directory(const std::string& path);
bool is_regular_file(const std::string& path);
// Whether the name ends in .log or .jtx (any case).
bool has_log_extension(const std::string& path);
// Whether the name ends in .chk or .jcp (any case).
bool has_checkpoint_extension(const std::string& path);

}  // namespace esentutl
