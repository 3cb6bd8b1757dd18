// Test fixture: the real wasi-socketd program on a temporary socket.
//
// The constructor spawns build/bin/wasi-socketd with --listen in a fresh temporary directory and
// waits for its READY=1 (sd_notify to a FakeServiceManager): then every listener, the admin socket
// and gRPC's own pollers exist (the socket accepts connections, into its backlog, well before
// that); stable_fd_count() then gives the idle baseline. The destructor sends SIGTERM (SIGKILL
// after a timeout) and removes the directory. The daemon is killed if the thread that started it
// dies first (PR_SET_PDEATHSIG), so a test killed by a signal leaves no daemon behind. One thread;
// not copyable.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "fake_service_manager.h"
#include "temp_directory.h"

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
  // One line per open fd, "N -> target" (socket:[inode], anon_inode:[eventfd], a path): what a
  // test shows when fds were not given back.
  std::string open_fd_listing() const;
  // The fd count once it stopped changing: the baseline a test compares with later
  // (process_stats.h).
  int stable_fd_count() const;
  // VmRSS of the daemon in bytes.
  long resident_bytes() const;

  // Sends SIGTERM and waits; returns the exit status (as from waitpid), or -1 on timeout.
  int terminate(std::chrono::milliseconds timeout = std::chrono::seconds(5));

 private:
  TempDirectory directory_{"wasi-socketd-test"};
  std::string socket_path_;
  pid_t pid_ = -1;
};

}  // namespace wasi_socketd::testing
