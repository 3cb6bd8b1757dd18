#!/usr/bin/env bash
# Checks the .debs the way Debian will see them, without installing: each package's file list
# (dpkg-deb -c), control fields and maintainer scripts (-f, -e), that the unpacked programs run,
# that each man page is the one help2man makes from the program's --help today, and that lintian
# reports no error.
# Usage: check_package.sh SOURCE_DIR PACKAGE_DIR VERSION WITH_RUNNER(ON|OFF) PROGRAM_DIR
set -euo pipefail
src=$1 packages=$2 version=$3 with_runner=$4 programs=$5
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failed=0
fail() { echo "$*"; failed=1; }

arch=$(dpkg --print-architecture)
deb_of() {
  local deb="$packages/${1}_${version}_$arch.deb"
  [ -f "$deb" ] || { echo "no package $deb" >&2; ls "$packages" >&2; exit 1; }
  echo "$deb"
}
expect_files() {  # DEB PATH...
  local deb=$1 listing; shift
  listing=$(dpkg-deb -c "$deb" | awk '{ print $6 }')
  for path in "$@"; do
    grep -qx "$path" <<<"$listing" || fail "missing from $(basename "$deb"): $path"
  done
  # Nothing from the build or source tree leaks in (but the guests' page the docs link to), and
  # the admin API stays private to the daemon.
  if grep -v '^\./usr/share/doc/wasi-socketd/tests/' <<<"$listing" |
       grep -E '/(build|tests)/|admin/v1|\.vendored$'; then
    fail "unexpected files in $(basename "$deb")"
  fi
}
# A man page generated from a --help text that has changed since (a stale build/man) fails here.
# Compared from SYNOPSIS on: the header carries the build date, NAME the summary.
expect_man_page_of_help() {  # UNPACKED_PAGE PROGRAM
  local page=$1 program=$2 fresh
  fresh=$(help2man --no-info --version-string="$version" "$programs/$program" | sed -n '/^\.SH SYNOPSIS/,$p')
  [ -n "$fresh" ] || { fail "help2man $program gave nothing"; return; }
  if [ "$(zcat "$page" | sed -n '/^\.SH SYNOPSIS/,$p')" != "$fresh" ]; then
    fail "$(basename "$page") is not $program --help today:"
    diff <(zcat "$page" | sed -n '/^\.SH SYNOPSIS/,$p') <(echo "$fresh") | head -20
  fi
}
expect_field() {  # DEB FIELD VALUE
  [ "$(dpkg-deb -f "$1" "$2")" = "$3" ] || fail "$(basename "$1"): $2 is '$(dpkg-deb -f "$1" "$2")', not '$3'"
}

daemon=$(deb_of wasi-socketd)
dev=$(deb_of libwasi-socketd-dev)
debs=("$daemon" "$dev")
echo "packages: $(basename "$daemon") $(basename "$dev")"

# ---- wasi-socketd ----
expect_files "$daemon" ./usr/bin/wasi-socketd ./usr/bin/wasi-socketctl \
  ./lib/systemd/system/wasi-socketd.service ./lib/systemd/system/wasi-socketd.socket \
  ./usr/lib/sysusers.d/wasi-socketd.conf ./usr/lib/tmpfiles.d/wasi-socketd.conf \
  ./etc/default/wasi-socketd ./etc/wasi-socketd/policy.toml \
  ./usr/share/man/man8/wasi-socketd.8.gz ./usr/share/man/man8/wasi-socketctl.8.gz \
  ./usr/share/doc/wasi-socketd/README.md ./usr/share/doc/wasi-socketd/docs/OPERATIONS.md \
  ./usr/share/doc/wasi-socketd/copyright ./usr/share/doc/wasi-socketd/changelog.gz \
  ./usr/share/doc/wasi-socketd/examples/container-host/README.md \
  ./usr/share/doc/wasi-socketd/examples/kubernetes/daemonset.yaml
if dpkg-deb -c "$daemon" | grep -E 'include/|\.a$|wasi-socket-run|node_modules'; then
  fail "wasi-socketd carries files of the other packages"
fi
expect_field "$daemon" Package wasi-socketd
expect_field "$daemon" Version "$version"
depends=$(dpkg-deb -f "$daemon" Depends)
for dependency in systemd libgrpc++ libprotobuf libsystemd0; do
  grep -q "$dependency" <<<"$depends" || fail "wasi-socketd Depends lacks $dependency: $depends"
done
dpkg-deb -e "$daemon" "$out/control"
for script in postinst prerm postrm; do
  [ -x "$out/control/$script" ] || fail "$script missing or not executable"
done
for conffile in /etc/default/wasi-socketd /etc/wasi-socketd/policy.toml; do
  grep -qx "$conffile" "$out/control/conffiles" || fail "$conffile is not a conffile"
done
dpkg-deb -x "$daemon" "$out/root"
# The shipped configuration is one the shipped daemon accepts.
"$out/root/usr/bin/wasi-socketd" --check-policy "$out/root/etc/wasi-socketd/policy.toml" >/dev/null \
  || fail "the shipped policy is rejected"
cmp -s "$out/root/lib/systemd/system/wasi-socketd.service" "$src/deploy/systemd/wasi-socketd.service" \
  || fail "installed unit differs from deploy/systemd"
# Every relative link of the installed pages leads to an installed file.
docs=$out/root/usr/share/doc/wasi-socketd
while IFS= read -r page; do
  while IFS= read -r link; do
    [ -e "$(dirname "$page")/$link" ] || fail "installed ${page#"$docs"/} links to $link, which is not installed"
  done < <(grep -oE '\]\([^)#: ]+[)#]' "$page" | cut -c3- | sed 's/.$//')
done < <(find "$docs" -name '*.md')
"$out/root/usr/bin/wasi-socketctl" --version | grep -qx "$version" \
  || fail "unpacked wasi-socketctl does not run"
"$out/root/usr/bin/wasi-socketd" --help >/dev/null || fail "unpacked wasi-socketd does not run"
gzip -t "$out/root/usr/share/man/man8/wasi-socketctl.8.gz" || failed=1
expect_man_page_of_help "$out/root/usr/share/man/man8/wasi-socketd.8.gz" wasi-socketd
expect_man_page_of_help "$out/root/usr/share/man/man8/wasi-socketctl.8.gz" wasi-socketctl

# ---- libwasi-socketd-dev ----
multiarch=./usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)
expect_files "$dev" ./usr/include/wasi_socketd/limits.h ./usr/include/wasi_socketd/v1/tcp.pb.h \
  ./usr/include/wasi_socketd/client/session.h ./usr/include/wasi_socketd/adapter.h \
  ./usr/include/wasi_socketd/common/wit_error_codes.h ./usr/include/wasi_socketd/common/result.h \
  "$multiarch/libwasi_socketd_proto.a" "$multiarch/libwasi_socketd_client.a" \
  "$multiarch/libwasi_socketd_adapter_core.a" \
  "$multiarch/cmake/wasi_socketd/wasi_socketdConfig.cmake" \
  "$multiarch/cmake/wasi_socketd/wasi_socketdConfigVersion.cmake" \
  "$multiarch/pkgconfig/wasi-socketd.pc" \
  ./usr/share/wasi-socketd/proto/wasi_socketd/v1/tcp.proto \
  ./usr/share/doc/libwasi-socketd-dev/copyright ./usr/share/doc/libwasi-socketd-dev/changelog.gz
expect_field "$dev" Package libwasi-socketd-dev
expect_field "$dev" Version "$version"
expect_field "$dev" Section libdevel
grep -q libgrpc++-dev <<<"$(dpkg-deb -f "$dev" Depends)" || fail "libwasi-socketd-dev needs libgrpc++-dev"

# ---- wasi-socket-run ----
if [ "$with_runner" = ON ]; then
  runner=$(deb_of wasi-socket-run)
  debs+=("$runner")
  echo "package: $(basename "$runner")"
  lib=./usr/lib/wasi-socketd
  expect_files "$runner" ./usr/bin/wasi-socket-run "$lib/runtime-adapter/wasi_socketd_adapter.node" \
    ./usr/share/man/man1/wasi-socket-run.1.gz \
    "$lib/runtime-adapter/js/wasi-socket-run.js" "$lib/runtime-adapter/package.json" \
    "$lib/runtime-adapter/node_modules/@bytecodealliance/preview2-shim/package.json" \
    "$lib/runtime-adapter/node_modules/@bytecodealliance/jco/package.json" \
    ./usr/share/doc/wasi-socket-run/copyright ./usr/share/doc/wasi-socket-run/changelog.gz
  expect_field "$runner" Package wasi-socket-run
  expect_field "$runner" Version "$version"
  depends=$(dpkg-deb -f "$runner" Depends)
  grep -q 'nodejs (>= 20)' <<<"$depends" || fail "wasi-socket-run Depends lacks nodejs (>= 20): $depends"
  grep -q "wasi-socketd (= $version)" <<<"$depends" || fail "wasi-socket-run Depends lacks wasi-socketd"
  dpkg-deb -x "$runner" "$out/runner"
  grep -q "\"version\" *: *\"$version\"" "$out/runner/usr/lib/wasi-socketd/runtime-adapter/package.json" \
    || fail "the runner's package.json does not carry the project version"
  expect_man_page_of_help "$out/runner/usr/share/man/man1/wasi-socket-run.1.gz" wasi-socket-run
fi

# ---- lintian: no errors (warnings are printed for the record) ----
for deb in "${debs[@]}"; do
  echo "lintian $(basename "$deb"):"
  if ! nice -n 10 lintian --fail-on error --tag-display-limit 0 "$deb"; then
    fail "lintian reports errors for $(basename "$deb")"
  fi
done

[ "$failed" = 0 ] && echo "package contents: ok"
exit "$failed"
