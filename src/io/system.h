// The other OS effects the engine needs besides files: clock, randomness, host name.
#pragma once

#include <cstdint>
#include <string>

namespace esent::io {

std::int64_t now_unix_seconds();
std::uint32_t random_u32();
// The machine's name, at most 15 bytes (JET_MAX_COMPUTERNAME_LENGTH).
std::string host_name();

}  // namespace esent::io
