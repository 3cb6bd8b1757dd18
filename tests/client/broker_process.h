// BrokerProcess: a real wasi-socketd on a temporary Unix socket, for integration tests.
//
// Starts build/bin/wasi-socketd --listen <tmpdir>/broker.sock, waits until the socket exists, and
// stops (SIGTERM) or kills (SIGKILL, for broker-death tests) it. One test thread only.
#pragma once

#include <sys/types.h>

#include <string>

namespace wasi_socketd::testing {

class BrokerProcess {
 public:
  BrokerProcess();  // starts it; check started()
  ~BrokerProcess();

  bool started() const { return pid_ > 0; }
  const std::string& socket_path() const { return socket_path_; }
  // Kills the daemon at once (SIGKILL) and reaps it.
  void kill_now();

  // The daemon program this build produced.
  static std::string program();

 private:
  std::string dir_;
  std::string socket_path_;
  pid_t pid_ = -1;
};

}  // namespace wasi_socketd::testing
