// The engine's log records: what the write-ahead log carries between the engine and recovery.
// The log layer frames and checksums them; this file gives each type's payload.
//
// Payloads (little-endian; str = u32 length + bytes):
//   kPageOps        u32 dbid, then a page-op group (btree/page_ops.h): one tree operation
//   kCreateDatabase u32 dbid, u32 page_size, u32 max_pages, str path
//   kAttachDatabase u32 dbid, u32 page_size, u8 read_only, str path
//   kDetachDatabase u32 dbid
//   kChange         u64 txn, u32 dbid, u32 table object id, u8 kind (txn::Version::Kind),
//                   str primary key, u8 has_before, str before-image (when has_before)
//   kUndo           u64 txn, u32 dbid, u32 table object id, str primary key
//   kCommit         u64 txn
//   kRollback       u64 txn (its level 0 ended without a commit: every change undone)
//   kInit           (no payload) an instance started on this log
//   kTerm           u8 clean: a clean JetTerm (every database flushed and detached)
//   kCreatingTable  as kChange (kind 0xFF, key = table name, object id = the first object id
//                   the creation may take, no before-image): a table created in a transaction
//
// Order rules recovery relies on: a kChange precedes every kPageOps of the change it names;
// a kUndo follows every kPageOps of the undo (and precedes any later change of the record); kCommit follows every record of the
// transaction; a kCreateDatabase / kAttachDatabase precedes every record of its dbid, and a
// kDetachDatabase follows them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "util/status.h"

namespace esent::engine {

enum class RecordType : std::uint8_t {
  kPageOps = 1,
  kCreateDatabase = 2,
  kAttachDatabase = 3,
  kDetachDatabase = 4,
  kChange = 5,
  kUndo = 6,
  kCommit = 7,
  kRollback = 8,
  kInit = 9,
  kTerm = 10,
  kCreatingTable = 11,
  // A backup phase (backup::BackupPhase in one byte): a mark in the log, ignored by recovery.
  kBackup = 12,
};

// kCreatingTable is a kChange with this kind: primary_key holds the table name and object_id
// the first object id the creation may take.
inline constexpr std::uint8_t kCreatingTableKind = 0xFF;

struct DatabaseRecord {  // kCreateDatabase, kAttachDatabase, kDetachDatabase
  std::uint32_t dbid = 0;
  std::uint32_t page_size = 0;
  std::uint32_t max_pages = 0;
  bool read_only = false;
  std::string path;
};

struct ChangeRecord {  // kChange, kUndo
  std::uint64_t txn = 0;
  std::uint32_t dbid = 0;
  std::uint32_t object_id = 0;
  std::uint8_t kind = 0;
  std::string primary_key;
  std::optional<std::string> before;
};

// Builders append the payload to `out` (cleared first).
void encode_page_ops(std::uint32_t dbid, std::span<const std::byte> group, std::string& out);
void encode_database(RecordType type, const DatabaseRecord& record, std::string& out);
void encode_change(RecordType type, const ChangeRecord& record, std::string& out);
void encode_txn(std::uint64_t txn, std::string& out);

// Decoders: kLogCorrupted when the payload does not parse.
struct PageOpsRecord {
  std::uint32_t dbid = 0;
  std::span<const std::byte> group;  // points into the payload
};
Result<PageOpsRecord> decode_page_ops(std::span<const std::byte> payload);
Result<DatabaseRecord> decode_database(RecordType type, std::span<const std::byte> payload);
Result<ChangeRecord> decode_change(RecordType type, std::span<const std::byte> payload);
Result<std::uint64_t> decode_txn(std::span<const std::byte> payload);

inline std::span<const std::byte> as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

}  // namespace esent::engine
