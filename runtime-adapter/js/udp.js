// wasi:sockets/udp and wasi:sockets/udp-create-socket, served by the broker.
import { BrokerResource, handleOf, wrap } from "./resource.js";

export function createUdp(host, { Pollable }) {
  const { addon } = host;

  class IncomingDatagramStream extends BrokerResource {
    receive(maxResults) {
      return addon.incomingDatagramStreamReceive(host.native, handleOf(this), maxResults);
    }
    subscribe() {
      return wrap(Pollable, host, addon.incomingDatagramStreamSubscribe(host.native, handleOf(this)));
    }
  }

  class OutgoingDatagramStream extends BrokerResource {
    checkSend() {
      return addon.outgoingDatagramStreamCheckSend(host.native, handleOf(this));
    }
    send(datagrams) {
      return addon.outgoingDatagramStreamSend(host.native, handleOf(this), datagrams);
    }
    subscribe() {
      return wrap(Pollable, host, addon.outgoingDatagramStreamSubscribe(host.native, handleOf(this)));
    }
  }

  class UdpSocket extends BrokerResource {
    startBind(network, localAddress) {
      addon.udpStartBind(host.native, handleOf(this), handleOf(network), localAddress);
    }
    finishBind() {
      addon.udpFinishBind(host.native, handleOf(this));
    }
    stream(remoteAddress) {
      const [incoming, outgoing] = addon.udpStream(host.native, handleOf(this), remoteAddress);
      return [
        wrap(IncomingDatagramStream, host, incoming),
        wrap(OutgoingDatagramStream, host, outgoing),
      ];
    }
    localAddress() {
      return addon.udpLocalAddress(host.native, handleOf(this));
    }
    remoteAddress() {
      return addon.udpRemoteAddress(host.native, handleOf(this));
    }
    addressFamily() {
      return addon.udpAddressFamily(host.native, handleOf(this));
    }
    unicastHopLimit() {
      return addon.udpUnicastHopLimit(host.native, handleOf(this));
    }
    setUnicastHopLimit(value) {
      addon.udpSetUnicastHopLimit(host.native, handleOf(this), value);
    }
    receiveBufferSize() {
      return addon.udpReceiveBufferSize(host.native, handleOf(this));
    }
    setReceiveBufferSize(value) {
      addon.udpSetReceiveBufferSize(host.native, handleOf(this), value);
    }
    sendBufferSize() {
      return addon.udpSendBufferSize(host.native, handleOf(this));
    }
    setSendBufferSize(value) {
      addon.udpSetSendBufferSize(host.native, handleOf(this), value);
    }
    subscribe() {
      return wrap(Pollable, host, addon.udpSubscribe(host.native, handleOf(this)));
    }
  }

  return {
    udp: { UdpSocket, IncomingDatagramStream, OutgoingDatagramStream },
    udpCreateSocket: {
      createUdpSocket: (family) => wrap(UdpSocket, host, addon.udpCreateSocket(host.native, family)),
    },
  };
}
