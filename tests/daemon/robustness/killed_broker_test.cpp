// The broker killed with -9 under load: client-library callers blocked in every kind of wait
// (blocking read, blocking flush, waiting for an accept or a datagram) and busy pushing bulk
// data must all return session-lost within a bound, and never hang.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <future>
#include <optional>
#include <string>
#include <vector>

#include "client_load.h"
#include "daemon_process.h"
#include "loopback_peer.h"

namespace wasi_socketd::testing {
namespace {

constexpr int kSessions = 3;
// From the SIGKILL to every caller having returned. The client learns of the death from its
// Attach stream ending, which happens as soon as the kernel closes the daemon's sockets.
constexpr auto kReturnBound = std::chrono::seconds(3);

using client::StreamStatus;

// What each waiter ended with.
struct Outcome {
  std::string what;
  bool session_lost = false;
};

// Everything one session has going when the broker dies.
struct SessionLoad {
  std::shared_ptr<client::Session> session;
  std::optional<client::TcpSocket> silent;    // its peer never sends: blocking_read waits
  std::optional<client::TcpSocket> stuck;     // its peer never reads: a flush waits
  std::optional<client::TcpSocket> bulk;      // its peer drains: pushing bulk
  std::optional<client::TcpSocket> listener;  // nobody connects: waiting for an accept
  std::optional<client::UdpSocket> udp;       // nobody sends: waiting for a datagram
  std::uint64_t generation = 0;               // of udp's datagram streams
};

TEST(KilledBroker, EveryBlockedClientCallReturnsSessionLost) {
  std::optional<DaemonProcess> broker(std::in_place);
  LoopbackPeer silent_peer;  // accepts, never reads, never writes
  LoopbackPeer bulk_peer;    // drained by a thread below
  std::vector<SessionLoad> loads(kSessions);
  for (SessionLoad& load : loads) {
    std::string error;
    load.session = client::Session::open({broker->socket_path()}, &error);
    ASSERT_NE(load.session, nullptr) << error;
    load.silent = connect_through(load.session, silent_peer.port());
    load.stuck = connect_through(load.session, silent_peer.port());
    load.bulk = connect_through(load.session, bulk_peer.port());
    std::uint16_t port = 0;
    load.listener = listen_through(load.session, &port);
    load.udp = udp_to(load.session, silent_peer.port(), &load.generation);
    ASSERT_TRUE(load.silent && load.stuck && load.bulk && load.listener && load.udp);
    ASSERT_GE(silent_peer.accept_one(std::chrono::seconds(5)), 0);
    ASSERT_GE(silent_peer.accept_one(std::chrono::seconds(5)), 0);
  }
  std::atomic<bool> stop_draining{false};
  std::vector<std::future<std::size_t>> drains;
  for (int i = 0; i < kSessions; ++i) {
    const int fd = bulk_peer.accept_one(std::chrono::seconds(5));
    ASSERT_GE(fd, 0);
    drains.push_back(std::async(std::launch::async, [fd, &stop_draining] {
      char buffer[64 << 10];
      std::size_t total = 0;
      while (!stop_draining) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        total += static_cast<std::size_t>(n);
      }
      return total;
    }));
  }

  std::vector<std::future<Outcome>> waiters;
  auto start = [&](std::string what, std::function<bool()> body) {
    waiters.push_back(std::async(std::launch::async, [what, body] {
      return Outcome{what, body()};
    }));
  };
  for (SessionLoad& load : loads) {
    auto session = load.session;
    start("blocking_read", [session, id = load.silent->id()] {
      client::TcpStreams streams(session, id);
      std::uint8_t byte[1];
      return streams.blocking_read(byte).status == StreamStatus::kSessionLost;
    });
    start("blocking_flush", [session, id = load.stuck->id()] {
      client::TcpStreams streams(session, id);
      return push_bulk(streams, 1 << 20) == StreamStatus::kSessionLost;
    });
    start("bulk push", [session, id = load.bulk->id()] {
      client::TcpStreams streams(session, id);
      return push_bulk(streams, 8 << 20) == StreamStatus::kSessionLost;
    });
    start("wait for accept", [session, listener = &*load.listener] {
      session->wait_until(
          [id = listener->id()](const client::Mirror& m) {
            return m.ready(id, client::ReadinessKind::kAccept);
          },
          client::kNoDeadline);
      auto accepted = listener->accept();
      return !accepted && accepted.error() == client::ErrorCode::kSessionLost;
    });
    start("wait for datagram", [session, udp = &*load.udp, generation = load.generation] {
      session->wait_until(
          [id = udp->id()](const client::Mirror& m) {
            return m.ready(id, client::ReadinessKind::kReceive);
          },
          client::kNoDeadline);
      auto received = udp->receive(generation, 1);
      return !received && received.error() == client::ErrorCode::kSessionLost;
    });
  }
  // Let the load run and the stuck flushes fill every buffer between them and their peer.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  for (auto& waiter : waiters) {
    ASSERT_EQ(waiter.wait_for(std::chrono::seconds(0)), std::future_status::timeout)
        << "a waiter returned while the broker was alive";
  }

  ::kill(broker->pid(), SIGKILL);
  const auto killed = std::chrono::steady_clock::now();
  for (auto& waiter : waiters) {
    const auto left = kReturnBound - (std::chrono::steady_clock::now() - killed);
    if (waiter.wait_for(left) != std::future_status::ready) {
      // A hang is the failure under test; report it and end instead of hanging the suite.
      ADD_FAILURE() << "a client call still blocked " << kReturnBound.count()
                    << " s after the broker died";
      std::fflush(nullptr);
      std::_Exit(1);
    }
    const Outcome outcome = waiter.get();
    EXPECT_TRUE(outcome.session_lost) << outcome.what << " did not report session-lost";
  }
  RecordProperty("all_returned_ms",
                 static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::steady_clock::now() - killed)
                                      .count()));
  for (SessionLoad& load : loads) {
    EXPECT_FALSE(load.session->alive());
  }
  stop_draining = true;
  for (auto& drain : drains) {
    EXPECT_GT(drain.get(), 0u) << "no bulk load before the kill";
  }
  broker->terminate();  // reaps the killed process
}

}  // namespace
}  // namespace wasi_socketd::testing
