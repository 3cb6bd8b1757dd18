// TCP bind and connect address cases of CONFORMANCE.md, on real loopback sockets.
#include <gtest/gtest.h>

#include "tcp_test_support.h"

namespace wasi_socketd::sockets {
namespace {

using testing::address;
using testing::loopback;
using testing::TcpTest;

class TcpAddressTest : public TcpTest {
 protected:
  const char* any() const { return family() == Family::ipv4 ? "0.0.0.0" : "::"; }
  const char* other_family_loopback() const {
    return family() == Family::ipv4 ? "::1" : "127.0.0.1";
  }
  Result<void> bind(TcpSocket& socket, const SocketAddress& local) {
    auto started = socket.start_bind(local);
    if (!started) return started;
    return socket.finish_bind();
  }
};

TEST_P(TcpAddressTest, BindToLoopbackOrWildcardPicksAPort) {
  for (const auto& ip : {loopback(family()).ip.to_string(), std::string(any())}) {
    auto socket = make_socket();
    ASSERT_TRUE(bind(*socket, address(ip)));
    auto local = socket->local_address();
    ASSERT_TRUE(local);
    EXPECT_EQ(local->ip.to_string(), ip);
    EXPECT_NE(local->port, 0);
  }
}

TEST_P(TcpAddressTest, BindToASpecificFreePortYieldsExactlyThatAddress) {
  std::uint16_t port;
  {
    auto probe = make_bound();
    port = probe->local_address()->port;
  }  // closed again: the port is free (SO_REUSEADDR: TIME_WAIT would not matter either)
  ASSERT_GE(port, 1024);
  auto socket = make_socket();
  ASSERT_TRUE(bind(*socket, loopback(family(), port)));
  EXPECT_EQ(*socket->local_address(), loopback(family(), port));
}

TEST_P(TcpAddressTest, BindingToTheAddressOfAListenerIsAddressInUse) {
  auto listener = make_listener();
  auto socket = make_socket();
  WASI_SOCKETD_EXPECT_ERROR(socket->start_bind(*listener->local_address()),
                            ErrorCode::address_in_use);
}

TEST_P(TcpAddressTest, AddressesNotOnThisHostAreNotBindable) {
  auto socket = make_socket();
  WASI_SOCKETD_EXPECT_ERROR(
      socket->start_bind(address(family() == Family::ipv4 ? "192.0.2.0" : "2001:db8::")),
      ErrorCode::address_not_bindable);
}

TEST_P(TcpAddressTest, BindRejectsOtherFamilyNonUnicastAndMapped) {
  auto socket = make_socket();
  WASI_SOCKETD_EXPECT_ERROR(socket->start_bind(address(other_family_loopback())),
                            ErrorCode::invalid_argument);
  const std::vector<std::string> bad =
      family() == Family::ipv4 ? std::vector<std::string>{"255.255.255.255", "224.254.0.0"}
                               : std::vector<std::string>{"ff00::", "::ffff:127.0.0.1"};
  for (const auto& ip : bad) {
    WASI_SOCKETD_EXPECT_ERROR(socket->start_bind(address(ip)), ErrorCode::invalid_argument);
  }
  EXPECT_EQ(socket->state(), TcpSocket::State::unbound);
}

TEST_P(TcpAddressTest, ConnectRejectsInvalidRemotesWithoutChangingState) {
  auto socket = make_socket();
  std::vector<SocketAddress> bad = {address(any(), 47), loopback(family(), 0),
                                    address(other_family_loopback(), 47)};
  if (family() == Family::ipv4) {
    bad.push_back(address("255.255.255.255", 47));
    bad.push_back(address("224.0.0.1", 47));
  } else {
    bad.push_back(address("ff02::1", 47));
    bad.push_back(address("::ffff:127.0.0.1", 47));
  }
  for (const auto& remote : bad) {
    WASI_SOCKETD_EXPECT_ERROR(socket->start_connect(remote), ErrorCode::invalid_argument);
    EXPECT_EQ(socket->state(), TcpSocket::State::unbound);
  }
}

TEST_P(TcpAddressTest, AClientBoundToLoopbackConnectsToALoopbackListener) {
  auto listener = make_listener();
  auto client = make_bound();
  const auto client_address = *client->local_address();
  connect(*client, *listener);
  EXPECT_EQ(*client->local_address(), client_address);
  auto server = accept_one(*listener);
  ASSERT_TRUE(server);
  EXPECT_EQ(*server->remote_address(), client_address);
}

INSTANTIATE_TEST_SUITE_P(BothFamilies, TcpAddressTest,
                         ::testing::Values(Family::ipv4, Family::ipv6), testing::family_name);

TEST(TcpIpv6, SocketsAreV6Only) {
  // A v6-only wildcard socket leaves the IPv4 wildcard's port free.
  testing::IoFixture io;
  auto policy = std::make_shared<AllowAllPolicy>();
  auto v6 = TcpSocket::create(io.strand(), Family::ipv6, policy);
  ASSERT_TRUE(v6);
  ASSERT_TRUE((*v6)->start_bind(address("::")));
  ASSERT_TRUE((*v6)->finish_bind());
  const auto port = (*v6)->local_address()->port;
  auto v4 = TcpSocket::create(io.strand(), Family::ipv4, policy);
  ASSERT_TRUE(v4);
  EXPECT_TRUE((*v4)->start_bind(address("0.0.0.0", port)));
}

}  // namespace
}  // namespace wasi_socketd::sockets
