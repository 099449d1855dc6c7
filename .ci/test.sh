#!/usr/bin/env bash
# Builds Kerbside and runs every test through CTest. Exits non-zero on any failure.
# Starts a throwaway PostgreSQL 15 cluster on a local port for the collector's PG tests.
# Then the sanitizer build (.ci/sanitize.sh): security tests under ASan+UBSan, fuzz targets.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/deps.sh test
bash .ci/build.sh
source .ci/postgres.sh
start_throwaway_postgres
trap stop_throwaway_postgres EXIT
export QT_QPA_PLATFORM=offscreen
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure --timeout 600 -j "$(nproc)"
# The attack tests again under ASan+UBSan, and every fuzz target briefly (clang build).
bash .ci/sanitize.sh
