// Events: what ESE writes to the Windows event log becomes spdlog records on the "esent"
// logger (stderr by default; ESENT_LOG_LEVEL=trace|debug|info|warn|error|off overrides the
// level). The record carries the instance's JET_paramEventSource; information events are
// dropped when the instance sets JET_paramNoInformationEvent.
#pragma once

#include <memory>
#include <string_view>

namespace spdlog {
class logger;
}

namespace esent::engine {

enum class EventLevel { kInformation, kWarning, kError };

// The process-wide "esent" logger (created on first use).
std::shared_ptr<spdlog::logger> event_logger();

// Writes one event. `source` is the event source; `quiet_information` drops kInformation.
void write_event(std::string_view source, bool quiet_information, EventLevel level,
                 std::string_view message);

}  // namespace esent::engine
