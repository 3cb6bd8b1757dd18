#include "policy_tenants.h"

#include "policy/session_policy.h"
#include "policy/tenancy.h"

namespace wasi_socketd::daemon {

TenantResolver policy_tenant_resolver(std::shared_ptr<policy::Tenancy> tenancy) {
  return [tenancy = std::move(tenancy)](const PeerCredentials& peer) -> std::optional<Tenant> {
    policy::Admission admission = tenancy->admit({peer.uid, peer.gid, peer.pid, peer.listener});
    if (!admission.session) return std::nullopt;
    const std::shared_ptr<policy::SessionPolicy>& session = admission.session;
    const policy::Capabilities capabilities = session->capabilities();
    Tenant tenant;
    tenant.name = session->tenant_name();
    tenant.tcp = capabilities.tcp;
    tenant.udp = capabilities.udp;
    tenant.name_lookup = capabilities.name_lookup;
    tenant.policy = session;
    tenant.may_resolve = [session](const std::string& name) {
      return session->allows_lookup(name);
    };
    tenant.tenancy = session;
    tenant.socket_quota = session->sockets_per_session();
    return tenant;
  };
}

}  // namespace wasi_socketd::daemon
