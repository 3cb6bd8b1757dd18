// Random sequences of every public call, with good and bad arguments, on a handful of TCP and
// UDP sockets (deterministic seeds). Whatever the order, nothing crashes, every answer is a WIT
// error-code the state allows, and the state machine never leaves its diagram. Run under the
// sanitizers (WASI_SOCKETD_SANITIZE) this also checks memory and lifetime safety.
#include <gtest/gtest.h>

#include <random>

#include "sockets/udp_socket.h"
#include "tcp_test_support.h"

namespace wasi_socketd::sockets {
namespace {

using testing::address;
using testing::loopback;
using testing::TcpTest;
using State = TcpSocket::State;

class CallSequenceTest : public TcpTest {
 protected:
  SocketAddress random_address(std::mt19937& random) {
    static const char* const ips[] = {
        "127.0.0.1", "::1",     "0.0.0.0",          "::",       "255.255.255.255",
        "224.0.0.1", "ff02::1", "::ffff:127.0.0.1", "192.0.2.1"};
    std::uniform_int_distribution<std::size_t> pick(0, std::size(ips));
    const std::size_t index = pick(random);
    // Sometimes the address of a live socket, so connects and binds can collide for real.
    if (index == std::size(ips) && !known_.empty()) return known_[random() % known_.size()];
    auto result = address(ips[index % std::size(ips)], static_cast<std::uint16_t>(random() % 3));
    return result;
  }

  void remember(const Result<SocketAddress>& local) {
    if (local && local->port != 0) known_.push_back(*local);
  }

  std::vector<SocketAddress> known_;
};

TEST_P(CallSequenceTest, TcpNeverLeavesTheDiagram) {
  for (unsigned seed = 1; seed <= 5; ++seed) {
    std::mt19937 random(seed);
    std::vector<std::shared_ptr<TcpSocket>> sockets;
    for (int i = 0; i < 4; ++i) sockets.push_back(make_socket());
    const auto payload = testing::bytes_of("payload");
    for (int step = 0; step < 600; ++step) {
      const std::size_t index = random() % sockets.size();
      auto socket = sockets[index];  // a copy: accept() may grow the vector
      const State before = socket->state();
      bool replaced = false;
      switch (random() % 16) {
        case 0:
          (void)socket->start_bind(random_address(random));
          break;
        case 1:
          (void)socket->finish_bind();
          break;
        case 2:
          (void)socket->start_connect(random_address(random));
          break;
        case 3:
          (void)socket->finish_connect();
          break;
        case 4:
          (void)socket->start_listen();
          break;
        case 5:
          (void)socket->finish_listen();
          break;
        case 6:
          if (auto accepted = socket->accept()) sockets.push_back(*accepted);
          break;
        case 7:
          remember(socket->local_address());
          break;
        case 8:
          (void)socket->remote_address();
          break;
        case 9:
          (void)socket->set_listen_backlog_size(random() % 3);
          break;
        case 10:
          (void)socket->set_hop_limit(static_cast<std::uint8_t>(random() % 3));
          break;
        case 11:
          socket->add_read_credit(random() % 100);
          break;
        case 12:
          (void)socket->write(payload);
          break;
        case 13:
          socket->shutdown(static_cast<ShutdownType>(random() % 3), random() % 20,
                           [](Result<void>) {});
          break;
        case 14:
          if (random() % 4 == 0) {
            socket->close_after(random() % 20, std::chrono::milliseconds(5));
            sockets[index] = socket = make_socket();
            replaced = true;
          }
          break;
        default:
          io.drain();
          break;
      }
      // Only the transitions of TcpSocketOperationalSemantics.md (plus close/drop).
      const State after = socket->state();
      if (!replaced && after != before && after != State::closed) {
        const bool allowed =
            (before == State::unbound &&
             (after == State::bind_in_progress || after == State::connect_in_progress)) ||
            (before == State::bind_in_progress && after == State::bound) ||
            (before == State::bound &&
             (after == State::listen_in_progress || after == State::connect_in_progress)) ||
            (before == State::listen_in_progress && after == State::listening) ||
            (before == State::connect_in_progress && after == State::connected);
        EXPECT_TRUE(allowed) << "seed " << seed << " step " << step << ": "
                             << static_cast<int>(before) << " -> " << static_cast<int>(after);
      }
    }
    sockets.clear();
    io.run_until([] { return false; }, std::chrono::milliseconds(20));
  }
}

TEST_P(CallSequenceTest, UdpAnswersEveryCall) {
  auto policy = std::make_shared<AllowAllPolicy>();
  for (unsigned seed = 1; seed <= 5; ++seed) {
    std::mt19937 random(seed);
    std::vector<std::shared_ptr<UdpSocket>> sockets;
    for (int i = 0; i < 3; ++i)
      sockets.push_back(*UdpSocket::create(io.strand(), family(), policy));
    const auto small = testing::bytes_of("x");
    const std::vector<std::byte> huge(70000);
    for (int step = 0; step < 600; ++step) {
      auto& socket = sockets[random() % sockets.size()];
      switch (random() % 9) {
        case 0:
          (void)socket->start_bind(random_address(random));
          break;
        case 1:
          (void)socket->finish_bind();
          break;
        case 2:
          (void)socket->stream(random() % 3 == 0 ? std::nullopt
                                                 : std::optional(random_address(random)));
          break;
        case 3:
          remember(socket->local_address());
          break;
        case 4:
          (void)socket->remote_address();
          break;
        case 5: {
          auto received = socket->receive(random() % 5);
          if (received) {
            EXPECT_LE(received->size(), 4u);
          }
          break;
        }
        case 6: {
          const OutgoingDatagram datagrams[] = {
              {random() % 5 == 0 ? std::span<const std::byte>(huge) : small,
               random() % 2 ? std::optional(random_address(random)) : std::nullopt},
              {small, std::nullopt}};
          auto sent = socket->send(datagrams);
          if (sent) {
            EXPECT_LE(*sent, 2u);
          }
          break;
        }
        case 7:
          (void)socket->set_unicast_hop_limit(static_cast<std::uint8_t>(random() % 3));
          break;
        default:
          io.drain();
          break;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(BothFamilies, CallSequenceTest,
                         ::testing::Values(Family::ipv4, Family::ipv6), testing::family_name);

}  // namespace
}  // namespace wasi_socketd::sockets
