// Test fixture: the real wasi-socketd program on a temporary socket.
//
// The constructor spawns build/bin/wasi-socketd with --listen in a fresh temporary directory and
// waits until the socket accepts connections; the destructor sends SIGTERM (SIGKILL after a
// timeout) and removes the directory. The daemon is killed if the thread that started it dies
// first (PR_SET_PDEATHSIG), so a test killed by a signal leaves no daemon behind. One thread; not
// copyable.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace wasi_socketd::testing {

// Whether a process accepts connections on the Unix socket at `path` (connects, then closes).
bool accepts_connections(const std::string& path);

class DaemonProcess {
 public:
  explicit DaemonProcess(std::vector<std::string> extra_args = {});
  ~DaemonProcess();
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  const std::string& socket_path() const { return socket_path_; }
  // "unix:/path" for grpc::CreateChannel.
  std::string target() const { return "unix:" + socket_path_; }
  pid_t pid() const { return pid_; }

  // Entries of /proc/PID/fd right now.
  int open_fd_count() const;
  // VmRSS of the daemon in bytes.
  long resident_bytes() const;

  // Sends SIGTERM and waits; returns the exit status (as from waitpid), or -1 on timeout.
  int terminate(std::chrono::milliseconds timeout = std::chrono::seconds(5));

 private:
  std::string directory_;
  std::string socket_path_;
  pid_t pid_ = -1;
};

}  // namespace wasi_socketd::testing
