// wasi-socket-run passes arguments, stdin, stdout, stderr and the exit status through, reports
// traps and its own failures distinctly, and works from any directory. The guest imports no
// wasi:sockets, so no broker is involved.
#include <gtest/gtest.h>

#include "runner_test_support.h"

namespace wasi_socketd::adapter::test {
namespace {

ProcessResult run_stdio_guest(const std::vector<std::string>& guest_args,
                              std::string_view stdin_data = "",
                              const ChildProcess::Options& options = {}) {
  std::vector<std::string> args = {guest_path("runner_stdio")};
  args.insert(args.end(), guest_args.begin(), guest_args.end());
  ChildProcess runner(runner_command(args), options);
  runner.write_stdin(stdin_data);
  return runner.wait(kRunTimeout);
}

TEST(RunnerIo, PassesArgumentsWithTheComponentAsArgvZero) {
  const ProcessResult result = run_stdio_guest({"one", "two words"});
  ASSERT_TRUE(result.exited) << result.err;
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("argv[0]=" + guest_path("runner_stdio") + "\n"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("argv[1]=one\n"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("argv[2]=two words\n"), std::string::npos) << result.out;
}

TEST(RunnerIo, PassesStdinToTheGuest) {
  const ProcessResult result = run_stdio_guest({}, "a line from the test\n");
  EXPECT_NE(result.out.find("stdin: a line from the test\n"), std::string::npos) << result.out;
}

TEST(RunnerIo, PassesStderrSeparatelyFromStdout) {
  const ProcessResult result = run_stdio_guest({});
  EXPECT_NE(result.err.find("runner_stdio: to stderr\n"), std::string::npos) << result.err;
  EXPECT_EQ(result.out.find("to stderr"), std::string::npos) << result.out;
}

TEST(RunnerIo, ZeroExitStatusIsZero) {
  const ProcessResult result = run_stdio_guest({"exit=0"});
  ASSERT_TRUE(result.exited);
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST(RunnerIo, NonZeroExitStatusIsFailure) {
  // The 0.2.12 preview1 adapter reports any non-zero status as wasi:cli/exit err: status 1.
  const ProcessResult result = run_stdio_guest({"exit=3"});
  ASSERT_TRUE(result.exited);
  EXPECT_EQ(result.exit_code, 1) << result.err;
}

TEST(RunnerIo, TrapExits134WithAMessage) {
  const ProcessResult result = run_stdio_guest({"trap"});
  ASSERT_TRUE(result.exited);
  EXPECT_EQ(result.exit_code, 134);
  EXPECT_NE(result.err.find("wasi-socket-run: guest trapped"), std::string::npos) << result.err;
}

TEST(RunnerIo, RunsFromAnyWorkingDirectory) {
  ChildProcess::Options options;
  options.working_directory = "/";
  const ProcessResult result = run_stdio_guest({"from-root"}, "", options);
  ASSERT_TRUE(result.exited);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("argv[1]=from-root"), std::string::npos) << result.out;
}

TEST(RunnerIo, ComponentWithoutSocketsNeedsNoBroker) {
  // No broker anywhere and no daemon binary to start: a sockets-free guest still runs.
  ChildProcess::Options options;
  options.extra_env = {"WASI_SOCKETD_SOCKET=/nonexistent/wasi-socketd.sock"};
  ChildProcess runner(
      runner_command({"--daemon", "/nonexistent/wasi-socketd", guest_path("runner_stdio")}),
      options);
  const ProcessResult result = runner.wait(kRunTimeout);
  ASSERT_TRUE(result.exited);
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST(RunnerIo, HelpPrintsUsage) {
  ChildProcess runner(runner_command({"--help"}));
  const ProcessResult result = runner.wait(kRunTimeout);
  ASSERT_TRUE(result.exited);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out.rfind("Usage: wasi-socket-run", 0), 0u) << result.out;
}

TEST(RunnerIo, MissingComponentIsAUsageError) {
  ChildProcess runner(runner_command({}));
  const ProcessResult result = runner.wait(kRunTimeout);
  ASSERT_TRUE(result.exited);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("missing COMPONENT.wasm"), std::string::npos) << result.err;
}

TEST(RunnerIo, UnreadableComponentExits125) {
  testing::TempDirectory dir;
  ChildProcess runner(runner_command({dir.file("missing.wasm")}));
  const ProcessResult result = runner.wait(kRunTimeout);
  ASSERT_TRUE(result.exited);
  EXPECT_EQ(result.exit_code, 125);
  EXPECT_NE(result.err.find("missing.wasm"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace wasi_socketd::adapter::test
