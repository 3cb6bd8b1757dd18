// A child program with its stdout on a pipe, for benchmarks that drive other programs.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace wasi_socketd::bench {

class ChildProcess {
 public:
  // Starts argv[0] with argv; stdout is captured, stderr inherited. Killed if this process dies.
  explicit ChildProcess(const std::vector<std::string>& argv);
  ~ChildProcess();  // SIGKILL if still running, then reaps
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // False once the child has exited (then reaped: wait() returns its status).
  bool running();
  // The next stdout line, or nullopt at end of output or after `timeout`.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);
  // Everything left on stdout, then the exit status (as from waitpid).
  std::string read_rest();
  int wait();
  void terminate();  // SIGTERM

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string pending_;
  bool reaped_ = false;
  int status_ = 0;
};

}  // namespace wasi_socketd::bench
