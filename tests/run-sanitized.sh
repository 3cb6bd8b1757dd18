#!/usr/bin/env bash
# The sanitizer build CI runs after the main suite: AddressSanitizer + UndefinedBehaviorSanitizer
# over the daemon, client library, adapter core and the adapter's N-API addon, and their tests;
# then the broker side of the wasm guest suite (conformance and load) on that build (no
# benchmarks or fuzzers: they have their own runs). Expects deploy/setup.sh to have installed the
# dependencies.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-sanitize"
# The fuzzers carry their own sanitizers and run in the main suite: not built again here.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DWASI_SOCKETD_SANITIZE=ON \
  -DWASI_SOCKETD_FUZZERS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)"
cd "$build"
# gRPC's own libraries are not instrumented; leaks inside them at exit are theirs, not ours.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# EventBacklog's ack-merging ratio depends on how fast the daemon drains acks against the client's
# writes, which the sanitizers change, and the shared-listener flood tests time each session
# against a 2 s bound: after a flood the sanitized daemon needs ~9 s to accept and close the
# flooder's connections already queued in the backlog. They run in the main suite only.
ctest --output-on-failure --timeout 600 -j2 -LE 'guests|runtime-adapter|bench|fuzz|deploy' \
  -E '^EventBacklog[.]WriteAcksOfAClientThatDoesNotReadAreMergedPerSocket$|^Floods[.](AnUnknownUidFloodingTheSharedListener|AnAdmittedTenantFloodingTheSharedListener)' "$@"

# The guest suite through the sanitized addon and daemon. node itself is not instrumented, so the
# sanitizer runtimes are preloaded (they must be first in the process) for the addon it loads.
# Exit status 1, not abort(): an abort (134) would read as the trap some guests expect. Leak
# checking is off here: node's own allocations at exit are not ours (the daemon's and the adapter
# core's leaks are checked by the run above). The shim runs do not involve our code; the runner's
# timing bounds (BrokerDeath) and its 16 MiB bulk run are left to the main suite.
asan=$(g++ -print-file-name=libasan.so)
ubsan=$(g++ -print-file-name=libubsan.so)
# Sanitized code is several times slower: the load suite's wrk bursts last longer, so that at 512
# connections some requests are answered within the burst.
LD_PRELOAD="$asan $ubsan" WASI_SOCKETD_LOAD_SECONDS=5 \
  ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:exitcode=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=1 \
  ctest --output-on-failure --timeout 600 -j2 -L 'guests|runtime-adapter' \
  -E '^guest[.]shim[.]|^guests[.]compare_hosts$|^BrokerDeath[.]|^BulkExample[.]' "$@"
