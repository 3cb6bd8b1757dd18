#!/usr/bin/env bash
# Checks deploy/systemd/ the way systemd itself would read it, without a running manager:
# the units verify cleanly, the service's exposure score is at most 2.0, and the sysusers.d and
# tmpfiles.d entries create the user and directories in a scratch root.
# Usage: check_units.sh SOURCE_DIR DAEMON_BINARY
set -euo pipefail
src=$1/deploy/systemd
daemon=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# verify resolves ExecStart: point it at the program we built instead of the installed path.
sed "s|/usr/bin/wasi-socketd|$daemon|" "$src/wasi-socketd.service" >"$scratch/wasi-socketd.service"
cp "$src/wasi-socketd.socket" "$scratch/"
if ! out=$(systemd-analyze verify --man=no "$scratch/wasi-socketd.service" \
             "$scratch/wasi-socketd.socket" 2>&1) || [ -n "$out" ]; then
  echo "systemd-analyze verify complained:"; echo "$out"; exit 1
fi
echo "verify: clean"

report=$(systemd-analyze security --offline=true "$scratch/wasi-socketd.service" 2>&1 || true)
score=$(sed -n 's/.*Overall exposure level for wasi-socketd.service: \([0-9.]*\).*/\1/p' <<<"$report")
[ -n "$score" ] || { echo "no exposure score in:"; echo "$report"; exit 1; }
echo "exposure: $score"
awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' || { echo "exposure $score > 2.0"; echo "$report"; exit 1; }
# The bound the docs promise is also the one systemd enforces (threshold is in tenths).
systemd-analyze security --offline=true --threshold=20 "$scratch/wasi-socketd.service" >/dev/null

# The container-host example's drop-in (chown, setns) on top: still verifies, exposure recorded.
# A drop-in's [Service] lines behave as if appended to the unit, which is what offline analysis sees.
mkdir "$scratch/with-dropin"
cat "$scratch/wasi-socketd.service" \
    "$1/deploy/examples/container-host/wasi-socketd.service.d/container-host.conf" \
    >"$scratch/with-dropin/wasi-socketd.service"
cp "$src/wasi-socketd.socket" "$scratch/with-dropin/"
if ! out=$(systemd-analyze verify --man=no "$scratch/with-dropin/wasi-socketd.service" 2>&1) \
   || [ -n "$out" ]; then
  echo "verify with the container-host drop-in complained:"; echo "$out"; exit 1
fi
systemd-analyze security --offline=true --threshold=25 \
    "$scratch/with-dropin/wasi-socketd.service" >"$scratch/dropin-report" 2>&1 \
  || { echo "container-host drop-in exposure above 2.5:"; cat "$scratch/dropin-report"; exit 1; }
echo "exposure with container-host drop-in: $(sed -n 's/.*wasi-socketd.service: \([0-9.]*\).*/\1/p' \
  "$scratch/dropin-report")"

root="$scratch/root"
mkdir -p "$root/etc" "$root/usr/lib/sysusers.d" "$root/usr/lib/tmpfiles.d"
cp "$src/wasi-socketd.sysusers" "$root/usr/lib/sysusers.d/wasi-socketd.conf"
cp "$src/wasi-socketd.tmpfiles" "$root/usr/lib/tmpfiles.d/wasi-socketd.conf"
systemd-sysusers --root="$root" 2>/dev/null
grep -q '^wasi-socketd:x:[0-9]*:[0-9]*:.*:/usr/sbin/nologin$' "$root/etc/passwd" \
  || { echo "sysusers did not create the system user"; exit 1; }
systemd-tmpfiles --root="$root" --create 2>/dev/null
uid=$(awk -F: '$1 == "wasi-socketd" { print $3 }' "$root/etc/passwd")
[ "$(stat -c '%u %a' "$root/run/wasi-socketd")" = "$uid 755" ] \
  || { echo "/run/wasi-socketd: wrong owner or mode"; exit 1; }
[ "$(stat -c '%u %a' "$root/var/log/wasi-socketd")" = "$uid 750" ] \
  || { echo "/var/log/wasi-socketd: wrong owner or mode"; exit 1; }
echo "sysusers and tmpfiles: ok"
