// TcpSocketTest: helpers for driving client TcpSockets against the real broker, per family.
#pragma once

#include <chrono>

#include "session_fixture.h"
#include "wasi_socketd/client/tcp_socket.h"

namespace wasi_socketd::testing {

class TcpSocketTest : public FamilyTest {
 protected:
  client::TcpSocket make() {
    auto socket = client::TcpSocket::create(session_, family());
    EXPECT_TRUE(socket) << "create failed";
    return std::move(*socket);
  }

  void bind(client::TcpSocket& s, const client::IpSocketAddress& address) {
    ASSERT_TRUE(s.start_bind(session_->network_id(), address));
    ASSERT_TRUE(s.finish_bind());
  }

  client::TcpSocket listener() {
    client::TcpSocket s = make();
    bind(s, loopback(family()));
    EXPECT_TRUE(s.start_listen());
    EXPECT_TRUE(s.finish_listen());
    return s;
  }

  // Waits (bounded) for a readiness flag the broker pushes.
  bool wait_ready(std::uint64_t id, client::ReadinessKind kind) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    return session_->wait_until([&](const client::Mirror& m) { return m.ready(id, kind); },
                                deadline) &&
           session_->alive();
  }

  client::Status connect_to(client::TcpSocket& s, const client::IpSocketAddress& remote) {
    client::Status started = s.start_connect(session_->network_id(), remote);
    if (!started) return started;
    EXPECT_TRUE(wait_ready(s.id(), client::ReadinessKind::kConnect));
    auto done = s.finish_connect();
    if (!done) return done.error();
    return client::ok_status();
  }
};

}  // namespace wasi_socketd::testing
