#!/usr/bin/env bash
# The test command: installs dependencies, builds everything into build/, runs every test.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/deploy/setup.sh"
cd "$root/build"
ctest --output-on-failure --timeout 600 -j2 "$@"
