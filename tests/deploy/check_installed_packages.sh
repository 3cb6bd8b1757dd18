#!/usr/bin/env bash
# Installs the three .debs onto this machine (a throwaway CI machine: needs root, and refuses to
# touch an existing installation), then uses them as an operator would, from a directory with no
# build tree and an empty HOME:
#   - /usr/bin/wasi-socket-run runs an HTTP server guest and an HTTP client guest that fetches from
#     it, each through its private broker (the packaged /usr/bin/wasi-socketd);
#   - the same through the packaged daemon started with the packaged policy;
#   - a small C++ program built with find_package(wasi_socketd), and again with pkg-config, opens
#     a session on that daemon;
# then removes the packages (nothing may remain but the conffiles) and purges (nothing remains).
# Usage: check_installed_packages.sh PACKAGE_DIR VERSION GUEST_DIR
# Exit 77 (skipped) when not root or when a package is already installed.
set -euo pipefail
packages=$1 version=$2 guests=$3
names=(wasi-socketd wasi-socket-run libwasi-socketd-dev)
[ "$(id -u)" = 0 ] || { echo "skipped: installing packages needs root"; exit 77; }
for name in "${names[@]}"; do
  if dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q installed; then
    echo "skipped: $name is already installed here; this test installs and removes it"; exit 77
  fi
done
arch=$(dpkg --print-architecture)
debs=()
for name in "${names[@]}"; do debs+=("$packages/${name}_${version}_$arch.deb"); done

scratch=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  dpkg --purge "${names[@]}" >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap cleanup EXIT
failed=0
fail() { echo "FAIL: $*"; failed=1; }

echo "== install"
dpkg -i "${debs[@]}" >"$scratch/dpkg-install.log" 2>&1 || { cat "$scratch/dpkg-install.log"; exit 1; }
# postinst: the system user and the tmpfiles.d directories.
getent passwd wasi-socketd >/dev/null || fail "postinst created no wasi-socketd user"
[ -d /run/wasi-socketd ] && [ -d /var/log/wasi-socketd ] || fail "postinst created no runtime/log directories"

run=$scratch/run home=$scratch/home tmp=$scratch/tmp
mkdir -p "$run" "$home" "$tmp"
cp "$guests/http_server.wasm" "$guests/http_client.wasm" "$run/"
cd "$run"
# What an operator's shell has: no build tree, no npm, an empty HOME. No broker at the default path.
as_operator() {
  env -i PATH=/usr/bin:/bin HOME="$home" TMPDIR="$tmp" WASI_SOCKETD_SOCKET="$scratch/none.sock" "$@"
}
wait_for() {  # FILE TEXT PID: up to 60 s, while PID runs
  for _ in $(seq 600); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || break
    sleep 0.1
  done
  echo "timed out waiting for '$2' in $1:"; cat "$1"; return 1
}

fetch_through() {  # LABEL RUNNER_OPTIONS...: server guest, client guest fetching twice from it
  local label=$1; shift
  as_operator /usr/bin/wasi-socket-run "$@" http_server.wasm 0 2 >"$scratch/$label-server.out" 2>&1 &
  local server=$!
  pids+=("$server")
  wait_for "$scratch/$label-server.out" "listening on" "$server" || { fail "$label: server guest did not start"; return; }
  local port
  port=$(grep -o 'listening on [^ ]*' "$scratch/$label-server.out" | grep -o '[0-9]*$')
  if [ "$label" = private ]; then
    # The private broker is the packaged daemon, in a directory of the run's TMPDIR.
    ps -eo args | grep -q "^/usr/bin/wasi-socketd --listen $tmp/wasi-socket-run-" \
      || fail "private: no packaged /usr/bin/wasi-socketd serving the run ($(ps -eo args | grep wasi-socketd))"
  fi
  if ! as_operator /usr/bin/wasi-socket-run "$@" http_client.wasm localhost "$port" /packaged 2 \
       >"$scratch/$label-client.out" 2>&1; then
    fail "$label: client guest failed:"; cat "$scratch/$label-client.out"
  fi
  grep -q "2 of 2 requests answered 200 OK" "$scratch/$label-client.out" \
    || { fail "$label: client got no answers"; cat "$scratch/$label-client.out"; }
  wait "$server" || { fail "$label: server guest exited $?"; cat "$scratch/$label-server.out"; }
  echo "$label: $(tail -1 "$scratch/$label-client.out")"
}

echo "== wasi-socket-run with its private broker"
fetch_through private

echo "== wasi-socket-run through the packaged daemon and policy"
broker=$scratch/broker.sock
/usr/bin/wasi-socketd --policy /etc/wasi-socketd/policy.toml --listen "$broker" \
  --admin-socket "$scratch/admin.sock" >"$scratch/daemon.log" 2>&1 &
pids+=("$!")
for _ in $(seq 300); do [ -S "$broker" ] && break; sleep 0.1; done
[ -S "$broker" ] || { cat "$scratch/daemon.log"; fail "the packaged daemon did not start"; }
fetch_through daemon --broker "$broker"
/usr/bin/wasi-socketctl --admin-socket "$scratch/admin.sock" status >"$scratch/ctl.out" 2>&1 \
  || { fail "wasi-socketctl status failed"; cat "$scratch/ctl.out"; }

echo "== a C++ program built against libwasi-socketd-dev with find_package"
consumer=$scratch/consumer
mkdir -p "$consumer"
cat >"$consumer/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(consumer LANGUAGES CXX)
set(CMAKE_CXX_STANDARD 20)
find_package(wasi_socketd 0.1 REQUIRED)
add_executable(consumer main.cpp)
target_link_libraries(consumer PRIVATE wasi_socketd::client)
CMAKE
cat >"$consumer/main.cpp" <<'CPP'
// Opens a broker session on the socket named by argv[1] and prints the network it was given.
#include <iostream>

#include <wasi_socketd/client/session.h>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  wasi_socketd::client::SessionOptions options;
  options.socket_path = argv[1];
  std::string error;
  const auto session = wasi_socketd::client::Session::open(options, &error);
  if (!session) {
    std::cerr << "no session: " << error << "\n";
    return 1;
  }
  std::cout << "session open, network " << session->network_id() << "\n";
  return 0;
}
CPP
if env -i PATH=/usr/bin:/bin HOME="$home" cmake -S "$consumer" -B "$consumer/build" \
     >"$scratch/consumer-configure.log" 2>&1 &&
   env -i PATH=/usr/bin:/bin HOME="$home" nice -n 10 cmake --build "$consumer/build" \
     >"$scratch/consumer-build.log" 2>&1; then
  "$consumer/build/consumer" "$broker" | tee "$scratch/consumer.out"
  grep -q "session open, network" "$scratch/consumer.out" || fail "the find_package program failed"
else
  fail "find_package(wasi_socketd) build failed"; cat "$scratch"/consumer-*.log
fi
[ "$(pkg-config --modversion wasi-socketd)" = "$version" ] || fail "pkg-config: wrong version"
echo "== the same program built with pkg-config"
# shellcheck disable=SC2046  # pkg-config's words are separate arguments
if env -i PATH=/usr/bin:/bin HOME="$home" nice -n 10 g++ -std=c++20 -o "$consumer/consumer-pc" \
     "$consumer/main.cpp" $(pkg-config --cflags --libs wasi-socketd) >"$scratch/consumer-pc.log" 2>&1; then
  "$consumer/consumer-pc" "$broker" | tee "$scratch/consumer-pc.out"
  grep -q "session open, network" "$scratch/consumer-pc.out" || fail "the pkg-config program failed"
else
  fail "a build with pkg-config --cflags --libs wasi-socketd failed"; cat "$scratch/consumer-pc.log"
fi
for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
wait 2>/dev/null || true
pids=()

echo "== remove: nothing left but conffiles"
for name in "${names[@]}"; do dpkg-deb -c "$packages/${name}_${version}_$arch.deb"; done \
  | awk '$1 !~ /^d/ { print substr($6, 2) }' | sort -u >"$scratch/shipped-files"
conffiles=$(dpkg-deb -I "$packages/wasi-socketd_${version}_$arch.deb" conffiles)
dpkg -r "${names[@]}" >"$scratch/dpkg-remove.log" 2>&1 || { cat "$scratch/dpkg-remove.log"; exit 1; }
while read -r path; do
  if [ -e "$path" ] && ! grep -qx "$path" <<<"$conffiles"; then fail "left after removal: $path"; fi
done <"$scratch/shipped-files"
for conffile in $conffiles; do [ -f "$conffile" ] || fail "conffile $conffile removed too early"; done
for dir in /usr/lib/wasi-socketd /usr/include/wasi_socketd \
           "/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/cmake/wasi_socketd" \
           /usr/share/wasi-socketd /usr/share/doc/wasi-socketd /usr/share/doc/wasi-socket-run \
           /usr/share/doc/libwasi-socketd-dev; do
  [ ! -e "$dir" ] || fail "left after removal: $dir/ ($(find "$dir" | head -5 | tr '\n' ' '))"
done
[ "$(dpkg-query -W -f='${Status}' wasi-socketd)" = "deinstall ok config-files" ] \
  || fail "wasi-socketd is not in config-files state: $(dpkg-query -W -f='${Status}' wasi-socketd)"

echo "== purge: the conffiles go too"
dpkg --purge wasi-socketd >/dev/null 2>&1 || fail "purge failed"
for conffile in $conffiles; do [ ! -e "$conffile" ] || fail "left after purge: $conffile"; done
for dir in /etc/wasi-socketd /run/wasi-socketd /var/log/wasi-socketd; do
  [ ! -e "$dir" ] || fail "left after purge: $dir"
done

[ "$failed" = 0 ] && echo "installed packages: ok"
exit "$failed"
