// Attack area: calls in flight on one connection (issue 8 item 3, the open HTTP/2 case;
// docs/SECURITY.md "HTTP/2 connections"). gRPC 1.51 applies the stream limit only once the client
// has acknowledged the daemon's SETTINGS. A client that never does, with an initial window of 0
// (no response can leave), could open calls without limit; each one that reached a handler stayed
// in the daemon until the connection ended. The daemon now counts, per connection, the calls it
// has started and not finished, answers at once past CallsInFlight::kRefuseAbove and closes the
// connection at kCloseAt. Two real uids; needs root.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "daemon_process.h"
#include "policy/run_as.h"
#include "raw_http2.h"
#include "session/calls_in_flight.h"
#include "temp_directory.h"
#include "test_client.h"

namespace wasi_socketd::security {
namespace {

using namespace std::chrono_literals;
using daemon::CallsInFlight;
using policy::run_as;
using testing::DaemonProcess;
using testing::RawHttp2Connection;
using testing::TempDirectory;
using testing::TestClient;

constexpr uid_t kHog = 61037;
constexpr uid_t kOther = 61038;
constexpr int kConnections = 8;
constexpr int kCallsEach = 4000;
constexpr int kPileUpCalls = 4 * kCallsEach;
// Documented bound (docs/SECURITY.md): kCloseAt calls of a few KiB each per connection; 8
// connections stay far below this. Main grew by about 15 KiB per call, 450 MB here. Alone the
// daemon grows 26-48 MiB; in the parallel suite, with gRPC reading ahead more before the close,
// up to 82 MiB was measured: the bound is twice the usual figure, still a fifth of the unbounded
// growth.
// The sanitized daemon (tests/run-sanitized.sh) pays AddressSanitizer's redzones, metadata and
// quarantine on every allocation, 2-3x here (87 MiB measured): three times the bound there, still
// far below what one connection's unbounded calls cost.
#if defined(__SANITIZE_ADDRESS__)
constexpr long kRssBound = 3 * (128L << 20);
#else
constexpr long kRssBound = 128L << 20;
#endif

// The hog opens its connections (window 0, SETTINGS never acknowledged) and sends thousands of
// complete calls on each without reading, then reads what the daemon answered. Exit codes: 0 every
// connection was closed by the daemon or had all calls beyond the bound answered; 1 connect
// failed; 2 a send failed before the daemon closed; 10 + n: n connections neither.
int hog(const std::string& socket, int holding, int release) {
  std::vector<std::unique_ptr<RawHttp2Connection>> connections;
  for (int c = 0; c < kConnections; ++c) {
    auto raw = std::make_unique<RawHttp2Connection>(socket);
    if (!raw->connected() || !raw->send_preface({{RawHttp2Connection::kInitialWindowSize, 0}}))
      return 1;
    for (int i = 0; i < kCallsEach; ++i) {
      if (raw->open_call_with_request("/wasi_socketd.v1.Network/InstanceNetwork") == 0) {
        if (raw->read_for(1s)) return 2;  // still open, yet the send failed
        break;
      }
    }
    connections.push_back(std::move(raw));
  }
  (void)::write(holding, "x", 1);
  char done = 0;
  (void)::read(release, &done, 1);
  int neither = 0;
  for (auto& raw : connections) {
    raw->read_for(2s);
    const bool answered =
        raw->finished_streams() >= kCallsEach - static_cast<int>(CallsInFlight::kRefuseAbove);
    if (!raw->closed() && !answered) {
      std::fprintf(stderr, "connection open with %d of %d calls answered\n",
                   raw->finished_streams(), kCallsEach);
      ++neither;
    }
  }
  return neither == 0 ? 0 : 10 + neither;
}

TEST(CallsInFlight, AClientThatNeverAcknowledgesSettingsCannotGrowTheDaemonWithCalls) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to run clients as other uids";
  TempDirectory dir;
  const std::string audit = dir.file("audit.log");
  const std::string policy =
      dir.write("p.toml", "[audit]\ndestination = \"" + audit +
                              "\"\n[[tenant]]\nname = \"hog\"\nuids = [" + std::to_string(kHog) +
                              "]\n[tenant.tcp]\n[[tenant]]\nname = \"other\"\nuids = [" +
                              std::to_string(kOther) + "]\n[tenant.tcp]\n");
  DaemonProcess daemon({"--policy", policy, "--socket-mode", "0666"});
  ::chmod(std::filesystem::path(daemon.socket_path()).parent_path().c_str(), 0755);
  const long baseline = daemon.resident_bytes();

  int holding[2];
  int release[2];
  ASSERT_EQ(::pipe(holding), 0);
  ASSERT_EQ(::pipe(release), 0);
  int hog_result = -1;
  std::thread attacker([&] {
    hog_result =
        run_as(kHog, kHog, [&] { return hog(daemon.socket_path(), holding[1], release[0]); });
  });
  char go = 0;
  ASSERT_EQ(::read(holding[0], &go, 1), 1) << "the hog did not get its calls out";
  long peak = baseline;
  for (int i = 0; i < 20; ++i) {
    peak = std::max(peak, daemon.resident_bytes());
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(run_as(kOther, kOther,
                   [&] {
                     TestClient client("unix:" + daemon.socket_path());
                     if (!client.attach()) return 1;
                     return client.network_id() != 0 ? 0 : 2;
                   }),
            0)
      << "tenant other was not served while the hog held its calls";
  (void)::write(release[1], "x", 1);
  attacker.join();
  EXPECT_EQ(hog_result, 0) << "1-2: the hog's connections failed; 10+n: n connections were "
                              "neither closed nor answered past the bound";
  EXPECT_LT(peak - baseline, kRssBound) << "the daemon grew by " << ((peak - baseline) >> 20)
                                        << " MiB for " << kConnections * kCallsEach << " calls";
  std::fprintf(stderr, "FIGURE calls_in_flight_rss_growth_KiB %ld (%d connections x %d calls)\n",
               (peak - baseline) >> 10, kConnections, kCallsEach);
  for (const int fd : {holding[0], holding[1], release[0], release[1]}) ::close(fd);
}

// A connection past the hard bound is closed, and the closing is audited with the tenant.
TEST(CallsInFlight, AConnectionPastTheHardBoundIsClosedAndAudited) {
  TempDirectory dir;
  const std::string audit = dir.file("audit.log");
  const std::string policy =
      dir.write("p.toml", "[audit]\ndestination = \"" + audit +
                              "\"\n[[tenant]]\nname = \"self\"\n"
                              "uids = [" +
                              std::to_string(::geteuid()) + "]\n[tenant.tcp]\n");
  DaemonProcess daemon({"--policy", policy});
  RawHttp2Connection raw(daemon.socket_path());
  ASSERT_TRUE(raw.connected());
  ASSERT_TRUE(raw.send_preface({{RawHttp2Connection::kInitialWindowSize, 0}}));
  // Never reading: the refusals cannot leave either once the socket buffer is full, so calls pile
  // up until the daemon closes the connection.
  for (int i = 0; i < kPileUpCalls; ++i) {
    if (raw.open_call_with_request("/wasi_socketd.v1.Network/InstanceNetwork") == 0) break;
  }
  bool closed = false;
  for (int i = 0; i < 50 && !closed; ++i) closed = !raw.read_for(100ms);
  EXPECT_TRUE(closed) << "the connection outlived " << kPileUpCalls << " calls in flight";
  bool audited = false;
  for (int i = 0; i < 50 && !audited; ++i) {
    std::ifstream lines(audit);
    for (std::string line; std::getline(lines, line);) {
      audited = audited || line.find("\"rule\":\"calls-in-flight\"") != std::string::npos;
    }
    if (!audited) std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(audited) << "no audit line with rule calls-in-flight";
}

}  // namespace
}  // namespace wasi_socketd::security
