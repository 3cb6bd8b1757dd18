#include "runner_host.h"

#include <filesystem>

namespace wasi_socketd::bench {
namespace {

// Directory holding the running executable (build/bin/ for every program of this project).
std::string own_directory() {
  return std::filesystem::canonical("/proc/self/exe").parent_path().string();
}

}  // namespace

testing::ChildProcess::Options bench_child_options() {
  return {.pipe_stdin = false, .pipe_stderr = false, .die_with_parent = true};
}

std::vector<std::string> runner_command(const RunnerHost& host, const std::string& guest,
                                        const std::vector<std::string>& args) {
  std::vector<std::string> argv{own_directory() + "/wasi-socket-run"};
  argv.insert(argv.end(), host.flags.begin(), host.flags.end());
  argv.push_back(own_directory() + "/../guests/" + guest + ".wasm");
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

}  // namespace wasi_socketd::bench
