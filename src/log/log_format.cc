#include "log/log_format.h"

#include <cstring>

#include "util/checksum.h"

namespace esent::log {

void store_u16(std::byte* out, std::uint16_t value) {
  out[0] = static_cast<std::byte>(value);
  out[1] = static_cast<std::byte>(value >> 8);
}
void store_u32(std::byte* out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<std::byte>(value >> (8 * i));
}
void store_u64(std::byte* out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<std::byte>(value >> (8 * i));
}
std::uint16_t load_u16(const std::byte* in) {
  return static_cast<std::uint16_t>(std::to_integer<unsigned>(in[0]) |
                                    (std::to_integer<unsigned>(in[1]) << 8));
}
std::uint32_t load_u32(const std::byte* in) {
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | std::to_integer<std::uint32_t>(in[i]);
  return value;
}
std::uint64_t load_u64(const std::byte* in) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | std::to_integer<std::uint64_t>(in[i]);
  return value;
}

namespace {

void store_time(std::byte* out, const LogTime& time) {
  std::memcpy(out, time.bytes.data(), time.bytes.size());
}
LogTime load_time(const std::byte* in) {
  LogTime time;
  std::memcpy(time.bytes.data(), in, time.bytes.size());
  return time;
}

}  // namespace

void encode_header(const LogHeader& header, std::span<std::byte> out) {
  std::memset(out.data(), 0, kHeaderBytes);
  std::byte* p = out.data();
  store_u32(p + kHeaderMagicOffset, kLogMagic);
  store_u32(p + kHeaderVersionOffset, header.version);
  store_u32(p + kHeaderGenerationOffset, header.generation);
  store_u32(p + kHeaderSectorBytesOffset, kSectorBytes);
  store_u32(p + kHeaderHeaderSectorsOffset, kHeaderSectors);
  store_u32(p + kHeaderFileSectorsOffset, header.file_sectors);
  store_time(p + kHeaderCreatedOffset, header.created);
  store_time(p + kHeaderPreviousCreatedOffset, header.previous_created);
  store_u32(p + kHeaderSignatureOffset, header.signature.random);
  store_time(p + kHeaderSignatureOffset + 4, header.signature.created);
  std::memcpy(p + kHeaderSignatureOffset + 12, header.signature.computer_name.data(), 16);
  store_u16(p + kHeaderCheckpointOffset, header.checkpoint.byte);
  store_u16(p + kHeaderCheckpointOffset + 2, header.checkpoint.sector);
  store_u32(p + kHeaderCheckpointOffset + 4, header.checkpoint.generation);
  store_u32(p + kHeaderFlagsOffset, header.flags);
  store_u32(p + kHeaderPageSizeOffset, header.page_size_bytes);
  store_u32(p + kHeaderPreviousEndSectorOffset, header.previous_end_sector);
  store_u64(p + kHeaderChecksumOffset,
            checksum64(p + 8, kHeaderBytes - 8, sector_identity(header.generation, 0)));
}

Result<LogHeader> decode_header(std::span<const std::byte> bytes) {
  if (bytes.size() < kHeaderBytes) {
    return Status(Error::kLogFileCorrupt, "log header shorter than 4096 bytes");
  }
  const std::byte* p = bytes.data();
  if (load_u32(p + kHeaderMagicOffset) != kLogMagic) {
    return Status(Error::kLogFileCorrupt, "not a log file header (magic)");
  }
  LogHeader header;
  header.generation = load_u32(p + kHeaderGenerationOffset);
  const std::uint64_t expected =
      checksum64(p + 8, kHeaderBytes - 8, sector_identity(header.generation, 0));
  if (load_u64(p + kHeaderChecksumOffset) != expected) {
    return Status(Error::kLogFileCorrupt, "log header checksum mismatch");
  }
  header.version = load_u32(p + kHeaderVersionOffset);
  if (header.version != kLogFormatVersion) {
    return Status(Error::kBadLogVersion,
                  "log format version " + std::to_string(header.version));
  }
  if (load_u32(p + kHeaderSectorBytesOffset) != kSectorBytes ||
      load_u32(p + kHeaderHeaderSectorsOffset) != kHeaderSectors) {
    return Status(Error::kLogFileCorrupt, "log header: unexpected sector geometry");
  }
  header.file_sectors = load_u32(p + kHeaderFileSectorsOffset);
  if (header.file_sectors < kMinFileBytes / kSectorBytes ||
      header.file_sectors > kMaxFileBytes / kSectorBytes || header.generation == 0) {
    return Status(Error::kLogFileCorrupt, "log header: file size or generation out of range");
  }
  header.created = load_time(p + kHeaderCreatedOffset);
  header.previous_created = load_time(p + kHeaderPreviousCreatedOffset);
  header.signature.random = load_u32(p + kHeaderSignatureOffset);
  header.signature.created = load_time(p + kHeaderSignatureOffset + 4);
  std::memcpy(header.signature.computer_name.data(), p + kHeaderSignatureOffset + 12, 16);
  header.checkpoint.byte = load_u16(p + kHeaderCheckpointOffset);
  header.checkpoint.sector = load_u16(p + kHeaderCheckpointOffset + 2);
  header.checkpoint.generation = load_u32(p + kHeaderCheckpointOffset + 4);
  header.flags = load_u32(p + kHeaderFlagsOffset);
  header.page_size_bytes = load_u32(p + kHeaderPageSizeOffset);
  header.previous_end_sector = load_u32(p + kHeaderPreviousEndSectorOffset);
  if (header.previous_end_sector > kMaxFileBytes / kSectorBytes) {
    return Status(Error::kLogFileCorrupt, "log header: previous end sector out of range");
  }
  return header;
}

void seal_sector(std::span<std::byte> sector, std::uint32_t generation, std::uint16_t number,
                 std::uint16_t data_bytes, std::uint16_t flags) {
  std::byte* p = sector.data();
  std::memset(p + kSectorHeaderBytes + data_bytes, 0, kSectorDataBytes - data_bytes);
  store_u32(p + kSectorGenerationOffset, generation);
  store_u16(p + kSectorNumberOffset, number);
  store_u16(p + kSectorDataBytesOffset, data_bytes);
  store_u16(p + kSectorFlagsOffset, flags);
  store_u16(p + kSectorReservedOffset, 0);
  store_u64(p + kSectorChecksumOffset,
            checksum64(p + 8, kSectorBytes - 8, sector_identity(generation, number)));
}

bool verify_sector(std::span<const std::byte> sector, std::uint32_t generation,
                   std::uint16_t number, SectorView* view) {
  const std::byte* p = sector.data();
  if (load_u32(p + kSectorGenerationOffset) != generation ||
      load_u16(p + kSectorNumberOffset) != number) {
    return false;
  }
  if (load_u64(p + kSectorChecksumOffset) !=
      checksum64(p + 8, kSectorBytes - 8, sector_identity(generation, number))) {
    return false;
  }
  const std::uint16_t data_bytes = load_u16(p + kSectorDataBytesOffset);
  const std::uint16_t flags = load_u16(p + kSectorFlagsOffset);
  if (data_bytes > kSectorDataBytes || (flags & ~kSectorKnownFlags) != 0) return false;
  if (view != nullptr) {
    view->data_bytes = data_bytes;
    view->flags = flags;
  }
  return true;
}

}  // namespace esent::log
