// Level readiness per (resource, kind) with a version that grows with every change.
//
// The same version numbers appear in ReadinessEvent items on the Attach stream and in the
// Readiness fields of unary responses, so the client can keep the newest and never lose a wake-up.
// Not thread-safe: owned by a Session, used on its strand only.
#pragma once

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "wasi_socketd/v1/session.pb.h"

namespace wasi_socketd::daemon {

struct ReadinessLevel {
  bool ready = false;
  std::uint64_t version = 0;
};

class ReadinessState {
 public:
  struct Change {
    ReadinessLevel level;
    bool changed = false;
  };

  // Records `ready` for (id, kind). The version grows only when the level actually changes.
  Change set(std::uint64_t id, v1::ReadinessKind kind, bool ready);
  ReadinessLevel get(std::uint64_t id, v1::ReadinessKind kind) const;
  // Drops every kind of `id` (the resource is gone).
  void forget(std::uint64_t id);
  // Every known level, for the snapshot sent when a client attaches.
  std::vector<v1::ReadinessEvent> snapshot() const;

 private:
  using Key = std::pair<std::uint64_t, int>;
  std::map<Key, ReadinessLevel> levels_;
};

}  // namespace wasi_socketd::daemon
