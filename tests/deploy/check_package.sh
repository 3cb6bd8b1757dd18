#!/usr/bin/env bash
# Builds the .deb from an existing build tree into a temporary directory with cpack, then checks
# what Debian will see: file list (dpkg-deb -c), control fields and maintainer scripts (-f, -e),
# and that the unpacked programs run.
# Usage: check_package.sh SOURCE_DIR BUILD_DIR VERSION WITH_ADAPTER(ON|OFF)
set -euo pipefail
src=$1 build=$2 version=$3 with_adapter=$4
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if ! cpack -G DEB --config "$build/CPackConfig.cmake" -B "$out" >"$out/cpack.log" 2>&1; then
  cat "$out/cpack.log"; exit 1
fi
deb=$(ls "$out"/wasi-socketd_*.deb)
echo "package: $(basename "$deb")"
listing=$(dpkg-deb -c "$deb" | awk '{ print $6 }')
failed=0
expect_file() {
  grep -qx "$1" <<<"$listing" || { echo "missing from the package: $1"; failed=1; }
}
for path in ./usr/bin/wasi-socketd ./usr/bin/wasi-socketctl \
            ./lib/systemd/system/wasi-socketd.service ./lib/systemd/system/wasi-socketd.socket \
            ./usr/lib/sysusers.d/wasi-socketd.conf ./usr/lib/tmpfiles.d/wasi-socketd.conf \
            ./etc/default/wasi-socketd ./etc/wasi-socketd/policy.toml \
            ./usr/share/man/man8/wasi-socketd.8.gz ./usr/share/man/man8/wasi-socketctl.8.gz \
            ./usr/share/doc/wasi-socketd/README.md ./usr/share/doc/wasi-socketd/OPERATIONS.md \
            ./usr/share/doc/wasi-socketd/examples/container-host/README.md \
            ./usr/share/doc/wasi-socketd/examples/kubernetes/daemonset.yaml \
            ./usr/include/wasi_socketd/limits.h ./usr/include/wasi_socketd/v1/tcp.pb.h \
            ./usr/share/wasi-socketd/proto/wasi_socketd/v1/tcp.proto; do
  expect_file "$path"
done
if [ "$with_adapter" = ON ]; then
  expect_file ./usr/bin/wasi-socket-run
  expect_file ./usr/lib/wasi-socketd/wasi_socketd_adapter.node
  expect_file ./usr/lib/wasi-socketd/runtime-adapter/js/wasi-socket-run.js
  expect_file ./usr/lib/wasi-socketd/runtime-adapter/package-lock.json
fi
# Nothing from the build or source tree leaks in, and the admin API stays private to the daemon.
if grep -E '/(build|tests|node_modules)/|admin/v1' <<<"$listing"; then
  echo "unexpected files in the package"; failed=1
fi

[ "$(dpkg-deb -f "$deb" Package)" = wasi-socketd ] || { echo "wrong Package"; failed=1; }
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || { echo "wrong Version"; failed=1; }
depends=$(dpkg-deb -f "$deb" Depends)
for dependency in systemd libgrpc++ libprotobuf libsystemd0; do
  grep -q "$dependency" <<<"$depends" || { echo "Depends lacks $dependency: $depends"; failed=1; }
done

dpkg-deb -e "$deb" "$out/control"
for script in postinst prerm postrm; do
  [ -x "$out/control/$script" ] || { echo "$script missing or not executable"; failed=1; }
done
for conffile in /etc/default/wasi-socketd /etc/wasi-socketd/policy.toml; do
  grep -qx "$conffile" "$out/control/conffiles" || { echo "$conffile is not a conffile"; failed=1; }
done

dpkg-deb -x "$deb" "$out/root"
# The shipped configuration is one the shipped daemon accepts.
"$out/root/usr/bin/wasi-socketd" --check-policy "$out/root/etc/wasi-socketd/policy.toml" >/dev/null \
  || { echo "the shipped policy is rejected"; failed=1; }
cmp -s "$out/root/lib/systemd/system/wasi-socketd.service" "$src/deploy/systemd/wasi-socketd.service" \
  || { echo "installed unit differs from deploy/systemd"; failed=1; }
"$out/root/usr/bin/wasi-socketctl" --version | grep -qx "$version" \
  || { echo "unpacked wasi-socketctl does not run"; failed=1; }
"$out/root/usr/bin/wasi-socketd" --help >/dev/null || { echo "unpacked wasi-socketd does not run"; failed=1; }
gzip -t "$out/root/usr/share/man/man8/wasi-socketctl.8.gz" || failed=1

[ "$failed" = 0 ] && echo "package contents: ok"
exit "$failed"
