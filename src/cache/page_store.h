// PageStore: how the B+tree layer reaches pages. The production implementation is the buffer
// cache over one database file (it verifies every page it reads, writes dirty pages back under
// the write-ahead rule, and allocates and frees pages); tests may use a plain in-memory store.
//
// Contract:
// - A PageRef is a pinned, latched page. A shared latch allows reading the bytes; an exclusive
//   latch allows changing them. Latches are not re-entrant: a thread must not latch a page it
//   already holds. The B+tree serialises structure changes of one tree itself (a tree lock), so
//   it never waits for a latch while holding another in an order that could deadlock.
// - A change to a page is made under an exclusive latch and followed by mark_dirty(position),
//   where `position` is the log position of the record describing the change (0 while there
//   is no log). The page is written to disk only after the log is durable up to the largest
//   position it was marked with (the write-ahead rule), and only while nobody holds it
//   exclusively.
// - Grouped changes: a change that is part of a tree operation not yet logged is marked with
//   kPendingLogPosition. Such a page is never written (eviction passes it by; a flush waits)
//   until settle() gives it the position of the record that describes the whole operation,
//   or abandon() gives up on the store.
// - Page images: claim_image() says whether the page needs a full image in the log before
//   its next logged change (true after it was read from disk, and after a write of it
//   started, until a caller claims it). Recovery rebuilds a page torn on disk from that image.
// - Thread-safety: a PageStore is used by many threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>

#include "page/page_format.h"
#include "util/status.h"

namespace esent::cache {

using page::Pgno;

enum class LatchMode { kShared, kExclusive };

// mark_dirty() position of a change whose log record is not appended yet (see settle()).
inline constexpr std::uint64_t kPendingLogPosition = ~std::uint64_t{0};

// Implemented by whoever hands out PageRefs; PageRef calls back into it.
class PageOwner {
 public:
  virtual void unpin(void* frame, LatchMode mode) = 0;
  virtual void mark_dirty(void* frame, std::uint64_t log_position) = 0;
  virtual bool claim_image(void* frame) = 0;

 protected:
  ~PageOwner() = default;
};

// A pinned and latched page. Move-only; unlatches and unpins when destroyed or released.
class PageRef {
 public:
  PageRef() = default;
  PageRef(PageOwner* owner, void* frame, std::byte* data, std::size_t size, Pgno pgno,
          LatchMode mode)
      : owner_(owner), frame_(frame), data_(data), size_(size), pgno_(pgno), mode_(mode) {}
  PageRef(PageRef&& other) noexcept { *this = std::move(other); }
  PageRef& operator=(PageRef&& other) noexcept {
    if (this != &other) {
      release();
      owner_ = std::exchange(other.owner_, nullptr);
      frame_ = std::exchange(other.frame_, nullptr);
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
      pgno_ = std::exchange(other.pgno_, page::kNoPage);
      mode_ = other.mode_;
    }
    return *this;
  }
  PageRef(const PageRef&) = delete;
  PageRef& operator=(const PageRef&) = delete;
  ~PageRef() { release(); }

  explicit operator bool() const { return owner_ != nullptr; }
  Pgno pgno() const { return pgno_; }
  LatchMode mode() const { return mode_; }
  bool exclusive() const { return mode_ == LatchMode::kExclusive; }

  // The whole page, header included.
  std::span<const std::byte> bytes() const { return {data_, size_}; }
  // Writable view; only under an exclusive latch.
  std::span<std::byte> mutable_bytes() { return {data_, size_}; }

  // Records that the page changed, described by the log record at `log_position`.
  void mark_dirty(std::uint64_t log_position) { owner_->mark_dirty(frame_, log_position); }
  // Whether the log needs a full image of this page before its next change; the answer is
  // given once (the caller then logs the image). Under an exclusive latch.
  bool claim_image() { return owner_->claim_image(frame_); }

  void release() {
    if (owner_ != nullptr) {
      owner_->unpin(frame_, mode_);
      owner_ = nullptr;
      frame_ = nullptr;
      data_ = nullptr;
    }
  }

 private:
  PageOwner* owner_ = nullptr;
  void* frame_ = nullptr;
  std::byte* data_ = nullptr;
  std::size_t size_ = 0;
  Pgno pgno_ = page::kNoPage;
  LatchMode mode_ = LatchMode::kShared;
};

class PageStore {
 public:
  virtual ~PageStore() = default;

  virtual std::uint32_t page_size() const = 0;

  // Pins and latches an existing page. Reading it from disk verifies its checksum and page
  // number (kReadVerifyFailure, kReadPgnoVerifyFailure); a never-written (all-zero) page is
  // returned as it is. A page beyond the end of the database → kDatabaseCorrupted (a tree
  // pointing outside the file is corruption).
  virtual Result<PageRef> get(Pgno pgno, LatchMode mode) = 0;

  // Allocates a page (from free space, or by growing the file) and returns it latched
  // exclusively, zero-filled. kOutOfDatabaseSpace when the database's maximum size is reached;
  // kDiskFull when the disk is.
  virtual Result<PageRef> allocate() = 0;

  // Returns a page to free space. The caller must not hold a reference to it.
  virtual Status free(Pgno pgno) = 0;

  // The next database time: every change to a page is stamped with a fresh, increasing dbtime.
  virtual std::uint64_t next_dbtime() = 0;

  // The changes of page `pgno` marked kPendingLogPosition are described by the log record
  // ending at `log_position`: the page may be written once the log is durable to there.
  virtual void settle(Pgno pgno, std::uint64_t log_position) = 0;
  // A grouped change could not be logged: the store fails (sticky `why`); its pending pages
  // are never written.
  virtual void abandon(const Status& why) = 0;
};

}  // namespace esent::cache
