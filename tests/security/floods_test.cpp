// Attack area: floods. A uid no tenant matches reconnects in a loop (issue 8 item 7: 433,459 audit
// lines, 70 MB, in 10 s, and 13 of 20 connects of another tenant failed meanwhile). The audit
// log must stay bounded per uid with a counted suppression line, and the sessions of a tenant,
// on its own listener or on the flooded socket, must all open meanwhile. Two real uids (forked
// children that drop privileges); needs root.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "daemon_process.h"
#include "policy/run_as.h"
#include "temp_directory.h"
#include "test_client.h"

namespace wasi_socketd::security {
namespace {

using policy::run_as;
using testing::accepts_connections;
using testing::DaemonProcess;
using testing::TempDirectory;
using testing::TestClient;
namespace v1 = wasi_socketd::v1;

constexpr uid_t kUnknown = 61031;
constexpr uid_t kTenant = 61032;

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// 0 when a connect() to the Unix socket `path` worked, else its errno.
int connect_error(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  const int result = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  const int error = result == 0 ? 0 : errno;
  ::close(fd);
  return error;
}

// The attacker: `uid` (a tenant or nobody) connects to `path` in a loop from 4 threads, with
// blocking connects (they wait for room in the backlog and take it the moment it frees up), from
// start() until stop(). Runs in a child process of its own uid.
class Flood {
 public:
  // What the flood saw, from the child's exit code.
  static constexpr int kFlooded = 1;   // more than 1000 connect attempts
  static constexpr int kKeptAway = 2;  // some connects failed with EACCES (socket_file_ban.h)

  Flood(uid_t uid, std::string path) : uid_(uid), path_(std::move(path)) {
    if (::pipe(running_) != 0 || ::pipe(stopping_) != 0) std::abort();
  }
  ~Flood() {
    for (const int fd : {running_[0], running_[1], stopping_[0], stopping_[1]}) ::close(fd);
  }

  // Returns once the flood has run for 300 ms and, if that happens within 30 s, the daemon keeps
  // the uid away: the bound on the tenant's connects holds from then on (docs/SECURITY.md). The
  // ban comes after the uid's first 40 refusals or 1000 connects, which a sanitized daemon on a
  // busy machine takes seconds to see.
  void start() {
    thread_ = std::thread([this] { seen_ = run_as(uid_, uid_, [this] { return flood(); }); });
    char go = 0;
    if (::read(running_[0], &go, 1) != 1) std::abort();
  }
  // Ends the flood; returns kFlooded | kKeptAway as seen.
  int stop() {
    (void)::write(stopping_[1], "x", 1);
    thread_.join();
    return seen_;
  }

 private:
  int flood() {
    std::atomic<bool> stop{false};
    std::atomic<int> attempts{0};
    std::atomic<int> kept_away{0};
    std::vector<std::thread> loops;
    for (int i = 0; i < 4; ++i) {
      loops.emplace_back([&] {
        while (!stop) {
          ++attempts;
          if (connect_error(path_) == EACCES) ++kept_away;
        }
      });
    }
    // Running: for 300 ms, and kept away if the daemon does that within 30 s.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    for (int i = 0; i < 3000 && kept_away == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    (void)::write(running_[1], "x", 1);
    char done = 0;
    (void)::read(stopping_[0], &done, 1);
    stop = true;
    for (std::thread& loop : loops) loop.join();
    std::fprintf(stderr, "FIGURE flood_connect_attempts %d (%d kept away)\n", attempts.load(),
                 kept_away.load());
    return (attempts > 1000 ? kFlooded : 0) | (kept_away > 0 ? kKeptAway : 0);
  }

  const uid_t uid_;
  const std::string path_;
  int running_[2] = {-1, -1};
  int stopping_[2] = {-1, -1};
  std::thread thread_;
  int seen_ = 0;
};

TEST(Floods, AnUnknownUidReconnectingInALoopNeitherFloodsTheAuditLogNorLocksOutATenant) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to run clients as other uids";
  testing::TempDirectory dir;
  const std::string audit = dir.file("audit.log");
  // The tenant has its own listening socket: a flood of the main socket must not slow the daemon
  // down for everyone else (the shared socket itself: the next test).
  const std::string web_socket = dir.file("web.sock");
  const std::string policy = dir.write(
      "p.toml",
      "[audit]\ndestination = \"" + audit + "\"\n[[listener]]\nname = \"web\"\npath = \"" +
          web_socket +
          "\"\nmode = 0o666\n[[tenant]]\nname = \"web\"\nlisteners = [\"web\"]\nuids = [" +
          std::to_string(kTenant) + "]\nlog_grants = true\n[tenant.tcp]\n");
  const std::string web_target = "unix:" + web_socket;
  auto daemon = std::make_unique<DaemonProcess>(
      std::vector<std::string>{"--policy", policy, "--socket-mode", "0666"});
  ::chmod(std::filesystem::path(daemon->socket_path()).parent_path().c_str(), 0755);

  ASSERT_EQ(run_as(kTenant, kTenant,
                   [&] {
                     TestClient client(web_target);
                     if (client.attach()) return 0;
                     std::fprintf(stderr, "before the flood: %s\n",
                                  client.attach_status().error_message().c_str());
                     return 1;
                   }),
            0);
  Flood flood(kUnknown, daemon->socket_path());
  flood.start();

  const int opened = run_as(kTenant, kTenant, [&] {
    int sessions = 0;
    for (int i = 0; i < 20; ++i) {
      TestClient client(web_target);
      if (client.attach()) {
        ++sessions;
      } else {
        std::fprintf(stderr, "tenant session refused: %s\n",
                     client.attach_status().error_message().c_str());
      }
    }
    return sessions;
  });
  EXPECT_NE(flood.stop() & Flood::kFlooded, 0) << "the unknown uid did not try 1000 connects";
  EXPECT_EQ(opened, 20) << "sessions of the admitted tenant that opened during the flood";

  // After a second the next line of anyone reports the uid's dropped lines.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(run_as(kTenant, kTenant,
                   [&] {
                     TestClient client(web_target);
                     if (client.attach()) return 0;
                     std::fprintf(stderr, "after the flood: %s\n",
                                  client.attach_status().error_message().c_str());
                     return 1;
                   }),
            0);
  const auto lines = lines_of(audit);
  std::size_t unknown_lines = 0;
  std::size_t refusal_lines = 0;
  bool counted = false;
  const std::string uid = "\"uid\":" + std::to_string(kUnknown);
  for (const std::string& line : lines) {
    if (line.find(uid) == std::string::npos) continue;
    ++unknown_lines;
    if (line.find("\"operation\":\"audit.suppressed\"") != std::string::npos &&
        line.find("\"suppressed\":") != std::string::npos) {
      counted = true;
    } else {
      ++refusal_lines;
    }
  }
  // The burst (100) plus 20 a second for the ~5 s of the flood, plus suppression lines.
  EXPECT_LT(unknown_lines, 300u) << "audit lines for the unknown uid";
  // Lines past the burst are dropped and counted. The socket-file ban (after 40 refusals) often
  // ends the flood before the burst is used up; the counting itself is
  // AuditRateLimit.AnUnknownUidFloodIsCutAtItsBurstAndCounted.
  if (refusal_lines >= 100) {
    EXPECT_TRUE(counted) << "no suppression line counts the unknown uid's dropped lines";
  }
}

// The shared socket (issue 8 item 7, last sentence): tenant `web` has no listener of its own, so
// the flood and its connects meet in one kernel backlog. Every one of its 20 sessions must open,
// each within kSharedListenerBound (docs/SECURITY.md "Floods"), while `flooder` connects in a
// loop from 4 threads. `flooder_tenant`: a policy line admitting the flooding uid, or nothing.
constexpr auto kSharedListenerBound = std::chrono::seconds(2);
constexpr int kSharedSessions = 20;

void expect_tenant_served_during_flood_of_shared_socket(const std::string& flooder_tenant) {
  TempDirectory dir;
  const std::string policy =
      dir.write("p.toml", "[audit]\ndestination = \"" + dir.file("audit.log") +
                              "\"\n[[tenant]]\nname = \"web\"\nuids = [" + std::to_string(kTenant) +
                              "]\n[tenant.tcp]\n" + flooder_tenant);
  DaemonProcess daemon({"--policy", policy, "--socket-mode", "0666"});
  ::chmod(std::filesystem::path(daemon.socket_path()).parent_path().c_str(), 0755);

  Flood flood(kUnknown, daemon.socket_path());
  flood.start();

  const int in_time = run_as(kTenant, kTenant, [&] {
    int good = 0;
    std::chrono::steady_clock::duration slowest{};
    for (int i = 0; i < kSharedSessions; ++i) {
      const auto start = std::chrono::steady_clock::now();
      TestClient client(daemon.target());
      const bool attached = client.attach();
      const auto took = std::chrono::steady_clock::now() - start;
      slowest = std::max(slowest, took);
      if (attached && took <= kSharedListenerBound) {
        ++good;
      } else {
        std::fprintf(stderr, "tenant session %d: %s after %lld ms\n", i,
                     attached ? "opened" : client.attach_status().error_message().c_str(),
                     static_cast<long long>(
                         std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
      }
    }
    double load[1] = {0};
    (void)::getloadavg(load, 1);
    std::fprintf(stderr, "FIGURE slowest_tenant_attach_ms %lld (load average %.2f)\n",
                 static_cast<long long>(
                     std::chrono::duration_cast<std::chrono::milliseconds>(slowest).count()),
                 load[0]);
    return good;
  });
  const int seen = flood.stop();
  EXPECT_EQ(in_time, kSharedSessions) << "sessions of the admitted tenant that opened within "
                                      << kSharedListenerBound.count() << " s during the flood";
  EXPECT_NE(seen & Flood::kFlooded, 0) << "the flooding uid did not try 1000 connects";
  EXPECT_NE(seen & Flood::kKeptAway, 0) << "the flooding uid was never kept away";
  if (!flooder_tenant.empty()) {
    // Connections closed unseen past the connect rate are counted (wasi-socketctl is built beside
    // the test programs).
    std::string admin = daemon.socket_path();
    admin.replace(admin.rfind(".sock"), 5, ".admin.sock");
    const std::string command =
        "timeout 10 " +
        (std::filesystem::read_symlink("/proc/self/exe").parent_path() / "wasi-socketctl")
            .string() +
        " --admin-socket " + admin +
        " stats | grep -q 'connections_refused_total{reason=\"connect-rate\"}'";
    EXPECT_EQ(WEXITSTATUS(std::system(command.c_str())), 0) << "no connect-rate refusals counted";
  }
}

// Refused faster than its refusal budget. Before, 0 of 20 opened (EAGAIN on a full backlog).
TEST(Floods, AnUnknownUidFloodingTheSharedListenerDoesNotLockOutATenant) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to run clients as other uids";
  expect_tenant_served_during_flood_of_shared_socket("");
}

// A tenant is no better: admitted connections past UnixListener's per-uid connect rate. Before,
// 0-1 of 20 opened.
TEST(Floods, AnAdmittedTenantFloodingTheSharedListenerDoesNotLockOutAnother) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to run clients as other uids";
  expect_tenant_served_during_flood_of_shared_socket(
      "[[tenant]]\nname = \"noisy\"\nuids = [" + std::to_string(kUnknown) + "]\n[tenant.tcp]\n");
}

// issue 15: a uid no tenant matches saw "UNAVAILABLE: ... Broken pipe". It gets the reason.
TEST(Floods, ARefusedPeerIsToldWhy) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to run clients as other uids";
  testing::TempDirectory dir;
  const std::string policy =
      dir.write("p.toml", "[audit]\ndestination = \"none\"\n[[tenant]]\nname = \"web\"\nuids = [" +
                              std::to_string(kTenant) + "]\n[tenant.tcp]\n");
  DaemonProcess daemon({"--policy", policy, "--socket-mode", "0666"});
  ::chmod(std::filesystem::path(daemon.socket_path()).parent_path().c_str(), 0755);
  EXPECT_EQ(run_as(kUnknown, kUnknown,
                   [&] {
                     TestClient client(daemon.target());
                     grpc::Status status;
                     (void)client.call(client.network(), &v1::Network::Stub::InstanceNetwork,
                                       v1::InstanceNetworkRequest(), &status);
                     const std::string expected =
                         "no tenant matches uid " + std::to_string(kUnknown) + " on listener main";
                     if (status.error_code() != grpc::StatusCode::PERMISSION_DENIED ||
                         status.error_message() != expected) {
                       std::fprintf(stderr, "refused peer saw %d: %s\n", status.error_code(),
                                    status.error_message().c_str());
                       return 1;
                     }
                     return client.attach() ? 2 : 0;
                   }),
            0);
}

}  // namespace
}  // namespace wasi_socketd::security
