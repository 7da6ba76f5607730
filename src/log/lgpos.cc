#include "log/lgpos.h"

#include <chrono>
#include <ctime>
#include <random>

namespace esent::log {

LogTime LogTime::now() {
  using namespace std::chrono;
  const auto since_epoch = system_clock::now().time_since_epoch();
  const auto seconds = duration_cast<std::chrono::seconds>(since_epoch);
  const auto milliseconds = static_cast<unsigned>(
      duration_cast<std::chrono::milliseconds>(since_epoch - seconds).count());
  const std::time_t t = static_cast<std::time_t>(seconds.count());
  std::tm utc{};
  gmtime_r(&t, &utc);
  LogTime time;
  time.bytes[0] = static_cast<std::uint8_t>(utc.tm_sec);
  time.bytes[1] = static_cast<std::uint8_t>(utc.tm_min);
  time.bytes[2] = static_cast<std::uint8_t>(utc.tm_hour);
  time.bytes[3] = static_cast<std::uint8_t>(utc.tm_mday);
  time.bytes[4] = static_cast<std::uint8_t>(utc.tm_mon + 1);
  time.bytes[5] = static_cast<std::uint8_t>(utc.tm_year);
  time.bytes[6] = static_cast<std::uint8_t>(1u | ((milliseconds & 0x7Fu) << 1));
  time.bytes[7] = static_cast<std::uint8_t>(((milliseconds >> 7) & 0x7u) << 1);
  return time;
}

bool LogTime::is_null() const {
  for (std::uint8_t b : bytes) {
    if (b != 0) return false;
  }
  return true;
}

Signature Signature::generate() {
  static thread_local std::mt19937 engine{std::random_device{}()};
  Signature signature;
  do {
    signature.random = static_cast<std::uint32_t>(engine());
  } while (signature.random == 0);
  signature.created = LogTime::now();
  return signature;
}

}  // namespace esent::log
