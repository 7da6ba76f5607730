// Sets the process's umask for one scope (a test) and restores the previous one. The umask is
// process-wide: only for tests that run one at a time in their process (GoogleTest's default).
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

namespace esent_test {

class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : previous_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(previous_); }
  ScopedUmask(const ScopedUmask&) = delete;
  ScopedUmask& operator=(const ScopedUmask&) = delete;

 private:
  mode_t previous_;
};

}  // namespace esent_test
