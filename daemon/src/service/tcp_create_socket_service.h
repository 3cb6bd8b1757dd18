// wasi:sockets/tcp-create-socket (tcp.proto, service TcpCreateSocket).
// Handlers run on gRPC threads and do their work on the session's strand.
#pragma once

#include "session/session_registry.h"
#include "wasi_socketd/v1/tcp.grpc.pb.h"

namespace wasi_socketd::daemon {

class TcpCreateSocketService final : public v1::TcpCreateSocket::CallbackService {
 public:
  explicit TcpCreateSocketService(const SessionRegistry& sessions) : sessions_(sessions) {}

  grpc::ServerUnaryReactor* CreateTcpSocket(grpc::CallbackServerContext* context,
                                            const v1::CreateTcpSocketRequest* request,
                                            v1::CreateTcpSocketResponse* response) override;

 private:
  const SessionRegistry& sessions_;
};

}  // namespace wasi_socketd::daemon
