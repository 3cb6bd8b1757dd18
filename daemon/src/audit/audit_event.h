// One policy decision worth keeping, as the audit log records it.
// Plain data: no ownership, no threading rules of its own.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace wasi_socketd::audit {

// would_deny: a report-mode tenant's denial, recorded but not enforced.
enum class Outcome { allow, deny, would_deny };

struct AuditEvent {
  std::chrono::system_clock::time_point time = std::chrono::system_clock::now();
  std::string tenant;  // tenant name; empty when no tenant matched (unknown peer)
  uint32_t uid = 0;    // peer credentials from SO_PEERCRED
  uint32_t gid = 0;
  int32_t pid = 0;
  std::string operation;  // e.g. "tcp.connect", "udp.send", "name_lookup", "session.open"
  std::string address;    // "1.2.3.4:80", "[::1]:443"; empty when not applicable
  std::string name;       // host name for name lookups, listener name for session.open
  std::string rule;       // the rule that decided, e.g. "web.tcp.connect[0]" or "default-deny"
  std::string target;     // an implicit bind's reason: the connect destination asked for
  Outcome outcome = Outcome::deny;
  uint64_t suppressed = 0;  // lines of this session dropped by the rate limit since the last one
};

}  // namespace wasi_socketd::audit
