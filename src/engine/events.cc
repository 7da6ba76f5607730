#include "engine/events.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <mutex>

namespace esent::engine {

std::shared_ptr<spdlog::logger> event_logger() {
  static std::once_flag once;
  static std::shared_ptr<spdlog::logger> logger;
  std::call_once(once, [] {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    logger = std::make_shared<spdlog::logger>("esent", sink);
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
    const char* level = std::getenv("ESENT_LOG_LEVEL");
    logger->set_level(level != nullptr ? spdlog::level::from_str(level) : spdlog::level::info);
  });
  return logger;
}

void write_event(std::string_view source, bool quiet_information, EventLevel level,
                 std::string_view message) {
  if (level == EventLevel::kInformation && quiet_information) return;
  spdlog::level::level_enum spd_level = spdlog::level::info;
  if (level == EventLevel::kWarning) spd_level = spdlog::level::warn;
  if (level == EventLevel::kError) spd_level = spdlog::level::err;
  std::string_view shown_source = source.empty() ? std::string_view("ESENT") : source;
  event_logger()->log(spd_level, "{}: {}", shown_source, message);
}

}  // namespace esent::engine
