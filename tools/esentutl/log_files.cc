// Log set file names (log_files.h).
#include "log_files.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>

namespace esentutl {
namespace {

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::vector<LogFileName> list_logs(const std::string& folder, const std::string& base) {
  std::vector<LogFileName> logs;
  DIR* dir = opendir(folder.c_str());
  if (dir == nullptr) return logs;
  const std::string low_base = lower(base);
  while (dirent* entry = readdir(dir)) {
    const std::string name = entry->d_name;
    const std::string low = lower(name);
    if (!ends_with(low, ".log") && !ends_with(low, ".jtx")) continue;
    if (low.rfind(low_base, 0) != 0) continue;
    const std::string middle = low.substr(low_base.size(), low.size() - low_base.size() - 4);
    LogFileName log;
    log.path = folder + (folder.empty() || folder.back() == '/' ? "" : "/") + name;
    if (middle.empty()) {
      log.current = true;
    } else if ((middle.size() == 5 || middle.size() == 8) &&
               std::all_of(middle.begin(), middle.end(), [](char c) {
                 return std::isxdigit(static_cast<unsigned char>(c)) != 0;
               })) {
      log.generation = static_cast<std::uint32_t>(std::stoul(middle, nullptr, 16));
    } else {
      continue;
    }
    logs.push_back(log);
  }
  closedir(dir);
  std::sort(logs.begin(), logs.end(), [](const LogFileName& a, const LogFileName& b) {
    if (a.current != b.current) return b.current;
    return a.generation < b.generation;
  });
  return logs;
}

std::pair<std::string, std::string> split_base(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return {".", path};
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

bool is_directory(const std::string& path) {
  struct stat info {};
  return stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

bool is_regular_file(const std::string& path) {
  struct stat info {};
  return stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

bool has_log_extension(const std::string& path) {
  const std::string low = lower(path);
  return ends_with(low, ".log") || ends_with(low, ".jtx");
}

bool has_checkpoint_extension(const std::string& path) {
  const std::string low = lower(path);
  return ends_with(low, ".chk") || ends_with(low, ".jcp");
}

}  // namespace esentutl
