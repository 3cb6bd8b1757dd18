#include "daemon_process.h"

#include "process_stats.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace wasi_socketd::testing {

namespace {

namespace fs = std::filesystem;

}  // namespace

bool accepts_connections(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  const bool connected =
      ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return connected;
}

DaemonProcess::DaemonProcess(std::vector<std::string> extra_args) {
  socket_path_ = directory_.file("broker.sock");

  std::vector<std::string> args = {WASI_SOCKETD_BINARY, "--listen", socket_path_, "--log-level",
                                   "warn"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  // Only for READY=1: it goes away once that arrived, so that the daemon's later notifications
  // (RELOADING=1 and READY=1 per reload) fail at once instead of filling a datagram queue nobody
  // reads, where sd_notify would block the daemon.
  FakeServiceManager service_manager;
  // Built before fork(): the child of a threaded test may only exec.
  std::vector<std::string> environment = {"NOTIFY_SOCKET=" + service_manager.socket_path()};
  for (char** variable = environ; *variable != nullptr; ++variable) {
    if (std::strncmp(*variable, "NOTIFY_SOCKET=", 14) != 0) environment.emplace_back(*variable);
  }
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (std::string& variable : environment) envp.push_back(variable.data());
  envp.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ == 0) {
    // A test killed by a signal must not leave its daemon running.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  // Sanitized builds on a loaded machine start slowly: up to 30 s.
  for (int attempt = 0; attempt < 600; ++attempt) {
    if (service_manager.wait_for("READY=1", std::chrono::milliseconds(50))) {
      return;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("wasi-socketd exited at start");
    }
  }
  throw std::runtime_error("wasi-socketd did not report READY=1");
}

DaemonProcess::~DaemonProcess() {
  if (pid_ > 0 && terminate() == -1) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

int DaemonProcess::terminate(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) {
    return -1;
  }
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

int DaemonProcess::open_fd_count() const { return static_cast<int>(testing::open_fd_count(pid_)); }

std::string DaemonProcess::open_fd_listing() const { return testing::open_fd_listing(pid_); }

int DaemonProcess::stable_fd_count() const {
  return static_cast<int>(testing::stable_fd_count(pid_));
}

long DaemonProcess::resident_bytes() const { return testing::resident_bytes(pid_); }

}  // namespace wasi_socketd::testing
