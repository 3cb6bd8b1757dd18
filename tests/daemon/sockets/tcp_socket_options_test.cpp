// TCP option cases of CONFORMANCE.md: defaults, zero, clamping, exact read-back, inheritance.
#include <gtest/gtest.h>

#include <limits>

#include "tcp_test_support.h"

namespace wasi_socketd::sockets {
namespace {

using testing::TcpTest;

constexpr std::uint64_t kSecond = 1'000'000'000;

class TcpOptionsTest : public TcpTest {};

TEST_P(TcpOptionsTest, DefaultsAreReadableAndPositive) {
  auto socket = make_socket();
  EXPECT_TRUE(socket->keep_alive_enabled());
  EXPECT_GT(*socket->keep_alive_idle_time(), 0u);
  EXPECT_GT(*socket->keep_alive_interval(), 0u);
  EXPECT_GT(*socket->keep_alive_count(), 0u);
  EXPECT_GT(*socket->hop_limit(), 0u);
  EXPECT_GT(*socket->receive_buffer_size(), 0u);
  EXPECT_GT(*socket->send_buffer_size(), 0u);
}

TEST_P(TcpOptionsTest, ZeroIsInvalidArgument) {
  auto socket = make_socket();
  WASI_SOCKETD_EXPECT_ERROR(socket->set_listen_backlog_size(0), ErrorCode::invalid_argument);
  WASI_SOCKETD_EXPECT_ERROR(socket->set_keep_alive_idle_time(0), ErrorCode::invalid_argument);
  WASI_SOCKETD_EXPECT_ERROR(socket->set_keep_alive_interval(0), ErrorCode::invalid_argument);
  WASI_SOCKETD_EXPECT_ERROR(socket->set_keep_alive_count(0), ErrorCode::invalid_argument);
  WASI_SOCKETD_EXPECT_ERROR(socket->set_hop_limit(0), ErrorCode::invalid_argument);
  WASI_SOCKETD_EXPECT_ERROR(socket->set_receive_buffer_size(0), ErrorCode::invalid_argument);
  WASI_SOCKETD_EXPECT_ERROR(socket->set_send_buffer_size(0), ErrorCode::invalid_argument);
}

TEST_P(TcpOptionsTest, LargestValuesAreClampedNotRefused) {
  auto socket = make_socket();
  constexpr auto u64_max = std::numeric_limits<std::uint64_t>::max();
  EXPECT_TRUE(socket->set_listen_backlog_size(u64_max));
  EXPECT_TRUE(socket->set_keep_alive_idle_time(u64_max));
  EXPECT_TRUE(socket->set_keep_alive_interval(u64_max));
  EXPECT_TRUE(socket->set_keep_alive_count(std::numeric_limits<std::uint32_t>::max()));
  EXPECT_TRUE(socket->set_hop_limit(255));
  EXPECT_TRUE(socket->set_receive_buffer_size(u64_max));
  EXPECT_TRUE(socket->set_send_buffer_size(u64_max));
  EXPECT_GT(*socket->keep_alive_idle_time(), 0u);
  EXPECT_GT(*socket->receive_buffer_size(), 0u);
}

// Clamped to the kernel's largest, not wrapped: 2^64-1 ns once read back as 1 s.
TEST_P(TcpOptionsTest, LargestValuesReadBackAsTheKernelsLargest) {
  auto socket = make_socket();
  constexpr auto u64_max = std::numeric_limits<std::uint64_t>::max();
  constexpr std::uint64_t kLongestKeepAlive = 32767 * kSecond;  // Linux's MAX_TCP_KEEPIDLE/INTVL
  for (std::uint64_t ns : {u64_max, u64_max - kSecond + 2, kLongestKeepAlive + 1}) {
    ASSERT_TRUE(socket->set_keep_alive_idle_time(ns)) << ns;
    EXPECT_EQ(*socket->keep_alive_idle_time(), kLongestKeepAlive) << ns;
    ASSERT_TRUE(socket->set_keep_alive_interval(ns)) << ns;
    EXPECT_EQ(*socket->keep_alive_interval(), kLongestKeepAlive) << ns;
  }
  for (std::uint32_t count : {128u, std::numeric_limits<std::uint32_t>::max()}) {
    ASSERT_TRUE(socket->set_keep_alive_count(count)) << count;
    EXPECT_EQ(*socket->keep_alive_count(), 127u) << count;  // Linux's MAX_TCP_KEEPCNT
  }
  ASSERT_TRUE(socket->set_hop_limit(255));
  EXPECT_EQ(*socket->hop_limit(), 255u);
  const std::uint64_t default_receive = *socket->receive_buffer_size();
  ASSERT_TRUE(socket->set_receive_buffer_size(u64_max));
  EXPECT_GE(*socket->receive_buffer_size(), default_receive);
  const std::uint64_t default_send = *socket->send_buffer_size();
  ASSERT_TRUE(socket->set_send_buffer_size(u64_max));
  EXPECT_GE(*socket->send_buffer_size(), default_send);
}

TEST_P(TcpOptionsTest, SubSecondDurationsRoundUpToOneSecond) {
  auto socket = make_socket();
  ASSERT_TRUE(socket->set_keep_alive_idle_time(1));
  EXPECT_EQ(*socket->keep_alive_idle_time(), kSecond);
}

TEST_P(TcpOptionsTest, ReadBackIsExact) {
  auto socket = make_socket();
  ASSERT_TRUE(socket->set_keep_alive_enabled(true));
  EXPECT_TRUE(*socket->keep_alive_enabled());
  ASSERT_TRUE(socket->set_keep_alive_enabled(false));
  EXPECT_FALSE(*socket->keep_alive_enabled());
  ASSERT_TRUE(socket->set_keep_alive_idle_time(42 * kSecond));
  EXPECT_EQ(*socket->keep_alive_idle_time(), 42 * kSecond);
  ASSERT_TRUE(socket->set_keep_alive_interval(42 * kSecond));
  EXPECT_EQ(*socket->keep_alive_interval(), 42 * kSecond);
  ASSERT_TRUE(socket->set_keep_alive_count(42));
  EXPECT_EQ(*socket->keep_alive_count(), 42u);
  ASSERT_TRUE(socket->set_hop_limit(42));
  EXPECT_EQ(*socket->hop_limit(), 42u);
  ASSERT_TRUE(socket->set_receive_buffer_size(0x10000));
  EXPECT_EQ(*socket->receive_buffer_size(), 0x10000u);
  ASSERT_TRUE(socket->set_send_buffer_size(0x10000));
  EXPECT_EQ(*socket->send_buffer_size(), 0x10000u);
}

TEST_P(TcpOptionsTest, OptionsSetOnAListenerAreCarriedByTheNextAcceptedSocket) {
  auto listener = make_listener();
  ASSERT_TRUE(listener->set_keep_alive_enabled(true));
  ASSERT_TRUE(listener->set_keep_alive_idle_time(42 * kSecond));
  ASSERT_TRUE(listener->set_keep_alive_interval(43 * kSecond));
  ASSERT_TRUE(listener->set_keep_alive_count(44));
  ASSERT_TRUE(listener->set_hop_limit(45));
  ASSERT_TRUE(listener->set_receive_buffer_size(0x10000));
  ASSERT_TRUE(listener->set_send_buffer_size(0x10000));

  auto client = make_socket();
  connect(*client, *listener);
  auto accepted = accept_one(*listener);
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->address_family(), family());
  EXPECT_TRUE(*accepted->keep_alive_enabled());
  EXPECT_EQ(*accepted->keep_alive_idle_time(), 42 * kSecond);
  EXPECT_EQ(*accepted->keep_alive_interval(), 43 * kSecond);
  EXPECT_EQ(*accepted->keep_alive_count(), 44u);
  EXPECT_EQ(*accepted->hop_limit(), 45u);
  EXPECT_EQ(*accepted->receive_buffer_size(), 0x10000u);
  EXPECT_EQ(*accepted->send_buffer_size(), 0x10000u);
}

TEST_P(TcpOptionsTest, OptionsAreUnavailableWhileConnecting) {
  auto listener = make_listener();
  auto socket = make_socket();
  ASSERT_TRUE(socket->start_connect(*listener->local_address()));
  WASI_SOCKETD_EXPECT_ERROR(socket->hop_limit(), ErrorCode::invalid_state);
  WASI_SOCKETD_EXPECT_ERROR(socket->set_listen_backlog_size(5), ErrorCode::invalid_state);
}

INSTANTIATE_TEST_SUITE_P(BothFamilies, TcpOptionsTest,
                         ::testing::Values(Family::ipv4, Family::ipv6), testing::family_name);

}  // namespace
}  // namespace wasi_socketd::sockets
