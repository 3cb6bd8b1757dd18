#include "session_registry.h"

#include <charconv>
#include <utility>

#include "session.h"

namespace wasi_socketd::daemon {

std::optional<int> connection_number(std::string_view peer) {
  constexpr std::string_view kPrefix = "fd:";
  if (peer.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  const char* first = peer.data() + kPrefix.size();
  const char* last = peer.data() + peer.size();
  int number = -1;
  const auto [end, error] = std::from_chars(first, last, number);
  if (error != std::errc{} || end != last || number < 0) return std::nullopt;
  return number;
}

std::shared_ptr<Session> SessionRegistry::bind(int number, std::shared_ptr<Session> session) {
  std::lock_guard lock(mutex_);
  std::shared_ptr<Session>& slot = sessions_[number];
  return std::exchange(slot, std::move(session));
}

std::shared_ptr<Session> SessionRegistry::find(int number) const {
  std::shared_ptr<Session> session;
  {
    std::lock_guard lock(mutex_);
    auto found = sessions_.find(number);
    if (found == sessions_.end()) return nullptr;
    session = found->second;
  }
  // Sessions built without a connection (tests) have nothing to check against.
  const ClientConnection* connection = session->connection();
  return connection == nullptr || connection->is(number) ? session : nullptr;
}

void SessionRegistry::unbind(int number, const Session& session) {
  std::lock_guard lock(mutex_);
  auto found = sessions_.find(number);
  if (found != sessions_.end() && found->second.get() == &session) {
    sessions_.erase(found);
  }
}

std::vector<std::shared_ptr<Session>> SessionRegistry::unbind_all() {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<Session>> all;
  all.reserve(sessions_.size());
  for (auto& [number, session] : sessions_) {
    all.push_back(std::move(session));
  }
  sessions_.clear();
  return all;
}

std::vector<std::pair<int, std::shared_ptr<Session>>> SessionRegistry::all() const {
  std::lock_guard lock(mutex_);
  return {sessions_.begin(), sessions_.end()};
}

std::size_t SessionRegistry::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace wasi_socketd::daemon
