// The seam between sessions and policy: what one client connection of a tenant may do, and what
// it is charged to.
//
// There is one tenant concept: policy::Tenant (policy/tenant.h), the policy's immutable
// description of a tenant (who it is, its rules and quotas), part of a Policy snapshot. A
// TenantAccess is a session's runtime view of its tenant: the switches it was admitted with, the
// socket policy and lookup check, and the runtime state it is charged to (`tenancy`: this
// session's slot of the tenant's `sessions` quota and the tenant's usage leases; `metrics`: the
// tenant's counters). `tenancy` reaches the description in force for each decision
// (SessionPolicy::tenant()), so a reload applies to live sessions; `description` is the one the
// session was admitted under.
// Chosen once per connection from its kernel credentials, never changed during the session;
// immutable, readable from any thread. The policy layer supplies the TenantResolver
// (policy_tenants.h).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "peer_credentials.h"
#include "session_limits.h"
#include "sockets/name_syntax.h"

namespace wasi_socketd::sockets {
class SocketPolicy;
}
namespace wasi_socketd::policy {
class SessionPolicy;
struct Tenant;
}  // namespace wasi_socketd::policy

namespace wasi_socketd::daemon {

class TenantMetrics;

struct TenantAccess {
  std::string name;
  // Coarse switches (TenantCapabilities on the wire): create-tcp-socket / create-udp-socket answer
  // ACCESS_DENIED and resolve-addresses PERMANENT_RESOLVER_FAILURE when off.
  bool tcp = false;
  bool udp = false;
  bool name_lookup = false;
  // Sockets this session may hold at once, lingering ones included ([tenant.quotas]
  // sockets_per_session; kDefaultSocketQuota for tenants built by hand).
  std::size_t socket_quota = kDefaultSocketQuota;
  // Fine rules per bind/connect/listen/accept/send/receive. Never null in a live session.
  std::shared_ptr<const sockets::SocketPolicy> policy;
  // Which names the tenant may look up (the socket policy judges addresses, not names); asked
  // with the request's one parsed form of the name.
  std::function<bool(const sockets::LookupName& name)> may_resolve;
  // The tenancy layer behind the fields above: quotas, network namespace, resolved-name memory
  // (tenant_checks.h). Null for tenants built by hand, where only the fields above apply.
  std::shared_ptr<policy::SessionPolicy> tenancy;
  // The policy's description of this tenant at admission; null for tenants built by hand.
  std::shared_ptr<const policy::Tenant> description;
  // Counters of this tenant (admin/daemon_metrics.h); null when the daemon keeps none.
  std::shared_ptr<TenantMetrics> metrics;
};

// A new connection's access, or why it has none (unknown peer, session quota, ...). A refused
// connection never reaches the gRPC server; `refusal` is what the peer's calls fail with
// (PERMISSION_DENIED) and what the daemon logs, e.g. "no tenant matches uid 1000 on listener main".
struct PeerAdmission {
  std::optional<TenantAccess> tenant;
  std::string refusal;
};
using TenantResolver = std::function<PeerAdmission(const PeerCredentials&)>;

}  // namespace wasi_socketd::daemon
