#include "dual_stack.h"

#include "sockets/socket_extensions.h"

namespace wasi_socketd::daemon {

sockets::Result<void> admit_dual_stack(const Session& session, sockets::Protocol protocol,
                                       sockets::Use use, int fd,
                                       const sockets::SocketAddress& local) {
  if (!local.ip.is_v6() || !local.ip.to_v6().is_unspecified()) return {};
  const sockets::Result<bool> v6_only = sockets::extensions::ipv6_only(fd, sockets::Family::ipv6);
  if (!v6_only || *v6_only) return {};
  sockets::SocketAddress v4_any;
  v4_any.ip = boost::asio::ip::address_v4::any();
  v4_any.port = local.port;
  if (session.tenant().policy->allows(protocol, use, v4_any)) return {};
  return sockets::ErrorCode::access_denied;
}

}  // namespace wasi_socketd::daemon
