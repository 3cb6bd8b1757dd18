// Slow consumers: peers flood the daemon's sockets while the client does not keep up. The read
// window (1 MiB per socket, session_limits.h) is the daemon's only buffer per socket, so its RSS
// may grow by at most a few copies of one window per socket: the TcpData bytes exist once in the
// session's outbox and once more while gRPC serializes the frame being written. We allow 4 copies
// per socket plus 16 MiB for gRPC's and the allocator's own slack; an unbounded daemon passes that
// within a fraction of a second at loopback speed.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "daemon_process.h"
#include "loopback_peer.h"
#include "test_client.h"

namespace wasi_socketd::testing {
namespace {

constexpr int kSockets = 8;
constexpr long kWindow = 1 << 20;
constexpr long kRssBound = kSockets * kWindow * 4 + (16L << 20);
constexpr auto kFloodTime = std::chrono::seconds(3);

// A TCP socket of `client` connected to `peer`, without reading the Attach stream: FinishConnect
// is polled until the connect is done. 0 on failure.
std::uint64_t connect_polling(TestClient& client, std::uint64_t network, std::uint16_t port) {
  const std::uint64_t socket = client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4);
  v1::TcpStartConnectRequest connect;
  connect.set_socket_id(socket);
  connect.set_network_id(network);
  *connect.mutable_remote_address() = loopback(v1::IP_ADDRESS_FAMILY_IPV4, port);
  if (client.call(client.tcp(), &v1::Tcp::Stub::StartConnect, connect).error() !=
      v1::ERROR_CODE_UNSPECIFIED) {
    return 0;
  }
  v1::TcpSocketRequest finish;
  finish.set_socket_id(socket);
  for (int attempt = 0; attempt < 500; ++attempt) {
    const auto response = client.call(client.tcp(), &v1::Tcp::Stub::FinishConnect, finish);
    if (response.error() == v1::ERROR_CODE_UNSPECIFIED) {
      return socket;
    }
    if (response.error() != v1::ERROR_CODE_WOULD_BLOCK) {
      return 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return 0;
}

v1::ClientFrame credit_frame(const std::vector<std::uint64_t>& sockets, std::uint64_t bytes) {
  v1::ClientFrame frame;
  for (std::uint64_t socket : sockets) {
    v1::ReadCredit* credit = frame.add_items()->mutable_read_credit();
    credit->set_socket_id(socket);
    credit->set_bytes(bytes);
  }
  return frame;
}

class SlowConsumer : public ::testing::Test {
 protected:
  // Connects kSockets sockets of `client` to the peer and starts flooding them from the peer.
  std::vector<std::uint64_t> connect_and_flood(TestClient& client) {
    std::vector<std::uint64_t> sockets;
    const std::uint64_t network = client.network_id();
    for (int i = 0; i < kSockets; ++i) {
      const std::uint64_t socket = connect_polling(client, network, peer.port());
      EXPECT_NE(socket, 0u);
      const int fd = peer.accept_one(std::chrono::seconds(5));
      EXPECT_GE(fd, 0);
      sockets.push_back(socket);
      floods.emplace_back([this, fd] { flooded += flood(fd, stop); });
    }
    return sockets;
  }

  // Stops the peer's writers and records how much they pushed. Idempotent.
  void stop_flooding() {
    stop = true;
    for (std::thread& thread : floods) {
      thread.join();
    }
    floods.clear();
    RecordProperty("peer_pushed_KiB", std::to_string(flooded.load() >> 10));
  }

  void TearDown() override { stop_flooding(); }

  DaemonProcess daemon;
  LoopbackPeer peer;
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> flooded{0};
  std::vector<std::thread> floods;
};

TEST_F(SlowConsumer, AClientThatGrantsNoCreditKeepsTheDaemonsMemoryBounded) {
  TestClient client(daemon.target());
  ASSERT_TRUE(client.attach());
  const long rss_before = daemon.resident_bytes();
  connect_and_flood(client);
  long peak = rss_before;
  const auto until = std::chrono::steady_clock::now() + kFloodTime;
  while (std::chrono::steady_clock::now() < until) {
    peak = std::max(peak, daemon.resident_bytes());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  RecordProperty("rss_growth_KiB", std::to_string((peak - rss_before) >> 10));
  stop_flooding();
  EXPECT_LT(peak - rss_before, kRssBound);
}

// A client that returns credit for everything but never reads its Attach stream: the credit is
// a lie (it cannot have consumed bytes it never received), so the daemon must not read more.
TEST_F(SlowConsumer, AClientThatCreditsWithoutReadingKeepsTheDaemonsMemoryBounded) {
  TestClient client(daemon.target());
  auto stub = v1::Session::NewStub(client.channel());
  grpc::ClientContext context;
  auto attach = stub->Attach(&context);
  const long rss_before = daemon.resident_bytes();
  const std::vector<std::uint64_t> sockets = connect_and_flood(client);
  long peak = rss_before;
  const auto until = std::chrono::steady_clock::now() + kFloodTime;
  while (std::chrono::steady_clock::now() < until && peak - rss_before < 2 * kRssBound) {
    ASSERT_TRUE(attach->Write(credit_frame(sockets, kWindow)));
    peak = std::max(peak, daemon.resident_bytes());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  RecordProperty("rss_growth_KiB", std::to_string((peak - rss_before) >> 10));
  stop_flooding();
  EXPECT_LT(peak - rss_before, kRssBound);
  context.TryCancel();
  (void)attach->Finish();
}

}  // namespace
}  // namespace wasi_socketd::testing
