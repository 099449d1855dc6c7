#!/usr/bin/env bash
# Fuzzes every target of tests/fuzz for SECONDS each (default 600), one after another, in the
# sanitizer build (.ci/sanitize.sh --build-only). New inputs are kept in
# ${SAN_BUILD_DIR:-build-san}/fuzz-corpus/<target>/ across runs (copy the interesting ones
# into tests/fuzz/corpus/<target>/ to commit them); a crash stops the run and prints its
# reproducer. Usage: bash tests/fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_batch fuzz_form fuzz_expression fuzz_xlsx fuzz_answerpack fuzz_ack fuzz_manifest fuzz_statusreport)
build="${SAN_BUILD_DIR:-build-san}"
bash .ci/sanitize.sh --build-only
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
for t in "${targets[@]}"; do
  echo "== $t: $seconds s"
  mkdir -p "$build/fuzz-corpus/$t"
  bash tests/fuzz/run_one.sh "$build/tests/fuzz/$t" "tests/fuzz/corpus/$t" "$seconds" "$build/fuzz-corpus/$t"
done
