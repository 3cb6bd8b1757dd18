// Malformed wire addresses and enums are refused before they reach the socket core.
#include <gtest/gtest.h>

#include "daemon_process.h"
#include "test_client.h"

namespace wasi_socketd::testing {
namespace {

class AddressValidation : public ::testing::Test {
 protected:
  v1::ErrorCode tcp_bind_error(const v1::IpSocketAddress& address) {
    v1::TcpStartBindRequest bind;
    bind.set_socket_id(client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4));
    bind.set_network_id(client.network_id());
    *bind.mutable_local_address() = address;
    return client.call(client.tcp(), &v1::Tcp::Stub::StartBind, bind).error();
  }
  v1::ErrorCode tcp_connect_error(const v1::IpSocketAddress& address) {
    v1::TcpStartConnectRequest connect;
    connect.set_socket_id(client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV6));
    connect.set_network_id(client.network_id());
    *connect.mutable_remote_address() = address;
    return client.call(client.tcp(), &v1::Tcp::Stub::StartConnect, connect).error();
  }

  DaemonProcess daemon;
  TestClient client{daemon.target()};
};

TEST_F(AddressValidation, OctetLengthMustMatchTheFamily) {
  v1::IpSocketAddress address = loopback(v1::IP_ADDRESS_FAMILY_IPV4);
  address.mutable_address()->set_octets(std::string(3, '\x7f'));
  EXPECT_EQ(tcp_bind_error(address), v1::ERROR_CODE_INVALID_ARGUMENT);
  address.mutable_address()->set_octets(std::string(16, '\0'));
  EXPECT_EQ(tcp_bind_error(address), v1::ERROR_CODE_INVALID_ARGUMENT);
  v1::IpSocketAddress v6 = loopback(v1::IP_ADDRESS_FAMILY_IPV6, 80);
  v6.mutable_address()->set_octets(std::string(4, '\0'));
  EXPECT_EQ(tcp_connect_error(v6), v1::ERROR_CODE_INVALID_ARGUMENT);
}

TEST_F(AddressValidation, PortsAbove65535AreInvalid) {
  EXPECT_EQ(tcp_bind_error(loopback(v1::IP_ADDRESS_FAMILY_IPV4, 65536)),
            v1::ERROR_CODE_INVALID_ARGUMENT);
  EXPECT_EQ(tcp_connect_error(loopback(v1::IP_ADDRESS_FAMILY_IPV6, 0xffffffffu)),
            v1::ERROR_CODE_INVALID_ARGUMENT);
}

TEST_F(AddressValidation, UnspecifiedOrMissingFamilyIsInvalid) {
  v1::IpSocketAddress address = loopback(v1::IP_ADDRESS_FAMILY_IPV4);
  address.mutable_address()->set_family(v1::IP_ADDRESS_FAMILY_UNSPECIFIED);
  EXPECT_EQ(tcp_bind_error(address), v1::ERROR_CODE_INVALID_ARGUMENT);
  EXPECT_EQ(tcp_bind_error(v1::IpSocketAddress{}), v1::ERROR_CODE_INVALID_ARGUMENT);

  v1::TcpStartBindRequest no_address;
  no_address.set_socket_id(client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4));
  no_address.set_network_id(client.network_id());
  EXPECT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::StartBind, no_address).error(),
            v1::ERROR_CODE_INVALID_ARGUMENT);

  v1::ErrorCode error = v1::ERROR_CODE_UNSPECIFIED;
  EXPECT_EQ(client.create_tcp(v1::IP_ADDRESS_FAMILY_UNSPECIFIED, &error), 0u);
  EXPECT_EQ(error, v1::ERROR_CODE_INVALID_ARGUMENT);
  EXPECT_EQ(client.create_udp(static_cast<v1::IpAddressFamily>(7), &error), 0u);
  EXPECT_EQ(error, v1::ERROR_CODE_INVALID_ARGUMENT);
}

TEST_F(AddressValidation, UnknownEnumValuesAreInvalid) {
  std::uint64_t socket = client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4);
  v1::TcpShutdownRequest shutdown;
  shutdown.set_socket_id(socket);
  EXPECT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::Shutdown, shutdown).error(),
            v1::ERROR_CODE_INVALID_ARGUMENT);
  v1::TcpGetOptionRequest get;
  get.set_socket_id(socket);
  get.set_option(v1::TCP_OPTION_LISTEN_BACKLOG_SIZE);  // set-only in the WIT
  EXPECT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::GetOption, get).error(),
            v1::ERROR_CODE_INVALID_ARGUMENT);
  v1::TcpSetOptionRequest set;
  set.set_socket_id(socket);
  set.set_option(v1::TCP_OPTION_HOP_LIMIT);
  set.set_value(256);
  EXPECT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::SetOption, set).error(),
            v1::ERROR_CODE_INVALID_ARGUMENT);
  set.set_option(static_cast<v1::TcpOption>(99));
  set.set_value(1);
  EXPECT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::SetOption, set).error(),
            v1::ERROR_CODE_INVALID_ARGUMENT);
}

}  // namespace
}  // namespace wasi_socketd::testing
