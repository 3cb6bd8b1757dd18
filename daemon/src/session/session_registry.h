// Which session each live client connection belongs to. Thread-safe (one mutex): the transport
// binds connections, the gRPC services look sessions up from any gRPC thread.
//
// gRPC 1.51 tells a call nothing about its connection but the peer string "fd:N", N being the
// file descriptor handed to grpc::AddInsecureChannelFromFd, and the kernel reuses fd numbers as
// soon as gRPC closes one. So the number only finds a candidate; the session is the connection:
// find() answers a session only while fd N of this process is that session's very socket
// (ClientConnection::is: the same socket inode, which the session's duplicate keeps unique). A
// call that comes with a number now held by another connection, or by nothing, finds no session,
// whatever the order in which hang-ups and accepts were noticed.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace wasi_socketd::daemon {

class Session;

// The fd number in gRPC's peer string of a call ("fd:N"); nullopt for any other peer.
std::optional<int> connection_number(std::string_view peer);

class SessionRegistry {
 public:
  // The number of calls that come without a connection: in-process tests and fuzzers that drive
  // the services directly (their contexts have no peer). The daemon never binds it.
  static constexpr int kInProcess = -1;

  // Binds the connection whose gRPC-side fd is `number` to `session`; returns the session that
  // was bound to that number before, if any (its connection is gone: the number was reused).
  std::shared_ptr<Session> bind(int number, std::shared_ptr<Session> session);
  // The session of the connection that holds fd `number` now, or null.
  std::shared_ptr<Session> find(int number) const;
  // Removes `number` only if it is still bound to `session` (a newer connection may own it by now).
  void unbind(int number, const Session& session);
  // Removes every binding and returns the sessions (daemon shutdown).
  std::vector<std::shared_ptr<Session>> unbind_all();
  std::size_t size() const;
  // Every live binding (connection number, session), for the admin interface.
  std::vector<std::pair<int, std::shared_ptr<Session>>> all() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<int, std::shared_ptr<Session>> sessions_;
};

}  // namespace wasi_socketd::daemon
