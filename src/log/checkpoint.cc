// The checkpoint file: encoding, verification and the two-slot atomic update.
//
// State of a CheckpointFile (see checkpoint.h for the file's own life):
//   kNoFile   (file_ == nullptr): the path has no verifying copy; write() creates a fresh file
//             through a temp file and rename, then moves to kOpen.
//   kOpen     (file_ != nullptr): newest_slot_ holds copy #sequence_, durable; write() fills the
//             other slot with #sequence_+1 and fsyncs, then that slot is the newest.
//   kFailed   (!failure_.ok()): a write or fsync failed; what the slot being written holds is
//             unknown, the other slot still holds the last acknowledged copy. Terminal.
#include "log/checkpoint.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <set>
#include <span>
#include <utility>

#include "util/checksum.h"
#include "util/utf.h"
#include "util/path.h"

namespace esent::log {

namespace format = checkpoint_format;

namespace {

// --- Little-endian fields --------------------------------------------------------------------

void store_u16(std::byte* at, std::uint16_t value) {
  at[0] = static_cast<std::byte>(value & 0xFFu);
  at[1] = static_cast<std::byte>(value >> 8);
}

void store_u32(std::byte* at, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) at[i] = static_cast<std::byte>((value >> (8 * i)) & 0xFFu);
}

void store_u64(std::byte* at, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) at[i] = static_cast<std::byte>((value >> (8 * i)) & 0xFFu);
}

std::uint16_t load_u16(const std::byte* at) {
  return static_cast<std::uint16_t>(std::to_integer<unsigned>(at[0]) |
                                    (std::to_integer<unsigned>(at[1]) << 8));
}

std::uint32_t load_u32(const std::byte* at) {
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | std::to_integer<std::uint32_t>(at[i]);
  return value;
}

std::uint64_t load_u64(const std::byte* at) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | std::to_integer<std::uint64_t>(at[i]);
  return value;
}

// JET_LGPOS: ib, isec, lGeneration.
void store_lgpos(std::byte* at, const Lgpos& position) {
  store_u16(at, position.byte);
  store_u16(at + 2, position.sector);
  store_u32(at + 4, position.generation);
}

Lgpos load_lgpos(const std::byte* at) {
  return Lgpos{load_u32(at + 4), load_u16(at + 2), load_u16(at)};
}

void store_log_time(std::byte* at, const LogTime& time) {
  std::memcpy(at, time.bytes.data(), time.bytes.size());
}

LogTime load_log_time(const std::byte* at) {
  LogTime time;
  std::memcpy(time.bytes.data(), at, time.bytes.size());
  return time;
}

// JET_SIGNATURE: ulRandom, logtimeCreate, szComputerName[16].
constexpr std::size_t kSignatureBytes = 28;

void store_signature(std::byte* at, const Signature& signature) {
  store_u32(at, signature.random);
  store_log_time(at + 4, signature.created);
  std::memcpy(at + 12, signature.computer_name.data(), signature.computer_name.size());
}

Signature load_signature(const std::byte* at) {
  Signature signature;
  signature.random = load_u32(at);
  signature.created = load_log_time(at + 4);
  std::memcpy(signature.computer_name.data(), at + 12, signature.computer_name.size());
  return signature;
}

// JET_BKINFO: lgposMark, logtimeMark, genLow, genHigh.
constexpr std::size_t kBackupMarkBytes = 24;

void store_backup_mark(std::byte* at, const BackupMark& mark) {
  store_lgpos(at, mark.position);
  store_log_time(at + 8, mark.time);
  store_u32(at + 16, mark.low_generation);
  store_u32(at + 20, mark.high_generation);
}

BackupMark load_backup_mark(const std::byte* at) {
  return BackupMark{load_lgpos(at), load_log_time(at + 8), load_u32(at + 16), load_u32(at + 20)};
}

static_assert(format::kLogSignatureOffset + kSignatureBytes == format::kCheckpointOffset);
static_assert(format::kCheckpointOffset + 8 == format::kFullBackupOffset);
static_assert(format::kFullBackupOffset + kBackupMarkBytes == format::kIncrementalBackupOffset);
static_assert(format::kIncrementalBackupOffset + kBackupMarkBytes ==
              format::kDifferentialBackupOffset);
static_assert(format::kDifferentialBackupOffset + kBackupMarkBytes == format::kCopyBackupOffset);
static_assert(format::kCopyBackupOffset + kBackupMarkBytes == format::kReservedOffset);
static_assert(format::kEntrySignatureOffset + kSignatureBytes == format::kEntryAttachedAtOffset);
static_assert(format::kEntryReservedOffset + 2 == format::kEntryFixedBytes);

// --- Validation ------------------------------------------------------------------------------

// Whether one database path obeys the limits (shared by writer and reader).
bool valid_path(const std::string& path) {
  if (path.empty() || path.size() > kCheckpointMaxPathBytes) return false;
  if (path.find('\0') != std::string::npos) return false;
  return utf8_to_utf16(path).ok();
}

// Whether the attached list obeys the limits: count, paths, unique dbids.
bool valid_attached(const std::vector<AttachedDatabase>& attached) {
  if (attached.size() > kCheckpointMaxAttachedDatabases) return false;
  std::set<std::uint32_t> dbids;
  for (const AttachedDatabase& database : attached) {
    if (!valid_path(database.path)) return false;
    if (!dbids.insert(database.dbid).second) return false;
  }
  return true;
}

// --- One copy --------------------------------------------------------------------------------

std::uint64_t slot_checksum(std::span<const std::byte> image, std::uint32_t slot) {
  // The checksum field counts as zero; the slot number seeds the hash (identity inside the
  // checksum: a copy found in the other slot does not verify).
  std::vector<std::byte> copy(image.begin(), image.end());
  std::fill_n(copy.begin() + format::kChecksumOffset, 8, std::byte{0});
  return checksum64(copy.data(), copy.size(), slot);
}

// The bytes of one copy of `data` for `slot`, exactly its used length. The caller validated
// `data`.
std::vector<std::byte> encode_slot(const CheckpointData& data, std::uint32_t slot,
                                   std::uint64_t sequence) {
  std::size_t used_bytes = format::kHeaderBytes;
  for (const AttachedDatabase& database : data.attached) {
    used_bytes += format::kEntryFixedBytes + database.path.size();
  }
  std::vector<std::byte> image(used_bytes, std::byte{0});
  std::byte* base = image.data();
  std::memcpy(base + format::kMagicOffset, format::kMagic, sizeof(format::kMagic));
  store_u32(base + format::kVersionOffset, format::kVersion);
  store_u32(base + format::kSlotOffset, slot);
  store_u64(base + format::kSequenceOffset, sequence);
  store_u32(base + format::kUsedBytesOffset, static_cast<std::uint32_t>(used_bytes));
  store_u32(base + format::kFlagsOffset, data.clean_shutdown ? format::kFlagCleanShutdown : 0u);
  store_u32(base + format::kAttachedCountOffset, static_cast<std::uint32_t>(data.attached.size()));
  store_u32(base + format::kLastGenerationOffset, data.last_generation_at_write);
  store_signature(base + format::kLogSignatureOffset, data.log_signature);
  store_lgpos(base + format::kCheckpointOffset, data.checkpoint);
  store_backup_mark(base + format::kFullBackupOffset, data.full_backup);
  store_backup_mark(base + format::kIncrementalBackupOffset, data.incremental_backup);
  store_backup_mark(base + format::kDifferentialBackupOffset, data.differential_backup);
  store_backup_mark(base + format::kCopyBackupOffset, data.copy_backup);

  std::byte* entry = base + format::kHeaderBytes;
  for (const AttachedDatabase& database : data.attached) {
    store_u32(entry + format::kEntryDbidOffset, database.dbid);
    store_u32(entry + format::kEntryFlagsOffset, database.flags);
    store_signature(entry + format::kEntrySignatureOffset, database.database_signature);
    store_lgpos(entry + format::kEntryAttachedAtOffset, database.attached_at);
    store_u16(entry + format::kEntryPathLengthOffset,
              static_cast<std::uint16_t>(database.path.size()));
    std::memcpy(entry + format::kEntryFixedBytes, database.path.data(), database.path.size());
    entry += format::kEntryFixedBytes + database.path.size();
  }
  store_u64(base + format::kChecksumOffset, slot_checksum(image, slot));
  return image;
}

struct DecodedCopy {
  std::uint64_t sequence = 0;
  CheckpointData data;
};

bool all_zero(std::span<const std::byte> bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](std::byte b) { return b == std::byte{0}; });
}

// The copy in `bytes` (what the file holds from the slot's start, possibly short), or nothing
// when it does not verify. Reads only inside `bytes` whatever they hold.
std::optional<DecodedCopy> decode_slot(std::span<const std::byte> bytes, std::uint32_t slot) {
  if (bytes.size() < format::kHeaderBytes) return std::nullopt;
  const std::byte* base = bytes.data();
  if (std::memcmp(base + format::kMagicOffset, format::kMagic, sizeof(format::kMagic)) != 0) {
    return std::nullopt;
  }
  const std::uint32_t used_bytes = load_u32(base + format::kUsedBytesOffset);
  if (used_bytes < format::kHeaderBytes || used_bytes > format::kSlotBytes ||
      used_bytes > bytes.size()) {
    return std::nullopt;
  }
  const std::span<const std::byte> image = bytes.first(used_bytes);
  if (load_u64(base + format::kChecksumOffset) != slot_checksum(image, slot)) return std::nullopt;
  // The checksum holds; the rest guards against a writer that is not this one.
  if (load_u32(base + format::kVersionOffset) != format::kVersion) return std::nullopt;
  if (load_u32(base + format::kSlotOffset) != slot) return std::nullopt;
  DecodedCopy copy;
  copy.sequence = load_u64(base + format::kSequenceOffset);
  if (copy.sequence == 0) return std::nullopt;
  const std::uint32_t flags = load_u32(base + format::kFlagsOffset);
  if ((flags & ~format::kFlagCleanShutdown) != 0) return std::nullopt;
  if (!all_zero(
          image.subspan(format::kReservedOffset, format::kHeaderBytes - format::kReservedOffset))) {
    return std::nullopt;
  }
  const std::uint32_t attached_count = load_u32(base + format::kAttachedCountOffset);
  if (attached_count > kCheckpointMaxAttachedDatabases) return std::nullopt;

  CheckpointData& data = copy.data;
  data.clean_shutdown = (flags & format::kFlagCleanShutdown) != 0;
  data.last_generation_at_write = load_u32(base + format::kLastGenerationOffset);
  data.log_signature = load_signature(base + format::kLogSignatureOffset);
  data.checkpoint = load_lgpos(base + format::kCheckpointOffset);
  data.full_backup = load_backup_mark(base + format::kFullBackupOffset);
  data.incremental_backup = load_backup_mark(base + format::kIncrementalBackupOffset);
  data.differential_backup = load_backup_mark(base + format::kDifferentialBackupOffset);
  data.copy_backup = load_backup_mark(base + format::kCopyBackupOffset);

  std::size_t offset = format::kHeaderBytes;
  data.attached.reserve(attached_count);
  for (std::uint32_t i = 0; i < attached_count; ++i) {
    if (used_bytes - offset < format::kEntryFixedBytes) return std::nullopt;
    const std::byte* entry = base + offset;
    const std::uint16_t path_bytes = load_u16(entry + format::kEntryPathLengthOffset);
    if (load_u16(entry + format::kEntryReservedOffset) != 0) return std::nullopt;
    if (used_bytes - offset - format::kEntryFixedBytes < path_bytes) return std::nullopt;
    AttachedDatabase database;
    database.dbid = load_u32(entry + format::kEntryDbidOffset);
    database.flags = load_u32(entry + format::kEntryFlagsOffset);
    database.database_signature = load_signature(entry + format::kEntrySignatureOffset);
    database.attached_at = load_lgpos(entry + format::kEntryAttachedAtOffset);
    database.path.assign(reinterpret_cast<const char*>(entry + format::kEntryFixedBytes),
                         path_bytes);
    data.attached.push_back(std::move(database));
    offset += format::kEntryFixedBytes + path_bytes;
  }
  if (offset != used_bytes) return std::nullopt;  // trailing bytes the count does not explain
  if (!valid_attached(data.attached)) return std::nullopt;
  return copy;
}

struct Newest {
  std::uint32_t slot = 0;
  DecodedCopy copy;
};

// The verifying copy with the highest sequence number in `file` (slot 0 on a tie, which this
// writer never produces), or nothing when neither verifies.
Result<std::optional<Newest>> find_newest(io::File& file) {
  std::optional<Newest> newest;
  std::vector<std::byte> buffer(format::kSlotBytes);
  for (std::uint32_t slot = 0; slot < format::kSlotCount; ++slot) {
    Result<std::size_t> count = file.read_at(slot * format::kSlotBytes, buffer);
    if (!count.ok()) return count.status();
    std::optional<DecodedCopy> copy =
        decode_slot(std::span<const std::byte>(buffer).first(count.value()), slot);
    if (copy && (!newest || copy->sequence > newest->copy.sequence)) {
      newest = Newest{slot, std::move(*copy)};
    }
  }
  return newest;
}

bool is_missing(Error error) {
  return error == Error::kFileNotFound || error == Error::kInvalidPath;
}

}  // namespace

std::string checkpoint_file_name(const std::string& base_name, std::uint32_t legacy_bits) {
  return base_name + ((legacy_bits & kLegacyFileNamesEse98) != 0 ? ".chk" : ".jcp");
}

// --- CheckpointFile --------------------------------------------------------------------------

CheckpointFile::CheckpointFile(io::FileSystem& file_system, std::string path)
    : file_system_(file_system), path_(std::move(path)) {}

CheckpointFile::~CheckpointFile() = default;

Result<std::unique_ptr<CheckpointFile>> CheckpointFile::open(io::FileSystem& file_system,
                                                             std::string path) {
  std::unique_ptr<CheckpointFile> checkpoint(new CheckpointFile(file_system, std::move(path)));
  Result<std::unique_ptr<io::File>> file =
      file_system.open_file(checkpoint->path_, io::OpenOptions{.write = true});
  if (!file.ok()) {
    if (is_missing(file.status().error())) return checkpoint;  // the first write creates it
    return file.status();
  }
  ESENT_RETURN_IF_ERROR(file.value()->lock(/*exclusive=*/true));
  Result<std::optional<Newest>> newest = find_newest(*file.value());
  if (!newest.ok()) return newest.status();
  if (newest.value()) {
    checkpoint->file_ = std::move(file.value());
    checkpoint->sequence_ = newest.value()->copy.sequence;
    checkpoint->newest_slot_ = newest.value()->slot;
  }
  // Else no copy verifies: the file is replaced as if missing, and the lock dropped with it.
  return checkpoint;
}

Status CheckpointFile::create_fresh(const std::vector<std::byte>& slot_image) {
  // The final name appears only once a complete copy is durable under it.
  const std::string temp_path = path_ + ".tmp";
  {
    Result<std::unique_ptr<io::File>> temp = file_system_.open_file(
        temp_path, io::OpenOptions{.write = true, .create = true, .truncate = true});
    if (!temp.ok()) return temp.status();
    ESENT_RETURN_IF_ERROR(temp.value()->write_at(0, slot_image));
    ESENT_RETURN_IF_ERROR(temp.value()->sync());
  }
  ESENT_RETURN_IF_ERROR(file_system_.rename(temp_path, path_));
  ESENT_RETURN_IF_ERROR(file_system_.sync_directory(parent_directory(path_)));
  Result<std::unique_ptr<io::File>> file =
      file_system_.open_file(path_, io::OpenOptions{.write = true});
  if (!file.ok()) return file.status();
  ESENT_RETURN_IF_ERROR(file.value()->lock(/*exclusive=*/true));
  file_ = std::move(file.value());
  return Status::success();
}

Status CheckpointFile::write(const CheckpointData& data) {
  if (!failure_.ok()) return failure_;
  if (!valid_attached(data.attached)) {
    return Status(Error::kInvalidParameter,
                  "checkpoint: too many attached databases, a bad path, or a repeated dbid");
  }
  Status status;
  if (file_ == nullptr) {
    status = create_fresh(encode_slot(data, 0, 1));
    if (status.ok()) {
      sequence_ = 1;
      newest_slot_ = 0;
    }
  } else {
    const std::uint32_t slot = 1 - newest_slot_;
    const std::vector<std::byte> image = encode_slot(data, slot, sequence_ + 1);
    status = file_->write_at(slot * format::kSlotBytes, image);
    if (status.ok()) status = file_->sync();
    if (status.ok()) {
      sequence_ += 1;
      newest_slot_ = slot;
    }
  }
  if (!status.ok()) failure_ = status;
  return status;
}

// --- Free functions --------------------------------------------------------------------------

Status write_checkpoint(io::FileSystem& file_system, const std::string& path,
                        const CheckpointData& data) {
  Result<std::unique_ptr<CheckpointFile>> checkpoint = CheckpointFile::open(file_system, path);
  if (!checkpoint.ok()) return checkpoint.status();
  return checkpoint.value()->write(data);
}

Result<CheckpointData> read_checkpoint(io::FileSystem& file_system, const std::string& path) {
  Result<std::unique_ptr<io::File>> file = file_system.open_file(path, io::OpenOptions{});
  if (!file.ok()) {
    if (is_missing(file.status().error())) {
      return Status(Error::kCheckpointFileNotFound, "no checkpoint file: " + path);
    }
    return file.status();
  }
  Result<std::optional<Newest>> newest = find_newest(*file.value());
  if (!newest.ok()) return newest.status();
  if (!newest.value()) {
    return Status(Error::kCheckpointCorrupt, "no copy of the checkpoint verifies: " + path);
  }
  return std::move(newest.value()->copy.data);
}

}  // namespace esent::log
