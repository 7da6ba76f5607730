// FaultFileSystem: every call goes through Injector::on_call, which counts it and decides from
// the armed rules whether it fails. A failing call never reaches the base, except a short write,
// which hands the base a prefix of the data first.
#include "io/fault_file_system.h"

#include <algorithm>
#include <mutex>

namespace esent::io {

namespace {
using Operation = FaultFileSystem::Operation;
using Fault = FaultFileSystem::Fault;
}  // namespace

struct FaultFileSystem::Injector {
  struct Rule {
    Operation operation;
    std::uint64_t nth;
    Fault fault;
    FailOptions options;
    std::uint64_t seen = 0;  // matching calls since arming
  };

  // What to do instead of the call.
  struct Injection {
    Fault fault;
    std::optional<std::size_t> short_write_bytes;
  };

  std::array<std::atomic<std::uint64_t>, kOperationCount> counts{};
  std::atomic<std::uint64_t> injected{0};
  std::atomic<std::size_t> armed_rules{0};
  std::mutex mutex;  // guards rules and observer
  std::vector<Rule> rules;
  CallObserver observer;

  // Counts a call of `operation` on `path` (and `other_path`, for a rename) and returns the fault
  // to inject, if any.
  std::optional<Injection> on_call(Operation operation, const std::string& path,
                                   const std::string& other_path = {}) {
    counts[static_cast<std::size_t>(operation)].fetch_add(1, std::memory_order_relaxed);
    CallObserver watching;
    {
      std::lock_guard<std::mutex> guard(mutex);
      watching = observer;
    }
    if (watching) watching(operation, path);
    if (armed_rules.load(std::memory_order_acquire) == 0) return std::nullopt;
    std::lock_guard<std::mutex> guard(mutex);
    std::optional<Injection> result;
    for (auto rule = rules.begin(); rule != rules.end();) {
      const std::string& filter = rule->options.path_substring;
      bool matches = rule->operation == operation &&
                     (filter.empty() || path.find(filter) != std::string::npos ||
                      (!other_path.empty() && other_path.find(filter) != std::string::npos));
      if (!matches) {
        ++rule;
        continue;
      }
      ++rule->seen;
      bool fires = rule->seen == rule->nth || (rule->options.sticky && rule->seen > rule->nth);
      if (fires && !result) result = Injection{rule->fault, rule->options.short_write_bytes};
      if (fires && !rule->options.sticky) {
        rule = rules.erase(rule);
      } else {
        ++rule;
      }
    }
    armed_rules.store(rules.size(), std::memory_order_release);
    if (result) injected.fetch_add(1, std::memory_order_relaxed);
    return result;
  }

  static Status status_of(const Injection& injection, Operation operation,
                          const std::string& path) {
    Error error = injection.fault == Fault::kIoError ? Error::kDiskIO : Error::kDiskFull;
    return Status(error, std::string("injected fault: ") + operation_name(operation) + " " + path);
  }
};

namespace {

class FaultFile final : public File {
 public:
  FaultFile(std::unique_ptr<File> base, std::shared_ptr<FaultFileSystem::Injector> injector)
      : base_(std::move(base)), injector_(std::move(injector)) {}

  Result<std::size_t> read_at(std::uint64_t offset, std::span<std::byte> buffer) override {
    if (auto injection = injector_->on_call(Operation::kRead, path())) {
      return FaultFileSystem::Injector::status_of(*injection, Operation::kRead, path());
    }
    return base_->read_at(offset, buffer);
  }

  Status write_at(std::uint64_t offset, std::span<const std::byte> data) override {
    auto injection = injector_->on_call(Operation::kWrite, path());
    if (!injection) return base_->write_at(offset, data);
    if (injection->fault == Fault::kShortWrite) {
      std::size_t prefix = std::min(injection->short_write_bytes.value_or(data.size() / 2),
                                    data.size());
      if (prefix > 0) {
        Status written = base_->write_at(offset, data.first(prefix));
        if (!written.ok()) return written;
      }
    }
    return FaultFileSystem::Injector::status_of(*injection, Operation::kWrite, path());
  }

  Status sync() override {
    if (auto injection = injector_->on_call(Operation::kSync, path())) {
      return FaultFileSystem::Injector::status_of(*injection, Operation::kSync, path());
    }
    return base_->sync();
  }

  Result<std::uint64_t> size() override {
    if (auto injection = injector_->on_call(Operation::kSize, path())) {
      return FaultFileSystem::Injector::status_of(*injection, Operation::kSize, path());
    }
    return base_->size();
  }

  Status truncate(std::uint64_t size_bytes) override {
    if (auto injection = injector_->on_call(Operation::kTruncate, path())) {
      return FaultFileSystem::Injector::status_of(*injection, Operation::kTruncate, path());
    }
    return base_->truncate(size_bytes);
  }

  Status lock(bool exclusive) override {
    if (auto injection = injector_->on_call(Operation::kLock, path())) {
      return FaultFileSystem::Injector::status_of(*injection, Operation::kLock, path());
    }
    return base_->lock(exclusive);
  }

  const std::string& path() const override { return base_->path(); }

 private:
  std::unique_ptr<File> base_;
  std::shared_ptr<FaultFileSystem::Injector> injector_;
};

}  // namespace

FaultFileSystem::FaultFileSystem(std::shared_ptr<FileSystem> base)
    : base_(std::move(base)), injector_(std::make_shared<Injector>()) {}

FaultFileSystem::~FaultFileSystem() = default;

std::uint64_t FaultFileSystem::count(Operation operation) const {
  return injector_->counts[static_cast<std::size_t>(operation)].load(std::memory_order_relaxed);
}

void FaultFileSystem::reset_counts() {
  for (auto& counter : injector_->counts) counter.store(0, std::memory_order_relaxed);
}

void FaultFileSystem::fail_at(Operation operation, std::uint64_t nth, Fault fault,
                              FailOptions options) {
  std::lock_guard<std::mutex> guard(injector_->mutex);
  injector_->rules.push_back(Injector::Rule{operation, std::max<std::uint64_t>(nth, 1), fault,
                                            std::move(options)});
  injector_->armed_rules.store(injector_->rules.size(), std::memory_order_release);
}

void FaultFileSystem::set_call_observer(CallObserver observer) {
  std::lock_guard<std::mutex> guard(injector_->mutex);
  injector_->observer = std::move(observer);
}

void FaultFileSystem::clear_faults() {
  std::lock_guard<std::mutex> guard(injector_->mutex);
  injector_->rules.clear();
  injector_->armed_rules.store(0, std::memory_order_release);
}

std::uint64_t FaultFileSystem::injected_count() const {
  return injector_->injected.load(std::memory_order_relaxed);
}

const std::shared_ptr<FileSystem>& FaultFileSystem::base() const { return base_; }

// Each FileSystem call: count, maybe fail, else forward.
#define ESENT_FAULT_POINT(operation, path, ...)                                           \
  do {                                                                                    \
    if (auto injection = injector_->on_call(operation, path __VA_OPT__(, ) __VA_ARGS__)) { \
      return Injector::status_of(*injection, operation, path);                            \
    }                                                                                     \
  } while (0)

Result<std::string> FaultFileSystem::current_directory() {
  ESENT_FAULT_POINT(Operation::kCurrentDirectory, std::string());
  return base_->current_directory();
}

Result<bool> FaultFileSystem::directory_exists(const std::string& path) {
  ESENT_FAULT_POINT(Operation::kDirectoryExists, path);
  return base_->directory_exists(path);
}

Status FaultFileSystem::create_directories(const std::string& path) {
  ESENT_FAULT_POINT(Operation::kCreateDirectories, path);
  return base_->create_directories(path);
}

Result<std::unique_ptr<File>> FaultFileSystem::open_file(const std::string& path,
                                                         const OpenOptions& options) {
  ESENT_FAULT_POINT(Operation::kOpen, path);
  Result<std::unique_ptr<File>> file = base_->open_file(path, options);
  if (!file.ok()) return file.status();
  return std::unique_ptr<File>(std::make_unique<FaultFile>(std::move(file).value(), injector_));
}

Result<bool> FaultFileSystem::file_exists(const std::string& path) {
  ESENT_FAULT_POINT(Operation::kFileExists, path);
  return base_->file_exists(path);
}

Result<std::uint64_t> FaultFileSystem::file_size(const std::string& path) {
  ESENT_FAULT_POINT(Operation::kFileSize, path);
  return base_->file_size(path);
}

Status FaultFileSystem::remove_file(const std::string& path) {
  ESENT_FAULT_POINT(Operation::kRemove, path);
  return base_->remove_file(path);
}

Status FaultFileSystem::rename(const std::string& from, const std::string& to) {
  ESENT_FAULT_POINT(Operation::kRename, from, to);
  return base_->rename(from, to);
}

Status FaultFileSystem::sync_directory(const std::string& path) {
  ESENT_FAULT_POINT(Operation::kSyncDirectory, path);
  return base_->sync_directory(path);
}

Result<std::vector<std::string>> FaultFileSystem::list_directory(const std::string& path) {
  ESENT_FAULT_POINT(Operation::kList, path);
  return base_->list_directory(path);
}

Status FaultFileSystem::remove_directory(const std::string& path) {
  ESENT_FAULT_POINT(Operation::kRemoveDirectory, path);
  return base_->remove_directory(path);
}

Result<bool> FaultFileSystem::is_symbolic_link(const std::string& path) {
  ESENT_FAULT_POINT(Operation::kIsSymbolicLink, path);
  return base_->is_symbolic_link(path);
}

#undef ESENT_FAULT_POINT

const char* operation_name(FaultFileSystem::Operation operation) {
  switch (operation) {
    case Operation::kCurrentDirectory: return "current_directory";
    case Operation::kDirectoryExists: return "directory_exists";
    case Operation::kCreateDirectories: return "create_directories";
    case Operation::kOpen: return "open_file";
    case Operation::kFileExists: return "file_exists";
    case Operation::kFileSize: return "file_size";
    case Operation::kRemove: return "remove_file";
    case Operation::kRename: return "rename";
    case Operation::kSyncDirectory: return "sync_directory";
    case Operation::kList: return "list_directory";
    case Operation::kRemoveDirectory: return "remove_directory";
    case Operation::kIsSymbolicLink: return "is_symbolic_link";
    case Operation::kRead: return "read_at";
    case Operation::kWrite: return "write_at";
    case Operation::kSync: return "sync";
    case Operation::kSize: return "size";
    case Operation::kTruncate: return "truncate";
    case Operation::kLock: return "lock";
  }
  return "unknown";
}

}  // namespace esent::io
