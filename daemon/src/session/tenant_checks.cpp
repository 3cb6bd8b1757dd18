#include "tenant_checks.h"

#include "session_limits.h"

namespace wasi_socketd::daemon {

sockets::Result<policy::TenantUsage::Lease> admit_socket(const Tenant& tenant,
                                                         sockets::Protocol protocol) {
  if (tenant.tenancy) return tenant.tenancy->open_socket(protocol);
  const bool enabled = protocol == sockets::Protocol::tcp ? tenant.tcp : tenant.udp;
  if (!enabled) return sockets::ErrorCode::access_denied;
  return policy::TenantUsage::Lease{};
}

bool may_look_up(const Tenant& tenant, const std::string& name) {
  return tenant.tenancy ? tenant.tenancy->lookups_enabled(name) : tenant.name_lookup;
}

sockets::Result<policy::TenantUsage::Lease> admit_connection(const Tenant& tenant,
                                                             const sockets::SocketAddress& remote) {
  if (!tenant.tenancy) return policy::TenantUsage::Lease{};
  policy::TenantUsage::Lease buffers = tenant.tenancy->try_buffer(kTcpWritePermit + kTcpReadWindow);
  if (!buffers || !tenant.tenancy->try_new_connection(remote)) {
    return sockets::ErrorCode::would_block;
  }
  return buffers;
}

sockets::Result<policy::TenantUsage::Lease> admit_accept(const Tenant& tenant) {
  if (!tenant.tenancy) return policy::TenantUsage::Lease{};
  policy::TenantUsage::Lease buffers = tenant.tenancy->try_buffer(kTcpWritePermit + kTcpReadWindow);
  if (!buffers || !tenant.tenancy->may_accept_connection()) return sockets::ErrorCode::would_block;
  return buffers;
}

void count_accepted(const Tenant& tenant) {
  if (tenant.tenancy) tenant.tenancy->count_accepted_connection();
}

void remember_resolved(const Tenant& tenant, const sockets::LookupName& name,
                       const std::vector<boost::asio::ip::address>& addresses) {
  if (tenant.tenancy) tenant.tenancy->remember_resolved(name, addresses);
}

}  // namespace wasi_socketd::daemon
