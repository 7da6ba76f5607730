// The demonstration's step printer, shared by its parts: one line per API call, "ok" or
// "FAILED" with the JET_ERR; failures are counted per part.
#pragma once

#include <esent.h>

#include <cstdio>

struct DemoSteps {
  int failures = 0;

  JET_ERR check(const char* what, JET_ERR err) {
    std::printf("  %-58s %s (%d)\n", what, err >= 0 ? "ok" : "FAILED", static_cast<int>(err));
    if (err < 0) ++failures;
    return err;
  }
};
