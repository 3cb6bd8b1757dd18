// Per-tenant limits, shared by all of the tenant's sessions. Value type.
#pragma once

#include <cstdint>

namespace wasi_socketd::policy {

struct Quotas {
  uint64_t sockets = 1024;               // open sockets (TCP+UDP) → new-socket-limit
  uint64_t sessions = 64;                // concurrent client connections → refused
  uint64_t buffered_bytes = 2ull << 30;  // 2 MiB reserved per connected TCP socket → would-block
  uint64_t connections_per_second = 0;   // new TCP connections (connect+accept); 0: unlimited
  uint64_t connections_burst = 0;        // token-bucket depth; 0: same as the rate
};

}  // namespace wasi_socketd::policy
