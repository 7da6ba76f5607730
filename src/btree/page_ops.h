// Physiological page operations: every change the B+tree makes to a page is one PageOp — a
// logical change (insert these entries at this slot) to one physical page. The same apply()
// makes the change at run time and repeats it during redo, so the two cannot drift.
//
// Making a change (Tree does this for every op):
//   1. build the op; 2. op.dbtime = store.next_dbtime(); 3. with a ChangeLog: append the op to
//   the operation's group (preceded by a kPageImage of the page when the store says the page
//   needs one, see PageRef::claim_image); 4. apply(page, op), which also sets the page's
//   dbtime; 5. page.mark_dirty(kPendingLogPosition), or mark_dirty(0) without a ChangeLog.
//   When the tree operation (insert, a split and all) is complete, the group is appended to
//   the log as ONE record and every page it changed is settled at the record's position. So a
//   crash never leaves half a structure change in the log, and no page of a group reaches the
//   disk before the whole group is durable.
// Redo: redo(page, op) applies the op only when the page's dbtime is older than op.dbtime, so
// replaying a log over any mix of older and newer page images is idempotent. A page image
// (kPageImage) replaces the whole page; recovery uses it to rebuild a page torn on disk.
//
// Encoding (version kPageOpVersion, little-endian), used by the log:
//   u8 version, u8 type, u32 pgno, u64 dbtime, then by type:
//   kInitPage       u16 page_type, u16 level, u32 object_id, u32 previous, u32 next
//   kInsertEntries  u16 slot, u16 count, u32 payload_bytes, payload (count encoded entries)
//   kReplaceEntry   u16 slot, u32 payload_bytes, payload (one encoded entry)
//   kDeleteEntries  u16 slot, u16 count
//   kSetSiblings    u32 previous, u32 next
//   kPageImage      u32 payload_bytes (= the page size), payload (the whole page as it was
//                   just before the op that follows it in the group; its dbtime is op.dbtime)
// A group (one ChangeLog record) is a sequence of (u32 op_bytes, encoded op).
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
#include <vector>

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
  kPageImage = 6,      // replace the whole page with `payload`
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
  // The whole page `bytes` of page `pgno` (its dbtime becomes op.dbtime).
  static PageOp page_image(Pgno pgno, std::span<const std::byte> bytes);
};

// Where groups of ops go to become durable. append() takes one tree operation's group (the
// concatenation written by encode_in_group) and returns the log position the group's pages are
// settled at (> 0): the buffer cache writes them only after the log is durable to there. An
// error fails the tree operation; its pages were already changed in memory, so the tree tells
// the store to abandon them (PageStore::abandon: the file fails, nothing more is written).
class ChangeLog {
 public:
  virtual ~ChangeLog() = default;
  virtual Result<std::uint64_t> append(std::span<const std::byte> group) = 0;
  // Checked before a tree operation changes anything: an error (the log is full or failed)
  // refuses the operation while the tree is still intact.
  virtual Status ready() { return Status::success(); }
};

// Appends the encoding of `op` to `out`.
void encode(const PageOp& op, std::string& out);
// Decodes one op from `bytes` (exactly one record). kDatabaseCorrupted on a bad version, type,
// length or field. The op's payload points into `bytes`.
Result<PageOp> decode(std::span<const std::byte> bytes);
// Appends `op` to a group: its length, then its encoding.
void encode_in_group(const PageOp& op, std::string& out);
// Decodes every op of a group, in order (payloads point into `group`). kDatabaseCorrupted when
// any op or length is malformed (nothing is returned then).
Result<std::vector<PageOp>> decode_group(std::span<const std::byte> group);

// Applies `op` to the page (whole page bytes), then sets the page's dbtime to op.dbtime. Checks
// every precondition first (page number, node header, slot range, space, entry well-formedness)
// and leaves the page unchanged with kDatabaseCorrupted when one fails.
Status apply(std::span<std::byte> page_bytes, const PageOp& op);

// Redo: applies `op` only when the page's dbtime < op.dbtime. Returns whether it applied.
Result<bool> redo(std::span<std::byte> page_bytes, const PageOp& op);

}  // namespace esent::btree
