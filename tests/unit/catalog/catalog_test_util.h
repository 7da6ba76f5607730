// Helpers shared by the catalog tests: seeds, little-endian value builders, column builders.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "catalog/schema.h"

namespace esent::catalog::testing {

// The seed for a randomized test: ESENT_TEST_SEED if set, else random; always printed.
inline std::uint64_t test_seed(const char* test_name) {
  std::uint64_t seed = 0;
  if (const char* text = std::getenv("ESENT_TEST_SEED")) {
    seed = std::strtoull(text, nullptr, 10);
  } else {
    seed = (static_cast<std::uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}();
  }
  std::printf("[ seed ] %s ESENT_TEST_SEED=%llu\n", test_name,
              static_cast<unsigned long long>(seed));
  return seed;
}

template <typename T>
std::string bytes_of(T value) {
  std::string bytes(sizeof(T), '\0');
  std::memcpy(bytes.data(), &value, sizeof(T));
  return bytes;
}

inline std::string utf16(std::u16string_view text) {
  std::string bytes;
  for (char16_t unit : text) {
    bytes.push_back(static_cast<char>(unit & 0xFF));
    bytes.push_back(static_cast<char>((unit >> 8) & 0xFF));
  }
  return bytes;
}

inline ColumnDef make_column(std::string name, std::uint32_t id, ColumnType type,
                             std::uint32_t flags = 0, std::uint32_t max_size_bytes = 0,
                             std::uint16_t code_page = 0) {
  ColumnDef column;
  column.name = std::move(name);
  column.column_id = id;
  column.type = type;
  column.flags = flags;
  column.max_size_bytes = max_size_bytes != 0 ? max_size_bytes
                          : is_fixed_size_type(type) ? fixed_size_bytes(type)
                          : is_long_value_type(type) ? 0
                                                     : kColumnMostBytes;
  column.code_page = is_text_type(type) ? (code_page == 0 ? kCodePageAscii : code_page) : 0;
  return column;
}

}  // namespace esent::catalog::testing
