// The buffer cache: pins and latches, eviction, write-back, the write-ahead hook, verification
// of reads, concurrency and sticky failure.
#include "cache/buffer_cache.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "unit/cache/memory_file.h"
#include "page/page.h"

namespace esent::cache {
namespace {

using testing::MemoryFile;
using testing::MemoryFileData;

constexpr std::uint32_t kPageSize = 4096;

std::unique_ptr<MemoryFile> memory_file() {
  return std::make_unique<MemoryFile>(std::make_shared<MemoryFileData>(), "mem.db");
}

// Fills a page's body with a pattern derived from (pgno, value).
void fill(std::span<std::byte> p, Pgno pgno, std::uint32_t value) {
  page::initialize(p, pgno, page::PageType::kBtreeLeaf, 1, 0);
  page::set_dbtime(p, value);
  for (std::size_t i = page::PageHeaderLayout::kSize; i < p.size(); i += 4) {
    std::uint32_t word = value * 2654435761u + pgno + static_cast<std::uint32_t>(i);
    std::memcpy(p.data() + i, &word, 4);
  }
}

bool matches(std::span<const std::byte> p, Pgno pgno, std::uint32_t value) {
  std::vector<std::byte> expected(p.size());
  fill(expected, pgno, value);
  return std::memcmp(p.data() + page::PageHeaderLayout::kSize,
                     expected.data() + page::PageHeaderLayout::kSize,
                     p.size() - page::PageHeaderLayout::kSize) == 0 &&
         page::dbtime(p) == value;
}

// Writes a sealed page straight into the file (behind the cache).
void write_behind(MemoryFile& file, Pgno pgno, std::uint32_t value) {
  std::vector<std::byte> p(kPageSize);
  fill(p, pgno, value);
  page::seal(p, pgno);
  ASSERT_TRUE(file.write_at(std::uint64_t{pgno} * kPageSize, p).ok());
}

std::vector<std::byte> page_on_disk(MemoryFile& file, Pgno pgno) {
  std::vector<std::byte> p(kPageSize);
  EXPECT_TRUE(file.read_at(std::uint64_t{pgno} * kPageSize, p).ok());
  return p;
}

Status write_page(BufferCache& cache, CacheFile* handle, Pgno pgno, std::uint32_t value,
                  std::uint64_t log_position = 0) {
  Result<PageRef> ref = cache.get_new(handle, pgno);
  if (!ref.ok()) return ref.status();
  fill(ref->mutable_bytes(), pgno, value);
  ref->mark_dirty(log_position);
  return Status::success();
}

TEST(BufferCache, MissReadsAndHitDoesNot) {
  auto file = memory_file();
  write_behind(*file, 3, 77);
  BufferCache cache(8);
  CacheFile* handle = cache.register_file(*file, kPageSize);
  {
    Result<PageRef> ref = cache.get(handle, 3, LatchMode::kShared);
    ASSERT_TRUE(ref.ok()) << ref.status().to_string();
    EXPECT_TRUE(matches(ref->bytes(), 3, 77));
    EXPECT_EQ(ref->pgno(), 3u);
    EXPECT_FALSE(ref->exclusive());
  }
  Result<PageRef> again = cache.get(handle, 3, LatchMode::kExclusive);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->exclusive());
  EXPECT_EQ(file->reads.load(), 1);
  EXPECT_EQ(cache.statistics().hits, 1u);
  EXPECT_EQ(cache.statistics().misses, 1u);
  again->release();
  cache.unregister_file(handle);
}

TEST(BufferCache, NeverWrittenPageReadsAsZero) {
  auto file = memory_file();
  BufferCache cache(4);
  CacheFile* handle = cache.register_file(*file, kPageSize);
  {
    Result<PageRef> ref = cache.get(handle, 10, LatchMode::kShared);
    ASSERT_TRUE(ref.ok());
    EXPECT_TRUE(page::is_all_zero(ref->bytes()));
  }
  cache.unregister_file(handle);
}

TEST(BufferCache, SharedLatchesCoexistAndExclusiveExcludes) {
  auto file = memory_file();
  BufferCache cache(4);
  CacheFile* handle = cache.register_file(*file, kPageSize);
  Result<PageRef> first = cache.get(handle, 5, LatchMode::kShared);
  Result<PageRef> second = cache.get(handle, 5, LatchMode::kShared);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->bytes().data(), second->bytes().data());

  std::atomic<bool> writer_got_it{false};
  std::thread writer([&] {
    Result<PageRef> ref = cache.get(handle, 5, LatchMode::kExclusive);
    ASSERT_TRUE(ref.ok());
    writer_got_it = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(writer_got_it.load());
  first->release();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(writer_got_it.load());
  second->release();
  writer.join();
  EXPECT_TRUE(writer_got_it.load());
  cache.unregister_file(handle);
}

TEST(BufferCache, DataSurvivesEvictionUnderATinyCapacity) {
  auto file = memory_file();
  BufferCache cache(4);
  CacheFile* handle = cache.register_file(*file, kPageSize);
  constexpr Pgno kPages = 300;
  for (Pgno pgno = 2; pgno < kPages; ++pgno) {
    ASSERT_TRUE(write_page(cache, handle, pgno, pgno * 3).ok());
    EXPECT_LE(cache.resident_pages(), 4u);
  }
  EXPECT_GT(cache.statistics().evictions, 0u);
  for (Pgno pgno = 2; pgno < kPages; ++pgno) {
    Result<PageRef> ref = cache.get(handle, pgno, LatchMode::kShared);
    ASSERT_TRUE(ref.ok()) << pgno << " " << ref.status().to_string();
    ASSERT_TRUE(matches(ref->bytes(), pgno, pgno * 3)) << pgno;
  }
  // Every page that left the cache is on disk, sealed.
  ASSERT_TRUE(cache.flush(handle).ok());
  for (Pgno pgno = 2; pgno < kPages; ++pgno) {
    auto p = page_on_disk(*file, pgno);
    ASSERT_TRUE(page::verify(p, pgno).ok()) << pgno;
    ASSERT_TRUE(matches(p, pgno, pgno * 3)) << pgno;
  }
  cache.unregister_file(handle);
}

TEST(BufferCache, FlushWritesSealedDirtyPagesAndSyncs) {
  auto file = memory_file();
  BufferCache cache(16);
  CacheFile* handle = cache.register_file(*file, kPageSize);
  ASSERT_TRUE(write_page(cache, handle, 7, 1).ok());
  EXPECT_EQ(file->writes.load(), 0);
  EXPECT_TRUE(cache.dirty_log_position(handle, 7).has_value());
  ASSERT_TRUE(cache.flush(handle).ok());
  EXPECT_EQ(file->writes.load(), 1);
  EXPECT_EQ(file->syncs.load(), 1);
  EXPECT_FALSE(cache.dirty_log_position(handle, 7).has_value());
  auto p = page_on_disk(*file, 7);
  EXPECT_TRUE(page::verify(p, 7).ok());
  EXPECT_NE(page::checksum(std::span<const std::byte>(p)), 0u);
  // A clean page is not written again.
  ASSERT_TRUE(cache.flush(handle).ok());
  EXPECT_EQ(file->writes.load(), 1);
  cache.unregister_file(handle);
}

TEST(BufferCache, WriteAheadHookSeesTheLargestPositionBeforeTheWrite) {
  auto file = memory_file();
  BufferCache cache(16);
  std::vector<std::pair<std::uint64_t, int>> calls;  // position, writes already done
  cache.set_write_ahead_hook([&](std::uint64_t position) {
    calls.emplace_back(position, file->writes.load());
    return Status::success();
  });
  CacheFile* handle = cache.register_file(*file, kPageSize);
  {
    Result<PageRef> ref = cache.get_new(handle, 4);
    ASSERT_TRUE(ref.ok());
    fill(ref->mutable_bytes(), 4, 9);
    ref->mark_dirty(10);
    ref->mark_dirty(7);
  }
  EXPECT_EQ(cache.dirty_log_position(handle, 4), 10u);
  ASSERT_TRUE(cache.flush(handle).ok());
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].first, 10u);
  EXPECT_EQ(calls[0].second, 0);  // the hook ran before the page was written
  EXPECT_EQ(file->writes.load(), 1);
  cache.unregister_file(handle);
}

TEST(BufferCache, FailingWriteAheadHookPreventsTheWrite) {
  auto file = memory_file();
  BufferCache cache(16);
  bool log_durable = false;
  cache.set_write_ahead_hook([&](std::uint64_t) {
    return log_durable ? Status::success() : Status(Error::kDiskIO, "log not durable");
  });
  CacheFile* handle = cache.register_file(*file, kPageSize);
  ASSERT_TRUE(write_page(cache, handle, 4, 5, 3).ok());
  EXPECT_EQ(cache.flush(handle).error(), Error::kDiskIO);
  EXPECT_EQ(file->writes.load(), 0);
  EXPECT_EQ(cache.dirty_log_position(handle, 4), 3u);
  // The file is not failed (nothing was written); once the log is durable the page goes out.
  EXPECT_TRUE(cache.failure(handle).ok());
  log_durable = true;
  ASSERT_TRUE(cache.flush(handle).ok());
  EXPECT_EQ(file->writes.load(), 1);
  cache.unregister_file(handle);
}

TEST(BufferCache, EvictionAlsoObeysTheWriteAheadHook) {
  auto file = memory_file();
  BufferCache cache(2);
  std::atomic<int> calls{0};
  cache.set_write_ahead_hook([&](std::uint64_t position) {
    ++calls;
    EXPECT_GT(position, 0u);
    return Status::success();
  });
  CacheFile* handle = cache.register_file(*file, kPageSize);
  for (Pgno pgno = 2; pgno < 20; ++pgno) {
    ASSERT_TRUE(write_page(cache, handle, pgno, pgno, pgno).ok());
  }
  EXPECT_EQ(calls.load(), file->writes.load());
  EXPECT_GT(file->writes.load(), 0);
  cache.unregister_file(handle);
}

TEST(BufferCache, CorruptionBehindTheCacheIsReportedAndNeverCached) {
  auto file = memory_file();
  write_behind(*file, 5, 50);
  write_behind(*file, 6, 60);
  BufferCache cache(8);
  CacheFile* handle = cache.register_file(*file, kPageSize);

  // Flip a bit of page 5 on disk.
  auto p = page_on_disk(*file, 5);
  p[100] ^= std::byte{4};
  ASSERT_TRUE(file->write_at(5 * kPageSize, p).ok());
  EXPECT_EQ(cache.get(handle, 5, LatchMode::kShared).status().error(),
            Error::kReadVerifyFailure);
  // Page 6's bytes copied into slot 7.
  auto six = page_on_disk(*file, 6);
  ASSERT_TRUE(file->write_at(7 * kPageSize, six).ok());
  EXPECT_EQ(cache.get(handle, 7, LatchMode::kExclusive).status().error(),
            Error::kReadPgnoVerifyFailure);
  // Nothing bad was cached: after a repair the page reads fine.
  write_behind(*file, 5, 51);
  Result<PageRef> ref = cache.get(handle, 5, LatchMode::kShared);
  ASSERT_TRUE(ref.ok());
  EXPECT_TRUE(matches(ref->bytes(), 5, 51));
  ref->release();
  cache.unregister_file(handle);
}

TEST(BufferCache, AllFramesPinnedGrowsPastCapacityThenShrinksBack) {
  auto file = memory_file();
  BufferCache cache(2);
  CacheFile* handle = cache.register_file(*file, kPageSize);
  std::vector<PageRef> held;
  for (Pgno pgno = 2; pgno < 7; ++pgno) {
    Result<PageRef> ref = cache.get(handle, pgno, LatchMode::kShared);
    ASSERT_TRUE(ref.ok());
    held.push_back(std::move(ref.value()));
  }
  EXPECT_EQ(cache.resident_pages(), 5u);
  held.clear();
  ASSERT_TRUE(cache.get(handle, 9, LatchMode::kShared).ok());
  EXPECT_LE(cache.resident_pages(), 2u);
  cache.unregister_file(handle);
}

TEST(BufferCache, ShrinkingWritesDirtyPagesAndEvicts) {
  auto file = memory_file();
  BufferCache cache(64);
  CacheFile* handle = cache.register_file(*file, kPageSize);
  for (Pgno pgno = 2; pgno < 34; ++pgno) ASSERT_TRUE(write_page(cache, handle, pgno, pgno).ok());
  EXPECT_EQ(cache.resident_pages(), 32u);
  EXPECT_EQ(file->writes.load(), 0);
  ASSERT_TRUE(cache.set_capacity_pages(4).ok());
  EXPECT_EQ(cache.capacity_pages(), 4u);
  EXPECT_LE(cache.resident_pages(), 4u);
  EXPECT_GE(file->writes.load(), 28);
  for (Pgno pgno = 2; pgno < 34; ++pgno) {
    Result<PageRef> ref = cache.get(handle, pgno, LatchMode::kShared);
    ASSERT_TRUE(ref.ok());
    ASSERT_TRUE(matches(ref->bytes(), pgno, pgno));
  }
  cache.unregister_file(handle);
}

TEST(BufferCache, FailedWriteIsSticky) {
  auto file = memory_file();
  BufferCache cache(16);
  CacheFile* handle = cache.register_file(*file, kPageSize);
  ASSERT_TRUE(write_page(cache, handle, 3, 1).ok());
  file->fail_writes = true;
  EXPECT_EQ(cache.flush(handle).error(), Error::kDiskIO);
  file->fail_writes = false;
  // Never retried, never reported durable; every later operation fails.
  EXPECT_EQ(cache.flush(handle).error(), Error::kDiskIO);
  EXPECT_EQ(cache.get(handle, 3, LatchMode::kShared).status().error(), Error::kDiskIO);
  EXPECT_EQ(cache.get_new(handle, 4).status().error(), Error::kDiskIO);
  EXPECT_EQ(cache.failure(handle).error(), Error::kDiskIO);
  EXPECT_EQ(file->writes.load(), 0);
  cache.unregister_file(handle);
}

TEST(BufferCache, FailedSyncIsSticky) {
  auto file = memory_file();
  BufferCache cache(16);
  CacheFile* handle = cache.register_file(*file, kPageSize);
  ASSERT_TRUE(write_page(cache, handle, 3, 1).ok());
  file->fail_syncs = true;
  EXPECT_EQ(cache.flush(handle).error(), Error::kDiskIO);
  file->fail_syncs = false;
  EXPECT_EQ(write_page(cache, handle, 3, 1).error(), Error::kDiskIO);
  EXPECT_EQ(cache.flush(handle).error(), Error::kDiskIO);
  EXPECT_EQ(file->syncs.load(), 1);
  cache.unregister_file(handle);
}

TEST(BufferCache, FailedEvictionWriteFailsTheFileButNotOthers) {
  auto bad = memory_file();
  auto good = memory_file();
  BufferCache cache(2);
  CacheFile* bad_handle = cache.register_file(*bad, kPageSize);
  CacheFile* good_handle = cache.register_file(*good, kPageSize);
  ASSERT_TRUE(write_page(cache, bad_handle, 2, 1).ok());
  ASSERT_TRUE(write_page(cache, bad_handle, 3, 1).ok());
  bad->fail_writes = true;
  // Some of these gets must evict the bad file's dirty pages; a failing write is reported to
  // at most one caller, and the cache keeps working for the other file.
  int failures = 0;
  for (Pgno pgno = 2; pgno < 12; ++pgno) {
    Status s = write_page(cache, good_handle, pgno, pgno);
    if (!s.ok()) {
      EXPECT_EQ(s.error(), Error::kDiskIO);
      ++failures;
    }
  }
  EXPECT_GE(failures, 1);
  EXPECT_EQ(cache.failure(bad_handle).error(), Error::kDiskIO);
  EXPECT_TRUE(cache.failure(good_handle).ok());
  ASSERT_TRUE(write_page(cache, good_handle, 20, 20).ok());
  ASSERT_TRUE(cache.flush(good_handle).ok());
  cache.unregister_file(bad_handle);
  cache.unregister_file(good_handle);
}

TEST(BufferCache, ConcurrentReadersAndWritersOnDistinctPages) {
  auto file = memory_file();
  BufferCache cache(16);
  CacheFile* handle = cache.register_file(*file, kPageSize);
  constexpr int kThreads = 4;
  constexpr Pgno kPagesPerThread = 12;
  constexpr int kRounds = 60;
  // Shared, read-only pages every thread reads too.
  for (Pgno pgno = 100; pgno < 104; ++pgno) write_behind(*file, pgno, pgno);
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const Pgno first = 2 + static_cast<Pgno>(t) * kPagesPerThread;
      for (int round = 0; round < kRounds; ++round) {
        for (Pgno pgno = first; pgno < first + kPagesPerThread; ++pgno) {
          const auto value = static_cast<std::uint32_t>(round);
          {
            Result<PageRef> ref = round == 0 ? cache.get_new(handle, pgno)
                                             : cache.get(handle, pgno, LatchMode::kExclusive);
            if (!ref.ok()) { ++errors; continue; }
            if (round > 0 && !matches(ref->bytes(), pgno, value - 1)) ++errors;
            fill(ref->mutable_bytes(), pgno, value);
            ref->mark_dirty(static_cast<std::uint64_t>(round));
          }
          {
            Result<PageRef> shared = cache.get(handle, 100 + pgno % 4, LatchMode::kShared);
            if (!shared.ok() || !matches(shared->bytes(), 100 + pgno % 4, 100 + pgno % 4)) {
              ++errors;
            }
          }
        }
        if (t == 0 && round % 20 == 0 && !cache.flush(handle).ok()) ++errors;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  ASSERT_TRUE(cache.flush(handle).ok());
  for (Pgno pgno = 2; pgno < 2 + kThreads * kPagesPerThread; ++pgno) {
    auto p = page_on_disk(*file, pgno);
    ASSERT_TRUE(page::verify(p, pgno).ok());
    ASSERT_TRUE(matches(p, pgno, kRounds - 1)) << pgno;
  }
  cache.unregister_file(handle);
}

TEST(BufferCache, PinnedPageStaysResidentWhileOthersChurn) {
  auto file = memory_file();
  BufferCache cache(2);
  CacheFile* handle = cache.register_file(*file, kPageSize);
  Result<PageRef> held = cache.get_new(handle, 2);
  ASSERT_TRUE(held.ok());
  fill(held->mutable_bytes(), 2, 99);
  held->mark_dirty(0);
  const std::byte* address = held->bytes().data();
  for (Pgno pgno = 3; pgno < 60; ++pgno) ASSERT_TRUE(write_page(cache, handle, pgno, pgno).ok());
  EXPECT_EQ(held->bytes().data(), address);
  EXPECT_TRUE(matches(held->bytes(), 2, 99));
  EXPECT_TRUE(cache.dirty_log_position(handle, 2).has_value());  // never written while held
  held->release();
  cache.unregister_file(handle);
}

TEST(BufferCache, FlushWaitsForTheExclusiveLatchBeforeWriting) {
  auto file = memory_file();
  BufferCache cache(8);
  CacheFile* handle = cache.register_file(*file, kPageSize);
  Result<PageRef> writer = cache.get_new(handle, 3);
  ASSERT_TRUE(writer.ok());
  fill(writer->mutable_bytes(), 3, 1);
  writer->mark_dirty(0);
  std::atomic<bool> flushed{false};
  std::thread flusher([&] {
    EXPECT_TRUE(cache.flush(handle).ok());
    flushed = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(flushed.load());
  EXPECT_EQ(file->writes.load(), 0);  // nothing written while the page is held exclusively
  fill(writer->mutable_bytes(), 3, 2);  // the final contents are what gets written
  writer->release();
  flusher.join();
  EXPECT_TRUE(flushed.load());
  auto p = page_on_disk(*file, 3);
  EXPECT_TRUE(page::verify(p, 3).ok());
  EXPECT_TRUE(matches(p, 3, 2));
  cache.unregister_file(handle);
}

// Regression (found by ConcurrentReadersAndWritersOnDistinctPages in CI): a write of a page
// still in flight must finish before a newer copy of the page is written, or the older copy
// lands last while the frame counts as clean, and the newer change is lost.
TEST(BufferCache, WritesOfOnePageNeverOverlap) {
  auto file = memory_file();
  BufferCache cache(8);
  std::mutex gate_mutex;
  std::condition_variable gate_changed;
  bool first_write_waiting = false;
  bool first_write_may_go = false;
  int writes_seen = 0;
  CacheFile* handle = cache.register_file(
      *file, kPageSize, [&](Pgno, std::span<const std::byte>) {
        std::unique_lock lock(gate_mutex);
        if (++writes_seen == 1) {
          first_write_waiting = true;
          gate_changed.notify_all();
          gate_changed.wait(lock, [&] { return first_write_may_go; });
        }
        return Status::success();
      });
  ASSERT_TRUE(write_page(cache, handle, 3, 1).ok());
  // The first flush copies version 1 and stops just before writing it.
  std::thread first([&] { EXPECT_TRUE(cache.flush(handle).ok()); });
  {
    std::unique_lock lock(gate_mutex);
    gate_changed.wait(lock, [&] { return first_write_waiting; });
  }
  ASSERT_TRUE(write_page(cache, handle, 3, 2).ok());
  std::atomic<bool> second_done{false};
  std::thread second([&] {
    EXPECT_TRUE(cache.flush(handle).ok());
    second_done = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(second_done.load());  // it waits for the first write instead of overtaking it
  {
    std::lock_guard lock(gate_mutex);
    first_write_may_go = true;
  }
  gate_changed.notify_all();
  first.join();
  second.join();
  EXPECT_EQ(writes_seen, 2);
  EXPECT_TRUE(matches(page_on_disk(*file, 3), 3, 2));
  EXPECT_FALSE(cache.dirty_log_position(handle, 3).has_value());
  cache.unregister_file(handle);
}

// A page changed by a group not yet logged (kPendingLogPosition) is never written by eviction;
// a flush waits until settle() gives it its log position, then obeys the write-ahead hook.
TEST(BufferCache, PendingPageWaitsForItsSettlement) {
  auto file = memory_file();
  BufferCache cache(2);
  std::vector<std::uint64_t> positions;
  std::mutex positions_mutex;
  cache.set_write_ahead_hook([&](std::uint64_t position) {
    std::lock_guard lock(positions_mutex);
    positions.push_back(position);
    return Status::success();
  });
  CacheFile* handle = cache.register_file(*file, kPageSize);
  {
    Result<PageRef> ref = cache.get_new(handle, 3);
    ASSERT_TRUE(ref.ok());
    fill(ref->mutable_bytes(), 3, 1);
    ref->mark_dirty(kPendingLogPosition);
  }
  // Churn through more pages than the cache holds: page 3 must stay cached and unwritten.
  for (Pgno pgno = 10; pgno < 20; ++pgno) ASSERT_TRUE(write_page(cache, handle, pgno, 2, 1).ok());
  EXPECT_TRUE(cache.dirty_log_position(handle, 3).has_value());
  EXPECT_TRUE(page::is_all_zero(page_on_disk(*file, 3)));
  std::atomic<bool> flushed{false};
  std::thread flusher([&] {
    EXPECT_TRUE(cache.flush(handle).ok());
    flushed = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(flushed.load());
  EXPECT_TRUE(page::is_all_zero(page_on_disk(*file, 3)));
  cache.settle(handle, 3, 42);
  flusher.join();
  EXPECT_TRUE(matches(page_on_disk(*file, 3), 3, 1));
  std::lock_guard lock(positions_mutex);
  EXPECT_NE(std::find(positions.begin(), positions.end(), 42u), positions.end());
  cache.unregister_file(handle);
}

// A flush waiting for a pending page gives up when the file fails (its group was abandoned).
TEST(BufferCache, FailedFileReleasesAFlushWaitingForAPendingPage) {
  auto file = memory_file();
  BufferCache cache(4);
  CacheFile* handle = cache.register_file(*file, kPageSize);
  {
    Result<PageRef> ref = cache.get_new(handle, 3);
    ASSERT_TRUE(ref.ok());
    ref->mark_dirty(kPendingLogPosition);
  }
  std::thread flusher([&] {
    Status status = cache.flush(handle);
    EXPECT_EQ(status.error(), Error::kLogWriteFail);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  cache.mark_failed(handle, Status(Error::kLogWriteFail));
  flusher.join();
  EXPECT_EQ(file->writes.load(), 0);
  cache.unregister_file(handle);
}

// claim_image: a page read from disk needs an image once; so does a page after a write of it
// started; a new page does not (its first change initialises it whole).
TEST(BufferCache, ImageIsNeededAfterAReadAndAfterEachWrite) {
  auto file = memory_file();
  write_behind(*file, 5, 1);
  BufferCache cache(8);
  CacheFile* handle = cache.register_file(*file, kPageSize);
  {
    Result<PageRef> ref = cache.get(handle, 5, LatchMode::kExclusive);
    ASSERT_TRUE(ref.ok());
    EXPECT_TRUE(ref->claim_image());
    EXPECT_FALSE(ref->claim_image());
    fill(ref->mutable_bytes(), 5, 2);
    ref->mark_dirty(1);
  }
  ASSERT_TRUE(cache.flush(handle).ok());
  {
    Result<PageRef> ref = cache.get(handle, 5, LatchMode::kExclusive);
    ASSERT_TRUE(ref.ok());
    EXPECT_TRUE(ref->claim_image());
  }
  {
    Result<PageRef> ref = cache.get_new(handle, 6);
    ASSERT_TRUE(ref.ok());
    EXPECT_FALSE(ref->claim_image());
  }
  cache.unregister_file(handle);
}

TEST(BufferCache, UnregisterDiscardsUnwrittenChanges) {
  auto file = memory_file();
  BufferCache cache(16);
  CacheFile* handle = cache.register_file(*file, kPageSize);
  ASSERT_TRUE(write_page(cache, handle, 3, 1).ok());
  cache.unregister_file(handle);
  EXPECT_EQ(file->writes.load(), 0);
  // A fresh registration of the same file sees what is on disk, not the dropped change.
  handle = cache.register_file(*file, kPageSize);
  {
    Result<PageRef> ref = cache.get(handle, 3, LatchMode::kShared);
    ASSERT_TRUE(ref.ok());
    EXPECT_TRUE(page::is_all_zero(ref->bytes()));
  }
  cache.unregister_file(handle);
}

}  // namespace
}  // namespace esent::cache
