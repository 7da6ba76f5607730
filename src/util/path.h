// Path normalisation. Clients built for Windows mix `\` and `/` and append a trailing `\` to
// folders; the library stores and reports paths absolute, `/`-separated, with `.` and `..`
// resolved lexically (no file-system access: the caller supplies the working directory).
#pragma once

#include <string>
#include <string_view>

namespace esent {

// `path` made absolute against `working_directory` (itself absolute), `\` read as `/`,
// repeated separators folded, `.` and `..` resolved. A trailing separator is kept.
std::string normalize_path(std::string_view path, std::string_view working_directory);

// normalize_path() with exactly one trailing `/` (a folder parameter such as the log path).
std::string normalize_folder(std::string_view path, std::string_view working_directory);

// The folder holding `path` (for sync_directory after creating or renaming it): "/" for an
// entry of the root, "." for a name without a `/`.
std::string parent_directory(std::string_view path);

// The last component of `path` (all of it when it has no `/`).
std::string file_name(std::string_view path);

}  // namespace esent
