// TcpSocket: a broker TCP socket (wasi:sockets/tcp + tcp-create-socket), one call per WIT function.
//
// Move-only RAII handle (SocketHandle): destroying it drops the socket in the broker, passing the
// write offset, so bytes already written are still delivered. Not thread-safe per object; different
// sockets may be used from different threads. Byte streams of a connected socket: see TcpStreams.
#pragma once

#include <cstdint>
#include <memory>

#include "wasi_socketd/client/address.h"
#include "wasi_socketd/client/result.h"
#include "wasi_socketd/client/session.h"
#include "wasi_socketd/client/socket_handle.h"

namespace wasi_socketd::client {

enum class TcpOption : std::uint8_t {
  kListenBacklogSize = 1,  // set only
  kKeepAliveEnabled,       // 0/1
  kKeepAliveIdleTime,      // ns
  kKeepAliveInterval,      // ns
  kKeepAliveCount,
  kHopLimit,
  kReceiveBufferSize,
  kSendBufferSize,
};

enum class ShutdownType : std::uint8_t { kReceive, kSend, kBoth };  // WIT order

class TcpSocket;

struct TcpConnection {
  IpSocketAddress local_address;
  IpSocketAddress remote_address;
};

struct TcpAccepted;

class TcpSocket : private SocketHandle {
 public:
  static Result<TcpSocket> create(std::shared_ptr<Session> session, AddressFamily family);
  TcpSocket(std::shared_ptr<Session> session, std::uint64_t id, AddressFamily family);

  using SocketHandle::family;
  using SocketHandle::id;
  using SocketHandle::session;

  Status start_bind(std::uint64_t network_id, const IpSocketAddress& local);
  Status finish_bind();
  Status start_connect(std::uint64_t network_id, const IpSocketAddress& remote);
  // On success the socket's streams are open (see TcpStreams). would-block is answered from the
  // pushed CONNECT readiness, with no round trip (accept likewise from ACCEPT readiness).
  Result<TcpConnection> finish_connect();
  Status start_listen();
  Status finish_listen();
  Result<TcpAccepted> accept();
  // The getters answer from the mirror's view of the socket, with no round trip (see
  // socket_view.h); only the buffer sizes of a connected socket the kernel tunes are asked.
  Result<IpSocketAddress> local_address();
  Result<IpSocketAddress> remote_address();
  Result<bool> is_listening();
  Result<std::uint64_t> get_option(TcpOption option);
  // Checked locally and pipelined (the broker's effective value arrives later); the listen
  // backlog, whose errors the kernel decides, takes a round trip.
  Status set_option(TcpOption option, std::uint64_t value);
  // For send (and both), the broker first writes every byte sent so far.
  Status shutdown(ShutdownType how);

  // Mirror readiness, no round trip: a started connect has finished / an accept is pending.
  bool connect_ready() const;
  bool accept_ready() const;
  // tcp-socket.subscribe's readiness for socket `id`: a started connect has finished, or a
  // listener has an accept pending; otherwise ready. Runs with the mirror locked.
  static bool pollable_ready(const Mirror& mirror, std::uint64_t id);

  // Drops the socket now (the destructor does it otherwise). Idempotent.
  using SocketHandle::drop;

 private:
  // True when the socket is in `state` and the pushed readiness of `kind` says not yet: the
  // broker would answer would-block (an answer that may be older than the push on its way).
  bool would_block(v1::TcpSocketState state, ReadinessKind kind) const;
  // A call that may change what the getters answer: records the view it returns.
  template <typename Request, typename Response>
  Status view_call(grpc::Status (v1::Tcp::Stub::*method)(grpc::ClientContext*, const Request&,
                                                         Response*),
                   const Request& request);
};

struct TcpAccepted {
  TcpSocket socket;
  TcpConnection connection;
};

}  // namespace wasi_socketd::client
