// The real wasi-socketd program for a test or benchmark, on a socket in a fresh temporary
// directory: the one launcher every test and benchmark uses.
//
// By default the constructor spawns the daemon with --listen and waits for its READY=1 (sd_notify
// to a FakeServiceManager): then every listener, the admin socket and gRPC's own pollers exist
// (the socket accepts connections, into its backlog, well before that); stable_fd_count() then
// gives the idle baseline. The manager goes away once READY=1 arrived, so that later
// notifications (RELOADING=1/READY=1 per reload) fail at once instead of filling a queue nobody
// reads, where sd_notify would block the daemon.
//
// `supervised` starts it the way systemd does instead (an admin socket, optionally an inherited
// listening socket at fd 3 and WATCHDOG_USEC) and keeps the manager for the test to read, without
// waiting: the test waits for what it expects.
//
// The destructor sends SIGTERM (SIGKILL after a timeout) and removes the directory. The daemon is
// killed if the thread that started it dies first (PR_SET_PDEATHSIG), so a test killed by a signal
// leaves no daemon behind. One thread; not copyable.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "fake_service_manager.h"
#include "temp_directory.h"

namespace wasi_socketd::testing {

// Whether a process accepts connections on the Unix socket at `path` (connects, then closes).
bool accepts_connections(const std::string& path);

struct DaemonOptions {
  std::vector<std::string> extra_args;
  std::string policy_path;  // --policy PATH unless empty
  std::string socket_path;  // --listen PATH; empty: broker.sock in the temporary directory
  std::string binary;       // empty: the wasi-socketd of this build
  std::string log_level = "warn";
  // Started as systemd starts it (see above).
  bool supervised = false;
  bool socket_activated = false;  // with supervised: pass a listening socket we made as fd 3
  std::optional<std::chrono::microseconds> watchdog;  // with supervised: WATCHDOG_USEC
};

class DaemonProcess {
 public:
  explicit DaemonProcess(DaemonOptions options = {});
  // Default options plus these arguments (hence options are spelled DaemonOptions{...}).
  explicit DaemonProcess(std::vector<std::string> extra_args)
      : DaemonProcess(DaemonOptions{.extra_args = std::move(extra_args)}) {}
  ~DaemonProcess();
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  // Where clients connect: the inherited socket's path when socket-activated, else --listen's.
  const std::string& socket_path() const { return socket_path_; }
  // "unix:/path" for grpc::CreateChannel.
  std::string target() const { return "unix:" + socket_path_; }
  // The --listen path given to the daemon (unused when socket-activated).
  const std::string& listen_path() const { return listen_path_; }
  // --admin-socket (supervised only; empty otherwise).
  const std::string& admin_socket_path() const { return admin_path_; }
  const std::string& directory() const { return directory_.path(); }
  pid_t pid() const { return pid_; }
  // The daemon's NOTIFY_SOCKET (supervised only; the manager is gone otherwise).
  FakeServiceManager& manager() { return *manager_; }

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

  void signal(int number) const;
  // Waits for the daemon to exit; its waitpid status, or nullopt on timeout.
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);
  // Sends SIGTERM and waits; returns the exit status (as from waitpid), or -1 on timeout.
  int terminate(std::chrono::milliseconds timeout = std::chrono::seconds(5));

 private:
  void spawn(const DaemonOptions& options, int inherited_fd);
  void wait_until_ready();

  TempDirectory directory_{"wasi-socketd-test"};
  std::optional<FakeServiceManager> manager_{std::in_place};
  std::string socket_path_;
  std::string listen_path_;
  std::string admin_path_;
  pid_t pid_ = -1;
};

}  // namespace wasi_socketd::testing
