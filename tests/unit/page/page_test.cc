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
