// Which session each live client connection belongs to. Thread-safe (one mutex): the transport
// binds connections, the gRPC services look sessions up from any gRPC thread.
//
// A connection is keyed by what gRPC reports as the peer of calls on it: "fd:N", N being the
// file descriptor handed to grpc::AddInsecureChannelFromFd. The kernel reuses fd numbers, so
// bind() replaces whatever session a dead connection left under the same key.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace wasi_socketd::daemon {

class Session;

// The key of the connection whose gRPC-side file descriptor is `fd`.
std::string connection_key(int fd);

class SessionRegistry {
 public:
  // Binds `key` to `session`; returns the session that was bound to it before, if any.
  std::shared_ptr<Session> bind(const std::string& key, std::shared_ptr<Session> session);
  std::shared_ptr<Session> find(const std::string& key) const;
  // Removes `key` only if it is still bound to `session` (a newer connection may own it by now).
  void unbind(const std::string& key, const Session& session);
  // Removes every binding and returns the sessions (daemon shutdown).
  std::vector<std::shared_ptr<Session>> unbind_all();
  std::size_t size() const;
  // Every live binding (connection key, session), for the admin interface.
  std::vector<std::pair<std::string, std::shared_ptr<Session>>> all() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<Session>> sessions_;
};

}  // namespace wasi_socketd::daemon
