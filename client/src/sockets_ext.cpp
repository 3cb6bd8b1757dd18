#include "wasi_socketd/client/sockets_ext.h"

#include "proto_convert.h"
#include "wasi_socketd/client/session.h"
#include "wasi_socketd/v1/sockets_ext.grpc.pb.h"

namespace wasi_socketd::client {
namespace {

Result<ExtValue> ext_value_of(const Result<v1::ExtOptionResponse>& response) {
  if (Status status = detail::status_of(response); !status) return status.error();
  return ExtValue{response->value(), response->none()};
}

Status change_membership(Session& session, std::uint64_t socket_id, const IpAddress& group,
                         std::uint32_t interface_index, bool join) {
  v1::ExtMulticastRequest request;
  request.set_socket_id(socket_id);
  detail::to_proto(group, request.mutable_group());
  request.set_interface_index(interface_index);
  return detail::status_of(session.call(
      session.sockets_ext(),
      join ? &v1::SocketsExt::Stub::JoinMulticastGroup : &v1::SocketsExt::Stub::LeaveMulticastGroup,
      request));
}

}  // namespace

Result<ExtValue> get_ext_option(Session& session, std::uint64_t socket_id, ExtOption option) {
  v1::ExtGetOptionRequest request;
  request.set_socket_id(socket_id);
  request.set_option(static_cast<v1::ExtOption>(option));
  return ext_value_of(
      session.call(session.sockets_ext(), &v1::SocketsExt::Stub::GetOption, request));
}

Result<ExtValue> set_ext_option(Session& session, std::uint64_t socket_id, ExtOption option,
                                ExtValue value) {
  v1::ExtSetOptionRequest request;
  request.set_socket_id(socket_id);
  request.set_option(static_cast<v1::ExtOption>(option));
  request.set_value(value.value);
  request.set_none(value.none);
  return ext_value_of(
      session.call(session.sockets_ext(), &v1::SocketsExt::Stub::SetOption, request));
}

Result<std::uint64_t> tcp_bytes_available(Session& session, std::uint64_t socket_id) {
  Result<ExtValue> kernel = get_ext_option(session, socket_id, ExtOption::kBytesAvailable);
  if (!kernel) return kernel.error();
  const std::uint64_t pushed = session.with_mirror([&](const Mirror& mirror) -> std::uint64_t {
    const TcpStreamState* stream = mirror.find_tcp(socket_id);
    return stream == nullptr ? 0 : stream->buffered();
  });
  return kernel->value + pushed;
}

Status join_multicast_group(Session& session, std::uint64_t socket_id, const IpAddress& group,
                            std::uint32_t interface_index) {
  return change_membership(session, socket_id, group, interface_index, true);
}

Status leave_multicast_group(Session& session, std::uint64_t socket_id, const IpAddress& group,
                             std::uint32_t interface_index) {
  return change_membership(session, socket_id, group, interface_index, false);
}

}  // namespace wasi_socketd::client
