// The program's policy surface: --check-policy, --policy with a bad file, SIGHUP reload (a
// good file takes effect for new and live sessions, a bad one leaves the old policy in force).
// gRPC runs in child processes only (it is not fork-safe once started in the parent).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "daemon_process.h"
#include "run_as.h"
#include "temp_directory.h"
#include "test_client.h"

namespace wasi_socketd::policy {
namespace {

using testing::DaemonProcess;
using testing::TestClient;
namespace v1 = wasi_socketd::v1;

struct ProgramRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

ProgramRun run_daemon(const std::string& arguments) {
  ProgramRun run;
  FILE* pipe = ::popen((std::string(WASI_SOCKETD_BINARY) + " " + arguments + " 2>&1").c_str(), "r");
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) run.output += buffer;
  const int status = ::pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

constexpr const char* kTcpOn =
    "[[tenant]]\nname = \"t\"\n[tenant.tcp]\n[[tenant.tcp.bind]]\naddresses = [\"loopback\"]\n";
constexpr const char* kTcpOff = "[[tenant]]\nname = \"t\"\n[tenant.tcp]\nenabled = false\n";
constexpr const char* kBroken = "[[tenant]]\nname = \"t\"\n[tenant.tcp]\nenabled = maybe\n";

TEST(CheckPolicy, ValidFileExitsZeroWithASummary) {
  testing::TempDirectory dir;
  const ProgramRun run = run_daemon("--check-policy " + dir.write("p.toml", kTcpOn));
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("ok: 1 listener (main), 1 tenant: t (tcp; 1 rule;"), std::string::npos)
      << run.output;
}

TEST(CheckPolicy, InvalidFileExitsOneWithFileLineColumn) {
  testing::TempDirectory dir;
  const std::string path = dir.write("p.toml", kBroken);
  const ProgramRun run = run_daemon("--check-policy " + path);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.output.rfind(path + ":4:11: ", 0), 0u) << run.output;
}

TEST(PolicyFlag, DaemonRefusesToStartOnABadPolicy) {
  testing::TempDirectory dir;
  const ProgramRun run =
      run_daemon("--listen " + dir.file("s.sock") + " --policy " + dir.write("p.toml", kBroken));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("p.toml:4:11:"), std::string::npos) << run.output;
}

// create-tcp-socket on a fresh session, as root (uid 0 matches tenant "t": no uids given).
v1::ErrorCode create_tcp_error(const std::string& target) {
  v1::ErrorCode error = v1::ERROR_CODE_UNKNOWN;
  const int code = run_as(0, 0, [&] {
    TestClient client(target);
    v1::ErrorCode result = v1::ERROR_CODE_UNSPECIFIED;
    client.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4, &result);
    return static_cast<int>(result);
  });
  error = static_cast<v1::ErrorCode>(code);
  return error;
}

// Polls until a new session sees `expected` (the reload is asynchronous to the signal).
bool eventually(const std::string& target, v1::ErrorCode expected) {
  for (int i = 0; i < 100; ++i) {
    if (create_tcp_error(target) == expected) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

TEST(PolicyReload, SighupSwapsThePolicyAndABadFileKeepsTheOldOne) {
  if (::geteuid() != 0) GTEST_SKIP() << "runs clients in forked children as root";
  testing::TempDirectory dir;
  const std::string policy = dir.write("p.toml", kTcpOn);
  DaemonProcess daemon({"--policy", policy});
  EXPECT_EQ(create_tcp_error(daemon.target()), v1::ERROR_CODE_UNSPECIFIED);

  dir.write("p.toml", kTcpOff);
  ASSERT_EQ(::kill(daemon.pid(), SIGHUP), 0);
  EXPECT_TRUE(eventually(daemon.target(), v1::ERROR_CODE_ACCESS_DENIED));

  dir.write("p.toml", kBroken);
  ASSERT_EQ(::kill(daemon.pid(), SIGHUP), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(::kill(daemon.pid(), 0), 0) << "the daemon died on a bad reload";
  EXPECT_EQ(create_tcp_error(daemon.target()), v1::ERROR_CODE_ACCESS_DENIED);  // still kTcpOff

  dir.write("p.toml", kTcpOn);
  ASSERT_EQ(::kill(daemon.pid(), SIGHUP), 0);
  EXPECT_TRUE(eventually(daemon.target(), v1::ERROR_CODE_UNSPECIFIED));
}

TEST(PolicyReload, LiveSessionsFollowTheNewRules) {
  if (::geteuid() != 0) GTEST_SKIP() << "runs clients in forked children as root";
  testing::TempDirectory dir;
  const std::string policy = dir.write("p.toml", kTcpOn);
  DaemonProcess daemon({"--policy", policy});
  int ready[2], reloaded[2];
  ASSERT_EQ(::pipe(ready), 0);
  ASSERT_EQ(::pipe(reloaded), 0);
  std::thread client([&] {
    const int code = run_as(0, 0, [&] {
      TestClient session(daemon.target());
      const std::uint64_t socket = session.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4);
      if (socket == 0) return 10;
      (void)::write(ready[1], "r", 1);
      char done = 0;
      (void)::read(reloaded[0], &done, 1);
      // Same session, same socket: the bind rule is gone now.
      const v1::ErrorCode error =
          session.tcp_bind(socket, testing::loopback(v1::IP_ADDRESS_FAMILY_IPV4));
      return error == v1::ERROR_CODE_ACCESS_DENIED ? 0 : 11;
    });
    EXPECT_EQ(code, 0);
  });
  char go = 0;
  ASSERT_EQ(::read(ready[0], &go, 1), 1);
  dir.write("p.toml", "[[tenant]]\nname = \"t\"\n[tenant.tcp]\n");
  ASSERT_EQ(::kill(daemon.pid(), SIGHUP), 0);
  // A fresh session proves the reload happened before the live one is asked.
  bool swapped = false;
  for (int i = 0; i < 100 && !swapped; ++i) {
    swapped = run_as(0, 0, [&] {
                TestClient probe(daemon.target());
                const std::uint64_t socket = probe.create_tcp(v1::IP_ADDRESS_FAMILY_IPV4);
                return probe.tcp_bind(socket, testing::loopback(v1::IP_ADDRESS_FAMILY_IPV4)) ==
                               v1::ERROR_CODE_ACCESS_DENIED
                           ? 0
                           : 1;
              }) == 0;
    if (!swapped) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(swapped);
  (void)::write(reloaded[1], "d", 1);
  client.join();
}

}  // namespace
}  // namespace wasi_socketd::policy
