#include "supervised_daemon.h"

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string_view>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace wasi_socketd::testing {
namespace {

int listening_socket(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
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

SupervisedDaemon::SupervisedDaemon(SupervisionOptions options) {
  listen_path_ = directory_.file("broker.sock");
  admin_path_ = directory_.file("broker.admin.sock");
  socket_path_ = listen_path_;
  int inherited = -1;
  if (options.socket_activated) {
    socket_path_ = directory_.file("activated.sock");
    inherited = listening_socket(socket_path_);
  }

  std::vector<std::string> args{WASI_SOCKETD_BINARY, "--listen", listen_path_, "--admin-socket",
                                admin_path_};
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
  environment.push_back("NOTIFY_SOCKET=" + manager_.socket_path());
  const std::string pid_placeholder(10, ' ');
  std::size_t listen_pid = 0, watchdog_pid = 0;  // indexes of the entries the child completes
  if (inherited >= 0) {
    environment.push_back("LISTEN_FDS=1");
    environment.push_back("LISTEN_FDNAMES=broker");
    listen_pid = environment.size();
    environment.push_back("LISTEN_PID=" + pid_placeholder);
  }
  if (options.watchdog) {
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
    // systemd's contract: the passed sockets start at fd 3, LISTEN_PID names the new process.
    for (std::size_t index : {listen_pid, watchdog_pid}) {
      if (index != 0) write_pid(envp[index] + std::strlen(envp[index]) - 10, ::getpid());
    }
    if (inherited >= 0 && inherited != 3) {
      ::dup2(inherited, 3);
      ::close(inherited);
    }
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  if (inherited >= 0) ::close(inherited);
}

SupervisedDaemon::~SupervisedDaemon() {
  if (pid_ > 0 && !wait_for_exit(std::chrono::milliseconds(0))) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

void SupervisedDaemon::signal(int number) const { ::kill(pid_, number); }

std::optional<int> SupervisedDaemon::wait_for_exit(std::chrono::milliseconds timeout) {
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

}  // namespace wasi_socketd::testing
