// Versions: for each key of one object (a table's primary keys), the changes some transaction
// may still need to look behind — oldest first, each with its writer and the image before it.
//
// The newest image of a key lives in the object itself (the B+tree); a chain here says how to
// get older images back. A reader walks a chain from the newest change and, for every change its
// view does not see, takes that change's before-image; it stops at the first change it sees
// (write conflicts let only one transaction at a time change a key, so commit times grow along a
// chain and every older change is seen too). Lock entries change no image; they only make other
// transactions' changes conflict while the locking transaction is active.
//
// Thread-safety: none; the owner (catalog::Table) guards a VersionMap with its latch — shared to
// read, exclusive to change.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "txn/transaction.h"

namespace esent::txn {

struct Version {
  enum class Kind { kInsert, kReplace, kDelete, kLock };
  std::shared_ptr<Transaction> writer;
  Kind kind = Kind::kInsert;
  // The image before the change; nullopt when there was no record (kInsert) or for kLock.
  std::optional<std::string> before;
  // Bytes charged to the version-store budget for this entry.
  std::uint64_t charged_bytes = 0;
};

// What an entry costs beyond its before-image (ESE's RCE header is of this order).
inline constexpr std::uint64_t kVersionOverheadBytes = 64;

using Chain = std::vector<Version>;  // oldest first

class VersionMap {
 public:
  bool empty() const { return chains_.empty(); }
  std::size_t key_count() const { return chains_.size(); }

  const Chain* find(std::string_view key) const {
    auto it = chains_.find(key);
    return it == chains_.end() ? nullptr : &it->second;
  }
  Chain* find(std::string_view key) {
    auto it = chains_.find(key);
    return it == chains_.end() ? nullptr : &it->second;
  }
  Chain& chain(std::string_view key) {
    auto it = chains_.find(key);
    if (it == chains_.end()) it = chains_.emplace(std::string(key), Chain{}).first;
    return it->second;
  }
  void erase(std::string_view key) {
    auto it = chains_.find(key);
    if (it != chains_.end()) chains_.erase(it);
  }
  template <typename Fn>
  void for_each(Fn&& fn) const {
    for (const auto& [key, chain] : chains_) fn(key, chain);
  }
  std::vector<std::string> keys() const {
    std::vector<std::string> out;
    out.reserve(chains_.size());
    for (const auto& [key, chain] : chains_) out.push_back(key);
    return out;
  }

 private:
  std::map<std::string, Chain, std::less<>> chains_;
};

// The image `view` sees of a key whose newest image is `newest` (nullopt: no record).
inline std::optional<std::string_view> visible_image(const Chain* chain,
                                                     std::optional<std::string_view> newest,
                                                     const View& view) {
  if (chain == nullptr) return newest;
  std::optional<std::string_view> image = newest;
  for (auto it = chain->rbegin(); it != chain->rend(); ++it) {
    if (it->kind == Version::Kind::kLock) continue;
    if (view.sees(*it->writer)) break;
    if (it->before) {
      image = std::string_view(*it->before);
    } else {
      image.reset();
    }
  }
  return image;
}

// Whether `changer` may not change the key: its newest change (or an active lock) belongs to
// another transaction that is uncommitted or committed after the changer's snapshot. Committed
// locks no longer count.
inline bool blocks(const Chain* chain, const Transaction& changer) {
  if (chain == nullptr) return false;
  for (auto it = chain->rbegin(); it != chain->rend(); ++it) {
    if (it->kind == Version::Kind::kLock) {
      if (it->writer.get() != &changer && it->writer->commit_time() == 0) return true;
      continue;
    }
    return conflicts(*it->writer, changer);
  }
  return false;
}

// Whether the newest entry of the chain is `writer`'s and still open (it already holds the key).
inline bool held_by(const Chain* chain, const Transaction& writer) {
  return chain != nullptr && !chain->empty() && chain->back().writer.get() == &writer &&
         writer.commit_time() == 0;
}

}  // namespace esent::txn
