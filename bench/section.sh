# shellcheck shell=bash
# The callers set repo, build, parent, results, log and output before calling these.
# shellcheck disable=SC2154,SC2034  # and use the variables these set
# Shared steps of the benchmark scripts (bench/run.sh, bench/run_commit.sh,
# bench/run_backup.sh, bench/run_restore.sh, bench/run_backup_instance.sh); sourced, never
# run. Each function works on the caller's variables named below and fails the script
# (set -euo pipefail in the caller) when a step fails.

# bench_build TARGET: configures build-bench ($build) in Release with the benchmarks on and builds
# TARGET. Needs $repo and $build.
bench_build() {
  "$repo/scripts/install-deps.sh" --bench
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DESENT_BUILD_TESTS=OFF \
    -DESENT_BUILD_BENCH=ON >/dev/null
  cmake --build "$build" --target "$1" -j"$(nproc)" >/dev/null
}

# bench_make_scratch TAG: makes $work, a fresh folder $parent/esent-TAG-XXXXXX, and the temporary
# files $results, $log and $section; all are removed when the script exits (an EXIT trap).
bench_make_scratch() {
  work="$(mktemp -d "$parent/esent-$1-XXXXXX")"
  results="$(mktemp)"
  log="$(mktemp)"
  section="$(mktemp)"
  trap 'rm -rf "$work" "$results" "$log" "$section"' EXIT
}

# bench_run PROGRAM ARGS...: runs build-bench/bench/PROGRAM with ARGS, its standard output into
# $results and its standard error into $log, and sets $elapsed (whole seconds). On failure it
# shows the log (less the engine's ESENT: lines) and exits 1, leaving $output unchanged.
bench_run() {
  local program="$1"
  shift
  echo "running $program $*" >&2
  local start
  start=$(date +%s)
  if ! "$build/bench/$program" "$@" >"$results" 2>"$log"; then
    grep -v "ESENT:" "$log" >&2 || true
    echo "benchmark FAILED; $output left unchanged" >&2
    exit 1
  fi
  elapsed=$(( $(date +%s) - start ))
  grep -v "ESENT:" "$log" >&2 || true
}

# bench_describe_machine FOLDER: sets cpu_model, memory_gib, compiler, and for the file system
# that holds FOLDER: filesystem, device and rotational (the kernel's flag, or "unknown").
bench_describe_machine() {
  cpu_model="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  memory_gib="$(awk '/MemTotal/ {printf "%.1f", $2 / 1048576}' /proc/meminfo)"
  filesystem="$(df -T "$1" | awk 'NR == 2 {print $2}')"
  device="$(df "$1" | awk 'NR == 2 {print $1}')"
  local device_name
  device_name="$(basename "$device")"
  rotational="$(cat "/sys/block/$device_name/queue/rotational" 2>/dev/null || echo unknown)"
  compiler="$(c++ --version | head -1)"
}

# bench_commit [PATHSPEC...]: prints the short commit of $repo, with "(with uncommitted
# changes)" when tracked files (limited to PATHSPEC when given) differ from it.
bench_commit() {
  local commit
  commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no -- "$@" 2>/dev/null)" ]; then
    commit="$commit (with uncommitted changes)"
  fi
  echo "$commit"
}

# bench_replace_section OUTPUT SECTION BEGIN END: replaces the text of OUTPUT from the line BEGIN
# to the line END (inclusive, with END's newline) by the file SECTION; appends SECTION (after a
# blank line) when OUTPUT has no BEGIN line or does not exist.
bench_replace_section() {
  local output_file="$1" section_file="$2" begin="$3" end="$4"
  if [ -f "$output_file" ] && grep -qF "$begin" "$output_file"; then
    python3 - "$output_file" "$section_file" "$begin" "$end" <<'PY'
import sys
path, section_path, begin, end = sys.argv[1:5]
text = open(path).read()
section = open(section_path).read()
start = text.index(begin)
stop = text.index(end, start) + len(end)
if text[stop:stop + 1] == "\n":
    stop += 1
open(path, "w").write(text[:start] + section + text[stop:])
PY
  else
    { [ -f "$output_file" ] && echo; cat "$section_file"; } >>"$output_file"
  fi
}

# bench_load_begin / bench_load_end: the 1, 5 and 15-minute load averages before and after the
# run ($load_before, $load_after), and $load_note, a sentence for the document saying whether
# the 1-minute load reached the CPU count (figures taken under load).
bench_load_begin() {
  load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
}
bench_load_end() {
  load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
  local cpus
  cpus="$(nproc)"
  if awk -v a="${load_before%% *}" -v b="${load_after%% *}" -v n="$cpus" \
      'BEGIN { exit !(a >= n || b >= n) }'; then
    load_note="**These figures were taken under load**: the 1-minute load average was at or above
  the CPU count before or after the run (other work shared the CPUs and the disk), so every
  figure carries that noise; the same-run ratios are the figures to read."
  else
    load_note="The 1-minute load average stayed below the CPU count before and after the run."
  fi
}

# bench_plot_folder: sets $plots, the folder for the PNG plots and their data: performance/
# beside $output (docs/performance/ for docs/performance.md), created if missing.
bench_plot_folder() {
  plots="$(dirname "$output")/performance"
  mkdir -p "$plots"
}
