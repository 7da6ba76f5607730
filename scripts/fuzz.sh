#!/usr/bin/env bash
# Fuzzes every target of tests/fuzz with libFuzzer (tests/fuzz/README.md).
#
# Usage: scripts/fuzz.sh [seconds-per-target] [target...]
#   seconds-per-target  default 60; targets default to all of them.
# Configures build-fuzz with clang (-DESENT_FUZZ=ON), builds the fuzz targets, then runs each
# for the given time over a scratch copy of its corpus and regression files (the committed
# corpus does not grow), printing one line per target:
#   reliability: fuzz <target>: N executions, M s, 0 crashes
# A crash keeps its input in build-fuzz/fuzz-run/<target>-crash-*; the script then exits 1.
# Environment: FUZZ_JOBS (build jobs, default nproc), FUZZ_RSS_MB (default 2048), FUZZ_SEED
# (libFuzzer's -seed: each run prints the seed it used; setting it repeats the mutation order).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(database_header page log checkpoint manifest backup_set api)
fi
jobs=${FUZZ_JOBS:-$(nproc)}
rss_mb=${FUZZ_RSS_MB:-2048}
seed_args=()
if [ -n "${FUZZ_SEED:-}" ]; then seed_args=(-seed="$FUZZ_SEED"); fi

scripts/install-deps.sh
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Debug -DESENT_FUZZ=ON >/dev/null
build_targets=()
for target in "${targets[@]}"; do build_targets+=("${target}_fuzz"); done
cmake --build build-fuzz -j "$jobs" --target "${build_targets[@]}"

run_dir=build-fuzz/fuzz-run
mkdir -p "$run_dir"
status=0
for target in "${targets[@]}"; do
  work="$run_dir/$target"
  rm -rf "$work"
  mkdir -p "$work"
  cp tests/fuzz/corpus/"$target"/* "$work"/
  if [ -d tests/fuzz/regressions/"$target" ]; then
    cp tests/fuzz/regressions/"$target"/* "$work"/ 2>/dev/null || true
  fi
  log="$run_dir/$target.log"
  started=$(date +%s)
  set +e
  ESENT_LOG_LEVEL=off build-fuzz/tests/fuzz/"${target}"_fuzz -max_total_time="$seconds" \
    -rss_limit_mb="$rss_mb" -timeout=25 -print_final_stats=1 "${seed_args[@]}" \
    -artifact_prefix="$run_dir/$target-" "$work" >"$log" 2>&1
  rc=$?
  set -e
  elapsed=$(( $(date +%s) - started ))
  executions=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$log" | tail -n 1)
  seed=$(sed -nE 's/^INFO: Seed: ([0-9]+).*/\1/p' "$log" | head -n 1)
  echo "fuzz $target: libFuzzer seed ${seed:-?} (FUZZ_SEED=${seed:-?} repeats it)"
  crashes=0
  if [ "$rc" -ne 0 ]; then
    crashes=1
    status=1
    echo "fuzz $target failed (exit $rc); the end of $log:" >&2
    tail -n 40 "$log" >&2
  fi
  echo "reliability: fuzz $target: ${executions:-0} executions, $elapsed s, $crashes crashes"
done
exit "$status"
