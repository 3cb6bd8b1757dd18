// The C ABI's wasi:sockets/udp and datagram streams against a real broker.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "host_fixture.h"

namespace wasi_socketd::testing {
namespace {

using UdpAbiTest = FamilyHostTest;

class UdpAbi : public UdpAbiTest {
 protected:
  uint32_t bound(wsd_ip_socket_address* address) {
    uint32_t s = 0;
    EXPECT_EQ(wsd_udp_create_socket(h_, family(), &s), WSD_OK);
    const auto local = abi_address(loopback_ip(family()), 0);
    EXPECT_EQ(wsd_udp_start_bind(h_, s, network_, &local), WSD_OK);
    EXPECT_EQ(wsd_udp_finish_bind(h_, s), WSD_OK);
    EXPECT_EQ(wsd_udp_local_address(h_, s, address), WSD_OK);
    return s;
  }
};

wsd_outgoing_datagram datagram(const std::string& data) {
  return {reinterpret_cast<const uint8_t*>(data.data()), data.size(), false, {}};
}

TEST_P(UdpAbi, SendsAndReceivesInOrder) {
  wsd_ip_socket_address server_address{}, client_address{};
  const uint32_t server = bound(&server_address);
  const uint32_t client = bound(&client_address);
  uint32_t server_in = 0, server_out = 0, client_in = 0, client_out = 0;
  ASSERT_EQ(wsd_udp_stream(h_, server, nullptr, &server_in, &server_out), WSD_OK);
  ASSERT_EQ(wsd_udp_stream(h_, client, &server_address, &client_in, &client_out), WSD_OK);
  uint64_t permit = 0;
  ASSERT_EQ(wsd_outgoing_datagram_stream_check_send(h_, client_out, &permit), WSD_OK);
  ASSERT_GE(permit, 2u);
  const std::string one = "1", two = "2";
  const wsd_outgoing_datagram batch[] = {datagram(one), datagram(two)};
  uint64_t sent = 0;
  ASSERT_EQ(wsd_outgoing_datagram_stream_send(h_, client_out, batch, 2, &sent), WSD_OK);
  EXPECT_EQ(sent, 2u);

  std::vector<std::string> got;
  while (got.size() < 2) {
    block_on(server_in, wsd_incoming_datagram_stream_subscribe);
    const wsd_incoming_datagram* datagrams = nullptr;
    size_t count = 0;
    ASSERT_EQ(wsd_incoming_datagram_stream_receive(h_, server_in, 2, &datagrams, &count), WSD_OK);
    for (size_t i = 0; i < count; ++i) {
      got.emplace_back(reinterpret_cast<const char*>(datagrams[i].data), datagrams[i].len);
      EXPECT_EQ(datagrams[i].remote_address.port, client_address.port);
    }
  }
  EXPECT_EQ(got, (std::vector<std::string>{"1", "2"}));
}

TEST_P(UdpAbi, SendingMoreThanCheckSendPermittedTraps) {
  wsd_ip_socket_address address{};
  const uint32_t s = bound(&address);
  uint32_t in = 0, out = 0;
  ASSERT_EQ(wsd_udp_stream(h_, s, &address, &in, &out), WSD_OK);
  const std::string x = "x";
  const wsd_outgoing_datagram one[] = {datagram(x)};
  uint64_t sent = 0;
  EXPECT_EQ(wsd_outgoing_datagram_stream_send(h_, out, one, 1, &sent), WSD_TRAP);  // no check-send
  uint64_t permit = 0;
  ASSERT_EQ(wsd_outgoing_datagram_stream_check_send(h_, out, &permit), WSD_OK);
  std::vector<wsd_outgoing_datagram> many(permit + 1, datagram(x));
  EXPECT_EQ(wsd_outgoing_datagram_stream_send(h_, out, many.data(), many.size(), &sent), WSD_TRAP);
  EXPECT_NE(trap_message().find("check-send"), std::string::npos) << trap_message();
}

TEST_P(UdpAbi, OversizedDatagramIsTooLargeLocally) {
  wsd_ip_socket_address address{};
  const uint32_t s = bound(&address);
  uint32_t in = 0, out = 0;
  ASSERT_EQ(wsd_udp_stream(h_, s, &address, &in, &out), WSD_OK);
  uint64_t permit = 0;
  ASSERT_EQ(wsd_outgoing_datagram_stream_check_send(h_, out, &permit), WSD_OK);
  const std::string big(65536, 'x');
  const wsd_outgoing_datagram batch[] = {datagram(big)};
  uint64_t sent = 0;
  EXPECT_EQ(wsd_outgoing_datagram_stream_send(h_, out, batch, 1, &sent),
            WSD_ERR_DATAGRAM_TOO_LARGE);
}

TEST_P(UdpAbi, StreamWhilePreviousStreamsLiveTraps) {
  wsd_ip_socket_address address{};
  const uint32_t s = bound(&address);
  uint32_t in = 0, out = 0;
  ASSERT_EQ(wsd_udp_stream(h_, s, nullptr, &in, &out), WSD_OK);
  uint32_t in2 = 0, out2 = 0;
  EXPECT_EQ(wsd_udp_stream(h_, s, nullptr, &in2, &out2), WSD_TRAP);
  ASSERT_EQ(wsd_resource_drop(h_, in), WSD_OK);
  ASSERT_EQ(wsd_resource_drop(h_, out), WSD_OK);
  EXPECT_EQ(wsd_udp_stream(h_, s, nullptr, &in2, &out2), WSD_OK);
}

TEST_P(UdpAbi, ReceiveZeroIsEmptyAndUnboundStreamIsInvalidState) {
  wsd_ip_socket_address address{};
  const uint32_t s = bound(&address);
  uint32_t in = 0, out = 0;
  ASSERT_EQ(wsd_udp_stream(h_, s, nullptr, &in, &out), WSD_OK);
  const wsd_incoming_datagram* datagrams = nullptr;
  size_t count = 9;
  ASSERT_EQ(wsd_incoming_datagram_stream_receive(h_, in, 0, &datagrams, &count), WSD_OK);
  EXPECT_EQ(count, 0u);
  uint32_t unbound = 0;
  ASSERT_EQ(wsd_udp_create_socket(h_, family(), &unbound), WSD_OK);
  EXPECT_EQ(wsd_udp_stream(h_, unbound, &address, &in, &out), WSD_ERR_INVALID_STATE);
}

WSD_INSTANTIATE_ABI_FAMILIES(UdpAbi);

}  // namespace
}  // namespace wasi_socketd::testing
