#include "util/path.h"

#include <vector>

namespace esent {

std::string normalize_path(std::string_view path, std::string_view working_directory) {
  std::string joined;
  bool absolute = !path.empty() && (path.front() == '/' || path.front() == '\\');
  if (!absolute) {
    joined.assign(working_directory);
    joined.push_back('/');
  }
  joined.append(path);
  bool trailing_separator = !joined.empty() && (joined.back() == '/' || joined.back() == '\\');

  std::vector<std::string_view> parts;
  std::string_view rest = joined;
  while (!rest.empty()) {
    std::size_t end = rest.find_first_of("/\\");
    std::string_view part = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }

  std::string out;
  for (std::string_view part : parts) {
    out.push_back('/');
    out.append(part);
  }
  if (out.empty() || trailing_separator) out.push_back('/');
  return out;
}

std::string normalize_folder(std::string_view path, std::string_view working_directory) {
  std::string out = normalize_path(path, working_directory);
  if (out.back() != '/') out.push_back('/');
  return out;
}

std::string parent_directory(std::string_view path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

std::string file_name(std::string_view path) {
  const std::size_t slash = path.find_last_of('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

}  // namespace esent
