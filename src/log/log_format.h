// The on-disk format of a log file (docs/format/log.md is the prose; this header is the same
// thing as constants, plus the codecs of the header and of the sector frame).
//
// A log file is exactly file_sectors * 512 bytes:
//   sectors [0, 8)             the header (4096 bytes), checksummed with identity (generation << 32)
//   sectors [8, file_sectors)  data sectors: a 20-byte sector header, then 492 data bytes; the
//                              checksum's identity is (generation << 32) | sector
// The data bytes of consecutive sectors (and of consecutive generations) form one byte stream
// of records: u32 payload length, u8 type, payload. All integers little-endian.
//
// Decoders never trust the bytes: bad bytes are an error value, never an assert.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "log/lgpos.h"
#include "util/status.h"

namespace esent::log {

inline constexpr std::uint32_t kLogMagic = 0x474F4C45;  // "ELOG"
inline constexpr std::uint32_t kLogFormatVersion = 1;
inline constexpr std::uint32_t kHeaderBytes = 4096;
inline constexpr std::uint32_t kHeaderSectors = kHeaderBytes / kSectorBytes;
static_assert(kHeaderSectors == 8);

inline constexpr std::uint32_t kMinFileBytes = 64 * 1024;
// Sector numbers are u16 in an Lgpos: at most 65536 sectors (32 MiB, ESE's maximum).
inline constexpr std::uint32_t kMaxFileBytes = 65536u * kSectorBytes;

// Header byte offsets.
inline constexpr std::size_t kHeaderChecksumOffset = 0;        // u64 over [8, 4096)
inline constexpr std::size_t kHeaderMagicOffset = 8;           // u32
inline constexpr std::size_t kHeaderVersionOffset = 12;        // u32
inline constexpr std::size_t kHeaderGenerationOffset = 16;     // u32
inline constexpr std::size_t kHeaderSectorBytesOffset = 20;    // u32 (512)
inline constexpr std::size_t kHeaderHeaderSectorsOffset = 24;  // u32 (8)
inline constexpr std::size_t kHeaderFileSectorsOffset = 28;    // u32
inline constexpr std::size_t kHeaderCreatedOffset = 32;        // LogTime (8)
inline constexpr std::size_t kHeaderPreviousCreatedOffset = 40;  // LogTime (8)
inline constexpr std::size_t kHeaderSignatureOffset = 48;      // Signature (28): u32 random,
                                                               // LogTime, 16-byte computer name
inline constexpr std::size_t kHeaderCheckpointOffset = 76;     // JET_LGPOS: u16 byte, u16 sector,
                                                               // u32 generation
inline constexpr std::size_t kHeaderFlagsOffset = 84;          // u32
inline constexpr std::size_t kHeaderPageSizeOffset = 88;       // u32
inline constexpr std::size_t kHeaderPreviousEndSectorOffset = 92;  // u32
inline constexpr std::size_t kHeaderUsedBytes = 96;            // the rest is zero
static_assert(kHeaderUsedBytes <= kHeaderBytes);

inline constexpr std::uint32_t kHeaderFlagCircular = 0x1;

// Sector frame byte offsets.
inline constexpr std::size_t kSectorChecksumOffset = 0;    // u64 over [8, 512)
inline constexpr std::size_t kSectorGenerationOffset = 8;  // u32
inline constexpr std::size_t kSectorNumberOffset = 12;     // u16
inline constexpr std::size_t kSectorDataBytesOffset = 14;  // u16, 0..kSectorDataBytes
inline constexpr std::size_t kSectorFlagsOffset = 16;      // u16
inline constexpr std::size_t kSectorReservedOffset = 18;   // u16, zero
inline constexpr std::size_t kSectorHeaderBytes = 20;
inline constexpr std::size_t kSectorDataBytes = kSectorBytes - kSectorHeaderBytes;  // 492
static_assert(kSectorDataBytes == 492);

// The writer restarted here after a crash: a record left incomplete before this sector is
// abandoned and the stream resumes at this sector's first data byte.
inline constexpr std::uint16_t kSectorFlagRestart = 0x1;
inline constexpr std::uint16_t kSectorKnownFlags = kSectorFlagRestart;

// Record framing within the stream.
inline constexpr std::size_t kRecordHeaderBytes = 5;  // u32 payload length, u8 type
// A payload longer than this is structural nonsense (kLogFileCorrupt).
inline constexpr std::uint32_t kMaxRecordPayloadBytes = 1u << 30;

struct LogHeader {
  std::uint32_t version = kLogFormatVersion;
  std::uint32_t generation = 0;
  std::uint32_t file_sectors = 0;
  LogTime created;
  LogTime previous_created;  // null for generation 1
  Signature signature;
  Lgpos checkpoint;
  std::uint32_t flags = 0;
  std::uint32_t page_size_bytes = 0;
  // The sector after the last sector the previous generation's stream used (its data ends
  // there even when the file is not full); 0 for generation 1 and after a gap-free start.
  std::uint32_t previous_end_sector = 0;

  std::uint64_t file_size_bytes() const {
    return std::uint64_t{file_sectors} * kSectorBytes;
  }
  friend bool operator==(const LogHeader&, const LogHeader&) = default;
};

// Fills `out` (kHeaderBytes) with the header, checksum included.
void encode_header(const LogHeader& header, std::span<std::byte> out);
// Decodes and verifies: bad checksum or magic, sector size or header sectors not ours →
// kLogFileCorrupt; an unknown version → kBadLogVersion.
Result<LogHeader> decode_header(std::span<const std::byte> bytes);

// The identity mixed into a data sector's checksum.
constexpr std::uint64_t sector_identity(std::uint32_t generation, std::uint32_t sector) {
  return (std::uint64_t{generation} << 32) | sector;
}

// Writes the sector frame (header fields and checksum) around data already in
// `sector[kSectorHeaderBytes, kSectorHeaderBytes + data_bytes)`; zeroes the unused tail.
void seal_sector(std::span<std::byte> sector, std::uint32_t generation, std::uint16_t number,
                 std::uint16_t data_bytes, std::uint16_t flags);

struct SectorView {
  std::uint16_t data_bytes = 0;
  std::uint16_t flags = 0;
};
// Whether `sector` verifies as sector `number` of `generation`: checksum, generation, number,
// data count and flags. False when it does not (torn, unwritten, stale or corrupt); `view`
// (optional) receives the data count and flags of a sector that verifies.
bool verify_sector(std::span<const std::byte> sector, std::uint32_t generation,
                   std::uint16_t number, SectorView* view);

// Little-endian helpers shared by the log codecs.
void store_u16(std::byte* out, std::uint16_t value);
void store_u32(std::byte* out, std::uint32_t value);
void store_u64(std::byte* out, std::uint64_t value);
std::uint16_t load_u16(const std::byte* in);
std::uint32_t load_u32(const std::byte* in);
std::uint64_t load_u64(const std::byte* in);

}  // namespace esent::log
