// Issue 12: the per-session socket limit is the policy key [tenant.quotas] sockets_per_session
// (allow and exceed, above the old hard-coded 1024 too), and buffered bytes are charged when
// buffered, not reserved per connection: idle connections do not use up buffered_bytes. After
// the connections close, the daemon's fds are back at their baseline.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "daemon_process.h"
#include "loopback_listener.h"
#include "temp_directory.h"
#include "test_client.h"

namespace wasi_socketd::testing {
namespace {

using namespace std::chrono_literals;

// The test's uid as a tenant with loopback TCP and the given [tenant.quotas] lines.
std::string policy_with(const std::string& quotas) {
  return "[[tenant]]\nname = \"scaled\"\nuids = [" + std::to_string(::getuid()) +
         "]\n[tenant.quotas]\n" + quotas +
         "[tenant.tcp]\n[[tenant.tcp.bind]]\naddresses = [\"127.0.0.1\", \"0.0.0.0\"]\n"
         "[[tenant.tcp.listen]]\naddresses = [\"127.0.0.1\"]\n"
         "[[tenant.tcp.accept]]\naddresses = [\"127.0.0.1\"]\n"
         "[[tenant.tcp.connect]]\naddresses = [\"127.0.0.1\"]\n";
}

class SocketQuota : public ::testing::Test {
 protected:
  void start(const std::string& quotas) {
    daemon_ = std::make_unique<DaemonProcess>(
        std::vector<std::string>{"--policy", dir_.write("policy.toml", policy_with(quotas))});
  }

  // Creates TCP sockets until one is refused or `most` exist; returns how many were created.
  static int fill(TestClient& client, int most, v1::ErrorCode* refusal) {
    int created = 0;
    *refusal = v1::ERROR_CODE_UNSPECIFIED;
    while (created < most && client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4, refusal) != 0) {
      ++created;
    }
    return created;
  }

  testing::TempDirectory dir_;
  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(SocketQuota, SocketsPerSessionAllowsUpToTheKeyAndRefusesBeyond) {
  start("sockets_per_session = 4\nsockets = 100\n");
  TestClient first(daemon_->target());
  v1::ErrorCode refusal;
  EXPECT_EQ(fill(first, 10, &refusal), 4);
  EXPECT_EQ(refusal, v1::ERROR_CODE_NEW_SOCKET_LIMIT);
  // Per session: another session of the same tenant has its own four.
  TestClient second(daemon_->target());
  EXPECT_EQ(fill(second, 10, &refusal), 4);
  EXPECT_EQ(refusal, v1::ERROR_CODE_NEW_SOCKET_LIMIT);
}

TEST_F(SocketQuota, SocketsPerSessionRaisesTheLimitBeyondTheOldConstant) {
  start("sockets_per_session = 1500\nsockets = 1500\n");
  TestClient client(daemon_->target());
  v1::ErrorCode refusal;
  EXPECT_EQ(fill(client, 1500, &refusal), 1500) << v1::ErrorCode_Name(refusal);
  EXPECT_EQ(client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4, &refusal), 0u);
  EXPECT_EQ(refusal, v1::ERROR_CODE_NEW_SOCKET_LIMIT);
}

TEST_F(SocketQuota, IdleConnectionsDoNotUseUpBufferedBytesAndTheirFdsComeBack) {
  // 4 MiB: two connections' worth when each reserved its 2 MiB of windows up front.
  start("buffered_bytes = 4194304\n");
  const int baseline = daemon_->stable_fd_count();
  const std::string fds_at_start = daemon_->open_fd_listing();
  {
    TestClient client(daemon_->target());
    std::uint32_t port = 0;
    const std::uint64_t listener = client.tcp_listener(v1::IP_ADDRESS_FAMILY_IPV4, &port);
    ASSERT_NE(listener, 0u);
    v1::TcpSocketRequest accept;
    accept.set_socket_id(listener);
    constexpr int kConnections = 200;
    std::vector<std::uint64_t> ids;
    for (int i = 0; i < kConnections; ++i) {
      const std::uint64_t id = client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4);
      ASSERT_EQ(client.tcp_connect_polling(id, loopback(v1::IP_ADDRESS_FAMILY_IPV4, port)),
                v1::ERROR_CODE_UNSPECIFIED)
          << "connection " << i << " refused: idle connections were charged buffers";
      v1::TcpAcceptResponse accepted;
      // Up to 5 s: the connection reaches the listener's queue through the daemon's io threads,
      // which a loaded machine (the sanitizer stage) may delay.
      for (int retry = 0; retry < 1000; ++retry) {
        accepted = client.call(client.tcp(), &v1::Tcp::Stub::Accept, accept);
        if (accepted.error() != v1::ERROR_CODE_WOULD_BLOCK) break;
        std::this_thread::sleep_for(5ms);
      }
      ASSERT_EQ(accepted.error(), v1::ERROR_CODE_UNSPECIFIED) << "accept " << i;
      ids.push_back(id);
      ids.push_back(accepted.socket_id());
    }
    EXPECT_GE(daemon_->open_fd_count(), baseline + 2 * kConnections);
    for (std::uint64_t id : ids) {
      v1::TcpDropRequest drop;
      drop.set_socket_id(id);
      client.call(client.tcp(), &v1::Tcp::Stub::Drop, drop);
    }
  }
  int now = daemon_->open_fd_count();
  for (int i = 0; i < 250 && now > baseline; ++i) {
    std::this_thread::sleep_for(20ms);
    now = daemon_->open_fd_count();
  }
  EXPECT_LE(now, baseline) << "fds of closed connections were not given back; at start:\n"
                           << fds_at_start << "now:\n"
                           << daemon_->open_fd_listing();
}

TEST_F(SocketQuota, BytesReallyBufferedAreChargedAndBlockNewConnectionsAtTheQuota) {
  start("buffered_bytes = 262144\n");
  TestClient client(daemon_->target());  // never attached: what the daemon reads stays queued
  LoopbackListener peer;
  const auto connect = [&] {
    const std::uint64_t id = client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4);
    return client.tcp_connect_polling(id, loopback(v1::IP_ADDRESS_FAMILY_IPV4, peer.port()));
  };
  ASSERT_EQ(connect(), v1::ERROR_CODE_UNSPECIFIED) << "an idle connection was refused";
  const int far_end = ::accept4(peer.fd(), nullptr, nullptr, SOCK_CLOEXEC);
  ASSERT_GE(far_end, 0);
  const std::string burst(512 * 1024, 'x');  // more than the quota, less than the read window
  ASSERT_EQ(::send(far_end, burst.data(), burst.size(), 0), static_cast<ssize_t>(burst.size()));
  // Once the daemon has read past the quota for this tenant, new connections would-block.
  v1::ErrorCode second = v1::ERROR_CODE_UNSPECIFIED;
  for (int retry = 0; retry < 100 && second != v1::ERROR_CODE_WOULD_BLOCK; ++retry) {
    std::this_thread::sleep_for(20ms);
    second = connect();
  }
  EXPECT_EQ(second, v1::ERROR_CODE_WOULD_BLOCK) << "buffered bytes past the quota were not charged";
  ::close(far_end);
}

}  // namespace
}  // namespace wasi_socketd::testing
