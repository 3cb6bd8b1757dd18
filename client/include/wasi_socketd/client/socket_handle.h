// SocketHandle: ownership of one broker socket (its session, broker id and address family).
//
// The part TcpSocket and UdpSocket share. Move-only: moving leaves the source empty (id 0);
// destroying or assigning over a handle that still owns a socket drops that socket in the broker
// through the socket kind's DropFn (TCP passes its write offset, UDP does not). Not thread-safe per
// object.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

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

  // Records the socket view a call's response carried (TcpSocketView/UdpSocketView), if any.
  template <typename Response>
  void record_view(const Result<Response>& response) const {
    if constexpr (requires { response->view(); }) {
      if (!response || !response->has_view()) return;
      session_->with_mirror([&](Mirror& m) { m.update_view(id_, response->view()); });
    }
  }

  using Ask = std::function<Result<std::uint64_t>()>;
  // An option getter: the mirror's answer, or (after this option's pending setters are answered,
  // or for a kernel-tuned buffer size) the broker's, which `ask` fetches.
  Result<std::uint64_t> option_answer(int option, const Ask& ask) const;
  // An option setter: checked and predicted in the mirror, then sent on the session's pipelined
  // path (`send` does the unary call and returns the effective value) without waiting. A socket
  // the broker never described (no view) takes the round trip instead.
  Status pipeline_set(int option, std::uint64_t value, Ask send);
  // An address getter: the mirror's answer, else the broker's.
  Result<IpSocketAddress> address_answer(bool local,
                                         const std::function<Result<IpSocketAddress>()>& ask) const;

 private:
  std::shared_ptr<Session> session_;
  std::uint64_t id_ = 0;
  AddressFamily family_ = AddressFamily::kIpv4;
  DropFn drop_ = nullptr;
};

}  // namespace wasi_socketd::client
