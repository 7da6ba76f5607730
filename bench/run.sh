#!/usr/bin/env bash
# The one command behind docs/performance.md: builds esent-bench-storage in Release, runs it
# (every figure the median of several runs), and rewrites docs/performance.md with the command,
# the date, the machine, the versions, the tables and their interpretation.
#
#   bench/run.sh                      # 1,000,000 rows, 3 runs per figure (about 4 minutes)
#   ROWS=100000 REPEAT=1 bench/run.sh # a quick look (still rewrites the document)
#   BENCH_DIR=/mnt/nvme bench/run.sh  # put the temporary databases elsewhere
#   BENCH_OUTPUT=/tmp/p.md bench/run.sh # write somewhere else than docs/performance.md
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/section.sh
source "$repo/bench/section.sh"
build="$repo/build-bench"
rows="${ROWS:-1000000}"
repeat="${REPEAT:-3}"
output="${BENCH_OUTPUT:-$repo/docs/performance.md}"
parent="${BENCH_DIR:-/tmp}"

bench_build esent-bench-storage

bench_make_scratch bench

args=(--rows "$rows" --repeat "$repeat" --cache-mib 256,64,4 --wal-cache-mib 64 --wal-repeat 1
      --dir "$work")
bench_run esent-bench-storage "${args[@]}"

bench_describe_machine "$work"
commit="$(bench_commit)"
sqlite_version="$(sed -n 's/.*SQLite \([0-9.]*\),.*/\1/p' "$results" | head -1)"

# Every generated section of the other scripts (between its "<!-- NAME-bench:begin" and
# "<!-- NAME-bench:end -->" lines: bench/run_commit.sh, run_backup.sh, run_restore.sh,
# run_backup_instance.sh, run_backup_scaling.sh, run_peers.sh) is kept as it is, in its order.
kept_sections=""
if [ -f "$output" ]; then
  kept_sections="$(awk '/^<!-- [a-z-]+-bench:begin/ { on = 1 }
                        on { print }
                        /^<!-- [a-z-]+-bench:end -->/ { on = 0; print "" }' "$output")"
fi

{
  cat <<DOC
# Performance

Insert and point-lookup throughput of libesent beside SQLite, on the same machine, with the
same workload, in the same run. This file is generated: change \`bench/run.sh\` or
\`bench/analysis.md\`, not this file. The sections after this one (commits, backups, restore,
incremental scaling, the peers' backups) come from their own scripts, each named in its section;
**\`bench/run-all.sh\` runs every section in turn** and rewrites the whole file with its plots
(\`docs/performance/*.png\`).

## How these figures were produced

\`\`\`
ROWS=$rows REPEAT=$repeat bench/run.sh
\`\`\`

which builds \`esent-bench-storage\` in Release and runs

\`\`\`
build-bench/bench/esent-bench-storage ${args[*]/#$work/<fresh temporary folder>}
\`\`\`

- Date: $(date -u '+%Y-%m-%d %H:%M UTC') (the run took ${elapsed} s)
- Machine: $(nproc) CPUs, $cpu_model, $memory_gib GiB RAM, Linux $(uname -r)
- Temporary folder: under \`$parent\`, file system $filesystem
- libesent commit $commit, built with $compiler, \`-O3\` (CMake Release)
- SQLite $sqlite_version (the system library, Debian package libsqlite3-dev)

## Workload

Every row is a 4-byte integer key (the clustered primary key) and a 100-byte binary payload
derived from the key. For each cache size and each run, each engine starts with empty files:

1. **random insert**: $rows rows in a seeded random key order, transactions of 1,000 rows,
   then the database is closed (libesent: JetCloseTable + JetDetachDatabase; SQLite:
   \`sqlite3_close\`). The time includes the close, so every dirty page has been written to
   the operating system by both engines.
2. **sequential insert**: the same, in ascending key order, into a second database.
3. **point lookup**: the sequential database reopened (engine cache empty, OS page cache warm);
   $rows lookups of random existing keys, 1,000 per transaction. libesent:
   JetMakeKey + JetSeek(JET_bitSeekEQ) + JetRetrieveColumn; SQLite: a prepared
   \`SELECT payload FROM rows WHERE key = ?\`. Every lookup must find its row with the right payload.
4. **full scan**: every row in key order in one transaction, reading key and payload
   (JetMove + two JetRetrieveColumn calls vs \`SELECT key, payload FROM rows ORDER BY key\`);
   the scan must return exactly the $rows keys in order.

Figures are rows per second (higher is better); a ratio below 1 means libesent is slower.
The benchmark exits non-zero, and this file is not rewritten, if any call fails or any check
does not hold.

## Settings: what is comparable

| | libesent | sqlite-off | sqlite-wal (reference) |
|---|---|---|---|
| durability | JET_paramRecovery "off": no log exists yet; nothing is durable before detach | \`journal_mode=OFF\`, \`synchronous=OFF\`: no journal, no fsync | \`journal_mode=WAL\`, \`synchronous=NORMAL\`: fsync at checkpoints |
| page size | 4 KiB (JET_paramDatabasePageSize) | 4 KiB (\`PRAGMA page_size\`) | 4 KiB |
| cache | JET_paramCacheSizeMax = cache / 4 KiB pages | \`PRAGMA cache_size = -KiB\` | same |
| table | Key Long NOT NULL, primary index \`+key\`; Payload Binary(255) | \`key INTEGER PRIMARY KEY\` (the rowid B-tree), \`payload BLOB\` | same |

**sqlite-off is the like-for-like comparison**: neither engine logs or syncs. sqlite-wal is
SQLite's usual production setting, shown once (one run, 64 MiB cache only) as a reference for
what durability costs; it is not comparable with libesent until libesent has its log. Its random
insert is slow because every commit of 1,000 random rows dirties most leaf pages, and the WAL
is checkpointed (with fsyncs) after almost every commit.

Three cache sizes: 256 MiB holds the whole file of either engine (see the file sizes); 64 MiB
holds about half of it and 4 MiB a few percent, so those phases also read pages the engine does
not hold. Such pages come from the operating system's page cache, not from the disk: the
machine has enough memory for the files, and the benchmark does not drop the OS cache. The
smaller caches therefore show the cost of a miss inside each engine (a \`pread\` of a cached
page), not disk latency. Each figure is the median of the runs stated under its table; the
machine may be shared with other work, so differences of 10-20% between two runs of this
script are noise.

## Results

DOC
  sed -n '/^### /,$p' "$results"
  echo
  if [ -f "$repo/bench/analysis.md" ]; then
    cat "$repo/bench/analysis.md"
  fi
  if [ -n "$kept_sections" ]; then
    echo
    echo "$kept_sections"
  fi
} >"$output"
echo "wrote $output" >&2
