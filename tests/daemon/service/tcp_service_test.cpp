// The Tcp service's mapping of the WIT methods onto the socket core, seen through gRPC: option
// enums, states, addresses of connected sockets, and an explicitly bound client.
#include <gtest/gtest.h>

#include "daemon_process.h"
#include "test_client.h"

namespace wasi_socketd::testing {
namespace {

class TcpService : public ::testing::TestWithParam<v1::IpAddressFamily> {
 protected:
  v1::TcpSocketRequest request(std::uint64_t id) {
    v1::TcpSocketRequest r;
    r.set_socket_id(id);
    return r;
  }
  v1::ErrorCode set(std::uint64_t id, v1::TcpOption option, std::uint64_t value) {
    v1::TcpSetOptionRequest r;
    r.set_socket_id(id);
    r.set_option(option);
    r.set_value(value);
    return client.call(client.tcp(), &v1::Tcp::Stub::SetOption, r).error();
  }
  v1::OptionValueResponse get(std::uint64_t id, v1::TcpOption option) {
    v1::TcpGetOptionRequest r;
    r.set_socket_id(id);
    r.set_option(option);
    return client.call(client.tcp(), &v1::Tcp::Stub::GetOption, r);
  }

  DaemonProcess daemon;
  TestClient client{daemon.target()};
};

TEST_P(TcpService, OptionsReadBackExactlyAndRefuseZero) {
  const std::uint64_t socket = client.create_tcp(GetParam());
  constexpr std::uint64_t kSecond = 1'000'000'000;
  const struct {
    v1::TcpOption option;
    std::uint64_t value;
  } cases[] = {
      {v1::TCP_OPTION_KEEP_ALIVE_IDLE_TIME, 42 * kSecond},
      {v1::TCP_OPTION_KEEP_ALIVE_INTERVAL, 42 * kSecond},
      {v1::TCP_OPTION_KEEP_ALIVE_COUNT, 42},
      {v1::TCP_OPTION_HOP_LIMIT, 42},
      {v1::TCP_OPTION_RECEIVE_BUFFER_SIZE, 0x10000},
      {v1::TCP_OPTION_SEND_BUFFER_SIZE, 0x10000},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(v1::TcpOption_Name(c.option));
    EXPECT_GT(get(socket, c.option).value(), 0u);
    EXPECT_EQ(set(socket, c.option, 0), v1::ERROR_CODE_INVALID_ARGUMENT);
    EXPECT_EQ(set(socket, c.option, c.value), v1::ERROR_CODE_UNSPECIFIED);
    EXPECT_EQ(get(socket, c.option).value(), c.value);
  }
  for (std::uint64_t enabled : {1u, 0u}) {
    EXPECT_EQ(set(socket, v1::TCP_OPTION_KEEP_ALIVE_ENABLED, enabled), v1::ERROR_CODE_UNSPECIFIED);
    EXPECT_EQ(get(socket, v1::TCP_OPTION_KEEP_ALIVE_ENABLED).value(), enabled);
  }
  EXPECT_EQ(set(socket, v1::TCP_OPTION_LISTEN_BACKLOG_SIZE, 0), v1::ERROR_CODE_INVALID_ARGUMENT);
  EXPECT_EQ(set(socket, v1::TCP_OPTION_LISTEN_BACKLOG_SIZE, 32), v1::ERROR_CODE_UNSPECIFIED);
  EXPECT_EQ(set(socket, v1::TCP_OPTION_KEEP_ALIVE_IDLE_TIME, ~std::uint64_t{0}),
            v1::ERROR_CODE_UNSPECIFIED);  // clamped, not refused
}

TEST_P(TcpService, StatesOfAnUnboundSocket) {
  const std::uint64_t socket = client.create_tcp(GetParam());
  EXPECT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::StartListen, request(socket)).error(),
            v1::ERROR_CODE_INVALID_STATE);
  EXPECT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::FinishBind, request(socket)).error(),
            v1::ERROR_CODE_NOT_IN_PROGRESS);
  EXPECT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::FinishConnect, request(socket)).error(),
            v1::ERROR_CODE_NOT_IN_PROGRESS);
  EXPECT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::Accept, request(socket)).error(),
            v1::ERROR_CODE_INVALID_STATE);
  EXPECT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::LocalAddress, request(socket)).error(),
            v1::ERROR_CODE_INVALID_STATE);
  EXPECT_FALSE(client.call(client.tcp(), &v1::Tcp::Stub::IsListening, request(socket)).value());
  EXPECT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::AddressFamily, request(socket)).family(),
            GetParam());
}

TEST_P(TcpService, ExplicitlyBoundClientConnectsAndBothEndsKnowTheirAddresses) {
  ASSERT_TRUE(client.attach());
  std::uint32_t port = 0;
  const std::uint64_t listener = client.tcp_listener(GetParam(), &port);
  EXPECT_TRUE(client.call(client.tcp(), &v1::Tcp::Stub::IsListening, request(listener)).value());
  const std::uint64_t connector = client.create_tcp(GetParam());
  ASSERT_EQ(client.tcp_bind(connector, loopback(GetParam())), v1::ERROR_CODE_UNSPECIFIED);
  const std::uint32_t client_port = client.tcp_local_address(connector).port();

  ASSERT_TRUE(client.tcp_start_connect_until_ready(connector, loopback(GetParam(), port)));
  v1::TcpConnectionResponse connected =
      client.call(client.tcp(), &v1::Tcp::Stub::FinishConnect, request(connector));
  ASSERT_EQ(connected.error(), v1::ERROR_CODE_UNSPECIFIED);
  EXPECT_EQ(connected.local_address().port(), client_port);
  EXPECT_EQ(connected.remote_address().port(), port);

  ASSERT_TRUE(client.wait_for([&](const v1::ServerItem& item) {
    return item.has_readiness() && item.readiness().resource_id() == listener &&
           item.readiness().ready();
  }));
  v1::TcpAcceptResponse accepted =
      client.call(client.tcp(), &v1::Tcp::Stub::Accept, request(listener));
  ASSERT_EQ(accepted.error(), v1::ERROR_CODE_UNSPECIFIED);
  EXPECT_EQ(accepted.local_address().port(), port);
  EXPECT_EQ(accepted.remote_address().port(), client_port);
  EXPECT_EQ(accepted.remote_address().address().family(), GetParam());
  EXPECT_GT(accepted.streams().write_permit(), 0u);
  // Connected: start-* is invalid-state, finish-* not-in-progress, accept invalid-state.
  EXPECT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::StartListen, request(connector)).error(),
            v1::ERROR_CODE_INVALID_STATE);
  EXPECT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::FinishConnect, request(connector)).error(),
            v1::ERROR_CODE_NOT_IN_PROGRESS);
  EXPECT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::Accept, request(connector)).error(),
            v1::ERROR_CODE_INVALID_STATE);
}

INSTANTIATE_TEST_SUITE_P(Families, TcpService,
                         ::testing::Values(v1::IP_ADDRESS_FAMILY_IPV4, v1::IP_ADDRESS_FAMILY_IPV6));

}  // namespace
}  // namespace wasi_socketd::testing
