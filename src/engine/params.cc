#include "engine/params.h"

#include <vector>

#include <bit>

#include "util/path.h"

namespace esent::engine {

namespace {

// A file path parameter: a bare file name (no separator) is kept as given, as ESE does (it
// is placed in the system folder at JetInit); anything else becomes absolute.
std::string normalize_file_param(std::string_view text, const std::string& working_directory) {
  if (text.find_first_of("/\\") == std::string_view::npos) return std::string(text);
  return normalize_path(text, working_directory);
}

}  // namespace

ParamSet::ParamSet(const std::string& working_directory) {
  std::vector<std::uint32_t> ids;
  for (std::uint32_t id = 0; id < kParamIdLimit; ++id) ids.push_back(id);
  for (std::uint32_t i = 0; i < kExtensionParamCount; ++i) ids.push_back(kExtensionParamFirst + i);
  for (std::uint32_t id : ids) {
    const ParamInfo* info = find_param(id);
    if (info == nullptr) continue;
    ParamValue& value = values_[param_slot(id)];
    value.number = info->default_number;
    switch (info->type) {
      case ParamType::kFolder:
        value.text = info->default_text.empty()
                         ? std::string()
                         : normalize_folder(info->default_text, working_directory);
        break;
      case ParamType::kPath:
        value.text = normalize_file_param(info->default_text, working_directory);
        break;
      default:
        value.text = std::string(info->default_text);
        break;
    }
  }
}

bool ParamSet::holds(const ParamInfo& info, const ParamValue& value,
                     const std::string& working_directory) const {
  Result<ParamValue> normalised = validate_param(info, value, working_directory);
  return normalised.ok() && normalised.value() == values_[param_slot(info.id)];
}

Status ParamSet::set(const ParamInfo& info, ParamValue value,
                     const std::string& working_directory) {
  Result<ParamValue> checked = validate_param(info, std::move(value), working_directory);
  if (!checked.ok()) return checked.status();
  values_[param_slot(info.id)] = std::move(checked).value();
  return Status::success();
}

Result<ParamValue> validate_param(const ParamInfo& info, ParamValue value,
                                  const std::string& working_directory) {
  auto out_of_range = [&info] {
    return Status(Error::kInvalidParameter, std::string(info.name) + " out of range");
  };
  switch (info.type) {
    case ParamType::kInteger:
    case ParamType::kGrbit:
      if (value.number < info.min || value.number > info.max) return out_of_range();
      return ParamValue{value.number, {}};
    case ParamType::kBoolean:
      return ParamValue{value.number != 0 ? 1U : 0U, {}};
    case ParamType::kBlockSize:
      if (value.number < info.min || value.number > info.max || !std::has_single_bit(value.number)) {
        return out_of_range();
      }
      return ParamValue{value.number, {}};
    case ParamType::kPointer:
    case ParamType::kUnicodeIndex:
      return ParamValue{value.number, {}};
    case ParamType::kString:
      if (value.text.size() < info.min || value.text.size() > info.max) return out_of_range();
      return ParamValue{0, std::move(value.text)};
    case ParamType::kFolder:
    case ParamType::kPath:
      if (value.text.size() > info.max) return out_of_range();
      if (value.text.empty()) return ParamValue{0, {}};
      return ParamValue{0, info.type == ParamType::kFolder
                               ? normalize_folder(value.text, working_directory)
                               : normalize_file_param(value.text, working_directory)};
    case ParamType::kReadOnly:
    case ParamType::kErrorToString:
      return Status(Error::kInvalidParameter, std::string(info.name) + " cannot be set");
  }
  return Status(Error::kInternalError, "unknown parameter type");
}

}  // namespace esent::engine
