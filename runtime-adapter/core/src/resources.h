// The host's resource kinds: one struct per WIT resource, as kept in a ResourceTable.
//
// Socket resources own client handles (dropping them drops the broker socket); streams and
// pollables refer to their socket by broker id and are children of it in the table, so they can
// never outlive it. Used only on the guest's thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "wasi_socketd/client/address.h"
#include "wasi_socketd/client/mirror.h"
#include "wasi_socketd/client/name_lookup.h"
#include "wasi_socketd/client/tcp_socket.h"
#include "wasi_socketd/client/tcp_streams.h"
#include "wasi_socketd/client/udp_socket.h"

namespace wasi_socketd::adapter {

// wasi:sockets/network.network
struct NetworkResource {
  static constexpr const char* kName = "network";
  std::uint64_t id = 0;
};

// wasi:sockets/tcp.tcp-socket. Its state is the mirror's (client::SocketView), never a copy here.
struct TcpSocketResource {
  static constexpr const char* kName = "tcp-socket";
  client::TcpSocket socket;
};

// wasi:io/streams.input-stream of a TCP socket
struct InputStreamResource {
  static constexpr const char* kName = "input-stream";
  client::TcpStreams streams;
};

// wasi:io/streams.output-stream of a TCP socket
struct OutputStreamResource {
  static constexpr const char* kName = "output-stream";
  client::TcpStreams streams;
  std::uint64_t permitted = 0;  // what the last check-write allowed; the next write consumes it
};

// wasi:sockets/udp.udp-socket
struct UdpSocketResource {
  static constexpr const char* kName = "udp-socket";
  client::UdpSocket socket;
};

// wasi:sockets/udp.incoming-datagram-stream (child of its udp-socket)
struct IncomingDatagramStreamResource {
  static constexpr const char* kName = "incoming-datagram-stream";
  std::uint32_t socket = 0;  // parent handle
  std::uint64_t generation = 0;
};

// wasi:sockets/udp.outgoing-datagram-stream (child of its udp-socket)
struct OutgoingDatagramStreamResource {
  static constexpr const char* kName = "outgoing-datagram-stream";
  std::uint32_t socket = 0;  // parent handle
  std::uint64_t generation = 0;
  std::uint64_t permitted = 0;  // what the last check-send allowed; send consumes it
};

// wasi:sockets/ip-name-lookup.resolve-address-stream: the finished lookup, read out in order.
struct ResolveAddressStreamResource {
  static constexpr const char* kName = "resolve-address-stream";
  client::Resolution resolution;
  std::size_t next = 0;
};

// wasi:io/poll.pollable. `ready` runs with the session's mirror locked and must not block;
// clock pollables also carry the time they become ready, so poll() knows how long to sleep.
struct PollableResource {
  static constexpr const char* kName = "pollable";
  std::function<bool(const client::Mirror&)> ready;
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

// wasi:io/error.error, from a stream's last-operation-failed.
struct ErrorResource {
  static constexpr const char* kName = "error";
  client::ErrorCode code = client::ErrorCode::kUnknown;
};

using Resource =
    std::variant<NetworkResource, TcpSocketResource, InputStreamResource, OutputStreamResource,
                 UdpSocketResource, IncomingDatagramStreamResource, OutgoingDatagramStreamResource,
                 ResolveAddressStreamResource, PollableResource, ErrorResource>;

}  // namespace wasi_socketd::adapter
