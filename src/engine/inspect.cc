// Offline inspection of log files, log sets and database files (engine/inspect.h has the
// contracts and the integrity rules). Files are read in chunks of whole sectors or pages; the
// only state is the report being filled.
#include "engine/inspect.h"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

#include "cache/header_io.h"
#include "log/log_config.h"
#include "log/log_names.h"
#include "log/log_reader.h"
#include "page/database_header.h"
#include "page/page.h"

namespace esent::engine {
namespace {

constexpr std::uint32_t kLogChunkSectors = 256;          // 128 KiB per read
constexpr std::uint32_t kDatabaseChunkBytes = 1u << 20;  // 1 MiB per read

Result<std::unique_ptr<io::File>> open_for_reading(io::FileSystem& file_system,
                                                   const std::string& path) {
  return file_system.open_file(path, io::OpenOptions{});
}

Result<log::LogHeader> read_log_header(io::File& file, const std::string& path) {
  std::array<std::byte, log::kHeaderBytes> bytes{};
  Result<std::size_t> read = file.read_at(0, bytes);
  if (!read.ok()) return read.status();
  if (*read != bytes.size()) return Status(Error::kLogFileCorrupt, path + ": short header");
  Result<log::LogHeader> header = log::decode_header(bytes);
  if (!header.ok()) return Status(header.status().error(), path + ": " + header.status().detail());
  return header;
}

// What one file's sectors showed.
struct SectorScan {
  std::uint32_t checked = 0;
  std::uint32_t bad = 0;
  std::uint32_t end_sector = log::kHeaderSectors;
  log::Lgpos first_bad;
};

// Verifies the data sectors of `file`. `required_end` not 0: every sector of
// [kHeaderSectors, required_end) must verify (a generation with a successor). 0: the
// last-generation rule (the first sector that does not verify ends the data unless a later
// one verifies). A file shorter than its header claims reads as zero sectors past its end.
Result<SectorScan> scan_sectors(io::File& file, const log::LogHeader& header,
                                std::uint32_t required_end) {
  SectorScan scan;
  const std::uint32_t limit = required_end != 0 ? required_end : header.file_sectors;
  std::optional<std::uint32_t> first_invalid;
  std::vector<std::byte> chunk(std::size_t{kLogChunkSectors} * log::kSectorBytes);
  for (std::uint32_t first = log::kHeaderSectors; first < limit; first += kLogChunkSectors) {
    const std::uint32_t count = std::min(kLogChunkSectors, limit - first);
    std::fill(chunk.begin(), chunk.end(), std::byte{0});
    Result<std::size_t> read =
        file.read_at(std::uint64_t{first} * log::kSectorBytes,
                     std::span(chunk.data(), std::size_t{count} * log::kSectorBytes));
    if (!read.ok()) return read.status();
    for (std::uint32_t i = 0; i < count; ++i) {
      const std::uint32_t sector = first + i;
      const bool valid = log::verify_sector(
          std::span<const std::byte>(chunk.data() + std::size_t{i} * log::kSectorBytes,
                                     log::kSectorBytes),
          header.generation, static_cast<std::uint16_t>(sector), nullptr);
      if (required_end != 0) {
        if (valid) {
          ++scan.checked;
        } else {
          if (scan.bad++ == 0) {
            scan.first_bad = log::Lgpos{header.generation, static_cast<std::uint16_t>(sector), 0};
          }
        }
        continue;
      }
      if (!first_invalid.has_value()) {
        if (valid) {
          ++scan.checked;
        } else {
          first_invalid = sector;
        }
      } else if (valid) {
        // Data after the end: the gap was damage.
        scan.bad = 1;
        scan.first_bad =
            log::Lgpos{header.generation, static_cast<std::uint16_t>(*first_invalid), 0};
        scan.end_sector = header.file_sectors;
        return scan;
      }
    }
  }
  scan.end_sector = required_end != 0 ? required_end : first_invalid.value_or(header.file_sectors);
  return scan;
}

// The naming under which `folder` holds logs of `base_name`, or nullopt.
Result<std::optional<log::LogNaming>> find_naming(io::FileSystem& file_system,
                                                  const std::string& folder,
                                                  const std::string& base_name) {
  Result<std::vector<std::string>> names = file_system.list_directory(folder);
  if (!names.ok()) return names.status();
  for (std::uint32_t legacy_bits : {log::kEse98FileNamesBit | log::kEightDotThreeSoftCompatBit,
                                    log::kEightDotThreeSoftCompatBit}) {
    log::LogNaming naming;
    naming.base_name = base_name;
    naming.legacy_bits = legacy_bits;
    for (const std::string& name : *names) {
      if (name == log::current_log_name(naming)) return std::optional(naming);
      Result<std::optional<std::uint32_t>> generation =
          log::parse_archived_generation(naming, name);
      if (generation.ok() && generation->has_value()) return std::optional(naming);
    }
  }
  return std::optional<log::LogNaming>();
}

}  // namespace

Status inspect_log_file(io::FileSystem& file_system, const std::string& path,
                        LogFileReport& report) {
  report = LogFileReport{};
  Result<std::unique_ptr<io::File>> file = open_for_reading(file_system, path);
  if (!file.ok()) return file.status();
  Result<log::LogHeader> header = read_log_header(**file, path);
  if (!header.ok()) return header.status();
  report.header = *header;
  Result<SectorScan> scan = scan_sectors(**file, *header, 0);
  if (!scan.ok()) return scan.status();
  report.sectors_checked = scan->checked;
  report.end_sector = scan->end_sector;
  report.intact = scan->bad == 0;
  report.first_damaged = scan->first_bad;
  if (!report.intact) {
    return Status(Error::kLogReadVerifyFailure,
                  path + ": generation " + std::to_string(header->generation) + " sector " +
                      std::to_string(scan->first_bad.sector) + " does not verify");
  }
  return Status::success();
}

Status checksum_database(io::FileSystem& file_system, const std::string& path,
                         const InspectProgress& progress, ChecksumReport& report) {
  report = ChecksumReport{};
  Result<std::unique_ptr<io::File>> file = open_for_reading(file_system, path);
  if (!file.ok()) return file.status();
  Result<page::DatabaseHeader> header = cache::read_database_header(**file, 0);
  if (!header.ok()) return Status(header.status().error(), path + ": " + header.status().detail());
  Result<std::uint64_t> size = (*file)->size();
  if (!size.ok()) return size.status();
  const std::uint32_t page_size = header->page_size_bytes;
  report.block_bytes = page_size;
  report.files = 1;
  const std::uint64_t total = *size / page_size;
  const std::uint32_t pages_per_chunk = std::max<std::uint32_t>(1, kDatabaseChunkBytes / page_size);
  std::vector<std::byte> buffer(std::size_t{pages_per_chunk} * page_size);
  for (std::uint64_t first = 0; first < total; first += pages_per_chunk) {
    const auto count =
        static_cast<std::uint32_t>(std::min<std::uint64_t>(pages_per_chunk, total - first));
    const std::span<std::byte> chunk(buffer.data(), std::size_t{count} * page_size);
    Result<std::size_t> read = (*file)->read_at(first * page_size, chunk);
    if (!read.ok()) return read.status();
    if (*read < chunk.size())
      std::fill(chunk.begin() + static_cast<std::ptrdiff_t>(*read), chunk.end(), std::byte{0});
    for (std::uint32_t i = 0; i < count; ++i) {
      const auto pgno = static_cast<page::Pgno>(first + i);
      const std::span<const std::byte> bytes = chunk.subspan(std::size_t{i} * page_size, page_size);
      Status verified = Status::success();
      if (pgno < 2) {
        Result<page::DatabaseHeader> copy = page::decode_database_header(bytes, pgno);
        if (!copy.ok()) verified = Status(Error::kReadVerifyFailure, copy.status().detail());
      } else if (page::is_all_zero(bytes)) {
        ++report.blocks_empty;
      } else {
        verified = page::verify(bytes, pgno);
      }
      ++report.blocks_checked;
      if (!verified.ok() && report.blocks_bad++ == 0) {
        report.first_bad_page = pgno;
        report.first_bad_error = verified.error();
      }
    }
    if (progress) ESENT_RETURN_IF_ERROR(progress(first + count, total));
  }
  if (report.blocks_bad != 0) {
    return Status(Error::kReadVerifyFailure, path + ": " + std::to_string(report.blocks_bad) +
                                                 " bad page(s), the first page " +
                                                 std::to_string(report.first_bad_page));
  }
  return Status::success();
}

Status checksum_logs(io::FileSystem& file_system, const std::string& folder,
                     const std::string& base_name, const InspectProgress& progress,
                     ChecksumReport& report) {
  report = ChecksumReport{};
  report.block_bytes = log::kSectorBytes;
  Result<bool> exists = file_system.directory_exists(folder);
  if (!exists.ok()) return exists.status();
  if (!*exists) return Status(Error::kFileNotFound, "no folder " + folder);
  Result<std::optional<log::LogNaming>> naming = find_naming(file_system, folder, base_name);
  if (!naming.ok()) return naming.status();
  if (!naming->has_value()) {
    return Status(Error::kFileNotFound, "no log of base name " + base_name + " in " + folder);
  }
  log::LogConfig config;
  config.directory = folder;
  config.naming = **naming;
  // The log file size: the logs' own (scan() then holds every file to it).
  Result<std::vector<std::string>> names = file_system.list_directory(folder);
  if (!names.ok()) return names.status();
  for (const std::string& name : *names) {
    Result<std::optional<std::uint32_t>> generation =
        log::parse_archived_generation(config.naming, name);
    const bool current = name == log::current_log_name(config.naming);
    if (!current && (!generation.ok() || !generation->has_value())) continue;
    Result<std::uint64_t> size = file_system.file_size(log::join_log_path(folder, name));
    if (!size.ok()) return size.status();
    config.file_size_bytes =
        static_cast<std::uint32_t>(std::min<std::uint64_t>(*size, log::kMaxFileBytes));
    break;
  }
  Result<log::LogSet> set = log::scan(file_system, config);
  if (!set.ok()) return set.status();
  if (set->empty())
    return Status(Error::kFileNotFound, "no log of base name " + base_name + " in " + folder);
  report.generation_first = set->files.front().generation;
  report.generation_last = set->files.back().generation;
  const auto total = static_cast<std::uint64_t>(set->files.size());
  for (std::size_t index = 0; index < set->files.size(); ++index) {
    const log::LogFileEntry& entry = set->files[index];
    std::uint32_t required_end = 0;
    if (index + 1 < set->files.size()) {
      required_end = set->files[index + 1].header.previous_end_sector;
      if (required_end < log::kHeaderSectors || required_end > entry.header.file_sectors) {
        return Status(Error::kLogFileCorrupt, "generation " + std::to_string(entry.generation + 1) +
                                                  ": previous end sector out of range");
      }
    }
    Result<std::unique_ptr<io::File>> file = open_for_reading(file_system, entry.path);
    if (!file.ok()) return file.status();
    Result<SectorScan> scan = scan_sectors(**file, entry.header, required_end);
    if (!scan.ok()) return scan.status();
    ++report.files;
    report.blocks_checked += scan->checked + scan->bad;
    if (scan->bad != 0 && report.blocks_bad == 0) {
      report.first_bad_position = scan->first_bad;
      report.first_bad_error = Error::kLogReadVerifyFailure;
    }
    report.blocks_bad += scan->bad;
    if (progress) ESENT_RETURN_IF_ERROR(progress(index + 1, total));
  }
  if (report.blocks_bad != 0) {
    return Status(Error::kLogReadVerifyFailure,
                  folder + ": " + std::to_string(report.blocks_bad) +
                      " damaged sector(s), the first in generation " +
                      std::to_string(report.first_bad_position.generation) + " sector " +
                      std::to_string(report.first_bad_position.sector));
  }
  return Status::success();
}

}  // namespace esent::engine
