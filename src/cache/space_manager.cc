#include "cache/space_manager.h"

#include <algorithm>
#include <string>

#include "page/page.h"
#include "page/space_map.h"

namespace esent::cache {

using page::kFirstSpaceMapPage;

SpaceManager::SpaceManager(BufferCache& cache, CacheFile* file, std::uint32_t page_size_bytes)
    : cache_(cache),
      file_(file),
      interval_(page::space_map_interval_pages(page_size_bytes)) {}

Pgno SpaceManager::map_page(std::size_t index) const {
  return static_cast<Pgno>(kFirstSpaceMapPage + index * interval_);
}

std::size_t SpaceManager::map_count(std::uint32_t size_pages) const {
  if (size_pages <= kFirstSpaceMapPage) return 0;
  return (std::size_t{size_pages} - kFirstSpaceMapPage + interval_ - 1) / interval_;
}

std::uint32_t SpaceManager::covered_below_size(std::size_t index) const {
  const std::uint64_t first = map_page(index);
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(interval_, size_pages_ - first));
}

bool SpaceManager::is_space_map_page(Pgno pgno) const {
  return pgno >= kFirstSpaceMapPage && (pgno - kFirstSpaceMapPage) % interval_ == 0;
}

Result<PageRef> SpaceManager::get_map(std::size_t index, LatchMode mode) {
  Result<PageRef> ref = cache_.get(file_, map_page(index), mode);
  if (!ref.ok()) return ref.status();
  if (page::is_all_zero(ref->bytes())) {
    return Status(Error::kDatabaseCorrupted,
                  "space map page " + std::to_string(map_page(index)) + " was never written");
  }
  ESENT_RETURN_IF_ERROR(page::check_space_map(ref->bytes(), map_page(index)));
  return ref;
}

Status SpaceManager::load(std::uint32_t size_pages) {
  size_pages_ = size_pages;
  free_counts_.assign(map_count(size_pages), 0);
  for (std::size_t index = 0; index < free_counts_.size(); ++index) {
    Result<PageRef> map = get_map(index, LatchMode::kShared);
    if (!map.ok()) return map.status();
    free_counts_[index] = page::count_free_bits(map->bytes(), covered_below_size(index));
  }
  return Status::success();
}

Status SpaceManager::format(std::uint32_t size_pages) {
  size_pages_ = kFirstSpaceMapPage;
  free_counts_.clear();
  return grow(kFirstSpaceMapPage, size_pages);
}

Status SpaceManager::rebuild(std::uint32_t size_pages, const std::vector<Pgno>& used_sorted) {
  for (Pgno pgno : used_sorted) {
    if (pgno < kFirstSpaceMapPage || pgno >= size_pages || is_space_map_page(pgno)) {
      return Status(Error::kDatabaseCorrupted,
                    "page " + std::to_string(pgno) + " cannot be in use by a tree");
    }
  }
  size_pages_ = size_pages;
  free_counts_.assign(map_count(size_pages), 0);
  auto next = used_sorted.begin();
  for (std::size_t index = 0; index < free_counts_.size(); ++index) {
    const Pgno first = map_page(index);
    const std::uint32_t covered = covered_below_size(index);
    Result<PageRef> map = cache_.get_new(file_, first);
    if (!map.ok()) return map.status();
    page::initialize_space_map(map->mutable_bytes(), first);
    std::uint32_t free_count = covered - 1;  // bit 0: the map itself
    while (next != used_sorted.end() && *next - first < covered) {
      page::set_space_bit(map->mutable_bytes(), *next - first, true);
      --free_count;
      ++next;
    }
    map->mark_dirty(0);
    free_counts_[index] = free_count;
  }
  return Status::success();
}

Status SpaceManager::grow(std::uint32_t old_size_pages, std::uint32_t new_size_pages) {
  if (new_size_pages <= old_size_pages) return Status::success();
  const std::size_t old_maps = free_counts_.size();
  size_pages_ = new_size_pages;
  // Existing last map: its pages in [old, new) become free.
  if (old_maps > 0) {
    const std::size_t index = old_maps - 1;
    const Pgno first = map_page(index);
    Result<PageRef> map = get_map(index, LatchMode::kExclusive);
    if (!map.ok()) return map.status();
    const std::uint32_t from = old_size_pages - first;
    const std::uint32_t to = covered_below_size(index);
    for (std::uint32_t bit = from; bit < to; ++bit) {
      page::set_space_bit(map->mutable_bytes(), bit, false);
    }
    free_counts_[index] += to - from;
    map->mark_dirty(0);
  }
  // New maps.
  for (std::size_t index = old_maps; index < map_count(new_size_pages); ++index) {
    Result<PageRef> map = cache_.get_new(file_, map_page(index));
    if (!map.ok()) return map.status();
    page::initialize_space_map(map->mutable_bytes(), map_page(index));
    map->mark_dirty(0);
    free_counts_.push_back(covered_below_size(index) - 1);
  }
  return Status::success();
}

Result<Pgno> SpaceManager::allocate() {
  for (std::size_t index = 0; index < free_counts_.size(); ++index) {
    if (free_counts_[index] == 0) continue;
    Result<PageRef> map = get_map(index, LatchMode::kExclusive);
    if (!map.ok()) return map.status();
    std::optional<std::uint32_t> bit =
        page::first_free_bit(map->bytes(), 1, covered_below_size(index));
    if (!bit) {
      return Status(Error::kDatabaseCorrupted, "space map " + std::to_string(map_page(index)) +
                                                   " has no free page it counted");
    }
    page::set_space_bit(map->mutable_bytes(), *bit, true);
    map->mark_dirty(0);
    --free_counts_[index];
    return static_cast<Pgno>(map_page(index) + *bit);
  }
  return page::kNoPage;
}

Status SpaceManager::free(Pgno pgno) {
  if (pgno < kFirstSpaceMapPage || pgno >= size_pages_ || is_space_map_page(pgno)) {
    return Status(Error::kDatabaseCorrupted, "cannot free page " + std::to_string(pgno));
  }
  const std::size_t index = (pgno - kFirstSpaceMapPage) / interval_;
  const std::uint32_t bit = pgno - map_page(index);
  Result<PageRef> map = get_map(index, LatchMode::kExclusive);
  if (!map.ok()) return map.status();
  if (!page::space_bit(map->bytes(), bit)) {
    return Status(Error::kDatabaseCorrupted, "page " + std::to_string(pgno) + " is already free");
  }
  page::set_space_bit(map->mutable_bytes(), bit, false);
  map->mark_dirty(0);
  ++free_counts_[index];
  return Status::success();
}

Result<std::vector<Pgno>> SpaceManager::free_pages() {
  std::vector<Pgno> pages;
  for (std::size_t index = 0; index < free_counts_.size(); ++index) {
    if (free_counts_[index] == 0) continue;
    Result<PageRef> map = get_map(index, LatchMode::kShared);
    if (!map.ok()) return map.status();
    const std::uint32_t limit = covered_below_size(index);
    std::uint32_t from = 0;
    while (std::optional<std::uint32_t> bit = page::first_free_bit(map->bytes(), from, limit)) {
      pages.push_back(static_cast<Pgno>(map_page(index) + *bit));
      from = *bit + 1;
    }
  }
  return pages;
}

std::uint64_t SpaceManager::free_page_count() const {
  std::uint64_t total = 0;
  for (std::uint32_t count : free_counts_) total += count;
  return total;
}

}  // namespace esent::cache
