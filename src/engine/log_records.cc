#include "engine/log_records.h"

#include <cstring>

#include "util/byte_io.h"

namespace esent::engine {

namespace {

template <typename T>
void put(std::string& out, T value) {
  append_value(out, value);
}

void put_string(std::string& out, std::string_view s) { append_string(out, s); }

using Reader = ByteReader;

Status corrupt(const char* what) {
  return Status(Error::kLogCorrupted, std::string("log record: ") + what);
}

}  // namespace

void encode_page_ops(std::uint32_t dbid, std::span<const std::byte> group, std::string& out) {
  out.clear();
  put<std::uint32_t>(out, dbid);
  out.append(reinterpret_cast<const char*>(group.data()), group.size());
}

void encode_database(RecordType type, const DatabaseRecord& record, std::string& out) {
  out.clear();
  put<std::uint32_t>(out, record.dbid);
  if (type == RecordType::kDetachDatabase) return;
  put<std::uint32_t>(out, record.page_size);
  if (type == RecordType::kCreateDatabase) {
    put<std::uint32_t>(out, record.max_pages);
  } else {
    put<std::uint8_t>(out, record.read_only ? 1 : 0);
  }
  put_string(out, record.path);
}

void encode_change(RecordType type, const ChangeRecord& record, std::string& out) {
  out.clear();
  put<std::uint64_t>(out, record.txn);
  put<std::uint32_t>(out, record.dbid);
  put<std::uint32_t>(out, record.object_id);
  if (type == RecordType::kChange) put<std::uint8_t>(out, record.kind);
  put_string(out, record.primary_key);
  if (type == RecordType::kChange) {
    put<std::uint8_t>(out, record.before ? 1 : 0);
    if (record.before) put_string(out, *record.before);
  }
}

void encode_txn(std::uint64_t txn, std::string& out) {
  out.clear();
  put<std::uint64_t>(out, txn);
}

Result<PageOpsRecord> decode_page_ops(std::span<const std::byte> payload) {
  Reader in(payload);
  PageOpsRecord record;
  if (!in.get(record.dbid)) return corrupt("page ops too short");
  record.group = in.rest();
  return record;
}

Result<DatabaseRecord> decode_database(RecordType type, std::span<const std::byte> payload) {
  Reader in(payload);
  DatabaseRecord record;
  if (!in.get(record.dbid)) return corrupt("database record too short");
  if (type != RecordType::kDetachDatabase) {
    bool ok = in.get(record.page_size);
    if (type == RecordType::kCreateDatabase) {
      ok = ok && in.get(record.max_pages);
    } else {
      std::uint8_t read_only = 0;
      ok = ok && in.get(read_only);
      record.read_only = read_only != 0;
    }
    if (!ok || !in.get_string(record.path)) return corrupt("database record too short");
  }
  if (!in.done()) return corrupt("database record too long");
  return record;
}

Result<ChangeRecord> decode_change(RecordType type, std::span<const std::byte> payload) {
  Reader in(payload);
  ChangeRecord record;
  bool ok = in.get(record.txn) && in.get(record.dbid) && in.get(record.object_id);
  if (ok && type == RecordType::kChange) ok = in.get(record.kind);
  ok = ok && in.get_string(record.primary_key);
  if (ok && type == RecordType::kChange) {
    std::uint8_t has_before = 0;
    ok = in.get(has_before);
    if (ok && has_before != 0) {
      record.before.emplace();
      ok = in.get_string(*record.before);
    }
  }
  if (!ok || !in.done()) return corrupt("change record malformed");
  return record;
}

Result<std::uint64_t> decode_txn(std::span<const std::byte> payload) {
  Reader in(payload);
  std::uint64_t txn = 0;
  if (!in.get(txn) || !in.done()) return corrupt("transaction record malformed");
  return txn;
}

}  // namespace esent::engine
