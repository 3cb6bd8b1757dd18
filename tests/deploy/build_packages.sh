#!/usr/bin/env bash
# Builds the .debs from an existing build tree with cpack into OUT_DIR (emptied first); the other
# package tests (check_package.sh, check_installed_packages.sh) read them from there.
# Usage: build_packages.sh BUILD_DIR OUT_DIR
set -euo pipefail
build=$1 out=$2
rm -rf "$out"
mkdir -p "$out"
if ! nice -n 10 cpack -G DEB --config "$build/CPackConfig.cmake" -B "$out" >"$out/cpack.log" 2>&1; then
  cat "$out/cpack.log"; exit 1
fi
rm -rf "$out/_CPack_Packages"
ls "$out"/*.deb
