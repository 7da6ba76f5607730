#include "log/log_names.h"

#include <cctype>

namespace esent::log {
namespace {

std::string hex_digits(std::uint32_t value, int digits) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out(static_cast<std::size_t>(digits), '0');
  for (int i = digits - 1; i >= 0 && value != 0; --i) {
    out[static_cast<std::size_t>(i)] = kHex[value & 0xFu];
    value >>= 4;
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string log_extension(const LogNaming& naming) {
  return (naming.legacy_bits & kEse98FileNamesBit) != 0 ? ".log" : ".jtx";
}

std::string current_log_name(const LogNaming& naming) {
  return naming.base_name + log_extension(naming);
}

std::string archived_log_name(const LogNaming& naming, std::uint32_t generation) {
  const bool short_names = (naming.legacy_bits & kEightDotThreeSoftCompatBit) != 0;
  const int digits = short_names && generation <= 0xFFFFFu ? 5 : 8;
  return naming.base_name + hex_digits(generation, digits) + log_extension(naming);
}

std::string temporary_log_name(const LogNaming& naming) {
  return naming.base_name + "tmp" + log_extension(naming);
}

std::string reserve_log_name(const LogNaming& naming, std::uint32_t index) {
  return naming.base_name + "res" + hex_digits(index, 5) + ".jrs";
}

Result<std::optional<std::uint32_t>> parse_archived_generation(const LogNaming& naming,
                                                               std::string_view file_name) {
  const std::string extension = log_extension(naming);
  const std::size_t prefix = naming.base_name.size();
  if (file_name.size() <= prefix + extension.size()) return std::optional<std::uint32_t>{};
  if (!iequals(file_name.substr(0, prefix), naming.base_name) ||
      !iequals(file_name.substr(file_name.size() - extension.size()), extension)) {
    return std::optional<std::uint32_t>{};
  }
  const std::string_view digits =
      file_name.substr(prefix, file_name.size() - prefix - extension.size());
  if (digits.size() != 5 && digits.size() != 8) return std::optional<std::uint32_t>{};
  std::uint32_t generation = 0;
  for (char c : digits) {
    const int value = hex_value(c);
    if (value < 0) return std::optional<std::uint32_t>{};
    generation = (generation << 4) | static_cast<std::uint32_t>(value);
  }
  if (generation == 0) return std::optional<std::uint32_t>{};
  const bool short_names = (naming.legacy_bits & kEightDotThreeSoftCompatBit) != 0;
  if (digits.size() == 5 && !short_names) {
    return Status(Error::kLogGenerationMismatch,
                  "5-digit log name " + std::string(file_name) + " in 8-digit naming mode");
  }
  return std::optional<std::uint32_t>{generation};
}

std::string join_log_path(std::string_view directory, std::string_view file_name) {
  std::string path(directory);
  if (path.empty()) return std::string(file_name);
  if (path.back() != '/') path.push_back('/');
  path.append(file_name);
  return path;
}

}  // namespace esent::log
