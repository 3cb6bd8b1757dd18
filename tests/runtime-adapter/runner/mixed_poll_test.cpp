// poll() over a mixed list in a real guest: preview2-shim's stdin pollable and the broker's clock
// pollable (the preview1 adapter's poll_oneoff). The poll must return within its timeout and
// stdin data must reach the guest. (The shim reports stdin ready at once, so the clock-wakes-first
// case is covered with a never-ready foreign pollable in js/mixed_poll.test.mjs.)
#include <gtest/gtest.h>

#include <regex>

#include "runner_test_support.h"

namespace wasi_socketd::adapter::test {
namespace {

TEST(MixedPoll, ShimStdinAndBrokerClockInOnePollOfAGuest) {
  testing::TempDirectory dir;
  const std::string socket = dir.file("broker.sock");
  DaemonProcess daemon(DaemonOptions{.socket_path = socket});
  ChildProcess runner(runner_command({"--broker", socket, guest_path("runner_mixed_poll")}));
  ASSERT_TRUE(runner.wait_for_stdout("waiting for stdin", 30s)) << runner.stdout_so_far();

  std::smatch first_poll;
  const std::string before = runner.stdout_so_far();
  ASSERT_TRUE(std::regex_search(before, first_poll, std::regex(R"(first poll: .* after (\d+) ms)")))
      << before;
  EXPECT_LT(std::stoi(first_poll[1]), 1000);  // returned within its 200 ms timeout (plus slack)

  runner.write_stdin("a line for the poll\n");
  EXPECT_TRUE(runner.wait_for_stdout("stdin: a line for the poll", 5s)) << runner.stdout_so_far();
  const ProcessResult result = runner.wait(kRunTimeout);
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

}  // namespace
}  // namespace wasi_socketd::adapter::test
