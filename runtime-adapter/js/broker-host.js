// The broker side of a guest instance: the native addon, one C host (= one broker session) and the
// wasi:sockets / wasi:io / monotonic-clock interfaces and wasi-socketd:sockets-ext served through
// it, keyed by unversioned WIT interface name as jco's instantiation API expects.
import { createRequire } from "node:module";

import { createIoError } from "./io-error.js";
import { createIoPoll } from "./io-poll.js";
import { createIoStreams } from "./io-streams.js";
import { createIpNameLookup } from "./ip-name-lookup.js";
import { createMonotonicClock } from "./monotonic-clock.js";
import { createNetwork } from "./network.js";
import { createSocketsExt } from "./sockets-ext.js";
import { createTcp } from "./tcp.js";
import { createUdp } from "./udp.js";

// Loads wasi_socketd_adapter.node (built to build/lib/ by runtime-adapter/addon).
export function loadAddon(addonPath) {
  return createRequire(import.meta.url)(addonPath);
}

// Opens a session with the broker at `brokerPath` (undefined: the default path). Throws an Error
// naming the reason when the broker cannot be reached.
export function openBrokerHost(addon, brokerPath) {
  return { addon, native: addon.hostOpen(brokerPath ?? null) };
}

// Ends the session: the broker closes every socket of it. Later calls on the host trap.
export function closeBrokerHost(host) {
  if (host.native) {
    const native = host.native;
    host.native = null;
    host.addon.hostClose(native);
  }
}

export function createBrokerInterfaces(host) {
  const ioError = createIoError(host);
  const ioPoll = createIoPoll(host);
  const streams = createIoStreams(host, {
    Pollable: ioPoll.Pollable,
    streamError: ioError.streamError,
  });
  const clock = createMonotonicClock(host, { Pollable: ioPoll.Pollable });
  const network = createNetwork(host);
  const tcp = createTcp(host, {
    Pollable: ioPoll.Pollable,
    InputStream: streams.InputStream,
    OutputStream: streams.OutputStream,
  });
  const udp = createUdp(host, { Pollable: ioPoll.Pollable });
  return {
    "wasi:io/error": ioError.interface,
    "wasi:io/poll": ioPoll.interface,
    "wasi:io/streams": streams.interface,
    "wasi:clocks/monotonic-clock": clock.interface,
    "wasi:sockets/network": network.network,
    "wasi:sockets/instance-network": network.instanceNetwork,
    "wasi:sockets/tcp": tcp.tcp,
    "wasi:sockets/tcp-create-socket": tcp.tcpCreateSocket,
    "wasi:sockets/udp": udp.udp,
    "wasi:sockets/udp-create-socket": udp.udpCreateSocket,
    "wasi:sockets/ip-name-lookup": createIpNameLookup(host, { Pollable: ioPoll.Pollable }),
    ...createSocketsExt(host),
  };
}
