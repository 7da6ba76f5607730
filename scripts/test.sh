#!/usr/bin/env bash
# The CI tier: the whole unit, ABI and API suite, then the same suite under ASan+UBSan.
# Prints ctest's summary for each build and a closing "N passed, N failed" line for both.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
jobs=$(nproc)
passed=0
failed=0
failures=$(mktemp)  # each failed test's name and its first failure lines, printed again at the end
trap 'rm -f "$failures"' EXIT

run_tier() {  # run_tier <build dir> <cmake options...>
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
  local log
  log=$(mktemp)
  set +e
  ctest --test-dir "$dir" -j "$jobs" --output-on-failure --timeout 300 | tee "$log"
  local status=${PIPESTATUS[0]}
  set -e
  local summary
  summary=$(grep -E 'tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -n 1)
  local failed_here total_here
  failed_here=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$summary")
  total_here=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/' <<<"$summary")
  if [ -z "$summary" ]; then failed_here=1; total_here=1; fi
  passed=$((passed + total_here - failed_here))
  failed=$((failed + failed_here))
  if [ "$failed_here" != 0 ]; then
    {
      echo "== $dir: failed tests"
      sed -n '/The following tests FAILED:/,$p' "$log" | grep -E '^[[:space:]]+[0-9]+ - ' || true
      grep -E -A4 '(: Failure$|^\[  FAILED  \]|Exception:|Timeout|Subprocess aborted|Sanitizer)' "$log" |
        head -n 60 || true
    } >>"$failures"
  fi
  rm -f "$log"
  return "$status"
}

status=0
run_tier build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DESENT_BUILD_TESTS=ON || status=1
# The benchmarks are built (and kept compiling) in the first tree only: no test runs them.
run_tier build-asan -DCMAKE_BUILD_TYPE=Debug -DESENT_SANITIZE_ADDRESS=ON -DESENT_BUILD_TESTS=ON -DESENT_BUILD_BENCH=OFF || status=1

# CI shows only the end of the output: repeat what failed just above the closing line.
cat "$failures"
echo "tests: $passed passed, $failed failed"
exit "$status"
