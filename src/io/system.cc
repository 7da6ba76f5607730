#include "io/system.h"

#include <unistd.h>

#include <chrono>
#include <climits>
#include <random>

namespace esent::io {

std::int64_t now_unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::uint32_t random_u32() {
  static thread_local std::random_device device;
  return device();
}

std::string host_name() {
  char buffer[HOST_NAME_MAX + 1] = {};
  if (::gethostname(buffer, sizeof buffer - 1) != 0) return "localhost";
  std::string name(buffer);
  return name.substr(0, 15);
}

}  // namespace esent::io
