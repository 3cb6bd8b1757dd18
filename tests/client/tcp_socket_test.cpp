// TcpSocket against a real broker: bind, connect, listen, states and options, IPv4 and IPv6.
#include "wasi_socketd/client/tcp_socket.h"

#include <gtest/gtest.h>

#include <chrono>

#include "tcp_fixture.h"

namespace wasi_socketd::testing {
namespace {

using client::ErrorCode;
using client::TcpOption;
using client::TcpSocket;
using Status = client::Status;

TEST_P(TcpSocketTest, BindToLoopbackAndWildcardGivesThatIpAndAPort) {
  for (const std::string& ip : family() == client::AddressFamily::kIpv4
                                   ? std::vector<std::string>{"127.0.0.1", "0.0.0.0"}
                                   : std::vector<std::string>{"::1", "::"}) {
    TcpSocket s = make();
    bind(s, parse_address(ip, 0));
    auto local = s.local_address();
    ASSERT_TRUE(local);
    EXPECT_EQ(local->address, parse_address(ip, 0).address);
    EXPECT_NE(local->port, 0);
  }
}

TEST_P(TcpSocketTest, BindToAListeningAddressIsAddressInUse) {
  TcpSocket l = listener();
  auto taken = l.local_address();
  ASSERT_TRUE(taken);
  TcpSocket s = make();
  Status status = s.start_bind(session_->network_id(), *taken);
  if (status) status = s.finish_bind();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error(), ErrorCode::kAddressInUse);
}

// An address this host does not have can never be bound: address-not-bindable, whatever the policy.
TEST_P(TcpSocketTest, BindToAddressNotOnThisHostIsNotBindable) {
  TcpSocket s = make();
  const auto address = family() == client::AddressFamily::kIpv4 ? parse_address("192.0.2.0", 0)
                                                                : parse_address("2001:db8::", 0);
  Status status = s.start_bind(session_->network_id(), address);
  if (status) status = s.finish_bind();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error(), ErrorCode::kAddressNotBindable);
}

TEST_P(TcpSocketTest, BindToOtherFamilyIsInvalidArgument) {
  TcpSocket s = make();
  Status status = s.start_bind(session_->network_id(), loopback(other_family()));
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error(), ErrorCode::kInvalidArgument);
}

TEST_P(TcpSocketTest, UnboundSocketStates) {
  TcpSocket s = make();
  EXPECT_EQ(s.finish_bind().error(), ErrorCode::kNotInProgress);
  EXPECT_EQ(s.finish_connect().error(), ErrorCode::kNotInProgress);
  EXPECT_EQ(s.finish_listen().error(), ErrorCode::kNotInProgress);
  EXPECT_EQ(s.start_listen().error(), ErrorCode::kInvalidState);
  EXPECT_EQ(s.accept().error(), ErrorCode::kInvalidState);
  EXPECT_EQ(s.shutdown(client::ShutdownType::kBoth).error(), ErrorCode::kInvalidState);
  EXPECT_EQ(s.local_address().error(), ErrorCode::kInvalidState);
  EXPECT_EQ(s.remote_address().error(), ErrorCode::kInvalidState);
  auto listening = s.is_listening();
  ASSERT_TRUE(listening);
  EXPECT_FALSE(*listening);
}

TEST_P(TcpSocketTest, ListeningSocketStates) {
  TcpSocket l = listener();
  EXPECT_EQ(l.start_bind(session_->network_id(), loopback(family())).error(),
            ErrorCode::kInvalidState);
  EXPECT_EQ(l.start_connect(session_->network_id(), loopback(family(), 80)).error(),
            ErrorCode::kInvalidState);
  EXPECT_EQ(l.start_listen().error(), ErrorCode::kInvalidState);
  EXPECT_EQ(l.finish_listen().error(), ErrorCode::kNotInProgress);
  EXPECT_EQ(l.remote_address().error(), ErrorCode::kInvalidState);
  EXPECT_EQ(l.accept().error(), ErrorCode::kWouldBlock);
  auto listening = l.is_listening();
  ASSERT_TRUE(listening);
  EXPECT_TRUE(*listening);
}

TEST_P(TcpSocketTest, ConnectToUnspecifiedOrPortZeroIsInvalidArgument) {
  TcpSocket s = make();
  const std::string any = family() == client::AddressFamily::kIpv4 ? "0.0.0.0" : "::";
  EXPECT_EQ(s.start_connect(session_->network_id(), parse_address(any, 47)).error(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.start_connect(session_->network_id(), loopback(family(), 0)).error(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.start_connect(session_->network_id(), loopback(other_family(), 80)).error(),
            ErrorCode::kInvalidArgument);
}

TEST_P(TcpSocketTest, ConnectAcceptAndBothAddressesAgree) {
  TcpSocket l = listener();
  auto listen_address = l.local_address();
  ASSERT_TRUE(listen_address);
  TcpSocket c = make();
  bind(c, loopback(family()));
  ASSERT_TRUE(connect_to(c, *listen_address));
  ASSERT_TRUE(wait_ready(l.id(), client::ReadinessKind::kAccept));
  EXPECT_TRUE(l.accept_ready());
  auto accepted = l.accept();
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->connection.local_address, *listen_address);
  EXPECT_EQ(accepted->connection.remote_address, *c.local_address());
  EXPECT_EQ(*c.remote_address(), *listen_address);
  EXPECT_EQ(c.start_listen().error(), ErrorCode::kInvalidState);
  EXPECT_EQ(c.finish_connect().error(), ErrorCode::kNotInProgress);
}

TEST_P(TcpSocketTest, ConnectToClosedPortIsRefused) {
  TcpSocket probe = make();
  bind(probe, loopback(family()));
  const auto closed_port = *probe.local_address();
  probe = make();  // drops the probe: nothing listens on closed_port
  TcpSocket c = make();
  ASSERT_TRUE(c.start_connect(session_->network_id(), closed_port));
  ASSERT_TRUE(wait_ready(c.id(), client::ReadinessKind::kConnect));
  EXPECT_TRUE(c.connect_ready());
  auto done = c.finish_connect();
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error(), ErrorCode::kConnectionRefused);
}

TEST_P(TcpSocketTest, OptionsReadBackExactly) {
  TcpSocket s = make();
  ASSERT_TRUE(s.set_option(TcpOption::kKeepAliveEnabled, 1));
  EXPECT_EQ(*s.get_option(TcpOption::kKeepAliveEnabled), 1u);
  ASSERT_TRUE(s.set_option(TcpOption::kKeepAliveEnabled, 0));
  EXPECT_EQ(*s.get_option(TcpOption::kKeepAliveEnabled), 0u);
  const std::uint64_t s42 = 42'000'000'000;
  ASSERT_TRUE(s.set_option(TcpOption::kKeepAliveIdleTime, s42));
  EXPECT_EQ(*s.get_option(TcpOption::kKeepAliveIdleTime), s42);
  ASSERT_TRUE(s.set_option(TcpOption::kKeepAliveInterval, s42));
  EXPECT_EQ(*s.get_option(TcpOption::kKeepAliveInterval), s42);
  ASSERT_TRUE(s.set_option(TcpOption::kKeepAliveCount, 42));
  EXPECT_EQ(*s.get_option(TcpOption::kKeepAliveCount), 42u);
  ASSERT_TRUE(s.set_option(TcpOption::kHopLimit, 42));
  EXPECT_EQ(*s.get_option(TcpOption::kHopLimit), 42u);
  ASSERT_TRUE(s.set_option(TcpOption::kListenBacklogSize, 32));
}

TEST_P(TcpSocketTest, ZeroOptionValuesAreInvalidArgument) {
  TcpSocket s = make();
  for (TcpOption option :
       {TcpOption::kListenBacklogSize, TcpOption::kKeepAliveIdleTime, TcpOption::kKeepAliveInterval,
        TcpOption::kKeepAliveCount, TcpOption::kHopLimit, TcpOption::kReceiveBufferSize,
        TcpOption::kSendBufferSize}) {
    auto status = s.set_option(option, 0);
    ASSERT_FALSE(status) << static_cast<int>(option);
    EXPECT_EQ(status.error(), ErrorCode::kInvalidArgument) << static_cast<int>(option);
  }
}

TEST_P(TcpSocketTest, SocketOfAnotherSessionIsUnknown) {
  TcpSocket mine = make();
  auto other = open_session();
  ASSERT_NE(other, nullptr);
  TcpSocket foreign(other, mine.id(), family());
  auto status = foreign.finish_bind();
  ASSERT_FALSE(status);
  EXPECT_NE(status.error(), ErrorCode::kNotInProgress);  // never reaches mine
}

WSD_INSTANTIATE_FAMILIES(TcpSocketTest);

}  // namespace
}  // namespace wasi_socketd::testing
