// Fuzz target: the log reader (log/log_reader.h) over a log folder built from the input, and
// the recovery decoders of the records it returns (engine/log_records.h, btree/page_ops.h).
//
// Input: u8 mode, then a file container (fuzz_util.h) whose files are written under /logs/.
//   mode bit 0: reseal every *.log file (header and non-zero sectors get right checksums), so
//               the reader's structural checks and the record stream are reached;
//   mode bit 1: 8.3-compatible names (JET_bitEightDotThreeSoftCompat) else 8 hex digits.
// The log file size is the size of the first *.log file when it is a valid one, else 64 KiB.
// Runs log::scan; LogReader from the first record and from the last header's checkpoint to the
// end, decoding each payload; log::verify_file on every file. Invariants: no crash; record
// starts strictly increase; a record ends after it starts.
#include <cstdint>
#include <memory>
#include <vector>

#include "btree/page_ops.h"
#include "engine/log_records.h"
#include "fuzz_util.h"
#include "log/log_reader.h"

namespace {

using namespace esent;

constexpr std::size_t kMaxRecords = 20000;

void decode_payload(const log::Record& record) {
  using engine::RecordType;
  auto type = static_cast<RecordType>(record.type);
  switch (type) {
    case RecordType::kPageOps: {
      auto ops = engine::decode_page_ops(record.payload);
      if (ops.ok()) (void)btree::decode_group(ops.value().group);
      break;
    }
    case RecordType::kCreateDatabase:
    case RecordType::kAttachDatabase:
    case RecordType::kDetachDatabase:
      (void)engine::decode_database(type, record.payload);
      break;
    case RecordType::kChange:
    case RecordType::kUndo:
    case RecordType::kCreatingTable:
      (void)engine::decode_change(type, record.payload);
      break;
    case RecordType::kCommit:
    case RecordType::kRollback:
      (void)engine::decode_txn(record.payload);
      break;
    default:
      (void)engine::decode_txn(record.payload);
      (void)engine::decode_change(RecordType::kChange, record.payload);
      break;
  }
}

void read_all(io::FileSystem& file_system, const log::LogSet& set, log::Lgpos start) {
  auto reader = log::LogReader::open(file_system, set, start);
  if (!reader.ok()) return;
  std::uint64_t previous = 0;
  std::size_t count = 0;
  for (std::size_t i = 0; i < kMaxRecords; ++i, ++count) {
    auto record = reader.value()->next();
    if (!record.ok() || !record.value().has_value()) break;
    const log::Record& r = *record.value();
    if (r.end.packed() <= r.start.packed()) esent_fuzz::fail("log", "a record ends before it starts");
    if (i > 0 && r.start.packed() <= previous) esent_fuzz::fail("log", "record starts went back");
    previous = r.start.packed();
    decode_payload(r);
  }
  esent_fuzz::trace("log", "read " + std::to_string(count) + " records from generation " +
                              std::to_string(start.generation));
  (void)reader.value()->end();
}

}  // namespace

extern "C" int ESENT_FUZZ_ENTRY(const std::uint8_t* data, std::size_t size) {
  esent_fuzz::Input input(data, size);
  std::uint8_t mode = input.u8();
  auto files = esent_fuzz::decode_files(input);
  log::LogConfig config;
  config.directory = "/logs";
  config.naming.legacy_bits = (mode & 2) != 0 ? 3u : 1u;
  config.file_size_bytes = 64 * 1024;
  bool sized = false;
  for (auto& file : files) {
    if (!esent_fuzz::ends_with(file.name, ".log")) continue;
    if ((mode & 1) != 0) esent_fuzz::reseal_log(file.bytes);
    std::size_t bytes = file.bytes.size();
    if (!sized && bytes % log::kSectorBytes == 0 && bytes >= log::kMinFileBytes &&
        bytes <= log::kMaxFileBytes) {
      config.file_size_bytes = static_cast<std::uint32_t>(bytes);
    }
    sized = true;
  }
  io::MemoryFileSystem file_system;
  if (!file_system.create_directories("/logs").ok()) return 0;
  if (!esent_fuzz::write_files(file_system, "/logs/", files)) return 0;

  for (const auto& file : files) {
    (void)log::verify_file(file_system, "/logs/" + file.name);
    (void)log::verify_file(file_system, "/logs/" + file.name, config.file_size_bytes, 1);
  }
  auto set = log::scan(file_system, config);
  esent_fuzz::trace("log", "scan: " + set.status().to_string());
  if (!set.ok() || set.value().empty()) return 0;
  for (const auto& entry : set.value().files) {
    (void)log::verify_file(file_system, entry.path, config.file_size_bytes, entry.generation);
  }
  read_all(file_system, set.value(), {});
  log::Lgpos checkpoint = set.value().files.back().header.checkpoint;
  if (!checkpoint.is_null()) read_all(file_system, set.value(), checkpoint);
  return 0;
}
