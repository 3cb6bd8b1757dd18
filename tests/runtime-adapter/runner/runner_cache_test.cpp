// wasi-socket-run without --cache-dir, as a user whose home is missing or read-only (a service
// user): the run succeeds, and the transpiled component lands in a private per-uid directory
// under $XDG_RUNTIME_DIR. Runs the runner as "nobody" (setpriv), so it needs root; skips
// otherwise. The guest imports no wasi:sockets, so no broker is involved.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "child_process.h"
#include "runner_test_support.h"

namespace wasi_socketd::adapter::test {
namespace {

constexpr uid_t kNobody = 65534;

class RunnerCache : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to run the runner as another user";
    if (!std::filesystem::exists("/usr/bin/setpriv")) GTEST_SKIP() << "setpriv not installed";
    ::chmod(dir_.path().c_str(), 0755);
    runtime_dir_ = dir_.file("runtime");
    std::filesystem::create_directory(runtime_dir_);
    ::chmod(runtime_dir_.c_str(), 01777);  // like /tmp: anyone may create, only owners remove
  }

  // The runner as nobody, with `home` as HOME (empty: HOME unset) and no XDG_CACHE_HOME.
  ProcessResult run_as_nobody(const std::string& home) {
    std::vector<std::string> argv = {
        "/usr/bin/env", "-u", "HOME", "-u", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR=" + runtime_dir_};
    if (!home.empty()) argv.push_back("HOME=" + home);
    argv.insert(argv.end(), {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                             WASI_SOCKET_RUN_PATH});
    argv.push_back(guest_path("runner_stdio"));
    ChildProcess runner(argv);
    return runner.wait(kRunTimeout);
  }

  void expect_private_cache() {
    const std::string private_dir = runtime_dir_ + "/wasi-socketd-" + std::to_string(kNobody);
    struct stat status {};
    ASSERT_EQ(::stat(private_dir.c_str(), &status), 0) << private_dir;
    EXPECT_EQ(status.st_uid, kNobody);
    EXPECT_EQ(status.st_mode & 0777, 0700u);
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& entry :
         std::filesystem::directory_iterator(private_dir + "/transpiled")) {
      ++entries;
    }
    EXPECT_GE(entries, 1u) << "the transpiled component is cached";
  }

  testing::TempDirectory dir_;
  std::string runtime_dir_;
};

TEST_F(RunnerCache, HomeUnsetAndNoHomeDirectory) {
  // nobody's passwd home is /nonexistent: with HOME unset the runner falls back to it.
  const ProcessResult result = run_as_nobody("");
  ASSERT_TRUE(result.exited) << result.err;
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("argv[0]="), std::string::npos) << result.out;
  expect_private_cache();
}

TEST_F(RunnerCache, ReadOnlyHome) {
  const std::string home = dir_.file("home");
  std::filesystem::create_directory(home);
  ::chmod(home.c_str(), 0555);  // root's, not writable by nobody
  const ProcessResult result = run_as_nobody(home);
  ASSERT_TRUE(result.exited) << result.err;
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_FALSE(std::filesystem::exists(home + "/.cache"));
  expect_private_cache();
}

}  // namespace
}  // namespace wasi_socketd::adapter::test
