// A broker that dies mid-run, or never answers, ends the run with a clear error: never a hang.
#include <gtest/gtest.h>
#include <signal.h>

#include <memory>
#include <vector>

#include "process_stats.h"
#include "runner_test_support.h"

namespace wasi_socketd::adapter::test {
namespace {

constexpr auto kStartTimeout = 30s;
constexpr auto kFailTimeout = 20s;  // bounded: a hanging guest fails the test here

TEST(BrokerDeath, BlockedGuestTrapsWithAClearErrorWhenTheBrokerDies) {
  testing::TempDirectory dir;
  const std::string socket = dir.file("broker.sock");
  DaemonProcess daemon(DaemonOptions{.socket_path = socket});
  ChildProcess runner(runner_command({"--broker", socket, guest_path("http_server"), "0", "0"}));
  ASSERT_TRUE(runner.wait_for_stdout("listening on", kStartTimeout)) << runner.stdout_so_far();

  daemon.signal(SIGKILL);  // the guest is blocked in poll() on its listener
  const ProcessResult result = runner.wait(kFailTimeout);
  ASSERT_FALSE(result.timed_out) << "the guest hung after the broker died";
  ASSERT_TRUE(result.exited);
  EXPECT_EQ(result.exit_code, 134);
  EXPECT_NE(result.err.find("connection to broker lost"), std::string::npos) << result.err;
}

// Every guest's exit follows the broker's death at once, also while its data is in flight: nothing
// in the runner may wait out a timeout (gRPC's shutdown once held exits up to 10 s).
TEST(BrokerDeath, GuestsMidTransferExitPromptlyWhenTheBrokerDies) {
  constexpr int kGuests = 3;
  constexpr auto kPromptExit = 5s;
  testing::TempDirectory dir;
  const std::string socket = dir.file("broker.sock");
  DaemonProcess daemon(DaemonOptions{.socket_path = socket});
  const std::size_t idle_fds = testing::stable_fd_count(daemon.pid());
  std::vector<std::unique_ptr<ChildProcess>> guests;
  for (int i = 0; i < kGuests; ++i) {
    guests.push_back(std::make_unique<ChildProcess>(
        runner_command({"--broker", socket, guest_path("tcp_bulk"), "1000000"})));
  }
  // Mid-transfer: each guest connected, so its session, listener and two connected sockets exist.
  for (auto& guest : guests) {
    ASSERT_TRUE(guest->wait_for_stdout("connected", kStartTimeout)) << guest->stdout_so_far();
  }
  ASSERT_GE(testing::open_fd_count(daemon.pid()), idle_fds + 4 * kGuests);

  daemon.signal(SIGKILL);
  const auto deadline = std::chrono::steady_clock::now() + kPromptExit;
  for (auto& guest : guests) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    const ProcessResult result = guest->wait(std::max(left, std::chrono::milliseconds(1)));
    ASSERT_FALSE(result.timed_out) << "a guest outlived its broker by more than 5 s";
    EXPECT_EQ(result.exit_code, 134);
    EXPECT_NE(result.err.find("connection to broker lost"), std::string::npos) << result.err;
  }
}

TEST(BrokerDeath, UnreachableBrokerIsAClearStartError) {
  testing::TempDirectory dir;
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
