// wasi:sockets/tcp and wasi:sockets/tcp-create-socket, served by the broker.
// Error codes arrive from the addon already thrown as their WIT strings ("would-block").
import { BrokerResource, handleOf, wrap } from "./resource.js";

export function createTcp(host, { Pollable, InputStream, OutputStream }) {
  const { addon } = host;
  const native = () => host.native;

  class TcpSocket extends BrokerResource {
    startBind(network, localAddress) {
      addon.tcpStartBind(native(), handleOf(this), handleOf(network), localAddress);
    }
    finishBind() {
      addon.tcpFinishBind(native(), handleOf(this));
    }
    startConnect(network, remoteAddress) {
      addon.tcpStartConnect(native(), handleOf(this), handleOf(network), remoteAddress);
    }
    finishConnect() {
      const [input, output] = addon.tcpFinishConnect(native(), handleOf(this));
      return [wrap(InputStream, host, input), wrap(OutputStream, host, output)];
    }
    startListen() {
      addon.tcpStartListen(native(), handleOf(this));
    }
    finishListen() {
      addon.tcpFinishListen(native(), handleOf(this));
    }
    accept() {
      const [socket, input, output] = addon.tcpAccept(native(), handleOf(this));
      return [
        wrap(TcpSocket, host, socket),
        wrap(InputStream, host, input),
        wrap(OutputStream, host, output),
      ];
    }
    localAddress() {
      return addon.tcpLocalAddress(native(), handleOf(this));
    }
    remoteAddress() {
      return addon.tcpRemoteAddress(native(), handleOf(this));
    }
    isListening() {
      return addon.tcpIsListening(native(), handleOf(this));
    }
    addressFamily() {
      return addon.tcpAddressFamily(native(), handleOf(this));
    }
    setListenBacklogSize(value) {
      addon.tcpSetListenBacklogSize(native(), handleOf(this), value);
    }
    keepAliveEnabled() {
      return addon.tcpKeepAliveEnabled(native(), handleOf(this));
    }
    setKeepAliveEnabled(value) {
      addon.tcpSetKeepAliveEnabled(native(), handleOf(this), value);
    }
    keepAliveIdleTime() {
      return addon.tcpKeepAliveIdleTime(native(), handleOf(this));
    }
    setKeepAliveIdleTime(value) {
      addon.tcpSetKeepAliveIdleTime(native(), handleOf(this), value);
    }
    keepAliveInterval() {
      return addon.tcpKeepAliveInterval(native(), handleOf(this));
    }
    setKeepAliveInterval(value) {
      addon.tcpSetKeepAliveInterval(native(), handleOf(this), value);
    }
    keepAliveCount() {
      return addon.tcpKeepAliveCount(native(), handleOf(this));
    }
    setKeepAliveCount(value) {
      addon.tcpSetKeepAliveCount(native(), handleOf(this), value);
    }
    hopLimit() {
      return addon.tcpHopLimit(native(), handleOf(this));
    }
    setHopLimit(value) {
      addon.tcpSetHopLimit(native(), handleOf(this), value);
    }
    receiveBufferSize() {
      return addon.tcpReceiveBufferSize(native(), handleOf(this));
    }
    setReceiveBufferSize(value) {
      addon.tcpSetReceiveBufferSize(native(), handleOf(this), value);
    }
    sendBufferSize() {
      return addon.tcpSendBufferSize(native(), handleOf(this));
    }
    setSendBufferSize(value) {
      addon.tcpSetSendBufferSize(native(), handleOf(this), value);
    }
    subscribe() {
      return wrap(Pollable, host, addon.tcpSubscribe(native(), handleOf(this)));
    }
    shutdown(shutdownType) {
      addon.tcpShutdown(native(), handleOf(this), shutdownType);
    }
  }

  return {
    tcp: { TcpSocket },
    tcpCreateSocket: {
      createTcpSocket: (family) => wrap(TcpSocket, host, addon.tcpCreateSocket(native(), family)),
    },
  };
}
