// The one guard every Jet* entry point goes through: it runs the body, maps its Status to a
// JET_ERR through the one table, and lets no exception cross the C boundary
// (std::bad_alloc -> JET_errOutOfMemory, anything else -> JET_errInternalError, logged).
#pragma once

#include <exception>
#include <new>

#include "api/error_map.h"
#include "api/jet.h"
#include "util/status.h"

namespace esent::api {

void log_escaped_exception(const char* function, const char* what);

// `body` returns a Status.
template <typename Body>
JET_ERR guarded(const char* function, Body&& body) noexcept {
  try {
    return to_jet_err(Status(body()));
  } catch (const std::bad_alloc&) {
    return JET_errOutOfMemory;
  } catch (const std::exception& error) {
    log_escaped_exception(function, error.what());
    return JET_errInternalError;
  } catch (...) {
    log_escaped_exception(function, "unknown exception");
    return JET_errInternalError;
  }
}

// The same for a `body` that returns the JET_ERR itself (a code that is not one of ours, such as
// the error a client's status callback returned).
template <typename Body>
JET_ERR guarded_raw(const char* function, Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return JET_errOutOfMemory;
  } catch (const std::exception& error) {
    log_escaped_exception(function, error.what());
    return JET_errInternalError;
  } catch (...) {
    log_escaped_exception(function, "unknown exception");
    return JET_errInternalError;
  }
}

// The JET_ERR a function not built yet returns; see docs/compat.md.
JET_ERR not_yet_available(const char* function) noexcept;

}  // namespace esent::api
