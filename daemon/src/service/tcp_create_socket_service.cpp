#include "tcp_create_socket_service.h"

#include "create_socket.h"
#include "session/tcp_resource.h"
#include "unary_call.h"

namespace wasi_socketd::daemon {

grpc::ServerUnaryReactor* TcpCreateSocketService::CreateTcpSocket(
    grpc::CallbackServerContext* context, const v1::CreateTcpSocketRequest* request,
    v1::CreateTcpSocketResponse* response) {
  return run_unary(context, sessions_, [request, response](Session& session) {
    create_socket<sockets::TcpSocket, TcpResource>(session, request->family(),
                                                   sockets::Protocol::tcp, "tcp", response);
  });
}

}  // namespace wasi_socketd::daemon
