// Reading the newer sound header copy; damaged, torn and foreign headers.
#include "cache/header_io.h"

#include <gtest/gtest.h>

#include "page/page.h"
#include "unit/cache/memory_file.h"

namespace esent::cache {
namespace {

using testing::MemoryFile;
using testing::MemoryFileData;

class HeaderIoTest : public ::testing::Test {
 protected:
  void write_header(std::uint32_t page_size, std::uint32_t catalog_root) {
    header_.page_size_bytes = page_size;
    header_.catalog_root = catalog_root;
    ASSERT_TRUE(write_database_header(file_, header_).ok());
  }
  void flip(std::uint64_t offset) {
    std::byte b[1] = {};
    ASSERT_TRUE(file_.read_at(offset, b).ok());
    b[0] ^= std::byte{0x10};
    ASSERT_TRUE(file_.write_at(offset, b).ok());
  }
  Result<page::DatabaseHeader> read(std::uint32_t expected = 0) {
    return read_database_header(file_, expected);
  }

  MemoryFile file_{std::make_shared<MemoryFileData>(), "h.db"};
  page::DatabaseHeader header_;
};

TEST_F(HeaderIoTest, WriteSyncsEachCopyAndReadsBack) {
  write_header(8192, 11);
  EXPECT_EQ(file_.syncs.load(), 2);
  EXPECT_EQ(file_.writes.load(), 2);
  EXPECT_EQ(header_.update_sequence, 1u);
  Result<page::DatabaseHeader> h = read();
  ASSERT_TRUE(h.ok()) << h.status().to_string();
  EXPECT_TRUE(h.value() == header_);
  EXPECT_EQ(read(8192)->catalog_root, 11u);
}

TEST_F(HeaderIoTest, DamagedCopyZeroFallsBackToCopyOne) {
  for (std::uint32_t size : {4096u, 32768u}) {
    write_header(size, 5);
    flip(200);
    Result<page::DatabaseHeader> h = read();
    ASSERT_TRUE(h.ok()) << size;
    EXPECT_EQ(h->catalog_root, 5u);
    EXPECT_EQ(h->page_size_bytes, size);
  }
}

TEST_F(HeaderIoTest, DamagedPageSizeFieldOfCopyZeroStillFindsCopyOne) {
  write_header(16384, 6);
  flip(page::DatabaseHeaderLayout::kPageSize + 1);
  Result<page::DatabaseHeader> h = read();
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->page_size_bytes, 16384u);
}

TEST_F(HeaderIoTest, DamagedCopyOneFallsBackToCopyZero) {
  write_header(4096, 7);
  flip(4096 + 300);
  Result<page::DatabaseHeader> h = read();
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->catalog_root, 7u);
}

TEST_F(HeaderIoTest, BothDamagedIsCorruption) {
  write_header(4096, 7);
  flip(300);
  flip(4096 + 300);
  EXPECT_EQ(read().status().error(), Error::kDatabaseCorrupted);
}

TEST_F(HeaderIoTest, ForeignOrEmptyFileIsNotADatabase) {
  EXPECT_EQ(read().status().error(), Error::kInvalidDatabase);
  std::vector<std::byte> junk(20000, std::byte{0x5a});
  ASSERT_TRUE(file_.write_at(0, junk).ok());
  EXPECT_EQ(read().status().error(), Error::kInvalidDatabase);
}

TEST_F(HeaderIoTest, PageSizeMismatch) {
  write_header(8192, 1);
  EXPECT_EQ(read(4096).status().error(), Error::kPageSizeMismatch);
  EXPECT_TRUE(read(8192).ok());
}

TEST_F(HeaderIoTest, NewerLayoutIsReported) {
  write_header(4096, 1);
  for (page::Pgno copy : {0u, 1u}) {
    std::vector<std::byte> p(4096);
    ASSERT_TRUE(file_.read_at(copy * 4096u, p).ok());
    page::detail::store<std::uint32_t>(p, page::DatabaseHeaderLayout::kHeaderVersion, 99);
    page::seal(p, copy);
    ASSERT_TRUE(file_.write_at(copy * 4096u, p).ok());
  }
  EXPECT_EQ(read().status().error(), Error::kInvalidDatabaseVersion);
}

TEST_F(HeaderIoTest, PrefersTheCopyWithTheHigherUpdateSequence) {
  write_header(4096, 1);  // sequence 1 in both copies
  // A second write torn after copy 0: copy 0 new (sequence 2), copy 1 old.
  std::vector<std::byte> p(4096);
  page::DatabaseHeader newer = header_;
  newer.update_sequence = 2;
  newer.catalog_root = 2;
  page::encode_database_header(newer, p, 0);
  ASSERT_TRUE(file_.write_at(0, p).ok());
  EXPECT_EQ(read()->catalog_root, 2u);
  // The same as seen from copy 1 only being newer.
  write_header(4096, 3);  // both sequence 2... then copy 1 gets sequence 9
  newer = header_;
  newer.update_sequence = 9;
  newer.catalog_root = 9;
  page::encode_database_header(newer, p, 1);
  ASSERT_TRUE(file_.write_at(4096, p).ok());
  EXPECT_EQ(read()->catalog_root, 9u);
}

TEST_F(HeaderIoTest, TornWriteOfCopyZeroLeavesTheOldHeader) {
  write_header(4096, 1);
  std::vector<std::byte> p(4096);
  page::DatabaseHeader newer = header_;
  newer.update_sequence = 2;
  newer.catalog_root = 2;
  page::encode_database_header(newer, p, 0);
  // Only the first 512-byte sector of the new copy 0 reached the disk.
  ASSERT_TRUE(file_.write_at(0, std::span<const std::byte>(p).first(512)).ok());
  Result<page::DatabaseHeader> h = read();
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->catalog_root, 1u);
  EXPECT_EQ(h->update_sequence, 1u);
}

TEST_F(HeaderIoTest, FailedWriteIsReported) {
  file_.fail_writes = true;
  header_.page_size_bytes = 4096;
  EXPECT_EQ(write_database_header(file_, header_).error(), Error::kDiskIO);
  file_.fail_writes = false;
  file_.fail_syncs = true;
  EXPECT_EQ(write_database_header(file_, header_).error(), Error::kDiskIO);
}

}  // namespace
}  // namespace esent::cache
