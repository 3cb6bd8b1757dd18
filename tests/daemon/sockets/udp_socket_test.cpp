// UDP cases of CONFORMANCE.md and udp.wit, on real loopback sockets.
#include "sockets/udp_socket.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace wasi_socketd::sockets {
namespace {

using testing::address;
using testing::bytes_of;
using testing::loopback;
using testing::text_of;

class UdpTest : public ::testing::TestWithParam<Family> {
 protected:
  Family family() const { return GetParam(); }
  const char* other_family_loopback() const {
    return family() == Family::ipv4 ? "::1" : "127.0.0.1";
  }

  std::shared_ptr<UdpSocket> make_socket() {
    auto socket = UdpSocket::create(io.strand(), family(), std::make_shared<AllowAllPolicy>());
    EXPECT_TRUE(socket);
    return socket ? *socket : nullptr;
  }
  Result<void> bind(UdpSocket& socket, const SocketAddress& local) {
    auto started = socket.start_bind(local);
    if (!started) return started;
    return socket.finish_bind();
  }
  std::shared_ptr<UdpSocket> make_bound() {
    auto socket = make_socket();
    EXPECT_TRUE(bind(*socket, loopback(family())));
    return socket;
  }
  // Receives until `count` datagrams arrived.
  std::vector<IncomingDatagram> receive(UdpSocket& socket, std::size_t count) {
    std::vector<IncomingDatagram> all;
    EXPECT_TRUE(io.run_until([&] {
      auto batch = socket.receive(count - all.size());
      EXPECT_TRUE(batch);
      if (batch) {
        for (auto& datagram : *batch) all.push_back(std::move(datagram));
      }
      return all.size() >= count;
    }));
    return all;
  }

  testing::IoFixture io;
};

TEST_P(UdpTest, BindToLoopbackOrWildcardPicksAPort) {
  for (const auto& ip : {loopback(family()).ip, unspecified_address(family()).ip}) {
    auto socket = make_socket();
    SocketAddress local;
    local.ip = ip;
    ASSERT_TRUE(bind(*socket, local));
    auto bound = socket->local_address();
    ASSERT_TRUE(bound);
    EXPECT_EQ(bound->ip, ip);
    EXPECT_NE(bound->port, 0);
  }
}

TEST_P(UdpTest, BindToTheAddressOfAnotherBoundSocketIsAddressInUse) {
  auto first = make_bound();
  auto second = make_socket();
  WASI_SOCKETD_EXPECT_ERROR(second->start_bind(*first->local_address()), ErrorCode::address_in_use);
}

TEST_P(UdpTest, BindToASpecificPortYieldsExactlyThatAddress) {
  std::uint16_t port;
  {
    auto probe = make_bound();
    port = probe->local_address()->port;
  }
  auto socket = make_socket();
  ASSERT_TRUE(bind(*socket, loopback(family(), port)));
  EXPECT_EQ(*socket->local_address(), loopback(family(), port));
}

TEST_P(UdpTest, BindErrors) {
  auto socket = make_socket();
  WASI_SOCKETD_EXPECT_ERROR(
      socket->start_bind(address(family() == Family::ipv4 ? "192.0.2.0" : "2001:db8::")),
      ErrorCode::address_not_bindable);
  WASI_SOCKETD_EXPECT_ERROR(socket->start_bind(address(other_family_loopback())),
                            ErrorCode::invalid_argument);
  if (family() == Family::ipv6) {
    WASI_SOCKETD_EXPECT_ERROR(socket->start_bind(address("::ffff:127.0.0.1")),
                              ErrorCode::invalid_argument);
  }
  EXPECT_EQ(socket->state(), UdpSocket::State::unbound);
}

TEST_P(UdpTest, UnboundState) {
  auto socket = make_socket();
  WASI_SOCKETD_EXPECT_ERROR(socket->finish_bind(), ErrorCode::not_in_progress);
  WASI_SOCKETD_EXPECT_ERROR(socket->stream(std::nullopt), ErrorCode::invalid_state);
  WASI_SOCKETD_EXPECT_ERROR(socket->stream(loopback(family(), 9)), ErrorCode::invalid_state);
  WASI_SOCKETD_EXPECT_ERROR(socket->local_address(), ErrorCode::invalid_state);
  WASI_SOCKETD_EXPECT_ERROR(socket->remote_address(), ErrorCode::invalid_state);
  EXPECT_EQ(socket->address_family(), family());
}

TEST_P(UdpTest, BindInProgress) {
  auto socket = make_socket();
  ASSERT_TRUE(socket->start_bind(loopback(family())));
  WASI_SOCKETD_EXPECT_ERROR(socket->start_bind(loopback(family())),
                            ErrorCode::concurrency_conflict);
  WASI_SOCKETD_EXPECT_ERROR(socket->stream(std::nullopt), ErrorCode::invalid_state);
  ASSERT_TRUE(socket->finish_bind());
  WASI_SOCKETD_EXPECT_ERROR(socket->finish_bind(), ErrorCode::not_in_progress);
  WASI_SOCKETD_EXPECT_ERROR(socket->start_bind(loopback(family())), ErrorCode::invalid_state);
}

TEST_P(UdpTest, RemoteAddressFollowsTheLastStreamCall) {
  // Bound to a specific address and to the wildcard, both with a kernel-chosen port.
  for (const auto& bind_to : {loopback(family()), unspecified_address(family())}) {
    auto socket = make_socket();
    ASSERT_TRUE(bind(*socket, bind_to));
    const auto local = *socket->local_address();
    ASSERT_TRUE(socket->stream(std::nullopt));
    WASI_SOCKETD_EXPECT_ERROR(socket->remote_address(), ErrorCode::invalid_state);
    ASSERT_TRUE(socket->stream(loopback(family(), 4000)));
    EXPECT_EQ(*socket->remote_address(), loopback(family(), 4000));
    ASSERT_TRUE(socket->stream(loopback(family(), 4001)));
    EXPECT_EQ(*socket->remote_address(), loopback(family(), 4001));
    // stream(none) disconnects but keeps the socket bound where it was.
    ASSERT_TRUE(socket->stream(std::nullopt));
    WASI_SOCKETD_EXPECT_ERROR(socket->remote_address(), ErrorCode::invalid_state);
    EXPECT_FALSE(socket->is_connected());
    EXPECT_EQ(*socket->local_address(), local);
  }
}

TEST_P(UdpTest, StreamRejectsInvalidRemotes) {
  auto socket = make_bound();
  std::vector<SocketAddress> bad = {unspecified_address(family(), 9), loopback(family(), 0),
                                    address(other_family_loopback(), 9)};
  if (family() == Family::ipv6) bad.push_back(address("::ffff:127.0.0.1", 9));
  for (const auto& remote : bad) {
    WASI_SOCKETD_EXPECT_ERROR(socket->stream(remote), ErrorCode::invalid_argument);
  }
}

TEST_P(UdpTest, OptionDefaultsZeroAndReadBack) {
  auto socket = make_socket();
  EXPECT_GT(*socket->unicast_hop_limit(), 0u);
  EXPECT_GT(*socket->receive_buffer_size(), 0u);
  EXPECT_GT(*socket->send_buffer_size(), 0u);
  WASI_SOCKETD_EXPECT_ERROR(socket->set_unicast_hop_limit(0), ErrorCode::invalid_argument);
  WASI_SOCKETD_EXPECT_ERROR(socket->set_receive_buffer_size(0), ErrorCode::invalid_argument);
  WASI_SOCKETD_EXPECT_ERROR(socket->set_send_buffer_size(0), ErrorCode::invalid_argument);
  ASSERT_TRUE(socket->set_unicast_hop_limit(42));
  EXPECT_EQ(*socket->unicast_hop_limit(), 42u);
  ASSERT_TRUE(socket->set_receive_buffer_size(0x10000));
  EXPECT_EQ(*socket->receive_buffer_size(), 0x10000u);
  ASSERT_TRUE(socket->set_send_buffer_size(0x10000));
  EXPECT_EQ(*socket->send_buffer_size(), 0x10000u);
  EXPECT_TRUE(socket->set_receive_buffer_size(UINT64_MAX));
}

TEST_P(UdpTest, DatagramsArriveInOrder) {
  auto receiver = make_bound();
  ASSERT_TRUE(receiver->stream(std::nullopt));
  auto sender = make_bound();
  ASSERT_TRUE(sender->stream(*receiver->local_address()));
  const auto one = bytes_of("1"), two = bytes_of("2");
  const OutgoingDatagram datagrams[] = {{one, std::nullopt}, {two, std::nullopt}};
  auto sent = sender->send(datagrams);
  ASSERT_TRUE(sent);
  EXPECT_EQ(*sent, 2u);
  auto received = receive(*receiver, 2);
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(text_of(received[0].data), "1");
  EXPECT_EQ(text_of(received[1].data), "2");
}

TEST_P(UdpTest, SampleApplication) {
  auto server = make_bound();
  ASSERT_TRUE(server->stream(std::nullopt));
  const auto server_address = *server->local_address();

  // A connected client: an empty datagram, then one with an explicit remote equal to the peer.
  auto client = make_bound();
  ASSERT_TRUE(client->stream(server_address));
  const auto hello = bytes_of("Hello, world!");
  const OutgoingDatagram first[] = {{{}, std::nullopt}, {hello, server_address}};
  ASSERT_EQ(*client->send(first), 2u);
  auto received = receive(*server, 2);
  ASSERT_EQ(received.size(), 2u);
  EXPECT_TRUE(received[0].data.empty());
  EXPECT_EQ(text_of(received[1].data), "Hello, world!");
  EXPECT_EQ(received[0].remote_address, *client->local_address());
  EXPECT_EQ(received[1].remote_address, *client->local_address());

  // An unconnected client with an explicit remote.
  auto other = make_bound();
  ASSERT_TRUE(other->stream(std::nullopt));
  const OutgoingDatagram second[] = {{hello, server_address}};
  ASSERT_EQ(*other->send(second), 1u);
  received = receive(*server, 1);
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].remote_address, *other->local_address());
}

TEST_P(UdpTest, SendErrors) {
  auto peer = make_bound();
  auto socket = make_bound();
  ASSERT_TRUE(socket->stream(std::nullopt));
  const auto small = bytes_of("x");
  const std::vector<std::byte> huge(65536);
  const OutgoingDatagram too_large[] = {{huge, *peer->local_address()}};
  WASI_SOCKETD_EXPECT_ERROR(socket->send(too_large), ErrorCode::datagram_too_large);
  const OutgoingDatagram no_remote[] = {{small, std::nullopt}};
  WASI_SOCKETD_EXPECT_ERROR(socket->send(no_remote), ErrorCode::invalid_argument);
  const OutgoingDatagram unspecified[] = {{small, unspecified_address(family(), 9)}};
  WASI_SOCKETD_EXPECT_ERROR(socket->send(unspecified), ErrorCode::invalid_argument);

  ASSERT_TRUE(socket->stream(*peer->local_address()));
  const OutgoingDatagram elsewhere[] = {{small, loopback(family(), 9)}};
  WASI_SOCKETD_EXPECT_ERROR(socket->send(elsewhere), ErrorCode::invalid_argument);
  EXPECT_EQ(*socket->send({}), 0u);
}

TEST_P(UdpTest, ALaterFailureEndsTheBatchEarly) {
  auto peer = make_bound();
  auto socket = make_bound();
  ASSERT_TRUE(socket->stream(*peer->local_address()));
  const auto small = bytes_of("x");
  const std::vector<std::byte> huge(70000);
  const OutgoingDatagram batch[] = {
      {small, std::nullopt}, {huge, std::nullopt}, {small, std::nullopt}};
  auto sent = socket->send(batch);
  ASSERT_TRUE(sent);
  EXPECT_EQ(*sent, 1u);
}

// Whatever the socket holds, one batch stays under kMaxReceiveBytesPerCall (its reply must fit
// the 8 MiB message limit) and the rest comes with later calls. The receive buffer is forced past
// rmem_max so that more than a batch is queued, as on a host with a large rmem_max.
TEST_P(UdpTest, AReceiveBatchIsBoundedInBytes) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for SO_RCVBUFFORCE";
  auto receiver = make_bound();
  const int forced = 64 << 20;
  ASSERT_EQ(
      ::setsockopt(receiver->extension_fd(), SOL_SOCKET, SO_RCVBUFFORCE, &forced, sizeof forced),
      0);
  auto sender = make_bound();
  ASSERT_TRUE(sender->stream(*receiver->local_address()));
  constexpr std::size_t kCount = 100, kSize = 60000;  // 6 MB queued, more than one batch
  const std::vector<std::byte> payload(kSize, std::byte{0x5a});
  for (std::size_t i = 0; i < kCount; ++i) {
    const OutgoingDatagram datagram[] = {{payload, std::nullopt}};
    ASSERT_EQ(*sender->send(datagram), 1u);
  }
  auto first = receiver->receive(UdpSocket::kMaxDatagramsPerCall);
  ASSERT_TRUE(first);
  std::size_t first_bytes = 0;
  for (const auto& datagram : *first) first_bytes += datagram.data.size();
  EXPECT_LE(first_bytes, UdpSocket::kMaxReceiveBytesPerCall);
  EXPECT_GT(first->size(), 0u);
  EXPECT_LT(first->size(), kCount);
  EXPECT_EQ(first->size() + receive(*receiver, kCount - first->size()).size(), kCount);
}

TEST_P(UdpTest, ReceiveNeverBlocks) {
  auto socket = make_bound();
  ASSERT_TRUE(socket->stream(std::nullopt));
  auto none = socket->receive(0);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  auto nothing_yet = socket->receive(10);
  ASSERT_TRUE(nothing_yet);
  EXPECT_TRUE(nothing_yet->empty());
}

TEST_P(UdpTest, AConnectedStreamOnlyReceivesFromItsPeer) {
  auto receiver = make_bound();
  auto peer = make_bound();
  auto stranger = make_bound();
  ASSERT_TRUE(peer->stream(std::nullopt));
  ASSERT_TRUE(stranger->stream(std::nullopt));
  // Queued before the connect: the kernel keeps it, the WIT says it must not be delivered.
  const auto from_stranger = bytes_of("stranger");
  const OutgoingDatagram stray[] = {{from_stranger, *receiver->local_address()}};
  ASSERT_EQ(*stranger->send(stray), 1u);
  io.run_until([] { return false; }, std::chrono::milliseconds(20));
  ASSERT_TRUE(receiver->stream(*peer->local_address()));
  const auto from_peer = bytes_of("peer");
  const OutgoingDatagram expected[] = {{from_peer, *receiver->local_address()}};
  ASSERT_EQ(*peer->send(expected), 1u);
  auto received = receive(*receiver, 1);
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(text_of(received[0].data), "peer");
}

TEST_P(UdpTest, ReceiveReadinessIsReported) {
  testing::RecordingUdpObserver observer;
  auto receiver = make_bound();
  receiver->set_observer(&observer);
  ASSERT_TRUE(receiver->stream(std::nullopt));
  auto sender = make_bound();
  ASSERT_TRUE(sender->stream(*receiver->local_address()));
  const auto payload = bytes_of("ping");
  const OutgoingDatagram datagrams[] = {{payload, std::nullopt}};
  ASSERT_EQ(*sender->send(datagrams), 1u);
  ASSERT_TRUE(io.run_until([&] { return observer.ready == true; }));
  EXPECT_TRUE(receiver->receive_ready());
  ASSERT_EQ(receiver->receive(10)->size(), 1u);
  EXPECT_FALSE(receiver->receive_ready());
  ASSERT_TRUE(io.run_until([&] { return observer.ready == false; }));
}

INSTANTIATE_TEST_SUITE_P(BothFamilies, UdpTest, ::testing::Values(Family::ipv4, Family::ipv6),
                         testing::family_name);

}  // namespace
}  // namespace wasi_socketd::sockets
