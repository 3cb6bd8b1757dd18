#include "daemon_launcher.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <thread>
#include <vector>

namespace wasi_socketd::bench {
namespace {

bool accepts_connections(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

std::string own_directory() {
  return std::filesystem::canonical("/proc/self/exe").parent_path().string();
}

DaemonLauncher::DaemonLauncher(std::string socket_path, std::string policy_path)
    : socket_path_(std::move(socket_path)) {
  std::string daemon = own_directory() + "/wasi-socketd";
  std::vector<const char*> argv = {daemon.c_str(), "--listen", socket_path_.c_str(), "--log-level",
                                   "warn"};
  if (!policy_path.empty()) {
    argv.push_back("--policy");
    argv.push_back(policy_path.c_str());
  }
  argv.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::execv(daemon.c_str(), const_cast<char* const*>(argv.data()));
    std::_Exit(127);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!accepts_connections(socket_path_)) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) throw std::runtime_error("daemon exited early");
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("daemon not ready");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

DaemonLauncher::~DaemonLauncher() {
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
}

}  // namespace wasi_socketd::bench
