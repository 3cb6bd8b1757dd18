#!/bin/sh
# Starts one container per tenant of two-containers.toml with only its own broker socket inside.
# Rootless-style uid mapping: container root is host uid 100000 (shop) / 200000 (batch), the uids
# the policy names; SO_PEERCRED reports those host uids to the broker.
set -eu
image=${IMAGE:-docker.io/library/debian:12}
tenants=/run/wasi-socketd/tenants

# shop: a web front end; the guest binds port 80 through the broker (policy lends it).
podman run -d --name shop --uidmap 0:100000:65536 --gidmap 0:100000:65536 \
  --network none \
  -v "$tenants/shop.sock:/run/wasi-socketd/socket" \
  -e WASI_SOCKETD_SOCKET=/run/wasi-socketd/socket \
  -v /srv/shop:/srv:ro \
  "$image" wasi-socket-run /srv/shop.wasm

# batch: a worker whose sockets the broker creates inside /run/netns/batch.
podman run -d --name batch --uidmap 0:200000:65536 --gidmap 0:200000:65536 \
  --network none \
  -v "$tenants/batch.sock:/run/wasi-socketd/socket" \
  -e WASI_SOCKETD_SOCKET=/run/wasi-socketd/socket \
  -v /srv/batch:/srv:ro \
  "$image" wasi-socket-run /srv/batch.wasm
