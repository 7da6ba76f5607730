// ParamSet: the values of every system parameter for one instance, or the process-wide
// values and defaults. Validation (range, type, path normalisation) happens here; who may
// set what, and when, is decided by Instance and Registry.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "engine/param_table.h"
#include "util/status.h"

namespace esent::engine {

struct ParamValue {
  std::uint64_t number = 0;
  std::string text;  // UTF-8; folders and paths absolute and '/'-separated

  bool operator==(const ParamValue&) const = default;
};

class ParamSet {
 public:
  // Every parameter at its default; folder and path defaults are resolved against
  // `working_directory`.
  explicit ParamSet(const std::string& working_directory);

  const ParamValue& get(std::uint32_t id) const { return values_[param_slot(id)]; }
  std::uint64_t number(std::uint32_t id) const { return values_[param_slot(id)].number; }
  const std::string& text(std::uint32_t id) const { return values_[param_slot(id)].text; }

  // Whether `value`, once normalised, is what the set already holds for `info` (setting a
  // parameter to its current value succeeds whatever the lifecycle, as in ESE).
  bool holds(const ParamInfo& info, const ParamValue& value, const std::string& working_directory) const;

  // Validates `value` against `info` and stores it (normalised). The caller checks scope and
  // lifecycle rules first.
  Status set(const ParamInfo& info, ParamValue value, const std::string& working_directory);

 private:
  std::array<ParamValue, kParamSlotCount> values_;
};

// `value` checked and normalised for `info`: ranges, power-of-two block sizes, string
// lengths, folder/path normalisation. kInvalidParameter when out of range.
Result<ParamValue> validate_param(const ParamInfo& info, ParamValue value,
                                  const std::string& working_directory);

}  // namespace esent::engine
