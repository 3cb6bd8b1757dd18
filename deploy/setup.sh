#!/usr/bin/env bash
# Installs everything wasi-socketd needs to build and test on Debian 12, then configures and
# builds into build/. Safe to run again: it only installs what is missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

apt_packages=(
  cmake ninja-build g++ pkg-config ccache
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libboost-dev libboost-system-dev libgtest-dev libgmock-dev libidn2-dev
  libtomlplusplus-dev libsystemd-dev libspdlog-dev libfmt-dev libcli11-dev nlohmann-json3-dev
  help2man dpkg-dev fakeroot lintian
  clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32 libclang-rt-19-dev
  nodejs npm wrk iproute2 systemd curl
)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# A Node.js installed outside apt (e.g. NodeSource) also satisfies nodejs/npm.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]}"
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The WebAssembly toolchain and runtime (jco, preview2-shim), pinned by the committed lock file.
if [ -f "$root/runtime-adapter/package-lock.json" ]; then
  if [ ! -d "$root/runtime-adapter/node_modules" ] || \
     [ "$root/runtime-adapter/package-lock.json" -nt "$root/runtime-adapter/node_modules/.package-lock.json" ]; then
    (cd "$root/runtime-adapter" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi

build_type=${BUILD_TYPE:-RelWithDebInfo}
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE="$build_type" ${CMAKE_ARGS:-} >/dev/null
cmake --build "$root/build" -j"$(nproc)"
