// The tcp_bulk example guest moves bytes through one loopback connection and checks every byte:
// the streams path (write within the permit, flush, read, poll) end to end with data integrity.
#include <gtest/gtest.h>

#include "runner_test_support.h"

namespace wasi_socketd::adapter::test {
namespace {

TEST(BulkExample, SixteenMebibytesArriveIntactThroughTheBroker) {
  testing::TempDirectory dir;
  const std::string socket = dir.file("broker.sock");
  DaemonProcess daemon(DaemonOptions{.socket_path = socket});
  ChildProcess runner(runner_command({"--broker", socket, guest_path("tcp_bulk"), "16", "100000"}));
  const ProcessResult result = runner.wait(kRunTimeout);
  ASSERT_TRUE(result.exited) << result.err;
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("transferred 16 MiB"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("CORRUPTED"), std::string::npos) << result.out;
}

}  // namespace
}  // namespace wasi_socketd::adapter::test
