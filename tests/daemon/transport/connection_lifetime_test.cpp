// Connection lifetimes against the real daemon: a dropped connection closes its session's sockets,
// a thousand sessions leave no file descriptor behind, new connections (reusing fd numbers) get
// fresh sessions, the socket file gets its mode, and SIGTERM ends the daemon promptly.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "daemon_process.h"
#include "process_stats.h"
#include "test_client.h"
#include "wasi_socketd/limits.h"

namespace wasi_socketd::testing {
namespace {

using namespace std::chrono_literals;
constexpr auto kIpv4 = v1::IP_ADDRESS_FAMILY_IPV4;

template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) {
      return true;
    }
    std::this_thread::sleep_for(20ms);
  }
  return condition();
}

// The hang-up alone must end the session and close its listener: well within the attach deadline
// (10 s), which would otherwise close an unattached connection anyway. And the daemon itself must
// let go of the listener: whether the port can be bound again says less, since a connect() of
// another test may take the freed ephemeral port and keep it in TIME_WAIT for a minute (the
// assumption that failed once under the parallel suite: "port not freed within 10 s").
TEST(ConnectionLifetime, DroppedConnectionClosesItsSockets) {
  DaemonProcess daemon;
  std::uint32_t port = 0;
  {
    TestClient client(daemon.target());
    client.tcp_listener(kIpv4, &port);  // never attached: the connection alone is the session
    ASSERT_NE(port, 0u);
    ASSERT_TRUE(holds_tcp_port(daemon.pid(), static_cast<std::uint16_t>(port)));
  }
  EXPECT_TRUE(
      eventually([&] { return !holds_tcp_port(daemon.pid(), static_cast<std::uint16_t>(port)); },
                 kAttachDeadline / 2))
      << "the daemon still holds the listener after its connection closed:\n"
      << daemon.open_fd_listing();
}

TEST(ConnectionLifetime, ThousandSessionsLeaveNoFileDescriptorBehind) {
  DaemonProcess daemon;
  {
    TestClient warm_up(daemon.target());  // let gRPC create its lazily made descriptors
    warm_up.create_tcp(kIpv4);
  }
  const int baseline = daemon.stable_fd_count();

  constexpr int kSessions = 1000;
  constexpr int kBatch = 50;
  for (int done = 0; done < kSessions; done += kBatch) {
    std::vector<std::unique_ptr<TestClient>> clients;
    for (int i = 0; i < kBatch; ++i) {
      auto client = std::make_unique<TestClient>(daemon.target());
      if (i % 2 == 0) {
        ASSERT_TRUE(client->attach());
      }
      std::uint32_t port = 0;
      client->tcp_listener(kIpv4, &port);
      ASSERT_NE(client->create_udp(v1::IP_ADDRESS_FAMILY_IPV6), 0u);
      clients.push_back(std::move(client));
    }
    EXPECT_GT(daemon.open_fd_count(), baseline + kBatch);
  }
  EXPECT_TRUE(eventually([&] { return daemon.open_fd_count() <= baseline; }, 20s))
      << "open fds: " << daemon.open_fd_count() << ", at start: " << baseline;
}

TEST(ConnectionLifetime, EachConnectionIsAFreshSession) {
  DaemonProcess daemon;
  std::uint64_t previous_network = 0;
  std::uint64_t previous_socket = 0;
  for (int i = 0; i < 50; ++i) {
    TestClient client(daemon.target());
    const std::uint64_t network = client.network_id();
    EXPECT_NE(network, previous_network);
    if (previous_socket != 0) {  // the last connection's socket means nothing here
      v1::TcpSocketRequest request;
      request.set_socket_id(previous_socket);
      EXPECT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::IsListening, request).error(),
                v1::ERROR_CODE_INVALID_ARGUMENT);
    }
    previous_network = network;
    previous_socket = client.create_tcp(kIpv4);
    ASSERT_NE(previous_socket, 0u);
  }
}

TEST(ConnectionLifetime, SocketFileModeFollowsTheOption) {
  {
    DaemonProcess daemon;
    struct stat status {};
    ASSERT_EQ(::stat(daemon.socket_path().c_str(), &status), 0);
    EXPECT_EQ(status.st_mode & 07777, 0660u);
  }
  DaemonProcess daemon({"--socket-mode", "0600"});
  struct stat status {};
  ASSERT_EQ(::stat(daemon.socket_path().c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 07777, 0600u);
}

TEST(ConnectionLifetime, SigtermWithLiveSessionsExitsCleanlyAndQuickly) {
  DaemonProcess daemon;
  TestClient attached(daemon.target());
  ASSERT_TRUE(attached.attach());
  std::uint32_t port = 0;
  attached.tcp_listener(kIpv4, &port);
  TestClient idle(daemon.target());
  idle.create_udp(kIpv4);

  const auto start = std::chrono::steady_clock::now();
  const int status = daemon.terminate(5s);
  ASSERT_NE(status, -1) << "did not exit within 5 s";
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_TRUE(attached.attach_status().ok() ||
              attached.attach_status().error_code() == grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace wasi_socketd::testing
