// The log writer. Design and state machine: log_writer.h; on-disk format: log_format.h and
// docs/format/log.md.
//
// Ownership of state, the invariant every member function relies on:
// - `state_mutex_` guards the buffer bookkeeping (used_slots_, slot_open_, slots_, next_sector_,
//   end_, durable_, failed_, flushing_). Appenders copy into slots >= flushing_slots_ only.
// - While `flushing_` is true, exactly one thread (the flusher) owns slots [0, flushing_slots_)
//   and the file state (file_, file_generation_, file_end_sector_, ...) and uses them without
//   the lock.
// - `temporary_mutex_` guards edbtmp.log and temporary_ready_: a roll uses the prepared file
//   under it, and the next one is prepared under it after the flush that rolled has finished
//   (prepare_deferred), outside `state_mutex_` and the flusher role. The constructor functions own everything before the writer is
//   shared.
// - Every write of log data is followed by an fsync of that file before the next write call
//   to it, so at most one unsynced write per file exists at any time: a crash keeps a prefix
//   of the stream (a torn write keeps a prefix of its sectors).
#include "log/log_writer.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace esent::log {
namespace {

constexpr std::size_t kZeroChunkBytes = 64 * 1024;

Lgpos next_sector_after(Lgpos position, std::uint32_t file_sectors) {
  const std::uint32_t sector = std::uint32_t{position.sector} + 1;
  if (sector >= file_sectors) return Lgpos{position.generation + 1, kHeaderSectors, 0};
  return Lgpos{position.generation, static_cast<std::uint16_t>(sector), 0};
}

}  // namespace

LogWriter::LogWriter(io::FileSystem& file_system, const LogConfig& config)
    : file_system_(file_system),
      config_(config),
      file_sectors_(config.file_size_bytes / kSectorBytes),
      capacity_slots_(config.buffer_bytes / kSectorBytes),
      buffer_(capacity_slots_ * kSectorBytes),
      slots_(capacity_slots_) {}

LogWriter::~LogWriter() = default;

std::string LogWriter::path(const std::string& name) const {
  return join_log_path(config_.directory, name);
}

Status LogWriter::sync_directory() { return file_system_.sync_directory(config_.directory); }

Status LogWriter::sync_file(io::File& file) {
  if (config_.skip_sync_for_testing) return Status::success();
  counters_.syncs.fetch_add(1, std::memory_order_relaxed);
  return file.sync();
}

Status LogWriter::create_zero_file(const std::string& name) {
  const std::string file_path = path(name);
  io::OpenOptions options;
  options.write = true;
  options.create = true;
  options.truncate = true;
  auto opened = file_system_.open_file(file_path, options);
  if (!opened.ok()) return opened.status();
  counters_.files_created.fetch_add(1, std::memory_order_relaxed);
  static const std::array<std::byte, kZeroChunkBytes> zeros{};
  for (std::uint64_t offset = 0; offset < config_.file_size_bytes; offset += kZeroChunkBytes) {
    const std::size_t bytes = static_cast<std::size_t>(
        std::min<std::uint64_t>(kZeroChunkBytes, config_.file_size_bytes - offset));
    counters_.writes.fetch_add(1, std::memory_order_relaxed);
    ESENT_RETURN_IF_ERROR((*opened)->write_at(offset, std::span(zeros.data(), bytes)));
  }
  ESENT_RETURN_IF_ERROR(sync_file(**opened));
  opened->reset();
  return sync_directory();
}

Status LogWriter::ensure_reserves() {
  for (std::uint32_t index = 1; index <= kReserveLogCount; ++index) {
    const std::string name = reserve_log_name(config_.naming, index);
    auto exists = file_system_.file_exists(path(name));
    if (!exists.ok()) return exists.status();
    if (*exists) continue;
    Status created = create_zero_file(name);
    if (!created.ok()) {
      (void)file_system_.remove_file(path(name));
      return created;
    }
  }
  return Status::success();
}

Status LogWriter::prepare_next_file() {
  const std::string temporary = temporary_log_name(config_.naming);
  std::uint32_t recycled = 0;
  {
    std::lock_guard guard(files_mutex_);
    if (config_.circular && recyclable_generation_ != 0) {
      recycled = recyclable_generation_;
      recyclable_generation_ = 0;
      archived_.erase(std::remove(archived_.begin(), archived_.end(), recycled),
                      archived_.end());
    }
  }
  if (recycled != 0) {
    // The old sectors stay: they carry the old generation, so they never verify as data of
    // the generation this file becomes.
    ESENT_RETURN_IF_ERROR(
        file_system_.rename(path(archived_log_name(config_.naming, recycled)), path(temporary)));
    ESENT_RETURN_IF_ERROR(sync_directory());
    temporary_ready_ = true;
    return Status::success();
  }
  Status created = create_zero_file(temporary);
  if (created.ok()) {
    temporary_ready_ = true;
    return Status::success();
  }
  if (created.error() != Error::kDiskFull) return created;
  // Out of space: a reserve log becomes the next log and only essential records go in.
  (void)file_system_.remove_file(path(temporary));
  disk_full_mode_.store(true, std::memory_order_release);
  for (std::uint32_t index = 1; index <= kReserveLogCount; ++index) {
    const std::string reserve = path(reserve_log_name(config_.naming, index));
    auto exists = file_system_.file_exists(reserve);
    if (!exists.ok()) return exists.status();
    if (!*exists) continue;
    ESENT_RETURN_IF_ERROR(file_system_.rename(reserve, path(temporary)));
    ESENT_RETURN_IF_ERROR(sync_directory());
    temporary_ready_ = true;
    return Status::success();
  }
  return Status::success();  // no reserve left: the next roll fails with kLogDiskFull
}

Status LogWriter::roll_to(std::uint32_t generation) {
  std::unique_lock temporary_guard(temporary_mutex_);
  if (!temporary_ready_) ESENT_RETURN_IF_ERROR(prepare_next_file());
  if (!temporary_ready_) {
    return Status(Error::kDiskFull, "no space for the next log file and no reserve log left");
  }
  const std::string temporary = path(temporary_log_name(config_.naming));
  const std::string current = path(current_log_name(config_.naming));

  LogHeader header;
  header.generation = generation;
  header.file_sectors = file_sectors_;
  header.created = LogTime::now();
  if (file_generation_ != 0) header.previous_created = file_created_;
  header.signature = signature_;
  header.checkpoint = Lgpos::unpack(checkpoint_packed_.load(std::memory_order_acquire));
  header.flags = config_.circular ? kHeaderFlagCircular : 0;
  header.page_size_bytes = config_.page_size_bytes;
  header.previous_end_sector = file_generation_ != 0 ? file_end_sector_ : 0;
  std::array<std::byte, kHeaderBytes> bytes{};
  encode_header(header, bytes);
  {
    io::OpenOptions options;
    options.write = true;
    auto opened = file_system_.open_file(temporary, options);
    if (!opened.ok()) return opened.status();
    counters_.writes.fetch_add(1, std::memory_order_relaxed);
    ESENT_RETURN_IF_ERROR((*opened)->write_at(0, bytes));
    ESENT_RETURN_IF_ERROR(sync_file(**opened));
  }
  if (file_generation_ != 0 && !file_archived_) {
    file_.reset();
    ESENT_RETURN_IF_ERROR(
        file_system_.rename(current, path(archived_log_name(config_.naming, file_generation_))));
    ESENT_RETURN_IF_ERROR(sync_directory());
    std::lock_guard guard(files_mutex_);
    archived_.push_back(file_generation_);
  }
  ESENT_RETURN_IF_ERROR(file_system_.rename(temporary, current));
  ESENT_RETURN_IF_ERROR(sync_directory());
  temporary_ready_ = false;
  {
    io::OpenOptions options;
    options.write = true;
    auto opened = file_system_.open_file(current, options);
    if (!opened.ok()) return opened.status();
    file_ = std::move(*opened);
  }
  if (file_generation_ != 0) counters_.rolls.fetch_add(1, std::memory_order_relaxed);
  file_generation_ = generation;
  file_created_ = header.created;
  file_end_sector_ = kHeaderSectors;
  file_archived_ = false;
  current_generation_.store(generation, std::memory_order_release);
  // The next edbtmp.log is made once this flush is over (prepare_deferred), so the appenders
  // and committers waiting for it do not also wait for a file's worth of zeros.
  prepare_pending_.store(true, std::memory_order_release);
  return Status::success();
}

void LogWriter::prepare_deferred(std::unique_lock<std::mutex>& lock) {
  if (!prepare_pending_.exchange(false, std::memory_order_acq_rel)) return;
  lock.unlock();
  Status status;
  {
    std::lock_guard temporary_guard(temporary_mutex_);
    if (!temporary_ready_) status = prepare_next_file();
  }
  lock.lock();
  if (!status.ok() && failed_.ok()) (void)fail_locked(status);
}

Status LogWriter::write_run(std::size_t first, std::size_t count) {
  for (std::size_t i = first; i < first + count; ++i) {
    const SlotInfo& slot = slots_[i];
    seal_sector(std::span(buffer_.data() + i * kSectorBytes, kSectorBytes), slot.generation,
                slot.sector, slot.data_bytes, slot.flags);
  }
  const std::uint32_t sector = slots_[first].sector;
  counters_.writes.fetch_add(1, std::memory_order_relaxed);
  ESENT_RETURN_IF_ERROR(file_->write_at(
      std::uint64_t{sector} * kSectorBytes,
      std::span<const std::byte>(buffer_.data() + first * kSectorBytes, count * kSectorBytes)));
  ESENT_RETURN_IF_ERROR(sync_file(*file_));
  file_end_sector_ = sector + static_cast<std::uint32_t>(count);
  return Status::success();
}

Status LogWriter::write_slots(std::size_t count, std::uint32_t roll_to_generation) {
  std::size_t index = 0;
  while (index < count) {
    const std::uint32_t generation = slots_[index].generation;
    while (file_generation_ < generation) ESENT_RETURN_IF_ERROR(roll_to(file_generation_ + 1));
    std::size_t run_end = index;
    while (run_end < count && slots_[run_end].generation == generation) ++run_end;
    ESENT_RETURN_IF_ERROR(write_run(index, run_end - index));
    index = run_end;
  }
  while (file_generation_ < roll_to_generation) {
    ESENT_RETURN_IF_ERROR(roll_to(file_generation_ + 1));
  }
  return Status::success();
}

Status LogWriter::fail_locked(const Status& cause) {
  if (failed_.ok()) {
    const Error error =
        cause.error() == Error::kDiskFull ? Error::kLogDiskFull : Error::kLogWriteFail;
    failed_ = Status(error, "log writer failed: " + cause.to_string());
    failed_flag_.store(true, std::memory_order_release);
  }
  state_changed_.notify_all();
  return failed_;
}

void LogWriter::open_slot_locked() {
  SlotInfo& slot = slots_[used_slots_];
  slot.generation = next_sector_.generation;
  slot.sector = next_sector_.sector;
  slot.data_bytes = 0;
  slot.flags = restart_pending_ ? kSectorFlagRestart : 0;
  restart_pending_ = false;
  ++used_slots_;
  slot_open_ = true;
  next_sector_ = next_sector_after(next_sector_, file_sectors_);
}

Status LogWriter::flush_locked(std::unique_lock<std::mutex>& lock, Lgpos target) {
  while (true) {
    if (!failed_.ok()) return failed_;
    if (target > end_) target = end_;
    if (target <= durable_) return Status::success();
    if (flushing_) {
      state_changed_.wait(lock);
      continue;
    }
    // Become the flusher of everything appended so far.
    flushing_ = true;
    slot_open_ = false;  // the stream continues in the next sector
    const std::size_t count = used_slots_;
    flushing_slots_ = count;
    const Lgpos new_durable = end_;
    lock.unlock();
    Status status = write_slots(count, 0);
    lock.lock();
    flushing_ = false;
    flushing_slots_ = 0;
    if (!status.ok()) return fail_locked(status);
    const std::size_t remaining = used_slots_ - count;
    if (remaining != 0) {
      std::memmove(buffer_.data(), buffer_.data() + count * kSectorBytes,
                   remaining * kSectorBytes);
      std::copy(slots_.begin() + static_cast<std::ptrdiff_t>(count),
                slots_.begin() + static_cast<std::ptrdiff_t>(used_slots_), slots_.begin());
    }
    used_slots_ = remaining;
    durable_ = new_durable;
    durable_packed_.store(durable_.packed(), std::memory_order_release);
    state_changed_.notify_all();
    prepare_deferred(lock);
  }
}

Status LogWriter::copy_locked(std::unique_lock<std::mutex>& lock,
                              std::span<const std::byte> data, Lgpos* first) {
  std::size_t done = 0;
  while (done < data.size()) {
    if (!slot_open_ || slots_[used_slots_ - 1].data_bytes == kSectorDataBytes) {
      slot_open_ = false;
      while (used_slots_ == capacity_slots_) {
        ESENT_RETURN_IF_ERROR(flush_locked(lock, end_));
      }
      open_slot_locked();
    }
    SlotInfo& slot = slots_[used_slots_ - 1];
    if (first != nullptr && done == 0) {
      *first = Lgpos{slot.generation, slot.sector,
                     static_cast<std::uint16_t>(kSectorHeaderBytes + slot.data_bytes)};
    }
    const std::size_t bytes = std::min(data.size() - done, kSectorDataBytes - slot.data_bytes);
    std::memcpy(buffer_.data() + (used_slots_ - 1) * kSectorBytes + kSectorHeaderBytes +
                    slot.data_bytes,
                data.data() + done, bytes);
    slot.data_bytes = static_cast<std::uint16_t>(slot.data_bytes + bytes);
    done += bytes;
    end_ = Lgpos{slot.generation, slot.sector,
                 static_cast<std::uint16_t>(kSectorHeaderBytes + slot.data_bytes)};
  }
  return Status::success();
}

Result<Appended> LogWriter::append(std::uint8_t type, std::span<const std::byte> payload,
                                   bool essential) {
  if (payload.size() > kMaxRecordPayloadBytes) {
    return Status(Error::kInvalidParameter, "log record too large");
  }
  std::lock_guard append_guard(append_mutex_);
  std::unique_lock lock(state_mutex_);
  if (!failed_.ok()) return failed_;
  if (!essential && disk_full_mode_.load(std::memory_order_acquire)) {
    return Status(Error::kLogDiskFull, "log disk full: only essential records are accepted");
  }
  std::array<std::byte, kRecordHeaderBytes> header{};
  store_u32(header.data(), static_cast<std::uint32_t>(payload.size()));
  header[4] = static_cast<std::byte>(type);
  Appended appended;
  ESENT_RETURN_IF_ERROR(copy_locked(lock, header, &appended.start));
  ESENT_RETURN_IF_ERROR(copy_locked(lock, payload, nullptr));
  appended.end = end_;
  end_packed_.store(end_.packed(), std::memory_order_release);
  counters_.records.fetch_add(1, std::memory_order_relaxed);
  counters_.bytes_appended.fetch_add(kRecordHeaderBytes + payload.size(),
                                     std::memory_order_relaxed);
  return appended;
}

Status LogWriter::flush_to(Lgpos end) {
  std::unique_lock lock(state_mutex_);
  return flush_locked(lock, end);
}

Status LogWriter::flush() {
  std::unique_lock lock(state_mutex_);
  return flush_locked(lock, end_);
}

Status LogWriter::roll() {
  std::unique_lock append_guard(append_mutex_);
  std::unique_lock lock(state_mutex_);
  ESENT_RETURN_IF_ERROR(flush_locked(lock, end_));
  // No appender can run and everything is durable, so no flusher is in progress and the file
  // state is quiescent.
  while (flushing_) state_changed_.wait(lock);
  if (!failed_.ok()) return failed_;
  std::uint32_t target = next_sector_.generation + 1;
  if (next_sector_.sector == kHeaderSectors && next_sector_.generation > file_generation_) {
    target = next_sector_.generation;  // the file filled up exactly: its successor is new
  }
  next_sector_ = Lgpos{target, kHeaderSectors, 0};
  slot_open_ = false;
  flushing_ = true;
  lock.unlock();
  Status status = write_slots(0, target);
  lock.lock();
  flushing_ = false;
  if (!status.ok()) return fail_locked(status);
  state_changed_.notify_all();
  append_guard.unlock();  // appenders go on in the new generation meanwhile
  prepare_deferred(lock);
  return failed_;
}

void LogWriter::set_checkpoint(Lgpos checkpoint) {
  checkpoint_packed_.store(checkpoint.packed(), std::memory_order_release);
}

Status LogWriter::remove_generations_below(std::uint32_t generation) {
  std::lock_guard guard(files_mutex_);
  const std::uint32_t limit =
      std::min(generation, current_generation_.load(std::memory_order_acquire));
  std::vector<std::uint32_t> obsolete;
  for (std::uint32_t archived : archived_) {
    if (archived < limit) obsolete.push_back(archived);
  }
  if (recyclable_generation_ != 0 && recyclable_generation_ < limit) {
    // Still in archived_, so among `obsolete`: the newest obsolete log is chosen again below.
    recyclable_generation_ = 0;
  }
  if (obsolete.empty()) return Status::success();
  if (config_.circular && recyclable_generation_ == 0) {
    recyclable_generation_ = obsolete.back();  // the newest: the set stays contiguous
    obsolete.pop_back();
  }
  for (std::uint32_t old : obsolete) {
    ESENT_RETURN_IF_ERROR(file_system_.remove_file(path(archived_log_name(config_.naming, old))));
    archived_.erase(std::remove(archived_.begin(), archived_.end(), old), archived_.end());
  }
  return sync_directory();
}

Status LogWriter::delete_generations(std::uint32_t low, std::uint32_t end,
                                     TruncateResult* result) {
  std::lock_guard guard(files_mutex_);
  const std::uint32_t limit = std::min(end, current_generation_.load(std::memory_order_acquire));
  Status status;
  for (std::uint32_t generation = low; generation < limit; ++generation) {
    Status removed = file_system_.remove_file(path(archived_log_name(config_.naming, generation)));
    if (removed.error() == Error::kFileNotFound) {
      ++result->missing;
    } else if (!removed.ok()) {
      status = removed;
      break;
    } else {
      ++result->deleted;
    }
    archived_.erase(std::remove(archived_.begin(), archived_.end(), generation), archived_.end());
    if (recyclable_generation_ == generation) recyclable_generation_ = 0;
  }
  if (result->deleted == 0) return status;
  Status synced = sync_directory();
  return status.ok() ? synced : status;
}

std::uint32_t LogWriter::current_generation() const {
  return current_generation_.load(std::memory_order_acquire);
}

std::uint32_t LogWriter::oldest_generation() const {
  std::lock_guard guard(files_mutex_);
  if (!archived_.empty()) return archived_.front();
  return current_generation_.load(std::memory_order_acquire);
}

LogStatistics LogWriter::statistics() const {
  LogStatistics statistics;
  statistics.records = counters_.records.load(std::memory_order_relaxed);
  statistics.bytes_appended = counters_.bytes_appended.load(std::memory_order_relaxed);
  statistics.writes = counters_.writes.load(std::memory_order_relaxed);
  statistics.syncs = counters_.syncs.load(std::memory_order_relaxed);
  statistics.files_created = counters_.files_created.load(std::memory_order_relaxed);
  statistics.rolls = counters_.rolls.load(std::memory_order_relaxed);
  return statistics;
}

Result<std::unique_ptr<LogWriter>> LogWriter::create(io::FileSystem& file_system,
                                                     const LogConfig& config, Lgpos checkpoint) {
  ESENT_RETURN_IF_ERROR(validate_config(config));
  ESENT_RETURN_IF_ERROR(file_system.create_directories(config.directory));
  auto names = file_system.list_directory(config.directory);
  if (!names.ok()) return names.status();
  for (const std::string& name : *names) {
    auto generation = parse_archived_generation(config.naming, name);
    if (name == current_log_name(config.naming) || !generation.ok() || generation->has_value()) {
      return Status(Error::kFileAlreadyExists, "a log sequence exists: " + name);
    }
  }
  std::unique_ptr<LogWriter> writer(new LogWriter(file_system, config));
  writer->signature_ = Signature::generate();
  writer->checkpoint_packed_.store(checkpoint.packed());
  ESENT_RETURN_IF_ERROR(writer->ensure_reserves());
  ESENT_RETURN_IF_ERROR(writer->roll_to(1));
  writer->prepare_pending_.store(false);
  ESENT_RETURN_IF_ERROR(writer->prepare_next_file());
  writer->next_sector_ = Lgpos{1, kHeaderSectors, 0};
  writer->end_ = writer->durable_ =
      Lgpos{1, kHeaderSectors, static_cast<std::uint16_t>(kSectorHeaderBytes)};
  writer->end_packed_.store(writer->end_.packed());
  writer->durable_packed_.store(writer->durable_.packed());
  return writer;
}

Result<std::unique_ptr<LogWriter>> LogWriter::resume(io::FileSystem& file_system,
                                                     const LogConfig& config,
                                                     const ReadEnd& end) {
  ESENT_RETURN_IF_ERROR(validate_config(config));
  const LogHeader& header = end.file.header;
  if (header.file_size_bytes() != config.file_size_bytes) {
    return Status(Error::kLogFileSizeMismatch, "log file size differs from the configuration");
  }
  if (end.file.generation == 0 || end.next_sector < kHeaderSectors ||
      end.next_sector > header.file_sectors) {
    return Status(Error::kInvalidParameter, "resume: not the end of a log");
  }
  std::unique_ptr<LogWriter> writer(new LogWriter(file_system, config));
  writer->signature_ = header.signature;
  writer->checkpoint_packed_.store(header.checkpoint.packed());
  auto names = file_system.list_directory(config.directory);
  if (!names.ok()) return names.status();
  for (const std::string& name : *names) {
    auto generation = parse_archived_generation(config.naming, name);
    if (!generation.ok()) return generation.status();
    if (generation->has_value() && **generation <= end.file.generation) {
      writer->archived_.push_back(**generation);
    }
  }
  std::sort(writer->archived_.begin(), writer->archived_.end());
  writer->file_generation_ = end.file.generation;
  writer->file_created_ = header.created;
  writer->file_end_sector_ = end.next_sector;
  writer->file_archived_ = !end.file.current;
  writer->current_generation_.store(end.file.generation);
  ESENT_RETURN_IF_ERROR(writer->ensure_reserves());
  ESENT_RETURN_IF_ERROR(writer->prepare_next_file());  // a stale edbtmp.log is rebuilt
  if (end.file.current && end.next_sector < header.file_sectors) {
    io::OpenOptions options;
    options.write = true;
    auto opened = file_system.open_file(end.file.path, options);
    if (!opened.ok()) return opened.status();
    writer->file_ = std::move(*opened);
    writer->next_sector_ =
        Lgpos{end.file.generation, static_cast<std::uint16_t>(end.next_sector), 0};
  } else {
    // The file is full, or a crash interrupted a roll after archiving it: finish the roll.
    ESENT_RETURN_IF_ERROR(writer->roll_to(end.file.generation + 1));
    writer->prepare_pending_.store(false);
    ESENT_RETURN_IF_ERROR(writer->prepare_next_file());
    writer->next_sector_ = Lgpos{end.file.generation + 1, kHeaderSectors, 0};
  }
  writer->restart_pending_ = true;
  writer->end_ = writer->durable_ = end.end;
  writer->end_packed_.store(end.end.packed());
  writer->durable_packed_.store(end.end.packed());
  return writer;
}

}  // namespace esent::log
