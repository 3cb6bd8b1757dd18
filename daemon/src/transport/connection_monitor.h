// Notices when a client connection is gone, whatever gRPC does with its own file descriptor.
//
// watch() puts the session's duplicate of the connection's fd (ClientConnection) in an epoll set
// that only reports hang-up and error; one thread waits on it and runs the callback once. The
// duplicate stays its owner's: unwatch() must run before it is closed (WatchedConnection does
// this). Entries are keyed by a number that is never reused, so an event that was already on its
// way when its fd was unwatched, closed and reused cannot reach the new owner of that fd.
//
// Why a thread of its own: gRPC 1.51's callback API reports no per-connection close. The Attach
// stream's OnDone ends an attached session, but a connection that hangs up before it attaches (or
// never attaches) shows it only on the socket; the io_context cannot wait for hang-up alone
// (Asio registers a descriptor for readability too, so every request would wake an io thread).
// Thread-safe; callbacks run on the monitor's own thread and should only post work elsewhere.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "session/client_connection.h"

namespace wasi_socketd::daemon {

class ConnectionMonitor {
 public:
  ConnectionMonitor();   // starts the thread; throws std::system_error
  ~ConnectionMonitor();  // stops the thread without calling back
  ConnectionMonitor(const ConnectionMonitor&) = delete;
  ConnectionMonitor& operator=(const ConnectionMonitor&) = delete;

  // Calls `closed` once, when the peer of the connection whose (duplicate) fd is `fd` has hung
  // up. Returns the watch's number, 0 if the fd could not be watched (then treat the connection as
  // closed).
  std::uint64_t watch(int fd, std::function<void()> closed);
  // Stops watching (no callback after this returns, unless one is running); `fd` may then be
  // closed. Unknown numbers are ignored.
  void unwatch(std::uint64_t watch, int fd);
  std::size_t watched() const;

 private:
  void run();

  int epoll_fd_ = -1;
  int wake_fd_ = -1;  // eventfd that ends run()
  mutable std::mutex mutex_;
  std::uint64_t next_watch_ = 1;                                      // 0: the wake-up eventfd
  std::unordered_map<std::uint64_t, std::function<void()>> watches_;  // by watch number
  std::thread thread_;
};

// A session's connection whose duplicate fd is watched by a monitor: unwatched before the
// duplicate is closed. Keeps the monitor alive.
class WatchedConnection final : public ClientConnection {
 public:
  // Duplicates `fd`; watch() must follow.
  WatchedConnection(int fd, std::shared_ptr<ConnectionMonitor> monitor);
  ~WatchedConnection() override;
  // False when the fd could not be duplicated or watched.
  bool watch(std::function<void()> closed);

 private:
  std::shared_ptr<ConnectionMonitor> monitor_;
  std::uint64_t watch_ = 0;
};

}  // namespace wasi_socketd::daemon
