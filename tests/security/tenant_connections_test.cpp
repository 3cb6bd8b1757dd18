// Attack area: one tenant's connections against everyone's gRPC memory (issue 8 items 3 and 7;
// docs/SECURITY.md "HTTP/2 connections"). The daemon's gRPC resource quota is one for all
// connections, and gRPC 1.51 lets a client that never acknowledges SETTINGS open calls without
// limit on each of its connections. What the daemon bounds per tenant is the number of those
// connections, at accept time: `[tenant.quotas] sessions`. Two real uids; needs root.
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
#include "temp_directory.h"
#include "raw_http2.h"
#include "test_client.h"

namespace wasi_socketd::security {
namespace {

using namespace std::chrono_literals;
using policy::run_as;
using testing::TempDirectory;
using testing::DaemonProcess;
using testing::RawHttp2Connection;
using testing::TestClient;

constexpr uid_t kHog = 61035;
constexpr uid_t kOther = 61036;
constexpr int kHogSessions = 8;
constexpr int kCallsEach = 500;

// Tenant `hog` fills its connection quota with connections that never acknowledge the daemon's
// SETTINGS and each open calls whose request never comes (the open case of gRPC 1.51). Its next
// connection is refused with the reason and audited; tenant `other` still opens its session and
// is served meanwhile.
TEST(TenantConnections, ATenantAtItsConnectionQuotaIsRefusedAndAuditedWhileOthersAreServed) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to run clients as other uids";
  TempDirectory dir;
  const std::string audit = dir.file("audit.log");
  const std::string policy = dir.write(
      "p.toml", "[audit]\ndestination = \"" + audit + "\"\n[[tenant]]\nname = \"hog\"\nuids = [" +
                    std::to_string(kHog) + "]\n[tenant.tcp]\n[tenant.quotas]\nsessions = " +
                    std::to_string(kHogSessions) + "\n[[tenant]]\nname = \"other\"\nuids = [" +
                    std::to_string(kOther) + "]\n[tenant.tcp]\n");
  DaemonProcess daemon({"--policy", policy, "--socket-mode", "0666"});
  ::chmod(std::filesystem::path(daemon.socket_path()).parent_path().c_str(), 0755);
  const long baseline = daemon.resident_bytes();

  int holding[2];  // the hog tells the test its connections are open
  int release[2];  // the test tells the hog to let them go
  ASSERT_EQ(::pipe(holding), 0);
  ASSERT_EQ(::pipe(release), 0);
  int hog_result = -1;
  std::thread hog([&] {
    hog_result = run_as(kHog, kHog, [&] {
      std::vector<std::unique_ptr<RawHttp2Connection>> connections;
      for (int c = 0; c < kHogSessions; ++c) {
        auto raw = std::make_unique<RawHttp2Connection>(daemon.socket_path());
        if (!raw->connected() || !raw->send_preface({{RawHttp2Connection::kInitialWindowSize, 0}}))
          return 1;
        for (int i = 0; i < kCallsEach; ++i) {
          if (raw->open_call("/wasi_socketd.v1.Network/InstanceNetwork") == 0) return 2;
        }
        connections.push_back(std::move(raw));
      }
      for (auto& raw : connections) raw->read_for(20ms);
      TestClient one_more("unix:" + daemon.socket_path());
      if (one_more.attach()) return 3;
      const std::string refusal = one_more.attach_status().error_message();
      if (refusal.find("quota.sessions") == std::string::npos) {
        std::fprintf(stderr, "the hog's extra connection saw: %s\n", refusal.c_str());
        return 4;
      }
      (void)::write(holding[1], "x", 1);
      char done = 0;
      (void)::read(release[0], &done, 1);
      for (auto& raw : connections) {
        if (!raw->read_for(10ms)) return 5;  // its own connections stay open
      }
      return 0;
    });
  });
  char go = 0;
  ASSERT_EQ(::read(holding[0], &go, 1), 1) << "the hog did not get its connections up";
  const long peak = daemon.resident_bytes();

  EXPECT_EQ(run_as(kOther, kOther,
                   [&] {
                     TestClient client("unix:" + daemon.socket_path());
                     if (!client.attach()) {
                       std::fprintf(stderr, "other refused: %s\n",
                                    client.attach_status().error_message().c_str());
                       return 1;
                     }
                     return client.network_id() != 0 ? 0 : 2;
                   }),
            0)
      << "tenant other was not served while hog held its quota";
  (void)::write(release[1], "x", 1);
  hog.join();
  EXPECT_EQ(hog_result, 0) << "1-2: the hog's connections failed; 3: its extra connection was "
                              "admitted; 4: refused for another reason; 5: one was closed";

  bool audited = false;
  std::ifstream lines(audit);
  for (std::string line; std::getline(lines, line);) {
    audited = audited || (line.find("\"rule\":\"quota.sessions\"") != std::string::npos &&
                          line.find("\"uid\":" + std::to_string(kHog)) != std::string::npos);
  }
  EXPECT_TRUE(audited) << "no audit line for the refused connection (rule quota.sessions)";
  std::fprintf(stderr, "FIGURE hog_rss_growth_KiB %ld (%d connections x %d unacknowledged calls)\n",
               (peak - baseline) >> 10, kHogSessions, kCallsEach);
  for (const int fd : {holding[0], holding[1], release[0], release[1]}) ::close(fd);
}

}  // namespace
}  // namespace wasi_socketd::security
