// The two kinds of file a streaming backup reads: a database image and an archived log.
//
// DatabaseStream (JetOpenFile on an attached database, then JetReadFile until 0 bytes):
//   image = page 0 and page 1: the header as last written, patched (bkinfoFullCur records this
//           backup, the size is the image's, copy 0 and copy 1 sealed for their own page numbers);
//           pages 2 .. n-1: read from disk through cache::DatabaseFile::read_for_backup (a short
//           range lock: writes of exactly those pages wait, nothing else), each verified;
//           page n: the trailer (backup/trailer.h), built when it is reached.
//   n is the database's size when the stream was opened; pages added later are not streamed
//   (restore replays their creation from the log). The stream holds nothing between two reads.
//   A page that fails verification is read again up to `read_retries` times (waiting
//   `retry_delay` × attempt in between); then the read fails with its error (kReadVerifyFailure,
//   kReadPgnoVerifyFailure) and `failed_page()` names it.
//
// LogStream (JetOpenFile on a listed log): the file's bytes exactly as they are on disk, verified
//   as they pass: the header (checksum, magic, generation, the log set's signature), then every
//   512-byte sector up to the end of the generation's data (known from the next generation's
//   header when it records it) must verify for this generation; after the data only sectors that
//   do not verify as this generation may follow (zero, or stale in a recycled file). Any
//   violation → kLogReadVerifyFailure.
//
// Neither class is thread-safe: the backup serializes the calls on its one open file.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "backup/trailer.h"
#include "catalog/database.h"
#include "io/file_system.h"
#include "log/lgpos.h"
#include "page/database_header.h"
#include "util/status.h"

namespace esent::backup {

// What a database image records about the backup it belongs to.
struct ImageMark {
  page::LogPosition mark;      // the log position at Begin
  page::LogTime mark_time;     // and its time
  std::uint32_t generation_low = 0;  // the backup's first log generation
  page::Signature log_signature;
  page::LogPosition replay_start;    // the checkpoint at Begin (in generation_low)
};

struct ReadPolicy {
  std::uint32_t read_retries = 3;
  std::chrono::milliseconds retry_delay{10};
  std::uint32_t pages_per_lock = 256;  // the longest run read under one range lock (1 MiB at 4 KiB)
};

class DatabaseStream {
 public:
  // `current_generation` is asked for when the trailer is built (the log generation restore must
  // reach at least). The database must stay attached while the stream lives.
  DatabaseStream(std::shared_ptr<catalog::Database> database, std::uint32_t dbid,
                 const ImageMark& mark, ReadPolicy policy,
                 std::function<std::uint32_t()> current_generation);

  std::uint32_t page_size() const { return page_size_; }
  std::uint64_t size_bytes() const { return std::uint64_t{pages_ + 1} * page_size_; }
  // Whether nothing has been read yet.
  bool at_start() const { return next_page_ == 0; }
  bool finished() const { return next_page_ > pages_; }
  // Fills `out` with the next whole pages (out.size() a multiple of the page size); 0 at the end.
  Result<std::size_t> read(std::span<std::byte> out);
  page::Pgno failed_page() const { return failed_page_; }
  const std::string& path() const { return path_; }

 private:
  Status read_pages(page::Pgno first, std::uint32_t count, std::span<std::byte> out);

  std::shared_ptr<catalog::Database> database_;
  const std::uint32_t dbid_;
  const ImageMark mark_;
  const ReadPolicy policy_;
  std::function<std::uint32_t()> current_generation_;
  const std::string path_;
  std::uint32_t page_size_;
  std::uint32_t pages_;          // n: the database's size at open
  page::DatabaseHeader header_;  // the patched copy
  page::Pgno next_page_ = 0;     // 0..n (n = the trailer)
  page::Pgno failed_page_ = 0;
};

class LogStream {
 public:
  // Opens archived log `path` of `generation` read-only. `next_paths` are where the next
  // generation may be (its archived name, edb.log): the first whose header is that generation's
  // tells where this one's data ends; none may exist.
  // Errors: kMissingFileToBackup when `path` does not exist; the file system's.
  static Result<std::unique_ptr<LogStream>> open(io::FileSystem& file_system,
                                                 const std::string& path,
                                                 std::uint32_t generation,
                                                 const log::Signature& signature,
                                                 const std::vector<std::string>& next_paths);

  std::uint64_t size_bytes() const { return size_bytes_; }
  bool at_start() const { return offset_ == 0; }
  bool finished() const { return offset_ >= size_bytes_; }
  std::uint32_t generation() const { return generation_; }
  // Fills `out` with the next bytes of the file (all of `out` unless the file ends), verifying
  // them; 0 at the end. kLogReadVerifyFailure on a damaged header or sector.
  Result<std::size_t> read(std::span<std::byte> out);

 private:
  LogStream(std::unique_ptr<io::File> file, std::uint64_t size_bytes, std::uint32_t generation,
            const log::Signature& signature, std::uint32_t data_end_sector);
  Status verify(std::span<const std::byte> bytes, std::uint64_t offset);

  std::unique_ptr<io::File> file_;
  const std::uint64_t size_bytes_;
  const std::uint32_t generation_;
  const log::Signature signature_;
  const std::uint32_t data_end_sector_;  // 0: unknown
  std::uint64_t offset_ = 0;
  bool data_ended_ = false;  // a sector that does not verify was met
};

}  // namespace esent::backup
