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
  session_.strand().assert_on_sequence();
  if (socket_) {
    socket_->set_observer(nullptr);
    socket_.reset();  // the core closes the fd with its last reference
  }
}

void UdpResource::receive_readiness(bool ready) {
  session_.strand().assert_on_sequence();
  session_.set_readiness(id_, v1::READINESS_KIND_RECEIVE, ready);
}

ResourceSummary UdpResource::summary() const {
  session_.strand().assert_on_sequence();
  return summarize("udp", *socket_);
}

}  // namespace wasi_socketd::daemon
