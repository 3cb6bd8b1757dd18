// UdpSocket against a real broker: bind, stream generations, datagrams, options, both families.
#include "wasi_socketd/client/udp_socket.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "session_fixture.h"

namespace wasi_socketd::testing {
namespace {

using client::ErrorCode;
using client::UdpOption;
using client::UdpSocket;

class UdpSocketTest : public FamilyTest {
 protected:
  UdpSocket bound() {
    auto s = UdpSocket::create(session_, family());
    EXPECT_TRUE(s);
    EXPECT_TRUE(s->start_bind(session_->network_id(), loopback(family())));
    EXPECT_TRUE(s->finish_bind());
    return std::move(*s);
  }

  std::vector<client::IncomingDatagram> receive_n(UdpSocket& s, std::uint64_t generation,
                                                  std::size_t n) {
    std::vector<client::IncomingDatagram> all;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (all.size() < n && std::chrono::steady_clock::now() < deadline) {
      session_->wait_until(
          [&](const client::Mirror& m) { return m.ready(s.id(), client::ReadinessKind::kReceive); },
          deadline);
      auto got = s.receive(generation, n - all.size());
      if (!got) break;
      for (auto& d : *got) all.push_back(std::move(d));
    }
    return all;
  }
};

std::span<const std::uint8_t> bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

TEST_P(UdpSocketTest, UnboundStates) {
  auto s = UdpSocket::create(session_, family());
  ASSERT_TRUE(s);
  EXPECT_EQ(s->finish_bind().error(), ErrorCode::kNotInProgress);
  EXPECT_EQ(s->stream(loopback(family(), 9)).error(), ErrorCode::kInvalidState);
  EXPECT_EQ(s->local_address().error(), ErrorCode::kInvalidState);
  EXPECT_EQ(s->remote_address().error(), ErrorCode::kInvalidState);
}

TEST_P(UdpSocketTest, BindToOtherFamilyIsInvalidArgument) {
  auto s = UdpSocket::create(session_, family());
  ASSERT_TRUE(s);
  EXPECT_EQ(s->start_bind(session_->network_id(), loopback(other_family())).error(),
            ErrorCode::kInvalidArgument);
}

TEST_P(UdpSocketTest, StreamRemoteFollowsLastCallAndNoneDisconnects) {
  UdpSocket a = bound();
  UdpSocket b = bound();
  ASSERT_TRUE(a.stream(*b.local_address()));
  EXPECT_EQ(*a.remote_address(), *b.local_address());
  ASSERT_TRUE(a.stream(std::nullopt));
  EXPECT_EQ(a.remote_address().error(), ErrorCode::kInvalidState);
  EXPECT_TRUE(a.local_address());  // still bound
  EXPECT_EQ(a.stream(loopback(family(), 0)).error(), ErrorCode::kInvalidArgument);
}

TEST_P(UdpSocketTest, DatagramsArriveInOrderFromTheSender) {
  UdpSocket server = bound();
  UdpSocket client = bound();
  auto server_gen = server.stream(std::nullopt);
  auto client_gen = client.stream(*server.local_address());
  ASSERT_TRUE(server_gen);
  ASSERT_TRUE(client_gen);
  const std::string empty, hello = "Hello, world!";
  const client::OutgoingDatagram batch[] = {{bytes(empty), std::nullopt},
                                            {bytes(hello), *server.local_address()}};
  auto sent = client.send(*client_gen, batch);
  ASSERT_TRUE(sent);
  EXPECT_EQ(*sent, 2u);
  auto got = receive_n(server, *server_gen, 2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_TRUE(got[0].data.empty());
  EXPECT_EQ(std::string(got[1].data.begin(), got[1].data.end()), hello);
  EXPECT_EQ(got[1].remote_address, *client.local_address());
}

TEST_P(UdpSocketTest, ReceiveZeroIsEmptyAndOldGenerationIsInvalidState) {
  UdpSocket s = bound();
  auto first = s.stream(std::nullopt);
  ASSERT_TRUE(first);
  auto none = s.receive(*first, 0);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  auto second = s.stream(std::nullopt);
  ASSERT_TRUE(second);
  EXPECT_EQ(s.receive(*first, 1).error(), ErrorCode::kInvalidState);
}

TEST_P(UdpSocketTest, OversizedDatagramIsTooLarge) {
  UdpSocket s = bound();
  auto gen = s.stream(std::nullopt);
  ASSERT_TRUE(gen);
  std::vector<std::uint8_t> big(65536);
  const client::OutgoingDatagram batch[] = {{big, *s.local_address()}};
  EXPECT_EQ(s.send(*gen, batch).error(), ErrorCode::kDatagramTooLarge);
}

TEST_P(UdpSocketTest, OptionsReadBackAndRejectZero) {
  UdpSocket s = bound();
  ASSERT_TRUE(s.set_option(UdpOption::kUnicastHopLimit, 42));
  EXPECT_EQ(*s.get_option(UdpOption::kUnicastHopLimit), 42u);
  ASSERT_TRUE(s.set_option(UdpOption::kReceiveBufferSize, 0x10000));
  EXPECT_EQ(*s.get_option(UdpOption::kReceiveBufferSize), 0x10000u);
  ASSERT_TRUE(s.set_option(UdpOption::kSendBufferSize, 0x10000));
  EXPECT_EQ(*s.get_option(UdpOption::kSendBufferSize), 0x10000u);
  for (UdpOption option :
       {UdpOption::kUnicastHopLimit, UdpOption::kReceiveBufferSize, UdpOption::kSendBufferSize}) {
    EXPECT_GT(*s.get_option(option), 0u);
    EXPECT_EQ(s.set_option(option, 0).error(), ErrorCode::kInvalidArgument);
  }
}

TEST_P(UdpSocketTest, StreamToUnspecifiedPortZeroWrongFamilyOrMappedIsInvalidArgument) {
  UdpSocket s = bound();
  const bool v4 = family() == client::AddressFamily::kIpv4;
  EXPECT_EQ(s.stream(parse_address(v4 ? "0.0.0.0" : "::", 80)).error(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.stream(loopback(family(), 0)).error(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.stream(loopback(other_family(), 80)).error(), ErrorCode::kInvalidArgument);
  if (!v4) {
    EXPECT_EQ(s.stream(parse_address("::ffff:127.0.0.1", 80)).error(), ErrorCode::kInvalidArgument);
  }
}

TEST_P(UdpSocketTest, SendToOtherThanConnectedPeerOrWithoutRemoteIsInvalidArgument) {
  UdpSocket peer = bound();
  UdpSocket stranger = bound();
  UdpSocket connected = bound();
  UdpSocket unconnected = bound();
  auto connected_gen = connected.stream(*peer.local_address());
  auto unconnected_gen = unconnected.stream(std::nullopt);
  ASSERT_TRUE(connected_gen);
  ASSERT_TRUE(unconnected_gen);
  const std::string x = "x";
  const client::OutgoingDatagram to_stranger[] = {{bytes(x), *stranger.local_address()}};
  EXPECT_EQ(connected.send(*connected_gen, to_stranger).error(), ErrorCode::kInvalidArgument);
  const client::OutgoingDatagram nowhere[] = {{bytes(x), std::nullopt}};
  EXPECT_EQ(unconnected.send(*unconnected_gen, nowhere).error(), ErrorCode::kInvalidArgument);
}

TEST_P(UdpSocketTest, UnconnectedSenderWithExplicitRemoteArrives) {
  UdpSocket server = bound();
  UdpSocket sender = bound();
  auto server_gen = server.stream(std::nullopt);
  auto sender_gen = sender.stream(std::nullopt);
  ASSERT_TRUE(server_gen);
  ASSERT_TRUE(sender_gen);
  const std::string hello = "hello";
  const client::OutgoingDatagram batch[] = {{bytes(hello), *server.local_address()}};
  ASSERT_EQ(*sender.send(*sender_gen, batch), 1u);
  auto got = receive_n(server, *server_gen, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].remote_address, *sender.local_address());
}

WSD_INSTANTIATE_FAMILIES(UdpSocketTest);

}  // namespace
}  // namespace wasi_socketd::testing
