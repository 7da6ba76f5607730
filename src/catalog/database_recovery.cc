// Crash recovery of one database at the catalog layer (contracts: database.h).
//
//   open_for_recovery: the file opens recovering (any shutdown state; space maps not loaded,
//     allocation refused). Redo works on pages through file().get_for_redo().
//   finish_recovery: the trees are the truth. Space allocation and the header's next object id
//     are never logged, so both are recomputed from what the catalog reaches: every tree is
//     walked and verified (the checker's walk), the space maps are formatted anew with exactly
//     the pages the trees own in use, and next_object_id is raised above every id found. On
//     success the database is an ordinary read-write open; on failure it stays recovering
//     (nothing can be allocated) and the error is returned.
#include <algorithm>
#include <string>

#include "catalog/database.h"

namespace esent::catalog {

Result<std::shared_ptr<Database>> Database::open_for_recovery(io::FileSystem& file_system,
                                                              cache::BufferCache& cache,
                                                              const std::string& path,
                                                              const DatabaseOptions& options) {
  if (options.read_only) return Status(Error::kInvalidParameter, "recovery needs write access");
  cache::OpenOptions open_options;
  open_options.expected_page_size = options.page_size;
  open_options.recovering = true;
  Result<std::unique_ptr<cache::DatabaseFile>> file =
      cache::DatabaseFile::open(file_system, cache, path, open_options);
  if (!file.ok()) return file.status();
  std::shared_ptr<Database> database(new Database(path, false, std::move(file).value()));
  // Redo may still change the header (a database created inside the log): the catalog root
  // is taken again by finish_recovery.
  database->catalog_root_ = database->file_->header().catalog_root;
  return database;
}

Status Database::finish_recovery() {
  std::lock_guard lock(schema_mutex_);
  if (!file_->recovering()) return Status(Error::kInternalError, "database is not recovering");
  catalog_root_ = file_->header().catalog_root;
  if (catalog_root_ == page::kNoPage) {
    return Status(Error::kDatabaseCorrupted, "database has no catalog: " + path_);
  }
  Result<TreeWalk> walked = walk_trees();
  if (!walked.ok()) {
    const Error error = walked.status().error();
    if (error == Error::kReadVerifyFailure || error == Error::kReadPgnoVerifyFailure) {
      // A page redo did not rebuild: the trees are damaged.
      return Status(Error::kDatabaseCorrupted, walked.status().detail());
    }
    return walked.status();
  }
  ESENT_RETURN_IF_ERROR(file_->rebuild_space(walked->pages));
  const std::uint32_t next_object_id = walked->largest_object_id + 1;
  return file_->update_header([next_object_id](page::DatabaseHeader& header) {
    header.next_object_id = std::max(header.next_object_id, next_object_id);
  });
}

}  // namespace esent::catalog
