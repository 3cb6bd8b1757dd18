// A UDP socket in a session's table: the core socket, the generation of its current datagram
// stream pair, and its RECEIVE readiness turned into events.
//
// Threading: the owning Session's strand only. The Session owns this object and outlives it.
#pragma once

#include <cstdint>
#include <memory>

#include "session_resource.h"
#include "sockets/udp_socket.h"

namespace wasi_socketd::daemon {

class Session;

class UdpResource final : public SessionResource, public sockets::UdpObserver {
 public:
  UdpResource(Session& session, std::uint64_t id, std::shared_ptr<sockets::UdpSocket> socket);
  ~UdpResource() override;
  UdpResource(const UdpResource&) = delete;
  UdpResource& operator=(const UdpResource&) = delete;

  sockets::UdpSocket& socket() { return *socket_; }
  std::uint64_t id() const { return id_; }

  // stream() handed out a new pair: the previous pair's generation stops working.
  std::uint64_t next_stream_generation() { return ++stream_generation_; }
  // True if `generation` names the live stream pair (0 never does).
  bool is_current_stream(std::uint64_t generation) const {
    return generation != 0 && generation == stream_generation_;
  }

  void close() override;
  ResourceSummary summary() const override;

  // sockets::UdpObserver
  void receive_readiness(bool ready) override;

 private:
  Session& session_;
  const std::uint64_t id_;
  std::shared_ptr<sockets::UdpSocket> socket_;
  std::uint64_t stream_generation_ = 0;
};

}  // namespace wasi_socketd::daemon
