// wasi:sockets/udp-create-socket (udp.proto, service UdpCreateSocket).
// Handlers run on gRPC threads and do their work on the session's strand.
#pragma once

#include "session/session_registry.h"
#include "wasi_socketd/v1/udp.grpc.pb.h"

namespace wasi_socketd::daemon {

class UdpCreateSocketService final : public v1::UdpCreateSocket::CallbackService {
 public:
  explicit UdpCreateSocketService(const SessionRegistry& sessions) : sessions_(sessions) {}

  grpc::ServerUnaryReactor* CreateUdpSocket(grpc::CallbackServerContext* context,
                                            const v1::CreateUdpSocketRequest* request,
                                            v1::CreateUdpSocketResponse* response) override;

 private:
  const SessionRegistry& sessions_;
};

}  // namespace wasi_socketd::daemon
