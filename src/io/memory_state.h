// Internal to src/io: the tree behind MemoryFileSystem and CrashFileSystem.
//
// A Node is a regular file or a directory. Directories map names to nodes (`entries`, what callers
// see). When the state tracks durability, each node also carries what a power loss would leave:
// - a directory's `durable_entries`: its entries as of its last sync_directory (or the
//   create_directories that made it, which syncs each parent);
// - a file's `durable_data`: its bytes and size as of its last File::sync(), and `pending`: the
//   writes and truncates made since, in order (replayed onto durable_data by sync, selectively
//   by a crash).
// Invariant: with tracking, durable_data with every pending change applied equals data.
//
// Every field is guarded by MemoryState::mutex. `generation` counts crashes: a File remembers the
// generation it was opened in and fails with kDiskIO once it differs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace esent::io::detail {

struct Node;
using NodePtr = std::shared_ptr<Node>;

// One change to a file not yet made durable by sync().
struct PendingChange {
  bool is_truncate = false;
  std::uint64_t offset = 0;           // write: where; truncate: the new size
  std::vector<std::byte> data;        // write: the bytes
};

struct Node {
  bool is_directory = false;

  // Regular file.
  std::vector<std::byte> data;
  std::vector<std::byte> durable_data;
  std::vector<PendingChange> pending;
  // Lock owners (an open File's identity) → exclusive?
  std::map<const void*, bool> locks;

  // Directory.
  std::map<std::string, NodePtr> entries;
  std::map<std::string, NodePtr> durable_entries;
};

struct MemoryState {
  std::mutex mutex;
  NodePtr root;
  std::string current_directory;
  bool track_durability = false;
  std::uint64_t generation = 0;
};

// Applies one change to `bytes` (used by sync and by a crash's replay).
void apply_change(std::vector<std::byte>& bytes, const PendingChange& change);

}  // namespace esent::io::detail
