#!/usr/bin/env bash
# A short libFuzzer run of the batch decoder (tests/sync/fuzz_batch.cpp), as a CTest test.
# The project builds with g++; this compiles the decoder alone with clang's fuzzer and
# sanitizers, links the g++-built core library, and fuzzes for SECONDS from a small seed corpus.
# Usage: run_fuzz.sh CLANGXX SOURCE_DIR BINARY_DIR SECONDS
set -euo pipefail
clangxx=$1 src=$2 bin=$3 seconds=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$src"
"$clangxx" -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fPIC \
  -I sync/proto -I "$bin/sync/proto" -I shared $(pkg-config --cflags Qt6Core protobuf) \
  tests/sync/fuzz_batch.cpp sync/proto/{batchcodec,batchfile,syncformat,wiretypes}.cpp \
  "$bin/sync/proto/kerbside/v1/sync.pb.cc" "$bin/shared/libkerbside_core.a" \
  $(pkg-config --libs Qt6Core protobuf sqlite3) -lcrypto -o "$work/fuzz_batch" 2>"$work/build.log" || {
  cat "$work/build.log" >&2; exit 1; }
mkdir -p "$work/corpus"
printf '\x08\x01' >"$work/corpus/format-only"
printf '\x0a\x0ekerbside-batch\x10\x01' >"$work/corpus/batchfile-header"
"$work/fuzz_batch" -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 "$work/corpus" 2>&1 | tail -15
