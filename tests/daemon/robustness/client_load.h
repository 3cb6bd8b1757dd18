// Client-library workloads for the kill -9 tests: connected sockets built through a broker
// session, and a whole load-generating client process body.
//
// Functions that take a Session may be called from any thread (the client library's Session is
// thread-safe); each returned socket is then used by one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "wasi_socketd/client/session.h"
#include "wasi_socketd/client/tcp_socket.h"
#include "wasi_socketd/client/tcp_streams.h"
#include "wasi_socketd/client/udp_socket.h"

namespace wasi_socketd::testing {

// 127.0.0.1:port as the client library spells it.
client::IpSocketAddress loopback_v4(std::uint16_t port);

// A broker TCP socket connected to 127.0.0.1:port, with its streams; nullopt on any failure.
std::optional<client::TcpSocket> connect_through(const std::shared_ptr<client::Session>& session,
                                                 std::uint16_t port);

// A broker TCP listener on 127.0.0.1 with an ephemeral port (written to *port); nullopt on failure.
std::optional<client::TcpSocket> listen_through(const std::shared_ptr<client::Session>& session,
                                                std::uint16_t* port);

// A bound broker UDP socket whose datagram streams are connected to 127.0.0.1:port; the stream
// generation goes to *generation.
std::optional<client::UdpSocket> udp_to(const std::shared_ptr<client::Session>& session,
                                        std::uint16_t port, std::uint64_t* generation);

// Writes to `streams` as fast as the permit allows, flushing every `flush_every` bytes, until the
// stream or the session fails; returns how it ended.
client::StreamStatus push_bulk(client::TcpStreams& streams, std::uint64_t flush_every);

struct LoadTargets {
  std::string socket_path;     // the broker
  std::uint16_t tcp_peer = 0;  // a kernel listener that drains what it is sent
  std::uint16_t udp_peer = 0;  // a kernel UDP socket
};

// The body of a forked client process, run until it is killed: one session with a listener
// (its port is written to `report_fd` as a uint16_t; connections to it stay pending), a TCP
// socket pushing bulk data to `tcp_peer`, and UDP datagrams to `udp_peer`. Exits with 1 if
// anything fails before the load runs.
[[noreturn]] void run_load_client(const LoadTargets& targets, int report_fd);

}  // namespace wasi_socketd::testing
