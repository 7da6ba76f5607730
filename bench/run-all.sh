#!/usr/bin/env bash
# The one command behind the whole of docs/performance.md: runs every benchmark section in turn,
# each through its own script (which stays usable alone), and leaves the document with every
# table, its interpretation and the PNG plots in docs/performance/. Every figure in it is a ratio
# taken within one run of one section's program, on this machine.
#
#   bench/run-all.sh                      # the full sizes (256 MiB databases, 1,000,000 rows,
#                                         # 3 runs per figure: roughly 30-40 minutes on 2 CPUs)
#   DB_MIB=32 ROWS=100000 REPEAT=1 SECONDS_PER_RUN=1 REPLAY_MIB=16 LOG_MIB=8 bench/run-all.sh
#                                         # a quick pass over every section (about 4 minutes)
#   SECTIONS="peers scaling" bench/run-all.sh         # some sections only, in that order
#   BENCH_OUTPUT=/tmp/p.md bench/run-all.sh           # write elsewhere (plots in /tmp/performance)
#
# The variables of each script (DB_MIB, REPEAT, ROWS, SECONDS_PER_RUN, ...) pass through; each
# script's header lists its own. The sections, in the document's order:
#   storage   bench/run.sh                 insert / lookup / scan beside SQLite (writes the
#                                          document's first part and keeps the sections below)
#   commit    bench/run_commit.sh          commit throughput beside SQLite and LMDB, log replay
#   backup    bench/run_backup.sh          streaming backup vs a sequential read; writers
#   restore   bench/run_restore.sh         restore: image copy and log replay
#   instance  bench/run_backup_instance.sh JetBackupInstance vs cp; writers; rate limit
#   scaling   bench/run_backup_scaling.sh  incremental scaling; cold / warm vs cat and dd
#   peers     bench/run_peers.sh           the peers' online backups under the same writer
# A section that fails stops the run (set -e); the sections already written stay written.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sections="${SECTIONS:-storage commit backup restore instance scaling peers}"

start=$(date +%s)
for name in $sections; do
  case "$name" in
    storage) script=run.sh ;;
    commit) script=run_commit.sh ;;
    backup) script=run_backup.sh ;;
    restore) script=run_restore.sh ;;
    instance) script=run_backup_instance.sh ;;
    scaling) script=run_backup_scaling.sh ;;
    peers) script=run_peers.sh ;;
    *) echo "unknown section $name (storage commit backup restore instance scaling peers)" >&2
       exit 2 ;;
  esac
  echo "=== $name: bench/$script ($(date -u '+%H:%M:%S'))" >&2
  "$repo/bench/$script"
done
echo "=== every section done in $(( $(date +%s) - start )) s: ${BENCH_OUTPUT:-$repo/docs/performance.md}" >&2
