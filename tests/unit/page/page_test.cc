// The common page header: seal and verify.
#include <gtest/gtest.h>

#include <vector>

#include "page/page.h"

namespace esent::page {
namespace {

std::vector<std::byte> make_page(std::uint32_t size, Pgno pgno) {
  std::vector<std::byte> p(size);
  initialize(p, pgno, PageType::kBtreeLeaf, 7, 0);
  set_dbtime(p, 1234);
  for (std::size_t i = PageHeaderLayout::kSize; i < p.size(); ++i) {
    p[i] = static_cast<std::byte>(i * 31);
  }
  seal(p, pgno);
  return p;
}

TEST(PageVerify, SealedPageVerifies) {
  for (std::uint32_t size : {4096u, 8192u, 16384u, 32768u}) {
    auto p = make_page(size, 42);
    EXPECT_TRUE(verify(p, 42).ok()) << size;
    EXPECT_EQ(page_number(std::span<const std::byte>(p)), 42u);
    EXPECT_EQ(object_id(std::span<const std::byte>(p)), 7u);
    EXPECT_EQ(dbtime(std::span<const std::byte>(p)), 1234u);
  }
}

TEST(PageVerify, AllZeroPageIsAcceptedAsNeverWritten) {
  std::vector<std::byte> p(4096);
  EXPECT_TRUE(verify(p, 9).ok());
  EXPECT_TRUE(is_all_zero(p));
}

TEST(PageVerify, EveryFlippedBitOfTheHeaderAndSomeOfTheBodyIsDetected) {
  auto good = make_page(4096, 5);
  for (std::size_t bit = 0; bit < 8 * 128; ++bit) {
    auto p = good;
    p[bit / 8] ^= static_cast<std::byte>(1u << (bit % 8));
    Status s = verify(p, 5);
    EXPECT_FALSE(s.ok()) << "bit " << bit;
    EXPECT_TRUE(s.error() == Error::kReadVerifyFailure ||
                s.error() == Error::kReadPgnoVerifyFailure)
        << bit;
  }
  auto p = good;
  p[4095] ^= std::byte{0x80};
  EXPECT_EQ(verify(p, 5).error(), Error::kReadVerifyFailure);
}

TEST(PageVerify, PageAtTheWrongOffsetIsAPgnoFailure) {
  auto p = make_page(4096, 5);
  EXPECT_EQ(verify(p, 6).error(), Error::kReadPgnoVerifyFailure);
}

TEST(PageVerify, ChecksumBindsThePageNumber) {
  auto p = make_page(4096, 5);
  // Same bytes, only the page number field rewritten: the old checksum no longer matches.
  set_page_number(p, 6);
  EXPECT_EQ(verify(p, 6).error(), Error::kReadVerifyFailure);
  EXPECT_NE(compute_checksum(p, 5), compute_checksum(p, 6));
}

TEST(PageVerify, TooShortIsAFailure) {
  std::vector<std::byte> p(16);
  EXPECT_EQ(verify(p, 0).error(), Error::kReadVerifyFailure);
}

}  // namespace
}  // namespace esent::page

namespace esent::page {
namespace {

// The example of docs/format/page.md, byte for byte.
TEST(PageVerify, WorkedExampleFromTheDocs) {
  std::vector<std::byte> p(4096);
  initialize(p, 5, PageType::kBtreeLeaf, 7, 0);
  set_dbtime(p, 0x2a);
  set_next(p, 6);
  p[64] = std::byte{0xab};
  seal(p, 5);
  EXPECT_EQ(checksum(std::span<const std::byte>(p)), 0x1bf259278b0bbcf3ull);
  const unsigned char expected[40] = {0xf3, 0xbc, 0x0b, 0x8b, 0x27, 0x59, 0xf2, 0x1b, 0x05, 0x00,
                                      0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x2a, 0x00, 0x00, 0x00,
                                      0x00, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00,
                                      0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  for (std::size_t i = 0; i < sizeof expected; ++i) {
    EXPECT_EQ(static_cast<unsigned>(p[i]), expected[i]) << i;
  }
  EXPECT_TRUE(verify(p, 5).ok());
  EXPECT_EQ(verify(p, 6).error(), Error::kReadPgnoVerifyFailure);
}

}  // namespace
}  // namespace esent::page
