// Per-tenant limits, shared by all of the tenant's sessions (sockets_per_session: by each
// session). Value type. The fd-backed defaults follow the daemon's fd limit (fd_budget.h), so a
// tenant at its defaults always leaves a reserve of fds to the daemon and to other tenants.
#pragma once

#include <cstdint>

#include "policy/fd_budget.h"

namespace wasi_socketd::policy {

struct Quotas {
  // Open sockets (TCP+UDP), lingering ones included → new-socket-limit.
  uint64_t sockets = process_fd_budget().tenant_sockets;
  // The same, per session (client connection) → new-socket-limit.
  uint64_t sockets_per_session = process_fd_budget().sockets_per_session;
  // Concurrent client connections → refused.
  uint64_t sessions = process_fd_budget().tenant_sessions;
  // Bytes the daemon holds for the tenant's TCP streams, charged as buffered → new connections
  // would-block, reads slow down.
  uint64_t buffered_bytes = 8ull << 30;
  uint64_t connections_per_second = 0;  // new TCP connections (connect+accept); 0: unlimited
  uint64_t connections_burst = 0;       // token-bucket depth; 0: same as the rate
};

}  // namespace wasi_socketd::policy
