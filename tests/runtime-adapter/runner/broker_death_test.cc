// A broker that dies mid-run, or never answers, ends the run with a clear error: never a hang.
#include <gtest/gtest.h>
#include <signal.h>

#include "runner_test_support.h"

namespace wasi_socketd::adapter::test {
namespace {

constexpr auto kStartTimeout = 30s;
constexpr auto kFailTimeout = 20s;  // bounded: a hanging guest fails the test here

TEST(BrokerDeath, BlockedGuestTrapsWithAClearErrorWhenTheBrokerDies) {
  TempDir dir;
  const std::string socket = dir.file("broker.sock");
  auto daemon = start_daemon(socket);
  ChildProcess runner(runner_command({"--broker", socket, guest_path("http_server"), "0", "0"}));
  ASSERT_TRUE(runner.wait_for_stdout("listening on", kStartTimeout)) << runner.stdout_so_far();

  daemon->kill(SIGKILL);  // the guest is blocked in poll() on its listener
  const ProcessResult result = runner.wait(kFailTimeout);
  ASSERT_FALSE(result.timed_out) << "the guest hung after the broker died";
  ASSERT_TRUE(result.exited);
  EXPECT_EQ(result.exit_code, 134);
  EXPECT_NE(result.err.find("connection to broker lost"), std::string::npos) << result.err;
}

TEST(BrokerDeath, UnreachableBrokerIsAClearStartError) {
  TempDir dir;
  ChildProcess runner(
      runner_command({"--broker", dir.file("absent.sock"), guest_path("http_server")}));
  const ProcessResult result = runner.wait(kFailTimeout);
  ASSERT_TRUE(result.exited);
  EXPECT_EQ(result.exit_code, 125);
  EXPECT_NE(result.err.find("cannot open a session with the broker"), std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace wasi_socketd::adapter::test
