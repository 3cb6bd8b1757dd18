#include "supervised_daemon.h"

#include <signal.h>
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

}  // namespace

SupervisedDaemon::SupervisedDaemon(SupervisionOptions options) {
  char pattern[] = "/tmp/supervised-daemon-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp failed");
  directory_ = pattern;
  listen_path_ = directory_ + "/broker.sock";
  admin_path_ = directory_ + "/broker.admin.sock";
  socket_path_ = listen_path_;
  int inherited = -1;
  if (options.socket_activated) {
    socket_path_ = directory_ + "/activated.sock";
    inherited = listening_socket(socket_path_);
  }

  std::vector<std::string> args{WASI_SOCKETD_BINARY, "--listen", listen_path_, "--admin-socket",
                                admin_path_};
  args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
  std::vector<std::string> environment{"NOTIFY_SOCKET=" + manager_.socket_path()};
  if (options.watchdog) {
    environment.push_back("WATCHDOG_USEC=" + std::to_string(options.watchdog->count()));
  }

  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    // systemd's contract: the passed sockets start at fd 3, LISTEN_PID names the new process.
    if (inherited >= 0) {
      if (inherited != 3) {
        ::dup2(inherited, 3);
        ::close(inherited);
      }
      ::setenv("LISTEN_FDS", "1", 1);
      ::setenv("LISTEN_FDNAMES", "broker", 1);
      ::setenv("LISTEN_PID", std::to_string(::getpid()).c_str(), 1);
    }
    if (options.watchdog) ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
    for (const auto& assignment : environment) ::putenv(const_cast<char*>(assignment.c_str()));
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  if (inherited >= 0) ::close(inherited);
}

SupervisedDaemon::~SupervisedDaemon() {
  if (pid_ > 0 && !wait_for_exit(std::chrono::milliseconds(0))) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
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
