// SocketHandle through TcpSocket and UdpSocket against a real broker: a move hands the broker
// socket over, an assignment over an owning handle drops what it held, drop is idempotent.
#include "wasi_socketd/client/socket_handle.h"

#include <gtest/gtest.h>

#include <utility>

#include "session_fixture.h"
#include "wasi_socketd/client/tcp_socket.h"
#include "wasi_socketd/client/udp_socket.h"

namespace wasi_socketd::testing {
namespace {

using client::ErrorCode;
using client::TcpSocket;
using client::UdpSocket;

class SocketHandleTest : public FamilyTest {
 protected:
  TcpSocket tcp() {
    auto s = TcpSocket::create(session_, family());
    EXPECT_TRUE(s);
    return std::move(*s);
  }

  UdpSocket udp() {
    auto s = UdpSocket::create(session_, family());
    EXPECT_TRUE(s);
    return std::move(*s);
  }
};

TEST_P(SocketHandleTest, MoveLeavesTheSourceEmptyAndHandsTheSocketOver) {
  TcpSocket source = tcp();
  ASSERT_TRUE(source.start_bind(session_->network_id(), loopback(family())));
  ASSERT_TRUE(source.finish_bind());
  const std::uint64_t id = source.id();

  TcpSocket moved(std::move(source));
  EXPECT_EQ(source.id(), 0u);  // NOLINT(bugprone-use-after-move): the moved-from state is tested
  EXPECT_TRUE(source.drop());  // NOLINT(bugprone-use-after-move): an empty handle drops nothing
  EXPECT_EQ(moved.id(), id);
  EXPECT_EQ(moved.family(), family());
  EXPECT_TRUE(moved.local_address());  // still bound: the move dropped nothing in the broker
}

// The bound port is free again only if the assignment dropped the socket that held it.
TEST_P(SocketHandleTest, MoveAssignmentDropsTheSocketItReplaced) {
  UdpSocket held = udp();
  ASSERT_TRUE(held.start_bind(session_->network_id(), loopback(family())));
  ASSERT_TRUE(held.finish_bind());
  auto port = held.local_address();
  ASSERT_TRUE(port);

  UdpSocket replacement = udp();
  const std::uint64_t replacement_id = replacement.id();
  held = std::move(replacement);
  EXPECT_EQ(held.id(), replacement_id);

  UdpSocket rebound = udp();
  ASSERT_TRUE(rebound.start_bind(session_->network_id(), *port));
  EXPECT_TRUE(rebound.finish_bind());
}

TEST_P(SocketHandleTest, DropIsIdempotentAndTheBrokerForgetsTheSocket) {
  TcpSocket s = tcp();
  const std::uint64_t id = s.id();
  EXPECT_TRUE(s.drop());
  EXPECT_EQ(s.id(), 0u);
  EXPECT_TRUE(s.drop());

  TcpSocket stale(session_, id, family());
  auto status = stale.finish_bind();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error(), ErrorCode::kInvalidArgument);  // an unknown id
}

WSD_INSTANTIATE_FAMILIES(SocketHandleTest);

}  // namespace
}  // namespace wasi_socketd::testing
