// ConnectionMonitor reports a peer's hang-up, also after the watched fd itself was closed (as gRPC
// does with its copy), and never for a live connection.
#include "transport/connection_monitor.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>

namespace wasi_socketd::daemon {
namespace {

using namespace std::chrono_literals;

TEST(ConnectionMonitor, ReportsThePeersHangUp) {
  std::promise<void> closed;  // outlives the monitor, whose thread may still report
  ConnectionMonitor monitor;
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  ASSERT_TRUE(monitor.watch(fds[0], [&] { closed.set_value(); }));
  auto reported = closed.get_future();
  EXPECT_EQ(reported.wait_for(100ms), std::future_status::timeout);
  ::close(fds[1]);
  EXPECT_EQ(reported.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(monitor.watched(), 0u);
  ::close(fds[0]);
}

TEST(ConnectionMonitor, StillReportsAfterTheOriginalFdWasClosed) {
  std::promise<void> closed;  // outlives the monitor, whose thread may still report
  ConnectionMonitor monitor;
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  ASSERT_TRUE(monitor.watch(fds[0], [&] { closed.set_value(); }));
  ::close(fds[0]);
  ::close(fds[1]);
  EXPECT_EQ(closed.get_future().wait_for(5s), std::future_status::ready);
}

TEST(ConnectionMonitor, DataOnTheConnectionIsNotAHangUp) {
  std::promise<void> closed;  // outlives the monitor, whose thread may still report
  ConnectionMonitor monitor;
  int fds[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  ASSERT_TRUE(monitor.watch(fds[0], [&] { closed.set_value(); }));
  ASSERT_EQ(::write(fds[1], "x", 1), 1);
  EXPECT_EQ(closed.get_future().wait_for(200ms), std::future_status::timeout);
  EXPECT_EQ(monitor.watched(), 1u);
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(ConnectionMonitor, RefusesAnInvalidFd) {
  ConnectionMonitor monitor;
  EXPECT_FALSE(monitor.watch(-1, [] {}));
}

}  // namespace
}  // namespace wasi_socketd::daemon
