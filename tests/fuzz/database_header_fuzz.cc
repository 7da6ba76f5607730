// Fuzz target: the database header decoder (page/database_header.h) on one page of any bytes.
//
// Input: byte 0 chooses the copy (bit 0: kHeaderCopy1, else kHeaderCopy0) and whether the
// page is resealed first (bit 1: page::seal with that page number, so the fields behind the
// checksum are reached); the rest is the page. The page is decoded as given (any length), and
// also cut or padded to the size it claims. Invariants: no crash; a decoded header claims a
// valid page size equal to the bytes decoded, and the page starts with the magic.
#include <cstdint>
#include <vector>

#include "fuzz_util.h"

namespace {

using namespace esent;

void decode_and_check(std::span<const std::byte> page, page::Pgno pgno) {
  (void)page::has_database_magic(page);
  (void)page::claimed_page_size(page);
  auto header = page::decode_database_header(page, pgno);
  if (!header.ok()) return;
  if (!page::valid_page_size(header.value().page_size_bytes)) {
    esent_fuzz::fail("database_header", "decoded a header with an invalid page size");
  }
  if (header.value().page_size_bytes != page.size()) {
    esent_fuzz::fail("database_header", "decoded a header whose page size is not the page's");
  }
  if (!page::has_database_magic(page)) {
    esent_fuzz::fail("database_header", "decoded a header without the magic");
  }
}

}  // namespace

extern "C" int ESENT_FUZZ_ENTRY(const std::uint8_t* data, std::size_t size) {
  esent_fuzz::Input input(data, size);
  std::uint8_t mode = input.u8();
  page::Pgno pgno = (mode & 1) != 0 ? page::kHeaderCopy1 : page::kHeaderCopy0;
  auto rest = input.rest();
  std::vector<std::byte> bytes(rest.begin(), rest.end());
  std::uint32_t claimed = page::claimed_page_size(bytes);
  if ((mode & 2) != 0 && page::valid_page_size(claimed)) bytes.resize(claimed);
  if ((mode & 2) != 0 && bytes.size() >= page::PageHeaderLayout::kSize) page::seal(bytes, pgno);
  decode_and_check(bytes, pgno);
  if (page::valid_page_size(claimed) && claimed != bytes.size()) {
    bytes.resize(claimed);
    decode_and_check(bytes, pgno);
  }
  return 0;
}
