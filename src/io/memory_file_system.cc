// MemoryFileSystem: the FileSystem contract (file_system.h) on an in-memory tree (memory_state.h).
// Every operation takes MemoryState::mutex for its whole duration, so each is atomic. With
// durability tracking on (CrashFileSystem), writes and truncates are also appended to the file's
// pending list, sync() replays them onto the durable bytes, and sync_directory() copies a
// directory's entries to its durable entries.
#include "io/memory_file_system.h"

#include <algorithm>
#include <cstring>

#include "io/memory_state.h"

namespace esent::io {

namespace detail {

void apply_change(std::vector<std::byte>& bytes, const PendingChange& change) {
  if (change.is_truncate) {
    bytes.resize(static_cast<std::size_t>(change.offset));
    return;
  }
  std::size_t end = static_cast<std::size_t>(change.offset) + change.data.size();
  if (bytes.size() < end) bytes.resize(end);
  std::copy(change.data.begin(), change.data.end(),
            bytes.begin() + static_cast<std::ptrdiff_t>(change.offset));
}

}  // namespace detail

namespace {

using detail::MemoryState;
using detail::Node;
using detail::NodePtr;
using detail::PendingChange;

// `path`'s components, resolved lexically against `working_directory` (absolute).
std::vector<std::string> components_of(const std::string& path,
                                       const std::string& working_directory) {
  std::vector<std::string> result;
  auto add = [&result](const std::string& text) {
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t slash = text.find('/', start);
      if (slash == std::string::npos) slash = text.size();
      std::string part = text.substr(start, slash - start);
      if (part == "..") {
        if (!result.empty()) result.pop_back();
      } else if (!part.empty() && part != ".") {
        result.push_back(std::move(part));
      }
      start = slash + 1;
    }
  };
  if (path.empty() || path[0] != '/') add(working_directory);
  add(path);
  return result;
}

// The node at `parts`, or null when any component is missing or a non-final one is a file.
NodePtr find_node(const MemoryState& state, const std::vector<std::string>& parts) {
  NodePtr node = state.root;
  for (const std::string& part : parts) {
    if (!node->is_directory) return nullptr;
    auto found = node->entries.find(part);
    if (found == node->entries.end()) return nullptr;
    node = found->second;
  }
  return node;
}

// The directory holding the last component of `parts` (which must not be empty).
Result<NodePtr> find_parent(const MemoryState& state, const std::vector<std::string>& parts,
                            const std::string& path) {
  NodePtr node = state.root;
  for (std::size_t index = 0; index + 1 < parts.size(); ++index) {
    auto found = node->entries.find(parts[index]);
    if (found == node->entries.end() || !found->second->is_directory) {
      return Status(Error::kInvalidPath, "parent directory missing: " + path);
    }
    node = found->second;
  }
  return node;
}

// A regular file's node, or kFileNotFound / kInvalidPath / kFileAccessDenied (a directory).
Result<NodePtr> find_file(const MemoryState& state, const std::vector<std::string>& parts,
                          const std::string& path) {
  if (parts.empty()) return Status(Error::kFileAccessDenied, "not a regular file: " + path);
  Result<NodePtr> parent = find_parent(state, parts, path);
  if (!parent.ok()) return parent.status();
  auto found = parent.value()->entries.find(parts.back());
  if (found == parent.value()->entries.end()) {
    return Status(Error::kFileNotFound, "no such file: " + path);
  }
  if (found->second->is_directory) {
    return Status(Error::kFileAccessDenied, "not a regular file: " + path);
  }
  return found->second;
}

// A directory's node, or kFileNotFound (missing or not a directory) / kInvalidPath.
Result<NodePtr> find_directory(const MemoryState& state, const std::vector<std::string>& parts,
                               const std::string& path) {
  if (parts.empty()) return state.root;
  Result<NodePtr> parent = find_parent(state, parts, path);
  if (!parent.ok()) return parent.status();
  auto found = parent.value()->entries.find(parts.back());
  if (found == parent.value()->entries.end() || !found->second->is_directory) {
    return Status(Error::kFileNotFound, "no such directory: " + path);
  }
  return found->second;
}

// Records a change to a file: applied to the visible bytes, and remembered until sync() when
// durability is tracked.
void change_file(const MemoryState& state, Node& node, PendingChange change) {
  detail::apply_change(node.data, change);
  if (state.track_durability) node.pending.push_back(std::move(change));
}

// One open file. Its identity (`this`) owns its lock.
class MemoryFile final : public File {
 public:
  MemoryFile(std::shared_ptr<MemoryState> state, NodePtr node, std::string path, bool writable)
      : state_(std::move(state)),
        node_(std::move(node)),
        path_(std::move(path)),
        writable_(writable),
        generation_(state_->generation) {}

  ~MemoryFile() override {
    std::lock_guard<std::mutex> guard(state_->mutex);
    node_->locks.erase(this);
  }

  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;

  Result<std::size_t> read_at(std::uint64_t offset, std::span<std::byte> buffer) override {
    std::lock_guard<std::mutex> guard(state_->mutex);
    ESENT_RETURN_IF_ERROR(check_alive());
    std::uint64_t size = node_->data.size();
    if (offset >= size) return std::size_t{0};
    std::size_t count = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), size - offset));
    std::memcpy(buffer.data(), node_->data.data() + offset, count);
    return count;
  }

  Status write_at(std::uint64_t offset, std::span<const std::byte> data) override {
    std::lock_guard<std::mutex> guard(state_->mutex);
    ESENT_RETURN_IF_ERROR(check_alive());
    if (!writable_) return Status(Error::kFileAccessDenied, "opened read-only: " + path_);
    if (offset > MemoryFileSystem::kMaxFileSizeBytes ||
        data.size() > MemoryFileSystem::kMaxFileSizeBytes - offset) {
      return Status(Error::kDiskFull, "file too large: " + path_);
    }
    if (data.empty()) return Status::success();
    PendingChange change;
    change.offset = offset;
    change.data.assign(data.begin(), data.end());
    change_file(*state_, *node_, std::move(change));
    return Status::success();
  }

  Status sync() override {
    std::lock_guard<std::mutex> guard(state_->mutex);
    ESENT_RETURN_IF_ERROR(check_alive());
    if (state_->track_durability) {
      for (const PendingChange& change : node_->pending) {
        detail::apply_change(node_->durable_data, change);
      }
      node_->pending.clear();
    }
    return Status::success();
  }

  Result<std::uint64_t> size() override {
    std::lock_guard<std::mutex> guard(state_->mutex);
    ESENT_RETURN_IF_ERROR(check_alive());
    return static_cast<std::uint64_t>(node_->data.size());
  }

  Status truncate(std::uint64_t size_bytes) override {
    std::lock_guard<std::mutex> guard(state_->mutex);
    ESENT_RETURN_IF_ERROR(check_alive());
    if (!writable_) return Status(Error::kFileAccessDenied, "opened read-only: " + path_);
    if (size_bytes > MemoryFileSystem::kMaxFileSizeBytes) {
      return Status(Error::kDiskFull, "file too large: " + path_);
    }
    PendingChange change;
    change.is_truncate = true;
    change.offset = size_bytes;
    change_file(*state_, *node_, std::move(change));
    return Status::success();
  }

  Status lock(bool exclusive) override {
    std::lock_guard<std::mutex> guard(state_->mutex);
    ESENT_RETURN_IF_ERROR(check_alive());
    if (exclusive && !writable_) {
      return Status(Error::kFileAccessDenied, "exclusive lock on a read-only file: " + path_);
    }
    for (const auto& [owner, owner_exclusive] : node_->locks) {
      if (owner != this && (exclusive || owner_exclusive)) {
        return Status(Error::kFileAccessDenied, "locked elsewhere: " + path_);
      }
    }
    node_->locks[this] = exclusive;
    return Status::success();
  }

  const std::string& path() const override { return path_; }

 private:
  // Requires the mutex. Files opened before a crash are dead.
  Status check_alive() const {
    if (generation_ != state_->generation) {
      return Status(Error::kDiskIO, "file opened before a crash: " + path_);
    }
    return Status::success();
  }

  std::shared_ptr<MemoryState> state_;
  NodePtr node_;
  std::string path_;
  bool writable_;
  std::uint64_t generation_;
};

// Makes a directory's current entries its durable ones (requires the mutex).
void sync_entries(const MemoryState& state, Node& directory) {
  if (state.track_durability) directory.durable_entries = directory.entries;
}

// Whether `ancestor` is `node` or contains it (requires the mutex).
bool contains(const NodePtr& ancestor, const Node* node) {
  if (ancestor.get() == node) return true;
  if (!ancestor->is_directory) return false;
  for (const auto& [name, child] : ancestor->entries) {
    if (contains(child, node)) return true;
  }
  return false;
}

}  // namespace

MemoryFileSystem::MemoryFileSystem(std::string current_directory)
    : MemoryFileSystem(std::move(current_directory), false) {}

MemoryFileSystem::MemoryFileSystem(std::string current_directory, bool track_durability)
    : state_(std::make_shared<detail::MemoryState>()) {
  state_->root = std::make_shared<Node>();
  state_->root->is_directory = true;
  state_->current_directory = std::move(current_directory);
  state_->track_durability = track_durability;
}

MemoryFileSystem::~MemoryFileSystem() = default;

Result<std::string> MemoryFileSystem::current_directory() {
  std::lock_guard<std::mutex> guard(state_->mutex);
  return state_->current_directory;
}

Result<bool> MemoryFileSystem::directory_exists(const std::string& path) {
  std::lock_guard<std::mutex> guard(state_->mutex);
  NodePtr node = find_node(*state_, components_of(path, state_->current_directory));
  return node != nullptr && node->is_directory;
}

Status MemoryFileSystem::create_directories(const std::string& path) {
  std::lock_guard<std::mutex> guard(state_->mutex);
  NodePtr node = state_->root;
  for (const std::string& part : components_of(path, state_->current_directory)) {
    auto found = node->entries.find(part);
    if (found == node->entries.end()) {
      auto created = std::make_shared<Node>();
      created->is_directory = true;
      node->entries.emplace(part, created);
      sync_entries(*state_, *node);  // each creation is made durable through its parent
      node = std::move(created);
    } else if (!found->second->is_directory) {
      return Status(Error::kFileAlreadyExists, "not a directory: " + part + " in " + path);
    } else {
      node = found->second;
    }
  }
  return Status::success();
}

Result<std::unique_ptr<File>> MemoryFileSystem::open_file(const std::string& path,
                                                          const OpenOptions& options) {
  if (options.create && !options.write) {
    return Status(Error::kInvalidParameter, "create without write: " + path);
  }
  std::lock_guard<std::mutex> guard(state_->mutex);
  std::vector<std::string> parts = components_of(path, state_->current_directory);
  if (parts.empty()) return Status(Error::kFileAccessDenied, "not a regular file: " + path);
  Result<NodePtr> parent = find_parent(*state_, parts, path);
  if (!parent.ok()) return parent.status();
  auto found = parent.value()->entries.find(parts.back());
  NodePtr node;
  if (found == parent.value()->entries.end()) {
    if (!options.create) return Status(Error::kFileNotFound, "no such file: " + path);
    node = std::make_shared<Node>();
    parent.value()->entries.emplace(parts.back(), node);
  } else {
    node = found->second;
    if (options.create && options.exclusive) {
      return Status(Error::kFileAlreadyExists, "file exists: " + path);
    }
    if (node->is_directory) return Status(Error::kFileAccessDenied, "not a regular file: " + path);
    if (options.write && options.truncate && !node->data.empty()) {
      PendingChange change;
      change.is_truncate = true;
      change_file(*state_, *node, std::move(change));
    }
  }
  return std::unique_ptr<File>(
      std::make_unique<MemoryFile>(state_, std::move(node), path, options.write));
}

Result<bool> MemoryFileSystem::file_exists(const std::string& path) {
  std::lock_guard<std::mutex> guard(state_->mutex);
  NodePtr node = find_node(*state_, components_of(path, state_->current_directory));
  return node != nullptr && !node->is_directory;
}

Result<std::uint64_t> MemoryFileSystem::file_size(const std::string& path) {
  std::lock_guard<std::mutex> guard(state_->mutex);
  Result<NodePtr> node = find_file(*state_, components_of(path, state_->current_directory), path);
  if (!node.ok()) return node.status();
  return static_cast<std::uint64_t>(node.value()->data.size());
}

Status MemoryFileSystem::remove_file(const std::string& path) {
  std::lock_guard<std::mutex> guard(state_->mutex);
  std::vector<std::string> parts = components_of(path, state_->current_directory);
  Result<NodePtr> node = find_file(*state_, parts, path);
  if (!node.ok()) return node.status();
  find_parent(*state_, parts, path).value()->entries.erase(parts.back());
  return Status::success();
}

Status MemoryFileSystem::rename(const std::string& from, const std::string& to) {
  std::lock_guard<std::mutex> guard(state_->mutex);
  std::vector<std::string> from_parts = components_of(from, state_->current_directory);
  std::vector<std::string> to_parts = components_of(to, state_->current_directory);
  if (from_parts.empty() || to_parts.empty()) {
    return Status(Error::kFileAccessDenied, "cannot rename the root: " + from + " to " + to);
  }
  Result<NodePtr> from_parent = find_parent(*state_, from_parts, from);
  if (!from_parent.ok()) return from_parent.status();
  Result<NodePtr> to_parent = find_parent(*state_, to_parts, to);
  if (!to_parent.ok()) return to_parent.status();
  auto source = from_parent.value()->entries.find(from_parts.back());
  if (source == from_parent.value()->entries.end()) {
    return Status(Error::kFileNotFound, "no such file: " + from);
  }
  NodePtr moving = source->second;
  auto target = to_parent.value()->entries.find(to_parts.back());
  bool replaces = target != to_parent.value()->entries.end();
  if (replaces && target->second == moving) return Status::success();  // the same file
  if (moving->is_directory && contains(moving, to_parent.value().get())) {
    return Status(Error::kInvalidParameter, "cannot move a directory into itself: " + to);
  }
  if (replaces) {
    if (target->second->is_directory != moving->is_directory) {
      return Status(Error::kFileAccessDenied, "cannot replace " + to + " with " + from);
    }
    if (target->second->is_directory && !target->second->entries.empty()) {
      return Status(Error::kFileAccessDenied, "directory not empty: " + to);
    }
  }
  from_parent.value()->entries.erase(source);
  to_parent.value()->entries[to_parts.back()] = std::move(moving);
  return Status::success();
}

Status MemoryFileSystem::sync_directory(const std::string& path) {
  std::lock_guard<std::mutex> guard(state_->mutex);
  Result<NodePtr> directory =
      find_directory(*state_, components_of(path, state_->current_directory), path);
  if (!directory.ok()) return directory.status();
  sync_entries(*state_, *directory.value());
  return Status::success();
}

Result<std::vector<std::string>> MemoryFileSystem::list_directory(const std::string& path) {
  std::lock_guard<std::mutex> guard(state_->mutex);
  Result<NodePtr> directory =
      find_directory(*state_, components_of(path, state_->current_directory), path);
  if (!directory.ok()) return directory.status();
  std::vector<std::string> names;
  names.reserve(directory.value()->entries.size());
  for (const auto& [name, node] : directory.value()->entries) names.push_back(name);
  return names;  // std::map keeps them sorted
}

Status MemoryFileSystem::remove_directory(const std::string& path) {
  std::lock_guard<std::mutex> guard(state_->mutex);
  std::vector<std::string> parts = components_of(path, state_->current_directory);
  if (parts.empty()) return Status(Error::kFileAccessDenied, "cannot remove the root");
  Result<NodePtr> directory = find_directory(*state_, parts, path);
  if (!directory.ok()) return directory.status();
  if (!directory.value()->entries.empty()) {
    return Status(Error::kFileAccessDenied, "directory not empty: " + path);
  }
  find_parent(*state_, parts, path).value()->entries.erase(parts.back());
  return Status::success();
}

Result<bool> MemoryFileSystem::is_symbolic_link(const std::string&) { return false; }

std::shared_ptr<FileSystem> memory_file_system() { return std::make_shared<MemoryFileSystem>(); }

}  // namespace esent::io
