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

Result<std::uint64_t> SocketHandle::option_answer(int option, const Ask& ask) const {
  auto local = [&](Mirror& m) -> std::optional<Result<std::uint64_t>> {
    SocketView* view = m.view(id_);
    return view == nullptr ? std::nullopt : view->local_answer(option);
  };
  if (auto answer = session_->with_mirror(local)) return *answer;
  // A buffer size's setter may be on its way: its reply brings the size the kernel chose.
  session_->wait_until(
      [&](const Mirror& m) {
        const SocketView* view = m.find_view(id_);
        if (view == nullptr) return true;
        auto it = view->options.find(option);
        return it == view->options.end() || it->second.pending == 0;
      },
      kNoDeadline);
  if (auto answer = session_->with_mirror(local)) return *answer;
  Result<std::uint64_t> answer = ask();
  session_->with_mirror([&](Mirror& m) {
    if (SocketView* view = m.view(id_); view != nullptr && answer) view->learn(option, answer);
  });
  return answer;
}

Status SocketHandle::pipeline_set(int option, std::uint64_t value, Ask send) {
  std::optional<Status> checked = session_->with_mirror([&](Mirror& m) -> std::optional<Status> {
    SocketView* view = m.view(id_);
    if (view == nullptr) return std::nullopt;
    return view->begin_set(option, value);
  });
  if (!checked) {
    Result<std::uint64_t> effective = send();
    if (!effective) return effective.error();
    return ok_status();
  }
  if (!*checked) return *checked;
  Session* session = session_.get();
  const bool queued = session->pipeline([session, id = id_, option, send = std::move(send)] {
    Result<std::uint64_t> effective = send();
    session->change_mirror([&](Mirror& m) {
      if (SocketView* view = m.view(id)) view->finish_set(option, effective);
    });
  });
  if (!queued) {
    session->change_mirror([&](Mirror& m) {
      if (SocketView* view = m.view(id_)) view->finish_set(option, ErrorCode::kSessionLost);
    });
    return ErrorCode::kSessionLost;
  }
  return ok_status();
}

Result<IpSocketAddress> SocketHandle::address_answer(
    bool local, const std::function<Result<IpSocketAddress>()>& ask) const {
  auto answer = session_->with_mirror([&](Mirror& m) -> std::optional<Result<IpSocketAddress>> {
    const SocketView* view = m.find_view(id_);
    if (view == nullptr) return std::nullopt;
    return local ? view->local_address : view->remote_address;
  });
  return answer ? *answer : ask();
}

Status SocketHandle::drop() {
  if (id_ == 0 || !session_) return ok_status();
  return drop_(session_, std::exchange(id_, 0));
}

}  // namespace wasi_socketd::client
