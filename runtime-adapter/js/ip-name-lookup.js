// wasi:sockets/ip-name-lookup: the broker resolves completely in one call; the stream then
// answers from local state.
import { BrokerResource, handleOf, wrap } from "./resource.js";

export function createIpNameLookup(host, { Pollable }) {
  const { addon } = host;

  class ResolveAddressStream extends BrokerResource {
    // -> ip-address, or undefined once the stream is exhausted (option::none)
    resolveNextAddress() {
      return addon.resolveNextAddress(host.native, handleOf(this));
    }
    subscribe() {
      return wrap(Pollable, host, addon.resolveAddressStreamSubscribe(host.native, handleOf(this)));
    }
  }

  return {
    ResolveAddressStream,
    resolveAddresses: (network, name) =>
      wrap(ResolveAddressStream, host, addon.resolveAddresses(host.native, handleOf(network), name)),
  };
}
