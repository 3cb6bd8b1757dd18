#include "sockets/socket_address.h"

#include <gtest/gtest.h>
#include <netinet/in.h>

#include "test_support.h"

namespace wasi_socketd::sockets {
namespace {

using testing::address;

TEST(SocketAddress, SockaddrRoundTripKeepsEveryField) {
  SocketAddress v6 = address("fe80::1", 4242);
  v6.flow_info = 7;
  v6.scope_id = 3;
  for (const auto& original : {address("192.0.2.1", 80), v6}) {
    sockaddr_storage storage;
    const socklen_t length = to_sockaddr(original, storage);
    auto back = from_sockaddr(reinterpret_cast<const sockaddr*>(&storage), length);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, original);
  }
}

TEST(SocketAddress, FromSockaddrRejectsOtherFamiliesAndShortLengths) {
  sockaddr_storage storage{};
  storage.ss_family = AF_UNIX;
  EXPECT_FALSE(from_sockaddr(reinterpret_cast<const sockaddr*>(&storage), sizeof storage));
  storage.ss_family = AF_INET6;
  EXPECT_FALSE(from_sockaddr(reinterpret_cast<const sockaddr*>(&storage), sizeof(sockaddr_in)));
  EXPECT_FALSE(from_sockaddr(nullptr, 0));
}

TEST(SocketAddress, UnspecifiedAddressOfEachFamily) {
  EXPECT_EQ(unspecified_address(Family::ipv4, 5), address("0.0.0.0", 5));
  EXPECT_EQ(unspecified_address(Family::ipv6), address("::", 0));
}

TEST(BindAddressRules, AcceptsUnicastAndWildcardOfTheSocketFamily) {
  for (const char* ip : {"127.0.0.1", "0.0.0.0", "192.0.2.0"}) {
    EXPECT_TRUE(validate_bind_address(Family::ipv4, address(ip))) << ip;
  }
  for (const char* ip : {"::1", "::", "2001:db8::"}) {
    EXPECT_TRUE(validate_bind_address(Family::ipv6, address(ip))) << ip;
  }
}

TEST(BindAddressRules, RejectsTheOtherFamily) {
  EXPECT_EQ(validate_bind_address(Family::ipv4, address("::1")).error(),
            ErrorCode::invalid_argument);
  EXPECT_EQ(validate_bind_address(Family::ipv6, address("127.0.0.1")).error(),
            ErrorCode::invalid_argument);
}

TEST(BindAddressRules, RejectsBroadcastMulticastAndIpv4Mapped) {
  EXPECT_FALSE(validate_bind_address(Family::ipv4, address("255.255.255.255")));
  EXPECT_FALSE(validate_bind_address(Family::ipv4, address("224.254.0.0")));
  EXPECT_FALSE(validate_bind_address(Family::ipv6, address("ff00::")));
  EXPECT_EQ(validate_bind_address(Family::ipv6, address("::ffff:127.0.0.1")).error(),
            ErrorCode::invalid_argument);
  // Deprecated IPv4-compatible form, refused like the reference host does.
  EXPECT_FALSE(validate_bind_address(Family::ipv6, address("::127.0.0.1")));
}

TEST(ConnectAddressRules, RejectsUnspecifiedAndPortZero) {
  EXPECT_EQ(validate_connect_address(Family::ipv4, address("0.0.0.0", 47)).error(),
            ErrorCode::invalid_argument);
  EXPECT_EQ(validate_connect_address(Family::ipv6, address("::", 47)).error(),
            ErrorCode::invalid_argument);
  EXPECT_FALSE(validate_connect_address(Family::ipv4, address("127.0.0.1", 0)));
  EXPECT_TRUE(validate_connect_address(Family::ipv4, address("127.0.0.1", 47)));
  EXPECT_TRUE(validate_connect_address(Family::ipv6, address("::1", 47)));
}

TEST(ConnectAddressRules, RejectsOtherFamilyBroadcastMulticastAndMapped) {
  EXPECT_FALSE(validate_connect_address(Family::ipv4, address("::1", 47)));
  EXPECT_FALSE(validate_connect_address(Family::ipv6, address("127.0.0.1", 47)));
  EXPECT_FALSE(validate_connect_address(Family::ipv4, address("255.255.255.255", 47)));
  EXPECT_FALSE(validate_connect_address(Family::ipv4, address("224.0.0.1", 47)));
  EXPECT_FALSE(validate_connect_address(Family::ipv6, address("ff02::1", 47)));
  EXPECT_FALSE(validate_connect_address(Family::ipv6, address("::ffff:127.0.0.1", 47)));
}

TEST(UdpAddressRules, BindOnlyChecksFamilyAndMapping) {
  EXPECT_TRUE(validate_udp_bind_address(Family::ipv4, address("0.0.0.0")));
  EXPECT_TRUE(validate_udp_bind_address(Family::ipv4, address("224.0.0.1")));
  EXPECT_FALSE(validate_udp_bind_address(Family::ipv4, address("::")));
  EXPECT_FALSE(validate_udp_bind_address(Family::ipv6, address("::ffff:127.0.0.1")));
}

TEST(UdpAddressRules, RemoteMustBeASpecificPeerOfTheFamily) {
  EXPECT_TRUE(validate_udp_remote_address(Family::ipv4, address("127.0.0.1", 9)));
  EXPECT_FALSE(validate_udp_remote_address(Family::ipv4, address("0.0.0.0", 9)));
  EXPECT_FALSE(validate_udp_remote_address(Family::ipv6, address("::", 9)));
  EXPECT_FALSE(validate_udp_remote_address(Family::ipv4, address("127.0.0.1", 0)));
  EXPECT_FALSE(validate_udp_remote_address(Family::ipv4, address("::1", 9)));
  EXPECT_FALSE(validate_udp_remote_address(Family::ipv6, address("::ffff:127.0.0.1", 9)));
}

}  // namespace
}  // namespace wasi_socketd::sockets
