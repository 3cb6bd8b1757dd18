// SocketHandle: ownership of one broker socket (its session, broker id and address family).
//
// The part TcpSocket and UdpSocket share. Move-only: moving leaves the source empty (id 0);
// destroying or assigning over a handle that still owns a socket drops that socket in the broker
// through the socket kind's DropFn (TCP passes its write offset, UDP does not). Not thread-safe per
// object.
#pragma once

#include <cstdint>
#include <memory>

#include "wasi_socketd/client/address.h"
#include "wasi_socketd/client/mirror.h"
#include "wasi_socketd/client/result.h"
#include "wasi_socketd/client/session.h"

namespace wasi_socketd::client {

class SocketHandle {
 public:
  // Forgets socket `id` in the session's mirror and drops it in the broker.
  using DropFn = Status (*)(const std::shared_ptr<Session>& session, std::uint64_t id);

  SocketHandle(std::shared_ptr<Session> session, std::uint64_t id, AddressFamily family,
               DropFn drop);
  SocketHandle(SocketHandle&& other) noexcept;
  SocketHandle& operator=(SocketHandle&& other) noexcept;
  ~SocketHandle();

  std::uint64_t id() const { return id_; }  // 0 once dropped or moved from
  AddressFamily family() const { return family_; }
  Session& session() const { return *session_; }
  const std::shared_ptr<Session>& shared_session() const { return session_; }

  // Drops the socket now (the destructor does it otherwise). Idempotent.
  Status drop();

 protected:
  // Records in the mirror the readiness a call's response carried for this socket, so waiting on
  // it sees the call's effect at once.
  void record_readiness(ReadinessKind kind, const v1::Readiness& readiness) const;

 private:
  std::shared_ptr<Session> session_;
  std::uint64_t id_ = 0;
  AddressFamily family_ = AddressFamily::kIpv4;
  DropFn drop_ = nullptr;
};

}  // namespace wasi_socketd::client
