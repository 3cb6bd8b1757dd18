// Local answers (docs/PROTOCOL.md "Getters"): the getters the client answers from its mirror agree
// with the broker's real kernel socket (read with getsockopt/getsockname through DaemonSockets),
// after create, set, bind, connect, listen and accept, and they make no RPC. Setters are checked
// locally and pipelined, and every later call sees their effect.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <limits>

#include "daemon_sockets.h"
#include "loopback_listener.h"
#include "tcp_fixture.h"
#include "wasi_socketd/client/udp_socket.h"

namespace wasi_socketd::testing {
namespace {

using client::ErrorCode;
using client::TcpOption;
using client::UdpOption;

constexpr TcpOption kTcpGetters[] = {TcpOption::kKeepAliveEnabled,  TcpOption::kKeepAliveIdleTime,
                                     TcpOption::kKeepAliveInterval, TcpOption::kKeepAliveCount,
                                     TcpOption::kHopLimit,          TcpOption::kReceiveBufferSize,
                                     TcpOption::kSendBufferSize};
constexpr UdpOption kUdpGetters[] = {UdpOption::kUnicastHopLimit, UdpOption::kReceiveBufferSize,
                                     UdpOption::kSendBufferSize};

bool is_buffer(TcpOption option) {
  return option == TcpOption::kReceiveBufferSize || option == TcpOption::kSendBufferSize;
}

// A socket made the way the broker makes its own (IPv6 sockets are v6-only).
int native_socket(client::AddressFamily family, int type) {
  const bool v4 = family == client::AddressFamily::kIpv4;
  const int fd = ::socket(v4 ? AF_INET : AF_INET6, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (!v4) {
    const int on = 1;
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
  }
  return fd;
}

class LocalAnswersTest : public TcpSocketTest {
 protected:
  // Every option getter of `s` equals the kernel's answer on the broker's socket `fd`.
  void expect_getters_match(client::TcpSocket& s, int fd) {
    for (TcpOption option : kTcpGetters) {
      auto answer = s.get_option(option);
      ASSERT_TRUE(answer) << "option " << static_cast<int>(option);
      EXPECT_EQ(*answer, kernel_answer(fd, family(), option))
          << "option " << static_cast<int>(option);
    }
  }
  void expect_getters_match(client::UdpSocket& s, int fd) {
    for (UdpOption option : kUdpGetters) {
      auto answer = s.get_option(option);
      ASSERT_TRUE(answer) << "option " << static_cast<int>(option);
      EXPECT_EQ(*answer, kernel_answer(fd, family(), option))
          << "option " << static_cast<int>(option);
    }
  }
  // Unary calls made by `work` (the pipelined setters' calls count too: wait for them first).
  template <typename Work>
  std::uint64_t calls_of(Work&& work) {
    const std::uint64_t before = session_->unary_calls();
    work();
    return session_->unary_calls() - before;
  }
  DaemonSockets& daemon() {
    if (!daemon_) daemon_.emplace(broker_->pid());
    return *daemon_;
  }
  std::optional<DaemonSockets> daemon_;
};

TEST_P(LocalAnswersTest, NewSocketAnswersAsANativeSocketWithNoCall) {
  client::TcpSocket s = make();
  const int native = native_socket(family(), SOCK_STREAM);
  ASSERT_GE(native, 0);
  const std::uint64_t calls = calls_of([&] {
    expect_getters_match(s, native);
    EXPECT_EQ(s.local_address().error(), ErrorCode::kInvalidState);
    EXPECT_EQ(s.remote_address().error(), ErrorCode::kInvalidState);
    EXPECT_FALSE(*s.is_listening());
  });
  EXPECT_EQ(calls, 0u);
  ::close(native);
}

TEST_P(LocalAnswersTest, SettersAreSeenAtOnceAndMatchTheKernelAfterBind) {
  client::TcpSocket s = make();
  const std::uint64_t setter_calls = calls_of([&] {
    ASSERT_TRUE(s.set_option(TcpOption::kKeepAliveEnabled, 1));
    ASSERT_TRUE(s.set_option(TcpOption::kKeepAliveIdleTime, 5'500'000'000));  // kernel: 6 s
    ASSERT_TRUE(s.set_option(TcpOption::kKeepAliveInterval, 1));              // kernel: 1 s
    ASSERT_TRUE(s.set_option(TcpOption::kKeepAliveCount, 1000));              // kernel: 127
    ASSERT_TRUE(s.set_option(TcpOption::kHopLimit, 7));
    // Predicted locally from the broker's rules, before any reply.
    EXPECT_EQ(*s.get_option(TcpOption::kKeepAliveIdleTime), 6'000'000'000u);
    EXPECT_EQ(*s.get_option(TcpOption::kKeepAliveInterval), 1'000'000'000u);
    EXPECT_EQ(*s.get_option(TcpOption::kKeepAliveCount), 127u);
    EXPECT_EQ(*s.get_option(TcpOption::kHopLimit), 7u);
  });
  // The guest's thread made none of the setters' calls (the pipelined thread may have begun).
  EXPECT_LE(setter_calls, 5u);
  // Sizes the kernel raises (to its minimum) and doubles: the reply brings the effective value.
  ASSERT_TRUE(s.set_option(TcpOption::kReceiveBufferSize, 1));
  ASSERT_TRUE(s.set_option(TcpOption::kSendBufferSize, 100'000));
  const auto receive = s.get_option(TcpOption::kReceiveBufferSize);
  ASSERT_TRUE(receive);
  EXPECT_NE(*receive, 1u) << "the kernel's minimum, not the value asked for";

  bind(s, loopback(family()));
  auto local = s.local_address();
  ASSERT_TRUE(local);
  EXPECT_EQ(local->address, loopback(family()).address);
  ASSERT_NE(local->port, 0);
  const int fd = daemon().find(SOCK_STREAM, local->port);
  ASSERT_GE(fd, 0);
  expect_getters_match(s, fd);
  EXPECT_EQ(calls_of([&] {
              expect_getters_match(s, fd);
              EXPECT_TRUE(s.local_address());
            }),
            0u);
}

TEST_P(LocalAnswersTest, ASetterReachesTheKernelBeforeTheNextKernelCall) {
  client::TcpSocket s = make();
  bind(s, loopback(family()));
  // No getter in between: listen must still find the setters applied.
  ASSERT_TRUE(s.set_option(TcpOption::kReceiveBufferSize, 7000));
  ASSERT_TRUE(s.set_option(TcpOption::kKeepAliveIdleTime, 42'000'000'000));
  ASSERT_TRUE(s.start_listen());
  const int fd = daemon().find(SOCK_STREAM, s.local_address()->port);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(kernel_answer(fd, family(), TcpOption::kKeepAliveIdleTime), 42'000'000'000u);
  EXPECT_GE(kernel_answer(fd, family(), TcpOption::kReceiveBufferSize), 7000u);
  ASSERT_TRUE(s.finish_listen());
  EXPECT_TRUE(*s.is_listening());
  expect_getters_match(s, fd);
}

TEST_P(LocalAnswersTest, AcceptedSocketInheritsTheListenersOptionsAsTheKernelDoes) {
  client::TcpSocket server = make();
  bind(server, loopback(family()));
  ASSERT_TRUE(server.set_option(TcpOption::kKeepAliveEnabled, 1));
  ASSERT_TRUE(server.set_option(TcpOption::kKeepAliveIdleTime, 77'000'000'000));
  ASSERT_TRUE(server.set_option(TcpOption::kHopLimit, 33));
  ASSERT_TRUE(server.set_option(TcpOption::kReceiveBufferSize, 50'000));
  ASSERT_TRUE(server.start_listen());
  ASSERT_TRUE(server.finish_listen());
  const std::uint16_t port = server.local_address()->port;

  const int peer = native_socket(family(), SOCK_STREAM);
  sockaddr_storage storage{};
  socklen_t length = 0;
  if (family() == client::AddressFamily::kIpv4) {
    auto& a = reinterpret_cast<sockaddr_in&>(storage);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    length = sizeof a;
  } else {
    auto& a = reinterpret_cast<sockaddr_in6&>(storage);
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(port);
    a.sin6_addr = in6addr_loopback;
    length = sizeof a;
  }
  ::connect(peer, reinterpret_cast<sockaddr*>(&storage), length);
  ASSERT_TRUE(wait_ready(server.id(), client::ReadinessKind::kAccept));
  auto accepted = server.accept();
  ASSERT_TRUE(accepted);
  client::TcpSocket& s = accepted->socket;
  const std::uint16_t peer_port = kernel_local_port(peer);
  const int fd = daemon().find(SOCK_STREAM, port, peer_port);
  ASSERT_GE(fd, 0);

  EXPECT_EQ(*s.get_option(TcpOption::kKeepAliveEnabled), 1u);
  EXPECT_EQ(*s.get_option(TcpOption::kKeepAliveIdleTime), 77'000'000'000u);
  EXPECT_EQ(*s.get_option(TcpOption::kHopLimit), 33u);
  expect_getters_match(s, fd);
  EXPECT_EQ(s.local_address()->port, port);
  EXPECT_EQ(s.remote_address()->port, peer_port);
  EXPECT_FALSE(*s.is_listening());
  // The receive size was set on the listener, so the kernel does not tune it: local too.
  EXPECT_EQ(calls_of([&] {
              for (TcpOption option : kTcpGetters) {
                if (option != TcpOption::kSendBufferSize) {
                  EXPECT_TRUE(s.get_option(option));
                }
              }
              EXPECT_TRUE(s.local_address());
              EXPECT_TRUE(s.remote_address());
            }),
            0u);
  ::close(peer);
}

TEST_P(LocalAnswersTest, ConnectedSocketAgreesAndAsksOnlyForKernelTunedBufferSizes) {
  client::TcpSocket far = listener();
  const std::uint16_t far_port = far.local_address()->port;
  client::TcpSocket s = make();
  ASSERT_TRUE(connect_to(s, loopback(family(), far_port)));
  auto local = s.local_address();
  ASSERT_TRUE(local);
  const int fd = daemon().find(SOCK_STREAM, local->port, far_port);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(s.remote_address()->port, far_port);
  expect_getters_match(s, fd);
  for (TcpOption option : kTcpGetters) {
    EXPECT_EQ(calls_of([&] { EXPECT_TRUE(s.get_option(option)); }), is_buffer(option) ? 1u : 0u)
        << "option " << static_cast<int>(option);
  }
  // Once the guest sets a size, the kernel keeps it: local again.
  ASSERT_TRUE(s.set_option(TcpOption::kSendBufferSize, 64'000));
  EXPECT_TRUE(s.get_option(TcpOption::kSendBufferSize));
  EXPECT_EQ(calls_of([&] { EXPECT_TRUE(s.get_option(TcpOption::kSendBufferSize)); }), 0u);
  expect_getters_match(s, fd);
}

TEST_P(LocalAnswersTest, SettersAreRefusedLocallyAsTheBrokerWould) {
  client::TcpSocket s = make();
  EXPECT_EQ(calls_of([&] {
              EXPECT_EQ(s.set_option(TcpOption::kHopLimit, 0).error(), ErrorCode::kInvalidArgument);
              EXPECT_EQ(s.set_option(TcpOption::kHopLimit, 256).error(),
                        ErrorCode::kInvalidArgument);
              EXPECT_EQ(s.set_option(TcpOption::kKeepAliveCount, 1ull << 32).error(),
                        ErrorCode::kInvalidArgument);
              EXPECT_EQ(s.set_option(TcpOption::kReceiveBufferSize, 0).error(),
                        ErrorCode::kInvalidArgument);
              EXPECT_EQ(s.set_option(TcpOption::kKeepAliveEnabled, 2).error(),
                        ErrorCode::kInvalidArgument);
            }),
            0u);
  // While a connect is in progress the broker has no options to speak of: neither have we.
  LoopbackListener far;
  if (family() == client::AddressFamily::kIpv4) {
    ASSERT_TRUE(s.start_connect(session_->network_id(), loopback(family(), far.port())));
    EXPECT_EQ(calls_of([&] {
                EXPECT_EQ(s.set_option(TcpOption::kHopLimit, 9).error(), ErrorCode::kInvalidState);
                EXPECT_EQ(s.get_option(TcpOption::kHopLimit).error(), ErrorCode::kInvalidState);
              }),
              0u);
  }
}

TEST_P(LocalAnswersTest, AcceptWithNothingPendingIsAnsweredFromPushedReadiness) {
  client::TcpSocket l = listener();
  EXPECT_EQ(calls_of([&] {
              for (int i = 0; i < 10; ++i) EXPECT_EQ(l.accept().error(), ErrorCode::kWouldBlock);
            }),
            0u);
  // Once a connection is pending the push says so, and accept asks the broker.
  client::TcpSocket c = make();
  ASSERT_TRUE(connect_to(c, *l.local_address()));
  ASSERT_TRUE(wait_ready(l.id(), client::ReadinessKind::kAccept));
  EXPECT_TRUE(l.accept());
}

TEST_P(LocalAnswersTest, UdpGettersAgreeAfterCreateSetBindAndStream) {
  auto created = client::UdpSocket::create(session_, family());
  ASSERT_TRUE(created);
  client::UdpSocket& s = *created;
  const int native = native_socket(family(), SOCK_DGRAM);
  EXPECT_EQ(calls_of([&] {
              expect_getters_match(s, native);
              EXPECT_EQ(s.local_address().error(), ErrorCode::kInvalidState);
            }),
            0u);
  ::close(native);
  ASSERT_TRUE(s.set_option(UdpOption::kUnicastHopLimit, 9));
  ASSERT_TRUE(s.set_option(UdpOption::kReceiveBufferSize, 1));
  EXPECT_EQ(*s.get_option(UdpOption::kUnicastHopLimit), 9u);
  ASSERT_TRUE(s.start_bind(session_->network_id(), loopback(family())));
  ASSERT_TRUE(s.finish_bind());
  auto local = s.local_address();
  ASSERT_TRUE(local);
  const int fd = daemon().find(SOCK_DGRAM, local->port);
  ASSERT_GE(fd, 0);
  expect_getters_match(s, fd);
  ASSERT_TRUE(s.stream(loopback(family(), 9)));
  EXPECT_EQ(s.remote_address()->port, 9);
  EXPECT_EQ(calls_of([&] {
              expect_getters_match(s, fd);
              EXPECT_EQ(s.local_address()->port, kernel_local_port(fd));
              EXPECT_EQ(s.remote_address()->port, kernel_peer_port(fd));
            }),
            0u);
}

WSD_INSTANTIATE_FAMILIES(LocalAnswersTest);

}  // namespace
}  // namespace wasi_socketd::testing
