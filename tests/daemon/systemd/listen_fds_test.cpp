#include "systemd/listen_fds.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

namespace wasi_socketd::systemd {
namespace {

// Puts sockets at fd 3, 4, ... and sets LISTEN_* the way systemd does before exec, restoring
// whatever the test process had at those numbers afterwards.
class ActivationEnvironment {
 public:
  ActivationEnvironment(const std::vector<int>& fds, const std::string& names, pid_t pid) {
    // Move the sockets out of the way first: they may already sit at 3, 4, ...
    std::vector<int> moved;
    for (int fd : fds) {
      moved.push_back(::fcntl(fd, F_DUPFD_CLOEXEC, 200));
      ::close(fd);
    }
    for (std::size_t i = 0; i < moved.size(); ++i) {
      const int target = SD_LISTEN_FDS_START + static_cast<int>(i);
      saved_.push_back({target, ::fcntl(target, F_DUPFD_CLOEXEC, 100)});
      ::dup2(moved[i], target);
      ::close(moved[i]);
    }
    ::setenv("LISTEN_PID", std::to_string(pid).c_str(), 1);
    ::setenv("LISTEN_FDS", std::to_string(fds.size()).c_str(), 1);
    ::setenv("LISTEN_FDNAMES", names.c_str(), 1);
  }
  ~ActivationEnvironment() {
    for (const auto& [target, saved] : saved_) {
      if (saved >= 0) {
        ::dup2(saved, target);
        ::close(saved);
      }
    }
    ::unsetenv("LISTEN_PID");
    ::unsetenv("LISTEN_FDS");
    ::unsetenv("LISTEN_FDNAMES");
  }
  static bool is_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

 private:
  std::vector<std::pair<int, int>> saved_;
};

int unix_listener(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  ::unlink(path.c_str());
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  EXPECT_EQ(::listen(fd, 4), 0);
  return fd;
}

std::string temp_path(const char* name) {
  return "/tmp/listen-fds-test-" + std::to_string(::getpid()) + "-" + name;
}

TEST(InheritedSocketsTest, TakesTheSocketNamedBroker) {
  const auto admin_path = temp_path("admin"), broker_path = temp_path("broker");
  ActivationEnvironment env({unix_listener(admin_path), unix_listener(broker_path)}, "admin:broker",
                            ::getpid());
  auto sockets = InheritedSockets::from_environment();
  ASSERT_EQ(sockets.sockets().size(), 2u);
  const auto broker = sockets.take_unix_listener("broker");
  ASSERT_TRUE(broker);
  EXPECT_EQ(*broker, SD_LISTEN_FDS_START + 1);
  EXPECT_TRUE(::fcntl(*broker, F_GETFD) & FD_CLOEXEC);
  EXPECT_EQ(std::getenv("LISTEN_FDS"), nullptr);  // children never inherit them
  ::close(*broker);
  ::unlink(admin_path.c_str());
  ::unlink(broker_path.c_str());
}

TEST(InheritedSocketsTest, ASingleUnnamedSocketIsTheBrokerSocket) {
  const auto path = temp_path("unnamed");
  ActivationEnvironment env({unix_listener(path)}, "wasi-socketd.socket", ::getpid());
  auto sockets = InheritedSockets::from_environment();
  const auto broker = sockets.take_unix_listener("broker");
  ASSERT_TRUE(broker);
  ::close(*broker);
  ::unlink(path.c_str());
}

TEST(InheritedSocketsTest, IgnoresSocketsPassedToAnotherProcess) {
  const auto path = temp_path("other-pid");
  ActivationEnvironment env({unix_listener(path)}, "broker", ::getpid() + 1);
  auto sockets = InheritedSockets::from_environment();
  EXPECT_TRUE(sockets.empty());
  EXPECT_FALSE(sockets.take_unix_listener("broker"));
  ::unlink(path.c_str());
}

TEST(InheritedSocketsTest, RefusesASocketThatIsNotListening) {
  int pair[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
  ::close(pair[1]);
  ActivationEnvironment env({pair[0]}, "broker", ::getpid());
  auto sockets = InheritedSockets::from_environment();
  EXPECT_FALSE(sockets.take_unix_listener("broker"));
}

TEST(InheritedSocketsTest, ClosesSocketsNobodyTook) {
  const auto path = temp_path("untaken");
  {
    ActivationEnvironment env({unix_listener(path)}, "extra", ::getpid());
    {
      auto sockets = InheritedSockets::from_environment();
      EXPECT_TRUE(ActivationEnvironment::is_open(SD_LISTEN_FDS_START));
    }
    EXPECT_FALSE(ActivationEnvironment::is_open(SD_LISTEN_FDS_START));
  }
  ::unlink(path.c_str());
}

}  // namespace
}  // namespace wasi_socketd::systemd
