#include "page/page.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "util/checksum.h"

namespace esent::page {

void initialize(std::span<std::byte> p, Pgno pgno, PageType page_type, std::uint32_t owner,
                std::uint16_t page_level) {
  std::fill(p.begin(), p.end(), std::byte{0});
  set_page_number(p, pgno);
  set_type(p, page_type);
  set_object_id(p, owner);
  set_level(p, page_level);
}

std::uint64_t compute_checksum(std::span<const std::byte> p, Pgno pgno) {
  std::span<const std::byte> covered = p.subspan(PageHeaderLayout::kChecksummedFrom);
  return checksum64(covered.data(), covered.size(), pgno);
}

void seal(std::span<std::byte> p, Pgno pgno) {
  set_page_number(p, pgno);
  detail::store<std::uint64_t>(p, PageHeaderLayout::kChecksum, compute_checksum(p, pgno));
}

bool is_all_zero(std::span<const std::byte> p) {
  // Eight bytes at a time (pages are multiples of 8 bytes; any tail byte by byte).
  std::size_t at = 0;
  for (; at + sizeof(std::uint64_t) <= p.size(); at += sizeof(std::uint64_t)) {
    std::uint64_t word;
    std::memcpy(&word, p.data() + at, sizeof word);
    if (word != 0) return false;
  }
  for (; at < p.size(); ++at) {
    if (p[at] != std::byte{0}) return false;
  }
  return true;
}

Status verify(std::span<const std::byte> p, Pgno expected) {
  if (p.size() < PageHeaderLayout::kSize) return Error::kReadVerifyFailure;
  std::uint64_t stored = checksum(p);
  // A page never written is all zero: no checksum to compute (a sealed page never has a zero
  // checksum and page number together by chance worth a full hash).
  if (stored == 0 && page_number(p) == 0 && is_all_zero(p)) return Status::success();
  if (stored == compute_checksum(p, expected) && page_number(p) == expected) {
    return Status::success();
  }
  if (is_all_zero(p)) return Status::success();
  Pgno claimed = page_number(p);
  if (claimed != expected && stored == compute_checksum(p, claimed)) {
    return Status(Error::kReadPgnoVerifyFailure,
                  "page " + std::to_string(expected) + " holds page " + std::to_string(claimed));
  }
  return Status(Error::kReadVerifyFailure, "checksum mismatch on page " + std::to_string(expected));
}

}  // namespace esent::page
