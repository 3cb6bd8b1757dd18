#include "readiness_state.h"

namespace wasi_socketd::daemon {

ReadinessState::Change ReadinessState::set(std::uint64_t id, v1::ReadinessKind kind, bool ready) {
  ReadinessLevel& level = levels_[Key{id, kind}];
  if (level.version != 0 && level.ready == ready) {
    return Change{level, false};
  }
  level.ready = ready;
  ++level.version;
  return Change{level, true};
}

ReadinessLevel ReadinessState::get(std::uint64_t id, v1::ReadinessKind kind) const {
  auto found = levels_.find(Key{id, kind});
  return found == levels_.end() ? ReadinessLevel{} : found->second;
}

void ReadinessState::forget(std::uint64_t id) {
  auto first = levels_.lower_bound(Key{id, 0});
  auto last = levels_.lower_bound(Key{id + 1, 0});
  levels_.erase(first, last);
}

std::vector<v1::ReadinessEvent> ReadinessState::snapshot() const {
  std::vector<v1::ReadinessEvent> events;
  events.reserve(levels_.size());
  for (const auto& [key, level] : levels_) {
    v1::ReadinessEvent& event = events.emplace_back();
    event.set_resource_id(key.first);
    event.set_kind(static_cast<v1::ReadinessKind>(key.second));
    event.set_ready(level.ready);
    event.set_version(level.version);
  }
  return events;
}

}  // namespace wasi_socketd::daemon
