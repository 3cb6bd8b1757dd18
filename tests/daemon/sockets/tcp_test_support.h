// TCP helpers for the socket core tests: sockets in each WIT state, on loopback.
#pragma once

#include <memory>

#include "sockets/tcp_socket.h"
#include "test_support.h"

namespace wasi_socketd::sockets::testing {

class TcpTest : public ::testing::TestWithParam<Family> {
 protected:
  Family family() const { return GetParam(); }

  std::shared_ptr<TcpSocket> make_socket(std::shared_ptr<const SocketPolicy> policy = nullptr) {
    if (!policy) policy = std::make_shared<AllowAllPolicy>();
    auto socket = TcpSocket::create(io.strand(), family(), std::move(policy));
    EXPECT_TRUE(socket) << "create failed";
    return socket ? *socket : nullptr;
  }

  std::shared_ptr<TcpSocket> make_bound(std::shared_ptr<const SocketPolicy> policy = nullptr) {
    auto socket = make_socket(std::move(policy));
    EXPECT_TRUE(socket->start_bind(loopback(family())));
    EXPECT_TRUE(socket->finish_bind());
    return socket;
  }

  std::shared_ptr<TcpSocket> make_listener(std::shared_ptr<const SocketPolicy> policy = nullptr) {
    auto socket = make_bound(std::move(policy));
    EXPECT_TRUE(socket->start_listen());
    EXPECT_TRUE(socket->finish_listen());
    return socket;
  }

  // Waits until `listener` accepts a connection.
  std::shared_ptr<TcpSocket> accept_one(TcpSocket& listener) {
    std::shared_ptr<TcpSocket> accepted;
    EXPECT_TRUE(io.run_until([&] {
      auto result = listener.accept();
      if (result) accepted = *result;
      return accepted != nullptr;
    }));
    return accepted;
  }

  // Connects `client` to `listener` and waits for finish-connect to succeed.
  void connect(TcpSocket& client, TcpSocket& listener) {
    ASSERT_TRUE(client.start_connect(*listener.local_address()));
    ASSERT_TRUE(io.run_until([&] { return client.ready(); }));
    auto finished = client.finish_connect();
    ASSERT_TRUE(finished) << to_string(finished.error());
  }

  struct Pair {
    std::shared_ptr<TcpSocket> listener, client, server;
  };
  Pair connected_pair() {
    Pair pair;
    pair.listener = make_listener();
    pair.client = make_socket();
    connect(*pair.client, *pair.listener);
    pair.server = accept_one(*pair.listener);
    return pair;
  }

  // shutdown() completes asynchronously; run until it does.
  Result<void> shutdown(TcpSocket& socket, ShutdownType how, std::uint64_t write_offset = 0) {
    std::optional<Result<void>> outcome;
    socket.shutdown(how, write_offset, [&](Result<void> result) { outcome = result; });
    EXPECT_TRUE(io.run_until([&] { return outcome.has_value(); }));
    return outcome.value_or(ErrorCode::unknown);
  }

  IoFixture io;
};

}  // namespace wasi_socketd::sockets::testing
