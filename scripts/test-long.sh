#!/usr/bin/env bash
# The long tier: the CI tier; then the randomized, load and crash tests at full size
# (ESENT_LONG_TESTS=1: more seeds, longer runs, the million-row load even under sanitizers;
# hundreds of power-loss seeds and killed-child runs against the crash oracle, the log's own
# crash and corruption seeds, the backup range-lock stress for 20 s, every crash point of a
# restore with 4 seeds, restores of backups taken under load); then the suite under
# ThreadSanitizer: the big loads once, every other test once, and the tests of the concurrent
# machinery (backup, restore, log, checkpoint, recovery, termination, sessions on threads)
# repeated TSAN_REPEAT times (default 20); then libFuzzer on every fuzz target (clang tree
# build-fuzz, FUZZ_SECONDS per target, default 300). The fault and crash sweeps visit every call
# point here, the SIGKILL tests run 40 kills per mode (docs/reliability.md).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/test.sh
heavy='StorageScale|TreeLoad|TreeDifferential|StorageStress|StorageFault|SnapshotDifferential|SnapshotStress|SmallCacheDifferential|SmallCacheStress|LongValueTransaction|CrashOracle|LogCrash|CheckpointCrash|BackupRead.Stress|RestoreCrash|RestoreUnderLoad|BackupInstanceCrash|BackupFaultSweep|BackupCrashSweep|TruncateLogSweep|RestoreFaultSweep|RecoveryFaultSweep|BackupInstanceFaultSweep|CrashKill|FuzzMutate'
ESENT_LONG_TESTS=1 ctest --test-dir build -j "$(nproc)" --output-on-failure --timeout 1800 -R "$heavy"

scripts/install-deps.sh
cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DESENT_SANITIZE_THREAD=ON >/dev/null
cmake --build build-tsan -j "$(nproc)"
# The big loads touch tens of thousands of pages through a few hundred cache frames; TSan's
# lock-order graph over frame latches (frames change pages, see tests/tsan.supp) then grows
# without bound, so they run with data-race detection only. Every other test keeps deadlock
# detection too.
# The catalog's recovery tests walk every tree with the pages' latches: the same growth, in
# seconds without the detector and past the 10-minute timeout with it.
latches='DatabaseRecoveryTest'
TSAN_OPTIONS="halt_on_error=1 detect_deadlocks=0" \
  ctest --test-dir build-tsan -j "$(nproc)" --output-on-failure --timeout 1200 -R "$heavy|$latches"
TSAN_OPTIONS="halt_on_error=1 suppressions=$PWD/tests/tsan.supp" \
  ctest --test-dir build-tsan -j "$(nproc)" --output-on-failure --timeout 600 -E "$heavy|$latches"
concurrent='Backup|Restore|Log|Checkpoint|Recovery|Term|Thread|Concurren|Stop'
TSAN_OPTIONS="halt_on_error=1 suppressions=$PWD/tests/tsan.supp" \
  ctest --test-dir build-tsan -j "$(nproc)" --output-on-failure --repeat until-fail:"${TSAN_REPEAT:-20}" \
  --timeout 600 -R "$concurrent" -E "$heavy|$latches"

scripts/fuzz.sh "${FUZZ_SECONDS:-300}"
