// Attack area: listeners. A second daemon started on a live --listen path took it over (the
// tenant listener unlinked any socket file) and deleted the path when it stopped (issue 8 item 9).
// A second daemon must fail and leave the path alone; a daemon that exits removes only the socket
// file it created itself. Real daemons, real socket files; no root needed.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "child_process.h"
#include "daemon_process.h"

namespace wasi_socketd::security {
namespace {

using testing::accepts_connections;
using testing::DaemonOptions;
using testing::DaemonProcess;
namespace fs = std::filesystem;

ino_t inode_of(const std::string& path) {
  struct stat status {};
  return ::lstat(path.c_str(), &status) == 0 ? status.st_ino : 0;
}

TEST(Listeners, ASecondDaemonOnALivePathFailsAndLeavesItToTheFirst) {
  DaemonProcess first;
  const std::string path = first.socket_path();
  const ino_t before = inode_of(path);
  const std::string admin = fs::path(path).parent_path() / "second.admin.sock";
  // Expected to fail at start, so not a DaemonProcess (which waits for READY=1).
  testing::ChildProcess second(
      {WASI_SOCKETD_BINARY, "--listen", path, "--admin-socket", admin, "--log-level", "off"});
  const testing::ProcessResult result = second.wait(std::chrono::seconds(10));
  EXPECT_FALSE(result.timed_out) << "the second daemon took over a live path";
  EXPECT_TRUE(result.exited && result.exit_code != 0) << "signal " << result.signal;
  EXPECT_EQ(inode_of(path), before) << "the socket file was replaced";
  EXPECT_TRUE(accepts_connections(path)) << "the first daemon lost its path";
  EXPECT_FALSE(fs::exists(admin));
}

TEST(Listeners, ADaemonThatExitsRemovesOnlyItsOwnSocketFile) {
  auto first = std::make_unique<DaemonProcess>();
  const std::string path = first->socket_path();
  // An operator removes the path and starts another daemon there (its own admin socket).
  fs::remove(path);
  const std::string admin = fs::path(path).parent_path() / "second.admin.sock";
  DaemonProcess second(DaemonOptions{
      .extra_args = {"--admin-socket", admin}, .socket_path = path, .log_level = "off"});
  ASSERT_TRUE(accepts_connections(path)) << "the second daemon did not start";
  const ino_t seconds_file = inode_of(path);

  EXPECT_EQ(first->terminate(), 0);
  EXPECT_EQ(inode_of(path), seconds_file) << "the first daemon removed the second's socket file";
  EXPECT_TRUE(accepts_connections(path));
  second.terminate();
  EXPECT_FALSE(fs::exists(path)) << "the second daemon left its own socket file behind";
  first.reset();
}

}  // namespace
}  // namespace wasi_socketd::security
