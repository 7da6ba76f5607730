// The checkpoint file (edb.chk / edb.jcp in JET_paramSystemPath): where recovery starts, which
// databases were attached, the log sequence's signature, and the instance's last backup marks.
// Format and the atomic-update argument: docs/format/checkpoint.md.
//
// Scheme: one file, two copies ("slots") of checkpoint_format::kSlotBytes (64 KiB) each, at
// offsets 0 and 64 KiB. Each copy carries a sequence number and an XXH3-64 checksum (seeded with
// the slot number) over its used bytes. A reader takes the verifying copy with the highest
// sequence number. A writer always overwrites the slot that does NOT hold the newest verifying
// copy, then fsyncs; so at every moment one slot holds the last acknowledged version intact, and
// a torn or lost write can only damage the slot being written.
//
// The file's life:
//
//   (missing) --first write: temp file, fsync, rename, fsync directory--> (slot 0 = #1)
//   (slot s = #n newest) --write: slot 1-s = #n+1, fsync--> (slot 1-s = #n+1 newest)
//   (present, no copy verifies) --write: as if missing (temp + rename replaces it)--> (slot 0 = #1)
//
// So the final name only ever appears with a complete, synced copy in it: a crash during the
// first write leaves the file missing (kCheckpointFileNotFound), never half-written. The temp
// file is `<path>.tmp`; a leftover one after a crash is harmless and is replaced by the next
// creation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/file_system.h"
#include "log/lgpos.h"
#include "util/status.h"

namespace esent::log {

// JET_paramLegacyFileNames bit selecting ESE98 names (.log / .chk).
inline constexpr std::uint32_t kLegacyFileNamesEse98 = 0x1;

// The checkpoint file's name in the system path: `<base>.chk` with JET_bitESE98FileNames in
// `legacy_bits`, `<base>.jcp` without. No other bit matters.
std::string checkpoint_file_name(const std::string& base_name, std::uint32_t legacy_bits);

// One backup mark, as JET_BKINFO carries it.
struct BackupMark {
  Lgpos position;  // lgposMark
  LogTime time;    // logtimeMark
  std::uint32_t low_generation = 0;
  std::uint32_t high_generation = 0;

  friend bool operator==(const BackupMark&, const BackupMark&) = default;
};

// One database attached to the instance when the checkpoint was written.
struct AttachedDatabase {
  std::uint32_t dbid = 0;  // unique within one checkpoint
  std::string path;        // UTF-8, 1..kCheckpointMaxPathBytes bytes, no NUL
  Signature database_signature;
  Lgpos attached_at;
  std::uint32_t flags = 0;  // the engine's; stored and returned unchanged

  friend bool operator==(const AttachedDatabase&, const AttachedDatabase&) = default;
};

struct CheckpointData {
  Signature log_signature;
  Lgpos checkpoint;  // the oldest log position recovery needs
  std::uint32_t last_generation_at_write = 0;
  std::vector<AttachedDatabase> attached;  // at most kCheckpointMaxAttachedDatabases
  BackupMark full_backup;
  BackupMark incremental_backup;
  BackupMark differential_backup;
  BackupMark copy_backup;
  bool clean_shutdown = false;  // set by a clean term: recovery has nothing to do

  friend bool operator==(const CheckpointData&, const CheckpointData&) = default;
};

// Limits, checked by every write (kInvalidParameter) and every read (a copy beyond them does not
// verify). 64 databases is the engine's attach limit; 960 bytes covers any MAX_PATH (260 UTF-16
// units, at most 780 UTF-8 bytes) path; together they always fit in one slot.
inline constexpr std::uint32_t kCheckpointMaxAttachedDatabases = 64;
inline constexpr std::uint32_t kCheckpointMaxPathBytes = 960;

// The on-disk layout (docs/format/checkpoint.md has the byte table). Little-endian throughout.
namespace checkpoint_format {
inline constexpr std::uint64_t kSlotBytes = 65536;  // one copy; the file holds two
inline constexpr std::uint32_t kSlotCount = 2;
inline constexpr std::uint32_t kVersion = 1;
inline constexpr char kMagic[8] = {'E', 'S', 'E', 'N', 'T', 'C', 'H', 'K'};

// Copy header.
inline constexpr std::size_t kMagicOffset = 0;         // 8 bytes
inline constexpr std::size_t kChecksumOffset = 8;      // u64
inline constexpr std::size_t kVersionOffset = 16;      // u32
inline constexpr std::size_t kSlotOffset = 20;         // u32: 0 or 1, where this copy lives
inline constexpr std::size_t kSequenceOffset = 24;     // u64: update counter, >= 1
inline constexpr std::size_t kUsedBytesOffset = 32;    // u32: bytes covered by the checksum
inline constexpr std::size_t kFlagsOffset = 36;        // u32: bit 0 clean shutdown
inline constexpr std::size_t kAttachedCountOffset = 40;  // u32
inline constexpr std::size_t kLastGenerationOffset = 44;  // u32
inline constexpr std::size_t kLogSignatureOffset = 48;    // 28 bytes (JET_SIGNATURE)
inline constexpr std::size_t kCheckpointOffset = 76;      // 8 bytes (JET_LGPOS)
inline constexpr std::size_t kFullBackupOffset = 84;      // 24 bytes (JET_BKINFO) each
inline constexpr std::size_t kIncrementalBackupOffset = 108;
inline constexpr std::size_t kDifferentialBackupOffset = 132;
inline constexpr std::size_t kCopyBackupOffset = 156;
inline constexpr std::size_t kReservedOffset = 180;  // zero
inline constexpr std::size_t kHeaderBytes = 192;     // attached entries follow

// One attached-database entry: fixed part, then path_length path bytes, no padding.
inline constexpr std::size_t kEntryDbidOffset = 0;        // u32
inline constexpr std::size_t kEntryFlagsOffset = 4;       // u32
inline constexpr std::size_t kEntrySignatureOffset = 8;   // 28 bytes (JET_SIGNATURE)
inline constexpr std::size_t kEntryAttachedAtOffset = 36;  // 8 bytes (JET_LGPOS)
inline constexpr std::size_t kEntryPathLengthOffset = 44;  // u16
inline constexpr std::size_t kEntryReservedOffset = 46;    // u16, zero
inline constexpr std::size_t kEntryFixedBytes = 48;

inline constexpr std::uint32_t kFlagCleanShutdown = 0x1;

static_assert(kHeaderBytes + std::size_t{kCheckpointMaxAttachedDatabases} *
                                 (kEntryFixedBytes + kCheckpointMaxPathBytes) <=
                  kSlotBytes,
              "the largest checkpoint must fit in one slot");
}  // namespace checkpoint_format

// Keeps a checkpoint file open between writes, for the engine's periodic rewrites.
//
// Contract: write() returns success only once the new version is durable (fsynced, and for the
// first write the directory entry too); from then on a crash leaves that version or a later one.
// A crash during write() leaves the previous acknowledged version or the new one, never a mixture
// and never an error (when no version was ever acknowledged: the file is missing, or the new one).
//
// Failure is sticky: after any failed write the object refuses further writes with that error;
// the caller reopens (after recovery) rather than retrying an fsync and calling it durable.
//
// Holds an exclusive lock on the file once it exists (kFileAccessDenied in open() if another
// CheckpointFile, or any locker, has it). read_checkpoint() takes no lock. Not thread-safe: one
// writer, which the engine serialises. The FileSystem must outlive this object.
class CheckpointFile {
 public:
  // Opens `path` for rewriting. A missing file is fine (the first write creates it); an existing
  // one is read to find its newest verifying copy, which the next write will not overwrite.
  // Errors: kFileAccessDenied (locked elsewhere), the file system's errors.
  static Result<std::unique_ptr<CheckpointFile>> open(io::FileSystem& file_system,
                                                      std::string path);

  ~CheckpointFile();
  CheckpointFile(const CheckpointFile&) = delete;
  CheckpointFile& operator=(const CheckpointFile&) = delete;

  // Writes `data` as the new version (see the contract above). kInvalidParameter when `data`
  // breaks a limit (too many databases, a path empty, too long, not UTF-8 or holding NUL, two
  // databases with one dbid); nothing is written then and the object stays usable.
  Status write(const CheckpointData& data);

  const std::string& path() const { return path_; }
  // Sequence number of the newest copy known durable (0 when the file holds none).
  std::uint64_t sequence() const { return sequence_; }

 private:
  CheckpointFile(io::FileSystem& file_system, std::string path);
  Status create_fresh(const std::vector<std::byte>& slot_image);

  io::FileSystem& file_system_;
  std::string path_;
  std::unique_ptr<io::File> file_;  // null until the file exists with a verifying copy
  std::uint64_t sequence_ = 0;      // of the newest verifying copy
  std::uint32_t newest_slot_ = 0;   // where that copy lives (meaningful when sequence_ > 0)
  Status failure_;                  // sticky: the first failed write's status
};

// Writes one version atomically (opens a CheckpointFile, writes, closes). See CheckpointFile.
Status write_checkpoint(io::FileSystem& file_system, const std::string& path,
                        const CheckpointData& data);

// Reads the newest verifying copy. kCheckpointFileNotFound when the file (or its directory) is
// missing; kCheckpointCorrupt when no copy verifies (magic, version, slot, checksum, limits,
// structure); other file-system errors as they come. Never crashes on any file content.
Result<CheckpointData> read_checkpoint(io::FileSystem& file_system, const std::string& path);

}  // namespace esent::log
