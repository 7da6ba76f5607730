#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "log/log_format.h"

namespace esent::log {
namespace {

LogHeader sample_header() {
  LogHeader header;
  header.generation = 7;
  header.file_sectors = 128;
  header.created = LogTime::now();
  header.previous_created.bytes[0] = 3;
  header.signature = Signature::generate();
  header.checkpoint = Lgpos{5, 9, 40};
  header.flags = kHeaderFlagCircular;
  header.page_size_bytes = 8192;
  header.previous_end_sector = 77;
  return header;
}

TEST(LogFormatTest, HeaderRoundTrips) {
  const LogHeader header = sample_header();
  std::array<std::byte, kHeaderBytes> bytes{};
  encode_header(header, bytes);
  auto decoded = decode_header(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().to_string();
  EXPECT_EQ(*decoded, header);
  EXPECT_EQ(load_u32(bytes.data() + kHeaderMagicOffset), kLogMagic);
  EXPECT_EQ(load_u32(bytes.data() + kHeaderGenerationOffset), 7u);
}

TEST(LogFormatTest, HeaderErrors) {
  std::array<std::byte, kHeaderBytes> bytes{};
  encode_header(sample_header(), bytes);
  auto flipped = bytes;
  flipped[1000] ^= std::byte{1};  // in the reserved area, still covered by the checksum
  EXPECT_EQ(decode_header(flipped).status().error(), Error::kLogFileCorrupt);
  auto wrong_magic = bytes;
  wrong_magic[kHeaderMagicOffset] ^= std::byte{1};
  EXPECT_EQ(decode_header(wrong_magic).status().error(), Error::kLogFileCorrupt);
  // The generation is inside the checksum: a header moved to another generation fails.
  auto other_generation = bytes;
  store_u32(other_generation.data() + kHeaderGenerationOffset, 8);
  EXPECT_EQ(decode_header(other_generation).status().error(), Error::kLogFileCorrupt);
  LogHeader future = sample_header();
  future.version = kLogFormatVersion + 1;
  encode_header(future, bytes);
  EXPECT_EQ(decode_header(bytes).status().error(), Error::kBadLogVersion);
  std::array<std::byte, kHeaderBytes> zeros{};
  EXPECT_EQ(decode_header(zeros).status().error(), Error::kLogFileCorrupt);
}

TEST(LogFormatTest, SectorVerifiesOnlyAsItsOwnGenerationAndNumber) {
  std::vector<std::byte> sector(kSectorBytes, std::byte{0x55});
  seal_sector(sector, 3, 12, 100, kSectorFlagRestart);
  SectorView view;
  ASSERT_TRUE(verify_sector(sector, 3, 12, &view));
  EXPECT_EQ(view.data_bytes, 100);
  EXPECT_EQ(view.flags, kSectorFlagRestart);
  EXPECT_EQ(sector[kSectorHeaderBytes + 100], std::byte{0});  // the unused tail is zeroed
  EXPECT_FALSE(verify_sector(sector, 4, 12, nullptr));
  EXPECT_FALSE(verify_sector(sector, 3, 13, nullptr));
  auto torn = sector;
  torn[300] ^= std::byte{0x80};
  EXPECT_FALSE(verify_sector(torn, 3, 12, nullptr));
  std::vector<std::byte> zeros(kSectorBytes);
  EXPECT_FALSE(verify_sector(zeros, 3, 12, nullptr));
}

}  // namespace
}  // namespace esent::log
