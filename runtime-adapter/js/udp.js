// wasi:sockets/udp and wasi:sockets/udp-create-socket, served by the broker.
import { BrokerResource, handleOf, wrap } from "./resource.js";

export function createUdp(host, { Pollable }) {
  const { addon } = host;
  const native = () => host.native;

  class IncomingDatagramStream extends BrokerResource {
    receive(maxResults) {
      return addon.incomingDatagramStreamReceive(native(), handleOf(this), maxResults);
    }
    subscribe() {
      return wrap(Pollable, host, addon.incomingDatagramStreamSubscribe(native(), handleOf(this)));
    }
  }

  class OutgoingDatagramStream extends BrokerResource {
    checkSend() {
      return addon.outgoingDatagramStreamCheckSend(native(), handleOf(this));
    }
    send(datagrams) {
      return addon.outgoingDatagramStreamSend(native(), handleOf(this), datagrams);
    }
    subscribe() {
      return wrap(Pollable, host, addon.outgoingDatagramStreamSubscribe(native(), handleOf(this)));
    }
  }

  class UdpSocket extends BrokerResource {
    startBind(network, localAddress) {
      addon.udpStartBind(native(), handleOf(this), handleOf(network), localAddress);
    }
    finishBind() {
      addon.udpFinishBind(native(), handleOf(this));
    }
    stream(remoteAddress) {
      const [incoming, outgoing] = addon.udpStream(native(), handleOf(this), remoteAddress);
      return [
        wrap(IncomingDatagramStream, host, incoming),
        wrap(OutgoingDatagramStream, host, outgoing),
      ];
    }
    localAddress() {
      return addon.udpLocalAddress(native(), handleOf(this));
    }
    remoteAddress() {
      return addon.udpRemoteAddress(native(), handleOf(this));
    }
    addressFamily() {
      return addon.udpAddressFamily(native(), handleOf(this));
    }
    unicastHopLimit() {
      return addon.udpUnicastHopLimit(native(), handleOf(this));
    }
    setUnicastHopLimit(value) {
      addon.udpSetUnicastHopLimit(native(), handleOf(this), value);
    }
    receiveBufferSize() {
      return addon.udpReceiveBufferSize(native(), handleOf(this));
    }
    setReceiveBufferSize(value) {
      addon.udpSetReceiveBufferSize(native(), handleOf(this), value);
    }
    sendBufferSize() {
      return addon.udpSendBufferSize(native(), handleOf(this));
    }
    setSendBufferSize(value) {
      addon.udpSetSendBufferSize(native(), handleOf(this), value);
    }
    subscribe() {
      return wrap(Pollable, host, addon.udpSubscribe(native(), handleOf(this)));
    }
  }

  return {
    udp: { UdpSocket, IncomingDatagramStream, OutgoingDatagramStream },
    udpCreateSocket: {
      createUdpSocket: (family) => wrap(UdpSocket, host, addon.udpCreateSocket(native(), family)),
    },
  };
}
