// The buffer cache: page frames shared by every database file of an instance.
//
// A frame holds one page of one registered file, keyed by (file, page number). Its life:
//
//   unmapped --get() miss--> loading (owned by the loader, page being read; others wait)
//   loading --read+verify ok--> valid;  loading --read or verify failed--> unmapped (the error
//     goes to the loader; threads that waited for the frame retry and read again themselves)
//   valid (clean) --mark_dirty()--> valid (dirty) --written by eviction/flush--> valid (clean)
//   valid, unpinned --chosen by the clock--> unmapped (a dirty victim is written first)
//
// Contracts:
// - Thread-safety: every member function may be called from any thread. One mutex guards the
//   map and every frame's bookkeeping (pins, dirty state); it is never held during I/O or while
//   waiting for a latch. Page bytes are guarded by the frame's reader/writer latch (PageRef).
// - Pins: a pinned frame is never evicted or reused. PageRef unpins when released.
// - Capacity is in frames. When every frame is pinned, get() allocates a frame beyond the
//   capacity rather than deadlock; surplus frames are dropped as they become unpinned and clean
//   (set_capacity_pages() and later misses trim them). A shrink that meets pinned or dirty
//   frames writes the dirty ones and leaves pinned ones until they are released.
// - Writes: every page is written from a private copy taken under a shared latch (never while
//   anyone holds it exclusively), after (1) the write-ahead hook succeeds for the largest log
//   position the page was marked dirty with, and (2) the file's before-write hook succeeds;
//   the copy is sealed (page::seal) just before the write, so callers never compute checksums.
//   Writes of one page are serialized, so the disk always ends with the newest copy written.
// - Pending changes (kPendingLogPosition, page_store.h): eviction never picks a pending frame;
//   flush() waits until settle() or the file's failure. image_needed (claim_image) is set when
//   a page is read from disk and when a write copies it.
//   A failing hook leaves the page dirty and unwritten; the error is returned.
// - Reads verify every page (page::verify); a page that fails is never cached and its error
//   (kReadVerifyFailure, kReadPgnoVerifyFailure) is returned to the caller.
// - Sticky failure: after a failed write or sync of a file, the file is failed: every later
//   get/flush on it returns that error, its dirty pages are never written again (eviction
//   discards them), and nothing is retried or reported durable.
// - Backup range locks (read_for_backup, ESE's range lock): while a backup reads pages
//   [first, first + count) of a file straight from disk, a write of a page in the range that
//   has not reached its pwrite waits just before it (holding no latch, after its copy and
//   hooks), and the read itself starts only once the pwrites of pages in the range already
//   under way have finished. So no page the backup reads is torn, and nothing else waits:
//   gets, latches, evictions that pick other pages, writes of other pages. A range read waits
//   for nothing but pwrites in progress, so it always finishes and the writers it holds back
//   (flush, eviction, unregister_file) always go on.
// - Eviction never waits for a latch (it only takes victims whose latch is free), so a thread
//   holding latches may call get() safely. flush() does wait for latches: call it holding no
//   latch on a page of that file.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "cache/page_store.h"
#include "io/file_system.h"
#include "util/status.h"

namespace esent::cache {

// Called before a dirty page is written with the largest log position it was marked with; it
// must make the log durable up to there. A failure prevents the write.
using WriteAheadHook = std::function<Status(std::uint64_t log_position)>;

// Called for each page of one file just before it is written, with the unsealed copy that is
// about to be written (DatabaseFile uses it to keep its header's dbtime high-water mark ahead
// of every page on disk). A failure prevents the write.
using BeforeWriteHook = std::function<Status(Pgno pgno, std::span<const std::byte> page)>;

struct CacheStatistics {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::uint64_t reads = 0;
  std::uint64_t writes = 0;
  std::uint64_t evictions = 0;
};

class CacheFile;  // a registered file; opaque outside buffer_cache.cc
struct CacheFrame;

class BufferCache : public PageOwner {
 public:
  explicit BufferCache(std::size_t capacity_pages);
  // Every file must have been unregistered.
  virtual ~BufferCache();
  BufferCache(const BufferCache&) = delete;
  BufferCache& operator=(const BufferCache&) = delete;

  std::size_t capacity_pages() const;
  // Sets the capacity (at least 1). Shrinking evicts unpinned frames now, writing dirty ones;
  // returns the first write error met (the frame stays dirty unless its file failed).
  Status set_capacity_pages(std::size_t capacity_pages);
  // Frames currently allocated (may exceed the capacity while frames are pinned).
  std::size_t resident_pages() const;

  // The write-ahead hook of every file (default: none, every write may proceed).
  void set_write_ahead_hook(WriteAheadHook hook);

  // Registers an open file whose pages are `page_size_bytes` long. The file must outlive its
  // registration. Returns the handle to pass to the other calls.
  CacheFile* register_file(io::File& file, std::uint32_t page_size_bytes,
                           BeforeWriteHook before_write = {});
  // Drops every frame of the file, discarding changes not yet written (like a crash). Waits
  // for writes of the file in progress. No page of the file may be pinned.
  void unregister_file(CacheFile* file);

  // Pins and latches page `pgno`, reading and verifying it on a miss.
  Result<PageRef> get(CacheFile* file, Pgno pgno, LatchMode mode);
  // Pins and latches page `pgno` exclusively without reading it: its bytes are zero-filled and
  // the frame is dirty (a newly allocated page).
  Result<PageRef> get_new(CacheFile* file, Pgno pgno);
  // For crash recovery (redo): pins and latches page `pgno` exclusively like get(), except that
  // a page failing verification on read (kReadVerifyFailure, kReadPgnoVerifyFailure: torn or
  // misplaced on disk) is not an error: the frame is published ZERO-FILLED and clean, and
  // `*torn` is set. The bad bytes are never cached; the disk keeps them until the caller
  // rebuilds the page and it is written back (if it is evicted first, the next read finds them
  // again). A cached page, or a page that verifies (all-zero included), gives *torn = false.
  Result<PageRef> get_or_zero(CacheFile* file, Pgno pgno, bool* torn);

  // Writes every dirty page of the file, then syncs the file. Waits for latches.
  Status flush(CacheFile* file);

  // For an online backup: reads pages [first, first + count) of `file` from DISK, never from
  // the cache (a dirty cached page may be newer than the durable log; the disk image is what
  // the write-ahead rule keeps consistent), into the first count x page size bytes of `out`
  // (any alignment; a smaller `out` → kInvalidParameter; count 0 reads nothing). The range is locked while the read runs (see the
  // top comment): pwrites of its pages already under way are waited for first, later writes
  // of its pages wait until the read ends; several range reads (even overlapping) may run at
  // once. One read_at call covers the whole run, made without the cache mutex.
  // Each page is then verified (page::verify: checksum with the page number as identity, an
  // all-zero page accepted): the first page that fails → its error (kReadVerifyFailure or
  // kReadPgnoVerifyFailure) with *failed_pgno set to it (failed_pgno may be null). A short
  // read (the io layer reports fewer bytes at the end of the file, without error) leaves the
  // pages past the end zero-filled, i.e. read as never written and accepted, exactly as get()
  // treats them; callers are expected never to ask beyond the file's size. Errors: the file's
  // sticky failure; kInvalidOperation once unregister_file() has begun; read_at's I/O errors.
  // Holds no latch and no pin, so it may be called holding latches. Concurrent with
  // unregister_file(), either this returns kInvalidOperation or unregister_file() waits for
  // it; never call it once unregister_file() has returned (the handle is gone).
  Status read_for_backup(CacheFile* file, Pgno first, std::uint32_t count,
                         std::span<std::byte> out, Pgno* failed_pgno);

  // The file's sticky failure (success while it has none).
  Status failure(CacheFile* file) const;
  // Marks the file failed (e.g. its owner failed to write its header).
  void mark_failed(CacheFile* file, const Status& status);

  // The largest log position of a cached dirty page; nullopt if it is not cached or clean.
  std::optional<std::uint64_t> dirty_log_position(CacheFile* file, Pgno pgno) const;

  CacheStatistics statistics() const;

  // PageOwner (called by PageRef).
  void unpin(void* frame, LatchMode mode) override;
  void mark_dirty(void* frame, std::uint64_t log_position) override;
  bool claim_image(void* frame) override;

  // See PageStore::settle. A page not cached any more (its file failed) is ignored.
  void settle(CacheFile* file, Pgno pgno, std::uint64_t log_position);

 private:
  struct Key {
    CacheFile* file;
    Pgno pgno;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& key) const;
  };

  // How a miss fills the frame: read and verify; zero-fill (get_new); read, and zero-fill
  // what fails verification (get_or_zero).
  enum class Fill { kRead, kFresh, kReadOrZero };
  Result<PageRef> get_or_load(CacheFile* file, Pgno pgno, LatchMode mode, Fill fill,
                              bool* torn = nullptr);
  // A frame with no pins and no mapping, ready for reuse; may release and re-take `lock` to
  // write a dirty victim, in which case it returns nullptr and the caller retries its lookup.
  Result<CacheFrame*> obtain_frame(std::unique_lock<std::mutex>& lock);
  CacheFrame* new_frame_locked();
  void unmap_locked(CacheFrame* frame);
  // Deletes clean, unpinned frames while over capacity.
  void trim_locked();
  void delete_frame_locked(std::size_t index);
  // Writes one pinned frame (the caller pinned it and counted the file's write in flight).
  // `latched`: the caller already holds its shared latch (released here after the copy).
  Status write_frame(CacheFrame* frame, bool latched);
  // write_frame's work once it owns the frame's only write in progress.
  Status write_claimed_frame(CacheFrame* frame, bool latched);
  void end_write_locked(CacheFrame* frame);

  mutable std::mutex mutex_;
  std::condition_variable writes_done_;
  std::condition_variable loaded_;  // a frame left the loading state
  // A frame's write finished (CacheFrame::writing), a pending frame was settled, or a file
  // failed.
  std::condition_variable write_ended_;
  // A backup range lock was released (CacheFile::backup_ranges shrank).
  std::condition_variable backup_range_unlocked_;
  std::size_t capacity_pages_;
  std::vector<std::unique_ptr<CacheFrame>> frames_;
  std::size_t clock_hand_ = 0;
  std::unordered_map<Key, CacheFrame*, KeyHash> map_;
  std::vector<std::unique_ptr<CacheFile>> files_;
  WriteAheadHook write_ahead_hook_;
  CacheStatistics statistics_;
};

}  // namespace esent::cache
