#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS from its committed seed corpus (read only: new inputs
# go to a scratch folder) and fails on any crash, leak, timeout or sanitizer report.
# Usage: run_one.sh FUZZER SEED_CORPUS SECONDS [OUT_CORPUS]
set -euo pipefail
fuzzer=$1 seeds=$2 seconds=$3 out=${4:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -n "$out" ] || out="$work/corpus"
mkdir -p "$out" "$work/artifacts"
# -rss_limit_mb: inputs are small; a target that needs more than this leaks or is bombed.
set +e
"$fuzzer" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=1536 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$out" "$seeds" >"$work/log" 2>&1
rc=$?
set -e
grep -E '^stat::number_of_executed_units|^stat::new_units_added|^stat::peak_rss_mb|^#[0-9]+ *DONE' "$work/log" || true
if [ $rc -ne 0 ]; then
  tail -60 "$work/log"
  for a in "$work"/artifacts/*; do
    [ -e "$a" ] || continue
    echo "reproducer $(basename "$a") (base64): $(head -c 4096 "$a" | base64 -w0)"
  done
  exit $rc
fi
