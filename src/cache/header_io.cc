#include "cache/header_io.h"

#include <array>
#include <optional>
#include <vector>

#include "page/page_format.h"

namespace esent::cache {

namespace {

struct CopyResult {
  std::optional<page::DatabaseHeader> header;
  Status error;            // why `header` is empty
  bool had_magic = false;  // the bytes looked like a header
};

// Reads `size` bytes at `offset`; fewer at end of file.
Result<std::vector<std::byte>> read_bytes(io::File& file, std::uint64_t offset,
                                          std::uint32_t size) {
  std::vector<std::byte> bytes(size);
  Result<std::size_t> count = file.read_at(offset, bytes);
  if (!count.ok()) return count.status();
  bytes.resize(count.value());
  return bytes;
}

// Reads the copy stored as page `pgno` assuming pages of `page_size` bytes.
Result<CopyResult> read_copy(io::File& file, page::Pgno pgno, std::uint32_t page_size) {
  CopyResult result;
  Result<std::vector<std::byte>> bytes =
      read_bytes(file, std::uint64_t{pgno} * page_size, page_size);
  if (!bytes.ok()) return bytes.status();
  result.had_magic = page::has_database_magic(bytes.value());
  if (bytes->size() != page_size) {
    result.error = Status(Error::kInvalidDatabase, "file too short for a header");
    return result;
  }
  Result<page::DatabaseHeader> decoded = page::decode_database_header(bytes.value(), pgno);
  if (decoded.ok()) {
    result.header = decoded.value();
  } else {
    result.error = decoded.status();
  }
  return result;
}

}  // namespace

Result<page::DatabaseHeader> read_database_header(io::File& file,
                                                  std::uint32_t expected_page_size) {
  // Copy 0 says how big its page is; trust that only as far as its checksum verifies.
  Result<std::vector<std::byte>> start = read_bytes(file, 0, page::kMinPageSize);
  if (!start.ok()) return start.status();
  const std::uint32_t claimed = page::claimed_page_size(start.value());

  CopyResult copy0;
  if (page::valid_page_size(claimed)) {
    Result<CopyResult> r = read_copy(file, page::kHeaderCopy0, claimed);
    if (!r.ok()) return r.status();
    copy0 = r.value();
  } else {
    copy0.had_magic = page::has_database_magic(start.value());
    copy0.error = Status(Error::kInvalidDatabase, "no page size in copy 0");
  }

  // Copy 1 lives at offset page_size: try copy 0's page size first, then every size.
  CopyResult copy1;
  copy1.error = Status(Error::kInvalidDatabase, "copy 1 not found");
  std::vector<std::uint32_t> sizes;
  if (copy0.header) sizes.push_back(copy0.header->page_size_bytes);
  for (std::uint32_t size : {4096u, 8192u, 16384u, 32768u}) {
    if (sizes.empty() || sizes.front() != size) sizes.push_back(size);
  }
  for (std::uint32_t size : sizes) {
    Result<CopyResult> r = read_copy(file, page::kHeaderCopy1, size);
    if (!r.ok()) return r.status();
    if (r->header) {
      copy1 = r.value();
      break;
    }
    // Keep the most telling failure: a copy that looked like a header.
    if (r->had_magic &&
        (!copy1.had_magic || r->error.error() == Error::kInvalidDatabaseVersion)) {
      copy1 = r.value();
    }
  }

  const page::DatabaseHeader* chosen = nullptr;
  if (copy0.header && copy1.header) {
    chosen = copy1.header->update_sequence > copy0.header->update_sequence ? &*copy1.header
                                                                           : &*copy0.header;
  } else if (copy0.header) {
    chosen = &*copy0.header;
  } else if (copy1.header) {
    chosen = &*copy1.header;
  }
  if (chosen == nullptr) {
    for (const CopyResult* c : {&copy0, &copy1}) {
      if (c->error.error() == Error::kInvalidDatabaseVersion) return c->error;
    }
    if (copy0.had_magic || copy1.had_magic) {
      return Status(Error::kDatabaseCorrupted,
                    "both header copies are damaged: " + copy0.error.to_string());
    }
    return Status(Error::kInvalidDatabase, "not a database");
  }
  if (expected_page_size != 0 && chosen->page_size_bytes != expected_page_size) {
    return Status(Error::kPageSizeMismatch,
                  "database page size " + std::to_string(chosen->page_size_bytes));
  }
  return *chosen;
}

Status write_database_header(io::File& file, page::DatabaseHeader& header) {
  ++header.update_sequence;
  std::vector<std::byte> bytes(header.page_size_bytes);
  for (page::Pgno copy : {page::kHeaderCopy0, page::kHeaderCopy1}) {
    page::encode_database_header(header, bytes, copy);
    ESENT_RETURN_IF_ERROR(file.write_at(std::uint64_t{copy} * header.page_size_bytes, bytes));
    ESENT_RETURN_IF_ERROR(file.sync());
  }
  return Status::success();
}

}  // namespace esent::cache
