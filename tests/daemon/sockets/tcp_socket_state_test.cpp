// Every state x call combination of TcpSocketOperationalSemantics.md that CONFORMANCE.md lists.
#include <gtest/gtest.h>

#include "tcp_test_support.h"

namespace wasi_socketd::sockets {
namespace {

using testing::loopback;
using testing::TcpTest;
using State = TcpSocket::State;

class TcpStateTest : public TcpTest {
 protected:
  // CONFORMANCE.md: every option getter and setter works in this state.
  void expect_options_work(TcpSocket& socket) {
    EXPECT_TRUE(socket.set_listen_backlog_size(32));
    EXPECT_TRUE(socket.set_keep_alive_enabled(true));
    EXPECT_TRUE(socket.set_keep_alive_enabled(false));
    EXPECT_TRUE(socket.keep_alive_enabled());
    EXPECT_TRUE(socket.set_keep_alive_idle_time(1'000'000'000));
    EXPECT_TRUE(socket.keep_alive_idle_time());
    EXPECT_TRUE(socket.set_keep_alive_interval(1'000'000'000));
    EXPECT_TRUE(socket.keep_alive_interval());
    EXPECT_TRUE(socket.set_keep_alive_count(1));
    EXPECT_TRUE(socket.keep_alive_count());
    EXPECT_TRUE(socket.set_hop_limit(255));
    EXPECT_TRUE(socket.hop_limit());
    EXPECT_TRUE(socket.set_receive_buffer_size(16000));
    EXPECT_TRUE(socket.receive_buffer_size());
    EXPECT_TRUE(socket.set_send_buffer_size(16000));
    EXPECT_TRUE(socket.send_buffer_size());
  }
  void expect_finishes_not_in_progress(TcpSocket& socket) {
    WASI_SOCKETD_EXPECT_ERROR(socket.finish_bind(), ErrorCode::not_in_progress);
    WASI_SOCKETD_EXPECT_ERROR(socket.finish_connect(), ErrorCode::not_in_progress);
    WASI_SOCKETD_EXPECT_ERROR(socket.finish_listen(), ErrorCode::not_in_progress);
  }
  // A port on loopback where nothing listens.
  SocketAddress closed_port() {
    auto probe = make_bound();
    return *probe->local_address();
  }
};

TEST_P(TcpStateTest, Unbound) {
  auto socket = make_socket();
  EXPECT_EQ(socket->state(), State::unbound);
  expect_finishes_not_in_progress(*socket);
  WASI_SOCKETD_EXPECT_ERROR(socket->start_listen(), ErrorCode::invalid_state);
  WASI_SOCKETD_EXPECT_ERROR(socket->accept(), ErrorCode::invalid_state);
  WASI_SOCKETD_EXPECT_ERROR(shutdown(*socket, ShutdownType::both), ErrorCode::invalid_state);
  WASI_SOCKETD_EXPECT_ERROR(socket->local_address(), ErrorCode::invalid_state);
  WASI_SOCKETD_EXPECT_ERROR(socket->remote_address(), ErrorCode::invalid_state);
  EXPECT_FALSE(socket->is_listening());
  EXPECT_EQ(socket->address_family(), family());
  EXPECT_TRUE(socket->ready());
  expect_options_work(*socket);
}

TEST_P(TcpStateTest, Bound) {
  auto socket = make_bound();
  EXPECT_EQ(socket->state(), State::bound);
  WASI_SOCKETD_EXPECT_ERROR(socket->start_bind(loopback(family())), ErrorCode::invalid_state);
  expect_finishes_not_in_progress(*socket);
  WASI_SOCKETD_EXPECT_ERROR(socket->accept(), ErrorCode::invalid_state);
  WASI_SOCKETD_EXPECT_ERROR(shutdown(*socket, ShutdownType::both), ErrorCode::invalid_state);
  WASI_SOCKETD_EXPECT_ERROR(socket->remote_address(), ErrorCode::invalid_state);
  auto local = socket->local_address();
  ASSERT_TRUE(local);
  EXPECT_EQ(local->ip, loopback(family()).ip);
  EXPECT_NE(local->port, 0);
  expect_options_work(*socket);
}

TEST_P(TcpStateTest, Listening) {
  auto socket = make_listener();
  EXPECT_EQ(socket->state(), State::listening);
  WASI_SOCKETD_EXPECT_ERROR(socket->start_bind(loopback(family())), ErrorCode::invalid_state);
  WASI_SOCKETD_EXPECT_ERROR(socket->start_connect(loopback(family(), 80)),
                            ErrorCode::invalid_state);
  WASI_SOCKETD_EXPECT_ERROR(socket->start_listen(), ErrorCode::invalid_state);
  expect_finishes_not_in_progress(*socket);
  WASI_SOCKETD_EXPECT_ERROR(shutdown(*socket, ShutdownType::both), ErrorCode::invalid_state);
  WASI_SOCKETD_EXPECT_ERROR(socket->remote_address(), ErrorCode::invalid_state);
  EXPECT_TRUE(socket->is_listening());
  EXPECT_TRUE(socket->local_address());
  EXPECT_TRUE(socket->set_listen_backlog_size(64));
  // Nothing pending: accept would block and the pollable is not ready.
  WASI_SOCKETD_EXPECT_ERROR(socket->accept(), ErrorCode::would_block);
  EXPECT_FALSE(socket->ready());
}

TEST_P(TcpStateTest, Connected) {
  auto pair = connected_pair();
  for (auto* socket : {pair.client.get(), pair.server.get()}) {
    EXPECT_EQ(socket->state(), State::connected);
    WASI_SOCKETD_EXPECT_ERROR(socket->start_bind(loopback(family())), ErrorCode::invalid_state);
    WASI_SOCKETD_EXPECT_ERROR(socket->start_connect(*pair.listener->local_address()),
                              ErrorCode::invalid_state);
    WASI_SOCKETD_EXPECT_ERROR(socket->start_listen(), ErrorCode::invalid_state);
    expect_finishes_not_in_progress(*socket);
    WASI_SOCKETD_EXPECT_ERROR(socket->accept(), ErrorCode::invalid_state);
    WASI_SOCKETD_EXPECT_ERROR(socket->set_listen_backlog_size(10), ErrorCode::invalid_state);
    EXPECT_TRUE(socket->local_address());
    EXPECT_TRUE(socket->remote_address());
    EXPECT_FALSE(socket->is_listening());
    EXPECT_TRUE(socket->ready());
  }
  EXPECT_EQ(*pair.client->remote_address(), *pair.listener->local_address());
  EXPECT_EQ(*pair.server->remote_address(), *pair.client->local_address());
  EXPECT_EQ(*pair.server->local_address(), *pair.listener->local_address());
}

TEST_P(TcpStateTest, StartWhileBindInProgressIsAConcurrencyConflict) {
  auto socket = make_socket();
  ASSERT_TRUE(socket->start_bind(loopback(family())));
  EXPECT_EQ(socket->state(), State::bind_in_progress);
  WASI_SOCKETD_EXPECT_ERROR(socket->start_bind(loopback(family())),
                            ErrorCode::concurrency_conflict);
  WASI_SOCKETD_EXPECT_ERROR(socket->start_listen(), ErrorCode::concurrency_conflict);
  WASI_SOCKETD_EXPECT_ERROR(socket->start_connect(loopback(family(), 80)),
                            ErrorCode::concurrency_conflict);
  WASI_SOCKETD_EXPECT_ERROR(socket->finish_connect(), ErrorCode::not_in_progress);
  EXPECT_TRUE(socket->finish_bind());
}

TEST_P(TcpStateTest, StartWhileListenInProgressIsAConcurrencyConflict) {
  auto socket = make_bound();
  ASSERT_TRUE(socket->start_listen());
  EXPECT_EQ(socket->state(), State::listen_in_progress);
  WASI_SOCKETD_EXPECT_ERROR(socket->start_listen(), ErrorCode::concurrency_conflict);
  WASI_SOCKETD_EXPECT_ERROR(socket->start_bind(loopback(family())),
                            ErrorCode::concurrency_conflict);
  WASI_SOCKETD_EXPECT_ERROR(socket->finish_bind(), ErrorCode::not_in_progress);
  EXPECT_TRUE(socket->finish_listen());
}

TEST_P(TcpStateTest, ConnectInProgress) {
  auto listener = make_listener();
  auto socket = make_socket();
  ASSERT_TRUE(socket->start_connect(*listener->local_address()));
  EXPECT_EQ(socket->state(), State::connect_in_progress);
  // The outcome is only learnt from the event loop, which has not run yet.
  EXPECT_FALSE(socket->ready());
  WASI_SOCKETD_EXPECT_ERROR(socket->finish_connect(), ErrorCode::would_block);
  WASI_SOCKETD_EXPECT_ERROR(socket->start_connect(*listener->local_address()),
                            ErrorCode::concurrency_conflict);
  WASI_SOCKETD_EXPECT_ERROR(socket->start_bind(loopback(family())),
                            ErrorCode::concurrency_conflict);
  WASI_SOCKETD_EXPECT_ERROR(socket->start_listen(), ErrorCode::concurrency_conflict);
  WASI_SOCKETD_EXPECT_ERROR(socket->finish_bind(), ErrorCode::not_in_progress);
  WASI_SOCKETD_EXPECT_ERROR(socket->accept(), ErrorCode::invalid_state);
  WASI_SOCKETD_EXPECT_ERROR(socket->remote_address(), ErrorCode::invalid_state);
  ASSERT_TRUE(io.run_until([&] { return socket->ready(); }));
  EXPECT_TRUE(socket->finish_connect());
}

TEST_P(TcpStateTest, FailedConnectClosesTheSocket) {
  const auto nobody = closed_port();
  auto socket = make_socket();
  ASSERT_TRUE(socket->start_connect(nobody));
  ASSERT_TRUE(io.run_until([&] { return socket->ready(); }));
  WASI_SOCKETD_EXPECT_ERROR(socket->finish_connect(), ErrorCode::connection_refused);
  EXPECT_EQ(socket->state(), State::closed);
  // Later calls say so.
  WASI_SOCKETD_EXPECT_ERROR(socket->finish_connect(), ErrorCode::not_in_progress);
  WASI_SOCKETD_EXPECT_ERROR(socket->start_connect(nobody), ErrorCode::invalid_state);
  WASI_SOCKETD_EXPECT_ERROR(socket->start_bind(loopback(family())), ErrorCode::invalid_state);
  WASI_SOCKETD_EXPECT_ERROR(socket->start_listen(), ErrorCode::invalid_state);
  WASI_SOCKETD_EXPECT_ERROR(socket->accept(), ErrorCode::invalid_state);
  WASI_SOCKETD_EXPECT_ERROR(socket->local_address(), ErrorCode::invalid_state);
  WASI_SOCKETD_EXPECT_ERROR(socket->remote_address(), ErrorCode::invalid_state);
  WASI_SOCKETD_EXPECT_ERROR(socket->keep_alive_enabled(), ErrorCode::invalid_state);
  WASI_SOCKETD_EXPECT_ERROR(shutdown(*socket, ShutdownType::send), ErrorCode::invalid_state);
  EXPECT_TRUE(socket->ready());
}

TEST_P(TcpStateTest, ConnectFinishedIsReportedToTheObserver) {
  testing::RecordingTcpObserver observer;
  auto listener = make_listener();
  auto socket = make_socket();
  socket->set_observer(&observer);
  ASSERT_TRUE(socket->start_connect(*listener->local_address()));
  EXPECT_EQ(observer.connects_finished, 0);
  ASSERT_TRUE(io.run_until([&] { return observer.connects_finished == 1; }));
  EXPECT_TRUE(socket->ready());
  EXPECT_TRUE(socket->finish_connect());
}

TEST_P(TcpStateTest, ListenOnAnUnboundSocketIsInvalidState) {
  auto socket = make_socket();
  WASI_SOCKETD_EXPECT_ERROR(socket->start_listen(), ErrorCode::invalid_state);
  EXPECT_EQ(socket->state(), State::unbound);
}

TEST_P(TcpStateTest, AFailedBindLeavesTheSocketUnbound) {
  auto socket = make_socket();
  WASI_SOCKETD_EXPECT_ERROR(
      socket->start_bind(testing::address(family() == Family::ipv4 ? "192.0.2.0" : "2001:db8::")),
      ErrorCode::address_not_bindable);
  EXPECT_EQ(socket->state(), State::unbound);
  EXPECT_TRUE(socket->start_bind(loopback(family())));
}

INSTANTIATE_TEST_SUITE_P(BothFamilies, TcpStateTest, ::testing::Values(Family::ipv4, Family::ipv6),
                         testing::family_name);

}  // namespace
}  // namespace wasi_socketd::sockets
