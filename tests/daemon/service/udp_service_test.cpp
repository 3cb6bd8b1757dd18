// UDP through the broker: datagram round trips, stream generations, RECEIVE readiness on the
// Attach stream, and the datagram limits of the protocol.
#include <gtest/gtest.h>

#include "daemon_process.h"
#include "test_client.h"

namespace wasi_socketd::testing {
namespace {

class UdpService : public ::testing::TestWithParam<v1::IpAddressFamily> {
 protected:
  // A bound UDP socket; its stream generation after stream(remote) in `generation`.
  std::uint64_t bound_socket(std::uint32_t* port) {
    std::uint64_t socket = client.create_udp(GetParam());
    v1::UdpStartBindRequest bind;
    bind.set_socket_id(socket);
    bind.set_network_id(client.network_id());
    *bind.mutable_local_address() = loopback(GetParam());
    EXPECT_EQ(client.call(client.udp(), &v1::Udp::Stub::StartBind, bind).error(),
              v1::ERROR_CODE_UNSPECIFIED);
    v1::UdpSocketRequest request;
    request.set_socket_id(socket);
    EXPECT_EQ(client.call(client.udp(), &v1::Udp::Stub::FinishBind, request).error(),
              v1::ERROR_CODE_UNSPECIFIED);
    *port = client.call(client.udp(), &v1::Udp::Stub::LocalAddress, request).address().port();
    return socket;
  }

  std::uint64_t stream(std::uint64_t socket, const v1::IpSocketAddress* remote) {
    v1::UdpStreamRequest request;
    request.set_socket_id(socket);
    if (remote != nullptr) {
      *request.mutable_remote_address() = *remote;
    }
    v1::UdpStreamResponse response = client.call(client.udp(), &v1::Udp::Stub::Stream, request);
    EXPECT_EQ(response.error(), v1::ERROR_CODE_UNSPECIFIED);
    return response.stream_generation();
  }

  v1::UdpSendResponse send(std::uint64_t socket, std::uint64_t generation,
                           const std::vector<std::string>& payloads,
                           const v1::IpSocketAddress* remote = nullptr) {
    v1::UdpSendRequest request;
    request.set_socket_id(socket);
    request.set_stream_generation(generation);
    for (const std::string& payload : payloads) {
      v1::OutgoingDatagram* datagram = request.add_datagrams();
      datagram->set_data(payload);
      if (remote != nullptr) {
        *datagram->mutable_remote_address() = *remote;
      }
    }
    return client.call(client.udp(), &v1::Udp::Stub::Send, request);
  }

  v1::UdpReceiveResponse receive(std::uint64_t socket, std::uint64_t generation,
                                 std::uint64_t max) {
    v1::UdpReceiveRequest request;
    request.set_socket_id(socket);
    request.set_stream_generation(generation);
    request.set_max_results(max);
    return client.call(client.udp(), &v1::Udp::Stub::Receive, request);
  }

  DaemonProcess daemon;
  TestClient client{daemon.target()};
};

TEST_P(UdpService, DatagramsArriveInOrderAfterReceiveReadiness) {
  ASSERT_TRUE(client.attach());
  std::uint32_t server_port = 0;
  std::uint32_t client_port = 0;
  std::uint64_t server = bound_socket(&server_port);
  std::uint64_t sender = bound_socket(&client_port);
  std::uint64_t server_generation = stream(server, nullptr);
  v1::IpSocketAddress server_address = loopback(GetParam(), server_port);
  std::uint64_t sender_generation = stream(sender, &server_address);

  EXPECT_EQ(send(sender, sender_generation, {"", "Hello, world!"}).sent(), 2u);
  ASSERT_TRUE(client.wait_for([&](const v1::ServerItem& item) {
    return item.has_readiness() && item.readiness().resource_id() == server &&
           item.readiness().kind() == v1::READINESS_KIND_RECEIVE && item.readiness().ready();
  }));
  std::vector<std::string> received;
  for (int attempt = 0; attempt < 100 && received.size() < 2; ++attempt) {
    const v1::UdpReceiveResponse batch = receive(server, server_generation, 16);
    for (const v1::IncomingDatagram& datagram : batch.datagrams()) {
      received.push_back(datagram.data());
      EXPECT_EQ(datagram.remote_address().port(), client_port);
    }
  }
  EXPECT_EQ(received, (std::vector<std::string>{"", "Hello, world!"}));
  EXPECT_TRUE(receive(server, server_generation, 0).datagrams().empty());
}

TEST_P(UdpService, OversizedDatagramIsDatagramTooLarge) {
  std::uint32_t port = 0;
  std::uint64_t socket = bound_socket(&port);
  v1::IpSocketAddress self = loopback(GetParam(), port);
  std::uint64_t generation = stream(socket, &self);
  v1::UdpSendResponse response = send(socket, generation, {std::string(65536, 'x')});
  EXPECT_EQ(response.error(), v1::ERROR_CODE_DATAGRAM_TOO_LARGE);
  EXPECT_EQ(response.sent(), 0u);
  // A too large datagram after a good one ends the batch early.
  response = send(socket, generation, {"ok", std::string(70000, 'x')});
  EXPECT_EQ(response.error(), v1::ERROR_CODE_UNSPECIFIED);
  EXPECT_EQ(response.sent(), 1u);
}

TEST_P(UdpService, ReplacedStreamPairIsInvalidState) {
  std::uint32_t port = 0;
  std::uint64_t socket = bound_socket(&port);
  std::uint64_t first = stream(socket, nullptr);
  std::uint64_t second = stream(socket, nullptr);
  EXPECT_NE(first, second);
  v1::IpSocketAddress self = loopback(GetParam(), port);
  EXPECT_EQ(send(socket, first, {"x"}, &self).error(), v1::ERROR_CODE_INVALID_STATE);
  EXPECT_EQ(receive(socket, first, 1).error(), v1::ERROR_CODE_INVALID_STATE);
  EXPECT_EQ(receive(socket, 0, 1).error(), v1::ERROR_CODE_INVALID_STATE);
  EXPECT_EQ(send(socket, second, {"x"}, &self).sent(), 1u);
}

TEST_P(UdpService, BatchesLargerThanTheLimitAreRefused) {
  std::uint32_t port = 0;
  std::uint64_t socket = bound_socket(&port);
  v1::IpSocketAddress self = loopback(GetParam(), port);
  std::uint64_t generation = stream(socket, &self);
  EXPECT_EQ(send(socket, generation, std::vector<std::string>(1025, "x")).error(),
            v1::ERROR_CODE_INVALID_ARGUMENT);
}

TEST_P(UdpService, MalformedRemoteEndsTheBatch) {
  std::uint32_t port = 0;
  std::uint64_t socket = bound_socket(&port);
  std::uint64_t generation = stream(socket, nullptr);
  v1::IpSocketAddress self = loopback(GetParam(), port);
  v1::UdpSendRequest request;
  request.set_socket_id(socket);
  request.set_stream_generation(generation);
  v1::OutgoingDatagram* good = request.add_datagrams();
  good->set_data("a");
  *good->mutable_remote_address() = self;
  v1::OutgoingDatagram* bad = request.add_datagrams();
  bad->set_data("b");
  *bad->mutable_remote_address() = self;
  bad->mutable_remote_address()->set_port(70000);
  v1::UdpSendResponse response = client.call(client.udp(), &v1::Udp::Stub::Send, request);
  EXPECT_EQ(response.error(), v1::ERROR_CODE_UNSPECIFIED);
  EXPECT_EQ(response.sent(), 1u);
  request.mutable_datagrams()->SwapElements(0, 1);
  response = client.call(client.udp(), &v1::Udp::Stub::Send, request);
  EXPECT_EQ(response.error(), v1::ERROR_CODE_INVALID_ARGUMENT);
}

INSTANTIATE_TEST_SUITE_P(Families, UdpService,
                         ::testing::Values(v1::IP_ADDRESS_FAMILY_IPV4, v1::IP_ADDRESS_FAMILY_IPV6));

}  // namespace
}  // namespace wasi_socketd::testing
