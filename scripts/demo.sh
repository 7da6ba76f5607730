#!/usr/bin/env bash
# The main job: build libesent and run the demonstration (see README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target esent-demo
folder=$(mktemp -d -t esent-demo.XXXXXX)
trap 'rm -rf "$folder"' EXIT
build/tools/esent-demo "$folder"
