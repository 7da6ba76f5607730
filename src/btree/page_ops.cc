// Page operations: encoding, decoding and application. apply() checks everything it relies on
// before it changes a byte, so a corrupt page or record is reported, never half-applied.
#include "btree/page_ops.h"

#include <cstring>
#include <string>

#include "btree/node.h"
#include "page/page.h"
#include "util/byte_io.h"

namespace esent::btree {

namespace {

template <typename T>
void put(std::string& out, T value) {
  append_value(out, value);
}

using Reader = ByteReader;

Status corrupt_op(const PageOp& op, const std::string& what) {
  return Status(Error::kDatabaseCorrupted,
                "page op " + std::to_string(static_cast<int>(op.type)) + " on page " +
                    std::to_string(op.pgno) + ": " + what);
}

bool is_btree_type(page::PageType type) {
  return type == page::PageType::kBtreeLeaf || type == page::PageType::kBtreeInternal;
}

// Checks that `payload` is exactly `n` well-formed entries for a page of this kind.
bool well_formed_entries(std::span<const std::byte> payload, std::size_t n, bool leaf) {
  std::size_t at = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t bytes = node::entry_size(payload.data() + at, payload.size() - at, leaf);
    if (bytes == 0) return false;
    at += bytes;
  }
  return at == payload.size();
}

// Makes room for `needed` bytes (validating the node first when compaction would run, since
// compaction trusts every slot).
Status check_space(std::span<std::byte> p, const PageOp& op, std::size_t needed) {
  if (node::free_bytes(p) < needed) return corrupt_op(op, "not enough free space");
  if (node::contiguous_free(p) < needed) {
    Status status = node::validate(p);
    if (!status.ok()) return corrupt_op(op, status.detail());
  }
  return Status::success();
}

}  // namespace

PageOp PageOp::init_page(Pgno pgno, page::PageType type, std::uint16_t level,
                         std::uint32_t object_id, Pgno previous, Pgno next) {
  PageOp op;
  op.type = PageOpType::kInitPage;
  op.pgno = pgno;
  op.page_type = type;
  op.level = level;
  op.object_id = object_id;
  op.previous = previous;
  op.next = next;
  return op;
}

PageOp PageOp::insert_entries(Pgno pgno, std::uint16_t slot, std::uint16_t count,
                              std::span<const std::byte> entries) {
  PageOp op;
  op.type = PageOpType::kInsertEntries;
  op.pgno = pgno;
  op.slot = slot;
  op.count = count;
  op.payload = entries;
  return op;
}

PageOp PageOp::replace_entry(Pgno pgno, std::uint16_t slot, std::span<const std::byte> entry) {
  PageOp op;
  op.type = PageOpType::kReplaceEntry;
  op.pgno = pgno;
  op.slot = slot;
  op.count = 1;
  op.payload = entry;
  return op;
}

PageOp PageOp::delete_entries(Pgno pgno, std::uint16_t slot, std::uint16_t count) {
  PageOp op;
  op.type = PageOpType::kDeleteEntries;
  op.pgno = pgno;
  op.slot = slot;
  op.count = count;
  return op;
}

PageOp PageOp::set_siblings(Pgno pgno, Pgno previous, Pgno next) {
  PageOp op;
  op.type = PageOpType::kSetSiblings;
  op.pgno = pgno;
  op.previous = previous;
  op.next = next;
  return op;
}

PageOp PageOp::page_image(Pgno pgno, std::span<const std::byte> bytes) {
  PageOp op;
  op.type = PageOpType::kPageImage;
  op.pgno = pgno;
  op.payload = bytes;
  return op;
}

void encode(const PageOp& op, std::string& out) {
  put<std::uint8_t>(out, kPageOpVersion);
  put<std::uint8_t>(out, static_cast<std::uint8_t>(op.type));
  put<std::uint32_t>(out, op.pgno);
  put<std::uint64_t>(out, op.dbtime);
  switch (op.type) {
    case PageOpType::kInitPage:
      put<std::uint16_t>(out, static_cast<std::uint16_t>(op.page_type));
      put<std::uint16_t>(out, op.level);
      put<std::uint32_t>(out, op.object_id);
      put<std::uint32_t>(out, op.previous);
      put<std::uint32_t>(out, op.next);
      break;
    case PageOpType::kInsertEntries:
      put<std::uint16_t>(out, op.slot);
      put<std::uint16_t>(out, op.count);
      put<std::uint32_t>(out, static_cast<std::uint32_t>(op.payload.size()));
      out.append(reinterpret_cast<const char*>(op.payload.data()), op.payload.size());
      break;
    case PageOpType::kReplaceEntry:
      put<std::uint16_t>(out, op.slot);
      put<std::uint32_t>(out, static_cast<std::uint32_t>(op.payload.size()));
      out.append(reinterpret_cast<const char*>(op.payload.data()), op.payload.size());
      break;
    case PageOpType::kDeleteEntries:
      put<std::uint16_t>(out, op.slot);
      put<std::uint16_t>(out, op.count);
      break;
    case PageOpType::kSetSiblings:
      put<std::uint32_t>(out, op.previous);
      put<std::uint32_t>(out, op.next);
      break;
    case PageOpType::kPageImage:
      put<std::uint32_t>(out, static_cast<std::uint32_t>(op.payload.size()));
      out.append(reinterpret_cast<const char*>(op.payload.data()), op.payload.size());
      break;
  }
}

void encode_in_group(const PageOp& op, std::string& out) {
  const std::size_t length_at = out.size();
  put<std::uint32_t>(out, 0);
  encode(op, out);
  const auto length = static_cast<std::uint32_t>(out.size() - length_at - 4);
  std::memcpy(out.data() + length_at, &length, 4);
}

Result<std::vector<PageOp>> decode_group(std::span<const std::byte> group) {
  std::vector<PageOp> ops;
  Reader in(group);
  while (!in.done()) {
    std::uint32_t length = 0;
    std::span<const std::byte> bytes;
    if (!in.get(length) || !in.take(length, bytes)) {
      return Status(Error::kDatabaseCorrupted, "page op group: an op runs past the record");
    }
    Result<PageOp> op = decode(bytes);
    if (!op.ok()) return op.status();
    ops.push_back(op.value());
  }
  return ops;
}

Result<PageOp> decode(std::span<const std::byte> bytes) {
  Reader in(bytes);
  std::uint8_t version = 0;
  std::uint8_t type = 0;
  PageOp op;
  if (!in.get(version) || !in.get(type) || !in.get(op.pgno) || !in.get(op.dbtime)) {
    return Status(Error::kDatabaseCorrupted, "page op shorter than its header");
  }
  if (version != kPageOpVersion) {
    return Status(Error::kDatabaseCorrupted,
                  "page op version " + std::to_string(version) + " is not supported");
  }
  op.type = static_cast<PageOpType>(type);
  bool ok = true;
  std::uint32_t payload_bytes = 0;
  switch (op.type) {
    case PageOpType::kInitPage: {
      std::uint16_t page_type = 0;
      ok = in.get(page_type) && in.get(op.level) && in.get(op.object_id) &&
           in.get(op.previous) && in.get(op.next);
      op.page_type = static_cast<page::PageType>(page_type);
      ok = ok && is_btree_type(op.page_type);
      break;
    }
    case PageOpType::kInsertEntries:
      ok = in.get(op.slot) && in.get(op.count) && in.get(payload_bytes) &&
           in.take(payload_bytes, op.payload);
      break;
    case PageOpType::kReplaceEntry:
      op.count = 1;
      ok = in.get(op.slot) && in.get(payload_bytes) && in.take(payload_bytes, op.payload);
      break;
    case PageOpType::kDeleteEntries:
      ok = in.get(op.slot) && in.get(op.count);
      break;
    case PageOpType::kSetSiblings:
      ok = in.get(op.previous) && in.get(op.next);
      break;
    case PageOpType::kPageImage:
      ok = in.get(payload_bytes) && in.take(payload_bytes, op.payload) &&
           payload_bytes >= page::PageHeaderLayout::kSize;
      break;
    default:
      return Status(Error::kDatabaseCorrupted, "unknown page op type " + std::to_string(type));
  }
  if (!ok || !in.done() || op.pgno == page::kNoPage) {
    return Status(Error::kDatabaseCorrupted, "malformed page op");
  }
  return op;
}

Status apply(std::span<std::byte> p, const PageOp& op) {
  if (p.size() < NodeLayout::kSlots) return corrupt_op(op, "page too small");
  if (op.type == PageOpType::kInitPage) {
    if (!is_btree_type(op.page_type)) return corrupt_op(op, "not a B+tree page type");
    page::initialize(p, op.pgno, op.page_type, op.object_id, op.level);
    page::set_previous(p, op.previous);
    page::set_next(p, op.next);
    node::init(p);
    page::set_dbtime(p, op.dbtime);
    return Status::success();
  }
  if (op.type == PageOpType::kPageImage) {
    if (op.payload.size() != p.size()) return corrupt_op(op, "image size is not the page size");
    if (page::page_number(op.payload) != op.pgno) return corrupt_op(op, "image of another page");
    std::memcpy(p.data(), op.payload.data(), p.size());
    page::set_dbtime(p, op.dbtime);
    return Status::success();
  }
  if (page::page_number(p) != op.pgno) return corrupt_op(op, "page number mismatch");
  if (!is_btree_type(page::type(p))) return corrupt_op(op, "not a B+tree page");
  if (!node::check_header(p)) return corrupt_op(op, "node header out of range");
  bool leaf = node::is_leaf(p);
  std::size_t n = node::count(p);
  switch (op.type) {
    case PageOpType::kInsertEntries: {
      if (op.slot > n) return corrupt_op(op, "slot out of range");
      if (op.count == 0 || !well_formed_entries(op.payload, op.count, leaf)) {
        return corrupt_op(op, "malformed entries");
      }
      std::size_t needed = op.payload.size() + op.count * NodeLayout::kSlotBytes;
      ESENT_RETURN_IF_ERROR(check_space(p, op, needed));
      std::size_t at = 0;
      for (std::size_t i = 0; i < op.count; ++i) {
        std::size_t bytes = node::entry_size(op.payload.data() + at, op.payload.size() - at, leaf);
        node::insert(p, op.slot + i, op.payload.subspan(at, bytes));
        at += bytes;
      }
      break;
    }
    case PageOpType::kReplaceEntry: {
      if (op.slot >= n) return corrupt_op(op, "slot out of range");
      if (!well_formed_entries(op.payload, 1, leaf)) return corrupt_op(op, "malformed entry");
      node::Entry old_entry;
      if (!node::read_entry(p, leaf, op.slot, old_entry)) return corrupt_op(op, "corrupt entry");
      if (op.payload.size() > old_entry.bytes) {
        std::size_t needed = op.payload.size() - old_entry.bytes;
        if (node::free_bytes(p) < needed) return corrupt_op(op, "not enough free space");
        if (node::contiguous_free(p) < op.payload.size()) {
          Status status = node::validate(p);
          if (!status.ok()) return corrupt_op(op, status.detail());
        }
      }
      node::replace(p, op.slot, op.payload);
      break;
    }
    case PageOpType::kDeleteEntries: {
      if (op.count == 0 || op.slot + static_cast<std::size_t>(op.count) > n) {
        return corrupt_op(op, "slot range out of range");
      }
      node::Entry entry;
      for (std::size_t i = op.slot; i < op.slot + static_cast<std::size_t>(op.count); ++i) {
        if (!node::read_entry(p, leaf, i, entry)) return corrupt_op(op, "corrupt entry");
      }
      node::remove(p, op.slot, op.count);
      break;
    }
    case PageOpType::kSetSiblings:
      page::set_previous(p, op.previous);
      page::set_next(p, op.next);
      break;
    default:
      return corrupt_op(op, "unknown op type");
  }
  page::set_dbtime(p, op.dbtime);
  return Status::success();
}

Result<bool> redo(std::span<std::byte> p, const PageOp& op) {
  if (p.size() < page::PageHeaderLayout::kSize) {
    return Status(Error::kDatabaseCorrupted, "page too small");
  }
  if (page::dbtime(p) >= op.dbtime) return false;
  ESENT_RETURN_IF_ERROR(apply(p, op));
  return true;
}

}  // namespace esent::btree
