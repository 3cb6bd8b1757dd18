// wasi:sockets/network and wasi:sockets/instance-network.
import { BrokerResource, handleOf, isBrokerResource, wrap } from "./resource.js";

export function createNetwork(host) {
  const { addon } = host;

  class Network extends BrokerResource {}

  // network-error-code(borrow<error>): the socket error-code behind a stream error, if any.
  // preview2-shim's errors (stdio, files) never carry one.
  function networkErrorCode(error) {
    if (!isBrokerResource(error)) return undefined;
    return addon.networkErrorCode(host.native, handleOf(error));
  }

  return {
    network: { Network, networkErrorCode },
    instanceNetwork: {
      instanceNetwork: () => wrap(Network, host, addon.instanceNetwork(host.native)),
    },
    Network,
  };
}
