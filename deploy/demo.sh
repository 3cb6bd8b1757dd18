#!/usr/bin/env bash
# wasi-socketd demo: builds everything (deploy/setup.sh), starts the broker with its default policy
# (the invoking user's tenant may use loopback only) on a temporary socket, and runs WebAssembly
# guests whose every socket is served by it:
#   1. an HTTP/1.1 server guest (one wasi:io/poll loop, many connections),
#   2. an HTTP client guest fetching from it, then several client guests at once,
#   3. a client guest trying to leave loopback, which the broker's policy refuses.
# Everything it starts is stopped again at the end, also on Ctrl-C.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/build/bin
guests=$root/build/guests
parallel_clients=4
requests_per_client=5

if [ -t 1 ]; then bold=$'\e[1m'; dim=$'\e[2m'; off=$'\e[0m'; else bold=; dim=; off=; fi
step() { printf '\n%s==> %s%s\n' "$bold" "$*" "$off"; }
show() { sed "s/^/    /" "$@"; }
fail() { printf '%sdemo failed: %s%s\n' "$bold" "$*" "$off" >&2; exit 1; }

# Waits up to $2 seconds for the command in $1 to succeed.
wait_for() {
  local deadline=$((SECONDS + $2))
  until eval "$1"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.1
  done
}

step "Installing dependencies and building (deploy/setup.sh)"
"$root/deploy/setup.sh"
for program in "$bin/wasi-socketd" "$bin/wasi-socket-run" "$guests/http_server.wasm" \
               "$guests/http_client.wasm"; do
  [ -e "$program" ] || fail "$program was not built"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/wasi-socketd-demo.XXXXXX")
socket=$work/wasi-socketd.sock
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# Every guest run is bounded: a demo never hangs.
run() { timeout 60 "$bin/wasi-socket-run" --broker "$socket" "$@"; }

step "Starting wasi-socketd with the default policy on $socket"
"$bin/wasi-socketd" --listen "$socket" 2>"$work/daemon.log" &
pids+=($!)
wait_for "[ -S '$socket' ]" 10 || { show "$work/daemon.log"; fail "the daemon did not start"; }
echo "    broker pid ${pids[0]}; no policy file: tenant uid $(id -u) may bind/connect on loopback only"

total_requests=$((1 + parallel_clients * requests_per_client + 1))
step "Starting the HTTP server guest (build/guests/http_server.wasm) through the broker"
run "$guests/http_server.wasm" 0 "$total_requests" >"$work/server.out" 2>&1 &
server_pid=$!
pids+=($server_pid)
wait_for "grep -q 'listening on' '$work/server.out'" 30 ||
  { show "$work/server.out"; fail "the server guest did not start"; }
port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/server.out" | head -n1)
show "$work/server.out"
echo "    ${dim}(the guest listens through the broker: the listening socket is owned by wasi-socketd)${off}"
ss -ltnp 2>/dev/null | grep ":$port " | sed "s/^/    ${dim}/; s/$/${off}/" || true

step "Fetching http://localhost:$port/hello with the HTTP client guest"
run "$guests/http_client.wasm" localhost "$port" /hello 1 >"$work/first.out" 2>&1 ||
  { show "$work/first.out"; fail "the client guest failed"; }
show "$work/first.out"

step "$parallel_clients client guests at once, $requests_per_client requests each (one poll loop serves them all)"
client_pids=()
for i in $(seq 1 "$parallel_clients"); do
  run "$guests/http_client.wasm" 127.0.0.1 "$port" "/parallel/$i" "$requests_per_client" \
    >"$work/client$i.out" 2>&1 &
  client_pids+=($!)
done
failed=0
for i in $(seq 1 "$parallel_clients"); do
  wait "${client_pids[$((i - 1))]}" || failed=$((failed + 1))
  echo "    client $i: $(tail -n1 "$work/client$i.out")"
done
[ "$failed" -eq 0 ] || fail "$failed client guest(s) failed"

step "Fetching from the host with curl: the guest is a real HTTP server on loopback"
if command -v curl >/dev/null; then
  curl -sS --max-time 10 -H 'Connection: close' "http://127.0.0.1:$port/from-curl" | show
else
  run "$guests/http_client.wasm" 127.0.0.1 "$port" /from-curl 1 2>&1 | show
fi

step "Waiting for the server guest to finish its $total_requests requests"
wait_for "! kill -0 $server_pid 2>/dev/null" 15 || fail "the server guest did not finish"
tail -n1 "$work/server.out" | show

step "Policy at work: a guest trying to reach 192.0.2.1:80 (not loopback)"
if run "$guests/http_client.wasm" 192.0.2.1 80 / 1 >"$work/denied.out" 2>&1; then
  show "$work/denied.out"
  fail "the broker let the guest leave loopback"
fi
show "$work/denied.out"
echo "    ${dim}(refused by the broker before any packet left the host)${off}"
sleep 0.2  # let the daemon write its audit line
if grep -q '192\.0\.2\.1' "$work/daemon.log"; then
  echo "    the broker's audit log (its stderr) recorded the denial:"
  grep '192\.0\.2\.1' "$work/daemon.log" | tail -n 3 | show | show
fi

step "Done: every socket the guests used was opened, owned and closed by wasi-socketd"
