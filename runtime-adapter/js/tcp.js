// wasi:sockets/tcp and wasi:sockets/tcp-create-socket, served by the broker.
// Error codes arrive from the addon already thrown as their WIT strings ("would-block").
import { BrokerResource, handleOf, wrap } from "./resource.js";

export function createTcp(host, { Pollable, InputStream, OutputStream }) {
  const { addon } = host;

  class TcpSocket extends BrokerResource {
    startBind(network, localAddress) {
      addon.tcpStartBind(host.native, handleOf(this), handleOf(network), localAddress);
    }
    finishBind() {
      addon.tcpFinishBind(host.native, handleOf(this));
    }
    startConnect(network, remoteAddress) {
      addon.tcpStartConnect(host.native, handleOf(this), handleOf(network), remoteAddress);
    }
    finishConnect() {
      const [input, output] = addon.tcpFinishConnect(host.native, handleOf(this));
      return [wrap(InputStream, host, input), wrap(OutputStream, host, output)];
    }
    startListen() {
      addon.tcpStartListen(host.native, handleOf(this));
    }
    finishListen() {
      addon.tcpFinishListen(host.native, handleOf(this));
    }
    accept() {
      const [socket, input, output] = addon.tcpAccept(host.native, handleOf(this));
      return [
        wrap(TcpSocket, host, socket),
        wrap(InputStream, host, input),
        wrap(OutputStream, host, output),
      ];
    }
    localAddress() {
      return addon.tcpLocalAddress(host.native, handleOf(this));
    }
    remoteAddress() {
      return addon.tcpRemoteAddress(host.native, handleOf(this));
    }
    isListening() {
      return addon.tcpIsListening(host.native, handleOf(this));
    }
    addressFamily() {
      return addon.tcpAddressFamily(host.native, handleOf(this));
    }
    setListenBacklogSize(value) {
      addon.tcpSetListenBacklogSize(host.native, handleOf(this), value);
    }
    keepAliveEnabled() {
      return addon.tcpKeepAliveEnabled(host.native, handleOf(this));
    }
    setKeepAliveEnabled(value) {
      addon.tcpSetKeepAliveEnabled(host.native, handleOf(this), value);
    }
    keepAliveIdleTime() {
      return addon.tcpKeepAliveIdleTime(host.native, handleOf(this));
    }
    setKeepAliveIdleTime(value) {
      addon.tcpSetKeepAliveIdleTime(host.native, handleOf(this), value);
    }
    keepAliveInterval() {
      return addon.tcpKeepAliveInterval(host.native, handleOf(this));
    }
    setKeepAliveInterval(value) {
      addon.tcpSetKeepAliveInterval(host.native, handleOf(this), value);
    }
    keepAliveCount() {
      return addon.tcpKeepAliveCount(host.native, handleOf(this));
    }
    setKeepAliveCount(value) {
      addon.tcpSetKeepAliveCount(host.native, handleOf(this), value);
    }
    hopLimit() {
      return addon.tcpHopLimit(host.native, handleOf(this));
    }
    setHopLimit(value) {
      addon.tcpSetHopLimit(host.native, handleOf(this), value);
    }
    receiveBufferSize() {
      return addon.tcpReceiveBufferSize(host.native, handleOf(this));
    }
    setReceiveBufferSize(value) {
      addon.tcpSetReceiveBufferSize(host.native, handleOf(this), value);
    }
    sendBufferSize() {
      return addon.tcpSendBufferSize(host.native, handleOf(this));
    }
    setSendBufferSize(value) {
      addon.tcpSetSendBufferSize(host.native, handleOf(this), value);
    }
    subscribe() {
      return wrap(Pollable, host, addon.tcpSubscribe(host.native, handleOf(this)));
    }
    shutdown(shutdownType) {
      addon.tcpShutdown(host.native, handleOf(this), shutdownType);
    }
  }

  return {
    tcp: { TcpSocket },
    tcpCreateSocket: {
      createTcpSocket: (family) => wrap(TcpSocket, host, addon.tcpCreateSocket(host.native, family)),
    },
  };
}
