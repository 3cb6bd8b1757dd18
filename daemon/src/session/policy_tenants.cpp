#include "policy_tenants.h"

#include "policy/session_policy.h"
#include "policy/tenancy.h"

namespace wasi_socketd::daemon {
namespace {

// The policy's refusal code, in words for the refused peer and the daemon's log.
std::string refusal_reason(const policy::Tenancy& tenancy, const policy::PeerIdentity& peer,
                           const policy::Admission& admission) {
  const std::string on = " on listener " + peer.listener;
  if (admission.refusal == "unknown-peer") {
    return "no tenant matches uid " + std::to_string(peer.uid) + on;
  }
  const auto tenant = tenancy.policy()->select_tenant(peer);
  const std::string who = tenant ? "tenant " + tenant->name : "the tenant";
  if (admission.refusal == "quota.sessions") {
    return who + " has all the sessions its quota allows (quota.sessions)" + on;
  }
  if (admission.refusal == "network_namespace") {
    return "the network namespace of " + who + " cannot be entered" + on;
  }
  return "refused by policy (" + admission.refusal + ")" + on;
}

}  // namespace

TenantResolver policy_tenant_resolver(std::shared_ptr<policy::Tenancy> tenancy) {
  return [tenancy = std::move(tenancy)](const PeerCredentials& peer) -> PeerAdmission {
    const policy::PeerIdentity identity{peer.uid, peer.gid, peer.pid, peer.listener};
    policy::Admission admission = tenancy->admit(identity);
    if (!admission.session) return {std::nullopt, refusal_reason(*tenancy, identity, admission)};
    const std::shared_ptr<policy::SessionPolicy>& session = admission.session;
    const policy::Capabilities capabilities = session->capabilities();
    TenantAccess tenant;
    tenant.name = session->tenant_name();
    tenant.tcp = capabilities.tcp;
    tenant.udp = capabilities.udp;
    tenant.name_lookup = capabilities.name_lookup;
    tenant.policy = session;
    tenant.may_resolve = [session](const sockets::LookupName& name) {
      return session->allows_lookup(name);
    };
    tenant.tenancy = session;
    tenant.description = session->tenant();
    tenant.socket_quota = session->sockets_per_session();
    return {std::move(tenant), ""};
  };
}

}  // namespace wasi_socketd::daemon
