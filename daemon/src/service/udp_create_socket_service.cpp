#include "udp_create_socket_service.h"

#include "admin/daemon_metrics.h"
#include "proto_convert.h"
#include "session/tenant_checks.h"
#include "session/udp_resource.h"
#include "unary_call.h"

namespace wasi_socketd::daemon {

grpc::ServerUnaryReactor* UdpCreateSocketService::CreateUdpSocket(
    grpc::CallbackServerContext* context, const v1::CreateUdpSocketRequest* request,
    v1::CreateUdpSocketResponse* response) {
  return run_unary(context, sessions_, [request, response](Session& session) {
    std::optional<sockets::Family> family = family_from_proto(request->family());
    if (!family) {
      return response->set_error(v1::ERROR_CODE_INVALID_ARGUMENT);
    }
    sockets::Result<policy::TenantUsage::Lease> quota =
        admit_socket(session.tenant(), sockets::Protocol::udp);
    if (!quota) {
      return response->set_error(to_proto(quota.error()));
    }
    std::optional<std::uint64_t> id = session.resources().new_socket_id();
    if (!id) {
      return response->set_error(v1::ERROR_CODE_NEW_SOCKET_LIMIT);
    }
    auto socket = create_in_tenant_namespace(session.tenant(), [&] {
      return sockets::UdpSocket::create(session.strand(), *family, session.tenant().policy);
    });
    if (!socket) {
      return response->set_error(to_proto(socket.error()));
    }
    auto resource = std::make_unique<UdpResource>(session, *id, std::move(*socket));
    resource->hold(std::move(*quota));
    session.resources().insert(*id, std::move(resource));
    response->set_socket_id(*id);
    if (session.tenant().metrics) {
      session.tenant().metrics->socket_created("udp");
    }
  });
}

}  // namespace wasi_socketd::daemon
