#include "backup/trailer.h"

#include <algorithm>
#include <cstring>

#include "page/page.h"

namespace esent::backup {

namespace {

constexpr char kMagic[8] = {'E', 'S', 'N', 'T', 'B', 'K', 'T', 'R'};
constexpr std::size_t kMagicOffset = 64;
constexpr std::size_t kVersionOffset = 72;
constexpr std::size_t kDatabasePagesOffset = 76;
constexpr std::size_t kDbidOffset = 80;
constexpr std::size_t kGenerationLowOffset = 84;
constexpr std::size_t kGenerationHighOffset = 88;
constexpr std::size_t kMarkOffset = 92;
constexpr std::size_t kMarkTimeOffset = 100;
constexpr std::size_t kLogSignatureOffset = 108;
constexpr std::size_t kDatabaseSignatureOffset = 136;
constexpr std::size_t kReplayStartOffset = 164;
constexpr std::size_t kPathBytesOffset = 172;
constexpr std::size_t kPathOffset = 174;
constexpr std::size_t kSignatureBytes = 4 + page::kLogTimeSize + page::kComputerNameSize;
static_assert(kLogSignatureOffset + kSignatureBytes == kDatabaseSignatureOffset);
static_assert(kDatabaseSignatureOffset + kSignatureBytes == kReplayStartOffset);
static_assert(kPathOffset + kTrailerMaxPathBytes <= page::kMinPageSize);

template <typename T>
void put(std::span<std::byte> page, std::size_t offset, T value) {
  std::memcpy(page.data() + offset, &value, sizeof value);
}
template <typename T>
T get(std::span<const std::byte> page, std::size_t offset) {
  T value;
  std::memcpy(&value, page.data() + offset, sizeof value);
  return value;
}

void put_time(std::span<std::byte> page, std::size_t offset, const page::LogTime& t) {
  const std::uint8_t bytes[page::kLogTimeSize] = {t.seconds, t.minutes, t.hours,   t.day,
                                                  t.month,   t.year,    t.filler1, t.filler2};
  std::memcpy(page.data() + offset, bytes, sizeof bytes);
}
page::LogTime get_time(std::span<const std::byte> page, std::size_t offset) {
  std::uint8_t b[page::kLogTimeSize];
  std::memcpy(b, page.data() + offset, sizeof b);
  return page::LogTime{b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]};
}

void put_signature(std::span<std::byte> page, std::size_t offset, const page::Signature& s) {
  put<std::uint32_t>(page, offset, s.random);
  put_time(page, offset + 4, s.created);
  std::memcpy(page.data() + offset + 4 + page::kLogTimeSize, s.computer_name.data(),
              page::kComputerNameSize);
}
page::Signature get_signature(std::span<const std::byte> page, std::size_t offset) {
  page::Signature s;
  s.random = get<std::uint32_t>(page, offset);
  s.created = get_time(page, offset + 4);
  std::memcpy(s.computer_name.data(), page.data() + offset + 4 + page::kLogTimeSize,
              page::kComputerNameSize);
  return s;
}

}  // namespace

void encode_trailer(const Trailer& trailer, std::span<std::byte> p) {
  const auto pgno = static_cast<page::Pgno>(trailer.database_pages);
  page::initialize(p, pgno, page::PageType::kBackupTrailer, 0, 0);
  std::memcpy(p.data() + kMagicOffset, kMagic, sizeof kMagic);
  put<std::uint32_t>(p, kVersionOffset, kTrailerVersion);
  put<std::uint32_t>(p, kDatabasePagesOffset, trailer.database_pages);
  put<std::uint32_t>(p, kDbidOffset, trailer.dbid);
  put<std::uint32_t>(p, kGenerationLowOffset, trailer.generation_low);
  put<std::uint32_t>(p, kGenerationHighOffset, trailer.generation_high);
  put<std::int32_t>(p, kMarkOffset, trailer.mark.generation);
  put<std::uint16_t>(p, kMarkOffset + 4, trailer.mark.sector);
  put<std::uint16_t>(p, kMarkOffset + 6, trailer.mark.byte_offset);
  put_time(p, kMarkTimeOffset, trailer.mark_time);
  put_signature(p, kLogSignatureOffset, trailer.log_signature);
  put_signature(p, kDatabaseSignatureOffset, trailer.database_signature);
  put<std::int32_t>(p, kReplayStartOffset, trailer.replay_start.generation);
  put<std::uint16_t>(p, kReplayStartOffset + 4, trailer.replay_start.sector);
  put<std::uint16_t>(p, kReplayStartOffset + 6, trailer.replay_start.byte_offset);
  const std::size_t path_bytes = std::min(trailer.path.size(), kTrailerMaxPathBytes);
  put<std::uint16_t>(p, kPathBytesOffset, static_cast<std::uint16_t>(path_bytes));
  std::memcpy(p.data() + kPathOffset, trailer.path.data(), path_bytes);
  page::seal(p, pgno);
}

Result<Trailer> decode_trailer(std::span<const std::byte> p, page::Pgno pgno) {
  if (p.size() < page::kMinPageSize) return Error::kInvalidDatabase;
  if (page::is_all_zero(p)) return Error::kReadVerifyFailure;
  ESENT_RETURN_IF_ERROR(page::verify(p, pgno));
  if (page::type(p) != page::PageType::kBackupTrailer ||
      std::memcmp(p.data() + kMagicOffset, kMagic, sizeof kMagic) != 0 ||
      get<std::uint32_t>(p, kVersionOffset) != kTrailerVersion) {
    return Error::kInvalidDatabase;
  }
  Trailer trailer;
  trailer.database_pages = get<std::uint32_t>(p, kDatabasePagesOffset);
  trailer.dbid = get<std::uint32_t>(p, kDbidOffset);
  trailer.generation_low = get<std::uint32_t>(p, kGenerationLowOffset);
  trailer.generation_high = get<std::uint32_t>(p, kGenerationHighOffset);
  trailer.mark.generation = get<std::int32_t>(p, kMarkOffset);
  trailer.mark.sector = get<std::uint16_t>(p, kMarkOffset + 4);
  trailer.mark.byte_offset = get<std::uint16_t>(p, kMarkOffset + 6);
  trailer.mark_time = get_time(p, kMarkTimeOffset);
  trailer.log_signature = get_signature(p, kLogSignatureOffset);
  trailer.database_signature = get_signature(p, kDatabaseSignatureOffset);
  trailer.replay_start.generation = get<std::int32_t>(p, kReplayStartOffset);
  trailer.replay_start.sector = get<std::uint16_t>(p, kReplayStartOffset + 4);
  trailer.replay_start.byte_offset = get<std::uint16_t>(p, kReplayStartOffset + 6);
  const std::uint16_t path_bytes = get<std::uint16_t>(p, kPathBytesOffset);
  if (path_bytes > kTrailerMaxPathBytes || trailer.database_pages != pgno) {
    return Error::kInvalidDatabase;
  }
  trailer.path.assign(reinterpret_cast<const char*>(p.data() + kPathOffset), path_bytes);
  return trailer;
}

}  // namespace esent::backup
