#include "engine/temp_tables.h"

#include <utility>

#include "util/path.h"

namespace esent::engine {

namespace {
constexpr const char* kTempFileName = "tmp.edb";
}  // namespace

TempTables::TempTables(std::shared_ptr<io::FileSystem> file_system, cache::BufferCache& cache,
                       std::string temp_path, std::string working_directory,
                       std::uint32_t page_size_bytes)
    : file_system_(std::move(file_system)),
      cache_(cache),
      temp_path_(std::move(temp_path)),
      working_directory_(std::move(working_directory)),
      page_size_bytes_(page_size_bytes) {}

TempTables::~TempTables() { (void)close(); }

Result<std::string> TempTables::database_path() const {
  if (temp_path_.empty()) return normalize_folder(working_directory_, working_directory_) + kTempFileName;
  // The parameter keeps a bare file name as given: it is relative to the working directory.
  const std::string path = normalize_path(temp_path_, working_directory_);
  if (path.back() == '/') return path + kTempFileName;
  Result<bool> directory = file_system_->directory_exists(path);
  if (!directory.ok()) return directory.status();
  if (directory.value()) return path + "/" + kTempFileName;
  return path;
}

Status TempTables::open_locked() {
  if (closed_) return Error::kTermInProgress;
  if (database_) return Status::success();
  Result<std::string> path = database_path();
  if (!path.ok()) return path.status();
  catalog::DatabaseOptions options;
  options.page_size = page_size_bytes_;
  options.overwrite = true;
  Result<std::shared_ptr<catalog::Database>> database =
      catalog::Database::create(*file_system_, cache_, path.value(), options);
  if (!database.ok()) return database.status();
  database_ = std::move(database).value();
  open_path_ = std::move(path).value();
  return Status::success();
}

Result<std::shared_ptr<catalog::Table>> TempTables::create_table(
    std::vector<catalog::ColumnDef>& columns) {
  std::lock_guard lock(mutex_);
  ESENT_RETURN_IF_ERROR(open_locked());
  catalog::TableDef definition;
  // The temporary database holds only list tables, so a counter keeps the names unique.
  definition.name = "List" + std::to_string(next_table_number_++);
  definition.columns = columns;
  Result<std::shared_ptr<catalog::Table>> table = database_->create_table(definition);
  if (!table.ok()) return table.status();
  columns = definition.columns;
  return table;
}

std::shared_ptr<catalog::Database> TempTables::database() {
  std::lock_guard lock(mutex_);
  return database_;
}

void TempTables::drop(const std::string& name) {
  std::lock_guard lock(mutex_);
  if (closed_ || !database_) return;
  (void)database_->delete_table(name);
}

Status TempTables::close() {
  std::lock_guard lock(mutex_);
  if (closed_) return Status::success();
  closed_ = true;
  if (!database_) return Status::success();
  Status status = database_->close();
  database_.reset();
  Status removed = file_system_->remove_file(open_path_);
  return status.ok() ? removed : status;
}

}  // namespace esent::engine
