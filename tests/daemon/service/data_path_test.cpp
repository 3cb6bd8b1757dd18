// TCP bytes on the Attach stream: bulk echo through a real loopback peer, the read window as
// back-pressure (a client that grants no credit stops the daemon reading, and its memory stays
// flat), and the write permit (a client that overruns it loses its output stream).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>
#include <vector>

#include "daemon_process.h"
#include "daemon_socket_fd.h"
#include "loopback_listener.h"
#include "test_client.h"

namespace wasi_socketd::testing {
namespace {

constexpr std::uint64_t kWindow = 1 << 20;

// A plain kernel listener on 127.0.0.1 in the test process; accepts one connection.
class LoopbackPeer {
 public:
  ~LoopbackPeer() {
    if (connection_ >= 0) {
      ::close(connection_);
    }
  }
  std::uint32_t port() const { return listener_.port(); }
  // The connection, accepted once the daemon connected (the kernel queues it meanwhile).
  int connection() {
    if (connection_ < 0) {
      connection_ = ::accept4(listener_.fd(), nullptr, nullptr, SOCK_CLOEXEC);
    }
    return connection_;
  }

 private:
  LoopbackListener listener_{4};
  int connection_ = -1;
};

class DataPath : public ::testing::Test {
 protected:
  // A session socket connected to `peer`, with its streams granted.
  std::uint64_t connect_to(LoopbackPeer& peer) {
    std::uint64_t socket = client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4);
    EXPECT_TRUE(client.tcp_start_connect_until_ready(
        socket, loopback(v1::IP_ADDRESS_FAMILY_IPV4, peer.port())));
    v1::TcpSocketRequest finish;
    finish.set_socket_id(socket);
    v1::TcpConnectionResponse response =
        client.call(client.tcp(), &v1::Tcp::Stub::FinishConnect, finish);
    EXPECT_EQ(response.error(), v1::ERROR_CODE_UNSPECIFIED);
    EXPECT_EQ(response.streams().write_permit(), kWindow);
    EXPECT_EQ(response.streams().read_window(), kWindow);
    return socket;
  }

  // Every TcpData byte of `socket` that arrives until nothing came for `quiet`.
  std::string drain(std::uint64_t socket, std::chrono::milliseconds quiet) {
    std::string data;
    while (auto item = client.wait_for(
               [&](const v1::ServerItem& i) {
                 return i.has_tcp_data() && i.tcp_data().socket_id() == socket;
               },
               quiet)) {
      data += item->tcp_data().data();
    }
    return data;
  }

  void credit(std::uint64_t socket, std::uint64_t bytes) {
    v1::ClientFrame frame;
    v1::ReadCredit* credit = frame.add_items()->mutable_read_credit();
    credit->set_socket_id(socket);
    credit->set_bytes(bytes);
    client.send(frame);
  }

  DaemonProcess daemon;
  TestClient client{daemon.target()};
};

TEST_F(DataPath, BulkEchoThroughALoopbackPeerKeepsEveryByte) {
  ASSERT_TRUE(client.attach());
  LoopbackPeer peer;
  const std::uint64_t socket = connect_to(peer);
  const int connection = peer.connection();
  ASSERT_GE(connection, 0);
  std::thread echo([connection] {
    std::vector<char> buffer(256 << 10);
    for (;;) {
      ssize_t n = ::read(connection, buffer.data(), buffer.size());
      if (n <= 0) {
        return;
      }
      for (ssize_t done = 0; done < n;) {
        ssize_t w = ::write(connection, buffer.data() + done, n - done);
        if (w <= 0) {
          return;
        }
        done += w;
      }
    }
  });

  constexpr std::size_t kTotal = 16 << 20;
  constexpr std::size_t kChunk = 256 << 10;
  std::string sent(kTotal, '\0');
  for (std::size_t i = 0; i < kTotal; ++i) {
    sent[i] = static_cast<char>((i * 7 + i / 4093) & 0xff);
  }
  std::string received;
  std::size_t written = 0;
  std::size_t acked = 0;
  const auto start = std::chrono::steady_clock::now();
  while (received.size() < kTotal) {
    // Send as much as the permit allows, in one frame.
    v1::ClientFrame frame;
    while (written < kTotal && written - acked + kChunk <= kWindow) {
      v1::TcpWrite* write = frame.add_items()->mutable_tcp_write();
      write->set_socket_id(socket);
      write->set_data(sent.substr(written, kChunk));
      written += kChunk;
    }
    if (frame.items_size() > 0) {
      client.send(frame);
    }
    auto item = client.wait_for([&](const v1::ServerItem& i) {
      return (i.has_write_ack() && i.write_ack().socket_id() == socket) ||
             (i.has_tcp_data() && i.tcp_data().socket_id() == socket) || i.has_stream_end();
    });
    ASSERT_TRUE(item) << "stalled at " << received.size() << " bytes";
    ASSERT_FALSE(item->has_stream_end()) << item->stream_end().DebugString();
    if (item->has_write_ack()) {
      acked += item->write_ack().bytes();
    } else {
      received += item->tcp_data().data();
      credit(socket, item->tcp_data().data().size());
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  RecordProperty("echo_MiB_per_s", static_cast<int>(2 * (kTotal >> 20) / seconds));
  EXPECT_EQ(acked, kTotal);
  EXPECT_TRUE(received == sent) << "echoed bytes differ";
  ::shutdown(connection, SHUT_RDWR);
  echo.join();
}

TEST_F(DataPath, AClientWithoutCreditStopsTheDaemonReading) {
  ASSERT_TRUE(client.attach());
  LoopbackPeer peer;
  const std::uint64_t socket = connect_to(peer);
  const int connection = peer.connection();
  ASSERT_GE(connection, 0);
  const long resident_before = daemon.resident_bytes();

  // The peer pushes for a while; with no credit granted, only the window is read and the
  // kernel buffers fill up, which stops the peer.
  std::atomic<std::size_t> pushed{0};
  std::thread pusher([connection, &pushed] {
    const std::string chunk(64 << 10, 'p');
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
    while (std::chrono::steady_clock::now() < until) {
      ssize_t n = ::send(connection, chunk.data(), chunk.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n > 0) {
        pushed += static_cast<std::size_t>(n);
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    }
  });
  pusher.join();
  const std::string first = drain(socket, std::chrono::milliseconds(500));
  EXPECT_EQ(first.size(), kWindow);
  EXPECT_LT(pushed.load(), 64u << 20) << "the peer was never held back";
  EXPECT_LT(daemon.resident_bytes() - resident_before, 16l << 20);

  credit(socket, 3 * kWindow);  // more than the window: clamped to what was consumed
  const std::string second = drain(socket, std::chrono::milliseconds(500));
  EXPECT_EQ(second.size(), kWindow);
}

TEST_F(DataPath, WritingPastThePermitCostsTheOutputStreamOnly) {
  ASSERT_TRUE(client.attach());
  LoopbackPeer peer;
  const std::uint64_t socket = connect_to(peer);
  v1::ClientFrame frame;
  for (int i = 0; i < 2; ++i) {  // 2 MiB in flight against a 1 MiB permit
    v1::TcpWrite* write = frame.add_items()->mutable_tcp_write();
    write->set_socket_id(socket);
    write->set_data(std::string(kWindow, 'w'));
  }
  client.send(frame);
  auto end = client.wait_for([&](const v1::ServerItem& item) {
    return item.has_stream_end() && item.stream_end().socket_id() == socket;
  });
  ASSERT_TRUE(end);
  EXPECT_EQ(end->stream_end().direction(), v1::STREAM_DIRECTION_OUTPUT);
  EXPECT_NE(end->stream_end().error(), v1::ERROR_CODE_UNSPECIFIED);
  // The input side still works: the peer's bytes arrive.
  const int connection = peer.connection();
  ASSERT_EQ(::write(connection, "hi", 2), 2);
  EXPECT_EQ(drain(socket, std::chrono::milliseconds(500)), "hi");
}

// Every guest write crosses the adapter and the daemon before the kernel: with Nagle's algorithm a
// write-write-read exchange (an HTTP header, then its body) would wait for the peer's delayed ACK,
// 40 ms each time. The daemon's connected sockets send at once (TCP_NODELAY), as Go's do.
TEST_F(DataPath, ConnectedSocketsSendWithoutNagleDelay) {
  ASSERT_TRUE(client.attach());
  LoopbackPeer peer;
  connect_to(peer);
  const std::optional<int> fd = daemon_socket_to(daemon.pid(), peer.port());
  if (!fd) GTEST_SKIP() << "pidfd_getfd of the daemon's sockets is not permitted here";
  int nodelay = 0;
  socklen_t length = sizeof nodelay;
  ASSERT_EQ(::getsockopt(*fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, &length), 0);
  EXPECT_NE(nodelay, 0) << "connected socket without TCP_NODELAY";
  ::close(*fd);
}

TEST_F(DataPath, PeerFinEndsTheInputCleanly) {
  ASSERT_TRUE(client.attach());
  LoopbackPeer peer;
  const std::uint64_t socket = connect_to(peer);
  const int connection = peer.connection();
  ASSERT_EQ(::write(connection, "bye", 3), 3);
  ::shutdown(connection, SHUT_WR);
  EXPECT_EQ(drain(socket, std::chrono::milliseconds(500)), "bye");
  auto end = client.wait_for([&](const v1::ServerItem& item) {
    return item.has_stream_end() && item.stream_end().socket_id() == socket;
  });
  ASSERT_TRUE(end);
  EXPECT_EQ(end->stream_end().direction(), v1::STREAM_DIRECTION_INPUT);
  EXPECT_EQ(end->stream_end().error(), v1::ERROR_CODE_UNSPECIFIED);
}

TEST_F(DataPath, ShutdownSendWritesEverythingSentBeforeIt) {
  ASSERT_TRUE(client.attach());
  LoopbackPeer peer;
  const std::uint64_t socket = connect_to(peer);
  const std::string message(300000, 'm');
  v1::ClientFrame frame;
  v1::TcpWrite* write = frame.add_items()->mutable_tcp_write();
  write->set_socket_id(socket);
  write->set_data(message);
  client.send(frame);
  v1::TcpShutdownRequest shutdown;
  shutdown.set_socket_id(socket);
  shutdown.set_how(v1::SHUTDOWN_TYPE_SEND);
  shutdown.set_write_offset(message.size());
  std::string got;
  std::thread reader([&] {
    const int connection = peer.connection();
    char buffer[65536];
    for (ssize_t n; (n = ::read(connection, buffer, sizeof buffer)) > 0;) {
      got.append(buffer, static_cast<std::size_t>(n));
    }
  });
  EXPECT_EQ(client.call(client.tcp(), &v1::Tcp::Stub::Shutdown, shutdown).error(),
            v1::ERROR_CODE_UNSPECIFIED);
  reader.join();  // ends at the FIN the shutdown sent
  EXPECT_EQ(got.size(), message.size());
}

}  // namespace
}  // namespace wasi_socketd::testing
