#include "tcp_create_socket_service.h"

#include "admin/daemon_metrics.h"
#include "proto_convert.h"
#include "session/tcp_resource.h"
#include "unary_call.h"

namespace wasi_socketd::daemon {

grpc::ServerUnaryReactor* TcpCreateSocketService::CreateTcpSocket(
    grpc::CallbackServerContext* context, const v1::CreateTcpSocketRequest* request,
    v1::CreateTcpSocketResponse* response) {
  return run_unary(context, sessions_, [request, response](Session& session) {
    std::optional<sockets::Family> family = family_from_proto(request->family());
    if (!family) {
      return response->set_error(v1::ERROR_CODE_INVALID_ARGUMENT);
    }
    if (!session.tenant().tcp) {
      return response->set_error(v1::ERROR_CODE_ACCESS_DENIED);
    }
    std::optional<std::uint64_t> id = session.resources().new_socket_id();
    if (!id) {
      return response->set_error(v1::ERROR_CODE_NEW_SOCKET_LIMIT);
    }
    auto socket = sockets::TcpSocket::create(session.strand(), *family, session.tenant().policy);
    if (!socket) {
      return response->set_error(to_proto(socket.error()));
    }
    session.resources().insert(*id,
                               std::make_unique<TcpResource>(session, *id, std::move(*socket)));
    response->set_socket_id(*id);
    if (session.tenant().metrics) {
      session.tenant().metrics->socket_created("tcp");
    }
  });
}

}  // namespace wasi_socketd::daemon
