#include "daemon_process.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <string_view>
#include <thread>

#include "process_stats.h"

namespace wasi_socketd::testing {
namespace {

sockaddr_un unix_address(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  return address;
}

int listening_socket(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  const sockaddr_un address = unix_address(path);
  if (fd < 0 || ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(fd, 64) != 0) {
    throw std::runtime_error("cannot create the socket-activation listener");
  }
  return fd;
}

// Writes `pid` in decimal over the 10-character placeholder at `field` and ends the string there.
// No allocation: safe between fork and exec.
void write_pid(char* field, pid_t pid) {
  char digits[10];
  int count = 0;
  for (auto value = static_cast<unsigned>(pid); value != 0 || count == 0; value /= 10) {
    digits[count++] = static_cast<char>('0' + value % 10);
  }
  for (int i = 0; i < count; ++i) field[i] = digits[count - 1 - i];
  field[count] = '\0';
}

}  // namespace

bool accepts_connections(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const sockaddr_un address = unix_address(path);
  const bool connected =
      ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return connected;
}

DaemonProcess::DaemonProcess(DaemonOptions options) {
  listen_path_ = options.socket_path.empty() ? directory_.file("broker.sock") : options.socket_path;
  socket_path_ = listen_path_;
  int inherited = -1;
  if (options.supervised) {
    admin_path_ = directory_.file("broker.admin.sock");
    if (options.socket_activated) {
      socket_path_ = directory_.file("activated.sock");
      inherited = listening_socket(socket_path_);
    }
  }
  spawn(options, inherited);
  if (inherited >= 0) ::close(inherited);
  if (!options.supervised) wait_until_ready();
}

void DaemonProcess::spawn(const DaemonOptions& options, int inherited_fd) {
  std::vector<std::string> args = {
      options.binary.empty() ? std::string(WASI_SOCKETD_BINARY) : options.binary, "--listen",
      listen_path_, "--log-level", options.log_level};
  if (options.supervised) args.insert(args.end(), {"--admin-socket", admin_path_});
  if (!options.policy_path.empty()) args.insert(args.end(), {"--policy", options.policy_path});
  args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());

  // Everything the child needs is built here: between fork and exec it may only make system calls
  // (other threads of this process could hold the allocator's lock when we fork).
  std::vector<std::string> environment;
  for (char** variable = environ; *variable != nullptr; ++variable) {
    const std::string_view text(*variable);
    if (!text.starts_with("NOTIFY_SOCKET=") && !text.starts_with("LISTEN_") &&
        !text.starts_with("WATCHDOG_")) {
      environment.emplace_back(text);
    }
  }
  environment.push_back("NOTIFY_SOCKET=" + manager_->socket_path());
  const std::string pid_placeholder(10, ' ');
  std::size_t listen_pid = 0, watchdog_pid = 0;  // indexes of the entries the child completes
  if (inherited_fd >= 0) {
    environment.push_back("LISTEN_FDS=1");
    environment.push_back("LISTEN_FDNAMES=broker");
    listen_pid = environment.size();
    environment.push_back("LISTEN_PID=" + pid_placeholder);
  }
  if (options.supervised && options.watchdog) {
    environment.push_back("WATCHDOG_USEC=" + std::to_string(options.watchdog->count()));
    watchdog_pid = environment.size();
    environment.push_back("WATCHDOG_PID=" + pid_placeholder);
  }
  std::vector<char*> argv, envp;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  for (auto& variable : environment) envp.push_back(variable.data());
  envp.push_back(nullptr);

  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // A test killed by a signal must not leave its daemon running.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    // systemd's contract: the passed sockets start at fd 3, LISTEN_PID names the new process.
    for (std::size_t index : {listen_pid, watchdog_pid}) {
      if (index != 0) write_pid(envp[index] + std::strlen(envp[index]) - 10, ::getpid());
    }
    if (inherited_fd >= 0 && inherited_fd != 3) {
      ::dup2(inherited_fd, 3);
      ::close(inherited_fd);
    }
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
}

void DaemonProcess::wait_until_ready() {
  // Sanitized builds on a loaded machine start slowly: up to 30 s.
  for (int attempt = 0; attempt < 600; ++attempt) {
    if (manager_->wait_for("READY=1", std::chrono::milliseconds(50))) {
      manager_.reset();
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

void DaemonProcess::signal(int number) const {
  if (pid_ > 0) ::kill(pid_, number);
}

std::optional<int> DaemonProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return std::nullopt;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return status;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

int DaemonProcess::terminate(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  return wait_for_exit(timeout).value_or(-1);
}

int DaemonProcess::open_fd_count() const { return static_cast<int>(testing::open_fd_count(pid_)); }

std::string DaemonProcess::open_fd_listing() const { return testing::open_fd_listing(pid_); }

int DaemonProcess::stable_fd_count() const {
  return static_cast<int>(testing::stable_fd_count(pid_));
}

long DaemonProcess::resident_bytes() const { return testing::resident_bytes(pid_); }

}  // namespace wasi_socketd::testing
