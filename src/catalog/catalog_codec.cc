#include "catalog/catalog_codec.h"

#include <cstring>

#include "catalog/catalog_format.h"

namespace esent::catalog {

namespace {

class Writer {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u16(std::uint16_t v) { raw(&v, sizeof v); }
  void u32(std::uint32_t v) { raw(&v, sizeof v); }
  void str(std::string_view s) {
    u16(static_cast<std::uint16_t>(s.size()));
    out_.append(s);
  }
  void long_str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  std::string take() { return std::move(out_); }

 private:
  void raw(const void* p, std::size_t n) { out_.append(static_cast<const char*>(p), n); }
  std::string out_;
};

// Reads fields; any read past the end marks the reader failed (checked once at the end).
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  std::uint8_t u8() {
    std::uint8_t v = 0;
    raw(&v, sizeof v);
    return v;
  }
  std::uint16_t u16() {
    std::uint16_t v = 0;
    raw(&v, sizeof v);
    return v;
  }
  std::uint32_t u32() {
    std::uint32_t v = 0;
    raw(&v, sizeof v);
    return v;
  }
  std::string str() { return bytes(u16()); }
  std::string long_str() { return bytes(u32()); }
  bool failed() const { return failed_; }

 private:
  void raw(void* p, std::size_t n) {
    if (in_.size() < n) {
      failed_ = true;
      std::memset(p, 0, n);
      return;
    }
    std::memcpy(p, in_.data(), n);
    in_.remove_prefix(n);
  }
  std::string bytes(std::size_t n) {
    if (in_.size() < n) {
      failed_ = true;
      return {};
    }
    std::string s(in_.substr(0, n));
    in_.remove_prefix(n);
    return s;
  }
  std::string_view in_;
  bool failed_ = false;
};

void append_u32_be(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

Status corrupt(const char* what) {
  return Status(Error::kDatabaseCorrupted, std::string("catalog entry cut short: ") + what);
}

}  // namespace

std::string fold_name(std::string_view name) {
  std::string folded(name);
  for (char& c : folded) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return folded;
}

std::string table_entry_key(std::string_view table_name) {
  return catalog_format::kTableTag + fold_name(table_name);
}

std::string column_entries_prefix(std::uint32_t object_id) {
  std::string key(1, catalog_format::kColumnTag);
  append_u32_be(key, object_id);
  return key;
}

std::string index_entries_prefix(std::uint32_t object_id) {
  std::string key(1, catalog_format::kIndexTag);
  append_u32_be(key, object_id);
  return key;
}

std::string column_entry_key(std::uint32_t object_id, std::uint32_t column_id) {
  std::string key = column_entries_prefix(object_id);
  append_u32_be(key, column_id);
  return key;
}

std::string index_entry_key(std::uint32_t object_id, std::uint32_t index_id) {
  std::string key = index_entries_prefix(object_id);
  append_u32_be(key, index_id);
  return key;
}

std::string encode_table_entry(const TableSchema& schema) {
  Writer w;
  w.u16(catalog_format::kTableVersion);
  w.u32(schema.object_id);
  w.str(schema.name);
  w.u32(schema.primary_root);
  w.u32(schema.long_value_root);
  w.u32(schema.long_value_object_id);
  w.u32(schema.initial_pages);
  w.u32(schema.density);
  w.u32(schema.next_index_id);
  return w.take();
}

Status decode_table_entry(std::string_view value, TableSchema* schema) {
  Reader r(value);
  std::uint16_t version = r.u16();
  if (!r.failed() && version != catalog_format::kTableVersion) {
    return Status(Error::kInvalidDatabaseVersion, "unknown table entry version");
  }
  schema->object_id = r.u32();
  schema->name = r.str();
  schema->primary_root = r.u32();
  schema->long_value_root = r.u32();
  schema->long_value_object_id = r.u32();
  schema->initial_pages = r.u32();
  schema->density = r.u32();
  schema->next_index_id = r.u32();
  if (r.failed()) return corrupt("table");
  return Status::success();
}

std::string encode_column_entry(const ColumnDef& column) {
  Writer w;
  w.u16(catalog_format::kColumnVersion);
  w.u32(column.column_id);
  w.str(column.name);
  w.u32(static_cast<std::uint32_t>(column.type));
  w.u32(column.max_size_bytes);
  w.u32(column.flags);
  w.u16(column.code_page);
  w.u8(column.deleted ? 1 : 0);
  w.long_str(column.default_value);
  return w.take();
}

Result<ColumnDef> decode_column_entry(std::string_view value) {
  Reader r(value);
  std::uint16_t version = r.u16();
  if (!r.failed() && version != catalog_format::kColumnVersion) {
    return Status(Error::kInvalidDatabaseVersion, "unknown column entry version");
  }
  ColumnDef column;
  column.column_id = r.u32();
  column.name = r.str();
  column.type = static_cast<ColumnType>(r.u32());
  column.max_size_bytes = r.u32();
  column.flags = r.u32();
  column.code_page = r.u16();
  column.deleted = r.u8() != 0;
  column.default_value = r.long_str();
  if (r.failed()) return corrupt("column");
  return column;
}

std::string encode_index_entry(const IndexEntry& index) {
  const IndexDef& d = index.definition;
  Writer w;
  w.u16(catalog_format::kIndexVersion);
  w.u32(d.index_id);
  w.str(d.name);
  w.u32(d.flags);
  w.u32(d.density);
  w.u32(d.lcid);
  w.u32(d.max_key_bytes);
  w.u32(index.root);
  w.u32(index.object_id);
  w.u16(static_cast<std::uint16_t>(d.segments.size()));
  for (const IndexSegment& segment : d.segments) {
    w.u32(segment.column_id);
    w.u8(segment.descending ? 1 : 0);
  }
  return w.take();
}

Result<IndexEntry> decode_index_entry(std::string_view value) {
  Reader r(value);
  std::uint16_t version = r.u16();
  if (!r.failed() && version != catalog_format::kIndexVersion) {
    return Status(Error::kInvalidDatabaseVersion, "unknown index entry version");
  }
  IndexEntry index;
  IndexDef& d = index.definition;
  d.index_id = r.u32();
  d.name = r.str();
  d.flags = r.u32();
  d.density = r.u32();
  d.lcid = r.u32();
  d.max_key_bytes = r.u32();
  index.root = r.u32();
  index.object_id = r.u32();
  std::uint16_t count = r.u16();
  for (std::uint16_t i = 0; i < count && !r.failed(); ++i) {
    IndexSegment segment;
    segment.column_id = r.u32();
    segment.descending = r.u8() != 0;
    d.segments.push_back(segment);
  }
  if (r.failed()) return corrupt("index");
  return index;
}

}  // namespace esent::catalog
