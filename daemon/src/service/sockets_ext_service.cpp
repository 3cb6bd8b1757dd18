#include "sockets_ext_service.h"

#include "error_metrics.h"
#include "ext_options.h"
#include "proto_convert.h"
#include "session/tcp_resource.h"
#include "session/tenant_checks.h"
#include "session/udp_resource.h"
#include "sockets/socket_extensions.h"
#include "unary_call.h"

namespace wasi_socketd::daemon {

namespace {

using sockets::Protocol;
using sockets::Result;

// The session's socket `id` of either kind; nullopt when the session has none. A TCP socket
// whose options are unusable (connecting, closed) yields its error.
std::optional<Result<ExtSocket>> find_ext_socket(Session& session, std::uint64_t id) {
  if (TcpResource* tcp = session.resources().find<TcpResource>(id)) {
    sockets::TcpSocket& socket = tcp->socket();
    Result<int> fd = socket.extension_fd();
    if (!fd) return Result<ExtSocket>(fd.error());
    return Result<ExtSocket>(ExtSocket{Protocol::tcp, socket.address_family(), *fd,
                                       socket.state() == sockets::TcpSocket::State::unbound});
  }
  if (UdpResource* udp = session.resources().find<UdpResource>(id)) {
    sockets::UdpSocket& socket = udp->socket();
    return Result<ExtSocket>(
        ExtSocket{Protocol::udp, socket.address_family(), socket.extension_fd(),
                  socket.state() == sockets::UdpSocket::State::unbound, &socket});
  }
  return std::nullopt;
}

// Runs `work(const ExtSocket&)` once the socket, the option's kind and the tenant's grant are
// checked; otherwise sets the response's error.
template <class Response, class Work>
grpc::ServerUnaryReactor* with_option(grpc::CallbackServerContext* context,
                                      const SessionRegistry& sessions, std::uint64_t id,
                                      v1::ExtOption option, Response* response, Work work) {
  return run_unary(context, sessions, [=](Session& session) {
    std::optional<Result<ExtSocket>> socket = find_ext_socket(session, id);
    const std::optional<policy::Extension> extension =
        socket ? extension_for(option, *socket ? (*socket)->protocol : Protocol::tcp)
               : std::nullopt;
    if (!socket || !extension) {
      response->set_error(v1::ERROR_CODE_INVALID_ARGUMENT);
    } else if (Result<void> granted = admit_extension(session.tenant(), *extension); !granted) {
      response->set_error(to_proto(granted.error()));
    } else if (!*socket) {
      response->set_error(to_proto(socket->error()));
    } else {
      work(**socket);
    }
    count_error(session, response->error());
  });
}

}  // namespace

SocketsExtService::Reactor* SocketsExtService::GetOption(Context* context,
                                                         const v1::ExtGetOptionRequest* request,
                                                         v1::ExtOptionResponse* response) {
  return with_option(
      context, sessions_, request->socket_id(), request->option(), response,
      [=](const ExtSocket& socket) { get_ext_option(socket, request->option(), *response); });
}

SocketsExtService::Reactor* SocketsExtService::SetOption(Context* context,
                                                         const v1::ExtSetOptionRequest* request,
                                                         v1::ExtOptionResponse* response) {
  return with_option(context, sessions_, request->socket_id(), request->option(), response,
                     [=](const ExtSocket& socket) {
                       response->set_error(set_ext_option(socket, *request));
                       if (response->error() == v1::ERROR_CODE_UNSPECIFIED) {
                         get_ext_option(socket, request->option(), *response);
                       }
                     });
}

SocketsExtService::Reactor* SocketsExtService::JoinMulticastGroup(
    Context* context, const v1::ExtMulticastRequest* request, v1::Status* response) {
  return change_membership(context, request, response, true);
}

SocketsExtService::Reactor* SocketsExtService::LeaveMulticastGroup(
    Context* context, const v1::ExtMulticastRequest* request, v1::Status* response) {
  return change_membership(context, request, response, false);
}

SocketsExtService::Reactor* SocketsExtService::change_membership(
    Context* context, const v1::ExtMulticastRequest* request, v1::Status* response, bool join) {
  return run_unary(context, sessions_, [=](Session& session) {
    UdpResource* udp = session.resources().find<UdpResource>(request->socket_id());
    v1::IpSocketAddress wire;
    *wire.mutable_address() = request->group();
    Result<sockets::SocketAddress> group = from_proto(wire);
    if (udp == nullptr || !group || !group->ip.is_multicast() ||
        group->family() != udp->socket().address_family()) {
      response->set_error(v1::ERROR_CODE_INVALID_ARGUMENT);
    } else if (Result<void> granted = admit_multicast_group(session.tenant(), group->ip);
               !granted) {
      response->set_error(to_proto(granted.error()));
    } else {
      const int fd = udp->socket().extension_fd();
      const sockets::Family family = udp->socket().address_family();
      response->set_error(error_of(join ? sockets::extensions::join_multicast_group(
                                              fd, family, group->ip, request->interface_index())
                                        : sockets::extensions::leave_multicast_group(
                                              fd, family, group->ip, request->interface_index())));
    }
    count_error(session, response->error());
  });
}

}  // namespace wasi_socketd::daemon
