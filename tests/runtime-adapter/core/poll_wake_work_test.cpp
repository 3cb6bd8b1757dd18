// Issue 12: waking one ready connection among many idle ones costs no work on the idle ones in the
// daemon or in the mirror. Counted, not timed, with 2,000 idle connections held by the same
// session: Mirror::entries_visited() over one poll() through the C ABI, and the daemon's fds
// named by its syscalls (strace -f, tests/bench/daemon_trace.h) during wakes.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <future>
#include <thread>
#include <vector>

#include "daemon_trace.h"
#include "host.h"  // internal: the session whose mirror counts its lookups
#include "host_fixture.h"
#include "loopback_peer.h"

namespace wasi_socketd::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kIdle = 2000;
constexpr std::size_t kInFlight = 64;

struct Held {
  uint32_t socket = 0, input = 0, output = 0, readable = 0;
  int peer = -1;  // the far end, accepted by the LoopbackPeer
};

class PollWakeWorkTest : public HostTest {
 protected:
  // Connects `count` sockets through the host to `peer_`, kInFlight connects at a time.
  void connect_all(std::size_t count) {
    const auto to = abi_address("127.0.0.1", peer_.port());
    while (held_.size() < count) {
      const std::size_t first = held_.size();
      const std::size_t batch = std::min(kInFlight, count - first);
      for (std::size_t i = 0; i < batch; ++i) {
        Held c;
        ASSERT_EQ(wsd_tcp_create_socket(h_, WSD_IPV4, &c.socket), WSD_OK) << trap_message();
        ASSERT_EQ(wsd_tcp_start_connect(h_, c.socket, network_, &to), WSD_OK);
        held_.push_back(c);
      }
      for (std::size_t i = first; i < held_.size(); ++i) {
        Held& c = held_[i];
        c.peer = peer_.accept_one(10s);
        ASSERT_GE(c.peer, 0);
        block_on(c.socket, wsd_tcp_subscribe);
        ASSERT_EQ(wsd_tcp_finish_connect(h_, c.socket, &c.input, &c.output), WSD_OK);
        ASSERT_EQ(wsd_input_stream_subscribe(h_, c.input, &c.readable), WSD_OK);
      }
    }
  }

  std::uint64_t visits() {
    return h_->host->session().with_mirror(
        [](const client::Mirror& m) { return m.entries_visited(); });
  }

  // Polls `list` while a byte arrives on held_[k] (written 50 ms into the poll); returns the
  // mirror entries the poll visited, and drains the byte afterwards.
  std::uint64_t visits_of_one_wake(const std::vector<uint32_t>& list, std::size_t k,
                                   std::size_t expected_index) {
    auto writer = std::async(std::launch::async, [&] {
      std::this_thread::sleep_for(50ms);
      return ::send(held_[k].peer, "x", 1, MSG_NOSIGNAL);
    });
    std::vector<uint32_t> ready(list.size());
    std::size_t n = 0;
    const std::uint64_t before = visits();
    EXPECT_EQ(wsd_poll(h_, list.data(), list.size(), ready.data(), &n), WSD_OK) << trap_message();
    const std::uint64_t visited = visits() - before;
    std::printf("one wake, list of %zu among %zu connections: %llu mirror entries visited\n",
                list.size(), held_.size(), static_cast<unsigned long long>(visited));
    EXPECT_EQ(writer.get(), 1);
    EXPECT_EQ(std::vector<uint32_t>(ready.begin(), ready.begin() + n),
              std::vector<uint32_t>{static_cast<uint32_t>(expected_index)});
    uint8_t byte = 0;
    uint64_t got = 0;
    EXPECT_EQ(wsd_input_stream_read(h_, held_[k].input, 1, &byte, &got, nullptr), WSD_OK);
    EXPECT_EQ(got, 1u);
    return visited;
  }

  LoopbackPeer peer_;
  std::vector<Held> held_;
};

// A poll over one connection's pollable while 2,000 other connections of the session sit idle:
// the mirror looks up a few entries (the polled one, per pass, and the frame's), not the idle
// ones.
TEST_F(PollWakeWorkTest, AShortListAmongIdleConnectionsVisitsOnlyItsOwnEntries) {
  connect_all(kIdle + 1);
  const std::size_t k = kIdle / 2;
  const std::uint64_t visited = visits_of_one_wake({held_[k].readable}, k, 0);
  EXPECT_GE(visited, 1u);
  EXPECT_LE(visited, 16u) << "a wake among " << kIdle << " idle connections";
}

// A poll over every connection's pollable (as a server guest polls all it holds): the work is
// a few passes over the list the guest passed, so it scales with the list, no worse.
TEST_F(PollWakeWorkTest, TheWholeListIsVisitedAFewTimesPerWake) {
  connect_all(kIdle + 1);
  std::vector<uint32_t> list;
  for (const Held& c : held_) list.push_back(c.readable);
  const std::size_t k = kIdle / 3;
  const std::uint64_t visited = visits_of_one_wake(list, k, k);
  EXPECT_GE(visited, list.size());
  EXPECT_LE(visited, 4 * list.size() + 16);
}

// The daemon's side of the same wakes: the fds its network and descriptor syscalls name while
// kWakes connections among the 2,001 are woken (and read) one after another. Each wake may touch
// its own socket and the daemon's fixed ones (epoll, eventfds, the session's Unix socket), never
// the idle sockets.
TEST_F(PollWakeWorkTest, WakesTouchOnlyTheWokenSocketsInTheDaemon) {
  if (::access("/usr/bin/strace", X_OK) != 0) GTEST_SKIP() << "strace is not installed";
  connect_all(kIdle + 1);
  constexpr std::size_t kWakes = 10;
  constexpr std::size_t kFixedFds = 8;  // 6 seen: epoll, eventfds, the session's socket
  bench::DaemonTouches touches;
  try {
    touches = bench::trace_daemon(broker_->pid(), [&] {
      for (std::size_t i = 0; i < kWakes; ++i) {
        const std::size_t k = 1 + i * (kIdle / kWakes);
        visits_of_one_wake({held_[k].readable}, k, 0);
      }
    });
  } catch (const std::runtime_error& error) {
    GTEST_SKIP() << error.what();  // ptrace not permitted here
  }
  std::printf("%zu wakes among %zu connections: the daemon named %zu fds in %zu syscalls\n", kWakes,
              held_.size(), touches.fds.size(), touches.syscalls);
  EXPECT_GE(touches.fds.size(), kWakes);
  EXPECT_LE(touches.fds.size(), kWakes + kFixedFds);
}

}  // namespace
}  // namespace wasi_socketd::testing
