// Names and one-line descriptions of every public JET_ERR, for JET_paramErrorToString.
#pragma once

#include "api/jet.h"

namespace esent::api {

struct ErrorText {
  JET_ERR value;
  const char* name;         // "JET_errInvalidParameter"
  const char* description;  // "invalid API parameter"
};

// The entry for `error`, or nullptr for a value no public name has.
const ErrorText* find_error_text(JET_ERR error);

}  // namespace esent::api
