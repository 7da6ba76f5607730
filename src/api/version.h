// The engine version JetGetVersion reports: [major:4 | minor:4 | build:16 | service pack:8].
// Clients read the build number ((version & 0xFFFFFF) >> 8) to decide which API generation
// they may call: managed wrappers switch to the W path functions at >= 6000 (Vista) and
// enable Windows 7 APIs at >= 7000. We report Vista's engine (6.0, build 6002) — the
// generation whose API we implement — and raise it as later generations' APIs land.
#pragma once

#include <cstdint>

namespace esent::api {

constexpr std::uint32_t kVersionMajor = 6;
constexpr std::uint32_t kVersionMinor = 0;
constexpr std::uint32_t kVersionBuild = 6002;
constexpr std::uint32_t kVersionServicePack = 0;

constexpr std::uint32_t kReportedVersion = (kVersionMajor << 28) | (kVersionMinor << 24) |
                                           (kVersionBuild << 8) | kVersionServicePack;
static_assert(((kReportedVersion & 0xFFFFFFU) >> 8) == kVersionBuild);

}  // namespace esent::api
