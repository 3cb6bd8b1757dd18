#!/usr/bin/env bash
# The deployment examples are real configuration: the Kubernetes ConfigMap's policy and every
# example policy pass `wasi-socketd --check-policy`, and the files the container-host README
# names exist.
# Usage: check_examples.sh SOURCE_DIR DAEMON_BINARY
set -euo pipefail
src=$1 daemon=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# The ConfigMap's policy.toml block, de-indented (YAML literal block, 4 spaces).
awk '/policy.toml: \|/ { inside = 1; next } /^---/ { inside = 0 } inside' \
  "$src/deploy/examples/kubernetes/daemonset.yaml" | sed 's/^    //' >"$scratch/k8s-policy.toml"
[ -s "$scratch/k8s-policy.toml" ] || { echo "no policy.toml in the DaemonSet's ConfigMap"; exit 1; }
"$daemon" --check-policy "$scratch/k8s-policy.toml"
for policy in "$src"/deploy/policies/*.toml; do
  "$daemon" --check-policy "$policy"
done
for named in deploy/policies/two-containers.toml \
             deploy/examples/container-host/run-containers.sh \
             deploy/examples/container-host/wasi-socketd.service.d/container-host.conf; do
  [ -f "$src/$named" ] || { echo "container-host example refers to missing $named"; exit 1; }
done
echo "examples: ok"
