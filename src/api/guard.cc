#include "api/guard.h"

#include "engine/events.h"

namespace esent::api {

void log_escaped_exception(const char* function, const char* what) {
  engine::write_event("", false, engine::EventLevel::kError,
                      std::string(function) + " failed with an internal exception: " + what);
}

JET_ERR not_yet_available(const char*) noexcept { return JET_errFeatureNotAvailable; }

}  // namespace esent::api
