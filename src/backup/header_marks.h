// Conversions between the log's vocabulary (log/lgpos.h) and the database header's
// (page/database_header.h): the same JET_LGPOS, JET_LOGTIME and JET_SIGNATURE, spelled by two
// layers that do not know each other.
#pragma once

#include <cstring>

#include "log/lgpos.h"
#include "page/database_header.h"

namespace esent::backup {

inline page::LogPosition to_header(log::Lgpos position) {
  return page::LogPosition{position.byte, position.sector,
                           static_cast<std::int32_t>(position.generation)};
}

inline log::Lgpos from_header(page::LogPosition position) {
  return log::Lgpos{static_cast<std::uint32_t>(position.generation), position.sector,
                    position.byte_offset};
}

inline page::LogTime to_header(const log::LogTime& time) {
  const auto& b = time.bytes;
  return page::LogTime{b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]};
}

inline page::Signature to_header(const log::Signature& signature) {
  page::Signature out;
  out.random = signature.random;
  out.created = to_header(signature.created);
  std::memcpy(out.computer_name.data(), signature.computer_name.data(),
              out.computer_name.size());
  return out;
}

}  // namespace esent::backup
