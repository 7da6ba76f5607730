// A crashable in-memory FileSystem: it behaves like MemoryFileSystem and also keeps the state a
// power loss would leave, exactly per the durability contract of file_system.h:
// - a file's bytes and size are durable as of its last successful File::sync();
// - a directory's entries (files created by open_file, renames in and out, removals) are durable
//   as of its last sync_directory(); create_directories() syncs each parent it adds to.
//
// crash() simulates the power loss and reboot: the visible state becomes the durable one (with the
// variations CrashOptions allows), every File opened before the crash fails every call with
// kDiskIO (its lock is gone), and new opens see the post-crash state.
//
// Model notes, for writing tests:
// - a file is reached after a crash only through durable directory entries, so a synced file whose
//   creating entry was never synced is lost;
// - entries are tracked per directory: a file renamed across directories with only the target
//   directory synced comes back under both names (one file, like a hard link); with only the
//   source synced it comes back under neither;
// - the unsynced changes of a file (writes and truncates since its last sync) are dropped, except
//   that each may be kept with keep_unsynced_probability (in order), and with tear_last_sector
//   the file's last unsynced write may be kept partly: a prefix ending on a 512-byte boundary of
//   the file (possibly empty or whole) is kept, the rest dropped — a torn page;
// - each unsynced write is kept as a copy until the file's next sync(), so memory grows with the
//   bytes written between syncs.
//
// Thread-safety: as MemoryFileSystem; crash() is atomic with respect to every other call.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "io/memory_file_system.h"

namespace esent::io {

struct CrashOptions {
  // Seeds the choices below; the same seed and history give the same post-crash state.
  std::uint64_t seed = 0;
  // Tear each file's last unsynced write at a random 512-byte boundary.
  bool tear_last_sector = false;
  // Probability in [0, 1] that each unsynced change (other than a torn one) survives.
  double keep_unsynced_probability = 0.0;
};

class CrashFileSystem : public MemoryFileSystem {
 public:
  static constexpr std::uint64_t kSectorSizeBytes = 512;

  explicit CrashFileSystem(std::string current_directory = "/");

  // Power loss and reboot (see above). Every File opened before fails with kDiskIO from now on.
  void crash(const CrashOptions& options = {});

  // A new CrashFileSystem holding exactly this one's durable state (what crash() with default
  // options would leave), sharing nothing with it. This one is unchanged.
  std::shared_ptr<CrashFileSystem> clone_durable();

  // A new CrashFileSystem holding the state crash(options) would leave here. This one is
  // unchanged.
  std::shared_ptr<CrashFileSystem> clone_crashed(const CrashOptions& options);

  // How many crashes this file system went through.
  std::uint64_t crash_count();
};

}  // namespace esent::io
