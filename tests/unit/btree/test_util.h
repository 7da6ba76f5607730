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
  Result<std::uint64_t> append(const PageOp& op) override {
    records.emplace_back();
    encode(op, records.back());
    return static_cast<std::uint64_t>(records.size());
  }
  std::vector<std::string> records;
};

}  // namespace esent::btree::testing
