// MemoryPageStore: an in-memory PageStore test double for the B+tree tests.
//
// Pages live in a vector indexed by page number (page 0 is never handed out, as in a database
// whose page 0 is the header). Latches are per-page std::shared_mutex taken with try_lock: the
// tests are single-threaded, so a latch that is already held means the tree latched a page it
// holds (a bug) and get() fails with kInternalError instead of deadlocking. Tracks allocations
// and frees so tests can assert that no page leaks; get() of a freed page fails with
// kDatabaseCorrupted (a tree must never reach a page it freed). Optionally seals and verifies
// pages on release of an exclusive latch / on get, like a cache writing and reading pages.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "cache/page_store.h"
#include "page/page.h"

namespace esent::btree::testing {

class MemoryPageStore final : public cache::PageStore, public cache::PageOwner {
 public:
  explicit MemoryPageStore(std::uint32_t page_size, bool seal_pages = false)
      : page_size_(page_size), seal_pages_(seal_pages) {
    frames_.push_back(std::make_unique<Frame>(page_size));  // page 0: never used
  }

  std::uint32_t page_size() const override { return page_size_; }

  Result<cache::PageRef> get(page::Pgno pgno, cache::LatchMode mode) override {
    if (pgno == page::kNoPage || pgno >= frames_.size()) {
      return Status(Error::kDatabaseCorrupted, "page " + std::to_string(pgno) + " out of range");
    }
    Frame& frame = *frames_[pgno];
    if (!frame.allocated) {
      return Status(Error::kDatabaseCorrupted, "page " + std::to_string(pgno) + " is free");
    }
    if (seal_pages_) ESENT_RETURN_IF_ERROR(page::verify(frame.data, pgno));
    return latch(frame, pgno, mode);
  }

  Result<cache::PageRef> allocate() override {
    if (live_pages() >= page_limit_) return Error::kOutOfDatabaseSpace;
    page::Pgno pgno;
    if (!free_list_.empty()) {
      pgno = free_list_.back();
      free_list_.pop_back();
    } else {
      pgno = static_cast<page::Pgno>(frames_.size());
      frames_.push_back(std::make_unique<Frame>(page_size_));
    }
    Frame& frame = *frames_[pgno];
    std::fill(frame.data.begin(), frame.data.end(), std::byte{0});
    frame.allocated = true;
    ++allocations_;
    return latch(frame, pgno, cache::LatchMode::kExclusive);
  }

  Status free(page::Pgno pgno) override {
    if (pgno == page::kNoPage || pgno >= frames_.size() || !frames_[pgno]->allocated) {
      return Status(Error::kInternalError, "free of page " + std::to_string(pgno));
    }
    Frame& frame = *frames_[pgno];
    if (!frame.latch.try_lock()) {
      return Status(Error::kInternalError, "free of latched page " + std::to_string(pgno));
    }
    frame.latch.unlock();
    frame.allocated = false;
    free_list_.push_back(pgno);
    ++frees_;
    return Status::success();
  }

  std::uint64_t next_dbtime() override { return ++dbtime_; }

  // PageOwner
  void unpin(void* frame_pointer, cache::LatchMode mode) override {
    auto* frame = static_cast<Frame*>(frame_pointer);
    if (mode == cache::LatchMode::kExclusive) {
      if (seal_pages_ && frame->dirty) page::seal(frame->data, frame->pgno);
      frame->dirty = false;
      frame->latch.unlock();
    } else {
      frame->latch.unlock_shared();
    }
  }
  void mark_dirty(void* frame_pointer, std::uint64_t log_position) override {
    auto* frame = static_cast<Frame*>(frame_pointer);
    frame->dirty = true;
    if (log_position == cache::kPendingLogPosition) {
      frame->pending = true;
    } else if (log_position > frame->max_log_position) {
      frame->max_log_position = log_position;
    }
    ++dirty_marks_;
  }
  // Every page needs an image once after it is first latched in this store and after each
  // settle (a stand-in for "written to disk since").
  bool claim_image(void* frame_pointer) override {
    return std::exchange(static_cast<Frame*>(frame_pointer)->image_needed, false);
  }
  void settle(page::Pgno pgno, std::uint64_t log_position) override {
    Frame& frame = *frames_[pgno];
    frame.pending = false;
    if (log_position > frame.max_log_position) frame.max_log_position = log_position;
    frame.image_needed = true;
    ++settles_;
  }
  void abandon(const Status& why) override { abandoned_ = why; }

  // allocate() fails with kOutOfDatabaseSpace once this many pages are live.
  void set_page_limit(std::uint64_t limit) { page_limit_ = limit; }

  // --- Test inspection ---
  std::uint64_t allocations() const { return allocations_; }
  std::uint64_t frees() const { return frees_; }
  std::uint64_t live_pages() const { return allocations_ - frees_; }
  std::uint64_t dirty_marks() const { return dirty_marks_; }
  std::uint64_t settles() const { return settles_; }
  const Status& abandoned() const { return abandoned_; }
  bool pending(page::Pgno pgno) const { return frames_[pgno]->pending; }
  std::uint64_t current_dbtime() const { return dbtime_; }
  std::size_t page_count() const { return frames_.size(); }
  bool allocated(page::Pgno pgno) const { return frames_[pgno]->allocated; }
  std::uint64_t max_log_position(page::Pgno pgno) const { return frames_[pgno]->max_log_position; }
  // Raw page bytes (tests may corrupt them; never while a PageRef to the page is alive).
  std::vector<std::byte>& image(page::Pgno pgno) { return frames_[pgno]->data; }
  std::vector<std::vector<std::byte>> snapshot() const {
    std::vector<std::vector<std::byte>> pages;
    pages.reserve(frames_.size());
    for (const auto& frame : frames_) pages.push_back(frame->data);
    return pages;
  }

 private:
  struct Frame {
    explicit Frame(std::uint32_t size) : data(size) {}
    std::vector<std::byte> data;
    std::shared_mutex latch;
    page::Pgno pgno = page::kNoPage;
    bool allocated = false;
    bool dirty = false;
    bool pending = false;
    bool image_needed = true;
    std::uint64_t max_log_position = 0;
  };

  Result<cache::PageRef> latch(Frame& frame, page::Pgno pgno, cache::LatchMode mode) {
    bool locked = mode == cache::LatchMode::kExclusive ? frame.latch.try_lock()
                                                       : frame.latch.try_lock_shared();
    if (!locked) {
      return Status(Error::kInternalError,
                    "latch conflict on page " + std::to_string(pgno) + " (already held)");
    }
    frame.pgno = pgno;
    return cache::PageRef(this, &frame, frame.data.data(), frame.data.size(), pgno, mode);
  }

  std::uint32_t page_size_;
  bool seal_pages_;
  std::vector<std::unique_ptr<Frame>> frames_;
  std::vector<page::Pgno> free_list_;
  std::uint64_t allocations_ = 0;
  std::uint64_t frees_ = 0;
  std::uint64_t dirty_marks_ = 0;
  std::uint64_t settles_ = 0;
  Status abandoned_;
  std::uint64_t dbtime_ = 0;
  std::uint64_t page_limit_ = UINT64_MAX;
};

}  // namespace esent::btree::testing
