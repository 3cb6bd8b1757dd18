// TcpPair: a connected client/server socket pair on loopback through one session.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <optional>

#include "session_fixture.h"
#include "wasi_socketd/client/tcp_socket.h"
#include "wasi_socketd/client/tcp_streams.h"

namespace wasi_socketd::testing {

struct TcpPair {
  std::optional<client::TcpSocket> listener;
  std::optional<client::TcpSocket> client;
  std::optional<client::TcpSocket> server;

  // Builds the pair; on failure records a gtest failure and leaves members empty.
  static TcpPair connect(const std::shared_ptr<client::Session>& session,
                         client::AddressFamily family) {
    TcpPair pair;
    const auto deadline = [] { return std::chrono::steady_clock::now() + std::chrono::seconds(5); };
    auto l = client::TcpSocket::create(session, family);
    if (!l) return pair;
    EXPECT_TRUE(l->start_bind(session->network_id(), loopback(family)));
    EXPECT_TRUE(l->finish_bind());
    EXPECT_TRUE(l->start_listen());
    EXPECT_TRUE(l->finish_listen());
    auto address = l->local_address();
    if (!address) return pair;
    auto c = client::TcpSocket::create(session, family);
    if (!c || !c->start_connect(session->network_id(), *address)) return pair;
    session->wait_until(
        [&](const client::Mirror& m) { return m.ready(c->id(), client::ReadinessKind::kConnect); },
        deadline());
    EXPECT_TRUE(c->finish_connect());
    session->wait_until(
        [&](const client::Mirror& m) { return m.ready(l->id(), client::ReadinessKind::kAccept); },
        deadline());
    auto accepted = l->accept();
    EXPECT_TRUE(accepted);
    if (!accepted) return pair;
    pair.listener.emplace(std::move(*l));
    pair.client.emplace(std::move(*c));
    pair.server.emplace(std::move(accepted->socket));
    return pair;
  }

  bool ok() const { return client && server; }
};

}  // namespace wasi_socketd::testing
