// The seam between sessions and policy: what one client connection may do.
//
// A Tenant is chosen once per connection from its kernel credentials and never changes during the
// session; it is immutable and may be read from any thread. The policy layer supplies the
// TenantResolver; without one the daemon uses default_tenant_resolver() (default_tenant.h).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "peer_credentials.h"
#include "session_limits.h"

namespace wasi_socketd::sockets {
class SocketPolicy;
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
  std::size_t socket_quota = kDefaultSocketQuota;
  // Fine rules per bind/connect/listen/accept/send/receive. Never null in a live session.
  std::shared_ptr<const sockets::SocketPolicy> policy;
  // Which names the tenant may look up (the socket policy judges addresses, not names).
  std::function<bool(const std::string& name)> may_resolve;
  // Counters of this tenant (admin/daemon_metrics.h); null when the daemon keeps none.
  std::shared_ptr<TenantMetrics> metrics;
};

using TenantResolver = std::function<Tenant(const PeerCredentials&)>;

}  // namespace wasi_socketd::daemon
