// Sequence-aware randomized fuzzing of the whole broker API against the real daemon: many hostile
// sessions at once, a healthy session that must keep working throughout, and afterwards no fd
// left behind and bounded memory. Seeds are fixed (override: WASI_SOCKETD_FUZZ_SEED) so a failure
// replays; each run is bounded in time.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

#include "daemon_process.h"
#include "process_stats.h"
#include "rpc_fuzzer.h"
#include "test_client.h"

namespace wasi_socketd::testing {
namespace {

constexpr int kFuzzSessions = 6;
constexpr auto kFuzzTime = std::chrono::seconds(25);
// Growth of the daemon's RSS over the run we accept: the sessions are gone by then, so what stays
// is allocator caching of freed buffers (1 MiB writes, 64 KiB datagrams), not live state.
constexpr long kRssGrowthBound = 96L << 20;

std::uint64_t base_seed() {
  const char* text = std::getenv("WASI_SOCKETD_FUZZ_SEED");
  return text != nullptr ? std::strtoull(text, nullptr, 0) : 0x5eed'2026;
}

// One round trip that must succeed: create, query and drop a socket.
bool healthy_round_trip(TestClient& client) {
  grpc::Status status;
  v1::CreateTcpSocketRequest create;
  create.set_family(v1::IP_ADDRESS_FAMILY_IPV4);
  auto created = client.call(client.tcp_create(), &v1::TcpCreateSocket::Stub::CreateTcpSocket,
                             create, &status);
  if (!status.ok() || created.error() != v1::ERROR_CODE_UNSPECIFIED) {
    return false;
  }
  v1::TcpSocketRequest request;
  request.set_socket_id(created.socket_id());
  auto family = client.call(client.tcp(), &v1::Tcp::Stub::AddressFamily, request, &status);
  v1::TcpDropRequest drop;
  drop.set_socket_id(created.socket_id());
  auto dropped = client.call(client.tcp(), &v1::Tcp::Stub::Drop, drop, &status);
  return family.family() == v1::IP_ADDRESS_FAMILY_IPV4 &&
         dropped.error() == v1::ERROR_CODE_UNSPECIFIED;
}

TEST(RpcFuzzer, HostileSessionsNeitherCrashLeakNorReachAHealthySession) {
  DaemonProcess daemon;
  TestClient healthy(daemon.target());
  ASSERT_TRUE(healthy.attach());
  std::uint32_t port = 0;
  const std::uint64_t listener = healthy.tcp_listener(v1::IP_ADDRESS_FAMILY_IPV4, &port);
  ASSERT_NE(listener, 0u);
  ASSERT_TRUE(healthy_round_trip(healthy));

  IdPool pool;
  pool.add(listener);  // the fuzzers will try the healthy session's ids
  pool.add(healthy.network_id());
  const int fds_before = daemon.stable_fd_count();
  const long rss_before = daemon.resident_bytes();
  const std::uint64_t seed = base_seed();
  RecordProperty("seed", std::to_string(seed));

  std::atomic<bool> stop{false};
  std::vector<FuzzStats> stats(kFuzzSessions);
  std::vector<std::thread> threads;
  for (int i = 0; i < kFuzzSessions; ++i) {
    threads.emplace_back([&, i] {
      auto fuzzer = std::make_unique<RpcFuzzer>(daemon.target(), seed + i, pool);
      while (!stop) {
        fuzzer->step();
      }
      stats[i] = fuzzer->stats();
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + kFuzzTime;
  int health_checks = 0;
  long rss_peak = rss_before;
  while (std::chrono::steady_clock::now() < deadline) {
    ASSERT_TRUE(healthy_round_trip(healthy)) << "the healthy session stopped working";
    rss_peak = std::max(rss_peak, daemon.resident_bytes());
    ++health_checks;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  stop = true;
  for (std::thread& thread : threads) {
    thread.join();
  }

  FuzzStats total;
  for (const FuzzStats& s : stats) {
    total.calls += s.calls;
    total.successes += s.successes;
    total.frames += s.frames;
    total.reconnects += s.reconnects;
  }
  RecordProperty("calls", std::to_string(total.calls));
  RecordProperty("successes", std::to_string(total.successes));
  RecordProperty("frames", std::to_string(total.frames));
  RecordProperty("sessions", std::to_string(total.reconnects));
  RecordProperty("rss_peak_MiB", std::to_string(rss_peak >> 20));
  EXPECT_GT(total.successes, 100u) << "the fuzzer hardly got past validation";

  // Every fuzzed session is closed now: its sockets and its connection must be gone.
  EXPECT_LE(settle_fd_count(daemon.pid(), static_cast<std::size_t>(fds_before)),
            static_cast<std::size_t>(fds_before))
      << daemon.open_fd_listing();
  const long rss_after = daemon.resident_bytes();
  RecordProperty("rss_growth_KiB", std::to_string((rss_after - rss_before) >> 10));
  EXPECT_LT(rss_after - rss_before, kRssGrowthBound);

  // The healthy session's listener was never reachable from the others.
  v1::TcpSocketRequest request;
  request.set_socket_id(listener);
  EXPECT_TRUE(healthy.call(healthy.tcp(), &v1::Tcp::Stub::IsListening, request).value());
  EXPECT_TRUE(healthy_round_trip(healthy));
  EXPECT_GT(health_checks, 10);
}

}  // namespace
}  // namespace wasi_socketd::testing
