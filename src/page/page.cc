#include "page/page.h"

#include <algorithm>
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
  return std::all_of(p.begin(), p.end(), [](std::byte b) { return b == std::byte{0}; });
}

Status verify(std::span<const std::byte> p, Pgno expected) {
  if (p.size() < PageHeaderLayout::kSize) return Error::kReadVerifyFailure;
  std::uint64_t stored = checksum(p);
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
