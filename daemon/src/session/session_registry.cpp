#include "session_registry.h"

#include <utility>

namespace wasi_socketd::daemon {

std::string connection_key(int fd) { return "fd:" + std::to_string(fd); }

std::shared_ptr<Session> SessionRegistry::bind(const std::string& key,
                                               std::shared_ptr<Session> session) {
  std::lock_guard lock(mutex_);
  std::shared_ptr<Session>& slot = sessions_[key];
  return std::exchange(slot, std::move(session));
}

std::shared_ptr<Session> SessionRegistry::find(const std::string& key) const {
  std::lock_guard lock(mutex_);
  auto found = sessions_.find(key);
  return found == sessions_.end() ? nullptr : found->second;
}

void SessionRegistry::unbind(const std::string& key, const Session& session) {
  std::lock_guard lock(mutex_);
  auto found = sessions_.find(key);
  if (found != sessions_.end() && found->second.get() == &session) {
    sessions_.erase(found);
  }
}

std::vector<std::shared_ptr<Session>> SessionRegistry::unbind_all() {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<Session>> all;
  all.reserve(sessions_.size());
  for (auto& [key, session] : sessions_) {
    all.push_back(std::move(session));
  }
  sessions_.clear();
  return all;
}

std::vector<std::pair<std::string, std::shared_ptr<Session>>> SessionRegistry::all() const {
  std::lock_guard lock(mutex_);
  return {sessions_.begin(), sessions_.end()};
}

std::size_t SessionRegistry::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace wasi_socketd::daemon
