// create_fresh_file (contract in file_system.h): a staging file the engine creates itself, never
// one reached through a symbolic link and never an existing file it would truncate.
//
// The check before the removal gives the clear error in the common case (a link planted before
// the call); the exclusive, no-follow open is what makes the guarantee hold when something is
// planted between the removal and the open.
#include "io/file_system.h"

namespace esent::io {

Result<std::unique_ptr<File>> create_fresh_file(FileSystem& file_system, const std::string& path) {
  Result<bool> link = file_system.is_symbolic_link(path);
  if (!link.ok()) return link.status();
  if (*link) return Status(Error::kFileAccessDenied, "a symbolic link, not followed: " + path);
  Result<bool> stale = file_system.file_exists(path);
  if (!stale.ok()) return stale.status();
  if (*stale) ESENT_RETURN_IF_ERROR(file_system.remove_file(path));
  OpenOptions options;
  options.write = true;
  options.create = true;
  options.exclusive = true;
  options.no_follow = true;
  return file_system.open_file(path, options);
}

}  // namespace esent::io
