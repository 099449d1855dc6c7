#!/usr/bin/env bash
# Configures and builds Kerbside into ${BUILD_DIR:-build} (Ninja when present).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${BUILD_DIR:-build}"
gen=()
command -v ninja >/dev/null && gen=(-G Ninja)
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" "${gen[@]}" "${launcher[@]}" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" "$@"
fi
cmake --build "$build" --parallel "$(nproc)"
