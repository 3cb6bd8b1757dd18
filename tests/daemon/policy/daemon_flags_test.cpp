// The flags for running without systemd: --pid-file (there while the daemon serves, gone after,
// left alone when another process owns it now) and --socket-owner/--socket-group/--socket-mode on
// the --listen socket, with unknown names refused at start.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "daemon_process.h"
#include "temp_directory.h"

namespace wasi_socketd::policy {
namespace {

using testing::DaemonProcess;

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool wait_for_file(const std::string& path) {
  for (int i = 0; i < 500 && !std::filesystem::exists(path); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return std::filesystem::exists(path);
}

TEST(PidFile, HoldsThePidWhileServingAndIsRemovedAtExit) {
  testing::TempDirectory dir;
  const std::string pid_file = dir.file("d.pid");
  DaemonProcess daemon({"--pid-file", pid_file});
  ASSERT_TRUE(wait_for_file(pid_file));
  EXPECT_EQ(read_all(pid_file), std::to_string(daemon.pid()) + "\n");
  // Written by rename: no temporary file is left next to it.
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.file(""))) {
    ++entries;
  }
  EXPECT_EQ(entries, 1u);
  const int status = daemon.terminate();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_FALSE(std::filesystem::exists(pid_file));
}

TEST(PidFile, AFileThatNoLongerHoldsOurPidIsLeftAlone) {
  testing::TempDirectory dir;
  const std::string pid_file = dir.file("d.pid");
  DaemonProcess daemon({"--pid-file", pid_file});
  ASSERT_TRUE(wait_for_file(pid_file));
  // A second daemon started on the same path took it over.
  std::ofstream(pid_file) << "1\n";
  daemon.terminate();
  EXPECT_EQ(read_all(pid_file), "1\n");
}

TEST(PidFile, AnUnwritablePathStopsTheStartWithTheReason) {
  FILE* pipe =
      ::popen((std::string(WASI_SOCKETD_BINARY) +
               " --listen /tmp/wsd-pid-test-$$.sock --pid-file /nonexistent/dir/d.pid 2>&1")
                  .c_str(),
              "r");
  std::string output;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  const int status = ::pclose(pipe);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0) << output;
  EXPECT_NE(output.find("pid file /nonexistent/dir/d.pid"), std::string::npos) << output;
}

TEST(SocketFlags, GroupAndModeApplyToTheListenSocket) {
  // Root may give the socket any group; others only one of their own.
  const gid_t group = ::geteuid() == 0 ? 4242 : ::getegid();
  DaemonProcess daemon({"--socket-group", std::to_string(group), "--socket-mode", "0640"});
  struct stat status {};
  ASSERT_EQ(::stat(daemon.socket_path().c_str(), &status), 0);
  EXPECT_EQ(status.st_gid, group);
  EXPECT_EQ(status.st_mode & 07777, 0640u);
}

TEST(SocketFlags, OwnerByNameAppliesWhenRoot) {
  if (::geteuid() != 0) GTEST_SKIP() << "chown to another user needs root";
  DaemonProcess daemon({"--socket-owner", "nobody"});
  struct stat status {};
  ASSERT_EQ(::stat(daemon.socket_path().c_str(), &status), 0);
  EXPECT_EQ(status.st_uid, 65534u);
}

TEST(SocketFlags, UnknownUserOrGroupIsRefusedAtStart) {
  for (const std::string flag : {"--socket-owner", "--socket-group"}) {
    const std::string command = std::string(WASI_SOCKETD_BINARY) +
                                " --listen /tmp/wsd-flag-test.sock " + flag +
                                " no-such-account-xyz 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    std::string output;
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
    const int status = ::pclose(pipe);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0) << output;
    EXPECT_NE(output.find("no such " + flag.substr(9) + " 'no-such-account-xyz'"),
              std::string::npos)
        << output;
  }
}

}  // namespace
}  // namespace wasi_socketd::policy
