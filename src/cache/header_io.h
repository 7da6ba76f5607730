// Reading and writing the two copies of the database header (pages 0 and 1) of an open file.
//
// Writing is durable and tear-proof: the update sequence is incremented, copy 0 is written and
// synced, then copy 1 is written and synced. A torn or lost write of either copy leaves the
// other one sound; the reader takes the sound copy with the higher update sequence.
//
// Reading, errors in order of precedence:
//   an I/O error of the file → that error;
//   neither copy sound: kInvalidDatabaseVersion if a copy is a newer layout, else
//     kDatabaseCorrupted if either copy carries the header magic, else kInvalidDatabase (not a
//     database at all, e.g. an empty or foreign file);
//   a sound header whose page size differs from `expected_page_size` (when not 0) →
//     kPageSizeMismatch.
#pragma once

#include <cstdint>

#include "io/file_system.h"
#include "page/database_header.h"
#include "util/status.h"

namespace esent::cache {

Result<page::DatabaseHeader> read_database_header(io::File& file,
                                                  std::uint32_t expected_page_size);

// Increments header.update_sequence, then writes copy 0, syncs, writes copy 1, syncs. On
// failure nothing is known about the file (the caller treats it as failed).
Status write_database_header(io::File& file, page::DatabaseHeader& header);

}  // namespace esent::cache
