// The seam between sessions and policy: what one client connection may do.
//
// A Tenant is chosen once per connection from its kernel credentials and never changes during the
// session; it is immutable and may be read from any thread. The policy layer supplies the
// TenantResolver (policy_tenants.h).
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
}

namespace wasi_socketd::daemon {

class TenantMetrics;

struct Tenant {
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
  // Counters of this tenant (admin/daemon_metrics.h); null when the daemon keeps none.
  std::shared_ptr<TenantMetrics> metrics;
};

// A new connection's tenant, or why it has none (unknown peer, session quota, ...). A refused
// connection never reaches the gRPC server; `refusal` is what the peer's calls fail with
// (PERMISSION_DENIED) and what the daemon logs, e.g. "no tenant matches uid 1000 on listener main".
struct PeerAdmission {
  std::optional<Tenant> tenant;
  std::string refusal;
};
using TenantResolver = std::function<PeerAdmission(const PeerCredentials&)>;

}  // namespace wasi_socketd::daemon
