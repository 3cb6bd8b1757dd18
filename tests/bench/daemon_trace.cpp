#include "daemon_trace.h"

#include <csignal>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>

#include "child_process.h"
#include "runner_host.h"

namespace wasi_socketd::bench {
namespace {

// True once every thread of `pid` has a tracer.
bool all_threads_traced(pid_t pid) {
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks)) {
    std::ifstream status(task.path() / "status");
    std::string line;
    while (std::getline(status, line)) {
      if (line.starts_with("TracerPid:") && std::stol(line.substr(10)) == 0) return false;
    }
  }
  return true;
}

}  // namespace

DaemonTouches trace_daemon(pid_t pid, const std::function<void()>& work) {
  const std::string log = std::filesystem::temp_directory_path() /
                          ("wasi-socketd-trace-" + std::to_string(::getpid()) + ".log");
  ChildProcess strace({"/usr/bin/strace", "-f", "-qq", "-e", "trace=%network,%desc", "-o", log,
                       "-p", std::to_string(pid)}, bench_child_options());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!all_threads_traced(pid)) {
    if (!strace.running() || std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("strace could not attach to the daemon");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  work();
  strace.kill(SIGTERM);  // strace detaches on SIGTERM
  strace.wait_for_exit();
  DaemonTouches touches;
  std::ifstream in(log);
  const std::regex call(R"(^\d+\s+(\w+)\((-?\d+)?)");
  std::smatch match;
  for (std::string line; std::getline(in, line);) {
    if (!std::regex_search(line, match, call)) continue;  // "<... resumed>" and signals
    ++touches.syscalls;
    if (match[2].matched) touches.fds.insert(std::stoi(match[2]));
  }
  std::filesystem::remove(log);
  return touches;
}

}  // namespace wasi_socketd::bench
