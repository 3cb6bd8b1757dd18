// HTTP/2 Rapid Reset (CVE-2023-44487): calls opened with their request and cancelled at once with
// RST_STREAM, so the stream limit never binds, from a few connections that reconnect whenever the
// daemon drops them. gRPC 1.51 has none of the mitigations gRPC core gained in 1.60 (the rollup
// grpc/grpc#34763), and the daemon's calls-in-flight bound does not see calls gRPC cancels before
// or right after their handler: measured (red-team branch, load average about 5, indicative) with
// 2-6 attacking threads, daemon RSS 1.0-2.0 GiB, another client's unary calls p50 1 s and p99 2.8 s
// instead of 50 ms. docs/SECURITY.md, "HTTP/2 connections", lists it as open.
//
// DISABLED until the daemon bounds it (see the report of the red-team branch): run it with
// --gtest_also_run_disabled_tests; it fails on main.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "daemon_process.h"
#include "raw_http2.h"

namespace wasi_socketd::testing {
namespace {

using namespace std::chrono_literals;
using Raw = RawHttp2Connection;

constexpr const char* kUnaryCall = "/wasi_socketd.v1.Network/InstanceNetwork";

// Opens calls and cancels each at once, on connection after connection, until `stop`.
void reset_rapidly(const std::string& socket, const std::atomic<bool>& stop,
                   std::atomic<long>& calls) {
  while (!stop) {
    Raw raw(socket);
    if (!raw.connected() || !raw.send_preface({})) continue;
    raw.read_for(20ms);
    raw.send_settings_ack();
    while (!stop) {
      const std::uint32_t stream = raw.open_call_with_request(kUnaryCall);
      if (stream == 0 || !raw.reset_stream(stream)) break;
      ++calls;
    }
  }
}

TEST(RapidReset, DISABLED_CancelledCallsCannotGrowTheDaemon) {
  constexpr int kAttackers = 4;
  constexpr auto kAttack = 5s;
  constexpr long kRssBound = 256L << 20;
  DaemonProcess daemon;
  const long baseline = daemon.resident_bytes();
  long peak = baseline;
  std::atomic<bool> stop{false};
  std::atomic<long> calls{0};
  std::vector<std::thread> attackers;
  for (int i = 0; i < kAttackers; ++i) {
    attackers.emplace_back(reset_rapidly, daemon.socket_path(), std::cref(stop), std::ref(calls));
  }
  const auto until = std::chrono::steady_clock::now() + kAttack;
  while (std::chrono::steady_clock::now() < until && peak - baseline <= 4 * kRssBound) {
    std::this_thread::sleep_for(50ms);
    peak = std::max(peak, daemon.resident_bytes());  // past 4x the bound: proven, spare the host
  }
  stop = true;
  for (auto& attacker : attackers) attacker.join();
  ASSERT_GT(daemon.resident_bytes(), 0) << "the daemon died";
  RecordProperty("calls_cancelled", std::to_string(calls.load()));
  RecordProperty("rss_baseline_KiB", std::to_string(baseline >> 10));
  RecordProperty("rss_peak_KiB", std::to_string(peak >> 10));
  EXPECT_LT(peak - baseline, kRssBound) << calls.load() << " cancelled calls grew the daemon by "
                                        << ((peak - baseline) >> 20) << " MiB";
}

}  // namespace
}  // namespace wasi_socketd::testing
