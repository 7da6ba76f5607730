// Fuzz target: log::read_checkpoint (log/checkpoint.h) on a checkpoint file of any bytes,
// which the header promises never crashes. Input: the whole file. Invariant: no crash, and a
// read that succeeds gives the same result when read again (the reader is a pure function of
// the file).
#include <cstdint>

#include "fuzz_util.h"
#include "log/checkpoint.h"

extern "C" int ESENT_FUZZ_ENTRY(const std::uint8_t* data, std::size_t size) {
  using namespace esent;
  io::MemoryFileSystem file_system;
  auto bytes = esent_fuzz::as_bytes(data, size);
  esent_fuzz::FileImage file{"edb.chk", {bytes.begin(), bytes.end()}};
  if (!esent_fuzz::write_files(file_system, "/", {file})) return 0;
  auto first = log::read_checkpoint(file_system, "/edb.chk");
  auto second = log::read_checkpoint(file_system, "/edb.chk");
  if (first.ok() != second.ok()) esent_fuzz::fail("checkpoint", "two reads disagree");
  if (!first.ok() && first.status().error() != second.status().error()) {
    esent_fuzz::fail("checkpoint", "two reads fail differently");
  }
  return 0;
}
