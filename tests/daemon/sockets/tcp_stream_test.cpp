// The data path of connected TCP sockets: read-ahead under credit, lossless writes, shutdown,
// EOF, reset, and closing after a drain. The far end is a plain kernel socket (raw_socket.h).
#include <gtest/gtest.h>

#include "raw_socket.h"
#include "tcp_test_support.h"

namespace wasi_socketd::sockets {
namespace {

using testing::bytes_of;
using testing::pattern;
using testing::RawSocket;
using testing::RecordingTcpObserver;
using testing::TcpTest;
using testing::text_of;

class TcpStreamTest : public TcpTest {
 protected:
  // Our socket connected to a raw peer accepted from a raw listener.
  struct Connection {
    std::shared_ptr<TcpSocket> socket;
    RawSocket peer{-1};
  };
  Connection connect_to_raw_peer(RecordingTcpObserver& observer) {
    auto listener = RawSocket::listen_on(family());
    Connection connection;
    connection.socket = make_socket();
    connection.socket->set_observer(&observer);
    EXPECT_TRUE(connection.socket->start_connect(listener.local_address()));
    EXPECT_TRUE(io.run_until([&] { return connection.socket->ready(); }));
    EXPECT_TRUE(connection.socket->finish_connect());
    connection.peer = listener.accept();
    return connection;
  }

  // Resets the peer, then writes until the write path meets the reset.
  void reset_peer_until_output_fails(Connection& connection, RecordingTcpObserver& events) {
    connection.peer.reset();
    const auto chunk = pattern(4096);
    ASSERT_TRUE(io.run_until([&] {
      EXPECT_TRUE(connection.socket->write(chunk));
      return events.output_error.has_value();
    }));
  }

  // Reads from `peer` while running the loop, until EOF/error or `limit` bytes; returns the
  // final read status (0 = EOF, <0 = -errno, >0 = stopped at the limit).
  int drain_peer(RawSocket& peer, std::vector<std::byte>& into, std::size_t limit = SIZE_MAX) {
    int status = 1;
    io.run_until(
        [&] {
          status = peer.read_available(into);
          return status <= 0 || into.size() >= limit;
        },
        std::chrono::seconds(20));
    return status;
  }
};

TEST_P(TcpStreamTest, BytesFlowBothWaysInOrder) {
  RecordingTcpObserver client_events, server_events;
  auto pair = connected_pair();
  pair.client->set_observer(&client_events);
  pair.server->set_observer(&server_events);
  pair.server->add_read_credit(1 << 20);
  pair.client->add_read_credit(1 << 20);

  // The sample application: an empty write, then the message.
  ASSERT_TRUE(pair.client->write({}));
  ASSERT_TRUE(pair.client->write(bytes_of("Hello, world!")));
  ASSERT_TRUE(io.run_until([&] { return server_events.received.size() == 13; }));
  EXPECT_EQ(text_of(server_events.received), "Hello, world!");
  ASSERT_TRUE(io.run_until([&] { return client_events.written == 13; }));

  ASSERT_TRUE(pair.server->write(bytes_of("pong")));
  ASSERT_TRUE(io.run_until([&] { return client_events.received.size() == 4; }));
  EXPECT_EQ(text_of(client_events.received), "pong");
}

TEST_P(TcpStreamTest, PeerShutdownAndDropIsACleanEndOfInput) {
  RecordingTcpObserver events;
  auto connection = connect_to_raw_peer(events);
  connection.socket->add_read_credit(1024);
  ASSERT_TRUE(connection.peer.send_all(bytes_of("last words")));
  ::shutdown(connection.peer.fd(), SHUT_WR);
  connection.peer.close();
  ASSERT_TRUE(io.run_until([&] { return events.ended; }));
  EXPECT_EQ(text_of(events.received), "last words");
  EXPECT_FALSE(events.end_error.has_value());
}

TEST_P(TcpStreamTest, PeerResetEndsInputWithConnectionReset) {
  RecordingTcpObserver events;
  auto connection = connect_to_raw_peer(events);
  connection.socket->add_read_credit(1024);
  connection.peer.reset();
  ASSERT_TRUE(io.run_until([&] { return events.ended; }));
  ASSERT_TRUE(events.end_error.has_value());
  EXPECT_EQ(*events.end_error, ErrorCode::connection_reset);
}

TEST_P(TcpStreamTest, WritingToAResetPeerFailsTheOutput) {
  RecordingTcpObserver events;
  auto connection = connect_to_raw_peer(events);
  reset_peer_until_output_fails(connection, events);
  EXPECT_EQ(*events.output_error, ErrorCode::connection_reset);
  // Later writes are accepted and discarded; nothing crashes.
  EXPECT_TRUE(connection.socket->write(pattern(4096)));
}

// The kernel reports a reset once: here the write path takes it (no read credit yet), and the
// read that follows sees only an end of stream. The input still ends with the reset.
TEST_P(TcpStreamTest, ResetTakenByAWriteStillEndsInputWithConnectionReset) {
  RecordingTcpObserver events;
  auto connection = connect_to_raw_peer(events);
  reset_peer_until_output_fails(connection, events);
  connection.socket->add_read_credit(1024);
  ASSERT_TRUE(io.run_until([&] { return events.ended; }));
  ASSERT_TRUE(events.end_error.has_value()) << "the reset became a clean end of stream";
  EXPECT_EQ(*events.end_error, ErrorCode::connection_reset);
}

TEST_P(TcpStreamTest, NoCreditMeansNoReading) {
  RecordingTcpObserver events;
  auto connection = connect_to_raw_peer(events);
  const auto sent = pattern(200 * 1024);
  ASSERT_TRUE(connection.peer.send_all(sent));
  io.run_until([] { return false; }, std::chrono::milliseconds(100));
  EXPECT_TRUE(events.received.empty());

  connection.socket->add_read_credit(1000);
  ASSERT_TRUE(io.run_until([&] { return events.received.size() >= 1000; }));
  io.run_until([] { return false; }, std::chrono::milliseconds(100));
  EXPECT_EQ(events.received.size(), 1000u) << "read beyond the credit";

  connection.socket->add_read_credit(1 << 20);
  ASSERT_TRUE(io.run_until([&] { return events.received.size() == sent.size(); }));
  EXPECT_EQ(events.received, sent);
  EXPECT_LE(events.largest_chunk, 64u * 1024);
}

TEST_P(TcpStreamTest, LargeWritesArriveCompleteAndAreAcknowledged) {
  RecordingTcpObserver events;
  auto connection = connect_to_raw_peer(events);
  const auto data = pattern(8 * 1024 * 1024);
  for (std::size_t offset = 0; offset < data.size(); offset += 100'000) {
    const auto end = std::min(data.size(), offset + 100'000);
    ASSERT_TRUE(connection.socket->write(std::span(data.data() + offset, end - offset)));
  }
  std::vector<std::byte> received;
  drain_peer(connection.peer, received, data.size());
  EXPECT_EQ(received.size(), data.size());
  EXPECT_TRUE(received == data);
  ASSERT_TRUE(io.run_until([&] { return events.written == data.size(); }));
}

TEST_P(TcpStreamTest, ShutdownSendWaitsForEveryByteUpToTheWriteOffset) {
  RecordingTcpObserver events;
  auto connection = connect_to_raw_peer(events);
  const auto first = bytes_of("first part;");
  const auto second = bytes_of("second part");
  ASSERT_TRUE(connection.socket->write(first));

  // The client's shutdown overtook its last write on the way here.
  std::optional<Result<void>> outcome;
  connection.socket->shutdown(ShutdownType::send, first.size() + second.size(),
                              [&](Result<void> result) { outcome = result; });
  io.run_until([] { return false; }, std::chrono::milliseconds(50));
  EXPECT_FALSE(outcome.has_value()) << "shut down before all bytes were written";

  ASSERT_TRUE(connection.socket->write(second));
  ASSERT_TRUE(io.run_until([&] { return outcome.has_value(); }));
  EXPECT_TRUE(*outcome);

  std::vector<std::byte> received;
  EXPECT_EQ(drain_peer(connection.peer, received), 0) << "expected EOF after the data";
  EXPECT_EQ(text_of(received), "first part;second part");
  // The output stream is closed now.
  WASI_SOCKETD_EXPECT_ERROR(connection.socket->write(first), ErrorCode::invalid_state);
  // shutdown is idempotent.
  EXPECT_TRUE(shutdown(*connection.socket, ShutdownType::send, first.size() + second.size()));
}

TEST_P(TcpStreamTest, ShutdownReceiveStopsDelivery) {
  RecordingTcpObserver events;
  auto connection = connect_to_raw_peer(events);
  ASSERT_TRUE(shutdown(*connection.socket, ShutdownType::receive));
  connection.socket->add_read_credit(1024);
  connection.peer.send_all(bytes_of("ignored"));
  io.run_until([] { return false; }, std::chrono::milliseconds(50));
  EXPECT_TRUE(events.received.empty());
  // Sending still works.
  ASSERT_TRUE(connection.socket->write(bytes_of("still here")));
  std::vector<std::byte> received;
  drain_peer(connection.peer, received, 10);
  EXPECT_EQ(text_of(received), "still here");
}

TEST_P(TcpStreamTest, CloseAfterDrainsThenCloses) {
  RecordingTcpObserver events;
  auto connection = connect_to_raw_peer(events);
  const auto data = pattern(4 * 1024 * 1024);  // far more than the kernel buffers hold
  ASSERT_TRUE(connection.socket->write(data));
  connection.socket->close_after(data.size());
  connection.socket.reset();  // the session forgets it at once

  std::vector<std::byte> received;
  EXPECT_EQ(drain_peer(connection.peer, received), 0) << "expected EOF after the data";
  EXPECT_EQ(received.size(), data.size());
  EXPECT_TRUE(received == data);
  EXPECT_EQ(events.written, 0u) << "the observer was detached by close_after";
}

TEST_P(TcpStreamTest, CloseAfterGivesUpAfterTheLinger) {
  RecordingTcpObserver events;
  auto connection = connect_to_raw_peer(events);
  // Claims bytes that never come: the linger bound still closes the socket.
  connection.socket->close_after(100, std::chrono::milliseconds(100));
  std::weak_ptr<TcpSocket> weak = connection.socket;
  connection.socket.reset();
  EXPECT_FALSE(weak.expired()) << "must stay alive while lingering";
  std::vector<std::byte> received;
  EXPECT_EQ(drain_peer(connection.peer, received), 0);
  EXPECT_TRUE(io.run_until([&] { return weak.expired(); }));
}

TEST_P(TcpStreamTest, CloseAfterShutdownSendDoesNotWaitForBytesThatCannotCome) {
  RecordingTcpObserver events;
  auto connection = connect_to_raw_peer(events);
  ASSERT_TRUE(shutdown(*connection.socket, ShutdownType::send, 0));
  // A client that counted a refused write still names it in its drop.
  connection.socket->close_after(100);
  std::weak_ptr<TcpSocket> weak = connection.socket;
  connection.socket.reset();
  EXPECT_TRUE(io.run_until([&] { return weak.expired(); }, std::chrono::seconds(1)))
      << "waited for the linger instead of closing";
}

TEST_P(TcpStreamTest, DroppingTheLastReferenceClosesAtOnce) {
  RecordingTcpObserver events;
  auto connection = connect_to_raw_peer(events);
  connection.socket->add_read_credit(1024);  // a read wait is pending
  std::weak_ptr<TcpSocket> weak = connection.socket;
  connection.socket.reset();
  EXPECT_TRUE(weak.expired()) << "pending waits must not keep the socket alive";
  std::vector<std::byte> received;
  EXPECT_EQ(drain_peer(connection.peer, received), 0);
}

TEST_P(TcpStreamTest, AcceptReadinessFollowsPendingConnections) {
  RecordingTcpObserver events;
  auto listener = make_listener();
  listener->set_observer(&events);
  EXPECT_FALSE(listener->ready());
  auto raw = RawSocket::connect_to(*listener->local_address());
  ASSERT_TRUE(io.run_until([&] { return events.accept_ready == true; }));
  EXPECT_TRUE(listener->ready());
  auto accepted = listener->accept();
  ASSERT_TRUE(accepted);
  EXPECT_FALSE(listener->ready());
  ASSERT_TRUE(io.run_until([&] { return events.accept_ready == false; }));
  WASI_SOCKETD_EXPECT_ERROR(listener->accept(), ErrorCode::would_block);
}

TEST_P(TcpStreamTest, ListenerServesASecondClient) {
  auto listener = make_listener();
  for (int i = 0; i < 2; ++i) {
    RecordingTcpObserver events;
    auto client = make_socket();
    connect(*client, *listener);
    auto server = accept_one(*listener);
    ASSERT_TRUE(server);
    server->set_observer(&events);
    server->add_read_credit(64);
    ASSERT_TRUE(client->write(bytes_of("Hello, world!")));
    ASSERT_TRUE(io.run_until([&] { return events.received.size() == 13; }));
    server->set_observer(nullptr);
  }
}

INSTANTIATE_TEST_SUITE_P(BothFamilies, TcpStreamTest, ::testing::Values(Family::ipv4, Family::ipv6),
                         testing::family_name);

}  // namespace
}  // namespace wasi_socketd::sockets
