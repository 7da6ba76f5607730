// The log reader: scan() of a log directory, the record iterator and verify_file(). The rules
// the reader applies are the writer's crash-safety argument seen from the other side; they are
// stated in log_reader.h and docs/format/log.md.
#include "log/log_reader.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "log/log_names.h"

namespace esent::log {
namespace {

constexpr std::uint32_t kChunkSectors = 64;

std::string describe(std::uint32_t generation, std::uint32_t sector) {
  return "generation " + std::to_string(generation) + " sector " + std::to_string(sector);
}

// Opens `path` and decodes its header; the file's size must match `file_size_bytes` when it is
// not 0.
Result<LogHeader> read_header(io::FileSystem& file_system, const std::string& path,
                              std::uint32_t file_size_bytes) {
  io::OpenOptions options;
  auto opened = file_system.open_file(path, options);
  if (!opened.ok()) return opened.status();
  auto size = (*opened)->size();
  if (!size.ok()) return size.status();
  if (file_size_bytes != 0 && *size != file_size_bytes) {
    return Status(Error::kLogFileSizeMismatch,
                  path + ": " + std::to_string(*size) + " bytes, configured " +
                      std::to_string(file_size_bytes));
  }
  std::array<std::byte, kHeaderBytes> bytes{};
  auto read = (*opened)->read_at(0, bytes);
  if (!read.ok()) return read.status();
  if (*read != kHeaderBytes) return Status(Error::kLogFileCorrupt, path + ": short header");
  auto header = decode_header(bytes);
  if (!header.ok()) {
    return Status(header.status().error(), path + ": " + header.status().detail());
  }
  if (header->file_size_bytes() != *size) {
    return Status(Error::kLogFileSizeMismatch, path + ": header and file size differ");
  }
  return header;
}

// Scans sectors [first, file_sectors) of `file` for one that verifies as data of `generation`.
Result<bool> any_valid_sector(io::File& file, std::uint32_t generation, std::uint32_t first,
                              std::uint32_t file_sectors) {
  std::vector<std::byte> chunk(kChunkSectors * kSectorBytes);
  for (std::uint32_t sector = first; sector < file_sectors; sector += kChunkSectors) {
    const std::uint32_t count = std::min(kChunkSectors, file_sectors - sector);
    auto read = file.read_at(std::uint64_t{sector} * kSectorBytes,
                             std::span(chunk.data(), std::size_t{count} * kSectorBytes));
    if (!read.ok()) return read.status();
    const std::size_t whole = *read / kSectorBytes;
    for (std::size_t i = 0; i < whole; ++i) {
      if (verify_sector(std::span(chunk.data() + i * kSectorBytes, kSectorBytes), generation,
                        static_cast<std::uint16_t>(sector + i), nullptr)) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

Result<LogSet> scan(io::FileSystem& file_system, const LogConfig& config) {
  ESENT_RETURN_IF_ERROR(validate_config(config));
  LogSet set;
  auto exists = file_system.directory_exists(config.directory);
  if (!exists.ok()) return exists.status();
  if (!*exists) return set;
  auto names = file_system.list_directory(config.directory);
  if (!names.ok()) return names.status();
  const std::string current_name = current_log_name(config.naming);
  for (const std::string& name : *names) {
    std::uint32_t named_generation = 0;
    const bool current = name == current_name;
    if (!current) {
      auto generation = parse_archived_generation(config.naming, name);
      if (!generation.ok()) return generation.status();
      if (!generation->has_value()) continue;
      named_generation = **generation;
    }
    LogFileEntry entry;
    entry.path = join_log_path(config.directory, name);
    entry.current = current;
    auto header = read_header(file_system, entry.path, config.file_size_bytes);
    if (!header.ok()) return header.status();
    entry.header = *header;
    entry.generation = header->generation;
    if (!current && named_generation != header->generation) {
      return Status(Error::kLogGenerationMismatch,
                    name + " holds generation " + std::to_string(header->generation));
    }
    set.files.push_back(std::move(entry));
  }
  if (set.files.empty()) return set;
  std::sort(set.files.begin(), set.files.end(),
            [](const LogFileEntry& a, const LogFileEntry& b) { return a.generation < b.generation; });
  set.signature = set.files.front().header.signature;
  for (std::size_t i = 0; i < set.files.size(); ++i) {
    const LogFileEntry& file = set.files[i];
    if (file.header.signature != set.signature) {
      return Status(Error::kBadLogSignature, file.path + ": log signature differs");
    }
    if (file.current) {
      set.has_current = true;
      if (i + 1 != set.files.size()) {
        return Status(Error::kInvalidLogSequence, file.path + " is not the newest generation");
      }
    }
    if (i == 0) continue;
    const LogFileEntry& previous = set.files[i - 1];
    if (file.generation == previous.generation) {
      return Status(Error::kInvalidLogSequence,
                    "generation " + std::to_string(file.generation) + " present twice");
    }
    if (file.generation != previous.generation + 1) {
      return Status(Error::kMissingLogFile,
                    "generation " + std::to_string(previous.generation + 1) + " is missing");
    }
    if (file.header.previous_created != previous.header.created) {
      return Status(Error::kInvalidLogSequence,
                    file.path + " does not follow generation " +
                        std::to_string(previous.generation));
    }
  }
  return set;
}

LogReader::LogReader(io::FileSystem& file_system, LogSet set)
    : file_system_(file_system), set_(std::move(set)), chunk_(kChunkSectors * kSectorBytes) {}

LogReader::~LogReader() = default;

Status LogReader::open_generation(std::size_t index) {
  const LogFileEntry& entry = set_.files[index];
  file_.reset();
  io::OpenOptions options;
  auto opened = file_system_.open_file(entry.path, options);
  if (!opened.ok()) return opened.status();
  file_ = std::move(*opened);
  file_index_ = index;
  last_generation_ = index + 1 == set_.files.size();
  stream_end_sector_ = last_generation_ ? entry.header.file_sectors
                                        : set_.files[index + 1].header.previous_end_sector;
  if (stream_end_sector_ < kHeaderSectors || stream_end_sector_ > entry.header.file_sectors) {
    return Status(Error::kLogFileCorrupt,
                  "generation " + std::to_string(entry.generation + 1) +
                      ": previous end sector out of range");
  }
  chunk_sectors_ = 0;
  sector_ = kHeaderSectors;
  sector_loaded_ = false;
  offset_ = 0;
  return Status::success();
}

Status LogReader::load_sector(std::uint32_t sector) {
  if (sector < chunk_first_sector_ || sector >= chunk_first_sector_ + chunk_sectors_) {
    const std::uint32_t file_sectors = set_.files[file_index_].header.file_sectors;
    const std::uint32_t count = std::min(kChunkSectors, file_sectors - sector);
    std::fill(chunk_.begin(), chunk_.end(), std::byte{0});
    auto read = file_->read_at(std::uint64_t{sector} * kSectorBytes,
                               std::span(chunk_.data(), std::size_t{count} * kSectorBytes));
    if (!read.ok()) return read.status();
    chunk_first_sector_ = sector;
    chunk_sectors_ = count;
  }
  return Status::success();
}

Status LogReader::check_after_end(std::uint32_t first_invalid_sector) {
  const LogFileEntry& entry = set_.files[file_index_];
  auto valid = any_valid_sector(*file_, entry.generation, first_invalid_sector + 1,
                                entry.header.file_sectors);
  if (!valid.ok()) return valid.status();
  if (*valid) {
    return Status(Error::kLogReadVerifyFailure,
                  describe(entry.generation, first_invalid_sector) +
                      " fails verification but later sectors hold data");
  }
  return Status::success();
}

Result<bool> LogReader::advance() {
  while (true) {
    if (sector_loaded_ && offset_ < view_.data_bytes) return true;
    const std::uint32_t next = sector_loaded_ ? sector_ + 1 : sector_;
    sector_loaded_ = false;
    if (next >= stream_end_sector_) {
      if (last_generation_) {
        end_.next_sector = stream_end_sector_;
        return false;
      }
      ESENT_RETURN_IF_ERROR(open_generation(file_index_ + 1));
      continue;
    }
    sector_ = next;
    ESENT_RETURN_IF_ERROR(load_sector(sector_));
    const std::uint32_t generation = set_.files[file_index_].generation;
    const std::span<const std::byte> bytes(
        chunk_.data() + std::size_t{sector_ - chunk_first_sector_} * kSectorBytes, kSectorBytes);
    if (!verify_sector(bytes, generation, static_cast<std::uint16_t>(sector_), &view_)) {
      if (!last_generation_) {
        return Status(Error::kLogReadVerifyFailure,
                      describe(generation, sector_) + " fails verification");
      }
      ESENT_RETURN_IF_ERROR(check_after_end(sector_));
      end_.next_sector = sector_;
      return false;
    }
    sector_loaded_ = true;
    offset_ = 0;
    if ((view_.flags & kSectorFlagRestart) != 0) restart_seen_ = true;
  }
}

Result<bool> LogReader::read_bytes(std::byte* out, std::size_t count, bool /*record_start*/) {
  std::size_t done = 0;
  while (done < count) {
    auto more = advance();
    if (!more.ok()) return more.status();
    if (!*more) return false;
    if (restart_seen_) return false;
    const std::size_t bytes = std::min<std::size_t>(count - done, view_.data_bytes - offset_);
    std::memcpy(out + done,
                chunk_.data() + std::size_t{sector_ - chunk_first_sector_} * kSectorBytes +
                    kSectorHeaderBytes + offset_,
                bytes);
    offset_ = static_cast<std::uint16_t>(offset_ + bytes);
    done += bytes;
  }
  return true;
}

Result<std::optional<Record>> LogReader::next() {
  if (!failed_.ok()) return failed_;
  if (finished_) return std::optional<Record>{};
  auto fail = [this](const Status& status) -> Result<std::optional<Record>> {
    failed_ = status;
    return status;
  };
  while (true) {
    auto more = advance();
    if (!more.ok()) return fail(more.status());
    restart_seen_ = false;  // a restart between records abandons nothing
    if (!*more) {
      finished_ = true;
      return std::optional<Record>{};
    }
    const std::uint32_t generation = set_.files[file_index_].generation;
    Record record;
    record.start = Lgpos{generation, static_cast<std::uint16_t>(sector_),
                         static_cast<std::uint16_t>(kSectorHeaderBytes + offset_)};
    std::array<std::byte, kRecordHeaderBytes> header{};
    auto complete = read_bytes(header.data(), header.size(), true);
    if (!complete.ok()) return fail(complete.status());
    if (restart_seen_) continue;  // the crash left this record incomplete: skip to the restart
    if (!*complete) {
      finished_ = true;
      return std::optional<Record>{};
    }
    const std::uint32_t length = load_u32(header.data());
    // A record longer than what the present files hold may still be a record the crash cut
    // short (its later generations were never created), so only the format's maximum makes a
    // length nonsense.
    if (length > kMaxRecordPayloadBytes) {
      return fail(Status(Error::kLogFileCorrupt,
                         "record at " + describe(record.start.generation, record.start.sector) +
                             " is longer than the format allows"));
    }
    record.type = std::to_integer<std::uint8_t>(header[4]);
    payload_.resize(length);
    complete = read_bytes(payload_.data(), length, false);
    if (!complete.ok()) return fail(complete.status());
    if (restart_seen_) continue;
    if (!*complete) {
      finished_ = true;
      return std::optional<Record>{};
    }
    record.end = Lgpos{set_.files[file_index_].generation, static_cast<std::uint16_t>(sector_),
                       static_cast<std::uint16_t>(kSectorHeaderBytes + offset_)};
    record.payload = std::span<const std::byte>(payload_.data(), length);
    end_.end = record.end;
    return std::optional<Record>{record};
  }
}

Result<std::unique_ptr<LogReader>> LogReader::open(io::FileSystem& file_system, LogSet set,
                                                   Lgpos start) {
  if (set.files.empty()) return Status(Error::kMissingLogFile, "no log file");
  if (start.is_null()) {
    start = Lgpos{set.files.front().generation, static_cast<std::uint16_t>(kHeaderSectors),
                  static_cast<std::uint16_t>(kSectorHeaderBytes)};
  }
  if (start.generation < set.files.front().generation ||
      start.generation > set.files.back().generation) {
    return Status(Error::kMissingLogFile,
                  "generation " + std::to_string(start.generation) + " is not present");
  }
  std::unique_ptr<LogReader> reader(new LogReader(file_system, std::move(set)));
  const std::size_t index = start.generation - reader->set_.files.front().generation;
  reader->end_.file = reader->set_.files.back();
  reader->end_.end = start;
  ESENT_RETURN_IF_ERROR(reader->open_generation(index));
  if (start.sector < kHeaderSectors || start.byte < kSectorHeaderBytes ||
      start.byte > kSectorBytes || start.sector > reader->stream_end_sector_ ||
      (start.sector == reader->stream_end_sector_ && start.byte != kSectorHeaderBytes)) {
    return Status(Error::kLogFileCorrupt, "start position outside the log's data");
  }
  reader->sector_ = start.sector;
  if (start.sector == reader->stream_end_sector_) return reader;  // advance() moves on
  ESENT_RETURN_IF_ERROR(reader->load_sector(start.sector));
  const std::span<const std::byte> bytes(
      reader->chunk_.data() +
          std::size_t{start.sector - reader->chunk_first_sector_} * kSectorBytes,
      kSectorBytes);
  if (!verify_sector(bytes, start.generation, start.sector, &reader->view_)) {
    if (reader->last_generation_ && start.byte == kSectorHeaderBytes) {
      // Nothing was written from the start on: the log ends here.
      ESENT_RETURN_IF_ERROR(reader->check_after_end(start.sector));
      reader->end_.next_sector = start.sector;
      reader->finished_ = true;
      return reader;
    }
    return Status(Error::kLogReadVerifyFailure,
                  describe(start.generation, start.sector) + " fails verification");
  }
  if (start.byte - kSectorHeaderBytes > reader->view_.data_bytes) {
    return Status(Error::kLogFileCorrupt, "start position beyond the sector's data");
  }
  reader->sector_loaded_ = true;
  reader->offset_ = static_cast<std::uint16_t>(start.byte - kSectorHeaderBytes);
  return reader;
}

Status verify_file(io::FileSystem& file_system, const std::string& path,
                   std::uint32_t file_size_bytes, std::uint32_t expected_generation) {
  auto header = read_header(file_system, path, file_size_bytes);
  if (!header.ok()) return header.status();
  if (expected_generation != 0 && header->generation != expected_generation) {
    return Status(Error::kLogGenerationMismatch,
                  path + " holds generation " + std::to_string(header->generation));
  }
  io::OpenOptions options;
  auto opened = file_system.open_file(path, options);
  if (!opened.ok()) return opened.status();
  std::vector<std::byte> chunk(kChunkSectors * kSectorBytes);
  for (std::uint32_t sector = kHeaderSectors; sector < header->file_sectors;
       sector += kChunkSectors) {
    const std::uint32_t count = std::min(kChunkSectors, header->file_sectors - sector);
    std::fill(chunk.begin(), chunk.end(), std::byte{0});
    auto read = (*opened)->read_at(std::uint64_t{sector} * kSectorBytes,
                                   std::span(chunk.data(), std::size_t{count} * kSectorBytes));
    if (!read.ok()) return read.status();
    for (std::uint32_t i = 0; i < count; ++i) {
      if (!verify_sector(std::span(chunk.data() + std::size_t{i} * kSectorBytes, kSectorBytes),
                         header->generation, static_cast<std::uint16_t>(sector + i), nullptr)) {
        auto valid = any_valid_sector(**opened, header->generation, sector + i + 1,
                                      header->file_sectors);
        if (!valid.ok()) return valid.status();
        if (*valid) {
          return Status(Error::kLogReadVerifyFailure,
                        describe(header->generation, sector + i) +
                            " fails verification but later sectors hold data");
        }
        return Status::success();
      }
    }
  }
  return Status::success();
}

}  // namespace esent::log
