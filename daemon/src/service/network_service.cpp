#include "network_service.h"

#include "unary_call.h"

namespace wasi_socketd::daemon {

grpc::ServerUnaryReactor* NetworkService::InstanceNetwork(grpc::CallbackServerContext* context,
                                                          const v1::InstanceNetworkRequest*,
                                                          v1::InstanceNetworkResponse* response) {
  return run_unary(context, sessions_, [response](Session& session) {
    response->set_network_id(session.network_id());
  });
}

// The capability belongs to the session, so dropping a handle of it only checks the id: the
// adapter may hand out several handles of the one network.
grpc::ServerUnaryReactor* NetworkService::DropNetwork(grpc::CallbackServerContext* context,
                                                      const v1::DropNetworkRequest* request,
                                                      v1::Status* response) {
  return run_unary(context, sessions_, [request, response](Session& session) {
    if (request->network_id() != session.network_id()) {
      response->set_error(v1::ERROR_CODE_INVALID_ARGUMENT);
    }
  });
}

}  // namespace wasi_socketd::daemon
