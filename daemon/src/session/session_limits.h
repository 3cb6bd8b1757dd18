// Per-session defaults of the daemon: quotas and the flow-control windows of the Attach stream.
// One header so that every number a tenant can run into is found in one place.
#pragma once

#include <cstddef>
#include <cstdint>

namespace wasi_socketd::daemon {

// Sockets (TCP + UDP) one session may hold at once when its Tenant was built by hand; past it:
// NEW_SOCKET_LIMIT. Policy tenants take [tenant.quotas] sockets_per_session (policy/fd_budget.h).
inline constexpr std::size_t kDefaultSocketQuota = 1024;
// While the tenant's buffered bytes are at quota, a connection reads at most this far ahead.
inline constexpr std::uint64_t kTcpReadWindowWhenFull = 64 * 1024;
// Bytes a client may have in flight on one connected TCP socket's output (check-write permit).
inline constexpr std::uint64_t kTcpWritePermit = 1 << 20;
// Bytes the daemon reads ahead per connected TCP socket before it needs ReadCredit.
inline constexpr std::uint64_t kTcpReadWindow = 1 << 20;
// Queued server items are coalesced into frames of at most this many bytes (one item may exceed
// it only if it is alone; TcpData items are at most kMaxTcpChunk).
inline constexpr std::size_t kMaxServerFrameBytes = 1 << 20;

}  // namespace wasi_socketd::daemon
