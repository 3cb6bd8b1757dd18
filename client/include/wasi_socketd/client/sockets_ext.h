// wasi-socketd:sockets-ext@0.1.0 through the broker: the extension options of a session's TCP and
// UDP sockets (sockets_ext.proto). Each call is one round trip, ordered after the session's
// pipelined setters and earlier calls, so it sees their effect. Errors are the WIT's error-code:
// access-denied when the tenant's policy does not grant the option.
//
// Threading: as the socket handles (the caller's thread; the session is thread-safe).
#pragma once

#include <cstdint>

#include "wasi_socketd/client/address.h"
#include "wasi_socketd/client/result.h"

namespace wasi_socketd::client {

class Session;

// The options, valued as on the wire (ExtOption).
enum class ExtOption : std::uint8_t {
  kNoDelay = 1,
  kIpv6Only = 2,
  kLinger = 3,  // nanoseconds; ExtValue::none for option::none
  kTrafficClass = 4,
  kCork = 5,
  kBytesAvailable = 6,
  kBroadcast = 7,
  kReuseAddress = 8,
  kReusePort = 9,
  kMulticastHopLimit = 10,
  kMulticastLoopback = 11,
  kMulticastInterface = 12,  // interface index, 0: the kernel's routes choose
};

// An option's value; booleans are 0/1. `none` only for kLinger.
struct ExtValue {
  std::uint64_t value = 0;
  bool none = false;
};

Result<ExtValue> get_ext_option(Session& session, std::uint64_t socket_id, ExtOption option);
// Answers the value the getter reports after the change.
Result<ExtValue> set_ext_option(Session& session, std::uint64_t socket_id, ExtOption option,
                                ExtValue value);
// For a TCP socket, kBytesAvailable as the guest sees it: the bytes the broker's kernel socket
// holds plus those already pushed to this client and not yet read from the input stream.
Result<std::uint64_t> tcp_bytes_available(Session& session, std::uint64_t socket_id);

Status join_multicast_group(Session& session, std::uint64_t socket_id, const IpAddress& group,
                            std::uint32_t interface_index);
Status leave_multicast_group(Session& session, std::uint64_t socket_id, const IpAddress& group,
                             std::uint32_t interface_index);

}  // namespace wasi_socketd::client
