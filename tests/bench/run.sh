#!/usr/bin/env bash
# Builds and runs every Kerbside benchmark (tests/bench/bench_*). Not part of the tests.
# Usage: bash tests/bench/run.sh [NAME...]   e.g. bash tests/bench/run.sh bench_expr
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_TYPE=Release BUILD_DIR="${BUILD_DIR:-build-bench}" bash .ci/build.sh
build="${BUILD_DIR:-build-bench}"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
# bench_postgres needs a cluster; without KERBSIDE_TEST_PG, a throwaway one with fsync ON (the
# tests' cluster runs with fsync off, which would flatter PostgreSQL).
if [ -z "${KERBSIDE_TEST_PG:-}" ]; then
  source .ci/postgres.sh
  KERBSIDE_PG_FSYNC=on KERBSIDE_PG_PORT="${KERBSIDE_PG_PORT:-55433}" start_throwaway_postgres
  trap stop_throwaway_postgres EXIT
fi
benches=("$@")
if [ ${#benches[@]} -eq 0 ]; then
  mapfile -t benches < <(find "$build/tests/bench" -maxdepth 1 -type f -name 'bench_*' -perm -u+x -printf '%f\n' | sort)
fi
for b in "${benches[@]}"; do
  echo "== $b"
  "$build/tests/bench/$b"
  echo
done
