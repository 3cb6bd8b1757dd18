#include "resource_call.h"

#include "proto_convert.h"

namespace wasi_socketd::daemon {

sockets::Result<sockets::SocketAddress> request_address(const Session& session,
                                                        std::uint64_t network_id, bool present,
                                                        const v1::IpSocketAddress& address) {
  if (!session.has_network(network_id) || !present) {
    return sockets::ErrorCode::invalid_argument;
  }
  return from_proto(address);
}

}  // namespace wasi_socketd::daemon
