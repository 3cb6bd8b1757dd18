#include "session_snapshot.h"

namespace wasi_socketd::daemon {

std::vector<SessionSnapshot> snapshot_sessions(const SessionRegistry& registry) {
  std::vector<SessionSnapshot> snapshots;
  for (const auto& [number, session] : registry.all()) {
    SessionSnapshot& snapshot = snapshots.emplace_back();
    snapshot.number = static_cast<std::uint64_t>(number);
    snapshot.tenant = session->tenant().name;
    snapshot.peer = session->peer();
    snapshot.summary = session->summary();
  }
  return snapshots;
}

}  // namespace wasi_socketd::daemon
