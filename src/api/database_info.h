// Filling JetGetDatabaseFileInfo / JetGetDatabaseInfo results from a database header.
#pragma once

#include <cstdint>

#include "api/jet.h"
#include "page/database_header.h"
#include "util/status.h"

namespace esent::api {

// JET_DbInfoMisc: `cb_max` must be the size of one of JET_DBINFOMISC .. JET_DBINFOMISC4, which
// is filled; any other size → kInvalidBufferSize.
Status fill_dbinfomisc(const page::DatabaseHeader& header, void* out, std::uint32_t cb_max);

}  // namespace esent::api
