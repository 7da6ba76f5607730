// Physiological page operations: every change the B+tree makes to a page is one PageOp — a
// logical change (insert these entries at this slot) to one physical page. The same apply()
// makes the change at run time and repeats it during redo, so the two cannot drift.
//
// Making a change (Tree does this for every op):
//   1. build the op; 2. op.dbtime = store.next_dbtime(); 3. position = log->append(op) when a
//   ChangeLog is given (0 otherwise); 4. apply(page, op), which also sets the page's dbtime;
//   5. page.mark_dirty(position).
// Redo: redo(page, op) applies the op only when the page's dbtime is older than op.dbtime, so
// replaying a log over any mix of older and newer page images is idempotent.
//
// Encoding (version kPageOpVersion, little-endian), used by the log:
//   u8 version, u8 type, u32 pgno, u64 dbtime, then by type:
//   kInitPage       u16 page_type, u16 level, u32 object_id, u32 previous, u32 next
//   kInsertEntries  u16 slot, u16 count, u32 payload_bytes, payload (count encoded entries)
//   kReplaceEntry   u16 slot, u32 payload_bytes, payload (one encoded entry)
//   kDeleteEntries  u16 slot, u16 count
//   kSetSiblings    u32 previous, u32 next
// Entries are encoded as in the node (btree/node_format.h); the target page's type says which
// entry form (leaf or internal) they take.
//
// Lifetime: a PageOp is a view; `payload` points into memory owned by the caller (the tree's
// scratch buffer, or the bytes decode() was given), which must outlive the op.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "page/page_format.h"
#include "util/status.h"

namespace esent::btree {

using page::Pgno;

inline constexpr std::uint8_t kPageOpVersion = 1;

enum class PageOpType : std::uint8_t {
  kInitPage = 1,       // zero the page, write its header, make its body an empty node
  kInsertEntries = 2,  // insert `count` entries at `slot`
  kReplaceEntry = 3,   // replace the entry at `slot`
  kDeleteEntries = 4,  // delete `count` entries starting at `slot`
  kSetSiblings = 5,    // set the previous and next sibling links
};

struct PageOp {
  PageOpType type = PageOpType::kInitPage;
  Pgno pgno = page::kNoPage;
  std::uint64_t dbtime = 0;
  // kInitPage
  page::PageType page_type = page::PageType::kBtreeLeaf;
  std::uint16_t level = 0;
  std::uint32_t object_id = 0;
  // kInitPage, kSetSiblings
  Pgno previous = page::kNoPage;
  Pgno next = page::kNoPage;
  // kInsertEntries, kReplaceEntry, kDeleteEntries
  std::uint16_t slot = 0;
  std::uint16_t count = 0;  // kInsertEntries, kDeleteEntries
  std::span<const std::byte> payload;  // kInsertEntries, kReplaceEntry

  static PageOp init_page(Pgno pgno, page::PageType type, std::uint16_t level,
                          std::uint32_t object_id, Pgno previous, Pgno next);
  static PageOp insert_entries(Pgno pgno, std::uint16_t slot, std::uint16_t count,
                               std::span<const std::byte> entries);
  static PageOp replace_entry(Pgno pgno, std::uint16_t slot, std::span<const std::byte> entry);
  static PageOp delete_entries(Pgno pgno, std::uint16_t slot, std::uint16_t count);
  static PageOp set_siblings(Pgno pgno, Pgno previous, Pgno next);
};

// Where ops go to become durable. append() returns the op's log position (> 0), passed to
// PageRef::mark_dirty so the page is not written before the log is durable to that position.
// An error fails the tree operation (the page is not changed).
class ChangeLog {
 public:
  virtual ~ChangeLog() = default;
  virtual Result<std::uint64_t> append(const PageOp& op) = 0;
};

// Appends the encoding of `op` to `out`.
void encode(const PageOp& op, std::string& out);
// Decodes one op from `bytes` (exactly one record). kDatabaseCorrupted on a bad version, type,
// length or field. The op's payload points into `bytes`.
Result<PageOp> decode(std::span<const std::byte> bytes);

// Applies `op` to the page (whole page bytes), then sets the page's dbtime to op.dbtime. Checks
// every precondition first (page number, node header, slot range, space, entry well-formedness)
// and leaves the page unchanged with kDatabaseCorrupted when one fails.
Status apply(std::span<std::byte> page_bytes, const PageOp& op);

// Redo: applies `op` only when the page's dbtime < op.dbtime. Returns whether it applied.
Result<bool> redo(std::span<std::byte> page_bytes, const PageOp& op);

}  // namespace esent::btree
