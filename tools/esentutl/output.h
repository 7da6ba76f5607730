// esentutl's output: text for people, one JSON object for scripts (--json), and the one way
// errors are reported (the JET_ERR's name, number and text, and the exit code).
//
// Exit codes: kExitOk (0) success; kExitFailed (1) the operation failed or found damage (the
// JET_ERR is printed); kExitUsage (2) the command line was wrong.
#pragma once

#include <esent.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace esentutl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

// An ordered JSON object (keys keep their insertion order, so output is stable).
class Json {
 public:
  Json& add(const std::string& key, const std::string& value);
  Json& add(const std::string& key, const char* value) { return add(key, std::string(value)); }
  Json& add(const std::string& key, std::int64_t value);
  Json& add(const std::string& key, std::uint64_t value);
  Json& add(const std::string& key, std::uint32_t value) { return add(key, std::uint64_t{value}); }
  Json& add(const std::string& key, std::int32_t value) { return add(key, std::int64_t{value}); }
  Json& add(const std::string& key, bool value);
  Json& add(const std::string& key, double value);  // 3 decimals
  Json& add(const std::string& key, const Json& value);
  Json& add(const std::string& key, const std::vector<Json>& values);
  Json& add_null(const std::string& key);
  // Appends every member of `other`, in its order.
  Json& append(const Json& other);
  std::string str() const;
  bool empty() const { return members_.empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> members_;  // key, encoded value
};

// The JET_ERR's name and text from the library (JET_paramErrorToString): "JET_errReadVerifyFailure
// (-1018): Checksum error on a database page".
std::string describe_error(JET_ERR err);
// Only the name ("JET_errReadVerifyFailure").
std::string error_name(JET_ERR err);
// An error as a JSON object: {"code": -1018, "name": "...", "message": "..."}.
Json error_json(JET_ERR err, const std::string& context);

// Reports a failed operation: "esentutl: <context>: JET_errX (-n): text" on stderr, and with
// `json` the object `result` with "ok": false and "error" added on stdout. Returns kExitFailed.
int report_failure(bool json, JET_ERR err, const std::string& context,
                   const Json& result = Json());
// Reports a usage error on stderr (and as JSON with `json`). Returns kExitUsage.
int report_usage(bool json, const std::string& verb, const std::string& message);
// Prints a successful result object (with "ok": true first) on stdout.
void print_json(const Json& result, bool ok = true);

// JSON and text forms of ESE's value types.
Json lgpos_json(const JET_LGPOS& position);
std::string lgpos_text(const JET_LGPOS& position);
// ISO 8601 UTC ("2026-11-22T14:47:23.123Z"), or "" for an unset time.
std::string logtime_text(const JET_LOGTIME& time);
Json signature_json(const JET_SIGNATURE& signature);
std::string signature_text(const JET_SIGNATURE& signature);
Json bkinfo_json(const JET_BKINFO& info);
std::string bkinfo_text(const JET_BKINFO& info);
// Adds `key` as the time text, or null when unset.
void add_time(Json& json, const std::string& key, const JET_LOGTIME& time);

// "  label: value" lines, labels padded so values line up.
void print_field(const std::string& label, const std::string& value);

}  // namespace esentutl
