// CrashFileSystem: builds the post-crash tree from the durable state kept by MemoryFileSystem
// (memory_state.h). A crash copies every node reachable from the root through durable directory
// entries (sharing preserved: one node reached by two names stays one node), gives each file its
// durable bytes plus whichever unsynced changes CrashOptions lets survive, makes that the new
// durable state, and bumps the generation so every File opened before fails with kDiskIO.
#include "io/crash_file_system.h"

#include <algorithm>
#include <map>

#include "io/memory_state.h"

namespace esent::io {

namespace {

using detail::MemoryState;
using detail::Node;
using detail::NodePtr;
using detail::PendingChange;

// A small portable generator (splitmix64), so a seed gives the same crash on every platform.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t value = (state_ += 0x9E3779B97F4A7C15ull);
    value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ull;
    value = (value ^ (value >> 27)) * 0x94D049BB133111EBull;
    return value ^ (value >> 31);
  }
  // Uniform in [0, bound] (inclusive).
  std::uint64_t up_to(std::uint64_t bound) {
    return bound == UINT64_MAX ? next() : next() % (bound + 1);
  }
  // True with `probability`.
  bool chance(double probability) {
    if (probability <= 0.0) return false;
    if (probability >= 1.0) return true;
    return static_cast<double>(next() >> 11) * 0x1.0p-53 < probability;
  }

 private:
  std::uint64_t state_;
};

// The part of `change` (a write) a torn sector keeps: its bytes up to a random 512-byte boundary
// of the file, anywhere from none to all of them.
PendingChange torn(const PendingChange& change, Random& random) {
  constexpr std::uint64_t kSector = CrashFileSystem::kSectorSizeBytes;
  std::uint64_t begin = change.offset;
  std::uint64_t end = begin + change.data.size();
  // The cut points: the write's start, every sector boundary inside it, its end.
  std::uint64_t first_boundary = (begin / kSector + 1) * kSector;
  std::uint64_t inner = first_boundary < end ? (end - 1 - first_boundary) / kSector + 1 : 0;
  std::uint64_t choice = random.up_to(inner + 1);  // 0: nothing, 1..inner: a boundary, last: all
  std::uint64_t cut = choice == 0 ? begin
                      : choice > inner ? end
                                       : first_boundary + (choice - 1) * kSector;
  PendingChange kept;
  kept.offset = change.offset;
  kept.data.assign(change.data.begin(),
                   change.data.begin() + static_cast<std::ptrdiff_t>(cut - begin));
  return kept;
}

// The post-crash copy of `node` (requires the state's mutex).
NodePtr crashed_copy(const NodePtr& node, const CrashOptions& options, Random& random,
                     std::map<const Node*, NodePtr>& copies) {
  auto known = copies.find(node.get());
  if (known != copies.end()) return known->second;
  auto copy = std::make_shared<Node>();
  copies.emplace(node.get(), copy);
  copy->is_directory = node->is_directory;
  if (node->is_directory) {
    for (const auto& [name, child] : node->durable_entries) {
      copy->entries.emplace(name, crashed_copy(child, options, random, copies));
    }
    copy->durable_entries = copy->entries;
    return copy;
  }
  copy->data = node->durable_data;
  std::size_t last_write = node->pending.size();
  if (options.tear_last_sector) {
    for (std::size_t index = node->pending.size(); index > 0; --index) {
      if (!node->pending[index - 1].is_truncate) {
        last_write = index - 1;
        break;
      }
    }
  }
  for (std::size_t index = 0; index < node->pending.size(); ++index) {
    const PendingChange& change = node->pending[index];
    if (index == last_write) {
      PendingChange kept = torn(change, random);
      if (!kept.data.empty()) detail::apply_change(copy->data, kept);
    } else if (random.chance(options.keep_unsynced_probability)) {
      detail::apply_change(copy->data, change);
    }
  }
  copy->durable_data = copy->data;
  return copy;
}

NodePtr crashed_root(const MemoryState& state, const CrashOptions& options) {
  Random random(options.seed);
  std::map<const Node*, NodePtr> copies;
  return crashed_copy(state.root, options, random, copies);
}

}  // namespace

CrashFileSystem::CrashFileSystem(std::string current_directory)
    : MemoryFileSystem(std::move(current_directory), true) {}

void CrashFileSystem::crash(const CrashOptions& options) {
  std::lock_guard<std::mutex> guard(state_->mutex);
  state_->root = crashed_root(*state_, options);
  ++state_->generation;
}

std::shared_ptr<CrashFileSystem> CrashFileSystem::clone_durable() { return clone_crashed({}); }

std::shared_ptr<CrashFileSystem> CrashFileSystem::clone_crashed(const CrashOptions& options) {
  std::lock_guard<std::mutex> guard(state_->mutex);
  auto clone = std::make_shared<CrashFileSystem>(state_->current_directory);
  clone->state_->root = crashed_root(*state_, options);
  return clone;
}

std::uint64_t CrashFileSystem::crash_count() {
  std::lock_guard<std::mutex> guard(state_->mutex);
  return state_->generation;
}

}  // namespace esent::io
