// wasi-socketd:sockets-ext@0.1.0 (runtime-adapter/sockets-ext/wit/sockets-ext.wit): the socket
// options WASI 0.2 left out, on the guest's broker sockets. Each call is one broker round trip;
// the tenant's policy decides (access-denied when not granted). Without a broker every function
// answers not-supported, so one guest runs on any host.
import { handleOf } from "./resource.js";

// Option numbers of adapter_ext.h (WSD_EXT_*).
const NO_DELAY = 1;
const IPV6_ONLY = 2;
const LINGER = 3;
const TRAFFIC_CLASS = 4;
const CORK = 5;
const BYTES_AVAILABLE = 6;
const BROADCAST = 7;
const REUSE_ADDRESS = 8;
const REUSE_PORT = 9;
const MULTICAST_HOP_LIMIT = 10;
const MULTICAST_LOOPBACK = 11;
const MULTICAST_INTERFACE = 12;

// How a WIT value crosses the addon (which speaks BigInt or null) for each value type.
const asBool = { fromWire: (v) => v !== 0n, toWire: (v) => (v ? 1n : 0n) };
const asU8 = { fromWire: (v) => Number(v), toWire: (v) => BigInt(v) };
const asU32 = asU8;  // a Number either way
const asU64 = { fromWire: (v) => v, toWire: (v) => BigInt(v) };
// option<duration>: undefined is none (the addon's null).
const asOptionalDuration = {
  fromWire: (v) => (v === null ? undefined : v),
  toWire: (v) => (v === undefined || v === null ? null : BigInt(v)),
};

// { name: [option, type, settable] } of each interface, named as jco names the WIT functions.
const TCP_OPTIONS = {
  noDelay: [NO_DELAY, asBool, true],
  ipv6Only: [IPV6_ONLY, asBool, true],
  linger: [LINGER, asOptionalDuration, true],
  trafficClass: [TRAFFIC_CLASS, asU8, true],
  cork: [CORK, asBool, true],
  bytesAvailable: [BYTES_AVAILABLE, asU64, false],
};
const UDP_OPTIONS = {
  ipv6Only: [IPV6_ONLY, asBool, true],
  broadcast: [BROADCAST, asBool, true],
  trafficClass: [TRAFFIC_CLASS, asU8, true],
  reuseAddress: [REUSE_ADDRESS, asBool, true],
  reusePort: [REUSE_PORT, asBool, true],
  multicastHopLimit: [MULTICAST_HOP_LIMIT, asU8, true],
  multicastLoopback: [MULTICAST_LOOPBACK, asBool, true],
  multicastInterface: [MULTICAST_INTERFACE, asU32, true],
  bytesAvailable: [BYTES_AVAILABLE, asU64, false],
};

const setterName = (name) => "set" + name[0].toUpperCase() + name.slice(1);

// The getter and setter functions of `options`, over the addon's get/set.
function accessors(options, get, set) {
  const functions = {};
  for (const [name, [option, type, settable]] of Object.entries(options)) {
    functions[name] = (socket) => type.fromWire(get(handleOf(socket), option));
    if (settable) {
      functions[setterName(name)] = (socket, value) => set(handleOf(socket), option, type.toWire(value));
    }
  }
  return functions;
}

export function createSocketsExt(host) {
  const { addon } = host;
  const tcpExt = accessors(
    TCP_OPTIONS,
    (socket, option) => addon.tcpExtGet(host.native, socket, option),
    (socket, option, value) => addon.tcpExtSet(host.native, socket, option, value),
  );
  const udpExt = accessors(
    UDP_OPTIONS,
    (socket, option) => addon.udpExtGet(host.native, socket, option),
    (socket, option, value) => addon.udpExtSet(host.native, socket, option, value),
  );
  udpExt.joinMulticastGroup = (socket, group, interfaceIndex) =>
    addon.udpExtJoinMulticastGroup(host.native, handleOf(socket), group, interfaceIndex);
  udpExt.leaveMulticastGroup = (socket, group, interfaceIndex) =>
    addon.udpExtLeaveMulticastGroup(host.native, handleOf(socket), group, interfaceIndex);
  return {
    "wasi-socketd:sockets-ext/tcp-ext": tcpExt,
    "wasi-socketd:sockets-ext/udp-ext": udpExt,
  };
}

// The package on a host without a broker: every function throws not-supported.
export function unsupportedSocketsExt() {
  const refuse = () => {
    throw "not-supported";
  };
  const everything = (options, extra) => {
    const functions = {};
    for (const [name, [, , settable]] of Object.entries(options)) {
      functions[name] = refuse;
      if (settable) functions[setterName(name)] = refuse;
    }
    for (const name of extra) functions[name] = refuse;
    return functions;
  };
  return {
    "wasi-socketd:sockets-ext/tcp-ext": everything(TCP_OPTIONS, []),
    "wasi-socketd:sockets-ext/udp-ext": everything(UDP_OPTIONS, ["joinMulticastGroup", "leaveMulticastGroup"]),
  };
}
