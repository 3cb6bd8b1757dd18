#include "systemd/notifier.h"
#include "systemd/reload_notice.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>

#include "fake_service_manager.h"

namespace wasi_socketd::systemd {
namespace {

using namespace std::chrono_literals;
using testing::FakeServiceManager;
using testing::has_line;

class NotifierTest : public ::testing::Test {
 protected:
  void SetUp() override { ::setenv("NOTIFY_SOCKET", manager_.socket_path().c_str(), 1); }
  void TearDown() override { ::unsetenv("NOTIFY_SOCKET"); }

  // The next notification; "" (and a failure) when none arrives within a second.
  std::string next_message() {
    auto message = manager_.next(1s);
    EXPECT_TRUE(message) << "no notification within 1s";
    return message.value_or("");
  }

  FakeServiceManager manager_;
};

TEST_F(NotifierTest, ReadySendsReadyWithStatus) {
  Notifier::ready("listening on /run/x.sock");
  const std::string message = next_message();
  EXPECT_TRUE(has_line(message, "READY=1"));
  EXPECT_TRUE(has_line(message, "STATUS=listening on /run/x.sock"));
}

TEST_F(NotifierTest, StatusNewlinesCannotInjectAssignments) {
  Notifier::status("ok\nREADY=1");
  const std::string message = next_message();
  EXPECT_FALSE(has_line(message, "READY=1"));
  EXPECT_TRUE(has_line(message, "STATUS=ok READY=1"));
}

TEST_F(NotifierTest, WatchdogSendsWatchdog) {
  Notifier::watchdog();
  EXPECT_EQ(next_message(), "WATCHDOG=1");
}

TEST_F(NotifierTest, ReloadingCarriesMonotonicTimestamp) {
  Notifier::reloading("reloading policy");
  const std::string message = next_message();
  EXPECT_TRUE(has_line(message, "RELOADING=1"));
  EXPECT_NE(message.find("\nMONOTONIC_USEC="), std::string::npos);
  EXPECT_TRUE(has_line(message, "STATUS=reloading policy"));
}

TEST_F(NotifierTest, StoppingSendsStopping) {
  Notifier::stopping("draining 3 sessions");
  const std::string message = next_message();
  EXPECT_TRUE(has_line(message, "STOPPING=1"));
  EXPECT_TRUE(has_line(message, "STATUS=draining 3 sessions"));
}

TEST_F(NotifierTest, ReloadNoticeBracketsTheReloadWithReloadingAndReady) {
  {
    ReloadNotice notice("policy");
    notice.finish("policy reloaded (generation 2)");
  }
  const std::string reloading = next_message();
  EXPECT_TRUE(has_line(reloading, "RELOADING=1"));
  const std::string ready = next_message();
  EXPECT_TRUE(has_line(ready, "READY=1"));
  EXPECT_TRUE(has_line(ready, "STATUS=policy reloaded (generation 2)"));
  EXPECT_FALSE(manager_.next(50ms)) << "finish() then destruction must send READY=1 once";
}

TEST_F(NotifierTest, ReloadNoticeSendsReadyEvenWhenTheReloadThrows) {
  try {
    ReloadNotice notice("policy");
    throw std::runtime_error("parse error");
  } catch (const std::runtime_error&) {
  }
  ASSERT_TRUE(manager_.wait_for("RELOADING=1", 1s));
  const std::string ready = next_message();
  EXPECT_TRUE(has_line(ready, "READY=1"));
}

TEST(NotifierWithoutManagerTest, CallsAreHarmlessWithoutNotifySocket) {
  ::unsetenv("NOTIFY_SOCKET");
  EXPECT_FALSE(Notifier::enabled());
  Notifier::ready("x");
  Notifier::watchdog();
  Notifier::stopping("x");
}

}  // namespace
}  // namespace wasi_socketd::systemd
