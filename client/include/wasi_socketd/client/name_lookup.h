// Name lookup (wasi:sockets/ip-name-lookup) and the session's network (instance-network).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "wasi_socketd/client/address.h"
#include "wasi_socketd/client/result.h"
#include "wasi_socketd/client/session.h"

namespace wasi_socketd::client {

// A finished lookup: the addresses in order, then how the stream ends (nullopt: cleanly).
struct Resolution {
  std::vector<IpAddress> addresses;
  std::optional<ErrorCode> end_error;
};

// resolve-addresses(network, name), resolved completely in one call (blocking).
Result<Resolution> resolve_addresses(Session& session, std::uint64_t network_id,
                                     std::string_view name);

// instance-network(): the session's network id.
Result<std::uint64_t> instance_network(Session& session);

}  // namespace wasi_socketd::client
