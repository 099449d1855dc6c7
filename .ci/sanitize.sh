#!/usr/bin/env bash
# The sanitizer run: a second build in ${SAN_BUILD_DIR:-build-san} with clang, AddressSanitizer
# and UndefinedBehaviorSanitizer on every library (KERBSIDE_SANITIZE=ON) and the libFuzzer
# targets (KERBSIDE_BUILD_FUZZERS=ON). Builds only what the tests labelled "security" need,
# then runs them: the attack tests, and each fuzz target for KERBSIDE_FUZZ_SECONDS (15) from
# its seed corpus. Exits non-zero on any failure or sanitizer report.
# Usage: .ci/sanitize.sh [--build-only | CTEST_ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
build="${SAN_BUILD_DIR:-build-san}"
seconds="${KERBSIDE_FUZZ_SECONDS:-15}"
gen=()
command -v ninja >/dev/null && gen=(-G Ninja)
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}" # as build.sh
fi
if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" "${gen[@]}" "${launcher[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DKERBSIDE_SANITIZE=ON -DKERBSIDE_BUILD_FUZZERS=ON -DKERBSIDE_BUILD_TABLET=OFF >/dev/null
fi
cmake "$build" -DKERBSIDE_FUZZ_SECONDS="$seconds" >/dev/null
cmake --build "$build" --target kerbside_security_checks --parallel "$(nproc)"
[ "${1:-}" = --build-only ] && exit 0
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export QT_QPA_PLATFORM=offscreen
ctest --test-dir "$build" -L security --output-on-failure --timeout 600 -j "$(nproc)" "$@"
