// Text and JSON output and error reporting for esentutl (output.h).
#include "output.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace esentutl {
namespace {

std::string quote(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(byte));
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// "JET_errName, description" from the library.
std::pair<std::string, std::string> error_parts(JET_ERR err) {
  JET_API_PTR code = static_cast<JET_API_PTR>(static_cast<std::int64_t>(err));
  char text[512] = {};
  if (JetGetSystemParameter(0, 0, JET_paramErrorToString, &code, text, sizeof text) < 0) {
    return {"JET_err" + std::to_string(err), ""};
  }
  const std::string whole = text;
  const std::size_t comma = whole.find(", ");
  if (comma == std::string::npos) return {whole, ""};
  return {whole.substr(0, comma), whole.substr(comma + 2)};
}

}  // namespace

Json& Json::add(const std::string& key, const std::string& value) {
  members_.emplace_back(key, quote(value));
  return *this;
}
Json& Json::add(const std::string& key, std::int64_t value) {
  members_.emplace_back(key, std::to_string(value));
  return *this;
}
Json& Json::add(const std::string& key, std::uint64_t value) {
  members_.emplace_back(key, std::to_string(value));
  return *this;
}
Json& Json::add(const std::string& key, bool value) {
  members_.emplace_back(key, value ? "true" : "false");
  return *this;
}
Json& Json::add(const std::string& key, double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.3f", value);
  members_.emplace_back(key, text);
  return *this;
}
Json& Json::add(const std::string& key, const Json& value) {
  members_.emplace_back(key, value.str());
  return *this;
}
Json& Json::add(const std::string& key, const std::vector<Json>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i != 0) out += ",";
    out += values[i].str();
  }
  members_.emplace_back(key, out + "]");
  return *this;
}
Json& Json::append(const Json& other) {
  members_.insert(members_.end(), other.members_.begin(), other.members_.end());
  return *this;
}
Json& Json::add_null(const std::string& key) {
  members_.emplace_back(key, "null");
  return *this;
}

std::string Json::str() const {
  std::string out = "{";
  for (std::size_t i = 0; i < members_.size(); ++i) {
    if (i != 0) out += ",";
    out += quote(members_[i].first) + ":" + members_[i].second;
  }
  return out + "}";
}

std::string error_name(JET_ERR err) { return error_parts(err).first; }

std::string describe_error(JET_ERR err) {
  auto [name, text] = error_parts(err);
  std::string out = name + " (" + std::to_string(err) + ")";
  if (!text.empty()) out += ": " + text;
  return out;
}

Json error_json(JET_ERR err, const std::string& context) {
  auto [name, text] = error_parts(err);
  Json json;
  json.add("code", std::int64_t{err})
      .add("name", name)
      .add("message", text)
      .add("context", context);
  return json;
}

int report_failure(bool json, JET_ERR err, const std::string& context, const Json& result) {
  std::fprintf(stderr, "esentutl: %s: %s\n", context.c_str(), describe_error(err).c_str());
  if (json) {
    Json out;
    out.add("ok", false).add("error", error_json(err, context)).append(result);
    std::printf("%s\n", out.str().c_str());
  }
  return kExitFailed;
}

int report_usage(bool json, const std::string& verb, const std::string& message) {
  std::fprintf(stderr, "esentutl%s%s: %s (see esentutl %s--help)\n", verb.empty() ? "" : " ",
               verb.c_str(), message.c_str(), verb.empty() ? "" : (verb + " ").c_str());
  if (json) {
    Json out;
    out.add("ok", false).add("usage_error", message);
    std::printf("%s\n", out.str().c_str());
  }
  return kExitUsage;
}

void print_json(const Json& result, bool ok) {
  Json out;
  out.add("ok", ok).append(result);
  std::printf("%s\n", out.str().c_str());
}

Json lgpos_json(const JET_LGPOS& position) {
  Json json;
  json.add("generation", std::int64_t{position.lGeneration})
      .add("sector", std::uint64_t{position.isec})
      .add("byte", std::uint64_t{position.ib});
  return json;
}

std::string lgpos_text(const JET_LGPOS& position) {
  char text[64];
  std::snprintf(text, sizeof text, "(0x%X,%u,%u)", static_cast<unsigned>(position.lGeneration),
                static_cast<unsigned>(position.isec), static_cast<unsigned>(position.ib));
  return text;
}

std::string logtime_text(const JET_LOGTIME& time) {
  unsigned char bytes[8];
  static_assert(sizeof bytes == sizeof time);
  std::memcpy(bytes, &time, sizeof bytes);
  if (bytes[4] == 0) return "";
  const unsigned milliseconds = (bytes[6] >> 1) | (((bytes[7] >> 1) & 0x7u) << 7);
  char text[64];
  std::snprintf(text, sizeof text, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ", 1900u + bytes[5],
                bytes[4], bytes[3], bytes[2], bytes[1], bytes[0], milliseconds);
  return text;
}

void add_time(Json& json, const std::string& key, const JET_LOGTIME& time) {
  const std::string text = logtime_text(time);
  if (text.empty()) {
    json.add_null(key);
  } else {
    json.add(key, text);
  }
}

Json signature_json(const JET_SIGNATURE& signature) {
  Json json;
  json.add("random", std::uint64_t{signature.ulRandom});
  add_time(json, "created", signature.logtimeCreate);
  char name[sizeof signature.szComputerName + 1] = {};
  std::memcpy(name, signature.szComputerName, sizeof signature.szComputerName);
  json.add("computer", std::string(name));
  return json;
}

std::string signature_text(const JET_SIGNATURE& signature) {
  const std::string created = logtime_text(signature.logtimeCreate);
  return "Create time: " + (created.empty() ? std::string("none") : created) +
         " Rand: " + std::to_string(signature.ulRandom);
}

Json bkinfo_json(const JET_BKINFO& info) {
  Json json;
  json.add("mark", lgpos_json(info.lgposMark));
  add_time(json, "time", info.logtimeMark);
  json.add("generation_low", std::uint64_t{info.genLow})
      .add("generation_high", std::uint64_t{info.genHigh});
  return json;
}

std::string bkinfo_text(const JET_BKINFO& info) {
  if (info.genLow == 0 && info.genHigh == 0 && info.lgposMark.lGeneration == 0) return "none";
  const std::string time = logtime_text(info.logtimeMark);
  return "Log Gen: " + std::to_string(info.genLow) + "-" + std::to_string(info.genHigh) +
         " Mark: " + lgpos_text(info.lgposMark) + " Time: " + (time.empty() ? "none" : time);
}

void print_field(const std::string& label, const std::string& value) {
  std::printf("  %-26s %s\n", (label + ":").c_str(), value.c_str());
}

}  // namespace esentutl
