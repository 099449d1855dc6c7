#!/usr/bin/env bash
# Installs the Debian 12 packages Kerbside needs to build, test and run, where missing.
# Usage: .ci/deps.sh [build|test]   (test adds PostgreSQL, PSPP, ReadStat's CLI, clang, Xvfb)
set -euo pipefail
want=(
  cmake ninja-build g++ pkg-config ccache
  qt6-base-dev qt6-declarative-dev qt6-declarative-dev-tools qt6-positioning-dev libgl-dev
  qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-templates qml6-module-qtquick-window qml6-module-qtqml-workerscript
  qml6-module-qtquick-dialogs qml6-module-qtquick-shapes qml6-module-qtpositioning qml6-module-qttest qt6-qpa-plugins
  libqt6sql6-sqlite libsqlite3-dev sqlite3
  protobuf-compiler libprotobuf-dev
  libcpp-httplib-dev libboost-dev libssl-dev libzip-dev libxlsxwriter-dev libreadstat-dev libpq-dev
  catch2 fonts-dejavu-core
  libsodium-dev libjs-leaflet libzstd-dev
)
if [ "${1:-build}" = test ]; then
  want+=(postgresql-15 postgresql-client-15 pspp readstat r-base-core r-cran-haven clang libclang-rt-14-dev python3 curl openssl haproxy
    chromium chromium-driver python3-selenium)
fi
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
