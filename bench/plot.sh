#!/usr/bin/env bash
# Draws the PNG plots of docs/performance.md with gnuplot (Debian package gnuplot-nox, terminal
# pngcairo) from the tab-separated files the benchmarks write with --data-dir. Called by
# bench/run_peers.sh and bench/run_backup_scaling.sh; usable alone on kept data:
#
#   bench/plot.sh peers   docs/performance   # peers.tsv          -> peers-*.png
#   bench/plot.sh scaling docs/performance   # scaling_*.tsv, cache.tsv -> incremental-*.png,
#                                            #                             backup-cache.png
# The PNGs are written into the same folder as the data.
set -euo pipefail

what="$1"
folder="$2"
command -v gnuplot >/dev/null || { echo "gnuplot not found (apt-get install gnuplot-nox)" >&2; exit 1; }

common='set terminal pngcairo noenhanced size 900,480 font "DejaVu Sans,10"
set datafile separator "\t"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set grid ytics
set key top right
set xtics rotate by -30 scale 0'

case "$what" in
  peers)
    gnuplot <<GP
$common
set output "$folder/peers-backup-throughput.png"
set title "Backup alone, cold source, output fsync'd: MiB/s of what each copy wrote"
set ylabel "MiB/s"
plot "$folder/peers.tsv" using 2:xtic(1) title "backup", "" using 3 title "cp -r + fsync of the same engine's live files"
set output "$folder/peers-commit-p99.png"
set title "p99 durable commit latency of the writer, without and during backups"
set ylabel "ms (log scale)"
set logscale y
plot "$folder/peers.tsv" using 7:xtic(1) title "without a backup", "" using 8 title "during backups"
unset logscale y
set output "$folder/peers-commit-rate.png"
set title "Writer durable commits/s, without and during backups"
set ylabel "commits/s"
plot "$folder/peers.tsv" using 5:xtic(1) title "without a backup", "" using 6 title "during backups"
GP
    ;;
  scaling)
    gnuplot <<GP
$common
set style data linespoints
set xtics norotate
set key top left
set xrange [0:*]
set output "$folder/incremental-scaling.png"
set multiplot layout 1,2 title "libesent incremental streaming backup (cold)"
set title "fixed log volume, database grows"
set xlabel "database MiB"
set ylabel "seconds"
set yrange [0:*]
plot "$folder/scaling_db.tsv" using 1:4 title "incremental" lw 2 pt 7, "" using 1:5 title "full (for reference)" lw 1 pt 6
set title "fixed database, log volume grows"
set xlabel "log MiB written since the previous backup"
plot "$folder/scaling_log.tsv" using 2:4 title "incremental" lw 2 pt 7
unset multiplot
set output "$folder/backup-cache.png"
set style data histogram
set key top right
set autoscale x
set xtics norotate
set title "Full streaming backup beside cat and dd of the same files (MiB/s)"
set xlabel ""
set ylabel "MiB/s"
plot "$folder/cache.tsv" using 2:xtic(1) title "libesent full streaming backup", "" using 3 title "cat", "" using 4 title "dd bs=1M"
GP
    ;;
  *)
    echo "usage: bench/plot.sh peers|scaling FOLDER" >&2
    exit 2
    ;;
esac
