// Readiness events and unary responses cross on different streams; the client keeps whichever
// has the newer version. Over many iterations, a client that blocks on its mirror must never miss
// a wake-up (it would hang here) nor be told "ready" when the call then says would-block.
#include <gtest/gtest.h>

#include "daemon_process.h"
#include "test_client.h"

namespace wasi_socketd::testing {
namespace {

// What the adapter keeps per (resource, kind): the level of the newest version seen.
struct Mirror {
  bool ready = false;
  std::uint64_t version = 0;
  void see(bool level, std::uint64_t seen_version) {
    if (seen_version > version) {
      ready = level;
      version = seen_version;
    }
  }
};

// Consumes readiness events of (id, kind) until the mirror says ready.
bool wait_ready(TestClient& client, std::uint64_t id, v1::ReadinessKind kind, Mirror& mirror) {
  while (!mirror.ready) {
    auto event = client.wait_for([&](const v1::ServerItem& item) {
      return item.has_readiness() && item.readiness().resource_id() == id &&
             item.readiness().kind() == kind;
    });
    if (!event) {
      return false;
    }
    mirror.see(event->readiness().ready(), event->readiness().version());
  }
  return true;
}

class ReadinessRace : public ::testing::TestWithParam<v1::IpAddressFamily> {};

TEST_P(ReadinessRace, AcceptAndConnectReadinessNeverLoseAWakeUp) {
  DaemonProcess daemon;
  TestClient client(daemon.target());
  ASSERT_TRUE(client.attach());
  const std::uint64_t network = client.network_id();
  std::uint32_t port = 0;
  const std::uint64_t listener = client.tcp_listener(GetParam(), &port);
  Mirror accept_mirror;

  constexpr int kIterations = 300;
  for (int i = 0; i < kIterations; ++i) {
    const std::uint64_t connector = client.create_tcp(GetParam());
    v1::TcpStartConnectRequest connect;
    connect.set_socket_id(connector);
    connect.set_network_id(network);
    *connect.mutable_remote_address() = loopback(GetParam(), port);
    ASSERT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::StartConnect, connect).error(),
              v1::ERROR_CODE_UNSPECIFIED);

    ASSERT_TRUE(wait_ready(client, listener, v1::READINESS_KIND_ACCEPT, accept_mirror))
        << "lost ACCEPT wake-up in iteration " << i;
    v1::TcpSocketRequest accept;
    accept.set_socket_id(listener);
    v1::TcpAcceptResponse accepted = client.call(client.tcp(), &v1::Tcp::Stub::Accept, accept);
    ASSERT_EQ(accepted.error(), v1::ERROR_CODE_UNSPECIFIED) << "iteration " << i;
    accept_mirror.see(accepted.accept().ready(), accepted.accept().version());

    Mirror connect_mirror;
    ASSERT_TRUE(wait_ready(client, connector, v1::READINESS_KIND_CONNECT, connect_mirror))
        << "lost CONNECT wake-up in iteration " << i;
    v1::TcpSocketRequest finish;
    finish.set_socket_id(connector);
    v1::TcpConnectionResponse connected =
        client.call(client.tcp(), &v1::Tcp::Stub::FinishConnect, finish);
    ASSERT_EQ(connected.error(), v1::ERROR_CODE_UNSPECIFIED) << "iteration " << i;
    EXPECT_TRUE(connected.connect().ready());
    EXPECT_GT(connected.streams().write_permit(), 0u);

    for (std::uint64_t id : {connector, accepted.socket_id()}) {
      v1::TcpDropRequest drop;
      drop.set_socket_id(id);
      ASSERT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::Drop, drop).error(),
                v1::ERROR_CODE_UNSPECIFIED);
    }
  }
  // Nothing is pending now: accept says would-block, and its readiness says not ready.
  v1::TcpSocketRequest accept;
  accept.set_socket_id(listener);
  v1::TcpAcceptResponse none = client.call(client.tcp(), &v1::Tcp::Stub::Accept, accept);
  EXPECT_EQ(none.error(), v1::ERROR_CODE_WOULD_BLOCK);
  accept_mirror.see(none.accept().ready(), none.accept().version());
  EXPECT_FALSE(accept_mirror.ready);
}

TEST_P(ReadinessRace, FinishConnectBeforeCompletionIsWouldBlockOrDone) {
  DaemonProcess daemon;
  TestClient client(daemon.target());
  ASSERT_TRUE(client.attach());
  std::uint32_t port = 0;
  client.tcp_listener(GetParam(), &port);
  const std::uint64_t connector = client.create_tcp(GetParam());
  v1::TcpStartConnectRequest connect;
  connect.set_socket_id(connector);
  connect.set_network_id(client.network_id());
  *connect.mutable_remote_address() = loopback(GetParam(), port);
  ASSERT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::StartConnect, connect).error(),
            v1::ERROR_CODE_UNSPECIFIED);
  v1::TcpSocketRequest finish;
  finish.set_socket_id(connector);
  Mirror mirror;
  for (;;) {
    v1::TcpConnectionResponse response =
        client.call(client.tcp(), &v1::Tcp::Stub::FinishConnect, finish);
    mirror.see(response.connect().ready(), response.connect().version());
    if (response.error() == v1::ERROR_CODE_UNSPECIFIED) {
      break;
    }
    ASSERT_EQ(response.error(), v1::ERROR_CODE_WOULD_BLOCK);
    EXPECT_FALSE(response.connect().ready());
    ASSERT_TRUE(wait_ready(client, connector, v1::READINESS_KIND_CONNECT, mirror));
  }
  EXPECT_TRUE(mirror.ready);
}

INSTANTIATE_TEST_SUITE_P(Families, ReadinessRace,
                         ::testing::Values(v1::IP_ADDRESS_FAMILY_IPV4, v1::IP_ADDRESS_FAMILY_IPV6));

}  // namespace
}  // namespace wasi_socketd::testing
