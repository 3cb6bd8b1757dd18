// wasi:sockets/instance-network and the network resource (network.proto, service Network).
// A session has exactly one network capability; its id is announced in SessionOpened too.
// Handlers run on gRPC threads and do their work on the session's strand.
#pragma once

#include "session/session_registry.h"
#include "wasi_socketd/v1/network.grpc.pb.h"

namespace wasi_socketd::daemon {

class NetworkService final : public v1::Network::CallbackService {
 public:
  explicit NetworkService(const SessionRegistry& sessions) : sessions_(sessions) {}

  grpc::ServerUnaryReactor* InstanceNetwork(grpc::CallbackServerContext* context,
                                            const v1::InstanceNetworkRequest* request,
                                            v1::InstanceNetworkResponse* response) override;
  grpc::ServerUnaryReactor* DropNetwork(grpc::CallbackServerContext* context,
                                        const v1::DropNetworkRequest* request,
                                        v1::Status* response) override;

 private:
  const SessionRegistry& sessions_;
};

}  // namespace wasi_socketd::daemon
