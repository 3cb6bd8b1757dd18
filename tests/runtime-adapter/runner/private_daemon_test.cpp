// The broker wasi-socket-run uses: --broker, else the default path if a daemon answers there, else
// a private daemon that lives exactly as long as the run (also when the runner is SIGKILLed).
// --no-broker serves sockets in-process with preview2-shim.
#include <gtest/gtest.h>
#include <signal.h>

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
