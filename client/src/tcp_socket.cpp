#include "wasi_socketd/client/tcp_socket.h"

#include <utility>

#include "proto_convert.h"
#include "wasi_socketd/client/tcp_streams.h"

namespace wasi_socketd::client {

namespace {

v1::TcpSocketRequest request_for(std::uint64_t id) {
  return detail::socket_request<v1::TcpSocketRequest>(id);
}

// Opens the socket's stream state in the mirror with the broker's grant.
void open_streams(Session& session, std::uint64_t id, const v1::TcpStreamsGrant& grant) {
  session.with_mirror([&](Mirror& m) {
    if (auto* s = m.tcp(id)) {
      s->write_permit = grant.write_permit();
      s->read_window = grant.read_window();
    }
  });
}

// Bytes written but not yet acknowledged may still be on their way on the Attach stream, where a
// unary Drop could overtake them: such a drop travels on the stream behind them instead, so the
// broker writes every byte written before it. Otherwise the unary Drop is used, which is done
// when it answers (a listener's port is free again at once).
Status drop_tcp(const std::shared_ptr<Session>& session, std::uint64_t id) {
  std::uint64_t sent = 0;
  bool in_flight = false;
  session->with_mirror([&](Mirror& m) {
    if (const TcpStreamState* s = m.find_tcp(id)) {
      sent = s->sent;
      in_flight = s->sent > s->acked && !s->output_ended;
    }
    m.forget(id);
  });
  if (in_flight) {
    v1::ClientFrame frame;
    frame.add_items()->mutable_tcp_drop()->set_socket_id(id);
    if (!session->send(std::move(frame))) return ErrorCode::kSessionLost;
    return Unit{};
  }
  v1::TcpDropRequest request;
  request.set_socket_id(id);
  request.set_write_offset(sent);
  return detail::status_of(session->call(session->tcp(), &v1::Tcp::Stub::Drop, request));
}

// Records an accepted socket's view. Linux copies the listener's buffer locks to it, so a size
// the guest set on the listener stays untuned on the accepted socket too.
void inherit_view(Session& session, std::uint64_t listener, std::uint64_t accepted,
                  const v1::TcpSocketView& view) {
  session.with_mirror([&](Mirror& m) {
    m.update_view(accepted, view);
    const SocketView* from = m.find_view(listener);
    SocketView* to = m.view(accepted);
    if (from == nullptr || to == nullptr) return;
    for (const auto& [option, answer] : from->options) {
      if (answer.locked) to->options[option].locked = true;
    }
  });
}

}  // namespace

Result<TcpSocket> TcpSocket::create(std::shared_ptr<Session> session, AddressFamily family) {
  v1::CreateTcpSocketRequest request;
  request.set_family(detail::to_proto(family));
  auto response =
      session->call(session->tcp_create(), &v1::TcpCreateSocket::Stub::CreateTcpSocket, request);
  if (Status status = detail::status_of(response); !status) return status.error();
  TcpSocket socket(std::move(session), response->socket_id(), family);
  socket.record_view(response);
  return socket;
}

TcpSocket::TcpSocket(std::shared_ptr<Session> session, std::uint64_t id, AddressFamily family)
    : SocketHandle(std::move(session), id, family, drop_tcp) {}

template <typename Request, typename Response>
Status TcpSocket::view_call(grpc::Status (v1::Tcp::Stub::*method)(grpc::ClientContext*,
                                                                  const Request&, Response*),
                            const Request& request) {
  auto response = session().call(session().tcp(), method, request);
  record_view(response);
  return detail::status_of(response);
}

Status TcpSocket::start_bind(std::uint64_t network_id, const IpSocketAddress& local) {
  v1::TcpStartBindRequest request;
  request.set_socket_id(id());
  request.set_network_id(network_id);
  detail::to_proto(local, request.mutable_local_address());
  return view_call(&v1::Tcp::Stub::StartBind, request);
}

Status TcpSocket::finish_bind() { return view_call(&v1::Tcp::Stub::FinishBind, request_for(id())); }

Status TcpSocket::start_connect(std::uint64_t network_id, const IpSocketAddress& remote) {
  v1::TcpStartConnectRequest request;
  request.set_socket_id(id());
  request.set_network_id(network_id);
  detail::to_proto(remote, request.mutable_remote_address());
  return view_call(&v1::Tcp::Stub::StartConnect, request);
}

Result<TcpConnection> TcpSocket::finish_connect() {
  if (would_block(v1::TCP_SOCKET_STATE_CONNECT_IN_PROGRESS, ReadinessKind::kConnect)) {
    return ErrorCode::kWouldBlock;
  }
  auto response = session().call(session().tcp(), &v1::Tcp::Stub::FinishConnect, request_for(id()));
  record_view(response);
  if (response && response->has_connect())
    record_readiness(ReadinessKind::kConnect, response->connect());
  if (Status status = detail::status_of(response); !status) return status.error();
  open_streams(session(), id(), response->streams());
  return TcpConnection{detail::from_proto(response->local_address()),
                       detail::from_proto(response->remote_address())};
}

Status TcpSocket::start_listen() {
  return view_call(&v1::Tcp::Stub::StartListen, request_for(id()));
}

Status TcpSocket::finish_listen() {
  return view_call(&v1::Tcp::Stub::FinishListen, request_for(id()));
}

Result<TcpAccepted> TcpSocket::accept() {
  if (would_block(v1::TCP_SOCKET_STATE_LISTENING, ReadinessKind::kAccept)) {
    return ErrorCode::kWouldBlock;
  }
  auto response = session().call(session().tcp(), &v1::Tcp::Stub::Accept, request_for(id()));
  if (response && response->has_accept())
    record_readiness(ReadinessKind::kAccept, response->accept());
  if (Status status = detail::status_of(response); !status) return status.error();
  open_streams(session(), response->socket_id(), response->streams());
  if (response->has_view()) inherit_view(session(), id(), response->socket_id(), response->view());
  return TcpAccepted{TcpSocket(shared_session(), response->socket_id(), family()),
                     TcpConnection{detail::from_proto(response->local_address()),
                                   detail::from_proto(response->remote_address())}};
}

Result<IpSocketAddress> TcpSocket::local_address() {
  return address_answer(true, [&] {
    return detail::address_of(
        session().call(session().tcp(), &v1::Tcp::Stub::LocalAddress, request_for(id())));
  });
}

Result<IpSocketAddress> TcpSocket::remote_address() {
  return address_answer(false, [&] {
    return detail::address_of(
        session().call(session().tcp(), &v1::Tcp::Stub::RemoteAddress, request_for(id())));
  });
}

Result<bool> TcpSocket::is_listening() {
  auto state = session().with_mirror([&](Mirror& m) -> std::optional<v1::TcpSocketState> {
    const SocketView* view = m.find_view(id());
    return view == nullptr ? std::nullopt : std::optional(view->state);
  });
  if (state) return *state == v1::TCP_SOCKET_STATE_LISTENING;
  return detail::value_of(
      session().call(session().tcp(), &v1::Tcp::Stub::IsListening, request_for(id())));
}

Result<std::uint64_t> TcpSocket::get_option(TcpOption option) {
  const auto wire = static_cast<v1::TcpOption>(option);
  return option_answer(wire, [&] {
    v1::TcpGetOptionRequest request;
    request.set_socket_id(id());
    request.set_option(wire);
    return detail::value_of(session().call(session().tcp(), &v1::Tcp::Stub::GetOption, request));
  });
}

Status TcpSocket::set_option(TcpOption option, std::uint64_t value) {
  v1::TcpSetOptionRequest request;
  request.set_socket_id(id());
  request.set_option(static_cast<v1::TcpOption>(option));
  request.set_value(value);
  if (option == TcpOption::kListenBacklogSize) {
    // Its WIT errors include not-supported and invalid-state: the kernel decides, one round trip.
    return view_call(&v1::Tcp::Stub::SetOption, request);
  }
  Session* session = &this->session();
  return pipeline_set(request.option(), value, [session, request]() -> Result<std::uint64_t> {
    auto response = session->call(session->tcp(), &v1::Tcp::Stub::SetOption, request);
    if (Status status = detail::status_of(response); !status) return status.error();
    return response->effective_value();
  });
}

bool TcpSocket::would_block(v1::TcpSocketState state, ReadinessKind kind) const {
  // A lost session answers for itself: the call goes on and reports session-lost.
  if (!session().alive()) return false;
  return session().with_mirror([&](Mirror& m) {
    const SocketView* view = m.find_view(id());
    return view != nullptr && view->state == state && !m.ready(id(), kind);
  });
}

bool TcpSocket::pollable_ready(const Mirror& mirror, std::uint64_t id) {
  const SocketView* view = mirror.find_view(id);
  if (view == nullptr) return true;
  switch (view->state) {
    case v1::TCP_SOCKET_STATE_CONNECT_IN_PROGRESS:
      return mirror.ready(id, ReadinessKind::kConnect);
    case v1::TCP_SOCKET_STATE_LISTENING:
      return mirror.ready(id, ReadinessKind::kAccept);
    default:
      return true;
  }
}

Status TcpSocket::shutdown(ShutdownType how) {
  v1::TcpShutdownRequest request;
  request.set_socket_id(id());
  request.set_how(static_cast<v1::ShutdownType>(static_cast<int>(how) + 1));
  request.set_write_offset(TcpStreams(shared_session(), id()).write_offset());
  Status status =
      detail::status_of(session().call(session().tcp(), &v1::Tcp::Stub::Shutdown, request));
  if (status) {
    session().with_mirror([&](Mirror& m) {
      auto* s = m.tcp(id());
      if (s == nullptr) return;
      if (how != ShutdownType::kSend) s->input_shut = true;
      if (how != ShutdownType::kReceive) s->output_shut = true;
    });
  }
  return status;
}

bool TcpSocket::connect_ready() const {
  return session().with_mirror([&](Mirror& m) { return m.ready(id(), ReadinessKind::kConnect); });
}

bool TcpSocket::accept_ready() const {
  return session().with_mirror([&](Mirror& m) { return m.ready(id(), ReadinessKind::kAccept); });
}

}  // namespace wasi_socketd::client
