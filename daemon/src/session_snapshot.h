// The admin interface's picture of the live sessions, read from what each session published on
// its sequence (Session::summary): one pass over the registry, no waiting for any sequence.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "session/session.h"
#include "session/session_registry.h"

namespace wasi_socketd::daemon {

struct SessionSnapshot {
  std::uint64_t number = 0;  // the connection's gRPC-side fd number
  std::string tenant;
  PeerCredentials peer;
  SessionSummary summary;
};

// Every live session of `registry`, as last published. Any thread; never blocks on a session.
std::vector<SessionSnapshot> snapshot_sessions(const SessionRegistry& registry);

}  // namespace wasi_socketd::daemon
