// HTTP/2 connections of a hostile tenant (issue 8, items 3 and 5; docs/SECURITY.md "HTTP/2
// connections" and "Idle connections"), with a hand-written HTTP/2 client: the gRPC library would
// never advertise a window of 0, ignore the daemon's stream limit or stay silent.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "daemon_process.h"
#include "raw_http2.h"
#include "wasi_socketd/limits.h"

namespace wasi_socketd::testing {
namespace {

using namespace std::chrono_literals;
using Raw = RawHttp2Connection;

constexpr const char* kUnaryCall = "/wasi_socketd.v1.Network/InstanceNetwork";

// The attacker of the issue: its own window 0, so no response can leave, and calls whose request
// never comes.
void open_hostile(Raw& raw, bool acknowledge) {
  ASSERT_TRUE(raw.connected());
  ASSERT_TRUE(raw.send_preface({{Raw::kInitialWindowSize, 0}}));
  raw.read_for(300ms);
  ASSERT_TRUE(raw.server_settings_received());
  if (acknowledge) {
    ASSERT_TRUE(raw.send_settings_ack());
  }
}

TEST(Http2Limits, TheDaemonAdvertisesItsStreamLimit) {
  DaemonProcess daemon;
  Raw raw(daemon.socket_path());
  open_hostile(raw, true);
  const auto& settings = raw.server_settings();
  const auto limit = settings.find(Raw::kMaxConcurrentStreams);
  ASSERT_NE(limit, settings.end()) << "no SETTINGS_MAX_CONCURRENT_STREAMS: unlimited";
  EXPECT_EQ(limit->second, static_cast<std::uint32_t>(kMaxConcurrentStreams));
}

// Past the limit the daemon refuses: RST_STREAM(REFUSED_STREAM) or, as gRPC 1.51 does, it closes
// the connection. Main accepted every stream.
TEST(Http2Limits, StreamsBeyondTheLimitAreRefused) {
  DaemonProcess daemon;
  Raw raw(daemon.socket_path());
  open_hostile(raw, true);
  raw.read_for(100ms);  // the daemon has our ACK before the flood
  for (int i = 0; i < kMaxConcurrentStreams + 50; ++i) {
    if (raw.open_call(kUnaryCall) == 0) break;  // the daemon already closed the connection
  }
  raw.read_for(2s);
  const auto refused = raw.resets().find(Raw::kRefusedStream);
  const int refusals = refused == raw.resets().end() ? 0 : refused->second;
  EXPECT_TRUE(raw.closed() || refusals > 0)
      << "all " << kMaxConcurrentStreams + 50 << " calls were accepted";
}

// The attack, scaled down: connections with a window of 0, each opening thousands of calls
// whose request never comes (main: about 12 KiB of daemon memory per call, 1.5 GB for 100,000).
// Past the stream limit the daemon drops the connection, so its memory stays near the baseline.
// (A client that never acknowledges the SETTINGS is not bound by the limit in gRPC 1.51; see
// docs/SECURITY.md.)
TEST(Http2Limits, ThousandsOfCallsWithWindowZeroKeepMemoryBounded) {
  constexpr int kConnections = 20;
  constexpr int kCallsEach = 2000;
  constexpr long kRssBound = 100L << 20;
  DaemonProcess daemon;
  const long baseline = daemon.resident_bytes();
  long peak = baseline;
  std::vector<std::unique_ptr<Raw>> attackers;
  for (int c = 0; c < kConnections; ++c) {
    attackers.push_back(std::make_unique<Raw>(daemon.socket_path()));
    open_hostile(*attackers.back(), true);
    attackers.back()->read_for(50ms);
    for (int i = 0; i < kCallsEach && attackers.back()->open_call(kUnaryCall) != 0; ++i) {
    }
    attackers.back()->read_for(10ms);
    peak = std::max(peak, daemon.resident_bytes());
  }
  for (int i = 0; i < 20; ++i) {
    for (auto& attacker : attackers) attacker->read_for(5ms);
    peak = std::max(peak, daemon.resident_bytes());
  }
  RecordProperty("rss_baseline_KiB", std::to_string(baseline >> 10));
  RecordProperty("rss_peak_KiB", std::to_string(peak >> 10));
  EXPECT_LT(peak - baseline, kRssBound);
}

// A connection that never opens its session is closed after the attach deadline, so silent
// connections cannot hold the daemon's fds. Main kept it open for ever.
TEST(Http2Limits, AConnectionThatNeverAttachesIsClosedAfterTheDeadline) {
  DaemonProcess daemon;
  Raw silent(daemon.socket_path());
  ASSERT_TRUE(silent.connected());
  Raw speaking(daemon.socket_path());
  open_hostile(speaking, true);  // HTTP/2 without Session.Attach is no better
  silent.read_for(kAttachDeadline + 3s);
  speaking.read_for(1s);
  EXPECT_TRUE(silent.closed()) << "a silent connection outlived the attach deadline";
  EXPECT_TRUE(speaking.closed()) << "a connection without a session outlived the deadline";
}

}  // namespace
}  // namespace wasi_socketd::testing
