#!/usr/bin/env bash
# docs/OPERATIONS.md "Running without systemd", run as a newcomer would: the shell commands of the
# section are taken from the doc and run as written, with only these substitutions: the build's
# programs for the installed ones, this test's user and group names (created here, deleted
# after), a scratch directory for /etc/wasi-socketd, /run/wasi-socketd and the log file, and free
# ports for 8080 and 9464. The web guest serves one request (MAX_REQUESTS 1) so that it ends.
# The two users have no home directory, so the runner's cache falls back as the doc says.
# Checks what the doc promises at each step, including a user in the group that no tenant names.
# Usage: check_without_systemd.sh SOURCE_DIR PROGRAM_DIR GUEST_DIR
# Exit 77 (skipped) when not root or when useradd/runuser/curl are missing.
set -euo pipefail
src=$1 bin=$2 guests=$3
[ "$(id -u)" = 0 ] || { echo "skipped: needs root to create users and run guests as them"; exit 77; }
for tool in useradd groupadd usermod runuser curl; do
  command -v "$tool" >/dev/null || { echo "skipped: $tool is not installed"; exit 77; }
done

# A root shell's usual umask: the daemon creates the socket's directory under it, and the
# tenants' users must be able to enter it.
umask 022
failed=0
fail() { echo "FAIL: $*"; failed=1; }
# useradd and friends fail at once while another process holds the lock on /etc/passwd or
# /etc/group (other tests on the host create users too): try again for up to 5 s.
retry() {
  for _ in $(seq 50); do "$@" 2>/dev/null && return 0; sleep 0.1; done
  "$@"
}
suffix=$$
group=wsdcl$suffix web=wsdweb$suffix fetcher=wsdfe$suffix stranger=wsdst$suffix
scratch=$(mktemp -d)
chmod 755 "$scratch"   # the tenants' users reach the socket below it
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  if [ -f "$scratch/run/wasi-socketd.pid" ]; then kill -TERM "$(cat "$scratch/run/wasi-socketd.pid")" 2>/dev/null || true; fi
  for pid in $(jobs -p); do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for user in "$web" "$fetcher" "$stranger"; do
    if uid=$(id -u "$user" 2>/dev/null); then
      rm -rf "/tmp/wasi-socketd-$uid" "${TMPDIR:-/tmp}/wasi-socketd-$uid"
      retry userdel "$user" || true
    fi
  done
  if getent group "$group" >/dev/null; then retry groupdel "$group" || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT
wait_for() {  # FILE TEXT: up to 60 s
  for _ in $(seq 600); do grep -q -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1:"; cat "$1"; return 1
}

# The section's commands: the indented lines of its code blocks, continuation lines joined.
section=$(sed -n '/^## Running without systemd/,/^## /p' "$src/docs/OPERATIONS.md")
mapfile -t commands < <(grep '^       ' <<<"$section" | sed 's/^ *//' |
  sed -e ':join' -e '/\\$/{N;s/\\\n *//;b join' -e '}')
expected=("groupadd" "usermod" "usermod" "wasi-socketd --policy" "runuser -u web" "runuser -u fetcher"
          "kill -HUP" "kill -TERM")
[ "${#commands[@]}" = "${#expected[@]}" ] || {
  printf 'the section has %d commands, this test knows %d:\n' "${#commands[@]}" "${#expected[@]}"
  printf '  %s\n' "${commands[@]}"; exit 1; }
for i in "${!expected[@]}"; do
  [[ "${commands[$i]}" == "${expected[$i]}"* ]] || { echo "command $i is not '${expected[$i]}...': ${commands[$i]}"; exit 1; }
done
free_port() {
  local port
  while :; do
    port=$((10000 + RANDOM % 22000))  # below the ephemeral range: no outgoing connection holds it
    ss -Hatn "sport = :$port" | grep -q . || { echo "$port"; return; }
  done
}
port=$(free_port) metrics_port=$(free_port)
localize() {  # COMMAND: the substitutions named at the top
  sed -e "s|wasi-socketd-clients|$group|g" -e "s|/etc/wasi-socketd/|$scratch/etc/|g" \
      -e "s|/run/wasi-socketd/|$scratch/run/|g" -e "s|/var/log/wasi-socketd.log|$scratch/daemon.log|g" \
      -e "s|127.0.0.1:9464|127.0.0.1:$metrics_port|g" -e "s|build/guests/|$guests/|g" \
      -e "s| 8080| $port|g" -e "s|^wasi-socketd |$bin/wasi-socketd |" \
      -e "s|-- wasi-socket-run |-- $bin/wasi-socket-run |" \
      -e "s/\\bweb\\b/$web/g" -e "s/\\bfetcher\\b/$fetcher/g" <<<"$1"
}

echo "== 1. users and the group"
for user in "$web" "$fetcher" "$stranger"; do
  retry useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
done
for i in 0 1 2; do retry eval "$(localize "${commands[$i]}")"; done
retry usermod -aG "$group" "$stranger"   # may open the socket file, but no tenant names it
for user in "$web" "$fetcher"; do
  id -nG "$user" | grep -qw "$group" || fail "$user is not in $group"
  [ ! -e "$(getent passwd "$user" | cut -d: -f6)" ] || fail "$user has a home; the test wants none"
done

echo "== 2. the policy"
mkdir -p "$scratch/etc"
awk '/```toml/{p=1;next} p&&/```/{exit} p' <<<"$section" | sed 's/^   //' |
  sed -e "s/uids = \\[\"web\"\\]/uids = [\"$web\"]/" -e "s/uids = \\[\"fetcher\"\\]/uids = [\"$fetcher\"]/" \
      -e "s/ports = \\[8080\\]/ports = [$port]/" >"$scratch/etc/two-tenants.toml"
"$bin/wasi-socketd" --check-policy "$scratch/etc/two-tenants.toml" || fail "the doc's policy is rejected"

echo "== 3. the daemon"
eval "$(localize "${commands[3]}")"
pid_file=$scratch/run/wasi-socketd.pid socket=$scratch/run/wasi-socketd.sock log=$scratch/daemon.log
wait_for "$pid_file" . || { fail "no pid file"; cat "$log"; exit 1; }
daemon_pid=$(cat "$pid_file")
[ "$(stat -c '%U:%G %a' "$socket")" = "root:$group 660" ] \
  || fail "socket is $(stat -c '%U:%G %a' "$socket"), not root:$group 660"
for line in "listening on $socket" "admin socket $scratch/run/wasi-socketd.admin.sock" \
            "metrics at http://127.0.0.1:$metrics_port/metrics"; do
  grep -qF "$line" "$log" || fail "the log does not say '$line'"
done

echo "== 4. the tenants' guests"
server=$(localize "${commands[4]}")
server=${server% &}
eval "$server 1 >$scratch/server.out 2>&1 &"
server_pid=$!
wait_for "$scratch/server.out" "listening on 127.0.0.1:$port" || fail "web's server did not start"
admin=(--admin-socket "$scratch/run/wasi-socketd.admin.sock")
"$bin/wasi-socketctl" "${admin[@]}" sessions >"$scratch/sessions.out" || fail "wasi-socketctl sessions failed"
grep -qE "^[0-9]+ +web +main +$(id -u "$web") .* [0-9]{4}-[0-9]{2}-[0-9]{2}T" "$scratch/sessions.out" \
  || { fail "sessions lack web's listener or open time"; cat "$scratch/sessions.out"; }
grep -q "1970-01-01" "$scratch/sessions.out" && fail "a session opened in 1970"
eval "$(localize "${commands[5]}")" >"$scratch/client.out" 2>&1 || fail "fetcher's client failed"
grep -q "1 of 1 requests answered 200 OK" "$scratch/client.out" \
  || { fail "fetcher got no answer"; cat "$scratch/client.out"; }
for _ in $(seq 100); do grep -q "request #1" "$scratch/server.out" && break; sleep 0.1; done
wait "$server_pid" || { fail "web's server guest failed"; cat "$scratch/server.out"; }

echo "== 5. denials name what was tried; refused users are told why"
run_client_as() {  # USER OUT
  runuser -u "$1" -- "$bin/wasi-socket-run" --broker "$socket" "$guests/http_client.wasm" \
    127.0.0.1 "$port" /hello >"$2" 2>&1
}
run_client_as "$web" "$scratch/web-client.out" && fail "web's client was not refused its lookup"
grep -qF '"operation":"name_lookup","name":"127.0.0.1","rule":"web.name_lookup.disabled"' "$log" \
  || { fail "no audit line for web's lookup"; grep '^{' "$log"; }
stranger_uid=$(id -u "$stranger")
run_client_as "$stranger" "$scratch/stranger.out" && fail "a user no tenant names was served"
grep -qF "no tenant matches uid $stranger_uid on listener main" "$scratch/stranger.out" \
  || { fail "the refused user was not told why"; cat "$scratch/stranger.out"; }
grep -qE "connection of uid $stranger_uid pid [0-9]+ refused: no tenant matches uid $stranger_uid on listener main$" "$log" \
  || { fail "the daemon log does not give the refusal's reason"; grep refused "$log"; }
curl -s "http://127.0.0.1:$metrics_port/metrics" >"$scratch/metrics" || fail "no metrics"
grep -qF 'wasi_socketd_denials_total{tenant="web",operation="name_lookup",rule="web.name_lookup.disabled"} 1' \
  "$scratch/metrics" || { fail "denial metric without its rule"; grep denials "$scratch/metrics"; }

echo "== 6. reload and stop through the pid file"
eval "$(localize "${commands[6]}")"
wait_for "$log" "policy reloaded" || fail "SIGHUP through the pid file reloaded nothing"
eval "$(localize "${commands[7]}")"
for _ in $(seq 100); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$daemon_pid" 2>/dev/null && fail "the daemon did not stop"
[ ! -e "$pid_file" ] || fail "the pid file is left"
[ ! -e "$socket" ] || fail "the socket file is left"

[ "$failed" = 0 ] && echo "running without systemd, as the doc says: ok"
exit "$failed"
