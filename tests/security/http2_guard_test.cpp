// Attack area: HTTP/2 frames gRPC 1.51 does not bound (docs/SECURITY.md "HTTP/2 connections").
// Every tenant connection reaches gRPC through the daemon's frame guard
// (daemon/src/transport/http2_frame_guard.h). Per rule, a hostile tenant breaks it on raw HTTP/2
// connections: each is closed by the daemon and audited as session.connection with the rule
// "http2-guard:<what>", the daemon's RSS stays under kRssBound, and another tenant is served
// meanwhile. Two real uids; needs root.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "daemon_process.h"
#include "policy/run_as.h"
#include "raw_http2.h"
#include "temp_directory.h"
#include "test_client.h"
#include "transport/http2_frame_guard.h"

namespace wasi_socketd::security {
namespace {

using namespace std::chrono_literals;
using policy::run_as;
using testing::DaemonProcess;
using testing::RawHttp2Connection;
using testing::TempDirectory;
using testing::TestClient;

constexpr uid_t kAttacker = 61311;
constexpr uid_t kOther = 61312;
constexpr int kConnections = 8;
// Documented bound (docs/SECURITY.md): what 8 closed connections leave, far below the hundreds of
// MiB the same attacks took before the guard. The sanitized daemon pays AddressSanitizer's
// redzones and quarantine on every allocation.
#if defined(__SANITIZE_ADDRESS__)
constexpr long kRssBound = 3 * (32L << 20);
#else
constexpr long kRssBound = 32L << 20;
#endif
constexpr const char* kUnaryCall = "/wasi_socketd.v1.Network/InstanceNetwork";

// Sends the attack on `raw` until a send fails or `max_frames` were sent.
using Attack = std::function<void(RawHttp2Connection& raw)>;

class Http2Guard : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to run two tenants as two real uids";
    audit_ = dir_.file("audit.log");
    const std::string policy = dir_.write(
        "p.toml", "[audit]\ndestination = \"" + audit_ + "\"\n[[tenant]]\nname = \"attacker\"\n" +
                      "uids = [" + std::to_string(kAttacker) +
                      "]\n[tenant.tcp]\n[[tenant]]\nname = \"other\"\nuids = [" +
                      std::to_string(kOther) + "]\n[tenant.tcp]\n");
    daemon_ = std::make_unique<DaemonProcess>(
        std::vector<std::string>{"--policy", policy, "--socket-mode", "0666"});
    ::chmod(std::filesystem::path(daemon_->socket_path()).parent_path().c_str(), 0755);
  }

  // Runs `attack` as the attacker on kConnections connections at once; expects each closed by the
  // daemon, `rule` audited, RSS within the bound, and the other tenant served.
  void expect_closed_and_audited(const std::string& rule, const Attack& attack) {
    const long baseline = daemon_->resident_bytes();
    long peak = baseline;
    std::atomic<bool> attacking{true};
    std::thread sampler([&] {
      while (attacking) {
        peak = std::max(peak, daemon_->resident_bytes());
        std::this_thread::sleep_for(20ms);
      }
    });
    const int open = run_as(kAttacker, kAttacker, [&] {
      std::vector<std::unique_ptr<RawHttp2Connection>> connections;
      for (int c = 0; c < kConnections; ++c) {
        connections.push_back(std::make_unique<RawHttp2Connection>(daemon_->socket_path()));
        RawHttp2Connection& raw = *connections.back();
        if (!raw.connected()) return 100;
        attack(raw);
      }
      int still_open = 0;
      for (auto& raw : connections) {
        bool closed = raw->closed();
        for (int i = 0; i < 50 && !closed; ++i) closed = !raw->read_for(100ms);
        if (!closed) ++still_open;
      }
      return still_open;
    });
    attacking = false;
    sampler.join();
    EXPECT_EQ(open, 0) << open << " of " << kConnections << " connections outlived the attack";
    EXPECT_EQ(run_as(kOther, kOther,
                     [&] {
                       TestClient client("unix:" + daemon_->socket_path());
                       if (!client.attach()) return 1;
                       return client.network_id() != 0 ? 0 : 2;
                     }),
              0)
        << "tenant other was not served";
    EXPECT_EQ(audited(rule), kConnections) << "audit lines with rule " << rule << "; audit log:\n"
                                           << audit_log();
    EXPECT_LT(peak - baseline, kRssBound)
        << "the daemon grew by " << ((peak - baseline) >> 20) << " MiB";
    std::fprintf(stderr, "FIGURE %s_rss_growth_KiB %ld (%d connections)\n", rule.c_str(),
                 (peak - baseline) >> 10, kConnections);
  }

  std::string audit_log() const {
    std::ifstream in(audit_);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  // session.connection lines with `rule`, once the count is stable.
  int audited(const std::string& rule) const {
    int count = 0;
    for (int i = 0; i < 30; ++i) {
      count = 0;
      std::ifstream lines(audit_);
      for (std::string line; std::getline(lines, line);) {
        if (line.find("\"operation\":\"session.connection\"") != std::string::npos &&
            line.find("\"rule\":\"" + rule + "\"") != std::string::npos) {
          ++count;
        }
      }
      if (count >= kConnections) break;
      std::this_thread::sleep_for(100ms);
    }
    return count;
  }

  TempDirectory dir_;
  std::string audit_;
  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(Http2Guard, AHeaderBlockThatNeverEndsIsClosed) {
  expect_closed_and_audited("http2-guard:header-block", [](RawHttp2Connection& raw) {
    if (!raw.send_preface({}) || !raw.send_settings_ack()) return;
    const std::uint32_t stream = raw.open_call_without_end_headers(kUnaryCall);
    const std::string fragment =
        RawHttp2Connection::literal_header("x-filler", std::string(4000, 'v'));
    for (int i = 0; i < 4096 && raw.send_continuation(stream, fragment, false); ++i) {
    }
  });
}

TEST_F(Http2Guard, AContinuationOutOfPlaceIsClosed) {
  expect_closed_and_audited("http2-guard:continuation", [](RawHttp2Connection& raw) {
    if (!raw.send_preface({}) || !raw.send_settings_ack()) return;
    raw.send_continuation(1, RawHttp2Connection::literal_header("x-orphan", "v"), true);
  });
}

TEST_F(Http2Guard, RapidResetIsClosed) {
  expect_closed_and_audited("http2-guard:resets", [](RawHttp2Connection& raw) {
    if (!raw.send_preface({}) || !raw.send_settings_ack()) return;
    for (int i = 0; i < 10000; ++i) {
      const std::uint32_t stream = raw.open_call_with_request(kUnaryCall);
      if (stream == 0 || !raw.reset_stream(stream)) return;
    }
  });
}

// The case SECURITY.md listed as open: calls whose request never comes, on a connection that never
// acknowledges SETTINGS (gRPC 1.51 then applies no stream limit). 8 x 2,000 such calls grew the
// daemon by about 190 MB before the guard.
TEST_F(Http2Guard, StreamsHeldOpenWithoutAcknowledgingSettingsAreClosed) {
  expect_closed_and_audited("http2-guard:open-streams", [](RawHttp2Connection& raw) {
    if (!raw.send_preface({{RawHttp2Connection::kInitialWindowSize, 0}})) return;
    for (int i = 0; i < 2000 && raw.open_call(kUnaryCall) != 0; ++i) {
    }
  });
}

TEST_F(Http2Guard, AControlFrameLongerThanTheHttp2DefaultIsClosed) {
  expect_closed_and_audited("http2-guard:frame-size", [](RawHttp2Connection& raw) {
    if (!raw.send_preface({}) || !raw.send_settings_ack()) return;
    constexpr std::uint8_t kGoaway = 0x7;
    raw.send_raw_frame(kGoaway, 0, 0,
                       std::string(daemon::Http2FrameGuard::kMaxControlFrameBytes + 1, '\0'));
  });
}

// In one write: a few PINGs one by one would meet gRPC's own ping strikes first (GOAWAY).
TEST_F(Http2Guard, APingFloodIsClosed) {
  expect_closed_and_audited("http2-guard:control-frames", [](RawHttp2Connection& raw) {
    if (!raw.send_preface({}) || !raw.send_settings_ack()) return;
    raw.send_pings(1000);
  });
}

}  // namespace
}  // namespace wasi_socketd::security
