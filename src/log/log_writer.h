// The log writer: appends records to the log stream, makes them durable with group commit, and
// rolls the log from one generation's file to the next.
//
// State machine of the writer:
//
//   create()/resume() ──► kOpen ──(a write or fsync fails)──► kFailed (every call then returns
//          │                 │                                 kLogWriteFail / kLogDiskFull,
//          │                 │                                 with the cause in the detail)
//          │                 └─(preparing the next log file hits kDiskFull: a reserve log is
//          │                    renamed into place)──► kDiskFullMode (only essential records)
//
// Buffer: `buffer_bytes / 512` sector slots. Appends copy into the open slot (the sector being
// filled) under `state_mutex_`; a full slot is closed and the next one opened. A flush seals
// the open slot (the stream continues in the next sector: a sector that may hold durable bytes
// is never rewritten), writes every closed slot with one write call per generation, fsyncs,
// and only then moves durable_end() forward. The flusher runs in the thread of a flush_to()
// caller (or of an appender that found the buffer full); the others wait on a condition
// variable and share its fsync (group commit). Appenders are blocked by a flush in progress
// only when the buffer is full. Appends are serialized by `append_mutex_`, so a record larger
// than the buffer is copied in whole, in order, while it is written through in pieces.
//
// Rolling (in the flusher, when the stream reaches sector file_sectors, or on roll()):
//   1. the next file is ready as edbtmp.log (full size: zero-filled, or a recycled old log);
//   2. write the new header (generation + 1, previous creation time, checkpoint, previous end
//      sector) into edbtmp.log and fsync it;
//   3. rename edb.log → its archived name; fsync the directory;
//   4. rename edbtmp.log → edb.log; fsync the directory;
//   5. prepare the next edbtmp.log once the flush that rolled is over, in the same thread but
//      outside the flusher role, so commits go on meanwhile (a recycled log under circular
//      logging when one is available, else a new zero-filled file). If that hits kDiskFull a
//      reserve log edbresNNNNN.jrs is renamed to edbtmp.log and disk-full mode begins; with no
//      reserve left the next roll fails with kLogDiskFull.
// A crash after step 3 leaves no edb.log; the reader accepts that and resume() continues at
// step 4 of a fresh roll. edbtmp.log is never read as part of the sequence.
//
// Thread-safety: every public member may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "io/file_system.h"
#include "log/lgpos.h"
#include "log/log_config.h"
#include "log/log_format.h"
#include "log/log_reader.h"
#include "util/status.h"

namespace esent::log {

struct Appended {
  Lgpos start;  // the record's first byte
  Lgpos end;    // just after its last byte; flush_to(end) makes it durable
};

// What delete_generations() did.
struct TruncateResult {
  std::uint32_t deleted = 0;  // files removed
  std::uint32_t missing = 0;  // generations in the range with no file (skipped)
};

struct LogStatistics {
  std::uint64_t records = 0;
  std::uint64_t bytes_appended = 0;  // payload and framing
  std::uint64_t writes = 0;          // write calls on log files (data, headers, zero-fill)
  std::uint64_t syncs = 0;           // fsyncs of log files (not of the directory)
  std::uint64_t files_created = 0;   // log, temporary and reserve files created
  std::uint64_t rolls = 0;
};

class LogWriter {
 public:
  // Starts a new sequence at generation 1 with a new signature, in config.directory (created
  // when missing). A log already there (edb.log or an archived generation) →
  // kFileAlreadyExists. Creates the reserve logs, edb.log and the next edbtmp.log.
  static Result<std::unique_ptr<LogWriter>> create(io::FileSystem& file_system,
                                                   const LogConfig& config, Lgpos checkpoint);
  // Continues the sequence after recovery: appends after the last valid sector of the last
  // generation (`end`, from LogReader::end()), or in a new generation when that file is full
  // or was already archived (a crash in the middle of a roll; the roll is finished here). The
  // first sector written is marked as a restart, so a record the crash left incomplete is
  // abandoned. Recreates missing reserve logs and a fresh edbtmp.log.
  static Result<std::unique_ptr<LogWriter>> resume(io::FileSystem& file_system,
                                                   const LogConfig& config, const ReadEnd& end);

  // Does not flush: what was not made durable is lost, exactly as in a crash. No other call
  // may be in progress.
  ~LogWriter();
  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;

  // Appends one record (type is opaque here). In disk-full mode (which lasts for the writer's
  // life) a record not `essential` → kLogDiskFull. A record may be larger than the buffer and
  // span files. No heap allocation: the record is copied into the buffer.
  Result<Appended> append(std::uint8_t type, std::span<const std::byte> payload,
                          bool essential = false);

  // Returns once everything up to `end` is durable (written and fsynced), sharing the fsync
  // with concurrent callers.
  Status flush_to(Lgpos end);
  Status flush();

  // Starts a new generation now (JET_bitForceNewLog): everything appended before is durable
  // and archived, and the next record goes to the new edb.log.
  Status roll();

  // The checkpoint recorded in the header of the next generation created.
  void set_checkpoint(Lgpos checkpoint);

  // Deletes the archived logs older than `generation` (never the current one). Under circular
  // logging the newest of them is kept instead, as the file the next roll recycles.
  Status remove_generations_below(std::uint32_t generation);

  // Backup truncation: deletes the archived logs of generations [low, end) in ascending order
  // (never the current generation or above). A generation with no file is skipped and counted;
  // any other failure stops at that file and is returned (the files deleted so far stay deleted,
  // the set stays contiguous). The directory is synced before returning.
  Status delete_generations(std::uint32_t low, std::uint32_t end, TruncateResult* result);

  Lgpos end() const { return Lgpos::unpack(end_packed_.load(std::memory_order_acquire)); }
  Lgpos durable_end() const {
    return Lgpos::unpack(durable_packed_.load(std::memory_order_acquire));
  }
  std::uint32_t current_generation() const;
  std::uint32_t oldest_generation() const;
  bool disk_full_mode() const { return disk_full_mode_.load(std::memory_order_acquire); }
  // Whether the writer failed for good (cheap; the cause is what every call now returns).
  bool failed() const { return failed_flag_.load(std::memory_order_acquire); }
  const Signature& signature() const { return signature_; }
  LogStatistics statistics() const;

 private:
  struct SlotInfo {
    std::uint32_t generation = 0;
    std::uint16_t sector = 0;
    std::uint16_t data_bytes = 0;
    std::uint16_t flags = 0;
  };

  LogWriter(io::FileSystem& file_system, const LogConfig& config);

  std::string path(const std::string& name) const;
  // Under state_mutex_: opens a new slot at next_sector_ (the buffer must have room).
  void open_slot_locked();
  // Under state_mutex_: copies `data` into the stream, flushing when the buffer is full.
  // `first` (optional) receives the position of the first byte.
  Status copy_locked(std::unique_lock<std::mutex>& lock, std::span<const std::byte> data,
                     Lgpos* first);
  // Under state_mutex_ (held by `lock`): makes everything appended so far durable up to at
  // least `target`, as the flusher or by waiting for one.
  Status flush_locked(std::unique_lock<std::mutex>& lock, Lgpos target);
  // The flusher's I/O, without the lock: writes slots [0, count), rolls as needed.
  Status write_slots(std::size_t count, std::uint32_t roll_to_generation);
  Status write_run(std::size_t first, std::size_t count);
  Status sync_file(io::File& file);
  Status roll_to(std::uint32_t generation);
  // Under state_mutex_ (released meanwhile): prepares the next edbtmp.log if a roll asked for
  // it. A failure fails the writer.
  void prepare_deferred(std::unique_lock<std::mutex>& lock);
  Status prepare_next_file();
  Status create_zero_file(const std::string& name);
  Status ensure_reserves();
  // Under state_mutex_: the writer is failed for good with `cause`; returns the sticky status.
  Status fail_locked(const Status& cause);
  Status sync_directory();

  io::FileSystem& file_system_;
  const LogConfig config_;
  const std::uint32_t file_sectors_;
  const std::size_t capacity_slots_;
  Signature signature_;

  // Serializes appenders (and roll()) so that records are copied in whole and in order.
  std::mutex append_mutex_;

  // Guards everything down to `failed_`.
  mutable std::mutex state_mutex_;
  std::condition_variable state_changed_;
  std::vector<std::byte> buffer_;     // capacity_slots_ × 512
  std::vector<SlotInfo> slots_;       // capacity_slots_
  std::size_t used_slots_ = 0;        // slots [0, used) hold appended data
  bool slot_open_ = false;            // slot used-1 still accepts data
  std::size_t flushing_slots_ = 0;    // slots [0, this) belong to the flusher in progress
  bool flushing_ = false;
  Lgpos next_sector_;                 // (generation, sector) of the next slot opened
  bool restart_pending_ = false;      // the next slot opened carries kSectorFlagRestart
  Lgpos end_;
  Lgpos durable_;
  Status failed_;

  std::atomic<std::uint64_t> end_packed_{0};
  std::atomic<std::uint64_t> durable_packed_{0};
  std::atomic<bool> disk_full_mode_{false};
  std::atomic<bool> failed_flag_{false};
  std::atomic<std::uint64_t> checkpoint_packed_{0};
  struct Counters {
    std::atomic<std::uint64_t> records{0}, bytes_appended{0}, writes{0}, syncs{0},
        files_created{0}, rolls{0};
  };
  Counters counters_;

  // Owned by the flusher (flushing_ set), or by the constructor functions.
  std::unique_ptr<io::File> file_;      // edb.log, generation file_generation_
  std::uint32_t file_generation_ = 0;
  bool file_archived_ = false;          // the current generation is already archived (resume)
  LogTime file_created_;
  std::uint32_t file_end_sector_ = kHeaderSectors;  // after the last sector written
  // Guards edbtmp.log and temporary_ready_ (a roll, the deferred preparation of the next file).
  std::mutex temporary_mutex_;
  bool temporary_ready_ = false;        // edbtmp.log is prepared
  std::atomic<bool> prepare_pending_{false};  // a roll used edbtmp.log; make the next one

  // Guards the archived-generation bookkeeping shared with remove_generations_below().
  mutable std::mutex files_mutex_;
  std::deque<std::uint32_t> archived_;  // ascending
  std::uint32_t recyclable_generation_ = 0;  // circular: an archived log the next prepare reuses
  std::atomic<std::uint32_t> current_generation_{0};
};

}  // namespace esent::log
