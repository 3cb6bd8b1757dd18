// Handles are session-scoped and unforgeable (DESIGN.md decision 2), checked at the gRPC level
// against the real daemon: foreign, unknown, reused and wrongly typed ids; quotas; one session
// misbehaving while another works.
#include <gtest/gtest.h>

#include <set>

#include "daemon_process.h"
#include "test_client.h"

namespace wasi_socketd::testing {
namespace {

constexpr auto kIpv4 = v1::IP_ADDRESS_FAMILY_IPV4;

v1::TcpSocketRequest tcp_request(std::uint64_t id) {
  v1::TcpSocketRequest request;
  request.set_socket_id(id);
  return request;
}

v1::UdpSocketRequest udp_request(std::uint64_t id) {
  v1::UdpSocketRequest request;
  request.set_socket_id(id);
  return request;
}

class Isolation : public ::testing::Test {
 protected:
  DaemonProcess daemon;
};

TEST_F(Isolation, IdsOfOneSessionAreUnknownInAnother) {
  TestClient a(daemon.target());
  TestClient b(daemon.target());
  std::uint64_t tcp = a.create_tcp(kIpv4);
  std::uint64_t udp = a.create_udp(kIpv4);
  ASSERT_NE(tcp, 0u);
  ASSERT_NE(udp, 0u);
  EXPECT_NE(a.network_id(), b.network_id());

  EXPECT_EQ(b.call(b.tcp(), &v1::Tcp::Stub::LocalAddress, tcp_request(tcp)).error(),
            v1::ERROR_CODE_INVALID_ARGUMENT);
  EXPECT_EQ(b.call(b.udp(), &v1::Udp::Stub::AddressFamily, udp_request(udp)).error(),
            v1::ERROR_CODE_INVALID_ARGUMENT);
  v1::TcpDropRequest drop;
  drop.set_socket_id(tcp);
  EXPECT_EQ(b.call(b.tcp(), &v1::Tcp::Stub::Drop, drop).error(), v1::ERROR_CODE_INVALID_ARGUMENT);
  // ... and B's attempt changed nothing for A.
  EXPECT_EQ(a.call(a.tcp(), &v1::Tcp::Stub::AddressFamily, tcp_request(tcp)).family(), kIpv4);
}

TEST_F(Isolation, NetworkOfAnotherSessionIsNotACapability) {
  TestClient a(daemon.target());
  TestClient b(daemon.target());
  std::uint64_t socket = a.create_tcp(kIpv4);
  v1::TcpStartBindRequest bind;
  bind.set_socket_id(socket);
  bind.set_network_id(b.network_id());
  *bind.mutable_local_address() = loopback(kIpv4);
  EXPECT_EQ(a.call(a.tcp(), &v1::Tcp::Stub::StartBind, bind).error(),
            v1::ERROR_CODE_INVALID_ARGUMENT);

  v1::ResolveAddressesRequest lookup;
  lookup.set_network_id(b.network_id());
  lookup.set_name("localhost");
  EXPECT_EQ(a.call(a.lookup(), &v1::IpNameLookup::Stub::ResolveAddresses, lookup).error(),
            v1::ERROR_CODE_INVALID_ARGUMENT);
}

TEST_F(Isolation, IdsAreNeverReusedWithinASession) {
  TestClient client(daemon.target());
  std::set<std::uint64_t> seen = {client.network_id()};
  for (int i = 0; i < 200; ++i) {
    std::uint64_t id = (i % 2 == 0) ? client.create_tcp(kIpv4) : client.create_udp(kIpv4);
    ASSERT_NE(id, 0u);
    EXPECT_TRUE(seen.insert(id).second) << "id " << id << " handed out twice";
    if (i % 2 == 0) {
      v1::TcpDropRequest drop;
      drop.set_socket_id(id);
      EXPECT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::Drop, drop).error(),
                v1::ERROR_CODE_UNSPECIFIED);
    } else {
      EXPECT_EQ(client.call(client.udp(), &v1::Udp::Stub::Drop, udp_request(id)).error(),
                v1::ERROR_CODE_UNSPECIFIED);
    }
    // A dropped id is dead at once.
    EXPECT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::IsListening, tcp_request(id)).error(),
              v1::ERROR_CODE_INVALID_ARGUMENT);
  }
}

TEST_F(Isolation, WrongResourceKindsAreInvalidArguments) {
  TestClient client(daemon.target());
  std::uint64_t tcp = client.create_tcp(kIpv4);
  std::uint64_t udp = client.create_udp(kIpv4);
  EXPECT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::LocalAddress, tcp_request(udp)).error(),
            v1::ERROR_CODE_INVALID_ARGUMENT);
  EXPECT_EQ(client.call(client.udp(), &v1::Udp::Stub::LocalAddress, udp_request(tcp)).error(),
            v1::ERROR_CODE_INVALID_ARGUMENT);
  EXPECT_EQ(client.call(client.udp(), &v1::Udp::Stub::Drop, udp_request(tcp)).error(),
            v1::ERROR_CODE_INVALID_ARGUMENT);
  // The network id is not a socket of either kind.
  EXPECT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::IsListening, tcp_request(client.network_id()))
                .error(),
            v1::ERROR_CODE_INVALID_ARGUMENT);
  // Both sockets are still alive and of their kind.
  EXPECT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::AddressFamily, tcp_request(tcp)).error(),
            v1::ERROR_CODE_UNSPECIFIED);
  EXPECT_EQ(client.call(client.udp(), &v1::Udp::Stub::AddressFamily, udp_request(udp)).error(),
            v1::ERROR_CODE_UNSPECIFIED);
}

TEST_F(Isolation, UnknownIdsAreInvalidArguments) {
  TestClient client(daemon.target());
  for (std::uint64_t id : {std::uint64_t{0}, std::uint64_t{1}, ~std::uint64_t{0}}) {
    EXPECT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::FinishBind, tcp_request(id)).error(),
              v1::ERROR_CODE_INVALID_ARGUMENT);
    v1::UdpReceiveRequest receive;
    receive.set_socket_id(id);
    receive.set_max_results(1);
    EXPECT_EQ(client.call(client.udp(), &v1::Udp::Stub::Receive, receive).error(),
              v1::ERROR_CODE_INVALID_ARGUMENT);
  }
  v1::DropNetworkRequest drop;
  drop.set_network_id(client.network_id() + 1);
  EXPECT_EQ(client.call(client.network(), &v1::Network::Stub::DropNetwork, drop).error(),
            v1::ERROR_CODE_INVALID_ARGUMENT);
}

TEST_F(Isolation, SocketQuotaAnswersNewSocketLimit) {
  TestClient client(daemon.target());
  // The default per-session limit follows the daemon's fd limit (docs/policy.md).
  v1::ErrorCode error = v1::ERROR_CODE_UNSPECIFIED;
  int created = 0;
  while (created < 1'000'000 && client.create_udp(kIpv4, &error) != 0) ++created;
  EXPECT_GT(created, 0);
  EXPECT_EQ(client.create_tcp(kIpv4, &error), 0u);
  EXPECT_EQ(error, v1::ERROR_CODE_NEW_SOCKET_LIMIT);
  // The quota is per session.
  TestClient other(daemon.target());
  EXPECT_NE(other.create_tcp(kIpv4), 0u);
}

TEST_F(Isolation, ASessionBreakingItsStreamDoesNotDisturbAnother) {
  TestClient good(daemon.target());
  ASSERT_TRUE(good.attach());
  std::uint64_t socket = good.create_tcp(kIpv4);
  {
    TestClient bad(daemon.target());
    ASSERT_TRUE(bad.attach());
    // Writes for ids it does not own, of absurd sizes, then credit for nothing, then vanish.
    v1::ClientFrame frame;
    v1::TcpWrite* write = frame.add_items()->mutable_tcp_write();
    write->set_socket_id(socket);
    write->set_data(std::string(1 << 20, 'x'));
    frame.add_items()->mutable_read_credit()->set_socket_id(socket);
    frame.mutable_items(1)->mutable_read_credit()->set_bytes(~std::uint64_t{0});
    bad.send(frame);
    bad.send(frame);
  }
  EXPECT_EQ(good.call(good.tcp(), &v1::Tcp::Stub::AddressFamily, tcp_request(socket)).family(),
            kIpv4);
  std::uint32_t port = 0;
  good.tcp_listener(kIpv4, &port);
  EXPECT_NE(port, 0u);
}

}  // namespace
}  // namespace wasi_socketd::testing
