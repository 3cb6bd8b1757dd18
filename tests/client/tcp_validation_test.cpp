// TCP address validation, states and options through the client library, IPv4 and IPv6: the
// error codes the WIT documents for each case.
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "tcp_fixture.h"

namespace wasi_socketd::testing {
namespace {

using client::ErrorCode;
using client::TcpOption;
using client::TcpSocket;

class TcpValidationTest : public TcpSocketTest {
 protected:
  bool v4() const { return family() == client::AddressFamily::kIpv4; }
  // Broadcast, multicast and IPv4-mapped: no TCP socket may bind or connect to them.
  std::vector<std::string> not_unicast() const {
    return v4() ? std::vector<std::string>{"255.255.255.255", "224.254.0.0"}
                : std::vector<std::string>{"ff00::", "::ffff:127.0.0.1"};
  }
};

TEST_P(TcpValidationTest, BindToSpecificFreePortYieldsExactlyThatAddress) {
  std::uint16_t port = 0;
  {
    TcpSocket probe = make();
    bind(probe, loopback(family()));
    port = probe.local_address()->port;
  }
  TcpSocket s = make();
  bind(s, loopback(family(), port));
  EXPECT_EQ(*s.local_address(), loopback(family(), port));
}

TEST_P(TcpValidationTest, BindToBroadcastMulticastOrMappedIsInvalidArgument) {
  for (const auto& ip : not_unicast()) {
    TcpSocket s = make();
    EXPECT_EQ(s.start_bind(session_->network_id(), parse_address(ip, 0)).error(),
              ErrorCode::kInvalidArgument)
        << ip;
  }
}

TEST_P(TcpValidationTest, ConnectToBroadcastMulticastOrMappedIsInvalidArgument) {
  for (const auto& ip : not_unicast()) {
    TcpSocket s = make();
    EXPECT_EQ(s.start_connect(session_->network_id(), parse_address(ip, 80)).error(),
              ErrorCode::kInvalidArgument)
        << ip;
  }
}

TEST_P(TcpValidationTest, BoundSocketStates) {
  TcpSocket s = make();
  bind(s, loopback(family()));
  EXPECT_EQ(s.start_bind(session_->network_id(), loopback(family())).error(),
            ErrorCode::kInvalidState);
  EXPECT_EQ(s.finish_bind().error(), ErrorCode::kNotInProgress);
  EXPECT_EQ(s.finish_connect().error(), ErrorCode::kNotInProgress);
  EXPECT_EQ(s.finish_listen().error(), ErrorCode::kNotInProgress);
  EXPECT_EQ(s.accept().error(), ErrorCode::kInvalidState);
  EXPECT_EQ(s.shutdown(client::ShutdownType::kBoth).error(), ErrorCode::kInvalidState);
  EXPECT_EQ(s.remote_address().error(), ErrorCode::kInvalidState);
  EXPECT_TRUE(s.local_address());
  EXPECT_TRUE(s.set_option(TcpOption::kKeepAliveEnabled, 1));
}

TEST_P(TcpValidationTest, StartWhileAnotherOperationIsInProgressIsConcurrencyConflict) {
  TcpSocket s = make();
  ASSERT_TRUE(s.start_bind(session_->network_id(), loopback(family())));
  EXPECT_EQ(s.start_bind(session_->network_id(), loopback(family())).error(),
            ErrorCode::kConcurrencyConflict);
  EXPECT_EQ(s.start_listen().error(), ErrorCode::kConcurrencyConflict);
  ASSERT_TRUE(s.finish_bind());
}

TEST_P(TcpValidationTest, ConnectedSocketStates) {
  TcpSocket l = listener();
  TcpSocket c = make();
  ASSERT_TRUE(connect_to(c, *l.local_address()));
  EXPECT_EQ(c.start_bind(session_->network_id(), loopback(family())).error(),
            ErrorCode::kInvalidState);
  EXPECT_EQ(c.start_connect(session_->network_id(), *l.local_address()).error(),
            ErrorCode::kInvalidState);
  EXPECT_EQ(c.start_listen().error(), ErrorCode::kInvalidState);
  EXPECT_EQ(c.finish_bind().error(), ErrorCode::kNotInProgress);
  EXPECT_EQ(c.finish_listen().error(), ErrorCode::kNotInProgress);
  EXPECT_EQ(c.accept().error(), ErrorCode::kInvalidState);
  EXPECT_TRUE(c.local_address());
  EXPECT_TRUE(c.remote_address());
}

TEST_P(TcpValidationTest, AfterAFailedConnectTheSocketIsClosed) {
  TcpSocket probe = make();
  bind(probe, loopback(family()));
  const auto closed_port = *probe.local_address();
  probe = make();
  TcpSocket c = make();
  ASSERT_FALSE(connect_to(c, closed_port));
  EXPECT_EQ(c.start_connect(session_->network_id(), closed_port).error(), ErrorCode::kInvalidState);
  EXPECT_EQ(c.start_listen().error(), ErrorCode::kInvalidState);
}

TEST_P(TcpValidationTest, OptionDefaultsAreReadableAndPositive) {
  TcpSocket s = make();
  EXPECT_TRUE(s.get_option(TcpOption::kKeepAliveEnabled));
  for (TcpOption option :
       {TcpOption::kKeepAliveIdleTime, TcpOption::kKeepAliveInterval, TcpOption::kKeepAliveCount,
        TcpOption::kHopLimit, TcpOption::kReceiveBufferSize, TcpOption::kSendBufferSize}) {
    auto value = s.get_option(option);
    ASSERT_TRUE(value) << static_cast<int>(option);
    EXPECT_GT(*value, 0u) << static_cast<int>(option);
  }
}

TEST_P(TcpValidationTest, LargestOptionValuesAreClampedNotRefused) {
  TcpSocket s = make();
  const auto u64max = std::numeric_limits<std::uint64_t>::max();
  const auto u32max = std::numeric_limits<std::uint32_t>::max();
  EXPECT_TRUE(s.set_option(TcpOption::kListenBacklogSize, u64max));
  EXPECT_TRUE(s.set_option(TcpOption::kKeepAliveIdleTime, u64max));
  EXPECT_TRUE(s.set_option(TcpOption::kKeepAliveInterval, u64max));
  EXPECT_TRUE(s.set_option(TcpOption::kKeepAliveCount, u32max));
  EXPECT_TRUE(s.set_option(TcpOption::kHopLimit, 255));
  EXPECT_TRUE(s.set_option(TcpOption::kReceiveBufferSize, u64max));
  EXPECT_TRUE(s.set_option(TcpOption::kSendBufferSize, u64max));
}

TEST_P(TcpValidationTest, BufferSizesReadBackExactly) {
  TcpSocket s = make();
  ASSERT_TRUE(s.set_option(TcpOption::kReceiveBufferSize, 0x10000));
  ASSERT_TRUE(s.set_option(TcpOption::kSendBufferSize, 0x10000));
  EXPECT_EQ(*s.get_option(TcpOption::kReceiveBufferSize), 0x10000u);
  EXPECT_EQ(*s.get_option(TcpOption::kSendBufferSize), 0x10000u);
}

TEST_P(TcpValidationTest, ListenerOptionsAreCarriedByAcceptedSockets) {
  TcpSocket l = listener();
  ASSERT_TRUE(l.set_option(TcpOption::kKeepAliveEnabled, 1));
  ASSERT_TRUE(l.set_option(TcpOption::kKeepAliveCount, 42));
  ASSERT_TRUE(l.set_option(TcpOption::kHopLimit, 42));
  TcpSocket c = make();
  ASSERT_TRUE(connect_to(c, *l.local_address()));
  ASSERT_TRUE(wait_ready(l.id(), client::ReadinessKind::kAccept));
  auto accepted = l.accept();
  ASSERT_TRUE(accepted);
  EXPECT_EQ(*accepted->socket.get_option(TcpOption::kKeepAliveEnabled), 1u);
  EXPECT_EQ(*accepted->socket.get_option(TcpOption::kKeepAliveCount), 42u);
  EXPECT_EQ(*accepted->socket.get_option(TcpOption::kHopLimit), 42u);
}

WSD_INSTANTIATE_FAMILIES(TcpValidationTest);

}  // namespace
}  // namespace wasi_socketd::testing
