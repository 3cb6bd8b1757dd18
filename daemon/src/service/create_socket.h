// create-tcp-socket and create-udp-socket share one procedure: validate the family, take a quota
// lease, reserve an id, create the socket in the tenant's namespace, register the resource.
// Runs on the session's strand (inside run_unary).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "admin/daemon_metrics.h"
#include "proto_convert.h"
#include "session/session.h"
#include "session/tenant_checks.h"
#include "socket_view.h"

namespace wasi_socketd::daemon {

template <typename Socket, typename Resource, typename Response>
void create_socket(Session& session, v1::IpAddressFamily wire_family, sockets::Protocol protocol,
                   const char* metric_label, Response* response) {
  std::optional<sockets::Family> family = family_from_proto(wire_family);
  if (!family) {
    return response->set_error(v1::ERROR_CODE_INVALID_ARGUMENT);
  }
  sockets::Result<policy::TenantUsage::Lease> quota = admit_socket(session.tenant(), protocol);
  if (!quota) {
    return response->set_error(to_proto(quota.error()));
  }
  std::optional<std::uint64_t> id = session.resources().new_socket_id();
  if (!id) {
    return response->set_error(v1::ERROR_CODE_NEW_SOCKET_LIMIT);
  }
  auto socket = create_in_tenant_namespace(session.tenant(), [&] {
    return Socket::create(session.strand(), *family, session.tenant().policy);
  });
  if (!socket) {
    return response->set_error(to_proto(socket.error()));
  }
  *response->mutable_view() = describe(**socket);
  auto resource = std::make_unique<Resource>(session, *id, std::move(*socket));
  resource->hold(std::move(*quota));
  session.resources().insert(*id, std::move(resource));
  response->set_socket_id(*id);
  if (session.tenant().metrics) {
    session.tenant().metrics->socket_created(metric_label);
  }
}

}  // namespace wasi_socketd::daemon
