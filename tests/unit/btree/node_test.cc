// Nodes and page operations: layout, search, fragmentation and compaction, op encoding and the
// checks btree::apply() makes before it changes a page.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "btree/node.h"
#include "btree/node_format.h"
#include "btree/page_ops.h"
#include "page/page.h"

namespace esent::btree {
namespace {

std::span<const std::byte> bytes_of(const std::string& s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

std::string leaf_entry(std::string_view key, std::string_view value) {
  std::string out;
  node::encode_leaf_entry(key, value, out);
  return out;
}

class NodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PageOp init = PageOp::init_page(5, page::PageType::kBtreeLeaf, 0, 1, 0, 0);
    init.dbtime = ++dbtime_;
    ASSERT_TRUE(btree::apply(page_, init).ok());
  }
  Status op(PageOp o) {
    o.dbtime = ++dbtime_;
    return btree::apply(page_, o);
  }
  Status insert(std::size_t slot, std::string_view key, std::string_view value) {
    std::string entry = leaf_entry(key, value);
    return op(PageOp::insert_entries(5, static_cast<std::uint16_t>(slot), 1, bytes_of(entry)));
  }
  std::string key_at(std::size_t slot) {
    node::Entry entry;
    EXPECT_TRUE(node::read_entry(page_, true, slot, entry));
    return std::string(entry.key);
  }

  std::vector<std::byte> page_ = std::vector<std::byte>(4096);
  std::uint64_t dbtime_ = 0;
};

TEST_F(NodeTest, EmptyNode) {
  EXPECT_EQ(node::count(page_), 0);
  EXPECT_EQ(node::heap_start(page_), 4096);
  EXPECT_EQ(node::free_bytes(page_), node_capacity(4096));
  EXPECT_EQ(node::used_bytes(page_), 0u);
  EXPECT_TRUE(node::validate(page_).ok());
  EXPECT_EQ(page::dbtime(page_), 1u);
}

TEST_F(NodeTest, InsertSearchAndLayout) {
  ASSERT_TRUE(insert(0, "m", "1").ok());
  ASSERT_TRUE(insert(0, "c", "22").ok());
  ASSERT_TRUE(insert(2, "x", "").ok());
  EXPECT_EQ(node::count(page_), 3);
  EXPECT_EQ(key_at(0), "c");
  EXPECT_EQ(key_at(1), "m");
  EXPECT_EQ(key_at(2), "x");
  // The first entry is at the very end of the page: u16 key length, u16 value length, key, value.
  EXPECT_EQ(node::slot_offset(page_, 1), 4096 - 6);
  EXPECT_EQ(node::load16(page_.data() + 4096 - 6), 1);
  EXPECT_EQ(node::load16(page_.data() + 4096 - 4), 1);
  EXPECT_EQ(static_cast<char>(page_[4096 - 2]), 'm');
  EXPECT_EQ(static_cast<char>(page_[4096 - 1]), '1');
  EXPECT_EQ(node::used_bytes(page_), 6u + 7u + 5u + 3u * 2u);
  node::SearchResult found = node::search_leaf(page_, "m");
  EXPECT_TRUE(found.found);
  EXPECT_EQ(found.slot, 1u);
  found = node::search_leaf(page_, "d");
  EXPECT_FALSE(found.found);
  EXPECT_EQ(found.slot, 1u);
  found = node::search_leaf(page_, "z");
  EXPECT_EQ(found.slot, 3u);
  EXPECT_TRUE(node::validate(page_).ok());
}

// The worked example of docs/format/btree.md, byte for byte.
TEST_F(NodeTest, WorkedExampleFromTheFormatDocument) {
  ASSERT_TRUE(insert(0, "m", "1").ok());
  ASSERT_TRUE(insert(0, "c", "22").ok());
  const unsigned char header[] = {0x02, 0x00, 0xf3, 0x0f, 0x00, 0x00, 0x00, 0x00,
                                  0xf3, 0x0f, 0xfa, 0x0f};
  for (std::size_t i = 0; i < sizeof header; ++i) {
    EXPECT_EQ(static_cast<unsigned char>(page_[64 + i]), header[i]) << i;
  }
  const unsigned char heap[] = {0x01, 0x00, 0x02, 0x00, 'c', '2', '2',
                                0x01, 0x00, 0x01, 0x00, 'm', '1'};
  for (std::size_t i = 0; i < sizeof heap; ++i) {
    EXPECT_EQ(static_cast<unsigned char>(page_[4083 + i]), heap[i]) << i;
  }
  EXPECT_EQ(node::used_bytes(page_), 17u);
  EXPECT_EQ(node::free_bytes(page_), 4007u);
}

TEST_F(NodeTest, DeleteFragmentsAndInsertCompacts) {
  // Fill the page with 100-byte values.
  std::size_t n = 0;
  while (node::free_bytes(page_) >= leaf_entry("k000", std::string(100, 'v')).size() + 2) {
    char key[5] = {'k', static_cast<char>('0' + n / 100), static_cast<char>('0' + n / 10 % 10),
                   static_cast<char>('0' + n % 10), 0};
    ASSERT_TRUE(insert(n, key, std::string(100, 'v')).ok());
    ++n;
  }
  std::size_t full_free = node::free_bytes(page_);
  // Delete every other entry: their bytes become fragmented.
  for (std::size_t i = 1; i < n / 2; ++i) {
    ASSERT_TRUE(op(PageOp::delete_entries(5, static_cast<std::uint16_t>(i), 1)).ok());
  }
  EXPECT_GT(node::fragmented(page_), 0);
  EXPECT_TRUE(node::validate(page_).ok());
  std::size_t before = node::free_bytes(page_);
  EXPECT_GT(before, full_free);
  // A large entry only fits after compaction.
  ASSERT_LT(node::contiguous_free(page_), 800u);
  ASSERT_TRUE(insert(0, "a", std::string(800, 'b')).ok());
  EXPECT_EQ(node::fragmented(page_), 0);
  EXPECT_EQ(node::free_bytes(page_), before - (leaf_entry("a", std::string(800, 'b')).size() + 2));
  EXPECT_TRUE(node::validate(page_).ok());
  EXPECT_EQ(key_at(0), "a");
}

TEST_F(NodeTest, ReplaceShrinksAndGrows) {
  ASSERT_TRUE(insert(0, "a", "1234567890").ok());
  ASSERT_TRUE(insert(1, "b", "x").ok());
  std::string shorter = leaf_entry("a", "12");
  ASSERT_TRUE(op(PageOp::replace_entry(5, 0, bytes_of(shorter))).ok());
  EXPECT_EQ(node::fragmented(page_), 8);
  std::string longer = leaf_entry("a", std::string(500, 'z'));
  ASSERT_TRUE(op(PageOp::replace_entry(5, 0, bytes_of(longer))).ok());
  node::Entry entry;
  ASSERT_TRUE(node::read_entry(page_, true, 0, entry));
  EXPECT_EQ(entry.value, std::string(500, 'z'));
  EXPECT_TRUE(node::validate(page_).ok());
}

TEST_F(NodeTest, ApplyChecksBeforeChanging) {
  ASSERT_TRUE(insert(0, "a", "1").ok());
  std::vector<std::byte> before = page_;
  std::string entry = leaf_entry("b", "2");
  EXPECT_EQ(op(PageOp::insert_entries(5, 2, 1, bytes_of(entry))).error(),
            Error::kDatabaseCorrupted);  // slot out of range
  EXPECT_EQ(op(PageOp::insert_entries(6, 0, 1, bytes_of(entry))).error(),
            Error::kDatabaseCorrupted);  // another page
  EXPECT_EQ(op(PageOp::insert_entries(5, 0, 2, bytes_of(entry))).error(),
            Error::kDatabaseCorrupted);  // count does not match the payload
  std::string huge = leaf_entry("c", std::string(5000, 'h'));
  EXPECT_EQ(op(PageOp::insert_entries(5, 1, 1, bytes_of(huge))).error(),
            Error::kDatabaseCorrupted);  // no room
  EXPECT_EQ(op(PageOp::delete_entries(5, 0, 2)).error(), Error::kDatabaseCorrupted);
  EXPECT_EQ(op(PageOp::replace_entry(5, 1, bytes_of(entry))).error(), Error::kDatabaseCorrupted);
  EXPECT_EQ(page_, before);
  // A corrupt node header is reported, not trusted.
  node::store16(page_.data() + NodeLayout::kHeapStart, 10);
  EXPECT_EQ(op(PageOp::insert_entries(5, 0, 1, bytes_of(entry))).error(),
            Error::kDatabaseCorrupted);
  EXPECT_FALSE(node::validate(page_).ok());
}

TEST(Node, ShortestSeparator) {
  EXPECT_EQ(node::shortest_separator("abc", "abd"), "abd");
  EXPECT_EQ(node::shortest_separator("abc", "b"), "b");
  EXPECT_EQ(node::shortest_separator("abc", "bzzz"), "b");
  EXPECT_EQ(node::shortest_separator("ab", "abc"), "abc");
  EXPECT_EQ(node::shortest_separator("", "x"), "x");
  EXPECT_EQ(node::shortest_separator("a\xff", "b\x01"), "b");
}

TEST(Node, InternalSearchPicksTheChildRange) {
  std::vector<std::byte> p(4096);
  PageOp init = PageOp::init_page(9, page::PageType::kBtreeInternal, 1, 1, 0, 0);
  init.dbtime = 1;
  ASSERT_TRUE(btree::apply(p, init).ok());
  std::string entries;
  node::encode_internal_entry("", 100, entries);
  node::encode_internal_entry("g", 101, entries);
  node::encode_internal_entry("p", 102, entries);
  PageOp insert = PageOp::insert_entries(9, 0, 3, bytes_of(entries));
  insert.dbtime = 2;
  ASSERT_TRUE(btree::apply(p, insert).ok());
  EXPECT_TRUE(node::validate(p).ok());
  EXPECT_EQ(node::search_internal(p, "").slot, 0u);
  EXPECT_EQ(node::search_internal(p, "a").slot, 0u);
  EXPECT_EQ(node::search_internal(p, "g").slot, 1u);
  EXPECT_EQ(node::search_internal(p, "o").slot, 1u);
  EXPECT_EQ(node::search_internal(p, "p").slot, 2u);
  EXPECT_EQ(node::search_internal(p, "zz").slot, 2u);
}

TEST(PageOps, EncodeDecodeRoundTrip) {
  std::string entry = leaf_entry("key", "value");
  std::vector<PageOp> ops = {
      PageOp::init_page(7, page::PageType::kBtreeInternal, 3, 42, 6, 8),
      PageOp::insert_entries(7, 2, 1, bytes_of(entry)),
      PageOp::replace_entry(7, 0, bytes_of(entry)),
      PageOp::delete_entries(7, 1, 4),
      PageOp::set_siblings(7, 11, 12),
  };
  std::uint64_t dbtime = 1000;
  for (PageOp& original : ops) {
    original.dbtime = ++dbtime;
    std::string encoded;
    encode(original, encoded);
    EXPECT_EQ(static_cast<std::uint8_t>(encoded[0]), kPageOpVersion);
    Result<PageOp> decoded = decode(bytes_of(encoded));
    ASSERT_TRUE(decoded.ok()) << decoded.status().to_string();
    EXPECT_EQ(decoded->type, original.type);
    EXPECT_EQ(decoded->pgno, original.pgno);
    EXPECT_EQ(decoded->dbtime, original.dbtime);
    EXPECT_EQ(decoded->slot, original.slot);
    EXPECT_EQ(decoded->count, original.count);
    EXPECT_EQ(decoded->previous, original.previous);
    EXPECT_EQ(decoded->next, original.next);
    EXPECT_EQ(decoded->level, original.level);
    EXPECT_EQ(decoded->object_id, original.object_id);
    EXPECT_EQ(decoded->page_type, original.page_type);
    ASSERT_EQ(decoded->payload.size(), original.payload.size());
    EXPECT_TRUE(std::equal(decoded->payload.begin(), decoded->payload.end(),
                           original.payload.begin()));
    // Every truncation and any trailing byte is rejected.
    for (std::size_t length = 0; length < encoded.size(); ++length) {
      EXPECT_FALSE(decode(bytes_of(encoded.substr(0, length))).ok()) << length;
    }
    EXPECT_FALSE(decode(bytes_of(encoded + "x")).ok());
    std::string wrong_version = encoded;
    wrong_version[0] = 2;
    EXPECT_FALSE(decode(bytes_of(wrong_version)).ok());
    std::string wrong_type = encoded;
    wrong_type[1] = 9;
    EXPECT_FALSE(decode(bytes_of(wrong_type)).ok());
  }
}

}  // namespace
}  // namespace esent::btree
