// Waits for a daemon's resource use to settle: the fd count back to a baseline after sessions end.
#pragma once

#include <chrono>
#include <thread>

#include "daemon_process.h"

namespace wasi_socketd::testing {

// Polls /proc/PID/fd until at most `baseline` entries are open or `timeout` passes; returns the
// last count seen. Closing is asynchronous in the daemon (a session ends on its strand), so a
// single sample right after a client goes away would race.
inline int settle_fd_count(const DaemonProcess& daemon, int baseline,
                           std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int count = daemon.open_fd_count();
  while (count > baseline && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    count = daemon.open_fd_count();
  }
  return count;
}

// The fd count once it stopped changing (same value over 300 ms, at most 5 s): the baseline.
// Right after start the daemon may still hold the fixture's probe connection.
inline int stable_fd_count(const DaemonProcess& daemon) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  int count = daemon.open_fd_count();
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const int next = daemon.open_fd_count();
    if (next == count) {
      break;
    }
    count = next;
  }
  return count;
}

}  // namespace wasi_socketd::testing
