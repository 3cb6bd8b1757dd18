// The broker wasi-socket-run uses: --broker, else the default path if a daemon answers there, else
// a private daemon that lives exactly as long as the run (also when the runner is SIGKILLed).
// --no-broker serves sockets in-process with preview2-shim.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "runner_test_support.h"

namespace wasi_socketd::adapter::test {
namespace {

constexpr auto kStartTimeout = 30s;
constexpr auto kDaemonExitTimeout = 5s;

// The socket path a daemon was started with (its --listen argument).
std::string listen_path_of(pid_t daemon) {
  const std::vector<std::string> args = command_line(daemon);
  const auto flag = std::find(args.begin(), args.end(), "--listen");
  return flag != args.end() && flag + 1 != args.end() ? *(flag + 1) : std::string();
}

// A runner serving http_server with no broker at the default path.
class PrivateDaemon : public ::testing::Test {
 protected:
  std::unique_ptr<ChildProcess> start_server(const std::vector<std::string>& options,
                                             const std::string& max_requests) {
    ChildProcess::Options env;
    env.extra_env = {"WASI_SOCKETD_SOCKET=" + dir_.file("nobody-listens-here.sock")};
    std::vector<std::string> args = options;
    args.insert(args.end(), {guest_path("http_server"), "0", max_requests});
    auto runner = std::make_unique<ChildProcess>(runner_command(args), env);
    EXPECT_TRUE(runner->wait_for_stdout("listening on", kStartTimeout)) << runner->stdout_so_far();
    return runner;
  }

  testing::TempDirectory dir_;
};

TEST_F(PrivateDaemon, ServesTheRunAndEndsWithIt) {
  auto runner = start_server({}, "1");
  const std::vector<pid_t> children = child_processes(runner->pid());
  ASSERT_EQ(children.size(), 1u) << "expected exactly the private daemon";
  const pid_t daemon = children[0];
  EXPECT_TRUE(command_line(daemon).at(0).ends_with("wasi-socketd"));
  const std::string socket = listen_path_of(daemon);
  ASSERT_FALSE(socket.empty());

  const std::string response = http_get(listening_port(runner->stdout_so_far()), "/private");
  EXPECT_EQ(response.rfind("HTTP/1.1 200 OK", 0), 0u) << response;

  const ProcessResult result = runner->wait(kRunTimeout);
  ASSERT_TRUE(result.exited) << result.err;
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(eventually([&] { return !process_running(daemon); }, kDaemonExitTimeout));
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(socket).parent_path()));
}

TEST_F(PrivateDaemon, EndsWhenTheRunnerIsKilled) {
  auto runner = start_server({}, "0");
  const std::vector<pid_t> children = child_processes(runner->pid());
  ASSERT_EQ(children.size(), 1u);
  const pid_t daemon = children[0];
  ASSERT_TRUE(process_running(daemon));
  const std::string socket = listen_path_of(daemon);

  runner->kill(SIGKILL);
  EXPECT_TRUE(eventually([&] { return !process_running(daemon); }, kDaemonExitTimeout))
      << "the private daemon outlived its runner";
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(socket).parent_path()))
      << "the private daemon's directory was left behind";
}

TEST_F(PrivateDaemon, NotStartedWhenADaemonAnswersAtTheDefaultPath) {
  const std::string socket = dir_.file("default.sock");
  DaemonProcess daemon(DaemonOptions{.socket_path = socket});
  ChildProcess::Options env;
  env.extra_env = {"WASI_SOCKETD_SOCKET=" + socket};
  ChildProcess runner(runner_command({guest_path("http_server"), "0", "1"}), env);
  ASSERT_TRUE(runner.wait_for_stdout("listening on", kStartTimeout)) << runner.stdout_so_far();
  EXPECT_TRUE(child_processes(runner.pid()).empty());

  const std::string response = http_get(listening_port(runner.stdout_so_far()), "/shared");
  EXPECT_EQ(response.rfind("HTTP/1.1 200 OK", 0), 0u) << response;
  const ProcessResult result = runner.wait(kRunTimeout);
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

// Another user's broker at the default path, in a directory where anyone may create files (as
// /tmp is for the fallback /tmp/wasi-socketd-UID.sock): a local user could have put it there to
// serve, and see, every socket of the run. The runner starts a private daemon instead and never
// connects to it. Main used the squatter's broker. Root only: the run needs another uid.
TEST_F(PrivateDaemon, StartedWhenTheDefaultSocketIsAnotherUsersWhereAnyoneMayCreateFiles) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root: the runner runs as another uid";
  constexpr uid_t kRunner = 64111;
  constexpr uid_t kSquatter = 64112;
  const std::string shared = dir_.file("shared");
  ASSERT_EQ(::mkdir(shared.c_str(), 0755), 0);
  ASSERT_EQ(::chmod(shared.c_str(), 01777), 0);
  const std::string cache = dir_.file("cache");
  ASSERT_EQ(::mkdir(cache.c_str(), 0700), 0);
  ASSERT_EQ(::chown(cache.c_str(), kRunner, kRunner), 0);
  const std::string policy =
      dir_.write("anyone.toml", "[[tenant]]\nname = \"anyone\"\n[tenant.tcp]\n");
  DaemonProcess squatter(DaemonOptions{
      .extra_args = {"--socket-owner", std::to_string(kSquatter), "--socket-mode", "0666"},
      .policy_path = policy,
      .socket_path = shared + "/wasi-socketd.sock"});

  std::vector<std::string> argv = {"/usr/bin/setpriv",      "--reuid",
                                   std::to_string(kRunner), "--regid",
                                   std::to_string(kRunner), "--clear-groups",
                                   "/usr/bin/env",          "-u",
                                   "WASI_SOCKETD_SOCKET",   "XDG_RUNTIME_DIR=" + shared,
                                   "HOME=/nonexistent"};
  const std::vector<std::string> run =
      runner_command({"--cache-dir", cache, guest_path("http_server"), "0", "1"});
  argv.insert(argv.end(), run.begin(), run.end());
  ChildProcess runner(argv);
  ASSERT_TRUE(runner.wait_for_stdout("listening on", kStartTimeout)) << runner.stdout_so_far();
  EXPECT_EQ(child_processes(runner.pid()).size(), 1u)
      << "no private daemon: the run uses the squatter's broker";
  const std::string response = http_get(listening_port(runner.stdout_so_far()), "/private");
  EXPECT_EQ(response.rfind("HTTP/1.1 200 OK", 0), 0u) << response;
  const ProcessResult result = runner.wait(kRunTimeout);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("not using the broker at " + shared), std::string::npos) << result.err;
}

TEST_F(PrivateDaemon, NotStartedWithNoBroker) {
  auto runner = start_server({"--no-broker"}, "1");
  EXPECT_TRUE(child_processes(runner->pid()).empty());
  const std::string response = http_get(listening_port(runner->stdout_so_far()), "/shim");
  EXPECT_EQ(response.rfind("HTTP/1.1 200 OK", 0), 0u) << response;
  const ProcessResult result = runner->wait(kRunTimeout);
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

}  // namespace
}  // namespace wasi_socketd::adapter::test
