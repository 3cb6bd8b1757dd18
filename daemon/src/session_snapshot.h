// A consistent picture of one live session for the admin interface, taken on its strand.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "session/resource_summary.h"
#include "session/session.h"
#include "session/session_registry.h"

namespace wasi_socketd::daemon {

struct SessionSnapshot {
  std::uint64_t number = 0;  // the connection's gRPC-side fd number
  std::string tenant;
  PeerCredentials peer;
  std::vector<std::pair<std::uint64_t, ResourceSummary>> sockets;  // (id, summary)
  std::size_t queued_bytes = 0;
  std::chrono::steady_clock::duration lag{};
};

// Every live session of `registry`. Sessions that do not answer within `timeout` (their strand is
// busy) are listed without their sockets. Blocks the calling thread: not for the io_context.
std::vector<SessionSnapshot> snapshot_sessions(const SessionRegistry& registry,
                                               std::chrono::milliseconds timeout);

}  // namespace wasi_socketd::daemon
