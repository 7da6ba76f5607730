#include "util/status.h"

namespace esent {

const char* error_name(Error error) {
  switch (error) {
#define ESENT_ERROR_NAME(name) \
  case Error::k##name:         \
    return #name;
    ESENT_ERRORS(ESENT_ERROR_NAME)
#undef ESENT_ERROR_NAME
  }
  return "Unknown";
}

std::string Status::to_string() const {
  std::string text = error_name(error_);
  if (!detail_.empty()) {
    text += ": ";
    text += detail_;
  }
  return text;
}

}  // namespace esent
