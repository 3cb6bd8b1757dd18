// Drop of a connected TCP socket at the gRPC level: a TcpDrop on the Attach stream is ordered
// after the TcpWrite items before it (nothing written is lost, end-of-stream comes at once), and
// a unary Drop's write_offset is clamped to the bytes that arrived (no wait for bytes that never
// come). The peer is a kernel socket in the test process.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <limits>
#include <string>

#include "daemon_process.h"
#include "loopback_listener.h"
#include "test_client.h"

namespace wasi_socketd::testing {
namespace {

using namespace std::chrono;

struct PeerRead {
  std::string bytes;
  bool ended = false;  // EOF seen within the time limit
};

// Reads from `fd` until EOF or `limit` passes.
PeerRead read_until_eof(int fd, milliseconds limit) {
  PeerRead got;
  const auto deadline = steady_clock::now() + limit;
  char buffer[64 * 1024];
  while (steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    const auto left = duration_cast<milliseconds>(deadline - steady_clock::now()).count();
    if (::poll(&p, 1, static_cast<int>(std::max<long>(left, 1))) <= 0) continue;
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
      got.ended = n == 0;
      return got;
    }
    got.bytes.append(buffer, static_cast<std::size_t>(n));
  }
  return got;
}

class TcpDrop : public ::testing::Test {
 protected:
  // A connected socket of the session and the peer's end of it.
  std::uint64_t connect(int* peer_fd) {
    const std::uint64_t id = client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4);
    EXPECT_EQ(client.tcp_connect_polling(id, loopback(v1::IP_ADDRESS_FAMILY_IPV4, listener.port())),
              v1::ERROR_CODE_UNSPECIFIED);
    *peer_fd = ::accept4(listener.fd(), nullptr, nullptr, SOCK_CLOEXEC);
    EXPECT_GE(*peer_fd, 0);
    return id;
  }

  DaemonProcess daemon;
  TestClient client{daemon.target()};
  LoopbackListener listener;
};

TEST_F(TcpDrop, DropOnTheAttachStreamComesAfterTheWritesBeforeIt) {
  ASSERT_TRUE(client.attach());
  int peer = -1;
  const std::uint64_t id = connect(&peer);
  std::string sent;
  v1::ClientFrame frame;
  for (int part = 0; part < 4; ++part) {  // the whole 1 MiB permit, acknowledged by nothing yet
    std::string data(256 * 1024, static_cast<char>('a' + part));
    auto* write = frame.add_items()->mutable_tcp_write();
    write->set_socket_id(id);
    write->set_data(data);
    sent += data;
  }
  frame.add_items()->mutable_tcp_drop()->set_socket_id(id);
  const auto dropped_at = steady_clock::now();
  client.send(frame);

  const PeerRead got = read_until_eof(peer, seconds(5));
  EXPECT_EQ(got.bytes.size(), sent.size());
  EXPECT_TRUE(got.bytes == sent) << "the bytes arrived changed";
  EXPECT_TRUE(got.ended) << "no end-of-stream within 5 s of the drop";
  EXPECT_LT(steady_clock::now() - dropped_at, seconds(3));
  ::close(peer);
}

TEST_F(TcpDrop, TheDroppedIdIsDeadForLaterItemsAndCalls) {
  ASSERT_TRUE(client.attach());
  int peer = -1;
  const std::uint64_t id = connect(&peer);
  v1::ClientFrame frame;
  frame.add_items()->mutable_tcp_drop()->set_socket_id(id);
  auto* late = frame.add_items()->mutable_tcp_write();  // after the drop: written nowhere
  late->set_socket_id(id);
  late->set_data("late");
  client.send(frame);
  const PeerRead got = read_until_eof(peer, seconds(5));
  EXPECT_TRUE(got.ended);
  EXPECT_EQ(got.bytes, "");
  v1::TcpSocketRequest request;
  request.set_socket_id(id);
  EXPECT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::LocalAddress, request).error(),
            v1::ERROR_CODE_INVALID_ARGUMENT)
      << "the dropped id still answers";
  ::close(peer);
}

TEST_F(TcpDrop, AnOffsetBeyondTheBytesReceivedIsClamped) {
  int peer = -1;
  const std::uint64_t id = connect(&peer);
  v1::TcpDropRequest drop;
  drop.set_socket_id(id);
  drop.set_write_offset(std::numeric_limits<std::uint64_t>::max());
  const auto dropped_at = steady_clock::now();
  client.call(client.tcp(), &v1::Tcp::Stub::Drop, drop);
  const PeerRead got = read_until_eof(peer, seconds(5));
  EXPECT_TRUE(got.ended) << "the daemon waited for bytes that were never sent";
  EXPECT_LT(steady_clock::now() - dropped_at, seconds(2));
  ::close(peer);
}

}  // namespace
}  // namespace wasi_socketd::testing
