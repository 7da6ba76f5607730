// The buffer cache (design and state machine: buffer_cache.h).
//
// Lock order: a frame latch may be held while taking mutex_; a latch is never acquired while
// mutex_ is held (only released). A frame being loaded is owned by its loader without a latch:
// other threads wanting it wait on `loaded_` until it is valid or its load failed.
//
// Backup range locks: CacheFile::backup_ranges lists the ranges being read by
// read_for_backup(), CacheFile::pgnos_in_pwrite the pages whose pwrite is under way; both are
// guarded by mutex_. A writer enters pgnos_in_pwrite only while no range covers its page, and
// a range read starts its pread only once no page of its range is in pgnos_in_pwrite: both
// checks happen under mutex_, so a range read and a pwrite of one of its pages never overlap.
// Writers wait for the range (on backup_range_unlocked_) after taking their copy and running
// the hooks, holding no latch; range reads wait (on write_ended_) only for pwrites, which wait
// for nothing, so there is no cycle.
#include "cache/buffer_cache.h"

#include <algorithm>
#include <cstring>
#include <set>
#include <shared_mutex>
#include <string>
#include <utility>

#include "page/page.h"

namespace esent::cache {

class CacheFile {
 public:
  io::File* file = nullptr;
  std::uint32_t page_size = 0;
  BeforeWriteHook before_write;
  Status failure;                   // sticky; guarded by the cache mutex
  std::size_t writes_in_flight = 0;  // guarded by the cache mutex
  bool closing = false;             // guarded by the cache mutex
  // Backup range locks (see the top comment); guarded by the cache mutex.
  struct PageRange {
    Pgno first;
    std::uint32_t count;
  };
  std::vector<PageRange> backup_ranges;  // read_for_backup() calls in progress (few)
  std::multiset<Pgno> pgnos_in_pwrite;   // pages whose write_at is under way

  bool range_locked(Pgno pgno) const {
    return std::any_of(backup_ranges.begin(), backup_ranges.end(), [pgno](const PageRange& r) {
      return pgno >= r.first && pgno - r.first < r.count;
    });
  }
  bool pwrite_in_range(Pgno first, std::uint32_t count) const {
    auto it = pgnos_in_pwrite.lower_bound(first);
    return it != pgnos_in_pwrite.end() && *it - first < count;
  }
};

enum class FrameState { kUnmapped, kLoading, kValid };

struct CacheFrame {
  // Guarded by the cache mutex.
  CacheFile* file = nullptr;
  Pgno pgno = page::kNoPage;
  FrameState state = FrameState::kUnmapped;
  std::uint32_t pins = 0;
  bool referenced = false;
  bool dirty = false;
  bool writing = false;  // a write of the frame is between its copy and its completion
  bool pending = false;  // changed by a group not yet logged (kPendingLogPosition)
  bool image_needed = false;  // see PageRef::claim_image
  std::uint64_t dirty_version = 0;  // incremented by every mark_dirty
  std::uint64_t max_log_position = 0;
  std::size_t size = 0;  // changed only while unpinned and unmapped
  // Guarded by `latch` while the frame is valid; owned by the loader while loading.
  std::unique_ptr<std::byte[]> data;
  std::shared_mutex latch;
};

namespace {

void latch_frame(CacheFrame* frame, LatchMode mode) {
  if (mode == LatchMode::kExclusive) {
    frame->latch.lock();
  } else {
    frame->latch.lock_shared();
  }
}

void unlatch_frame(CacheFrame* frame, LatchMode mode) {
  if (mode == LatchMode::kExclusive) {
    frame->latch.unlock();
  } else {
    frame->latch.unlock_shared();
  }
}

}  // namespace

std::size_t BufferCache::KeyHash::operator()(const Key& key) const {
  const auto file_bits = reinterpret_cast<std::uintptr_t>(key.file);
  return std::hash<std::uint64_t>()((static_cast<std::uint64_t>(file_bits) << 20) ^
                                    (static_cast<std::uint64_t>(key.pgno) * 0x9E3779B97F4A7C15ull));
}

BufferCache::BufferCache(std::size_t capacity_pages)
    : capacity_pages_(std::max<std::size_t>(capacity_pages, 1)) {}

BufferCache::~BufferCache() = default;

std::size_t BufferCache::capacity_pages() const {
  std::lock_guard lock(mutex_);
  return capacity_pages_;
}

std::size_t BufferCache::resident_pages() const {
  std::lock_guard lock(mutex_);
  return frames_.size();
}

void BufferCache::set_write_ahead_hook(WriteAheadHook hook) {
  std::lock_guard lock(mutex_);
  write_ahead_hook_ = std::move(hook);
}

CacheStatistics BufferCache::statistics() const {
  std::lock_guard lock(mutex_);
  return statistics_;
}

CacheFile* BufferCache::register_file(io::File& file, std::uint32_t page_size_bytes,
                                      BeforeWriteHook before_write) {
  auto entry = std::make_unique<CacheFile>();
  entry->file = &file;
  entry->page_size = page_size_bytes;
  entry->before_write = std::move(before_write);
  std::lock_guard lock(mutex_);
  files_.push_back(std::move(entry));
  return files_.back().get();
}

void BufferCache::unregister_file(CacheFile* file) {
  std::unique_lock lock(mutex_);
  file->closing = true;
  writes_done_.wait(lock, [file] { return file->writes_in_flight == 0; });
  // Range reads started before `closing` finish on their own (they wait only for pwrites).
  backup_range_unlocked_.wait(lock, [file] { return file->backup_ranges.empty(); });
  for (auto& frame : frames_) {
    if (frame->file == file && frame->state != FrameState::kUnmapped) unmap_locked(frame.get());
  }
  trim_locked();
  std::erase_if(files_, [file](const std::unique_ptr<CacheFile>& f) { return f.get() == file; });
}

Status BufferCache::failure(CacheFile* file) const {
  std::lock_guard lock(mutex_);
  return file->failure;
}

void BufferCache::mark_failed(CacheFile* file, const Status& status) {
  {
    std::lock_guard lock(mutex_);
    if (file->failure.ok()) file->failure = status.ok() ? Status(Error::kDiskIO) : status;
  }
  write_ended_.notify_all();  // flushes waiting for pending pages of the file give up
}

std::optional<std::uint64_t> BufferCache::dirty_log_position(CacheFile* file, Pgno pgno) const {
  std::lock_guard lock(mutex_);
  auto it = map_.find(Key{file, pgno});
  if (it == map_.end() || !it->second->dirty) return std::nullopt;
  return it->second->max_log_position;
}

void BufferCache::unmap_locked(CacheFrame* frame) {
  map_.erase(Key{frame->file, frame->pgno});
  frame->state = FrameState::kUnmapped;
  frame->file = nullptr;
  frame->pgno = page::kNoPage;
  frame->dirty = false;
  frame->pending = false;
  frame->max_log_position = 0;
  frame->referenced = false;
}

CacheFrame* BufferCache::new_frame_locked() {
  frames_.push_back(std::make_unique<CacheFrame>());
  return frames_.back().get();
}

void BufferCache::delete_frame_locked(std::size_t index) {
  std::swap(frames_[index], frames_.back());
  frames_.pop_back();
  if (clock_hand_ >= frames_.size()) clock_hand_ = 0;
}

void BufferCache::trim_locked() {
  for (std::size_t i = frames_.size(); i > 0 && frames_.size() > capacity_pages_; --i) {
    CacheFrame* frame = frames_[i - 1].get();
    if (frame->pins != 0) continue;
    const bool discardable = !frame->dirty || !frame->file->failure.ok() || frame->file->closing;
    if (frame->state == FrameState::kUnmapped || discardable) {
      if (frame->state != FrameState::kUnmapped) {
        unmap_locked(frame);
        ++statistics_.evictions;
      }
      delete_frame_locked(i - 1);
    }
  }
}

Status BufferCache::set_capacity_pages(std::size_t capacity_pages) {
  std::unique_lock lock(mutex_);
  capacity_pages_ = std::max<std::size_t>(capacity_pages, 1);
  Status first_error;
  for (;;) {
    trim_locked();
    if (frames_.size() <= capacity_pages_) break;
    // What is left over capacity is pinned or dirty: write one dirty unpinned frame.
    CacheFrame* victim = nullptr;
    for (auto& frame : frames_) {
      if (frame->pins == 0 && frame->state == FrameState::kValid && frame->dirty &&
          !frame->pending) {
        victim = frame.get();
        break;
      }
    }
    if (victim == nullptr) break;  // only pinned frames remain; dropped when released
    ++victim->pins;
    ++victim->file->writes_in_flight;
    lock.unlock();
    Status status = write_frame(victim, /*latched=*/false);
    lock.lock();
    end_write_locked(victim);
    if (!status.ok()) {
      if (first_error.ok()) first_error = status;
      if (victim->dirty) break;  // a hook refused: the frame cannot be written now
    }
  }
  return first_error;
}

void BufferCache::end_write_locked(CacheFrame* frame) {
  CacheFile* file = frame->file;
  --frame->pins;
  if (--file->writes_in_flight == 0) writes_done_.notify_all();
}

Status BufferCache::write_frame(CacheFrame* frame, bool latched) {
  {
    // Writes of one page never overlap: a newer copy written first would be overwritten by an
    // older one still in flight, while the frame counts as clean. A latched caller chose an
    // unpinned frame, so nobody else can be writing it and this never waits holding a latch.
    std::unique_lock lock(mutex_);
    write_ended_.wait(lock, [frame] { return !frame->writing; });
    frame->writing = true;
  }
  Status status = write_claimed_frame(frame, latched);
  {
    std::lock_guard lock(mutex_);
    frame->writing = false;
  }
  write_ended_.notify_all();
  return status;
}

Status BufferCache::write_claimed_frame(CacheFrame* frame, bool latched) {
  if (!latched) {
    // A page changed by a group not yet logged waits for settle() (or its file's failure),
    // holding no latch meanwhile: the group's owner may need the page again.
    std::unique_lock lock(mutex_);
    write_ended_.wait(lock, [frame] { return !frame->pending || !frame->file->failure.ok(); });
    lock.unlock();
    frame->latch.lock_shared();
  }
  CacheFile* file;
  Pgno pgno;
  std::uint64_t version;
  std::uint64_t log_position;
  WriteAheadHook write_ahead;
  {
    std::unique_lock lock(mutex_);
    while (frame->pending && frame->file->failure.ok()) {
      // Re-marked pending between the wait above and the latch: wait again, unlatched.
      frame->latch.unlock_shared();
      write_ended_.wait(lock,
                        [frame] { return !frame->pending || !frame->file->failure.ok(); });
      lock.unlock();
      frame->latch.lock_shared();
      lock.lock();
    }
    file = frame->file;
    pgno = frame->pgno;
    version = frame->dirty_version;
    log_position = frame->max_log_position;
    write_ahead = write_ahead_hook_;
    if (!frame->dirty || frame->state != FrameState::kValid || !file->failure.ok()) {
      frame->latch.unlock_shared();
      return file->failure;
    }
  }
  std::vector<std::byte> copy(frame->data.get(), frame->data.get() + frame->size);
  {
    // The disk copy may be torn from now on: the next logged change needs a page image.
    std::lock_guard lock(mutex_);
    frame->image_needed = true;
  }
  frame->latch.unlock_shared();

  if (write_ahead) ESENT_RETURN_IF_ERROR(write_ahead(log_position));
  if (file->before_write) ESENT_RETURN_IF_ERROR(file->before_write(pgno, copy));
  page::seal(copy, pgno);
  {
    // Backup range lock: a backup reading this page from disk must never see it half written.
    // Wait here, holding no latch (the copy is taken), so only this page's write waits.
    std::unique_lock lock(mutex_);
    backup_range_unlocked_.wait(lock, [file, pgno] { return !file->range_locked(pgno); });
    file->pgnos_in_pwrite.insert(pgno);
  }
  Status status =
      file->file->write_at(static_cast<std::uint64_t>(pgno) * file->page_size, copy);

  std::lock_guard lock(mutex_);
  // Range reads waiting for this pwrite are woken by write_frame's write_ended_ notification.
  file->pgnos_in_pwrite.erase(file->pgnos_in_pwrite.find(pgno));
  if (!status.ok()) {
    if (file->failure.ok()) file->failure = status;
    return status;
  }
  ++statistics_.writes;
  if (frame->dirty_version == version) {
    frame->dirty = false;
    frame->max_log_position = 0;
  }
  return Status::success();
}

Result<CacheFrame*> BufferCache::obtain_frame(std::unique_lock<std::mutex>& lock) {
  trim_locked();
  if (frames_.size() < capacity_pages_) return new_frame_locked();
  // Clock: a referenced frame gets a second chance; two sweeps reach every frame.
  const std::size_t steps = 2 * frames_.size();
  for (std::size_t step = 0; step < steps && !frames_.empty(); ++step) {
    CacheFrame* frame = frames_[clock_hand_].get();
    clock_hand_ = (clock_hand_ + 1) % frames_.size();
    if (frame->pins != 0) continue;
    if (frame->pending && frame->file->failure.ok()) continue;  // its group is not logged yet
    // A dirty page a backup is reading could not be written before the read ends: take
    // another victim rather than make this get() wait for the backup.
    if (frame->state == FrameState::kValid && frame->dirty && frame->file->failure.ok() &&
        !frame->file->closing && frame->file->range_locked(frame->pgno)) {
      continue;
    }
    if (frame->state == FrameState::kUnmapped) return frame;
    if (frame->referenced) {
      frame->referenced = false;
      continue;
    }
    CacheFile* file = frame->file;
    if (frame->dirty && file->failure.ok() && !file->closing) {
      // Write the victim, then let the caller look again (the world moved meanwhile).
      ++frame->pins;
      ++file->writes_in_flight;
      lock.unlock();
      // Never wait for a latch here: the caller may hold other latches.
      if (!frame->latch.try_lock_shared()) {
        lock.lock();
        end_write_locked(frame);
        return static_cast<CacheFrame*>(nullptr);
      }
      Status status = write_frame(frame, /*latched=*/true);
      lock.lock();
      end_write_locked(frame);
      if (!status.ok()) return status;
      return static_cast<CacheFrame*>(nullptr);
    }
    // Clean, or its changes cannot be written any more (failed or closing file).
    unmap_locked(frame);
    ++statistics_.evictions;
    return frame;
  }
  // Every frame is pinned: grow past the capacity rather than wait.
  return new_frame_locked();
}

Result<PageRef> BufferCache::get(CacheFile* file, Pgno pgno, LatchMode mode) {
  return get_or_load(file, pgno, mode, Fill::kRead);
}

Result<PageRef> BufferCache::get_new(CacheFile* file, Pgno pgno) {
  return get_or_load(file, pgno, LatchMode::kExclusive, Fill::kFresh);
}

Result<PageRef> BufferCache::get_or_zero(CacheFile* file, Pgno pgno, bool* torn) {
  *torn = false;
  return get_or_load(file, pgno, LatchMode::kExclusive, Fill::kReadOrZero, torn);
}

Result<PageRef> BufferCache::get_or_load(CacheFile* file, Pgno pgno, LatchMode mode, Fill fill,
                                         bool* torn) {
  const bool fresh = fill == Fill::kFresh;
  std::unique_lock lock(mutex_);
  for (;;) {
    if (!file->failure.ok()) return file->failure;
    if (file->closing) return Status(Error::kInvalidOperation, "file is closing");
    auto it = map_.find(Key{file, pgno});
    if (it != map_.end()) {
      CacheFrame* frame = it->second;
      ++frame->pins;
      frame->referenced = true;
      loaded_.wait(lock, [frame] { return frame->state != FrameState::kLoading; });
      if (frame->state != FrameState::kValid) {
        // Its load failed: look again (and read it ourselves).
        --frame->pins;
        continue;
      }
      ++statistics_.hits;
      lock.unlock();
      latch_frame(frame, mode);
      if (fresh) {
        std::memset(frame->data.get(), 0, frame->size);
        mark_dirty(frame, 0);
      }
      return PageRef(this, frame, frame->data.get(), frame->size, pgno, mode);
    }

    Result<CacheFrame*> obtained = obtain_frame(lock);
    if (!obtained.ok()) return obtained.status();
    CacheFrame* frame = obtained.value();
    if (frame == nullptr) continue;  // the lock was released: look again
    if (frame->size != file->page_size || !frame->data) {
      frame->data = std::make_unique<std::byte[]>(file->page_size);
      frame->size = file->page_size;
    }
    frame->file = file;
    frame->pgno = pgno;
    frame->state = FrameState::kLoading;
    frame->pins = 1;
    frame->referenced = true;
    frame->dirty = false;
    frame->max_log_position = 0;
    map_.emplace(Key{file, pgno}, frame);
    ++statistics_.misses;
    lock.unlock();

    // The frame is ours alone until it is published as valid (others wait on loaded_).
    std::span<std::byte> bytes(frame->data.get(), frame->size);
    Status status;
    if (fresh) {
      std::memset(bytes.data(), 0, bytes.size());
    } else {
      Result<std::size_t> read =
          file->file->read_at(static_cast<std::uint64_t>(pgno) * file->page_size, bytes);
      if (!read.ok()) {
        status = read.status();
      } else {
        // Bytes beyond the end of the file were never written.
        std::memset(bytes.data() + read.value(), 0, bytes.size() - read.value());
        status = page::verify(bytes, pgno);
        if (fill == Fill::kReadOrZero && (status.error() == Error::kReadVerifyFailure ||
                                          status.error() == Error::kReadPgnoVerifyFailure)) {
          // Torn: the bad bytes never become the frame's contents.
          std::memset(bytes.data(), 0, bytes.size());
          *torn = true;
          status = Status::success();
        }
      }
    }

    lock.lock();
    if (!status.ok()) {
      unmap_locked(frame);
      --frame->pins;
      loaded_.notify_all();
      return status;
    }
    if (!fresh) ++statistics_.reads;
    frame->state = FrameState::kValid;
    frame->image_needed = !fresh;
    if (fresh) {
      frame->dirty = true;
      ++frame->dirty_version;
    }
    loaded_.notify_all();
    lock.unlock();
    latch_frame(frame, mode);
    return PageRef(this, frame, frame->data.get(), frame->size, pgno, mode);
  }
}

void BufferCache::unpin(void* opaque_frame, LatchMode mode) {
  auto* frame = static_cast<CacheFrame*>(opaque_frame);
  unlatch_frame(frame, mode);
  std::lock_guard lock(mutex_);
  --frame->pins;
}

void BufferCache::mark_dirty(void* opaque_frame, std::uint64_t log_position) {
  auto* frame = static_cast<CacheFrame*>(opaque_frame);
  std::lock_guard lock(mutex_);
  frame->dirty = true;
  ++frame->dirty_version;
  if (log_position == kPendingLogPosition) {
    frame->pending = true;
  } else {
    frame->max_log_position = std::max(frame->max_log_position, log_position);
  }
}

bool BufferCache::claim_image(void* opaque_frame) {
  auto* frame = static_cast<CacheFrame*>(opaque_frame);
  std::lock_guard lock(mutex_);
  return std::exchange(frame->image_needed, false);
}

void BufferCache::settle(CacheFile* file, Pgno pgno, std::uint64_t log_position) {
  {
    std::lock_guard lock(mutex_);
    auto it = map_.find(Key{file, pgno});
    if (it == map_.end()) return;  // only when the file failed (pending pages stay mapped)
    CacheFrame* frame = it->second;
    frame->pending = false;
    frame->max_log_position = std::max(frame->max_log_position, log_position);
  }
  write_ended_.notify_all();
}

Status BufferCache::read_for_backup(CacheFile* file, Pgno first, std::uint32_t count,
                                    std::span<std::byte> out, Pgno* failed_pgno) {
  const std::size_t page_size = file->page_size;
  const std::size_t total_bytes = static_cast<std::size_t>(count) * page_size;
  if (out.size() < total_bytes) {
    return Status(Error::kInvalidParameter, "backup read buffer smaller than the pages asked");
  }
  if (count == 0) return Status::success();
  {
    std::unique_lock lock(mutex_);
    if (!file->failure.ok()) return file->failure;
    if (file->closing) return Status(Error::kInvalidOperation, "file is closing");
    // Lock first, so no new pwrite of the range starts; then let those under way finish.
    file->backup_ranges.push_back(CacheFile::PageRange{first, count});
    write_ended_.wait(lock, [file, first, count] { return !file->pwrite_in_range(first, count); });
  }
  std::span<std::byte> bytes = out.first(total_bytes);
  Result<std::size_t> read =
      file->file->read_at(static_cast<std::uint64_t>(first) * page_size, bytes);
  {
    std::lock_guard lock(mutex_);
    auto& ranges = file->backup_ranges;
    auto it = std::find_if(ranges.begin(), ranges.end(), [first, count](const auto& range) {
      return range.first == first && range.count == count;
    });
    ranges.erase(it);  // ours (or an identical one: the same to the waiters)
  }
  backup_range_unlocked_.notify_all();
  if (!read.ok()) return read.status();
  // Bytes beyond the end of the file were never written (as in get()).
  std::memset(bytes.data() + read.value(), 0, bytes.size() - read.value());
  for (std::uint32_t i = 0; i < count; ++i) {
    const Pgno pgno = first + i;
    Status status = page::verify(bytes.subspan(i * page_size, page_size), pgno);
    if (!status.ok()) {
      if (failed_pgno != nullptr) *failed_pgno = pgno;
      return status;
    }
  }
  return Status::success();
}

Status BufferCache::flush(CacheFile* file) {
  std::vector<CacheFrame*> dirty;
  {
    std::lock_guard lock(mutex_);
    if (!file->failure.ok()) return file->failure;
    for (auto& frame : frames_) {
      if (frame->file == file && frame->state == FrameState::kValid && frame->dirty) {
        ++frame->pins;
        ++file->writes_in_flight;
        dirty.push_back(frame.get());
      }
    }
  }
  std::sort(dirty.begin(), dirty.end(),
            [](const CacheFrame* a, const CacheFrame* b) { return a->pgno < b->pgno; });
  Status first_error;
  for (CacheFrame* frame : dirty) {
    Status status = first_error.ok() ? write_frame(frame, /*latched=*/false) : Status();
    std::lock_guard lock(mutex_);
    end_write_locked(frame);
    if (!status.ok() && first_error.ok()) first_error = status;
  }
  ESENT_RETURN_IF_ERROR(first_error);
  Status synced = file->file->sync();
  if (!synced.ok()) {
    mark_failed(file, synced);
    return synced;
  }
  return Status::success();
}

}  // namespace esent::cache
