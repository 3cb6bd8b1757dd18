#include "udp_create_socket_service.h"

#include "create_socket.h"
#include "session/udp_resource.h"
#include "unary_call.h"

namespace wasi_socketd::daemon {

grpc::ServerUnaryReactor* UdpCreateSocketService::CreateUdpSocket(
    grpc::CallbackServerContext* context, const v1::CreateUdpSocketRequest* request,
    v1::CreateUdpSocketResponse* response) {
  return run_unary(context, sessions_, [request, response](Session& session) {
    create_socket<sockets::UdpSocket, UdpResource>(session, request->family(),
                                                   sockets::Protocol::udp, "udp", response);
  });
}

}  // namespace wasi_socketd::daemon
