#include "wasi_socketd/client/udp_socket.h"

#include <utility>

#include "proto_convert.h"

namespace wasi_socketd::client {

namespace {

v1::UdpSocketRequest request_for(std::uint64_t id) {
  return detail::socket_request<v1::UdpSocketRequest>(id);
}

Status drop_udp(const std::shared_ptr<Session>& session, std::uint64_t id) {
  session->with_mirror([&](Mirror& m) { m.forget(id); });
  return detail::status_of(session->call(session->udp(), &v1::Udp::Stub::Drop, request_for(id)));
}

}  // namespace

Result<UdpSocket> UdpSocket::create(std::shared_ptr<Session> session, AddressFamily family) {
  v1::CreateUdpSocketRequest request;
  request.set_family(detail::to_proto(family));
  auto response =
      session->call(session->udp_create(), &v1::UdpCreateSocket::Stub::CreateUdpSocket, request);
  if (Status status = detail::status_of(response); !status) return status.error();
  UdpSocket socket(std::move(session), response->socket_id(), family);
  socket.record_view(response);
  return socket;
}

UdpSocket::UdpSocket(std::shared_ptr<Session> session, std::uint64_t id, AddressFamily family)
    : SocketHandle(std::move(session), id, family, drop_udp) {}

Status UdpSocket::start_bind(std::uint64_t network_id, const IpSocketAddress& local) {
  v1::UdpStartBindRequest request;
  request.set_socket_id(id());
  request.set_network_id(network_id);
  detail::to_proto(local, request.mutable_local_address());
  return view_call(&v1::Udp::Stub::StartBind, request);
}

Status UdpSocket::finish_bind() { return view_call(&v1::Udp::Stub::FinishBind, request_for(id())); }

template <typename Request, typename Response>
Status UdpSocket::view_call(grpc::Status (v1::Udp::Stub::*method)(grpc::ClientContext*,
                                                                  const Request&, Response*),
                            const Request& request) {
  auto response = session().call(session().udp(), method, request);
  record_view(response);
  return detail::status_of(response);
}

Result<std::uint64_t> UdpSocket::stream(const std::optional<IpSocketAddress>& remote) {
  v1::UdpStreamRequest request;
  request.set_socket_id(id());
  if (remote) detail::to_proto(*remote, request.mutable_remote_address());
  auto response = session().call(session().udp(), &v1::Udp::Stub::Stream, request);
  record_view(response);
  if (Status status = detail::status_of(response); !status) return status.error();
  record_readiness(ReadinessKind::kReceive, response->receive());
  return response->stream_generation();
}

Result<IpSocketAddress> UdpSocket::local_address() {
  return address_answer(true, [&] {
    return detail::address_of(
        session().call(session().udp(), &v1::Udp::Stub::LocalAddress, request_for(id())));
  });
}

Result<IpSocketAddress> UdpSocket::remote_address() {
  return address_answer(false, [&] {
    return detail::address_of(
        session().call(session().udp(), &v1::Udp::Stub::RemoteAddress, request_for(id())));
  });
}

Result<std::uint64_t> UdpSocket::get_option(UdpOption option) {
  const auto wire = static_cast<v1::UdpOption>(option);
  return option_answer(wire, [&] {
    v1::UdpGetOptionRequest request;
    request.set_socket_id(id());
    request.set_option(wire);
    return detail::value_of(session().call(session().udp(), &v1::Udp::Stub::GetOption, request));
  });
}

Status UdpSocket::set_option(UdpOption option, std::uint64_t value) {
  v1::UdpSetOptionRequest request;
  request.set_socket_id(id());
  request.set_option(static_cast<v1::UdpOption>(option));
  request.set_value(value);
  Session* session = &this->session();
  return pipeline_set(request.option(), value, [session, request]() -> Result<std::uint64_t> {
    auto response = session->call(session->udp(), &v1::Udp::Stub::SetOption, request);
    if (Status status = detail::status_of(response); !status) return status.error();
    return response->effective_value();
  });
}

Result<std::vector<IncomingDatagram>> UdpSocket::receive(std::uint64_t generation,
                                                         std::uint64_t max_results) {
  if (max_results == 0) return std::vector<IncomingDatagram>{};
  v1::UdpReceiveRequest request;
  request.set_socket_id(id());
  request.set_stream_generation(generation);
  request.set_max_results(max_results);
  auto response = session().call(session().udp(), &v1::Udp::Stub::Receive, request);
  if (response && response->has_receive())
    record_readiness(ReadinessKind::kReceive, response->receive());
  if (Status status = detail::status_of(response); !status) return status.error();
  std::vector<IncomingDatagram> datagrams;
  datagrams.reserve(response->datagrams_size());
  for (const auto& d : response->datagrams()) {
    datagrams.push_back({std::vector<std::uint8_t>(d.data().begin(), d.data().end()),
                         detail::from_proto(d.remote_address())});
  }
  return datagrams;
}

Result<std::uint64_t> UdpSocket::send(std::uint64_t generation,
                                      std::span<const OutgoingDatagram> datagrams) {
  if (datagrams.empty()) return std::uint64_t{0};
  v1::UdpSendRequest request;
  request.set_socket_id(id());
  request.set_stream_generation(generation);
  for (const auto& d : datagrams) {
    auto* out = request.add_datagrams();
    out->set_data(reinterpret_cast<const char*>(d.data.data()), d.data.size());
    if (d.remote_address) detail::to_proto(*d.remote_address, out->mutable_remote_address());
  }
  auto response = session().call(session().udp(), &v1::Udp::Stub::Send, request);
  if (Status status = detail::status_of(response); !status) return status.error();
  return response->sent();
}

bool UdpSocket::receive_ready() const {
  return session().with_mirror([&](Mirror& m) { return m.ready(id(), ReadinessKind::kReceive); });
}

}  // namespace wasi_socketd::client
