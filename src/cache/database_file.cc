// DatabaseFile (design, state machine and contracts: database_file.h).
#include "cache/database_file.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>

#include "cache/header_io.h"
#include "io/system.h"
#include "page/page.h"
#include "page/space_map_format.h"
#include "util/path.h"

namespace esent::cache {

namespace {

}  // namespace

DatabaseFile::DatabaseFile(BufferCache& cache, std::string path, std::unique_ptr<io::File> file,
                           bool read_only, const page::DatabaseHeader& header,
                           std::uint32_t extension, bool recovering)
    : cache_(cache),
      path_(std::move(path)),
      file_(std::move(file)),
      cache_file_(cache_.register_file(
          *file_, header.page_size_bytes,
          [this](Pgno, std::span<const std::byte> page_bytes) -> Status {
            if (read_only_) return Status(Error::kDatabaseFileReadOnly, path_);
            return reserve_dbtime(page::dbtime(page_bytes));
          })),
      read_only_(read_only),
      page_size_(header.page_size_bytes),
      header_(header),
      header_at_open_(header),
      dbtime_(header.dbtime),
      reserved_dbtime_(header.dbtime),
      space_(cache, cache_file_, header.page_size_bytes),
      size_pages_(header.size_pages),
      max_size_pages_(header.max_size_pages),
      extension_size_pages_(extension == 0 ? kDefaultExtensionSizePages : extension),
      recovering_(recovering) {}

DatabaseFile::~DatabaseFile() {
  if (!closed_) {
    cache_.unregister_file(cache_file_);
    file_.reset();
  }
}

Result<std::unique_ptr<DatabaseFile>> DatabaseFile::create(io::FileSystem& file_system,
                                                           BufferCache& cache,
                                                           const std::string& path,
                                                           const CreateOptions& options) {
  if (!page::valid_page_size(options.page_size_bytes)) {
    return Status(Error::kInvalidParameter, "page size");
  }
  if (options.initial_size_pages < kMinimumDatabaseSizePages ||
      (options.max_size_pages != 0 && options.max_size_pages < options.initial_size_pages)) {
    return Status(Error::kInvalidParameter, "database size");
  }
  io::OpenOptions open_options;
  open_options.write = true;
  open_options.create = true;
  open_options.exclusive = !options.overwrite;
  Result<std::unique_ptr<io::File>> opened = file_system.open_file(path, open_options);
  if (!opened.ok()) return opened.status();
  std::unique_ptr<io::File> file = std::move(opened.value());
  // Lock before truncating: an overwrite must not destroy a database someone has open.
  ESENT_RETURN_IF_ERROR(file->lock(/*exclusive=*/true));
  ESENT_RETURN_IF_ERROR(file->truncate(0));
  ESENT_RETURN_IF_ERROR(
      file->truncate(std::uint64_t{options.initial_size_pages} * options.page_size_bytes));

  page::DatabaseHeader header;
  header.page_size_bytes = options.page_size_bytes;
  header.state = page::DatabaseState::kJustCreated;
  header.signature.random = io::random_u32();
  header.signature.created = page::LogTime::from_unix_milliseconds(io::now_unix_seconds() * 1000);
  page::set_computer_name(header.signature, io::host_name());
  header.size_pages = options.initial_size_pages;
  header.max_size_pages = options.max_size_pages;
  header.first_space_map = page::kFirstSpaceMapPage;
  header.space_map_interval_pages = page::space_map_interval_pages(options.page_size_bytes);

  std::unique_ptr<DatabaseFile> database(new DatabaseFile(
      cache, path, std::move(file), false, header, options.extension_size_pages, false));
  {
    std::lock_guard space_lock(database->space_mutex_);
    ESENT_RETURN_IF_ERROR(database->space_.format(options.initial_size_pages));
  }
  // Space maps durable, then the header that describes them, then the directory entry.
  ESENT_RETURN_IF_ERROR(cache.flush(database->cache_file_));
  {
    std::lock_guard header_lock(database->header_mutex_);
    ESENT_RETURN_IF_ERROR(database->write_header_locked(header));
  }
  ESENT_RETURN_IF_ERROR(file_system.sync_directory(parent_directory(path)));
  {
    std::lock_guard header_lock(database->header_mutex_);
    page::DatabaseHeader dirty = database->header_;
    database->header_at_open_ = dirty;
    dirty.state = page::DatabaseState::kDirtyShutdown;
    dirty.attach_time = page::LogTime::from_unix_milliseconds(io::now_unix_seconds() * 1000);
    dirty.dbtime = database->dbtime_.load() + kDbtimeReservation;
    ESENT_RETURN_IF_ERROR(database->write_header_locked(dirty));
  }
  return database;
}

Result<std::unique_ptr<DatabaseFile>> DatabaseFile::open(io::FileSystem& file_system,
                                                         BufferCache& cache,
                                                         const std::string& path,
                                                         const OpenOptions& options) {
  if (options.recovering && options.read_only) {
    return Status(Error::kInvalidParameter, "a read-only open cannot recover");
  }
  io::OpenOptions open_options;
  open_options.write = !options.read_only;
  Result<std::unique_ptr<io::File>> opened = file_system.open_file(path, open_options);
  if (!opened.ok()) return opened.status();
  std::unique_ptr<io::File> file = std::move(opened.value());
  ESENT_RETURN_IF_ERROR(file->lock(/*exclusive=*/!options.read_only));

  Result<page::DatabaseHeader> read = read_database_header(*file, options.expected_page_size);
  if (!read.ok()) return read.status();
  const page::DatabaseHeader& header = read.value();
  if (header.size_pages < kMinimumDatabaseSizePages ||
      header.first_space_map != page::kFirstSpaceMapPage ||
      header.space_map_interval_pages != page::space_map_interval_pages(header.page_size_bytes) ||
      (header.max_size_pages != 0 && header.max_size_pages < header.size_pages)) {
    return Status(Error::kDatabaseCorrupted, "impossible sizes in the database header");
  }
  Result<std::uint64_t> file_size = file->size();
  if (!file_size.ok()) return file_size.status();
  if (file_size.value() < std::uint64_t{header.size_pages} * header.page_size_bytes) {
    return Status(Error::kDatabaseCorrupted, "file shorter than the database size");
  }
  // A copy streamed by an online backup records that backup in bkinfoFullCur; it becomes a
  // database again only through restore (which opens it recovering).
  if (!options.recovering && header.backup_full_current.generation_low != 0) {
    return Status(Error::kSoftRecoveryOnBackupDatabase, path);
  }
  if (options.require_clean_shutdown && !options.recovering &&
      header.state != page::DatabaseState::kCleanShutdown) {
    return Status(Error::kDatabaseDirtyShutdown, path);
  }

  std::unique_ptr<DatabaseFile> database(new DatabaseFile(
      cache, path, std::move(file), options.read_only, header, options.extension_size_pages,
      options.recovering));
  if (!options.recovering) {
    std::lock_guard space_lock(database->space_mutex_);
    ESENT_RETURN_IF_ERROR(database->space_.load(header.size_pages));
  }
  if (!options.read_only) {
    if (options.before_dirty_header) ESENT_RETURN_IF_ERROR(options.before_dirty_header());
    std::lock_guard header_lock(database->header_mutex_);
    page::DatabaseHeader dirty = database->header_;
    dirty.state = page::DatabaseState::kDirtyShutdown;
    // ESE's logtimeAttach: when the database was last attached for writing.
    dirty.attach_time = page::LogTime::from_unix_milliseconds(io::now_unix_seconds() * 1000);
    // Reserve dbtimes ahead in the same write, so the first page writes need no header write.
    dirty.dbtime = database->dbtime_.load() + kDbtimeReservation;
    ESENT_RETURN_IF_ERROR(database->write_header_locked(dirty));
  }
  return database;
}

Status DatabaseFile::failure() const {
  {
    std::lock_guard lock(header_mutex_);
    if (!failure_.ok()) return failure_;
  }
  if (cache_file_ == nullptr) return Status::success();
  return cache_.failure(cache_file_);
}

void DatabaseFile::settle(Pgno pgno, std::uint64_t log_position) {
  cache_.settle(cache_file_, pgno, log_position);
}

void DatabaseFile::abandon(const Status& why) {
  const Status status = why.ok() ? Status(Error::kLogWriteFail) : why;
  {
    std::lock_guard lock(header_mutex_);
    if (failure_.ok()) failure_ = status;
    failed_ = true;
  }
  cache_.mark_failed(cache_file_, status);
}

Status DatabaseFile::check_usable() const {
  if (closed_) return Status(Error::kInvalidOperation, "database file closed");
  // The cache reports its own sticky failure on every page access; only ours is checked here.
  if (failed_.load()) {
    std::lock_guard lock(header_mutex_);
    return failure_;
  }
  return Status::success();
}

Status DatabaseFile::check_writable() const {
  ESENT_RETURN_IF_ERROR(check_usable());
  if (read_only_) return Status(Error::kDatabaseFileReadOnly, path_);
  return Status::success();
}

Status DatabaseFile::write_header_locked(page::DatabaseHeader header) {
  if (read_only_) return Status(Error::kDatabaseFileReadOnly, path_);
  if (!failure_.ok()) return failure_;
  header.update_sequence = header_.update_sequence;
  Status status = write_database_header(*file_, header);
  if (!status.ok()) {
    failure_ = status;
    failed_ = true;
    cache_.mark_failed(cache_file_, status);
    return status;
  }
  header_ = header;
  reserved_dbtime_ = header.dbtime;
  return Status::success();
}

Status DatabaseFile::reserve_dbtime(std::uint64_t page_dbtime) {
  if (page_dbtime <= reserved_dbtime_.load()) return Status::success();
  std::lock_guard lock(header_mutex_);
  if (page_dbtime <= reserved_dbtime_.load()) return Status::success();
  page::DatabaseHeader header = header_;
  header.dbtime = std::max(page_dbtime, dbtime_.load()) + kDbtimeReservation;
  return write_header_locked(header);
}

page::DatabaseHeader DatabaseFile::header() const {
  std::lock_guard lock(header_mutex_);
  return header_;
}

Status DatabaseFile::update_header(const std::function<void(page::DatabaseHeader&)>& change) {
  ESENT_RETURN_IF_ERROR(check_writable());
  std::lock_guard lock(header_mutex_);
  page::DatabaseHeader header = header_;
  change(header);
  header.page_size_bytes = header_.page_size_bytes;
  header.update_sequence = header_.update_sequence;
  header.state = header_.state;
  header.dbtime = header_.dbtime;
  header.size_pages = header_.size_pages;
  header.max_size_pages = header_.max_size_pages;
  header.first_space_map = header_.first_space_map;
  header.space_map_interval_pages = header_.space_map_interval_pages;
  header.page_format_version = header_.page_format_version;
  return write_header_locked(header);
}

void DatabaseFile::set_consistent_position_source(ConsistentPositionSource source) {
  consistent_position_source_ = std::move(source);
}

std::uint32_t DatabaseFile::size_pages() const {
  std::lock_guard lock(space_mutex_);
  return size_pages_;
}

std::uint32_t DatabaseFile::max_size_pages() const {
  std::lock_guard lock(space_mutex_);
  return max_size_pages_;
}

void DatabaseFile::set_extension_size_pages(std::uint32_t pages) {
  std::lock_guard lock(space_mutex_);
  extension_size_pages_ = pages == 0 ? kDefaultExtensionSizePages : pages;
}

std::uint32_t DatabaseFile::extension_size_pages() const {
  std::lock_guard lock(space_mutex_);
  return extension_size_pages_;
}

Status DatabaseFile::grow_locked(std::uint32_t new_size_pages) {
  ESENT_RETURN_IF_ERROR(file_->truncate(std::uint64_t{new_size_pages} * page_size_));
  if (recovering_) {
    // No map is loaded: rebuild_space() formats the maps of the whole size at the end.
    size_pages_ = new_size_pages;
    return Status::success();
  }
  Status status = space_.grow(size_pages_, new_size_pages);
  if (!status.ok()) {
    // The in-memory space bookkeeping is now unreliable: fail the file.
    std::lock_guard lock(header_mutex_);
    if (failure_.ok()) failure_ = status;
    failed_ = true;
    cache_.mark_failed(cache_file_, status);
    return status;
  }
  size_pages_ = new_size_pages;
  return Status::success();
}

Status DatabaseFile::set_size(std::uint32_t pages) {
  ESENT_RETURN_IF_ERROR(check_writable());
  std::lock_guard lock(space_mutex_);
  if (pages <= size_pages_) return Status::success();
  if (max_size_pages_ != 0 && pages > max_size_pages_) {
    return Status(Error::kOutOfDatabaseSpace, "beyond the maximum database size");
  }
  return grow_locked(pages);
}

Result<PageRef> DatabaseFile::get(Pgno pgno, LatchMode mode) {
  ESENT_RETURN_IF_ERROR(check_usable());
  if (read_only_ && mode == LatchMode::kExclusive) {
    return Status(Error::kDatabaseFileReadOnly, path_);
  }
  if (pgno < page::kFirstSpaceMapPage || pgno >= size_pages()) {
    return Status(Error::kDatabaseCorrupted,
                  "page " + std::to_string(pgno) + " is outside the database");
  }
  return cache_.get(cache_file_, pgno, mode);
}

Result<PageRef> DatabaseFile::allocate() {
  ESENT_RETURN_IF_ERROR(check_writable());
  Pgno pgno = page::kNoPage;
  {
    std::lock_guard lock(space_mutex_);
    if (recovering_) return Status(Error::kInternalError, "allocation during recovery");
    Result<Pgno> found = space_.allocate();
    if (!found.ok()) return found.status();
    pgno = found.value();
    if (pgno == page::kNoPage) {
      std::uint64_t target = std::uint64_t{size_pages_} + extension_size_pages_;
      if (max_size_pages_ != 0) target = std::min<std::uint64_t>(target, max_size_pages_);
      target = std::min<std::uint64_t>(target, std::numeric_limits<Pgno>::max());
      if (target <= size_pages_) {
        return Status(Error::kOutOfDatabaseSpace, "the database is at its maximum size");
      }
      ESENT_RETURN_IF_ERROR(grow_locked(static_cast<std::uint32_t>(target)));
      found = space_.allocate();
      if (!found.ok()) return found.status();
      pgno = found.value();
      if (pgno == page::kNoPage) {
        return Status(Error::kInternalError, "no free page after growing");
      }
    }
  }
  return cache_.get_new(cache_file_, pgno);
}

Status DatabaseFile::free(Pgno pgno) {
  ESENT_RETURN_IF_ERROR(check_writable());
  std::lock_guard lock(space_mutex_);
  if (recovering_) return Status(Error::kInternalError, "free during recovery");
  return space_.free(pgno);
}

std::uint64_t DatabaseFile::next_dbtime() { return dbtime_.fetch_add(1) + 1; }

Result<std::vector<Pgno>> DatabaseFile::free_pages() {
  ESENT_RETURN_IF_ERROR(check_usable());
  std::lock_guard lock(space_mutex_);
  if (recovering_) return Status(Error::kInternalError, "space maps not loaded during recovery");
  return space_.free_pages();
}

std::uint64_t DatabaseFile::free_page_count() {
  std::lock_guard lock(space_mutex_);
  return space_.free_page_count();
}

Status DatabaseFile::flush_and_write_header(page::DatabaseState state) {
  ESENT_RETURN_IF_ERROR(check_writable());
  const std::uint32_t size = size_pages();
  ESENT_RETURN_IF_ERROR(cache_.flush(cache_file_));
  const bool clean = state == page::DatabaseState::kCleanShutdown;
  std::optional<page::LogPosition> consistent_position;
  if (clean && consistent_position_source_) {
    // Every page is on disk now, and each went only after the log through its changes.
    Result<page::LogPosition> position = consistent_position_source_();
    if (!position.ok()) return position.status();
    consistent_position = position.value();
  }
  std::lock_guard lock(header_mutex_);
  page::DatabaseHeader header = header_;
  header.state = state;
  if (clean) {
    // ESE's clean header: no log generation is needed any more, and the database was made
    // consistent now, at this log position (logtimeConsistent / logtimeDetach, lgposConsistent
    // / lgposDetach).
    header.generation_min_required = 0;
    header.generation_max_required = 0;
    header.generation_committed = 0;
    header.generation_max_create_time = page::LogTime{};
    header.detach_time = page::LogTime::from_unix_milliseconds(io::now_unix_seconds() * 1000);
    header.consistent_time = header.detach_time;
    if (consistent_position) {
      header.consistent_position = *consistent_position;
      header.detach_position = *consistent_position;
    }
  }
  header.size_pages = std::max(header.size_pages, size);
  header.dbtime = state == page::DatabaseState::kCleanShutdown
                      ? dbtime_.load()
                      : std::max(reserved_dbtime_.load(), dbtime_.load());
  return write_header_locked(header);
}

Status DatabaseFile::read_for_backup(Pgno first, std::uint32_t count, std::span<std::byte> out,
                                     Pgno* failed_pgno) {
  ESENT_RETURN_IF_ERROR(check_usable());
  if (std::uint64_t{first} + count > size_pages()) {
    return Status(Error::kInvalidParameter, "backup read beyond the database size");
  }
  if (out.size() < std::size_t{count} * page_size_) {
    return Status(Error::kInvalidParameter, "backup read buffer smaller than the pages asked");
  }
  // The header copies (pages 0 and 1) are not cache pages: they carry the header's own
  // checksum and are written under header_mutex_, so read and verify them under it.
  while (count > 0 && first <= page::kHeaderCopy1) {
    std::span<std::byte> bytes = out.first(page_size_);
    {
      std::lock_guard lock(header_mutex_);
      Result<std::size_t> read = file_->read_at(std::uint64_t{first} * page_size_, bytes);
      if (!read.ok()) return read.status();
      std::fill(bytes.begin() + static_cast<std::ptrdiff_t>(read.value()), bytes.end(),
                std::byte{0});
    }
    Result<page::DatabaseHeader> decoded = page::decode_database_header(bytes, first);
    if (!decoded.ok()) {
      if (failed_pgno != nullptr) *failed_pgno = first;
      return Status(Error::kReadVerifyFailure, "header copy " + std::to_string(first) + ": " +
                                                   decoded.status().to_string());
    }
    ++first;
    --count;
    out = out.subspan(page_size_);
  }
  return cache_.read_for_backup(cache_file_, first, count, out, failed_pgno);
}

Status DatabaseFile::flush() {
  if (read_only_) return check_usable();  // nothing to write
  return flush_and_write_header(page::DatabaseState::kDirtyShutdown);
}

Status DatabaseFile::close() {
  if (closed_) return Status::success();
  Status status = read_only_    ? Status::success()
                  : recovering() ? flush_and_write_header(page::DatabaseState::kDirtyShutdown)
                                 : flush_and_write_header(page::DatabaseState::kCleanShutdown);
  closed_ = true;
  cache_.unregister_file(cache_file_);
  cache_file_ = nullptr;
  file_.reset();
  return status;
}

bool DatabaseFile::recovering() const {
  std::lock_guard lock(space_mutex_);
  return recovering_;
}

Result<RedoPage> DatabaseFile::get_for_redo(Pgno pgno) {
  ESENT_RETURN_IF_ERROR(check_writable());
  if (pgno < page::kFirstSpaceMapPage || space_.is_space_map_page(pgno)) {
    return Status(Error::kDatabaseCorrupted,
                  "page " + std::to_string(pgno) + " is a header or space-map page");
  }
  {
    std::lock_guard lock(space_mutex_);
    if (!recovering_) return Status(Error::kInternalError, "redo outside recovery");
    if (pgno >= size_pages_) {
      if (max_size_pages_ != 0 && pgno >= max_size_pages_) {
        return Status(Error::kOutOfDatabaseSpace,
                      "page " + std::to_string(pgno) + " is beyond the maximum database size");
      }
      const std::uint64_t step = extension_size_pages_;
      const std::uint64_t missing = std::uint64_t{pgno} + 1 - size_pages_;
      std::uint64_t target = size_pages_ + (missing + step - 1) / step * step;
      if (max_size_pages_ != 0) target = std::min<std::uint64_t>(target, max_size_pages_);
      target = std::min<std::uint64_t>(target, std::numeric_limits<Pgno>::max());
      ESENT_RETURN_IF_ERROR(grow_locked(static_cast<std::uint32_t>(target)));
    }
  }
  RedoPage redo;
  Result<PageRef> ref = cache_.get_or_zero(cache_file_, pgno, &redo.torn);
  if (!ref.ok()) return ref.status();
  redo.page = std::move(ref).value();
  return redo;
}

Status DatabaseFile::rebuild_space(const std::vector<Pgno>& used) {
  ESENT_RETURN_IF_ERROR(check_writable());
  std::vector<Pgno> sorted = used;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    return Status(Error::kDatabaseCorrupted,
                  "page " + std::to_string(*std::adjacent_find(sorted.begin(), sorted.end())) +
                      " is used twice");
  }
  std::lock_guard lock(space_mutex_);
  if (!recovering_) return Status(Error::kInternalError, "space rebuilt outside recovery");
  Status status = space_.rebuild(size_pages_, sorted);
  if (!status.ok()) {
    if (status.error() != Error::kDatabaseCorrupted) {
      // Maps half-formatted in the cache: nothing about space can be trusted any more.
      std::lock_guard header_lock(header_mutex_);
      if (failure_.ok()) failure_ = status;
      failed_ = true;
      cache_.mark_failed(cache_file_, status);
    }
    return status;
  }
  recovering_ = false;
  return Status::success();
}

void DatabaseFile::raise_dbtime(std::uint64_t at_least) {
  std::uint64_t current = dbtime_.load();
  while (current < at_least && !dbtime_.compare_exchange_weak(current, at_least)) {
  }
}

}  // namespace esent::cache
