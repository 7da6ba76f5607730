// DatabaseFile: one open database file — its header, its free space, and its pages through
// the buffer cache. The PageStore the B+tree layer uses.
//
// Life and the clean/dirty protocol (the header's state field):
//
//   create(): file created exclusively (or truncated when overwriting) and locked; space maps
//     written, file synced; header written with state JustCreated; directory synced. The file
//     then continues as a read-write open (below).
//   open(read-write): OFD-locked exclusively; header verified; the header is rewritten with
//     state DirtyShutdown and synced before any page can be written (ESE marks a database
//     dirty when it is attached).
//   flush(): every dirty page written and the file synced, then the header (size, dbtime)
//     rewritten, still DirtyShutdown.
//   close(): flush(), then the header rewritten with state CleanShutdown and synced; the cache
//     forgets the file and the lock is released. If anything fails the header stays
//     DirtyShutdown on disk and the error is returned. The CleanShutdown header is ESE's
//     (DBFILEHDR::SetDbstate): genMinRequired = genMaxRequired = genCommitted = 0 and
//     logtimeGenMaxCreate null; logtimeConsistent = logtimeDetach = now; lgposConsistent =
//     lgposDetach = what the consistent-position source returns (set_consistent_position_source),
//     or left as they are without one (no log).
//   destroyed without close(): unwritten changes are dropped (as in a crash); the header stays
//     as last written (DirtyShutdown for a read-write open).
//   open(read-only): OFD-locked shared; nothing is ever written (changes → kDatabaseFileReadOnly).
//   open(recovering): a read-write open of a database in any state (crash recovery). The
//     header is verified and marked DirtyShutdown as usual, but the space maps are NOT loaded
//     (space allocation is not logged: after a crash they may be stale or torn). While
//     recovering, redo reaches pages through get_for_redo() (which may grow the file without
//     touching any map); allocate(), free() and free_pages() return kInternalError. Then
//     rebuild_space() formats every map anew from the pages the trees own, and the file is an
//     ordinary read-write open from there on. close() while still recovering writes the
//     header DirtyShutdown, never CleanShutdown (the maps are not trustworthy yet).
//
// dbtime: next_dbtime() is monotonic within a session. The header's dbtime field is a
// high-water mark that no page on disk exceeds: the header written at open reserves
// kDbtimeReservation dbtimes ahead; before a page with a larger dbtime is written the header is
// rewritten with a new mark (again reserving ahead); close() stores the exact last dbtime. A
// reopened database resumes at the mark, so after a crash it continues above every page.
//
// Size: the file grows by the extension size (pages; default 256, ESE's
// JET_paramDbExtensionSize default) when allocation finds no free page, never beyond the
// maximum size (kOutOfDatabaseSpace). The file is extended first; the header records the new
// size at the next flush/close, after the new space maps are on disk, so the header never
// describes pages the file lacks.
//
// Thread-safety: every member may be called from any thread, except that close() and the
// destructor must not race with other calls. Lock order: space mutex → page latches → header
// mutex. Sticky failure: after a failed write or sync of pages or header, every later call that
// would touch the file returns that error.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cache/buffer_cache.h"
#include "cache/page_store.h"
#include "cache/space_manager.h"
#include "io/file_system.h"
#include "page/database_header.h"
#include "util/status.h"

namespace esent::cache {

inline constexpr std::uint32_t kDefaultExtensionSizePages = 256;
inline constexpr std::uint32_t kDefaultInitialSizePages = 64;
// Pages 0 and 1 (header copies) and 2 (the first space map): the smallest database.
inline constexpr std::uint32_t kMinimumDatabaseSizePages = 3;
// dbtimes reserved by one header write while pages are written (see above).
inline constexpr std::uint64_t kDbtimeReservation = std::uint64_t{1} << 20;

struct CreateOptions {
  std::uint32_t page_size_bytes = page::kDefaultPageSize;
  std::uint32_t initial_size_pages = kDefaultInitialSizePages;  // at least 3
  std::uint32_t max_size_pages = 0;                              // 0: unlimited
  std::uint32_t extension_size_pages = kDefaultExtensionSizePages;
  bool overwrite = false;  // truncate an existing file instead of kFileAlreadyExists
};

struct OpenOptions {
  bool read_only = false;
  std::uint32_t expected_page_size = 0;  // 0: any; else kPageSizeMismatch when different
  std::uint32_t extension_size_pages = kDefaultExtensionSizePages;
  // Refuse a database not shut down cleanly (state other than CleanShutdown) with
  // kDatabaseDirtyShutdown, before writing anything.
  bool require_clean_shutdown = false;
  // Crash recovery (see the protocol above): any state accepted (require_clean_shutdown is
  // ignored), space maps not loaded. Not with read_only (kInvalidParameter).
  bool recovering = false;
  // A writable open runs this (when set) once the file passed every check, before its header
  // is first written dirty; an error fails the open with nothing written. The engine makes
  // its attach record durable here: a header on disk marked dirty by an attach must always
  // find that attach in the log, or no recovery would ever make it clean again.
  std::function<Status()> before_dirty_header;
};

// A page handed to redo: latched exclusively; `torn` when its bytes on disk failed
// verification and the page is returned zero-filled instead (recovery must rebuild it from a
// logged page image).
struct RedoPage {
  PageRef page;
  bool torn = false;
};

class DatabaseFile final : public PageStore {
 public:
  // Errors: kFileAlreadyExists (the caller maps it to kDatabaseDuplicate), kInvalidParameter
  // for bad options, and the file system's errors.
  static Result<std::unique_ptr<DatabaseFile>> create(io::FileSystem& file_system,
                                                      BufferCache& cache,
                                                      const std::string& path,
                                                      const CreateOptions& options);
  // Errors: kFileNotFound, kFileAccessDenied (locked by another open), the header errors of
  // read_database_header() (cache/header_io.h), kDatabaseCorrupted for an impossible size or a
  // file shorter than its header says, kSoftRecoveryOnBackupDatabase (a backup copy: its header's
  // bkinfoFullCur is set; only a recovering open takes it), kDatabaseDirtyShutdown
  // (require_clean_shutdown).
  static Result<std::unique_ptr<DatabaseFile>> open(io::FileSystem& file_system,
                                                    BufferCache& cache, const std::string& path,
                                                    const OpenOptions& options);
  ~DatabaseFile() override;

  DatabaseFile(const DatabaseFile&) = delete;
  DatabaseFile& operator=(const DatabaseFile&) = delete;

  // PageStore. get() of a header page, or of a page at or beyond the size → kDatabaseCorrupted;
  // an exclusive latch on a read-only database → kDatabaseFileReadOnly.
  std::uint32_t page_size() const override { return page_size_; }
  Result<PageRef> get(Pgno pgno, LatchMode mode) override;
  Result<PageRef> allocate() override;
  Status free(Pgno pgno) override;
  std::uint64_t next_dbtime() override;
  void settle(Pgno pgno, std::uint64_t log_position) override;
  void abandon(const Status& why) override;

  const std::string& path() const { return path_; }
  bool read_only() const { return read_only_; }

  // The header as last written (for a read-only open: as read). Its size_pages is the size
  // last made durable; size_pages() below is the current one.
  page::DatabaseHeader header() const;
  // The header as found on disk by open() (before it was marked DirtyShutdown).
  const page::DatabaseHeader& header_at_open() const { return header_at_open_; }
  // Changes header fields and writes both copies durably. The fields this class owns are kept
  // as they are whatever `change` does: page size, update sequence, state, dbtime, sizes,
  // space-map roots.
  Status update_header(const std::function<void(page::DatabaseHeader&)>& change);
  // Where the log stands when this database becomes consistent: asked by close() after every
  // page is durable (each page only after the log through its changes, by the write-ahead
  // hook), just before the CleanShutdown header is written, and stored as lgposConsistent and
  // lgposDetach. An error from it fails close() with the header still DirtyShutdown. Without a
  // source (a database used without a log) those positions are left as they are, as ESE does
  // with logging off. `source` must stay callable until close() returns; not thread-safe
  // against close().
  using ConsistentPositionSource = std::function<Result<page::LogPosition>()>;
  void set_consistent_position_source(ConsistentPositionSource source);

  std::uint32_t size_pages() const;
  std::uint32_t max_size_pages() const;
  // Grows the database to at least `pages` (JetSetDatabaseSize); never shrinks. Beyond the
  // maximum size → kOutOfDatabaseSpace.
  Status set_size(std::uint32_t pages);
  // 0 uses the default.
  void set_extension_size_pages(std::uint32_t pages);
  std::uint32_t extension_size_pages() const;

  // The last dbtime handed out (or resumed at open).
  std::uint64_t current_dbtime() const { return dbtime_.load(); }

  // Recovery (only while recovering, else kInternalError). Page `pgno` latched exclusively
  // for redo. A page at or beyond the size grows the file to cover it, in whole extension
  // steps clamped to the maximum size (a page beyond the maximum → kOutOfDatabaseSpace); the
  // new pages are zero. A page failing verification on disk is returned zero-filled with
  // torn = true (BufferCache::get_or_zero); a never-written (all-zero) page as it is. Header
  // pages and space-map pages are never redo targets → kDatabaseCorrupted.
  Result<RedoPage> get_for_redo(Pgno pgno);
  // Ends recovery: every space map for the current size is formatted anew through the cache
  // (the old map pages are never read) so that exactly the pages in `used` (any order) plus
  // the headers and maps are in use. A header page, a map page, a page at or beyond the size
  // or a page listed twice in `used` → kDatabaseCorrupted (and the file stays recovering).
  // Afterwards the file is a normal read-write open. Not recovering → kInternalError.
  Status rebuild_space(const std::vector<Pgno>& used);
  // Redo has seen dbtimes up to `at_least`: next_dbtime() will exceed it from now on. (The
  // header's mark stays ahead of every page written, as always: before-write hook.)
  void raise_dbtime(std::uint64_t at_least);
  bool recovering() const;

  // Every free page below the current size, ascending (for the database checker: every page
  // is a header, a space map, free, or owned by exactly one tree).
  Result<std::vector<Pgno>> free_pages();
  std::uint64_t free_page_count();
  // Whether `pgno` is a space-map page (the checker skips them as it skips pages 0 and 1).
  bool is_space_map_page(Pgno pgno) const { return space_.is_space_map_page(pgno); }

  // For an online backup: pages [first, first + count) as they are on DISK, verified, into
  // `out` (at least count x page size bytes) — BufferCache::read_for_backup, which see. Writes
  // of those pages wait while the read runs; nothing else does. Errors: the sticky failure
  // (or kInvalidOperation after close()); first + count beyond size_pages() →
  // kInvalidParameter; a page failing verification → kReadVerifyFailure /
  // kReadPgnoVerifyFailure with *failed_pgno set to it. Pages 0 and 1 (the header copies) are
  // allowed: they are read under the header mutex (never torn) and verified as headers
  // (page::decode_database_header; any failure → kReadVerifyFailure with *failed_pgno). A
  // backup should still take the header from header(), which is what the pages it copied
  // were written under. Works on read-only opens too.
  Status read_for_backup(Pgno first, std::uint32_t count, std::span<std::byte> out,
                         Pgno* failed_pgno);

  // Writes every dirty page, syncs, then rewrites the header (still DirtyShutdown). On a
  // read-only open: nothing to do.
  Status flush();
  // See the protocol above. Afterwards only the destructor may be called.
  Status close();

  // The sticky failure (success while none).
  Status failure() const;

 private:
  DatabaseFile(BufferCache& cache, std::string path, std::unique_ptr<io::File> file,
               bool read_only, const page::DatabaseHeader& header, std::uint32_t extension,
               bool recovering);

  Status check_usable() const;
  Status check_writable() const;
  // Writes `header` durably as the new header_ (header mutex held). Failure is sticky.
  Status write_header_locked(page::DatabaseHeader header);
  Status reserve_dbtime(std::uint64_t page_dbtime);
  Status grow_locked(std::uint32_t new_size_pages);
  // Flushes pages, then writes the header with `state` and the current size and dbtime.
  Status flush_and_write_header(page::DatabaseState state);

  BufferCache& cache_;
  const std::string path_;
  std::unique_ptr<io::File> file_;
  CacheFile* cache_file_ = nullptr;
  const bool read_only_;
  const std::uint32_t page_size_;

  mutable std::mutex header_mutex_;
  page::DatabaseHeader header_;  // as last written; guarded by header_mutex_
  page::DatabaseHeader header_at_open_;
  Status failure_;  // guarded by header_mutex_
  std::atomic<bool> failed_{false};  // failure_ is set (read without the mutex)
  bool closed_ = false;

  ConsistentPositionSource consistent_position_source_;  // see set_consistent_position_source
  std::atomic<std::uint64_t> dbtime_;
  std::atomic<std::uint64_t> reserved_dbtime_;  // the header's mark on disk

  mutable std::mutex space_mutex_;
  SpaceManager space_;                   // guarded by space_mutex_
  std::uint32_t size_pages_ = 0;         // guarded by space_mutex_
  std::uint32_t max_size_pages_ = 0;     // guarded by space_mutex_
  std::uint32_t extension_size_pages_;   // guarded by space_mutex_
  bool recovering_ = false;              // guarded by space_mutex_; maps not loaded while set
};

}  // namespace esent::cache
