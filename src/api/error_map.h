// The one table from engine Error to JET_ERR.
#pragma once

#include "api/jet.h"
#include "util/status.h"

namespace esent::api {

JET_ERR to_jet_err(Error error);
inline JET_ERR to_jet_err(const Status& status) { return to_jet_err(status.error()); }

}  // namespace esent::api
