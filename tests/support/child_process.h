// A child process for tests and benchmarks: argv + extra environment, stdin/stdout/stderr on pipes
// (stdin and stderr optionally inherited), waits with deadlines so a hanging child fails the test
// instead of hanging it. Single-threaded use.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wasi_socketd::testing {

struct ProcessResult {
  bool exited = false;  // false: killed by a signal, or the wait timed out
  int exit_code = -1;
  int signal = 0;
  bool timed_out = false;
  std::string out;
  std::string err;
};

class ChildProcess {
 public:
  struct Options {
    std::vector<std::string> extra_env;  // "NAME=value", added to (or replacing in) ours
    std::string working_directory;       // empty: ours
    bool pipe_stdin = true;              // false: the child inherits our stdin
    bool pipe_stderr = true;             // false: the child inherits our stderr
    bool die_with_parent = false;        // SIGKILL the child when the thread that started it dies
  };

  explicit ChildProcess(const std::vector<std::string>& argv);
  ChildProcess(const std::vector<std::string>& argv, const Options& options);
  ~ChildProcess();  // SIGKILLs and reaps a child still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  void write_stdin(std::string_view data);
  void close_stdin();
  // Collects output until stdout contains `needle`; false on timeout or end of output.
  bool wait_for_stdout(std::string_view needle, std::chrono::milliseconds timeout);
  const std::string& stdout_so_far() const { return out_; }
  // The next stdout line not yet returned (without its newline), or nullopt at the end of output
  // or after `timeout`.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);
  // Everything on stdout not yet returned by read_line, up to the end of output (no deadline).
  std::string read_rest();
  // False once the child has exited (it is reaped then).
  bool running();
  // Waits without a deadline for the child to exit; its waitpid status.
  int wait_for_exit();
  // Closes stdin, collects all output and the exit status; SIGKILLs the child on timeout.
  ProcessResult wait(std::chrono::milliseconds timeout);
  void kill(int signal);

 private:
  bool pump(std::chrono::steady_clock::time_point deadline);  // false: no more output or deadline
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  std::size_t lines_read_to_ = 0;  // where read_line continues in out_
  std::string out_;
  std::string err_;
};

// Polls `condition` every 20 ms until it holds or `timeout` passes.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout);
// True while `pid` exists and is not a zombie.
bool process_running(pid_t pid);
// The direct child processes of `pid` (from /proc/PID/task/*/children).
std::vector<pid_t> child_processes(pid_t pid);
// /proc/PID/cmdline split at NULs.
std::vector<std::string> command_line(pid_t pid);

}  // namespace wasi_socketd::testing
