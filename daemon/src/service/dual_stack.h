// An IPv6 socket whose ipv6-only the tenant turned off (wasi-socketd:sockets-ext) takes IPv4
// traffic too when bound to `::`, as if bound to 0.0.0.0 as well: such a bind or listen must be
// allowed for 0.0.0.0 (same port) too, or the extension would widen the tenant's rules.
// Session's sequence only.
#pragma once

#include "session/session.h"
#include "sockets/error_code.h"
#include "sockets/socket_address.h"
#include "sockets/socket_policy.h"

namespace wasi_socketd::daemon {

// access-denied (audited by the tenant's policy as the IPv4 bind or listen) when `local` is `::`,
// the socket `fd` is not IPv6-only and the tenant may not `use` 0.0.0.0:port; ok otherwise.
sockets::Result<void> admit_dual_stack(const Session& session, sockets::Protocol protocol,
                                       sockets::Use use, int fd,
                                       const sockets::SocketAddress& local);

}  // namespace wasi_socketd::daemon
