// Per-tenant limits, shared by all of the tenant's sessions. Value type.
// The defaults are generous on purpose: without a quota in the policy, only the per-session
// socket limit (session_limits.h, 1024) binds, so one session never starves another.
#pragma once

#include <cstdint>

namespace wasi_socketd::policy {

struct Quotas {
  uint64_t sockets = 65536;              // open sockets (TCP+UDP) → new-socket-limit
  uint64_t sessions = 4096;              // concurrent client connections → refused
  uint64_t buffered_bytes = 8ull << 30;  // 2 MiB reserved per connected TCP socket → would-block
  uint64_t connections_per_second = 0;   // new TCP connections (connect+accept); 0: unlimited
  uint64_t connections_burst = 0;        // token-bucket depth; 0: same as the rate
};

}  // namespace wasi_socketd::policy
