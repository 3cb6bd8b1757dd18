#!/usr/bin/env bash
# The sanitizer build CI runs after the main suite: AddressSanitizer + UndefinedBehaviorSanitizer
# over the daemon, client library and adapter core, and their tests (no wasm guests, benchmarks or
# fuzzers: they have their own runs). Expects deploy/setup.sh to have installed the dependencies.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-sanitize"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DWASI_SOCKETD_SANITIZE=ON \
  -DWASI_SOCKETD_GUESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)"
cd "$build"
# gRPC's own libraries are not instrumented; leaks inside them at exit are theirs, not ours.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --output-on-failure --timeout 600 -j2 -LE 'guests|runtime-adapter|bench|fuzz|deploy' "$@"
