#!/usr/bin/env bash
# Vendors wasi-socket-run's npm runtime dependencies for the wasi-socket-run package: `npm ci` from
# the committed package-lock.json (exact versions and integrity hashes; no install scripts), then
# keeps only the packages the runner loads. jco's own dependency tree (~340 MB) is mostly tooling
# for building components (componentize-js, binaryen, typescript, rolldown) that a run never
# touches: the runner imports preview2-shim and jco's transpile(), which is jco-transpile, whose
# one third-party import is oxc-minify (plus its native binding for this platform: the installed
# optionalDependencies of each listed package are kept too). The package test (tests/deploy) runs a guest with exactly
# this set, so a dependency added upstream shows up there.
# Usage: vendor-node-modules.sh ADAPTER_SOURCE_DIR OUT_DIR
set -euo pipefail
source_dir=$1 out=$2
runtime_packages=(
  @bytecodealliance/preview2-shim
  @bytecodealliance/jco
  @bytecodealliance/jco-transpile
  oxc-minify
)

rm -rf "$out/npm" "$out/node_modules"
mkdir -p "$out/npm"
cp "$source_dir/package.json" "$source_dir/package-lock.json" "$out/npm/"
(cd "$out/npm" && npm ci --omit=dev --ignore-scripts --prefer-offline --no-audit --no-fund \
   --loglevel=error)
for package in "${runtime_packages[@]}"; do
  [ -f "$out/npm/node_modules/$package/package.json" ] \
    || { echo "vendor-node-modules: $package is not in package-lock.json" >&2; exit 1; }
  # npm installs only the optional dependencies that fit this platform (native bindings).
  optional=$(node -e 'const p = require(process.argv[1]);
                      console.log(Object.keys(p.optionalDependencies ?? {}).join("\n"))' \
             "$out/npm/node_modules/$package/package.json")
  for dependency in $package $optional; do
    [ -d "$out/npm/node_modules/$dependency" ] || continue
    mkdir -p "$(dirname "$out/node_modules/$dependency")"
    cp -a "$out/npm/node_modules/$dependency" "$out/node_modules/$dependency"
  done
done
# Source maps, TypeScript declarations and package-manager leftovers are not needed to run.
find "$out/node_modules" \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \
  -o -name '.npmignore' -o -name '.package-lock.json' \) -type f -delete
rm -rf "$out/npm"
touch "$out/node_modules/.vendored"
