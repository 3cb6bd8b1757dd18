// The policy hook is asked before every syscall that would use an address; denials return
// access-denied without touching the kernel, denied accepts are reset, denied datagrams dropped.
#include "sockets/socket_policy.h"

#include <gtest/gtest.h>
#include <poll.h>

#include "raw_socket.h"
#include "sockets/udp_socket.h"
#include "tcp_test_support.h"

namespace wasi_socketd::sockets {
namespace {

using testing::bytes_of;
using testing::loopback;
using testing::RawSocket;
using testing::RecordingPolicy;
using testing::TcpTest;

class PolicyTest : public TcpTest {
 protected:
  std::shared_ptr<RecordingPolicy> policy = std::make_shared<RecordingPolicy>();

  // A loopback port that is free right now.
  std::uint16_t free_port() {
    auto probe = RawSocket::listen_on(family());
    return probe.local_address().port;
  }
  // Whether a socket without SO_REUSEADDR can bind `local` (nobody else holds it).
  bool kernel_port_free(const SocketAddress& local) {
    RawSocket raw(::socket(to_native(family()), SOCK_STREAM, 0));
    sockaddr_storage storage;
    const socklen_t length = to_sockaddr(local, storage);
    return ::bind(raw.fd(), reinterpret_cast<const sockaddr*>(&storage), length) == 0;
  }
  static bool readable(int fd) {
    pollfd poll_fd{fd, POLLIN, 0};
    return ::poll(&poll_fd, 1, 50) > 0;
  }
};

TEST_P(PolicyTest, DeniedBindIsAccessDeniedBeforeTheSyscall) {
  policy->denied = {{Use::bind, 0}};
  auto socket = make_socket(policy);
  const auto local = loopback(family(), free_port());
  WASI_SOCKETD_EXPECT_ERROR(socket->start_bind(local), ErrorCode::access_denied);
  EXPECT_EQ(socket->state(), TcpSocket::State::unbound);
  ASSERT_EQ(policy->questions.size(), 1u);
  EXPECT_EQ(policy->questions[0].protocol, Protocol::tcp);
  EXPECT_EQ(policy->questions[0].address, local);
  EXPECT_TRUE(kernel_port_free(local)) << "the kernel socket was bound anyway";
}

TEST_P(PolicyTest, ForeignAddressIsNotBindableWhateverThePolicy) {
  policy->denied = {{Use::bind, 0}};
  const SocketAddress foreign{
      boost::asio::ip::make_address(family() == Family::ipv4 ? "192.0.2.0" : "2001:db8::"), 0, 0,
      0};
  WASI_SOCKETD_EXPECT_ERROR(make_socket(policy)->start_bind(foreign),
                            ErrorCode::address_not_bindable);
  auto udp = *UdpSocket::create(io.strand(), family(), policy);
  WASI_SOCKETD_EXPECT_ERROR(udp->start_bind(foreign), ErrorCode::address_not_bindable);
  // A local address is the policy's to refuse.
  WASI_SOCKETD_EXPECT_ERROR(make_socket(policy)->start_bind(loopback(family())),
                            ErrorCode::access_denied);
}

TEST_P(PolicyTest, DeniedConnectIsAccessDeniedBeforeTheSyscall) {
  auto listener = RawSocket::listen_on(family());
  policy->denied = {{Use::connect, listener.local_address().port}};
  auto socket = make_socket(policy);
  WASI_SOCKETD_EXPECT_ERROR(socket->start_connect(listener.local_address()),
                            ErrorCode::access_denied);
  EXPECT_EQ(socket->state(), TcpSocket::State::unbound);
  EXPECT_FALSE(readable(listener.fd())) << "a connection reached the listener";
}

TEST_P(PolicyTest, ConnectOnAnUnboundSocketAsksForTheImplicitBind) {
  auto listener = RawSocket::listen_on(family());
  policy->denied = {{Use::bind, 0}};
  auto socket = make_socket(policy);
  WASI_SOCKETD_EXPECT_ERROR(socket->start_connect(listener.local_address()),
                            ErrorCode::access_denied);
  ASSERT_FALSE(policy->questions.empty());
  EXPECT_EQ(policy->questions[0].use, Use::bind);
  EXPECT_EQ(policy->questions[0].address, unspecified_address(family()));
  EXPECT_FALSE(readable(listener.fd()));
}

TEST_P(PolicyTest, ConnectOnABoundSocketAsksOnlyForTheRemote) {
  auto listener = make_listener();
  auto socket = make_bound(policy);
  policy->questions.clear();
  connect(*socket, *listener);
  ASSERT_EQ(policy->questions.size(), 1u);
  EXPECT_EQ(policy->questions[0].use, Use::connect);
  EXPECT_EQ(policy->questions[0].address, *listener->local_address());
}

TEST_P(PolicyTest, DeniedListenIsAccessDeniedBeforeTheSyscall) {
  auto socket = make_bound(policy);
  policy->denied = {{Use::listen, 0}};
  WASI_SOCKETD_EXPECT_ERROR(socket->start_listen(), ErrorCode::access_denied);
  EXPECT_EQ(socket->state(), TcpSocket::State::bound);
  auto client = RawSocket::connect_to(*socket->local_address());
  EXPECT_FALSE(client.valid()) << "the socket listens anyway";
}

TEST_P(PolicyTest, DeniedAcceptResetsTheConnectionAndGoesOn) {
  auto listener = make_listener(policy);
  policy->denied = {{Use::accept, 0}};
  auto refused = RawSocket::connect_to(*listener->local_address());
  ASSERT_TRUE(refused.valid());
  ASSERT_TRUE(io.run_until([&] { return listener->ready(); }));
  WASI_SOCKETD_EXPECT_ERROR(listener->accept(), ErrorCode::would_block);
  std::vector<std::byte> ignored;
  ASSERT_TRUE(readable(refused.fd()));
  EXPECT_EQ(refused.read_available(ignored), -ECONNRESET);

  policy->denied.clear();
  auto welcome = RawSocket::connect_to(*listener->local_address());
  auto accepted = accept_one(*listener);
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->remote_address()->port, welcome.local_address().port);
}

TEST_P(PolicyTest, UdpDenialsAndDroppedDatagrams) {
  auto udp = [&](std::shared_ptr<const SocketPolicy> with) {
    return *UdpSocket::create(io.strand(), family(), std::move(with));
  };
  auto receiver = udp(policy);
  ASSERT_TRUE(receiver->start_bind(loopback(family())));
  ASSERT_TRUE(receiver->finish_bind());
  ASSERT_TRUE(receiver->stream(std::nullopt));
  auto sender = udp(policy);
  ASSERT_TRUE(sender->start_bind(loopback(family())));
  ASSERT_TRUE(sender->finish_bind());
  ASSERT_TRUE(sender->stream(std::nullopt));
  const auto target = *receiver->local_address();
  const auto payload = bytes_of("denied?");
  const OutgoingDatagram datagram[] = {{payload, target}};

  policy->denied = {{Use::send, target.port}};
  WASI_SOCKETD_EXPECT_ERROR(sender->send(datagram), ErrorCode::access_denied);
  policy->denied = {{Use::connect, target.port}};
  WASI_SOCKETD_EXPECT_ERROR(sender->stream(target), ErrorCode::access_denied);

  // Received from a sender the tenant may not hear: dropped.
  policy->denied = {{Use::receive, sender->local_address()->port}};
  ASSERT_EQ(*sender->send(datagram), 1u);
  io.run_until([] { return false; }, std::chrono::milliseconds(20));
  auto received = receiver->receive(10);
  ASSERT_TRUE(received);
  EXPECT_TRUE(received->empty());

  policy->denied = {{Use::bind, 0}};
  auto unbound = udp(policy);
  WASI_SOCKETD_EXPECT_ERROR(unbound->start_bind(loopback(family())), ErrorCode::access_denied);
}

TEST_P(PolicyTest, NoPolicyMeansNoSocket) {
  WASI_SOCKETD_EXPECT_ERROR(TcpSocket::create(io.strand(), family(), nullptr),
                            ErrorCode::access_denied);
  WASI_SOCKETD_EXPECT_ERROR(UdpSocket::create(io.strand(), family(), nullptr),
                            ErrorCode::access_denied);
}

INSTANTIATE_TEST_SUITE_P(BothFamilies, PolicyTest, ::testing::Values(Family::ipv4, Family::ipv6),
                         testing::family_name);

}  // namespace
}  // namespace wasi_socketd::sockets
