// Log positions, log times and log signatures: the log layer's vocabulary, shaped as ESE's
// JET_LGPOS, JET_LOGTIME and JET_SIGNATURE so they cross the API unchanged.
//
// Lgpos: (generation, sector, byte). Sectors are kSectorBytes long and counted from the start
// of the log file, header included; byte is the offset within the sector. Positions compare as
// one 64-bit number (generation, then sector, then byte), which is also how the buffer cache
// stores them (packed()). Position 0 (generation 0) is "no position".
#pragma once

#include <array>
#include <compare>
#include <cstdint>

namespace esent::log {

inline constexpr std::uint32_t kSectorBytes = 512;

struct Lgpos {
  std::uint32_t generation = 0;
  std::uint16_t sector = 0;
  std::uint16_t byte = 0;

  constexpr std::uint64_t packed() const {
    return (std::uint64_t{generation} << 32) | (std::uint64_t{sector} << 16) | byte;
  }
  static constexpr Lgpos unpack(std::uint64_t value) {
    return Lgpos{static_cast<std::uint32_t>(value >> 32),
                 static_cast<std::uint16_t>(value >> 16), static_cast<std::uint16_t>(value)};
  }
  constexpr bool is_null() const { return packed() == 0; }
  friend constexpr auto operator<=>(const Lgpos& a, const Lgpos& b) {
    return a.packed() <=> b.packed();
  }
  friend constexpr bool operator==(const Lgpos& a, const Lgpos& b) {
    return a.packed() == b.packed();
  }
};

// JET_LOGTIME's eight bytes, exactly (byte 6: bit 0 UTC, bits 1-7 milliseconds low 7 bits;
// byte 7: bits 1-3 milliseconds high 3 bits). Always UTC here.
struct LogTime {
  std::array<std::uint8_t, 8> bytes{};

  static LogTime now();
  bool is_null() const;
  friend bool operator==(const LogTime&, const LogTime&) = default;
};

// JET_SIGNATURE's 28 bytes: a random 32-bit value, the creation time, and a computer name that
// is always zero-filled (as current ESE does). Identifies one log sequence (signLog) or one
// database (signDb).
struct Signature {
  std::uint32_t random = 0;
  LogTime created;
  std::array<std::uint8_t, 16> computer_name{};

  static Signature generate();
  bool is_null() const { return random == 0 && created.is_null(); }
  friend bool operator==(const Signature&, const Signature&) = default;
};

}  // namespace esent::log
