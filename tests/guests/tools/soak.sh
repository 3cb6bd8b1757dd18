#!/usr/bin/env bash
# Bounded soak of the broker with mixed guests and random kill -9 (not part of CI).
#
#   tests/guests/tools/soak.sh [SECONDS [BUILD_DIR]]      (default 600 s, build/)
#
# One private wasi-socketd. One long-lived event_server guest is never killed: it serves a wrk
# burst every round, so its adapter's growth shows. Around it, every round starts a random mix of
# short guests (event_server under wrk, udp_churn, tcp_write_drop, tcp_bulk) and kill -9s a random
# one of them while it works. Prints descriptors and RSS of the daemon and of the long-lived
# adapter at the start and at the end (after the short guests are gone and the daemon settled),
# plus the count of rounds and kills. Exit 1 if the daemon died or the long-lived guest stopped
# answering. Needs wrk and curl.
set -uo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
duration=${1:-600}
build=$(cd "${2:-$root/build}" && pwd)
guests="$build/guests"
run="$build/bin/wasi-socket-run"
policy="$root/deploy/policies/conformance.toml"
for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "soak: $tool is not installed" >&2; exit 2; }
done

dir=$(mktemp -d)
children=()
cleanup() {
  for pid in "${children[@]}"; do kill -9 "$pid" 2>/dev/null; done
  [[ -n ${daemon_pid:-} ]] && kill "$daemon_pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

fds() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null; }
figures() {
  printf '%-6s daemon: %4s fds, %7s KiB RSS | long-lived adapter: %4s fds, %7s KiB RSS\n' "$1" \
    "$(fds "$daemon_pid")" "$(rss_kib "$daemon_pid")" "$(fds "$server_pid")" "$(rss_kib "$server_pid")"
}

# Starts event_server in the background; sets started_pid and started_port.
start_server() {
  local out="$dir/server.$RANDOM.out"
  "$run" --broker "$dir/broker.sock" "$guests/event_server.wasm" "$1" flush >"$out" 2>&1 &
  started_pid=$!
  started_port=""
  for _ in $(seq 100); do
    started_port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$out" 2>/dev/null)
    [[ -n $started_port ]] && return 0
    sleep 0.1
  done
  return 1
}

"$build/bin/wasi-socketd" --listen "$dir/broker.sock" --policy "$policy" 2>"$dir/daemon.log" &
daemon_pid=$!
for _ in $(seq 100); do [[ -S $dir/broker.sock ]] && break; sleep 0.1; done

start_server pollables-first || { echo "soak: the long-lived server did not start" >&2; exit 1; }
server_pid=$started_pid
server_port=$started_port
curl -s "http://127.0.0.1:$server_port/" >/dev/null
sleep 1
echo "soak: ${duration} s, daemon pid $daemon_pid, long-lived guest pid $server_pid (load $(cut -d' ' -f1-3 /proc/loadavg))"
figures start
start_fds=$(fds "$daemon_pid")

orders=(pollables-first per-stream input-early)
end=$((SECONDS + duration))
rounds=0
kills=0
while ((SECONDS < end)); do
  rounds=$((rounds + 1))
  short=()
  helpers=()
  case $((RANDOM % 4)) in
    0) if start_server "${orders[RANDOM % 3]}"; then
         short+=("$started_pid")
         wrk -t1 -c$((1 + RANDOM % 64)) -d2s "http://127.0.0.1:$started_port/" >/dev/null 2>&1 &
         helpers+=($!)
       fi ;;
    1) "$run" --broker "$dir/broker.sock" "$guests/udp_churn.wasm" 300 >/dev/null 2>&1 & short+=($!) ;;
    2) "$run" --broker "$dir/broker.sock" "$guests/tcp_write_drop.wasm" 4 >/dev/null 2>&1 & short+=($!) ;;
    3) "$run" --broker "$dir/broker.sock" "$guests/tcp_bulk.wasm" 16 >/dev/null 2>&1 & short+=($!) ;;
  esac
  children+=("${short[@]}")
  wrk -t1 -c8 -d1s "http://127.0.0.1:$server_port/" >/dev/null 2>&1
  sleep "0.$((RANDOM % 10))"
  for pid in "${short[@]}"; do
    if ((RANDOM % 2 == 0)) && kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
  done
  # A server guest never ends by itself: whichever the dice spared is killed once its burst is over.
  ((${#helpers[@]})) && wait "${helpers[@]}" 2>/dev/null  # (a bare `wait` would wait for the daemon)
  for pid in "${short[@]}"; do
    if grep -q event_server "/proc/$pid/cmdline" 2>/dev/null && kill -9 "$pid" 2>/dev/null; then
      kills=$((kills + 1))
    fi
  done
  ((${#short[@]})) && wait "${short[@]}" 2>/dev/null
  kill -0 "$daemon_pid" 2>/dev/null || { echo "soak: the daemon died (round $rounds)" >&2; exit 1; }
  kill -0 "$server_pid" 2>/dev/null || { echo "soak: the long-lived guest ended (round $rounds)" >&2; exit 1; }
done
# The daemon closes a killed guest's session when it notices the connection is gone: give the
# last ones up to 10 s to go before the figures are taken.
for _ in $(seq 100); do (($(fds "$daemon_pid") <= start_fds)) && break; sleep 0.1; done
if ! curl -s --max-time 5 "http://127.0.0.1:$server_port/" >/dev/null; then
  echo "soak: the long-lived guest no longer answers" >&2
  exit 1
fi
figures end
echo "soak: $rounds rounds, $kills guests killed with SIGKILL (load $(cut -d' ' -f1-3 /proc/loadavg))"
