#include "tenant_checks.h"

#include "session_limits.h"

namespace wasi_socketd::daemon {

sockets::Result<policy::TenantUsage::Lease> admit_socket(const TenantAccess& tenant,
                                                         sockets::Protocol protocol) {
  if (tenant.tenancy) return tenant.tenancy->open_socket(protocol);
  const bool enabled = protocol == sockets::Protocol::tcp ? tenant.tcp : tenant.udp;
  if (!enabled) return sockets::ErrorCode::access_denied;
  return policy::TenantUsage::Lease{};
}

sockets::Result<void> admit_extension(const TenantAccess& tenant, policy::Extension extension) {
  if (tenant.tenancy && tenant.tenancy->allows_extension(extension)) return {};
  return sockets::ErrorCode::access_denied;
}

sockets::Result<void> admit_multicast_group(const TenantAccess& tenant,
                                            const boost::asio::ip::address& group) {
  if (tenant.tenancy && tenant.tenancy->allows_extension(policy::Extension::multicast) &&
      tenant.tenancy->allows_multicast_group(group)) {
    return {};
  }
  return sockets::ErrorCode::access_denied;
}

bool may_look_up(const TenantAccess& tenant, const std::string& name) {
  return tenant.tenancy ? tenant.tenancy->lookups_enabled(name) : tenant.name_lookup;
}

namespace {

// Nothing is reserved for a new connection: its buffers are charged when used (buffer_charge).
// A tenant whose buffers are already full gets no new connection until some drain.
bool buffers_refused(const TenantAccess& tenant) {
  if (!tenant.tenancy->buffers_full()) return false;
  tenant.tenancy->try_buffer(1);  // fails, and audits the refusal as quota.buffered_bytes
  return true;
}

}  // namespace

sockets::Result<void> admit_connection(const TenantAccess& tenant,
                                       const sockets::SocketAddress& remote) {
  if (!tenant.tenancy) return {};
  if (buffers_refused(tenant) || !tenant.tenancy->try_new_connection(remote)) {
    return sockets::ErrorCode::would_block;
  }
  return {};
}

sockets::Result<void> admit_accept(const TenantAccess& tenant) {
  if (!tenant.tenancy) return {};
  if (buffers_refused(tenant) || !tenant.tenancy->may_accept_connection()) {
    return sockets::ErrorCode::would_block;
  }
  return {};
}

policy::TenantUsage::Lease buffer_charge(const TenantAccess& tenant) {
  return tenant.tenancy ? tenant.tenancy->buffer_charge() : policy::TenantUsage::Lease{};
}

bool buffers_full(const TenantAccess& tenant) {
  return tenant.tenancy && tenant.tenancy->buffers_full();
}

void count_accepted(const TenantAccess& tenant) {
  if (tenant.tenancy) tenant.tenancy->count_accepted_connection();
}

bool admit_resolved(const TenantAccess& tenant, const sockets::LookupName& name,
                    std::vector<boost::asio::ip::address>& addresses) {
  if (!tenant.tenancy) return true;
  if (!tenant.tenancy->screen_resolved(name, addresses)) return false;
  tenant.tenancy->remember_resolved(name, addresses);
  return true;
}

}  // namespace wasi_socketd::daemon
