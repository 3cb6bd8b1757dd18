// Notices when a client connection is gone, whatever gRPC does with its own file descriptor.
//
// watch() keeps a duplicate of the connection's fd (so the kernel's open file stays observable
// after gRPC closes its copy) in an epoll set that only reports hang-up and error; one thread
// waits on it and runs the callback. The duplicate is closed right after the callback.
// Thread-safe; callbacks run on the monitor's own thread and should only post work elsewhere.
#pragma once

#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace wasi_socketd::daemon {

class ConnectionMonitor {
 public:
  ConnectionMonitor();   // starts the thread; throws std::system_error
  ~ConnectionMonitor();  // stops the thread, closes every duplicate without calling back
  ConnectionMonitor(const ConnectionMonitor&) = delete;
  ConnectionMonitor& operator=(const ConnectionMonitor&) = delete;

  // Calls `closed` once, when the peer of the connection `fd` has hung up. False if the fd could
  // not be watched (then the caller should treat the connection as closed).
  bool watch(int fd, std::function<void()> closed);
  std::size_t watched() const;

 private:
  void run();

  int epoll_fd_ = -1;
  int wake_fd_ = -1;  // eventfd that ends run()
  mutable std::mutex mutex_;
  std::unordered_map<int, std::function<void()>> watches_;  // by duplicate fd
  std::thread thread_;
};

}  // namespace wasi_socketd::daemon
