// Test fixture: the real wasi-socketd started the way systemd starts it — NOTIFY_SOCKET pointing
// at a FakeServiceManager, optionally WATCHDOG_USEC, and optionally an inherited listening socket
// (LISTEN_PID/LISTEN_FDS/LISTEN_FDNAMES with the socket at fd 3).
//
// Owns a temporary directory (broker socket, admin socket) and the child process; the destructor
// kills a child that is still running. One thread; not copyable.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "fake_service_manager.h"
#include "temp_directory.h"

namespace wasi_socketd::testing {

struct SupervisionOptions {
  bool socket_activated = false;  // pass a listening socket we created as fd 3
  std::optional<std::chrono::microseconds> watchdog;
  std::vector<std::string> extra_args;
};

class SupervisedDaemon {
 public:
  explicit SupervisedDaemon(SupervisionOptions options = {});
  ~SupervisedDaemon();
  SupervisedDaemon(const SupervisedDaemon&) = delete;
  SupervisedDaemon& operator=(const SupervisedDaemon&) = delete;

  FakeServiceManager& manager() { return manager_; }
  pid_t pid() const { return pid_; }
  const std::string& directory() const { return directory_.path(); }
  // Where clients connect: the inherited socket's path, or the --listen path.
  const std::string& socket_path() const { return socket_path_; }
  // The --listen path given to the daemon (unused when socket-activated).
  const std::string& listen_path() const { return listen_path_; }
  const std::string& admin_socket_path() const { return admin_path_; }
  std::string target() const { return "unix:" + socket_path_; }

  void signal(int number) const;
  // Waits for the child to exit; its waitpid status, or nullopt on timeout.
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);

 private:
  FakeServiceManager manager_;
  TempDirectory directory_{"supervised-daemon"};
  std::string socket_path_;
  std::string listen_path_;
  std::string admin_path_;
  pid_t pid_ = -1;
};

}  // namespace wasi_socketd::testing
