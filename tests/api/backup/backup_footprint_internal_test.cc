// A streaming backup takes no copy or snapshot of the database: the memory a JetReadFileInstance
// call allocates and the files the engine writes while a database is streamed do not grow with
// the database. Measured structurally — allocations counted on the calling thread (this
// executable replaces the global operator new), files counted by listing the instance's folder —
// never as a speed.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <new>
#include <set>
#include <string>
#include <vector>

#include "backup/backup_fixture.h"

namespace {

thread_local bool counting = false;
thread_local std::size_t counted_bytes = 0;
thread_local std::size_t largest_allocation = 0;

void note(std::size_t size) {
  if (!counting) return;
  counted_bytes += size;
  if (size > largest_allocation) largest_allocation = size;
}

}  // namespace

// Every form goes through malloc/free, so the pairs always match (GCC cannot see that).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) {
  note(size);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace esent_test {
namespace {

class BackupFootprintTest : public BackupTest {
 protected:
  struct Footprint {
    std::uint64_t image_bytes = 0;
    std::size_t allocated_bytes = 0;     // by every JetReadFileInstance call together
    std::size_t largest_allocation = 0;  // by any one of them
    std::set<std::string> new_files;     // in the instance's folder while streaming
  };

  std::set<std::string> FolderEntries() const {
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(folder_)) {
      names.insert(entry.path().string());
    }
    return names;
  }

  // Streams the database once (16-page reads) inside a full backup, then aborts the backup.
  Footprint StreamDatabase() {
    Footprint footprint;
    EXPECT_EQ(JET_errSuccess, JetBeginExternalBackupInstance(instance_, 0));
    const std::set<std::string> before = FolderEntries();
    JET_HANDLE handle = 0;
    JET_UINT32 low = 0, high = 0;
    EXPECT_EQ(JET_errSuccess,
              JetOpenFileInstanceA(instance_, database_path_.c_str(), &handle, &low, &high));
    std::vector<char> chunk(DatabaseChunk());
    JET_UINT32 actual = 0;
    JET_ERR err = JET_errSuccess;
    do {
      counted_bytes = 0;
      largest_allocation = 0;
      counting = true;
      err = JetReadFileInstance(instance_, handle, chunk.data(), DatabaseChunk(), &actual);
      counting = false;
      footprint.allocated_bytes += counted_bytes;
      footprint.largest_allocation = std::max(footprint.largest_allocation, largest_allocation);
      footprint.image_bytes += err == JET_errSuccess ? actual : 0;
    } while (err == JET_errSuccess && actual != 0);
    EXPECT_EQ(JET_errSuccess, err);
    EXPECT_EQ(JET_errSuccess, JetCloseFileInstance(instance_, handle));
    for (const std::string& name : FolderEntries()) {
      if (before.count(name) == 0) footprint.new_files.insert(name);
    }
    EXPECT_EQ(JET_errSuccess, JetEndExternalBackupInstance2(instance_, JET_bitBackupEndAbort));
    return footprint;
  }
};

TEST_F(BackupFootprintTest, TheAllocationCounterCounts) {
  counted_bytes = 0;
  counting = true;
  auto* probe = new std::vector<char>(5000);
  counting = false;
  delete probe;
  EXPECT_GE(counted_bytes, 5000u);
}

TEST_F(BackupFootprintTest, ReadingAnImageAllocatesAndWritesNothingThatGrowsWithTheDatabase) {
  ASSERT_NO_FATAL_FAILURE(StartWithDatabase());
  ASSERT_NO_FATAL_FAILURE(InsertRows(1, 200));
  const Footprint small = StreamDatabase();
  ASSERT_NO_FATAL_FAILURE(InsertRows(1000, 6000));
  const Footprint large = StreamDatabase();
  ASSERT_GT(large.image_bytes, 3 * small.image_bytes) << "the database did not grow enough";

  // No read allocates anything of a page's size or more: the pages go straight into the
  // caller's buffer (no copy of the database, no page buffer per read).
  EXPECT_LT(small.largest_allocation, std::size_t{page_size_});
  EXPECT_LT(large.largest_allocation, std::size_t{page_size_});
  // What the reads allocate at all (event text, at most) does not grow with the database.
  EXPECT_LE(large.allocated_bytes, small.allocated_bytes + 16 * 1024)
      << "small image " << small.image_bytes << " bytes: " << small.allocated_bytes
      << " bytes allocated; large image " << large.image_bytes << " bytes: "
      << large.allocated_bytes;
  // No file appears while a database is streamed (no snapshot or temporary copy).
  EXPECT_TRUE(small.new_files.empty()) << *small.new_files.begin();
  EXPECT_TRUE(large.new_files.empty()) << *large.new_files.begin();
}

}  // namespace
}  // namespace esent_test
