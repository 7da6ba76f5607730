#!/usr/bin/env bash
# The long tier: the CI tier, then the suite under ThreadSanitizer with every test repeated.
# Later issues add many crash seeds, long fuzzing and the benchmarks here.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/test.sh
scripts/install-deps.sh
cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DESENT_SANITIZE_THREAD=ON >/dev/null
cmake --build build-tsan -j "$(nproc)"
TSAN_OPTIONS="halt_on_error=1" ctest --test-dir build-tsan -j "$(nproc)" --output-on-failure \
  --repeat until-fail:20 --timeout 600
