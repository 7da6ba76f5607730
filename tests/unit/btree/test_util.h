// Helpers shared by the B+tree tests: seeds, key generation, a recording ChangeLog.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "btree/page_ops.h"
#include "btree/tree.h"

namespace esent::btree::testing {

// The seed for a randomized test: ESENT_SEED when set, else a fixed default; printed by the
// caller so a failure can be replayed.
inline std::uint64_t test_seed(std::uint64_t fallback) {
  const char* text = std::getenv("ESENT_SEED");
  return text != nullptr ? std::strtoull(text, nullptr, 10) : fallback;
}

inline bool long_tests() {
  const char* text = std::getenv("ESENT_LONG_TESTS");
  return text != nullptr && std::string(text) == "1";
}

inline std::string big_endian_key(std::uint32_t n) {
  std::string key(4, '\0');
  key[0] = static_cast<char>(n >> 24);
  key[1] = static_cast<char>(n >> 16);
  key[2] = static_cast<char>(n >> 8);
  key[3] = static_cast<char>(n);
  return key;
}

inline std::string random_bytes(std::mt19937_64& rng, std::size_t length, int alphabet = 256) {
  std::string s(length, '\0');
  for (auto& c : s) c = static_cast<char>(rng() % static_cast<std::uint64_t>(alphabet));
  return s;
}

// get() that turns an error into a distinctive value so assertions show it.
inline std::string lookup(Tree& tree, std::string_view key) {
  Result<std::optional<std::string>> found = tree.get(key);
  if (!found.ok()) return "<error " + found.status().to_string() + ">";
  return found.value().has_value() ? *found.value() : std::string("<missing>");
}

// Records every op's encoding; positions are 1, 2, 3, ...
class RecordingLog final : public ChangeLog {
 public:
  Result<std::uint64_t> append(std::span<const std::byte> group) override {
    groups.emplace_back(reinterpret_cast<const char*>(group.data()), group.size());
    return static_cast<std::uint64_t>(groups.size());
  }
  // Every op of every group in log order, each encoded alone; `positions` (when given) gets
  // each op's group position (1-based, as append() returned it).
  std::vector<std::string> ops(std::vector<std::uint64_t>* positions = nullptr) const {
    std::vector<std::string> result;
    for (std::size_t i = 0; i < groups.size(); ++i) {
      const std::string& group = groups[i];
      Result<std::vector<PageOp>> decoded = decode_group(
          {reinterpret_cast<const std::byte*>(group.data()), group.size()});
      if (!decoded.ok()) return {};
      for (const PageOp& op : decoded.value()) {
        result.emplace_back();
        encode(op, result.back());
        if (positions != nullptr) positions->push_back(i + 1);
      }
    }
    return result;
  }
  std::vector<std::string> groups;
};

}  // namespace esent::btree::testing
