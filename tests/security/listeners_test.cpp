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

#include "daemon_process.h"

namespace wasi_socketd::security {
namespace {

using testing::accepts_connections;
using testing::DaemonProcess;
namespace fs = std::filesystem;

ino_t inode_of(const std::string& path) {
  struct stat status {};
  return ::lstat(path.c_str(), &status) == 0 ? status.st_ino : 0;
}

// Another wasi-socketd, started by hand (DaemonProcess always picks a fresh path).
pid_t spawn_daemon(std::vector<std::string> args) {
  args.insert(args.begin(), WASI_SOCKETD_BINARY);
  const pid_t pid = ::fork();
  if (pid == 0) {
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

// The exit status within `limit`, or -1 if it still runs.
int exit_status_within(pid_t pid, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

void stop(pid_t pid) {
  ::kill(pid, SIGTERM);
  if (exit_status_within(pid, std::chrono::seconds(5)) == -1) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
}

TEST(Listeners, ASecondDaemonOnALivePathFailsAndLeavesItToTheFirst) {
  DaemonProcess first;
  const std::string path = first.socket_path();
  const ino_t before = inode_of(path);
  const std::string admin = fs::path(path).parent_path() / "second.admin.sock";
  const pid_t second =
      spawn_daemon({"--listen", path, "--admin-socket", admin, "--log-level", "off"});
  const int status = exit_status_within(second, std::chrono::seconds(10));
  if (status == -1) stop(second);
  EXPECT_NE(status, -1) << "the second daemon took over a live path";
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0) << "status " << status;
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
  const pid_t second =
      spawn_daemon({"--listen", path, "--admin-socket", admin, "--log-level", "off"});
  bool listening = false;
  for (int i = 0; i < 500 && !listening; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    listening = accepts_connections(path);
  }
  ASSERT_TRUE(listening) << "the second daemon did not start";
  const ino_t seconds_file = inode_of(path);

  EXPECT_EQ(first->terminate(), 0);
  EXPECT_EQ(inode_of(path), seconds_file) << "the first daemon removed the second's socket file";
  EXPECT_TRUE(accepts_connections(path));
  stop(second);
  EXPECT_FALSE(fs::exists(path)) << "the second daemon left its own socket file behind";
  first.reset();
}

}  // namespace
}  // namespace wasi_socketd::security
