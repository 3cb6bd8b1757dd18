#include "udp_resource.h"

#include <utility>

#include "session.h"

namespace wasi_socketd::daemon {

UdpResource::UdpResource(Session& session, std::uint64_t id,
                         std::shared_ptr<sockets::UdpSocket> socket)
    : session_(session), id_(id), socket_(std::move(socket)) {
  socket_->set_observer(this);
}

UdpResource::~UdpResource() { close(); }

void UdpResource::close() {
  if (socket_) {
    socket_->set_observer(nullptr);
    socket_.reset();  // the core closes the fd with its last reference
  }
}

void UdpResource::receive_readiness(bool ready) {
  session_.set_readiness(id_, v1::READINESS_KIND_RECEIVE, ready);
}

ResourceSummary UdpResource::summary() const {
  using State = sockets::UdpSocket::State;
  ResourceSummary summary;
  summary.protocol = "udp";
  switch (socket_->state()) {
    case State::unbound:
      summary.state = "unbound";
      break;
    case State::bind_in_progress:
      summary.state = "bind-in-progress";
      break;
    case State::bound:
      summary.state = "bound";
      break;
  }
  if (auto local = socket_->local_address()) summary.local_address = format_address(*local);
  if (auto remote = socket_->remote_address()) summary.remote_address = format_address(*remote);
  return summary;
}

}  // namespace wasi_socketd::daemon
