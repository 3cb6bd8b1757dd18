#include "network_service.h"

#include "unary_call.h"

namespace wasi_socketd::daemon {

grpc::ServerUnaryReactor* NetworkService::InstanceNetwork(grpc::CallbackServerContext* context,
                                                          const v1::InstanceNetworkRequest*,
                                                          v1::InstanceNetworkResponse* response) {
  return run_unary(context, sessions_, [response](Session& session) {
    response->set_network_id(session.instance_network());
  });
}

// A dropped network is unknown from then on, as a dropped handle is to the guest: binds,
// connects and lookups naming it are invalid-argument. (The adapter shares one network among its
// guest's handles and never drops it; this is the protocol's contract for every client.)
grpc::ServerUnaryReactor* NetworkService::DropNetwork(grpc::CallbackServerContext* context,
                                                      const v1::DropNetworkRequest* request,
                                                      v1::Status* response) {
  return run_unary(context, sessions_, [request, response](Session& session) {
    if (!session.has_network(request->network_id())) {
      response->set_error(v1::ERROR_CODE_INVALID_ARGUMENT);
      return;
    }
    session.drop_network();
  });
}

}  // namespace wasi_socketd::daemon
