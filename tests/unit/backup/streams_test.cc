// The backup layer's own formats and checks: the trailer page, and the verification a log
// stream applies to the bytes it hands out (a damaged log must never reach a backup set).
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "backup/streams.h"
#include "backup/trailer.h"
#include "io/memory_file_system.h"
#include "log/log_names.h"
#include "log/log_writer.h"
#include "page/page.h"
#include "unit/log/log_test_util.h"

namespace esent::backup {
namespace {

Trailer sample_trailer() {
  Trailer trailer;
  trailer.database_pages = 77;
  trailer.dbid = 3;
  trailer.generation_low = 5;
  trailer.generation_high = 9;
  trailer.mark = page::LogPosition{40, 12, 7};
  trailer.mark_time = page::LogTime::from_unix_milliseconds(1'700'000'000'123);
  trailer.log_signature.random = 0x1234;
  trailer.log_signature.created = page::LogTime::from_unix_milliseconds(1'600'000'000'000);
  trailer.database_signature.random = 0x5678;
  trailer.path = "/data/db/orders.edb";
  return trailer;
}

TEST(BackupTrailerTest, RoundTripsEveryField) {
  std::vector<std::byte> page(8192);
  const Trailer trailer = sample_trailer();
  encode_trailer(trailer, page);
  Result<Trailer> decoded = decode_trailer(page, 77);
  ASSERT_TRUE(decoded.ok()) << decoded.status().to_string();
  EXPECT_EQ(*decoded, trailer);
  EXPECT_EQ(page::type(page), page::PageType::kBackupTrailer);
}

TEST(BackupTrailerTest, DamageAndMisplacementAreReported) {
  std::vector<std::byte> page(4096);
  encode_trailer(sample_trailer(), page);
  EXPECT_EQ(decode_trailer(page, 78).status().error(), Error::kReadPgnoVerifyFailure);
  page[200] ^= std::byte{1};
  EXPECT_EQ(decode_trailer(page, 77).status().error(), Error::kReadVerifyFailure);
  std::vector<std::byte> zero(4096);
  EXPECT_EQ(decode_trailer(zero, 77).status().error(), Error::kReadVerifyFailure);
}

TEST(BackupTrailerTest, AnotherSealedPageIsNotATrailer) {
  std::vector<std::byte> page(4096);
  page::initialize(page, 77, page::PageType::kBtreeLeaf, 9, 0);
  page::seal(page, 77);
  EXPECT_EQ(decode_trailer(page, 77).status().error(), Error::kInvalidDatabase);
}

TEST(BackupTrailerTest, OverlongPathIsCut) {
  std::vector<std::byte> page(4096);
  Trailer trailer = sample_trailer();
  trailer.path.assign(kTrailerMaxPathBytes + 100, 'x');
  encode_trailer(trailer, page);
  Result<Trailer> decoded = decode_trailer(page, 77);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->path.size(), kTrailerMaxPathBytes);
}

// A log directory with generations 1..4 archived and 5 current, every archived file holding
// records in part of its sectors (the rest never written).
class LogStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = log::test_util::small_config("/logs");
    auto writer = log::LogWriter::create(fs_, config_, log::Lgpos{});
    ASSERT_TRUE(writer.ok()) << writer.status().to_string();
    for (int generation = 1; generation <= 4; ++generation) {
      for (int record = 0; record < 20; ++record) {
        auto payload = log::test_util::payload_for(static_cast<std::uint64_t>(record), 300);
        ASSERT_TRUE((*writer)->append(1, payload).ok());
      }
      ASSERT_TRUE((*writer)->roll().ok());
    }
    signature_ = (*writer)->signature();
    writer_ = std::move(writer).value();
  }

  std::string archived(std::uint32_t generation) const {
    return log::join_log_path(config_.directory, log::archived_log_name(config_.naming, generation));
  }
  std::vector<std::string> next_of(std::uint32_t generation) const {
    return {archived(generation + 1),
            log::join_log_path(config_.directory, log::current_log_name(config_.naming))};
  }

  // Streams generation `generation` in 8 KiB reads; the bytes, or the first error.
  Result<std::vector<std::byte>> stream(std::uint32_t generation) {
    auto opened = LogStream::open(fs_, archived(generation), generation, signature_,
                                  next_of(generation));
    if (!opened.ok()) return opened.status();
    std::vector<std::byte> all;
    std::vector<std::byte> buffer(8192);
    while (true) {
      Result<std::size_t> got = (*opened)->read(buffer);
      if (!got.ok()) return got.status();
      if (*got == 0) break;
      all.insert(all.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*got));
    }
    EXPECT_TRUE((*opened)->finished());
    return all;
  }

  std::vector<std::byte> file_bytes(const std::string& path) {
    auto file = fs_.open_file(path, io::OpenOptions{});
    EXPECT_TRUE(file.ok());
    Result<std::uint64_t> size = (*file)->size();
    EXPECT_TRUE(size.ok());
    std::vector<std::byte> bytes(static_cast<std::size_t>(size.value()));
    EXPECT_TRUE((*file)->read_at(0, bytes).ok());
    return bytes;
  }

  // The sector after the last one generation `generation` used (from the next header).
  std::uint32_t data_end(std::uint32_t generation) {
    std::vector<std::byte> header = file_bytes(archived(generation + 1));
    header.resize(log::kHeaderBytes);
    auto decoded = log::decode_header(header);
    EXPECT_TRUE(decoded.ok());
    return decoded->previous_end_sector;
  }

  void flip(std::uint32_t generation, std::uint32_t sector) {
    auto bytes = log::test_util::read_sector(fs_, archived(generation), sector);
    bytes[100] ^= std::byte{0x40};
    log::test_util::write_sector(fs_, archived(generation), sector, bytes);
  }

  io::MemoryFileSystem fs_;
  log::LogConfig config_;
  log::Signature signature_;
  std::unique_ptr<log::LogWriter> writer_;
};

TEST_F(LogStreamTest, StreamsTheFileByteForByte) {
  for (std::uint32_t generation = 1; generation <= 4; ++generation) {
    Result<std::vector<std::byte>> bytes = stream(generation);
    ASSERT_TRUE(bytes.ok()) << generation << ": " << bytes.status().to_string();
    EXPECT_EQ(*bytes, file_bytes(archived(generation))) << generation;
  }
}

TEST_F(LogStreamTest, DamagedMiddleSectorFails) {
  const std::uint32_t end = data_end(2);
  ASSERT_GT(end, log::kHeaderSectors + 2);
  flip(2, log::kHeaderSectors + 1);
  EXPECT_EQ(stream(2).status().error(), Error::kLogReadVerifyFailure);
  EXPECT_TRUE(stream(3).ok());
}

TEST_F(LogStreamTest, DamagedLastDataSectorFails) {
  // Without the next header this would look like the end of the data.
  const std::uint32_t end = data_end(3);
  flip(3, end - 1);
  EXPECT_EQ(stream(3).status().error(), Error::kLogReadVerifyFailure);
}

TEST_F(LogStreamTest, DamagedHeaderFails) {
  flip(1, 0);
  EXPECT_EQ(stream(1).status().error(), Error::kLogReadVerifyFailure);
}

TEST_F(LogStreamTest, AnotherGenerationUnderTheNameFails) {
  ASSERT_TRUE(fs_.remove_file(archived(2)).ok());
  ASSERT_TRUE(fs_.rename(archived(1), archived(2)).ok());
  EXPECT_EQ(stream(2).status().error(), Error::kLogReadVerifyFailure);
}

TEST_F(LogStreamTest, AnotherLogSetFails) {
  auto opened = LogStream::open(fs_, archived(1), 1, log::Signature::generate(), next_of(1));
  ASSERT_TRUE(opened.ok());
  std::vector<std::byte> buffer(8192);
  EXPECT_EQ((*opened)->read(buffer).status().error(), Error::kLogReadVerifyFailure);
}

TEST_F(LogStreamTest, MissingFileIsMissingFileToBackup) {
  ASSERT_TRUE(fs_.remove_file(archived(4)).ok());
  EXPECT_EQ(stream(4).status().error(), Error::kMissingFileToBackup);
}

TEST_F(LogStreamTest, ZeroedTailAfterTheDataIsAccepted) {
  // The space after the data of an archived log was never written: zero, and accepted.
  const std::uint32_t end = data_end(1);
  const auto file_sectors = static_cast<std::uint32_t>(config_.file_size_bytes / log::kSectorBytes);
  ASSERT_LT(end, file_sectors);
  EXPECT_EQ(log::test_util::read_sector(fs_, archived(1), end),
            std::vector<std::byte>(log::kSectorBytes));
  EXPECT_TRUE(stream(1).ok());
}

}  // namespace
}  // namespace esent::backup
