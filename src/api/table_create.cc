#include "api/table_create.h"

#include <algorithm>
#include <cctype>

namespace esent::api {

catalog::ColumnDef column_def_from(std::string name, const JET_COLUMNDEF& definition,
                                   const void* default_value, std::uint32_t default_size_bytes) {
  catalog::ColumnDef column;
  column.name = std::move(name);
  column.type = static_cast<catalog::ColumnType>(definition.coltyp);
  column.max_size_bytes = definition.cbMax;
  column.flags = definition.grbit;
  column.code_page = definition.cp;
  // ESE reads the default only when both the pointer and the size are given.
  if (default_value != nullptr && default_size_bytes != 0) {
    column.default_value.assign(static_cast<const char*>(default_value), default_size_bytes);
  }
  return column;
}

Result<std::string> input_key(const char* key, std::uint32_t size_bytes) {
  if (key == nullptr) return size_bytes == 0 ? Result<std::string>(std::string()) : Error::kInvalidParameter;
  if (size_bytes == 0 || key[size_bytes - 1] != '\0') return Status(Error::kIndexInvalidDef, "key not NUL-terminated");
  return std::string(key, size_bytes);
}

Result<std::string> input_key(const JET_WCHAR* key, std::uint32_t size_bytes) {
  if (key == nullptr) return size_bytes == 0 ? Result<std::string>(std::string()) : Error::kInvalidParameter;
  if (size_bytes % sizeof(JET_WCHAR) != 0) return Status(Error::kIndexInvalidDef, "odd cbKey");
  const auto* units = reinterpret_cast<const char16_t*>(key);
  if (size_bytes == 0 || units[size_bytes / sizeof(JET_WCHAR) - 1] != 0) {
    return Status(Error::kIndexInvalidDef, "key not NUL-terminated");
  }
  return utf16_to_utf8(std::u16string_view(units, size_bytes / sizeof(JET_WCHAR)));
}

Result<std::uint32_t> lcid_from_locale_name(const JET_WCHAR* locale_name) {
  Result<std::string> name = input_string(locale_name);
  if (!name.ok()) return name.status();
  std::string lower = name.value();
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  if (lower.empty()) return 0u;
  if (lower == "en-us") return 1033u;
  return Status(Error::kInvalidLanguageId, "locale " + name.value());
}

}  // namespace esent::api
