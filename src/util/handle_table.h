// HandleTable<T>: opaque 64-bit handles for objects handed to clients.
//
// A handle is [kind:8 | generation:24 | slot+1:32]. Removing an object bumps its slot's
// generation, so a stale handle (freed, terminated, or from a reused slot) and a handle of
// another kind (a session passed where an instance is expected) both fail find() instead of
// reaching freed memory. A handle is never 0 and never ~0 (the JET_*Nil values).
//
// Thread-safety: every method is safe to call concurrently; the lock is held only for the
// lookup, never while the caller uses the object (find() hands back a shared_ptr).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace esent {

// The kind byte of each handle type; later layers add theirs. Never renumber.
enum class HandleKind : std::uint8_t {
  kInstance = 0x1A,
  kSession = 0x2B,
  kTable = 0x3C,
};

template <typename T>
class HandleTable {
 public:
  explicit HandleTable(HandleKind kind) : kind_(kind) {}

  std::uint64_t insert(std::shared_ptr<T> object) {
    std::lock_guard lock(mutex_);
    std::uint32_t slot;
    if (!free_slots_.empty()) {
      slot = free_slots_.back();
      free_slots_.pop_back();
    } else {
      slot = static_cast<std::uint32_t>(slots_.size());
      slots_.push_back(Slot{});
    }
    slots_[slot].object = std::move(object);
    return encode(slot, slots_[slot].generation);
  }

  std::shared_ptr<T> find(std::uint64_t handle) const {
    std::lock_guard lock(mutex_);
    std::size_t index = locate(handle);
    return index == kNotFound ? nullptr : slots_[index].object;
  }

  // Removes the object; the handle and every copy of it become stale. Returns the object.
  std::shared_ptr<T> remove(std::uint64_t handle) {
    std::lock_guard lock(mutex_);
    std::size_t index = locate(handle);
    if (index == kNotFound) return nullptr;
    Slot& slot = slots_[index];
    std::shared_ptr<T> object = std::move(slot.object);
    slot.object.reset();
    slot.generation = (slot.generation + 1) & kGenerationMask;
    if (slot.generation == 0) slot.generation = 1;
    free_slots_.push_back(static_cast<std::uint32_t>(index));
    return object;
  }

  // Calls visit(handle, object) for every live object, under the lock: visit must not
  // call back into this table.
  void for_each(const std::function<void(std::uint64_t, const std::shared_ptr<T>&)>& visit) const {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      if (slots_[i].object) visit(encode(static_cast<std::uint32_t>(i), slots_[i].generation), slots_[i].object);
    }
  }

  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return slots_.size() - free_slots_.size();
  }

 private:
  static constexpr std::uint32_t kGenerationMask = 0xFFFFFF;

  struct Slot {
    std::uint32_t generation = 1;
    std::shared_ptr<T> object;
  };

  std::uint64_t encode(std::uint32_t slot, std::uint32_t generation) const {
    return (std::uint64_t{static_cast<std::uint8_t>(kind_)} << 56) |
           (std::uint64_t{generation} << 32) | (std::uint64_t{slot} + 1);
  }

  static constexpr std::size_t kNotFound = ~std::size_t{0};

  // The slot index a live handle names, or kNotFound.
  std::size_t locate(std::uint64_t handle) const {
    if ((handle >> 56) != static_cast<std::uint8_t>(kind_)) return kNotFound;
    auto index = static_cast<std::size_t>(handle & 0xFFFFFFFFU);
    auto generation = static_cast<std::uint32_t>((handle >> 32) & kGenerationMask);
    if (index == 0 || index > slots_.size()) return kNotFound;
    const Slot& slot = slots_[index - 1];
    if (!slot.object || slot.generation != generation) return kNotFound;
    return index - 1;
  }

  HandleKind kind_;
  mutable std::mutex mutex_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_slots_;
};

}  // namespace esent
