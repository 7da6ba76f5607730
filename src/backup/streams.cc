#include "backup/streams.h"

#include <algorithm>
#include <thread>
#include <utility>

#include "cache/database_file.h"
#include "log/log_format.h"
#include "page/page.h"

namespace esent::backup {

DatabaseStream::DatabaseStream(std::shared_ptr<catalog::Database> database, std::uint32_t dbid,
                               const ImageMark& mark, ReadPolicy policy,
                               std::function<std::uint32_t()> current_generation)
    : database_(std::move(database)),
      dbid_(dbid),
      mark_(mark),
      policy_(policy),
      current_generation_(std::move(current_generation)),
      path_(database_->file().path()) {
  cache::DatabaseFile& file = database_->file();
  page_size_ = file.page_size();
  pages_ = file.size_pages();
  header_ = file.header();
  // The copy describes the image: its size, and this backup (an image with bkinfoFullCur set is
  // a backup copy; it cannot be attached before a restore).
  header_.size_pages = pages_;
  header_.backup_full_current = page::BackupInfo{mark_.mark, mark_.mark_time,
                                                 mark_.generation_low, 0,
                                                 page::BackupType::kStreaming};
}

Result<std::size_t> DatabaseStream::read(std::span<std::byte> out) {
  const std::uint32_t capacity = static_cast<std::uint32_t>(out.size() / page_size_);
  std::uint32_t filled = 0;
  while (filled < capacity && next_page_ <= pages_) {
    std::span<std::byte> target = out.subspan(std::size_t{filled} * page_size_);
    if (next_page_ < 2) {
      page::encode_database_header(header_, target.first(page_size_), next_page_);
      ++next_page_;
      ++filled;
    } else if (next_page_ < pages_) {
      const std::uint32_t count =
          std::min({capacity - filled, pages_ - next_page_, policy_.pages_per_lock});
      ESENT_RETURN_IF_ERROR(
          read_pages(next_page_, count, target.first(std::size_t{count} * page_size_)));
      next_page_ += count;
      filled += count;
    } else {
      Trailer trailer;
      trailer.database_pages = pages_;
      trailer.dbid = dbid_;
      trailer.generation_low = mark_.generation_low;
      trailer.generation_high = std::max(current_generation_(), header_.generation_committed);
      trailer.mark = mark_.mark;
      trailer.mark_time = mark_.mark_time;
      trailer.log_signature = mark_.log_signature;
      trailer.database_signature = header_.signature;
      trailer.replay_start = mark_.replay_start;
      trailer.path = path_;
      encode_trailer(trailer, target.first(page_size_));
      ++next_page_;
      ++filled;
    }
  }
  return std::size_t{filled} * page_size_;
}

Status DatabaseStream::read_pages(page::Pgno first, std::uint32_t count,
                                  std::span<std::byte> out) {
  Status status;
  for (std::uint32_t attempt = 0;; ++attempt) {
    page::Pgno failed = 0;
    status = database_->file().read_for_backup(first, count, out, &failed);
    if (status.ok()) return status;
    const bool verify_failure = status.error() == Error::kReadVerifyFailure ||
                                status.error() == Error::kReadPgnoVerifyFailure;
    if (!verify_failure) return status;
    failed_page_ = failed;
    if (attempt >= policy_.read_retries) break;
    std::this_thread::sleep_for(policy_.retry_delay * (attempt + 1));
  }
  return status;
}

Result<std::unique_ptr<LogStream>> LogStream::open(io::FileSystem& file_system,
                                                   const std::string& path,
                                                   std::uint32_t generation,
                                                   const log::Signature& signature,
                                                   const std::vector<std::string>& next_paths) {
  Result<std::unique_ptr<io::File>> file = file_system.open_file(path, io::OpenOptions{});
  if (!file.ok()) {
    if (file.status().error() == Error::kFileNotFound) {
      return Status(Error::kMissingFileToBackup, path);
    }
    return file.status();
  }
  Result<std::uint64_t> size = (*file)->size();
  if (!size.ok()) return size.status();
  // Where this generation's data ends, when the next generation's header says so.
  std::uint32_t data_end_sector = 0;
  for (const std::string& next_path : next_paths) {
    Result<std::unique_ptr<io::File>> next = file_system.open_file(next_path, io::OpenOptions{});
    if (!next.ok()) continue;
    std::vector<std::byte> bytes(log::kHeaderBytes);
    Result<std::size_t> got = (*next)->read_at(0, bytes);
    if (!got.ok() || *got != bytes.size()) continue;
    Result<log::LogHeader> header = log::decode_header(bytes);
    if (header.ok() && header->generation == generation + 1) {
      data_end_sector = header->previous_end_sector;
      break;
    }
  }
  return std::unique_ptr<LogStream>(
      new LogStream(std::move(file).value(), *size, generation, signature, data_end_sector));
}

LogStream::LogStream(std::unique_ptr<io::File> file, std::uint64_t size_bytes,
                     std::uint32_t generation, const log::Signature& signature,
                     std::uint32_t data_end_sector)
    : file_(std::move(file)),
      size_bytes_(size_bytes),
      generation_(generation),
      signature_(signature),
      data_end_sector_(data_end_sector) {}

Result<std::size_t> LogStream::read(std::span<std::byte> out) {
  const std::uint64_t wanted = std::min<std::uint64_t>(out.size(), size_bytes_ - offset_);
  if (wanted == 0) return std::size_t{0};
  std::span<std::byte> target = out.first(static_cast<std::size_t>(wanted));
  Result<std::size_t> got = file_->read_at(offset_, target);
  if (!got.ok()) return got.status();
  if (*got != target.size()) {
    return Status(Error::kLogReadVerifyFailure, file_->path() + ": shorter than it was");
  }
  ESENT_RETURN_IF_ERROR(verify(target, offset_));
  offset_ += target.size();
  return target.size();
}

Status LogStream::verify(std::span<const std::byte> bytes, std::uint64_t offset) {
  std::uint64_t at = offset;
  std::size_t index = 0;
  // Reads start at 0 with at least two pages, so the header is always whole in the first one.
  if (at == 0) {
    if (bytes.size() < log::kHeaderBytes) {
      return Status(Error::kLogReadVerifyFailure, file_->path() + ": header cut");
    }
    Result<log::LogHeader> header = log::decode_header(bytes.first(log::kHeaderBytes));
    if (!header.ok() || header->generation != generation_ || header->signature != signature_) {
      return Status(Error::kLogReadVerifyFailure, file_->path() + ": header does not verify");
    }
    at = log::kHeaderBytes;
    index = log::kHeaderBytes;
  }
  for (; index + log::kSectorBytes <= bytes.size(); index += log::kSectorBytes, at += log::kSectorBytes) {
    const auto sector = static_cast<std::uint32_t>(at / log::kSectorBytes);
    const bool sound = log::verify_sector(bytes.subspan(index, log::kSectorBytes), generation_,
                                          static_cast<std::uint16_t>(sector), nullptr);
    const bool inside_data = data_end_sector_ != 0 && sector < data_end_sector_;
    if (sound) {
      if (data_ended_) {
        return Status(Error::kLogReadVerifyFailure,
                      file_->path() + ": a sector that does not verify before sector " +
                          std::to_string(sector));
      }
    } else if (inside_data) {
      return Status(Error::kLogReadVerifyFailure,
                    file_->path() + ": sector " + std::to_string(sector) + " does not verify");
    } else {
      data_ended_ = true;
    }
  }
  return Status::success();
}

}  // namespace esent::backup
