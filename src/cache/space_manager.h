// Free-space management of one database file over its space-map pages
// (page/space_map_format.h, docs/format/space.md).
//
// Space-map pages sit at fixed page numbers, so no root has to be found: map k is page
// kFirstSpaceMapPage + k * interval and covers the `interval` pages starting at itself.
// In memory the manager keeps only a count of free pages per map (read once at load); the
// bits themselves live in the map pages, reached through the buffer cache like any page (so
// they are verified on read, sealed on write, and written back by eviction or flush).
//
// Allocation is deterministic: it takes the lowest free page number.
//
// Thread-safety: none; the owner (DatabaseFile) serialises every call with its space mutex.
// Map pages are latched only inside a call, and never while another latch is waited for.
// Space-map changes are never logged: after a crash the maps are as last written (stale, even
// torn). Crash recovery therefore does not load them; once redo has restored the trees it
// calls rebuild() with every page the trees own, which formats every map anew.
#pragma once

#include <cstdint>
#include <vector>

#include "cache/buffer_cache.h"
#include "page/space_map_format.h"
#include "util/status.h"

namespace esent::cache {

class SpaceManager {
 public:
  SpaceManager(BufferCache& cache, CacheFile* file, std::uint32_t page_size_bytes);

  // Reads every map page of a database of `size_pages` pages and counts its free pages.
  Status load(std::uint32_t size_pages);

  // Initialises the maps of a brand-new database (no map exists yet) of `size_pages`.
  Status format(std::uint32_t size_pages);

  // Formats every map of a database of `size_pages` anew (through get_new: the old map pages
  // are never read) so that exactly the pages of `used_sorted` (ascending, no duplicates) and
  // the map pages are in use. A header page, a map page or a page at or beyond `size_pages` in
  // `used_sorted` → kDatabaseCorrupted before anything changes. Replaces whatever was loaded.
  Status rebuild(std::uint32_t size_pages, const std::vector<Pgno>& used_sorted);

  // Extends the managed space from `old_size_pages` to `new_size_pages`: the new pages are
  // free (stale bits from an earlier, lost growth are cleared); new map pages are created.
  Status grow(std::uint32_t old_size_pages, std::uint32_t new_size_pages);

  // The lowest free page, now marked in use; kNoPage when every page is in use.
  Result<Pgno> allocate();

  // Marks an in-use page free. A header page, a map page, a page beyond the size or a page
  // already free → kDatabaseCorrupted (the caller's bookkeeping is broken).
  Status free(Pgno pgno);

  // Every free page, ascending.
  Result<std::vector<Pgno>> free_pages();

  std::uint64_t free_page_count() const;

  // Whether `pgno` is a space-map page (any position, in range or not).
  bool is_space_map_page(Pgno pgno) const;

  std::uint32_t interval_pages() const { return interval_; }

 private:
  Pgno map_page(std::size_t index) const;
  // The number of maps covering [0, size_pages).
  std::size_t map_count(std::uint32_t size_pages) const;
  // Pages of map `index` below the current size.
  std::uint32_t covered_below_size(std::size_t index) const;
  Result<PageRef> get_map(std::size_t index, LatchMode mode);

  BufferCache& cache_;
  CacheFile* file_;
  std::uint32_t interval_;
  std::uint32_t size_pages_ = 0;
  std::vector<std::uint32_t> free_counts_;  // per map, pages below size_pages_
};

}  // namespace esent::cache
