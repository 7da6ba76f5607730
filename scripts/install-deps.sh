#!/usr/bin/env bash
# Installs the Debian packages libesent builds and tests with, if any is missing; with --bench,
# also the peers and tools the benchmarks compare against and plot with (bench/run-all.sh), which
# the library, its tests and the demonstration do not need.
# Idempotent: with everything present it changes nothing and needs no network.
set -euo pipefail

packages=(g++ gcc cmake ninja-build pkg-config googletest libgtest-dev
          libspdlog-dev libfmt-dev libxxhash-dev binutils python3
          libsqlite3-dev liblmdb-dev
          clang libclang-rt-14-dev llvm-14)  # clang and libFuzzer: scripts/fuzz.sh, tests/fuzz
if [ "${1:-}" = "--bench" ]; then
  packages+=(librocksdb-dev libpq-dev postgresql-15 lmdb-utils gnuplot-nox)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "installing: ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
