// Fuzz target: one page through page::verify, the space-map reader and the B+tree node readers
// (btree/node.h), and one page op (btree/page_ops.h) decoded and applied to it.
//
// Input: u8 mode, u32 pgno, u16 op_length, op bytes, then the page.
//   mode bits 0-1: page size 4096 << n (the page is cut or zero-padded to it);
//   mode bit 2:    reseal the page as pgno first (page::seal), so the readers behind the
//                  checksum see the fuzzer's bytes on a page that verifies.
// Invariants: no crash and no read outside the page (ASan); verify accepts a resealed page;
// read_entry stays inside the page; apply() that fails leaves the page unchanged.
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "btree/node.h"
#include "btree/page_ops.h"
#include "fuzz_util.h"
#include "page/space_map.h"

namespace {

using namespace esent;

void read_nodes(std::span<const std::byte> p) {
  if (!btree::node::check_header(p)) return;
  std::size_t count = btree::node::count(p);
  (void)btree::node::free_bytes(p);
  for (bool leaf : {true, false}) {
    for (std::size_t slot = 0; slot < count; ++slot) {
      btree::node::Entry entry;
      if (!btree::node::read_entry(p, leaf, slot, entry)) continue;
      if (entry.offset + entry.bytes > p.size()) {
        esent_fuzz::fail("page", "read_entry returned an entry past the page end");
      }
      (void)btree::node::raw_entry(p, leaf, slot);
    }
  }
  if (!btree::node::validate(p).ok()) return;
  std::string_view key(reinterpret_cast<const char*>(p.data() + page::PageHeaderLayout::kSize), 6);
  if (btree::node::is_leaf(p)) {
    (void)btree::node::search_leaf(p, key);
    (void)btree::node::search_leaf(p, {});
  } else {
    (void)btree::node::search_internal(p, key);
  }
}

}  // namespace

extern "C" int ESENT_FUZZ_ENTRY(const std::uint8_t* data, std::size_t size) {
  esent_fuzz::Input input(data, size);
  std::uint8_t mode = input.u8();
  page::Pgno pgno = input.u32();
  std::size_t op_length = input.u16();
  auto op_span = input.take(op_length);
  std::vector<std::byte> op_bytes(op_span.begin(), op_span.end());
  std::uint32_t page_size = page::kMinPageSize << (mode & 3);
  auto rest = input.rest();
  std::vector<std::byte> bytes(rest.begin(), rest.end());
  bytes.resize(page_size);
  if ((mode & 4) != 0) {
    page::seal(bytes, pgno);
    if (!page::verify(bytes, pgno).ok()) esent_fuzz::fail("page", "a sealed page does not verify");
  }
  (void)page::verify(bytes, pgno);
  (void)page::is_all_zero(bytes);
  if (page::check_space_map(bytes, pgno).ok()) {
    std::uint32_t interval = page::space_map_interval_pages(page_size);
    (void)page::count_free_bits(bytes, interval);
    (void)page::first_free_bit(bytes, pgno % interval, interval);
  }
  read_nodes(bytes);

  (void)btree::decode_group(op_bytes);
  auto op = btree::decode(op_bytes);
  if (op.ok()) {
    std::vector<std::byte> before = bytes;
    Status applied = btree::apply(bytes, op.value());
    if (!applied.ok() && std::memcmp(before.data(), bytes.data(), bytes.size()) != 0) {
      esent_fuzz::fail("page", "a failed apply() changed the page");
    }
    if (applied.ok()) read_nodes(bytes);
  }
  return 0;
}
