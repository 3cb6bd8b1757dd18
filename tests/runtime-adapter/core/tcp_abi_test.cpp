// The C ABI's wasi:sockets/tcp and its streams, driven like a guest against a real broker.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "host_fixture.h"

namespace wasi_socketd::testing {
namespace {

using TcpAbiTest = FamilyHostTest;

const uint8_t* bytes(const std::string& s) { return reinterpret_cast<const uint8_t*>(s.data()); }

TEST(HostOpenTest, MissingBrokerFailsWithAMessage) {
  char err[256] = {};
  EXPECT_EQ(wsd_host_open("/nonexistent/wsd.sock", err, sizeof err), nullptr);
  EXPECT_NE(std::string(err).find("/nonexistent/wsd.sock"), std::string::npos) << err;
}

TEST_P(TcpAbiTest, HelloWorldSampleApplication) {
  Connection client, server;
  connect_pair(family(), &client, &server);
  uint8_t none[1];
  uint64_t n = 99;
  ASSERT_EQ(wsd_input_stream_read(h_, server.input, 0, none, &n, nullptr), WSD_OK);
  EXPECT_EQ(n, 0u);
  ASSERT_EQ(wsd_output_stream_blocking_write_and_flush(h_, client.output, nullptr, 0, nullptr),
            WSD_OK);
  const std::string message = "Hello, world!";
  ASSERT_EQ(wsd_output_stream_blocking_write_and_flush(h_, client.output, bytes(message),
                                                       message.size(), nullptr),
            WSD_OK);
  EXPECT_EQ(read_exactly(server.input, message.size()), message);

  // A second client works too.
  uint32_t second = 0, in = 0, out = 0;
  wsd_ip_socket_address address{};
  ASSERT_EQ(wsd_tcp_local_address(h_, listener_, &address), WSD_OK);
  ASSERT_EQ(wsd_tcp_create_socket(h_, family(), &second), WSD_OK);
  ASSERT_EQ(wsd_tcp_start_connect(h_, second, network_, &address), WSD_OK);
  block_on(second, wsd_tcp_subscribe);
  EXPECT_EQ(wsd_tcp_finish_connect(h_, second, &in, &out), WSD_OK);
}

TEST_P(TcpAbiTest, IsListeningAndAddressFamilyAreLocal) {
  wsd_ip_socket_address address{};
  const uint32_t l = listener(family(), &address);
  bool listening = false;
  ASSERT_EQ(wsd_tcp_is_listening(h_, l, &listening), WSD_OK);
  EXPECT_TRUE(listening);
  uint8_t f = 9;
  ASSERT_EQ(wsd_tcp_address_family(h_, l, &f), WSD_OK);
  EXPECT_EQ(f, family());
  uint32_t fresh = 0;
  ASSERT_EQ(wsd_tcp_create_socket(h_, family(), &fresh), WSD_OK);
  ASSERT_EQ(wsd_tcp_is_listening(h_, fresh, &listening), WSD_OK);
  EXPECT_FALSE(listening);
  EXPECT_EQ(wsd_tcp_start_listen(h_, fresh), WSD_ERR_INVALID_STATE);
}

TEST_P(TcpAbiTest, AcceptWithNothingPendingWouldBlock) {
  wsd_ip_socket_address address{};
  const uint32_t l = listener(family(), &address);
  uint32_t s, i, o;
  EXPECT_EQ(wsd_tcp_accept(h_, l, &s, &i, &o), WSD_ERR_WOULD_BLOCK);
}

TEST_P(TcpAbiTest, WriteBeyondCheckWritePermitTraps) {
  Connection client, server;
  connect_pair(family(), &client, &server);
  uint64_t permit = 0;
  ASSERT_EQ(wsd_output_stream_check_write(h_, client.output, &permit, nullptr), WSD_OK);
  ASSERT_GT(permit, 0u);
  std::vector<uint8_t> too_much(permit + 1);
  EXPECT_EQ(wsd_output_stream_write(h_, client.output, too_much.data(), too_much.size(), nullptr),
            WSD_TRAP);
  EXPECT_NE(trap_message().find("check-write"), std::string::npos) << trap_message();
}

// WIT: check-write gives "the number of bytes permitted for the next call to write".
TEST_P(TcpAbiTest, PermitIsForTheNextWriteOnly) {
  Connection client, server;
  connect_pair(family(), &client, &server);
  uint64_t permit = 0;
  ASSERT_EQ(wsd_output_stream_check_write(h_, client.output, &permit, nullptr), WSD_OK);
  ASSERT_GE(permit, 2u);
  ASSERT_EQ(wsd_output_stream_write(h_, client.output, bytes("a"), 1, nullptr), WSD_OK);
  EXPECT_EQ(wsd_output_stream_write(h_, client.output, bytes("b"), 1, nullptr), WSD_TRAP);
  EXPECT_NE(trap_message().find("check-write"), std::string::npos) << trap_message();
}

// Where wasmtime keeps a permit, so do we: an empty write spends none, flush keeps it (even while
// the flush is in progress), and blocking-flush ends ready for writing.
TEST_P(TcpAbiTest, PermitSurvivesEmptyWritesAndFlushes) {
  Connection client, server;
  connect_pair(family(), &client, &server);
  uint64_t permit = 0;
  ASSERT_EQ(wsd_output_stream_check_write(h_, client.output, &permit, nullptr), WSD_OK);
  ASSERT_GE(permit, 2u);
  ASSERT_EQ(wsd_output_stream_write(h_, client.output, bytes(""), 0, nullptr), WSD_OK);
  ASSERT_EQ(wsd_output_stream_flush(h_, client.output, nullptr), WSD_OK);
  ASSERT_EQ(wsd_output_stream_write(h_, client.output, bytes("a"), 1, nullptr), WSD_OK);
  ASSERT_EQ(wsd_output_stream_flush(h_, client.output, nullptr), WSD_OK);
  ASSERT_EQ(wsd_output_stream_blocking_flush(h_, client.output, nullptr), WSD_OK);
  ASSERT_EQ(wsd_output_stream_write(h_, client.output, bytes("b"), 1, nullptr), WSD_OK);
  ASSERT_EQ(wsd_output_stream_blocking_flush(h_, client.output, nullptr), WSD_OK);
  char got[2] = {};
  uint64_t n = 0;
  while (n < 2) {
    block_on(server.input, wsd_input_stream_subscribe);
    uint64_t k = 0;
    ASSERT_EQ(wsd_input_stream_read(h_, server.input, 2 - n, reinterpret_cast<uint8_t*>(got) + n,
                                    &k, nullptr),
              WSD_OK);
    n += k;
  }
  EXPECT_EQ(std::string(got, 2), "ab");
}

TEST_P(TcpAbiTest, AfterFlushCheckWriteIsZeroUntilFlushCompletes) {
  Connection client, server;
  connect_pair(family(), &client, &server);
  uint64_t permit = 0;
  ASSERT_EQ(wsd_output_stream_check_write(h_, client.output, &permit, nullptr), WSD_OK);
  ASSERT_EQ(wsd_output_stream_write(h_, client.output, bytes("abc"), 3, nullptr), WSD_OK);
  ASSERT_EQ(wsd_output_stream_flush(h_, client.output, nullptr), WSD_OK);
  uint64_t during = 1;
  ASSERT_EQ(wsd_output_stream_check_write(h_, client.output, &during, nullptr), WSD_OK);
  EXPECT_TRUE(during == 0 || during == permit);  // the ack may already be back
  block_on(client.output, wsd_output_stream_subscribe);
  ASSERT_EQ(wsd_output_stream_check_write(h_, client.output, &during, nullptr), WSD_OK);
  EXPECT_EQ(during, permit);
}

TEST_P(TcpAbiTest, ShutdownSendClosesWriteCheckWriteAndFlush) {
  Connection client, server;
  connect_pair(family(), &client, &server);
  ASSERT_EQ(wsd_tcp_shutdown(h_, client.socket, WSD_SHUTDOWN_SEND), WSD_OK);
  uint64_t permit = 0;
  EXPECT_EQ(wsd_output_stream_check_write(h_, client.output, &permit, nullptr), WSD_STREAM_CLOSED);
  EXPECT_EQ(wsd_output_stream_write(h_, client.output, bytes("x"), 1, nullptr), WSD_STREAM_CLOSED);
  EXPECT_EQ(wsd_output_stream_flush(h_, client.output, nullptr), WSD_STREAM_CLOSED);
}

TEST_P(TcpAbiTest, PeerShutdownAndDropMakesInputReadyAndClosed) {
  Connection client, server;
  connect_pair(family(), &client, &server);
  ASSERT_EQ(wsd_tcp_shutdown(h_, client.socket, WSD_SHUTDOWN_SEND), WSD_OK);
  ASSERT_EQ(wsd_resource_drop(h_, client.input), WSD_OK);
  ASSERT_EQ(wsd_resource_drop(h_, client.output), WSD_OK);
  ASSERT_EQ(wsd_resource_drop(h_, client.socket), WSD_OK);
  block_on(server.input, wsd_input_stream_subscribe);
  uint8_t buf[10];
  uint64_t n = 0;
  EXPECT_EQ(wsd_input_stream_read(h_, server.input, 10, buf, &n, nullptr), WSD_STREAM_CLOSED);
  EXPECT_EQ(wsd_input_stream_read(h_, server.input, 0, buf, &n, nullptr), WSD_STREAM_CLOSED);
}

TEST_P(TcpAbiTest, OwnShutdownReceiveWithPendingDataReadsClosed) {
  Connection client, server;
  connect_pair(family(), &client, &server);
  ASSERT_EQ(
      wsd_output_stream_blocking_write_and_flush(h_, client.output, bytes("data"), 4, nullptr),
      WSD_OK);
  block_on(server.input, wsd_input_stream_subscribe);
  ASSERT_EQ(wsd_tcp_shutdown(h_, server.socket, WSD_SHUTDOWN_RECEIVE), WSD_OK);
  uint8_t buf[10];
  uint64_t n = 0;
  EXPECT_EQ(wsd_input_stream_read(h_, server.input, 10, buf, &n, nullptr), WSD_STREAM_CLOSED);
}

TEST_P(TcpAbiTest, DroppingSocketWhileItsStreamsLiveTraps) {
  Connection client, server;
  connect_pair(family(), &client, &server);
  EXPECT_EQ(wsd_resource_drop(h_, client.socket), WSD_TRAP);
  EXPECT_NE(trap_message().find("child"), std::string::npos) << trap_message();
  ASSERT_EQ(wsd_resource_drop(h_, client.input), WSD_OK);
  ASSERT_EQ(wsd_resource_drop(h_, client.output), WSD_OK);
  EXPECT_EQ(wsd_resource_drop(h_, client.socket), WSD_OK);
}

TEST_P(TcpAbiTest, DroppingStreamWhileItsPollableLivesTraps) {
  Connection client, server;
  connect_pair(family(), &client, &server);
  uint32_t p = 0;
  ASSERT_EQ(wsd_input_stream_subscribe(h_, server.input, &p), WSD_OK);
  EXPECT_EQ(wsd_resource_drop(h_, server.input), WSD_TRAP);
  ASSERT_EQ(wsd_resource_drop(h_, p), WSD_OK);
  EXPECT_EQ(wsd_resource_drop(h_, server.input), WSD_OK);
}

TEST_P(TcpAbiTest, BadAndWrongKindHandlesTrap) {
  uint32_t s = 0;
  ASSERT_EQ(wsd_tcp_create_socket(h_, family(), &s), WSD_OK);
  EXPECT_EQ(wsd_tcp_finish_bind(h_, 0), WSD_TRAP);
  EXPECT_EQ(wsd_tcp_finish_bind(h_, 12345), WSD_TRAP);
  EXPECT_EQ(wsd_tcp_finish_bind(h_, network_), WSD_TRAP);  // a network is not a tcp-socket
  EXPECT_NE(trap_message().find("not a tcp-socket"), std::string::npos) << trap_message();
  const auto local = abi_address(loopback_ip(family()), 0);
  EXPECT_EQ(wsd_tcp_start_bind(h_, s, s, &local), WSD_TRAP);  // a socket is not a network
  EXPECT_EQ(wsd_udp_finish_bind(h_, s), WSD_TRAP);
  ASSERT_EQ(wsd_resource_drop(h_, s), WSD_OK);
  EXPECT_EQ(wsd_resource_drop(h_, s), WSD_TRAP);          // dropped handles are gone for good
  EXPECT_EQ(wsd_tcp_create_socket(h_, 7, &s), WSD_TRAP);  // no such address family
}

// The client never reads and drops its socket with unread bytes in the kernel: the kernel resets
// the connection, and the server's output-stream reports last-operation-failed with an error
// resource whose error-code is connection-reset, then closed.
TEST_P(TcpAbiTest, ConnectionResetIsAStreamFailureWithItsErrorCode) {
  Connection client, server;
  connect_pair(family(), &client, &server);
  // Fill the broker's read-ahead window and the kernel buffers behind it.
  std::vector<uint8_t> chunk(64 * 1024, 'x');
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  uint64_t written = 0;
  uint32_t writable = 0;
  ASSERT_EQ(wsd_output_stream_subscribe(h_, server.output, &writable), WSD_OK);
  uint32_t soon = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    ASSERT_EQ(wsd_monotonic_subscribe_duration(h_, 200'000'000, &soon), WSD_OK);
    const uint32_t pollables[2] = {writable, soon};
    uint32_t ready[2];
    size_t n = 0;
    ASSERT_EQ(wsd_poll(h_, pollables, 2, ready, &n), WSD_OK);
    ASSERT_EQ(wsd_resource_drop(h_, soon), WSD_OK);
    if (ready[0] != 0) break;  // 200 ms without permit: everything is full
    uint64_t permit = 0;
    ASSERT_EQ(wsd_output_stream_check_write(h_, server.output, &permit, nullptr), WSD_OK);
    const uint64_t len = std::min<uint64_t>(permit, chunk.size());
    ASSERT_EQ(wsd_output_stream_write(h_, server.output, chunk.data(), len, nullptr), WSD_OK);
    written += len;
  }
  ASSERT_GT(written, 1u << 20);
  ASSERT_EQ(wsd_resource_drop(h_, client.input), WSD_OK);
  ASSERT_EQ(wsd_resource_drop(h_, client.output), WSD_OK);
  ASSERT_EQ(wsd_resource_drop(h_, client.socket), WSD_OK);

  // The reset reaches the server's output: writes fail once with the error, then closed.
  uint32_t error = 0;
  int32_t result = WSD_OK;
  const auto reset_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (result == WSD_OK && std::chrono::steady_clock::now() < reset_deadline) {
    block_on(server.output, wsd_output_stream_subscribe);
    uint64_t permit = 0;
    result = wsd_output_stream_check_write(h_, server.output, &permit, &error);
    if (result == WSD_OK && permit > 0) {
      result = wsd_output_stream_write(h_, server.output, chunk.data(),
                                       std::min<uint64_t>(permit, chunk.size()), &error);
    }
  }
  ASSERT_EQ(result, WSD_STREAM_FAILED);
  int32_t code = 0;
  ASSERT_EQ(wsd_network_error_code(h_, error, &code), WSD_OK);
  EXPECT_EQ(code, WSD_ERR_CONNECTION_RESET);
  char text[64] = {};
  size_t len = 0;
  ASSERT_EQ(wsd_error_to_debug_string(h_, error, text, sizeof text, &len), WSD_OK);
  EXPECT_NE(std::string(text).find("connection-reset"), std::string::npos) << text;
  EXPECT_EQ(len, std::string(text).size());
  EXPECT_EQ(wsd_resource_drop(h_, error), WSD_OK);
  uint64_t permit = 0;
  EXPECT_EQ(wsd_output_stream_check_write(h_, server.output, &permit, nullptr), WSD_STREAM_CLOSED);
}

// One guest thread moves 16 MiB from one socket to the other, polling both streams: the
// write permit and the read window keep it flowing, data arrives intact and in order.
TEST_P(TcpAbiTest, BulkTransferDrivenByPollIsIntact) {
  Connection client, server;
  connect_pair(family(), &client, &server);
  uint32_t writable = 0, readable = 0;
  ASSERT_EQ(wsd_output_stream_subscribe(h_, client.output, &writable), WSD_OK);
  ASSERT_EQ(wsd_input_stream_subscribe(h_, server.input, &readable), WSD_OK);
  constexpr uint64_t kTotal = 16 << 20;
  std::vector<uint8_t> chunk(256 * 1024), buf(256 * 1024);
  uint64_t written = 0, received = 0;
  bool intact = true;
  const auto start = std::chrono::steady_clock::now();
  while (received < kTotal) {
    const uint32_t pollables[2] = {writable, readable};
    uint32_t ready[2];
    size_t n_ready = 0;
    ASSERT_EQ(wsd_poll(h_, written < kTotal ? pollables : pollables + 1, written < kTotal ? 2 : 1,
                       ready, &n_ready),
              WSD_OK);
    uint64_t permit = 0;
    ASSERT_EQ(wsd_output_stream_check_write(h_, client.output, &permit, nullptr), WSD_OK);
    const uint64_t n = std::min<uint64_t>({permit, chunk.size(), kTotal - written});
    for (uint64_t i = 0; i < n; ++i) chunk[i] = static_cast<uint8_t>(written + i);
    ASSERT_EQ(wsd_output_stream_write(h_, client.output, chunk.data(), n, nullptr), WSD_OK);
    written += n;
    uint64_t got = 0;
    ASSERT_EQ(wsd_input_stream_read(h_, server.input, buf.size(), buf.data(), &got, nullptr),
              WSD_OK);
    for (uint64_t i = 0; i < got; ++i)
      intact = intact && buf[i] == static_cast<uint8_t>(received + i);
    received += got;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(intact);
  std::printf("bulk through the C ABI, one guest thread: %.0f MB/s\n", kTotal / seconds / 1e6);
}

WSD_INSTANTIATE_ABI_FAMILIES(TcpAbiTest);

}  // namespace
}  // namespace wasi_socketd::testing
