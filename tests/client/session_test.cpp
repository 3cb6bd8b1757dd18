// Session: opening, what SessionOpened tells, and a broker that dies under a waiting client.
#include "wasi_socketd/client/session.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include "tcp_pair.h"

namespace wasi_socketd::testing {
namespace {

using namespace std::chrono_literals;

TEST(SessionOpenTest, MissingBrokerSocketFailsAtOnceWithItsPath) {
  std::string error;
  auto session = client::Session::open({"/nonexistent/wsd.sock"}, &error);
  EXPECT_EQ(session, nullptr);
  EXPECT_NE(error.find("/nonexistent/wsd.sock"), std::string::npos) << error;
}

TEST_F(SessionTest, OpenedCarriesNetworkAndLimits) {
  EXPECT_EQ(session_->opened().protocol_version(), 1u);
  EXPECT_NE(session_->network_id(), 0u);
  EXPECT_EQ(session_->opened().limits().max_datagram_size(), 65535u);
  EXPECT_TRUE(session_->alive());
}

TEST_F(SessionTest, TwoSessionsHaveTheirOwnConnections) {
  auto other = open_session();
  ASSERT_NE(other, nullptr);
  auto mine = client::TcpSocket::create(session_, client::AddressFamily::kIpv4);
  auto theirs = client::TcpSocket::create(other, client::AddressFamily::kIpv4);
  ASSERT_TRUE(mine);
  ASSERT_TRUE(theirs);
  other.reset();  // closing one session leaves the other working
  EXPECT_TRUE(mine->start_bind(session_->network_id(), loopback(client::AddressFamily::kIpv4)));
}

TEST_F(SessionTest, BrokerKilledWakesBlockedReaderAndLaterCallsFailFast) {
  TcpPair pair = TcpPair::connect(session_, client::AddressFamily::kIpv4);
  ASSERT_TRUE(pair.ok());
  client::TcpStreams in(session_, pair.server->id());
  auto blocked = std::async(std::launch::async, [&] {
    std::uint8_t buf[16];
    return in.blocking_read(buf).status;
  });
  ASSERT_EQ(blocked.wait_for(100ms), std::future_status::timeout);  // really blocked
  kill_broker();
  ASSERT_EQ(blocked.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(blocked.get(), client::StreamStatus::kSessionLost);
  EXPECT_FALSE(session_->alive());

  const auto start = std::chrono::steady_clock::now();
  auto created = client::TcpSocket::create(session_, client::AddressFamily::kIpv4);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error(), client::ErrorCode::kSessionLost);
  EXPECT_EQ(in.check_write().status, client::StreamStatus::kSessionLost);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

}  // namespace
}  // namespace wasi_socketd::testing
