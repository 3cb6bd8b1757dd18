// Per-session defaults of the daemon: quotas and the flow-control windows of the Attach stream.
// One header so that every number a tenant can run into is found in one place.
#pragma once

#include <cstddef>
#include <cstdint>

namespace wasi_socketd::daemon {

// Sockets (TCP + UDP) one session may hold at once when its TenantAccess was built by hand; past
// it: NEW_SOCKET_LIMIT. Policy tenants take [tenant.quotas] sockets_per_session
// (policy/fd_budget.h).
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
// The Attach stream's backlog (the session's outbox, docs/SECURITY.md "Attach outbox"). Past the
// soft bound the daemon stops reading the client's frames (no new writes to acknowledge, no new
// read credit, so the session's sockets stop reading once their window is used) until the backlog
// is below half of it again. Past the hard cap the client is not reading at all and the session is
// ended (audited as session.event_backlog).
inline constexpr std::size_t kEventBacklogSoftBytes = 8 << 20;
inline constexpr std::size_t kEventBacklogHardBytes = 64 << 20;

}  // namespace wasi_socketd::daemon
