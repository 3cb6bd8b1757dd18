#!/usr/bin/env bash
# docs/FLAGS.md lists every flag `wasi-socketd --help` prints, so the reference the README links
# cannot fall behind the program.
# Usage: check_flags_doc.sh SOURCE_DIR DAEMON_BINARY
set -euo pipefail
src=$1 daemon=$2
flags=$("$daemon" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u)
[ -n "$flags" ] || { echo "no flags in --help"; exit 1; }
missing=0
for flag in $flags; do
  grep -qF -- "\`$flag" "$src/docs/FLAGS.md" || { echo "docs/FLAGS.md does not document $flag"; missing=1; }
done
[ "$missing" -eq 0 ] && echo "flags doc: ok ($(echo "$flags" | wc -l) flags)"
