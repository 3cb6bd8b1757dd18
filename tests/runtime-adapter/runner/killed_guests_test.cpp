// Guests SIGKILLed mid-run, under load: the broker survives, frees every socket and session they
// had (its open descriptors return to where they were) and goes on serving new guests.
#include <gtest/gtest.h>
#include <signal.h>

#include <memory>
#include <vector>

#include "process_stats.h"
#include "runner_test_support.h"

namespace wasi_socketd::adapter::test {
namespace {

constexpr auto kStartTimeout = 30s;
// A dead guest's sockets may still linger to deliver bytes it wrote, for at most the daemon's
// linger time (TcpSocket::kDefaultLinger, 10 s): both ends of a bulk guest's own connection can be
// waiting on each other's full buffers when it is killed. Cleanup is checked past that bound.
constexpr auto kCleanupTimeout = 15s;

TEST(KilledGuests, BrokerSurvivesAndFreesEverythingOfGuestsKilledUnderLoad) {
  testing::TempDirectory dir;
  const std::string socket = dir.file("broker.sock");
  DaemonProcess daemon(DaemonOptions{.socket_path = socket});
  const std::size_t idle_fds = testing::stable_fd_count(daemon.pid());
  const std::string fds_at_start = testing::open_fd_listing(daemon.pid());

  ChildProcess server(runner_command({"--broker", socket, guest_path("http_server"), "0", "0"}));
  ASSERT_TRUE(server.wait_for_stdout("listening on", kStartTimeout)) << server.stdout_so_far();
  const uint16_t port = listening_port(server.stdout_so_far());
  std::vector<std::unique_ptr<ChildProcess>> bulk;
  for (int i = 0; i < 2; ++i) {
    bulk.push_back(std::make_unique<ChildProcess>(
        runner_command({"--broker", socket, guest_path("tcp_bulk"), "1000000"})));
  }
  // Server: session + listener; each bulk guest, once connected: session, listener and two
  // connected sockets.
  for (auto& guest : bulk) {
    ASSERT_TRUE(guest->wait_for_stdout("connected", kStartTimeout)) << guest->stdout_so_far();
  }
  ASSERT_GE(testing::open_fd_count(daemon.pid()), idle_fds + 2 + 4 * 2);
  for (int i = 0; i < 5; ++i) {
    ASSERT_NE(http_get(port, "/").find("200 OK"), std::string::npos);
  }

  server.kill(SIGKILL);
  for (auto& guest : bulk) guest->kill(SIGKILL);

  EXPECT_TRUE(
      eventually([&] { return testing::open_fd_count(daemon.pid()) == idle_fds; }, kCleanupTimeout))
      << testing::open_fd_count(daemon.pid()) << " descriptors open, " << idle_fds
      << " before the guests:\n"
      << fds_at_start << "now:\n"
      << testing::open_fd_listing(daemon.pid());
  ASSERT_TRUE(process_running(daemon.pid())) << "the broker died with its guests";

  ChildProcess next(runner_command({"--broker", socket, guest_path("http_server"), "0", "1"}));
  ASSERT_TRUE(next.wait_for_stdout("listening on", kStartTimeout)) << next.stdout_so_far();
  EXPECT_NE(http_get(listening_port(next.stdout_so_far()), "/").find("200 OK"), std::string::npos);
  EXPECT_EQ(next.wait(kRunTimeout).exit_code, 0);
}

}  // namespace
}  // namespace wasi_socketd::adapter::test
