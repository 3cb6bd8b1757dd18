// Issue 8 item 5 (fd part): one tenant cannot take every daemon fd. The daemon runs with a low
// RLIMIT_NOFILE (soft = hard = 256, so it cannot raise it); tenant "hog" opens sessions and
// sockets until it is refused, and while it holds them tenant "other" must still be admitted and
// get sockets, and `wasi-socketctl status` must answer. Two real uids: children that drop
// privileges (root only).
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "../daemon/policy/run_as.h"
#include "daemon_process.h"
#include "temp_directory.h"
#include "test_client.h"

namespace wasi_socketd::testing {
namespace {

constexpr uid_t kHog = 61201;
constexpr uid_t kOther = 61202;
constexpr rlim_t kDaemonFdLimit = 256;

std::string tenant(const std::string& name, uid_t uid) {
  return "[[tenant]]\nname = \"" + name + "\"\nuids = [" + std::to_string(uid) +
         "]\n[tenant.tcp]\n[[tenant.tcp.bind]]\naddresses = [\"127.0.0.1\"]\n"
         "[[tenant.tcp.listen]]\naddresses = [\"127.0.0.1\"]\n";
}

// wasi-socketctl is built beside the test programs.
std::string socketctl_path() {
  return (std::filesystem::read_symlink("/proc/self/exe").parent_path() / "wasi-socketctl")
      .string();
}

class FdReserveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to run two tenants as two real uids";
    // The daemon inherits the low limit. This process keeps it too (raising a hard limit needs
    // CAP_SYS_RESOURCE, which a container's root may lack); it needs only a few fds.
    const rlimit low{kDaemonFdLimit, kDaemonFdLimit};
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
    daemon_ = std::make_unique<DaemonProcess>(std::vector<std::string>{
        "--policy", dir_.write("policy.toml", tenant("hog", kHog) + tenant("other", kOther)),
        "--socket-mode", "0666"});
    ::chmod(std::filesystem::path(daemon_->socket_path()).parent_path().c_str(), 0755);
  }

  testing::TempDirectory dir_;
  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(FdReserveTest, ATenantAtItsLimitLeavesFdsForOtherTenantsAndTheAdminSocket) {
  int filled[2];
  int release[2];
  ASSERT_EQ(::pipe(filled), 0);
  ASSERT_EQ(::pipe(release), 0);
  const std::string target = daemon_->target();

  // The hog fills its share, reports how it was stopped, and holds everything until released.
  std::thread hog([&] {
    const int code = policy::run_as(kHog, kHog, [&] {
      ::close(filled[0]);
      ::close(release[1]);
      // Session after session, each filled to its own limit, until the tenant's share is gone.
      std::vector<std::unique_ptr<TestClient>> sessions;
      v1::ErrorCode error = v1::ERROR_CODE_UNSPECIFIED;
      int opened = 0;
      for (int fresh = 1; fresh > 0 && sessions.size() < kDaemonFdLimit;) {
        sessions.push_back(std::make_unique<TestClient>(target));
        if (!sessions.back()->attach()) return 2;
        fresh = 0;
        while (sessions.back()->create_tcp(v1::IP_ADDRESS_FAMILY_IPV4, &error) != 0) ++fresh;
        opened += fresh;
      }
      const std::string report = std::to_string(opened) + " sockets in " +
                                 std::to_string(sessions.size()) + " sessions, then " +
                                 v1::ErrorCode_Name(error) + "\n";
      if (::write(filled[1], report.data(), report.size()) < 0) return 3;
      char byte;
      while (::read(release[0], &byte, 1) > 0) {
      }
      return 0;
    });
    EXPECT_EQ(code, 0);
  });
  // The pipes' other ends stay open here until the end: the thread forks at a time of its own.
  char report[128] = {};
  pollfd ready{filled[0], POLLIN, 0};
  const ssize_t n =
      ::poll(&ready, 1, 60'000) == 1 ? ::read(filled[0], report, sizeof report - 1) : -1;
  if (n <= 0) {
    ::close(release[1]);
    hog.join();
    FAIL() << "the hog never reported (its sessions were refused: the daemon ran out of fds?)";
  }
  std::printf("hog: %s", report);
  EXPECT_NE(std::string(report).find("NEW_SOCKET_LIMIT"), std::string::npos)
      << "the hog was stopped by something other than its quota: " << report;

  // Another tenant is still admitted and gets working sockets.
  const int other = policy::run_as(kOther, kOther, [&] {
    TestClient client(target);
    if (!client.attach()) return 10;
    std::uint32_t port = 0;
    const std::uint64_t listener = client.tcp_listener(v1::IP_ADDRESS_FAMILY_IPV4, &port);
    if (listener == 0 || port == 0) return 11;
    return ::testing::Test::HasFailure() ? 12 : 0;
  });
  EXPECT_EQ(other, 0) << "10: not admitted, 11/12: no working socket while the hog is full";

  // The admin socket answers too (no hang: bounded by `timeout`).
  std::string admin = daemon_->socket_path();
  admin.replace(admin.rfind(".sock"), 5, ".admin.sock");
  const std::string command =
      "timeout 10 " + socketctl_path() + " --admin-socket " + admin + " status >/dev/null 2>&1";
  EXPECT_EQ(WEXITSTATUS(std::system(command.c_str())), 0) << "wasi-socketctl status failed";

  ::close(release[1]);
  hog.join();
  for (int fd : {filled[0], filled[1], release[0]}) ::close(fd);
}

}  // namespace
}  // namespace wasi_socketd::testing
