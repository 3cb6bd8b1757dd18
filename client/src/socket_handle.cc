#include "wasi_socketd/client/socket_handle.h"

#include <utility>

namespace wasi_socketd::client {

SocketHandle::SocketHandle(std::shared_ptr<Session> session, std::uint64_t id, AddressFamily family,
                           DropFn drop)
    : session_(std::move(session)), id_(id), family_(family), drop_(drop) {}

SocketHandle::SocketHandle(SocketHandle&& other) noexcept
    : session_(std::move(other.session_)),
      id_(std::exchange(other.id_, 0)),
      family_(other.family_),
      drop_(other.drop_) {}

SocketHandle& SocketHandle::operator=(SocketHandle&& other) noexcept {
  if (this != &other) {
    (void)drop();
    session_ = std::move(other.session_);
    id_ = std::exchange(other.id_, 0);
    family_ = other.family_;
    drop_ = other.drop_;
  }
  return *this;
}

SocketHandle::~SocketHandle() { (void)drop(); }

void SocketHandle::record_readiness(ReadinessKind kind, const v1::Readiness& readiness) const {
  session_->with_mirror(
      [&](Mirror& m) { m.update_readiness(id_, kind, readiness.ready(), readiness.version()); });
}

Status SocketHandle::drop() {
  if (id_ == 0 || !session_) return ok_status();
  return drop_(session_, std::exchange(id_, 0));
}

}  // namespace wasi_socketd::client
