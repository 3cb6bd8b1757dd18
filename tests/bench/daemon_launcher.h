// Starts build/bin/wasi-socketd (next to this benchmark) on a private socket for one run.
#pragma once

#include <sys/types.h>

#include <string>

namespace wasi_socketd::bench {

class DaemonLauncher {
 public:
  // Spawns the daemon listening on `socket_path` (with --policy `policy_path` unless empty);
  // waits until the socket accepts connections.
  explicit DaemonLauncher(std::string socket_path, std::string policy_path = {});
  ~DaemonLauncher();  // SIGTERM, then waits
  DaemonLauncher(const DaemonLauncher&) = delete;
  DaemonLauncher& operator=(const DaemonLauncher&) = delete;

  const std::string& socket_path() const { return socket_path_; }
  pid_t pid() const { return pid_; }

 private:
  std::string socket_path_;
  pid_t pid_ = -1;
};

// Directory holding the running executable (build/bin/ for every program of this project).
std::string own_directory();

}  // namespace wasi_socketd::bench
