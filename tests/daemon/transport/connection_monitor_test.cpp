// ConnectionMonitor reports a peer's hang-up on a session's WatchedConnection, also after the
// original fd was closed (as gRPC does with its copy), and never for a live connection.
#include "transport/connection_monitor.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <memory>
#include <utility>

namespace wasi_socketd::daemon {
namespace {

using namespace std::chrono_literals;

// A monitor watching one end of a fresh socketpair. Members end in reverse order: the monitor
// (whose thread may still report) before the promise it reports to.
class ConnectionMonitorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds_), 0);
    connection_ = std::make_unique<WatchedConnection>(fds_[kWatched], monitor_);
    ASSERT_TRUE(connection_->watch([this] { closed_.set_value(); }));
  }
  void TearDown() override {
    connection_.reset();
    close_end(kWatched);
    close_end(kPeer);
  }

  static constexpr int kWatched = 0;
  static constexpr int kPeer = 1;
  int fd(int end) const { return fds_[end]; }
  void close_end(int end) {
    if (fds_[end] >= 0) ::close(std::exchange(fds_[end], -1));
  }

  std::promise<void> closed_;
  std::future<void> reported_ = closed_.get_future();
  std::shared_ptr<ConnectionMonitor> monitor_ = std::make_shared<ConnectionMonitor>();
  std::unique_ptr<WatchedConnection> connection_;

 private:
  int fds_[2] = {-1, -1};
};

TEST_F(ConnectionMonitorTest, ReportsThePeersHangUp) {
  EXPECT_EQ(reported_.wait_for(100ms), std::future_status::timeout);
  close_end(kPeer);
  EXPECT_EQ(reported_.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(monitor_->watched(), 1u);  // until its owner lets the duplicate go
  connection_.reset();
  EXPECT_EQ(monitor_->watched(), 0u);
}

TEST_F(ConnectionMonitorTest, StillReportsAfterTheOriginalFdWasClosed) {
  close_end(kWatched);
  close_end(kPeer);
  EXPECT_EQ(reported_.wait_for(5s), std::future_status::ready);
}

TEST_F(ConnectionMonitorTest, DataOnTheConnectionIsNotAHangUp) {
  ASSERT_EQ(::write(fd(kPeer), "x", 1), 1);
  EXPECT_EQ(reported_.wait_for(200ms), std::future_status::timeout);
  EXPECT_EQ(monitor_->watched(), 1u);
}

TEST(ConnectionMonitor, RefusesAnInvalidFd) {
  WatchedConnection invalid(-1, std::make_shared<ConnectionMonitor>());
  EXPECT_FALSE(invalid.watch([] {}));
}

}  // namespace
}  // namespace wasi_socketd::daemon
