// The service manager's side of sd_notify, for tests without a running systemd: a datagram
// socket at a temporary path that records every notification the daemon sends.
//
// Owns the socket and its path. Single-threaded: call from the test's thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "temp_directory.h"

namespace wasi_socketd::testing {

class FakeServiceManager {
 public:
  FakeServiceManager();
  ~FakeServiceManager();
  FakeServiceManager(const FakeServiceManager&) = delete;
  FakeServiceManager& operator=(const FakeServiceManager&) = delete;

  // The value to put into NOTIFY_SOCKET.
  const std::string& socket_path() const { return path_; }

  // The next datagram, or nullopt if none arrives within `timeout`.
  std::optional<std::string> next(std::chrono::milliseconds timeout);
  // Reads datagrams until one contains the line `assignment` (e.g. "READY=1"); returns it.
  std::optional<std::string> wait_for(const std::string& assignment,
                                      std::chrono::milliseconds timeout);
  // Every datagram received so far (by next/wait_for), in order.
  const std::vector<std::string>& received() const { return received_; }

 private:
  TempDirectory directory_{"fake-systemd"};
  std::string path_;
  int fd_ = -1;
  std::vector<std::string> received_;
};

// True when `message` has the line `assignment` (a datagram is newline-separated assignments).
bool has_line(const std::string& message, const std::string& assignment);

}  // namespace wasi_socketd::testing
