// The backup trailer: the page a streamed database image ends with (docs/format/backup.md).
//
// A streamed image is the database's pages 0..n-1 (pages 0 and 1 a patched copy of the header)
// followed by this one page, numbered n. It stands where ESE puts its "patch file header": it
// tells restore which log generations the image needs, which database of the instance it was
// (dbid and path at the time of the backup) and which log set it belongs to. It is sealed like
// every page (checksum with its page number n as identity), so a truncated or damaged image is
// detected.
//
// Body layout after the 64-byte common page header (little-endian):
//   64  u8[8] magic            "ESNTBKTR"
//   72  u32   version          kTrailerVersion
//   76  u32   database_pages   n: the pages before the trailer
//   80  u32   dbid             the database's JET_DBID in the instance that was backed up
//   84  u32   generation_low   the first log generation restore replays (bkinfoFullCur.genLow)
//   88  u32   generation_high  restore must replay at least through this generation
//   92  u32   mark_generation  the backup's mark (log position at Begin): generation,
//   96  u16   mark_sector        sector,
//   98  u16   mark_byte          byte
//  100  u8[8] mark_time        JET_LOGTIME at Begin
//  108  u8[28] log_signature  the log set's JET_SIGNATURE (random u32, creation time, computer name)
//  136  u8[28] db_signature   the database's JET_SIGNATURE
//  164  u32   replay_generation  where replay starts (the checkpoint at Begin, a record start):
//  168  u16   replay_sector        generation, sector,
//  170  u16   replay_byte          byte
//  172  u16   path_bytes       length of the UTF-8 path that follows (at most kTrailerMaxPathBytes)
//  174  u8[]  path             the database's path when it was backed up
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "page/database_header.h"
#include "util/status.h"

namespace esent::backup {

inline constexpr std::uint32_t kTrailerVersion = 2;
inline constexpr std::size_t kTrailerMaxPathBytes = 2048;

struct Trailer {
  std::uint32_t database_pages = 0;
  std::uint32_t dbid = 0;
  std::uint32_t generation_low = 0;
  std::uint32_t generation_high = 0;
  page::LogPosition mark;
  page::LogTime mark_time;
  page::Signature log_signature;
  page::Signature database_signature;
  // The checkpoint at Begin: the record restore starts replaying at (its generation is
  // generation_low). A log generation may begin in the middle of a record that started in the
  // previous one, so the generation alone is not a place to start reading.
  page::LogPosition replay_start;
  std::string path;

  bool operator==(const Trailer&) const = default;
};

// Writes `trailer` as the whole sealed page `page` (page.size() is the page size; at least 4096).
// A path longer than kTrailerMaxPathBytes is cut there (restore relocates by dbid anyway).
void encode_trailer(const Trailer& trailer, std::span<std::byte> page);

// Decodes the trailer stored as page `pgno` of an image. kReadVerifyFailure /
// kReadPgnoVerifyFailure when the page does not verify; kInvalidDatabase when it verifies but is
// not a trailer (type, magic, version, sizes).
Result<Trailer> decode_trailer(std::span<const std::byte> page, page::Pgno pgno);

}  // namespace esent::backup
