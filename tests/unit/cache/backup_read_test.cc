// BufferCache::read_for_backup and DatabaseFile::read_for_backup: pages come from disk (never
// the cache), are verified, and the backup range lock keeps writes of exactly those pages from
// tearing them while everything else goes on.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <future>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "cache/buffer_cache.h"
#include "cache/database_file.h"
#include "page/page.h"
#include "unit/cache/memory_file.h"

namespace esent::cache {
namespace {

using namespace std::chrono_literals;
using testing::MemoryFile;
using testing::MemoryFileData;

constexpr std::uint32_t kPageSize = 4096;
// How long a negative check ("this has not happened yet") watches before concluding.
constexpr auto kWatch = 200ms;
// How long a positive check waits before declaring a hang.
constexpr auto kHang = 10s;

// A one-shot gate: threads entering it block until it is opened.
class Gate {
 public:
  void pass() {
    std::unique_lock lock(mutex_);
    ++entered_;
    changed_.notify_all();
    changed_.wait(lock, [this] { return open_; });
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  // Waits until `count` threads have entered; false on a hang.
  bool wait_entered(int count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, kHang, [&] { return entered_ >= count; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int entered_ = 0;
  bool open_ = false;
};

// A File over another one with test seams: reads of more than one page (backup reads; the
// cache's own reads are single pages) may be held at a gate; writes of a chosen page may be
// held at another; writes may tear (each page written in two halves with a pause between, so
// an unprotected concurrent reader sees half old, half new). Counts the writes per page.
class SeamFile : public io::File {
 public:
  explicit SeamFile(std::unique_ptr<io::File> inner) : inner_(std::move(inner)) {}

  Result<std::size_t> read_at(std::uint64_t offset, std::span<std::byte> buffer) override {
    if (buffer.size() > kPageSize) {
      ++backup_reads;
      if (Gate* gate = read_gate.load()) gate->pass();
    }
    return inner_->read_at(offset, buffer);
  }
  Status write_at(std::uint64_t offset, std::span<const std::byte> data) override {
    const auto pgno = static_cast<Pgno>(offset / kPageSize);
    if (Gate* gate = write_gate.load(); gate != nullptr && pgno == write_gate_pgno.load()) {
      gate->pass();
    }
    if (tear_writes.load() && data.size() == kPageSize) {
      const std::size_t half = data.size() / 2;
      ESENT_RETURN_IF_ERROR(inner_->write_at(offset, data.first(half)));
      std::this_thread::yield();
      ESENT_RETURN_IF_ERROR(inner_->write_at(offset + half, data.subspan(half)));
    } else {
      ESENT_RETURN_IF_ERROR(inner_->write_at(offset, data));
    }
    std::lock_guard lock(mutex_);
    if (pgno >= page_writes_.size()) page_writes_.resize(pgno + 1);
    ++page_writes_[pgno];
    return Status::success();
  }
  Status sync() override { return inner_->sync(); }
  Result<std::uint64_t> size() override { return inner_->size(); }
  Status truncate(std::uint64_t size_bytes) override { return inner_->truncate(size_bytes); }
  Status lock(bool exclusive) override { return inner_->lock(exclusive); }
  const std::string& path() const override { return inner_->path(); }

  void clear_page_writes() {
    std::lock_guard lock(mutex_);
    page_writes_.clear();
  }
  int page_writes(Pgno pgno) {
    std::lock_guard lock(mutex_);
    return pgno < page_writes_.size() ? page_writes_[pgno] : 0;
  }

  std::atomic<Gate*> read_gate{nullptr};
  std::atomic<Gate*> write_gate{nullptr};
  std::atomic<Pgno> write_gate_pgno{page::kNoPage};
  std::atomic<bool> tear_writes{false};
  std::atomic<int> backup_reads{0};

 private:
  std::unique_ptr<io::File> inner_;
  std::mutex mutex_;
  std::vector<int> page_writes_;
};

// Opens every file through a SeamFile over a MemoryFileSystem.
class SeamFileSystem : public testing::MemoryFileSystem {
 public:
  Result<std::unique_ptr<io::File>> open_file(const std::string& path,
                                              const io::OpenOptions& options) override {
    Result<std::unique_ptr<io::File>> inner = MemoryFileSystem::open_file(path, options);
    if (!inner.ok()) return inner.status();
    auto file = std::make_unique<SeamFile>(std::move(inner.value()));
    last_seam = file.get();
    return std::unique_ptr<io::File>(std::move(file));
  }
  SeamFile* last_seam = nullptr;
};

std::unique_ptr<SeamFile> seam_file() {
  return std::make_unique<SeamFile>(
      std::make_unique<MemoryFile>(std::make_shared<MemoryFileData>(), "mem.db"));
}

// A page whose body is a pattern of (pgno, value), dbtime = value.
void fill(std::span<std::byte> p, Pgno pgno, std::uint32_t value) {
  page::initialize(p, pgno, page::PageType::kBtreeLeaf, 1, 0);
  page::set_dbtime(p, value);
  for (std::size_t i = page::PageHeaderLayout::kSize; i + 4 <= p.size(); i += 4) {
    std::uint32_t word = value * 2654435761u + pgno + static_cast<std::uint32_t>(i);
    std::memcpy(p.data() + i, &word, 4);
  }
}

bool holds(std::span<const std::byte> p, Pgno pgno, std::uint32_t value) {
  std::vector<std::byte> expected(p.size());
  fill(expected, pgno, value);
  return page::dbtime(p) == value &&
         std::memcmp(p.data() + page::PageHeaderLayout::kSize,
                     expected.data() + page::PageHeaderLayout::kSize,
                     p.size() - page::PageHeaderLayout::kSize) == 0;
}

std::span<const std::byte> page_of(const std::vector<std::byte>& buffer, std::uint32_t index) {
  return std::span<const std::byte>(buffer).subspan(std::size_t{index} * kPageSize, kPageSize);
}

// Writes a sealed page straight into the file, behind the cache.
void write_behind(io::File& file, Pgno pgno, std::uint32_t value) {
  std::vector<std::byte> p(kPageSize);
  fill(p, pgno, value);
  page::seal(p, pgno);
  ASSERT_TRUE(file.write_at(std::uint64_t{pgno} * kPageSize, p).ok());
}

// Makes page `pgno` hold `value` in the cache (dirty, unpinned afterwards).
void change_page(BufferCache& cache, CacheFile* handle, Pgno pgno, std::uint32_t value) {
  Result<PageRef> ref = cache.get(handle, pgno, LatchMode::kExclusive);
  ASSERT_TRUE(ref.ok()) << ref.status().to_string();
  fill(ref->mutable_bytes(), pgno, value);
  ref->mark_dirty(0);
}

// A registered file whose pages 0..15 hold value 1 on disk.
struct Fixture {
  Fixture() : file(seam_file()), cache(64) {
    for (Pgno pgno = 0; pgno < 16; ++pgno) write_behind(*file, pgno, 1);
    file->clear_page_writes();
    handle = cache.register_file(*file, kPageSize);
  }
  ~Fixture() { cache.unregister_file(handle); }
  std::unique_ptr<SeamFile> file;
  BufferCache cache;
  CacheFile* handle = nullptr;
};

TEST(BackupRead, ReadsWhatWasLastWrittenNotDirtyCachedPages) {
  Fixture f;
  change_page(f.cache, f.handle, 5, 2);
  ASSERT_TRUE(f.cache.flush(f.handle).ok());
  change_page(f.cache, f.handle, 5, 3);  // dirty, not written
  change_page(f.cache, f.handle, 6, 3);

  std::vector<std::byte> out(4 * kPageSize);
  Pgno failed = 77;
  ASSERT_TRUE(f.cache.read_for_backup(f.handle, 4, 4, out, &failed).ok());
  EXPECT_EQ(failed, 77u);  // untouched on success
  EXPECT_TRUE(holds(page_of(out, 0), 4, 1));
  EXPECT_TRUE(holds(page_of(out, 1), 5, 2));  // the flushed version, not the dirty one
  EXPECT_TRUE(holds(page_of(out, 2), 6, 1));
  EXPECT_TRUE(holds(page_of(out, 3), 7, 1));
  // Neither a read through the cache nor a change to the cached pages.
  EXPECT_EQ(f.cache.statistics().reads, 2u);  // the two get() misses above
  EXPECT_TRUE(f.cache.dirty_log_position(f.handle, 5).has_value());

  ASSERT_TRUE(f.cache.flush(f.handle).ok());
  ASSERT_TRUE(f.cache.read_for_backup(f.handle, 5, 2, out, nullptr).ok());
  EXPECT_TRUE(holds(page_of(out, 0), 5, 3));
  EXPECT_TRUE(holds(page_of(out, 1), 6, 3));
}

TEST(BackupRead, AllZeroPagesAreAccepted) {
  auto file = seam_file();
  write_behind(*file, 2, 9);
  std::vector<std::byte> zeros(kPageSize);
  ASSERT_TRUE(file->write_at(std::uint64_t{6} * kPageSize, zeros).ok());  // pages 3..6: zero
  BufferCache cache(8);
  CacheFile* handle = cache.register_file(*file, kPageSize);
  std::vector<std::byte> out(5 * kPageSize, std::byte{0xAB});
  EXPECT_TRUE(cache.read_for_backup(handle, 2, 5, out, nullptr).ok());
  EXPECT_TRUE(holds(page_of(out, 0), 2, 9));
  for (std::uint32_t i = 1; i < 5; ++i) EXPECT_TRUE(page::is_all_zero(page_of(out, i)));
  cache.unregister_file(handle);
}

TEST(BackupRead, ShortReadAtEndOfFileReadsAsZeroPages) {
  auto file = seam_file();
  write_behind(*file, 0, 4);
  write_behind(*file, 1, 4);  // the file ends after page 1
  BufferCache cache(8);
  CacheFile* handle = cache.register_file(*file, kPageSize);
  std::vector<std::byte> out(4 * kPageSize, std::byte{0xCD});
  EXPECT_TRUE(cache.read_for_backup(handle, 0, 4, out, nullptr).ok());
  EXPECT_TRUE(holds(page_of(out, 1), 1, 4));
  EXPECT_TRUE(page::is_all_zero(page_of(out, 2)));
  EXPECT_TRUE(page::is_all_zero(page_of(out, 3)));
  cache.unregister_file(handle);
}

TEST(BackupRead, CorruptPageOnDiskIsReportedWithItsNumber) {
  Fixture f;
  std::vector<std::byte> bad(1, std::byte{0x5A});
  ASSERT_TRUE(f.file->write_at(std::uint64_t{9} * kPageSize + 1000, bad).ok());
  ASSERT_TRUE(f.file->write_at(std::uint64_t{11} * kPageSize + 1000, bad).ok());
  std::vector<std::byte> out(6 * kPageSize);
  Pgno failed = page::kNoPage;
  Status status = f.cache.read_for_backup(f.handle, 7, 6, out, &failed);
  EXPECT_EQ(status.error(), Error::kReadVerifyFailure) << status.to_string();
  EXPECT_EQ(failed, 9u);  // the first that fails
  // The same range minus the bad pages reads fine.
  EXPECT_TRUE(f.cache.read_for_backup(f.handle, 7, 2, out, &failed).ok());
}

TEST(BackupRead, PageCopiedToAnotherSlotIsAPgnoMismatch) {
  Fixture f;
  std::vector<std::byte> p(kPageSize);
  ASSERT_TRUE(f.file->read_at(std::uint64_t{3} * kPageSize, p).ok());
  ASSERT_TRUE(f.file->write_at(std::uint64_t{4} * kPageSize, p).ok());  // page 3 in slot 4
  std::vector<std::byte> out(3 * kPageSize);
  Pgno failed = page::kNoPage;
  Status status = f.cache.read_for_backup(f.handle, 3, 3, out, &failed);
  EXPECT_EQ(status.error(), Error::kReadPgnoVerifyFailure) << status.to_string();
  EXPECT_EQ(failed, 4u);
}

TEST(BackupRead, BufferTooSmallIsInvalidParameterAndZeroCountReadsNothing) {
  Fixture f;
  std::vector<std::byte> out(2 * kPageSize - 1);
  EXPECT_EQ(f.cache.read_for_backup(f.handle, 3, 2, out, nullptr).error(),
            Error::kInvalidParameter);
  EXPECT_TRUE(f.cache.read_for_backup(f.handle, 3, 0, {}, nullptr).ok());
  EXPECT_EQ(f.file->backup_reads.load(), 0);
  // A larger buffer is fine: only the first count pages are filled.
  std::vector<std::byte> larger(5 * kPageSize, std::byte{0xEE});
  EXPECT_TRUE(f.cache.read_for_backup(f.handle, 3, 2, larger, nullptr).ok());
  EXPECT_TRUE(holds(page_of(larger, 1), 4, 1));
  EXPECT_EQ(larger[2 * kPageSize], std::byte{0xEE});
}

TEST(BackupRead, StickyFailureIsReturned) {
  Fixture f;
  f.cache.mark_failed(f.handle, Status(Error::kLogWriteFail));
  std::vector<std::byte> out(2 * kPageSize);
  EXPECT_EQ(f.cache.read_for_backup(f.handle, 3, 2, out, nullptr).error(), Error::kLogWriteFail);
  EXPECT_EQ(f.file->backup_reads.load(), 0);
}

// Runs `work` on another thread; the future says when it is done.
std::future<Status> run_async(std::function<Status()> work) {
  return std::async(std::launch::async, std::move(work));
}

TEST(BackupRead, WriteOfALockedPageWaitsForTheReadAndOthersDoNot) {
  Fixture f;
  Gate read_gate;
  f.file->read_gate = &read_gate;
  std::vector<std::byte> out(4 * kPageSize);
  auto reader = run_async([&] { return f.cache.read_for_backup(f.handle, 3, 4, out, nullptr); });
  ASSERT_TRUE(read_gate.wait_entered(1));  // the read of pages 3..6 is under way, held

  // A page outside the range is written and the flush completes while the read is held.
  change_page(f.cache, f.handle, 10, 2);
  auto outside = run_async([&] { return f.cache.flush(f.handle); });
  ASSERT_EQ(outside.wait_for(kHang), std::future_status::ready);
  EXPECT_TRUE(outside.get().ok());
  EXPECT_EQ(f.file->page_writes(10), 1);

  // A page inside the range: its write waits for the read.
  change_page(f.cache, f.handle, 4, 2);
  auto inside = run_async([&] { return f.cache.flush(f.handle); });
  EXPECT_EQ(inside.wait_for(kWatch), std::future_status::timeout);
  EXPECT_EQ(f.file->page_writes(4), 0);
  {
    // The waiting writer holds no latch: the page can be latched (even exclusively) and read.
    Result<PageRef> ref = f.cache.get(f.handle, 4, LatchMode::kExclusive);
    ASSERT_TRUE(ref.ok());
    EXPECT_TRUE(holds(ref->bytes(), 4, 2));
  }
  // Pages of the range that are not being written can be cached and read meanwhile.
  EXPECT_TRUE(f.cache.get(f.handle, 5, LatchMode::kShared).ok());
  EXPECT_EQ(reader.wait_for(0s), std::future_status::timeout);

  read_gate.open();
  ASSERT_EQ(reader.wait_for(kHang), std::future_status::ready);
  EXPECT_TRUE(reader.get().ok());
  EXPECT_TRUE(holds(page_of(out, 1), 4, 1));  // read before the write
  ASSERT_EQ(inside.wait_for(kHang), std::future_status::ready);
  EXPECT_TRUE(inside.get().ok());
  EXPECT_EQ(f.file->page_writes(4), 1);
}

TEST(BackupRead, ReadWaitsForAWriteOfItsRangeAlreadyUnderWay) {
  Fixture f;
  Gate write_gate;
  f.file->write_gate_pgno = 5;
  f.file->write_gate = &write_gate;
  change_page(f.cache, f.handle, 5, 2);
  auto writer = run_async([&] { return f.cache.flush(f.handle); });
  ASSERT_TRUE(write_gate.wait_entered(1));  // the pwrite of page 5 has begun, held

  std::vector<std::byte> out(3 * kPageSize);
  auto reader = run_async([&] { return f.cache.read_for_backup(f.handle, 4, 3, out, nullptr); });
  // A read of a range without page 5 goes ahead.
  std::vector<std::byte> other(2 * kPageSize);
  EXPECT_TRUE(f.cache.read_for_backup(f.handle, 6, 2, other, nullptr).ok());
  EXPECT_EQ(reader.wait_for(kWatch), std::future_status::timeout);
  EXPECT_EQ(f.file->backup_reads.load(), 1);  // only the other range has read

  write_gate.open();
  ASSERT_EQ(writer.wait_for(kHang), std::future_status::ready);
  EXPECT_TRUE(writer.get().ok());
  ASSERT_EQ(reader.wait_for(kHang), std::future_status::ready);
  EXPECT_TRUE(reader.get().ok());
  EXPECT_TRUE(holds(page_of(out, 1), 5, 2));  // read after the write
}

TEST(BackupRead, OverlappingReadsRunAtOnce) {
  Fixture f;
  Gate read_gate;
  f.file->read_gate = &read_gate;
  std::vector<std::byte> first(4 * kPageSize);
  std::vector<std::byte> second(4 * kPageSize);
  auto a = run_async([&] { return f.cache.read_for_backup(f.handle, 2, 4, first, nullptr); });
  auto b = run_async([&] { return f.cache.read_for_backup(f.handle, 4, 4, second, nullptr); });
  EXPECT_TRUE(read_gate.wait_entered(2));  // both inside their pread at the same time

  change_page(f.cache, f.handle, 4, 2);  // in both ranges
  auto writer = run_async([&] { return f.cache.flush(f.handle); });
  EXPECT_EQ(writer.wait_for(kWatch), std::future_status::timeout);
  read_gate.open();
  ASSERT_EQ(a.wait_for(kHang), std::future_status::ready);
  ASSERT_EQ(b.wait_for(kHang), std::future_status::ready);
  EXPECT_TRUE(a.get().ok());
  EXPECT_TRUE(b.get().ok());
  ASSERT_EQ(writer.wait_for(kHang), std::future_status::ready);
  EXPECT_TRUE(writer.get().ok());
  EXPECT_TRUE(holds(page_of(first, 2), 4, 1));
  EXPECT_TRUE(holds(page_of(second, 0), 4, 1));
}

TEST(BackupRead, EvictionTakesAnotherVictimThanALockedDirtyPage) {
  auto file = seam_file();
  for (Pgno pgno = 0; pgno < 16; ++pgno) write_behind(*file, pgno, 1);
  file->clear_page_writes();
  BufferCache cache(2);
  CacheFile* handle = cache.register_file(*file, kPageSize);
  change_page(cache, handle, 4, 2);  // dirty, inside the range
  Gate read_gate;
  file->read_gate = &read_gate;
  std::vector<std::byte> out(4 * kPageSize);
  auto reader = run_async([&] { return cache.read_for_backup(handle, 3, 4, out, nullptr); });
  ASSERT_TRUE(read_gate.wait_entered(1));
  // Misses that need frames: none of them waits for the backup.
  auto getter = run_async([&]() -> Status {
    for (Pgno pgno = 10; pgno < 14; ++pgno) {
      Result<PageRef> ref = cache.get(handle, pgno, LatchMode::kShared);
      if (!ref.ok()) return ref.status();
    }
    return Status::success();
  });
  const bool got = getter.wait_for(kHang) == std::future_status::ready;
  read_gate.open();
  ASSERT_TRUE(got);
  EXPECT_TRUE(getter.get().ok());
  EXPECT_EQ(file->page_writes(4), 0);
  EXPECT_TRUE(reader.get().ok());
  EXPECT_TRUE(cache.dirty_log_position(handle, 4).has_value());
  cache.unregister_file(handle);
}

TEST(BackupRead, UnregisterWaitsForARangeRead) {
  auto file = seam_file();
  for (Pgno pgno = 0; pgno < 8; ++pgno) write_behind(*file, pgno, 1);
  BufferCache cache(4);
  CacheFile* handle = cache.register_file(*file, kPageSize);
  Gate read_gate;
  file->read_gate = &read_gate;
  std::vector<std::byte> out(2 * kPageSize);
  auto reader = run_async([&] { return cache.read_for_backup(handle, 2, 2, out, nullptr); });
  ASSERT_TRUE(read_gate.wait_entered(1));
  auto unregister = run_async([&] {
    cache.unregister_file(handle);
    return Status::success();
  });
  EXPECT_EQ(unregister.wait_for(kWatch), std::future_status::timeout);
  read_gate.open();
  EXPECT_TRUE(reader.get().ok());
  ASSERT_EQ(unregister.wait_for(kHang), std::future_status::ready);
}

// Writers keep changing and writing pages (flushes and evictions), each page written in two
// halves so that an unprotected read could see it torn; a reader reads ranges all along and
// must never meet a page failing verification.
TEST(BackupRead, StressNoTornPageWhileWritersRun) {
  // The seed picks the pages and ranges; thread interleaving still varies from run to run.
  const char* seed_text = std::getenv("ESENT_SEED");
  const auto seed = seed_text != nullptr
                        ? static_cast<unsigned>(std::strtoul(seed_text, nullptr, 10))
                        : static_cast<unsigned>(std::random_device{}());
  const auto duration = std::getenv("ESENT_LONG_TESTS") != nullptr ? 20s : 2s;
  std::printf("BackupRead stress seed %u (replay with ESENT_SEED=%u)\n", seed, seed);
  SCOPED_TRACE("seed " + std::to_string(seed));
  constexpr Pgno kPages = 32;
  auto file = seam_file();
  for (Pgno pgno = 0; pgno < kPages; ++pgno) write_behind(*file, pgno, 1);
  file->tear_writes = true;
  BufferCache cache(12);  // fewer frames than pages: evictions write too
  CacheFile* handle = cache.register_file(*file, kPageSize);

  std::atomic<bool> stop{false};
  std::atomic<std::uint32_t> next_value{2};
  std::atomic<int> writer_errors{0};
  std::mutex first_writer_error_mutex;
  std::string first_writer_error;
  auto writer_failed = [&](const Status& status) {
    std::lock_guard lock(first_writer_error_mutex);
    if (writer_errors++ == 0) first_writer_error = status.to_string();
  };
  auto writer = [&](unsigned writer_seed) {
    std::mt19937 rng(writer_seed);
    while (!stop.load()) {
      const auto pgno = static_cast<Pgno>(rng() % kPages);
      {
        Result<PageRef> ref = cache.get(handle, pgno, LatchMode::kExclusive);
        if (!ref.ok()) {
          writer_failed(ref.status());
          return;
        }
        fill(ref->mutable_bytes(), pgno, next_value++);
        ref->mark_dirty(0);
      }
      if (rng() % 16 == 0) {
        Status flushed = cache.flush(handle);
        if (!flushed.ok()) writer_failed(flushed);
      }
    }
  };
  std::vector<std::thread> writers;
  for (unsigned i = 0; i < 3; ++i) writers.emplace_back(writer, seed + i);

  std::mt19937 rng(seed);
  std::vector<std::byte> out(8 * kPageSize);
  int reads = 0;
  int failures = 0;
  // At least `duration`, and on until the writers have made 1000 changes (a loaded machine
  // slows them), within a minute.
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + duration;
  const auto give_up = started + std::max<std::chrono::seconds>(duration, 60s);
  while (std::chrono::steady_clock::now() < give_up &&
         (std::chrono::steady_clock::now() < deadline || next_value.load() <= 1000u)) {
    const auto first = static_cast<Pgno>(rng() % kPages);
    const auto count = static_cast<std::uint32_t>(1 + rng() % std::min<Pgno>(8, kPages - first));
    Pgno failed = page::kNoPage;
    Status status = cache.read_for_backup(handle, first, count, out, &failed);
    ++reads;
    if (!status.ok()) {
      ++failures;
      ADD_FAILURE() << "range [" << first << ", +" << count << ") page " << failed << ": "
                    << status.to_string();
      if (failures > 5) break;
    }
  }
  stop = true;
  for (auto& thread : writers) thread.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const std::string summary = std::to_string(reads) + " range reads, " +
                              std::to_string(next_value.load() - 2) + " page changes, " +
                              std::to_string(failures) + " failed reads, " +
                              std::to_string(writer_errors.load()) + " writer errors (" +
                              first_writer_error + ") in " + std::to_string(seconds) + " s";
  std::printf("BackupRead stress: %s\n", summary.c_str());
  EXPECT_EQ(writer_errors.load(), 0) << summary;
  EXPECT_GT(reads, 100) << summary;
  EXPECT_GT(next_value.load(), 1000u) << summary;  // the writers did run alongside
  cache.unregister_file(handle);
}

// DatabaseFile::read_for_backup: bounds, header pages, failure.
class BackupReadDatabaseFile : public ::testing::Test {
 protected:
  BackupReadDatabaseFile() : cache_(64) {
    CreateOptions options;
    options.page_size_bytes = kPageSize;
    options.initial_size_pages = 16;
    auto created = DatabaseFile::create(fs_, cache_, "/backup.edb", options);
    EXPECT_TRUE(created.ok()) << created.status().to_string();
    if (created.ok()) db_ = std::move(created.value());
  }

  // Allocates a page holding `value` (dirty in the cache).
  Pgno new_page(std::uint32_t value) {
    Result<PageRef> ref = db_->allocate();
    EXPECT_TRUE(ref.ok()) << ref.status().to_string();
    if (!ref.ok()) return page::kNoPage;
    const Pgno pgno = ref->pgno();
    fill(ref->mutable_bytes(), pgno, value);
    page::set_dbtime(ref->mutable_bytes(), db_->next_dbtime());
    std::memcpy(ref->mutable_bytes().data() + 100, &value, sizeof value);
    ref->mark_dirty(0);
    return pgno;
  }
  static std::uint32_t value_in(std::span<const std::byte> p) {
    std::uint32_t value;
    std::memcpy(&value, p.data() + 100, sizeof value);
    return value;
  }

  SeamFileSystem fs_;
  BufferCache cache_;
  std::unique_ptr<DatabaseFile> db_;
};

TEST_F(BackupReadDatabaseFile, WholeFileReadsAsLastFlushedHeadersIncluded) {
  ASSERT_NE(db_, nullptr);
  const Pgno a = new_page(11);
  const Pgno b = new_page(12);
  ASSERT_TRUE(db_->flush().ok());
  {
    Result<PageRef> ref = db_->get(a, LatchMode::kExclusive);
    ASSERT_TRUE(ref.ok());
    std::uint32_t changed = 99;
    std::memcpy(ref->mutable_bytes().data() + 100, &changed, sizeof changed);
    ref->mark_dirty(0);
  }
  const std::uint32_t size = db_->size_pages();
  std::vector<std::byte> out(std::size_t{size} * kPageSize);
  Pgno failed = page::kNoPage;
  Status status = db_->read_for_backup(0, size, out, &failed);
  ASSERT_TRUE(status.ok()) << status.to_string() << " page " << failed;
  EXPECT_EQ(value_in(page_of(out, a)), 11u);  // the disk version, not the dirty one
  EXPECT_EQ(value_in(page_of(out, b)), 12u);
  // The bytes are exactly the file's.
  std::vector<std::byte> disk = fs_.contents("/backup.edb");
  ASSERT_GE(disk.size(), out.size());
  EXPECT_EQ(std::memcmp(disk.data(), out.data(), out.size()), 0);
  // Header pages alone, and a range starting at the second copy.
  EXPECT_TRUE(db_->read_for_backup(0, 1, out, nullptr).ok());
  EXPECT_TRUE(db_->read_for_backup(1, 3, out, nullptr).ok());
  EXPECT_EQ(std::memcmp(disk.data() + kPageSize, out.data(), 3 * kPageSize), 0);
}

TEST_F(BackupReadDatabaseFile, BeyondTheSizeIsInvalidParameter) {
  ASSERT_NE(db_, nullptr);
  const std::uint32_t size = db_->size_pages();
  std::vector<std::byte> out(std::size_t{size + 1} * kPageSize);
  EXPECT_EQ(db_->read_for_backup(0, size + 1, out, nullptr).error(), Error::kInvalidParameter);
  EXPECT_EQ(db_->read_for_backup(size, 1, out, nullptr).error(), Error::kInvalidParameter);
  EXPECT_EQ(db_->read_for_backup(0xFFFFFFFFu, 2, out, nullptr).error(),
            Error::kInvalidParameter);  // no wrap-around
  EXPECT_TRUE(db_->read_for_backup(size - 1, 1, out, nullptr).ok());
  EXPECT_EQ(db_->read_for_backup(3, 2, std::span<std::byte>(out).first(kPageSize), nullptr)
                .error(),
            Error::kInvalidParameter);
}

TEST_F(BackupReadDatabaseFile, CorruptPagesAndHeaderCopiesAreReported) {
  ASSERT_NE(db_, nullptr);
  const Pgno a = new_page(5);
  ASSERT_TRUE(db_->flush().ok());
  std::vector<std::byte> disk = fs_.contents("/backup.edb");
  disk[std::size_t{a} * kPageSize + 200] ^= std::byte{1};
  disk[kPageSize + 300] ^= std::byte{1};  // header copy 1
  fs_.set_contents("/backup.edb", disk);
  std::vector<std::byte> out(std::size_t{db_->size_pages()} * kPageSize);
  Pgno failed = page::kNoPage;
  EXPECT_EQ(db_->read_for_backup(a, 1, out, &failed).error(), Error::kReadVerifyFailure);
  EXPECT_EQ(failed, a);
  EXPECT_EQ(db_->read_for_backup(0, 3, out, &failed).error(), Error::kReadVerifyFailure);
  EXPECT_EQ(failed, 1u);
  EXPECT_TRUE(db_->read_for_backup(0, 1, out, &failed).ok());
}

TEST_F(BackupReadDatabaseFile, FailedFileReturnsItsFailure) {
  ASSERT_NE(db_, nullptr);
  db_->abandon(Status(Error::kLogWriteFail));
  std::vector<std::byte> out(2 * kPageSize);
  EXPECT_EQ(db_->read_for_backup(3, 2, out, nullptr).error(), Error::kLogWriteFail);
}

TEST_F(BackupReadDatabaseFile, FlushOfALockedPageWaitsForTheRead) {
  ASSERT_NE(db_, nullptr);
  const Pgno a = new_page(21);
  ASSERT_TRUE(db_->flush().ok());
  {
    Result<PageRef> ref = db_->get(a, LatchMode::kExclusive);
    ASSERT_TRUE(ref.ok());
    std::uint32_t changed = 22;
    std::memcpy(ref->mutable_bytes().data() + 100, &changed, sizeof changed);
    page::set_dbtime(ref->mutable_bytes(), db_->next_dbtime());
    ref->mark_dirty(0);
  }
  SeamFile* seam = fs_.last_seam;
  ASSERT_NE(seam, nullptr);
  Gate read_gate;
  seam->read_gate = &read_gate;
  std::vector<std::byte> out(2 * kPageSize);
  auto reader = run_async([&] { return db_->read_for_backup(a, 2, out, nullptr); });
  ASSERT_TRUE(read_gate.wait_entered(1));
  auto flusher = run_async([&] { return db_->flush(); });
  EXPECT_EQ(flusher.wait_for(kWatch), std::future_status::timeout);
  read_gate.open();
  ASSERT_EQ(reader.wait_for(kHang), std::future_status::ready);
  EXPECT_TRUE(reader.get().ok());
  EXPECT_EQ(value_in(page_of(out, 0)), 21u);
  ASSERT_EQ(flusher.wait_for(kHang), std::future_status::ready);
  EXPECT_TRUE(flusher.get().ok());
  seam->read_gate = nullptr;
  EXPECT_TRUE(db_->read_for_backup(a, 1, out, nullptr).ok());
  EXPECT_EQ(value_in(page_of(out, 0)), 22u);
}

}  // namespace
}  // namespace esent::cache
