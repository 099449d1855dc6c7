#!/usr/bin/env bash
# A short libFuzzer run of the fieldwork plan's readers (tests/shared/fuzz_fieldwork.cpp), as a
# CTest test: compiled alone with clang's fuzzer and sanitizers against the g++-built core.
# Usage: run_fuzz_fieldwork.sh CLANGXX SOURCE_DIR BINARY_DIR SECONDS
set -euo pipefail
clangxx=$1 src=$2 bin=$3 seconds=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$src"
"$clangxx" -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fPIC -I shared $(pkg-config --cflags Qt6Core) \
  tests/shared/fuzz_fieldwork.cpp shared/geo/{area,geojsonreader}.cpp shared/quota/{csvtable,quotaplan}.cpp \
  shared/form/jsonlinemap.cpp $(pkg-config --libs Qt6Core) -o "$work/fuzz_fieldwork" 2>"$work/build.log" || {
  cat "$work/build.log" >&2; exit 1; }
mkdir -p "$work/corpus"
printf '{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}' >"$work/corpus/polygon"
printf 'age_band,gender,target\n55_64,woman,12\n"a""b",x,1\n' >"$work/corpus/targets"
printf '{"dimensions":[{"name":"a","values":["a"]}],"targets":{"a=a":3}}' >"$work/corpus/plan"
"$work/fuzz_fieldwork" -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 "$work/corpus" 2>&1 | tail -15
