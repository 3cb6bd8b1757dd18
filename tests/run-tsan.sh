#!/usr/bin/env bash
# Opt-in, not part of .ci/run: the daemon's tests (tests/daemon/**, tests/security/**) under
# ThreadSanitizer, with the sequence checks on. Builds build-tsan/ (Debug, so asserts are on as in
# the ASan stage, at -O1 so the timing-bound tests still fit) with only the daemon, its test
# programs and what they launch; no guests, node tests, benchmarks or fuzzers. Every process,
# the daemons the tests launch included, writes its reports into the test's log; the script sorts
# them (tests/tsan_reports.py) and fails on any that our code is part of. Extra arguments go to
# ctest (e.g. -R Session).
#   JOBS=N    build jobs (default 1: the machine is usually shared)
#   TSAN_OPTIONS are appended to the script's own.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-tsan"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g" \
  "-DCMAKE_C_FLAGS_DEBUG=-O1 -g" -DWASI_SOCKETD_TSAN=ON -DWASI_SOCKETD_SANITIZE=OFF \
  -DWASI_SOCKETD_FUZZERS=OFF -DWASI_SOCKETD_GUESTS=OFF >/dev/null
# The daemon's test folders (tests/CMakeLists.txt adds each one itself: each is built and run on
# its own).
dirs=(daemon/sockets daemon/policy daemon/audit daemon/session daemon/service daemon/transport
  daemon/admin daemon/ctl daemon/systemd daemon daemon/robustness security)
targets=(wasi-socketd wasi-socketctl)
for dir in "${dirs[@]}"; do targets+=("tests/$dir/all"); done
nice -n 10 cmake --build "$build" -j"${JOBS:-1}" --target "${targets[@]}"

reports=$(mktemp -d /tmp/wasi-socketd-tsan.XXXXXX)
# gRPC, gpr, Abseil and protobuf come from Debian, not instrumented: interceptors called from them
# are ignored, and tests/tsan.supp hides only races whose innermost frame is their code (see it).
# Reports go to stderr, which ctest keeps for every test in LastTest.log (log_path would open a
# file in the daemon and fail the tests that count its fds).
# exitcode=0: a report does not change a program's exit status (the tests still fail on their own
# checks); tests/tsan_reports.py judges the reports at the end.
# die_after_fork=0: the run_as() tests fork from a test that has threads, and the child starts gRPC
# (TSan otherwise kills such a child; the parent has not started gRPC, so it holds none of its locks).
export TSAN_OPTIONS="halt_on_error=0 second_deadlock_stack=1 ignore_noninstrumented_modules=1 die_after_fork=0 exitcode=0 \
suppressions=$root/tests/tsan.supp ${TSAN_OPTIONS:-}"
# The same exclusions as the ASan stage (tests/run-sanitized.sh) for the same reasons (timing
# ratios and 2 s bounds a sanitized daemon cannot meet), and the tests whose point is an RSS bound,
# which TSan's shadow memory (several times the application's) makes meaningless.
exclude='^EventBacklog[.]WriteAcksOfAClientThatDoesNotReadAreMergedPerSocket$'
exclude+='|^Floods[.](AnUnknownUidFloodingTheSharedListener|AnAdmittedTenantFloodingTheSharedListener)'
exclude+='|^SlowConsumer[.].*MemoryBounded$|^Http2Limits[.]ThousandsOfCallsWithWindowZeroKeepMemoryBounded$'
exclude+='|^CallsInFlight[.]AClientThatNeverAcknowledgesSettingsCannotGrowTheDaemonWithCalls$'
exclude+='|^EventBacklog[.]ASessionPastTheHardCapIsEndedAndAudited$'
status=0
for dir in "${dirs[@]}"; do
  (cd "$build/tests/$dir" && ctest --output-on-failure --timeout 900 -j2 -E "$exclude" "$@") || status=1
  cp "$build/tests/$dir/Testing/Temporary/LastTest.log" "$reports/tsan.${dir//\//_}"
done

# Reports of our code fail the run; races inside gRPC's own hand-overs are listed (tsan_reports.py).
echo "Test logs with the ThreadSanitizer reports: $reports"
python3 "$root/tests/tsan_reports.py" "$reports/tsan" || status=1
exit "$status"
