// UdpSocket: a broker UDP socket (wasi:sockets/udp + udp-create-socket) and its datagram streams.
//
// The datagram streams are identified by the generation stream() returned: a later stream() call
// makes the older generation fail with invalid-state in the broker. Move-only RAII handle
// (SocketHandle: destroying it drops the socket). Not thread-safe per object.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "wasi_socketd/client/address.h"
#include "wasi_socketd/client/result.h"
#include "wasi_socketd/client/session.h"
#include "wasi_socketd/client/socket_handle.h"

namespace wasi_socketd::client {

enum class UdpOption : std::uint8_t { kUnicastHopLimit = 1, kReceiveBufferSize, kSendBufferSize };

struct IncomingDatagram {
  std::vector<std::uint8_t> data;
  IpSocketAddress remote_address;
};

struct OutgoingDatagram {
  std::span<const std::uint8_t> data;
  std::optional<IpSocketAddress> remote_address;
};

class UdpSocket : private SocketHandle {
 public:
  static Result<UdpSocket> create(std::shared_ptr<Session> session, AddressFamily family);

  using SocketHandle::family;
  using SocketHandle::id;

  Status start_bind(std::uint64_t network_id, const IpSocketAddress& local);
  Status finish_bind();
  // Connects to remote (or disconnects with nullopt); returns the new stream generation.
  Result<std::uint64_t> stream(const std::optional<IpSocketAddress>& remote);
  // The getters answer from the mirror's view of the socket, with no round trip (socket_view.h).
  Result<IpSocketAddress> local_address();
  Result<IpSocketAddress> remote_address();
  Result<std::uint64_t> get_option(UdpOption option);
  // Checked locally and pipelined; the broker's effective value arrives later.
  Status set_option(UdpOption option, std::uint64_t value);

  // incoming-datagram-stream.receive: never blocks; an empty list when nothing waits.
  Result<std::vector<IncomingDatagram>> receive(std::uint64_t generation,
                                                std::uint64_t max_results);
  // outgoing-datagram-stream.send: how many were sent (a prefix).
  Result<std::uint64_t> send(std::uint64_t generation, std::span<const OutgoingDatagram> datagrams);
  // Mirror readiness: receive would return a datagram or an error.
  bool receive_ready() const;

  using SocketHandle::drop;  // idempotent; the destructor does it otherwise

 private:
  UdpSocket(std::shared_ptr<Session> session, std::uint64_t id, AddressFamily family);
  // A call that may change what the getters answer: records the view it returns.
  template <typename Request, typename Response>
  Status view_call(grpc::Status (v1::Udp::Stub::*method)(grpc::ClientContext*, const Request&,
                                                         Response*),
                   const Request& request);
};

}  // namespace wasi_socketd::client
