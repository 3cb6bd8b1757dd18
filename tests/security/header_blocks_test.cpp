// A header block that never ends: HEADERS without END_HEADERS, then CONTINUATION frames, each
// under the 8 KiB metadata limit, for ever (the CONTINUATION flood; gRPC's CVE-2023-33953). gRPC
// 1.51 checks the metadata size per frame, not per block, so it buffers the whole block: one
// attached connection took the daemon from 26 MiB to 3.5 GiB in 8 s, and nothing the daemon
// configures bounds it (the 256 MiB resource quota does not). docs/SECURITY.md, "HTTP/2
// connections", lists it as open.
//
// DISABLED until the daemon bounds header blocks (see the report of the red-team branch): run it
// with --gtest_also_run_disabled_tests; it fails on main.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "daemon_process.h"
#include "raw_http2.h"

namespace wasi_socketd::testing {
namespace {

using namespace std::chrono_literals;
using Raw = RawHttp2Connection;

constexpr const char* kAttach = "/wasi_socketd.v1.Session/Attach";
constexpr const char* kUnaryCall = "/wasi_socketd.v1.Network/InstanceNetwork";

TEST(HeaderBlocks, DISABLED_AHeaderBlockThatNeverEndsCannotGrowTheDaemon) {
  constexpr std::size_t kFloodBytes = 256u << 20;
  constexpr long kRssBound = 64L << 20;
  DaemonProcess daemon;
  Raw raw(daemon.socket_path());
  ASSERT_TRUE(raw.connected());
  ASSERT_TRUE(raw.send_preface({}));
  raw.read_for(300ms);
  ASSERT_TRUE(raw.send_settings_ack());
  // An attached session, so that the attach deadline does not end the connection first.
  ASSERT_NE(raw.open_call(kAttach), 0u);
  raw.read_for(200ms);
  ASSERT_FALSE(raw.closed());

  const long baseline = daemon.resident_bytes();
  long peak = baseline;
  const std::uint32_t stream = raw.open_call_without_end_headers(kUnaryCall);
  ASSERT_NE(stream, 0u);
  const std::string fragment = Raw::literal_header("x-filler", std::string(4000, 'v'));
  std::size_t sent = 0;
  while (sent < kFloodBytes && raw.send_continuation(stream, fragment, false)) {
    sent += fragment.size();
    if (sent % (1u << 20) < fragment.size()) {
      peak = std::max(peak, daemon.resident_bytes());
      if (peak - baseline > 4 * kRssBound) break;  // proven: spare the host the rest
    }
  }
  raw.read_for(100ms);
  peak = std::max(peak, daemon.resident_bytes());
  RecordProperty("flood_MiB", std::to_string(sent >> 20));
  RecordProperty("rss_baseline_KiB", std::to_string(baseline >> 10));
  RecordProperty("rss_peak_KiB", std::to_string(peak >> 10));
  EXPECT_LT(peak - baseline, kRssBound)
      << (sent >> 20) << " MiB of one unfinished header block grew the daemon by "
      << ((peak - baseline) >> 20) << " MiB (connection closed: " << raw.closed() << ")";
}

}  // namespace
}  // namespace wasi_socketd::testing
