#!/usr/bin/env bash
# Builds and runs every Kerbside benchmark (tests/bench/bench_*). Not part of the tests.
# Usage: bash tests/bench/run.sh [NAME...]   e.g. bash tests/bench/run.sh bench_expr
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_TYPE=Release BUILD_DIR="${BUILD_DIR:-build-bench}" bash .ci/build.sh
build="${BUILD_DIR:-build-bench}"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
benches=("$@")
if [ ${#benches[@]} -eq 0 ]; then
  mapfile -t benches < <(find "$build/tests/bench" -maxdepth 1 -type f -name 'bench_*' -perm -u+x -printf '%f\n' | sort)
fi
for b in "${benches[@]}"; do
  echo "== $b"
  "$build/tests/bench/$b"
  echo
done
