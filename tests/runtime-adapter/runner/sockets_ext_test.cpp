// wasi-socketd:sockets-ext seen from outside: a guest sets options on its connected socket through
// wasi-socket-run and the broker, and the test reads them on the daemon's own kernel socket
// (pidfd_getfd). The daemon runs with policies/sockets-ext-granted.toml.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon_socket_fd.h"
#include "runner_test_support.h"

namespace wasi_socketd::adapter::test {
namespace {

int option(int fd, int level, int name) {
  int value = -1;
  socklen_t length = sizeof value;
  EXPECT_EQ(::getsockopt(fd, level, name, &value, &length), 0);
  return value;
}

TEST(SocketsExt, AGuestsOptionsReachTheDaemonsSocket) {
  testing::TempDirectory dir;
  const std::string socket = dir.file("broker.sock");
  DaemonProcess daemon(DaemonOptions{
      .policy_path = std::string(GUEST_POLICY_DIR) + "/sockets-ext-granted.toml",
      .socket_path = socket});
  // The guest's peer: a listener in this process.
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), length), 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const auto port = ntohs(address.sin_port);

  ChildProcess runner(runner_command(
      {"--broker", socket, guest_path("sockets_ext"), "hold", std::to_string(port)}));
  ASSERT_TRUE(runner.wait_for_stdout("options set", kRunTimeout)) << runner.stdout_so_far();
  const std::optional<int> fd = testing::daemon_socket_to(daemon.pid(), port);
  if (!fd) {
    ::close(listener);
    GTEST_SKIP() << "pidfd_getfd of the daemon's sockets is not permitted here";
  }
  EXPECT_EQ(option(*fd, IPPROTO_TCP, TCP_NODELAY), 0);  // the daemon's own default is 1
  EXPECT_EQ(option(*fd, IPPROTO_TCP, TCP_CORK), 1);
  EXPECT_EQ(option(*fd, IPPROTO_IP, IP_TOS), 0x20);
  ::close(*fd);
  runner.close_stdin();
  const ProcessResult result = runner.wait(kRunTimeout);
  EXPECT_TRUE(result.exited && result.exit_code == 0) << result.out << result.err;
  ::close(listener);
}

}  // namespace
}  // namespace wasi_socketd::adapter::test
