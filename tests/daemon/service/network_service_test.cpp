// wasi:sockets/network through the real daemon: a dropped network is unknown to the broker, as a
// dropped handle is to the guest (issue 9, item 6).
#include <gtest/gtest.h>

#include "daemon_process.h"
#include "test_client.h"

namespace wasi_socketd::testing {
namespace {

constexpr auto kIpv4 = v1::IP_ADDRESS_FAMILY_IPV4;

class NetworkService : public ::testing::Test {
 protected:
  v1::ErrorCode drop(std::uint64_t network) {
    v1::DropNetworkRequest request;
    request.set_network_id(network);
    return client.call(client.network(), &v1::Network::Stub::DropNetwork, request).error();
  }

  v1::ErrorCode bind(std::uint64_t network) {
    v1::TcpStartBindRequest request;
    request.set_socket_id(client.create_tcp(kIpv4));
    request.set_network_id(network);
    *request.mutable_local_address() = loopback(kIpv4);
    return client.call(client.tcp(), &v1::Tcp::Stub::StartBind, request).error();
  }

  v1::ErrorCode resolve(std::uint64_t network) {
    v1::ResolveAddressesRequest request;
    request.set_network_id(network);
    request.set_name("127.0.0.1");
    return client.call(client.lookup(), &v1::IpNameLookup::Stub::ResolveAddresses, request).error();
  }

  DaemonProcess daemon;
  TestClient client{daemon.target()};
};

TEST_F(NetworkService, InstanceNetworkNamesTheLiveNetwork) {
  const std::uint64_t network = client.network_id();
  EXPECT_NE(network, 0u);
  EXPECT_EQ(client.network_id(), network);
  EXPECT_EQ(bind(network), v1::ERROR_CODE_UNSPECIFIED);
}

TEST_F(NetworkService, ADroppedNetworkIsUnknown) {
  const std::uint64_t network = client.network_id();
  ASSERT_EQ(drop(network), v1::ERROR_CODE_UNSPECIFIED);
  EXPECT_EQ(bind(network), v1::ERROR_CODE_INVALID_ARGUMENT);
  EXPECT_EQ(resolve(network), v1::ERROR_CODE_INVALID_ARGUMENT);
  EXPECT_EQ(drop(network), v1::ERROR_CODE_INVALID_ARGUMENT);
  // Without a live network, id 0 (the proto default) names nothing either.
  EXPECT_EQ(bind(0), v1::ERROR_CODE_INVALID_ARGUMENT);
  EXPECT_EQ(drop(0), v1::ERROR_CODE_INVALID_ARGUMENT);
}

TEST_F(NetworkService, InstanceNetworkAfterADropHandsOutANewNetwork) {
  const std::uint64_t dropped = client.network_id();
  ASSERT_EQ(drop(dropped), v1::ERROR_CODE_UNSPECIFIED);
  const std::uint64_t fresh = client.network_id();
  EXPECT_NE(fresh, 0u);
  EXPECT_NE(fresh, dropped);
  EXPECT_EQ(bind(fresh), v1::ERROR_CODE_UNSPECIFIED);
  EXPECT_EQ(bind(dropped), v1::ERROR_CODE_INVALID_ARGUMENT);
}

}  // namespace
}  // namespace wasi_socketd::testing
