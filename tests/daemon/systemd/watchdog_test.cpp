#include "systemd/watchdog.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <future>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/post.hpp>

#include "fake_service_manager.h"

namespace wasi_socketd::systemd {
namespace {

using namespace std::chrono_literals;

class WatchdogTest : public ::testing::Test {
 protected:
  void SetUp() override { ::setenv("NOTIFY_SOCKET", manager_.socket_path().c_str(), 1); }
  void TearDown() override {
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    ::unsetenv("WATCHDOG_PID");
  }
  int count_pings() {
    int pings = 0;
    while (auto message = manager_.next(0ms)) pings += *message == "WATCHDOG=1";
    return pings;
  }
  testing::FakeServiceManager manager_;
};

TEST_F(WatchdogTest, PingsAtHalfTheConfiguredInterval) {
  ::setenv("WATCHDOG_USEC", "200000", 1);
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  boost::asio::io_context io;
  Watchdog watchdog(io);
  watchdog.start();
  ASSERT_TRUE(watchdog.running());
  io.run_for(450ms);  // one ping at start, then every 100 ms
  watchdog.stop();
  const int pings = count_pings();
  EXPECT_GE(pings, 4);
  EXPECT_LE(pings, 6);
}

TEST_F(WatchdogTest, StopsPingingAfterStop) {
  ::setenv("WATCHDOG_USEC", "100000", 1);
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  boost::asio::io_context io;
  Watchdog watchdog(io);
  watchdog.start();
  io.run_for(120ms);
  watchdog.stop();
  count_pings();
  io.restart();
  io.run_for(200ms);
  EXPECT_EQ(count_pings(), 0);
}

// The daemon runs two io threads and stops the watchdog from a handler on one of them while a
// ping may be rescheduling the timer on the other (tests/run-tsan.sh reported that race: Asio
// timers are not thread-safe). Only a ping already under way may follow stop(), none after it.
TEST_F(WatchdogTest, StopFromAnotherIoThreadWhilePingingEndsThePings) {
  ::setenv("WATCHDOG_USEC", "4000", 1);  // a ping every 2 ms
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  for (int round = 0; round < 20; ++round) {
    boost::asio::io_context io;
    auto work = boost::asio::make_work_guard(io);
    Watchdog watchdog(io);
    watchdog.start();
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i) threads.emplace_back([&io] { io.run(); });
    std::this_thread::sleep_for(5ms);
    std::promise<void> stopped;
    boost::asio::post(io, [&] {
      watchdog.stop();
      stopped.set_value();
    });
    stopped.get_future().wait();
    std::this_thread::sleep_for(5ms);
    count_pings();  // including one that was under way when stop() ran
    std::this_thread::sleep_for(10ms);
    EXPECT_EQ(count_pings(), 0) << "round " << round;
    EXPECT_FALSE(watchdog.running());
    work.reset();
    io.stop();
    for (std::thread& thread : threads) thread.join();
  }
}

TEST_F(WatchdogTest, DoesNothingWithoutWatchdogSec) {
  boost::asio::io_context io;
  Watchdog watchdog(io);
  watchdog.start();
  EXPECT_FALSE(watchdog.running());
  io.run_for(50ms);
  EXPECT_EQ(count_pings(), 0);
}

TEST_F(WatchdogTest, IgnoresAWatchdogMeantForAnotherProcess) {
  ::setenv("WATCHDOG_USEC", "100000", 1);
  ::setenv("WATCHDOG_PID", std::to_string(::getpid() + 1).c_str(), 1);
  EXPECT_FALSE(Watchdog::interval_from_environment());
}

}  // namespace
}  // namespace wasi_socketd::systemd
